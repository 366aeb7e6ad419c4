//! Query and Scan: key conditions, paging, the 1 MB page limit, filters,
//! projections, `Select`, indexes and parallel scan segments.
//!
//! A Query reads only the partition it names, starting at its key bounds:
//! O(log n + items read).

use std::ops::Bound;

use aws_sdk_dynamodb::types::{AttributeValue, ProjectionType, Select};

use super::ast::{CompareOp, Condition, Operand, PathElement};
use super::catalog::{Catalog, TableState};
use super::encoding::Stored;
use super::engine::{self, ExprInput, Found, Projector};
use super::eval;
use super::items::{read_units, v};
use super::keys::{KeyValue, PrimaryKey, TupleKey};
use super::meta::{IndexMeta, TableMeta};
use super::store::IndexEntry;
use crate::schema::KeyAttr;
use crate::sdk::*;
use crate::{Error, Item};

/// The most data one Query or Scan page reads.
pub(crate) const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// The range part of a key condition.
#[derive(Debug, Clone)]
enum RangeCond {
    Cmp(CompareOp, KeyValue),
    Between(KeyValue, KeyValue),
    BeginsWith(KeyValue),
    /// On a sort key of several attributes (a [`KeyValue::Tuple`]): equal
    /// to `eq` on the first attributes, then `last` on the next one, if any;
    /// `lower` is the lowest tuple admitted, if any.
    Tuple {
        eq: Vec<KeyValue>,
        last: Option<Box<RangeCond>>,
        lower: Option<KeyValue>,
    },
}

/// Where a range key stands relative to a range condition.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    Below,
    In,
    Above,
}

impl RangeCond {
    fn place(&self, rk: Option<&KeyValue>) -> Place {
        let Some(rk) = rk else { return Place::Below };
        use std::cmp::Ordering::*;
        match self {
            RangeCond::Cmp(op, v) => match (op, rk.cmp(v)) {
                (CompareOp::Eq, Less) => Place::Below,
                (CompareOp::Eq, Equal) => Place::In,
                (CompareOp::Eq, Greater) => Place::Above,
                (CompareOp::Lt, Less) | (CompareOp::Le, Less | Equal) => Place::In,
                (CompareOp::Lt | CompareOp::Le, _) => Place::Above,
                (CompareOp::Gt, Greater) | (CompareOp::Ge, Greater | Equal) => Place::In,
                (CompareOp::Gt | CompareOp::Ge, _) => Place::Below,
                (CompareOp::Ne, _) => Place::In,
            },
            RangeCond::Between(lo, hi) => {
                if rk < lo {
                    Place::Below
                } else if rk > hi {
                    Place::Above
                } else {
                    Place::In
                }
            }
            RangeCond::BeginsWith(p) => {
                let starts = match (rk, p) {
                    (KeyValue::S(a), KeyValue::S(b)) => a.starts_with(b.as_str()),
                    (KeyValue::B(a), KeyValue::B(b)) => a.starts_with(b),
                    _ => false,
                };
                if starts {
                    Place::In
                } else if rk < p {
                    Place::Below
                } else {
                    Place::Above
                }
            }
            // Tuples sort left to right: by the equal attributes, then by
            // the next one (whose place is monotonic, as for one attribute).
            RangeCond::Tuple { eq, last, .. } => {
                let KeyValue::Tuple(t) = rk else { return Place::Below };
                let parts = t.parts();
                let n = eq.len().min(parts.len());
                match parts[..n].cmp(&eq[..]) {
                    Less => Place::Below,
                    Greater => Place::Above,
                    Equal => last.as_ref().map_or(Place::In, |l| l.place(parts.get(n))),
                }
            }
        }
    }

    /// True when `rk` is the inclusive bound the condition ends at, reading
    /// in this direction (`<=` and BETWEEN's upper bound forward, `>=` and
    /// BETWEEN's lower bound backward).
    fn ends_at(&self, rk: Option<&KeyValue>, forward: bool) -> bool {
        let Some(rk) = rk else { return false };
        match (self, forward) {
            (RangeCond::Cmp(CompareOp::Le, v), true) | (RangeCond::Cmp(CompareOp::Ge, v), false) => rk == v,
            (RangeCond::Between(_, hi), true) => rk == hi,
            (RangeCond::Between(lo, _), false) => rk == lo,
            _ => false,
        }
    }

    /// The lowest range value the condition admits, if any.
    fn lower(&self) -> Option<&KeyValue> {
        match self {
            RangeCond::Cmp(CompareOp::Eq | CompareOp::Gt | CompareOp::Ge, v) => Some(v),
            RangeCond::Between(lo, _) => Some(lo),
            RangeCond::BeginsWith(p) => Some(p),
            RangeCond::Tuple { lower, .. } => lower.as_ref(),
            _ => None,
        }
    }

    /// The highest range value the condition admits, if any (inclusive).
    fn upper(&self) -> Option<&KeyValue> {
        match self {
            RangeCond::Cmp(CompareOp::Eq | CompareOp::Lt | CompareOp::Le, v) => Some(v),
            RangeCond::Between(_, hi) => Some(hi),
            _ => None,
        }
    }
}

struct KeyCond {
    hash: KeyValue,
    range: Option<RangeCond>,
}

fn key_err(msg: impl Into<String>) -> Error {
    v(msg)
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        o => o,
    }
}

fn top_attr(op: &Operand) -> Option<&str> {
    match op {
        Operand::Path(p) if p.elements.len() == 1 => match &p.elements[0] {
            PathElement::Attr(a) => Some(a),
            PathElement::Index(_) => None,
        },
        _ => None,
    }
}

fn conjuncts<'c>(c: &'c Condition, out: &mut Vec<&'c Condition>) -> Result<(), Error> {
    match c {
        Condition::And(a, b) => {
            conjuncts(a, out)?;
            conjuncts(b, out)
        }
        Condition::Or(..) => Err(key_err("Invalid operator used in KeyConditionExpression: OR")),
        Condition::Not(_) => Err(key_err("Invalid operator used in KeyConditionExpression: NOT")),
        Condition::In { .. } => Err(key_err("Invalid operator used in KeyConditionExpression: IN")),
        Condition::AttributeExists(_) => Err(key_err(
            "Invalid operator used in KeyConditionExpression: attribute_exists",
        )),
        Condition::AttributeNotExists(_) => Err(key_err(
            "Invalid operator used in KeyConditionExpression: attribute_not_exists",
        )),
        Condition::AttributeType(..) => Err(key_err(
            "Invalid operator used in KeyConditionExpression: attribute_type",
        )),
        Condition::Contains(..) => Err(key_err("Invalid operator used in KeyConditionExpression: contains")),
        other => {
            out.push(other);
            Ok(())
        }
    }
}

/// One key condition term: (attribute, condition on it).
fn term(c: &Condition) -> Result<(&str, RangeCondRaw<'_>), Error> {
    let bad = || key_err("Invalid KeyConditionExpression: Query key condition not supported");
    match c {
        Condition::Compare { op: CompareOp::Ne, .. } => Err(key_err(
            "Invalid KeyConditionExpression: Unsupported operator on KeyConditionExpression: operator: <>",
        )),
        Condition::Compare { op, left, right } => match (top_attr(left), right, top_attr(right), left) {
            (Some(a), Operand::Value(v), _, _) => Ok((a, RangeCondRaw::Cmp(*op, v))),
            (_, _, Some(a), Operand::Value(v)) => Ok((a, RangeCondRaw::Cmp(flip(*op), v))),
            _ => Err(bad()),
        },
        Condition::Between {
            value,
            low: Operand::Value(lo),
            high: Operand::Value(hi),
        } => Ok((top_attr(value).ok_or_else(bad)?, RangeCondRaw::Between(lo, hi))),
        Condition::BeginsWith(a, Operand::Value(p)) => Ok((top_attr(a).ok_or_else(bad)?, RangeCondRaw::BeginsWith(p))),
        _ => Err(bad()),
    }
}

enum RangeCondRaw<'a> {
    Cmp(CompareOp, &'a AttributeValue),
    Between(&'a AttributeValue, &'a AttributeValue),
    BeginsWith(&'a AttributeValue),
}

fn typed(av: &AttributeValue, k: &KeyAttr) -> Result<KeyValue, Error> {
    // Values from expressions are canonical (validated on the way in).
    let key = KeyValue::from_attr(av, k.ty).ok_or_else(|| {
        v("One or more parameter values were invalid: Condition parameter type does not match schema type")
    })?;
    if super::keys::is_empty_scalar(av) {
        return Err(super::keys::empty_key_error(&k.name, av));
    }
    Ok(key)
}

fn key_condition(c: &Condition, hash: &KeyAttr, range: Option<&KeyAttr>) -> Result<KeyCond, Error> {
    let mut terms = Vec::new();
    conjuncts(c, &mut terms)?;
    if terms.len() > 2 {
        return Err(key_err(
            "KeyConditionExpressions must only contain one condition per key",
        ));
    }
    let mut hash_value = None;
    let mut range_cond = None;
    for t in terms {
        let (attr, raw) = term(t)?;
        if attr == hash.name {
            if hash_value.is_some() {
                return Err(key_err(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
            match raw {
                RangeCondRaw::Cmp(CompareOp::Eq, val) => hash_value = Some(typed(val, hash)?),
                _ => return Err(key_err("Query key condition not supported")),
            }
        } else if let Some(r) = range.filter(|r| r.name == attr) {
            if range_cond.is_some() {
                return Err(key_err(
                    "KeyConditionExpressions must only contain one condition per key",
                ));
            }
            range_cond = Some(typed_range_cond(raw, r)?);
        } else {
            return Err(key_err(format!(
                "Query condition missed key schema element: {}",
                if hash_value.is_none() {
                    &hash.name
                } else {
                    range.map_or(&hash.name, |r| &r.name)
                }
            )));
        }
    }
    let hash_value =
        hash_value.ok_or_else(|| key_err(format!("Query condition missed key schema element: {}", hash.name)))?;
    Ok(KeyCond {
        hash: hash_value,
        range: range_cond,
    })
}

/// The condition on one sort key attribute, typed by it.
fn typed_range_cond(raw: RangeCondRaw<'_>, r: &KeyAttr) -> Result<RangeCond, Error> {
    Ok(match raw {
        RangeCondRaw::Cmp(op, val) => RangeCond::Cmp(op, typed(val, r)?),
        RangeCondRaw::Between(lo, hi) => RangeCond::Between(typed(lo, r)?, typed(hi, r)?),
        RangeCondRaw::BeginsWith(p) => {
            if r.ty == crate::schema::KeyType::N {
                return Err(key_err(
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                ));
            }
            RangeCond::BeginsWith(typed(p, r)?)
        }
    })
}

/// The key condition on a global index with several partition or sort key
/// attributes: equality on every partition attribute, and conditions on the
/// sort attributes left to right (equality on each but the last one named).
/// DynamoDB Local's rules and wording.
fn key_condition_multi(c: &Condition, index: &IndexMeta) -> Result<KeyCond, Error> {
    let mut terms = Vec::new();
    conjuncts(c, &mut terms)?;
    let hashes: Vec<&KeyAttr> = index.hash_attrs().collect();
    let ranges: Vec<&KeyAttr> = index.range_attrs().collect();
    let mut hash_raw: Vec<Option<RangeCondRaw<'_>>> = hashes.iter().map(|_| None).collect();
    let mut range_raw: Vec<Option<RangeCondRaw<'_>>> = ranges.iter().map(|_| None).collect();
    let mut unknown = false;
    let terms_len = terms.len();
    for t in terms {
        let (attr, raw) = term(t)?;
        let slot = match hashes.iter().position(|k| k.name == attr) {
            Some(i) => &mut hash_raw[i],
            None => match ranges.iter().position(|k| k.name == attr) {
                Some(i) => &mut range_raw[i],
                None => {
                    unknown = true;
                    continue;
                }
            },
        };
        if slot.is_some() {
            return Err(key_err(
                "KeyConditionExpressions must only contain one condition per key",
            ));
        }
        *slot = Some(raw);
    }
    // Repeated attributes first, then more conditions than key attributes.
    if terms_len > hashes.len() + ranges.len() {
        return Err(key_err("Query key condition not supported"));
    }
    let not_equal = |raw: &Option<RangeCondRaw<'_>>| !matches!(raw, Some(RangeCondRaw::Cmp(CompareOp::Eq, _)));
    let names = |keys: &[&KeyAttr], pick: &dyn Fn(usize) -> bool| {
        keys.iter()
            .enumerate()
            .filter(|(i, _)| pick(*i))
            .map(|(_, k)| k.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if hash_raw.iter().any(not_equal) {
        return Err(key_err(format!(
            "HASH key attributes {} must have equality conditions specified in the query",
            names(&hashes, &|i| not_equal(&hash_raw[i]))
        )));
    }
    if unknown {
        return Err(key_err("Query condition missed key schema element"));
    }
    // The sort attributes before the last one named: first those with no
    // condition, then those with one other than equality.
    if let Some(last) = range_raw.iter().rposition(Option::is_some) {
        let unnamed = |i: usize| range_raw[i].is_none();
        let unequal = |i: usize| not_equal(&range_raw[i]);
        for pick in [&unnamed as &dyn Fn(usize) -> bool, &unequal] {
            let missing = names(&ranges[..last], pick);
            if !missing.is_empty() {
                return Err(key_err(format!(
                    "RANGE key attributes {missing} must have equality conditions specified in the query because a condition is present on key attribute {}",
                    ranges[last].name
                )));
            }
        }
    }
    let mut hash_parts = Vec::with_capacity(hashes.len());
    for (k, raw) in hashes.iter().zip(hash_raw) {
        if let Some(RangeCondRaw::Cmp(CompareOp::Eq, val)) = raw {
            hash_parts.push(typed(val, k)?);
        }
    }
    let hash = match <[KeyValue; 1]>::try_from(hash_parts) {
        Ok([one]) => one,
        Err(parts) => KeyValue::Tuple(TupleKey::new(parts)),
    };
    let mut conds = Vec::new();
    for (k, raw) in ranges.iter().zip(range_raw) {
        match raw {
            Some(raw) => conds.push(typed_range_cond(raw, k)?),
            None => break,
        }
    }
    let range = if ranges.len() == 1 {
        conds.pop()
    } else if conds.is_empty() {
        None
    } else {
        let last = match conds.last() {
            Some(RangeCond::Cmp(CompareOp::Eq, _)) | None => None,
            Some(_) => conds.pop().map(Box::new),
        };
        let eq: Vec<KeyValue> = conds
            .into_iter()
            .filter_map(|c| match c {
                RangeCond::Cmp(CompareOp::Eq, v) => Some(v),
                _ => None,
            })
            .collect();
        let mut low = eq.clone();
        low.extend(last.as_ref().and_then(|l| l.lower()).cloned());
        let lower = (!low.is_empty()).then(|| KeyValue::Tuple(TupleKey::new(low)));
        Some(RangeCond::Tuple { eq, last, lower })
    };
    Ok(KeyCond { hash, range })
}

/// What a Query or Scan reads: the table, or one of its indexes.
struct Source<'a> {
    meta: &'a TableMeta,
    index: Option<(usize, &'a IndexMeta)>,
}

impl Source<'_> {
    fn hash(&self) -> &KeyAttr {
        self.index.map_or(&self.meta.hash, |(_, i)| &i.hash)
    }
    fn range(&self) -> Option<&KeyAttr> {
        match self.index {
            Some((_, i)) => i.range.as_ref(),
            None => self.meta.range.as_ref(),
        }
    }

    /// The key a page ends at: the table's key, plus the index's.
    fn last_key(&self, item: &Item) -> Item {
        let mut out = Item::new();
        let mut add = |k: &KeyAttr| {
            if let Some(v) = item.get(&k.name) {
                out.insert(k.name.clone(), v.clone());
            }
        };
        add(&self.meta.hash);
        if let Some(r) = &self.meta.range {
            add(r);
        }
        if let Some((_, i)) = self.index {
            i.key_attrs().for_each(add);
        }
        out
    }

    /// The key attributes of what is read (a Query names them in its key
    /// condition, not in its filter).
    fn key_names(&self) -> Vec<&str> {
        match self.index {
            Some((_, i)) => i.key_attrs().map(|k| k.name.as_str()).collect(),
            None => std::iter::once(&self.meta.hash)
                .chain(&self.meta.range)
                .map(|k| k.name.as_str())
                .collect(),
        }
    }

    /// The index projection's attribute list (None: every attribute).
    fn projected(&self) -> Option<Vec<String>> {
        let (_, i) = self.index?;
        match i.projection.projection_type() {
            Some(ProjectionType::All) | None => None,
            other => {
                let mut names = vec![self.meta.hash.name.clone()];
                names.extend(self.meta.range.iter().map(|r| r.name.clone()));
                names.extend(i.key_attrs().map(|k| k.name.clone()));
                if matches!(other, Some(ProjectionType::Include)) {
                    names.extend(i.projection.non_key_attributes().iter().cloned());
                }
                Some(names)
            }
        }
    }
}

/// The parsed ExclusiveStartKey: the table key, plus the index's key.
fn start_key(esk: &Item, src: &Source<'_>) -> Result<(PrimaryKey, Option<PrimaryKey>), Error> {
    let bad = || v("The provided starting key is invalid: The provided key element does not match the schema");
    let one = |k: &KeyAttr| -> Result<KeyValue, Error> {
        let av = esk.get(&k.name).ok_or_else(bad)?;
        KeyValue::from_attr(av, k.ty).ok_or_else(bad)
    };
    let table = (one(&src.meta.hash)?, src.meta.range.as_ref().map(one).transpose()?);
    let mut expected: Vec<&str> = vec![&src.meta.hash.name];
    expected.extend(src.meta.range.iter().map(|r| r.name.as_str()));
    let part = |first: &KeyAttr, more: &[KeyAttr]| -> Result<KeyValue, Error> {
        let head = one(first)?;
        if more.is_empty() {
            return Ok(head);
        }
        let mut parts = vec![head];
        for k in more {
            parts.push(one(k)?);
        }
        Ok(KeyValue::Tuple(TupleKey::new(parts)))
    };
    let index = match src.index {
        Some((_, i)) => {
            expected.extend(i.key_attrs().map(|k| k.name.as_str()));
            Some((
                part(&i.hash, &i.more_hash)?,
                i.range.as_ref().map(|r| part(r, &i.more_range)).transpose()?,
            ))
        }
        None => None,
    };
    if esk.keys().any(|k| !expected.contains(&k.as_str())) {
        return Err(bad());
    }
    Ok((table, index))
}

/// Paging, filtering and projection shared by Query and Scan. The items of
/// the page go to `sink` as they are found.
struct Pager<'a, 'k> {
    src: Source<'a>,
    limit: Option<usize>,
    filter: Option<Condition>,
    projector: Projector,
    index_attrs: Option<Vec<String>>,
    count_only: bool,
    fetch_full: bool,
    sink: &'k mut dyn FnMut(Found<'_>),
    count: i32,
    scanned: i32,
    bytes: usize,
    last: Option<Item>,
    limit_hit: bool,
}

impl Pager<'_, '_> {
    /// Takes one item read from storage; false when the page is full.
    fn take(&mut self, stored: &Stored) -> Result<bool, Error> {
        self.scanned += 1;
        self.bytes += stored.size();
        self.limit_hit = self.limit.is_some_and(|l| self.scanned as usize >= l);
        let full = self.limit_hit || self.bytes >= MAX_PAGE_BYTES;
        let index_view = self.index_attrs.is_some() && !self.fetch_full;
        // Shown as stored: nothing to filter or project, and not the page's
        // last item (whose key is needed).
        if !full && self.filter.is_none() && !index_view && self.projector.is_identity() {
            self.count += 1;
            if !self.count_only {
                (self.sink)(Found::Stored(stored));
            }
            return Ok(true);
        }
        let item = stored.decode();
        // The filter sees the whole item (DynamoDB Local filters a Scan of a
        // global index on attributes the index does not project; a Query
        // may not name them at all).
        let pass = match &self.filter {
            Some(f) => eval::condition(f, Some(&item))?,
            None => true,
        };
        if full {
            self.last = Some(self.src.last_key(&item));
        }
        if pass {
            self.count += 1;
            if !self.count_only {
                let visible = match &self.index_attrs {
                    Some(names) if index_view => item.into_iter().filter(|(k, _)| names.contains(k)).collect(),
                    _ => item,
                };
                (self.sink)(Found::Item(self.projector.apply_owned(visible)));
            }
        }
        Ok(!full)
    }

    /// What the page says besides its items.
    fn finish(self, rcc: Option<&ReturnConsumedCapacity>, consistent: bool) -> PageInfo {
        PageInfo {
            consumed_capacity: super::capacity::Charge::read(
                self.src.index.map(|(i, _)| i),
                // DynamoDB Local charges nothing for a page that read no item.
                if self.scanned == 0 {
                    0.0
                } else {
                    read_units(self.bytes, consistent)
                },
            )
            .report(self.src.meta, rcc),
            count_only: self.count_only,
            count: self.count,
            scanned_count: self.scanned,
            last_evaluated_key: self.last,
        }
    }
}

/// A Query or Scan page, but for its items (which went to the sink).
#[derive(Debug)]
pub(crate) struct PageInfo {
    /// `Select: COUNT`: the answer has no `Items`.
    pub count_only: bool,
    /// `Count`.
    pub count: i32,
    /// `ScannedCount`.
    pub scanned_count: i32,
    /// `LastEvaluatedKey`.
    pub last_evaluated_key: Option<Item>,
    /// `ConsumedCapacity`, when asked for.
    pub consumed_capacity: Option<ConsumedCapacity>,
}

/// The settings common to Query and Scan.
struct Common<'a> {
    index_name: Option<&'a str>,
    select: Option<&'a Select>,
    projection: Option<Vec<super::ast::Path>>,
    filter: Option<Condition>,
    limit: Option<i32>,
    consistent: bool,
}

fn pager<'a, 'k>(
    state: &'a TableState,
    c: Common<'_>,
    is_query: bool,
    sink: &'k mut dyn FnMut(Found<'_>),
) -> Result<Pager<'a, 'k>, Error> {
    let meta = &state.meta;
    let index = match c.index_name {
        Some(name) => Some(
            meta.index(name)
                .ok_or_else(|| v(format!("The table does not have the specified index: {name}")))?,
        ),
        None => None,
    };
    if let Some(l) = c.limit
        && l < 1
    {
        return Err(v(format!(
            "1 validation error detected: Value '{l}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    if c.consistent && index.is_some_and(|(_, i)| i.global) {
        return Err(v("Consistent reads are not supported on global secondary indexes"));
    }
    let src = Source { meta, index };
    let index_attrs = src.projected();
    let has_projection = c.projection.is_some();
    let mut fetch_full = false;
    let count_only = match c.select {
        None => false,
        Some(Select::Count) => {
            if has_projection {
                return Err(v("Cannot specify the ProjectionExpression when choosing to get COUNT"));
            }
            true
        }
        Some(Select::AllAttributes) => {
            if has_projection {
                return Err(v(
                    "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
                ));
            }
            if let Some((_, i)) = index
                && index_attrs.is_some()
            {
                if i.global {
                    return Err(v(format!(
                        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {} because its projection type is not ALL",
                        i.name
                    )));
                }
                fetch_full = true;
            }
            false
        }
        Some(Select::AllProjectedAttributes) => {
            if index.is_none() {
                return Err(v(format!(
                    "ALL_PROJECTED_ATTRIBUTES can be used only when {} using an IndexName",
                    if is_query { "Querying" } else { "Scanning" }
                )));
            }
            if has_projection {
                return Err(v(
                    "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES",
                ));
            }
            false
        }
        Some(Select::SpecificAttributes) => {
            if !has_projection {
                return Err(v(
                    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                ));
            }
            false
        }
        Some(other) => {
            return Err(v(format!(
                "1 validation error detected: Value '{}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
                other.as_str()
            )));
        }
    };
    // A global index that does not project everything can only filter on
    // what it projects.
    if let (Some((_, i)), Some(attrs), Some(f)) = (index, &index_attrs, &c.filter)
        && i.global
        && is_query
    {
        let mut missing: Vec<String> = Vec::new();
        visit_paths(f, &mut |root| {
            if !attrs.iter().any(|a| a == root) && !missing.iter().any(|m| m == root) {
                missing.push(root.to_string());
            }
        });
        if !missing.is_empty() {
            return Err(v(format!(
                "One or more parameter values were invalid: Secondary index {} does not project one or more filter attributes: [{}]",
                i.name,
                missing.join(", ")
            )));
        }
    }
    // Nor can a Query or Scan project what it does not hold.
    if let (Some((_, i)), Some(attrs), Some(paths)) = (index, &index_attrs, &c.projection)
        && i.global
    {
        let mut missing: Vec<&str> = paths
            .iter()
            .map(|p| p.root())
            .filter(|r| !attrs.iter().any(|a| a == r))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            return Err(v(format!(
                "One or more parameter values were invalid: Global secondary index {} does not project [{}]",
                i.name,
                missing.join(", ")
            )));
        }
    }
    // A projection on a local index may read attributes from the table.
    if has_projection && index.is_some_and(|(_, i)| !i.global) {
        fetch_full = true;
    }
    Ok(Pager {
        src,
        limit: c.limit.map(|l| l as usize),
        filter: c.filter,
        projector: Projector::from_paths(c.projection),
        index_attrs,
        count_only,
        fetch_full,
        sink,
        count: 0,
        scanned: 0,
        bytes: 0,
        last: None,
        limit_hit: false,
    })
}

/// The SDK output of a page (`QueryOutput` and `ScanOutput` have the same
/// members) from its `PageInfo` and items.
macro_rules! page_output {
    // The page's items handed over already (to a sink): none in the output.
    ($output:ident, $page:expr) => {{
        let page: $crate::mock::query::PageInfo = $page;
        $crate::mock::query::page_output!(@members $output, page).build()
    }};
    ($output:ident, $page:expr, $items:expr) => {{
        let page: $crate::mock::query::PageInfo = $page;
        $crate::mock::query::page_output!(@members $output, page)
            .set_items((!page.count_only).then_some($items))
            .build()
    }};
    (@members $output:ident, $page:ident) => {
        $output::builder()
            .count($page.count)
            .scanned_count($page.scanned_count)
            .set_last_evaluated_key($page.last_evaluated_key)
            .set_consumed_capacity($page.consumed_capacity)
    };
}
pub(crate) use page_output;

/// `Query`.
pub(crate) fn query(catalog: &Catalog, input: QueryInput) -> Result<QueryOutput, Error> {
    let mut items = Vec::new();
    let page = query_to(catalog, input, &mut |found| items.push(found.into_item()))?;
    Ok(page_output!(QueryOutput, page, items))
}

/// `Query`, handing each item of the page to `sink` as it is found.
pub(crate) fn query_to(
    catalog: &Catalog,
    input: QueryInput,
    sink: &mut dyn FnMut(Found<'_>),
) -> Result<PageInfo, Error> {
    let legacy = super::legacy::query(&input)?;
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let key_expr = input.key_condition_expression.as_deref();
    if key_expr.is_none() && input.key_conditions.is_none() {
        return Err(v(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ));
    }
    let parsed = engine::parse(ExprInput {
        names: input.expression_attribute_names.as_ref(),
        values: input.expression_attribute_values,
        key_condition: key_expr,
        filter: input.filter_expression.as_deref(),
        projection: input.projection_expression.as_deref(),
        op: Some(engine::ExprOp::Query),
        ..Default::default()
    })?;
    let legacy_filter = super::legacy::filter(input.query_filter.as_ref(), input.conditional_operator.as_ref())?;
    let key_expr_ast = parsed.key_condition;
    let consistent = input.consistent_read.unwrap_or(false);
    let guard = table.read();
    let mut p = pager(
        &guard,
        Common {
            index_name: input.index_name.as_deref(),
            select: input.select.as_ref(),
            projection: parsed.projection.or(legacy),
            filter: parsed.filter.or(legacy_filter),
            limit: input.limit,
            consistent,
        },
        true,
        sink,
    )?;
    let key_expr_ast = match key_expr_ast {
        Some(k) => k,
        None => {
            let (hashes, ranges): (Vec<&KeyAttr>, Vec<&KeyAttr>) = match p.src.index {
                Some((_, i)) => (i.hash_attrs().collect(), i.range_attrs().collect()),
                None => (vec![p.src.hash()], p.src.range().into_iter().collect()),
            };
            super::legacy::key_conditions(input.key_conditions.as_ref(), &hashes, &ranges)?
        }
    };
    if input.query_filter.is_some() {
        super::legacy::check_query_filter_keys(input.query_filter.as_ref(), &p.src.key_names())?;
    }
    let kc = match p.src.index {
        Some((_, i)) if i.multi_attribute() => key_condition_multi(&key_expr_ast, i)?,
        _ => key_condition(&key_expr_ast, p.src.hash(), p.src.range())?,
    };
    if let Some(f) = &p.filter {
        check_filter_keys(f, &p.src)?;
    }
    let forward = input.scan_index_forward.unwrap_or(true);
    let start = input
        .exclusive_start_key
        .as_ref()
        .map(|e| start_key(e, &p.src))
        .transpose()?;
    if let Some((tk, ik)) = &start {
        let h = ik.as_ref().map_or(&tk.0, |k| &k.0);
        if *h != kc.hash {
            return Err(v(
                "The provided starting key is outside query boundaries based on provided conditions",
            ));
        }
    }
    match p.src.index {
        None => {
            if let Some(part) = guard.data.partitions.get(&kc.hash) {
                let after = start.as_ref().map(|(tk, _)| tk.1.clone());
                let lo = match (&kc.range, forward, &after) {
                    (_, true, Some(a)) => Bound::Excluded(a.clone()),
                    (Some(r), _, _) => r.lower().map_or(Bound::Unbounded, |v| Bound::Included(Some(v.clone()))),
                    _ => Bound::Unbounded,
                };
                let hi = match (&kc.range, forward, &after) {
                    (_, false, Some(a)) => Bound::Excluded(a.clone()),
                    (Some(r), _, _) => r.upper().map_or(Bound::Unbounded, |v| Bound::Included(Some(v.clone()))),
                    _ => Bound::Unbounded,
                };
                let lo = if bound_invalid(&lo, &hi) {
                    return Ok(p.finish(input.return_consumed_capacity.as_ref(), consistent));
                } else {
                    lo
                };
                let iter = part.range((lo, hi));
                let iter: Box<dyn Iterator<Item = (&Option<KeyValue>, &Stored)>> =
                    if forward { Box::new(iter) } else { Box::new(iter.rev()) };
                walk(
                    &mut p,
                    iter.map(|(rk, item)| (rk.as_ref(), item)),
                    kc.range.as_ref(),
                    forward,
                )?;
            }
        }
        Some((i, _)) => {
            if let Some(part) = guard.data.indexes[i].partitions.get(&kc.hash) {
                let after: Option<IndexEntry> = start.map(|(tk, ik)| (ik.and_then(|k| k.1), tk));
                let iter: Box<dyn Iterator<Item = (&IndexEntry, &())>> = match (forward, after) {
                    (true, Some(a)) => Box::new(part.range((Bound::Excluded(a), Bound::Unbounded))),
                    (false, Some(a)) => Box::new(part.range((Bound::Unbounded, Bound::Excluded(a))).rev()),
                    (true, None) => match kc.range.as_ref().and_then(RangeCond::lower) {
                        Some(lo) => {
                            Box::new(part.range((Bound::Included((Some(lo.clone()), min_key())), Bound::Unbounded)))
                        }
                        None => Box::new(part.iter()),
                    },
                    (false, None) => Box::new(part.iter().rev()),
                };
                let data = &guard.data;
                let items = iter.filter_map(|((rk, pk), _)| data.stored(pk).map(|item| (rk.as_ref(), item)));
                walk(&mut p, items, kc.range.as_ref(), forward)?;
            }
        }
    }
    Ok(p.finish(input.return_consumed_capacity.as_ref(), consistent))
}

fn bound_invalid(lo: &Bound<Option<KeyValue>>, hi: &Bound<Option<KeyValue>>) -> bool {
    // BTreeMap::range panics on inverted or empty-excluded ranges.
    match (lo, hi) {
        (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
            a > b || (a == b && (matches!(lo, Bound::Excluded(_)) || matches!(hi, Bound::Excluded(_))))
        }
        _ => false,
    }
}

/// The smallest table key: every real key sorts after it.
fn min_key() -> PrimaryKey {
    (KeyValue::S(String::new()), None)
}

fn walk<'i>(
    p: &mut Pager<'_, '_>,
    iter: impl Iterator<Item = (Option<&'i KeyValue>, &'i Stored)>,
    range: Option<&RangeCond>,
    forward: bool,
) -> Result<(), Error> {
    let (skip, stop) = if forward {
        (Place::Below, Place::Above)
    } else {
        (Place::Above, Place::Below)
    };
    for (rk, item) in iter {
        if let Some(r) = range {
            let place = r.place(rk);
            if place == skip {
                continue;
            }
            if place == stop {
                break;
            }
        }
        if !p.take(item)? {
            // DynamoDB Local knows a page that stops on an inclusive far
            // bound of the range condition is the last one.
            // (On an index several items may share that bound: no such knowledge.)
            if p.limit_hit && p.src.index.is_none() && range.is_some_and(|r| r.ends_at(rk, forward)) {
                p.last = None;
            }
            break;
        }
    }
    Ok(())
}

fn check_filter_keys(filter: &Condition, src: &Source<'_>) -> Result<(), Error> {
    // DynamoDB refuses filters on the key attributes of a Query.
    let keys = src.key_names();
    let mut found = None;
    visit_paths(filter, &mut |root| {
        if found.is_none() && keys.contains(&root) {
            found = Some(root.to_string());
        }
    });
    match found {
        Some(k) => Err(v(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {k}"
        ))),
        None => Ok(()),
    }
}

fn visit_paths(c: &Condition, f: &mut dyn FnMut(&str)) {
    let op = |o: &Operand, f: &mut dyn FnMut(&str)| match o {
        Operand::Path(p) | Operand::Size(p) => f(p.root()),
        Operand::Value(_) => {}
    };
    match c {
        Condition::Compare { left, right, .. } => {
            op(left, f);
            op(right, f);
        }
        Condition::Between { value, low, high } => {
            op(value, f);
            op(low, f);
            op(high, f);
        }
        Condition::In { value, list } => {
            op(value, f);
            list.iter().for_each(|o| op(o, f));
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            visit_paths(a, f);
            visit_paths(b, f);
        }
        Condition::Not(a) => visit_paths(a, f),
        Condition::AttributeExists(p) | Condition::AttributeNotExists(p) => f(p.root()),
        Condition::AttributeType(p, o) => {
            f(p.root());
            op(o, f);
        }
        Condition::BeginsWith(a, b) | Condition::Contains(a, b) => {
            op(a, f);
            op(b, f);
        }
    }
}

/// Which segment of a parallel scan a partition belongs to.
fn segment_of(hash: &KeyValue, total: u64) -> u64 {
    super::segments::segment_of(hash, total)
}

/// `Scan`, including parallel scans (`Segment`/`TotalSegments`).
pub(crate) fn scan(catalog: &Catalog, input: ScanInput) -> Result<ScanOutput, Error> {
    let mut items = Vec::new();
    let page = scan_to(catalog, input, &mut |found| items.push(found.into_item()))?;
    Ok(page_output!(ScanOutput, page, items))
}

/// `Scan`, handing each item of the page to `sink` as it is found.
pub(crate) fn scan_to(catalog: &Catalog, input: ScanInput, sink: &mut dyn FnMut(Found<'_>)) -> Result<PageInfo, Error> {
    let legacy = super::legacy::scan(&input)?;
    // DynamoDB Local looks the table up before it checks the segments.
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let segment = match (input.segment, input.total_segments) {
        (None, None) => None,
        (Some(s), Some(t)) => {
            if !(1..=1_000_000).contains(&t) {
                return Err(v(format!(
                    "1 validation error detected: Value '{t}' at 'totalSegments' failed to satisfy constraint: Member must have value {}",
                    if t < 1 {
                        "greater than or equal to 1"
                    } else {
                        "less than or equal to 1000000"
                    }
                )));
            }
            if s < 0 || s >= t {
                return Err(v(format!(
                    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
                )));
            }
            Some((s as u64, t as u64))
        }
        (Some(_), None) => {
            return Err(v(
                "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            ));
        }
        (None, Some(_)) => {
            return Err(v(
                "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
            ));
        }
    };
    let parsed = engine::parse(ExprInput {
        names: input.expression_attribute_names.as_ref(),
        values: input.expression_attribute_values,
        filter: input.filter_expression.as_deref(),
        projection: input.projection_expression.as_deref(),
        op: Some(engine::ExprOp::Scan),
        ..Default::default()
    })?;
    let legacy_filter = super::legacy::filter(input.scan_filter.as_ref(), input.conditional_operator.as_ref())?;
    let consistent = input.consistent_read.unwrap_or(false);
    let guard = table.read();
    let mut p = pager(
        &guard,
        Common {
            index_name: input.index_name.as_deref(),
            select: input.select.as_ref(),
            projection: parsed.projection.or(legacy),
            filter: parsed.filter.or(legacy_filter),
            limit: input.limit,
            consistent,
        },
        false,
        sink,
    )?;
    let start = input
        .exclusive_start_key
        .as_ref()
        .map(|e| start_key(e, &p.src))
        .transpose()?;
    let in_segment = |h: &KeyValue| segment.is_none_or(|(s, t)| segment_of(h, t) == s);
    match p.src.index {
        None => {
            let parts: Box<dyn Iterator<Item = (&KeyValue, &super::store::Partition)>> = match &start {
                Some((tk, _)) => Box::new(guard.data.partitions.starting_at(&tk.0)),
                None => Box::new(guard.data.partitions.iter()),
            };
            'outer: for (h, part) in parts {
                if !in_segment(h) {
                    continue;
                }
                let items: Box<dyn Iterator<Item = (&Option<KeyValue>, &Stored)>> = match &start {
                    Some((tk, _)) if tk.0 == *h => match &tk.1 {
                        Some(_) => Box::new(part.range((Bound::Excluded(tk.1.clone()), Bound::Unbounded))),
                        None => continue,
                    },
                    _ => Box::new(part.iter()),
                };
                for (_, item) in items {
                    if !p.take(item)? {
                        break 'outer;
                    }
                }
            }
        }
        Some((i, _)) => {
            let idx = &guard.data.indexes[i];
            let after: Option<(KeyValue, IndexEntry)> = start.and_then(|(tk, ik)| ik.map(|k| (k.0, (k.1, tk))));
            let parts: Box<dyn Iterator<Item = (&KeyValue, &super::store::IndexPartition)>> = match &after {
                Some((h, _)) => Box::new(idx.partitions.range((Bound::Included(h.clone()), Bound::Unbounded))),
                None => Box::new(idx.partitions.iter()),
            };
            'outer: for (h, part) in parts {
                let entries: Box<dyn Iterator<Item = (&IndexEntry, &())>> = match &after {
                    Some((ah, e)) if ah == h => Box::new(part.range((Bound::Excluded(e.clone()), Bound::Unbounded))),
                    _ => Box::new(part.iter()),
                };
                for ((_, pk), _) in entries {
                    // On an index too, DynamoDB Local assigns an item to a
                    // segment by its table hash key.
                    if !in_segment(&pk.0) {
                        continue;
                    }
                    if let Some(item) = guard.data.stored(pk)
                        && !p.take(item)?
                    {
                        break 'outer;
                    }
                }
            }
        }
    }
    Ok(p.finish(input.return_consumed_capacity.as_ref(), consistent))
}

#[cfg(test)]
mod tests;
