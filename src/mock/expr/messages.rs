//! The wording of expression errors, as DynamoDB writes them.

use aws_sdk_dynamodb::types::AttributeValue;

use super::ExprKind;
use super::ast::Path;
use super::checks::type_name;
use super::values::base64;
use crate::Error;
use crate::vocab::AttrType;

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
    let t = AttrType::of(v).map_or("UNKNOWN", AttrType::long_name);
    format!("Incorrect operand type for operator or function; operator: {clause}, operand type: {t}")
}

/// `AttributeValue: {S:abc}`, `{N:1}`, `{B:YQ==}`: a value of a type with an
/// order as DynamoDB shows it in messages (binary in base64); `None` for the
/// other types, which no message shows (DynamoDB refuses them as operands of
/// the ordering operators before it would).
pub(super) fn shown_value(v: &AttributeValue) -> Option<String> {
    let body = match v {
        AttributeValue::S(s) | AttributeValue::N(s) => s.clone(),
        AttributeValue::B(b) => base64(b.as_ref()),
        _ => return None,
    };
    Some(format!("AttributeValue: {{{}:{body}}}", type_name(v)))
}

/// Literal `BETWEEN` bounds of two types (`low` and `high` as [`shown_value`] writes them).
pub(super) fn between_types_message(low: &str, high: &str) -> String {
    format!(
        "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: {low}, \
         upper bound operand: {high}"
    )
}

/// Literal `BETWEEN` bounds, the lower above the upper.
pub(super) fn between_order_message(low: &str, high: &str) -> String {
    format!(
        "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound \
         operand: {low}, upper bound operand: {high}"
    )
}

/// A token the grammar does not allow there, with its neighbours.
pub(super) fn syntax_message(token: &str, near: &str) -> String {
    format!("Syntax error; token: \"{token}\", near: \"{near}\"")
}

/// An expression of white space only.
pub(super) const EMPTY_EXPRESSION: &str = "The expression can not be empty;";

/// An expression longer than [`super::MAX_EXPRESSION_BYTES`].
pub(super) fn expression_size_message(bytes: usize) -> String {
    format!("Expression size has exceeded the maximum allowed size; expression size: {bytes}")
}

/// Parentheses nested deeper than [`super::MAX_NESTING`].
pub(super) fn too_deeply_nested_message(max: usize) -> String {
    format!("The expression has too many nested levels; maximum nested levels: {max}")
}

/// A condition with more than [`super::MAX_OPERATORS`] operators.
pub(super) fn too_many_operators_message(count: usize) -> String {
    format!("The expression contains too many operators; operator count: {count}")
}

/// An `IN` with more than [`super::MAX_IN_OPERANDS`] candidates.
pub(super) fn too_many_in_operands_message(count: usize) -> String {
    format!("The IN operator is provided with too many operands; number of operands: {count}")
}

/// A reserved word used as a bare attribute name.
pub(super) fn reserved_word_message(word: &str) -> String {
    format!("Attribute name is a reserved keyword; reserved keyword: {word}")
}

/// A list index above [`super::MAX_LIST_INDEX`], as written.
pub(super) fn index_range_message(index: &str) -> String {
    format!("List index is not within the allowable range; index: [{index}]")
}

/// A document path of more than [`super::MAX_PATH_DEPTH`] elements.
pub(super) fn path_depth_message(levels: usize) -> String {
    format!("The document path has too many nesting levels; nesting levels: {levels}")
}

/// Parentheses around parentheses.
pub(super) const REDUNDANT_PARENTHESES: &str = "The expression has redundant parentheses;";

/// An update clause (`SET`, `REMOVE`, `ADD`, `DELETE`) written twice.
pub(super) fn section_twice_message(clause: &str) -> String {
    format!("The \"{clause}\" section can only be used once in an update expression;")
}

/// A function the grammar in use does not have.
pub(super) fn unknown_function_message(function: &str) -> String {
    format!("Invalid function name; function: {function}")
}

/// `attribute_type` given a name that is not a type's.
pub(super) fn type_name_message(name: &str) -> String {
    format!("Invalid attribute type name found; type: {name}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}")
}

/// Two update (or projection) paths, one inside the other or the same.
pub(super) fn paths_overlap_message(one: &Path, two: &Path) -> String {
    format!(
        "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, \
         path two: {}",
        one.message_form(),
        two.message_form()
    )
}

/// Two update (or projection) paths, one indexing a list where the other
/// names a map key.
pub(super) fn paths_conflict_message(one: &Path, two: &Path) -> String {
    format!(
        "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {}, \
         path two: {}",
        one.message_form(),
        two.message_form()
    )
}
