//! Time to live: `UpdateTimeToLive`, `DescribeTimeToLive`, and the sweep
//! that deletes expired items.
//!
//! As in DynamoDB, an item expires when its TTL attribute is a number of
//! epoch seconds in the past, but not more than five years in the past;
//! items without the attribute, or with a value of another type, never do.
//! The in-process mock sweeps when [`sweep`] is called (the mock server
//! calls it every second); until then, expired items are still read, as
//! DynamoDB reads them until its background deletion gets to them.
//!
//! While TTL is on, a table keeps an [`ExpiryIndex`](super::expiry::ExpiryIndex): its items with a
//! numeric TTL attribute, ordered by expiry time, kept up to date by every
//! write (`TableData::put` and `TableData::delete`, which every write path
//! goes through) and built from the table's items once, when
//! `UpdateTimeToLive` turns TTL on. A sweep reads only the part of the index
//! between five years ago and now, so it costs what has expired, not what is
//! stored; and it deletes at most [`SWEEP_SLICE`] items per hold of a
//! table's lock.

use super::catalog::Catalog;
use super::items::{null, v};
use crate::Error;
use crate::sdk::*;

/// The most items a sweep deletes per hold of a table's write lock; it
/// releases the lock and takes it again between slices.
pub(crate) const SWEEP_SLICE: usize = 1_000;

/// `UpdateTimeToLive`.
pub(crate) fn update_time_to_live(
    catalog: &Catalog,
    input: UpdateTimeToLiveInput,
) -> Result<UpdateTimeToLiveOutput, Error> {
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let spec = input
        .time_to_live_specification
        .ok_or_else(|| null("timeToLiveSpecification"))?;
    let name = &spec.attribute_name;
    if name.is_empty() || name.len() > 255 {
        return Err(v(format!(
            "1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length {}",
            if name.is_empty() {
                "greater than or equal to 1"
            } else {
                "less than or equal to 255"
            }
        )));
    }
    let mut t = table.write();
    let state = &mut *t;
    match (state.meta.ttl.as_deref(), spec.enabled) {
        (Some(current), _) if current != name => return Err(v("TimeToLive is active on a different AttributeName")),
        (Some(_), true) => return Err(v("TimeToLive is already enabled")),
        (None, false) => return Err(v("TimeToLive is already disabled")),
        (Some(_), false) => {
            state.meta.ttl = None;
            state.data.expiries = None;
        }
        (None, true) => {
            // The one pass over the items (UpdateTimeToLive is rare); from
            // here on, writes keep the index up to date.
            state.data.expiries = Some(state.data.build_expiries(name));
            state.meta.ttl = Some(name.clone());
        }
    }
    Ok(UpdateTimeToLiveOutput::builder()
        .time_to_live_specification(spec)
        .build())
}

/// `DescribeTimeToLive`.
pub(crate) fn describe_time_to_live(
    catalog: &Catalog,
    input: DescribeTimeToLiveInput,
) -> Result<DescribeTimeToLiveOutput, Error> {
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let t = table.read();
    let description = match &t.meta.ttl {
        Some(name) => TimeToLiveDescription::builder()
            .time_to_live_status(TimeToLiveStatus::Enabled)
            .attribute_name(name),
        None => TimeToLiveDescription::builder().time_to_live_status(TimeToLiveStatus::Disabled),
    };
    Ok(DescribeTimeToLiveOutput::builder()
        .time_to_live_description(description.build())
        .build())
}

impl super::MockBackend {
    /// Deletes the items whose TTL has passed at `now` from every table with
    /// TTL on, and returns how many: DynamoDB's background deletion, run
    /// when a test says and at the time it says (`SystemTime::now()`, or a
    /// time in the future to expire what has not expired yet). A TTL
    /// attribute holds epoch seconds, as an
    /// [`EpochSeconds`](crate::EpochSeconds) field writes them.
    pub fn expire_items_at(&self, now: std::time::SystemTime) -> usize {
        let secs = match now.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => after.as_secs_f64(),
            Err(before) => -before.duration().as_secs_f64(),
        };
        sweep(&self.catalog, secs)
    }
}

/// Deletes, from every table with TTL on, the items that expired before
/// `now` (epoch seconds). Returns how many it deleted.
pub(crate) fn sweep(catalog: &Catalog, now: f64) -> usize {
    sweep_counted(catalog, now).deleted
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SweepStats {
    /// Items deleted.
    pub deleted: usize,
    /// Items the sweep looked at (taken from an expiry index).
    pub examined: usize,
    /// Times it took a table's write lock.
    pub slices: usize,
}

/// [`sweep`], saying what it did.
pub(crate) fn sweep_counted(catalog: &Catalog, now: f64) -> SweepStats {
    let mut stats = SweepStats::default();
    for (_, table) in catalog.tables() {
        // A look under the read lock: tables with nothing due are not
        // write-locked at all.
        let due = |t: &super::catalog::TableState| t.data.expiries.as_ref().is_some_and(|ix| ix.any_due(now));
        if !due(&table.read()) {
            continue;
        }
        loop {
            let mut t = table.write();
            let state = &mut *t;
            let Some(index) = state.data.expiries.as_mut() else {
                break;
            };
            stats.slices += 1;
            let expired = index.take_due(now, SWEEP_SLICE);
            stats.examined += expired.len();
            for key in &expired {
                if state.data.delete_expired(&state.meta, key).is_some() {
                    stats.deleted += 1;
                }
            }
            // Each slice takes its items out of the index: this ends.
            if !due(state) {
                break;
            }
            // The lock is released here, between slices.
        }
    }
    stats
}

#[cfg(test)]
mod tests;
