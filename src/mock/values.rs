//! Validation of attribute values on the way in: sets non-empty and without
//! duplicates, numbers valid (and rewritten in canonical form), item size.

use std::collections::HashSet;

use aws_sdk_dynamodb::types::AttributeValue;

use base64::Engine as _;

use super::number;
use super::size::item_size;
use crate::{Error, Item};

/// Standard, padded base64: how DynamoDB shows binary values in messages.
pub(crate) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The largest item DynamoDB stores, in bytes.
pub(crate) const MAX_ITEM_SIZE: usize = 400 * 1024;

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("One or more parameter values were invalid: {msg}").into())
}

fn canonicalize(n: &mut String) -> Result<(), Error> {
    if let Some(c) = number::canonical(n)? {
        *n = c;
    }
    Ok(())
}

fn no_duplicates<'a>(items: impl Iterator<Item = &'a str>, show: &[String]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for s in items {
        if !seen.insert(s) {
            return Err(invalid(format!(
                "Input collection [{}] contains duplicates.",
                show.join(", ")
            )));
        }
    }
    Ok(())
}

/// The most levels of lists and maps a document may have, the item itself
/// counting as one: an attribute's value may nest 31 `L`s and `M`s, a value
/// on its own (in `ExpressionAttributeValues`) 32. Sets do not count.
pub(crate) const MAX_NESTING: usize = 32;

/// DynamoDB's refusal of a value nested deeper than [`MAX_NESTING`] (the
/// updated item's, as UpdateItem words it).
pub(crate) const NESTING_EXCEEDED: &str = "Nesting Levels have exceeded supported limits";

/// The refusal of an item, key or value nested deeper than [`MAX_NESTING`].
pub(crate) fn nesting_error() -> Error {
    Error::Validation(
        format!("{NESTING_EXCEEDED}: Attributes in the item have nested levels beyond supported limit").into(),
    )
}

/// Whether `value` nests at most `levels` lists and maps. It recurses at most
/// `levels + 1` calls deep however deep the value is, so it can come before
/// any other walk of a value (validation, sizes, encoding, evaluation).
pub(crate) fn nests_within(value: &AttributeValue, levels: usize) -> bool {
    match value {
        AttributeValue::L(list) => levels > 0 && list.iter().all(|v| nests_within(v, levels - 1)),
        AttributeValue::M(map) => levels > 0 && map.values().all(|v| nests_within(v, levels - 1)),
        _ => true,
    }
}

/// Whether every attribute of `item` is within [`MAX_NESTING`], the item
/// counting as a level.
pub(crate) fn item_nests_within_limit(item: &Item) -> bool {
    item.values().all(|v| nests_within(v, MAX_NESTING - 1))
}

/// Checks the nesting of an item or a key (see [`MAX_NESTING`]).
pub(crate) fn check_item_nesting(item: &Item) -> Result<(), Error> {
    if item_nests_within_limit(item) {
        Ok(())
    } else {
        Err(nesting_error())
    }
}

/// Checks one value on its own (its nesting first: see [`MAX_NESTING`]) and
/// rewrites its numbers in canonical form.
pub(crate) fn check_value(av: &mut AttributeValue) -> Result<(), Error> {
    if !nests_within(av, MAX_NESTING) {
        return Err(nesting_error());
    }
    check_nested(av)
}

/// Checks a value whose nesting is already known to be bounded.
fn check_nested(av: &mut AttributeValue) -> Result<(), Error> {
    match av {
        AttributeValue::S(_) | AttributeValue::B(_) | AttributeValue::Bool(_) => Ok(()),
        AttributeValue::Null(true) => Ok(()),
        AttributeValue::Null(false) => Err(invalid("Null attribute value types must have the value of true")),
        AttributeValue::N(n) => canonicalize(n),
        AttributeValue::Ss(set) => {
            if set.is_empty() {
                return Err(invalid("An string set  may not be empty"));
            }
            no_duplicates(set.iter().map(String::as_str), set)
        }
        AttributeValue::Ns(set) => {
            if set.is_empty() {
                return Err(invalid("An number set  may not be empty"));
            }
            let shown = set.clone();
            for n in set.iter_mut() {
                canonicalize(n)?;
            }
            no_duplicates(set.iter().map(String::as_str), &shown)
        }
        AttributeValue::Bs(set) => {
            if set.is_empty() {
                return Err(invalid("Binary sets should not be empty"));
            }
            let mut seen = HashSet::new();
            for b in set.iter() {
                if !seen.insert(b.as_ref()) {
                    return Err(invalid("Input collection contains duplicates."));
                }
            }
            Ok(())
        }
        AttributeValue::L(list) => list.iter_mut().try_for_each(check_nested),
        AttributeValue::M(map) => map.values_mut().try_for_each(check_nested),
        _ => Err(Error::Validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".into(),
        )),
    }
}

/// Checks every value of an item (see [`check_value`]), the nesting of all
/// of them before anything else.
pub(crate) fn check_item(item: &mut Item) -> Result<(), Error> {
    check_item_nesting(item)?;
    item.values_mut().try_for_each(check_nested)
}

/// Checks an item's size against DynamoDB's 400 KB limit.
pub(crate) fn check_item_size(item: &Item) -> Result<usize, Error> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::Validation(
            "Item size has exceeded the maximum allowed size".into(),
        ));
    }
    Ok(size)
}

/// Checks the values of an `ExpressionAttributeValues` map.
pub(crate) fn check_expression_values(
    values: &mut std::collections::HashMap<String, AttributeValue>,
) -> Result<(), Error> {
    for (k, v) in values.iter_mut() {
        check_value(v).map_err(|e| expression_value_error(k, e))?;
    }
    Ok(())
}

/// A validation error of the `ExpressionAttributeValues` value at `key`, as
/// DynamoDB words it.
pub(crate) fn expression_value_error(key: &str, e: Error) -> Error {
    match e {
        Error::Validation(m) => {
            Error::Validation(format!("ExpressionAttributeValues contains invalid value: {m} for key {key}").into())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests;
