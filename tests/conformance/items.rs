//! Single items: put, get, delete, ReturnValues, key and value validation.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Error, KeyType};

use crate::assert_err;
use crate::common::*;

#[tokio::test]
async fn put_then_get_returns_the_item() {
    let db = db("putget");
    create(&db, &hash_table("t")).await;
    let it = item(&[
        ("id", s("a")),
        ("name", s("Ann")),
        ("age", n("42")),
        ("tags", ss(&["x", "y"])),
        ("ok", AttributeValue::Bool(true)),
        ("nothing", AttributeValue::Null(true)),
        (
            "nested",
            AttributeValue::M(item(&[("l", AttributeValue::L(vec![n("1"), s("two")]))])),
        ),
        ("bin", b(&[0, 1, 2])),
    ]);
    put(&db, "t", it.clone()).await;
    let got = get(&db, "t", item(&[("id", s("a"))])).await.unwrap().unwrap();
    assert_eq!(got, it);
}

#[tokio::test]
async fn get_of_a_missing_item_is_none() {
    let db = db("getmissing");
    create(&db, &hash_table("t")).await;
    assert_eq!(get(&db, "t", item(&[("id", s("nope"))])).await.unwrap(), None);
}

#[tokio::test]
async fn put_return_values_all_old_gives_the_replaced_item() {
    let db = db("putold");
    create(&db, &hash_table("t")).await;
    let first = item(&[("id", s("a")), ("v", n("1"))]);
    let out = db
        .put_item(
            PutItemInput::builder()
                .table_name("t")
                .set_item(Some(first.clone()))
                .return_values(ReturnValue::AllOld)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.attributes, None);
    let second = item(&[("id", s("a")), ("v", n("2"))]);
    let out = db
        .put_item(
            PutItemInput::builder()
                .table_name("t")
                .set_item(Some(second.clone()))
                .return_values(ReturnValue::AllOld)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.attributes, Some(first));
    // NONE returns nothing even when replacing.
    let out = db.put_item(put_input("t", second.clone())).await.unwrap();
    assert_eq!(out.attributes, None);
    assert_eq!(get(&db, "t", item(&[("id", s("a"))])).await.unwrap(), Some(second));
}

#[tokio::test]
async fn put_return_values_other_than_none_or_all_old_is_validation() {
    let db = db("putrv");
    create(&db, &hash_table("t")).await;
    for rv in [ReturnValue::AllNew, ReturnValue::UpdatedOld, ReturnValue::UpdatedNew] {
        let input = PutItemInput::builder()
            .table_name("t")
            .set_item(Some(item(&[("id", s("a"))])))
            .return_values(rv)
            .build()
            .unwrap();
        assert_err!(db.put_item(input).await, Error::Validation(_));
    }
    assert_eq!(get(&db, "t", item(&[("id", s("a"))])).await.unwrap(), None);
}

#[tokio::test]
async fn delete_returns_the_old_item_when_asked() {
    let db = db("delold");
    create(&db, &hash_table("t")).await;
    let it = item(&[("id", s("a")), ("v", n("1"))]);
    put(&db, "t", it.clone()).await;
    let out = db
        .delete_item(
            DeleteItemInput::builder()
                .table_name("t")
                .set_key(Some(item(&[("id", s("a"))])))
                .return_values(ReturnValue::AllOld)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.attributes, Some(it));
    assert_eq!(get(&db, "t", item(&[("id", s("a"))])).await.unwrap(), None);
    // Deleting a missing item succeeds and returns nothing.
    let out = db
        .delete_item(
            DeleteItemInput::builder()
                .table_name("t")
                .set_key(Some(item(&[("id", s("a"))])))
                .return_values(ReturnValue::AllOld)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.attributes, None);
}

#[tokio::test]
async fn item_count_follows_puts_and_deletes() {
    let db = db("count");
    create(&db, &hash_table("t")).await;
    for id in ["a", "b", "c"] {
        put(&db, "t", item(&[("id", s(id))])).await;
    }
    put(&db, "t", item(&[("id", s("a")), ("x", n("1"))])).await;
    db.delete_item(
        DeleteItemInput::builder()
            .table_name("t")
            .set_key(Some(item(&[("id", s("b"))])))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    if !on_local() {
        // DynamoDB refreshes ItemCount about every six hours; the mock (and
        // DynamoDB Local) keep it current. Local is checked below.
    }
    let d = db
        .describe_table(DescribeTableInput::builder().table_name("t").build().unwrap())
        .await
        .unwrap();
    assert_eq!(d.table.unwrap().item_count(), Some(2));
}

#[tokio::test]
async fn missing_key_attribute_is_validation() {
    let db = db("nokey");
    create(&db, &range_table("t", KeyType::N)).await;
    assert_err!(
        db.put_item(put_input("t", item(&[("pk", s("a"))]))).await,
        Error::Validation(_)
    );
    assert_err!(
        db.put_item(put_input("t", item(&[("sk", n("1"))]))).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn mistyped_key_attribute_is_validation() {
    let db = db("keytype");
    create(&db, &range_table("t", KeyType::N)).await;
    assert_err!(
        db.put_item(put_input("t", item(&[("pk", n("1")), ("sk", n("1"))])))
            .await,
        Error::Validation(_)
    );
    assert_err!(
        db.put_item(put_input("t", item(&[("pk", s("a")), ("sk", s("1"))])))
            .await,
        Error::Validation(_)
    );
    assert_err!(
        get(&db, "t", item(&[("pk", s("a")), ("sk", s("1"))])).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn empty_string_key_is_validation() {
    let db = db("emptykey");
    create(&db, &hash_table("t")).await;
    assert_err!(
        db.put_item(put_input("t", item(&[("id", s(""))]))).await,
        Error::Validation(_)
    );
    assert_err!(get(&db, "t", item(&[("id", s(""))])).await, Error::Validation(_));
    // A non-key attribute may be an empty string.
    put(&db, "t", item(&[("id", s("a")), ("note", s(""))])).await;
    assert_eq!(
        get(&db, "t", item(&[("id", s("a"))])).await.unwrap(),
        Some(item(&[("id", s("a")), ("note", s(""))]))
    );
}

#[tokio::test]
async fn key_with_extra_or_missing_attributes_is_validation() {
    let db = db("keyshape");
    create(&db, &range_table("t", KeyType::S)).await;
    assert_err!(get(&db, "t", item(&[("pk", s("a"))])).await, Error::Validation(_));
    assert_err!(
        get(&db, "t", item(&[("pk", s("a")), ("sk", s("b")), ("x", s("c"))])).await,
        Error::Validation(_)
    );
    assert_err!(
        get(&db, "t", item(&[("pk", s("a")), ("other", s("b"))])).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn unknown_table_is_resource_not_found() {
    let db = db("unknown");
    assert_err!(
        db.put_item(put_input("nope", item(&[("id", s("a"))]))).await,
        Error::ResourceNotFound(_)
    );
    assert_err!(
        get(&db, "nope", item(&[("id", s("a"))])).await,
        Error::ResourceNotFound(_)
    );
    assert_err!(
        db.delete_item(
            DeleteItemInput::builder()
                .table_name("nope")
                .set_key(Some(item(&[("id", s("a"))])))
                .build()
                .unwrap()
        )
        .await,
        Error::ResourceNotFound(_)
    );
}

#[tokio::test]
async fn numbers_are_stored_numerically_and_returned_canonical() {
    let db = db("numbers");
    create(&db, &TableSchemaN::table()).await;
    // 1.0 and 1 are the same key.
    put(&db, "t", item(&[("id", n("1.0")), ("v", s("first"))])).await;
    let got = get(&db, "t", item(&[("id", n("1"))])).await.unwrap().unwrap();
    assert_eq!(got.get("v"), Some(&s("first")));
    assert_eq!(got.get("id"), Some(&n("1")));
    // 38 significant digits are kept exactly.
    let exact = "1234567890123456789012345678901234.5678";
    put(
        &db,
        "t",
        item(&[("id", n("2")), ("x", n(exact)), ("y", n("1.50")), ("z", n("-0.000"))]),
    )
    .await;
    let got = get(&db, "t", item(&[("id", n("2"))])).await.unwrap().unwrap();
    assert_eq!(got.get("x"), Some(&n(exact)));
    assert_eq!(got.get("y"), Some(&n("1.5")));
    assert_eq!(got.get("z"), Some(&n("0")));
    // 39 digits, overflow, garbage: Validation.
    for bad in ["1234567890123456789012345678901234567890", "1E+126", "1E-131", "abc"] {
        assert_err!(
            db.put_item(put_input("t", item(&[("id", n("3")), ("x", n(bad))])))
                .await,
            Error::Validation(_)
        );
    }
}

struct TableSchemaN;
impl TableSchemaN {
    fn table() -> dynamo_objects::TableSchema {
        dynamo_objects::TableSchema::new("t", dynamo_objects::KeyAttr::new("id", KeyType::N))
    }
}

#[tokio::test]
async fn bad_sets_are_validation() {
    let db = db("sets");
    create(&db, &hash_table("t")).await;
    assert_err!(
        db.put_item(put_input("t", item(&[("id", s("a")), ("e", ss(&[]))])))
            .await,
        Error::Validation(_)
    );
    assert_err!(
        db.put_item(put_input("t", item(&[("id", s("a")), ("e", ss(&["x", "x"]))])))
            .await,
        Error::Validation(_)
    );
    assert_err!(
        db.put_item(put_input(
            "t",
            item(&[
                ("id", s("a")),
                ("e", AttributeValue::Ns(vec!["1".into(), "1.0".into()]))
            ])
        ))
        .await,
        Error::Validation(_)
    );
    assert_eq!(get(&db, "t", item(&[("id", s("a"))])).await.unwrap(), None);
}

#[tokio::test]
async fn items_over_400kb_are_validation() {
    let db = db("big");
    create(&db, &hash_table("t")).await;
    let big = "x".repeat(400 * 1024);
    assert_err!(
        db.put_item(put_input("t", item(&[("id", s("a")), ("d", s(&big))])))
            .await,
        Error::Validation(_)
    );
    let fits = "x".repeat(399 * 1024);
    put(&db, "t", item(&[("id", s("a")), ("d", s(&fits))])).await;
}

#[tokio::test]
async fn key_size_limits() {
    let db = db("keysize");
    create(&db, &range_table("t", KeyType::S)).await;
    let ok = item(&[("pk", s(&"h".repeat(2048))), ("sk", s(&"r".repeat(1024)))]);
    put(&db, "t", ok.clone()).await;
    assert_eq!(get(&db, "t", ok.clone()).await.unwrap(), Some(ok));
    let long_hash = item(&[("pk", s(&"h".repeat(2049))), ("sk", s("r"))]);
    assert_err!(
        db.put_item(put_input("t", long_hash.clone())).await,
        Error::Validation(_)
    );
    assert_err!(get(&db, "t", long_hash).await, Error::Validation(_));
    let long_range = item(&[("pk", s("h")), ("sk", s(&"r".repeat(1025)))]);
    assert_err!(
        db.put_item(put_input("t", long_range.clone())).await,
        Error::Validation(_)
    );
    assert_err!(get(&db, "t", long_range).await, Error::Validation(_));
}

#[tokio::test]
async fn item_size_limit_is_exact() {
    let db = db("sizeexact");
    create(&db, &hash_table("t")).await;
    // "id" + "a" is 3 bytes, "d" 1: the string may take the rest of 400 KB.
    let fits = "x".repeat(400 * 1024 - 4);
    put(&db, "t", item(&[("id", s("a")), ("d", s(&fits))])).await;
    let over = "x".repeat(400 * 1024 - 3);
    assert_err!(
        db.put_item(put_input("t", item(&[("id", s("a")), ("d", s(&over))])))
            .await,
        Error::Validation(_)
    );
}
