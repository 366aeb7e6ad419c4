//! Evaluation of parsed expressions ([`super::ast`]) against items, with
//! DynamoDB's semantics.
//!
//! * [`condition`] evaluates ConditionExpression / FilterExpression /
//!   KeyConditionExpression ASTs, resolving paths by reference (no cloning).
//! * [`validate_condition`] and [`validate_update`] perform the static checks
//!   DynamoDB does before it reads any item.
//! * [`apply_update`] applies an UpdateExpression: every operand reads the item
//!   as it was before the update, then all writes are applied.
//! * [`project`], [`updated_paths`], [`values_equal`] and [`item_size`] are the
//!   helpers the backend needs around them.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{CompareOp, Condition, Operand, Path, PathElement, SetOperand, SetValue, Update, UpdateAction};
use super::number;
use super::values::{self, base64};
use crate::error::Message;
use crate::{Error, Item};

/// Runtime error: an operand path of an update does not resolve.
const MISSING_ATTRIBUTE: &str = "The provided expression refers to an attribute that does not exist in the item";
/// Runtime error: an operand of `+`, `-`, `list_append`, ADD or DELETE has the wrong type.
const BAD_OPERAND_TYPE: &str = "An operand in the update expression has an incorrect data type";
/// Runtime error: the parent of an update target does not exist or is not a map / list.
const BAD_DOCUMENT_PATH: &str = "The document path provided in the update expression is invalid for update";
/// The type names `attribute_type` accepts, in the order DynamoDB lists them.
const VALID_TYPES: &str = "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}";

fn validation(message: impl Into<String>) -> Error {
    Error::Validation(Message::new(message))
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

/// Resolves a path in an item (None if any step is missing or of the wrong type).
pub fn resolve<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    resolve_elements(item, &path.elements)
}

fn resolve_elements<'a>(item: &'a Item, elements: &[PathElement]) -> Option<&'a AttributeValue> {
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

fn step<'a>(value: &'a AttributeValue, element: &PathElement) -> Option<&'a AttributeValue> {
    match (value, element) {
        (AttributeValue::M(map), PathElement::Attr(key)) => map.get(key),
        (AttributeValue::L(list), PathElement::Index(i)) => list.get(*i),
        _ => None,
    }
}

fn lookup<'a>(item: Option<&'a Item>, path: &Path) -> Option<&'a AttributeValue> {
    item.and_then(|item| resolve(item, path))
}

/// The value at `elements` (non-empty, starting with an attribute name), mutably.
fn get_mut<'a>(item: &'a mut Item, elements: &[PathElement]) -> Option<&'a mut AttributeValue> {
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

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// The type names DynamoDB uses in "Incorrect operand type ... operator: ADD".
fn long_type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::L(_) => "LIST",
        AttributeValue::M(_) => "MAP",
        other => crate::convert::type_of(other),
    }
}

fn is_valid_type_name(name: &str) -> bool {
    matches!(name, "S" | "N" | "B" | "NULL" | "SS" | "BOOL" | "L" | "BS" | "NS" | "M")
}

fn numbers_equal(a: &str, b: &str) -> bool {
    a == b || number::compare(a, b) == Ordering::Equal
}

/// Canonical form of a number string (the input when it is invalid; callers
/// that must reject invalid numbers use [`canonical_number`]).
fn canonical_or_same(s: &str) -> Cow<'_, str> {
    match number::canonical(s) {
        Ok(Some(c)) => Cow::Owned(c),
        _ => Cow::Borrowed(s),
    }
}

fn canonical_number(s: &str) -> Result<String, Error> {
    Ok(number::canonical(s)?.unwrap_or_else(|| s.to_string()))
}

/// Rewrites every number inside `value` into canonical form.
fn canonicalize(value: &mut AttributeValue) -> Result<(), Error> {
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

fn canonicalized(value: &AttributeValue) -> Result<AttributeValue, Error> {
    let mut value = value.clone();
    canonicalize(&mut value)?;
    Ok(value)
}

/// Set equality with a per-element equality, for sets without duplicates.
fn same_elements<T, F: Fn(&T, &T) -> bool>(a: &[T], b: &[T], eq: F) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| eq(x, y)))
}

/// Above this many elements, set comparisons hash instead of scanning.
const SMALL_SET: usize = 16;

/// DynamoDB's equality of values (numbers numerically, sets regardless of
/// order, lists and maps deeply).
pub fn values_equal(a: &AttributeValue, b: &AttributeValue) -> bool {
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
fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
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
fn size_of(value: &AttributeValue) -> Option<usize> {
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

// ---------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------

/// The value of a condition operand (`None` when absent).
fn operand<'a>(op: &'a Operand, item: Option<&'a Item>) -> Option<Cow<'a, AttributeValue>> {
    match op {
        Operand::Path(path) => lookup(item, path).map(Cow::Borrowed),
        Operand::Value(value) => Some(Cow::Borrowed(value)),
        Operand::Size(path) => {
            let size = size_of(lookup(item, path)?)?;
            Some(Cow::Owned(AttributeValue::N(size.to_string())))
        }
    }
}

fn compare(op: CompareOp, a: &AttributeValue, b: &AttributeValue) -> bool {
    match op {
        CompareOp::Eq => values_equal(a, b),
        CompareOp::Ne => !values_equal(a, b),
        CompareOp::Lt => order(a, b) == Some(Ordering::Less),
        CompareOp::Le => matches!(order(a, b), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order(a, b) == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(a, b), Some(Ordering::Greater | Ordering::Equal)),
    }
}

fn begins_with(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::S(s), AttributeValue::S(prefix)) => s.starts_with(prefix.as_str()),
        (AttributeValue::B(s), AttributeValue::B(prefix)) => s.as_ref().starts_with(prefix.as_ref()),
        _ => false,
    }
}

fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (haystack, needle) {
        (V::S(s), V::S(sub)) => s.contains(sub.as_str()),
        (V::B(b), V::B(sub)) => {
            let (b, sub) = (b.as_ref(), sub.as_ref());
            sub.is_empty() || b.windows(sub.len()).any(|w| w == sub)
        }
        (V::Ss(set), V::S(e)) => set.iter().any(|x| x == e),
        (V::Ns(set), V::N(e)) => set.iter().any(|x| numbers_equal(x, e)),
        (V::Bs(set), V::B(e)) => set.iter().any(|x| x == e),
        (V::L(list), e) => list.iter().any(|x| values_equal(x, e)),
        _ => false,
    }
}

fn eval(cond: &Condition, item: Option<&Item>) -> bool {
    match cond {
        Condition::Compare { op, left, right } => match (operand(left, item), operand(right, item)) {
            (Some(l), Some(r)) => compare(*op, &l, &r),
            // An absent operand equals nothing: only `<>` holds.
            _ => *op == CompareOp::Ne,
        },
        Condition::Between { value, low, high } => {
            let (Some(v), Some(l), Some(h)) = (operand(value, item), operand(low, item), operand(high, item)) else {
                return false;
            };
            matches!(order(&v, &l), Some(Ordering::Greater | Ordering::Equal))
                && matches!(order(&v, &h), Some(Ordering::Less | Ordering::Equal))
        }
        Condition::In { value, list } => {
            let Some(v) = operand(value, item) else {
                return false;
            };
            list.iter()
                .any(|candidate| operand(candidate, item).is_some_and(|c| values_equal(&v, &c)))
        }
        Condition::And(a, b) => eval(a, item) && eval(b, item),
        Condition::Or(a, b) => eval(a, item) || eval(b, item),
        Condition::Not(a) => !eval(a, item),
        Condition::AttributeExists(path) => lookup(item, path).is_some(),
        Condition::AttributeNotExists(path) => lookup(item, path).is_none(),
        Condition::AttributeType(path, type_operand) => match (lookup(item, path), operand(type_operand, item)) {
            (Some(v), Some(t)) => matches!(&*t, AttributeValue::S(name) if name == crate::convert::type_of(v)),
            _ => false,
        },
        Condition::BeginsWith(a, b) => match (operand(a, item), operand(b, item)) {
            (Some(a), Some(b)) => begins_with(&a, &b),
            _ => false,
        },
        Condition::Contains(a, b) => match (operand(a, item), operand(b, item)) {
            (Some(a), Some(b)) => contains(&a, &b),
            _ => false,
        },
    }
}

/// Evaluates a condition against an item (None = the item does not exist:
/// every path is absent).
///
/// Type mismatches make a comparison or function false, never an error; an
/// absent operand makes every comparison false except `<>`, which is true.
pub fn condition(cond: &Condition, item: Option<&Item>) -> Result<bool, Error> {
    Ok(eval(cond, item))
}

/// `AttributeValue: {N:5}` as DynamoDB renders a literal in BETWEEN messages.
fn render_value(value: &AttributeValue) -> String {
    let body = match value {
        AttributeValue::S(s) | AttributeValue::N(s) => s.clone(),
        AttributeValue::B(b) => base64(b.as_ref()),
        AttributeValue::Bool(b) => b.to_string(),
        AttributeValue::Null(b) => b.to_string(),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => format!("[{}]", v.join(", ")),
        AttributeValue::Bs(v) => {
            let parts: Vec<String> = v.iter().map(|b| base64(b.as_ref())).collect();
            format!("[{}]", parts.join(", "))
        }
        other => format!("{other:?}"),
    };
    format!("AttributeValue: {{{}:{body}}}", crate::convert::type_of(value))
}

/// The statically known type of an operand: a literal's type, `N` for `size()`,
/// `None` for a path.
fn static_type(op: &Operand) -> Option<&'static str> {
    match op {
        Operand::Value(v) => Some(crate::convert::type_of(v)),
        Operand::Size(_) => Some("N"),
        Operand::Path(_) => None,
    }
}

fn check_distinct(function: &str, a: &Operand, b: &Operand) -> Result<(), String> {
    match a {
        Operand::Path(x) => check_distinct_path(function, x, b),
        _ => Ok(()),
    }
}

fn check_distinct_path(function: &str, a: &Path, b: &Operand) -> Result<(), String> {
    match b {
        Operand::Path(y) if a == y => Err(format!(
            "The first operand must be distinct from the remaining operands for this operator or function; \
             operator: {function}, first operand: {}",
            a.message_form()
        )),
        _ => Ok(()),
    }
}

fn incorrect_operand_type(function: &str, operand_type: &str) -> String {
    format!(
        "Incorrect operand type for operator or function; operator or function: {function}, operand type: {operand_type}"
    )
}

fn check_condition(cond: &Condition) -> Result<(), String> {
    match cond {
        Condition::Compare { op, left, right } => check_distinct(op.symbol(), left, right),
        Condition::Between { low, high, .. } => {
            let (Operand::Value(l), Operand::Value(h)) = (low, high) else {
                return Ok(());
            };
            if crate::convert::type_of(l) != crate::convert::type_of(h) {
                return Err(format!(
                    "The BETWEEN operator requires same data type for lower and upper bounds; \
                     lower bound operand: {}, upper bound operand: {}",
                    render_value(l),
                    render_value(h)
                ));
            }
            if order(l, h) == Some(Ordering::Greater) {
                return Err(format!(
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; \
                     lower bound operand: {}, upper bound operand: {}",
                    render_value(l),
                    render_value(h)
                ));
            }
            Ok(())
        }
        Condition::In { .. } | Condition::AttributeExists(_) | Condition::AttributeNotExists(_) => Ok(()),
        Condition::And(a, b) | Condition::Or(a, b) => {
            check_condition(a)?;
            check_condition(b)
        }
        Condition::Not(a) => check_condition(a),
        Condition::AttributeType(path, type_operand) => {
            check_distinct_path("attribute_type", path, type_operand)?;
            match type_operand {
                Operand::Value(AttributeValue::S(name)) => {
                    if is_valid_type_name(name) {
                        Ok(())
                    } else {
                        Err(format!(
                            "Invalid attribute type name found; type: {name}, valid types: {VALID_TYPES}"
                        ))
                    }
                }
                other => {
                    let found = static_type(other).unwrap_or("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
                    Err(incorrect_operand_type("attribute_type", found))
                }
            }
        }
        Condition::BeginsWith(a, b) => {
            check_distinct("begins_with", a, b)?;
            for op in [a, b] {
                if let Some(t) = static_type(op).filter(|t| *t != "S" && *t != "B") {
                    return Err(incorrect_operand_type("begins_with", t));
                }
            }
            Ok(())
        }
        Condition::Contains(a, b) => check_distinct("contains", a, b),
    }
}

/// The static checks DynamoDB performs on a condition before touching items:
/// BETWEEN bounds given as literals (same type, lower ≤ upper), operand types of
/// `begins_with` and `attribute_type` that can never work, invalid type names
/// for `attribute_type`, and a path compared with itself.
///
/// `kind_label` names the expression in the message, e.g.
/// `"ConditionExpression"` gives `Invalid ConditionExpression: ...`.
pub fn validate_condition(cond: &Condition, kind_label: &str) -> Result<(), Error> {
    check_condition(cond).map_err(|m| validation(format!("Invalid {kind_label}: {m}")))
}

// ---------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------

fn check_set_operand(op: &SetOperand) -> Result<(), String> {
    match op {
        SetOperand::Path(_) | SetOperand::Value(_) => Ok(()),
        SetOperand::IfNotExists(_, inner) => check_set_operand(inner),
        SetOperand::ListAppend(a, b) => {
            check_set_operand(a)?;
            check_set_operand(b)?;
            check_literal_types("list_append", [a, b], "L")
        }
    }
}

/// Literal operands of `function` must be of type `expected`.
fn check_literal_types(function: &str, operands: [&SetOperand; 2], expected: &str) -> Result<(), String> {
    for op in operands {
        if let SetOperand::Value(v) = op
            && crate::convert::type_of(v) != expected
        {
            return Err(incorrect_operand_type(function, crate::convert::type_of(v)));
        }
    }
    Ok(())
}

fn check_update(update: &Update) -> Result<(), String> {
    // DynamoDB reports ADD/DELETE operand errors before function errors.
    for action in &update.actions {
        let (operator, value, allowed) = match action {
            UpdateAction::Add(_, v) => ("ADD", v, matches!(v, AttributeValue::N(_))),
            UpdateAction::Delete(_, v) => ("DELETE", v, false),
            _ => continue,
        };
        let is_set = matches!(
            value,
            AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
        );
        if !allowed && !is_set {
            return Err(format!(
                "Incorrect operand type for operator or function; operator: {operator}, operand type: {}",
                long_type_name(value)
            ));
        }
    }
    for action in &update.actions {
        let UpdateAction::Set(_, value) = action else {
            continue;
        };
        match value {
            SetValue::Operand(op) => check_set_operand(op)?,
            SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
                check_set_operand(a)?;
                check_set_operand(b)?;
                let function = if matches!(value, SetValue::Plus(..)) { "+" } else { "-" };
                check_literal_types(function, [a, b], "N")?;
            }
        }
    }
    Ok(())
}

/// The static checks DynamoDB performs on an update before reading the item:
/// ADD takes a number or a set, DELETE a set, and literal operands of `+`, `-`
/// and `list_append` must be numbers (lists for `list_append`). Called by
/// [`apply_update`] too.
pub fn validate_update(update: &Update) -> Result<(), Error> {
    check_update(update).map_err(|m| validation(format!("Invalid UpdateExpression: {m}")))
}

/// Where a SET operand's value comes from.
enum Src<'a> {
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

fn eval_set_operand<'a>(op: &'a SetOperand, item: &'a Item) -> Result<Src<'a>, Error> {
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

fn number_operand<'s>(src: &'s Src<'_>) -> Result<&'s str, Error> {
    match src.get() {
        AttributeValue::N(n) => Ok(n),
        _ => Err(validation(BAD_OPERAND_TYPE)),
    }
}

fn eval_set_value(value: &SetValue, item: &Item) -> Result<AttributeValue, Error> {
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
fn target<'a>(item: &'a Item, path: &Path) -> Result<Option<&'a AttributeValue>, Error> {
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
fn add_value(existing: Option<&AttributeValue>, value: &AttributeValue) -> Result<AttributeValue, Error> {
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
fn delete_value(existing: &AttributeValue, value: &AttributeValue) -> Result<Option<AttributeValue>, Error> {
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
struct Plan<'u> {
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

fn write(item: &mut Item, path: &Path, value: AttributeValue) {
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

fn remove(item: &mut Item, path: &Path) {
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
pub fn apply_update(update: &Update, item: &mut Item) -> Result<(), Error> {
    validate_update(update)?;
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
    // bounded anyway, is the first that can meet it).
    if !values::item_nests_within_limit(item) {
        return Err(validation(values::NESTING_EXCEEDED));
    }
    Ok(())
}

/// The paths an update writes (SET/REMOVE/ADD/DELETE targets, in action
/// order), for ReturnValues UPDATED_OLD / UPDATED_NEW (project the old or new
/// item onto them with [`project`]).
pub fn updated_paths(update: &Update) -> Vec<Path> {
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

// ---------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------

/// A partially built projected document.
enum Node {
    Leaf(AttributeValue),
    Map(HashMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn for_element(element: &PathElement) -> Node {
        match element {
            PathElement::Attr(_) => Node::Map(HashMap::new()),
            PathElement::Index(_) => Node::List(BTreeMap::new()),
        }
    }

    fn child(&mut self, element: &PathElement, next: &PathElement) -> Option<&mut Node> {
        match (self, element) {
            (Node::Map(map), PathElement::Attr(key)) => {
                Some(map.entry(key.clone()).or_insert_with(|| Node::for_element(next)))
            }
            (Node::List(list), PathElement::Index(i)) => {
                Some(list.entry(*i).or_insert_with(|| Node::for_element(next)))
            }
            _ => None,
        }
    }

    /// Inserts `value` at `middle` + `last` below this node (kept as is when a
    /// step is already a whole projected value or of the other container kind).
    fn insert(&mut self, middle: &[PathElement], last: &PathElement, value: AttributeValue) {
        match middle.split_first() {
            None => self.set(last, value),
            Some((element, tail)) => {
                let next = tail.first().unwrap_or(last);
                match self.child(element, next) {
                    Some(Node::Leaf(_)) | None => {}
                    Some(child) => child.insert(tail, last, value),
                }
            }
        }
    }

    fn set(&mut self, element: &PathElement, value: AttributeValue) {
        match (self, element) {
            (Node::Map(map), PathElement::Attr(key)) => {
                map.insert(key.clone(), Node::Leaf(value));
            }
            (Node::List(list), PathElement::Index(i)) => {
                list.insert(*i, Node::Leaf(value));
            }
            _ => {}
        }
    }

    fn into_value(self) -> AttributeValue {
        match self {
            Node::Leaf(v) => v,
            Node::Map(map) => AttributeValue::M(map.into_iter().map(|(k, n)| (k, n.into_value())).collect()),
            Node::List(list) => AttributeValue::L(list.into_values().map(Node::into_value).collect()),
        }
    }
}

/// Projects an item onto paths (ProjectionExpression semantics): nested map
/// keys are kept in their structure; list elements selected by index are
/// collected into a list in index order; paths that do not resolve are
/// skipped.
pub fn project(item: &Item, paths: &[Path]) -> Item {
    let mut out = Item::with_capacity(paths.len());
    let mut nested: HashMap<String, Node> = HashMap::new();
    for path in paths {
        let Some(value) = resolve(item, path) else {
            continue;
        };
        let [PathElement::Attr(root), rest @ ..] = path.elements.as_slice() else {
            continue;
        };
        let Some((last, middle)) = rest.split_last() else {
            out.insert(root.clone(), value.clone());
            continue;
        };
        if out.contains_key(root) {
            continue; // the whole attribute is already projected
        }
        let first = middle.first().unwrap_or(last);
        let node = nested.entry(root.clone()).or_insert_with(|| Node::for_element(first));
        node.insert(middle, last, value.clone());
    }
    for (root, node) in nested {
        out.entry(root).or_insert_with(|| node.into_value());
    }
    out
}

// ---------------------------------------------------------------------------
// Item size
// ---------------------------------------------------------------------------

/// Bytes DynamoDB counts for a number: one byte of exponent, one per two
/// significant digits (aligned on even powers of ten), one more for negative
/// numbers; zero is one byte.
fn number_size(s: &str) -> usize {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().unwrap_or(0)),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (mut first, mut last) = (None, 0);
    for (i, d) in int.bytes().chain(frac.bytes()).enumerate() {
        if d != b'0' {
            first.get_or_insert(i);
            last = i;
        }
    }
    let Some(first) = first else {
        return 1;
    };
    let count = last - first + 1;
    // Decimal exponent of the first significant digit.
    let e = int.len() as i64 - 1 - first as i64 + exponent;
    let pad = usize::from(count % 2 == 0 && e % 2 == 0);
    1 + count.div_ceil(2) + pad + usize::from(negative)
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
        AttributeValue::Ns(v) => v.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => 3 + map.len() + item_size(map),
        _ => 0,
    }
}

/// Size of an item in bytes as DynamoDB counts it: for each attribute, the
/// UTF-8 length of its name plus the size of its value (strings: UTF-8 bytes;
/// binary: bytes; numbers: 1 + one byte per two significant digits, +1 when
/// negative; booleans and nulls: 1; sets: the sum of their elements; lists:
/// 3 + 1 per element + the elements; maps: 3 + 1 per entry + names + values).
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(name, value)| name.len() + value_size(value)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    // ----- builders -------------------------------------------------------

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.into())
    }
    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.into())
    }
    fn b(v: &[u8]) -> AttributeValue {
        AttributeValue::B(Blob::new(v))
    }
    fn ss(v: &[&str]) -> AttributeValue {
        AttributeValue::Ss(v.iter().map(|x| x.to_string()).collect())
    }
    fn ns(v: &[&str]) -> AttributeValue {
        AttributeValue::Ns(v.iter().map(|x| x.to_string()).collect())
    }
    fn bs(v: &[&[u8]]) -> AttributeValue {
        AttributeValue::Bs(v.iter().map(|x| Blob::new(*x)).collect())
    }
    fn l(v: Vec<AttributeValue>) -> AttributeValue {
        AttributeValue::L(v)
    }
    fn m(v: Vec<(&str, AttributeValue)>) -> AttributeValue {
        AttributeValue::M(v.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
    fn null() -> AttributeValue {
        AttributeValue::Null(true)
    }
    fn boolean(v: bool) -> AttributeValue {
        AttributeValue::Bool(v)
    }
    fn item(v: Vec<(&str, AttributeValue)>) -> Item {
        v.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    /// `a.b[2].c` → Path.
    fn path(text: &str) -> Path {
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

    fn p(text: &str) -> Operand {
        Operand::Path(path(text))
    }
    fn v(value: AttributeValue) -> Operand {
        Operand::Value(value)
    }
    fn size(text: &str) -> Operand {
        Operand::Size(path(text))
    }
    fn cmp(left: Operand, op: CompareOp, right: Operand) -> Condition {
        Condition::Compare { op, left, right }
    }
    fn between(value: Operand, low: Operand, high: Operand) -> Condition {
        Condition::Between { value, low, high }
    }
    fn and(a: Condition, b: Condition) -> Condition {
        Condition::And(Box::new(a), Box::new(b))
    }
    fn or(a: Condition, b: Condition) -> Condition {
        Condition::Or(Box::new(a), Box::new(b))
    }
    fn not(a: Condition) -> Condition {
        Condition::Not(Box::new(a))
    }

    fn check(cond: &Condition, it: &Item) -> bool {
        condition(cond, Some(it)).unwrap()
    }

    fn validation_message(result: Result<impl std::fmt::Debug, Error>) -> String {
        match result {
            Err(Error::Validation(m)) => m.into(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn sop_p(text: &str) -> SetOperand {
        SetOperand::Path(path(text))
    }
    fn sop_v(value: AttributeValue) -> SetOperand {
        SetOperand::Value(value)
    }
    fn set(target: &str, value: SetOperand) -> UpdateAction {
        UpdateAction::Set(path(target), SetValue::Operand(value))
    }
    fn update(actions: Vec<UpdateAction>) -> Update {
        Update { actions }
    }
    fn apply(actions: Vec<UpdateAction>, it: &mut Item) -> Result<(), Error> {
        apply_update(&update(actions), it)
    }

    use CompareOp::{Eq, Ge, Gt, Le, Lt, Ne};

    // ----- resolve --------------------------------------------------------

    #[test]
    fn resolve_follows_maps_and_lists() {
        let it = item(vec![
            ("a", m(vec![("b", l(vec![n("0"), m(vec![("c", s("x"))])]))])),
            ("top", s("t")),
        ]);
        assert_eq!(resolve(&it, &path("top")), Some(&s("t")));
        assert_eq!(resolve(&it, &path("a.b[1].c")), Some(&s("x")));
        assert_eq!(resolve(&it, &path("a.b[0]")), Some(&n("0")));
        assert_eq!(resolve(&it, &path("a.b[2]")), None); // out of range
        assert_eq!(resolve(&it, &path("a.x")), None); // missing key
        assert_eq!(resolve(&it, &path("a[0]")), None); // index on a map
        assert_eq!(resolve(&it, &path("a.b.c")), None); // key on a list
        assert_eq!(resolve(&it, &path("top.x")), None); // key on a string
        assert_eq!(resolve(&it, &path("nope")), None);
    }

    // ----- values_equal ---------------------------------------------------

    #[test]
    fn equality_of_values() {
        assert!(values_equal(&n("1"), &n("1.0")));
        assert!(values_equal(&n("100"), &n("1e2")));
        assert!(!values_equal(&n("1"), &n("1.01")));
        assert!(!values_equal(&s("1"), &n("1")));
        assert!(values_equal(&b(b"ab"), &b(b"ab")));
        assert!(!values_equal(&b(b"ab"), &s("ab")));
        assert!(values_equal(&null(), &null()));
        assert!(values_equal(&boolean(true), &boolean(true)));
        assert!(!values_equal(&boolean(true), &boolean(false)));
        assert!(values_equal(&ss(&["a", "b"]), &ss(&["b", "a"])));
        assert!(!values_equal(&ss(&["a", "b"]), &ss(&["a", "b", "c"])));
        assert!(values_equal(&ns(&["1", "2"]), &ns(&["2.0", "1"])));
        assert!(values_equal(&bs(&[b"x", b"y"]), &bs(&[b"y", b"x"])));
        assert!(!values_equal(&ss(&["1"]), &ns(&["1"])));
        assert!(values_equal(&l(vec![n("1"), s("a")]), &l(vec![n("1.0"), s("a")])));
        assert!(!values_equal(&l(vec![n("1"), s("a")]), &l(vec![s("a"), n("1")])));
        assert!(values_equal(
            &m(vec![("x", n("2")), ("y", l(vec![null()]))]),
            &m(vec![("y", l(vec![null()])), ("x", n("2.00"))])
        ));
        assert!(!values_equal(
            &m(vec![("x", n("2"))]),
            &m(vec![("x", n("2")), ("y", null())])
        ));
        assert!(!values_equal(&l(vec![]), &m(vec![])));
    }

    #[test]
    fn equality_of_large_sets() {
        let a: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let mut rev = a.clone();
        rev.reverse();
        let rev_decimal: Vec<String> = rev.iter().map(|x| format!("{x}.0")).collect();
        assert!(values_equal(
            &AttributeValue::Ss(a.clone()),
            &AttributeValue::Ss(rev.clone())
        ));
        assert!(values_equal(
            &AttributeValue::Ns(a.clone()),
            &AttributeValue::Ns(rev_decimal)
        ));
        let mut other = rev.clone();
        other[0] = "x".into();
        assert!(!values_equal(
            &AttributeValue::Ss(a.clone()),
            &AttributeValue::Ss(other)
        ));
        let blobs: Vec<Blob> = a.iter().map(|x| Blob::new(x.as_bytes())).collect();
        let mut blobs_rev = blobs.clone();
        blobs_rev.reverse();
        assert!(values_equal(&AttributeValue::Bs(blobs), &AttributeValue::Bs(blobs_rev)));
    }

    // ----- comparisons ----------------------------------------------------

    #[test]
    fn equality_operators_work_on_any_type() {
        let it = item(vec![
            ("s", s("1234")),
            ("n", n("1234")),
            ("l", l(vec![n("1")])),
            ("m", m(vec![])),
        ]);
        assert!(check(&cmp(p("s"), Eq, v(s("1234"))), &it));
        assert!(!check(&cmp(p("s"), Eq, v(n("1234"))), &it));
        assert!(check(&cmp(p("s"), Ne, v(n("1234"))), &it));
        assert!(!check(&cmp(p("n"), Ne, v(n("1234.0"))), &it));
        assert!(check(&cmp(p("l"), Eq, v(l(vec![n("1.0")]))), &it));
        assert!(check(&cmp(p("m"), Eq, v(m(vec![]))), &it));
        assert!(check(&cmp(p("m"), Ne, v(l(vec![]))), &it));
        // Two paths.
        assert!(check(&cmp(p("s"), Ne, p("n")), &it));
    }

    #[test]
    fn ordering_operators_only_on_same_scalar_type() {
        let it = item(vec![
            ("s", s("abc")),
            ("n", n("2")),
            ("b", b(&[0xcf])),
            ("t", boolean(true)),
            ("l", l(vec![n("1")])),
        ]);
        // Strings bytewise (UTF-8): "abc\u{ff}" < "abd", "Z" < "a".
        assert!(check(&cmp(p("s"), Lt, v(s("abd"))), &it));
        assert!(check(&cmp(p("s"), Gt, v(s("Z"))), &it));
        assert!(check(&cmp(v(s("abc\u{ff}")), Lt, v(s("abd"))), &it));
        assert!(check(&cmp(p("s"), Le, v(s("abc"))), &it));
        assert!(check(&cmp(p("s"), Ge, v(s("abc"))), &it));
        assert!(!check(&cmp(p("s"), Gt, v(s("abc"))), &it));
        // Numbers numerically.
        assert!(check(&cmp(p("n"), Lt, v(n("10"))), &it));
        assert!(check(&cmp(p("n"), Gt, v(n("1.9999"))), &it));
        assert!(check(&cmp(p("n"), Le, v(n("2.0"))), &it));
        assert!(check(&cmp(p("n"), Gt, v(n("-0.5"))), &it));
        assert!(check(&cmp(p("n"), Lt, v(n("2e1"))), &it));
        // Binary bytewise (unsigned).
        assert!(check(&cmp(p("b"), Lt, v(b(&[0xd0]))), &it));
        assert!(check(&cmp(p("b"), Gt, v(b(&[0x7f, 0xff]))), &it));
        assert!(check(&cmp(p("b"), Lt, v(b(&[0xcf, 0x00]))), &it));
        // Different or unordered types: false, not an error.
        assert!(!check(&cmp(p("n"), Lt, v(s("3"))), &it));
        assert!(!check(&cmp(p("n"), Ge, v(s("1"))), &it));
        assert!(!check(&cmp(p("t"), Le, v(boolean(true))), &it));
        assert!(!check(&cmp(p("l"), Ge, v(l(vec![n("1")]))), &it));
    }

    #[test]
    fn missing_operands() {
        let it = item(vec![("a", s("x"))]);
        assert!(!check(&cmp(p("z"), Eq, v(s("x"))), &it));
        assert!(check(&cmp(p("z"), Ne, v(s("x"))), &it));
        assert!(!check(&cmp(p("z"), Lt, v(s("x"))), &it));
        assert!(!check(&cmp(p("z"), Ge, v(s("x"))), &it));
        assert!(!check(&cmp(v(s("x")), Eq, p("z")), &it));
        assert!(check(&cmp(v(s("x")), Ne, p("a.b")), &it));
        // No item at all: every path is absent.
        assert!(!condition(&cmp(p("a"), Eq, v(s("x"))), None).unwrap());
        assert!(condition(&cmp(p("a"), Ne, v(s("x"))), None).unwrap());
        assert!(condition(&Condition::AttributeNotExists(path("a")), None).unwrap());
        assert!(!condition(&Condition::AttributeExists(path("a")), None).unwrap());
        assert!(
            !condition(
                &Condition::In {
                    value: p("a"),
                    list: vec![v(s("x"))]
                },
                None
            )
            .unwrap()
        );
    }

    #[test]
    fn between_is_inclusive_and_typed() {
        let low = || v(n("124"));
        let high = || v(n("125"));
        for (value, expected) in [
            ("123", false),
            ("124", true),
            ("124.99999", true),
            ("125", true),
            ("125.000001", false),
        ] {
            let it = item(vec![("b", n(value))]);
            assert_eq!(check(&between(p("b"), low(), high()), &it), expected, "{value}");
        }
        let strings = |x: &str| item(vec![("b", s(x))]);
        assert!(check(&between(p("b"), v(s("abd")), v(s("abe"))), &strings("abd\0")));
        assert!(!check(&between(p("b"), v(s("abd")), v(s("abe"))), &strings("abe\0")));
        let bin = item(vec![("b", b(&[0xcf, 0xff]))]);
        assert!(check(&between(p("b"), v(b(&[0xcf, 0xff])), v(b(&[0xd0, 0x00]))), &bin));
        // Type mismatch, missing value, reversed bounds at run time: false.
        assert!(!check(&between(p("b"), low(), high()), &strings("124")));
        assert!(!check(&between(p("zz"), low(), high()), &strings("x")));
        let it = item(vec![("b", n("5")), ("lo", n("9")), ("hi", n("1"))]);
        assert!(!check(&between(p("b"), p("lo"), p("hi")), &it));
        assert!(check(
            &between(size("s"), v(n("2")), v(n("3"))),
            &item(vec![("s", s("abc"))])
        ));
    }

    #[test]
    fn in_matches_any_candidate() {
        let it = item(vec![("b", n("123.45")), ("c", s("x"))]);
        let cond = |list: Vec<Operand>| Condition::In { value: p("b"), list };
        assert!(check(&cond(vec![v(n("1234")), v(n("123.450"))]), &it));
        assert!(!check(&cond(vec![v(s("123.45")), v(n("1"))]), &it));
        assert!(check(&cond(vec![p("missing"), p("b")]), &it));
        assert!(!check(
            &Condition::In {
                value: p("z"),
                list: vec![v(n("1"))]
            },
            &it
        ));
    }

    #[test]
    fn begins_with_strings_and_binary_only() {
        let it = item(vec![
            ("s", s("abdef")),
            ("b", b(b"abdef")),
            ("ss", ss(&["abd"])),
            ("n", n("123")),
        ]);
        let bw = |a: Operand, x: Operand| Condition::BeginsWith(a, x);
        assert!(check(&bw(p("s"), v(s("abd"))), &it));
        assert!(check(&bw(p("s"), v(s(""))), &it));
        assert!(!check(&bw(p("s"), v(s("bd"))), &it));
        assert!(check(&bw(p("b"), v(b(b"ab"))), &it));
        assert!(!check(&bw(p("b"), v(s("ab"))), &it));
        assert!(!check(&bw(p("s"), v(b(b"ab"))), &it));
        assert!(!check(&bw(p("ss"), v(s("abd"))), &it));
        assert!(!check(&bw(p("n"), v(n("1"))), &it));
        assert!(!check(&bw(p("zz"), v(s("a"))), &it));
    }

    #[test]
    fn contains_by_type() {
        let it = item(vec![
            ("s", s("abdef")),
            ("b", b(b"abdef")),
            ("ss", ss(&["abd", "bde"])),
            ("ns", ns(&["123", "234"])),
            ("bs", bs(&[b"bde", b"abcd"])),
            ("l", l(vec![n("123"), s("bde"), m(vec![("k", n("1"))])])),
            ("n", n("1234")),
        ]);
        let c = |a: &str, x: AttributeValue| check(&Condition::Contains(p(a), v(x)), &it);
        assert!(c("s", s("bde")));
        assert!(!c("s", s("xyz")));
        assert!(c("b", b(b"bde")));
        assert!(!c("b", s("bde")));
        assert!(!c("s", b(b"bde")));
        assert!(c("ss", s("bde")));
        assert!(!c("ss", s("bd"))); // membership, not substring
        assert!(c("ns", n("234.0")));
        assert!(!c("ns", s("234")));
        assert!(c("bs", b(b"bde")));
        assert!(c("l", s("bde")));
        assert!(c("l", n("123.0")));
        assert!(c("l", m(vec![("k", n("1"))])));
        assert!(!c("l", s("bd"))); // element equality, not substring
        assert!(!c("n", n("234")));
        assert!(!c("missing", s("a")));
        // NOT contains on a mismatched type is true.
        assert!(check(&not(Condition::Contains(p("s"), v(b(b"bde")))), &it));
    }

    #[test]
    fn size_function() {
        let it = item(vec![
            ("s", s("ab\u{ff}")),
            ("emoji", s("a\u{1F600}")),
            ("b", b(b"abc")),
            ("ss", ss(&["a", "b", "c"])),
            ("l", l(vec![s("a"), s("a"), s("a")])),
            ("m", m(vec![("a", s("a")), ("b", s("a")), ("c", s("a"))])),
            ("n", n("123")),
            ("t", boolean(true)),
        ]);
        for name in ["s", "b", "ss", "l", "m"] {
            assert!(check(&cmp(size(name), Eq, v(n("3"))), &it), "{name}");
        }
        // Characters, not UTF-8 bytes; astral characters count as two (UTF-16).
        assert!(check(&cmp(size("emoji"), Eq, v(n("3"))), &it));
        // No size for numbers and booleans: the operand is absent.
        assert!(!check(&cmp(size("n"), Eq, v(n("3"))), &it));
        assert!(!check(&cmp(size("t"), Ge, v(n("0"))), &it));
        assert!(check(&cmp(size("n"), Ne, v(n("3"))), &it));
        assert!(!check(&cmp(size("missing"), Eq, v(n("0"))), &it));
        assert!(check(&cmp(size("l"), Gt, v(n("2.5"))), &it));
    }

    #[test]
    fn attribute_type_and_existence() {
        let it = item(vec![
            ("s", s("x")),
            ("n", n("1")),
            ("b", b(b"x")),
            ("ss", ss(&["x"])),
            ("ns", ns(&["1"])),
            ("bs", bs(&[b"x"])),
            ("t", boolean(false)),
            ("z", null()),
            ("l", l(vec![m(vec![("a", m(vec![]))])])),
            ("m", m(vec![("a", m(vec![("b", s("y"))]))])),
        ]);
        for (name, tag) in [
            ("s", "S"),
            ("n", "N"),
            ("b", "B"),
            ("ss", "SS"),
            ("ns", "NS"),
            ("bs", "BS"),
            ("t", "BOOL"),
            ("z", "NULL"),
            ("l", "L"),
            ("m", "M"),
        ] {
            assert!(check(&Condition::AttributeType(path(name), v(s(tag))), &it), "{name}");
            assert!(!check(&Condition::AttributeType(path(name), v(s("S"))), &it) || tag == "S");
        }
        assert!(check(&Condition::AttributeType(path("m.a"), v(s("M"))), &it));
        assert!(check(&Condition::AttributeType(path("l[0].a"), v(s("M"))), &it));
        assert!(!check(&Condition::AttributeType(path("missing"), v(s("S"))), &it));
        assert!(check(&Condition::AttributeExists(path("m.a.b")), &it));
        assert!(check(&Condition::AttributeExists(path("l[0]")), &it));
        assert!(!check(&Condition::AttributeExists(path("l[1]")), &it));
        assert!(check(&Condition::AttributeNotExists(path("m.a.c")), &it));
        assert!(check(&Condition::AttributeNotExists(path("s.x")), &it));
        assert!(!check(&Condition::AttributeNotExists(path("z")), &it));
    }

    #[test]
    fn boolean_logic() {
        let it = item(vec![("a", n("1")), ("b", n("2"))]);
        let t = || cmp(p("a"), Eq, v(n("1")));
        let f = || cmp(p("b"), Eq, v(n("1")));
        assert!(check(&and(t(), t()), &it));
        assert!(!check(&and(t(), f()), &it));
        assert!(check(&or(f(), t()), &it));
        assert!(!check(&or(f(), f()), &it));
        assert!(check(&not(f()), &it));
        assert!(!check(&not(and(t(), or(f(), t()))), &it));
    }

    // ----- validate_condition ----------------------------------------------

    #[test]
    fn between_literal_bounds_are_checked() {
        let cond = between(p("a"), v(n("5")), v(n("1")));
        assert_eq!(
            validation_message(validate_condition(&cond, "ConditionExpression")),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal \
             to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"
        );
        let cond = between(p("a"), v(s("b")), v(s("a")));
        assert_eq!(
            validation_message(validate_condition(&cond, "KeyConditionExpression")),
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or \
             equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: \
             AttributeValue: {S:a}"
        );
        let cond = between(p("a"), v(b(b"z")), v(b(b"a")));
        assert_eq!(
            validation_message(validate_condition(&cond, "FilterExpression")),
            "Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to \
             lower bound; lower bound operand: AttributeValue: {B:eg==}, upper bound operand: AttributeValue: {B:YQ==}"
        );
        let cond = between(p("a"), v(n("5")), v(s("a")));
        assert_eq!(
            validation_message(validate_condition(&cond, "ConditionExpression")),
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper \
             bounds; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {S:a}"
        );
        // Numeric, not textual, order; equal bounds and path bounds are fine.
        assert!(validate_condition(&between(p("a"), v(n("9")), v(n("10"))), "ConditionExpression").is_ok());
        assert!(validate_condition(&between(p("a"), v(n("1.0")), v(n("1"))), "ConditionExpression").is_ok());
        assert!(validate_condition(&between(p("a"), p("x"), v(n("1"))), "ConditionExpression").is_ok());
        // Found inside AND / OR / NOT too.
        let nested = not(or(t_cond(), and(t_cond(), between(p("a"), v(n("2")), v(n("1"))))));
        assert!(validate_condition(&nested, "ConditionExpression").is_err());
    }

    fn t_cond() -> Condition {
        Condition::AttributeExists(path("a"))
    }

    #[test]
    fn function_operand_types_are_checked() {
        let label = "ConditionExpression";
        let at = |op: Operand| Condition::AttributeType(path("a"), op);
        assert_eq!(
            validation_message(validate_condition(&at(v(s("X"))), label)),
            "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: \
             {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
        );
        assert_eq!(
            validation_message(validate_condition(&at(v(n("1"))), label)),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or \
             function: attribute_type, operand type: N"
        );
        for tag in ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"] {
            assert!(validate_condition(&at(v(s(tag))), label).is_ok(), "{tag}");
        }
        assert_eq!(
            validation_message(validate_condition(&Condition::BeginsWith(p("a"), v(n("1"))), label)),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or \
             function: begins_with, operand type: N"
        );
        assert_eq!(
            validation_message(validate_condition(&Condition::BeginsWith(v(ss(&["a"])), p("a")), label)),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or \
             function: begins_with, operand type: SS"
        );
        assert!(validate_condition(&Condition::BeginsWith(p("a"), v(b(b"x"))), label).is_ok());
        assert!(validate_condition(&Condition::Contains(p("a"), v(n("1"))), label).is_ok());
        assert!(validate_condition(&cmp(size("a"), Eq, v(n("3"))), label).is_ok());
        assert!(validate_condition(&cmp(v(n("1")), Eq, v(n("2"))), label).is_ok());
    }

    #[test]
    fn operands_must_be_distinct() {
        let label = "FilterExpression";
        assert_eq!(
            validation_message(validate_condition(
                &Condition::Contains(p("a.b[2]"), p("a.b[2]")),
                label
            )),
            "Invalid FilterExpression: The first operand must be distinct from the remaining operands for this \
             operator or function; operator: contains, first operand: [a, b, [2]]"
        );
        assert_eq!(
            validation_message(validate_condition(&cmp(p("a"), Ne, p("a")), label)),
            "Invalid FilterExpression: The first operand must be distinct from the remaining operands for this \
             operator or function; operator: <>, first operand: [a]"
        );
        assert!(validate_condition(&cmp(p("a"), Eq, p("b")), label).is_ok());
        assert!(validate_condition(&cmp(size("a"), Eq, size("a")), label).is_ok());
    }

    // ----- apply_update: SET ------------------------------------------------

    fn key_item() -> Item {
        item(vec![("pk", s("k"))])
    }

    #[test]
    fn set_writes_canonical_values() {
        let mut it = key_item();
        apply(
            vec![
                set("a", sop_v(n("1.50"))),
                set("b", sop_v(l(vec![n("007"), m(vec![("x", ns(&["1e2"]))])]))),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["a"], n("1.5"));
        assert_eq!(it["b"], l(vec![n("7"), m(vec![("x", ns(&["100"]))])]));
    }

    #[test]
    fn set_reads_the_old_item() {
        let mut it = item(vec![("a", n("1")), ("b", n("2"))]);
        apply(vec![set("a", sop_p("b")), set("b", sop_p("a"))], &mut it).unwrap();
        assert_eq!(it, item(vec![("a", n("2")), ("b", n("1"))]));
    }

    #[test]
    fn set_nested_requires_existing_parent() {
        let mut it = item(vec![
            ("pk", s("k")),
            ("b", s("x")),
            ("c", m(vec![("1", s("a"))])),
            ("d", l(vec![s("a"), s("b")])),
        ]);
        let before = it.clone();
        for target in ["b.a", "b[1]", "y.a", "y[1]", "c[1]", "d.x"] {
            let err = apply(vec![set(target, sop_v(s("v")))], &mut it);
            assert_eq!(
                validation_message(err),
                "The document path provided in the update expression is invalid for update",
                "{target}"
            );
        }
        assert_eq!(it, before);
        apply(vec![set("c.2", sop_v(s("v"))), set("d[0]", sop_v(s("z")))], &mut it).unwrap();
        assert_eq!(it["c"], m(vec![("1", s("a")), ("2", s("v"))]));
        assert_eq!(it["d"], l(vec![s("z"), s("b")]));
        // Nested SET on a new item fails too.
        let mut fresh = key_item();
        assert!(apply(vec![set("b.a", sop_v(s("v")))], &mut fresh).is_err());
        assert_eq!(fresh, key_item());
    }

    #[test]
    fn set_past_the_end_appends_in_index_order() {
        let mut it = item(vec![("l", l(vec![s("a"), s("b")]))]);
        apply(
            vec![
                set("l[9]", sop_v(s("y"))),
                set("l[5]", sop_v(s("x"))),
                set("l[1]", sop_v(s("B"))),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["l"], l(vec![s("a"), s("B"), s("x"), s("y")]));
    }

    /// dynalite's "should update nested attributes", checked against DynamoDB:
    /// `set b.c=((c[1])+(b.a)), b.a = a, c[1] = a, c[4] = b.a - b.b,
    ///  c[2] = b.c add c[8] :b, c[6] :a`.
    #[test]
    fn nested_update_like_dynamodb() {
        let key = s("key");
        let mut it = item(vec![
            ("a", key.clone()),
            ("b", m(vec![("a", n("1")), ("b", n("2")), ("c", n("3"))])),
            ("c", l(vec![n("1"), n("3")])),
        ]);
        let upd = update(vec![
            UpdateAction::Set(path("b.c"), SetValue::Plus(sop_p("c[1]"), sop_p("b.a"))),
            set("b.a", sop_p("a")),
            set("c[1]", sop_p("a")),
            UpdateAction::Set(path("c[4]"), SetValue::Minus(sop_p("b.a"), sop_p("b.b"))),
            set("c[2]", sop_p("b.c")),
            UpdateAction::Add(path("c[8]"), ss(&["a"])),
            UpdateAction::Add(path("c[6]"), n("2")),
        ]);
        apply_update(&upd, &mut it).unwrap();
        assert_eq!(
            it,
            item(vec![
                ("a", key.clone()),
                ("b", m(vec![("a", key.clone()), ("b", n("2")), ("c", n("4"))])),
                ("c", l(vec![n("1"), key.clone(), n("3"), n("-1"), n("2"), ss(&["a"])])),
            ])
        );
        // UPDATED_NEW as DynamoDB returned it.
        assert_eq!(
            project(&it, &updated_paths(&upd)),
            item(vec![
                ("b", m(vec![("a", key.clone()), ("c", n("4"))])),
                ("c", l(vec![key, n("3"), n("2")])),
            ])
        );
    }

    #[test]
    fn set_operand_errors() {
        let mut it = item(vec![
            ("pk", s("k")),
            ("s", s("x")),
            ("m", m(vec![])),
            ("ns", ns(&["1"])),
        ]);
        let before = it.clone();
        let missing = "The provided expression refers to an attribute that does not exist in the item";
        let bad_type = "An operand in the update expression has an incorrect data type";
        assert_eq!(validation_message(apply(vec![set("c", sop_p("b"))], &mut it)), missing);
        let la = |a: SetOperand, b: SetOperand| SetOperand::ListAppend(Box::new(a), Box::new(b));
        assert_eq!(
            validation_message(apply(vec![set("e", la(sop_p("b"), sop_p("c")))], &mut it)),
            missing
        );
        let plus = |a, b| UpdateAction::Set(path("e"), SetValue::Plus(a, b));
        let minus = |a, b| UpdateAction::Set(path("e"), SetValue::Minus(a, b));
        assert_eq!(
            validation_message(apply(vec![plus(sop_p("s"), sop_v(n("1")))], &mut it)),
            bad_type
        );
        assert_eq!(
            validation_message(apply(vec![minus(sop_p("m"), sop_v(n("1")))], &mut it)),
            bad_type
        );
        assert_eq!(
            validation_message(apply(vec![plus(sop_p("zz"), sop_v(n("1")))], &mut it)),
            missing
        );
        // The left operand's type is checked before the right one is read.
        assert_eq!(
            validation_message(apply(vec![plus(sop_p("s"), sop_p("zz"))], &mut it)),
            bad_type
        );
        let ine = SetOperand::IfNotExists(path("f"), Box::new(sop_v(l(vec![]))));
        assert_eq!(
            validation_message(apply(vec![set("e", la(sop_p("ns"), ine))], &mut it)),
            bad_type
        );
        // A missing operand in a later SET wins over a bad path in an earlier one.
        assert_eq!(
            validation_message(apply(vec![set("y.a", sop_v(s("v"))), set("e", sop_p("zz"))], &mut it)),
            missing
        );
        assert_eq!(it, before);
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        let mut it = item(vec![("a", n("0.1")), ("big", n(&"9".repeat(38)))]);
        apply(
            vec![
                UpdateAction::Set(path("sum"), SetValue::Plus(sop_p("a"), sop_v(n("0.2")))),
                UpdateAction::Set(path("diff"), SetValue::Minus(sop_v(n("1")), sop_v(n("1.5")))),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["sum"], n("0.3"));
        assert_eq!(it["diff"], n("-0.5"));
        let err = apply(
            vec![UpdateAction::Set(
                path("x"),
                SetValue::Plus(sop_v(n("9E+125")), sop_v(n("9E+125"))),
            )],
            &mut it,
        );
        assert_eq!(
            validation_message(err),
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        );
        let err = apply(
            vec![UpdateAction::Set(
                path("x"),
                SetValue::Plus(sop_p("big"), sop_v(n("0.1"))),
            )],
            &mut it,
        );
        assert_eq!(
            validation_message(err),
            "Attempting to store more than 38 significant digits in a Number"
        );
    }

    #[test]
    fn if_not_exists_and_list_append() {
        let mut it = item(vec![("a", n("1")), ("l", l(vec![s("x")]))]);
        let ine = |p: &str, fallback| SetOperand::IfNotExists(path(p), Box::new(fallback));
        let la = |a: SetOperand, b: SetOperand| SetOperand::ListAppend(Box::new(a), Box::new(b));
        apply(
            vec![
                set("a", ine("a", sop_v(n("5")))),
                set("b", ine("b", sop_v(n("5.0")))),
                set("front", la(sop_v(l(vec![n("1.0")])), sop_p("l"))),
                set("back", la(sop_p("l"), sop_v(l(vec![s("y")])))),
                set("new", la(ine("none", sop_v(l(vec![]))), sop_v(l(vec![s("z")])))),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["a"], n("1"));
        assert_eq!(it["b"], n("5"));
        assert_eq!(it["front"], l(vec![n("1"), s("x")]));
        assert_eq!(it["back"], l(vec![s("x"), s("y")]));
        assert_eq!(it["new"], l(vec![s("z")]));
    }

    // ----- apply_update: REMOVE ----------------------------------------------

    #[test]
    fn remove_semantics() {
        let mut it = item(vec![
            ("a", s("x")),
            ("l", l(vec![s("0"), s("1"), s("2"), s("3"), s("4")])),
            ("m", m(vec![("k", s("v")), ("j", s("w"))])),
        ]);
        // Indices refer to the old list; missing attributes / indices are no-ops.
        apply(
            vec![
                UpdateAction::Remove(path("l[1]")),
                UpdateAction::Remove(path("l[2]")),
                UpdateAction::Remove(path("l[9]")),
                UpdateAction::Remove(path("a")),
                UpdateAction::Remove(path("zz")),
                UpdateAction::Remove(path("m.k")),
                UpdateAction::Remove(path("m.none")),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(
            it,
            item(vec![
                ("l", l(vec![s("0"), s("3"), s("4")])),
                ("m", m(vec![("j", s("w"))]))
            ])
        );
        // A nested target whose parent is absent or of the wrong type is an error.
        for target in ["zz.a", "zz[1]", "m[0]", "l.a", "l[0].x"] {
            assert_eq!(
                validation_message(apply(vec![UpdateAction::Remove(path(target))], &mut it)),
                "The document path provided in the update expression is invalid for update",
                "{target}"
            );
        }
    }

    #[test]
    fn set_and_remove_in_the_same_list() {
        let mut it = item(vec![("l", l(vec![s("a"), s("b"), s("c")]))]);
        apply(
            vec![
                set("l[1]", sop_v(s("B"))),
                set("l[7]", sop_v(s("d"))),
                UpdateAction::Remove(path("l[0]")),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["l"], l(vec![s("B"), s("c"), s("d")]));
    }

    // ----- apply_update: ADD / DELETE ------------------------------------------

    #[test]
    fn add_numbers_and_sets() {
        let mut it = item(vec![
            ("n", n("1")),
            ("ss", ss(&["a", "b"])),
            ("ns", ns(&["1", "2"])),
            ("bs", bs(&[b"\x01\x02", b"\x02"])),
            ("m", m(vec![])),
        ]);
        apply(
            vec![
                UpdateAction::Add(path("n"), n("3")),
                UpdateAction::Add(path("fresh"), n("5.0")),
                UpdateAction::Add(path("ss"), ss(&["b", "c", "d"])),
                UpdateAction::Add(path("ns"), ns(&["2.0", "3", "4"])),
                UpdateAction::Add(path("bs"), bs(&[b"\x02", b"\x01"])),
                UpdateAction::Add(path("newset"), ns(&["1.50"])),
                UpdateAction::Add(path("m.count"), n("-2")),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(it["n"], n("4"));
        assert_eq!(it["fresh"], n("5"));
        assert_eq!(it["ss"], ss(&["a", "b", "c", "d"]));
        assert_eq!(it["ns"], ns(&["1", "2", "3", "4"]));
        assert_eq!(it["bs"], bs(&[b"\x01\x02", b"\x02", b"\x01"]));
        assert_eq!(it["newset"], ns(&["1.5"]));
        assert_eq!(it["m"], m(vec![("count", n("-2"))]));
    }

    #[test]
    fn add_and_delete_type_errors() {
        let mut it = item(vec![
            ("b", m(vec![("a", ss(&["1"]))])),
            ("c", n("1")),
            ("d", ns(&["1"])),
        ]);
        let before = it.clone();
        let bad_type = "An operand in the update expression has an incorrect data type";
        for action in [
            UpdateAction::Delete(path("d"), ss(&["1"])),
            UpdateAction::Delete(path("b"), ns(&["1"])),
            UpdateAction::Delete(path("b.a"), ns(&["1"])),
            UpdateAction::Delete(path("b.a"), bs(&[b"a"])),
            UpdateAction::Delete(path("c"), ns(&["1"])),
            UpdateAction::Add(path("b"), ns(&["1"])),
            UpdateAction::Add(path("d"), n("1")),
            UpdateAction::Add(path("c"), ns(&["1"])),
        ] {
            assert_eq!(
                validation_message(apply(vec![action.clone()], &mut it)),
                bad_type,
                "{action:?}"
            );
        }
        let bad_path = "The document path provided in the update expression is invalid for update";
        for action in [
            UpdateAction::Add(path("y.a"), ss(&["a"])),
            UpdateAction::Add(path("c[1]"), n("1")),
            UpdateAction::Delete(path("y.a"), ss(&["a"])),
            UpdateAction::Delete(path("b[1]"), ss(&["a"])),
        ] {
            assert_eq!(
                validation_message(apply(vec![action.clone()], &mut it)),
                bad_path,
                "{action:?}"
            );
        }
        assert_eq!(it, before);
    }

    #[test]
    fn delete_from_sets() {
        let mut it = item(vec![
            ("ns", ns(&["1", "2", "3"])),
            ("ss", ss(&["a"])),
            ("bs", bs(&[b"x", b"y"])),
            ("m", m(vec![("s", ss(&["a", "b"]))])),
            ("l", l(vec![ss(&["a"]), s("keep")])),
        ]);
        apply(
            vec![
                UpdateAction::Delete(path("ns"), ns(&["1.0", "4"])),
                UpdateAction::Delete(path("ss"), ss(&["a"])),
                UpdateAction::Delete(path("bs"), bs(&[b"y"])),
                UpdateAction::Delete(path("m.s"), ss(&["b"])),
                UpdateAction::Delete(path("l[0]"), ss(&["a"])),
                UpdateAction::Delete(path("missing"), ss(&["a"])),
                UpdateAction::Delete(path("m.missing"), ss(&["a"])),
            ],
            &mut it,
        )
        .unwrap();
        assert_eq!(
            it,
            item(vec![
                ("ns", ns(&["2", "3"])),
                ("bs", bs(&[b"x"])),
                ("m", m(vec![("s", ss(&["a"]))])),
                ("l", l(vec![s("keep")])),
            ])
        );
    }

    /// dynalite's "should just add valid ADD actions if nothing exists":
    /// `REMOVE b DELETE c :c ADD d :d, e :e SET f = :f` on a new item.
    #[test]
    fn upsert_on_new_item() {
        let mut it = key_item();
        let upd = update(vec![
            UpdateAction::Remove(path("b")),
            UpdateAction::Delete(path("c"), ss(&["a", "b"])),
            UpdateAction::Add(path("d"), n("5")),
            UpdateAction::Add(path("e"), ss(&["a", "b"])),
            set("f", sop_v(l(vec![s("a"), n("1")]))),
        ]);
        apply_update(&upd, &mut it).unwrap();
        let expected = item(vec![
            ("pk", s("k")),
            ("d", n("5")),
            ("e", ss(&["a", "b"])),
            ("f", l(vec![s("a"), n("1")])),
        ]);
        assert_eq!(it, expected);
        assert_eq!(
            project(&it, &updated_paths(&upd)),
            item(vec![
                ("d", n("5")),
                ("e", ss(&["a", "b"])),
                ("f", l(vec![s("a"), n("1")]))
            ])
        );
    }

    // ----- validate_update -----------------------------------------------------

    #[test]
    fn static_update_operand_types() {
        let msg = |actions: Vec<UpdateAction>| {
            let u = update(actions);
            let static_msg = validation_message(validate_update(&u));
            // apply_update reports the same error before touching the item.
            let mut it = key_item();
            assert_eq!(validation_message(apply_update(&u, &mut it)), static_msg);
            assert_eq!(it, key_item());
            static_msg
        };
        let cases = [
            (
                UpdateAction::Add(path("a.b"), s("a")),
                "operator: ADD, operand type: STRING",
            ),
            (
                UpdateAction::Delete(path("a.b"), s("a")),
                "operator: DELETE, operand type: STRING",
            ),
            (
                UpdateAction::Add(path("a"), null()),
                "operator: ADD, operand type: NULL",
            ),
            (
                UpdateAction::Add(path("a"), boolean(false)),
                "operator: ADD, operand type: BOOLEAN",
            ),
            (
                UpdateAction::Delete(path("a"), b(b"a")),
                "operator: DELETE, operand type: BINARY",
            ),
            (
                UpdateAction::Add(path("a"), m(vec![])),
                "operator: ADD, operand type: MAP",
            ),
            (
                UpdateAction::Delete(path("a"), l(vec![])),
                "operator: DELETE, operand type: LIST",
            ),
            (
                UpdateAction::Delete(path("a"), n("1")),
                "operator: DELETE, operand type: NUMBER",
            ),
        ];
        for (action, tail) in cases {
            assert_eq!(
                msg(vec![action]),
                format!("Invalid UpdateExpression: Incorrect operand type for operator or function; {tail}")
            );
        }
        let la = |a: SetOperand, b: SetOperand| SetOperand::ListAppend(Box::new(a), Box::new(b));
        let function_msg = |f: &str, t: &str| {
            format!(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or \
                 function: {f}, operand type: {t}"
            )
        };
        assert_eq!(
            msg(vec![set("a", la(sop_v(s("a")), sop_p("a")))]),
            function_msg("list_append", "S")
        );
        assert_eq!(
            msg(vec![set("a", la(sop_p("a"), sop_v(ns(&["1"]))))]),
            function_msg("list_append", "NS")
        );
        let plus = |a, b| UpdateAction::Set(path("a"), SetValue::Plus(a, b));
        let minus = |a, b| UpdateAction::Set(path("a"), SetValue::Minus(a, b));
        assert_eq!(msg(vec![plus(sop_p("a"), sop_v(s("a")))]), function_msg("+", "S"));
        assert_eq!(msg(vec![plus(sop_v(s("a")), sop_v(b(b"a")))]), function_msg("+", "S"));
        assert_eq!(msg(vec![minus(sop_v(b(b"a")), sop_p("a"))]), function_msg("-", "B"));
        assert_eq!(msg(vec![minus(sop_p("a"), sop_v(l(vec![])))]), function_msg("-", "L"));
        // ADD/DELETE operand errors are reported before function errors.
        assert_eq!(
            msg(vec![
                set("b", la(sop_v(s("a")), sop_p("a"))),
                UpdateAction::Add(path("a.b"), s("a")),
            ]),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, \
             operand type: STRING"
        );
        assert!(
            validate_update(&update(vec![
                UpdateAction::Add(path("a"), n("1")),
                UpdateAction::Add(path("b"), bs(&[b"x"])),
                UpdateAction::Delete(path("c"), ss(&["x"])),
                plus(sop_p("a"), sop_v(n("1"))),
                set("d", la(sop_p("x"), sop_v(l(vec![])))),
            ]))
            .is_ok()
        );
    }

    #[test]
    fn updated_paths_in_action_order() {
        let u = update(vec![
            set("a.b", sop_v(n("1"))),
            UpdateAction::Remove(path("c[2]")),
            UpdateAction::Add(path("d"), n("1")),
            UpdateAction::Delete(path("e"), ss(&["x"])),
        ]);
        assert_eq!(updated_paths(&u), vec![path("a.b"), path("c[2]"), path("d"), path("e")]);
    }

    // ----- project ------------------------------------------------------------

    #[test]
    fn projection_keeps_structure() {
        let it = item(vec![
            ("a", s("x")),
            (
                "b",
                m(vec![("c", n("1")), ("d", n("2")), ("e", m(vec![("f", s("g"))]))]),
            ),
            (
                "l",
                l(vec![s("0"), m(vec![("k", s("v")), ("z", s("w"))]), s("2"), s("3")]),
            ),
            ("other", s("o")),
        ]);
        let paths = [
            path("a"),
            path("b.c"),
            path("b.e.f"),
            path("l[3]"),
            path("l[1].k"),
            path("missing"),
            path("b.zz"),
            path("l[9]"),
        ];
        assert_eq!(
            project(&it, &paths),
            item(vec![
                ("a", s("x")),
                ("b", m(vec![("c", n("1")), ("e", m(vec![("f", s("g"))]))])),
                ("l", l(vec![m(vec![("k", s("v"))]), s("3")])),
            ])
        );
        assert_eq!(project(&it, &[]), Item::new());
        // A whole attribute wins over a nested path into it.
        assert_eq!(
            project(&it, &[path("b.c"), path("b")]),
            item(vec![("b", it["b"].clone())])
        );
        assert_eq!(
            project(&it, &[path("b"), path("b.c")]),
            item(vec![("b", it["b"].clone())])
        );
    }

    // ----- item_size ------------------------------------------------------------

    #[test]
    fn number_sizes() {
        for (number, size) in [
            ("0", 1),
            ("1", 2),
            ("-1", 3),
            ("10", 2),
            ("100", 2),
            ("12", 2),
            ("123", 3),
            ("1.2", 3),
            ("0.1", 2),
            ("0.12", 2),
            ("12.3456", 4),
            ("-12.3456", 5),
            ("1E+2", 2),
            ("99999999999999999999999999999999999999", 20),
        ] {
            assert_eq!(number_size(number), size, "{number}");
        }
    }

    #[test]
    fn item_sizes() {
        assert_eq!(item_size(&item(vec![("ab", s("xyz"))])), 5);
        assert_eq!(item_size(&item(vec![("a", s("\u{ff}"))])), 3); // UTF-8 bytes
        assert_eq!(item_size(&item(vec![("a", b(b"\x01\x02"))])), 3);
        assert_eq!(item_size(&item(vec![("a", boolean(true)), ("b", null())])), 4);
        assert_eq!(item_size(&item(vec![("a", ss(&["ab", "c"]))])), 4);
        assert_eq!(item_size(&item(vec![("a", ns(&["1", "-1"]))])), 6);
        assert_eq!(item_size(&item(vec![("a", bs(&[b"ab", b"c"]))])), 4);
        // Lists: 3 + 1 per element + elements; maps: 3 + 1 per entry + names + values.
        assert_eq!(
            item_size(&item(vec![("a", l(vec![s("xy"), n("1")]))])),
            1 + 3 + (1 + 2) + (1 + 2)
        );
        assert_eq!(
            item_size(&item(vec![("a", m(vec![("kk", s("v"))]))])),
            1 + 3 + 1 + 2 + 1
        );
        assert_eq!(item_size(&item(vec![("a", l(vec![]))])), 4);
        // dynalite's capacity test: exactly 1024 bytes.
        let key = "abcdefgh";
        let it = item(vec![
            ("a", s(key)),
            ("b", s(&"b".repeat(1009 - key.len()))),
            ("c", n("12.3456")),
            ("d", b(&[1, 2])),
            ("e", bs(&[&[1, 2], &[2], &[1]])),
        ]);
        assert_eq!(item_size(&it), 1024);
    }

    #[test]
    fn base64_rendering() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(&[0xff, 0xfe, 0xfd, 0x00]), "//79AA==");
    }
}
