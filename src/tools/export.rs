//! STAND-IN (CLI branch only; the lead replaces it with the export
//! engineer's file at merge): the contract's signatures, no behaviour.

use std::path::{Path, PathBuf};

use crate::memory::{Failed, FlushOptions};
use crate::tools::ProgressFn;
use crate::{Database, Error};

/// The format of exported lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// DynamoDB JSON.
    #[default]
    DynamoDbJson,
    /// Plain JSON.
    PlainJson,
}

/// Options of [`export_table`].
pub struct ExportOptions {
    /// Line format.
    pub format: ExportFormat,
    /// Gzip the data files.
    pub gzip: bool,
    /// Parallel-scan segments.
    pub total_segments: u32,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: ExportFormat::DynamoDbJson,
            gzip: false,
            total_segments: 4,
            progress: None,
        }
    }
}

/// What [`export_table`] did.
#[derive(Debug, Default)]
pub struct ExportReport {
    /// Items written.
    pub items: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// Exports a table to a folder (stand-in: always fails).
pub async fn export_table(
    _db: &Database,
    _table: &str,
    _dir: &Path,
    _options: ExportOptions,
) -> Result<ExportReport, Error> {
    Err(Error::Unsupported("stand-in".into()))
}

/// Exports a table as one stream (stand-in: always fails).
pub async fn export_to_writer<W: std::io::Write + Send>(
    _db: &Database,
    _table: &str,
    _out: W,
    _format: ExportFormat,
) -> Result<u64, Error> {
    Err(Error::Unsupported("stand-in".into()))
}

/// Options of [`import_table`].
#[derive(Default)]
pub struct ImportOptions {
    /// Skip and count invalid lines.
    pub skip_invalid: bool,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
    /// Write settings.
    pub flush: FlushOptions,
}

/// What [`import_table`] did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Items written.
    pub items: u64,
    /// Invalid lines skipped.
    pub skipped: Vec<(PathBuf, u64)>,
    /// Writes handed back.
    pub failed: Vec<Failed>,
}

/// Imports a file or folder (stand-in: always fails).
pub async fn import_table(
    _db: &Database,
    _table: &str,
    _input: &Path,
    _options: ImportOptions,
) -> Result<ImportReport, Error> {
    Err(Error::Unsupported("stand-in".into()))
}
