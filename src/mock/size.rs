//! The size of an item as DynamoDB counts it (for the 400 KB limit, capacity
//! units and table sizes), beside the storage encoding in `encoding.rs`.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::Item;

/// Bytes DynamoDB counts for a number: one byte of exponent, one per two
/// significant digits (aligned on even powers of ten), one more for negative
/// numbers; zero is one byte.
fn number_size(s: &str) -> usize {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (mut first, mut last) = (None, 0);
    for (i, d) in int.bytes().chain(frac.bytes()).enumerate() {
        if d != b'0' {
            first.get_or_insert(i);
            last = i;
        }
    }
    let Some(first) = first else {
        return 1;
    };
    let count = last - first + 1;
    // Decimal exponent of the first significant digit.
    let e = int.len() as i64 - 1 - first as i64 + exponent;
    let pad = usize::from(count % 2 == 0 && e % 2 == 0);
    1 + count.div_ceil(2) + pad + usize::from(negative)
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
        AttributeValue::Ns(v) => v.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => 3 + map.len() + item_size(map),
        _ => 0,
    }
}

/// Size of an item in bytes as DynamoDB counts it: for each attribute, the
/// UTF-8 length of its name plus the size of its value (strings: UTF-8 bytes;
/// binary: bytes; numbers: 1 + one byte per two significant digits, +1 when
/// negative; booleans and nulls: 1; sets: the sum of their elements; lists:
/// 3 + 1 per element + the elements; maps: 3 + 1 per entry + names + values).
pub(crate) fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, value)| name.len() + value_size(value)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::testing::*;

    #[test]
    fn number_sizes() {
        for (number, size) in [
            ("0", 1),
            ("1", 2),
            ("-1", 3),
            ("10", 2),
            ("100", 2),
            ("12", 2),
            ("123", 3),
            ("1.2", 3),
            ("0.1", 2),
            ("0.12", 2),
            ("12.3456", 4),
            ("-12.3456", 5),
            ("1E+2", 2),
            ("99999999999999999999999999999999999999", 20),
        ] {
            assert_eq!(number_size(number), size, "{number}");
        }
    }

    #[test]
    fn item_sizes() {
        assert_eq!(item_size(&item(vec![("ab", s("xyz"))])), 5);
        assert_eq!(item_size(&item(vec![("a", s("\u{ff}"))])), 3); // UTF-8 bytes
        assert_eq!(item_size(&item(vec![("a", b(b"\x01\x02"))])), 3);
        assert_eq!(item_size(&item(vec![("a", boolean(true)), ("b", null())])), 4);
        assert_eq!(item_size(&item(vec![("a", ss(&["ab", "c"]))])), 4);
        assert_eq!(item_size(&item(vec![("a", ns(&["1", "-1"]))])), 6);
        assert_eq!(item_size(&item(vec![("a", bs(&[b"ab", b"c"]))])), 4);
        // Lists: 3 + 1 per element + elements; maps: 3 + 1 per entry + names + values.
        assert_eq!(
            item_size(&item(vec![("a", l(vec![s("xy"), n("1")]))])),
            1 + 3 + (1 + 2) + (1 + 2)
        );
        assert_eq!(
            item_size(&item(vec![("a", m(vec![("kk", s("v"))]))])),
            1 + 3 + 1 + 2 + 1
        );
        assert_eq!(item_size(&item(vec![("a", l(vec![]))])), 4);
        // dynalite's capacity test: exactly 1024 bytes.
        let key = "abcdefgh";
        let it = item(vec![
            ("a", s(key)),
            ("b", s(&"b".repeat(1009 - key.len()))),
            ("c", n("12.3456")),
            ("d", b(&[1, 2])),
            ("e", bs(&[&[1, 2], &[2], &[1]])),
        ]);
        assert_eq!(item_size(&it), 1024);
    }
}
