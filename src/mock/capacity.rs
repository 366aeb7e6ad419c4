//! Consumed capacity, as DynamoDB Local reports it: `TOTAL` is the sum over
//! the table and the secondary indexes an operation touched; `INDEXES` adds
//! the breakdown (`Table`, `LocalSecondaryIndexes`, `GlobalSecondaryIndexes`).
//!
//! A read is charged to what it reads: the table (`GetItem`, a Query or Scan
//! of the table) or the index (a Query or Scan of an index, whose `Table`
//! share is then 0). A write is charged to the table and to every index
//! whose entry for the item it writes, moves or removes: one write of the
//! entry (an entry that stays under the same key, or appears, or goes), two
//! when its key changes (the old entry deleted, the new one put).
//! Transactions charge twice the units of the same non-transactional calls.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Capacity, ConsumedCapacity, ProjectionType, ReturnConsumedCapacity};

use super::encoding::Stored;
use super::items::write_units;
use super::keys::{self, PrimaryKey};
use super::meta::TableMeta;
use super::store::Replaced;
use crate::Item;

/// Units charged by one or more operations on one table, by what they touched.
#[derive(Debug, Clone, Default)]
pub(crate) struct Charge {
    /// Units charged to the table itself.
    table: f64,
    /// Units charged to secondary indexes, by index position in the table's metadata.
    indexes: Vec<(usize, f64)>,
}

impl Charge {
    /// A read of `units` from the table (`index` `None`) or from an index.
    pub(crate) fn read(index: Option<usize>, units: f64) -> Charge {
        match index {
            None => Charge {
                table: units,
                indexes: Vec::new(),
            },
            Some(i) => Charge {
                table: 0.0,
                indexes: vec![(i, units)],
            },
        }
    }

    /// A write replacing an item whose index entries were `old` (of
    /// `old_size` bytes; no entries when there was no item) by one whose
    /// entries are `new` (of `new_size` bytes; no entries for a delete);
    /// the table is charged for `charged` bytes (the larger size).
    ///
    /// An index is charged as DynamoDB Local charges it: an entry that
    /// appears or goes, one write; one whose key changes, two (a delete and
    /// a put); one that stays under its key, one write if what it projects
    /// changed, none otherwise; and, with no entry before or after, one
    /// write when the item had some of the index's own key attributes before
    /// and after, but not the same ones.
    fn write(old: &[Entry], old_size: usize, new: &[Entry], new_size: usize, charged: usize) -> Charge {
        let mut charge = Charge {
            table: write_units(charged),
            indexes: Vec::new(),
        };
        for i in 0..old.len().max(new.len()) {
            let (o, n) = (old.get(i), new.get(i));
            let units = match (o.and_then(|e| e.key.as_ref()), n.and_then(|e| e.key.as_ref())) {
                (Some(ok), Some(nk)) if ok == nk => {
                    if o.map(|e| &e.projected) == n.map(|e| &e.projected) {
                        continue;
                    }
                    write_units(old_size.max(new_size))
                }
                (Some(_), Some(_)) => write_units(old_size) + write_units(new_size),
                (Some(_), None) => write_units(old_size),
                (None, Some(_)) => write_units(new_size),
                // Neither in the index, but both carry some of its own key
                // attributes, not the same ones, and together all of them:
                // DynamoDB Local writes once. (With a key of two attributes,
                // any two different non-empty parts cover it.)
                (None, None) => {
                    let present = |e: Option<&Entry>| {
                        e.map(|e| e.key_values.iter().map(Option::is_some).collect::<Vec<bool>>())
                            .filter(|p| p.contains(&true))
                    };
                    match (present(o), present(n)) {
                        (Some(a), Some(b)) if a != b && a.iter().zip(&b).all(|(x, y)| *x || *y) => {
                            write_units(old_size.max(new_size))
                        }
                        _ => continue,
                    }
                }
            };
            charge.indexes.push((i, units));
        }
        charge
    }

    /// The same charge, `factor` times (2 for a transaction).
    pub(crate) fn times(mut self, factor: f64) -> Charge {
        self.table *= factor;
        self.indexes.iter_mut().for_each(|(_, u)| *u *= factor);
        self
    }

    /// Adds `other` (of the same table) to this charge.
    pub(crate) fn add(&mut self, other: Charge) {
        self.table += other.table;
        for (i, units) in other.indexes {
            match self.indexes.iter_mut().find(|(j, _)| *j == i) {
                Some((_, u)) => *u += units,
                None => self.indexes.push((i, units)),
            }
        }
    }

    /// The table's and every index's units together.
    fn total(&self) -> f64 {
        self.table + self.indexes.iter().map(|(_, u)| u).sum::<f64>()
    }

    /// The `ConsumedCapacity` of this charge, when the request asked for it.
    pub(crate) fn report(&self, meta: &TableMeta, rcc: Option<&ReturnConsumedCapacity>) -> Option<ConsumedCapacity> {
        let indexes = match rcc {
            Some(ReturnConsumedCapacity::Total) => false,
            Some(ReturnConsumedCapacity::Indexes) => true,
            _ => return None,
        };
        let mut b = ConsumedCapacity::builder()
            .table_name(&meta.name)
            .capacity_units(self.total());
        if indexes {
            b = b.table(Capacity::builder().capacity_units(self.table).build());
            let mut lsis = HashMap::new();
            let mut gsis = HashMap::new();
            for &(i, units) in &self.indexes {
                if let Some(index) = meta.indexes.get(i) {
                    let to = if index.global { &mut gsis } else { &mut lsis };
                    to.insert(index.name.clone(), Capacity::builder().capacity_units(units).build());
                }
            }
            b = b
                .set_local_secondary_indexes((!lsis.is_empty()).then_some(lsis))
                .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis));
        }
        Some(b.build())
    }
}

/// What a transaction's action costs, as a multiple of the same call outside one.
pub(crate) const TRANSACTION_FACTOR: f64 = 2.0;

/// The charge of a transaction's ConditionCheck reading `item` (if any),
/// before [`TRANSACTION_FACTOR`]: a strongly consistent read of the table.
pub(crate) fn check_charge(rcc: Option<&ReturnConsumedCapacity>, item: Option<&Stored>) -> Option<Charge> {
    asked(rcc).then(|| Charge::read(None, super::items::read_units(item.map_or(0, Stored::size), true)))
}

/// Whether the request asked for capacity.
fn asked(rcc: Option<&ReturnConsumedCapacity>) -> bool {
    matches!(
        rcc,
        Some(ReturnConsumedCapacity::Total | ReturnConsumedCapacity::Indexes)
    )
}

/// What an item is to one index: its entry's key (`None` when it has no
/// entry), the values of the index's own key attributes (not the table's),
/// and those of the attributes the index projects (all of them for `ALL`).
#[derive(Debug, PartialEq)]
pub(crate) struct Entry {
    key: Option<PrimaryKey>,
    key_values: Vec<Option<AttributeValue>>,
    projected: Vec<(String, AttributeValue)>,
}

/// The item's [`Entry`] in each index of the table.
fn entries(meta: &TableMeta, item: &Item) -> Vec<Entry> {
    meta.indexes
        .iter()
        .map(|index| {
            let key = keys::index_key(item, index).ok().flatten();
            let table_key = |n: &str| n == meta.hash.name || meta.range.as_ref().is_some_and(|r| r.name == n);
            let key_values = index
                .key_attrs()
                .filter(|k| !table_key(&k.name))
                .map(|k| item.get(&k.name).cloned())
                .collect();
            let mut projected: Vec<(String, AttributeValue)> = match index.projection.projection_type() {
                Some(ProjectionType::All) => item.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                Some(ProjectionType::Include) => index
                    .projection
                    .non_key_attributes()
                    .iter()
                    .filter_map(|n| item.get(n).map(|v| (n.clone(), v.clone())))
                    .collect(),
                _ => Vec::new(),
            };
            projected.sort_by(|a, b| a.0.cmp(&b.0));
            Entry {
                key,
                key_values,
                projected,
            }
        })
        .collect()
}

/// The index entries of an item about to be put, when the request asked
/// for capacity (what [`put_charge`] needs once the item is stored).
pub(crate) fn new_entries(meta: &TableMeta, rcc: Option<&ReturnConsumedCapacity>, item: &Item) -> Option<Vec<Entry>> {
    asked(rcc).then(|| entries(meta, item))
}

/// The charge of a put, from the new item's index entries (from
/// [`new_entries`]; `None` when no capacity was asked for) and what it
/// replaced.
pub(crate) fn put_charge(meta: &TableMeta, new: Option<Vec<Entry>>, replaced: &Replaced) -> Option<Charge> {
    let new = new?;
    let old = match &replaced.old {
        Some(o) if !meta.indexes.is_empty() => entries(meta, &o.decode()),
        _ => Vec::new(),
    };
    Some(Charge::write(
        &old,
        replaced.old_size,
        &new,
        replaced.size,
        replaced.charged(),
    ))
}

/// What deleting an item that is not there costs, by the call that does it:
/// DynamoDB Local charges a write unit for DeleteItem, two for each such
/// request of a BatchWriteItem, and one (not doubled) for a transaction's
/// Delete.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DeleteCall {
    /// `DeleteItem`.
    Single,
    /// A `DeleteRequest` of `BatchWriteItem`.
    Batch,
    /// A `Delete` of `TransactWriteItems`, before [`TRANSACTION_FACTOR`].
    Transaction,
}

impl DeleteCall {
    /// The units of deleting nothing, before any transaction factor.
    fn missing_units(self) -> f64 {
        match self {
            DeleteCall::Single => 1.0,
            DeleteCall::Batch => 2.0,
            DeleteCall::Transaction => 1.0 / TRANSACTION_FACTOR,
        }
    }
}

/// The charge of a delete that removed `old` (if anything), when the
/// request asked for capacity.
pub(crate) fn delete_charge(
    meta: &TableMeta,
    rcc: Option<&ReturnConsumedCapacity>,
    old: Option<&Stored>,
    call: DeleteCall,
) -> Option<Charge> {
    if !asked(rcc) {
        return None;
    }
    let Some(old) = old else {
        return Some(Charge {
            table: call.missing_units(),
            indexes: Vec::new(),
        });
    };
    let entries = if meta.indexes.is_empty() {
        Vec::new()
    } else {
        entries(meta, &old.decode())
    };
    Some(Charge::write(&entries, old.size(), &[], 0, old.size()))
}

/// Per-table charges, in table-name order, as a `ConsumedCapacity` list
/// (`None` when the request did not ask for capacity).
pub(crate) fn report_all<'m>(
    charges: impl IntoIterator<Item = (&'m TableMeta, Charge)>,
    rcc: Option<&ReturnConsumedCapacity>,
) -> Option<Vec<ConsumedCapacity>> {
    let mut by_table: std::collections::BTreeMap<&str, (&TableMeta, Charge)> = Default::default();
    for (meta, charge) in charges {
        by_table
            .entry(meta.name.as_str())
            .or_insert_with(|| (meta, Charge::default()))
            .1
            .add(charge);
    }
    let list: Vec<ConsumedCapacity> = by_table.values().filter_map(|(m, c)| c.report(m, rcc)).collect();
    (!list.is_empty()).then_some(list)
}
