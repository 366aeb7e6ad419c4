//! STAND-IN for the flush engine (the FLUSH engineer's `flush.rs` replaces
//! this file at merge): the contract's types and signatures, with a simple
//! sequential `write_all` (one PutItem/DeleteItem per change, conditional on
//! versioned tables).

use std::collections::HashMap;
use std::time::Duration;

use crate::backend::Backend;
use crate::database::Database;
use crate::sdk::*;
use crate::{Error, Item};

/// One change to write back.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// The table's declared name, without the connection's prefix.
    pub table: String,
    /// The key attributes alone.
    pub key: Item,
    /// Canonical text of the key, unique per key within a table.
    pub key_text: String,
    /// Put or delete.
    pub op: ChangeOp,
    /// Some on versioned tables: the write is conditional.
    pub version: Option<VersionCheck>,
}

/// What a change does.
#[derive(Debug, Clone)]
pub(crate) enum ChangeOp {
    /// Replace the item.
    Put(Item),
    /// Delete the item.
    Delete,
}

/// A versioned write: the stored version must be `held` (0 = no item / no
/// version stored yet); for a Put the item already carries version held+1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VersionCheck {
    /// The version attribute.
    pub attribute: &'static str,
    /// The version the record holds.
    pub held: u64,
}

/// What a run of the engine did.
pub(crate) struct Outcome {
    /// The report.
    pub report: FlushReport,
    /// (table, key_text) confirmed by DynamoDB.
    pub written: Vec<(String, String)>,
    /// Everything not confirmed: still pending.
    pub failed: Vec<Failed>,
}

/// How a flush writes. Default: concurrency 8 requests in flight, attempts
/// 10 without progress, base delay 25 ms, max delay 5 s, full jitter.
#[derive(Debug, Clone)]
pub struct FlushOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Attempts without progress before a change is given up (for now).
    pub attempts: u32,
    /// The first retry's delay ceiling.
    pub base_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

impl Default for FlushOptions {
    fn default() -> Self {
        FlushOptions {
            concurrency: 8,
            attempts: 10,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// What a flush wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushReport {
    /// Confirmed puts (batched and conditional).
    pub puts: usize,
    /// Confirmed deletes (batched and conditional).
    pub deletes: usize,
    /// Of which written one by one with a version check.
    pub conditional: usize,
    /// Changes dropped because a later change of the same key won.
    pub collapsed: usize,
    /// Retried requests.
    pub retries: usize,
    /// Requests sent.
    pub requests: usize,
    /// Write capacity units, where DynamoDB returned them.
    pub consumed_capacity: f64,
}

/// A change that was not written.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    /// The table's declared name.
    pub table: String,
    /// The key attributes.
    pub key: Item,
    /// The record's item, for a put.
    pub item: Option<Item>,
    /// Why it was not written.
    pub error: Error,
}

/// A flush that left changes unwritten: they stay pending, and a later flush
/// retries them.
#[derive(Debug, Clone, PartialEq)]
pub struct FlushError {
    /// What the flush did write.
    pub report: FlushReport,
    /// What it did not.
    pub failed: Vec<Failed>,
}

impl std::fmt::Display for FlushError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} changes were not written", self.failed.len())?;
        if let Some(first) = self.failed.first() {
            write!(f, " (first, in table {}: {})", first.table, first.error)?;
        }
        Ok(())
    }
}

impl std::error::Error for FlushError {}

/// Writes every change, sequentially (stand-in).
pub(crate) async fn write_all(db: &Database, changes: Vec<Change>, _options: &FlushOptions) -> Outcome {
    let mut report = FlushReport::default();
    let mut last: HashMap<(String, String), usize> = HashMap::new();
    let mut unique: Vec<Change> = Vec::new();
    for c in changes {
        match last.get(&(c.table.clone(), c.key_text.clone())) {
            Some(&i) => {
                unique[i] = c;
                report.collapsed += 1;
            }
            None => {
                last.insert((c.table.clone(), c.key_text.clone()), unique.len());
                unique.push(c);
            }
        }
    }
    let mut written = Vec::new();
    let mut failed = Vec::new();
    for c in unique {
        report.requests += 1;
        match write_one(db, &c).await {
            Ok(()) => {
                match c.op {
                    ChangeOp::Put(_) => report.puts += 1,
                    ChangeOp::Delete => report.deletes += 1,
                }
                if c.version.is_some() {
                    report.conditional += 1;
                }
                written.push((c.table, c.key_text));
            }
            Err(error) => failed.push(Failed {
                table: c.table,
                key: c.key,
                item: match c.op {
                    ChangeOp::Put(item) => Some(item),
                    ChangeOp::Delete => None,
                },
                error,
            }),
        }
    }
    Outcome {
        report,
        written,
        failed,
    }
}

async fn write_one(db: &Database, c: &Change) -> Result<(), Error> {
    let (cond, names, values) = match c.version {
        Some(v) if v.held == 0 => (
            Some("attribute_not_exists(#v)".to_string()),
            Some(HashMap::from([("#v".to_string(), v.attribute.to_string())])),
            None,
        ),
        Some(v) => (
            Some("#v = :v".to_string()),
            Some(HashMap::from([("#v".to_string(), v.attribute.to_string())])),
            Some(HashMap::from([(
                ":v".to_string(),
                AttributeValue::N(v.held.to_string()),
            )])),
        ),
        None => (None, None, None),
    };
    let result = match &c.op {
        ChangeOp::Put(item) => db
            .put_item(
                PutItemInput::builder()
                    .table_name(&c.table)
                    .set_item(Some(item.clone()))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map(|_| ()),
        ChangeOp::Delete => db
            .delete_item(
                DeleteItemInput::builder()
                    .table_name(&c.table)
                    .set_key(Some(c.key.clone()))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map(|_| ()),
    };
    match (result, c.version) {
        (Err(Error::ConditionalCheckFailed { .. }), Some(v)) => Err(Error::VersionConflict {
            table: c.table.clone(),
            expected: v.held,
        }),
        (r, _) => r,
    }
}
