//! STAND-IN (CLI branch only; the lead replaces it with the throughput
//! engineer's file at merge): the contract's signatures, no behaviour.

use std::future::Future;

use crate::{Database, Error};

/// Read and write capacity units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Read capacity units.
    pub read: i64,
    /// Write capacity units.
    pub write: i64,
}

/// What was raised and restored.
#[derive(Debug, Clone, Default)]
pub struct ThroughputReport {
    /// The table is on demand.
    pub on_demand: bool,
    /// What was raised.
    pub changed: Vec<String>,
    /// What was restored.
    pub restored: Vec<String>,
    /// What remains raised.
    pub left_raised: Vec<String>,
}

/// Runs `job` with the capacity raised (stand-in: always fails).
pub async fn with_throughput<T, F, Fut>(
    _db: &Database,
    _table: &str,
    _capacity: Capacity,
    _job: F,
) -> (Result<T, Error>, ThroughputReport)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    (Err(Error::Unsupported("stand-in".into())), ThroughputReport::default())
}

/// Capacity raised by [`raise`], to restore.
#[derive(Debug)]
pub struct Raised {
    report: ThroughputReport,
}

/// Raises the capacity (stand-in: always fails).
pub async fn raise(_db: &Database, _table: &str, _capacity: Capacity) -> Result<Raised, Error> {
    Err(Error::Unsupported("stand-in".into()))
}

impl Raised {
    /// Restores the original capacity.
    pub async fn restore(self, _db: &Database) -> ThroughputReport {
        self.report
    }

    /// What was raised so far.
    pub fn report(&self) -> &ThroughputReport {
        &self.report
    }
}
