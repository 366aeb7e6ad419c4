//! Evaluation of parsed expressions ([`super::ast`]) against items, with
//! DynamoDB's semantics. The static checks, which need no item, are the
//! parser's (`expr/checks.rs`); what is here can only be decided against an
//! item.
//!
//! * [`condition()`] evaluates ConditionExpression / FilterExpression /
//!   KeyConditionExpression ASTs, resolving paths by reference (no cloning).
//! * [`apply_update`] applies an UpdateExpression: every operand reads the item
//!   as it was before the update, then all writes are applied.
//! * [`project`] and [`updated_paths`] are the helpers the
//!   backend needs around them.

mod compare;
mod condition;
mod paths;
mod projection;
#[cfg(test)]
mod tests;
mod update;

use super::{ast, number, values};
use crate::Error;
use crate::error::Message;
pub(crate) use condition::condition;
pub(crate) use projection::project;
pub(crate) use update::{apply_update, updated_paths};

pub(super) fn validation(message: impl Into<String>) -> Error {
    Error::Validation(Message::new(message))
}
