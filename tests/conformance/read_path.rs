//! Reads that hand items over one by one (`Backend::get_item_into`,
//! `update_item_into`, `query_into`, `scan_into`: on the mock, records are
//! read from the stored items in place), on both backends: the same items,
//! counts and keys as the plain reads, and the typed API reading records
//! from them exactly as it reads them from items.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Document, Error, FoundItem, Item, dynamo_table};

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    /// A ledger line, optimistically locked.
    ledger: Line { hash book: String, range at: u32, memo: String, amount: i64, version: u64 }
    on_demand
    version(version)
}

fn line(book: &str, at: u32, amount: i64) -> Line {
    Line {
        book: book.into(),
        at,
        memo: format!("line {at}"),
        amount,
        version: 0,
    }
}

/// Items handed to a sink, in order.
fn collect(found: &mut Vec<Item>) -> impl FnMut(FoundItem<'_>) + Send + '_ {
    |f| found.push(f.into_item())
}

#[tokio::test]
async fn items_handed_over_one_by_one_are_the_items_the_plain_reads_return() {
    let db = db("into");
    let lines = LineTable::new(&db);
    for at in 0..5 {
        lines.put(&mut line("b", at, i64::from(at) * 10)).await.unwrap();
    }
    let key: Item = [("book".to_string(), s("b")), ("at".to_string(), n("3"))].into();
    let get = || {
        GetItemInput::builder()
            .table_name("ledger")
            .set_key(Some(key.clone()))
            .build()
            .unwrap()
    };
    let plain = db.get_item(get()).await.unwrap();
    let mut found = Vec::new();
    let out = db.get_item_into(get(), &mut collect(&mut found)).await.unwrap();
    assert_eq!(out.item, None);
    assert_eq!(Some(found.clone()), plain.item.map(|i| vec![i]));
    assert_eq!(found[0].get("memo"), Some(&s("line 3")));

    let query = || {
        QueryInput::builder()
            .table_name("ledger")
            .key_condition_expression("book = :b")
            .expression_attribute_values(":b", s("b"))
            .limit(3)
            .build()
            .unwrap()
    };
    let plain = db.query(query()).await.unwrap();
    let mut found = Vec::new();
    let out = db.query_into(query(), &mut collect(&mut found)).await.unwrap();
    assert_eq!(out.items, None);
    assert_eq!((out.count, out.scanned_count), (3, 3));
    assert_eq!(out.last_evaluated_key, plain.last_evaluated_key);
    assert_eq!(Some(found.clone()), plain.items);
    let ats: Vec<_> = found.iter().map(|i| i.get("at").cloned()).collect();
    assert_eq!(ats, [Some(n("0")), Some(n("1")), Some(n("2"))]);

    let scan = || ScanInput::builder().table_name("ledger").build().unwrap();
    let plain = db.scan(scan()).await.unwrap();
    let mut found = Vec::new();
    let out = db.scan_into(scan(), &mut collect(&mut found)).await.unwrap();
    assert_eq!((out.items, out.count), (None, 5));
    assert_eq!(Some(found), plain.items);

    let update = UpdateItemInput::builder()
        .table_name("ledger")
        .set_key(Some(key.clone()))
        .update_expression("SET memo = :m")
        .expression_attribute_values(":m", s("changed"))
        .return_values(ReturnValue::AllNew)
        .build()
        .unwrap();
    let mut found: Vec<Line> = Vec::new();
    let out = db
        .update_item_into(update, &mut |f| found.push(f.decode().unwrap()))
        .await
        .unwrap();
    assert_eq!(out.attributes, None);
    let mut want = line("b", 3, 30);
    want.memo = "changed".into();
    want.version = 1;
    assert_eq!(found, [want.clone()]);
    assert_eq!(lines.get(("b".to_string(), 3)).await.unwrap(), Some(want));
    // A missing item hands over nothing.
    let mut none = Vec::new();
    let missing: Item = [("book".to_string(), s("b")), ("at".to_string(), n("99"))].into();
    let out = db
        .get_item_into(
            GetItemInput::builder()
                .table_name("ledger")
                .set_key(Some(missing))
                .build()
                .unwrap(),
            &mut collect(&mut none),
        )
        .await
        .unwrap();
    assert_eq!((out.item, none.len()), (None, 0));
}

#[tokio::test]
async fn a_versioned_item_stored_without_its_version_reads_as_version_0_everywhere() {
    let db = db("nover");
    let lines = LineTable::new(&db);
    lines.ensure().await.unwrap();
    let mut item = Line::to_item(&line("b", 1, 5)).unwrap();
    item.remove("version");
    db.put_item(
        PutItemInput::builder()
            .table_name("ledger")
            .set_item(Some(item))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let got = lines.get(("b".to_string(), 1)).await.unwrap().unwrap();
    assert_eq!(got, line("b", 1, 5));
    assert_eq!(lines.query("b".to_string()).all().await.unwrap(), [line("b", 1, 5)]);
    assert_eq!(lines.scan().all().await.unwrap(), [line("b", 1, 5)]);
    // Saved from version 0, it is at version 1.
    let mut again = got;
    again.amount = 6;
    lines.put(&mut again).await.unwrap();
    assert_eq!(again.version, 1);
    assert_eq!(lines.get(("b".to_string(), 1)).await.unwrap(), Some(again));
}

#[tokio::test]
async fn a_put_that_fails_leaves_the_callers_record_as_it_was() {
    let db = db("putfail");
    let lines = LineTable::new(&db);
    let mut first = line("b", 1, 5);
    lines.put(&mut first).await.unwrap();
    let mut stale = line("b", 1, 7);
    assert_err!(lines.put(&mut stale).await, Error::VersionConflict { expected: 0, .. });
    assert_eq!(stale, line("b", 1, 7), "version and fields untouched");
    let mut current = first.clone();
    current.amount = 8;
    lines.put(&mut current).await.unwrap();
    assert_eq!((current.amount, current.version), (8, 2));
}

#[tokio::test]
async fn a_stored_item_that_is_not_a_whole_record_is_one_error_naming_its_key() {
    let db = db("badrec");
    let lines = LineTable::new(&db);
    lines.ensure().await.unwrap();
    let item: Item = [
        ("book".to_string(), s("b")),
        ("at".to_string(), n("4")),
        ("memo".to_string(), s("no amount")),
    ]
    .into();
    db.put_item(
        PutItemInput::builder()
            .table_name("ledger")
            .set_item(Some(item))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let e = lines.get(("b".to_string(), 4)).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "conversion error: attribute amount: missing (table ledger, key book = \"b\", at = 4)"
    );
    let e = lines.query("b".to_string()).all().await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "conversion error: attribute amount: missing (table ledger, key book = \"b\", at = 4)"
    );
}
