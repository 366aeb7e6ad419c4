//! Which segment of a parallel scan a partition key belongs to, as DynamoDB
//! Local decides it: the key's hash (SHA-1 of a salt and the key's bytes; a
//! number as its byte-comparable encoding) is a 160-bit integer, and the
//! segments split that range into `TotalSegments` equal parts, the last one
//! taking the remainder. Sequential keys (`id000`, `id001`, ...) spread evenly,
//! and each key lands in the same segment as on DynamoDB Local.

use sha1::{Digest, Sha1};

use super::keys::KeyValue;

/// The salt DynamoDB Local hashes before every key value.
const SALT: &[u8] = b"LocalDdb";

/// The segment (`0..total`) of a partition key; `total` must be at least 1.
pub(crate) fn segment_of(hash: &KeyValue, total: u64) -> u64 {
    let mut digest = Sha1::new();
    digest.update(SALT);
    match hash {
        KeyValue::S(s) => digest.update(s.as_bytes()),
        KeyValue::N(n) => digest.update(encode_number(n.text())),
        KeyValue::B(b) => digest.update(b),
        // A table's keys, by which segments go, are never tuples.
        KeyValue::Tuple(_) => digest.update(hash.order_bytes()),
    }
    let bytes: [u8; 20] = digest.finalize().into();
    segment_in(&bytes, total)
}

/// The segment of a 160-bit big-endian hash: `min(hash / (MAX / total),
/// total - 1)` with `MAX = 2^160 - 1`, in 64-bit pieces.
fn segment_in(hash: &[u8; 20], total: u64) -> u64 {
    let total = total.max(1);
    // Long division of MAX (twenty 0xff bytes) by `total`, in 32-bit digits.
    let mut width = [0u32; 5];
    let mut rem: u64 = 0;
    for w in width.iter_mut() {
        let cur = (rem << 32) | u64::from(u32::MAX);
        *w = (cur / total) as u32;
        rem = cur % total;
    }
    let digits: Vec<u32> = hash
        .chunks(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    // hash / width is below 2^32 * total (width >= MAX / total), so find it
    // by binary search over the quotient: the largest q with q * width <= hash.
    let (mut lo, mut hi) = (0u64, total);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if times_at_most(&width, mid, &digits) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo.min(total - 1)
}

/// Whether `q * width <= hash`, both as big-endian 32-bit digits.
fn times_at_most(width: &[u32; 5], q: u64, hash: &[u32]) -> bool {
    // q * width as 32-bit digits, one digit of overflow above.
    let mut product = [0u64; 7];
    let mut carry: u128 = 0;
    for i in (0..5).rev() {
        let p = u128::from(width[i]) * u128::from(q) + carry;
        product[i + 2] = (p & 0xffff_ffff) as u64;
        carry = p >> 32;
    }
    product[1] = (carry & 0xffff_ffff) as u64;
    product[0] = (carry >> 32) as u64;
    if product[0] != 0 || product[1] != 0 {
        return false;
    }
    for (p, h) in product[2..].iter().zip(hash) {
        match p.cmp(&u64::from(*h)) {
            std::cmp::Ordering::Less => return true,
            std::cmp::Ordering::Greater => return false,
            std::cmp::Ordering::Equal => {}
        }
    }
    true
}

/// DynamoDB's byte-comparable encoding of a number (given in the mock's
/// canonical plain notation): an exponent byte (base 100), then the digits
/// two by two as `pair + 1`; negatives complemented and closed by 102.
fn encode_number(n: &str) -> Vec<u8> {
    let (negative, magnitude) = match n.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, n),
    };
    let (int, frac) = magnitude.split_once('.').unwrap_or((magnitude, ""));
    let int = int.trim_start_matches('0');
    let all: String = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0').as_bytes();
    if digits.is_empty() {
        return vec![0x80];
    }
    // The value is 0.d1d2... * 10^exp.
    let exp = int.len() as i64 - if int.is_empty() { leading as i64 } else { 0 };
    let odd = usize::from(exp.rem_euclid(2) == 1);
    let exp = exp + odd as i64;
    let pairs = (digits.len() + odd).div_ceil(2);
    let mut out = vec![0u8; pairs + 1];
    out[0] = (192 + exp / 2) as u8;
    if negative {
        out[0] = !out[0];
    }
    for (i, d) in digits.iter().enumerate() {
        let pos = i + odd;
        let slot = &mut out[pos / 2 + 1];
        if pos % 2 == 0 {
            *slot = (d - b'0') * 10;
        } else {
            *slot += d - b'0';
        }
        if pos % 2 == 1 || i == digits.len() - 1 {
            *slot = if negative { 101 - *slot } else { *slot + 1 };
        }
    }
    if negative && pairs < 20 {
        out.push(102);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::keys::NumKey;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn numbers_encode_as_dynamodb_local_encodes_them() {
        let cases = [
            ("0", "80"),
            ("1", "c102"),
            ("10", "c10b"),
            ("-1", "3e6466"),
            ("1.5", "c10233"),
            ("-123.45", "3d644e3866"),
            ("100", "c202"),
            ("0.001", "bf0b"),
        ];
        for (n, want) in cases {
            assert_eq!(hex(&encode_number(n)), want, "{n}");
        }
    }

    #[test]
    fn forty_sequential_string_keys_split_into_four_segments_as_on_dynamodb_local() {
        let mut counts = [0; 4];
        for i in 0..40 {
            let s = segment_of(&KeyValue::S(format!("id{i:03}")), 4);
            counts[s as usize] += 1;
        }
        assert_eq!(counts, [10, 9, 9, 12]);
        // Segment 0 on DynamoDB Local, exactly.
        let zero: Vec<String> = (0..40)
            .map(|i| format!("id{i:03}"))
            .filter(|k| segment_of(&KeyValue::S(k.clone()), 4) == 0)
            .collect();
        assert_eq!(
            zero,
            [
                "id002", "id007", "id012", "id013", "id017", "id022", "id024", "id031", "id032", "id037"
            ]
        );
    }

    #[test]
    fn forty_sequential_number_keys_split_into_four_segments_as_on_dynamodb_local() {
        let want = [
            vec![1, 2, 3, 5, 9, 12, 15, 23, 28, 30],
            vec![7, 8, 10, 11, 14, 20, 22, 24, 29, 34, 35, 39],
            vec![0, 17, 19, 25, 26, 27, 31, 32, 36, 38],
            vec![4, 6, 13, 16, 18, 21, 33, 37],
        ];
        let mut got = vec![Vec::new(); 4];
        for i in 0..40 {
            got[segment_of(&KeyValue::N(NumKey::new(i.to_string())), 4) as usize].push(i);
        }
        assert_eq!(got, want);
    }

    #[test]
    fn one_segment_holds_every_key_and_the_last_takes_the_top_of_the_range() {
        assert_eq!(segment_in(&[0xff; 20], 1), 0);
        assert_eq!(segment_in(&[0xff; 20], 3), 2);
        assert_eq!(segment_in(&[0xff; 20], 1_000_000), 999_999);
        assert_eq!(segment_in(&[0; 20], 1_000_000), 0);
        let mut half = [0u8; 20];
        half[0] = 0x80;
        assert_eq!(segment_in(&half, 2), 1);
        // Segment 0 of 2 ends one below MAX / 2 = 0x7fff...ff.
        half[0] = 0x7f;
        half[1..].fill(0xff);
        assert_eq!(segment_in(&half, 2), 1);
        half[19] = 0xfe;
        assert_eq!(segment_in(&half, 2), 0);
    }
}
