//! Throughput for the length of a job: raise a provisioned table's and its
//! global indexes' read and write capacity in one UpdateTable call, wait for
//! ACTIVE, run the job, and restore the original values afterwards, whatever
//! the job's outcome (success, error or panic).
//!
//! On-demand tables are left as they are ([`ThroughputReport::on_demand`]);
//! a value already at least as high as asked is never lowered; a restore
//! DynamoDB refuses (`LimitExceededException`: decreases are rationed per UTC
//! day) is reported in [`ThroughputReport::left_raised`] and never turns the
//! job's result into an error.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    BillingMode, GlobalSecondaryIndexUpdate, ProvisionedThroughput, TableDescription, UpdateGlobalSecondaryIndexAction,
};
use futures::FutureExt;

use crate::backend::Backend;
use crate::sdk::{DescribeTableInput, UpdateTableInput};
use crate::{Database, Error};

/// How long [`raise`] and [`Raised::restore`] wait for the table and its
/// indexes to be ACTIVE again after their UpdateTable (DynamoDB usually takes
/// seconds, sometimes minutes).
const ACTIVE_WAIT: Duration = Duration::from_secs(15 * 60);

/// Read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Read capacity units.
    pub read: i64,
    /// Write capacity units.
    pub write: i64,
}

impl Capacity {
    /// Each of `self` and `at_least`'s values, whichever is higher.
    fn at_least(self, at_least: Capacity) -> Capacity {
        Capacity {
            read: self.read.max(at_least.read),
            write: self.write.max(at_least.write),
        }
    }

    fn throughput(self) -> Result<ProvisionedThroughput, Error> {
        Ok(ProvisionedThroughput::builder()
            .read_capacity_units(self.read)
            .write_capacity_units(self.write)
            .build()?)
    }
}

/// What [`raise`], [`Raised::restore`] and [`with_throughput`] did, in
/// human-readable lines, one per table or index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThroughputReport {
    /// The table is on-demand (PAY_PER_REQUEST): nothing was changed.
    pub on_demand: bool,
    /// What was raised, e.g. `"table t: read 5 → 100, write 5 → 200"` or
    /// `"index by_g: read 500, write 5 → 200"` (a value shown alone was
    /// already high enough and was kept).
    pub changed: Vec<String>,
    /// What was restored, e.g. `"restored table t: read 5, write 5"`.
    pub restored: Vec<String>,
    /// What remains raised because the restore failed (e.g. DynamoDB's
    /// `LimitExceededException` on decreases), with the reason.
    pub left_raised: Vec<String>,
}

/// One table or index whose capacity was raised.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    /// `None` for the table, the index's name otherwise.
    index: Option<String>,
    original: Capacity,
    raised: Capacity,
}

impl Change {
    fn subject(&self, table: &str) -> String {
        match &self.index {
            None => format!("table {table}"),
            Some(i) => format!("index {i}"),
        }
    }
}

/// A table whose capacity [`raise`] raised; [`Raised::restore`] puts the
/// original values back.
#[derive(Debug)]
#[must_use = "restore the original capacity with Raised::restore"]
pub struct Raised {
    table: String,
    changes: Vec<Change>,
    report: ThroughputReport,
}

fn provisioned(t: Option<&aws_sdk_dynamodb::types::ProvisionedThroughputDescription>) -> Option<Capacity> {
    let t = t?;
    match (t.read_capacity_units, t.write_capacity_units) {
        (Some(read), Some(write)) if read > 0 && write > 0 => Some(Capacity { read, write }),
        _ => None,
    }
}

fn is_on_demand(desc: &TableDescription) -> bool {
    let billing = desc.billing_mode_summary.as_ref().and_then(|b| b.billing_mode.as_ref());
    billing == Some(&BillingMode::PayPerRequest) || provisioned(desc.provisioned_throughput.as_ref()).is_none()
}

fn one(name: &str, from: i64, to: i64) -> String {
    if from == to {
        format!("{name} {to}")
    } else {
        format!("{name} {from} → {to}")
    }
}

/// One UpdateTable setting each change's table or index to `pick(change)`.
fn update_input(table: &str, changes: &[Change], pick: fn(&Change) -> Capacity) -> Result<UpdateTableInput, Error> {
    let mut input = UpdateTableInput::builder().table_name(table);
    for c in changes {
        let throughput = pick(c).throughput()?;
        match &c.index {
            None => input = input.provisioned_throughput(throughput),
            Some(index) => {
                input = input.global_secondary_index_updates(
                    GlobalSecondaryIndexUpdate::builder()
                        .update(
                            UpdateGlobalSecondaryIndexAction::builder()
                                .index_name(index)
                                .provisioned_throughput(throughput)
                                .build()?,
                        )
                        .build(),
                )
            }
        }
    }
    Ok(input.build()?)
}

async fn describe(db: &Database, table: &str) -> Result<TableDescription, Error> {
    let out = db
        .describe_table(DescribeTableInput::builder().table_name(table).build()?)
        .await?;
    Ok(out.table.unwrap_or_else(|| TableDescription::builder().build()))
}

/// Raises table `table`'s (unprefixed) and each of its global indexes' read
/// and write capacity to at least `capacity`, in one UpdateTable call, and
/// waits until the table and its indexes are ACTIVE.
///
/// A value already at least as high is kept; when nothing needs raising no
/// call is made. An on-demand table is left as it is
/// ([`ThroughputReport::on_demand`]). An error (the table missing, the
/// UpdateTable refused, the wait timed out) is returned as is; when it comes
/// from the wait, the capacity was raised and is not restored.
pub async fn raise(db: &Database, table: &str, capacity: Capacity) -> Result<Raised, Error> {
    let desc = describe(db, table).await?;
    let mut raised = Raised {
        table: table.to_string(),
        changes: Vec::new(),
        report: ThroughputReport::default(),
    };
    if is_on_demand(&desc) {
        raised.report.on_demand = true;
        return Ok(raised);
    }
    let subjects = std::iter::once((None, desc.provisioned_throughput.as_ref())).chain(
        desc.global_secondary_indexes()
            .iter()
            .map(|i| (i.index_name.clone(), i.provisioned_throughput.as_ref())),
    );
    for (index, throughput) in subjects {
        let Some(original) = provisioned(throughput) else {
            continue;
        };
        let target = original.at_least(capacity);
        if target != original {
            raised.changes.push(Change {
                index,
                original,
                raised: target,
            });
        }
    }
    if raised.changes.is_empty() {
        return Ok(raised);
    }
    db.update_table(update_input(table, &raised.changes, |c| c.raised)?)
        .await?;
    raised.report.changed = raised
        .changes
        .iter()
        .map(|c| {
            format!(
                "{}: {}, {}",
                c.subject(table),
                one("read", c.original.read, c.raised.read),
                one("write", c.original.write, c.raised.write)
            )
        })
        .collect();
    db.with_table_wait(ACTIVE_WAIT).wait_active(table).await?;
    Ok(raised)
}

impl Raised {
    /// What [`raise`] did so far (`restored` and `left_raised` still empty).
    pub fn report(&self) -> &ThroughputReport {
        &self.report
    }

    /// Puts the original capacity back in one UpdateTable call and waits for
    /// ACTIVE. Never fails: a refused restore (e.g. `LimitExceededException`)
    /// is reported in [`ThroughputReport::left_raised`] with what remains
    /// raised.
    pub async fn restore(self, db: &Database) -> ThroughputReport {
        let Raised {
            table,
            changes,
            mut report,
        } = self;
        if changes.is_empty() {
            return report;
        }
        let outcome = match update_input(&table, &changes, |c| c.original) {
            Ok(input) => db.update_table(input).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(()) => {
                report.restored = changes
                    .iter()
                    .map(|c| {
                        format!(
                            "restored {}: read {}, write {}",
                            c.subject(&table),
                            c.original.read,
                            c.original.write
                        )
                    })
                    .collect();
                if let Err(e) = db.with_table_wait(ACTIVE_WAIT).wait_active(&table).await {
                    report
                        .restored
                        .push(format!("restore of table {table} not yet ACTIVE: {e}"));
                }
            }
            Err(e) => {
                report.left_raised = changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: read {}, write {} (restore to read {}, write {} refused: {e})",
                            c.subject(&table),
                            c.raised.read,
                            c.raised.write,
                            c.original.read,
                            c.original.write
                        )
                    })
                    .collect();
            }
        }
        report
    }
}

/// Runs `job` with table `table`'s (unprefixed) capacity raised to at least
/// `capacity` (see [`raise`]) and restores it afterwards (see
/// [`Raised::restore`]), returning the job's result and what was changed
/// and restored.
///
/// A failure to raise is returned without running the job. The capacity is
/// restored after a success, an error, and a panic; a panic is resumed
/// after the restore. A refused restore never turns the job's result into
/// an error (it is in the report's `left_raised`).
pub async fn with_throughput<T, F, Fut>(
    db: &Database,
    table: &str,
    capacity: Capacity,
    job: F,
) -> (Result<T, Error>, ThroughputReport)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let raised = match raise(db, table, capacity).await {
        Ok(raised) => raised,
        Err(e) => return (Err(e), ThroughputReport::default()),
    };
    let outcome = AssertUnwindSafe(async move { job().await }).catch_unwind().await;
    let report = raised.restore(db).await;
    match outcome {
        Ok(result) => (result, report),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests;
