//! Storage: one ordered map of items per partition, and one ordered map per
//! secondary index pointing back at the table's items.

use std::collections::BTreeMap;

use super::encoding::Stored;
use super::expiry::{self, ExpiryIndex};
use super::keys::{self, KeyValue, PrimaryKey};
use super::meta::TableMeta;
use crate::{Error, Item};

/// What a put replaced, and the sizes involved (for capacity units).
#[derive(Debug)]
pub(crate) struct Replaced {
    /// The item replaced, if any (decode it with `Stored::decode`).
    pub old: Option<Stored>,
    /// Size of the new item in bytes.
    pub size: usize,
    /// Size of the replaced item in bytes (0 when none).
    pub old_size: usize,
}

impl Replaced {
    /// The larger of the two sizes: what a write is charged for.
    pub(crate) fn charged(&self) -> usize {
        self.size.max(self.old_size)
    }
}

/// Items of one partition, by range key (`None` for hash-only tables),
/// encoded.
pub(crate) type Partition = BTreeMap<Option<KeyValue>, Stored>;

/// An index entry: its sort position, then the table key of the item.
pub(crate) type IndexEntry = (Option<KeyValue>, PrimaryKey);

/// One secondary index's entries, partitioned by the index hash key.
#[derive(Debug, Default, Clone)]
pub(crate) struct IndexData {
    /// Index partitions: index hash value → (index range value, table key).
    pub partitions: BTreeMap<KeyValue, BTreeMap<IndexEntry, ()>>,
    /// Number of items in the index.
    pub item_count: usize,
    /// Bytes of the items in the index (their full size, as an upper bound).
    pub size_bytes: usize,
}

/// A table's items and its indexes' entries.
#[derive(Debug, Default, Clone)]
pub(crate) struct TableData {
    /// Partitions by hash key value, in key order.
    pub partitions: BTreeMap<KeyValue, Partition>,
    /// One entry per index of the table's metadata, in the same order.
    pub indexes: Vec<IndexData>,
    /// Number of items.
    pub item_count: usize,
    /// Total item size in bytes.
    pub size_bytes: usize,
    /// The items by expiry time, while TTL is on (`meta.ttl` names the
    /// attribute): kept up to date by [`TableData::put`] and
    /// [`TableData::delete`].
    pub expiries: Option<ExpiryIndex>,
}

impl TableData {
    /// Empty storage for a table with `indexes` secondary indexes.
    pub(crate) fn new(indexes: usize) -> TableData {
        TableData {
            indexes: vec![IndexData::default(); indexes],
            ..TableData::default()
        }
    }

    /// The item with this key.
    pub(crate) fn get(&self, key: &PrimaryKey) -> Option<Item> {
        self.stored(key).map(Stored::decode)
    }

    /// The item with this key, as stored.
    pub(crate) fn stored(&self, key: &PrimaryKey) -> Option<&Stored> {
        self.partitions.get(&key.0)?.get(&key.1)
    }

    /// Checks that an item can go into every index (key attribute types)
    /// before anything is written.
    pub(crate) fn check_index_keys(meta: &TableMeta, item: &Item) -> Result<(), Error> {
        for index in &meta.indexes {
            keys::index_key(item, &index.name, &index.hash, index.range.as_ref())?;
        }
        Ok(())
    }

    /// Stores `item` (of `size` bytes) under `key` (already validated, index
    /// keys checked), returning what it replaced.
    pub(crate) fn put(&mut self, meta: &TableMeta, key: PrimaryKey, item: Item, size: usize) -> Replaced {
        let stored = Stored::encode(&item, size);
        let ttl = meta.ttl.as_deref().zip(self.expiries.as_mut());
        let expires = ttl.as_ref().and_then(|(name, _)| expiry::expiry(item.get(*name)));
        if !meta.indexes.is_empty() {
            index_insert(meta, &mut self.indexes, &key, &item, size);
        }
        let old = self
            .partitions
            .entry(key.0.clone())
            .or_default()
            .insert(key.1.clone(), stored);
        let old_size = old.as_ref().map_or(0, Stored::size);
        if let Some((name, index)) = ttl {
            let expired = old.as_ref().and_then(|o| expiry::expiry(o.attribute(name).as_ref()));
            index.update(&key, expired, expires);
        }
        match &old {
            Some(o) if !meta.indexes.is_empty() => {
                // The new item's entries were added first: remove only the
                // old entries that are not also the new ones.
                let old_item = o.decode();
                index_replace(meta, &mut self.indexes, &key, &old_item, &item, old_size);
            }
            Some(_) => {}
            None => self.item_count += 1,
        }
        self.size_bytes = (self.size_bytes + size).saturating_sub(old_size);
        Replaced { old, size, old_size }
    }

    /// Removes the item with this key, returning it as stored.
    pub(crate) fn delete(&mut self, meta: &TableMeta, key: &PrimaryKey) -> Option<Stored> {
        let part = self.partitions.get_mut(&key.0)?;
        let old = part.remove(&key.1)?;
        if part.is_empty() {
            self.partitions.remove(&key.0);
        }
        self.item_count -= 1;
        self.size_bytes = self.size_bytes.saturating_sub(old.size());
        if let Some((name, index)) = meta.ttl.as_deref().zip(self.expiries.as_mut())
            && let Some(at) = expiry::expiry(old.attribute(name).as_ref())
        {
            index.remove(at, key);
        }
        if !meta.indexes.is_empty() {
            index_remove(meta, &mut self.indexes, key, &old.decode(), old.size());
        }
        Some(old)
    }

    /// An expiry index of every item, for the TTL attribute `name` (when
    /// TTL is turned on).
    pub(crate) fn build_expiries(&self, name: &str) -> ExpiryIndex {
        let mut index = ExpiryIndex::default();
        for (h, part) in &self.partitions {
            for (r, stored) in part {
                if let Some(at) = expiry::expiry(stored.attribute(name).as_ref()) {
                    index.insert(at, (h.clone(), r.clone()));
                }
            }
        }
        index
    }

    /// Builds the entries of index `i` from every item (a GSI added by
    /// UpdateTable).
    pub(crate) fn backfill_index(&mut self, meta: &TableMeta, i: usize) {
        let index = &meta.indexes[i];
        let mut data = IndexData::default();
        for (h, part) in &self.partitions {
            for (r, stored) in part {
                let item = stored.decode();
                if let Ok(Some(ik)) = keys::index_key(&item, &index.name, &index.hash, index.range.as_ref()) {
                    data.partitions
                        .entry(ik.0)
                        .or_default()
                        .insert((ik.1, (h.clone(), r.clone())), ());
                    data.item_count += 1;
                    data.size_bytes += stored.size();
                }
            }
        }
        self.indexes[i] = data;
    }
}

fn index_insert(meta: &TableMeta, indexes: &mut [IndexData], key: &PrimaryKey, item: &Item, size: usize) {
    for (index, data) in meta.indexes.iter().zip(indexes.iter_mut()) {
        if let Ok(Some(ik)) = keys::index_key(item, &index.name, &index.hash, index.range.as_ref()) {
            let fresh = data
                .partitions
                .entry(ik.0)
                .or_default()
                .insert((ik.1, key.clone()), ())
                .is_none();
            if fresh {
                data.item_count += 1;
            }
            data.size_bytes += size;
        }
    }
}

fn index_remove(meta: &TableMeta, indexes: &mut [IndexData], key: &PrimaryKey, item: &Item, size: usize) {
    for (index, data) in meta.indexes.iter().zip(indexes.iter_mut()) {
        if let Ok(Some(ik)) = keys::index_key(item, &index.name, &index.hash, index.range.as_ref())
            && let Some(part) = data.partitions.get_mut(&ik.0)
            && part.remove(&(ik.1, key.clone())).is_some()
        {
            data.item_count -= 1;
            data.size_bytes = data.size_bytes.saturating_sub(size);
            if part.is_empty() {
                data.partitions.remove(&ik.0);
            }
        }
    }
}

/// Moves an item's index entries from `old` to `new` (whose entries are
/// already in): removes the old entries the new item does not also have.
fn index_replace(
    meta: &TableMeta,
    indexes: &mut [IndexData],
    key: &PrimaryKey,
    old: &Item,
    new: &Item,
    old_size: usize,
) {
    for (index, data) in meta.indexes.iter().zip(indexes.iter_mut()) {
        let old_key = keys::index_key(old, &index.name, &index.hash, index.range.as_ref())
            .ok()
            .flatten();
        let new_key = keys::index_key(new, &index.name, &index.hash, index.range.as_ref())
            .ok()
            .flatten();
        match (old_key, new_key) {
            (Some(o), Some(n)) if o == n => {
                // Same entry: the item count stays, the size moves.
                data.size_bytes = data.size_bytes.saturating_sub(old_size);
            }
            (Some(o), _) => {
                if let Some(part) = data.partitions.get_mut(&o.0)
                    && part.remove(&(o.1, key.clone())).is_some()
                {
                    data.item_count -= 1;
                    data.size_bytes = data.size_bytes.saturating_sub(old_size);
                    if part.is_empty() {
                        data.partitions.remove(&o.0);
                    }
                }
            }
            (None, _) => {}
        }
    }
}
