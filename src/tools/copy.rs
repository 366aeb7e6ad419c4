//! Copying a table: a parallel scan of the source (each segment its own
//! cursor), writes through the flush engine, an optional transform per item,
//! a policy for items already in the target, optional creation of the target
//! with the source's keys, indexes and billing, progress reports, and a
//! checkpoint file from which a stopped job resumes.
//!
//! The checkpoint is a JSON file
//! `{"source": …, "target": …, "total_segments": N, "segments": {"0": {"done": false, "last_key": <DynamoDB JSON or null>, "items": n}, …}}`
//! rewritten atomically (temporary file, then rename) after each page whose
//! writes DynamoDB confirmed, never before: a page with unconfirmed writes is
//! not checkpointed past, so a rerun retries it. Several processes may copy
//! disjoint segment ranges of one job, each with its own checkpoint file.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures::stream::{self, StreamExt};
use serde_json::{Value as Json, json};

use crate::backend::Backend;
use crate::database::Database;
use crate::memory::flush::{Change, ChangeOp, Failed, FlushOptions, Rng, backoff, seed, write_all};
use crate::mock::size::item_size;
use crate::sdk::*;
use crate::tools::{Progress, ProgressFn};
use crate::wire::{item_from_json, item_to_json};
use crate::{Error, Item};

/// What to do with an item whose key is already in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IfExists {
    /// Replace it (batched writes).
    #[default]
    Overwrite,
    /// Leave it, and count it in [`CopyReport::skipped`].
    Skip,
    /// Stop the job with [`Error::ItemExists`] naming the key.
    Fail,
}

/// A per-item transform: `None` drops the item (counted in
/// [`CopyReport::dropped`]).
pub type Transform = Arc<dyn Fn(Item) -> Option<Item> + Send + Sync>;

/// How [`copy_table`] copies.
#[derive(Clone)]
pub struct CopyOptions {
    /// Parallel-scan segments of the whole job (at least 1; default 4).
    pub total_segments: u32,
    /// The segments this call copies, all concurrently (default `0..4`;
    /// must be non-empty and within `0..total_segments`). Changing
    /// `total_segments` alone leaves this as it was: use
    /// [`CopyOptions::with_total_segments`] to copy every segment.
    pub segments: Range<u32>,
    /// The checkpoint file to resume from and keep up to date, if any.
    pub checkpoint: Option<PathBuf>,
    /// What to do with items already in the target.
    pub if_exists: IfExists,
    /// Create the target with the source's key schema, indexes and billing
    /// (an existing target is used as it is).
    pub create: bool,
    /// An optional transform per item.
    pub transform: Option<Transform>,
    /// Progress reports: one per segment per page (`segment: Some`), one for
    /// the whole job per page and at the end (`segment: None`).
    pub progress: Option<ProgressFn>,
    /// How writes are made (concurrency also bounds the conditional puts of
    /// [`IfExists::Skip`] and [`IfExists::Fail`]).
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

impl CopyOptions {
    /// These options with `total` parallel-scan segments, all copied by
    /// this call (`segments = 0..total`).
    pub fn with_total_segments(mut self, total: u32) -> CopyOptions {
        self.total_segments = total;
        self.segments = 0..total;
        self
    }
}

impl std::fmt::Debug for CopyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CopyOptions")
            .field("total_segments", &self.total_segments)
            .field("segments", &self.segments)
            .field("checkpoint", &self.checkpoint)
            .field("if_exists", &self.if_exists)
            .field("create", &self.create)
            .field("transform", &self.transform.is_some())
            .field("progress", &self.progress.is_some())
            .field("flush", &self.flush)
            .finish()
    }
}

/// What a copy did (this call only; a resumed job's earlier runs are not
/// counted, except in `segments_done`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyReport {
    /// Items read from the source.
    pub scanned: u64,
    /// Items DynamoDB confirmed written to the target.
    pub written: u64,
    /// Items left alone because their key was in the target ([`IfExists::Skip`]).
    pub skipped: u64,
    /// Items the transform dropped.
    pub dropped: u64,
    /// Writes not confirmed; their pages were not checkpointed past, so a
    /// rerun with the same checkpoint retries them.
    pub failed: Vec<Failed>,
    /// The segments of this call's range that are finished, in order.
    pub segments_done: Vec<u32>,
    /// True when the job continued from a checkpoint file.
    pub resumed: bool,
}

/// One segment's position in the checkpoint.
#[derive(Debug, Clone, Default, PartialEq)]
struct SegmentState {
    done: bool,
    last_key: Option<Item>,
    items: u64,
}

/// The checkpoint file's content.
#[derive(Debug, Clone, PartialEq)]
struct Checkpoint {
    source: String,
    target: String,
    total_segments: u32,
    segments: BTreeMap<u32, SegmentState>,
}

impl Checkpoint {
    fn to_json(&self) -> Json {
        let segments: serde_json::Map<String, Json> = self
            .segments
            .iter()
            .map(|(n, s)| {
                let last = s.last_key.as_ref().map(item_to_json).unwrap_or(Json::Null);
                (
                    n.to_string(),
                    json!({ "done": s.done, "last_key": last, "items": s.items }),
                )
            })
            .collect();
        json!({
            "source": self.source,
            "target": self.target,
            "total_segments": self.total_segments,
            "segments": segments,
        })
    }

    fn from_json(v: &Json) -> Result<Checkpoint, String> {
        let field = |name: &str| v.get(name).ok_or_else(|| format!("no \"{name}\""));
        let text = |name: &str| {
            field(name)?
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("\"{name}\" is not a string"))
        };
        let total = field("total_segments")?
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("\"total_segments\" is not a segment count")?;
        let mut segments = BTreeMap::new();
        let entries = field("segments")?.as_object().ok_or("\"segments\" is not an object")?;
        for (name, entry) in entries {
            let n: u32 = name.parse().map_err(|_| format!("segment {name:?} is not a number"))?;
            let done = entry
                .get("done")
                .and_then(Json::as_bool)
                .ok_or_else(|| format!("segment {n}: \"done\" is not a boolean"))?;
            let items = entry
                .get("items")
                .and_then(Json::as_u64)
                .ok_or_else(|| format!("segment {n}: \"items\" is not a count"))?;
            let last_key = match entry.get("last_key") {
                None | Some(Json::Null) => None,
                Some(k) => Some(item_from_json(k).map_err(|e| format!("segment {n}: last_key: {}", e.message()))?),
            };
            segments.insert(n, SegmentState { done, last_key, items });
        }
        Ok(Checkpoint {
            source: text("source")?,
            target: text("target")?,
            total_segments: total,
            segments,
        })
    }
}

/// The checkpoint of a running job and where it is saved.
struct Saver {
    path: Option<PathBuf>,
    state: Mutex<Checkpoint>,
}

impl Saver {
    /// Records a segment's new position and rewrites the file atomically.
    fn save(&self, segment: u32, position: SegmentState) -> Result<(), Error> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.segments.insert(segment, position);
        match &self.path {
            Some(path) => write_atomically(path, &state.to_json()),
            None => Ok(()),
        }
    }
}

fn checkpoint_error(path: &Path, problem: impl Into<String>) -> Error {
    Error::Checkpoint {
        path: path.display().to_string(),
        problem: problem.into(),
    }
}

fn write_atomically(path: &Path, content: &Json) -> Result<(), Error> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let text = serde_json::to_vec_pretty(content).map_err(|e| checkpoint_error(path, e.to_string()))?;
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&text)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| checkpoint_error(path, format!("cannot write: {e}")))
}

/// Reads the checkpoint at `path`: `None` when there is no file.
fn read_checkpoint(path: &Path) -> Result<Option<Checkpoint>, Error> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(checkpoint_error(path, format!("cannot read: {e}"))),
    };
    let json: Json = serde_json::from_slice(&bytes).map_err(|e| checkpoint_error(path, format!("not JSON: {e}")))?;
    Checkpoint::from_json(&json)
        .map(Some)
        .map_err(|p| checkpoint_error(path, p))
}

/// Canonical text of a key: its attributes in name order, DynamoDB JSON.
fn key_text(key: &Item) -> String {
    let sorted: BTreeMap<&String, Json> = key
        .iter()
        .map(|(k, v)| {
            (
                k,
                item_to_json(&HashMap::from([(String::new(), v.clone())]))[""].clone(),
            )
        })
        .collect();
    serde_json::to_string(&sorted).unwrap_or_default()
}

/// A table's key attribute names (hash first).
fn key_names(table: &TableDescription) -> Vec<String> {
    let mut keys: Vec<&KeySchemaElement> = table.key_schema().iter().collect();
    keys.sort_by_key(|k| *k.key_type() != KeyType::Hash);
    keys.iter().map(|k| k.attribute_name().to_string()).collect()
}

fn key_of(item: &Item, names: &[String]) -> Item {
    names
        .iter()
        .filter_map(|n| item.get(n).map(|v| (n.clone(), v.clone())))
        .collect()
}

fn throughput_of(p: Option<&ProvisionedThroughputDescription>) -> Result<ProvisionedThroughput, Error> {
    let read = p.and_then(|p| p.read_capacity_units).unwrap_or(1).max(1);
    let write = p.and_then(|p| p.write_capacity_units).unwrap_or(1).max(1);
    Ok(ProvisionedThroughput::builder()
        .read_capacity_units(read)
        .write_capacity_units(write)
        .build()?)
}

/// True when the description says the table is billed on demand.
fn on_demand(table: &TableDescription) -> bool {
    if let Some(summary) = table.billing_mode_summary() {
        return summary.billing_mode() == Some(&BillingMode::PayPerRequest);
    }
    // DynamoDB Local leaves out the summary; on-demand tables show 0/0.
    let p = table.provisioned_throughput();
    p.and_then(|p| p.read_capacity_units).unwrap_or(0) == 0 && p.and_then(|p| p.write_capacity_units).unwrap_or(0) == 0
}

/// The CreateTable request making `name` like the described table: key
/// schema, attribute definitions, global and local indexes (projections,
/// throughput) and billing.
fn create_like(table: &TableDescription, name: &str) -> Result<CreateTableInput, Error> {
    let demand = on_demand(table);
    let mut create = CreateTableInput::builder()
        .table_name(name)
        .set_key_schema(Some(table.key_schema().to_vec()))
        .set_attribute_definitions(Some(table.attribute_definitions().to_vec()));
    create = if demand {
        create.billing_mode(BillingMode::PayPerRequest)
    } else {
        create
            .billing_mode(BillingMode::Provisioned)
            .provisioned_throughput(throughput_of(table.provisioned_throughput())?)
    };
    for gsi in table.global_secondary_indexes() {
        let mut index = GlobalSecondaryIndex::builder()
            .set_index_name(gsi.index_name.clone())
            .set_key_schema(Some(gsi.key_schema().to_vec()))
            .set_projection(gsi.projection.clone());
        if !demand {
            index = index.provisioned_throughput(throughput_of(gsi.provisioned_throughput())?);
        }
        create = create.global_secondary_indexes(index.build()?);
    }
    for lsi in table.local_secondary_indexes() {
        let index = LocalSecondaryIndex::builder()
            .set_index_name(lsi.index_name.clone())
            .set_key_schema(Some(lsi.key_schema().to_vec()))
            .set_projection(lsi.projection.clone())
            .build()?;
        create = create.local_secondary_indexes(index);
    }
    Ok(create.build()?)
}

/// Runs `call` until it succeeds, retrying retryable errors with the flush
/// engine's backoff, at most `options.attempts` attempts in all.
async fn retrying<T, F, Fut>(options: &FlushOptions, mut call: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let attempts = options.attempts.max(1);
    let mut rng = Rng::new(seed());
    let mut failures = 0;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(e) if e.is_retryable() && failures + 1 < attempts => {
                failures += 1;
                tokio::time::sleep(backoff(options, failures, &mut rng)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Items per second since `started`.
fn rate(started: Instant, items: u64) -> f64 {
    let secs = started.elapsed().as_secs_f64();
    if secs > 0.0 { items as f64 / secs } else { 0.0 }
}

/// What the segments share.
struct Job<'a> {
    source: &'a Database,
    source_table: &'a str,
    target: &'a Database,
    target_table: &'a str,
    options: &'a CopyOptions,
    keys: Vec<String>,
    saver: Saver,
    stop: AtomicBool,
    totals: Mutex<Totals>,
    started: Instant,
    /// Items the checkpoint says earlier runs copied (not in the rate).
    already: u64,
    estimated_total: Option<u64>,
}

/// Job-wide counts, behind one lock so that reports are monotone.
#[derive(Default)]
struct Totals {
    report: CopyReport,
    items: u64,
    bytes: u64,
}

/// What one page's writes came to.
#[derive(Default)]
struct PageOutcome {
    written: u64,
    skipped: u64,
    failed: Vec<Failed>,
}

impl Job<'_> {
    /// Items per second of this run, for `items` done in it.
    fn rate(&self, items: u64) -> f64 {
        rate(self.started, items)
    }

    fn report(&self, progress: Progress) {
        if let Some(callback) = &self.options.progress {
            callback(&progress);
        }
    }

    /// Copies one segment from its checkpointed position to its end (or to
    /// the first page with unconfirmed writes, or until the job stops).
    async fn segment(&self, segment: u32, mut position: SegmentState) -> Result<(), Error> {
        let mut bytes = 0u64;
        let mut this_run = 0u64;
        while !position.done && !self.stop.load(Ordering::Relaxed) {
            let scan = ScanInput::builder()
                .table_name(self.source_table)
                .segment(segment as i32)
                .total_segments(self.options.total_segments as i32)
                .set_exclusive_start_key(position.last_key.clone())
                .build()?;
            let page = retrying(&self.options.flush, || self.source.scan(scan.clone())).await?;
            let items = page.items.unwrap_or_default();
            let scanned = items.len() as u64;
            let page_bytes: u64 = items.iter().map(|i| item_size(i) as u64).sum();
            let mut dropped = 0u64;
            let kept: Vec<Item> = match &self.options.transform {
                None => items,
                Some(t) => items
                    .into_iter()
                    .filter_map(|i| {
                        let out = t(i);
                        if out.is_none() {
                            dropped += 1;
                        }
                        out
                    })
                    .collect(),
            };
            let outcome = self.write(kept).await?;
            let confirmed = outcome.failed.is_empty();
            if confirmed {
                position = SegmentState {
                    done: page.last_evaluated_key.is_none(),
                    last_key: page.last_evaluated_key,
                    items: position.items + scanned,
                };
                self.saver.save(segment, position.clone())?;
                bytes += page_bytes;
                this_run += scanned;
            }
            let mut totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
            totals.report.scanned += scanned;
            totals.report.dropped += dropped;
            totals.report.written += outcome.written;
            totals.report.skipped += outcome.skipped;
            totals.report.failed.extend(outcome.failed);
            if confirmed {
                totals.items += scanned;
                totals.bytes += page_bytes;
                self.report(Progress {
                    segment: Some(segment),
                    items: position.items,
                    bytes,
                    items_per_sec: self.rate(this_run),
                    estimated_total: None,
                    done: position.done,
                });
                self.report(Progress {
                    segment: None,
                    items: totals.items,
                    bytes: totals.bytes,
                    items_per_sec: self.rate(totals.items - self.already),
                    estimated_total: self.estimated_total,
                    done: false,
                });
            } else {
                // Not checkpointed past: a rerun retries this page.
                return Ok(());
            }
        }
        Ok(())
    }

    /// Writes a page's items as the policy says.
    async fn write(&self, items: Vec<Item>) -> Result<PageOutcome, Error> {
        if items.is_empty() {
            return Ok(PageOutcome::default());
        }
        match self.options.if_exists {
            IfExists::Overwrite => {
                let changes = items
                    .into_iter()
                    .map(|item| {
                        let key = key_of(&item, &self.keys);
                        Change {
                            table: self.target_table.to_string(),
                            key_text: key_text(&key),
                            key,
                            op: ChangeOp::Put(item),
                            version: None,
                            unit: 0,
                        }
                    })
                    .collect();
                let out = write_all(self.target, changes, &self.options.flush).await;
                Ok(PageOutcome {
                    written: out.written.len() as u64,
                    skipped: 0,
                    failed: out.failed,
                })
            }
            IfExists::Skip | IfExists::Fail => self.write_if_absent(items).await,
        }
    }

    /// Conditional puts, one by one, at most the flush concurrency at once.
    async fn write_if_absent(&self, items: Vec<Item>) -> Result<PageOutcome, Error> {
        let hash = self.keys.first().cloned().unwrap_or_default();
        let concurrency = self.options.flush.concurrency.max(1);
        let results: Vec<(Item, Item, Result<(), Error>)> = stream::iter(items)
            .map(|item| {
                let hash = hash.clone();
                async move {
                    let key = key_of(&item, &self.keys);
                    let result = self.put_if_absent(&hash, item.clone()).await;
                    (key, item, result)
                }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let mut outcome = PageOutcome::default();
        for (key, item, result) in results {
            match result {
                Ok(()) => outcome.written += 1,
                Err(Error::ConditionalCheckFailed { .. }) if self.options.if_exists == IfExists::Skip => {
                    outcome.skipped += 1
                }
                Err(Error::ConditionalCheckFailed { .. }) => {
                    self.stop.store(true, Ordering::Relaxed);
                    return Err(Error::ItemExists {
                        table: self.target_table.to_string(),
                        key: key_text(&key),
                    });
                }
                Err(error) => outcome.failed.push(Failed {
                    table: self.target_table.to_string(),
                    key,
                    item: Some(item),
                    error,
                }),
            }
        }
        Ok(outcome)
    }

    /// One conditional put, retried on retryable errors as the flush options
    /// say.
    async fn put_if_absent(&self, hash: &str, item: Item) -> Result<(), Error> {
        let put = PutItemInput::builder()
            .table_name(self.target_table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(#h)")
            .expression_attribute_names("#h", hash)
            .build()?;
        retrying(&self.options.flush, || self.target.put_item(put.clone()))
            .await
            .map(|_| ())
    }
}

/// Copies `source_table` of `source` into `target_table` of `target`, as
/// the module and [`CopyOptions`] say. With a checkpoint of a finished
/// job, nothing is copied again (`resumed` is true, every segment done);
/// remove the file to copy anew.
///
/// Errors: [`Error::Validation`] for a bad segment range,
/// [`Error::Checkpoint`] for a checkpoint file that cannot be read or written
/// or belongs to another job (other source, target or total segments),
/// [`Error::ItemExists`] under [`IfExists::Fail`], and the backends' errors
/// (a failed scan stops the job; what was checkpointed stays). Writes that
/// were not confirmed are in [`CopyReport::failed`].
pub async fn copy_table(
    source: &Database,
    source_table: &str,
    target: &Database,
    target_table: &str,
    options: CopyOptions,
) -> Result<CopyReport, Error> {
    let total = options.total_segments;
    if total == 0 || options.segments.is_empty() || options.segments.end > total {
        return Err(Error::Validation(
            format!(
                "copy segments {}..{} are not a non-empty range within 0..{total}",
                options.segments.start, options.segments.end
            )
            .into(),
        ));
    }
    let described = source
        .describe_table(DescribeTableInput::builder().table_name(source_table).build()?)
        .await?
        .table
        .unwrap_or_else(|| TableDescription::builder().build());
    if options.create {
        match target.create_table(create_like(&described, target_table)?).await {
            Ok(_) | Err(Error::ResourceInUse(_)) => {}
            Err(e) => return Err(e),
        }
        target.wait_active(target_table).await?;
    }
    // Keys (for deduplication and the conditional puts) are the target's: a
    // transform may write items under another key schema.
    let target_keys = key_names(
        &target
            .describe_table(DescribeTableInput::builder().table_name(target_table).build()?)
            .await?
            .table
            .unwrap_or_else(|| TableDescription::builder().build()),
    );

    let source_name = source.full_name(source_table);
    let target_name = target.full_name(target_table);
    let mut checkpoint = Checkpoint {
        source: source_name.clone(),
        target: target_name.clone(),
        total_segments: total,
        segments: BTreeMap::new(),
    };
    let mut resumed = false;
    if let Some(path) = &options.checkpoint
        && let Some(found) = read_checkpoint(path)?
    {
        if found.source != source_name || found.target != target_name || found.total_segments != total {
            return Err(checkpoint_error(
                path,
                format!(
                    "it is the checkpoint of copying {} to {} in {} segments, not {source_name} to {target_name} in {total}",
                    found.source, found.target, found.total_segments
                ),
            ));
        }
        checkpoint = found;
        resumed = true;
    }
    let positions: Vec<(u32, SegmentState)> = options
        .segments
        .clone()
        .map(|n| (n, checkpoint.segments.get(&n).cloned().unwrap_or_default()))
        .collect();
    let already: u64 = positions.iter().map(|(_, p)| p.items).sum();

    let job = Job {
        source,
        source_table,
        target,
        target_table,
        options: &options,
        keys: target_keys,
        saver: Saver {
            path: options.checkpoint.clone(),
            state: Mutex::new(checkpoint),
        },
        stop: AtomicBool::new(false),
        totals: Mutex::new(Totals {
            items: already,
            ..Totals::default()
        }),
        started: Instant::now(),
        already,
        estimated_total: described.item_count().and_then(|n| u64::try_from(n).ok()),
    };
    let runs = positions.into_iter().map(|(n, p)| {
        let job = &job;
        async move {
            let result = job.segment(n, p).await;
            if result.is_err() {
                job.stop.store(true, Ordering::Relaxed);
            }
            result
        }
    });
    let results = futures::future::join_all(runs).await;
    if let Some(error) = results.into_iter().find_map(Result::err) {
        return Err(error);
    }

    let totals = job.totals.into_inner().unwrap_or_else(|e| e.into_inner());
    let saved = job.saver.state.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut report = totals.report;
    report.resumed = resumed;
    report.segments_done = options
        .segments
        .clone()
        .filter(|n| saved.segments.get(n).is_some_and(|s| s.done))
        .collect();
    if let Some(callback) = &options.progress {
        callback(&Progress {
            segment: None,
            items: totals.items,
            bytes: totals.bytes,
            items_per_sec: rate(job.started, totals.items - already),
            estimated_total: job.estimated_total,
            done: true,
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
