//! Values compared as DynamoDB compares them (numbers numerically, sets
//! regardless of order), and numbers rewritten in canonical form.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashSet;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::number;
use crate::Error;

pub(super) fn numbers_equal(a: &str, b: &str) -> bool {
    a == b || number::compare(a, b) == Ordering::Equal
}

/// Canonical form of a number string (the input when it is invalid; callers
/// that must reject invalid numbers use [`canonical_number`]).
pub(super) fn canonical_or_same(s: &str) -> Cow<'_, str> {
    match number::canonical(s) {
        Ok(Some(c)) => Cow::Owned(c),
        _ => Cow::Borrowed(s),
    }
}

pub(super) fn canonical_number(s: &str) -> Result<String, Error> {
    Ok(number::canonical(s)?.unwrap_or_else(|| s.to_string()))
}

/// Rewrites every number inside `value` into canonical form.
pub(super) fn canonicalize(value: &mut AttributeValue) -> Result<(), Error> {
    match value {
        AttributeValue::N(n) => {
            if let Some(c) = number::canonical(n)? {
                *n = c;
            }
        }
        AttributeValue::Ns(ns) => {
            for n in ns.iter_mut() {
                if let Some(c) = number::canonical(n)? {
                    *n = c;
                }
            }
        }
        AttributeValue::L(list) => {
            for v in list.iter_mut() {
                canonicalize(v)?;
            }
        }
        AttributeValue::M(map) => {
            for v in map.values_mut() {
                canonicalize(v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn canonicalized(value: &AttributeValue) -> Result<AttributeValue, Error> {
    let mut value = value.clone();
    canonicalize(&mut value)?;
    Ok(value)
}

/// Set equality with a per-element equality, for sets without duplicates.
pub(super) fn same_elements<T, F: Fn(&T, &T) -> bool>(a: &[T], b: &[T], eq: F) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| eq(x, y)))
}

/// Above this many elements, set comparisons hash instead of scanning.
pub(super) const SMALL_SET: usize = 16;

/// DynamoDB's equality of values (numbers numerically, sets regardless of
/// order, lists and maps deeply).
pub(crate) fn values_equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (a, b) {
        (V::S(x), V::S(y)) => x == y,
        (V::N(x), V::N(y)) => numbers_equal(x, y),
        (V::B(x), V::B(y)) => x == y,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Null(_), V::Null(_)) => true,
        (V::Ss(x), V::Ss(y)) => {
            if x.len() > SMALL_SET && x.len() == y.len() {
                let set: HashSet<&str> = y.iter().map(String::as_str).collect();
                x.iter().all(|e| set.contains(e.as_str()))
            } else {
                same_elements(x, y, |p, q| p == q)
            }
        }
        (V::Ns(x), V::Ns(y)) => {
            if x.len() > SMALL_SET && x.len() == y.len() {
                let set: HashSet<Cow<'_, str>> = y.iter().map(|e| canonical_or_same(e)).collect();
                x.iter().all(|e| set.contains(&canonical_or_same(e)))
            } else {
                same_elements(x, y, |p, q| numbers_equal(p, q))
            }
        }
        (V::Bs(x), V::Bs(y)) => {
            if x.len() > SMALL_SET && x.len() == y.len() {
                let set: HashSet<&Blob> = y.iter().collect();
                x.iter().all(|e| set.contains(e))
            } else {
                same_elements(x, y, |p, q| p == q)
            }
        }
        (V::L(x), V::L(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q)),
        (V::M(x), V::M(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w))),
        _ => false,
    }
}

/// The order of two values of the same scalar type S, N or B (strings and
/// binary bytewise, numbers numerically); `None` for anything else.
pub(super) fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (AttributeValue::N(x), AttributeValue::N(y)) => Some(number::compare(x, y)),
        (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.as_ref().cmp(y.as_ref())),
        _ => None,
    }
}

/// `size()`: string length (UTF-16 code units, as DynamoDB's Java strings
/// count), binary length in bytes, element count of sets, lists and maps;
/// `None` for numbers, booleans and nulls.
pub(super) fn size_of(value: &AttributeValue) -> Option<usize> {
    match value {
        AttributeValue::S(s) => Some(s.encode_utf16().count()),
        AttributeValue::B(b) => Some(b.as_ref().len()),
        AttributeValue::Ss(v) => Some(v.len()),
        AttributeValue::Ns(v) => Some(v.len()),
        AttributeValue::Bs(v) => Some(v.len()),
        AttributeValue::L(v) => Some(v.len()),
        AttributeValue::M(v) => Some(v.len()),
        _ => None,
    }
}
