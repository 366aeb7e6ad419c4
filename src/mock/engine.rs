//! The bridge between requests and the expression engine: parses a
//! request's expressions once (validate → parse), then evaluates them
//! against items.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};

use super::items::unsupported;
use crate::{Error, Item};

/// A request's ProjectionExpression, ready to apply.
#[derive(Debug)]
pub struct Projector {
    active: bool,
}

impl Projector {
    /// Parses the projection (if any).
    pub fn new(expr: Option<&str>, _names: Option<&HashMap<String, String>>) -> Result<Projector, Error> {
        if expr.is_some() {
            return Err(unsupported("ProjectionExpression"));
        }
        Ok(Projector { active: false })
    }

    /// The item as the projection shows it.
    pub fn apply(&self, item: &Item) -> Item {
        let _ = self.active;
        item.clone()
    }
}

/// A request's ConditionExpression, ready to check.
#[derive(Debug)]
pub struct Conditional {
    return_old: bool,
}

impl Conditional {
    /// Parses the condition (if any).
    pub fn new(
        expr: Option<&str>,
        _names: Option<&HashMap<String, String>>,
        values: Option<HashMap<String, AttributeValue>>,
        on_fail: Option<&ReturnValuesOnConditionCheckFailure>,
    ) -> Result<Conditional, Error> {
        if expr.is_some() || values.is_some() {
            return Err(unsupported("ConditionExpression"));
        }
        Ok(Conditional {
            return_old: matches!(on_fail, Some(ReturnValuesOnConditionCheckFailure::AllOld)),
        })
    }

    /// Ok when the condition holds for `item` (or there is none).
    pub fn check(&self, _item: Option<&Item>) -> Result<(), Error> {
        let _ = self.return_old;
        Ok(())
    }
}
