//! One request's `ExpressionAttributeNames` and `ExpressionAttributeValues`:
//! their own checks, the resolution of `#name` and `:value` placeholders
//! while parsing, and the rejection of placeholders no expression used.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::lexer::is_name_byte;
use crate::Error;

/// Parses the expressions of one request against its
/// `ExpressionAttributeNames` and `ExpressionAttributeValues`, tracking which
/// placeholders the expressions use.
///
/// Typical use: [`check_maps`](Self::check_maps) first (DynamoDB validates the
/// maps before the expressions), then one call per expression parameter, then
/// [`finish`](Self::finish), which rejects unused placeholders.
#[derive(Debug)]
pub(crate) struct ExprContext<'a> {
    names: Option<&'a HashMap<String, String>>,
    values: Option<&'a HashMap<String, AttributeValue>>,
    /// The placeholders used, each once per use (a request uses few, so a
    /// list sorted at the end is cheaper than a set kept up to date).
    used_names: Vec<&'a str>,
    used_values: Vec<&'a str>,
}

impl<'a> ExprContext<'a> {
    /// A context for one request's `ExpressionAttributeNames` and
    /// `ExpressionAttributeValues` (either may be absent).
    pub(crate) fn new(
        names: Option<&'a HashMap<String, String>>,
        values: Option<&'a HashMap<String, AttributeValue>>,
    ) -> Self {
        ExprContext {
            names,
            values,
            used_names: Vec::new(),
            used_values: Vec::new(),
        }
    }

    /// Checks the maps themselves as DynamoDB does before parsing any
    /// expression: a supplied map must not be empty
    /// (`ExpressionAttributeNames must not be empty`) and its keys must be
    /// `#` or `:` followed by letters, digits and underscores
    /// (`ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`).
    ///
    /// [`finish`](Self::finish) runs this check too, but callers should run it
    /// before parsing so that its errors take precedence, as on DynamoDB.
    pub(crate) fn check_maps(&self) -> Result<(), Error> {
        if let Some(names) = self.names {
            check_map(NAMES, names.keys(), b'#')?;
        }
        if let Some(values) = self.values {
            check_map(VALUES, values.keys(), b':')?;
        }
        Ok(())
    }

    /// Ends the request's expression parsing: checks the maps (see
    /// [`check_maps`](Self::check_maps)), then rejects placeholders that no
    /// expression used (`Value provided in ExpressionAttributeNames unused in
    /// expressions: keys: {#n}`, names before values, keys sorted).
    pub(crate) fn finish(mut self) -> Result<(), Error> {
        self.check_maps()?;
        if let Some(names) = self.names {
            check_all_used(NAMES, names.keys(), &mut self.used_names)?;
        }
        if let Some(values) = self.values {
            check_all_used(VALUES, values.keys(), &mut self.used_values)?;
        }
        Ok(())
    }

    pub(super) fn resolve_name(&mut self, key: &str) -> Option<&'a str> {
        let (k, v) = self.names?.get_key_value(key)?;
        self.used_names.push(k.as_str());
        Some(v.as_str())
    }

    pub(super) fn resolve_value(&mut self, key: &str) -> Option<&'a AttributeValue> {
        let (k, v) = self.values?.get_key_value(key)?;
        self.used_values.push(k.as_str());
        Some(v)
    }
}

/// The request parameters that hold the placeholders, as messages name them.
const NAMES: &str = "ExpressionAttributeNames";
const VALUES: &str = "ExpressionAttributeValues";

/// A placeholder map (`param` names it) must not be empty, and each key must
/// be `sigil` followed by letters, digits and underscores; the first bad key
/// in byte order is reported.
fn check_map<'k>(param: &str, keys: impl ExactSizeIterator<Item = &'k String>, sigil: u8) -> Result<(), Error> {
    if keys.len() == 0 {
        return Err(Error::Validation(format!("{param} must not be empty").into()));
    }
    let bad = keys
        .filter(|k| {
            let b = k.as_bytes();
            b.len() < 2 || b[0] != sigil || !b[1..].iter().all(|&c| is_name_byte(c))
        })
        .min();
    match bad {
        Some(key) => Err(Error::Validation(
            format!("{param} contains invalid key: Syntax error; key: \"{key}\"").into(),
        )),
        None => Ok(()),
    }
}

/// Every key of a placeholder map (`param` names it) must be in `used`
/// (which this sorts); the unused ones are reported sorted.
fn check_all_used<'k>(param: &str, keys: impl Iterator<Item = &'k String>, used: &mut [&str]) -> Result<(), Error> {
    used.sort_unstable();
    let mut unused: Vec<&str> = keys
        .map(String::as_str)
        .filter(|k| used.binary_search(k).is_err())
        .collect();
    if unused.is_empty() {
        return Ok(());
    }
    unused.sort_unstable();
    Err(Error::Validation(
        format!(
            "Value provided in {param} unused in expressions: keys: {{{}}}",
            unused.join(", ")
        )
        .into(),
    ))
}
