//! Point-in-time recovery: `UpdateContinuousBackups`,
//! `DescribeContinuousBackups` and `RestoreTableToPointInTime`.
//!
//! DynamoDB Local has none of these (`UnknownOperationException`); the mock
//! follows the real service's API reference. Recovery is off for a new
//! table. Turning it on copies the table's items (the base) and from then on
//! every write is logged ([`History::record`], called by `TableData::put`
//! and `TableData::delete`, which every write path goes through), so that a
//! restore can replay the log onto the base up to any time in the window.
//!
//! The window runs from `EarliestRestorableDateTime` (when recovery was
//! turned on, at first) to `LatestRestorableDateTime`, which is now (the
//! service's lags a few minutes behind). Memory: one copy of the table at
//! the earliest restorable time, plus every write since. The log is bounded:
//! writes older than `RecoveryPeriodInDays` (1 to 35, default 35), and the
//! oldest writes beyond [`MAX_LOG_BYTES`] of logged items per table, are
//! folded into the base, which moves the earliest restorable time forward
//! to the last write folded. Turning recovery off drops it all; deleting the
//! table too (the service keeps a deleted table restorable for a while).

use std::collections::{HashMap, VecDeque};

use aws_sdk_dynamodb::primitives::DateTime;

use super::backups::{self, Overrides, now_secs, table_arn, table_not_found};
use super::catalog::{self, Catalog};
use super::encoding::Stored;
use super::items::null;
use super::keys::PrimaryKey;
use super::validate::{Validate, Violations, resolve_table_name};
use crate::Error;
use crate::sdk::*;

/// The service's error for a restore of a table without recovery on.
pub(crate) const PITR_UNAVAILABLE: &str = "PointInTimeRecoveryUnavailableException";
/// The service's error for a restore time outside the window.
pub(crate) const INVALID_RESTORE_TIME: &str = "InvalidRestoreTimeException";

/// The longest recovery period, in days, and the default.
pub(crate) const MAX_RECOVERY_DAYS: i32 = 35;
/// The most bytes of logged writes (item sizes, and [`ENTRY_OVERHEAD`] per
/// write) a table keeps; older writes are folded into the base.
pub(crate) const MAX_LOG_BYTES: usize = 64 * 1024 * 1024;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// What a logged write counts against [`MAX_LOG_BYTES`] besides the item:
/// its key, time and place in the log (so that deletes, which log no item,
/// are bounded too).
const ENTRY_OVERHEAD: usize = 64;

/// The bytes a logged write counts for.
fn cost(item: Option<&Stored>) -> usize {
    ENTRY_OVERHEAD + item.map_or(0, Stored::size)
}

/// A table's point-in-time history: nothing while recovery is off.
#[derive(Debug, Default, Clone)]
pub(crate) struct History {
    log: Option<Box<Log>>,
}

/// The base (the items at `earliest`) and the writes since, in time order.
#[derive(Debug, Clone)]
struct Log {
    period_days: i32,
    earliest: f64,
    base: HashMap<PrimaryKey, Stored>,
    writes: VecDeque<(f64, PrimaryKey, Option<Stored>)>,
    bytes: usize,
    max_bytes: usize,
}

impl History {
    /// Logs a write of `key` (`None`: a delete), when recovery is on.
    #[inline]
    pub(crate) fn record(&mut self, key: &PrimaryKey, item: Option<&Stored>) {
        if let Some(log) = self.log.as_deref_mut() {
            log.record(now_secs(), key, item);
        }
    }
}

impl Log {
    fn new(now: f64, period_days: i32, base: HashMap<PrimaryKey, Stored>, max_bytes: usize) -> Log {
        Log {
            period_days,
            earliest: now,
            base,
            writes: VecDeque::new(),
            bytes: 0,
            max_bytes,
        }
    }

    fn record(&mut self, now: f64, key: &PrimaryKey, item: Option<&Stored>) {
        // Times in the log never go back, whatever the clock does.
        let at = self.writes.back().map_or(now, |w| w.0.max(now)).max(self.earliest);
        self.bytes += cost(item);
        self.writes.push_back((at, key.clone(), item.cloned()));
        self.trim(at);
    }

    /// Folds into the base the writes older than the recovery period and
    /// the oldest beyond the byte bound.
    fn trim(&mut self, now: f64) {
        let horizon = now - f64::from(self.period_days) * SECONDS_PER_DAY;
        while let Some(front) = self.writes.front() {
            if front.0 >= horizon && self.bytes <= self.max_bytes {
                break;
            }
            if let Some((at, key, item)) = self.writes.pop_front() {
                self.bytes -= cost(item.as_ref());
                self.earliest = self.earliest.max(at);
                match item {
                    Some(s) => self.base.insert(key, s),
                    None => self.base.remove(&key),
                };
            }
        }
        // Every write before the horizon is in the base: it is the table
        // as it was from then on.
        self.earliest = self.earliest.max(horizon);
    }

    /// The items as they were at `at` (within the window).
    fn at(&self, at: f64) -> backups::Snapshot {
        let mut items = self.base.clone();
        for (t, key, item) in &self.writes {
            if *t > at {
                break;
            }
            match item {
                Some(s) => items.insert(key.clone(), s.clone()),
                None => items.remove(key),
            };
        }
        items.into_iter().collect()
    }
}

fn description(history: &History, now: f64) -> Result<ContinuousBackupsDescription, Error> {
    let pitr = match history.log.as_deref() {
        Some(log) => PointInTimeRecoveryDescription::builder()
            .point_in_time_recovery_status(PointInTimeRecoveryStatus::Enabled)
            .recovery_period_in_days(log.period_days)
            .earliest_restorable_date_time(DateTime::from_secs_f64(log.earliest))
            .latest_restorable_date_time(DateTime::from_secs_f64(now.max(log.earliest)))
            .build(),
        None => PointInTimeRecoveryDescription::builder()
            .point_in_time_recovery_status(PointInTimeRecoveryStatus::Disabled)
            .build(),
    };
    Ok(ContinuousBackupsDescription::builder()
        .continuous_backups_status(ContinuousBackupsStatus::Enabled)
        .point_in_time_recovery_description(pitr)
        .build()?)
}

impl Validate for UpdateContinuousBackupsInput {
    fn validate(&mut self) -> Result<(), Error> {
        resolve_table_name(&mut self.table_name)?;
        catalog::check_name(self.table_name.as_deref(), "tableName")?;
        let spec = self
            .point_in_time_recovery_specification
            .as_ref()
            .ok_or_else(|| null("pointInTimeRecoverySpecification"))?;
        let mut violations = Violations::default();
        if let Some(days) = spec.recovery_period_in_days {
            let text = days.to_string();
            let path = "pointInTimeRecoverySpecification.recoveryPeriodInDays";
            if days < 1 {
                violations.push(Some(&text), path, "Member must have value greater than or equal to 1");
            } else if days > MAX_RECOVERY_DAYS {
                violations.push(
                    Some(&text),
                    path,
                    &format!("Member must have value less than or equal to {MAX_RECOVERY_DAYS}"),
                );
            }
        }
        violations.finish()
    }
}

impl Validate for DescribeContinuousBackupsInput {
    fn validate(&mut self) -> Result<(), Error> {
        resolve_table_name(&mut self.table_name)?;
        catalog::check_name(self.table_name.as_deref(), "tableName").map(|_| ())
    }
}

impl Validate for RestoreTableToPointInTimeInput {
    fn validate(&mut self) -> Result<(), Error> {
        // A source named by its ARN is the table at its end.
        if self.source_table_name.is_none()
            && let Some(arn) = self.source_table_arn.as_deref()
        {
            self.source_table_name = arn.rsplit_once(":table/").map(|(_, name)| name.to_string());
        }
        catalog::check_name(self.source_table_name.as_deref(), "sourceTableName")?;
        catalog::check_name(self.target_table_name.as_deref(), "targetTableName")?;
        if self.use_latest_restorable_time == Some(true) && self.restore_date_time.is_some() {
            return Err(Error::Validation(
                "Only one of RestoreDateTime or UseLatestRestorableTime can be specified".into(),
            ));
        }
        Ok(())
    }
}

/// `UpdateContinuousBackups`: turns recovery on (copying the items: the
/// start of the window) or off (dropping the history); turning it on again
/// keeps the window and sets the recovery period.
pub(crate) fn update_continuous_backups(
    catalog: &Catalog,
    input: UpdateContinuousBackupsInput,
) -> Result<UpdateContinuousBackupsOutput, Error> {
    let name = input.table_name.unwrap_or_default();
    let table = catalog.table(&name).map_err(|_| table_not_found(&name))?;
    let spec = input
        .point_in_time_recovery_specification
        .ok_or_else(|| null("pointInTimeRecoverySpecification"))?;
    let days = spec.recovery_period_in_days.unwrap_or(MAX_RECOVERY_DAYS);
    let now = now_secs();
    let mut t = table.write();
    let data = &mut t.data;
    match (spec.point_in_time_recovery_enabled, data.history.log.as_deref_mut()) {
        (true, Some(log)) => {
            log.period_days = days;
            log.trim(now);
        }
        (true, None) => {
            let base = data
                .partitions
                .iter()
                .flat_map(|(h, part)| part.iter().map(move |(r, s)| ((h.clone(), r.clone()), s.clone())))
                .collect();
            data.history.log = Some(Box::new(Log::new(now, days, base, MAX_LOG_BYTES)));
        }
        (false, _) => data.history.log = None,
    }
    Ok(UpdateContinuousBackupsOutput::builder()
        .continuous_backups_description(description(&data.history, now)?)
        .build())
}

/// `DescribeContinuousBackups`.
pub(crate) fn describe_continuous_backups(
    catalog: &Catalog,
    input: DescribeContinuousBackupsInput,
) -> Result<DescribeContinuousBackupsOutput, Error> {
    let name = input.table_name.unwrap_or_default();
    let table = catalog.table(&name).map_err(|_| table_not_found(&name))?;
    let t = table.read();
    Ok(DescribeContinuousBackupsOutput::builder()
        .continuous_backups_description(description(&t.data.history, now_secs())?)
        .build())
}

/// `RestoreTableToPointInTime`: a new table holding the source's items as
/// they were at `RestoreDateTime` (or now, with `UseLatestRestorableTime`),
/// which must lie in the window.
pub(crate) fn restore_table_to_point_in_time(
    catalog: &Catalog,
    input: RestoreTableToPointInTimeInput,
) -> Result<RestoreTableToPointInTimeOutput, Error> {
    let source = input.source_table_name.unwrap_or_default();
    let target = input.target_table_name.unwrap_or_default();
    let table = catalog.table(&source).map_err(|_| table_not_found(&source))?;
    let now = now_secs();
    let (meta, items, at) = {
        let t = table.read();
        let log = t.data.history.log.as_deref().ok_or_else(|| Error::Service {
            code: PITR_UNAVAILABLE.into(),
            message: format!("Point in time recovery is not enabled for table '{source}'").into(),
        })?;
        let latest = now.max(log.earliest);
        let at = match (input.use_latest_restorable_time, input.restore_date_time) {
            (Some(true), _) => latest,
            (_, Some(at)) => at.as_secs_f64(),
            (_, None) => {
                return Err(Error::Validation(
                    "Either RestoreDateTime or UseLatestRestorableTime must be specified".into(),
                ));
            }
        };
        if at < log.earliest || at > latest {
            return Err(Error::Service {
                code: INVALID_RESTORE_TIME.into(),
                message: "Only RestoreDateTime between EarliestRestorableDateTime and LatestRestorableDateTime can be used for restoration".into(),
            });
        }
        (t.meta.clone(), log.at(at), at)
    };
    let summary = RestoreSummary::builder()
        .source_table_arn(table_arn(&source))
        .restore_date_time(DateTime::from_secs_f64(at))
        .restore_in_progress(false)
        .build()?;
    let overrides = Overrides {
        billing: input.billing_mode_override,
        gsis: input.global_secondary_index_override,
        lsis: input.local_secondary_index_override,
        throughput: input.provisioned_throughput_override,
    };
    let description = backups::restore(catalog, &meta, items, &target, overrides, summary)?;
    Ok(RestoreTableToPointInTimeOutput::builder()
        .table_description(description)
        .build())
}

#[cfg(test)]
mod tests;
