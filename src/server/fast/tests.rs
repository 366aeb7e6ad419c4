use super::*;
use crate::server::json_items;

const EVERY_TYPE: &str = r#"{"s": {"S": "x\"y\u00e9"}, "n": {"N": "-1.5"}, "b": {"B": "AAH/"},
    "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["Bw=="]},
    "t": {"BOOL": true}, "z": {"NULL": true}, "l": {"L": [{"N": "1"}, {"M": {"q": {"S": ""}}}]},
    "m": {"M": {"k": {"L": []}}}}"#;

fn general<T>(body: &str, decode: fn(&serde_json::Value) -> Result<T, super::super::codec::CodecError>) -> T {
    decode(&serde_json::from_str(body).unwrap()).unwrap()
}

#[test]
fn what_the_fast_path_reads_the_general_path_reads_the_same() {
    let put = format!(r#"{{"TableName": "things", "Item": {EVERY_TYPE}}}"#);
    assert_eq!(
        put_item(put.as_bytes()).unwrap(),
        general(&put, json_items::put_item_input)
    );
    let get = format!(r#"{{"Key": {EVERY_TYPE}, "ConsistentRead": true, "TableName": "things"}}"#);
    assert_eq!(
        get_item(get.as_bytes()).unwrap(),
        general(&get, json_items::get_item_input)
    );
    let batch = format!(
        r#"{{"RequestItems": {{"things": [{{"PutRequest": {{"Item": {EVERY_TYPE}}}}},
            {{"DeleteRequest": {{"Key": {{"id": {{"S": "a"}}}}}}}}], "other": []}}}}"#
    );
    assert_eq!(
        batch_write_item(batch.as_bytes()).unwrap(),
        general(&batch, json_items::batch_write_item_input)
    );
}

#[test]
fn anything_else_takes_the_general_path() {
    let not_fast = [
        // Other members, repeated members, other request kinds.
        r#"{"TableName": "t", "Item": {}, "ReturnValues": "ALL_OLD"}"#,
        r#"{"TableName": "t", "TableName": "u", "Item": {}}"#,
        r#"{"TableName": "t", "Key": {}}"#,
        // Required members missing: the general path names them.
        r#"{}"#,
        r#"{"TableName": "t"}"#,
        r#"{"Item": {}}"#,
        // Types and shapes the general path reports on.
        r#"{"TableName": null, "Item": {}}"#,
        r#"{"TableName": 5, "Item": {}}"#,
        r#"{"TableName": "t", "Item": []}"#,
        r#"{"TableName": "t", "Item": {"a": {}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"S": "x", "N": "1"}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"S": null}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"S": 1}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"SS": ["x", null]}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"B": "not base64!"}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"X": "1"}}}"#,
        r#"{"TableName": "t", "Item": {"a": {"L": {}}}}"#,
        r#"{"TableName": "t", "Item": {}} trailing"#,
        r#"{"TableName": "t", "Item": {}"#,
        r#"[]"#,
        r#""#,
    ];
    for body in not_fast {
        assert!(put_item(body.as_bytes()).is_none(), "{body}");
    }
    for body in [
        r#"{"RequestItems": {"t": [{"PutRequest": {"Item": {}, "Extra": 1}}]}}"#,
        r#"{"RequestItems": {"t": [{"PutRequest": {"Key": {}}}]}}"#,
        r#"{"RequestItems": {"t": [{}]}}"#,
        r#"{"RequestItems": {"t": [{"PutRequest": {"Item": {}}, "DeleteRequest": {"Key": {}}}]}}"#,
        r#"{"RequestItems": {"t": []}, "ReturnConsumedCapacity": "TOTAL"}"#,
        r#"{"RequestItems": {"t": [], "t": []}}"#,
    ] {
        assert!(batch_write_item(body.as_bytes()).is_none(), "{body}");
    }
    assert!(get_item(br#"{"TableName": "t", "Key": {}, "ProjectionExpression": "a"}"#).is_none());
    assert!(get_item(br#"{"TableName": "t"}"#).is_none());
    assert!(batch_write_item(b"{}").is_none());
}

mod generated {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Attribute values, mostly well-formed, some not (the shapes the
    /// general path reports on).
    fn attribute_value() -> impl Strategy<Value = Value> {
        let text = "[a-z\"\\\\\n\u{e9}]{0,6}";
        let leaf = prop_oneof![
            text.prop_map(|s| json!({ "S": s })),
            "-?[0-9]{1,4}(\\.[0-9]{1,2})?".prop_map(|s| json!({ "N": s })),
            prop_oneof![Just("AAH/".to_string()), Just("not base64!".to_string())].prop_map(|s| json!({ "B": s })),
            prop::collection::vec(text, 0..3).prop_map(|v| json!({ "SS": v })),
            prop::collection::vec("[0-9]{1,3}", 0..3).prop_map(|v| json!({ "NS": v })),
            any::<bool>().prop_map(|b| json!({ "BOOL": b })),
            any::<bool>().prop_map(|b| json!({ "NULL": b })),
            Just(json!({})),
            Just(json!({ "S": "x", "N": "1" })),
            Just(json!({ "S": null })),
            Just(json!({ "SS": ["a", null] })),
            Just(json!({ "X": "1" })),
            Just(json!({ "BOOL": "yes" })),
            Just(json!(null)),
            Just(json!(5)),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "L": v })),
                prop::collection::btree_map("[a-c]{1,2}", inner, 0..3).prop_map(|m| json!({ "M": m })),
                Just(json!({ "L": {} })),
                Just(json!({ "M": [] })),
            ]
        })
    }

    fn item() -> impl Strategy<Value = Value> {
        prop_oneof![
            8 => prop::collection::btree_map("[a-d]{1,3}", attribute_value(), 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            1 => Just(json!([])),
            1 => Just(json!(null)),
        ]
    }

    fn table_name() -> impl Strategy<Value = Value> {
        prop_oneof![
            6 => "[a-z]{1,5}".prop_map(Value::String),
            1 => Just(json!(null)),
            1 => Just(json!(7)),
        ]
    }

    /// A top-level object with some of `members`, maybe an extra one.
    fn request(members: Vec<(&'static str, BoxedStrategy<Value>)>) -> impl Strategy<Value = String> {
        let picks: Vec<_> = members
            .into_iter()
            .map(|(name, value)| prop::option::weighted(0.9, value).prop_map(move |v| (name, v)))
            .collect();
        (
            picks,
            prop::option::weighted(0.1, Just(("ReturnValues", json!("ALL_OLD")))),
        )
            .prop_map(|(picked, extra)| {
                let mut o = serde_json::Map::new();
                for (name, v) in picked.into_iter().chain(extra.map(|(n, v)| (n, Some(v)))) {
                    if let Some(v) = v {
                        o.insert(name.to_string(), v);
                    }
                }
                Value::Object(o).to_string()
            })
    }

    fn write_request() -> impl Strategy<Value = Value> {
        prop_oneof![
            item().prop_map(|i| json!({ "PutRequest": { "Item": i } })),
            item().prop_map(|k| json!({ "DeleteRequest": { "Key": k } })),
            Just(json!({})),
            Just(json!({ "PutRequest": { "Key": {} } })),
        ]
    }

    /// The general path's answer for a body the fast path read.
    fn agrees<T: PartialEq + fmt::Debug>(
        fast: Option<T>,
        body: &str,
        decode: fn(&Value) -> Result<T, super::super::super::codec::CodecError>,
    ) -> Result<(), TestCaseError> {
        if let Some(fast) = fast {
            let general = decode(&serde_json::from_str(body).unwrap());
            prop_assert_eq!(general.as_ref().ok(), Some(&fast), "{}", body);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn put_item_bodies(body in request(vec![
            ("TableName", table_name().boxed()),
            ("Item", item().boxed()),
        ])) {
            agrees(put_item(body.as_bytes()), &body, json_items::put_item_input)?;
        }

        #[test]
        fn get_item_bodies(body in request(vec![
            ("TableName", table_name().boxed()),
            ("Key", item().boxed()),
            ("ConsistentRead", prop_oneof![any::<bool>().prop_map(Value::Bool), Just(json!("yes"))].boxed()),
        ])) {
            agrees(get_item(body.as_bytes()), &body, json_items::get_item_input)?;
        }

        #[test]
        fn batch_write_item_bodies(body in request(vec![(
            "RequestItems",
            prop::collection::btree_map("[a-c]{1,2}", prop::collection::vec(write_request(), 0..4), 0..3)
                .prop_map(|m| json!(m))
                .boxed(),
        )])) {
            agrees(batch_write_item(body.as_bytes()), &body, json_items::batch_write_item_input)?;
        }
    }
}
