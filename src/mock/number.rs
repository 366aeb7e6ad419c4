//! DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to
//! below 1E+126, compared numerically (`1.0` = `1`), stored in canonical form.

use std::cmp::Ordering;

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::{BigInt, Sign};

use crate::Error;

/// The most significant digits a DynamoDB number may have.
pub const MAX_DIGITS: u64 = 38;

/// True for strings already in canonical form that need no decimal parsing:
/// `0` or an optional `-` and 1..=38 digits without a leading zero.
fn is_plain_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let b = digits.as_bytes();
    if b.is_empty() || b.len() > MAX_DIGITS as usize || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if b[0] == b'0' {
        // "0" is canonical, "-0" and "007" are not.
        return b.len() == 1 && digits.len() == s.len();
    }
    true
}

/// What one linear pass over a number string finds, before any decimal
/// arithmetic: the significant digits (first to last non-zero digit of the
/// mantissa) and the power of ten of the last of them.
#[derive(Debug, PartialEq, Eq)]
struct Scanned<'a> {
    negative: bool,
    /// The significant digits, as written (they may enclose a `.`), empty for zero.
    digits: &'a [u8],
    /// How many digits `digits` holds (without the `.`).
    count: u64,
    /// The value is `digits * 10^last_exponent`.
    last_exponent: i64,
}

/// Reads a number in one pass, in time linear in its length: an optional sign,
/// digits with at most one `.` (at least one digit), an optional exponent of
/// an optional sign and digits. As Java's `BigDecimal`, which DynamoDB uses,
/// the exponent and the resulting scale must fit in 32 bits. `None` when the
/// string is not a number.
fn scan(s: &str) -> Option<Scanned<'_>> {
    let b = s.as_bytes();
    let (negative, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let (mut first, mut last) = (None::<usize>, 0usize);
    let (mut digits, mut point, mut frac_digits) = (0u64, false, 0u64);
    // Digits of the mantissa up to and including the last significant one.
    let mut digits_to_last = 0u64;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if point {
                    frac_digits += 1;
                }
                if c != b'0' {
                    first.get_or_insert(i);
                    last = i;
                    digits_to_last = digits;
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let mut exponent = 0i64;
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let minus = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            exponent = exponent * 10 + i64::from(c - b'0');
            // Past 32 bits: not a number to Java, and no overflow here.
            if exponent > i64::from(i32::MAX) + 1 {
                return None;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        if minus {
            exponent = -exponent;
        }
        if exponent < i64::from(i32::MIN) || exponent > i64::from(i32::MAX) {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    // Java's scale: fraction digits minus the exponent, in 32 bits.
    let scale = frac_digits as i64 - exponent;
    if scale < i64::from(i32::MIN) || scale > i64::from(i32::MAX) {
        return None;
    }
    let Some(first) = first else {
        return Some(Scanned {
            negative,
            digits: &[],
            count: 0,
            last_exponent: 0,
        });
    };
    let run = &b[first..=last];
    let count = run.iter().filter(|c| c.is_ascii_digit()).count() as u64;
    // The last significant digit is digit number `digits_to_last` of the
    // mantissa; its power of ten counts down from the point.
    let int_digits = digits - frac_digits;
    let last_exponent = int_digits as i64 - digits_to_last as i64 + exponent;
    Some(Scanned {
        negative,
        digits: run,
        count,
        last_exponent,
    })
}

/// Parses and checks a number as DynamoDB does, returning its normalized value.
///
/// Characters, significant digits and magnitude are checked in one linear
/// pass ([`scan`]) before any decimal arithmetic, so that a number of
/// millions of digits costs about as much to refuse as to read: only the
/// at most [`MAX_DIGITS`] significant digits ever become a `BigDecimal`.
pub fn parse(s: &str) -> Result<BigDecimal, Error> {
    let scanned = scan(s).ok_or_else(|| {
        Error::Validation(format!("The parameter cannot be converted to a numeric value: {s}").into())
    })?;
    check_scanned(&scanned)?;
    if scanned.count == 0 {
        return Ok(BigDecimal::new(BigInt::from(0), 0));
    }
    // At most 38 digits: below 10^38, within a u128.
    let magnitude = scanned
        .digits
        .iter()
        .filter(|c| c.is_ascii_digit())
        .fold(0u128, |n, &c| n * 10 + u128::from(c - b'0'));
    let int = BigInt::from(magnitude);
    Ok(BigDecimal::new(
        if scanned.negative { -int } else { int },
        -scanned.last_exponent,
    ))
}

/// DynamoDB's precision and magnitude limits on a scanned number.
fn check_scanned(n: &Scanned<'_>) -> Result<(), Error> {
    if n.count == 0 {
        return Ok(());
    }
    check_limits(n.count, n.last_exponent + n.count as i64 - 1)
}

/// DynamoDB's limits on a non-zero number of `digits` significant digits
/// whose first digit has the power of ten `exponent`.
fn check_limits(digits: u64, exponent: i64) -> Result<(), Error> {
    if digits > MAX_DIGITS {
        return Err(Error::Validation(
            "Attempting to store more than 38 significant digits in a Number".into(),
        ));
    }
    if exponent >= 126 {
        return Err(Error::Validation(
            "Number overflow. Attempting to store a number with magnitude larger than supported range".into(),
        ));
    }
    if exponent < -130 {
        return Err(Error::Validation(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range".into(),
        ));
    }
    Ok(())
}

/// Checks precision and magnitude of a normalized value.
pub fn check_range(value: &BigDecimal) -> Result<(), Error> {
    let (int, scale) = value.as_bigint_and_exponent();
    if int.sign() == Sign::NoSign {
        return Ok(());
    }
    let digits = value.digits();
    // value = int * 10^-scale; its decimal exponent is digits - 1 - scale.
    check_limits(digits, digits as i64 - 1 - scale)
}

/// Formats a normalized value the way DynamoDB returns numbers: plain
/// notation, no trailing zeros, no `+`, `0` for zero.
pub fn format(value: &BigDecimal) -> String {
    let (int, scale) = value.as_bigint_and_exponent();
    if int.sign() == Sign::NoSign {
        return "0".into();
    }
    let negative = int.sign() == Sign::Minus;
    let digits = int.magnitude().to_string();
    let mut out = String::with_capacity(digits.len() + scale.unsigned_abs() as usize + 3);
    if negative {
        out.push('-');
    }
    if scale <= 0 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', scale.unsigned_abs() as usize));
    } else {
        let scale = scale as usize;
        if digits.len() > scale {
            let (a, b) = digits.split_at(digits.len() - scale);
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
    }
    out
}

/// Validates a number string and returns its canonical form, or `None` when
/// the string already is canonical (the common case, which costs no parse).
pub fn canonical(s: &str) -> Result<Option<String>, Error> {
    if is_plain_integer(s) {
        return Ok(None);
    }
    let formatted = format(&parse(s)?);
    Ok(if formatted == s { None } else { Some(formatted) })
}

/// Compares two valid number strings numerically.
pub fn compare(a: &str, b: &str) -> Ordering {
    if is_plain_integer(a) && is_plain_integer(b) {
        return compare_plain(a, b);
    }
    match (parse(a), parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        // Unreachable for stored values, which were validated on the way in.
        _ => a.cmp(b),
    }
}

fn compare_plain(a: &str, b: &str) -> Ordering {
    let (na, da) = a.strip_prefix('-').map_or((false, a), |d| (true, d));
    let (nb, db) = b.strip_prefix('-').map_or((false, b), |d| (true, d));
    match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => da.len().cmp(&db.len()).then_with(|| da.cmp(db)),
        (true, true) => db.len().cmp(&da.len()).then_with(|| db.cmp(da)),
    }
}

/// `a + b`, checked against DynamoDB's limits, in canonical form.
pub fn add(a: &str, b: &str) -> Result<String, Error> {
    let sum = (parse(a)? + parse(b)?).normalized();
    check_range(&sum)?;
    Ok(format(&sum))
}

/// `a - b`, checked against DynamoDB's limits, in canonical form.
pub fn sub(a: &str, b: &str) -> Result<String, Error> {
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
    /// `check_scanned` sees only counts and exponents.
    #[test]
    fn a_two_million_digit_number_is_refused_by_the_linear_scan_before_any_decimal_is_built() {
        let long = "7".repeat(2_000_000);
        let scanned = scan(&long).unwrap();
        assert_eq!((scanned.count, scanned.last_exponent), (2_000_000, 0));
        assert_eq!(message(check_scanned(&scanned).map(|()| None)), PRECISION);
        // Long runs of insignificant zeros: one digit, out of range either way.
        let zeros = "0".repeat(200_000);
        assert_eq!(message(canonical(&format!("1{zeros}"))), OVERFLOW);
        assert_eq!(message(canonical(&format!("0.{zeros}1"))), UNDERFLOW);
        assert_eq!(canonical(&zeros).unwrap(), Some("0".into()));
        assert_eq!(message(add(&long[..200_000], "1").map(Some)), PRECISION);
        assert_eq!(compare(&long[..200_000], "1"), Ordering::Greater);
    }
}
