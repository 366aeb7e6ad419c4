use super::*;

use aws_sdk_dynamodb::types::ReturnValue;

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
    assert_eq!(opt_enum::<ReturnValue>(o, "s"), Ok(Some(ReturnValue::from("x"))));
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
    assert_eq!(opt_obj(o, "s", "Put"), Err(ser(MSG_UNEXPECTED_FIELD)));
    assert_eq!(
        opt_obj(o, "str_list", "Put"),
        Err(ser(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Put"
        ))
    );
    assert_eq!(element_obj(&json!(1), "Put"), Err(ser(MSG_UNEXPECTED_VALUE)));
    assert_eq!(element_list(&json!(1)), Err(ser(MSG_PARAMETERIZED)));
    assert_eq!(element_map(&json!("x"), "AttributeValue"), Err(ser(MSG_PARAMETERIZED)));
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
fn checks_combine_constraints_first() {
    let mut c = Checks::new();
    assert!(c.is_ok());
    c.invalid(MSG_AV_EMPTY);
    c.invalid("second");
    assert_eq!(c.clone().finish(), Err(CodecError::Validation(MSG_AV_EMPTY.into())));
    assert_eq!(c.require(Some(1), "x"), Some(1));
    assert_eq!(c.require(None::<i32>, "tableName"), None);
    c.constraint(Some("hi"), "select", "Member must satisfy enum value set: [ALL]");
    assert_eq!(
        c.finish(),
        Err(CodecError::Validation(
            "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must \
             not be null; Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value \
             set: [ALL]"
                .into()
        ))
    );
    let mut c = Checks::new();
    for i in 0..12 {
        c.require(None::<()>, &format!("m{i}"));
    }
    assert!(matches!(c.finish(), Err(CodecError::Validation(m)) if m.starts_with("10 validation errors")));
    assert_eq!(Checks::new().finish(), Ok(()));
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
        consumed_capacity_to_json(&c),
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
    assert_eq!(
        consumed_capacity_to_json(&minimal),
        json!({"TableName": "T", "CapacityUnits": 1.0})
    );
    assert_eq!(
        serde_json::to_string(&consumed_capacity_to_json(&minimal)).unwrap(),
        r#"{"CapacityUnits":1.0,"TableName":"T"}"#
    );
    let m = ItemCollectionMetrics::builder()
        .item_collection_key("pk", s("a"))
        .size_estimate_range_gb(0.0)
        .size_estimate_range_gb(1.0)
        .build();
    assert_eq!(
        item_collection_metrics_to_json(&m),
        json!({"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]})
    );
    assert_eq!(
        item_collection_metrics_per_table_to_json(&HashMap::from([("T".to_string(), vec![m])])),
        json!({"T": [{"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}]})
    );
    assert_eq!(f64_to_json(f64::NAN), json!(0));
}
