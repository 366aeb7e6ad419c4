use super::*;
use proptest::prelude::*;
use serde_json::json;

fn n(s: &str) -> AttributeValue {
    AttributeValue::N(s.into())
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn out_of_range(value: &str, target: &'static str) -> ConvertError {
    ConvertError::out_of_range(value, target)
}

/// Writes `v`, checks the attribute value, reads it back and checks equality.
fn round_trip<T: Attr + PartialEq + fmt::Debug>(v: T, expected: AttributeValue) {
    let av = v.to_attr().unwrap().unwrap();
    assert_eq!(av, expected, "{v:?}");
    assert_eq!(T::from_attr(av).unwrap(), v);
}

#[test]
fn errors_display_with_paths() {
    let e = ConvertError::wrong_type("N", "S").at("zip").at("address");
    assert_eq!(e.path(), "address.zip");
    assert_eq!(e.segments(), ["address", "zip"]);
    assert_eq!(e.to_string(), "attribute address.zip: expected N, found S");
    let e = ConvertError::out_of_range("300", "u8").at("age");
    assert_eq!(e.to_string(), "attribute age: value 300 out of range for u8");
    assert_eq!(
        e.kind(),
        &ConvertErrorKind::OutOfRange {
            value: "300".into(),
            target: "u8"
        }
    );
    assert_eq!(
        ConvertError::missing().at("name").to_string(),
        "attribute name: missing"
    );
    let e = ConvertError::missing().at("name").at("[2]").at("tags");
    assert_eq!(e.path(), "tags[2].name");
    assert_eq!(ConvertError::missing().at("[0]").at("[1]").path(), "[1][0]");
    assert_eq!(ConvertError::wrong_type("S", "N").to_string(), "expected S, found N");
    assert_eq!(ConvertError::wrong_type("S", "N").path(), "");
    assert_eq!(ConvertError::invalid("bad").at("x").to_string(), "attribute x: bad");
    let e: crate::Error = ConvertError::missing().at("name").into();
    assert_eq!(e.code(), "Conversion");
    assert_eq!(e.to_string(), "conversion error: attribute name: missing");
}

#[test]
fn strings_and_bools() {
    round_trip(String::from("héllo"), s("héllo"));
    round_trip(String::new(), s(""));
    round_trip(true, AttributeValue::Bool(true));
    round_trip(false, AttributeValue::Bool(false));
    assert_eq!(String::from_attr(n("1")), Err(ConvertError::wrong_type("S", "N")));
    assert_eq!(bool::from_attr(s("true")), Err(ConvertError::wrong_type("BOOL", "S")));
    assert_eq!(String::absent(), Err(ConvertError::missing()));
    assert_eq!(<String as Attr>::TYPE, "S");
    assert_eq!(<bool as Attr>::TYPE, "BOOL");
}

#[test]
fn integers_round_trip_exactly() {
    macro_rules! check {
        ($($t:ty),*) => {$(
            round_trip(<$t>::MIN, n(&<$t>::MIN.to_string()));
            round_trip(<$t>::MAX, n(&<$t>::MAX.to_string()));
            round_trip(0 as $t, n("0"));
            round_trip(42 as $t, n("42"));
            assert_eq!(<$t as Attr>::TYPE, "N");
        )*};
    }
    check!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
    round_trip(-7i8, n("-7"));
    round_trip(i64::MIN, n("-9223372036854775808"));
    // 38 significant digits, or more digits of which only 38 are significant.
    round_trip(
        99_999_999_999_999_999_999_999_999_999_999_999_999u128,
        n(&"9".repeat(38)),
    );
    round_trip(10u128.pow(38), n(&format!("1{}", "0".repeat(38))));
    round_trip(-(10i128.pow(38)), n(&format!("-1{}", "0".repeat(38))));
    round_trip(0u128, n("0"));
    round_trip(0i128, n("0"));
}

#[test]
fn integers_past_38_digits_are_out_of_range_on_write() {
    assert_eq!(
        u128::MAX.to_attr(),
        Err(out_of_range("340282366920938463463374607431768211455", "N"))
    );
    assert_eq!(
        i128::MIN.to_attr(),
        Err(out_of_range("-170141183460469231731687303715884105728", "N"))
    );
    assert_eq!(
        (10u128.pow(38) + 1).to_attr(),
        Err(out_of_range("100000000000000000000000000000000000001", "N"))
    );
    // Reading is not limited to 38 digits: what fits the type is read.
    assert_eq!(u128::from_attr(n(&u128::MAX.to_string())), Ok(u128::MAX));
    assert_eq!(i128::from_attr(n(&i128::MIN.to_string())), Ok(i128::MIN));
}

#[test]
fn integers_read_any_integral_number() {
    assert_eq!(u8::from_attr(n("1e2")), Ok(100));
    assert_eq!(u8::from_attr(n("1E+2")), Ok(100));
    assert_eq!(i32::from_attr(n("100.0")), Ok(100));
    assert_eq!(i32::from_attr(n("1.50e1")), Ok(15));
    assert_eq!(i32::from_attr(n("1500e-2")), Ok(15));
    assert_eq!(i8::from_attr(n("-1e1")), Ok(-10));
    assert_eq!(i8::from_attr(n("-128.000")), Ok(-128));
    assert_eq!(u8::from_attr(n("-0")), Ok(0));
    assert_eq!(u8::from_attr(n("-0.0e5")), Ok(0));
    assert_eq!(u32::from_attr(n("0.0")), Ok(0));
    assert_eq!(u32::from_attr(n("+7")), Ok(7));
    assert_eq!(u32::from_attr(n("007")), Ok(7));
    assert_eq!(u128::from_attr(n("1e38")), Ok(10u128.pow(38)));
    assert_eq!(i128::from_attr(n("-1.7e38")), Ok(-17 * 10i128.pow(37)));
    assert_eq!(u64::from_attr(n(".5e1")), Ok(5));
    assert_eq!(u64::from_attr(n("5.")), Ok(5));
}

#[test]
fn integers_never_wrap_or_truncate() {
    assert_eq!(u8::from_attr(n("300")), Err(out_of_range("300", "u8")));
    assert_eq!(u8::from_attr(n("256")), Err(out_of_range("256", "u8")));
    assert_eq!(u8::from_attr(n("3e2")), Err(out_of_range("3e2", "u8")));
    assert_eq!(i8::from_attr(n("-129")), Err(out_of_range("-129", "i8")));
    assert_eq!(u32::from_attr(n("-1")), Err(out_of_range("-1", "u32")));
    assert_eq!(i32::from_attr(n("1.5")), Err(out_of_range("1.5", "i32")));
    assert_eq!(i32::from_attr(n("1e-2")), Err(out_of_range("1e-2", "i32")));
    assert_eq!(i64::from_attr(n("1e100")), Err(out_of_range("1e100", "i64")));
    assert_eq!(
        i64::from_attr(n("1e999999999999999999999")),
        Err(out_of_range("1e999999999999999999999", "i64"))
    );
    assert_eq!(u128::from_attr(n("1e39")), Err(out_of_range("1e39", "u128")));
    assert_eq!(usize::from_attr(n("0.000001")), Err(out_of_range("0.000001", "usize")));
    let e = u8::from_attr(n("300")).unwrap_err().at("age");
    assert_eq!(e.to_string(), "attribute age: value 300 out of range for u8");
}

/// The typed API reads DynamoDB's syntax with exponents of any length:
/// past 32 bits (which DynamoDB refuses to store) an integral value is
/// out of range, not "not a number", and a `BigDecimal` is read as is.
#[test]
fn numbers_with_exponents_past_32_bits_read_as_out_of_range_integers_and_exact_decimals() {
    for big in ["1e2147483648", "1e99999999999999999999", "1.5e-2147483649"] {
        assert_eq!(i64::from_attr(n(big)), Err(out_of_range(big, "i64")), "{big}");
    }
    assert_eq!(u8::from_attr(n("0e99999999999999999999")), Ok(0));
    assert_eq!(
        BigDecimal::from_attr(n("1e2147483648")),
        Ok(BigDecimal::new(1.into(), -2_147_483_648))
    );
    assert_eq!(
        BigDecimal::from_attr(n("1.5e-3000000")),
        Ok(BigDecimal::new(15.into(), 3_000_001))
    );
    assert_eq!(
        serde_json::Value::from_attr(n("1e2147483648")),
        Err(out_of_range("1e2147483648", "serde_json::Number"))
    );
    assert_eq!(serde_json::Value::from_attr(n("15e-1")), Ok(serde_json::json!(1.5)));
}

#[test]
fn integers_reject_non_numbers() {
    for bad in [
        "", "abc", "1e", "e5", ".", "-", "1.2.3", "1e5.0", "0x10", " 1", "1 ", "--1", "inf", "NaN",
    ] {
        assert_eq!(
            i64::from_attr(n(bad)),
            Err(ConvertError::invalid(format!("invalid number {bad:?}"))),
            "{bad}"
        );
    }
    assert_eq!(i64::from_attr(s("1")), Err(ConvertError::wrong_type("N", "S")));
    assert_eq!(
        u8::from_attr(AttributeValue::Null(true)),
        Err(ConvertError::wrong_type("N", "NULL"))
    );
}

#[test]
fn floats_round_trip_exactly() {
    round_trip(0.1f64, n("0.1"));
    round_trip(-2.5f64, n("-2.5"));
    round_trip(0.0f64, n("0"));
    round_trip(1.0f64, n("1"));
    round_trip(1.0f64 / 3.0, n("0.3333333333333333"));
    round_trip(1e20f64, n("100000000000000000000"));
    round_trip(1e21f64, n("1E21"));
    round_trip(1.5e-7f64, n("0.00000015"));
    round_trip(1e-8f64, n("1E-8"));
    round_trip(-1.2345e120f64, n("-1.2345E120"));
    round_trip(1e125f64, n("1E125"));
    round_trip(1e-130f64, n("1E-130"));
    round_trip(123456789.125f64, n("123456789.125"));
    round_trip(0.1f32, n("0.1"));
    round_trip(f32::MAX, n("3.4028235E38"));
    round_trip(f32::MIN_POSITIVE, n("1.1754944E-38"));
    round_trip(1e-45f32, n("1E-45"));
    round_trip(16777216f32, n("16777216"));
    let neg_zero = f64::from_attr((-0.0f64).to_attr().unwrap().unwrap()).unwrap();
    assert!(neg_zero == 0.0 && neg_zero.is_sign_negative());
    assert_eq!(<f64 as Attr>::TYPE, "N");
}

#[test]
fn floats_dynamo_cannot_store_are_out_of_range() {
    assert_eq!(f64::NAN.to_attr(), Err(out_of_range("NaN", "N")));
    assert_eq!(f64::INFINITY.to_attr(), Err(out_of_range("inf", "N")));
    assert_eq!(f64::NEG_INFINITY.to_attr(), Err(out_of_range("-inf", "N")));
    assert_eq!(f32::NAN.to_attr(), Err(out_of_range("NaN", "N")));
    assert_eq!(1e300f64.to_attr(), Err(out_of_range("1E300", "N")));
    assert_eq!((-1e126f64).to_attr(), Err(out_of_range("-1E126", "N")));
    assert_eq!(1e-200f64.to_attr(), Err(out_of_range("1E-200", "N")));
    assert_eq!(1e-131f64.to_attr(), Err(out_of_range("1E-131", "N")));
    assert_eq!(f64::MAX.to_attr(), Err(out_of_range("1.7976931348623157E308", "N")));
    assert_eq!(
        f64::MIN_POSITIVE.to_attr(),
        Err(out_of_range("2.2250738585072014E-308", "N"))
    );
}

#[test]
fn floats_read_numbers() {
    assert_eq!(f64::from_attr(n("1e2")), Ok(100.0));
    assert_eq!(f64::from_attr(n("12345678901234567890123")), Ok(1.2345678901234568e22));
    assert_eq!(f32::from_attr(n("0.1")), Ok(0.1f32));
    assert_eq!(f64::from_attr(n("1e400")), Err(out_of_range("1e400", "f64")));
    assert_eq!(f32::from_attr(n("1e39")), Err(out_of_range("1e39", "f32")));
    assert_eq!(f64::from_attr(n("1e-400")), Ok(0.0));
    assert_eq!(
        f64::from_attr(n("abc")),
        Err(ConvertError::invalid("invalid number \"abc\""))
    );
    assert_eq!(
        f64::from_attr(n("inf")),
        Err(ConvertError::invalid("invalid number \"inf\""))
    );
    assert_eq!(
        f64::from_attr(n("NaN")),
        Err(ConvertError::invalid("invalid number \"NaN\""))
    );
    assert_eq!(f64::from_attr(s("1")), Err(ConvertError::wrong_type("N", "S")));
}

proptest! {
    #[test]
    fn any_storable_f64_round_trips(v in any::<f64>()) {
        let magnitude = v.abs();
        match v.to_attr() {
            Ok(Some(AttributeValue::N(text))) => {
                prop_assert!(magnitude == 0.0 || (1e-130..1e126).contains(&magnitude));
                let d = number::scan(&text).unwrap();
                let count = d.significant_digits() as i64;
                prop_assert!(count <= 17);
                prop_assert!(d.is_zero() || (-130..126).contains(&(count - 1 + d.last_exponent())));
                let back = f64::from_attr(AttributeValue::N(text)).unwrap();
                prop_assert_eq!(back.to_bits(), v.to_bits());
            }
            Ok(other) => prop_assert!(false, "{:?}", other),
            Err(e) => prop_assert!(!v.is_finite() || !(1e-130..1e126).contains(&magnitude), "{}", e),
        }
    }

    #[test]
    fn any_f32_round_trips(v in any::<f32>()) {
        if v.is_finite() {
            let av = v.to_attr().unwrap().unwrap();
            prop_assert_eq!(f32::from_attr(av).unwrap().to_bits(), v.to_bits());
        } else {
            prop_assert!(v.to_attr().is_err());
        }
    }

    #[test]
    fn any_integer_round_trips(a in any::<i64>(), b in any::<u64>(), c in any::<i128>()) {
        prop_assert_eq!(i64::from_attr(a.to_attr().unwrap().unwrap()), Ok(a));
        prop_assert_eq!(u64::from_attr(b.to_attr().unwrap().unwrap()), Ok(b));
        prop_assert_eq!(i32::from_attr(n(&a.to_string())).ok(), i32::try_from(a).ok());
        prop_assert_eq!(u16::from_attr(n(&a.to_string())).ok(), u16::try_from(a).ok());
        // Exponent forms read as the same integer.
        prop_assert_eq!(i64::from_attr(n(&format!("{a}0e-1"))), Ok(a));
        prop_assert_eq!(u64::from_attr(n(&format!("{b}.000"))), Ok(b));
        match c.to_attr() {
            Ok(av) => prop_assert_eq!(i128::from_attr(av.unwrap()), Ok(c)),
            Err(_) => prop_assert!(significant_digits(&c.to_string()) > 38),
        }
    }
}

#[test]
fn big_decimals_are_exact() {
    let bd = |s: &str| BigDecimal::from_str(s).unwrap();
    round_trip(bd("123.4500"), n("123.4500"));
    round_trip(bd("-0.00012"), n("-0.00012"));
    round_trip(bd("0"), n("0"));
    round_trip(
        bd("12345678901234567890123456789012345678"),
        n("12345678901234567890123456789012345678"),
    );
    // Trailing zeros are not significant.
    let many_zeros = format!("12345678901234567890123456789012345678{}", "0".repeat(10));
    round_trip(bd(&many_zeros), n(&many_zeros));
    round_trip(bd("1e125"), n("1E+125"));
    round_trip(bd("9.9e125"), n("99E+124"));
    round_trip(bd("1e-130"), n("1E-130"));
    round_trip(bd("0.0000001"), n("1E-7"));
    let v = BigDecimal::from_attr(n("1.000")).unwrap();
    assert_eq!(v.to_string(), "1.000");
    assert_eq!(BigDecimal::from_attr(n("1E+2")), Ok(bd("100")));
    assert_eq!(
        bd("123456789012345678901234567890123456789").to_attr(),
        Err(out_of_range("123456789012345678901234567890123456789", "N"))
    );
    assert_eq!(
        bd("1.23456789012345678901234567890123456789").to_attr(),
        Err(out_of_range("1.23456789012345678901234567890123456789", "N"))
    );
    assert_eq!(bd("1e126").to_attr(), Err(out_of_range("1E+126", "N")));
    assert_eq!(bd("1e-131").to_attr(), Err(out_of_range("1E-131", "N")));
    assert_eq!(
        BigDecimal::from_attr(n("abc")),
        Err(ConvertError::invalid("invalid number \"abc\""))
    );
    assert_eq!(BigDecimal::from_attr(s("1")), Err(ConvertError::wrong_type("N", "S")));
}

#[test]
fn binaries() {
    round_trip(Bytes(vec![1, 2, 3]), AttributeValue::B(Blob::new(vec![1, 2, 3])));
    round_trip(Bytes::default(), AttributeValue::B(Blob::new(vec![])));
    round_trip(Blob::new(vec![0, 255]), AttributeValue::B(Blob::new(vec![0, 255])));
    assert_eq!(Bytes::from_attr(s("x")), Err(ConvertError::wrong_type("B", "S")));
    assert_eq!(Blob::from_attr(n("1")), Err(ConvertError::wrong_type("B", "N")));
    let mut b = Bytes::from(vec![1u8]);
    b.push(2);
    assert_eq!(b.len(), 2);
    assert_eq!(b.as_ref(), &[1, 2]);
    assert_eq!(Vec::from(b.clone()), vec![1, 2]);
    assert_eq!(Bytes::from(&[1u8, 2][..]), b);
    assert_eq!(Bytes::from(Blob::from(b.clone())), b);
    assert_eq!(<Bytes as Attr>::TYPE, "B");
    // A Vec<u8> is a list of numbers.
    round_trip(vec![1u8, 2], AttributeValue::L(vec![n("1"), n("2")]));
}

#[test]
fn options() {
    assert_eq!(None::<i32>.to_attr(), Ok(None));
    round_trip(Some(5i32), n("5"));
    assert_eq!(Option::<i32>::from_attr(AttributeValue::Null(true)), Ok(None));
    assert_eq!(Option::<i32>::absent(), Ok(None));
    assert_eq!(
        Option::<i32>::from_attr(s("x")),
        Err(ConvertError::wrong_type("N", "S"))
    );
    assert_eq!(<Option<String> as Attr>::TYPE, "S");
}

#[test]
fn lists() {
    round_trip(vec![1i32, -2], AttributeValue::L(vec![n("1"), n("-2")]));
    round_trip(Vec::<String>::new(), AttributeValue::L(vec![]));
    round_trip(
        vec![Some("a".to_string()), None],
        AttributeValue::L(vec![s("a"), AttributeValue::Null(true)]),
    );
    round_trip(
        vec![vec![true], vec![]],
        AttributeValue::L(vec![
            AttributeValue::L(vec![AttributeValue::Bool(true)]),
            AttributeValue::L(vec![]),
        ]),
    );
    // Empty sets inside lists are NULL.
    round_trip(
        vec![BTreeSet::<String>::new()],
        AttributeValue::L(vec![AttributeValue::Null(true)]),
    );
    assert_eq!(Vec::<i32>::absent(), Ok(vec![]));
    assert_eq!(Vec::<i32>::from_attr(n("1")), Err(ConvertError::wrong_type("L", "N")));
    let e = Vec::<String>::from_attr(AttributeValue::L(vec![s("a"), s("b"), n("1")])).unwrap_err();
    assert_eq!(e, ConvertError::wrong_type("S", "N").at("[2]"));
    let e = e.at("tags");
    assert_eq!(e.path(), "tags[2]");
    assert_eq!(e.to_string(), "attribute tags[2]: expected S, found N");
    assert_eq!(vec![1.0, f64::NAN].to_attr(), Err(out_of_range("NaN", "N").at("[1]")));
}

#[test]
fn sets() {
    let strings: HashSet<String> = ["a".to_string(), "b".to_string()].into();
    let av = strings.to_attr().unwrap().unwrap();
    let AttributeValue::Ss(mut items) = av.clone() else {
        panic!("{av:?}")
    };
    items.sort();
    assert_eq!(items, ["a", "b"]);
    assert_eq!(HashSet::<String>::from_attr(av), Ok(strings));

    round_trip(
        BTreeSet::from([3i64, -1]),
        AttributeValue::Ns(vec!["-1".into(), "3".into()]),
    );
    round_trip(BTreeSet::from([1u128]), AttributeValue::Ns(vec!["1".into()]));
    round_trip(
        BTreeSet::from([Bytes(vec![1]), Bytes(vec![2])]),
        AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![2])]),
    );
    round_trip(
        HashSet::from([Blob::new(vec![7])]),
        AttributeValue::Bs(vec![Blob::new(vec![7])]),
    );
    round_trip(
        HashSet::from([Bytes(vec![7])]),
        AttributeValue::Bs(vec![Blob::new(vec![7])]),
    );
    assert_eq!(<HashSet<String> as Attr>::TYPE, "SS");
    assert_eq!(<BTreeSet<u8> as Attr>::TYPE, "NS");
    assert_eq!(<HashSet<Bytes> as Attr>::TYPE, "BS");

    // Numbers are read numerically.
    assert_eq!(
        BTreeSet::<u8>::from_attr(AttributeValue::Ns(vec!["1e1".into(), "10".into(), "2".into()])),
        Ok(BTreeSet::from([2, 10]))
    );
    // Empty sets are no attribute; absent attributes are empty sets.
    assert_eq!(HashSet::<String>::new().to_attr(), Ok(None));
    assert_eq!(BTreeSet::<i32>::new().to_attr(), Ok(None));
    assert_eq!(HashSet::<String>::absent(), Ok(HashSet::new()));
    assert_eq!(BTreeSet::<Bytes>::absent(), Ok(BTreeSet::new()));
    assert_eq!(HashSet::<u8>::from_attr(AttributeValue::Null(true)), Ok(HashSet::new()));
    assert_eq!(
        BTreeSet::<u8>::from_attr(AttributeValue::Null(true)),
        Ok(BTreeSet::new())
    );

    let e = BTreeSet::<u8>::from_attr(AttributeValue::Ns(vec!["1".into(), "300".into()])).unwrap_err();
    assert_eq!(e, out_of_range("300", "u8").at("[1]"));
    let e = HashSet::<i32>::from_attr(AttributeValue::Ns(vec!["x".into()])).unwrap_err();
    assert_eq!(e.to_string(), "attribute [0]: invalid number \"x\"");
    assert_eq!(
        BTreeSet::<String>::from_attr(AttributeValue::L(vec![s("a")])),
        Err(ConvertError::wrong_type("SS", "L"))
    );
    assert_eq!(
        HashSet::<i32>::from_attr(AttributeValue::Ss(vec!["1".into()])),
        Err(ConvertError::wrong_type("NS", "SS"))
    );
    assert_eq!(
        HashSet::<Bytes>::from_attr(AttributeValue::B(Blob::new(vec![]))),
        Err(ConvertError::wrong_type("BS", "B"))
    );
    assert_eq!(
        BTreeSet::from([u128::MAX]).to_attr(),
        Err(out_of_range(&u128::MAX.to_string(), "N").at("[0]"))
    );
}

#[test]
fn maps() {
    let m = HashMap::from([("a".to_string(), 1i32), ("b".to_string(), 2)]);
    round_trip(
        m,
        AttributeValue::M(HashMap::from([("a".into(), n("1")), ("b".into(), n("2"))])),
    );
    round_trip(
        BTreeMap::from([("x".to_string(), vec![s("y")])]),
        AttributeValue::M(HashMap::from([("x".into(), AttributeValue::L(vec![s("y")]))])),
    );
    round_trip(HashMap::<String, bool>::new(), AttributeValue::M(HashMap::new()));
    // None values are left out, NULL values read as None.
    let m = BTreeMap::from([("a".to_string(), Some(1u8)), ("b".to_string(), None)]);
    assert_eq!(
        m.to_attr(),
        Ok(Some(AttributeValue::M(HashMap::from([("a".into(), n("1"))]))))
    );
    assert_eq!(
        BTreeMap::<String, Option<u8>>::from_attr(AttributeValue::M(HashMap::from([(
            "b".into(),
            AttributeValue::Null(true)
        )]))),
        Ok(BTreeMap::from([("b".to_string(), None)]))
    );
    assert_eq!(HashMap::<String, i32>::absent(), Ok(HashMap::new()));
    assert_eq!(BTreeMap::<String, i32>::absent(), Ok(BTreeMap::new()));
    assert_eq!(
        BTreeMap::<String, i32>::from_attr(AttributeValue::L(vec![])),
        Err(ConvertError::wrong_type("M", "L"))
    );
    let mut item = Item::from([(
        "address".to_string(),
        AttributeValue::M(HashMap::from([("zip".into(), s("12345"))])),
    )]);
    let e = take_field::<HashMap<String, i32>, _>(&mut item, "address").unwrap_err();
    assert_eq!(e.path(), "address.zip");
    assert_eq!(e.to_string(), "attribute address.zip: expected N, found S");
    let e = BTreeMap::from([("f".to_string(), f64::INFINITY)])
        .to_attr()
        .unwrap_err();
    assert_eq!(e, out_of_range("inf", "N").at("f"));
}

#[test]
fn attribute_values_are_identity() {
    for av in [
        s("x"),
        n("1.50"),
        AttributeValue::Null(true),
        AttributeValue::L(vec![AttributeValue::Ss(vec!["a".into()])]),
    ] {
        round_trip(av.clone(), av);
    }
    assert_eq!(<AttributeValue as Attr>::TYPE, "any");
    assert_eq!(AttributeValue::absent(), Err(ConvertError::missing()));
}

#[test]
fn json_values() {
    let v = json!({
        "null": null,
        "t": true,
        "int": -3,
        "big": u64::MAX,
        "float": 1.5,
        "one": 1.0,
        "small": 1e-7,
        "s": "text",
        "arr": [1, "two", null, [], {}],
        "obj": {"k": {"deep": [0.1]}},
    });
    let av = v.to_attr().unwrap().unwrap();
    let AttributeValue::M(m) = &av else { panic!("{av:?}") };
    assert_eq!(m["null"], AttributeValue::Null(true));
    assert_eq!(m["t"], AttributeValue::Bool(true));
    assert_eq!(m["int"], n("-3"));
    assert_eq!(m["big"], n("18446744073709551615"));
    assert_eq!(m["float"], n("1.5"));
    assert_eq!(m["one"], n("1.0"));
    assert_eq!(m["small"], n("1E-7"));
    assert_eq!(m["s"], s("text"));
    assert_eq!(
        m["arr"],
        AttributeValue::L(vec![
            n("1"),
            s("two"),
            AttributeValue::Null(true),
            AttributeValue::L(vec![]),
            AttributeValue::M(HashMap::new())
        ])
    );
    assert_eq!(serde_json::Value::from_attr(av), Ok(v));
    assert_eq!(<serde_json::Value as Attr>::TYPE, "any");
    assert_eq!(serde_json::Value::absent(), Err(ConvertError::missing()));
}

#[test]
fn json_numbers() {
    let read = |text: &str| serde_json::Value::from_attr(n(text));
    assert_eq!(read("-9223372036854775808"), Ok(json!(i64::MIN)));
    assert_eq!(read("18446744073709551615"), Ok(json!(u64::MAX)));
    assert_eq!(read("0.1"), Ok(json!(0.1)));
    assert_eq!(read("1.0"), Ok(json!(1.0)));
    assert_eq!(read("1e2"), Ok(json!(100.0)));
    assert_eq!(read("100000000000000000000"), Ok(json!(1e20)));
    assert_eq!(read("1E-130"), Ok(json!(1e-130)));
    assert_eq!(
        read("12345678901234567890123"),
        Err(out_of_range("12345678901234567890123", "serde_json::Number"))
    );
    assert_eq!(
        read("0.1000000000000000001"),
        Err(out_of_range("0.1000000000000000001", "serde_json::Number"))
    );
    assert_eq!(read("1e400"), Err(out_of_range("1e400", "serde_json::Number")));
    assert_eq!(read("x"), Err(ConvertError::invalid("invalid number \"x\"")));
    assert_eq!(json!(1e300).to_attr(), Err(out_of_range("1E+300", "N")));
    assert_eq!(
        json!({"a": [1, 1e-200]}).to_attr(),
        Err(out_of_range("1E-200", "N").at("[1]").at("a"))
    );
}

#[test]
fn json_from_sets_and_binaries() {
    assert_eq!(
        serde_json::Value::from_attr(AttributeValue::Ss(vec!["a".into(), "b".into()])),
        Ok(json!(["a", "b"]))
    );
    assert_eq!(
        serde_json::Value::from_attr(AttributeValue::Ns(vec!["1".into(), "2.5".into()])),
        Ok(json!([1, 2.5]))
    );
    assert_eq!(
        serde_json::Value::from_attr(AttributeValue::Ns(vec!["1".into(), "1e999".into()])),
        Err(out_of_range("1e999", "serde_json::Number").at("[1]"))
    );
    let expected = "NULL, BOOL, N, S, L, M, SS or NS";
    assert_eq!(
        serde_json::Value::from_attr(AttributeValue::B(Blob::new(vec![1]))),
        Err(ConvertError::wrong_type(expected, "B"))
    );
    assert_eq!(
        serde_json::Value::from_attr(AttributeValue::Bs(vec![Blob::new(vec![1])])),
        Err(ConvertError::wrong_type(expected, "BS"))
    );
    let e = serde_json::Value::from_attr(AttributeValue::M(HashMap::from([(
        "k".into(),
        AttributeValue::L(vec![AttributeValue::B(Blob::new(vec![]))]),
    )])))
    .unwrap_err();
    assert_eq!(e.path(), "k[0]");
}

#[test]
fn fields() {
    let mut item = Item::new();
    put_field(&mut item, "name", &"Ann".to_string()).unwrap();
    put_field(&mut item, "age", &Some(30u8)).unwrap();
    put_field(&mut item, "nick", &None::<String>).unwrap();
    put_field(&mut item, "tags", &BTreeSet::<String>::new()).unwrap();
    assert_eq!(item, Item::from([("name".into(), s("Ann")), ("age".into(), n("30"))]));
    assert_eq!(
        put_field(&mut item, "score", &f64::NAN),
        Err(out_of_range("NaN", "N").at("score"))
    );
    assert!(!item.contains_key("score"));

    assert_eq!(take_field::<String, _>(&mut item, "name"), Ok("Ann".into()));
    assert!(!item.contains_key("name"));
    assert_eq!(take_field::<Option<String>, _>(&mut item, "nick"), Ok(None));
    assert_eq!(
        take_field::<BTreeSet<String>, _>(&mut item, "tags"),
        Ok(BTreeSet::new())
    );
    assert_eq!(take_field::<Vec<i32>, _>(&mut item, "list"), Ok(vec![]));
    let e = take_field::<String, _>(&mut item, "name").unwrap_err();
    assert_eq!(e, ConvertError::missing().at("name"));
    assert_eq!(e.to_string(), "attribute name: missing");

    item.insert("age".into(), n("300"));
    let e = take_field::<u8, _>(&mut item, "age").unwrap_err();
    assert_eq!(e.to_string(), "attribute age: value 300 out of range for u8");

    assert_eq!(take_field_or(&mut item, "count", || 7u32), Ok(7));
    item.insert("count".into(), n("8"));
    assert_eq!(take_field_or(&mut item, "count", || 7u32), Ok(8));
    item.insert("count".into(), s("8"));
    assert_eq!(
        take_field_or(&mut item, "count", || 7u32),
        Err(ConvertError::wrong_type("N", "S").at("count"))
    );
    assert!(item.is_empty());
}

#[test]
fn type_names() {
    assert_eq!(type_of(&AttributeValue::Bool(true)), "BOOL");
    assert_eq!(type_of(&AttributeValue::Null(true)), "NULL");
    assert_eq!(type_of(&AttributeValue::Bs(vec![])), "BS");
    assert_eq!(type_of(&AttributeValue::Ns(vec![])), "NS");
    assert_eq!(type_of(&AttributeValue::M(HashMap::new())), "M");
}
