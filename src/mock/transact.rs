//! TransactWriteItems and TransactGetItems: all or nothing, with a
//! cancellation reason per action, and `ClientRequestToken` idempotency.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, CancellationReason, ItemResponse};
use parking_lot::Mutex;

use super::ast::Update;
use super::catalog::{Catalog, TableRef, TableState};
use super::engine::{self, Conditional, ExprInput, Projector};
use super::items::{check_update_keys, updated_item, v};
use super::keys::{self, PrimaryKey};
use super::store::TableData;
use super::values;
use crate::sdk::*;
use crate::{Error, Item};

/// Most actions in one transaction.
pub const MAX_ACTIONS: usize = 100;
/// How long a `ClientRequestToken` is remembered.
pub const TOKEN_TTL: Duration = Duration::from_secs(600);

/// Remembered `ClientRequestToken`s: token → (request fingerprint, when).
#[derive(Debug, Default)]
pub struct Tokens {
    seen: Mutex<HashMap<String, (String, Instant)>>,
}

enum Op {
    Put(Item, usize),
    Update(Option<Update>),
    Delete,
    Check,
}

struct Action {
    table: String,
    key: PrimaryKey,
    op: Op,
    cond: Conditional,
}

fn tx_table<'g>(
    guards: &'g mut BTreeMap<String, parking_lot::RwLockWriteGuard<'_, TableState>>,
    name: &str,
) -> &'g mut TableState {
    guards.get_mut(name).expect("every table of the transaction is locked")
}

/// `TransactWriteItems`.
pub fn transact_write_items(
    catalog: &Catalog,
    tokens: &Tokens,
    input: TransactWriteItemsInput,
) -> Result<TransactWriteItemsOutput, Error> {
    let items = input.transact_items.unwrap_or_default();
    if items.is_empty() {
        return Err(v(
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if items.len() > MAX_ACTIONS {
        return Err(v(format!(
            "1 validation error detected: Value '[{}]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACTIONS}",
            items.len()
        )));
    }
    let fingerprint = input.client_request_token.as_ref().map(|_| fingerprint_write(&items));
    if let (Some(token), Some(fp)) = (&input.client_request_token, &fingerprint) {
        let mut seen = tokens.seen.lock();
        seen.retain(|_, (_, at)| at.elapsed() < TOKEN_TTL);
        if let Some((old, _)) = seen.get(token) {
            if old == fp {
                return Ok(TransactWriteItemsOutput::builder().build());
            }
            return Err(Error::IdempotentParameterMismatch(
                "The request uses the same client token as a previous, but non-identical request.".into(),
            ));
        }
    }

    // Validate and parse every action before touching any table. As
    // DynamoDB Local does it: a malformed request (expressions, two actions
    // on one item) is a ValidationException; an action whose key or item
    // breaks the table's rules cancels the transaction with one
    // ValidationError reason.
    let mut tables: BTreeMap<String, TableRef> = BTreeMap::new();
    // Per-action errors, as DynamoDB Local classifies them: values that are
    // invalid anywhere (empty sets, empty index keys) fail the request; an
    // update of a key attribute cancels with that one reason; a key or an
    // index key of the wrong type cancels with the reasons up to that action.
    let mut actions: Vec<Result<Action, Error>> = Vec::with_capacity(items.len());
    macro_rules! per_item {
        ($e:expr, $name:expr, $table:expr) => {
            match $e {
                Ok(v) => v,
                Err(Error::Validation(m)) if is_value_error(&m) => return Err(Error::Validation(m)),
                Err(e @ Error::Validation(_)) => {
                    tables.insert($name.clone(), $table.clone());
                    actions.push(Err(e));
                    continue;
                }
                Err(e) => return Err(e),
            }
        };
    }
    for t in items {
        let (name, table, action) = match (t.put, t.update, t.delete, t.condition_check) {
            (Some(p), None, None, None) => {
                let table = catalog.table_opt(Some(&p.table_name))?;
                let parsed = engine::parse(ExprInput {
                    names: p.expression_attribute_names.as_ref(),
                    values: p.expression_attribute_values,
                    condition: p.condition_expression.as_deref(),
                    ..Default::default()
                })?;
                let mut item = p.item;
                // Invalid values fail the request; a key or an index key that
                // does not fit the table is this action's cancellation reason.
                values::check_item(&mut item)?;
                let size = values::check_item_size(&item)?;
                let key = {
                    let st = table.read();
                    let key = per_item!(
                        keys::item_key(&item, &st.meta.hash, st.meta.range.as_ref()),
                        p.table_name,
                        table
                    );
                    per_item!(TableData::check_index_keys(&st.meta, &item), p.table_name, table);
                    key
                };
                let cond =
                    Conditional::from_parsed(parsed.condition, p.return_values_on_condition_check_failure.as_ref());
                (p.table_name, table, (key, Op::Put(item, size), cond))
            }
            (None, Some(u), None, None) => {
                let table = catalog.table_opt(Some(&u.table_name))?;
                let parsed = engine::parse(ExprInput {
                    names: u.expression_attribute_names.as_ref(),
                    values: u.expression_attribute_values,
                    condition: u.condition_expression.as_deref(),
                    update: Some(&u.update_expression),
                    ..Default::default()
                })?;
                let key = {
                    let st = table.read();
                    let key = per_item!(
                        keys::request_key(&u.key, &st.meta.hash, st.meta.range.as_ref()),
                        u.table_name,
                        table
                    );
                    if let Some(up) = &parsed.update
                        && let Err(e) = check_update_keys(&st.meta, up)
                    {
                        return Err(canceled(vec![validation_reason(e)]));
                    }
                    key
                };
                let cond =
                    Conditional::from_parsed(parsed.condition, u.return_values_on_condition_check_failure.as_ref());
                (u.table_name, table, (key, Op::Update(parsed.update), cond))
            }
            // Delete and ConditionCheck: a key, an optional condition.
            (None, None, Some(d), None) => {
                let mut keyed = Keyed {
                    table_name: d.table_name,
                    key: d.key,
                    names: d.expression_attribute_names,
                    values: d.expression_attribute_values,
                    condition: d.condition_expression,
                    on_fail: d.return_values_on_condition_check_failure,
                    op: Op::Delete,
                };
                let (table, parsed) = keyed.parse(catalog)?;
                let key = {
                    let st = table.read();
                    per_item!(keyed.key(&st), keyed.table_name, table)
                };
                (keyed.table_name, table, (key, keyed.op, parsed))
            }
            (None, None, None, Some(c)) => {
                let mut keyed = Keyed {
                    table_name: c.table_name,
                    key: c.key,
                    names: c.expression_attribute_names,
                    values: c.expression_attribute_values,
                    condition: Some(c.condition_expression),
                    on_fail: c.return_values_on_condition_check_failure,
                    op: Op::Check,
                };
                let (table, parsed) = keyed.parse(catalog)?;
                let key = {
                    let st = table.read();
                    per_item!(keyed.key(&st), keyed.table_name, table)
                };
                (keyed.table_name, table, (key, keyed.op, parsed))
            }
            _ => return Err(v("TransactItems can only contain one of Check, Put, Update or Delete")),
        };
        let (key, op, cond) = action;
        tables.insert(name.clone(), table);
        actions.push(Ok(Action {
            table: name,
            key,
            op,
            cond,
        }));
    }

    // Lock every table, in name order (no deadlock between transactions).
    let mut guards: BTreeMap<String, _> = tables.iter().map(|(n, t)| (n.clone(), t.write())).collect();

    // Evaluate every condition and compute every new item against the
    // state before the transaction.
    let mut reasons = Vec::with_capacity(actions.len());
    let mut writes: Vec<Option<(Item, usize)>> = Vec::with_capacity(actions.len());
    let mut failed = false;
    // What the actions whose conditions held have made of their items: a
    // later action on the same item is evaluated against that (as DynamoDB
    // Local does it), and refused once its own condition holds.
    let mut passed: HashMap<(&str, &PrimaryKey), Option<Item>> = HashMap::new();
    for a in &actions {
        // An action whose key or item does not fit its table: its reason.
        let a = match a {
            Ok(a) => a,
            Err(e) => {
                failed = true;
                reasons.push(validation_reason(e.clone()));
                writes.push(None);
                continue;
            }
        };
        let st = tx_table(&mut guards, &a.table);
        let earlier = passed.get(&(a.table.as_str(), &a.key));
        let stored_item;
        let old = match earlier {
            Some(state) => state.as_ref(),
            None => {
                stored_item = st.data.get(&a.key);
                stored_item.as_ref()
            }
        };
        let reason = match a.cond.holds(old) {
            Ok(true) => None,
            Ok(false) => Some(
                CancellationReason::builder()
                    .code("ConditionalCheckFailed")
                    .message("The conditional request failed")
                    .set_item(a.cond.failure_item(old))
                    .build(),
            ),
            Err(e) => Some(validation_reason(e)),
        };
        let mut new = None;
        if reason.is_none()
            && let Op::Update(u) = &a.op
        {
            // An update that cannot apply to the item (a bad document path,
            // a wrong operand type) fails the request, as in DynamoDB Local.
            new = Some(updated_item(&st.meta, &a.key, old, u.as_ref())?);
        }
        failed |= reason.is_some();
        if reason.is_none() {
            if earlier.is_some() {
                return Err(v("Transaction request cannot include multiple operations on one item"));
            }
            let after = match &a.op {
                Op::Put(item, _) => Some(item.clone()),
                Op::Update(_) => new.as_ref().map(|(item, _)| item.clone()),
                Op::Delete => None,
                Op::Check => old.cloned(),
            };
            passed.insert((a.table.as_str(), &a.key), after);
        }
        reasons.push(reason.unwrap_or_else(|| CancellationReason::builder().code("None").build()));
        writes.push(new);
    }
    if failed {
        // The item a failed condition hands back is the item as the whole
        // transaction left it in DynamoDB Local's working copy.
        for (reason, a) in reasons.iter_mut().zip(&actions) {
            if let Ok(a) = a
                && reason.code() == Some("ConditionalCheckFailed")
                && let Some(state) = passed.get(&(a.table.as_str(), &a.key))
            {
                *reason = CancellationReason::builder()
                    .code("ConditionalCheckFailed")
                    .message("The conditional request failed")
                    .set_item(a.cond.failure_item(state.as_ref()))
                    .build();
            }
        }
        return Err(canceled(reasons));
    }

    for (a, new) in actions.into_iter().flatten().zip(writes) {
        let st = tx_table(&mut guards, &a.table);
        let TableState { meta, data } = st;
        match a.op {
            Op::Put(item, size) => {
                data.put(meta, a.key, item, size);
            }
            Op::Update(_) => {
                if let Some((item, size)) = new {
                    data.put(meta, a.key, item, size);
                }
            }
            Op::Delete => {
                data.delete(meta, &a.key);
            }
            Op::Check => {}
        }
    }
    drop(guards);
    if let (Some(token), Some(fp)) = (input.client_request_token, fingerprint) {
        tokens.seen.lock().insert(token, (fp, Instant::now()));
    }
    Ok(TransactWriteItemsOutput::builder().build())
}

/// A Delete or a ConditionCheck: an item named by its key, and a condition.
struct Keyed {
    table_name: String,
    key: Item,
    names: Option<HashMap<String, String>>,
    values: Option<HashMap<String, AttributeValue>>,
    condition: Option<String>,
    on_fail: Option<ReturnValuesOnConditionCheckFailure>,
    op: Op,
}

impl Keyed {
    /// The table and the parsed condition (request-level errors).
    fn parse(&mut self, catalog: &Catalog) -> Result<(TableRef, Conditional), Error> {
        let table = catalog.table_opt(Some(&self.table_name))?;
        let parsed = engine::parse(ExprInput {
            names: self.names.as_ref(),
            values: self.values.take(),
            condition: self.condition.as_deref(),
            ..Default::default()
        })?;
        Ok((table, Conditional::from_parsed(parsed.condition, self.on_fail.as_ref())))
    }

    /// The key, checked against the table's key schema.
    fn key(&self, st: &TableState) -> Result<PrimaryKey, Error> {
        keys::request_key(&self.key, &st.meta.hash, st.meta.range.as_ref())
    }
}

/// TransactionCanceled with these reasons, worded as DynamoDB words it.
fn canceled(reasons: Vec<CancellationReason>) -> Error {
    let codes: Vec<&str> = reasons.iter().map(|r| r.code().unwrap_or("None")).collect();
    Error::TransactionCanceled {
        message: format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        )
        .into(),
        reasons,
    }
}

/// Key errors DynamoDB Local treats as invalid values, which fail a
/// transaction outright instead of cancelling it.
fn is_value_error(message: &str) -> bool {
    // An empty string or binary in a key attribute: DynamoDB Local fails the
    // request, as for any invalid value.
    message.contains("cannot contain an empty")
}

fn validation_reason(e: Error) -> CancellationReason {
    let message = match e {
        Error::Validation(m) => m.into(),
        other => other.to_string(),
    };
    CancellationReason::builder()
        .code("ValidationError")
        .message(message)
        .build()
}

/// `TransactGetItems`.
pub fn transact_get_items(catalog: &Catalog, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
    let items = input.transact_items.unwrap_or_default();
    if items.is_empty() {
        return Err(v(
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if items.len() > MAX_ACTIONS {
        return Err(v(format!(
            "1 validation error detected: Value '[{}]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACTIONS}",
            items.len()
        )));
    }
    let mut plan = Vec::with_capacity(items.len());
    let mut tables: BTreeMap<String, TableRef> = BTreeMap::new();
    let mut seen = HashSet::new();
    for t in items {
        let g = t.get.ok_or_else(|| v("1 validation error detected: Value null at 'transactItems.member.get' failed to satisfy constraint: Member must not be null"))?;
        let table = catalog.table_opt(Some(&g.table_name))?;
        let key = {
            let st = table.read();
            keys::request_key(&g.key, &st.meta.hash, st.meta.range.as_ref())?
        };
        if !seen.insert((g.table_name.clone(), key.clone())) {
            return Err(v("Transaction request cannot include multiple operations on one item"));
        }
        let projector = Projector::new(
            g.projection_expression.as_deref(),
            g.expression_attribute_names.as_ref(),
        )?;
        tables.insert(g.table_name.clone(), table);
        plan.push((g.table_name, key, projector));
    }
    let guards: BTreeMap<&String, _> = tables.iter().map(|(n, t)| (n, t.read())).collect();
    let responses = plan
        .iter()
        .map(|(table, key, projector)| {
            let item = guards
                .get(table)
                .and_then(|st| st.data.get(key))
                .map(|i| projector.apply_owned(i));
            ItemResponse::builder().set_item(item).build()
        })
        .collect();
    Ok(TransactGetItemsOutput::builder().set_responses(Some(responses)).build())
}

/// A canonical text of a TransactWriteItems request (maps sorted), so that
/// the same request always gives the same fingerprint.
fn fingerprint_write(items: &[TransactWriteItem]) -> String {
    let mut out = String::new();
    for t in items {
        if let Some(p) = &t.put {
            out.push_str(&format!("P|{}|", p.table_name));
            item_text(&mut out, &p.item);
            cond_text(
                &mut out,
                p.condition_expression.as_deref(),
                p.expression_attribute_names.as_ref(),
                p.expression_attribute_values.as_ref(),
            );
        }
        if let Some(u) = &t.update {
            out.push_str(&format!("U|{}|{}|", u.table_name, u.update_expression));
            item_text(&mut out, &u.key);
            cond_text(
                &mut out,
                u.condition_expression.as_deref(),
                u.expression_attribute_names.as_ref(),
                u.expression_attribute_values.as_ref(),
            );
        }
        if let Some(d) = &t.delete {
            out.push_str(&format!("D|{}|", d.table_name));
            item_text(&mut out, &d.key);
            cond_text(
                &mut out,
                d.condition_expression.as_deref(),
                d.expression_attribute_names.as_ref(),
                d.expression_attribute_values.as_ref(),
            );
        }
        if let Some(c) = &t.condition_check {
            out.push_str(&format!("C|{}|", c.table_name));
            item_text(&mut out, &c.key);
            cond_text(
                &mut out,
                Some(&c.condition_expression),
                c.expression_attribute_names.as_ref(),
                c.expression_attribute_values.as_ref(),
            );
        }
        out.push(';');
    }
    out
}

fn cond_text(
    out: &mut String,
    cond: Option<&str>,
    names: Option<&HashMap<String, String>>,
    values: Option<&HashMap<String, AttributeValue>>,
) {
    out.push_str(&format!("{cond:?}|"));
    if let Some(n) = names {
        let sorted: BTreeMap<_, _> = n.iter().collect();
        out.push_str(&format!("{sorted:?}|"));
    }
    if let Some(v) = values {
        item_text(out, v);
    }
}

fn item_text(out: &mut String, item: &HashMap<String, AttributeValue>) {
    let sorted: BTreeMap<_, _> = item.iter().collect();
    out.push('{');
    for (k, v) in sorted {
        out.push_str(k);
        out.push('=');
        value_text(out, v);
        out.push(',');
    }
    out.push('}');
}

fn value_text(out: &mut String, v: &AttributeValue) {
    match v {
        AttributeValue::M(m) => item_text(out, m),
        AttributeValue::L(l) => {
            out.push('[');
            for x in l {
                value_text(out, x);
                out.push(',');
            }
            out.push(']');
        }
        AttributeValue::Ss(s) | AttributeValue::Ns(s) => {
            let mut s = s.clone();
            s.sort();
            out.push_str(&format!("{s:?}"));
        }
        other => out.push_str(&format!("{other:?}")),
    }
}
