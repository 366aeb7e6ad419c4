//! Builders of values, items and expression ASTs, for the engine's tests.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Condition, Path, PathElement};
use crate::Item;

pub(crate) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}
pub(crate) fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}
pub(crate) fn b(v: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(v))
}
pub(crate) fn ss(v: &[&str]) -> AttributeValue {
    AttributeValue::Ss(v.iter().map(|x| x.to_string()).collect())
}
pub(crate) fn ns(v: &[&str]) -> AttributeValue {
    AttributeValue::Ns(v.iter().map(|x| x.to_string()).collect())
}
pub(crate) fn bs(v: &[&[u8]]) -> AttributeValue {
    AttributeValue::Bs(v.iter().map(|x| Blob::new(*x)).collect())
}
pub(crate) fn l(v: Vec<AttributeValue>) -> AttributeValue {
    AttributeValue::L(v)
}
pub(crate) fn m(v: Vec<(&str, AttributeValue)>) -> AttributeValue {
    AttributeValue::M(v.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}
pub(crate) fn null() -> AttributeValue {
    AttributeValue::Null(true)
}
pub(crate) fn boolean(v: bool) -> AttributeValue {
    AttributeValue::Bool(v)
}
pub(crate) fn item(v: Vec<(&str, AttributeValue)>) -> Item {
    v.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// `a.b[2].c` → the path (plain names and indexes only).
pub(crate) fn path(text: &str) -> Path {
    let mut elements = Vec::new();
    for part in text.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        elements.push(PathElement::Attr(name.to_string()));
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']').unwrap();
            elements.push(PathElement::Index(stripped[..end].parse().unwrap()));
            rest = &stripped[end + 1..];
        }
    }
    Path { elements }
}

pub(crate) fn and(a: Condition, b: Condition) -> Condition {
    Condition::And(Box::new(a), Box::new(b))
}
pub(crate) fn or(a: Condition, b: Condition) -> Condition {
    Condition::Or(Box::new(a), Box::new(b))
}
pub(crate) fn not(a: Condition) -> Condition {
    Condition::Not(Box::new(a))
}
