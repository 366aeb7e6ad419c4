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

use aws_sdk_dynamodb::types::{Capacity, ConsumedCapacity, ReturnConsumedCapacity};

use super::items::write_units;
use super::encoding::Stored;
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
            None => Charge { table: units, indexes: Vec::new() },
            Some(i) => Charge { table: 0.0, indexes: vec![(i, units)] },
        }
    }

    /// A write replacing an item whose index entries were `old` (of
    /// `old_size` bytes; no entries when there was no item) by one whose
    /// entries are `new` (of `new_size` bytes; no entries for a delete);
    /// the table is charged for `charged` bytes (the larger size).
    fn write(
        old: &[Option<PrimaryKey>],
        old_size: usize,
        new: &[Option<PrimaryKey>],
        new_size: usize,
        charged: usize,
    ) -> Charge {
        let mut charge = Charge { table: write_units(charged), indexes: Vec::new() };
        let len = old.len().max(new.len());
        for i in 0..len {
            let units = match (old.get(i).and_then(Option::as_ref), new.get(i).and_then(Option::as_ref)) {
                (Some(o), Some(n)) if o == n => write_units(old_size.max(new_size)),
                (Some(_), Some(_)) => write_units(old_size) + write_units(new_size),
                (Some(_), None) => write_units(old_size),
                (None, Some(_)) => write_units(new_size),
                (None, None) => continue,
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
    matches!(rcc, Some(ReturnConsumedCapacity::Total | ReturnConsumedCapacity::Indexes))
}

/// The item's entry key in each index of the table (`None` where it has none).
fn entries(meta: &TableMeta, item: &Item) -> Vec<Option<PrimaryKey>> {
    meta.indexes
        .iter()
        .map(|index| {
            keys::index_key(item, &index.name, &index.hash, index.range.as_ref())
                .ok()
                .flatten()
        })
        .collect()
}

/// The index entries of an item about to be put, when the request asked
/// for capacity (what [`put_charge`] needs once the item is stored).
pub(crate) fn new_entries(
    meta: &TableMeta,
    rcc: Option<&ReturnConsumedCapacity>,
    item: &Item,
) -> Option<Vec<Option<PrimaryKey>>> {
    asked(rcc).then(|| entries(meta, item))
}

/// The charge of a put, from the new item's index entries (from
/// [`new_entries`]; `None` when no capacity was asked for) and what it
/// replaced.
pub(crate) fn put_charge(
    meta: &TableMeta,
    new: Option<Vec<Option<PrimaryKey>>>,
    replaced: &Replaced,
) -> Option<Charge> {
    let new = new?;
    let old = match &replaced.old {
        Some(o) if !meta.indexes.is_empty() => entries(meta, &o.decode()),
        _ => Vec::new(),
    };
    Some(Charge::write(&old, replaced.old_size, &new, replaced.size, replaced.charged()))
}

/// The charge of a delete that removed `old` (if anything), when the
/// request asked for capacity.
pub(crate) fn delete_charge(
    meta: &TableMeta,
    rcc: Option<&ReturnConsumedCapacity>,
    old: Option<&Stored>,
) -> Option<Charge> {
    if !asked(rcc) {
        return None;
    }
    let entries = match old {
        Some(o) if !meta.indexes.is_empty() => entries(meta, &o.decode()),
        _ => Vec::new(),
    };
    let size = old.map_or(0, Stored::size);
    Some(Charge::write(&entries, size, &[], 0, size))
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
