//! Memory tables: a unit of work over DynamoDB. A [`MemoryTable`] reads each
//! record once, keeps every change in memory, and writes back only what
//! changed (new, modified, deleted records, compared item by item with what
//! was read) when flushed; [`Flush`] writes several tables in one run.
//!
//! Nothing leaves the pending set until DynamoDB confirmed it: what a flush
//! could not write stays pending and comes back in a [`FlushError`], and a
//! later flush finishes the job.

pub(crate) mod flush;

use std::collections::{HashMap, HashSet};

use futures::{Stream, StreamExt};

use flush::{Change, ChangeOp, VersionCheck};
pub use flush::{Failed, FlushError, FlushOptions, FlushReport};

use crate::convert::ConvertError;
use crate::database::Database;
use crate::record::Record;
use crate::schema::TableSchema;
use crate::table::{IntoKey, Table};
use crate::{Error, Item};

/// Keys handed to one [`Table::batch_get_with`] call by
/// [`MemoryTable::get_many`] (it splits them into requests of
/// [`crate::batch::GET_CHUNK`] keys, several in flight).
const GET_MANY_SLICE: usize = 1000;

/// Limits of a [`MemoryTable`].
#[derive(Debug, Clone, Default)]
pub struct MemoryOptions {
    /// The most records kept in the cache: beyond it, clean records (read and
    /// not changed, or remembered missing) are evicted, in no particular
    /// order, and read again if asked for. Records with pending changes are
    /// never evicted, so the cache can exceed the limit until a flush.
    pub cache_limit: Option<usize>,
    /// [`MemoryTable::maybe_flush`] flushes when this many records may have
    /// pending changes. `insert` is synchronous and never flushes by itself:
    /// call `maybe_flush().await` in the loop of a long job.
    pub flush_threshold: Option<usize>,
    /// How flushes write.
    pub flush: FlushOptions,
}

/// What a memory table holds (see [`MemoryTable::stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Records held (read, preloaded, inserted or blank; not the deleted).
    pub cached: usize,
    /// Keys remembered as missing from DynamoDB (no record, nothing pending).
    pub missing: usize,
    /// Keys whose change a flush would write.
    pub pending: usize,
    /// Approximate memory of the cached records and the snapshots of what
    /// was read, in bytes (DynamoDB's item size of each, plus the keys).
    pub approx_bytes: usize,
}

/// What DynamoDB held for a key, as far as the table knows.
#[derive(Debug, Clone)]
enum Base {
    /// Read (or last written) as absent.
    Absent,
    /// Read (or last written) as this item.
    Item(Item),
    /// Never read (blank mode, or an insert of a key not read): any change
    /// is written.
    Unknown,
}

/// One key's state.
#[derive(Debug, Clone)]
struct Slot<R> {
    /// The key attributes.
    key: Item,
    /// The record as it is now; `None`: absent or deleted.
    current: Option<R>,
    /// What DynamoDB held.
    base: Base,
    /// Handed out mutably, inserted or removed since the last confirmed
    /// write: only these are compared with `base`.
    touched: bool,
}

/// A record prepared for a write, kept until the flush confirms it.
struct Prepared<R> {
    /// The record as it will be once written (with its new version).
    record: Option<R>,
    /// The item to write (`None` for a delete); moved into the flush's
    /// change, which hands it back once confirmed.
    item: Option<Item>,
    /// The version check of a versioned table.
    version: Option<VersionCheck>,
}

/// A unit of work over the table of records `R`: reads each record once,
/// tracks changes per key, and writes back what changed on [`flush`].
///
/// Changing a record is plain Rust: [`MemoryTable::get_mut`] hands out a
/// `&mut R`, [`MemoryTable::update`] takes a closure. At flush time each
/// record so handed out is converted to its item and compared with the item
/// read: a record only read, or changed back to what was read, is not
/// written.
///
/// Dropping a table with pending changes logs a `tracing` warning naming
/// their count; the changes are lost.
///
/// [`flush`]: MemoryTable::flush
pub struct MemoryTable<R: Record> {
    table: Table<R>,
    slots: HashMap<String, Slot<R>>,
    blank: bool,
    options: MemoryOptions,
    prepared: HashMap<String, Prepared<R>>,
    /// The last eviction found no clean record to evict and none became
    /// clean since: the next one need not look (else a full cache of
    /// pending changes would cost a scan of the cache per insert).
    all_dirty: bool,
    /// Blank mode's default item (set by [`MemoryTable::blank`], which has
    /// the `R: Default` bound the other methods do not need).
    default_item: Option<fn() -> Result<Item, ConvertError>>,
}

impl<R: Record> std::fmt::Debug for MemoryTable<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemoryTable({}, {:?})", R::schema().name, self.stats())
    }
}

/// The canonical text of a key item (unique per key within a table).
fn key_text<R: Record>(key: &Item) -> String {
    crate::record::key_text::<R>(key).unwrap_or_default()
}

/// The key attributes of a whole item.
fn key_of<R: Record>(item: &Item) -> Item {
    let schema = R::schema();
    std::iter::once(&schema.hash)
        .chain(schema.range.as_ref())
        .filter_map(|k| item.get(&k.name).map(|v| (k.name.clone(), v.clone())))
        .collect()
}

impl<R: Record> MemoryTable<R> {
    /// A memory table reading from DynamoDB on first use of each key.
    pub fn new(db: &Database) -> Self {
        MemoryTable {
            table: Table::new(db),
            slots: HashMap::new(),
            blank: false,
            options: MemoryOptions::default(),
            prepared: HashMap::new(),
            all_dirty: false,
            default_item: None,
        }
    }

    /// A memory table that never reads: an unknown key is a new default
    /// record with that key (pending as a put), for loads that only write.
    /// Deletes of unknown keys are sent as they are.
    pub fn blank(db: &Database) -> Self
    where
        R: Default,
    {
        let mut table = MemoryTable::new(db);
        table.blank = true;
        table.default_item = Some(|| R::default().to_item());
        table
    }

    /// These limits.
    pub fn with_options(mut self, options: MemoryOptions) -> Self {
        self.options = options;
        self
    }

    /// The cached records (not the deleted or missing ones), in no
    /// particular order.
    pub fn records(&self) -> impl Iterator<Item = &R> {
        self.slots.values().filter_map(|s| s.current.as_ref())
    }

    /// The typed table underneath.
    pub fn table(&self) -> &Table<R> {
        &self.table
    }

    fn slot_key(key: &R::Key) -> Result<(Item, String), Error> {
        let item = R::key_item(key)?;
        let text = key_text::<R>(&item);
        Ok((item, text))
    }

    /// Makes sure `text` has a slot: read from DynamoDB (or, in blank mode,
    /// made a default record) the first time.
    async fn load(&mut self, key: &R::Key, item: Item, text: &str) -> Result<(), Error> {
        if self.slots.contains_key(text) {
            return Ok(());
        }
        let slot = if self.blank {
            Slot {
                current: Some(self.blank_record(&item)?),
                key: item,
                base: Base::Unknown,
                touched: true,
            }
        } else {
            let found = self.table.get(key.clone()).await?;
            Self::read_slot(item, found)?
        };
        self.evict(1);
        self.all_dirty &= slot.touched;
        self.slots.insert(text.to_string(), slot);
        Ok(())
    }

    /// A default record with this key: the key merged into the default
    /// record's item (blank mode only creates tables with `R: Default`).
    fn blank_record(&self, key: &Item) -> Result<R, Error> {
        let Some(default) = self.default_item.as_ref() else {
            return Err(Error::Validation("not a blank memory table".into()));
        };
        let mut item = default()?;
        item.extend(key.clone());
        crate::table::record_from::<R>(item)
    }

    fn read_slot(key: Item, found: Option<R>) -> Result<Slot<R>, Error> {
        Ok(match found {
            Some(r) => Slot {
                key,
                base: Base::Item(r.to_item()?),
                current: Some(r),
                touched: false,
            },
            None => Slot {
                key,
                current: None,
                base: Base::Absent,
                touched: false,
            },
        })
    }

    /// Evicts clean slots until `room` more fit under the cache limit.
    fn evict(&mut self, room: usize) {
        let Some(limit) = self.options.cache_limit else {
            return;
        };
        let over = (self.slots.len() + room).saturating_sub(limit);
        if over == 0 || self.all_dirty {
            return;
        }
        let clean: Vec<String> = self
            .slots
            .iter()
            .filter(|(_, s)| !s.touched)
            .map(|(k, _)| k.clone())
            .take(over)
            .collect();
        self.all_dirty = clean.len() < over;
        for k in clean {
            self.slots.remove(&k);
        }
    }

    /// The record with this key: read from DynamoDB the first time (a
    /// missing key is remembered: no second read), the cached one afterwards.
    pub async fn get(&mut self, key: impl IntoKey<R::Key>) -> Result<Option<&R>, Error> {
        let key = key.into_key();
        let (item, text) = Self::slot_key(&key)?;
        self.load(&key, item, &text).await?;
        Ok(self.slots.get(&text).and_then(|s| s.current.as_ref()))
    }

    /// The record with this key, to change in place (read as [`get`] does);
    /// the change is found at flush time by comparing with what was read.
    ///
    /// [`get`]: MemoryTable::get
    pub async fn get_mut(&mut self, key: impl IntoKey<R::Key>) -> Result<Option<&mut R>, Error> {
        let key = key.into_key();
        let (item, text) = Self::slot_key(&key)?;
        self.load(&key, item, &text).await?;
        Ok(self.slots.get_mut(&text).and_then(|s| {
            let r = s.current.as_mut()?;
            s.touched = true;
            Some(r)
        }))
    }

    /// Reads every key not cached yet with BatchGetItem (100 keys a request,
    /// unprocessed keys retried, those left over read one by one); keys
    /// found missing are remembered. Returns how many keys were read. In
    /// blank mode nothing is read: each uncached key becomes a blank record
    /// (pending as a put), and the result is 0.
    pub async fn get_many(&mut self, keys: impl IntoIterator<Item = R::Key>) -> Result<usize, Error> {
        let mut wanted: Vec<R::Key> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for k in keys {
            let (_, text) = Self::slot_key(&k)?;
            if !self.slots.contains_key(&text) && seen.insert(text) {
                wanted.push(k);
            }
        }
        if self.blank {
            for k in &wanted {
                let (item, text) = Self::slot_key(k)?;
                self.load(k, item, &text).await?;
            }
            return Ok(0);
        }
        let read = wanted.len();
        let retry = crate::batch::Retry::default();
        for slice in wanted.chunks(GET_MANY_SLICE) {
            let got = self.table.batch_get_with(slice.iter().cloned(), retry).await?;
            let mut found: HashMap<String, R> = HashMap::new();
            for r in got.records {
                let (_, text) = Self::slot_key(&r.key())?;
                found.insert(text, r);
            }
            let left: HashSet<String> = got
                .unprocessed
                .iter()
                .map(|k| Self::slot_key(k).map(|(_, t)| t))
                .collect::<Result<_, _>>()?;
            self.evict(slice.len());
            for k in slice {
                let (item, text) = Self::slot_key(k)?;
                if left.contains(&text) {
                    continue;
                }
                let slot = Self::read_slot(item, found.remove(&text))?;
                self.all_dirty = false;
                self.slots.insert(text, slot);
            }
            for k in got.unprocessed {
                let (item, text) = Self::slot_key(&k)?;
                self.load(&k, item, &text).await?;
            }
        }
        Ok(read)
    }

    /// Changes the record with this key in place (read as [`get`] does);
    /// `false` when there is no such record (nothing is called).
    ///
    /// [`get`]: MemoryTable::get
    pub async fn update(&mut self, key: impl IntoKey<R::Key>, f: impl FnOnce(&mut R)) -> Result<bool, Error> {
        match self.get_mut(key).await? {
            Some(r) => {
                f(r);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Adds a record, or replaces the one with its key: a pending put
    /// (unless it equals what was read). A key never read is written
    /// whatever DynamoDB holds. Never flushes (see [`MemoryOptions`]).
    pub fn insert(&mut self, record: R) {
        let key = R::key_item(&record.key()).unwrap_or_else(|_| {
            // A key that does not convert: kept by the item's own key
            // attributes, so the flush reports the conversion error.
            record.to_item().map(|i| key_of::<R>(&i)).unwrap_or_default()
        });
        let text = key_text::<R>(&key);
        match self.slots.get_mut(&text) {
            Some(s) => {
                s.current = Some(record);
                s.touched = true;
            }
            None => {
                self.evict(1);
                self.slots.insert(
                    text,
                    Slot {
                        key,
                        current: Some(record),
                        base: Base::Unknown,
                        touched: true,
                    },
                );
            }
        }
    }

    /// Deletes the record with this key (read first as [`get`] does, except
    /// in blank mode): a pending delete. Returns the record removed.
    ///
    /// [`get`]: MemoryTable::get
    pub async fn remove(&mut self, key: impl IntoKey<R::Key>) -> Result<Option<R>, Error> {
        let key = key.into_key();
        let (item, text) = Self::slot_key(&key)?;
        if self.blank && !self.slots.contains_key(&text) {
            self.slots.insert(
                text,
                Slot {
                    key: item,
                    current: None,
                    base: Base::Unknown,
                    touched: true,
                },
            );
            return Ok(None);
        }
        self.load(&key, item, &text).await?;
        Ok(self.slots.get_mut(&text).and_then(|s| {
            s.touched = true;
            s.current.take()
        }))
    }

    /// Puts records read by a query or scan into the cache as read (keys
    /// already cached are left as they are). Returns how many were added.
    pub async fn preload<S: Stream<Item = Result<R, Error>>>(&mut self, records: S) -> Result<usize, Error> {
        let mut records = std::pin::pin!(records);
        let mut added = 0;
        while let Some(r) = records.next().await {
            let r = r?;
            let (item, text) = Self::slot_key(&r.key())?;
            if self.slots.contains_key(&text) {
                continue;
            }
            self.evict(1);
            self.slots.insert(text, Self::read_slot(item, Some(r))?);
            self.all_dirty = false;
            added += 1;
        }
        Ok(added)
    }

    /// Writes every pending change (see [`Flush`]); what could not be written
    /// stays pending and is in the error.
    ///
    /// On a table with a version attribute each write checks the version the
    /// record holds (as read, or as last written): a put writes version + 1
    /// and, once confirmed, the cached record holds it; a record someone else
    /// wrote meanwhile is an [`Error::VersionConflict`] for that record alone,
    /// and stays pending (read it again elsewhere to resolve it).
    pub async fn flush(&mut self) -> Result<FlushReport, FlushError> {
        let db = self.table.database().clone();
        let options = self.options.flush.clone();
        Flush::new(&db).options(options).table(self).run().await
    }

    /// Flushes when at least [`MemoryOptions::flush_threshold`] records may
    /// have pending changes (records handed out mutably, inserted or removed
    /// since their last write); `Ok(None)` when it did not flush.
    pub async fn maybe_flush(&mut self) -> Result<Option<FlushReport>, FlushError> {
        match self.options.flush_threshold {
            Some(t) if self.touched() >= t => self.flush().await.map(Some),
            _ => Ok(None),
        }
    }

    fn touched(&self) -> usize {
        self.slots.values().filter(|s| s.touched).count()
    }

    /// The change a flush would write for this slot, `Ok(None)` if none.
    fn change_of(slot: &Slot<R>) -> Result<Option<Prepared<R>>, Error> {
        let attr = R::version_attribute();
        match &slot.current {
            Some(r) => {
                let mut r = r.clone();
                r.check()?;
                let item = r.to_item()?;
                if matches!(&slot.base, Base::Item(b) if *b == item) {
                    return Ok(None);
                }
                let version = attr.map(|attribute| VersionCheck {
                    attribute,
                    held: r.version(),
                });
                let item = match version {
                    Some(v) => {
                        r.set_version(v.held + 1);
                        r.to_item()?
                    }
                    None => item,
                };
                Ok(Some(Prepared {
                    record: Some(r),
                    item: Some(item),
                    version,
                }))
            }
            None => {
                if matches!(slot.base, Base::Absent) {
                    return Ok(None);
                }
                let held = match &slot.base {
                    Base::Item(b) => crate::table::stored_version::<R>(b),
                    _ => 0,
                };
                Ok(Some(Prepared {
                    record: None,
                    item: None,
                    version: attr.map(|attribute| VersionCheck { attribute, held }),
                }))
            }
        }
    }

    /// What the table holds.
    pub fn stats(&self) -> MemoryStats {
        let mut stats = MemoryStats::default();
        for (text, s) in &self.slots {
            match &s.current {
                Some(_) => stats.cached += 1,
                None if matches!(s.base, Base::Absent) => stats.missing += 1,
                None => {}
            }
            if s.touched && !matches!(Self::change_of(s), Ok(None)) {
                stats.pending += 1;
            }
            stats.approx_bytes += text.len() + crate::mock::size::item_size(&s.key);
            if let Base::Item(b) = &s.base {
                stats.approx_bytes += crate::mock::size::item_size(b);
            }
            if let Some(Ok(i)) = s.current.as_ref().map(R::to_item) {
                stats.approx_bytes += crate::mock::size::item_size(&i);
            }
        }
        stats
    }
}

impl<R: Record> Drop for MemoryTable<R> {
    fn drop(&mut self) {
        let pending = self
            .slots
            .values()
            .filter(|s| s.touched && !matches!(Self::change_of(s), Ok(None)))
            .count();
        if pending > 0 {
            tracing::warn!(
                table = %R::schema().name,
                pending,
                "memory table dropped with {pending} pending changes: they are lost (flush before dropping)"
            );
        }
    }
}

/// A memory table as [`Flush`] sees it.
trait Unit: Send {
    fn schema(&self) -> &'static TableSchema;
    /// The pending changes, and the records that cannot be written at all
    /// (their check hook or conversion failed).
    /// `unit` is this table's place in the flush, handed back with each
    /// confirmation.
    fn changes(&mut self, unit: usize) -> (Vec<Change>, Vec<Failed>);
    /// Marks the confirmed changes clean.
    fn settle(&mut self, unit: usize, written: &mut Confirmed);
}

/// What a flush confirmed: table → key text → (the unit whose change was
/// written, the item now stored or `None` after a delete). The item is taken
/// by that unit; another unit whose change of the same key collapsed into it
/// (the last change wins) only learns that the key was written.
type Confirmed = HashMap<String, HashMap<String, (usize, Option<Item>)>>;

impl<R: Record> Unit for MemoryTable<R> {
    fn schema(&self) -> &'static TableSchema {
        R::schema()
    }

    fn changes(&mut self, unit: usize) -> (Vec<Change>, Vec<Failed>) {
        let table = R::schema().name.clone();
        let mut changes = Vec::new();
        let mut failed = Vec::new();
        self.prepared.clear();
        self.all_dirty = false;
        for (text, slot) in self.slots.iter_mut().filter(|(_, s)| s.touched) {
            match Self::change_of(slot) {
                Ok(None) => slot.touched = false,
                Ok(Some(mut prepared)) => {
                    changes.push(Change {
                        table: table.clone(),
                        key: slot.key.clone(),
                        key_text: text.clone(),
                        // The item moves to the flush, which hands it back
                        // once DynamoDB confirmed it.
                        op: match prepared.item.take() {
                            Some(i) => ChangeOp::Put(i),
                            None => ChangeOp::Delete,
                        },
                        version: prepared.version,
                        unit,
                    });
                    self.prepared.insert(text.clone(), prepared);
                }
                Err(error) => failed.push(Failed {
                    table: table.clone(),
                    key: slot.key.clone(),
                    item: slot.current.as_ref().and_then(|r| r.to_item().ok()),
                    error: crate::record::in_item_of::<R>(error, Some(&slot.key)),
                }),
            }
        }
        (changes, failed)
    }

    fn settle(&mut self, unit: usize, written: &mut Confirmed) {
        self.all_dirty = false;
        let Some(keys) = written.get_mut(&R::schema().name) else {
            self.prepared.clear();
            return;
        };
        for (text, p) in self.prepared.drain() {
            let Some((winner, item)) = keys.get_mut(&text) else {
                continue;
            };
            if let Some(slot) = self.slots.get_mut(&text) {
                slot.base = if *winner == unit {
                    match item.take() {
                        Some(i) => Base::Item(i),
                        None => Base::Absent,
                    }
                } else {
                    // Collapsed into another table's change: this one counts
                    // as written as it was (rare: computed again).
                    match &p.record {
                        Some(r) => r.to_item().map_or(Base::Unknown, Base::Item),
                        None => Base::Absent,
                    }
                };
                slot.current = p.record;
                slot.touched = false;
            }
        }
    }
}

/// Several memory tables flushed together, in one run of the flush engine:
/// `Flush::new(&db).table(&mut orders).table(&mut totals).run().await`.
pub struct Flush<'a> {
    db: Database,
    units: Vec<&'a mut dyn Unit>,
    options: FlushOptions,
}

impl std::fmt::Debug for Flush<'_> {
    /// The connection, the options, and how many tables are to be flushed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flush")
            .field("db", &self.db)
            .field("tables", &self.units.len())
            .field("options", &self.options)
            .finish()
    }
}

impl<'a> Flush<'a> {
    /// A flush on this connection, with the default [`FlushOptions`].
    pub fn new(db: &Database) -> Self {
        Flush {
            db: db.clone(),
            units: Vec::new(),
            options: FlushOptions::default(),
        }
    }

    /// Adds a memory table's pending changes.
    pub fn table<R: Record>(mut self, table: &'a mut MemoryTable<R>) -> Self {
        self.units.push(table);
        self
    }

    /// Writes with these options.
    pub fn options(mut self, options: FlushOptions) -> Self {
        self.options = options;
        self
    }

    /// Writes every pending change of every table. Confirmed changes become
    /// what the tables hold as read (versioned records take the version
    /// written); the rest stays pending and comes back in the error.
    pub async fn run(mut self) -> Result<FlushReport, FlushError> {
        let mut changes = Vec::new();
        let mut failed = Vec::new();
        for (i, unit) in self.units.iter_mut().enumerate() {
            let (c, f) = unit.changes(i);
            if !c.is_empty()
                && let Err(error) = self.db.ensure_table(unit.schema()).await
            {
                failed.extend(c.into_iter().map(|c| Failed {
                    table: c.table,
                    key: c.key,
                    item: match c.op {
                        ChangeOp::Put(i) => Some(i),
                        ChangeOp::Delete => None,
                    },
                    error: error.clone(),
                }));
                failed.extend(f);
                continue;
            }
            changes.extend(c);
            failed.extend(f);
        }
        let outcome = flush::write_all(&self.db, changes, &self.options).await;
        let mut written: Confirmed = HashMap::new();
        for w in outcome.written {
            written.entry(w.table).or_default().insert(w.key_text, (w.unit, w.item));
        }
        for (i, unit) in self.units.iter_mut().enumerate() {
            unit.settle(i, &mut written);
        }
        failed.extend(outcome.failed);
        if failed.is_empty() {
            Ok(outcome.report)
        } else {
            Err(FlushError {
                report: outcome.report,
                failed,
            })
        }
    }
}
