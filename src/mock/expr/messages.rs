//! The wording of expression errors, as DynamoDB writes them.

use aws_sdk_dynamodb::types::AttributeValue;

use super::ExprKind;
use super::ast::Path;
use super::checks::type_name;
use super::values::base64;
use crate::Error;

pub(super) fn invalid(kind: ExprKind, msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("Invalid {}: {msg}", kind.parameter()).into())
}

pub(super) fn distinct_message(operator: &str, path: &Path) -> String {
    format!(
        "The first operand must be distinct from the remaining operands for this operator or function; \
         operator: {operator}, first operand: {}",
        path.message_form()
    )
}

pub(super) fn misuse_message(function: &str) -> String {
    format!("The function is not allowed to be used this way in an expression; function: {function}")
}

pub(super) fn undefined_name_message(name: &str) -> String {
    format!("An expression attribute name used in the document path is not defined; attribute name: {name}")
}

pub(super) fn undefined_value_message(key: &str) -> String {
    format!("An expression attribute value used in expression is not defined; attribute value: {key}")
}

pub(super) fn operand_count_message(function: &str, n: usize) -> String {
    format!(
        "Incorrect number of operands for operator or function; operator or function: {function}, number of \
         operands: {n}"
    )
}

pub(super) fn operand_type_message(function: &str, t: &str) -> String {
    format!("Incorrect operand type for operator or function; operator or function: {function}, operand type: {t}")
}

pub(super) fn requires_path_message(function: &str) -> String {
    format!("Operator or function requires a document path; operator or function: {function}")
}

/// `ADD` and `DELETE` name the wrong type in long form (`STRING`, ...).
pub(super) fn clause_type_message(clause: &str, v: &AttributeValue) -> String {
    let t = match v {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::L(_) => "LIST",
        AttributeValue::M(_) => "MAP",
        other => type_name(other),
    };
    format!("Incorrect operand type for operator or function; operator: {clause}, operand type: {t}")
}

/// `{S:abc}`, `{N:1}`, `{B:YQ==}`: a value as DynamoDB shows it in messages.
pub(super) fn brief(v: &AttributeValue) -> String {
    let body = match v {
        AttributeValue::S(s) | AttributeValue::N(s) => s.clone(),
        AttributeValue::B(b) => base64(b.as_ref()),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => b.to_string(),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => v.join(","),
        AttributeValue::Bs(v) => v.iter().map(|b| base64(b.as_ref())).collect::<Vec<_>>().join(","),
        AttributeValue::L(l) => l.iter().map(brief).collect::<Vec<_>>().join(","),
        AttributeValue::M(m) => {
            let mut entries: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", brief(v))).collect();
            entries.sort();
            entries.join(",")
        }
        _ => String::new(),
    };
    format!("{{{}:{body}}}", type_name(v))
}
