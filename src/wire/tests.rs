use super::*;

use aws_sdk_dynamodb::types::{AttributeValue, Capacity, ConsumedCapacity, ItemCollectionMetrics, ReturnValue};
use serde_json::{Value as Json, json};

// The old getters' names, over the codec: each decodes one member's value.

/// Decodes `v` as a `T` at `pos`, as a body's value is decoded: the type
/// error, else the validation problems, else the value.
fn decode_at<T: Decode>(v: &Json, pos: Pos) -> Result<Option<T>, CodecError> {
    let mut cx = Cx::default();
    let r = T::decode(v, &mut cx, pos);
    if let Some(e) = cx.failed.take() {
        return Err(e);
    }
    let value = r.map_err(|e| ser(e.to_string()))?;
    let value = match (value, pos) {
        (None, Pos::Element) => T::null_element(&mut cx),
        (value, _) => value,
    };
    cx.checks.finish()?;
    Ok(value)
}

fn member<T: Decode>(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<T>, CodecError> {
    decode_at(o.get(key).unwrap_or(&Json::Null), Pos::Member)
}

fn attr_from_json(v: &Json) -> Result<AttributeValue, CodecError> {
    decode_at::<AttributeValue>(v, Pos::Element).map(|v| v.unwrap_or(AttributeValue::Null(true)))
}

fn opt_str(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<String>, CodecError> {
    member(o, key)
}
fn opt_i32(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<i32>, CodecError> {
    member(o, key)
}
fn opt_i64(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<i64>, CodecError> {
    member(o, key)
}
fn opt_f64(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<f64>, CodecError> {
    member(o, key)
}
fn opt_bool(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<bool>, CodecError> {
    member(o, key)
}
fn opt_str_list(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<Vec<String>>, CodecError> {
    // A member's path starts with its name.
    let mut cx = Cx::default();
    cx.path.push(Seg::Member {
        name: leak(key),
        place: 0,
    });
    let r = <Vec<String>>::decode(o.get(key).unwrap_or(&Json::Null), &mut cx, Pos::Member);
    finish(cx, r)
}
fn opt_str_map(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<HashMap<String, String>>, CodecError> {
    let mut cx = Cx::default();
    cx.path.push(Seg::Member {
        name: leak(key),
        place: 0,
    });
    let r = <HashMap<String, String>>::decode(o.get(key).unwrap_or(&Json::Null), &mut cx, Pos::Member);
    finish(cx, r)
}
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}
fn finish<T>(mut cx: Cx, r: Result<Option<T>, serde_json::Error>) -> Result<Option<T>, CodecError> {
    if let Some(e) = cx.failed.take() {
        return Err(e);
    }
    let value = r.map_err(|e| ser(e.to_string()))?;
    cx.checks.finish()?;
    Ok(value)
}
fn opt_enum(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<ReturnValue>, CodecError> {
    Ok(opt_str(o, key)?.map(|s| ReturnValue::from(s.as_str())))
}
fn opt_list_of_maps(o: &serde_json::Map<String, Json>, key: &str) -> Result<Option<Vec<Item>>, CodecError> {
    member(o, key)
}
fn element_list(v: &Json) -> Result<Option<Vec<String>>, CodecError> {
    decode_at(v, Pos::Element)
}
fn element_map(v: &Json) -> Result<Option<Item>, CodecError> {
    decode_at(v, Pos::Element)
}
fn to_json<T: Encode + ?Sized>(v: &T) -> Json {
    let mut out = Vec::new();
    v.encode(&mut out);
    serde_json::from_slice(&out).expect("the codec writes JSON")
}

type Item = HashMap<String, AttributeValue>;

fn s(x: &str) -> AttributeValue {
    AttributeValue::S(x.into())
}

fn ser_err(m: &str) -> Result<AttributeValue, CodecError> {
    Err(CodecError::Serialization(m.into()))
}

fn val_err(m: &str) -> Result<AttributeValue, CodecError> {
    Err(CodecError::Validation(m.into()))
}

#[test]
fn every_attribute_type_round_trips() {
    let cases = [
        (json!({"S": "text"}), s("text")),
        (json!({"S": ""}), s("")),
        (json!({"N": "-12.5e3"}), AttributeValue::N("-12.5e3".into())),
        (
            json!({"B": "AP8Q"}),
            AttributeValue::B(Blob::new(vec![0x00, 0xff, 0x10])),
        ),
        (json!({"B": ""}), AttributeValue::B(Blob::new(Vec::new()))),
        (json!({"BOOL": true}), AttributeValue::Bool(true)),
        (json!({"BOOL": false}), AttributeValue::Bool(false)),
        (json!({"NULL": true}), AttributeValue::Null(true)),
        (
            json!({"SS": ["a", "b"]}),
            AttributeValue::Ss(vec!["a".into(), "b".into()]),
        ),
        (
            json!({"NS": ["1", "2.5"]}),
            AttributeValue::Ns(vec!["1".into(), "2.5".into()]),
        ),
        (
            json!({"BS": ["YQ==", "YmM="]}),
            AttributeValue::Bs(vec![Blob::new(b"a".to_vec()), Blob::new(b"bc".to_vec())]),
        ),
        (json!({"L": []}), AttributeValue::L(vec![])),
        (json!({"L": [{"S": "a"}, {"N": "1"}, {"L": [{"NULL": true}]}]}), {
            AttributeValue::L(vec![
                s("a"),
                AttributeValue::N("1".into()),
                AttributeValue::L(vec![AttributeValue::Null(true)]),
            ])
        }),
        (json!({"M": {}}), AttributeValue::M(HashMap::new())),
        (
            json!({"M": {"x": {"S": "1"}, "y": {"M": {"z": {"BOOL": true}}}}}),
            AttributeValue::M(HashMap::from([
                ("x".to_string(), s("1")),
                (
                    "y".to_string(),
                    AttributeValue::M(HashMap::from([("z".to_string(), AttributeValue::Bool(true))])),
                ),
            ])),
        ),
        // Passed through for the engine to judge.
        (json!({"SS": []}), AttributeValue::Ss(vec![])),
        (
            json!({"NS": ["x", "x"]}),
            AttributeValue::Ns(vec!["x".into(), "x".into()]),
        ),
        (json!({"NULL": false}), AttributeValue::Null(false)),
    ];
    for (wire, av) in cases {
        assert_eq!(attr_from_json(&wire), Ok(av.clone()), "{wire}");
        assert_eq!(attr_to_json(&av), wire, "{av:?}");
        // The byte writer (of the fast answers) writes the same JSON.
        let mut bytes = Vec::new();
        write_attr(&mut bytes, &av);
        assert_eq!(serde_json::from_slice::<Json>(&bytes).ok(), Some(wire), "{av:?}");
    }
}

#[test]
fn the_byte_writer_writes_each_type_tag_then_the_value_without_spaces() {
    let written = |av: AttributeValue| {
        let mut bytes = Vec::new();
        write_attr(&mut bytes, &av);
        String::from_utf8(bytes).unwrap_or_default()
    };
    assert_eq!(written(s("a")), r#"{"S":"a"}"#);
    assert_eq!(written(AttributeValue::Bool(false)), r#"{"BOOL":false}"#);
    assert_eq!(written(AttributeValue::Null(true)), r#"{"NULL":true}"#);
    assert_eq!(
        written(AttributeValue::L(vec![
            AttributeValue::Ns(vec!["1".into()]),
            AttributeValue::M(HashMap::new())
        ])),
        r#"{"L":[{"NS":["1"]},{"M":{}}]}"#
    );
}

#[test]
fn lenient_forms_decode() {
    // Unknown type keys and null members are ignored; booleans may be strings.
    assert_eq!(attr_from_json(&json!({"S": "a", "X": 1})), Ok(s("a")));
    assert_eq!(
        attr_from_json(&json!({"S": null, "N": "1"})),
        Ok(AttributeValue::N("1".into()))
    );
    assert_eq!(attr_from_json(&json!({"BOOL": "TRUE"})), Ok(AttributeValue::Bool(true)));
    assert_eq!(attr_from_json(&json!({"NULL": "true"})), Ok(AttributeValue::Null(true)));
    // A null set member becomes empty, which the engine rejects with DynamoDB's message.
    assert_eq!(
        attr_from_json(&json!({"SS": ["a", null]})),
        Ok(AttributeValue::Ss(vec!["a".into(), String::new()]))
    );
    assert_eq!(
        attr_from_json(&json!({"BS": [null]})),
        Ok(AttributeValue::Bs(vec![Blob::new(Vec::new())]))
    );
}

#[test]
fn attribute_value_validation_errors() {
    assert_eq!(attr_from_json(&json!({})), val_err(MSG_AV_EMPTY));
    assert_eq!(attr_from_json(&json!({"X": "1"})), val_err(MSG_AV_EMPTY));
    assert_eq!(attr_from_json(&json!({"S": null})), val_err(MSG_AV_EMPTY));
    assert_eq!(attr_from_json(&json!(null)), val_err(MSG_AV_EMPTY));
    assert_eq!(attr_from_json(&json!({"S": "a", "N": "1"})), val_err(MSG_AV_MULTIPLE));
    assert_eq!(attr_from_json(&json!({"L": [{}]})), val_err(MSG_AV_EMPTY));
    assert_eq!(
        attr_from_json(&json!({"M": {"a": {"S": "a", "BOOL": true}}})),
        val_err(MSG_AV_MULTIPLE)
    );
    assert_eq!(
        item_from_json(&json!({"a": {"S": "x"}, "b": {}})),
        Err(CodecError::Validation(MSG_AV_EMPTY.into()))
    );
}

#[test]
fn attribute_value_serialization_errors() {
    assert_eq!(
        attr_from_json(&json!({"S": 5})),
        ser_err("NUMBER_VALUE cannot be converted to String")
    );
    assert_eq!(
        attr_from_json(&json!({"S": 5.5})),
        ser_err("DECIMAL_VALUE cannot be converted to String")
    );
    assert_eq!(
        attr_from_json(&json!({"S": true})),
        ser_err("TRUE_VALUE cannot be converted to String")
    );
    assert_eq!(
        attr_from_json(&json!({"S": false})),
        ser_err("FALSE_VALUE cannot be converted to String")
    );
    assert_eq!(attr_from_json(&json!({"S": {}})), ser_err(MSG_OBJECT_NOT_EXPECTED));
    assert_eq!(
        attr_from_json(&json!({"S": []})),
        ser_err("Unrecognized collection type class java.lang.String")
    );
    // Numbers travel as strings: a JSON number is refused.
    assert_eq!(
        attr_from_json(&json!({"N": 5})),
        ser_err("NUMBER_VALUE cannot be converted to String")
    );
    assert_eq!(
        attr_from_json(&json!({"NS": [1]})),
        ser_err("NUMBER_VALUE cannot be converted to String")
    );
    assert_eq!(
        attr_from_json(&json!({"BOOL": "yes"})),
        ser_err("Unexpected token received from parser")
    );
    assert_eq!(
        attr_from_json(&json!({"BOOL": 1})),
        ser_err("NUMBER_VALUE cannot be converted to Boolean")
    );
    assert_eq!(
        attr_from_json(&json!({"NULL": 1.5})),
        ser_err("DECIMAL_VALUE cannot be converted to Boolean")
    );
    assert_eq!(attr_from_json(&json!({"SS": "a"})), ser_err(MSG_UNEXPECTED_FIELD));
    assert_eq!(attr_from_json(&json!({"SS": {}})), ser_err(MSG_OBJECT_NOT_EXPECTED));
    assert_eq!(attr_from_json(&json!({"L": "a"})), ser_err(MSG_UNEXPECTED_FIELD));
    assert_eq!(attr_from_json(&json!({"L": [5]})), ser_err(MSG_UNEXPECTED_VALUE));
    assert_eq!(
        attr_from_json(&json!({"L": [[]]})),
        ser_err("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue")
    );
    assert_eq!(attr_from_json(&json!({"M": 1})), ser_err(MSG_UNEXPECTED_FIELD));
    assert_eq!(
        attr_from_json(&json!({"M": []})),
        ser_err(
            "Unrecognized collection type java.util.Map<java.lang.String, \
             com.amazonaws.dynamodb.v20120810.AttributeValue>"
        )
    );
    assert_eq!(attr_from_json(&json!("S")), ser_err(MSG_UNEXPECTED_VALUE));
    assert_eq!(item_from_json(&json!(5)), Err(ser(MSG_UNEXPECTED_FIELD)));
    // A type error wins over a validation problem anywhere in the body.
    assert_eq!(
        item_from_json(&json!({"a": {}, "b": {"S": "a", "N": "1"}, "c": {"M": {"d": {"S": 1}}}})),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
}

#[test]
fn binary_values_need_canonical_padded_base64() {
    assert_eq!(
        attr_from_json(&json!({"B": "23456"})),
        ser_err("Base64 encoded length is expected a multiple of 4 bytes but found: 5")
    );
    assert_eq!(
        attr_from_json(&json!({"B": "YQ"})),
        ser_err("Base64 encoded length is expected a multiple of 4 bytes but found: 2")
    );
    assert_eq!(
        attr_from_json(&json!({"B": "=+/="})),
        ser_err("Invalid last non-pad Base64 character dectected")
    );
    assert_eq!(
        attr_from_json(&json!({"B": "+/+="})),
        ser_err("Invalid last non-pad Base64 character dectected")
    );
    assert_eq!(
        attr_from_json(&json!({"B": "Y!=="})),
        ser_err("Invalid Base64 character: '!'")
    );
    assert_eq!(
        attr_from_json(&json!({"B": "YQ-_"})),
        ser_err("Invalid Base64 character: '-'")
    );
    assert_eq!(attr_from_json(&json!({"BS": ["YQ==", "Y"]})), {
        ser_err("Base64 encoded length is expected a multiple of 4 bytes but found: 1")
    });
    assert_eq!(
        attr_from_json(&json!({"B": 5})),
        ser_err("only base-64-encoded strings are convertible to bytes")
    );
    assert_eq!(attr_from_json(&json!({"BS": [true]})), {
        ser_err("only base-64-encoded strings are convertible to bytes")
    });
    assert_eq!(
        attr_from_json(&json!({"B": []})),
        ser_err("Unrecognized collection type class java.nio.ByteBuffer")
    );
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(base64_decode(&base64_encode(&all)), Ok(all));
}

#[test]
fn items_round_trip_whatever_the_order() {
    let wire = json!({"pk": {"S": "a"}, "n": {"N": "1"}, "l": {"L": [{"S": "x"}]}});
    let item = item_from_json(&wire).unwrap();
    assert_eq!(
        item,
        HashMap::from([
            ("pk".to_string(), s("a")),
            ("n".to_string(), AttributeValue::N("1".into())),
            ("l".to_string(), AttributeValue::L(vec![s("x")])),
        ])
    );
    assert_eq!(item_to_json(&item), wire);
    let reordered: Json = serde_json::from_str(r#"{"n":{"N":"1"},"l":{"L":[{"S":"x"}]},"pk":{"S":"a"}}"#).unwrap();
    assert_eq!(item_from_json(&reordered).unwrap(), item);
}

#[test]
fn scalar_getters() {
    let o = json!({
        "s": "x", "i": 5, "f": 5.9, "neg": -5.9, "big": 1e20, "huge": 99999999999u64,
        "b": true, "bs": "False", "n": null, "str_list": ["a", "b"], "str_map": {"#a": "b"},
    });
    let o = o.as_object().unwrap();
    assert_eq!(opt_str(o, "s"), Ok(Some("x".into())));
    assert_eq!(opt_str(o, "missing"), Ok(None));
    assert_eq!(opt_str(o, "n"), Ok(None));
    assert_eq!(opt_i32(o, "i"), Ok(Some(5)));
    assert_eq!(opt_i32(o, "f"), Ok(Some(5)));
    assert_eq!(opt_i32(o, "neg"), Ok(Some(-5)));
    assert_eq!(opt_i32(o, "big"), Ok(Some(i32::MAX)));
    assert_eq!(opt_i32(o, "huge"), Ok(Some(i32::MAX)));
    assert_eq!(opt_i64(o, "huge"), Ok(Some(99_999_999_999)));
    assert_eq!(opt_f64(o, "f"), Ok(Some(5.9)));
    assert_eq!(opt_bool(o, "b"), Ok(Some(true)));
    assert_eq!(opt_bool(o, "bs"), Ok(Some(false)));
    assert_eq!(opt_str_list(o, "str_list"), Ok(Some(vec!["a".into(), "b".into()])));
    assert_eq!(
        opt_str_map(o, "str_map"),
        Ok(Some(HashMap::from([("#a".to_string(), "b".to_string())])))
    );
    assert_eq!(opt_enum(o, "s"), Ok(Some(ReturnValue::from("x"))));
    assert_eq!(opt_i32(o, "s"), Err(ser("STRING_VALUE cannot be converted to Integer")));
    assert_eq!(opt_i64(o, "b"), Err(ser("TRUE_VALUE cannot be converted to Long")));
    assert_eq!(opt_f64(o, "s"), Err(ser("STRING_VALUE cannot be converted to Double")));
    assert_eq!(
        opt_i32(o, "str_list"),
        Err(ser("Unrecognized collection type class java.lang.Integer"))
    );
    assert_eq!(opt_i32(o, "str_map"), Err(ser(MSG_OBJECT_NOT_EXPECTED)));
    assert_eq!(opt_str(o, "i"), Err(ser("NUMBER_VALUE cannot be converted to String")));
    assert_eq!(opt_bool(o, "s"), Err(ser("Unexpected token received from parser")));
    assert_eq!(opt_str_list(o, "s"), Err(ser(MSG_UNEXPECTED_FIELD)));
    assert_eq!(opt_str_list(o, "str_map"), Err(ser(MSG_OBJECT_NOT_EXPECTED)));
    assert_eq!(opt_str_map(o, "s"), Err(ser(MSG_UNEXPECTED_FIELD)));
    assert_eq!(
        opt_str_map(o, "str_list"),
        Err(ser(
            "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"
        ))
    );
    assert_eq!(opt_list_of_maps(o, "s"), Err(ser(MSG_UNEXPECTED_FIELD)));
    assert_eq!(opt_list_of_maps(o, "str_map"), Err(ser(MSG_OBJECT_NOT_EXPECTED)));
    assert_eq!(element_list(&json!(1)), Err(ser(MSG_PARAMETERIZED)));
    assert_eq!(element_list(&json!(null)), Ok(Some(Vec::new())));
    assert_eq!(element_map(&json!("x")), Err(ser(MSG_PARAMETERIZED)));
    assert_eq!(element_map(&json!(null)), Ok(Some(Item::new())));
    assert_eq!(
        element_map(&json!([])),
        Err(ser(
            "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"
        ))
    );
}

#[test]
fn null_elements_of_string_collections_are_invalid() {
    let o = json!({"AttributesToGet": ["a", null], "ExpressionAttributeNames": {"#a": null}});
    let o = o.as_object().unwrap();
    assert_eq!(
        opt_str_list(o, "AttributesToGet"),
        Err(CodecError::Validation(
            "1 validation error detected: Value null at 'attributesToGet.member' failed to satisfy constraint: \
             Member must not be null"
                .into()
        ))
    );
    assert_eq!(
        opt_str_map(o, "ExpressionAttributeNames"),
        Err(CodecError::Validation(
            "1 validation error detected: Value null at 'expressionAttributeNames.#a.member' failed to satisfy \
             constraint: Member must not be null"
                .into()
        ))
    );
}

#[test]
fn checks_combine_constraints_first_in_the_model_s_order() {
    let mut cx = Cx::default();
    assert!(cx.checks.is_ok());
    cx.checks.invalid(MSG_AV_EMPTY);
    cx.checks.invalid("second");
    assert_eq!(
        cx.checks.clone().finish(),
        Err(CodecError::Validation(MSG_AV_EMPTY.into()))
    );
    // Found out of order (a nested member first, the first member last): reported in the model's order.
    cx.path.push(Seg::Member {
        name: "KeySchema",
        place: 2,
    });
    cx.path.push(Seg::Index(1));
    cx.missing("KeyType", 1);
    cx.path.pop();
    cx.path.push(Seg::Index(0));
    cx.missing("AttributeName", 0);
    cx.path.clear();
    cx.missing("Item", 1);
    assert_eq!(
        cx.checks.finish(),
        Err(CodecError::Validation(
            "3 validation errors detected: Value null at 'item' failed to satisfy constraint: Member must \
             not be null; Value null at 'keySchema.1.member.attributeName' failed to satisfy constraint: Member \
             must not be null; Value null at 'keySchema.2.member.keyType' failed to satisfy constraint: Member \
             must not be null"
                .into()
        ))
    );
    let mut cx = Cx::default();
    for i in (0..12).rev() {
        cx.missing(leak(&format!("M{i}")), i);
    }
    let Err(CodecError::Validation(m)) = cx.checks.finish() else {
        panic!("violations are reported")
    };
    assert!(
        m.starts_with("10 validation errors detected: Value null at 'm0' "),
        "{m}"
    );
    assert!(
        m.ends_with("Value null at 'm9' failed to satisfy constraint: Member must not be null"),
        "{m}"
    );
    assert_eq!(Checks::default().finish(), Ok(()));
}

#[test]
fn error_names() {
    let e = CodecError::Serialization("m".into());
    assert_eq!((e.error_type(), e.message()), ("SerializationException", "m"));
    assert_eq!(e.to_string(), "SerializationException: m");
    let e = CodecError::Validation("v".into());
    assert_eq!((e.error_type(), e.message()), ("ValidationException", "v"));
    assert_eq!(lower_first("TableName"), "tableName");
    assert_eq!(lower_first(""), "");
}

#[test]
fn capacity_and_metrics_encode() {
    let cap = Capacity::builder().capacity_units(1.0).build();
    let c = ConsumedCapacity::builder()
        .table_name("T")
        .capacity_units(3.5)
        .read_capacity_units(2.0)
        .write_capacity_units(1.5)
        .table(Capacity::builder().read_capacity_units(2.0).capacity_units(2.0).build())
        .local_secondary_indexes("lsi", cap.clone())
        .global_secondary_indexes("gsi", cap)
        .build();
    assert_eq!(
        to_json(&c),
        json!({
            "TableName": "T",
            "CapacityUnits": 3.5,
            "ReadCapacityUnits": 2.0,
            "WriteCapacityUnits": 1.5,
            "Table": {"ReadCapacityUnits": 2.0, "CapacityUnits": 2.0},
            "LocalSecondaryIndexes": {"lsi": {"CapacityUnits": 1.0}},
            "GlobalSecondaryIndexes": {"gsi": {"CapacityUnits": 1.0}},
        })
    );
    let minimal = ConsumedCapacity::builder().table_name("T").capacity_units(1.0).build();
    assert_eq!(to_json(&minimal), json!({"TableName": "T", "CapacityUnits": 1.0}));
    assert_eq!(
        String::from_utf8(crate::wire::encode_body(&minimal)).unwrap(),
        r#"{"TableName":"T","CapacityUnits":1.0}"#
    );
    let m = ItemCollectionMetrics::builder()
        .item_collection_key("pk", s("a"))
        .size_estimate_range_gb(0.0)
        .size_estimate_range_gb(1.0)
        .build();
    assert_eq!(
        to_json(&m),
        json!({"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]})
    );
    assert_eq!(
        to_json(&HashMap::from([("T".to_string(), vec![m])])),
        json!({"T": [{"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]})
    );
    assert_eq!(to_json(&f64::NAN), json!(0));
}

#[test]
fn a_missing_top_level_table_name_is_reported_alone_before_every_constraint() {
    let mut cx = Cx::default();
    cx.missing("Key", 2);
    cx.checks.invalid(MSG_AV_EMPTY);
    cx.missing("TableName", 0);
    assert!(!cx.checks.is_ok());
    assert_eq!(
        cx.checks.finish(),
        Err(CodecError::Validation(
            "The parameter 'TableName' is required but was not present in the request".into()
        ))
    );
    // A nested TableName (a transaction action's) is an ordinary constraint.
    let mut cx = Cx::default();
    cx.path.push(Seg::Member { name: "Put", place: 0 });
    cx.missing("TableName", 1);
    assert_eq!(
        cx.checks.finish(),
        Err(CodecError::Validation(
            "1 validation error detected: Value null at 'put.tableName' failed to satisfy constraint: Member must not be null"
                .into()
        ))
    );
}
