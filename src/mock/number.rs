//! The mock's DynamoDB numbers: validation, canonical form, ordering and
//! arithmetic of stored `N` strings, with DynamoDB's errors. The rule itself
//! (syntax, 38 digits, magnitude, canonical form, comparison) is
//! [`crate::vocab::number`]'s; this module answers in [`Error`]s.

use std::cmp::Ordering;

use bigdecimal::BigDecimal;

use crate::Error;
use crate::mock::keys::KeyBytes;
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
pub(crate) fn order_bytes(s: &str) -> KeyBytes {
    let Some(n) = rule::scan(s).filter(|n| n.check().is_ok()) else {
        let bytes: Vec<u8> = [class::NOT_A_NUMBER].iter().chain(s.as_bytes()).copied().collect();
        return KeyBytes::new(&bytes);
    };
    if n.is_zero() {
        return KeyBytes::new(&[class::ZERO]);
    }
    // Checked above: the exponent is within DynamoDB's range (about ±130),
    // far inside 16 bits, and there are at most 38 significant digits, so
    // the bytes (4 + digits) fit a buffer on the stack.
    let e = n.last_exponent() + n.significant_digits() as i64;
    let biased = (e + 0x8000).clamp(0, 0xffff) as u16;
    let mut buf = [0u8; 4 + rule::MAX_DIGITS as usize];
    let mut heap = Vec::new();
    let mut len = 0;
    // The heap only if a number ever had more digits than the buffer holds.
    let mut push = |b: u8| match buf.get_mut(len) {
        Some(slot) if heap.is_empty() => {
            *slot = b;
            len += 1;
        }
        _ => {
            if heap.is_empty() {
                heap.extend_from_slice(&buf[..len]);
            }
            heap.push(b);
        }
    };
    if n.is_negative() {
        push(class::NEGATIVE);
        biased.to_be_bytes().into_iter().for_each(|b| push(!b));
        n.digits().for_each(|d| push(!d));
        push(NEGATIVE_END);
    } else {
        push(class::POSITIVE);
        biased.to_be_bytes().into_iter().for_each(&mut push);
        n.digits().for_each(&mut push);
    }
    if heap.is_empty() {
        KeyBytes::new(&buf[..len])
    } else {
        KeyBytes::new(&heap)
    }
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
mod tests;
