//! BatchGetItem and BatchWriteItem, with DynamoDB's limits.

use std::collections::{HashMap, HashSet};

use super::capacity::{Charge, DeleteCall, delete_charge, new_entries, put_charge};
use super::catalog::{Catalog, TableRef};
use super::items::{capacity, check_new_item, null, read_units, v};
use super::keys::{self, PrimaryKey};
use crate::sdk::*;
use crate::{Error, Item};

/// Most keys one BatchGetItem may ask for.
pub(crate) const MAX_BATCH_GET: usize = 100;
/// Most requests one BatchWriteItem may carry.
pub(crate) const MAX_BATCH_WRITE: usize = 25;
/// Most bytes one BatchGetItem returns; the rest comes back unprocessed.
pub(crate) const MAX_BATCH_GET_BYTES: usize = 16 * 1024 * 1024;

/// A batch naming one item twice.
pub(crate) fn duplicates() -> Error {
    v("Provided list of item keys contains duplicates")
}

/// `BatchGetItem` (its request map checked by `validate.rs`).
pub(crate) fn batch_get_item(catalog: &Catalog, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
    let requests = input.request_items.ok_or_else(|| null("requestItems"))?;
    let total: usize = requests.values().map(|r| r.keys.len()).sum();
    if total > MAX_BATCH_GET {
        return Err(v("Too many items requested for the BatchGetItem call"));
    }
    // Validate everything before reading anything.
    let mut plan: Vec<(
        String,
        TableRef,
        KeysAndAttributes,
        Vec<PrimaryKey>,
        super::engine::Projector,
    )> = Vec::new();
    for (name, ka) in requests {
        let legacy = super::legacy::batch_get_table(&ka)?;
        let table = catalog.table_opt(Some(&name))?;
        let pks = {
            let t = table.read();
            let mut seen = HashSet::new();
            let mut pks = Vec::with_capacity(ka.keys.len());
            for k in &ka.keys {
                let pk = keys::request_key(k, &t.meta.hash, t.meta.range.as_ref())?;
                if !seen.insert(pk.clone()) {
                    return Err(duplicates());
                }
                pks.push(pk);
            }
            pks
        };
        let projector = super::engine::Projector::new(
            ka.projection_expression.as_deref(),
            ka.expression_attribute_names.as_ref(),
        )?;
        let projector = legacy.map_or(projector, |paths| super::engine::Projector::from_paths(Some(paths)));
        plan.push((name, table, ka, pks, projector));
    }
    let mut responses: HashMap<String, Vec<Item>> = HashMap::new();
    let mut unprocessed: HashMap<String, KeysAndAttributes> = HashMap::new();
    let mut caps = Vec::new();
    let mut bytes = 0usize;
    for (name, table, ka, pks, projector) in plan {
        let t = table.read();
        let consistent = ka.consistent_read.unwrap_or(false);
        let mut units = 0.0;
        let mut found = Vec::new();
        let mut left = Vec::new();
        for (pk, key) in pks.iter().zip(&ka.keys) {
            if bytes >= MAX_BATCH_GET_BYTES {
                left.push(key.clone());
                continue;
            }
            if let Some(stored) = t.data.stored(pk) {
                let size = stored.size();
                bytes += size;
                units += read_units(size, consistent);
                found.push(projector.apply_owned(stored.decode()));
            }
            // A key with no item costs nothing in a batch (DynamoDB Local).
        }
        if let Some(c) = capacity(&t.meta, input.return_consumed_capacity.as_ref(), units) {
            caps.push(c);
        }
        responses.insert(name.clone(), found);
        if !left.is_empty() {
            let mut rest = ka.clone();
            rest.keys = left;
            unprocessed.insert(name, rest);
        }
    }
    Ok(BatchGetItemOutput::builder()
        .set_responses(Some(responses))
        .set_unprocessed_keys(Some(unprocessed))
        .set_consumed_capacity((!caps.is_empty()).then_some(caps))
        .build())
}

enum Write {
    Put(PrimaryKey, Item, usize),
    Delete(PrimaryKey),
}

/// `BatchWriteItem` (its request map checked by `validate.rs`). Every request is validated before any is applied.
pub(crate) fn batch_write_item(catalog: &Catalog, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
    let requests = input.request_items.ok_or_else(|| null("requestItems"))?;
    let total: usize = requests.values().map(Vec::len).sum();
    if total > MAX_BATCH_WRITE {
        return Err(v("Too many items requested for the BatchWriteItem call"));
    }
    let mut plan: Vec<(TableRef, Vec<Write>)> = Vec::new();
    for (name, writes) in requests {
        let table = catalog.table_opt(Some(&name))?;
        let mut seen = HashSet::new();
        let mut ops = Vec::with_capacity(writes.len());
        {
            let t = table.read();
            for w in writes {
                let op = match (w.put_request, w.delete_request) {
                    (Some(p), None) => {
                        let mut item = p.item;
                        let (pk, size) = check_new_item(&t.meta, &mut item)?;
                        Write::Put(pk, item, size)
                    }
                    (None, Some(d)) => Write::Delete(keys::request_key(&d.key, &t.meta.hash, t.meta.range.as_ref())?),
                    _ => {
                        return Err(v(
                            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                        ));
                    }
                };
                let pk = match &op {
                    Write::Put(pk, ..) | Write::Delete(pk) => pk.clone(),
                };
                if !seen.insert(pk) {
                    return Err(duplicates());
                }
                ops.push(op);
            }
        }
        plan.push((table, ops));
    }
    let mut caps = Vec::new();
    for (table, ops) in plan {
        let mut guard = table.write();
        let t = &mut *guard;
        let rcc = input.return_consumed_capacity.as_ref();
        let mut total = Charge::default();
        for op in ops {
            let charge = match op {
                Write::Put(pk, item, size) => {
                    let entries = new_entries(&t.meta, rcc, &item);
                    let replaced = t.data.put(&t.meta, pk, &item, size);
                    put_charge(&t.meta, entries, &replaced)
                }
                Write::Delete(pk) => {
                    let old = t.data.delete(&t.meta, &pk);
                    delete_charge(&t.meta, rcc, old.as_ref(), DeleteCall::Batch)
                }
            };
            if let Some(c) = charge {
                total.add(c);
            }
        }
        if let Some(c) = total.report(&t.meta, rcc) {
            caps.push(c);
        }
    }
    Ok(BatchWriteItemOutput::builder()
        .set_unprocessed_items(Some(HashMap::new()))
        .set_consumed_capacity((!caps.is_empty()).then_some(caps))
        .build())
}
