//! The expression parser: ConditionExpression, FilterExpression,
//! KeyConditionExpression, UpdateExpression and ProjectionExpression text to
//! the AST of [`super::ast`].
//!
//! One [`ExprContext`] serves all the expressions of one request: it resolves
//! `#name` and `:value` placeholders while parsing (so the AST holds attribute
//! names and cloned values) and records which placeholders were used, so that
//! [`ExprContext::finish`] can reject unused ones as DynamoDB does.
//!
//! Errors are [`Error::Validation`] with DynamoDB's wording. A hand-written
//! lexer and recursive-descent parser read the text once; semantic checks
//! (reserved words, undefined placeholders, function rules, overlapping update
//! paths, ...) are collected per category and the one DynamoDB reports first is
//! returned, following the precedence DynamoDB (and dynalite, which mirrors it)
//! uses.

mod checks;
mod lexer;
mod messages;
mod parser;
mod placeholders;
#[cfg(test)]
mod tests;
mod to_ast;

use super::{ast, number, reserved, values};
use crate::Error;
use ast::{Condition, Path, Update};
use checks::check_overlaps;
use lexer::{T, Tok, is_space, lex};
use messages::*;
use parser::{Grammar, Parser};
pub(crate) use placeholders::ExprContext;

/// Longest expression DynamoDB accepts, in bytes of the raw text.
pub(super) const MAX_EXPRESSION_BYTES: usize = 4096;
/// Most operators (comparators, `BETWEEN`, `IN`, `AND`, `OR`, `NOT`) a
/// condition may contain.
pub(super) const MAX_OPERATORS: usize = 300;
/// Most candidates of an `IN` list.
pub(super) const MAX_IN_OPERANDS: usize = 100;
/// Most elements of a document path: items nest at most 32 levels, so a longer
/// path can never resolve.
pub(super) const MAX_PATH_DEPTH: usize = 32;
/// Largest list index a document path may name (`l[2147483647]`; DynamoDB
/// indexes lists with 32-bit signed integers).
pub(super) const MAX_LIST_INDEX: usize = i32::MAX as usize;
/// Deepest nesting of parentheses (groups and function calls) accepted. A
/// guard for the parser's stack (about 2 KB a level in debug builds), checked
/// before parsing. DynamoDB has no such limit of its own, but its 300-operator
/// and 4 KB limits keep realistic expressions far below this.
pub(super) const MAX_NESTING: usize = 128;

/// Which expression parameter is being parsed; names the parameter in error
/// messages (`Invalid ConditionExpression: ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ExprKind {
    /// `ConditionExpression`.
    Condition,
    /// `FilterExpression`.
    Filter,
    /// `KeyConditionExpression`.
    KeyCondition,
    /// `UpdateExpression`.
    Update,
    /// `ProjectionExpression`.
    Projection,
}

impl ExprKind {
    /// The request parameter's name, e.g. `"ConditionExpression"`.
    pub(super) fn parameter(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Update => "UpdateExpression",
            ExprKind::Projection => "ProjectionExpression",
        }
    }
}

impl ExprContext<'_> {
    /// Parses a condition: a ConditionExpression, FilterExpression or
    /// KeyConditionExpression (`kind` only names the parameter in messages; the
    /// key-specific structure of a KeyConditionExpression is the caller's to
    /// check).
    pub(super) fn condition(&mut self, kind: ExprKind, expr: &str) -> Result<Condition, Error> {
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Condition);
        let node = p.condition_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        if p.ops > MAX_OPERATORS {
            return Err(invalid(kind, too_many_operators_message(p.ops)));
        }
        let cond = p.build_condition(*node).map(|c| *c);
        let e = p.errs;
        let first = e
            .index_range
            .or(e.path_depth)
            .or(e.parens)
            .or(e.unknown_fn)
            .or(e.misused)
            .or(e.reserved)
            .or(e.condition);
        match (first, cond) {
            (None, Some(cond)) => Ok(cond),
            (Some(msg), _) => Err(invalid(kind, msg)),
            // Every failed conversion records an error; this is a safety net.
            (None, None) => Err(invalid(kind, syntax_message("<EOF>", ""))),
        }
    }

    /// Parses an UpdateExpression.
    pub(super) fn update(&mut self, expr: &str) -> Result<Update, Error> {
        let kind = ExprKind::Update;
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Update);
        let raw = p.update_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        let actions = p.build_update(raw);
        let e = p.errs;
        let first = e
            .index_range
            .or(e.path_depth)
            .or(e.reserved)
            .or(e.unknown_fn)
            .or(e.section)
            .or(e.attr_name)
            .or(e.attr_value)
            .or(e.overlap)
            .or(e.conflict)
            .or(e.operand)
            .or(e.function);
        match first {
            None => Ok(Update { actions, legacy: false }),
            Some(msg) => Err(invalid(kind, msg)),
        }
    }

    /// Parses a ProjectionExpression: its document paths, in the order written.
    pub(super) fn projection(&mut self, expr: &str) -> Result<Vec<Path>, Error> {
        let kind = ExprKind::Projection;
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Projection);
        let raw = p.projection_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        let paths: Vec<Path> = raw.into_iter().map(|r| p.resolve_path(r)).collect();
        check_overlaps(&paths.iter().collect::<Vec<_>>(), &mut p.errs);
        let e = p.errs;
        match e
            .index_range
            .or(e.path_depth)
            .or(e.reserved)
            .or(e.attr_name)
            .or(e.overlap)
            .or(e.conflict)
        {
            None => Ok(paths),
            Some(msg) => Err(invalid(kind, msg)),
        }
    }
}

/// The checks every expression gets before it is parsed: not empty, not too
/// long. Returns the tokens.
fn prepare(kind: ExprKind, expr: &str) -> Result<Vec<Tok>, Error> {
    if expr.bytes().all(is_space) {
        return Err(invalid(kind, EMPTY_EXPRESSION));
    }
    if expr.len() > MAX_EXPRESSION_BYTES {
        return Err(invalid(kind, expression_size_message(expr.len())));
    }
    let toks = lex(expr);
    // Every level of recursion in the parser opens a parenthesis, so bounding
    // their nesting here bounds the parser's stack.
    let mut depth = 0usize;
    for t in &toks {
        match t.kind {
            T::LParen => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(invalid(kind, too_deeply_nested_message(MAX_NESTING)));
                }
            }
            T::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(toks)
}
