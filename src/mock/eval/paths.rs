//! Document paths resolved in items, for reading and for writing.

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Path, PathElement};
use crate::Item;

/// Resolves a path in an item (None if any step is missing or of the wrong type).
pub(crate) fn resolve<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    resolve_elements(item, &path.elements)
}

pub(super) fn resolve_elements<'a>(item: &'a Item, elements: &[PathElement]) -> Option<&'a AttributeValue> {
    let (first, rest) = elements.split_first()?;
    let PathElement::Attr(name) = first else {
        return None;
    };
    let mut current = item.get(name)?;
    for element in rest {
        current = step(current, element)?;
    }
    Some(current)
}

pub(super) fn step<'a>(value: &'a AttributeValue, element: &PathElement) -> Option<&'a AttributeValue> {
    match (value, element) {
        (AttributeValue::M(map), PathElement::Attr(key)) => map.get(key),
        (AttributeValue::L(list), PathElement::Index(i)) => list.get(*i),
        _ => None,
    }
}

pub(super) fn lookup<'a>(item: Option<&'a Item>, path: &Path) -> Option<&'a AttributeValue> {
    item.and_then(|item| resolve(item, path))
}

/// The value at `elements` (non-empty, starting with an attribute name), mutably.
pub(super) fn get_mut<'a>(item: &'a mut Item, elements: &[PathElement]) -> Option<&'a mut AttributeValue> {
    let (first, rest) = elements.split_first()?;
    let PathElement::Attr(name) = first else {
        return None;
    };
    let mut current = item.get_mut(name)?;
    for element in rest {
        current = match (current, element) {
            (AttributeValue::M(map), PathElement::Attr(key)) => map.get_mut(key)?,
            (AttributeValue::L(list), PathElement::Index(i)) => list.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}
