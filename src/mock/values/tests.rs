use std::collections::HashMap;

use futures::executor::block_on;

use super::*;
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::sdk::*;

#[test]
fn binary_values_are_shown_in_standard_padded_base64() {
    for (raw, encoded) in [
        (&b""[..], ""),
        (b"a", "YQ=="),
        (b"ab", "YWI="),
        (b"abc", "YWJj"),
        (b"abcd", "YWJjZA=="),
        (&[0xff, 0xfe, 0xfd], "//79"),
        (&[0xff, 0xfe, 0xfd, 0x00], "//79AA=="),
    ] {
        assert_eq!(base64(raw), encoded);
    }
}

const ITEM_NESTING: &str =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

/// `levels` nested `L`s or `M`s around a string, built without recursion.
fn nested(kind: char, levels: usize) -> AttributeValue {
    let mut v = AttributeValue::S("x".into());
    for _ in 0..levels {
        v = if kind == 'L' {
            AttributeValue::L(vec![v])
        } else {
            AttributeValue::M(HashMap::from([("k".to_string(), v)]))
        };
    }
    v
}

/// Runs `f` on a thread with the 2 MB stack of a `#[tokio::test]` thread.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(f);
    thread.expect("spawn").join().expect("the test thread failed");
}

fn validation_message<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Validation(m)) => m.into(),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

fn table(db: &MockBackend) {
    block_on(
        db.create_table(
            CreateTableInput::builder()
                .table_name("deep")
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name("pk")
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .unwrap(),
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("pk")
                        .key_type(KeyType::Hash)
                        .build()
                        .unwrap(),
                )
                .billing_mode(BillingMode::PayPerRequest)
                .build()
                .unwrap(),
        ),
    )
    .unwrap();
}

fn item(pk: &str, d: AttributeValue) -> Item {
    HashMap::from([("pk".to_string(), AttributeValue::S(pk.into())), ("d".to_string(), d)])
}

fn key(pk: &str) -> Item {
    HashMap::from([("pk".to_string(), AttributeValue::S(pk.into()))])
}

fn eav(v: AttributeValue) -> Item {
    HashMap::from([(":v".to_string(), v)])
}

#[test]
fn the_nesting_walk_stops_at_its_limit() {
    assert!(nests_within(&nested('L', 31), 31));
    assert!(!nests_within(&nested('L', 32), 31));
    assert!(nests_within(&nested('M', 32), MAX_NESTING));
    assert!(!nests_within(&nested('M', 33), MAX_NESTING));
    // Sets and scalars are no level.
    assert!(nests_within(&AttributeValue::Ss(vec!["a".into()]), 0));
    assert!(!nests_within(&AttributeValue::L(vec![]), 0));
    assert_eq!(nesting_error(), Error::Validation(ITEM_NESTING.into()));
}

#[test]
fn values_nested_2000_levels_deep_are_refused_everywhere_on_a_2_mb_stack() {
    on_small_stack(|| {
        let db = MockBackend::new();
        table(&db);
        let eav_message = format!("ExpressionAttributeValues contains invalid value: {ITEM_NESTING} for key :v");
        for kind in ['L', 'M'] {
            let deep = || nested(kind, 2000);
            let put = PutItemInput::builder()
                .table_name("deep")
                .set_item(Some(item("a", deep())));
            assert_eq!(
                validation_message(block_on(db.put_item(put.build().unwrap()))),
                ITEM_NESTING
            );

            let update = UpdateItemInput::builder()
                .table_name("deep")
                .set_key(Some(key("a")))
                .update_expression("SET d = :v")
                .set_expression_attribute_values(Some(eav(deep())));
            assert_eq!(
                validation_message(block_on(db.update_item(update.build().unwrap()))),
                eav_message
            );

            let conditional = PutItemInput::builder()
                .table_name("deep")
                .set_item(Some(key("a")))
                .condition_expression("d = :v")
                .set_expression_attribute_values(Some(eav(deep())));
            assert_eq!(
                validation_message(block_on(db.put_item(conditional.build().unwrap()))),
                eav_message
            );

            let get = GetItemInput::builder()
                .table_name("deep")
                .set_key(Some(HashMap::from([("pk".to_string(), deep())])));
            assert_eq!(
                validation_message(block_on(db.get_item(get.build().unwrap()))),
                ITEM_NESTING
            );

            let transact = TransactWriteItemsInput::builder().transact_items(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name("deep")
                            .set_item(Some(item("t", deep())))
                            .build()
                            .unwrap(),
                    )
                    .build(),
            );
            assert_eq!(
                validation_message(block_on(db.transact_write_items(transact.build().unwrap()))),
                ITEM_NESTING
            );

            let batch = BatchWriteItemInput::builder().request_items(
                "deep",
                vec![
                    WriteRequest::builder()
                        .put_request(PutRequest::builder().set_item(Some(item("b", deep()))).build().unwrap())
                        .build(),
                ],
            );
            assert_eq!(
                validation_message(block_on(db.batch_write_item(batch.build().unwrap()))),
                ITEM_NESTING
            );
        }
        // Nothing was stored.
        let scan = block_on(db.scan(ScanInput::builder().table_name("deep").build().unwrap())).unwrap();
        assert_eq!(scan.count(), 0);
    });
}

#[test]
fn thirty_one_levels_are_stored_and_read_back_equal_and_an_update_nesting_past_them_is_refused() {
    on_small_stack(|| {
        let db = MockBackend::new();
        table(&db);
        for kind in ['L', 'M'] {
            let put = PutItemInput::builder()
                .table_name("deep")
                .set_item(Some(item("a", nested(kind, 31))));
            block_on(db.put_item(put.build().unwrap())).unwrap();
            let got = block_on(
                db.get_item(
                    GetItemInput::builder()
                        .table_name("deep")
                        .set_key(Some(key("a")))
                        .build()
                        .unwrap(),
                ),
            )
            .unwrap();
            assert_eq!(got.item(), Some(&item("a", nested(kind, 31))));
            let too_deep = PutItemInput::builder()
                .table_name("deep")
                .set_item(Some(item("a", nested(kind, 32))));
            assert_eq!(
                validation_message(block_on(db.put_item(too_deep.build().unwrap()))),
                ITEM_NESTING
            );
        }
        // A 32-level value is a valid expression value, but not as an attribute.
        let update = |expr: &str, v: AttributeValue| {
            let input = UpdateItemInput::builder()
                .table_name("deep")
                .set_key(Some(key("u")))
                .update_expression(expr)
                .set_expression_attribute_values(Some(eav(v)));
            block_on(db.update_item(input.build().unwrap()))
        };
        assert_eq!(
            validation_message(update("SET d = :v", nested('M', 32))),
            NESTING_EXCEEDED
        );
        // Nested inside an existing map, as DynamoDB Local counts: d.k is
        // two levels, 29 more make 31, 30 more 32.
        update("SET d = :v", nested('M', 1)).unwrap();
        update("SET d.k = :v", AttributeValue::M(HashMap::new())).unwrap();
        update("SET d.k.z = :v", nested('M', 29)).unwrap();
        assert_eq!(
            validation_message(update("SET d.k.z = :v", nested('M', 30))),
            NESTING_EXCEEDED
        );
    });
}
