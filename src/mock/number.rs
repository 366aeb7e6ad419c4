//! DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to
//! below 1E+126, compared numerically (`1.0` = `1`), stored in canonical form.

use std::cmp::Ordering;
use std::str::FromStr;

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

/// Parses and checks a number as DynamoDB does, returning its normalized value.
pub fn parse(s: &str) -> Result<BigDecimal, Error> {
    let bad = || Error::Validation(format!("The parameter cannot be converted to a numeric value: {s}").into());
    let b = s.as_bytes();
    let ok_chars = !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E'))
        && b.iter().any(u8::is_ascii_digit);
    if !ok_chars {
        return Err(bad());
    }
    let value = BigDecimal::from_str(s).map_err(|_| bad())?.normalized();
    check_range(&value)?;
    Ok(value)
}

/// Checks precision and magnitude of a normalized value.
pub fn check_range(value: &BigDecimal) -> Result<(), Error> {
    let (int, scale) = value.as_bigint_and_exponent();
    if int.sign() == Sign::NoSign {
        return Ok(());
    }
    let digits = value.digits();
    if digits > MAX_DIGITS {
        return Err(Error::Validation(
            "Attempting to store more than 38 significant digits in a Number".into(),
        ));
    }
    // value = int * 10^-scale; its decimal exponent is digits - 1 - scale.
    let exponent = digits as i64 - 1 - scale;
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

/// The zero value, for building numbers from integers in tests and indexes.
pub fn from_i64(v: i64) -> BigDecimal {
    BigDecimal::new(BigInt::from(v), 0)
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
}
