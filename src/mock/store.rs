//! Storage: one ordered map of items per partition, and one ordered map per
//! secondary index pointing back at the table's items.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

use super::encoding::Stored;
use super::expiry::{self, ExpiryIndex};
use super::keys::{self, KeyValue, PrimaryKey};
use super::meta::TableMeta;
use super::streams::{Origin, StreamRef, StreamSink};
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

/// A table's partitions, by hash key value: in a hash map, so that reading
/// one item costs one hash and a probe or two however many partitions there
/// are (an ordered map of a million scattered keys costs a comparison, and
/// a cache miss, per level), and their keys in order, for scans (which go
/// in key order).
#[derive(Debug, Default, Clone)]
pub(crate) struct Partitions {
    /// By [`KeyValue::order_bytes`], which are equal exactly when the key
    /// values are (as the ordered map orders them).
    by_key: HashMap<Box<[u8]>, Partition>,
    /// The same keys, in key order.
    order: BTreeSet<KeyValue>,
}

impl Partitions {
    /// The partition of hash key value `hash`.
    pub(crate) fn get(&self, hash: &KeyValue) -> Option<&Partition> {
        self.by_key.get(hash.order_bytes())
    }

    /// The partition of `hash`, created empty if there is none.
    fn get_or_create(&mut self, hash: &KeyValue) -> &mut Partition {
        if !self.by_key.contains_key(hash.order_bytes()) {
            self.order.insert(hash.clone());
        }
        self.by_key.entry(hash.order_bytes().into()).or_default()
    }

    /// Removes `range` from the partition of `hash` (and the partition, when
    /// it is left empty).
    fn remove(&mut self, hash: &KeyValue, range: &Option<KeyValue>) -> Option<Stored> {
        let part = self.by_key.get_mut(hash.order_bytes())?;
        let old = part.remove(range)?;
        if part.is_empty() {
            self.by_key.remove(hash.order_bytes());
            self.order.remove(hash);
        }
        Some(old)
    }

    /// Every partition, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&KeyValue, &Partition)> {
        self.in_order(self.order.iter())
    }

    /// The partitions from `hash` on (`hash` included), in key order.
    pub(crate) fn starting_at(&self, hash: &KeyValue) -> impl Iterator<Item = (&KeyValue, &Partition)> {
        self.in_order(self.order.range((Bound::Included(hash), Bound::Unbounded)))
    }

    fn in_order<'a>(
        &'a self,
        keys: impl Iterator<Item = &'a KeyValue>,
    ) -> impl Iterator<Item = (&'a KeyValue, &'a Partition)> {
        keys.filter_map(|k| Some((k, self.by_key.get(k.order_bytes())?)))
    }
}

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
    /// Partitions by hash key value.
    pub partitions: Partitions,
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
    /// Point-in-time recovery: the writes since it was turned on (nothing
    /// while it is off), fed by [`TableData::put`] and [`TableData::delete`].
    pub history: super::pitr::History,
    /// The table's stream while enabled: [`TableData::put`] and
    /// [`TableData::delete`] append a record of each change to it.
    pub stream: Option<StreamSink>,
    /// The table's latest stream, enabled or not (`LatestStreamArn`).
    pub latest_stream: Option<StreamRef>,
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
            keys::index_key(item, index)?;
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
        self.history.record(&key, Some(&stored));
        let old = self.partitions.get_or_create(&key.0).insert(key.1.clone(), stored);
        let old_size = old.as_ref().map_or(0, Stored::size);
        if let Some((name, index)) = ttl {
            let expired = old.as_ref().and_then(|o| expiry::expiry(o.attribute(name).as_ref()));
            index.update(&key, expired, expires);
        }
        if old.is_none() {
            self.item_count += 1;
        }
        // The old item, decoded once, for the indexes and the stream alike.
        let old_item = old
            .as_ref()
            .filter(|_| !meta.indexes.is_empty() || self.stream.is_some())
            .map(Stored::decode);
        if let Some(old_item) = &old_item
            && !meta.indexes.is_empty()
        {
            // The new item's entries were added first: remove only the old
            // entries that are not also the new ones.
            index_replace(meta, &mut self.indexes, &key, old_item, &item, old_size);
        }
        self.size_bytes = (self.size_bytes + size).saturating_sub(old_size);
        if let Some(sink) = &self.stream {
            let keys = keys::key_item(&key, &meta.hash, meta.range.as_ref());
            sink.emit(keys, old_item, Some(&item), Origin::Request);
        }
        Replaced { old, size, old_size }
    }

    /// Removes the item with this key, returning it as stored.
    pub(crate) fn delete(&mut self, meta: &TableMeta, key: &PrimaryKey) -> Option<Stored> {
        self.remove(meta, key, Origin::Request)
    }

    /// Removes the item with this key because its TTL passed (its stream
    /// record says DynamoDB deleted it), returning it as stored.
    pub(crate) fn delete_expired(&mut self, meta: &TableMeta, key: &PrimaryKey) -> Option<Stored> {
        self.remove(meta, key, Origin::Ttl)
    }

    fn remove(&mut self, meta: &TableMeta, key: &PrimaryKey, origin: Origin) -> Option<Stored> {
        let old = self.partitions.remove(&key.0, &key.1)?;
        self.history.record(key, None);
        // The old item, decoded once, for the indexes and the stream alike.
        let old_item = (!meta.indexes.is_empty() || self.stream.is_some()).then(|| old.decode());
        self.item_count -= 1;
        self.size_bytes = self.size_bytes.saturating_sub(old.size());
        if let Some((name, index)) = meta.ttl.as_deref().zip(self.expiries.as_mut())
            && let Some(at) = expiry::expiry(old.attribute(name).as_ref())
        {
            index.remove(at, key);
        }
        if let Some(old_item) = &old_item
            && !meta.indexes.is_empty()
        {
            index_remove(meta, &mut self.indexes, key, old_item, old.size());
        }
        if let Some(sink) = &self.stream {
            let keys = keys::key_item(key, &meta.hash, meta.range.as_ref());
            sink.emit(keys, old_item, None, origin);
        }
        Some(old)
    }

    /// An expiry index of every item, for the TTL attribute `name` (when
    /// TTL is turned on).
    pub(crate) fn build_expiries(&self, name: &str) -> ExpiryIndex {
        let mut index = ExpiryIndex::default();
        for (h, part) in self.partitions.iter() {
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
        for (h, part) in self.partitions.iter() {
            for (r, stored) in part {
                let item = stored.decode();
                if let Ok(Some(ik)) = keys::index_key(&item, index) {
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
        if let Ok(Some(ik)) = keys::index_key(item, index) {
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
        if let Ok(Some(ik)) = keys::index_key(item, index)
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
        let old_key = keys::index_key(old, index).ok().flatten();
        let new_key = keys::index_key(new, index).ok().flatten();
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

#[cfg(test)]
mod tests {
    use super::super::testing::{item, n, s};
    use crate::schema::{KeyAttr, KeyType, TableSchema};
    use crate::sdk::*;
    use crate::{Item, MockBackend};

    fn pks(items: Option<Vec<Item>>) -> Vec<String> {
        items
            .unwrap_or_default()
            .iter()
            .map(|i| match i.get("pk") {
                Some(AttributeValue::N(v)) => v.clone(),
                other => panic!("no number pk: {other:?}"),
            })
            .collect()
    }

    fn scan_from(mock: &MockBackend, start: Option<&str>) -> Vec<String> {
        let input = ScanInput::builder()
            .table_name("nums")
            .set_exclusive_start_key(start.map(|v| item(vec![("pk", n(v))])))
            .build()
            .unwrap();
        pks(mock.scan_sync(input).unwrap().items)
    }

    /// Partitions live in a hash map by the key's order bytes, with their
    /// keys in order beside it: a key written another way (`10.0`) finds
    /// the partition of `10`, scans go in numeric key order from any start,
    /// and a partition left empty leaves both.
    #[test]
    fn partitions_are_found_by_value_and_scanned_in_key_order_after_writes_and_deletes() {
        let mock = MockBackend::new();
        let schema = TableSchema::new("nums", KeyAttr::new("pk", KeyType::N));
        mock.create_table_sync(schema.create_table_input("nums").unwrap())
            .unwrap();
        for pk in ["10", "-1", "2.5", "0", "-0.5"] {
            let put = PutItemInput::builder()
                .table_name("nums")
                .set_item(Some(item(vec![("pk", n(pk)), ("v", s(pk))])))
                .build()
                .unwrap();
            mock.put_item_sync(put).unwrap();
        }
        let get = |pk: &str| {
            let input = GetItemInput::builder()
                .table_name("nums")
                .set_key(Some(item(vec![("pk", n(pk))])))
                .build()
                .unwrap();
            mock.get_item_sync(input).unwrap().item
        };
        assert_eq!(get("10.0"), Some(item(vec![("pk", n("10")), ("v", s("10"))])));
        assert_eq!(get("1e1"), get("10"));
        assert_eq!(get("11"), None);
        assert_eq!(scan_from(&mock, None), ["-1", "-0.5", "0", "2.5", "10"]);
        let delete = DeleteItemInput::builder()
            .table_name("nums")
            .set_key(Some(item(vec![("pk", n("0"))])))
            .build()
            .unwrap();
        mock.delete_item_sync(delete).unwrap();
        assert_eq!(get("0"), None);
        assert_eq!(scan_from(&mock, None), ["-1", "-0.5", "2.5", "10"]);
        assert_eq!(scan_from(&mock, Some("-0.5")), ["2.5", "10"]);
        // A start key between partitions (the deleted one) goes on after it.
        assert_eq!(scan_from(&mock, Some("0")), ["2.5", "10"]);
    }
}
