//! UpdateExpressions applied to an item: every operand reads the item as it
//! was before the update, then all writes are applied.

use std::borrow::Cow;
use std::collections::HashSet;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Path, PathElement, SetOperand, SetValue, Update, UpdateAction};
use super::compare::{canonical_number, canonical_or_same, canonicalized};
use super::paths::{get_mut, resolve, resolve_elements};
use super::{number, validation, values};
use crate::{Error, Item};

/// Runtime error: an operand path of an update does not resolve.
const MISSING_ATTRIBUTE: &str = "The provided expression refers to an attribute that does not exist in the item";
/// Runtime error: an operand of `+`, `-`, `list_append`, ADD or DELETE has the wrong type.
const BAD_OPERAND_TYPE: &str = "An operand in the update expression has an incorrect data type";
/// Runtime error: the parent of an update target does not exist or is not a map / list.
const BAD_DOCUMENT_PATH: &str = "The document path provided in the update expression is invalid for update";

/// Where a SET operand's value comes from.
pub(super) enum Src<'a> {
    /// A value of the old item (already canonical).
    Item(&'a AttributeValue),
    /// A literal from the expression (numbers possibly not canonical).
    Literal(&'a AttributeValue),
    /// A computed value (canonical).
    Owned(AttributeValue),
}

impl Src<'_> {
    fn get(&self) -> &AttributeValue {
        match self {
            Src::Item(v) | Src::Literal(v) => v,
            Src::Owned(v) => v,
        }
    }

    fn into_value(self) -> Result<AttributeValue, Error> {
        match self {
            Src::Item(v) => Ok(v.clone()),
            Src::Literal(v) => canonicalized(v),
            Src::Owned(v) => Ok(v),
        }
    }

    fn into_list(self) -> Result<Vec<AttributeValue>, Error> {
        match self.into_value()? {
            AttributeValue::L(list) => Ok(list),
            _ => Err(validation(BAD_OPERAND_TYPE)),
        }
    }
}

pub(super) fn eval_set_operand<'a>(op: &'a SetOperand, item: &'a Item) -> Result<Src<'a>, Error> {
    match op {
        SetOperand::Path(path) => resolve(item, path)
            .map(Src::Item)
            .ok_or_else(|| validation(MISSING_ATTRIBUTE)),
        SetOperand::Value(v) => Ok(Src::Literal(v)),
        SetOperand::IfNotExists(path, fallback) => match resolve(item, path) {
            Some(v) => Ok(Src::Item(v)),
            None => eval_set_operand(fallback, item),
        },
        SetOperand::ListAppend(a, b) => {
            let first = eval_set_operand(a, item)?;
            if !matches!(first.get(), AttributeValue::L(_)) {
                return Err(validation(BAD_OPERAND_TYPE));
            }
            let second = eval_set_operand(b, item)?;
            if !matches!(second.get(), AttributeValue::L(_)) {
                return Err(validation(BAD_OPERAND_TYPE));
            }
            let mut list = first.into_list()?;
            list.extend(second.into_list()?);
            Ok(Src::Owned(AttributeValue::L(list)))
        }
    }
}

pub(super) fn number_operand<'s>(src: &'s Src<'_>) -> Result<&'s str, Error> {
    match src.get() {
        AttributeValue::N(n) => Ok(n),
        _ => Err(validation(BAD_OPERAND_TYPE)),
    }
}

pub(super) fn eval_set_value(value: &SetValue, item: &Item) -> Result<AttributeValue, Error> {
    match value {
        SetValue::Operand(op) => eval_set_operand(op, item)?.into_value(),
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let x = eval_set_operand(a, item)?;
            let x = number_operand(&x)?;
            let y = eval_set_operand(b, item)?;
            let y = number_operand(&y)?;
            let result = if matches!(value, SetValue::Plus(..)) {
                number::add(x, y)?
            } else {
                number::sub(x, y)?
            };
            Ok(AttributeValue::N(result))
        }
    }
}

/// Checks that the parent of `path` exists in `item` and can hold the last
/// element, and returns the current value at `path` (None when absent).
pub(super) fn target<'a>(item: &'a Item, path: &Path) -> Result<Option<&'a AttributeValue>, Error> {
    let bad = || validation(BAD_DOCUMENT_PATH);
    let (last, parents) = path.elements.split_last().ok_or_else(bad)?;
    if parents.is_empty() {
        return match last {
            PathElement::Attr(name) => Ok(item.get(name)),
            PathElement::Index(_) => Err(bad()),
        };
    }
    let parent = resolve_elements(item, parents).ok_or_else(bad)?;
    match (parent, last) {
        (AttributeValue::M(map), PathElement::Attr(key)) => Ok(map.get(key)),
        (AttributeValue::L(list), PathElement::Index(i)) => Ok(list.get(*i)),
        _ => Err(bad()),
    }
}

/// `ADD path value` given the current value at `path`.
pub(super) fn add_value(existing: Option<&AttributeValue>, value: &AttributeValue) -> Result<AttributeValue, Error> {
    use AttributeValue as V;
    match (existing, value) {
        (None, v) => canonicalized(v),
        (Some(V::N(a)), V::N(b)) => Ok(V::N(number::add(a, b)?)),
        (Some(V::Ss(a)), V::Ss(b)) => {
            let mut out = a.clone();
            let mut seen: HashSet<&str> = a.iter().map(String::as_str).collect();
            for e in b {
                if seen.insert(e) {
                    out.push(e.clone());
                }
            }
            Ok(V::Ss(out))
        }
        (Some(V::Ns(a)), V::Ns(b)) => {
            let mut out = a.clone();
            let mut seen: HashSet<String> = a.iter().map(|n| canonical_or_same(n).into_owned()).collect();
            for e in b {
                let e = canonical_number(e)?;
                if seen.insert(e.clone()) {
                    out.push(e);
                }
            }
            Ok(V::Ns(out))
        }
        (Some(V::Bs(a)), V::Bs(b)) => {
            let mut out = a.clone();
            let mut seen: HashSet<&Blob> = a.iter().collect();
            for e in b {
                if seen.insert(e) {
                    out.push(e.clone());
                }
            }
            Ok(V::Bs(out))
        }
        _ => Err(validation(BAD_OPERAND_TYPE)),
    }
}

/// `DELETE path value` given the current value: the remaining set, or None
/// when it became empty.
pub(super) fn delete_value(existing: &AttributeValue, value: &AttributeValue) -> Result<Option<AttributeValue>, Error> {
    use AttributeValue as V;
    let result = match (existing, value) {
        (V::Ss(a), V::Ss(b)) => {
            let remove: HashSet<&str> = b.iter().map(String::as_str).collect();
            V::Ss(a.iter().filter(|e| !remove.contains(e.as_str())).cloned().collect())
        }
        (V::Ns(a), V::Ns(b)) => {
            let remove: HashSet<Cow<'_, str>> = b.iter().map(|n| canonical_or_same(n)).collect();
            V::Ns(
                a.iter()
                    .filter(|e| !remove.contains(&canonical_or_same(e)))
                    .cloned()
                    .collect(),
            )
        }
        (V::Bs(a), V::Bs(b)) => {
            let remove: HashSet<&Blob> = b.iter().collect();
            V::Bs(a.iter().filter(|e| !remove.contains(e)).cloned().collect())
        }
        _ => return Err(validation(BAD_OPERAND_TYPE)),
    };
    let empty = match &result {
        V::Ss(v) | V::Ns(v) => v.is_empty(),
        V::Bs(v) => v.is_empty(),
        _ => false,
    };
    Ok(if empty { None } else { Some(result) })
}

/// The writes an update performs, decided against the old item.
#[derive(Default)]
pub(super) struct Plan<'u> {
    /// Values written at existing positions (map keys, list indices in range).
    puts: Vec<(&'u Path, AttributeValue)>,
    /// Values for list indices past the end: (list path, index, value).
    appends: Vec<(&'u [PathElement], usize, AttributeValue)>,
    /// Paths to remove (all existing in the old item).
    removes: Vec<&'u Path>,
}

impl<'u> Plan<'u> {
    /// Writes `value` at `path`, appending when it is a list index past the end.
    fn place(&mut self, path: &'u Path, existing: Option<&AttributeValue>, value: AttributeValue) {
        match path.elements.split_last() {
            Some((PathElement::Index(i), parent)) if existing.is_none() => self.appends.push((parent, *i, value)),
            _ => self.puts.push((path, value)),
        }
    }
}

pub(super) fn write(item: &mut Item, path: &Path, value: AttributeValue) {
    match path.elements.split_last() {
        Some((PathElement::Attr(name), [])) => {
            item.insert(name.clone(), value);
        }
        Some((last, parent)) => match (get_mut(item, parent), last) {
            (Some(AttributeValue::M(map)), PathElement::Attr(key)) => {
                map.insert(key.clone(), value);
            }
            (Some(AttributeValue::L(list)), PathElement::Index(i)) if *i < list.len() => list[*i] = value,
            _ => {}
        },
        None => {}
    }
}

pub(super) fn remove(item: &mut Item, path: &Path) {
    match path.elements.split_last() {
        Some((PathElement::Attr(name), [])) => {
            item.remove(name);
        }
        Some((last, parent)) => match (get_mut(item, parent), last) {
            (Some(AttributeValue::M(map)), PathElement::Attr(key)) => {
                map.remove(key);
            }
            (Some(AttributeValue::L(list)), PathElement::Index(i)) if *i < list.len() => {
                list.remove(*i);
            }
            _ => {}
        },
        None => {}
    }
}

/// Applies an update to `item` (the old item, or an empty map with just the
/// key for an upsert).
///
/// All operand paths read the item as it was before the update: every SET
/// right-hand side is evaluated first, then each action's target is checked
/// and ADD/DELETE results computed (in action order), and only then is the
/// item modified. On error `item` is left unchanged.
///
/// List semantics: SET (or ADD) on an index past the end appends, several
/// appends to one list in index order; REMOVE of list elements uses the
/// indices of the old list (later elements shift down); REMOVE of an absent
/// attribute or index is a no-op, but a nested target whose parent is absent
/// or not a map/list is an error, as is a SET/ADD/DELETE there.
pub(crate) fn apply_update(update: &Update, item: &mut Item) -> Result<(), Error> {
    let old: &Item = item;
    let mut set_values = Vec::new();
    for action in &update.actions {
        if let UpdateAction::Set(_, value) = action {
            set_values.push(eval_set_value(value, old)?);
        }
    }
    let mut set_values = set_values.into_iter();
    let mut plan = Plan::default();
    for action in &update.actions {
        match action {
            UpdateAction::Set(path, _) => {
                let existing = target(old, path)?;
                let value = set_values.next().expect("one value per SET action");
                plan.place(path, existing, value);
            }
            UpdateAction::Remove(path) => {
                if target(old, path)?.is_some() {
                    plan.removes.push(path);
                }
            }
            UpdateAction::Add(path, value) => {
                let existing = target(old, path)?;
                let new = add_value(existing, value)?;
                plan.place(path, existing, new);
            }
            UpdateAction::Delete(path, value) => {
                if let Some(existing) = target(old, path)? {
                    match delete_value(existing, value)? {
                        Some(rest) => plan.puts.push((path, rest)),
                        None => plan.removes.push(path),
                    }
                }
            }
        }
    }

    for (path, value) in plan.puts {
        write(item, path, value);
    }
    plan.appends.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
    for (parent, _, value) in plan.appends {
        if let Some(AttributeValue::L(list)) = get_mut(item, parent) {
            list.push(value);
        }
    }
    // Highest positions first, so list removals do not shift pending ones.
    plan.removes.sort_by(|a, b| b.elements.cmp(&a.elements));
    for path in plan.removes {
        remove(item, path);
    }
    // A SET can nest a value inside another: the result is checked as any
    // item (a value nested deeper was refused on the way in, so this walk,
    // bounded anyway, is the first that can meet it). Not after legacy
    // AttributeUpdates, as on DynamoDB Local: a value of 32 levels they PUT
    // is stored, one level deeper than a PutItem may write.
    if !update.legacy && !values::item_nests_within_limit(item) {
        return Err(validation(values::NESTING_EXCEEDED));
    }
    Ok(())
}

/// The paths an update writes (SET/REMOVE/ADD/DELETE targets, in action
/// order), for ReturnValues UPDATED_OLD / UPDATED_NEW (project the old or new
/// item onto them with [`project`](super::project)).
pub(crate) fn updated_paths(update: &Update) -> Vec<Path> {
    update
        .actions
        .iter()
        .map(|action| match action {
            UpdateAction::Set(path, _)
            | UpdateAction::Remove(path)
            | UpdateAction::Add(path, _)
            | UpdateAction::Delete(path, _) => path.clone(),
        })
        .collect()
}
