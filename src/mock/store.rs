//! Storage: one ordered map of items per partition, and one ordered map per
//! secondary index pointing back at the table's items.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, btree_map};
use std::ops::{Bound, RangeBounds};

use super::encoding::Stored;
use super::expiry::{self, ExpiryIndex};
use super::keys::{self, KeyBytes, KeyValue, PrimaryKey};
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

/// A small ordered map: no entry, one entry inline, or a `BTreeMap` of two
/// or more. Most partitions (all of a hash-only table's, and most index
/// partitions) hold one entry, which then costs its own size rather than a
/// whole B-tree leaf (eleven slots) and a pointer to chase.
#[derive(Debug, Clone, Default)]
pub(crate) enum SmallMap<K, V> {
    /// No entry.
    #[default]
    Empty,
    /// Exactly one entry.
    One(K, V),
    /// Two or more entries (never fewer: removing the second last goes back
    /// to [`SmallMap::One`]).
    Many(BTreeMap<K, V>),
}

/// Keys are told apart by their order (`Ord`), as `BTreeMap` does: a number
/// key compares by its order bytes alone, one read, where `==` would read
/// its text as well.
impl<K: Ord, V> SmallMap<K, V> {
    /// The value of `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self {
            SmallMap::Empty => None,
            SmallMap::One(k, v) => k.cmp(key).is_eq().then_some(v),
            SmallMap::Many(map) => map.get(key),
        }
    }

    /// Sets `key` to `value`, returning the value it replaced.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        if let SmallMap::Many(map) = self {
            return map.insert(key, value);
        }
        let (map, old) = match std::mem::take(self) {
            SmallMap::One(k, v) if k.cmp(&key).is_eq() => (SmallMap::One(k, value), Some(v)),
            SmallMap::One(k, v) => (SmallMap::Many(BTreeMap::from([(k, v), (key, value)])), None),
            // Empty (Many returned above).
            _ => (SmallMap::One(key, value), None),
        };
        *self = map;
        old
    }

    /// Removes `key`, returning its value.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        match self {
            SmallMap::Empty => None,
            SmallMap::One(k, _) if K::cmp(k, key).is_ne() => None,
            SmallMap::One(..) => match std::mem::take(self) {
                SmallMap::One(_, v) => Some(v),
                other => {
                    *self = other;
                    None
                }
            },
            SmallMap::Many(map) => {
                let old = map.remove(key)?;
                if map.len() == 1
                    && let Some((k, v)) = map.pop_first()
                {
                    *self = SmallMap::One(k, v);
                }
                Some(old)
            }
        }
    }

    /// Whether there is no entry.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, SmallMap::Empty)
    }

    /// Every entry, in key order (reversible).
    pub(crate) fn iter(&self) -> Iter<'_, K, V> {
        self.range(..)
    }

    /// The entries within `bounds`, in key order (reversible). Unlike
    /// `BTreeMap::range`, an empty or inverted range only yields nothing
    /// when the map has one entry: callers still check their bounds.
    pub(crate) fn range<R: RangeBounds<K>>(&self, bounds: R) -> Iter<'_, K, V> {
        match self {
            SmallMap::Empty => Iter::One(None),
            SmallMap::One(k, v) => Iter::One(bounds.contains(k).then_some((k, v))),
            SmallMap::Many(map) => Iter::Many(map.range(bounds)),
        }
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

/// The entries of a [`SmallMap`] (or of a range of it), in key order.
#[derive(Debug)]
pub(crate) enum Iter<'a, K, V> {
    /// The one entry, if it is in range (`None` once taken).
    One(Option<(&'a K, &'a V)>),
    /// The entries of a [`SmallMap::Many`].
    Many(btree_map::Range<'a, K, V>),
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<(&'a K, &'a V)> {
        match self {
            Iter::One(one) => one.take(),
            Iter::Many(range) => range.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::One(one) => (usize::from(one.is_some()), Some(usize::from(one.is_some()))),
            Iter::Many(range) => range.size_hint(),
        }
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::One(one) => one.take(),
            Iter::Many(range) => range.next_back(),
        }
    }
}

/// Items of one partition, by range key (`None` for hash-only tables),
/// encoded.
pub(crate) type Partition = SmallMap<Option<KeyValue>, Stored>;

/// The hasher of the storage's internal hash maps: keys are hashed by the
/// map's own per-process seed, faster than the standard SipHash (most of
/// the cost of finding a partition).
type Hasher = foldhash::fast::RandomState;

/// A table's partitions, by hash key value: in a hash map, so that reading
/// one item costs one hash and a probe or two however many partitions there
/// are (an ordered map of a million scattered keys costs a comparison, and
/// a cache miss, per level), and their keys in order, for scans (which go
/// in key order).
#[derive(Debug, Default, Clone)]
pub(crate) struct Partitions {
    /// By [`KeyValue::order_bytes`], which are equal exactly when the key
    /// values are (as the ordered map orders them).
    by_key: HashMap<KeyBytes, Partition, Hasher>,
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
        match self.by_key.entry(KeyBytes::new(hash.order_bytes())) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                self.order.insert(hash.clone());
                e.insert(Partition::default())
            }
        }
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

/// The entries of one index partition, in index order.
pub(crate) type IndexPartition = SmallMap<IndexEntry, ()>;

/// One secondary index's entries, partitioned by the index hash key.
#[derive(Debug, Default, Clone)]
pub(crate) struct IndexData {
    /// Index partitions: index hash value → (index range value, table key).
    pub partitions: BTreeMap<KeyValue, IndexPartition>,
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
    pub(crate) fn put(&mut self, meta: &TableMeta, key: PrimaryKey, item: &Item, size: usize) -> Replaced {
        let stored = Stored::encode(item, size);
        let ttl = meta.ttl.as_deref().zip(self.expiries.as_mut());
        let expires = ttl.as_ref().and_then(|(name, _)| expiry::expiry(item.get(*name)));
        if !meta.indexes.is_empty() {
            index_insert(meta, &mut self.indexes, &key, item, size);
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
            index_replace(meta, &mut self.indexes, &key, old_item, item, old_size);
        }
        self.size_bytes = (self.size_bytes + size).saturating_sub(old_size);
        if let Some(sink) = &self.stream {
            let keys = keys::key_item(&key, &meta.hash, meta.range.as_ref());
            sink.emit(keys, old_item, Some(item), Origin::Request);
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
    use std::ops::Bound;

    use super::super::testing::{item, n, s};
    use super::{Partition, SmallMap};
    use crate::mock::keys::KeyBytes;
    use crate::schema::{IndexSchema, KeyAttr, KeyType, TableSchema};
    use crate::sdk::*;
    use crate::{Item, MockBackend};

    fn entries(map: &SmallMap<u32, &'static str>) -> Vec<(u32, &'static str)> {
        map.iter().map(|(k, v)| (*k, *v)).collect()
    }

    /// The first insert holds the entry inline, the second moves both into
    /// a B-tree, and removing the second last goes back to one inline
    /// entry, then to none: every step answers as a map would.
    #[test]
    fn a_small_map_goes_from_one_inline_entry_to_a_tree_and_back_to_one_and_none() {
        let mut map = SmallMap::default();
        assert!(map.is_empty());
        assert_eq!(map.insert(5, "five"), None);
        assert!(matches!(map, SmallMap::One(5, "five")));
        assert_eq!((map.get(&5), map.get(&6)), (Some(&"five"), None));
        // Replacing the one entry keeps it inline and returns the old value.
        assert_eq!(map.insert(5, "FIVE"), Some("five"));
        assert!(matches!(map, SmallMap::One(5, "FIVE")));
        // A second key: a tree of both, in key order whatever the insert order.
        assert_eq!(map.insert(2, "two"), None);
        assert!(matches!(&map, SmallMap::Many(m) if m.len() == 2));
        assert_eq!(entries(&map), [(2, "two"), (5, "FIVE")]);
        assert_eq!(map.insert(2, "TWO"), Some("two"));
        assert_eq!(map.remove(&9), None);
        // Back to one: inline again, the one left is the other key.
        assert_eq!(map.remove(&5), Some("FIVE"));
        assert!(matches!(map, SmallMap::One(2, "TWO")));
        assert_eq!(map.remove(&5), None);
        assert_eq!(entries(&map), [(2, "TWO")]);
        // The last one: empty.
        assert_eq!(map.remove(&2), Some("TWO"));
        assert!(map.is_empty());
        assert_eq!(map.get(&2), None);
        assert_eq!(map.remove(&2), None);
        assert_eq!(entries(&map), []);
    }

    /// Ranges and iteration go in key order both ways, with the same
    /// entries for one entry inline as for a tree (and nothing when empty).
    #[test]
    fn a_small_map_ranges_in_key_order_both_ways_with_one_entry_or_several() {
        let mut map: SmallMap<u32, &str> = SmallMap::default();
        let range = |map: &SmallMap<u32, &'static str>, lo: Bound<u32>, hi: Bound<u32>, rev: bool| {
            let it = map.range((lo, hi)).map(|(k, _)| *k);
            if rev {
                it.rev().collect::<Vec<_>>()
            } else {
                it.collect()
            }
        };
        assert_eq!(range(&map, Bound::Unbounded, Bound::Unbounded, false), [] as [u32; 0]);
        map.insert(5, "five");
        assert_eq!(range(&map, Bound::Unbounded, Bound::Unbounded, false), [5]);
        assert_eq!(range(&map, Bound::Unbounded, Bound::Unbounded, true), [5]);
        assert_eq!(range(&map, Bound::Included(5), Bound::Included(5), false), [5]);
        assert_eq!(range(&map, Bound::Excluded(5), Bound::Unbounded, false), [] as [u32; 0]);
        assert_eq!(range(&map, Bound::Unbounded, Bound::Excluded(5), true), [] as [u32; 0]);
        assert_eq!(range(&map, Bound::Included(6), Bound::Unbounded, false), [] as [u32; 0]);
        assert_eq!(map.iter().size_hint(), (1, Some(1)));
        // The one entry is yielded once, from either end.
        let mut it = map.iter();
        assert_eq!((it.next_back().map(|(k, _)| *k), it.next()), (Some(5), None));
        for k in [9, 1, 3, 7] {
            map.insert(k, "");
        }
        assert_eq!(range(&map, Bound::Unbounded, Bound::Unbounded, false), [1, 3, 5, 7, 9]);
        assert_eq!(range(&map, Bound::Unbounded, Bound::Unbounded, true), [9, 7, 5, 3, 1]);
        assert_eq!(range(&map, Bound::Excluded(3), Bound::Included(7), false), [5, 7]);
        assert_eq!(range(&map, Bound::Included(3), Bound::Excluded(7), true), [5, 3]);
        assert_eq!(range(&map, Bound::Excluded(5), Bound::Unbounded, false), [7, 9]);
        assert_eq!(range(&map, Bound::Unbounded, Bound::Excluded(5), true), [3, 1]);
        let pairs: Vec<(u32, &str)> = (&map).into_iter().map(|(k, v)| (*k, *v)).take(1).collect();
        assert_eq!(pairs, [(1, "")]);
    }

    /// A one-item partition costs its item and key inline, not a B-tree
    /// leaf of eleven slots (about 800 bytes); a key of the hash map is
    /// the size of a boxed slice.
    #[test]
    fn a_partition_of_one_item_is_the_size_of_its_key_and_item() {
        use super::super::encoding::Stored;
        use super::super::keys::KeyValue;
        let one = size_of::<Option<KeyValue>>() + size_of::<Stored>();
        assert_eq!(size_of::<Partition>(), one);
        assert_eq!(size_of::<KeyBytes>(), 24);
    }

    /// Key bytes up to 22 long are held inline and longer ones on the heap:
    /// either way equal (and hashed) exactly as their bytes are.
    #[test]
    fn key_bytes_are_inline_up_to_22_bytes_and_compare_as_their_bytes() {
        use std::hash::BuildHasher;
        let hasher = super::Hasher::default();
        for len in [0, 1, 21, 22, 23, 200] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let key = KeyBytes::new(&bytes);
            assert_eq!(matches!(key, KeyBytes::Inline { .. }), len <= 22, "len {len}");
            assert_eq!(key.as_bytes(), &bytes[..]);
            assert_eq!(hasher.hash_one(&key), hasher.hash_one(&bytes[..]));
            let mut other = bytes.clone();
            other.push(0);
            assert_ne!(key, KeyBytes::new(&other));
        }
    }

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

    fn query_sks(mock: &MockBackend, index: Option<&str>, hash: (&str, &str), forward: bool) -> Vec<String> {
        // One item a page, so that every page starts after the last one's key.
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let input = QueryInput::builder()
                .table_name("parts")
                .set_index_name(index.map(str::to_string))
                .key_condition_expression("#h = :h")
                .expression_attribute_names("#h", hash.0)
                .expression_attribute_values(":h", s(hash.1))
                .scan_index_forward(forward)
                .limit(1)
                .set_exclusive_start_key(start)
                .build()
                .unwrap();
            let page = mock.query_sync(input).unwrap();
            for it in page.items.unwrap_or_default() {
                match it.get("sk") {
                    Some(AttributeValue::N(v)) => out.push(v.clone()),
                    other => panic!("no number sk: {other:?}"),
                }
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                return out;
            }
        }
    }

    /// A partition (of the table, and of an index) goes from one item held
    /// inline to several and back: queries page through it in range-key
    /// order both ways at every step, and a scan skips it once it is empty.
    #[test]
    fn a_partition_of_one_item_then_two_then_one_again_queries_and_scans_in_key_order() {
        let mock = MockBackend::new();
        let schema = TableSchema::new("parts", KeyAttr::new("pk", KeyType::S))
            .range(KeyAttr::new("sk", KeyType::N))
            .global_index(
                IndexSchema::new("by_g", KeyAttr::new("g", KeyType::S)).range(KeyAttr::new("sk", KeyType::N)),
            );
        mock.create_table_sync(schema.create_table_input("parts").unwrap())
            .unwrap();
        let put = |pk: &str, sk: &str| {
            let input = PutItemInput::builder()
                .table_name("parts")
                .set_item(Some(item(vec![("pk", s(pk)), ("sk", n(sk)), ("g", s("G"))])))
                .build()
                .unwrap();
            mock.put_item_sync(input).unwrap();
        };
        let delete = |pk: &str, sk: &str| {
            let input = DeleteItemInput::builder()
                .table_name("parts")
                .set_key(Some(item(vec![("pk", s(pk)), ("sk", n(sk))])))
                .build()
                .unwrap();
            mock.delete_item_sync(input).unwrap();
        };
        let scan = || -> Vec<(String, String)> {
            let input = ScanInput::builder().table_name("parts").build().unwrap();
            let items = mock.scan_sync(input).unwrap().items.unwrap_or_default();
            items
                .iter()
                .map(|i| match (i.get("pk"), i.get("sk")) {
                    (Some(AttributeValue::S(p)), Some(AttributeValue::N(k))) => (p.clone(), k.clone()),
                    other => panic!("no key: {other:?}"),
                })
                .collect()
        };
        put("a", "5");
        put("b", "1");
        assert_eq!(query_sks(&mock, None, ("pk", "a"), true), ["5"]);
        assert_eq!(query_sks(&mock, None, ("pk", "a"), false), ["5"]);
        put("a", "-2");
        put("a", "10");
        assert_eq!(query_sks(&mock, None, ("pk", "a"), true), ["-2", "5", "10"]);
        assert_eq!(query_sks(&mock, None, ("pk", "a"), false), ["10", "5", "-2"]);
        assert_eq!(query_sks(&mock, Some("by_g"), ("g", "G"), true), ["-2", "1", "5", "10"]);
        assert_eq!(
            query_sks(&mock, Some("by_g"), ("g", "G"), false),
            ["10", "5", "1", "-2"]
        );
        delete("a", "5");
        delete("a", "-2");
        assert_eq!(query_sks(&mock, None, ("pk", "a"), true), ["10"]);
        assert_eq!(query_sks(&mock, None, ("pk", "a"), false), ["10"]);
        assert_eq!(scan(), [("a".into(), "10".into()), ("b".into(), "1".into())]);
        assert_eq!(query_sks(&mock, Some("by_g"), ("g", "G"), false), ["10", "1"]);
        delete("a", "10");
        assert_eq!(query_sks(&mock, None, ("pk", "a"), true), [] as [&str; 0]);
        assert_eq!(scan(), [("b".to_string(), "1".to_string())]);
        assert_eq!(query_sks(&mock, Some("by_g"), ("g", "G"), true), ["1"]);
        delete("b", "1");
        assert_eq!(query_sks(&mock, Some("by_g"), ("g", "G"), true), [] as [&str; 0]);
        assert_eq!(scan(), []);
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
