//! BatchGetItem and BatchWriteItem at and over their limits.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Error, Item};

use crate::assert_err;
use crate::common::*;

fn put_req(it: Item) -> WriteRequest {
    WriteRequest::builder()
        .put_request(PutRequest::builder().set_item(Some(it)).build().unwrap())
        .build()
}

fn del_req(key: Item) -> WriteRequest {
    WriteRequest::builder()
        .delete_request(DeleteRequest::builder().set_key(Some(key)).build().unwrap())
        .build()
}

fn write(table: &str, reqs: Vec<WriteRequest>) -> BatchWriteItemInput {
    BatchWriteItemInput::builder()
        .request_items(table, reqs)
        .build()
        .unwrap()
}

fn get_keys(table: &str, keys: Vec<Item>) -> BatchGetItemInput {
    BatchGetItemInput::builder()
        .request_items(
            table,
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn id(i: usize) -> Item {
    item(&[("id", s(&format!("k{i:03}")))])
}

#[tokio::test]
async fn batch_write_of_25_puts_then_batch_get_of_them() {
    let db = db("bw25");
    create(&db, &hash_table("t")).await;
    let reqs = (0..25)
        .map(|i| put_req(item(&[("id", s(&format!("k{i:03}"))), ("n", n(&i.to_string()))])))
        .collect();
    let out = db.batch_write_item(write("t", reqs)).await.unwrap();
    assert!(out.unprocessed_items.unwrap_or_default().is_empty());
    let out = db
        .batch_get_item(get_keys("t", (0..25).map(id).collect()))
        .await
        .unwrap();
    let mut got = out.responses.unwrap().remove("t").unwrap();
    got.sort_by_key(|i| format!("{:?}", i.get("id")));
    assert_eq!(got.len(), 25);
    assert_eq!(got[7], item(&[("id", s("k007")), ("n", n("7"))]));
    assert!(out.unprocessed_keys.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn batch_write_over_25_is_validation_and_writes_nothing() {
    let db = db("bw26");
    create(&db, &hash_table("t")).await;
    let reqs = (0..26).map(|i| put_req(id(i))).collect();
    assert_err!(db.batch_write_item(write("t", reqs)).await, Error::Validation(_));
    assert_eq!(get(&db, "t", id(0)).await.unwrap(), None);
}

#[tokio::test]
async fn batch_write_with_duplicate_keys_is_validation() {
    let db = db("bwdup");
    create(&db, &hash_table("t")).await;
    let reqs = vec![put_req(id(1)), del_req(id(1))];
    assert_err!(db.batch_write_item(write("t", reqs)).await, Error::Validation(_));
    let reqs = vec![put_req(id(1)), put_req(item(&[("id", s("k001")), ("x", n("1"))]))];
    assert_err!(db.batch_write_item(write("t", reqs)).await, Error::Validation(_));
    assert_eq!(get(&db, "t", id(1)).await.unwrap(), None);
}

#[tokio::test]
async fn batch_write_mixes_puts_and_deletes() {
    let db = db("bwmix");
    create(&db, &hash_table("t")).await;
    put(&db, "t", id(1)).await;
    db.batch_write_item(write("t", vec![del_req(id(1)), put_req(id(2))]))
        .await
        .unwrap();
    assert_eq!(get(&db, "t", id(1)).await.unwrap(), None);
    assert_eq!(get(&db, "t", id(2)).await.unwrap(), Some(id(2)));
}

#[tokio::test]
async fn batch_write_with_a_bad_item_writes_nothing() {
    let db = db("bwbad");
    create(&db, &hash_table("t")).await;
    let reqs = vec![put_req(id(1)), put_req(item(&[("id", n("5"))]))];
    assert_err!(db.batch_write_item(write("t", reqs)).await, Error::Validation(_));
    assert_eq!(get(&db, "t", id(1)).await.unwrap(), None);
}

#[tokio::test]
async fn batch_get_of_100_keys_works_and_101_is_validation() {
    let db = db("bg100");
    create(&db, &hash_table("t")).await;
    for chunk in (0..100).collect::<Vec<_>>().chunks(25) {
        db.batch_write_item(write("t", chunk.iter().map(|&i| put_req(id(i))).collect()))
            .await
            .unwrap();
    }
    let out = db
        .batch_get_item(get_keys("t", (0..100).map(id).collect()))
        .await
        .unwrap();
    assert_eq!(out.responses.unwrap()["t"].len(), 100);
    assert_err!(
        db.batch_get_item(get_keys("t", (0..101).map(id).collect())).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn batch_get_skips_missing_items_and_rejects_duplicates() {
    let db = db("bgmiss");
    create(&db, &hash_table("t")).await;
    put(&db, "t", id(1)).await;
    let out = db.batch_get_item(get_keys("t", vec![id(1), id(2)])).await.unwrap();
    assert_eq!(out.responses.unwrap()["t"], vec![id(1)]);
    assert_err!(
        db.batch_get_item(get_keys("t", vec![id(1), id(1)])).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn batches_on_unknown_tables_are_resource_not_found() {
    let db = db("bgunknown");
    assert_err!(
        db.batch_get_item(get_keys("nope", vec![id(1)])).await,
        Error::ResourceNotFound(_)
    );
    assert_err!(
        db.batch_write_item(write("nope", vec![put_req(id(1))])).await,
        Error::ResourceNotFound(_)
    );
}

#[tokio::test]
async fn batches_span_tables() {
    let db = db("bgmulti");
    create(&db, &hash_table("a")).await;
    create(&db, &hash_table("b")).await;
    let input = BatchWriteItemInput::builder()
        .request_items("a", vec![put_req(id(1))])
        .request_items("b", vec![put_req(id(2))])
        .build()
        .unwrap();
    db.batch_write_item(input).await.unwrap();
    let input = BatchGetItemInput::builder()
        .request_items("a", KeysAndAttributes::builder().keys(id(1)).build().unwrap())
        .request_items(
            "b",
            KeysAndAttributes::builder().keys(id(2)).keys(id(3)).build().unwrap(),
        )
        .build()
        .unwrap();
    let out = db.batch_get_item(input).await.unwrap().responses.unwrap();
    assert_eq!(out["a"], vec![id(1)]);
    assert_eq!(out["b"], vec![id(2)]);
}
