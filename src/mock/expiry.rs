//! A table's expiry index: its items with a numeric TTL attribute, by expiry
//! time, kept by storage (`store.rs`) on every write while TTL is on, and
//! read by the TTL sweep (`ttl.rs`) to find what has expired.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use aws_sdk_dynamodb::types::AttributeValue;

use super::keys::PrimaryKey;

/// How far in the past an expiry may be and still be acted on.
pub(super) const FIVE_YEARS_SECS: f64 = 5.0 * 365.0 * 24.0 * 3600.0;

/// The expiry time (epoch seconds) that a TTL attribute's value sets: a
/// number, parsed as `f64` (which cannot fail on DynamoDB's range, about
/// 1e-130 to 1e126, nor panic on any string); `None` for other types, which
/// never expire. Normalised for [`ExpiryIndex`]'s order: finite, never -0.
pub(super) fn expiry(value: Option<&AttributeValue>) -> Option<f64> {
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
pub(crate) struct ExpiryIndex {
    by_time: BTreeMap<Expiry, BTreeSet<PrimaryKey>>,
}

impl ExpiryIndex {
    /// Number of items in the index.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_time.values().map(BTreeSet::len).sum()
    }

    /// Records that the item `key` expires at `at` (a value of [`expiry`]).
    pub(crate) fn insert(&mut self, at: f64, key: PrimaryKey) {
        self.by_time.entry(Expiry(at)).or_default().insert(key);
    }

    /// Forgets that the item `key` expires at `at`.
    pub(crate) fn remove(&mut self, at: f64, key: &PrimaryKey) {
        if let Some(keys) = self.by_time.get_mut(&Expiry(at))
            && keys.remove(key)
            && keys.is_empty()
        {
            self.by_time.remove(&Expiry(at));
        }
    }

    /// Moves the item `key` from expiry `old` to expiry `new` (either may be
    /// `None`: no expiry).
    pub(crate) fn update(&mut self, key: &PrimaryKey, old: Option<f64>, new: Option<f64>) {
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
    pub(super) fn any_due(&self, now: f64) -> bool {
        Self::due_range(now).is_some_and(|range| self.by_time.range(range).next().is_some())
    }

    /// Removes from the index, and returns, up to `limit` items due at `now`.
    pub(super) fn take_due(&mut self, now: f64, limit: usize) -> Vec<PrimaryKey> {
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
        taken
    }
}
