//! Exporting a table to files and importing files into a table, in DynamoDB's
//! own export format (what `ExportTableToPointInTime` writes with
//! `ExportFormat = DYNAMODB_JSON`, and what `ImportTable` reads).
//!
//! An export folder is laid out as AWS lays out
//! `s3://<bucket>/<prefix>/AWSDynamoDB/<export-id>/`:
//!
//! * `manifest-summary.json`: one JSON object (`version` `"2020-06-30"`,
//!   `exportArn`, `startTime`, `endTime`, `tableArn`, `tableId`,
//!   `exportTime`, `s3Bucket`, `s3Prefix`, `s3SseAlgorithm`, `s3SseKmsKeyId`,
//!   `manifestFilesS3Key`, `billedSizeBytes`, `itemCount`, `outputFormat`);
//! * `manifest-files.json`: JSON lines, one per data file
//!   (`itemCount`, `md5Checksum` (base64 of the file's MD5), `etag` (hex MD5,
//!   as S3 gives a single-part upload), `dataFileS3Key`
//!   `AWSDynamoDB/<export-id>/data/<name>.json[.gz]`);
//! * `data/<name>.json[.gz]`: one file per parallel-scan segment, JSON lines
//!   `{"Item":{"attr":{"S":"..."},...}}`.
//!
//! Both directions stream: an export scans page by page and writes each item
//! as a line, an import reads line by line and writes in chunks of
//! [`IMPORT_CHUNK`] items through the flush engine, so neither holds the
//! table in memory.
//!
//! [`ExportFormat::PlainJson`] writes one plain JSON object per item, for
//! people; import reads DynamoDB JSON only. Plain JSON writes `S` as a
//! string, `BOOL` as a boolean, `NULL` as `null`, `L` as an array and `M` as
//! an object; `N` as a JSON number when serde_json prints that number back
//! exactly as DynamoDB holds it (`1`, `-2.5`), and otherwise, like `B`, `SS`,
//! `NS` and `BS`, tagged as in DynamoDB JSON (`{"N": "1e3"}`, 38-digit
//! numbers, `{"B": "<base64>"}`, `{"SS": [...]}`), so nothing is lost.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use serde_json::json;

use super::{Progress, ProgressFn};
use crate::backend::Backend;
use crate::database::Database;
use crate::memory::flush::{Change, ChangeOp, write_all};
use crate::sdk::*;
use crate::wire::{attr_to_json, base64_encode, item_from_json, item_to_json};
use crate::{Error, Failed, FlushOptions, Item};
use serde_json::Value as Json;

/// Items an import writes through the flush engine at once (bounds its memory).
pub const IMPORT_CHUNK: usize = 1_000;

/// The longest line an import reads, in bytes: far above the JSON of any item
/// DynamoDB stores (400 KB, or about 540 KB of base64 for binary).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// The `version` of the export manifests AWS writes.
pub const MANIFEST_VERSION: &str = "2020-06-30";

/// The name of an export's summary manifest.
pub const MANIFEST_SUMMARY: &str = "manifest-summary.json";

/// The name of an export's manifest of data files.
pub const MANIFEST_FILES: &str = "manifest-files.json";

/// The folder of an export's data files.
pub const DATA_DIR: &str = "data";

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// How items are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    /// DynamoDB's export format: `{"Item": {...}}` in DynamoDB JSON, one per
    /// line (what [`import_table`] and AWS's `ImportTable` read).
    #[default]
    DynamoDbJson,
    /// One plain JSON object per line, as the module describes: for people,
    /// not for import.
    PlainJson,
}

/// How [`export_table`] exports.
#[derive(Clone)]
pub struct ExportOptions {
    /// The format of the data files (`outputFormat` in the summary:
    /// `DYNAMODB_JSON`, or `PLAIN_JSON`, which is not one of AWS's).
    pub format: ExportFormat,
    /// Gzip the data files (`.json.gz`, as AWS writes them).
    pub gzip: bool,
    /// Parallel-scan segments, one data file each (at least 1 is used).
    pub total_segments: u32,
    /// Called as items are written, per segment and for the whole job.
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

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("format", &self.format)
            .field("gzip", &self.gzip)
            .field("total_segments", &self.total_segments)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportReport {
    /// Items written.
    pub items: u64,
    /// Bytes of data files written (after compression).
    pub bytes: u64,
    /// The data files, one per segment, in segment order.
    pub files: Vec<PathBuf>,
}

/// How [`import_table`] imports.
#[derive(Clone, Default)]
pub struct ImportOptions {
    /// Skip lines that are not items (and list them in
    /// [`ImportReport::skipped`]) instead of stopping at the first.
    pub skip_invalid: bool,
    /// Called after each chunk written.
    pub progress: Option<ProgressFn>,
    /// How the items are written.
    pub flush: FlushOptions,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("skip_invalid", &self.skip_invalid)
            .field("progress", &self.progress.is_some())
            .field("flush", &self.flush)
            .finish()
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    /// Items DynamoDB confirmed written (lines repeating a key within one
    /// chunk of [`IMPORT_CHUNK`] lines are written once: the last wins).
    pub items: u64,
    /// Lines skipped as invalid (with [`ImportOptions::skip_invalid`]): file and line number.
    pub skipped: Vec<(PathBuf, u64)>,
    /// Items not written, each with its error.
    pub failed: Vec<Failed>,
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Export

/// Encodes one item as a line of `format` (without the newline).
pub fn item_line(item: &Item, format: ExportFormat) -> String {
    match format {
        ExportFormat::DynamoDbJson => json!({ "Item": item_to_json(item) }).to_string(),
        ExportFormat::PlainJson => plain_item(item).to_string(),
    }
}

/// An item as plain JSON, as the module describes.
pub fn plain_item(item: &Item) -> Json {
    Json::Object(item.iter().map(|(k, v)| (k.clone(), plain_value(v))).collect())
}

/// An attribute value as plain JSON, as the module describes.
pub fn plain_value(av: &AttributeValue) -> Json {
    match av {
        AttributeValue::S(s) => Json::String(s.clone()),
        AttributeValue::N(n) => match serde_json::from_str::<serde_json::Number>(n) {
            Ok(num) if num.to_string() == *n => Json::Number(num),
            _ => attr_to_json(av),
        },
        AttributeValue::Bool(b) => Json::Bool(*b),
        AttributeValue::Null(_) => Json::Null,
        AttributeValue::L(list) => Json::Array(list.iter().map(plain_value).collect()),
        AttributeValue::M(m) => plain_item(m),
        // Binary values and sets keep their DynamoDB JSON form.
        other => attr_to_json(other),
    }
}

/// Scans one segment (or the whole table when `segment` is `None`) page by
/// page, calling `each` for every item in order.
async fn scan_each(
    db: &Database,
    table: &str,
    segment: Option<(u32, u32)>,
    mut each: impl FnMut(&Item) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut start: Option<Item> = None;
    loop {
        let mut input = ScanInput::builder()
            .table_name(table)
            .set_exclusive_start_key(start.take());
        if let Some((segment, total)) = segment {
            input = input.segment(segment as i32).total_segments(total as i32);
        }
        let out = db.scan(input.build()?).await?;
        for item in out.items.as_deref().unwrap_or_default() {
            each(item)?;
        }
        match out.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return Ok(()),
        }
    }
}

/// Writes every item of `table` to `out` as lines of `format`, in one stream
/// (for `--output -`); returns the number of items written.
pub async fn export_to_writer<W: Write + Send>(
    db: &Database,
    table: &str,
    out: W,
    format: ExportFormat,
) -> Result<u64, Error> {
    let mut out = BufWriter::new(out);
    let mut items = 0u64;
    let stream = Path::new("-");
    scan_each(db, table, None, |item| {
        writeln!(out, "{}", item_line(item, format)).map_err(|e| io_error(stream, e))?;
        items += 1;
        Ok(())
    })
    .await?;
    out.flush().map_err(|e| io_error(stream, e))?;
    Ok(items)
}

/// A writer that counts and MD5-hashes what goes through it.
struct Hashing<W: Write> {
    inner: W,
    md5: Md5,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.md5.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One data file being written.
enum DataFile {
    Plain(Hashing<BufWriter<File>>),
    Gzip(GzEncoder<Hashing<BufWriter<File>>>),
}

impl DataFile {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            DataFile::Plain(w) => w,
            DataFile::Gzip(w) => w,
        }
    }

    /// Finishes the file: its size and MD5.
    fn finish(self) -> std::io::Result<(u64, [u8; 16])> {
        let mut hashing = match self {
            DataFile::Plain(w) => w,
            DataFile::Gzip(w) => w.finish()?,
        };
        hashing.flush()?;
        hashing.inner.get_ref().sync_all()?;
        Ok((hashing.bytes, hashing.md5.finish()))
    }
}

/// One data file written: what the manifest says of it.
struct Written {
    path: PathBuf,
    name: String,
    items: u64,
    bytes: u64,
    md5: [u8; 16],
}

/// A new export id, shaped like AWS's (`<14-digit milliseconds>-<8 hex>`).
fn export_id(now: SystemTime) -> String {
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mut md5 = Md5::new();
    md5.update(&nanos.to_le_bytes());
    md5.update(&std::process::id().to_le_bytes());
    let digest = md5.finish();
    format!("{:014}-{}", nanos / 1_000_000, hex::encode(&digest[..4]))
}

fn iso_time(t: SystemTime) -> String {
    aws_sdk_dynamodb::primitives::DateTime::from(t)
        .fmt(aws_sdk_dynamodb::primitives::DateTimeFormat::DateTime)
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn export_segment(
    db: &Database,
    table: &str,
    path: PathBuf,
    name: String,
    segment: u32,
    total: u32,
    options: &ExportOptions,
    started: Instant,
    estimate: Option<u64>,
) -> Result<Written, Error> {
    let file = File::create(&path).map_err(|e| io_error(&path, e))?;
    let hashing = Hashing {
        inner: BufWriter::new(file),
        md5: Md5::new(),
        bytes: 0,
    };
    let mut out = if options.gzip {
        DataFile::Gzip(GzEncoder::new(hashing, Compression::default()))
    } else {
        DataFile::Plain(hashing)
    };
    let mut items = 0u64;
    let mut raw_bytes = 0u64;
    let report = |items: u64, bytes: u64, done: bool| {
        if let Some(progress) = &options.progress {
            let secs = started.elapsed().as_secs_f64();
            progress(&Progress {
                segment: Some(segment),
                items,
                bytes,
                items_per_sec: if secs > 0.0 { items as f64 / secs } else { 0.0 },
                estimated_total: estimate,
                done,
            });
        }
    };
    scan_each(db, table, Some((segment, total)), |item| {
        let line = item_line(item, options.format);
        let w = out.writer();
        w.write_all(line.as_bytes())
            .and_then(|_| w.write_all(b"\n"))
            .map_err(|e| io_error(&path, e))?;
        items += 1;
        raw_bytes += line.len() as u64 + 1;
        if items.is_multiple_of(1_000) {
            report(items, raw_bytes, false);
        }
        Ok(())
    })
    .await?;
    let (bytes, md5) = out.finish().map_err(|e| io_error(&path, e))?;
    report(items, raw_bytes, true);
    Ok(Written {
        path,
        name,
        items,
        bytes,
        md5,
    })
}

/// Exports `table` into the folder `dir` (created if missing) in AWS's
/// layout, as the module describes: one data file per segment, scanned in
/// parallel, then `manifest-files.json` and `manifest-summary.json`.
pub async fn export_table(
    db: &Database,
    table: &str,
    dir: &Path,
    options: ExportOptions,
) -> Result<ExportReport, Error> {
    let start_time = SystemTime::now();
    let started = Instant::now();
    let described = db
        .describe_table(DescribeTableInput::builder().table_name(table).build()?)
        .await?;
    let description = described.table.unwrap_or_else(|| TableDescription::builder().build());
    let data_dir = dir.join(DATA_DIR);
    std::fs::create_dir_all(&data_dir).map_err(|e| io_error(&data_dir, e))?;
    let id = export_id(start_time);
    let total = options.total_segments.max(1);
    let ext = if options.gzip { "json.gz" } else { "json" };
    // DescribeTable's count (refreshed about every six hours), shared evenly.
    let estimate = description
        .item_count
        .and_then(|n| u64::try_from(n).ok())
        .map(|n| n.div_ceil(u64::from(total)));
    let jobs = (0..total).map(|segment| {
        let name = format!("{id}-{segment:05}.{ext}");
        let path = data_dir.join(&name);
        export_segment(db, table, path, name, segment, total, &options, started, estimate)
    });
    let written = futures::future::try_join_all(jobs).await?;

    let prefix = format!("AWSDynamoDB/{id}");
    let mut manifest = String::new();
    for w in &written {
        let line = json!({
            "itemCount": w.items,
            "md5Checksum": base64_encode(&w.md5),
            "etag": hex::encode(w.md5),
            "dataFileS3Key": format!("{prefix}/{DATA_DIR}/{}", w.name),
        });
        manifest.push_str(&line.to_string());
        manifest.push('\n');
    }
    let files_path = dir.join(MANIFEST_FILES);
    std::fs::write(&files_path, &manifest).map_err(|e| io_error(&files_path, e))?;

    let items: u64 = written.iter().map(|w| w.items).sum();
    let bytes: u64 = written.iter().map(|w| w.bytes).sum();
    let end_time = SystemTime::now();
    let table_arn = description.table_arn.clone();
    let summary = json!({
        "version": MANIFEST_VERSION,
        "exportArn": table_arn.as_ref().map(|arn| format!("{arn}/export/{id}")),
        "startTime": iso_time(start_time),
        "endTime": iso_time(end_time),
        "tableArn": table_arn,
        "tableId": description.table_id,
        "exportTime": iso_time(start_time),
        "s3Bucket": null,
        "s3Prefix": null,
        "s3SseAlgorithm": "AES256",
        "s3SseKmsKeyId": null,
        "manifestFilesS3Key": format!("{prefix}/{MANIFEST_FILES}"),
        "billedSizeBytes": bytes,
        "itemCount": items,
        "outputFormat": match options.format {
            ExportFormat::DynamoDbJson => "DYNAMODB_JSON",
            ExportFormat::PlainJson => "PLAIN_JSON",
        },
    });
    let summary_path = dir.join(MANIFEST_SUMMARY);
    std::fs::write(&summary_path, summary.to_string()).map_err(|e| io_error(&summary_path, e))?;
    if let Some(progress) = &options.progress {
        let secs = started.elapsed().as_secs_f64();
        progress(&Progress {
            segment: None,
            items,
            bytes,
            items_per_sec: if secs > 0.0 { items as f64 / secs } else { 0.0 },
            estimated_total: Some(items),
            done: true,
        });
    }
    Ok(ExportReport {
        items,
        bytes,
        files: written.into_iter().map(|w| w.path).collect(),
    })
}

// ---------------------------------------------------------------------------
// Import

/// The data files `input` names: the file itself; the `.json` / `.json.gz`
/// files of a folder, in name order; or, for an export folder (one with a
/// `manifest-files.json`), the manifest's files, each found by its file name
/// under `data/`.
pub fn data_files(input: &Path) -> Result<Vec<PathBuf>, Error> {
    if !input.is_dir() {
        File::open(input).map_err(|e| io_error(input, e))?;
        return Ok(vec![input.to_path_buf()]);
    }
    let manifest = input.join(MANIFEST_FILES);
    if manifest.is_file() {
        let reader = BufReader::new(File::open(&manifest).map_err(|e| io_error(&manifest, e))?);
        let mut files = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| io_error(&manifest, e))?;
            if line.trim().is_empty() {
                continue;
            }
            let invalid = |message: String| Error::InvalidExportLine {
                file: manifest.display().to_string(),
                line: i as u64 + 1,
                message,
            };
            let entry: Json = serde_json::from_str(&line).map_err(|e| invalid(e.to_string()))?;
            let key = entry
                .get("dataFileS3Key")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid("no dataFileS3Key string".into()))?;
            let name = key.rsplit('/').next().unwrap_or(key);
            if name.is_empty() || name == "." || name == ".." {
                return Err(invalid(format!("dataFileS3Key {key:?} names no file")));
            }
            files.push(input.join(DATA_DIR).join(name));
        }
        return Ok(files);
    }
    let data = input.join(DATA_DIR);
    let folder = if data.is_dir() { data } else { input.to_path_buf() };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(|e| io_error(&folder, e))? {
        let path = entry.map_err(|e| io_error(&folder, e))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_file() && (name.ends_with(".json") || name.ends_with(".json.gz")) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Opens a data file for reading lines, through gzip when its name ends in
/// `.gz` or its bytes start with gzip's magic number.
fn open_lines(path: &Path) -> Result<Box<dyn BufRead + Send>, Error> {
    let mut reader = BufReader::new(File::open(path).map_err(|e| io_error(path, e))?);
    let head = reader.fill_buf().map_err(|e| io_error(path, e))?;
    let gzipped = head.starts_with(&GZIP_MAGIC) || path.extension().is_some_and(|e| e == "gz");
    Ok(if gzipped {
        Box::new(BufReader::new(MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    })
}

/// Reads one line of at most [`MAX_LINE_BYTES`] into `buf` (newline removed).
/// Returns `Ok(None)` at the end, `Ok(Some(false))` for a line too long
/// (read past and dropped from `buf`).
fn read_line<R: BufRead + ?Sized>(reader: &mut R, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buf.clear();
    let n = (&mut *reader).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Some(true));
    }
    if buf.len() <= MAX_LINE_BYTES {
        return Ok(Some(true)); // the last line, without a newline
    }
    // Too long: skip to the end of the line.
    loop {
        buf.clear();
        let n = (&mut *reader).take(64 * 1024).read_until(b'\n', buf)?;
        if n == 0 || buf.last() == Some(&b'\n') {
            buf.clear();
            return Ok(Some(false));
        }
    }
}

/// Decodes one line of DynamoDB's export format into its item, checking it
/// holds the table's key attributes.
fn parse_line(line: &[u8], key_names: &[String]) -> Result<Item, String> {
    let value: Json = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let item = match value.get("Item") {
        Some(item) if value.as_object().is_some_and(|o| o.len() == 1) => item,
        _ => return Err("not an object with one member \"Item\"".into()),
    };
    let item = item_from_json(item).map_err(|e| e.to_string())?;
    if let Some(missing) = key_names.iter().find(|k| !item.contains_key(*k)) {
        return Err(format!("the item has no key attribute {missing:?}"));
    }
    Ok(item)
}

/// Canonical text of an item's key, for the flush engine's dedupe.
fn key_of(item: &Item, key_names: &[String]) -> (Item, String) {
    let mut key = HashMap::with_capacity(key_names.len());
    let mut text = String::new();
    for name in key_names {
        if let Some(v) = item.get(name) {
            key.insert(name.clone(), v.clone());
            text.push_str(&format!("{name} = {v:?}; "));
        }
    }
    (key, text)
}

struct Importer<'a> {
    db: &'a Database,
    table: &'a str,
    options: &'a ImportOptions,
    key_names: Vec<String>,
    chunk: Vec<Change>,
    report: ImportReport,
    bytes: u64,
    started: Instant,
}

impl Importer<'_> {
    async fn write_chunk(&mut self, done: bool) {
        if !self.chunk.is_empty() {
            let changes = std::mem::take(&mut self.chunk);
            let outcome = write_all(self.db, changes, &self.options.flush).await;
            self.report.items += outcome.report.puts as u64;
            self.report.failed.extend(outcome.failed);
        }
        if let Some(progress) = &self.options.progress {
            let secs = self.started.elapsed().as_secs_f64();
            progress(&Progress {
                segment: None,
                items: self.report.items,
                bytes: self.bytes,
                items_per_sec: if secs > 0.0 {
                    self.report.items as f64 / secs
                } else {
                    0.0
                },
                estimated_total: None,
                done,
            });
        }
    }

    async fn import_file(&mut self, path: &Path) -> Result<(), Error> {
        let mut reader = open_lines(path)?;
        let mut buf = Vec::new();
        let mut number = 0u64;
        while let Some(fits) = read_line(reader.as_mut(), &mut buf).map_err(|e| io_error(path, e))? {
            number += 1;
            self.bytes += buf.len() as u64 + 1;
            if fits && buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let parsed = if fits {
                parse_line(&buf, &self.key_names)
            } else {
                Err(format!("longer than {MAX_LINE_BYTES} bytes"))
            };
            match parsed {
                Ok(item) => {
                    let (key, key_text) = key_of(&item, &self.key_names);
                    self.chunk.push(Change {
                        table: self.table.to_string(),
                        key,
                        key_text,
                        op: ChangeOp::Put(item),
                        version: None,
                        unit: 0,
                    });
                    if self.chunk.len() >= IMPORT_CHUNK {
                        self.write_chunk(false).await;
                    }
                }
                Err(_) if self.options.skip_invalid => self.report.skipped.push((path.to_path_buf(), number)),
                Err(message) => {
                    return Err(Error::InvalidExportLine {
                        file: path.display().to_string(),
                        line: number,
                        message,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Imports `input` (a data file, a folder of data files, or an export folder
/// with its manifests, see [`data_files`]) into the existing `table`,
/// streaming as the module describes.
///
/// A line that is not an item is an [`Error::InvalidExportLine`] naming the
/// file and line (items of earlier chunks stay written), or with
/// [`ImportOptions::skip_invalid`] is skipped and listed in the report.
/// Items DynamoDB did not confirm come back in [`ImportReport::failed`].
pub async fn import_table(
    db: &Database,
    table: &str,
    input: &Path,
    options: ImportOptions,
) -> Result<ImportReport, Error> {
    let files = data_files(input)?;
    let described = db
        .describe_table(DescribeTableInput::builder().table_name(table).build()?)
        .await?;
    let key_names: Vec<String> = described
        .table
        .and_then(|t| t.key_schema)
        .unwrap_or_default()
        .into_iter()
        .map(|k| k.attribute_name)
        .collect();
    let mut importer = Importer {
        db,
        table,
        options: &options,
        key_names,
        chunk: Vec::new(),
        report: ImportReport::default(),
        bytes: 0,
        started: Instant::now(),
    };
    for file in &files {
        importer.import_file(file).await?;
    }
    importer.write_chunk(true).await;
    Ok(importer.report)
}

// ---------------------------------------------------------------------------
// MD5 (RFC 1321), for the manifest's checksums.

/// An MD5 hasher, as RFC 1321 defines it.
struct Md5 {
    k: [u32; 64],
    state: [u32; 4],
    buffer: Vec<u8>,
    length: u64,
}

const MD5_SHIFTS: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
    21,
];

impl Md5 {
    fn new() -> Md5 {
        let mut k = [0u32; 64];
        for (i, k) in k.iter_mut().enumerate() {
            // RFC 1321's table: floor(|sin(i + 1)| * 2^32).
            *k = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
        }
        Md5 {
            k,
            state: [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476],
            buffer: Vec::with_capacity(64),
            length: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if !self.buffer.is_empty() {
            let take = (64 - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() < 64 {
                return;
            }
            let block = std::mem::take(&mut self.buffer);
            self.block(&block);
        }
        let mut chunks = data.chunks_exact(64);
        for block in &mut chunks {
            self.block(block);
        }
        self.buffer.extend_from_slice(chunks.remainder());
    }

    fn block(&mut self, block: &[u8]) {
        let mut m = [0u32; 16];
        for (word, bytes) in m.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        let [mut a, mut b, mut c, mut d] = self.state;
        for (i, (k, shift)) in self.k.iter().zip(MD5_SHIFTS).enumerate() {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let rotated = a.wrapping_add(f).wrapping_add(*k).wrapping_add(m[g]).rotate_left(shift);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(rotated);
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d]) {
            *s = s.wrapping_add(v);
        }
    }

    fn finish(mut self) -> [u8; 16] {
        let bits = self.length.wrapping_mul(8);
        let mut tail = vec![0x80u8];
        while (self.buffer.len() + tail.len()) % 64 != 56 {
            tail.push(0);
        }
        tail.extend_from_slice(&bits.to_le_bytes());
        let length = self.length;
        self.update(&tail);
        self.length = length;
        let mut out = [0u8; 16];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
