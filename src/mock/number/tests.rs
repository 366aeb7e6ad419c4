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
const UNDERFLOW: &str = "Number underflow. Attempting to store a number with magnitude smaller than supported range";

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
