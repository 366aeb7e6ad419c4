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
//! While TTL is on, a table keeps an [`ExpiryIndex`]: its items with a
//! numeric TTL attribute, ordered by expiry time, kept up to date by every
//! write (`TableData::put` and `TableData::delete`, which every write path
//! goes through) and built from the table's items once, when
//! `UpdateTimeToLive` turns TTL on. A sweep reads only the part of the index
//! between five years ago and now, so it costs what has expired, not what is
//! stored; and it deletes at most [`SWEEP_SLICE`] items per hold of a
//! table's lock.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use super::catalog::Catalog;
use super::items::{null, v};
use super::keys::PrimaryKey;
use crate::Error;
use crate::sdk::*;

/// How far in the past an expiry may be and still be acted on.
const FIVE_YEARS_SECS: f64 = 5.0 * 365.0 * 24.0 * 3600.0;

/// The most items a sweep deletes per hold of a table's write lock; it
/// releases the lock and takes it again between slices.
pub(crate) const SWEEP_SLICE: usize = 1_000;

/// The expiry time (epoch seconds) that a TTL attribute's value sets: a
/// number, parsed as `f64` (which cannot fail on DynamoDB's range, about
/// 1e-130 to 1e126, nor panic on any string); `None` for other types, which
/// never expire. Normalised for [`ExpiryIndex`]'s order: finite, never -0.
pub(crate) fn expiry(value: Option<&AttributeValue>) -> Option<f64> {
    match value {
        Some(AttributeValue::N(n)) => n.parse::<f64>().ok().filter(|e| e.is_finite()).map(|e| e + 0.0),
        _ => None,
    }
}

/// An expiry time from [`expiry`] (finite, never -0), totally ordered.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Expiry(f64);

impl Eq for Expiry {}

impl Ord for Expiry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl PartialOrd for Expiry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A table's items that have an expiry time (see [`expiry`]), by that time:
/// kept while TTL is on, so that a sweep finds the expired items without
/// reading the others.
#[derive(Debug, Default, Clone)]
pub struct ExpiryIndex {
    by_time: BTreeMap<Expiry, BTreeSet<PrimaryKey>>,
    len: usize,
}

impl ExpiryIndex {
    /// Number of items in the index.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no item is in the index.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Records that the item `key` expires at `at` (a value of [`expiry`]).
    pub fn insert(&mut self, at: f64, key: PrimaryKey) {
        if self.by_time.entry(Expiry(at)).or_default().insert(key) {
            self.len += 1;
        }
    }

    /// Forgets that the item `key` expires at `at`.
    pub fn remove(&mut self, at: f64, key: &PrimaryKey) {
        if let Some(keys) = self.by_time.get_mut(&Expiry(at))
            && keys.remove(key)
        {
            self.len -= 1;
            if keys.is_empty() {
                self.by_time.remove(&Expiry(at));
            }
        }
    }

    /// Moves the item `key` from expiry `old` to expiry `new` (either may be
    /// `None`: no expiry).
    pub fn update(&mut self, key: &PrimaryKey, old: Option<f64>, new: Option<f64>) {
        if old == new {
            return;
        }
        if let Some(at) = old {
            self.remove(at, key);
        }
        if let Some(at) = new {
            self.insert(at, key.clone());
        }
    }

    /// The expiry times at which an item is due at `now`: from five years
    /// before `now` (included) to `now` (excluded). `None` when there are
    /// none (including when `now` is not finite).
    fn due_range(now: f64) -> Option<(Bound<Expiry>, Bound<Expiry>)> {
        let now = now + 0.0;
        let from = now - FIVE_YEARS_SECS;
        // Also false for NaN, for infinities, and where the subtraction is
        // lost to rounding: then nothing is due.
        (from < now).then_some((Bound::Included(Expiry(from)), Bound::Excluded(Expiry(now))))
    }

    /// Whether any item is due at `now`.
    fn any_due(&self, now: f64) -> bool {
        Self::due_range(now).is_some_and(|range| self.by_time.range(range).next().is_some())
    }

    /// Removes from the index, and returns, up to `limit` items due at `now`.
    fn take_due(&mut self, now: f64, limit: usize) -> Vec<PrimaryKey> {
        let mut taken = Vec::new();
        let Some(range) = Self::due_range(now) else {
            return taken;
        };
        while taken.len() < limit {
            let Some((&at, keys)) = self.by_time.range_mut(range).next() else {
                break;
            };
            while taken.len() < limit
                && let Some(key) = keys.pop_first()
            {
                taken.push(key);
            }
            if keys.is_empty() {
                self.by_time.remove(&at);
            }
        }
        self.len -= taken.len();
        taken
    }
}

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
                if state.data.delete(&state.meta, key).is_some() {
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
