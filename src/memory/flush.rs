//! The flush engine: writes a set of changes back to DynamoDB, losing
//! nothing.
//!
//! Changes are deduplicated across the whole flush (the last change of a key
//! wins), unversioned ones go in BatchWriteItem requests of at most
//! [`WRITE_CHUNK`] writes and [`MAX_BATCH_WRITE_BYTES`] (estimated), versioned
//! ones one by one with their version check. At most
//! [`FlushOptions::concurrency`] requests are in flight. Unprocessed items and
//! retryable errors are retried with exponential backoff and full jitter; a
//! retry that gets nothing through counts towards [`FlushOptions::attempts`].
//! A change counts as written only when DynamoDB confirmed it; everything
//! else comes back in [`Outcome::failed`] with its error.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use futures::stream::{self, StreamExt};

use crate::backend::Backend;
use crate::batch::WRITE_CHUNK;
use crate::database::Database;
use crate::sdk::*;
use crate::{Error, Item};

/// Most bytes DynamoDB takes in one BatchWriteItem request.
pub(crate) const MAX_BATCH_WRITE_BYTES: usize = 16 * 1024 * 1024;

/// One change to write back.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// The table's declared name, without the connection's prefix.
    pub table: String,
    /// The key attributes alone.
    pub key: Item,
    /// Canonical text of the key, unique per key within a table.
    pub key_text: String,
    /// What to write.
    pub op: ChangeOp,
    /// Some on versioned tables: the write is conditional, never batched.
    pub version: Option<VersionCheck>,
    /// Which of the flush's memory tables the change comes from (handed back
    /// with the confirmation; the engine does not read it).
    pub unit: usize,
}

/// A put of a whole item, or a delete of the key.
#[derive(Debug, Clone)]
pub(crate) enum ChangeOp {
    /// Put this item.
    Put(Item),
    /// Delete the key.
    Delete,
}

/// A versioned write: the stored version must be `held` (0 = no item / no
/// version stored yet); for a Put the item already carries version held+1 in
/// `attribute`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VersionCheck {
    /// The version attribute's name.
    pub attribute: &'static str,
    /// The version the record held when read.
    pub held: u64,
}

/// A change DynamoDB confirmed.
#[derive(Debug)]
pub(crate) struct Written {
    /// The table's declared name.
    pub table: String,
    /// The key's canonical text.
    pub key_text: String,
    /// The change's [`Change::unit`].
    pub unit: usize,
    /// The item now stored; `None` after a delete.
    pub item: Option<Item>,
}

/// What a run of the engine did.
pub(crate) struct Outcome {
    /// The counts.
    pub report: FlushReport,
    /// Every change DynamoDB confirmed.
    pub written: Vec<Written>,
    /// Everything not confirmed: still pending.
    pub failed: Vec<Failed>,
}

/// How a flush writes. Default: 8 requests in flight, 10 attempts without
/// progress, base delay 25 ms, max delay 5 s, full jitter, consumed capacity
/// not asked for.
#[derive(Debug, Clone)]
pub struct FlushOptions {
    /// Most requests in flight at once (at least 1 is used).
    pub concurrency: usize,
    /// Attempts in a row without progress (nothing confirmed) before a write
    /// is given up, the first attempt included; an attempt that gets some
    /// writes of its request through starts the count over. At least 1 is
    /// used.
    pub attempts: u32,
    /// Upper bound of the first retry's delay; doubled each retry without
    /// progress.
    pub base_delay: Duration,
    /// The largest upper bound of a delay.
    pub max_delay: Duration,
    /// Ask DynamoDB for the capacity each request consumed
    /// (`ReturnConsumedCapacity: TOTAL`) and add it up in
    /// [`FlushReport::consumed_capacity`]. Off by default: answering it costs
    /// the server work per item (DynamoDB Local spent 8% to 80% more CPU per
    /// BatchWriteItem with it, see BENCHMARKS.md).
    pub consumed_capacity: bool,
}

impl Default for FlushOptions {
    fn default() -> Self {
        FlushOptions {
            concurrency: 8,
            attempts: 10,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(5),
            consumed_capacity: false,
        }
    }
}

/// What a flush wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushReport {
    /// Puts confirmed by DynamoDB (batched and conditional).
    pub puts: usize,
    /// Deletes confirmed by DynamoDB (batched and conditional).
    pub deletes: usize,
    /// Of the puts and deletes, those written one by one with a version check.
    pub conditional: usize,
    /// Changes dropped because a later change of the same key won.
    pub collapsed: usize,
    /// Requests sent again after unprocessed items or a retryable error.
    pub retries: usize,
    /// Requests sent.
    pub requests: usize,
    /// Write capacity units consumed, as DynamoDB returned them; `None`
    /// unless [`FlushOptions::consumed_capacity`] asked for them.
    pub consumed_capacity: Option<f64>,
}

impl FlushReport {
    fn add(&mut self, other: &FlushReport) {
        self.puts += other.puts;
        self.deletes += other.deletes;
        self.conditional += other.conditional;
        self.collapsed += other.collapsed;
        self.retries += other.retries;
        self.requests += other.requests;
        self.consumed_capacity = match (self.consumed_capacity, other.consumed_capacity) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }
}

/// A change that was not written.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    /// The table's declared name, without the connection's prefix.
    pub table: String,
    /// The key attributes.
    pub key: Item,
    /// The record's item, for a put; `None` for a delete.
    pub item: Option<Item>,
    /// Why it was not written (the last error seen).
    pub error: Error,
}

/// A flush that left changes unwritten: they stay pending, and a later flush
/// retries them.
#[derive(Debug, Clone, PartialEq)]
pub struct FlushError {
    /// What the flush did write.
    pub report: FlushReport,
    /// The changes not written, each with its error.
    pub failed: Vec<Failed>,
}

impl fmt::Display for FlushError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "flush left {} change(s) unwritten (wrote {} put(s), {} delete(s))",
            self.failed.len(),
            self.report.puts,
            self.report.deletes
        )?;
        if let Some(first) = self.failed.first() {
            write!(f, "; first: table {}: {}", first.table, first.error)?;
        }
        Ok(())
    }
}

impl std::error::Error for FlushError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.failed
            .first()
            .map(|f| &f.error as &(dyn std::error::Error + 'static))
    }
}

/// Writes every change, as the module says. Never panics; never drops a
/// change: each one ends in `written` or in `failed`.
pub(crate) async fn write_all(db: &Database, changes: Vec<Change>, options: &FlushOptions) -> Outcome {
    write_all_within(db, changes, options, MAX_BATCH_WRITE_BYTES).await
}

/// [`write_all`] with a request size budget (tests use small ones).
async fn write_all_within(db: &Database, changes: Vec<Change>, options: &FlushOptions, budget: usize) -> Outcome {
    let mut report = FlushReport::default();
    let (unique, collapsed) = dedupe(changes);
    report.collapsed = collapsed;
    let (versioned, mut plain): (Vec<Change>, Vec<Change>) = unique.into_iter().partition(|c| c.version.is_some());
    // In key order: a server's storage takes neighbouring keys faster than
    // scattered ones (a memory table hands its changes over in hash order).
    plain
        .sort_unstable_by(|a, b| (a.table.as_str(), a.key_text.as_str()).cmp(&(b.table.as_str(), b.key_text.as_str())));
    let seed = seed();
    let batches = plan_batches(plain, budget);
    let mut units: Vec<Unit> = batches.into_iter().map(Unit::Batch).collect();
    units.extend(versioned.into_iter().map(Unit::One));
    let results: Vec<Outcome> = stream::iter(units.into_iter().enumerate())
        .map(|(i, unit)| {
            let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            async move {
                match unit {
                    Unit::Batch(batch) => write_batch(db, batch, options, &mut rng).await,
                    Unit::One(change) => write_one(db, change, options, &mut rng).await,
                }
            }
        })
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    let mut out = Outcome {
        report,
        written: Vec::new(),
        failed: Vec::new(),
    };
    for r in results {
        out.report.add(&r.report);
        out.written.extend(r.written);
        out.failed.extend(r.failed);
    }
    out
}

/// One piece of work: a BatchWriteItem chunk, or a versioned change.
enum Unit {
    Batch(Vec<Change>),
    One(Change),
}

/// The last change of each (table, key) in order of first appearance, and
/// how many changes were dropped.
fn dedupe(changes: Vec<Change>) -> (Vec<Change>, usize) {
    let mut at: HashMap<(String, String), usize> = HashMap::with_capacity(changes.len());
    let mut unique: Vec<Change> = Vec::with_capacity(changes.len());
    let mut collapsed = 0;
    for c in changes {
        match at.entry((c.table.clone(), c.key_text.clone())) {
            std::collections::hash_map::Entry::Occupied(e) => {
                unique[*e.get()] = c;
                collapsed += 1;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(unique.len());
                unique.push(c);
            }
        }
    }
    (unique, collapsed)
}

/// Chunks of at most [`WRITE_CHUNK`] writes whose estimated request size
/// stays within `budget` (a write larger than the budget alone goes alone:
/// DynamoDB judges it).
fn plan_batches(changes: Vec<Change>, budget: usize) -> Vec<Vec<Change>> {
    let mut batches: Vec<Vec<Change>> = Vec::new();
    let mut current: Vec<Change> = Vec::new();
    let mut bytes = 0usize;
    for change in changes {
        let size = request_size(&change);
        if !current.is_empty() && (current.len() == WRITE_CHUNK || bytes.saturating_add(size) > budget) {
            batches.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes = bytes.saturating_add(size);
        current.push(change);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// The write request of an unversioned change (a copy of its item: the
/// change keeps its own until DynamoDB confirms it).
fn write_request(change: &Change) -> Result<WriteRequest, Error> {
    Ok(match &change.op {
        ChangeOp::Put(item) => WriteRequest::builder()
            .put_request(PutRequest::builder().set_item(Some(item.clone())).build()?)
            .build(),
        ChangeOp::Delete => WriteRequest::builder()
            .delete_request(DeleteRequest::builder().set_key(Some(change.key.clone())).build()?)
            .build(),
    })
}

/// A conservative estimate of a write's share of a request's JSON: names and
/// values as JSON text (strings escaped, binaries in base64) with their type
/// tags and punctuation.
fn request_size(change: &Change) -> usize {
    let item = match &change.op {
        ChangeOp::Put(item) => item,
        ChangeOp::Delete => &change.key,
    };
    64 + change.table.len() + item_json_size(item)
}

fn item_json_size(item: &Item) -> usize {
    item.iter()
        .map(|(k, v)| json_string_size(k) + 2 + value_json_size(v))
        .sum::<usize>()
        + 2
}

fn json_string_size(s: &str) -> usize {
    // Byte by byte (a character's UTF-8 bytes are its share): a quote or a
    // backslash takes one byte more escaped, a control character five more.
    let extra: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' => 1,
            b if b < 0x20 => 5,
            _ => 0,
        })
        .sum();
    2 + s.len() + extra
}

fn base64_size(len: usize) -> usize {
    len.div_ceil(3) * 4 + 2
}

fn value_json_size(v: &AttributeValue) -> usize {
    // `{"S":…}` and the like: 6 bytes of tag and braces, a comma per member.
    6 + match v {
        AttributeValue::S(s) => json_string_size(s),
        AttributeValue::N(n) => n.len() + 2,
        AttributeValue::B(b) => base64_size(b.as_ref().len()),
        AttributeValue::Bool(_) => 5,
        AttributeValue::Null(_) => 4,
        AttributeValue::Ss(v) => v.iter().map(|s| json_string_size(s) + 1).sum::<usize>() + 2,
        AttributeValue::Ns(v) => v.iter().map(|n| n.len() + 3).sum::<usize>() + 2,
        AttributeValue::Bs(v) => v.iter().map(|b| base64_size(b.as_ref().len()) + 1).sum::<usize>() + 2,
        AttributeValue::L(v) => v.iter().map(|x| value_json_size(x) + 1).sum::<usize>() + 2,
        AttributeValue::M(m) => item_json_size(m),
        _ => 64,
    }
}

/// The delay before the next retry after `failures` attempts in a row
/// without progress: uniformly random in [0, min(max, base·2^(failures-1))]
/// (after progress, `failures` is 0: within the base delay).
pub(crate) fn backoff(options: &FlushOptions, failures: u32, rng: &mut Rng) -> Duration {
    let exp = failures.saturating_sub(1).min(30);
    let cap = options.base_delay.saturating_mul(1u32 << exp).min(options.max_delay);
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.below(nanos.saturating_add(1)))
}

/// The error of a write DynamoDB kept leaving unprocessed.
fn unprocessed_error(attempts: u32) -> Error {
    Error::Throttling(
        format!("BatchWriteItem left this item unprocessed {attempts} time(s) in a row: not written").into(),
    )
}

fn capacity(c: &ConsumedCapacity) -> f64 {
    c.capacity_units.unwrap_or(0.0)
}

fn failed(change: Change, error: Error) -> Failed {
    Failed {
        table: change.table,
        key: change.key,
        item: match change.op {
            ChangeOp::Put(item) => Some(item),
            ChangeOp::Delete => None,
        },
        error,
    }
}

fn confirm(out: &mut Outcome, change: Change) {
    let item = match change.op {
        ChangeOp::Put(item) => {
            out.report.puts += 1;
            Some(item)
        }
        ChangeOp::Delete => {
            out.report.deletes += 1;
            None
        }
    };
    if change.version.is_some() {
        out.report.conditional += 1;
    }
    out.written.push(Written {
        table: change.table,
        key_text: change.key_text,
        unit: change.unit,
        item,
    });
}

fn empty_outcome() -> Outcome {
    Outcome {
        report: FlushReport::default(),
        written: Vec::new(),
        failed: Vec::new(),
    }
}

/// Writes one chunk with BatchWriteItem until every write is confirmed or
/// `attempts` attempts in a row made no progress. A non-retryable error of
/// the request sends its writes one by one, so that only the bad ones fail.
async fn write_batch(db: &Database, batch: Vec<Change>, options: &FlushOptions, rng: &mut Rng) -> Outcome {
    let mut out = empty_outcome();
    let attempts = options.attempts.max(1);
    let mut pending = batch;
    let mut failures = 0u32;
    loop {
        let mut items: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        let mut buildable = Vec::with_capacity(pending.len());
        for change in pending {
            let request = match write_request(&change) {
                Ok(request) => request,
                Err(e) => {
                    out.failed.push(failed(change, e));
                    continue;
                }
            };
            match items.get_mut(&change.table) {
                Some(requests) => requests.push(request),
                None => {
                    items.insert(change.table.clone(), vec![request]);
                }
            }
            buildable.push(change);
        }
        pending = buildable;
        if pending.is_empty() {
            return out;
        }
        let input = BatchWriteItemInput::builder()
            .set_request_items(Some(items))
            .set_return_consumed_capacity(asked(options))
            .build();
        out.report.requests += 1;
        let result = match input {
            Ok(input) => db.batch_write_item(input).await,
            Err(e) => Err(Error::from(e)),
        };
        match result {
            Ok(answer) => {
                if let Some(returned) = &answer.consumed_capacity {
                    add_capacity(&mut out.report, returned.iter().map(capacity).sum());
                }
                let unprocessed = answer.unprocessed_items.unwrap_or_default();
                let before = pending.len();
                let (done, left) = settle(pending, &unprocessed);
                for change in done {
                    confirm(&mut out, change);
                }
                pending = left;
                if pending.is_empty() {
                    return out;
                }
                if pending.len() < before {
                    // Progress: the count of attempts without it starts over.
                    failures = 0;
                } else {
                    failures += 1;
                    if failures >= attempts {
                        for change in pending {
                            out.failed.push(failed(change, unprocessed_error(failures)));
                        }
                        return out;
                    }
                }
            }
            Err(e) if e.is_retryable() => {
                failures += 1;
                if failures >= attempts {
                    for change in pending {
                        out.failed.push(failed(change, e.clone()));
                    }
                    return out;
                }
            }
            Err(_) => {
                // The request as a whole was refused (e.g. one item too
                // large): each write alone tells which one DynamoDB refuses.
                for change in pending {
                    let one = write_one(db, change, options, rng).await;
                    out.report.add(&one.report);
                    out.written.extend(one.written);
                    out.failed.extend(one.failed);
                }
                return out;
            }
        }
        out.report.retries += 1;
        tokio::time::sleep(backoff(options, failures, rng)).await;
    }
}

/// Splits a request's writes into those DynamoDB confirmed and those it
/// handed back as unprocessed (matched by table and key). An unprocessed
/// write that matches none of the request's writes makes every write count as
/// unconfirmed: sending a confirmed write again is harmless, taking an
/// unconfirmed one for written would lose it.
fn settle(pending: Vec<Change>, unprocessed: &HashMap<String, Vec<WriteRequest>>) -> (Vec<Change>, Vec<Change>) {
    let mut back = vec![false; pending.len()];
    for (table, requests) in unprocessed {
        for r in requests {
            let attrs = match (&r.put_request, &r.delete_request) {
                (Some(p), _) => &p.item,
                (None, Some(d)) => &d.key,
                (None, None) => continue,
            };
            let hit = pending.iter().enumerate().position(|(i, c)| {
                !back[i] && c.table == *table && c.key.iter().all(|(name, value)| attrs.get(name) == Some(value))
            });
            match hit {
                Some(i) => back[i] = true,
                None => return (Vec::new(), pending),
            }
        }
    }
    let mut done = Vec::new();
    let mut left = Vec::new();
    for (change, back) in pending.into_iter().zip(back) {
        if back {
            left.push(change);
        } else {
            done.push(change);
        }
    }
    (done, left)
}

/// Writes one change with PutItem or DeleteItem, conditional on its version
/// when it has one, retrying retryable errors.
async fn write_one(db: &Database, change: Change, options: &FlushOptions, rng: &mut Rng) -> Outcome {
    let mut out = empty_outcome();
    let attempts = options.attempts.max(1);
    let mut failures = 0u32;
    loop {
        out.report.requests += 1;
        let result = send_one(db, &change, options).await;
        match result {
            Ok(units) => {
                if let Some(units) = units {
                    add_capacity(&mut out.report, units);
                }
                confirm(&mut out, change);
                return out;
            }
            Err(e) if e.is_retryable() => {
                failures += 1;
                if failures >= attempts {
                    out.failed.push(failed(change, e));
                    return out;
                }
            }
            Err(Error::ConditionalCheckFailed { .. }) if change.version.is_some() => {
                let expected = change.version.map_or(0, |v| v.held);
                let table = change.table.clone();
                out.failed
                    .push(failed(change, Error::VersionConflict { table, expected }));
                return out;
            }
            Err(e) => {
                out.failed.push(failed(change, e));
                return out;
            }
        }
        out.report.retries += 1;
        tokio::time::sleep(backoff(options, failures, rng)).await;
    }
}

/// One PutItem or DeleteItem; the capacity consumed, when asked for.
async fn send_one(db: &Database, change: &Change, options: &FlushOptions) -> Result<Option<f64>, Error> {
    let (condition, values) = match change.version {
        None => (None, None),
        Some(v) if v.held == 0 => (Some("attribute_not_exists(#v)".to_string()), None),
        Some(v) => (
            Some("#v = :held".to_string()),
            Some(HashMap::from([(
                ":held".to_string(),
                AttributeValue::N(v.held.to_string()),
            )])),
        ),
    };
    let names = change
        .version
        .map(|v| HashMap::from([("#v".to_string(), v.attribute.to_string())]));
    let table = change.table.clone();
    let answer = match &change.op {
        ChangeOp::Put(item) => {
            db.direct_put_item(
                PutItemInput::builder()
                    .table_name(table)
                    .set_item(Some(item.clone()))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_return_consumed_capacity(asked(options))
                    .build()?,
            )
            .await?
            .consumed_capacity
        }
        ChangeOp::Delete => {
            db.direct_delete_item(
                DeleteItemInput::builder()
                    .table_name(table)
                    .set_key(Some(change.key.clone()))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_return_consumed_capacity(asked(options))
                    .build()?,
            )
            .await?
            .consumed_capacity
        }
    };
    Ok(answer.as_ref().map(capacity))
}

/// `ReturnConsumedCapacity` as the options ask.
fn asked(options: &FlushOptions) -> Option<ReturnConsumedCapacity> {
    options.consumed_capacity.then_some(ReturnConsumedCapacity::Total)
}

fn add_capacity(report: &mut FlushReport, units: f64) {
    report.consumed_capacity = Some(report.consumed_capacity.unwrap_or(0.0) + units);
}

/// A seed from the clock (and the process), for jitter.
pub(crate) fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// xorshift64*: enough randomness for jitter, no dependency.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; 0 is replaced).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(if seed == 0 { 0x2545_F491_4F6C_DD1D } else { seed })
    }

    /// The next value.
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in [0, n) (0 for n = 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[cfg(test)]
mod tests;
