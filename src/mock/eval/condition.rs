//! Conditions (ConditionExpression, FilterExpression,
//! KeyConditionExpression) evaluated against an item.

use std::borrow::Cow;
use std::cmp::Ordering;

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{CompareOp, Condition, Operand};
use super::compare::{numbers_equal, order, size_of, values_equal};
use super::paths::lookup;
use crate::{Error, Item};

/// The value of a condition operand (`None` when absent).
pub(super) fn operand<'a>(op: &'a Operand, item: Option<&'a Item>) -> Option<Cow<'a, AttributeValue>> {
    match op {
        Operand::Path(path) => lookup(item, path).map(Cow::Borrowed),
        Operand::Value(value) => Some(Cow::Borrowed(value)),
        Operand::Size(path) => {
            let size = size_of(lookup(item, path)?)?;
            Some(Cow::Owned(AttributeValue::N(size.to_string())))
        }
    }
}

pub(super) fn compare(op: CompareOp, a: &AttributeValue, b: &AttributeValue) -> bool {
    match op {
        CompareOp::Eq => values_equal(a, b),
        CompareOp::Ne => !values_equal(a, b),
        CompareOp::Lt => order(a, b) == Some(Ordering::Less),
        CompareOp::Le => matches!(order(a, b), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order(a, b) == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(a, b), Some(Ordering::Greater | Ordering::Equal)),
    }
}

pub(super) fn begins_with(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::S(s), AttributeValue::S(prefix)) => s.starts_with(prefix.as_str()),
        (AttributeValue::B(s), AttributeValue::B(prefix)) => s.as_ref().starts_with(prefix.as_ref()),
        _ => false,
    }
}

pub(super) fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
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

pub(super) fn eval(cond: &Condition, item: Option<&Item>) -> bool {
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
pub(crate) fn condition(cond: &Condition, item: Option<&Item>) -> Result<bool, Error> {
    Ok(eval(cond, item))
}
