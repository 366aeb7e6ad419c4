//! The mock's DynamoDB numbers: validation, canonical form, ordering and
//! arithmetic of stored `N` strings, with DynamoDB's errors. The rule itself
//! (syntax, 38 digits, magnitude, canonical form, comparison) is
//! [`crate::vocab::number`]'s; this module answers in [`Error`]s.

use std::cmp::Ordering;

use bigdecimal::BigDecimal;

use crate::Error;
use crate::vocab::number as rule;

/// Parses and checks a number as DynamoDB does, returning its normalized value.
pub(crate) fn parse(s: &str) -> Result<BigDecimal, Error> {
    rule::parse(s).map_err(|e| e.into_error(s))
}

/// Checks precision and magnitude of a normalized value.
pub(crate) fn check_range(value: &BigDecimal) -> Result<(), Error> {
    rule::check_decimal(value).map_err(|e| e.into_error(""))
}

/// Formats a normalized value the way DynamoDB returns numbers: plain
/// notation, no trailing zeros, no `+`, `0` for zero.
pub(crate) fn format(value: &BigDecimal) -> String {
    rule::format(value)
}

/// Validates a number string and returns its canonical form, or `None` when
/// the string already is canonical (the common case, which costs no parse).
#[inline]
pub(crate) fn canonical(s: &str) -> Result<Option<String>, Error> {
    rule::canonical(s).map_err(|e| e.into_error(s))
}

/// Compares two valid number strings numerically.
#[inline]
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    rule::compare(a, b)
}

/// The first byte of an [`order_bytes`] form: its class, in numeric order
/// (then text that is not a number DynamoDB accepts, after every number).
mod class {
    pub(super) const NEGATIVE: u8 = 1;
    pub(super) const ZERO: u8 = 2;
    pub(super) const POSITIVE: u8 = 3;
    pub(super) const NOT_A_NUMBER: u8 = 4;
}

/// Ends a negative number's digits: above every inverted digit, so that
/// `-12` (digits `1 2`, then this) sorts after `-123`.
const NEGATIVE_END: u8 = 0xff;

/// A byte string whose bytewise order is the numeric order of the numbers
/// ([`compare`]), so that the store's ordered maps compare keys with a
/// `memcmp` instead of decimal arithmetic. Equal values (`1`, `1.0`,
/// `10e-1`) give equal bytes.
///
/// The value is `0.d1 d2 … dn × 10^e` with `d1` and `dn` non-zero: a class
/// byte (negative, zero, positive), then for a positive number `e` (biased,
/// big-endian, two bytes) and the digits as ASCII, so that at one exponent
/// the digits compare as a decimal fraction (a prefix is smaller); for a
/// negative number the same bytes inverted, and [`NEGATIVE_END`]. Text that
/// is not a number DynamoDB accepts (only a request's key can hold one: stored
/// numbers were checked) sorts after every number, by its text, and equals
/// no number.
pub(crate) fn order_bytes(s: &str) -> Box<[u8]> {
    let Some(n) = rule::scan(s).filter(|n| n.check().is_ok()) else {
        return [class::NOT_A_NUMBER].iter().chain(s.as_bytes()).copied().collect();
    };
    if n.is_zero() {
        return Box::new([class::ZERO]);
    }
    // Checked above: the exponent is within DynamoDB's range (about ±130),
    // far inside 16 bits.
    let e = n.last_exponent() + n.significant_digits() as i64;
    let biased = (e + 0x8000).clamp(0, 0xffff) as u16;
    let mut out = Vec::with_capacity(4 + n.significant_digits() as usize);
    if n.is_negative() {
        out.push(class::NEGATIVE);
        out.extend(biased.to_be_bytes().map(|b| !b));
        out.extend(n.digits().map(|d| !d));
        out.push(NEGATIVE_END);
    } else {
        out.push(class::POSITIVE);
        out.extend(biased.to_be_bytes());
        out.extend(n.digits());
    }
    out.into_boxed_slice()
}

/// `a + b`, checked against DynamoDB's limits, in canonical form.
pub(crate) fn add(a: &str, b: &str) -> Result<String, Error> {
    let sum = (parse(a)? + parse(b)?).normalized();
    check_range(&sum)?;
    Ok(format(&sum))
}

/// `a - b`, checked against DynamoDB's limits, in canonical form.
pub(crate) fn sub(a: &str, b: &str) -> Result<String, Error> {
    let diff = (parse(a)? - parse(b)?).normalized();
    check_range(&diff)?;
    Ok(format(&diff))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("1").unwrap(), None);
        assert_eq!(canonical("-15").unwrap(), None);
        assert_eq!(canonical("0").unwrap(), None);
        assert_eq!(canonical("1.0").unwrap(), Some("1".into()));
        assert_eq!(canonical("-0").unwrap(), Some("0".into()));
        assert_eq!(canonical("007").unwrap(), Some("7".into()));
        assert_eq!(canonical("1e2").unwrap(), Some("100".into()));
        assert_eq!(canonical("1.50").unwrap(), Some("1.5".into()));
        assert_eq!(canonical("-0.0012").unwrap(), None);
        assert_eq!(canonical(".5").unwrap(), Some("0.5".into()));
    }

    #[test]
    fn limits() {
        let d38 = "1".repeat(38);
        assert_eq!(canonical(&d38).unwrap(), None);
        assert!(matches!(canonical(&"1".repeat(39)), Err(Error::Validation(m)) if m.contains("38 significant")));
        assert!(canonical("9.9999999999999999999999999999999999999E+125").is_ok());
        assert!(matches!(canonical("1E+126"), Err(Error::Validation(m)) if m.contains("overflow")));
        assert!(canonical("1E-130").is_ok());
        assert!(matches!(canonical("1E-131"), Err(Error::Validation(m)) if m.contains("underflow")));
        for bad in ["", "abc", "1.2.3", "--1", "NaN", "Infinity", " 1", "e5"] {
            assert!(matches!(canonical(bad), Err(Error::Validation(_))), "{bad:?}");
        }
    }

    #[test]
    fn numeric_order() {
        assert_eq!(compare("1", "1.0"), Ordering::Equal);
        assert_eq!(compare("2", "10"), Ordering::Less);
        assert_eq!(compare("-2", "-10"), Ordering::Greater);
        assert_eq!(compare("-1", "0"), Ordering::Less);
        assert_eq!(compare("0.5", "0.25"), Ordering::Greater);
        assert_eq!(compare("1e2", "99.9"), Ordering::Greater);
    }

    /// Numbers in increasing order, with equal values in one group: the
    /// order DynamoDB Local 3.3 gives them as range keys (the conformance
    /// test `number_range_keys_sort_as_dynamodb_orders_them_...` checks most
    /// of them on both backends).
    fn ascending() -> Vec<Vec<String>> {
        let nines = "9".repeat(38);
        let ones = "1".repeat(38);
        [
            vec![format!("-{nines}{}", "0".repeat(88))],
            vec!["-1E+125".into(), format!("-1{}", "0".repeat(125))],
            vec![format!("-{ones}")],
            vec!["-1000".into(), "-1e3".into(), "-1000.000".into()],
            vec!["-123".into()],
            vec!["-12.5".into()],
            vec!["-12".into(), "-12.0".into()],
            vec!["-11.99".into()],
            vec!["-2".into()],
            vec!["-1.5".into()],
            vec!["-1".into(), "-1.".into(), "-10e-1".into()],
            vec!["-0.5".into(), "-.5".into()],
            vec!["-0.12".into()],
            vec!["-0.1".into()],
            vec![format!("-0.{}1", "0".repeat(129))],
            vec![
                "0".into(),
                "-0".into(),
                "0.000".into(),
                "0e5".into(),
                "-0e-5".into(),
                "+0".into(),
            ],
            vec![format!("0.{}1", "0".repeat(129)), "1E-130".into()],
            vec![format!("0.{}12", "0".repeat(90))],
            vec!["0.01".into()],
            vec!["0.0999".into()],
            vec!["0.1".into(), ".1".into(), "1e-1".into()],
            vec!["0.1000001".into()],
            vec!["0.12".into()],
            vec!["0.5".into()],
            vec!["1".into(), "1.0".into(), "+1".into(), "0.1e1".into()],
            vec![format!("1.{}1", "0".repeat(36))],
            vec!["1.5".into()],
            vec!["2".into()],
            vec!["9.99".into()],
            vec!["10".into(), "1e1".into()],
            vec!["11".into()],
            vec!["12".into()],
            vec!["12.5".into()],
            vec!["99".into()],
            vec!["100".into()],
            vec![ones.clone()],
            vec![nines.clone()],
            vec![format!("1{}", "0".repeat(38))],
            vec!["1E+125".into()],
            vec![
                format!("{nines}{}", "0".repeat(88)),
                format!("9.{}E+125", "9".repeat(37)),
            ],
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn the_byte_form_of_numbers_orders_them_as_dynamodb_does_negatives_zero_fractions_38_digits_exponents() {
        let groups = ascending();
        for (i, a_group) in groups.iter().enumerate() {
            for (j, b_group) in groups.iter().enumerate() {
                for a in a_group {
                    for b in b_group {
                        let expected = i.cmp(&j);
                        assert_eq!(order_bytes(a).cmp(&order_bytes(b)), expected, "{a} vs {b}");
                        assert_eq!(compare(a, b), expected, "compare({a}, {b})");
                    }
                }
            }
        }
    }

    #[test]
    fn the_byte_form_of_a_few_numbers_is_exactly_the_class_the_exponent_and_the_digits() {
        assert_eq!(&*order_bytes("0"), &[2]);
        assert_eq!(&*order_bytes("-0.0"), &[2]);
        assert_eq!(&*order_bytes("12.5"), &[3, 0x80, 2, b'1', b'2', b'5']);
        assert_eq!(&*order_bytes("0.05"), &[3, 0x7f, 0xff, b'5']);
        assert_eq!(&*order_bytes("-12"), &[1, !0x80, !2, !b'1', !b'2', 0xff]);
        // Not numbers DynamoDB takes: after every number, equal to none.
        assert_eq!(&*order_bytes("abc"), &[4, b'a', b'b', b'c']);
        assert_eq!(&order_bytes(&"1".repeat(39))[..2], &[4, b'1']);
        assert_eq!(&*order_bytes("1E+126"), &[4, b'1', b'E', b'+', b'1', b'2', b'6']);
    }

    proptest::proptest! {
        /// Any two numbers DynamoDB accepts (up to 38 digits, any sign and
        /// exponent in range, written with or without a point or exponent)
        /// compare bytewise as they compare as decimals.
        #[test]
        fn the_byte_form_orders_as_the_decimal_comparison(
            a in "-?[0-9]{1,20}(\\.[0-9]{1,18})?(e-?[0-9]{1,2})?",
            b in "-?[0-9]{1,20}(\\.[0-9]{1,18})?(e-?[0-9]{1,2})?",
        ) {
            let (x, y) = (parse(&a), parse(&b));
            proptest::prop_assume!(x.is_ok() && y.is_ok());
            let (x, y) = (x.unwrap(), y.unwrap());
            proptest::prop_assert_eq!(order_bytes(&a).cmp(&order_bytes(&b)), x.cmp(&y), "{} vs {}", a, b);
            // The canonical form has the same bytes.
            proptest::prop_assert_eq!(order_bytes(&format(&x)), order_bytes(&a));
        }
    }

    #[test]
    fn arithmetic() {
        assert_eq!(add("1", "2").unwrap(), "3");
        assert_eq!(add("0.1", "0.2").unwrap(), "0.3");
        assert_eq!(sub("1", "1.5").unwrap(), "-0.5");
        let big = "9".repeat(38);
        assert_eq!(add(&big, "1").unwrap(), format!("1{}", "0".repeat(38)));
        assert!(matches!(add(&big, "0.1"), Err(Error::Validation(_))));
    }

    fn message(r: Result<Option<String>, Error>) -> String {
        match r {
            Err(Error::Validation(m)) => m.into(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    const PRECISION: &str = "Attempting to store more than 38 significant digits in a Number";
    const OVERFLOW: &str = "Number overflow. Attempting to store a number with magnitude larger than supported range";
    const UNDERFLOW: &str =
        "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    /// Each case as DynamoDB Local 3.3.1 stored or refused it.
    #[test]
    fn significant_digits_are_counted_as_dynamodb_local_counts_them() {
        let ones = |n: usize| "1".repeat(n);
        let accepted = [
            (format!("0.{}1", "0".repeat(50)), format!("0.{}1", "0".repeat(50))),
            (format!("1{}", "0".repeat(40)), format!("1{}", "0".repeat(40))),
            ("1e5".to_string(), "100000".to_string()),
            (format!("{}00000", ones(38)), format!("{}00000", ones(38))),
            (format!("{}.0000", ones(38)), ones(38)),
            (format!("000{}", ones(38)), ones(38)),
            (
                format!("{}.{}", ones(19), ones(19)),
                format!("{}.{}", ones(19), ones(19)),
            ),
            (format!("{}e2", ones(38)), format!("{}00", ones(38))),
            ("1.".to_string(), "1".to_string()),
            ("+1".to_string(), "1".to_string()),
            ("0".repeat(50), "0".to_string()),
            (format!("0.{}", "0".repeat(47)), "0".to_string()),
            ("1e+0000125".to_string(), format!("1{}", "0".repeat(125))),
        ];
        for (input, stored) in accepted {
            assert_eq!(
                canonical(&input).unwrap().unwrap_or_else(|| input.clone()),
                stored,
                "{input}"
            );
        }
        for refused in [
            ones(39),
            format!("0.{}", ones(39)),
            format!("{}.{}", ones(19), ones(20)),
            format!("{}e2", ones(39)),
            format!("{}01", ones(37)),
            format!("-{}", ones(39)),
            format!("1{}1{}", "0".repeat(37), "0".repeat(50)),
            format!("{}e-200", ones(39)),
        ] {
            assert_eq!(message(canonical(&refused)), PRECISION, "{refused}");
        }
        for not_a_number in [
            "1e", "-", "1e+1e", "1.2.3", " 1", "1 ", "0x10", "1_000", ".", "e5", "1e2.5",
        ] {
            assert_eq!(
                message(canonical(not_a_number)),
                format!("The parameter cannot be converted to a numeric value: {not_a_number}"),
            );
        }
    }

    /// Java's `BigDecimal` takes 32-bit exponents and scales; DynamoDB Local
    /// refuses anything past them as not a number.
    #[test]
    fn exponents_beyond_32_bits_are_not_numbers() {
        assert_eq!(message(canonical("1e2147483647")), OVERFLOW);
        assert_eq!(message(canonical("1e+0002147483647")), OVERFLOW);
        assert_eq!(canonical("0e2147483647").unwrap(), Some("0".into()));
        for bad in [
            "1e2147483648",
            "0e2147483648",
            "0.1e2147483648",
            "1e-2147483648",
            "1e-2147483649",
            "1e99999999999999999999",
        ] {
            assert_eq!(
                message(canonical(bad)),
                format!("The parameter cannot be converted to a numeric value: {bad}"),
            );
        }
    }

    /// The scan alone refuses a number of millions of digits, before a
    /// `BigDecimal` exists (whose parsing costs the square of the length):
    /// its check sees only counts and exponents.
    #[test]
    fn a_two_million_digit_number_is_refused_by_the_linear_scan_before_any_decimal_is_built() {
        let long = "7".repeat(2_000_000);
        let scanned = rule::scan(&long).unwrap();
        assert_eq!((scanned.significant_digits(), scanned.last_exponent()), (2_000_000, 0));
        assert_eq!(scanned.check(), Err(rule::NumberError::Precision));
        // Long runs of insignificant zeros: one digit, out of range either way.
        let zeros = "0".repeat(200_000);
        assert_eq!(message(canonical(&format!("1{zeros}"))), OVERFLOW);
        assert_eq!(message(canonical(&format!("0.{zeros}1"))), UNDERFLOW);
        assert_eq!(canonical(&zeros).unwrap(), Some("0".into()));
        assert_eq!(message(add(&long[..200_000], "1").map(Some)), PRECISION);
        assert_eq!(compare(&long[..200_000], "1"), Ordering::Greater);
    }
}
