//! The legacy (pre-expression) request parameters: `AttributesToGet`,
//! `Expected` with `ConditionalOperator`, `AttributeUpdates`,
//! `KeyConditions`, `QueryFilter` and `ScanFilter`.
//!
//! Each is validated as DynamoDB validates it (outcomes and error kinds from
//! DynamoDB Local, wording from the real service where it differs) and then
//! translated into the AST the expression parser produces ([`super::ast`]),
//! with the names and values in place, so that the evaluators of `eval/`
//! decide every condition and apply every update: one set of evaluation rules
//! for both kinds of parameter.
//!
//! Mixing legacy and expression parameters in one request is refused
//! ([`mixing`]).

use std::cmp::Ordering;
use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeAction, AttributeValue, AttributeValueUpdate, ComparisonOperator, Condition as LegacyCondition,
    ConditionalOperator, ExpectedAttributeValue, KeysAndAttributes, ReturnValuesOnConditionCheckFailure, Select,
};

use super::ast::{CompareOp, Condition, Operand, Path, PathElement, SetOperand, SetValue, Update, UpdateAction};
use super::engine::{Conditional, Parsed};
use super::items::v;
use super::meta::TableMeta;
use super::{number, values};
use crate::schema::KeyAttr;
use crate::sdk::{DeleteItemInput, GetItemInput, PutItemInput, QueryInput, ScanInput, UpdateItemInput};
use crate::vocab::AttrType;
use crate::{Error, Item};

/// The prefix of DynamoDB's messages on invalid parameter values.
const INVALID: &str = "One or more parameter values were invalid:";
/// A ComparisonOperator DynamoDB does not know (DynamoDB Local's wording).
const UNKNOWN_OPERATOR: &str = "Comparison type does not exist in DynamoDB";
/// ADD or DELETE on an attribute whose type does not fit the value.
const TYPE_MISMATCH: &str = "Type mismatch for attribute to update";

/// Refuses a request that mixes legacy parameters with expression ones:
/// `non` and `expr` list each parameter's name and whether it was given.
pub(crate) fn mixing(non: &[(&str, bool)], expr: &[(&str, bool)]) -> Result<(), Error> {
    let any = |list: &[(&str, bool)]| list.iter().any(|(_, g)| *g);
    if !any(non) || !any(expr) {
        return Ok(());
    }
    fn given<'a>(list: &[(&'a str, bool)]) -> Vec<&'a str> {
        list.iter().filter(|(_, g)| *g).map(|(n, _)| *n).collect()
    }
    let (non, expr) = (given(non), given(expr));
    Err(v(format!(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{}}} Expression parameters: {{{}}}",
        non.join(", "),
        expr.join(", ")
    )))
}

/// Whether a legacy map or list parameter counts as given when deciding
/// whether a request mixes the two kinds: DynamoDB Local treats an empty
/// one (`"QueryFilter": {}`, `"AttributesToGet": []`) as absent.
fn given<C>(param: &Option<C>) -> bool
where
    for<'a> &'a C: IntoIterator,
{
    param.as_ref().is_some_and(|c| c.into_iter().next().is_some())
}

/// Where an `AttributesToGet` list is, for the message on a duplicate name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Where {
    /// GetItem, Query or Scan.
    Request,
    /// A table of a BatchGetItem.
    Batch,
}

/// `AttributesToGet` as a projection onto top-level attributes (names are
/// taken literally: `a.b` is one attribute). An empty list projects nothing
/// away, as on DynamoDB Local.
pub(crate) fn attributes_to_get(list: Option<&[String]>, at: Where) -> Result<Option<Vec<Path>>, Error> {
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    let mut seen = std::collections::HashSet::new();
    for name in list {
        if !seen.insert(name.as_str()) {
            return Err(v(match at {
                Where::Request => "Cannot have two attributes with the same name".to_string(),
                Where::Batch => format!("{INVALID} Duplicate value in attribute name: {name}"),
            }));
        }
    }
    Ok(Some(list.iter().map(|n| top(n)).collect()))
}

/// Refuses a `Select` that contradicts `AttributesToGet`.
pub(crate) fn check_select(attributes_to_get: bool, select: Option<&Select>) -> Result<(), Error> {
    if !attributes_to_get {
        return Ok(());
    }
    let what = match select {
        Some(Select::Count) => "only the Count",
        Some(Select::AllAttributes) => "ALL_ATTRIBUTES",
        Some(Select::AllProjectedAttributes) => "ALL_PROJECTED_ATTRIBUTES",
        _ => return Ok(()),
    };
    Err(v(format!(
        "Cannot specify the AttributesToGet when choosing to get {what}"
    )))
}

/// The path of a top-level attribute.
fn top(name: &str) -> Path {
    Path {
        elements: vec![PathElement::Attr(name.to_string())],
    }
}

/// The entries of a map in name order (DynamoDB reports the first bad one;
/// a fixed order makes which one that is deterministic).
fn sorted<T>(map: &HashMap<String, T>) -> Vec<(&String, &T)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// `ConditionalOperator` checked against the number of conditions it joins;
/// true for OR.
fn joins_with_or(op: Option<&ConditionalOperator>, conditions: usize) -> Result<bool, Error> {
    let Some(op) = op else {
        return Ok(false);
    };
    if conditions == 0 {
        return Err(v("ConditionalOperator cannot be used without Filter or Expected"));
    }
    if conditions == 1 {
        return Err(v(
            "ConditionalOperator can only be used when Filter or Expected has two or more elements",
        ));
    }
    match op {
        ConditionalOperator::And => Ok(false),
        ConditionalOperator::Or => Ok(true),
        other => Err(v(format!(
            "1 validation error detected: Value '{}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]",
            other.as_str()
        ))),
    }
}

/// Joins conditions with AND or OR.
fn join(conditions: Vec<Condition>, or: bool) -> Option<Condition> {
    conditions.into_iter().reduce(|a, b| {
        if or {
            Condition::Or(Box::new(a), Box::new(b))
        } else {
            Condition::And(Box::new(a), Box::new(b))
        }
    })
}

/// `Expected` (with `ConditionalOperator`) as a condition; `None` when there
/// is no condition.
pub(crate) fn expected(
    expected: Option<&HashMap<String, ExpectedAttributeValue>>,
    op: Option<&ConditionalOperator>,
) -> Result<Option<Condition>, Error> {
    let map = expected.map(sorted).unwrap_or_default();
    let or = joins_with_or(op, map.len())?;
    let mut out = Vec::with_capacity(map.len());
    for (name, e) in map {
        out.push(expected_one(name, e)?);
    }
    Ok(join(out, or))
}

fn expected_one(name: &str, e: &ExpectedAttributeValue) -> Result<Condition, Error> {
    let list = e.attribute_value_list.as_deref();
    if e.value.is_some() && list.is_some() {
        return Err(v(format!(
            "{INVALID} Value and AttributeValueList cannot be used together for Attribute: {name}"
        )));
    }
    if e.exists.is_some() && e.comparison_operator.is_some() {
        return Err(v(format!(
            "{INVALID} Exists and ComparisonOperator cannot be used together for Attribute: {name}"
        )));
    }
    match &e.comparison_operator {
        Some(op) => {
            let values: Vec<AttributeValue> = match (&e.value, list) {
                (Some(value), _) => vec![value.clone()],
                (None, Some(list)) => list.to_vec(),
                (None, None) => {
                    if !matches!(op, ComparisonOperator::Null | ComparisonOperator::NotNull) {
                        return Err(v(format!(
                            "{INVALID} Value or AttributeValueList must be used with ComparisonOperator: {} for Attribute: {name}",
                            op.as_str()
                        )));
                    }
                    Vec::new()
                }
            };
            compare(name, op, values)
        }
        None => {
            if list.is_some() {
                return Err(v(format!(
                    "{INVALID} AttributeValueList can only be used with a ComparisonOperator for Attribute: {name}"
                )));
            }
            match (e.exists, &e.value) {
                (Some(false), Some(_)) => Err(v(format!(
                    "{INVALID} Value cannot be used when Exists is false for Attribute: {name}"
                ))),
                (Some(false), None) => Ok(Condition::AttributeNotExists(top(name))),
                (_, Some(value)) => compare(name, &ComparisonOperator::Eq, vec![value.clone()]),
                (exists, None) => Err(v(format!(
                    "{INVALID} Value must be provided when Exists is {} for Attribute: {name}",
                    if exists.is_some() { "true" } else { "null" }
                ))),
            }
        }
    }
}

/// `QueryFilter` or `ScanFilter` (with `ConditionalOperator`) as a condition;
/// `None` when there is no condition.
pub(crate) fn filter(
    filter: Option<&HashMap<String, LegacyCondition>>,
    op: Option<&ConditionalOperator>,
) -> Result<Option<Condition>, Error> {
    let map = filter.map(sorted).unwrap_or_default();
    let or = joins_with_or(op, map.len())?;
    let mut out = Vec::with_capacity(map.len());
    for (name, c) in map {
        out.push(compare(
            name,
            &c.comparison_operator,
            c.attribute_value_list().to_vec(),
        )?);
    }
    Ok(join(out, or))
}

/// Refuses a `QueryFilter` on a key attribute of what the query reads.
pub(crate) fn check_query_filter_keys(
    filter: Option<&HashMap<String, LegacyCondition>>,
    keys: &[&str],
) -> Result<(), Error> {
    for (name, _) in filter.map(sorted).unwrap_or_default() {
        if keys.contains(&name.as_str()) {
            return Err(v(format!(
                "QueryFilter can only contain non-primary key attributes: Primary key attribute: {name}"
            )));
        }
    }
    Ok(())
}

/// How many values an operator takes.
enum Arity {
    None,
    One,
    Two,
    AtLeastOne,
}

/// Which value types an operator accepts.
fn accepts(op: &ComparisonOperator, ty: AttrType) -> bool {
    use ComparisonOperator as C;
    let scalar = matches!(ty, AttrType::S | AttrType::N | AttrType::B);
    match op {
        C::Eq | C::Ne => true,
        C::Lt | C::Le | C::Gt | C::Ge | C::Between | C::In => scalar,
        C::Contains | C::NotContains => scalar || matches!(ty, AttrType::Bool | AttrType::Null),
        C::BeginsWith => matches!(ty, AttrType::S | AttrType::B),
        _ => false,
    }
}

/// Validates an operator's values (count, types, the values themselves) and
/// returns them, checked and with numbers in canonical form.
fn operands(op: &ComparisonOperator, mut values: Vec<AttributeValue>) -> Result<Vec<AttributeValue>, Error> {
    use ComparisonOperator as C;
    let arity = match op {
        C::Null | C::NotNull => Arity::None,
        C::Between => Arity::Two,
        C::In => Arity::AtLeastOne,
        C::Eq | C::Ne | C::Lt | C::Le | C::Gt | C::Ge | C::Contains | C::NotContains | C::BeginsWith => Arity::One,
        _ => return Err(v(UNKNOWN_OPERATOR)),
    };
    let count_ok = match arity {
        Arity::None => values.is_empty(),
        Arity::One => values.len() == 1,
        Arity::Two => values.len() == 2,
        Arity::AtLeastOne => !values.is_empty(),
    };
    if !count_ok {
        return Err(v(format!(
            "{INVALID} Invalid number of argument(s) for the {} ComparisonOperator",
            op.as_str()
        )));
    }
    for value in values.iter_mut() {
        values::check_value(value)?;
        let ty = AttrType::of(value);
        if !ty.is_some_and(|t| accepts(op, t)) {
            return Err(v(format!(
                "{INVALID} ComparisonOperator {} is not valid for {} AttributeValue type",
                op.as_str(),
                ty.map_or("unknown", AttrType::name)
            )));
        }
    }
    if values.windows(2).any(|w| AttrType::of(&w[0]) != AttrType::of(&w[1])) {
        return Err(v(format!(
            "{INVALID} AttributeValues inside AttributeValueList must be of same type"
        )));
    }
    if let (C::Between, [low, high]) = (op, values.as_slice())
        && scalar_order(low, high) == Ordering::Greater
    {
        return Err(v(
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
        ));
    }
    Ok(values)
}

/// The order of two scalars of one type (S, N or B; checked values).
fn scalar_order(a: &AttributeValue, b: &AttributeValue) -> Ordering {
    match (a, b) {
        (AttributeValue::S(x), AttributeValue::S(y)) => x.as_bytes().cmp(y.as_bytes()),
        (AttributeValue::N(x), AttributeValue::N(y)) => number::compare(x, y),
        (AttributeValue::B(x), AttributeValue::B(y)) => x.as_ref().cmp(y.as_ref()),
        _ => Ordering::Equal,
    }
}

/// One legacy comparison on attribute `name`, as the condition an
/// expression would state it with.
fn compare(name: &str, op: &ComparisonOperator, values: Vec<AttributeValue>) -> Result<Condition, Error> {
    use ComparisonOperator as C;
    let values: Vec<Operand> = operands(op, values)?.into_iter().map(Operand::Value).collect();
    let path = || Operand::Path(top(name));
    if *op == C::In {
        return Ok(Condition::In {
            value: path(),
            list: values,
        });
    }
    let mut values = values.into_iter();
    let mut one = || values.next().ok_or_else(|| v(UNKNOWN_OPERATOR));
    let cmp = |op, right| Condition::Compare {
        op,
        left: path(),
        right,
    };
    Ok(match op {
        C::Eq => cmp(CompareOp::Eq, one()?),
        C::Ne => cmp(CompareOp::Ne, one()?),
        C::Lt => cmp(CompareOp::Lt, one()?),
        C::Le => cmp(CompareOp::Le, one()?),
        C::Gt => cmp(CompareOp::Gt, one()?),
        C::Ge => cmp(CompareOp::Ge, one()?),
        C::NotNull => Condition::AttributeExists(top(name)),
        C::Null => Condition::AttributeNotExists(top(name)),
        C::Contains => Condition::Contains(path(), one()?),
        // Unlike `NOT contains(...)`, false for an absent attribute.
        C::NotContains => Condition::And(
            Box::new(Condition::AttributeExists(top(name))),
            Box::new(Condition::Not(Box::new(Condition::Contains(path(), one()?)))),
        ),
        C::BeginsWith => Condition::BeginsWith(path(), one()?),
        C::Between => {
            let low = one()?;
            let high = one()?;
            Condition::Between {
                value: path(),
                low,
                high,
            }
        }
        _ => return Err(v(UNKNOWN_OPERATOR)),
    })
}

/// `KeyConditions` as a key condition on the partition key attributes
/// `hashes` (one, but for a global index with several) and the sort key
/// attributes `ranges`, for the Query's key-condition analysis (which checks
/// the values' types, and, with several attributes, which are named).
pub(crate) fn key_conditions(
    conditions: Option<&HashMap<String, LegacyCondition>>,
    hashes: &[&KeyAttr],
    ranges: &[&KeyAttr],
) -> Result<Condition, Error> {
    use ComparisonOperator as C;
    let empty = HashMap::new();
    let conditions = conditions.unwrap_or(&empty);
    if conditions.is_empty() {
        return Err(v("Conditions must be at least length 1"));
    }
    if conditions.len() > 2.max(hashes.len() + ranges.len()) {
        return Err(v("Conditions can be of length 1 or 2 only"));
    }
    let is_hash = |n: &str| hashes.iter().any(|k| k.name == n);
    let is_key = |n: &str| is_hash(n) || ranges.iter().any(|k| k.name == n);
    let single_hash_missing = hashes.len() == 1 && hashes.iter().any(|k| !conditions.contains_key(&k.name));
    if single_hash_missing || conditions.keys().any(|n| !is_key(n)) {
        return Err(v("Query condition missed key schema element"));
    }
    let mut out = Vec::with_capacity(2);
    for (name, c) in sorted(conditions) {
        let op = &c.comparison_operator;
        let values = c.attribute_value_list().to_vec();
        let is_hash = is_hash(name);
        operands(op, values.clone())?;
        match op {
            C::Eq => {}
            _ if is_hash => return Err(v("Query key condition not supported")),
            C::Lt | C::Le | C::Gt | C::Ge | C::Between | C::BeginsWith => {}
            C::Null | C::NotNull => return Err(v("Only scalar types can be used as Range Key values")),
            _ => return Err(v("Attempted conditional constraint is not an indexable operation")),
        }
        out.push(compare(name, op, values)?);
    }
    join(out, false).ok_or_else(|| v("Conditions must be at least length 1"))
}

/// `AttributeUpdates` as an update, with the checks DynamoDB makes once the
/// condition holds: DynamoDB validates `AttributeUpdates` only then, so a
/// failed condition wins over any of its errors.
#[derive(Debug, Default)]
pub(crate) struct AttributeUpdates {
    /// The update, as an UpdateExpression would state it.
    pub update: Update,
    /// The ADD and DELETE actions with a value: attribute and value.
    typed: Vec<(String, AttributeValue)>,
    /// The first thing wrong with the updates, reported by [`Self::check`].
    error: Option<Error>,
}

impl AttributeUpdates {
    /// Translates `AttributeUpdates`, keeping the first error for
    /// [`Self::check`]. Without an `Action`, a value is PUT, as DynamoDB
    /// documents (DynamoDB Local instead ignores that update and every later
    /// one).
    pub(crate) fn new(updates: &HashMap<String, AttributeValueUpdate>) -> AttributeUpdates {
        let mut out = AttributeUpdates::default();
        out.update.legacy = true;
        for (name, u) in sorted(updates) {
            if let Err(e) = out.push(name, u) {
                out.error = Some(e);
                break;
            }
        }
        out
    }

    fn push(&mut self, name: &str, u: &AttributeValueUpdate) -> Result<(), Error> {
        let action = u.action.clone().unwrap_or(AttributeAction::Put);
        if !matches!(
            action,
            AttributeAction::Put | AttributeAction::Add | AttributeAction::Delete
        ) {
            return Err(v("Member must satisfy enum value set: [ADD, DELETE, PUT]"));
        }
        let path = top(name);
        let Some(mut value) = u.value.clone() else {
            if action != AttributeAction::Delete {
                return Err(v(format!(
                    "{INVALID} Only DELETE action is allowed when no attribute value is specified"
                )));
            }
            self.update.actions.push(UpdateAction::Remove(path));
            return Ok(());
        };
        values::check_value(&mut value)?;
        let ty = AttrType::of(&value);
        let long = ty.map_or("UNKNOWN", AttrType::long_name);
        let action = match action {
            AttributeAction::Add => match ty {
                Some(AttrType::N | AttrType::Ss | AttrType::Ns | AttrType::Bs) => {
                    UpdateAction::Add(path, value.clone())
                }
                // ADD to a list appends (to an empty list when absent).
                Some(AttrType::L) => UpdateAction::Set(
                    path.clone(),
                    SetValue::Operand(SetOperand::ListAppend(
                        Box::new(SetOperand::IfNotExists(
                            path,
                            Box::new(SetOperand::Value(AttributeValue::L(Vec::new()))),
                        )),
                        Box::new(SetOperand::Value(value.clone())),
                    )),
                ),
                _ => return Err(v(format!("{INVALID} ADD action is not supported for the type {long}"))),
            },
            AttributeAction::Delete => {
                if !ty.is_some_and(AttrType::is_set) {
                    return Err(v(format!(
                        "{INVALID} DELETE action with value is not supported for the type {long}"
                    )));
                }
                UpdateAction::Delete(path, value.clone())
            }
            _ => {
                self.update
                    .actions
                    .push(UpdateAction::Set(path, SetValue::Operand(SetOperand::Value(value))));
                return Ok(());
            }
        };
        self.typed.push((name.to_string(), value));
        self.update.actions.push(action);
        Ok(())
    }

    /// Once the condition holds: the first error of the updates, then an ADD
    /// or DELETE whose value has another type than the attribute's value in
    /// `old`, or than the local index key attribute it updates (a global
    /// index's key is checked on the item the update makes, as any item's).
    pub(crate) fn check(&self, meta: &TableMeta, old: Option<&Item>) -> Result<(), Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        for (name, value) in &self.typed {
            if let Some(existing) = old.and_then(|o| o.get(name))
                && AttrType::of(existing) != AttrType::of(value)
            {
                return Err(v(TYPE_MISMATCH));
            }
            let local_key = meta
                .indexes
                .iter()
                .filter(|i| !i.global)
                .filter_map(|i| i.range.as_ref())
                .find(|k| k.name == *name);
            if let Some(k) = local_key
                && AttrType::of(value) != Some(AttrType::from(k.ty))
            {
                return Err(v(
                    "Updates on index keys must be of the same data type as the key attribute",
                ));
            }
        }
        Ok(())
    }
}

// -- the operations' hooks ------------------------------------------------

/// GetItem: the mixing check, and `AttributesToGet` as a projection.
pub(crate) fn get_item(input: &GetItemInput) -> Result<Option<Vec<Path>>, Error> {
    mixing(
        &[("AttributesToGet", given(&input.attributes_to_get))],
        &[("ProjectionExpression", input.projection_expression.is_some())],
    )?;
    attributes_to_get(input.attributes_to_get.as_deref(), Where::Request)
}

/// One table of a BatchGetItem: as [`get_item`].
pub(crate) fn batch_get_table(keys: &KeysAndAttributes) -> Result<Option<Vec<Path>>, Error> {
    mixing(
        &[("AttributesToGet", given(&keys.attributes_to_get))],
        &[("ProjectionExpression", keys.projection_expression.is_some())],
    )?;
    attributes_to_get(keys.attributes_to_get.as_deref(), Where::Batch)
}

/// PutItem: the mixing check.
pub(crate) fn put_item(input: &PutItemInput) -> Result<(), Error> {
    mixing(
        &[
            ("Expected", given(&input.expected)),
            ("ConditionalOperator", input.conditional_operator.is_some()),
        ],
        &[("ConditionExpression", input.condition_expression.is_some())],
    )
}

/// DeleteItem: the mixing check.
pub(crate) fn delete_item(input: &DeleteItemInput) -> Result<(), Error> {
    mixing(
        &[
            ("Expected", given(&input.expected)),
            ("ConditionalOperator", input.conditional_operator.is_some()),
        ],
        &[("ConditionExpression", input.condition_expression.is_some())],
    )
}

/// PutItem and DeleteItem: `Expected` as the request's condition, in place
/// of `cond` (the ConditionExpression's, absent when `Expected` is given).
pub(crate) fn conditional(
    cond: Conditional,
    expected: &Option<HashMap<String, ExpectedAttributeValue>>,
    op: &Option<ConditionalOperator>,
    on_fail: &Option<ReturnValuesOnConditionCheckFailure>,
) -> Result<Conditional, Error> {
    match self::expected(expected.as_ref(), op.as_ref())? {
        Some(c) => Ok(Conditional::from_parsed(Some(c), on_fail.as_ref())),
        None => Ok(cond),
    }
}

/// UpdateItem: the mixing check.
pub(crate) fn update_item(input: &UpdateItemInput) -> Result<(), Error> {
    mixing(
        &[
            ("AttributeUpdates", given(&input.attribute_updates)),
            ("Expected", given(&input.expected)),
            ("ConditionalOperator", input.conditional_operator.is_some()),
        ],
        &[
            ("UpdateExpression", input.update_expression.is_some()),
            ("ConditionExpression", input.condition_expression.is_some()),
        ],
    )
}

/// UpdateItem: `AttributeUpdates` and `Expected` as the parsed update and
/// condition (which are absent when they are given), and the type checks
/// to make against the old item.
pub(crate) fn update_parsed(
    mut parsed: Parsed,
    updates: Option<&HashMap<String, AttributeValueUpdate>>,
    expected: Option<&HashMap<String, ExpectedAttributeValue>>,
    op: Option<&ConditionalOperator>,
) -> Result<(Parsed, AttributeUpdates), Error> {
    if let Some(c) = self::expected(expected, op)? {
        parsed.condition = Some(c);
    }
    let updates = updates.filter(|u| !u.is_empty());
    let legacy = updates.map(AttributeUpdates::new).unwrap_or_default();
    if updates.is_some() {
        parsed.update = Some(legacy.update.clone());
    }
    Ok((parsed, legacy))
}

/// Query: the mixing check (`KeyConditions` mixes only with a
/// KeyConditionExpression), then `AttributesToGet` as a projection.
pub(crate) fn query(input: &QueryInput) -> Result<Option<Vec<Path>>, Error> {
    let key_expr = input.key_condition_expression.is_some();
    mixing(
        &[
            ("AttributesToGet", given(&input.attributes_to_get)),
            ("QueryFilter", given(&input.query_filter)),
            ("ConditionalOperator", input.conditional_operator.is_some()),
            ("KeyConditions", given(&input.key_conditions) && key_expr),
        ],
        &[
            ("ProjectionExpression", input.projection_expression.is_some()),
            ("FilterExpression", input.filter_expression.is_some()),
            ("KeyConditionExpression", key_expr),
        ],
    )?;
    let paths = attributes_to_get(input.attributes_to_get.as_deref(), Where::Request)?;
    check_select(paths.is_some(), input.select.as_ref())?;
    Ok(paths)
}

/// Scan: the mixing check, then `AttributesToGet` as a projection.
pub(crate) fn scan(input: &ScanInput) -> Result<Option<Vec<Path>>, Error> {
    mixing(
        &[
            ("AttributesToGet", given(&input.attributes_to_get)),
            ("ScanFilter", given(&input.scan_filter)),
            ("ConditionalOperator", input.conditional_operator.is_some()),
        ],
        &[
            ("ProjectionExpression", input.projection_expression.is_some()),
            ("FilterExpression", input.filter_expression.is_some()),
        ],
    )?;
    let paths = attributes_to_get(input.attributes_to_get.as_deref(), Where::Request)?;
    check_select(paths.is_some(), input.select.as_ref())?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> AttributeValue {
        AttributeValue::S(x.into())
    }

    fn message(e: Error) -> String {
        match e {
            Error::Validation(m) => m.to_string(),
            other => format!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn mixing_names_every_parameter_given_of_each_kind_in_order() {
        let e = mixing(
            &[
                ("AttributeUpdates", true),
                ("Expected", false),
                ("ConditionalOperator", true),
            ],
            &[("UpdateExpression", true), ("ConditionExpression", true)],
        )
        .unwrap_err();
        assert_eq!(
            message(e),
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, ConditionalOperator} Expression parameters: {UpdateExpression, ConditionExpression}"
        );
        assert!(mixing(&[("Expected", true)], &[("ConditionExpression", false)]).is_ok());
    }

    #[test]
    fn a_value_with_no_action_is_put() {
        let mut map = HashMap::new();
        map.insert("a".to_string(), AttributeValueUpdate::builder().value(s("x")).build());
        let u = AttributeUpdates::new(&map);
        let mut item = Item::new();
        crate::mock::eval::apply_update(&u.update, &mut item).unwrap();
        assert_eq!(item.get("a"), Some(&s("x")));
    }

    #[test]
    fn an_unknown_conditional_operator_is_refused_with_the_enum_message() {
        let e = joins_with_or(Some(&ConditionalOperator::from("XOR")), 2).unwrap_err();
        assert_eq!(
            message(e),
            "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]"
        );
    }

    #[test]
    fn not_equal_on_a_range_key_is_not_an_indexable_operation() {
        let hash = KeyAttr::new("h", crate::schema::KeyType::S);
        let range = KeyAttr::new("r", crate::schema::KeyType::N);
        let cond = |op: ComparisonOperator, v: AttributeValue| {
            LegacyCondition::builder()
                .comparison_operator(op)
                .attribute_value_list(v)
                .build()
                .unwrap()
        };
        let mut map = HashMap::new();
        map.insert("h".to_string(), cond(ComparisonOperator::Eq, s("a")));
        map.insert(
            "r".to_string(),
            cond(ComparisonOperator::Ne, AttributeValue::N("1".into())),
        );
        let e = key_conditions(Some(&map), &[&hash], &[&range]).unwrap_err();
        assert_eq!(
            message(e),
            "Attempted conditional constraint is not an indexable operation"
        );
    }
}
