//! The answers to the reads (GetItem, Query, Scan), written straight from
//! the items the engine finds: an item shown whole is copied from its stored
//! form as JSON, without being decoded into attribute values first.

use crate::Error;
use crate::mock::MockBackend;
use crate::mock::engine::Found;
use crate::mock::query::PageInfo;
use crate::sdk::*;
use crate::wire::{Encode, write_item, write_member};

/// Writes an item a read found as DynamoDB's JSON: from its stored bytes
/// when it is shown whole.
fn write_found(out: &mut Vec<u8>, found: Found<'_>) {
    match found {
        Found::Stored(stored) | Found::Written(_, stored) => stored.write_json(out),
        Found::Item(item) => write_item(out, &item),
    }
}

/// Runs a `GetItem` and writes its answer (`GetItemOutput`'s JSON).
pub(super) fn get_item(backend: &MockBackend, input: GetItemInput) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(256);
    out.push(b'{');
    let mut first = true;
    let capacity = backend.get_item_to(input, &mut |item| {
        if let Found::Stored(stored) = &item {
            // Its JSON is a little larger than its DynamoDB size.
            out.reserve(stored.size() + stored.size() / 2 + 64);
        }
        write_member(&mut out, &mut first, "Item");
        write_found(&mut out, item);
    })?;
    if let Some(c) = &capacity {
        write_member(&mut out, &mut first, "ConsumedCapacity");
        c.encode(&mut out);
    }
    out.push(b'}');
    Ok(out)
}

/// Runs a `Query` and writes its answer (`QueryOutput`'s JSON), item by item
/// as they are found.
pub(super) fn query(backend: &MockBackend, input: QueryInput) -> Result<Vec<u8>, Error> {
    page(|sink| backend.query_to(input, sink))
}

/// Runs a `Scan` and writes its answer (`ScanOutput`'s JSON).
pub(super) fn scan(backend: &MockBackend, input: ScanInput) -> Result<Vec<u8>, Error> {
    page(|sink| backend.scan_to(input, sink))
}

fn page(run: impl FnOnce(&mut dyn FnMut(Found<'_>)) -> Result<PageInfo, Error>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"Items\":[");
    let mut first_item = true;
    let page = run(&mut |item| {
        if !first_item {
            out.push(b',');
        }
        first_item = false;
        write_found(&mut out, item);
    })?;
    let mut first = page.count_only;
    if page.count_only {
        out.truncate(1);
    } else {
        out.push(b']');
    }
    write_member(&mut out, &mut first, "Count");
    page.count.encode(&mut out);
    write_member(&mut out, &mut first, "ScannedCount");
    page.scanned_count.encode(&mut out);
    if let Some(last) = &page.last_evaluated_key {
        write_member(&mut out, &mut first, "LastEvaluatedKey");
        write_item(&mut out, last);
    }
    if let Some(c) = &page.consumed_capacity {
        write_member(&mut out, &mut first, "ConsumedCapacity");
        c.encode(&mut out);
    }
    out.push(b'}');
    Ok(out)
}

#[cfg(test)]
mod tests;
