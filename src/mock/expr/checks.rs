//! The static rules of expressions that DynamoDB checks before reading any
//! item: operand types and counts of functions and operators, `BETWEEN`
//! bounds, distinct operands, overlapping paths. Each rule is written here
//! once; [`super::to_ast`] applies them while converting.

use std::cmp::Ordering;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::vocab::AttrType;

use super::ast::{Condition, Operand, Path, PathElement, SetOperand, SetValue};
use super::messages::*;
use super::number;
use super::parser::{E, Node, RawSetOperand, RawValue};

/// The first error of each category, in the order found. Each entry point
/// reports the first non-empty category in its own precedence order.
#[derive(Default)]
pub(super) struct Errs {
    /// A list index above [`MAX_LIST_INDEX`](super::MAX_LIST_INDEX): first of all, after syntax.
    pub(super) index_range: Option<String>,
    pub(super) path_depth: Option<String>,
    pub(super) parens: Option<String>,
    pub(super) reserved: Option<String>,
    pub(super) unknown_fn: Option<String>,
    pub(super) misused: Option<String>,
    pub(super) section: Option<String>,
    pub(super) attr_name: Option<String>,
    pub(super) attr_value: Option<String>,
    pub(super) overlap: Option<String>,
    pub(super) conflict: Option<String>,
    pub(super) operand: Option<String>,
    pub(super) function: Option<String>,
    /// Conditions: the error of the first atomic condition that has one.
    pub(super) condition: Option<String>,
}

pub(super) fn note(slot: &mut Option<String>, msg: impl FnOnce() -> String) {
    if slot.is_none() {
        *slot = Some(msg());
    }
}

/// The errors of one atomic condition (comparison, BETWEEN, IN or function),
/// reported in this order of precedence.
#[derive(Default)]
pub(super) struct Local {
    pub(super) attr: Option<String>,
    pub(super) operand: Option<String>,
    pub(super) distinct: Option<String>,
    pub(super) function: Option<String>,
    /// Uses the AST cannot represent (e.g. `size(:v)`); reported last.
    pub(super) unsupported: Option<String>,
}

impl Local {
    pub(super) fn first(self) -> Option<String> {
        self.attr
            .or(self.operand)
            .or(self.distinct)
            .or(self.function)
            .or(self.unsupported)
    }
}

pub(super) const CONDITION_FUNCTIONS: [&str; 5] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
];

/// See [`Parser::arg_info`](super::parser::Parser::arg_info).
pub(super) struct ArgInfo {
    pub(super) types: Vec<Option<AttrType>>,
    pub(super) paths: Vec<bool>,
    pub(super) same: Option<Path>,
}

pub(super) fn size_checks(info: ArgInfo, ops: Vec<Option<Operand>>, local: &mut Local) -> Option<Operand> {
    if ops.len() != 1 {
        note(&mut local.operand, || operand_count_message("size", ops.len()));
        return None;
    }
    if let Some(t @ (AttrType::N | AttrType::Bool | AttrType::Null)) = info.types[0] {
        note(&mut local.function, || operand_type_message("size", t.name()));
    }
    match ops.into_iter().next().flatten()? {
        Operand::Path(p) => Some(Operand::Size(p)),
        _ => {
            // The AST's `size` takes a path; DynamoDB also sizes literals.
            note(&mut local.unsupported, || requires_path_message("size"));
            None
        }
    }
}

pub(super) fn function_checks(
    fname: &str,
    info: ArgInfo,
    mut ops: Vec<Option<Operand>>,
    local: &mut Local,
) -> Option<Condition> {
    let arity = if fname.starts_with("attribute_") && fname != "attribute_type" {
        1
    } else {
        2
    };
    if ops.len() != arity {
        note(&mut local.operand, || operand_count_message(fname, ops.len()));
        return None;
    }
    if let Some(p) = &info.same {
        note(&mut local.distinct, || distinct_message(fname, p));
    }
    match fname {
        "attribute_exists" | "attribute_not_exists" if !info.paths[0] => {
            note(&mut local.function, || requires_path_message(fname));
        }
        "begins_with" => {
            if let Some(t) = info
                .types
                .iter()
                .flatten()
                .find(|t| !matches!(t, AttrType::S | AttrType::B))
            {
                note(&mut local.function, || operand_type_message(fname, t.name()));
            }
        }
        "attribute_type" => {
            match (info.types[1], &ops[1]) {
                (Some(AttrType::S), Some(Operand::Value(AttributeValue::S(s)))) => {
                    if AttrType::from_name(s).is_none() {
                        note(&mut local.function, || type_name_message(s));
                    }
                }
                (Some(t), _) => note(&mut local.function, || operand_type_message(fname, t.name())),
                (None, _) => note(&mut local.function, || {
                    operand_type_message(fname, "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
                }),
            }
            if !info.paths[0] {
                note(&mut local.unsupported, || requires_path_message(fname));
            }
        }
        _ => {}
    }
    let second = if arity == 2 { ops.pop().flatten() } else { None };
    let first = ops.pop().flatten();
    match (fname, first?) {
        ("attribute_exists", Operand::Path(p)) => Some(Condition::AttributeExists(p)),
        ("attribute_not_exists", Operand::Path(p)) => Some(Condition::AttributeNotExists(p)),
        ("attribute_type", Operand::Path(p)) => Some(Condition::AttributeType(p, second?)),
        ("begins_with", first) => Some(Condition::BeginsWith(first, second?)),
        ("contains", first) => Some(Condition::Contains(first, second?)),
        _ => None,
    }
}

pub(super) fn arithmetic_checks(
    plus: bool,
    types: [Option<AttrType>; 2],
    a: Option<SetOperand>,
    b: Option<SetOperand>,
    errs: &mut Errs,
) -> Option<SetValue> {
    let symbol = if plus { "+" } else { "-" };
    if let Some(t) = types.iter().flatten().find(|t| **t != AttrType::N) {
        note(&mut errs.function, || operand_type_message(symbol, t.name()));
    }
    let (a, b) = (a?, b?);
    Some(if plus {
        SetValue::Plus(a, b)
    } else {
        SetValue::Minus(a, b)
    })
}

pub(super) fn set_function_checks(
    name: &str,
    first_is_path: bool,
    types: Vec<Option<AttrType>>,
    mut ops: Vec<Option<SetOperand>>,
    errs: &mut Errs,
) -> Option<SetOperand> {
    if name != "if_not_exists" && name != "list_append" {
        note(&mut errs.unknown_fn, || unknown_function_message(name));
        return None;
    }
    if ops.len() != 2 {
        note(&mut errs.function, || operand_count_message(name, ops.len()));
        return None;
    }
    let second = ops.pop().flatten();
    let first = ops.pop().flatten();
    if name == "if_not_exists" {
        match first {
            Some(SetOperand::Path(p)) if first_is_path => Some(SetOperand::IfNotExists(p, Box::new(second?))),
            _ => {
                note(&mut errs.function, || requires_path_message(name));
                None
            }
        }
    } else {
        if let Some(t) = types.iter().flatten().find(|t| **t != AttrType::L) {
            note(&mut errs.function, || operand_type_message(name, t.name()));
        }
        Some(SetOperand::ListAppend(Box::new(first?), Box::new(second?)))
    }
}

/// The path both operands are, if they are the same path.
pub(super) fn same_path(a: &Node, b: &Node) -> Option<Path> {
    match (&a.e, &b.e) {
        (E::Path(x), E::Path(y)) if x.path == y.path => Some(x.path.clone()),
        _ => None,
    }
}

/// Rejects update (or projection) paths that overlap (one is a prefix of the
/// other, or equal) or conflict (one indexes a list where the other names a
/// map key), comparing each path with those written before it.
pub(super) fn check_overlaps(paths: &[&Path], errs: &mut Errs) {
    for (j, later) in paths.iter().enumerate() {
        for &earlier in &paths[..j] {
            let mut overlap = true;
            for (x, y) in earlier.elements.iter().zip(&later.elements) {
                let conflict = matches!(
                    (x, y),
                    (PathElement::Attr(_), PathElement::Index(_)) | (PathElement::Index(_), PathElement::Attr(_))
                );
                if conflict {
                    note(&mut errs.conflict, || paths_conflict_message(earlier, later));
                }
                if x != y {
                    overlap = false;
                    break;
                }
            }
            if overlap {
                errs.overlap = Some(paths_overlap_message(earlier, later));
                return;
            }
        }
    }
}

/// DynamoDB's short name of a value's type, for messages (`UNKNOWN` for a
/// type the SDK does not know, which no request decodes to).
pub(super) fn type_name(v: &AttributeValue) -> &'static str {
    AttrType::of(v).map_or("UNKNOWN", AttrType::name)
}

/// The type of a literal `:value` operand (functions are not looked into).
pub(super) fn immediate_type(operand: &RawSetOperand) -> Option<AttrType> {
    match operand {
        RawSetOperand::Value(RawValue::Known(v)) => AttrType::of(v),
        _ => None,
    }
}

/// The types with an order: the only ones the ordering operators (`<`,
/// `<=`, `>`, `>=`, `BETWEEN`) accept.
const ORDERED_TYPES: [AttrType; 3] = [AttrType::S, AttrType::N, AttrType::B];

/// The first operand of an ordering operator whose type is known and has no
/// order (a set, list, map, boolean or null), reported as DynamoDB does:
/// `Incorrect operand type for operator or function; operator or function:
/// BETWEEN, operand type: SS`.
pub(super) fn unordered_operand(operator: &str, types: &[Option<AttrType>]) -> Option<String> {
    types
        .iter()
        .flatten()
        .find(|t| !ORDERED_TYPES.contains(t))
        .map(|t| operand_type_message(operator, t.name()))
}

/// DynamoDB's static check of literal `BETWEEN` bounds: one type, the lower
/// not above the upper. Bounds of a type without an order are refused first
/// (by [`unordered_operand`]), so this only sees, and only shows, S, N and B.
pub(super) fn between_error(low: &AttributeValue, high: &AttributeValue) -> Option<String> {
    let (Some(shown_low), Some(shown_high)) = (shown_value(low), shown_value(high)) else {
        return None;
    };
    if AttrType::of(low) != AttrType::of(high) {
        return Some(between_types_message(&shown_low, &shown_high));
    }
    let order = match (low, high) {
        (AttributeValue::S(a), AttributeValue::S(b)) => a.as_bytes().cmp(b.as_bytes()),
        (AttributeValue::N(a), AttributeValue::N(b)) => number::compare(a, b),
        (AttributeValue::B(a), AttributeValue::B(b)) => a.as_ref().cmp(b.as_ref()),
        _ => Ordering::Equal,
    };
    (order == Ordering::Greater).then(|| between_order_message(&shown_low, &shown_high))
}
