//! How deeply lists and maps may nest: 32 levels, the item counting as one
//! (DynamoDB Local 3.3.1: an attribute nests 31 `L`s or `M`s, a value in
//! `ExpressionAttributeValues` 32, and an update may not nest past them,
//! except by legacy `AttributeUpdates`, whose values alone are checked).

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Error};

use crate::assert_err;
use crate::common::*;

const ITEM_NESTING: &str =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

/// `levels` nested `L`s or `M`s around a string.
fn nested(kind: char, levels: usize) -> AttributeValue {
    let mut v = s("x");
    for _ in 0..levels {
        v = if kind == 'L' {
            AttributeValue::L(vec![v])
        } else {
            AttributeValue::M(HashMap::from([("k".to_string(), v)]))
        };
    }
    v
}

fn message(e: Error) -> String {
    match e {
        Error::Validation(m) => m.into(),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn nesting_31_levels_is_stored_and_32_refused_in_items_keys_and_updates() {
    let db = db("nesting");
    create(&db, &hash_table("t")).await;
    for kind in ['L', 'M'] {
        let ok = item(&[("id", s("a")), ("d", nested(kind, 31))]);
        put(&db, "t", ok.clone()).await;
        assert_eq!(get(&db, "t", item(&[("id", s("a"))])).await.unwrap(), Some(ok));

        let deep = item(&[("id", s("b")), ("d", nested(kind, 32))]);
        let e = assert_err!(db.put_item(put_input("t", deep)).await, Error::Validation(_));
        assert_eq!(message(e), ITEM_NESTING);
        let e = assert_err!(
            get(&db, "t", item(&[("id", nested(kind, 32))])).await,
            Error::Validation(_)
        );
        assert_eq!(message(e), ITEM_NESTING);

        let update = |v: AttributeValue| {
            UpdateItemInput::builder()
                .table_name("t")
                .key("id", s("u"))
                .update_expression("SET d = :v")
                .expression_attribute_values(":v", v)
                .build()
                .unwrap()
        };
        // 32 levels are a valid value, but not an attribute: the update's result is refused.
        let e = assert_err!(db.update_item(update(nested(kind, 32))).await, Error::Validation(_));
        assert_eq!(message(e), "Nesting Levels have exceeded supported limits");
        let e = assert_err!(db.update_item(update(nested(kind, 33))).await, Error::Validation(_));
        assert_eq!(
            message(e),
            format!("ExpressionAttributeValues contains invalid value: {ITEM_NESTING} for key :v")
        );
        db.update_item(update(nested(kind, 31))).await.unwrap();
    }
    // Sets are no level; an empty list or map is one.
    put(
        &db,
        "t",
        item(&[("id", s("c")), ("d", nested('L', 30)), ("e", ss(&["a"]))]),
    )
    .await;
    let mut empty_at_32 = AttributeValue::L(vec![]);
    for _ in 0..31 {
        empty_at_32 = AttributeValue::L(vec![empty_at_32]);
    }
    let e = assert_err!(
        db.put_item(put_input("t", item(&[("id", s("c")), ("d", empty_at_32)])))
            .await,
        Error::Validation(_)
    );
    assert_eq!(message(e), ITEM_NESTING);
}

#[tokio::test]
async fn legacy_attribute_updates_store_a_value_of_32_levels_as_dynamodb_local_does() {
    // DynamoDB Local checks the values of AttributeUpdates on their own (32
    // levels) and not the item they leave, one level deeper than a PutItem
    // or an UpdateExpression may write.
    let db = db("nestlegacy");
    create(&db, &hash_table("t")).await;
    for kind in ['L', 'M'] {
        let update = |levels: usize| {
            UpdateItemInput::builder()
                .table_name("t")
                .key("id", s("u"))
                .attribute_updates(
                    "d",
                    AttributeValueUpdate::builder()
                        .value(nested(kind, levels))
                        .action(AttributeAction::Put)
                        .build(),
                )
                .return_values(ReturnValue::AllNew)
                .build()
                .unwrap()
        };
        let out = db.update_item(update(32)).await.unwrap();
        let stored = item(&[("id", s("u")), ("d", nested(kind, 32))]);
        assert_eq!(out.attributes, Some(stored.clone()));
        assert_eq!(
            get(&db, "t", item(&[("id", s("u"))])).await.unwrap(),
            Some(stored.clone())
        );
        // The same item is refused when put whole.
        let e = assert_err!(db.put_item(put_input("t", stored)).await, Error::Validation(_));
        assert_eq!(message(e), ITEM_NESTING);
        let e = assert_err!(db.update_item(update(33)).await, Error::Validation(_));
        assert_eq!(message(e), ITEM_NESTING);
    }
}
