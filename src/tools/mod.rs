//! Operational tools over whole tables: copying a table (`copy`),
//! exporting and importing it in DynamoDB's export format (`export`), and
//! raising its throughput for the length of a job (`throughput`).
//!
//! Each long-running tool reports its [`Progress`] to a callback as it goes;
//! the `dynamo-objects` command line draws progress bars from it.

pub mod copy;
pub mod export;
pub mod throughput;

use std::sync::Arc;

/// How far a long-running tool has got, as reported to a [`ProgressFn`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// The parallel-scan segment this report is about, or `None` for the
    /// whole job.
    pub segment: Option<u32>,
    /// Items done so far (read, written or skipped, as the tool counts them).
    pub items: u64,
    /// Bytes of items done so far (DynamoDB's item size rule, or bytes of
    /// file for imports).
    pub bytes: u64,
    /// Items per second since the job started.
    pub items_per_sec: f64,
    /// The total to expect, when known (DescribeTable's item count, which
    /// DynamoDB refreshes about every six hours).
    pub estimated_total: Option<u64>,
    /// True for the last report of the job (or of the segment).
    pub done: bool,
}

/// A callback receiving [`Progress`] reports; called from the tool's tasks,
/// so it must be cheap and thread-safe.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;
