//! The expression AST: what the parser (`expr/`) produces and the evaluator
//! (`eval/`) consumes.
//!
//! Placeholders are resolved during parsing: `#n` becomes the attribute name it
//! stands for and `:v` the value it stands for, so the evaluator never sees
//! `ExpressionAttributeNames` or `ExpressionAttributeValues`.

use aws_sdk_dynamodb::types::AttributeValue;

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum PathElement {
    /// A map key (or, first in a path, a top-level attribute name).
    Attr(String),
    /// A list index, `[n]`.
    Index(usize),
}

/// A document path such as `a.b[2].c`. Always starts with an `Attr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Path {
    /// The steps, outermost first.
    pub elements: Vec<PathElement>,
}

impl Path {
    /// The path as DynamoDB prints it in messages: `a.b[2]` is `[a, b, [2]]`.
    pub(crate) fn message_form(&self) -> String {
        let parts: Vec<String> = self
            .elements
            .iter()
            .map(|e| match e {
                PathElement::Attr(name) => name.clone(),
                PathElement::Index(i) => format!("[{i}]"),
            })
            .collect();
        format!("[{}]", parts.join(", "))
    }

    /// The top-level attribute name the path starts with.
    pub(crate) fn root(&self) -> &str {
        match self.elements.first() {
            Some(PathElement::Attr(name)) => name,
            _ => "",
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CompareOp {
    /// The operator as written: `=`, `<>`, `<`, `<=`, `>`, `>=`.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// An operand of a condition: a path, a value, or `size(path)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// The value at a document path (absent if the path does not resolve).
    Path(Path),
    /// A literal value from `ExpressionAttributeValues`.
    Value(AttributeValue),
    /// `size(path)`: a number, absent if the path does not resolve.
    Size(Path),
}

/// A condition (ConditionExpression, FilterExpression, KeyConditionExpression).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    /// `a op b`.
    Compare {
        /// The operator.
        op: CompareOp,
        /// Left operand.
        left: Operand,
        /// Right operand.
        right: Operand,
    },
    /// `value BETWEEN low AND high`.
    Between {
        /// The tested operand.
        value: Operand,
        /// Lower bound (inclusive).
        low: Operand,
        /// Upper bound (inclusive).
        high: Operand,
    },
    /// `value IN (a, b, ...)`.
    In {
        /// The tested operand.
        value: Operand,
        /// The candidates (1 to 100).
        list: Vec<Operand>,
    },
    /// `a AND b`.
    And(Box<Condition>, Box<Condition>),
    /// `a OR b`.
    Or(Box<Condition>, Box<Condition>),
    /// `NOT a`.
    Not(Box<Condition>),
    /// `attribute_exists(path)`.
    AttributeExists(Path),
    /// `attribute_not_exists(path)`.
    AttributeNotExists(Path),
    /// `attribute_type(path, :t)`.
    AttributeType(Path, Operand),
    /// `begins_with(a, b)`.
    BeginsWith(Operand, Operand),
    /// `contains(a, b)`.
    Contains(Operand, Operand),
}

/// An operand on the right of `SET path = ...`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SetOperand {
    /// The value at a path of the item as it was before the update.
    Path(Path),
    /// A literal value.
    Value(AttributeValue),
    /// `if_not_exists(path, operand)`.
    IfNotExists(Path, Box<SetOperand>),
    /// `list_append(a, b)`.
    ListAppend(Box<SetOperand>, Box<SetOperand>),
}

/// The right-hand side of a `SET` action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SetValue {
    /// `operand`.
    Operand(SetOperand),
    /// `a + b` (numbers).
    Plus(SetOperand, SetOperand),
    /// `a - b` (numbers).
    Minus(SetOperand, SetOperand),
}

/// One action of an update expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UpdateAction {
    /// `SET path = value`.
    Set(Path, SetValue),
    /// `REMOVE path`.
    Remove(Path),
    /// `ADD path :v` (number or set).
    Add(Path, AttributeValue),
    /// `DELETE path :v` (set).
    Delete(Path, AttributeValue),
}

/// A parsed UpdateExpression: its actions, in the order written within each
/// clause (SET actions, then REMOVE, then ADD, then DELETE is *not* implied:
/// the evaluator applies them all against the old item, as DynamoDB does).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Update {
    /// All actions of all clauses.
    pub actions: Vec<UpdateAction>,
    /// Whether it states legacy `AttributeUpdates`: DynamoDB Local checks
    /// the nesting of their values alone, not of the item they leave (an
    /// UpdateExpression's item is checked, a SET nesting one value inside
    /// another).
    pub legacy: bool,
}
