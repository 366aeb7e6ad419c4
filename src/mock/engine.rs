//! The bridge between a request and the expression engine: a request's
//! expressions are validated and parsed once (`expr.rs` into the AST of
//! `ast.rs`), then evaluated against items (`eval.rs`).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};

use super::ast::{Condition, Path, Update};
use super::encoding::Stored;
use super::eval;
use super::expr::{ExprContext, ExprKind};
use super::values;
use crate::{Error, Item};

/// The expression parameters of one request.
#[derive(Debug, Default)]
pub(crate) struct ExprInput<'a> {
    /// `ExpressionAttributeNames`.
    pub names: Option<&'a HashMap<String, String>>,
    /// `ExpressionAttributeValues`.
    pub values: Option<HashMap<String, AttributeValue>>,
    /// `ConditionExpression`.
    pub condition: Option<&'a str>,
    /// `FilterExpression`.
    pub filter: Option<&'a str>,
    /// `KeyConditionExpression`.
    pub key_condition: Option<&'a str>,
    /// `UpdateExpression`.
    pub update: Option<&'a str>,
    /// `ProjectionExpression`.
    pub projection: Option<&'a str>,
    /// Which operation's expressions these are, for the message naming them
    /// when ExpressionAttributeValues come without any (`None`: all four).
    pub op: Option<ExprOp>,
}

/// An operation by the value-taking expressions it accepts, as DynamoDB
/// names them when ExpressionAttributeValues come without any of them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ExprOp {
    /// PutItem, DeleteItem: a ConditionExpression.
    Conditional,
    /// UpdateItem: an UpdateExpression and a ConditionExpression.
    Update,
    /// Query: a KeyConditionExpression and a FilterExpression.
    Query,
    /// Scan: a FilterExpression.
    Scan,
}

impl ExprOp {
    fn null_expressions(op: Option<ExprOp>) -> &'static str {
        match op {
            Some(ExprOp::Conditional) => "ConditionExpression is null",
            Some(ExprOp::Update) => "UpdateExpression and ConditionExpression are null",
            Some(ExprOp::Query) => "FilterExpression and KeyConditionExpression are null",
            Some(ExprOp::Scan) => "FilterExpression is null",
            None => "ConditionExpression, FilterExpression, KeyConditionExpression and UpdateExpression are null",
        }
    }
}

/// A request's parsed expressions.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// `ConditionExpression`.
    pub condition: Option<Condition>,
    /// `FilterExpression`.
    pub filter: Option<Condition>,
    /// `KeyConditionExpression`.
    pub key_condition: Option<Condition>,
    /// `UpdateExpression`.
    pub update: Option<Update>,
    /// `ProjectionExpression`.
    pub projection: Option<Vec<Path>>,
}

/// Validates and parses every expression of a request, with DynamoDB's rules
/// on the placeholder maps: each must be non-empty, used only with
/// expressions, and every placeholder in it used.
pub(crate) fn parse(input: ExprInput<'_>) -> Result<Parsed, Error> {
    let any_value_expr =
        input.condition.is_some() || input.filter.is_some() || input.key_condition.is_some() || input.update.is_some();
    // DynamoDB Local ignores an empty ExpressionAttributeNames on a request
    // whose only expression is a projection (GetItem and friends).
    let mut input = input;
    if !any_value_expr && input.names.is_some_and(HashMap::is_empty) {
        input.names = None;
    }
    if input.names.is_some() && !any_value_expr && input.projection.is_none() {
        return Err(Error::Validation(
            "ExpressionAttributeNames can only be specified when using expressions".into(),
        ));
    }
    if input.values.is_some() && !any_value_expr {
        return Err(Error::Validation(
            format!(
                "ExpressionAttributeValues can only be specified when using expressions: {}",
                ExprOp::null_expressions(input.op)
            )
            .into(),
        ));
    }
    let mut values = input.values;
    if let Some(v) = values.as_mut()
        && !v.is_empty()
    {
        values::check_expression_values(v)?;
    }
    let mut ctx = ExprContext::new(input.names, values.as_ref());
    ctx.check_maps()?;
    let mut out = Parsed::default();
    if let Some(e) = input.key_condition {
        out.key_condition = Some(ctx.condition(ExprKind::KeyCondition, e)?);
    }
    if let Some(e) = input.filter {
        let c = ctx.condition(ExprKind::Filter, e)?;
        out.filter = Some(c);
    }
    if let Some(e) = input.projection {
        out.projection = Some(ctx.projection(e)?);
    }
    if let Some(e) = input.update {
        let u = ctx.update(e)?;
        out.update = Some(u);
    }
    if let Some(e) = input.condition {
        let c = ctx.condition(ExprKind::Condition, e)?;
        out.condition = Some(c);
    }
    ctx.finish()?;
    Ok(out)
}

/// A ProjectionExpression, ready to apply.
#[derive(Debug, Default, Clone)]
pub(crate) struct Projector {
    paths: Option<Vec<Path>>,
}

impl Projector {
    /// A projection onto `paths` (`None`: every attribute).
    pub(crate) fn from_paths(paths: Option<Vec<Path>>) -> Projector {
        Projector { paths }
    }

    /// Parses a standalone projection (GetItem, a BatchGetItem table,
    /// a TransactGetItems action).
    pub(crate) fn new(expr: Option<&str>, names: Option<&HashMap<String, String>>) -> Result<Projector, Error> {
        if expr.is_none() && names.is_none() {
            // Nothing to parse, nor any name to find unused.
            return Ok(Projector { paths: None });
        }
        let parsed = parse(ExprInput {
            names,
            projection: expr,
            ..ExprInput::default()
        })?;
        Ok(Projector {
            paths: parsed.projection,
        })
    }

    /// Whether this shows every attribute (no projection).
    pub(crate) fn is_identity(&self) -> bool {
        self.paths.is_none()
    }

    /// The item as the projection shows it, from an item the caller owns.
    pub(crate) fn apply_owned(&self, item: Item) -> Item {
        match &self.paths {
            Some(paths) => eval::project(&item, paths),
            None => item,
        }
    }
}

/// An item a read hands out: still encoded as stored (nothing to project),
/// or decoded (and projected).
#[derive(Debug)]
pub(crate) enum Found<'s> {
    /// The item as stored.
    Stored(&'s Stored),
    /// The item as shown.
    Item(Item),
    /// An item just written, whole: the map it was built as (handed over,
    /// so that a record can take its values without copying them) and its
    /// stored form.
    Written(Item, &'s Stored),
}

impl Found<'_> {
    /// The item, decoded.
    pub(crate) fn into_item(self) -> Item {
        match self {
            Found::Stored(s) => s.decode(),
            Found::Item(item) | Found::Written(item, _) => item,
        }
    }
}

/// A ConditionExpression and what to return when it fails.
#[derive(Debug, Default)]
pub(crate) struct Conditional {
    condition: Option<Condition>,
    return_old: bool,
}

impl Conditional {
    /// From a parsed condition.
    pub(crate) fn from_parsed(
        condition: Option<Condition>,
        on_fail: Option<&ReturnValuesOnConditionCheckFailure>,
    ) -> Conditional {
        Conditional {
            condition,
            return_old: matches!(on_fail, Some(ReturnValuesOnConditionCheckFailure::AllOld)),
        }
    }

    /// Parses a request whose only expression is a ConditionExpression
    /// (PutItem, DeleteItem).
    pub(crate) fn new(
        expr: Option<&str>,
        names: Option<&HashMap<String, String>>,
        values: Option<HashMap<String, AttributeValue>>,
        on_fail: Option<&ReturnValuesOnConditionCheckFailure>,
    ) -> Result<Conditional, Error> {
        let parsed = parse(ExprInput {
            names,
            values,
            condition: expr,
            op: Some(ExprOp::Conditional),
            ..ExprInput::default()
        })?;
        Ok(Conditional::from_parsed(parsed.condition, on_fail))
    }

    /// True when the request has a condition.
    pub(crate) fn is_set(&self) -> bool {
        self.condition.is_some()
    }

    /// True when the condition holds for `item` (or there is none).
    pub(crate) fn holds(&self, item: Option<&Item>) -> Result<bool, Error> {
        match &self.condition {
            Some(c) => eval::condition(c, item),
            None => Ok(true),
        }
    }

    /// The old item to hand back on failure, when asked for.
    pub(crate) fn failure_item(&self, item: Option<&Item>) -> Option<Item> {
        if self.return_old { item.cloned() } else { None }
    }

    /// Ok when the condition holds for `item`; otherwise
    /// ConditionalCheckFailed, with the item when asked for.
    pub(crate) fn check(&self, item: Option<&Item>) -> Result<(), Error> {
        if self.holds(item)? {
            return Ok(());
        }
        Err(Error::ConditionalCheckFailed {
            message: "The conditional request failed".into(),
            item: self.failure_item(item),
        })
    }
}
