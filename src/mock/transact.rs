//! TransactWriteItems and TransactGetItems: all or nothing, with a
//! cancellation reason per action, and `ClientRequestToken` idempotency.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, CancellationReason, ItemResponse};
use parking_lot::{Condvar, Mutex};

use super::ast::Update;
use super::capacity::{self, Charge, DeleteCall, TRANSACTION_FACTOR, delete_charge, new_entries, put_charge};
use super::catalog::{Catalog, TableRef, TableState};
use super::encoding::Stored;
use super::engine::{self, Conditional, ExprInput, Projector};
use super::items::{apply_update_sized, check_update_keys, read_units, v};
use super::keys::{self, PrimaryKey};
use super::size;
use super::store::TableData;
use super::values;
use crate::sdk::*;
use crate::{Error, Item};

/// Most actions in one transaction.
pub(crate) const MAX_ACTIONS: usize = 100;
/// Largest payload of a TransactWriteItems request, in bytes: the sizes of
/// its items and keys, plus its expressions (see `expression_payload`).
pub(crate) const MAX_TRANSACTION_PAYLOAD_BYTES: usize = 4 * 1024 * 1024;
/// Largest answer of a TransactGetItems request, in bytes: the items' sizes,
/// plus [`GET_RESPONSE_OVERHEAD_BYTES`] for each answer (found or not).
pub(crate) const MAX_TRANSACT_GET_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// What each answer of a TransactGetItems adds to its response size beyond
/// its item's size (measured on DynamoDB Local: 4, found or not).
pub(crate) const GET_RESPONSE_OVERHEAD_BYTES: usize = 4;
/// How long a `ClientRequestToken` is remembered.
pub(crate) const TOKEN_TTL: Duration = Duration::from_secs(600);

/// Remembered `ClientRequestToken`s: token → the request's fingerprint and
/// whether that request is still running or when it succeeded.
///
/// A token is claimed (marked in flight) before its transaction runs and
/// recorded as done in the same step that releases the claim, so that two
/// requests with one token never both apply: the second waits for the
/// first, then replays its success (or, if the first failed, which does not
/// consume a token in DynamoDB, runs itself).
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    seen: Mutex<HashMap<String, TokenEntry>>,
    /// Signalled whenever an in-flight claim ends.
    settled: Condvar,
}

#[derive(Debug)]
struct TokenEntry {
    fingerprint: String,
    /// `None` while the request is running; when it succeeded otherwise.
    done: Option<Instant>,
}

/// What a request with a `ClientRequestToken` is to do.
enum Claim<'t> {
    /// Run the transaction; the token is recorded if it succeeds.
    Run(TokenClaim<'t>),
    /// The same request already succeeded: answer success, apply nothing.
    Replay,
}

/// An in-flight token. [`TokenClaim::succeeded`] records it; dropping it
/// otherwise (an error, a cancelled transaction) frees the token again.
struct TokenClaim<'t> {
    tokens: &'t Tokens,
    token: String,
    recorded: bool,
}

impl Tokens {
    /// Claims `token` for a request with this fingerprint, waiting while
    /// another request with the same token is in flight.
    fn claim(&self, token: &str, fingerprint: &str) -> Result<Claim<'_>, Error> {
        let mut seen = self.seen.lock();
        loop {
            seen.retain(|_, e| e.done.is_none_or(|at| at.elapsed() < TOKEN_TTL));
            match seen.get(token) {
                None => {
                    seen.insert(
                        token.to_string(),
                        TokenEntry {
                            fingerprint: fingerprint.to_string(),
                            done: None,
                        },
                    );
                    return Ok(Claim::Run(TokenClaim {
                        tokens: self,
                        token: token.to_string(),
                        recorded: false,
                    }));
                }
                Some(TokenEntry { done: None, .. }) => self.settled.wait(&mut seen),
                Some(e) if e.fingerprint == fingerprint => return Ok(Claim::Replay),
                Some(_) => return Err(Error::IdempotentParameterMismatch(TOKEN_MISMATCH.into())),
            }
        }
    }
}

impl TokenClaim<'_> {
    /// The transaction applied: the token now answers replays.
    fn succeeded(mut self) {
        if let Some(e) = self.tokens.seen.lock().get_mut(&self.token) {
            e.done = Some(Instant::now());
        }
        self.recorded = true;
        self.tokens.settled.notify_all();
    }
}

impl Drop for TokenClaim<'_> {
    fn drop(&mut self) {
        if !self.recorded {
            self.tokens.seen.lock().remove(&self.token);
            self.tokens.settled.notify_all();
        }
    }
}

/// DynamoDB's refusal of a transaction naming one item twice.
pub(crate) const MULTIPLE_OPERATIONS_ON_ONE_ITEM: &str =
    "Transaction request cannot include multiple operations on one item";

/// IdempotentParameterMismatchException's message, as the real service
/// words it (DynamoDB Local sends an empty message).
pub(crate) const TOKEN_MISMATCH: &str =
    "The request uses the same client token as a previous, but non-identical request.";

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
    /// An update of a key attribute: the transaction is cancelled with this
    /// one reason when the evaluation reaches this action (an earlier
    /// action's failure to apply is the request's error first).
    updates_key: Option<Error>,
}

fn tx_table<'g>(
    guards: &'g mut BTreeMap<String, parking_lot::RwLockWriteGuard<'_, TableState>>,
    name: &str,
) -> &'g mut TableState {
    guards.get_mut(name).expect("every table of the transaction is locked")
}

/// `TransactWriteItems`.
/// The longest `ClientRequestToken` DynamoDB takes.
pub(crate) const MAX_TOKEN_LENGTH: usize = 36;

pub(crate) fn transact_write_items(
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
    if let Some(token) = &input.client_request_token
        && token.chars().count() > MAX_TOKEN_LENGTH
    {
        return Err(v(format!(
            "1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to {MAX_TOKEN_LENGTH}"
        )));
    }
    // The token is claimed before anything else runs and recorded only once
    // the writes are applied (see `Tokens`).
    let claim = match &input.client_request_token {
        Some(token) => match tokens.claim(token, &fingerprint_write(&items))? {
            Claim::Run(claim) => Some(claim),
            Claim::Replay => return Ok(TransactWriteItemsOutput::builder().build()),
        },
        None => None,
    };

    // First pass, as DynamoDB Local does it, action by action and before any
    // table is looked up: the expressions, the values and the item's size,
    // then the running payload against the 4 MB limit.
    let mut total = 0usize;
    let mut checked = Vec::with_capacity(items.len());
    for t in items {
        let action = match (t.put, t.update, t.delete, t.condition_check) {
            (Some(p), None, None, None) => {
                let payload = expression_payload(
                    p.condition_expression.as_deref(),
                    None,
                    p.expression_attribute_names.as_ref(),
                    p.expression_attribute_values.as_ref(),
                );
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
                total += size + payload;
                let cond =
                    Conditional::from_parsed(parsed.condition, p.return_values_on_condition_check_failure.as_ref());
                Checked::Put {
                    table_name: p.table_name,
                    item,
                    size,
                    cond,
                }
            }
            (None, Some(u), None, None) => {
                let payload = size::item_size(&u.key)
                    + expression_payload(
                        u.condition_expression.as_deref(),
                        Some(&u.update_expression),
                        u.expression_attribute_names.as_ref(),
                        u.expression_attribute_values.as_ref(),
                    );
                let parsed = engine::parse(ExprInput {
                    names: u.expression_attribute_names.as_ref(),
                    values: u.expression_attribute_values,
                    condition: u.condition_expression.as_deref(),
                    update: Some(&u.update_expression),
                    ..Default::default()
                })?;
                total += payload;
                let cond =
                    Conditional::from_parsed(parsed.condition, u.return_values_on_condition_check_failure.as_ref());
                Checked::Update {
                    table_name: u.table_name,
                    key: u.key,
                    update: parsed.update,
                    cond,
                }
            }
            // Delete and ConditionCheck: a key, an optional condition.
            (None, None, Some(d), None) => Keyed {
                table_name: d.table_name,
                key: d.key,
                names: d.expression_attribute_names,
                values: d.expression_attribute_values,
                condition: d.condition_expression,
                on_fail: d.return_values_on_condition_check_failure,
                op: Op::Delete,
            }
            .check(&mut total)?,
            (None, None, None, Some(c)) => Keyed {
                table_name: c.table_name,
                key: c.key,
                names: c.expression_attribute_names,
                values: c.expression_attribute_values,
                condition: Some(c.condition_expression),
                on_fail: c.return_values_on_condition_check_failure,
                op: Op::Check,
            }
            .check(&mut total)?,
            _ => return Err(v("TransactItems can only contain one of Check, Put, Update or Delete")),
        };
        if total > MAX_TRANSACTION_PAYLOAD_BYTES {
            return Err(v(format!(
                "Transaction payload size cannot exceed 4MB. Payload Size: {total}"
            )));
        }
        checked.push(action);
    }

    // Second pass: every action against its table. As DynamoDB Local does
    // it: a malformed request (an unknown table, two actions on one item) is
    // an error of the request; an action whose key or item breaks the
    // table's rules cancels the transaction with one ValidationError reason.
    let mut tables: BTreeMap<String, TableRef> = BTreeMap::new();
    // Per-action errors, as DynamoDB Local classifies them: values that are
    // invalid anywhere (empty sets, empty index keys) fail the request; an
    // update of a key attribute cancels with that one reason; a key or an
    // index key of the wrong type cancels with the reasons up to that action.
    let mut actions: Vec<Result<Action, Error>> = Vec::with_capacity(checked.len());
    // DynamoDB Local takes the actions one at a time, in order, and the first
    // that fails the request decides its answer: an error found here (an
    // unknown table, an invalid value) ends this pass, and is the answer
    // unless an earlier action fails the request or cancels the transaction
    // when it is evaluated below.
    let mut fatal: Option<Error> = None;
    macro_rules! per_item {
        ($e:expr, $name:expr, $table:expr) => {
            match $e {
                Ok(v) => v,
                Err(Error::Validation(m)) if is_value_error(&m) => {
                    fatal = Some(Error::Validation(m));
                    break;
                }
                Err(e @ Error::Validation(_)) => {
                    tables.insert($name.clone(), $table.clone());
                    actions.push(Err(e));
                    continue;
                }
                Err(e) => return Err(e),
            }
        };
    }
    macro_rules! found_or {
        ($e:expr) => {
            match $e {
                Ok(table) => table,
                Err(e) => {
                    fatal = Some(e);
                    break;
                }
            }
        };
    }
    for c in checked {
        let (name, table, action, updates_key) = match c {
            Checked::Put {
                table_name,
                item,
                size,
                cond,
            } => {
                let table = found_or!(catalog.table_opt(Some(&table_name)));
                let key = {
                    let st = table.read();
                    let key = per_item!(
                        keys::item_key(&item, &st.meta.hash, st.meta.range.as_ref()),
                        table_name,
                        table
                    );
                    per_item!(TableData::check_index_keys(&st.meta, &item), table_name, table);
                    key
                };
                (table_name, table, (key, Op::Put(item, size), cond), None)
            }
            Checked::Update {
                table_name,
                key,
                update,
                cond,
            } => {
                let table = found_or!(catalog.table_opt(Some(&table_name)));
                let (key, updates_key) = {
                    let st = table.read();
                    let key = per_item!(
                        keys::request_key(&key, &st.meta.hash, st.meta.range.as_ref()),
                        table_name,
                        table
                    );
                    (
                        key,
                        update.as_ref().and_then(|up| check_update_keys(&st.meta, up).err()),
                    )
                };
                (table_name, table, (key, Op::Update(update), cond), updates_key)
            }
            Checked::Keyed { keyed, cond } => {
                let table = found_or!(catalog.table_opt(Some(&keyed.table_name)));
                let key = {
                    let st = table.read();
                    per_item!(keyed.key(&st), keyed.table_name, table)
                };
                (keyed.table_name, table, (key, keyed.op, cond), None)
            }
        };
        let (key, op, cond) = action;
        tables.insert(name.clone(), table);
        actions.push(Ok(Action {
            table: name,
            key,
            op,
            cond,
            updates_key,
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
        // An update of a key attribute cancels with its one reason, in
        // action order: DynamoDB Local fails the request first if an earlier
        // update cannot apply to its item.
        if let Some(e) = &a.updates_key {
            return Err(canceled(vec![validation_reason(e.clone())]));
        }
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
        let mut reason = match a.cond.holds(old) {
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
            // a wrong operand type) fails the request, as in DynamoDB Local;
            // one whose result has an index key of the wrong type cancels the
            // transaction with a ValidationError reason, as a put's does.
            let (item, size) = apply_update_sized(&st.meta, &a.key, old.map(std::borrow::Cow::Borrowed), u.as_ref())?;
            match TableData::check_index_keys(&st.meta, &item) {
                Ok(()) => new = Some((item, size)),
                Err(Error::Validation(m)) if is_value_error(&m) => return Err(Error::Validation(m)),
                Err(e @ Error::Validation(_)) => reason = Some(validation_reason(e)),
                Err(e) => return Err(e),
            }
        }
        failed |= reason.is_some();
        if reason.is_none() {
            if earlier.is_some() {
                return Err(v(MULTIPLE_OPERATIONS_ON_ONE_ITEM));
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
    // The error that ended the second pass, no earlier action having failed
    // the request: it fails it, before any cancellation reason.
    if let Some(e) = fatal {
        return Err(e);
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

    let rcc = input.return_consumed_capacity.as_ref();
    let mut charges: BTreeMap<String, Charge> = BTreeMap::new();
    for (a, new) in actions.into_iter().flatten().zip(writes) {
        let st = tx_table(&mut guards, &a.table);
        let TableState { meta, data } = st;
        let charge = match a.op {
            Op::Put(item, size) => {
                let entries = new_entries(meta, rcc, &item);
                let replaced = data.put(meta, a.key, &item, size);
                put_charge(meta, entries, &replaced)
            }
            Op::Update(_) => match new {
                Some((item, size)) => {
                    let entries = new_entries(meta, rcc, &item);
                    let replaced = data.put(meta, a.key, &item, size);
                    put_charge(meta, entries, &replaced)
                }
                None => None,
            },
            Op::Delete => {
                let old = data.delete(meta, &a.key);
                delete_charge(meta, rcc, old.as_ref(), DeleteCall::Transaction)
            }
            Op::Check => capacity::check_charge(rcc, data.stored(&a.key)),
        };
        if let Some(c) = charge {
            charges
                .entry(a.table.clone())
                .or_default()
                .add(c.times(TRANSACTION_FACTOR));
        }
    }
    let consumed = capacity::report_all(
        charges
            .into_iter()
            .filter_map(|(name, c)| guards.get(&name).map(|st| (&st.meta, c))),
        rcc,
    );
    // Recorded while the tables are still locked: a duplicate sees either
    // the claim or the record, never a gap between the writes and the record.
    if let Some(claim) = claim {
        claim.succeeded();
    }
    drop(guards);
    Ok(TransactWriteItemsOutput::builder()
        .set_consumed_capacity(consumed)
        .build())
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
    /// The first pass (see [`transact_write_items`]): the condition parsed,
    /// the action's payload added to `total`.
    fn check(mut self, total: &mut usize) -> Result<Checked, Error> {
        *total += size::item_size(&self.key)
            + expression_payload(
                self.condition.as_deref(),
                None,
                self.names.as_ref(),
                self.values.as_ref(),
            );
        let parsed = engine::parse(ExprInput {
            names: self.names.as_ref(),
            values: self.values.take(),
            condition: self.condition.as_deref(),
            ..Default::default()
        })?;
        let cond = Conditional::from_parsed(parsed.condition, self.on_fail.as_ref());
        Ok(Checked::Keyed { keyed: self, cond })
    }

    /// The key, checked against the table's key schema.
    fn key(&self, st: &TableState) -> Result<PrimaryKey, Error> {
        keys::request_key(&self.key, &st.meta.hash, st.meta.range.as_ref())
    }
}

/// An action after the first pass: parsed and sized, its table not yet
/// looked up.
enum Checked {
    Put {
        table_name: String,
        item: Item,
        size: usize,
        cond: Conditional,
    },
    Update {
        table_name: String,
        key: Item,
        update: Option<Update>,
        cond: Conditional,
    },
    Keyed {
        keyed: Keyed,
        cond: Conditional,
    },
}

/// What an action's expressions add to a transaction's payload, as DynamoDB
/// Local counts it: the expressions' lengths, the names the placeholders
/// stand for, and the sizes of the values (not their placeholders).
fn expression_payload(
    condition: Option<&str>,
    update: Option<&str>,
    names: Option<&HashMap<String, String>>,
    values: Option<&HashMap<String, AttributeValue>>,
) -> usize {
    condition.map_or(0, str::len)
        + update.map_or(0, str::len)
        + names.map_or(0, |n| n.values().map(String::len).sum())
        // An item's size counts each name and value; the values alone here.
        + values.map_or(0, |v| size::item_size(v) - v.keys().map(String::len).sum::<usize>())
}

/// TransactionCanceled with these reasons, worded as DynamoDB words it.
pub(crate) fn canceled(reasons: Vec<CancellationReason>) -> Error {
    let codes: Vec<&str> = reasons.iter().map(|r| r.code().unwrap_or("None")).collect();
    Error::TransactionCanceled {
        message: format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        )
        .into(),
        reasons,
        causes: Vec::new(),
    }
}

/// Key errors DynamoDB Local treats as invalid values, which fail a
/// transaction outright instead of cancelling it.
pub(crate) fn is_value_error(message: &str) -> bool {
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
pub(crate) fn transact_get_items(
    catalog: &Catalog,
    input: TransactGetItemsInput,
) -> Result<TransactGetItemsOutput, Error> {
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
        let projector = Projector::new(
            g.projection_expression.as_deref(),
            g.expression_attribute_names.as_ref(),
        )?;
        // A key that does not fit its table cancels the transaction (as in
        // DynamoDB Local), with a ValidationError reason for that action and
        // None for those before it (as the real service words it); an
        // invalid value fails the request.
        let key = {
            let st = table.read();
            match keys::request_key(&g.key, &st.meta.hash, st.meta.range.as_ref()) {
                Ok(key) => key,
                Err(Error::Validation(m)) if !is_value_error(&m) => {
                    let mut reasons = vec![CancellationReason::builder().code("None").build(); plan.len()];
                    reasons.push(validation_reason(Error::Validation(m)));
                    return Err(canceled(reasons));
                }
                Err(e) => return Err(e),
            }
        };
        if !seen.insert((g.table_name.clone(), key.clone())) {
            return Err(v(MULTIPLE_OPERATIONS_ON_ONE_ITEM));
        }
        tables.insert(g.table_name.clone(), table);
        plan.push((g.table_name, key, projector));
    }
    let guards: BTreeMap<&String, _> = tables.iter().map(|(n, t)| (n, t.read())).collect();
    let mut responses = Vec::with_capacity(plan.len());
    // The answer's size, as DynamoDB Local counts it: checked as each item
    // is read, so the size reported is the running total that crossed.
    let mut total = 0usize;
    let mut charges = Vec::new();
    for (table, key, projector) in &plan {
        let st = guards.get(table);
        let stored = st.and_then(|st| st.data.stored(key));
        if let Some(st) = st {
            let units = read_units(stored.map_or(0, Stored::size), true);
            charges.push((&st.meta, Charge::read(None, units).times(TRANSACTION_FACTOR)));
        }
        let item = stored.map(|i| projector.apply_owned(i.decode()));
        total += GET_RESPONSE_OVERHEAD_BYTES + item.as_ref().map_or(0, size::item_size);
        if total > MAX_TRANSACT_GET_RESPONSE_BYTES {
            return Err(v(format!("Payload in response is too large.{total}")));
        }
        responses.push(ItemResponse::builder().set_item(item).build());
    }
    let consumed = capacity::report_all(charges, input.return_consumed_capacity.as_ref());
    Ok(TransactGetItemsOutput::builder()
        .set_responses(Some(responses))
        .set_consumed_capacity(consumed)
        .build())
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Barrier};

    use aws_sdk_dynamodb::types::{AttributeDefinition, KeySchemaElement, KeyType, ScalarAttributeType};

    use super::*;

    fn catalog_with_counter_table() -> Catalog {
        let catalog = Catalog::default();
        catalog
            .create_table(
                CreateTableInput::builder()
                    .table_name("counter")
                    .key_schema(
                        KeySchemaElement::builder()
                            .attribute_name("id")
                            .key_type(KeyType::Hash)
                            .build()
                            .unwrap(),
                    )
                    .attribute_definitions(
                        AttributeDefinition::builder()
                            .attribute_name("id")
                            .attribute_type(ScalarAttributeType::S)
                            .build()
                            .unwrap(),
                    )
                    .billing_mode(BillingMode::PayPerRequest)
                    .build()
                    .unwrap(),
            )
            .unwrap();
        catalog
    }

    fn add(by: &str, token: &str) -> TransactWriteItemsInput {
        TransactWriteItemsInput::builder()
            .transact_items(
                TransactWriteItem::builder()
                    .update(
                        aws_sdk_dynamodb::types::Update::builder()
                            .table_name("counter")
                            .key("id", AttributeValue::S("c".into()))
                            .update_expression("ADD n :by")
                            .expression_attribute_values(":by", AttributeValue::N(by.into()))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .client_request_token(token)
            .build()
            .unwrap()
    }

    fn count(catalog: &Catalog) -> Option<AttributeValue> {
        let table = catalog.table("counter").unwrap();
        let st = table.read();
        let key = keys::request_key(
            &HashMap::from([("id".to_string(), AttributeValue::S("c".into()))]),
            &st.meta.hash,
            None,
        )
        .unwrap();
        st.data.get(&key).and_then(|i| i.get("n").cloned())
    }

    #[test]
    fn threads_racing_with_one_token_apply_it_once_and_all_succeed() {
        let catalog = Arc::new(catalog_with_counter_table());
        let tokens = Arc::new(Tokens::default());
        let (threads, rounds) = (8, 200);
        for round in 0..rounds {
            let start = Arc::new(Barrier::new(threads));
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let (catalog, tokens, start) = (catalog.clone(), tokens.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        transact_write_items(&catalog, &tokens, add("1", &format!("t{round}")))
                    })
                })
                .collect();
            for h in handles {
                h.join().unwrap().unwrap();
            }
        }
        assert_eq!(count(&catalog), Some(AttributeValue::N(rounds.to_string())));
        // Every token is recorded, none is left in flight.
        let seen = tokens.seen.lock();
        assert_eq!(seen.len(), rounds);
        assert!(seen.values().all(|e| e.done.is_some()));
    }

    #[test]
    fn a_token_reused_with_another_payload_is_a_mismatch_and_applies_nothing() {
        let catalog = catalog_with_counter_table();
        let tokens = Tokens::default();
        transact_write_items(&catalog, &tokens, add("1", "t")).unwrap();
        assert_eq!(
            transact_write_items(&catalog, &tokens, add("2", "t")).unwrap_err(),
            Error::IdempotentParameterMismatch(TOKEN_MISMATCH.into())
        );
        transact_write_items(&catalog, &tokens, add("1", "t")).unwrap();
        assert_eq!(count(&catalog), Some(AttributeValue::N("1".into())));
    }

    #[test]
    fn a_request_that_fails_validation_frees_its_token() {
        let catalog = catalog_with_counter_table();
        let tokens = Tokens::default();
        // ADD of a string: the request fails before it applies anything.
        let mut bad = add("1", "t");
        if let Some(u) = bad.transact_items.as_mut().and_then(|t| t[0].update.as_mut()) {
            u.expression_attribute_values = Some(HashMap::from([(":by".to_string(), AttributeValue::S("1".into()))]));
        }
        assert!(matches!(
            transact_write_items(&catalog, &tokens, bad),
            Err(Error::Validation(_))
        ));
        assert!(tokens.seen.lock().is_empty());
        transact_write_items(&catalog, &tokens, add("2", "t")).unwrap();
        assert_eq!(count(&catalog), Some(AttributeValue::N("2".into())));
    }

    #[test]
    fn a_replay_after_the_token_lifetime_applies_again() {
        let catalog = catalog_with_counter_table();
        let tokens = Tokens::default();
        transact_write_items(&catalog, &tokens, add("1", "t")).unwrap();
        let Some(past) = Instant::now().checked_sub(TOKEN_TTL + Duration::from_secs(1)) else {
            // A clock younger than the lifetime cannot express an old token.
            return;
        };
        if let Some(e) = tokens.seen.lock().get_mut("t") {
            e.done = Some(past);
        }
        transact_write_items(&catalog, &tokens, add("1", "t")).unwrap();
        assert_eq!(count(&catalog), Some(AttributeValue::N("2".into())));
    }
}
