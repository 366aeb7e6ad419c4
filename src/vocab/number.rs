//! DynamoDB numbers, implemented once for the typed API, the mock and the
//! server: the syntax, the limits (at most [`MAX_DIGITS`] significant digits,
//! a magnitude from 1E-130 to below 1E+126), the canonical form DynamoDB
//! returns, and numeric comparison (`1.0` = `1`).
//!
//! Every check starts with [`scan`], one linear pass over the text that finds
//! the sign, the significant digits and their power of ten without any
//! decimal arithmetic, so that a number of millions of digits costs about as
//! much to refuse as to read.

use std::cmp::Ordering;

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::{BigInt, Sign};

use crate::Error;

/// The most significant digits a DynamoDB number may have.
pub const MAX_DIGITS: u64 = 38;

/// The largest power of ten a number's first significant digit may have
/// (numbers are below 1E+126).
pub const MAX_EXPONENT: i64 = 125;

/// The smallest power of ten a number's first significant digit may have
/// (numbers are at least 1E-130 in magnitude).
pub const MIN_EXPONENT: i64 = -130;

/// Exponents are read up to this magnitude and saturate past it: far beyond
/// any exponent DynamoDB (or Java's 32-bit exponents) accepts, and far from
/// overflowing an `i64`.
const EXPONENT_SATURATION: i64 = 1_000_000_000_000;

/// Why DynamoDB refuses a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not DynamoDB's number syntax, or an exponent or scale beyond the 32
    /// bits of Java's `BigDecimal`, which DynamoDB uses.
    NotANumber,
    /// More than [`MAX_DIGITS`] significant digits.
    Precision,
    /// A magnitude of 1E+126 or more.
    Overflow,
    /// A non-zero magnitude below 1E-130.
    Underflow,
}

impl NumberError {
    /// DynamoDB's message for this refusal of the number `input`.
    pub fn message(self, input: &str) -> String {
        match self {
            NumberError::NotANumber => format!("The parameter cannot be converted to a numeric value: {input}"),
            NumberError::Precision => "Attempting to store more than 38 significant digits in a Number".into(),
            NumberError::Overflow => {
                "Number overflow. Attempting to store a number with magnitude larger than supported range".into()
            }
            NumberError::Underflow => {
                "Number underflow. Attempting to store a number with magnitude smaller than supported range".into()
            }
        }
    }

    /// The `ValidationException` DynamoDB answers with for this refusal of
    /// the number `input`.
    #[cold]
    pub fn into_error(self, input: &str) -> Error {
        Error::Validation(self.message(input).into())
    }
}

/// True for strings already in canonical form that need no decimal parsing:
/// `0` or an optional `-` and 1..=38 digits without a leading zero.
#[inline]
pub fn is_plain_integer(s: &str) -> bool {
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

/// What one linear pass over a number's text finds, before any decimal
/// arithmetic: the sign, the significant digits (first to last non-zero digit
/// of the mantissa) and the power of ten of the last of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scanned<'a> {
    /// Negative (never for zero).
    negative: bool,
    /// The significant digits, as written (they may enclose a `.`), empty for zero.
    digits: &'a [u8],
    /// How many digits `digits` holds (without the `.`).
    count: u64,
    /// The value is `digits * 10^last_exponent` (0 for zero).
    last_exponent: i64,
    /// Whether the exponent and the scale fit the 32 bits of Java's `BigDecimal`.
    fits_java: bool,
}

impl Scanned<'_> {
    /// True for zero (in any form: `0`, `-0.00`, `0e5`).
    pub fn is_zero(&self) -> bool {
        self.count == 0
    }

    /// True for a negative number (never for zero).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The number of significant digits (0 for zero).
    pub fn significant_digits(&self) -> u64 {
        self.count
    }

    /// The power of ten of the last significant digit (0 for zero).
    pub fn last_exponent(&self) -> i64 {
        self.last_exponent
    }

    /// The significant digits, as ASCII digits, first to last.
    pub fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.digits.iter().copied().filter(u8::is_ascii_digit)
    }

    /// True when both denote the same value (`1.5` and `15e-1`).
    pub fn same_value(&self, other: &Scanned<'_>) -> bool {
        self.negative == other.negative
            && self.count == other.count
            && self.last_exponent == other.last_exponent
            && self.digits().eq(other.digits())
    }

    /// DynamoDB's limits: precision first, then magnitude.
    pub fn check(&self) -> Result<(), NumberError> {
        if !self.fits_java {
            return Err(NumberError::NotANumber);
        }
        if self.count == 0 {
            return Ok(());
        }
        check_limits(self.count, self.last_exponent + self.count as i64 - 1)
    }
}

/// Reads DynamoDB's number syntax in one pass, in time linear in the text's
/// length: an optional sign, digits with at most one `.` (at least one digit,
/// on either side of it), an optional exponent of `e` or `E`, an optional
/// sign and digits. `None` when the text is not of that form.
///
/// Exponents of any length are read (they saturate far beyond any limit);
/// whether they fit Java's 32 bits is part of [`Scanned::check`].
pub fn scan(s: &str) -> Option<Scanned<'_>> {
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
            if exponent < EXPONENT_SATURATION {
                exponent = exponent * 10 + i64::from(c - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        if minus {
            exponent = -exponent;
        }
    }
    if i != b.len() {
        return None;
    }
    // Java's scale: fraction digits minus the exponent, in 32 bits.
    let scale = frac_digits as i64 - exponent;
    let fits_java = i32::try_from(exponent).is_ok() && i32::try_from(scale).is_ok();
    let Some(first) = first else {
        return Some(Scanned {
            negative: false,
            digits: &[],
            count: 0,
            last_exponent: 0,
            fits_java,
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
        fits_java,
    })
}

/// Scans and checks a number as DynamoDB does.
pub fn check(s: &str) -> Result<Scanned<'_>, NumberError> {
    let scanned = scan(s).ok_or(NumberError::NotANumber)?;
    scanned.check()?;
    Ok(scanned)
}

/// DynamoDB's limits on a non-zero number of `digits` significant digits
/// whose first digit has the power of ten `exponent`.
pub fn check_limits(digits: u64, exponent: i64) -> Result<(), NumberError> {
    if digits > MAX_DIGITS {
        return Err(NumberError::Precision);
    }
    if exponent > MAX_EXPONENT {
        return Err(NumberError::Overflow);
    }
    if exponent < MIN_EXPONENT {
        return Err(NumberError::Underflow);
    }
    Ok(())
}

/// DynamoDB's limits on a decimal value (trailing zeros are not significant).
pub fn check_decimal(value: &BigDecimal) -> Result<(), NumberError> {
    let (int, scale) = value.as_bigint_and_exponent();
    if int.sign() == Sign::NoSign {
        return Ok(());
    }
    let written = value.digits();
    let mut digits = written;
    if digits > MAX_DIGITS {
        digits = value.normalized().digits();
    }
    // value = int * 10^-scale; its first digit's power of ten is
    // digits - 1 - scale, the same before and after normalization.
    check_limits(digits, written as i64 - 1 - scale)
}

/// Parses and checks a number as DynamoDB does, returning its normalized
/// value. Only the at most [`MAX_DIGITS`] significant digits ever become a
/// `BigDecimal`.
pub fn parse(s: &str) -> Result<BigDecimal, NumberError> {
    let scanned = check(s)?;
    if scanned.is_zero() {
        return Ok(BigDecimal::new(BigInt::from(0), 0));
    }
    // At most 38 digits: below 10^38, within a u128.
    let magnitude = scanned.digits().fold(0u128, |n, c| n * 10 + u128::from(c - b'0'));
    let int = BigInt::from(magnitude);
    Ok(BigDecimal::new(
        if scanned.negative { -int } else { int },
        -scanned.last_exponent,
    ))
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

/// Checks a number and returns its canonical form, or `None` when the text
/// already is canonical (the common case, which costs no parse).
#[inline]
pub fn canonical(s: &str) -> Result<Option<String>, NumberError> {
    if is_plain_integer(s) {
        return Ok(None);
    }
    canonical_parsed(s)
}

/// [`canonical`] of a number that is not a plain integer.
fn canonical_parsed(s: &str) -> Result<Option<String>, NumberError> {
    let formatted = format(&parse(s)?);
    Ok(if formatted == s { None } else { Some(formatted) })
}

/// Compares two valid numbers numerically (invalid ones by their text, which
/// stored values never are: they were checked on the way in).
#[inline]
pub fn compare(a: &str, b: &str) -> Ordering {
    if is_plain_integer(a) && is_plain_integer(b) {
        return compare_plain(a, b);
    }
    compare_parsed(a, b)
}

/// [`compare`] of numbers that are not both plain integers.
fn compare_parsed(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Compares two plain integers ([`is_plain_integer`]) by length and digits.
#[inline]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Option<(bool, String, i64)> {
        scan(s).map(|n| (n.is_negative(), n.digits().map(char::from).collect(), n.last_exponent()))
    }

    #[test]
    fn the_scan_finds_the_sign_the_significant_digits_and_the_last_one_s_power_of_ten() {
        assert_eq!(parts("123.4500"), Some((false, "12345".into(), -2)));
        assert_eq!(parts("-0.0012"), Some((true, "12".into(), -4)));
        assert_eq!(parts("+1500e-1"), Some((false, "15".into(), 1)));
        assert_eq!(parts(".5"), Some((false, "5".into(), -1)));
        assert_eq!(parts("1."), Some((false, "1".into(), 0)));
        assert_eq!(parts("1E+3"), Some((false, "1".into(), 3)));
        // Zero is never negative.
        assert_eq!(parts("-0.000"), Some((false, String::new(), 0)));
        for bad in [
            "", "-", ".", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "0x10", "1_000", "--1", "1e2.5", "NaN",
        ] {
            assert_eq!(parts(bad), None, "{bad:?}");
        }
    }

    /// The typed API reads any exponent; DynamoDB (Java's `BigDecimal`)
    /// refuses exponents and scales past 32 bits as not numbers.
    #[test]
    fn exponents_past_32_bits_scan_but_fail_dynamodb_s_check_as_not_a_number() {
        for s in [
            "1e2147483648",
            "0e2147483648",
            "1e-2147483649",
            "1e99999999999999999999",
            "0.1e2147483648",
        ] {
            let scanned = scan(s).expect("the syntax of a number");
            assert_eq!(scanned.check(), Err(NumberError::NotANumber), "{s}");
        }
        // Saturated far beyond any limit, never overflowing.
        assert_eq!(
            scan("1e99999999999999999999").map(|n| n.last_exponent() > 1 << 40),
            Some(true)
        );
        assert_eq!(
            scan("1e-99999999999999999999").map(|n| n.last_exponent() < -(1 << 40)),
            Some(true)
        );
        assert_eq!(check("1e2147483647").map(|_| ()), Err(NumberError::Overflow));
        assert_eq!(check("0e2147483647").map(|n| n.is_zero()), Ok(true));
    }

    #[test]
    fn numbers_of_the_same_value_are_the_same_whatever_their_form() {
        let same = |a: &str, b: &str| scan(a).zip(scan(b)).is_some_and(|(x, y)| x.same_value(&y));
        assert!(same("1.5", "15e-1"));
        assert!(same("1500", "1.5e3"));
        assert!(same("0", "-0.0"));
        assert!(!same("1.5", "-1.5"));
        assert!(!same("1.5", "1.6"));
        assert!(!same("15", "1.5"));
        assert!(!same("1.5", "1.55"));
    }

    #[test]
    fn each_refusal_has_dynamodb_s_message() {
        assert_eq!(
            NumberError::NotANumber.message("1x"),
            "The parameter cannot be converted to a numeric value: 1x"
        );
        assert_eq!(check(&"1".repeat(39)).map(|_| ()), Err(NumberError::Precision),);
        assert_eq!(
            NumberError::Precision.message(""),
            "Attempting to store more than 38 significant digits in a Number"
        );
        assert_eq!(
            NumberError::Overflow.message(""),
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        );
        assert_eq!(
            NumberError::Underflow.message(""),
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        );
        assert_eq!(
            NumberError::Underflow.into_error("1e-131"),
            Error::Validation(NumberError::Underflow.message("").into())
        );
    }

    #[test]
    fn decimals_are_checked_on_their_significant_digits_and_first_digit_s_power() {
        let bd = |s: &str| s.parse::<BigDecimal>().expect("a decimal");
        assert_eq!(check_decimal(&bd("0")), Ok(()));
        // 40 digits written, 38 significant.
        assert_eq!(check_decimal(&bd(&format!("{}00", "1".repeat(38)))), Ok(()));
        assert_eq!(check_decimal(&bd(&"1".repeat(39))), Err(NumberError::Precision));
        assert_eq!(check_decimal(&bd("9.99e125")), Ok(()));
        assert_eq!(check_decimal(&bd("1e126")), Err(NumberError::Overflow));
        assert_eq!(check_decimal(&bd("1e-130")), Ok(()));
        assert_eq!(check_decimal(&bd("-1e-131")), Err(NumberError::Underflow));
        assert_eq!(check_decimal(&bd("1.000e-130")), Ok(()));
    }

    #[test]
    fn plain_integers_compare_without_parsing_as_decimals_do() {
        let cases = [
            ("2", "10"),
            ("-2", "-10"),
            ("-1", "0"),
            ("0", "0"),
            ("99", "100"),
            ("-100", "99"),
        ];
        for (a, b) in cases {
            assert!(is_plain_integer(a) && is_plain_integer(b));
            let slow = parse(a).and_then(|x| parse(b).map(|y| x.cmp(&y)));
            assert_eq!(Ok(compare(a, b)), slow, "{a} {b}");
        }
        for not_plain in ["-0", "007", "1.0", "+1", "1e2", "", "-"] {
            assert!(!is_plain_integer(not_plain), "{not_plain:?}");
        }
    }
}
