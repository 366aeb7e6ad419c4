//! STAND-IN (CLI branch only; the lead replaces it with the copy engineer's
//! file at merge): the contract's signatures, no behaviour.

use std::path::PathBuf;
use std::sync::Arc;

use crate::memory::{Failed, FlushOptions};
use crate::tools::ProgressFn;
use crate::{Database, Error, Item};

/// What to do with an item already in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IfExists {
    /// Replace it.
    #[default]
    Overwrite,
    /// Keep it.
    Skip,
    /// Fail the job.
    Fail,
}

/// Options of [`copy_table`].
pub struct CopyOptions {
    /// Parallel-scan segments of the whole job.
    pub total_segments: u32,
    /// The segments this process copies.
    pub segments: std::ops::Range<u32>,
    /// Where the job's position is saved.
    pub checkpoint: Option<PathBuf>,
    /// Policy for items already in the target.
    pub if_exists: IfExists,
    /// Create the target like the source.
    pub create: bool,
    /// Transform (or drop) each item.
    pub transform: Option<Arc<dyn Fn(Item) -> Option<Item> + Send + Sync>>,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
    /// Write settings.
    pub flush: FlushOptions,
}

impl Default for CopyOptions {
    fn default() -> Self {
        CopyOptions {
            total_segments: 4,
            segments: 0..4,
            checkpoint: None,
            if_exists: IfExists::Overwrite,
            create: false,
            transform: None,
            progress: None,
            flush: FlushOptions::default(),
        }
    }
}

/// What [`copy_table`] did.
#[derive(Debug, Default)]
pub struct CopyReport {
    /// Items read.
    pub scanned: u64,
    /// Items written.
    pub written: u64,
    /// Items skipped.
    pub skipped: u64,
    /// Items dropped by the transform.
    pub dropped: u64,
    /// Writes handed back.
    pub failed: Vec<Failed>,
    /// Segments finished.
    pub segments_done: Vec<u32>,
    /// Whether the job resumed from a checkpoint.
    pub resumed: bool,
}

/// Copies a table (stand-in: always fails).
pub async fn copy_table(
    _source: &Database,
    _source_table: &str,
    _target: &Database,
    _target_table: &str,
    _options: CopyOptions,
) -> Result<CopyReport, Error> {
    Err(Error::Unsupported("stand-in".into()))
}
