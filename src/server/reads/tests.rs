//! The reads' answers, written from stored items, are the JSON the declared
//! output shapes write.

use super::*;
use aws_sdk_dynamodb::primitives::Blob;
use serde_json::Value as Json;
use std::collections::HashMap;

type Item = HashMap<String, AttributeValue>;

fn tree<T: Encode>(out: &T) -> Json {
    parse(&crate::wire::encode_body(out))
}

fn every_type() -> Item {
    let mut inner = Item::new();
    inner.insert("q\"uote".into(), AttributeValue::S("line\nbreak é".into()));
    let mut item = Item::new();
    item.insert("s".into(), AttributeValue::S("x".into()));
    item.insert("n".into(), AttributeValue::N("-1.5".into()));
    item.insert("b".into(), AttributeValue::B(Blob::new(vec![0, 1, 255])));
    item.insert("ss".into(), AttributeValue::Ss(vec!["a".into(), "b".into()]));
    item.insert("ns".into(), AttributeValue::Ns(vec!["1".into()]));
    item.insert("bs".into(), AttributeValue::Bs(vec![Blob::new(vec![7])]));
    item.insert("t".into(), AttributeValue::Bool(true));
    item.insert("null".into(), AttributeValue::Null(true));
    item.insert(
        "l".into(),
        AttributeValue::L(vec![AttributeValue::N("1".into()), AttributeValue::M(inner.clone())]),
    );
    item.insert("m".into(), AttributeValue::M(inner));
    item
}

fn parse(bytes: &[u8]) -> Json {
    serde_json::from_slice(bytes).expect("the bytes written are JSON")
}

/// A mock (table `tbl`) holding `every_type()` under key `s = "x"`, and a bare item `y`.
async fn mock() -> MockBackend {
    use crate::Backend;
    let backend = MockBackend::new();
    let create = CreateTableInput::builder()
        .table_name("tbl")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("s")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("s")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    backend.create_table(create).await.unwrap();
    for item in [
        every_type(),
        HashMap::from([("s".to_string(), AttributeValue::S("y".into()))]),
    ] {
        let put = PutItemInput::builder()
            .table_name("tbl")
            .set_item(Some(item))
            .build()
            .unwrap();
        backend.put_item(put).await.unwrap();
    }
    backend
}

#[tokio::test]
async fn get_item_bytes_are_the_same_json_as_the_tree() {
    use crate::Backend;
    let backend = mock().await;
    let key = |k: &str| HashMap::from([("s".to_string(), AttributeValue::S(k.into()))]);
    let inputs = [
        GetItemInput::builder().table_name("tbl").set_key(Some(key("x"))),
        GetItemInput::builder().table_name("tbl").set_key(Some(key("missing"))),
        GetItemInput::builder()
            .table_name("tbl")
            .set_key(Some(key("x")))
            .projection_expression("m.#q, l[1], s")
            .expression_attribute_names("#q", "q\"uote"),
        GetItemInput::builder()
            .table_name("tbl")
            .set_key(Some(key("x")))
            .return_consumed_capacity(ReturnConsumedCapacity::Total),
        GetItemInput::builder()
            .table_name("tbl")
            .set_key(Some(key("missing")))
            .return_consumed_capacity(ReturnConsumedCapacity::Total),
    ];
    for input in inputs {
        let input = input.build().unwrap();
        let tree = tree(&backend.get_item(input.clone()).await.unwrap());
        assert_eq!(parse(&get_item(&backend, input).unwrap()), tree);
    }
    let missing = GetItemInput::builder().table_name("tbl").set_key(Some(key("missing")));
    assert_eq!(get_item(&backend, missing.build().unwrap()).unwrap(), b"{}");
    let no_table = GetItemInput::builder().table_name("nope").set_key(Some(key("x")));
    assert!(matches!(
        get_item(&backend, no_table.build().unwrap()),
        Err(Error::ResourceNotFound(_))
    ));
}

#[tokio::test]
async fn page_bytes_are_the_same_json_as_the_tree() {
    use crate::Backend;
    let backend = mock().await;
    let scans = [
        ScanInput::builder().table_name("tbl"),
        ScanInput::builder().table_name("tbl").limit(1),
        ScanInput::builder().table_name("tbl").select(Select::Count),
        ScanInput::builder()
            .table_name("tbl")
            .filter_expression("attribute_exists(m)"),
        ScanInput::builder()
            .table_name("tbl")
            .projection_expression("s, ss, bs"),
        ScanInput::builder()
            .table_name("tbl")
            .return_consumed_capacity(ReturnConsumedCapacity::Total),
    ];
    for input in scans {
        let input = input.build().unwrap();
        let tree = tree(&backend.scan(input.clone()).await.unwrap());
        assert_eq!(parse(&scan(&backend, input).unwrap()), tree);
    }
    let q = QueryInput::builder()
        .table_name("tbl")
        .key_condition_expression("s = :x")
        .expression_attribute_values(":x", AttributeValue::S("x".into()));
    for input in [q.clone(), q.clone().limit(1), q.select(Select::Count)] {
        let input = input.build().unwrap();
        let tree = tree(&backend.query(input.clone()).await.unwrap());
        assert_eq!(parse(&query(&backend, input).unwrap()), tree);
    }
    let bad = QueryInput::builder().table_name("tbl").key_condition_expression("s = ");
    assert!(matches!(
        query(&backend, bad.build().unwrap()),
        Err(Error::Validation(_))
    ));
}
