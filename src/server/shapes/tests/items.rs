use super::*;

fn s(x: &str) -> AttributeValue {
    AttributeValue::S(x.into())
}

fn n(x: &str) -> AttributeValue {
    AttributeValue::N(x.into())
}

fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn names_map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn ser(m: &str) -> CodecError {
    CodecError::Serialization(m.into())
}

/// A request without its TableName, named alone (as DynamoDB answers).
fn no_table_name() -> CodecError {
    CodecError::Validation(crate::mock::validate::TABLE_NAME_REQUIRED.into())
}

fn null_at(paths: &[&str]) -> CodecError {
    let n = paths.len();
    let parts: Vec<String> = paths
        .iter()
        .map(|p| format!("Value null at '{p}' failed to satisfy constraint: Member must not be null"))
        .collect();
    let s = if n == 1 { "" } else { "s" };
    CodecError::Validation(format!("{n} validation error{s} detected: {}", parts.join("; ")))
}

fn cap(table: &str, units: f64) -> ConsumedCapacity {
    ConsumedCapacity::builder()
        .table_name(table)
        .capacity_units(units)
        .build()
}

#[test]
fn get_item_round_trip() {
    let body = json!({
        "TableName": "Music",
        "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
        "ConsistentRead": true,
        "ReturnConsumedCapacity": "TOTAL",
        "ProjectionExpression": "#t, Price",
        "ExpressionAttributeNames": {"#t": "AlbumTitle"},
        "AttributesToGet": ["AlbumTitle"],
        "SomeFutureMember": {"ignored": true},
    });
    let expected = GetItemInput::builder()
        .table_name("Music")
        .set_key(Some(item(&[("Artist", s("Acme Band")), ("SongTitle", s("Happy Day"))])))
        .consistent_read(true)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .projection_expression("#t, Price")
        .set_expression_attribute_names(Some(names_map(&[("#t", "AlbumTitle")])))
        .attributes_to_get("AlbumTitle")
        .build()
        .unwrap();
    assert_eq!(get_item_input(&body), Ok(expected));

    let out = GetItemOutput::builder()
        .set_item(Some(item(&[("Artist", s("Acme Band")), ("Price", n("0.99"))])))
        .consumed_capacity(cap("Music", 0.5))
        .build();
    assert_eq!(
        get_item_output(&out),
        json!({
            "Item": {"Artist": {"S": "Acme Band"}, "Price": {"N": "0.99"}},
            "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 0.5},
        })
    );
    assert_eq!(get_item_output(&GetItemOutput::builder().build()), json!({}));
}

#[test]
fn get_item_errors() {
    assert_eq!(get_item_input(&json!({})), Err(no_table_name()));
    assert_eq!(
        get_item_input(&json!({"TableName": null, "Key": {"a": {"S": "1"}}})),
        Err(no_table_name())
    );
    assert_eq!(
        get_item_input(&json!({"TableName": 3, "Key": {}})),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
    assert_eq!(
        get_item_input(&json!({"TableName": "T", "Key": {"a": {}}})),
        Err(CodecError::Validation(MSG_AV_EMPTY.into()))
    );
    // A type error is reported before any validation problem.
    assert_eq!(
        get_item_input(&json!({"Key": {"a": {}}, "ConsistentRead": 1})),
        Err(ser("NUMBER_VALUE cannot be converted to Boolean"))
    );
    assert_eq!(
        get_item_input(&json!({"TableName": "T", "Key": []})),
        Err(ser("Unrecognized collection type java.util.Map<java.lang.String, \
             com.amazonaws.dynamodb.v20120810.AttributeValue>"))
    );
    assert_eq!(
        get_item_input(&json!([])),
        Err(ser(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.GetItemInput"
        ))
    );
    assert_eq!(get_item_input(&json!("x")), Err(ser("Unexpected field type")));
}

#[test]
fn put_item_round_trip() {
    let body = json!({
        "TableName": "Music",
        "Item": {
            "Artist": {"S": "No One You Know"},
            "Year": {"N": "2015"},
            "Cover": {"B": "AQID"},
            "Tags": {"SS": ["a", "b"]},
            "Awards": {"L": [{"M": {"name": {"S": "x"}}}]},
            "Single": {"BOOL": false},
            "Label": {"NULL": true},
        },
        "ConditionExpression": "attribute_not_exists(#a) OR #y < :y",
        "ExpressionAttributeNames": {"#a": "Artist", "#y": "Year"},
        "ExpressionAttributeValues": {":y": {"N": "2016"}},
        "ReturnValues": "ALL_OLD",
        "ReturnConsumedCapacity": "INDEXES",
        "ReturnItemCollectionMetrics": "SIZE",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "Expected": {
            "Artist": {"Exists": false},
            "Year": {"Value": {"N": "1"}, "ComparisonOperator": "GT"},
            "Tags": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "CONTAINS"},
        },
        "ConditionalOperator": "OR",
    });
    let expected = PutItemInput::builder()
        .table_name("Music")
        .set_item(Some(item(&[
            ("Artist", s("No One You Know")),
            ("Year", n("2015")),
            ("Cover", AttributeValue::B(Blob::new(vec![1, 2, 3]))),
            ("Tags", AttributeValue::Ss(vec!["a".into(), "b".into()])),
            (
                "Awards",
                AttributeValue::L(vec![AttributeValue::M(item(&[("name", s("x"))]))]),
            ),
            ("Single", AttributeValue::Bool(false)),
            ("Label", AttributeValue::Null(true)),
        ])))
        .condition_expression("attribute_not_exists(#a) OR #y < :y")
        .set_expression_attribute_names(Some(names_map(&[("#a", "Artist"), ("#y", "Year")])))
        .set_expression_attribute_values(Some(item(&[(":y", n("2016"))])))
        .return_values(ReturnValue::AllOld)
        .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .expected("Artist", ExpectedAttributeValue::builder().exists(false).build())
        .expected(
            "Year",
            ExpectedAttributeValue::builder()
                .value(n("1"))
                .comparison_operator(ComparisonOperator::Gt)
                .build(),
        )
        .expected(
            "Tags",
            ExpectedAttributeValue::builder()
                .attribute_value_list(s("a"))
                .comparison_operator(ComparisonOperator::Contains)
                .build(),
        )
        .conditional_operator(ConditionalOperator::Or)
        .build()
        .unwrap();
    assert_eq!(put_item_input(&body), Ok(expected));

    let out = PutItemOutput::builder()
        .set_attributes(Some(item(&[("Artist", s("No One You Know"))])))
        .consumed_capacity(cap("Music", 1.0))
        .item_collection_metrics(
            ItemCollectionMetrics::builder()
                .item_collection_key("Artist", s("No One You Know"))
                .size_estimate_range_gb(0.0)
                .size_estimate_range_gb(1.0)
                .build(),
        )
        .build();
    assert_eq!(
        put_item_output(&out),
        json!({
            "Attributes": {"Artist": {"S": "No One You Know"}},
            "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 1.0},
            "ItemCollectionMetrics": {
                "ItemCollectionKey": {"Artist": {"S": "No One You Know"}},
                "SizeEstimateRangeGB": [0.0, 1.0],
            },
        })
    );
    assert_eq!(put_item_output(&PutItemOutput::builder().build()), json!({}));
}

#[test]
fn put_item_errors() {
    assert_eq!(put_item_input(&json!({})), Err(no_table_name()));
    assert_eq!(put_item_input(&json!({"TableName": "T"})), Err(null_at(&["item"])));
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {"a": {"S": "x", "N": "1"}}})),
        Err(CodecError::Validation(crate::wire::MSG_AV_MULTIPLE.into()))
    );
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {"a": 5}})),
        Err(ser(MSG_UNEXPECTED_VALUE))
    );
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": {"Exists": "maybe"}}})),
        Err(ser("Unexpected token received from parser"))
    );
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": {"Value": 5}}})),
        Err(ser("Unexpected field type"))
    );
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {}, "Expected": {"a": 5}})),
        Err(ser(MSG_UNEXPECTED_VALUE))
    );
    assert_eq!(
        put_item_input(&json!({"TableName": "T", "Item": {}, "ReturnValues": ["ALL_OLD"]})),
        Err(ser("Unrecognized collection type class java.lang.String"))
    );
    // Unknown enum values are the engine's to reject.
    let input = put_item_input(&json!({"TableName": "T", "Item": {}, "ReturnValues": "SOME"})).unwrap();
    assert_eq!(input.return_values, Some(ReturnValue::from("SOME")));
}

#[test]
fn update_item_round_trip() {
    let body = json!({
        "TableName": "Music",
        "Key": {"Artist": {"S": "Acme Band"}},
        "UpdateExpression": "SET #p = :p ADD Plays :one",
        "ConditionExpression": "attribute_exists(Artist)",
        "ExpressionAttributeNames": {"#p": "Price"},
        "ExpressionAttributeValues": {":p": {"N": "1.98"}, ":one": {"N": "1"}},
        "ReturnValues": "UPDATED_NEW",
        "ReturnConsumedCapacity": "NONE",
        "ReturnItemCollectionMetrics": "NONE",
        "ReturnValuesOnConditionCheckFailure": "NONE",
        "AttributeUpdates": {
            "Genre": {"Value": {"S": "Rock"}, "Action": "PUT"},
            "Old": {"Action": "DELETE"},
        },
        "Expected": {"Artist": {"Value": {"S": "Acme Band"}, "Exists": true}},
        "ConditionalOperator": "AND",
    });
    let expected = UpdateItemInput::builder()
        .table_name("Music")
        .set_key(Some(item(&[("Artist", s("Acme Band"))])))
        .update_expression("SET #p = :p ADD Plays :one")
        .condition_expression("attribute_exists(Artist)")
        .set_expression_attribute_names(Some(names_map(&[("#p", "Price")])))
        .set_expression_attribute_values(Some(item(&[(":p", n("1.98")), (":one", n("1"))])))
        .return_values(ReturnValue::UpdatedNew)
        .return_consumed_capacity(ReturnConsumedCapacity::None)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::None)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::None)
        .attribute_updates(
            "Genre",
            AttributeValueUpdate::builder()
                .value(s("Rock"))
                .action(AttributeAction::Put)
                .build(),
        )
        .attribute_updates(
            "Old",
            AttributeValueUpdate::builder().action(AttributeAction::Delete).build(),
        )
        .expected(
            "Artist",
            ExpectedAttributeValue::builder()
                .value(s("Acme Band"))
                .exists(true)
                .build(),
        )
        .conditional_operator(ConditionalOperator::And)
        .build()
        .unwrap();
    assert_eq!(update_item_input(&body), Ok(expected));

    let out = UpdateItemOutput::builder()
        .set_attributes(Some(item(&[("Price", n("1.98")), ("Plays", n("1"))])))
        .build();
    assert_eq!(
        update_item_output(&out),
        json!({"Attributes": {"Price": {"N": "1.98"}, "Plays": {"N": "1"}}})
    );
}

#[test]
fn update_item_errors() {
    assert_eq!(update_item_input(&json!({"TableName": "T"})), Err(null_at(&["key"])));
    assert_eq!(
        update_item_input(&json!({"TableName": "T", "Key": {}, "AttributeUpdates": {"a": {"Value": {"B": "x"}}}})),
        Err(ser(
            "Base64 encoded length is expected a multiple of 4 bytes but found: 1"
        ))
    );
    assert_eq!(
        update_item_input(&json!({"TableName": "T", "Key": {}, "UpdateExpression": {}})),
        Err(ser("Start of structure or map found where not expected"))
    );
}

#[test]
fn delete_item_round_trip() {
    let body = json!({
        "TableName": "Music",
        "Key": {"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Happy Day"}},
        "ConditionExpression": "Price > :p",
        "ExpressionAttributeValues": {":p": {"N": "0"}},
        "ExpressionAttributeNames": {"#x": "x"},
        "ReturnValues": "ALL_OLD",
        "ReturnConsumedCapacity": "TOTAL",
        "ReturnItemCollectionMetrics": "SIZE",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        "Expected": {"Price": {"ComparisonOperator": "NOT_NULL"}},
        "ConditionalOperator": "AND",
    });
    let expected = DeleteItemInput::builder()
        .table_name("Music")
        .set_key(Some(item(&[("Artist", s("Acme Band")), ("SongTitle", s("Happy Day"))])))
        .condition_expression("Price > :p")
        .set_expression_attribute_values(Some(item(&[(":p", n("0"))])))
        .set_expression_attribute_names(Some(names_map(&[("#x", "x")])))
        .return_values(ReturnValue::AllOld)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .expected(
            "Price",
            ExpectedAttributeValue::builder()
                .comparison_operator(ComparisonOperator::NotNull)
                .build(),
        )
        .conditional_operator(ConditionalOperator::And)
        .build()
        .unwrap();
    assert_eq!(delete_item_input(&body), Ok(expected));
    assert_eq!(delete_item_input(&json!({"Key": {}})), Err(no_table_name()));

    let out = DeleteItemOutput::builder()
        .set_attributes(Some(item(&[("Artist", s("Acme Band"))])))
        .consumed_capacity(cap("Music", 1.0))
        .build();
    assert_eq!(
        delete_item_output(&out),
        json!({
            "Attributes": {"Artist": {"S": "Acme Band"}},
            "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 1.0},
        })
    );
}

#[test]
fn query_round_trip() {
    let body = json!({
        "TableName": "Music",
        "IndexName": "ByYear",
        "Select": "SPECIFIC_ATTRIBUTES",
        "Limit": 10,
        "ConsistentRead": false,
        "ScanIndexForward": false,
        "ExclusiveStartKey": {"Artist": {"S": "A"}, "Year": {"N": "1999"}},
        "ReturnConsumedCapacity": "TOTAL",
        "ProjectionExpression": "Artist, #y",
        "FilterExpression": "Price > :p",
        "KeyConditionExpression": "Artist = :a AND #y BETWEEN :lo AND :hi",
        "ExpressionAttributeNames": {"#y": "Year"},
        "ExpressionAttributeValues": {
            ":a": {"S": "A"}, ":p": {"N": "1"}, ":lo": {"N": "1990"}, ":hi": {"N": "2000"},
        },
        "AttributesToGet": ["Artist"],
        "KeyConditions": {
            "Artist": {"AttributeValueList": [{"S": "A"}], "ComparisonOperator": "EQ"},
            "Year": {"AttributeValueList": [{"N": "1"}, {"N": "2"}], "ComparisonOperator": "BETWEEN"},
        },
        "QueryFilter": {"Price": {"ComparisonOperator": "NOT_NULL"}},
        "ConditionalOperator": "AND",
    });
    let expected = QueryInput::builder()
        .table_name("Music")
        .index_name("ByYear")
        .select(Select::SpecificAttributes)
        .limit(10)
        .consistent_read(false)
        .scan_index_forward(false)
        .set_exclusive_start_key(Some(item(&[("Artist", s("A")), ("Year", n("1999"))])))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .projection_expression("Artist, #y")
        .filter_expression("Price > :p")
        .key_condition_expression("Artist = :a AND #y BETWEEN :lo AND :hi")
        .set_expression_attribute_names(Some(names_map(&[("#y", "Year")])))
        .set_expression_attribute_values(Some(item(&[
            (":a", s("A")),
            (":p", n("1")),
            (":lo", n("1990")),
            (":hi", n("2000")),
        ])))
        .attributes_to_get("Artist")
        .key_conditions(
            "Artist",
            Condition::builder()
                .attribute_value_list(s("A"))
                .comparison_operator(ComparisonOperator::Eq)
                .build()
                .unwrap(),
        )
        .key_conditions(
            "Year",
            Condition::builder()
                .attribute_value_list(n("1"))
                .attribute_value_list(n("2"))
                .comparison_operator(ComparisonOperator::Between)
                .build()
                .unwrap(),
        )
        .query_filter(
            "Price",
            Condition::builder()
                .comparison_operator(ComparisonOperator::NotNull)
                .build()
                .unwrap(),
        )
        .conditional_operator(ConditionalOperator::And)
        .build()
        .unwrap();
    assert_eq!(query_input(&body), Ok(expected));

    let out = QueryOutput::builder()
        .items(item(&[("Artist", s("A")), ("Year", n("1995"))]))
        .items(item(&[("Artist", s("A")), ("Year", n("1998"))]))
        .count(2)
        .scanned_count(3)
        .set_last_evaluated_key(Some(item(&[("Artist", s("A")), ("Year", n("1998"))])))
        .consumed_capacity(cap("Music", 0.5))
        .build();
    assert_eq!(
        query_output(&out),
        json!({
            "Items": [
                {"Artist": {"S": "A"}, "Year": {"N": "1995"}},
                {"Artist": {"S": "A"}, "Year": {"N": "1998"}},
            ],
            "Count": 2,
            "ScannedCount": 3,
            "LastEvaluatedKey": {"Artist": {"S": "A"}, "Year": {"N": "1998"}},
            "ConsumedCapacity": {"TableName": "Music", "CapacityUnits": 0.5},
        })
    );
    let empty = QueryOutput::builder().set_items(Some(vec![])).build();
    assert_eq!(
        query_output(&empty),
        json!({"Items": [], "Count": 0, "ScannedCount": 0})
    );
}

#[test]
fn query_errors() {
    assert_eq!(
        query_input(&json!({"TableName": "T", "Limit": "5"})),
        Err(ser("STRING_VALUE cannot be converted to Integer"))
    );
    assert_eq!(
        query_input(&json!({"TableName": "T", "Limit": true})),
        Err(ser("TRUE_VALUE cannot be converted to Integer"))
    );
    // A fraction is truncated, as DynamoDB's deserialiser does.
    assert_eq!(
        query_input(&json!({"TableName": "T", "Limit": 5.5})).unwrap().limit,
        Some(5)
    );
    assert_eq!(query_input(&json!({"Limit": 5})), Err(no_table_name()));
    assert_eq!(
        query_input(&json!({"TableName": "T", "KeyConditions": {"a": {"AttributeValueList": [{"S": "x"}]}}})),
        Err(null_at(&["keyConditions.a.member.comparisonOperator"]))
    );
    assert_eq!(
        query_input(&json!({"TableName": "T", "QueryFilter": {"a": 1}})),
        Err(ser(MSG_UNEXPECTED_VALUE))
    );
    assert_eq!(
        query_input(&json!({"TableName": "T", "ExpressionAttributeNames": {"#a": 1}})),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
    assert_eq!(
        query_input(&json!({"TableName": "T", "ExpressionAttributeValues": {":a": {"N": 1}}})),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
    assert_eq!(
        query_input(&json!({"TableName": "T", "ExclusiveStartKey": {"a": {"X": "1"}}})),
        Err(CodecError::Validation(MSG_AV_EMPTY.into()))
    );
}

#[test]
fn scan_round_trip() {
    let body = json!({
        "TableName": "Music",
        "IndexName": "ByYear",
        "Limit": 25,
        "Select": "COUNT",
        "Segment": 1,
        "TotalSegments": 4,
        "ConsistentRead": true,
        "ExclusiveStartKey": {"Artist": {"S": "A"}},
        "ReturnConsumedCapacity": "INDEXES",
        "ProjectionExpression": "Artist",
        "FilterExpression": "#g = :g",
        "ExpressionAttributeNames": {"#g": "Genre"},
        "ExpressionAttributeValues": {":g": {"S": "Rock"}},
        "AttributesToGet": ["Artist", "Genre"],
        "ScanFilter": {"Genre": {"AttributeValueList": [{"S": "Rock"}], "ComparisonOperator": "EQ"}},
        "ConditionalOperator": "OR",
    });
    let expected = ScanInput::builder()
        .table_name("Music")
        .index_name("ByYear")
        .limit(25)
        .select(Select::Count)
        .segment(1)
        .total_segments(4)
        .consistent_read(true)
        .set_exclusive_start_key(Some(item(&[("Artist", s("A"))])))
        .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
        .projection_expression("Artist")
        .filter_expression("#g = :g")
        .set_expression_attribute_names(Some(names_map(&[("#g", "Genre")])))
        .set_expression_attribute_values(Some(item(&[(":g", s("Rock"))])))
        .attributes_to_get("Artist")
        .attributes_to_get("Genre")
        .scan_filter(
            "Genre",
            Condition::builder()
                .attribute_value_list(s("Rock"))
                .comparison_operator(ComparisonOperator::Eq)
                .build()
                .unwrap(),
        )
        .conditional_operator(ConditionalOperator::Or)
        .build()
        .unwrap();
    assert_eq!(scan_input(&body), Ok(expected));
    assert_eq!(
        scan_input(&json!({"TableName": "T", "Segment": "1"})),
        Err(ser("STRING_VALUE cannot be converted to Integer"))
    );
    assert_eq!(
        scan_input(&json!({"TableName": "T", "ScanFilter": {"a": {}}})),
        Err(null_at(&["scanFilter.a.member.comparisonOperator"]))
    );
    assert_eq!(
        scan_input(&json!({"TableName": "T", "AttributesToGet": "a"})),
        Err(ser("Unexpected field type"))
    );

    let out = ScanOutput::builder()
        .count(7)
        .scanned_count(9)
        .consumed_capacity(
            ConsumedCapacity::builder()
                .table_name("Music")
                .capacity_units(2.0)
                .table(Capacity::builder().capacity_units(1.5).build())
                .global_secondary_indexes("ByYear", Capacity::builder().capacity_units(0.5).build())
                .build(),
        )
        .build();
    assert_eq!(
        scan_output(&out),
        json!({
            "Count": 7,
            "ScannedCount": 9,
            "ConsumedCapacity": {
                "TableName": "Music",
                "CapacityUnits": 2.0,
                "Table": {"CapacityUnits": 1.5},
                "GlobalSecondaryIndexes": {"ByYear": {"CapacityUnits": 0.5}},
            },
        })
    );
}

#[test]
fn batch_get_item_round_trip() {
    let body = json!({
        "RequestItems": {
            "Music": {
                "Keys": [
                    {"Artist": {"S": "A"}, "SongTitle": {"S": "x"}},
                    {"Artist": {"S": "B"}, "SongTitle": {"S": "y"}},
                ],
                "ProjectionExpression": "#a, SongTitle",
                "ExpressionAttributeNames": {"#a": "Artist"},
                "ConsistentRead": true,
            },
            "Books": {"Keys": [{"Id": {"N": "1"}}], "AttributesToGet": ["Title"]},
        },
        "ReturnConsumedCapacity": "TOTAL",
    });
    let expected = BatchGetItemInput::builder()
        .request_items(
            "Music",
            KeysAndAttributes::builder()
                .keys(item(&[("Artist", s("A")), ("SongTitle", s("x"))]))
                .keys(item(&[("Artist", s("B")), ("SongTitle", s("y"))]))
                .projection_expression("#a, SongTitle")
                .expression_attribute_names("#a", "Artist")
                .consistent_read(true)
                .build()
                .unwrap(),
        )
        .request_items(
            "Books",
            KeysAndAttributes::builder()
                .keys(item(&[("Id", n("1"))]))
                .attributes_to_get("Title")
                .build()
                .unwrap(),
        )
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .build()
        .unwrap();
    assert_eq!(batch_get_item_input(&body), Ok(expected));

    let out = BatchGetItemOutput::builder()
        .responses("Music", vec![item(&[("Artist", s("A")), ("SongTitle", s("x"))])])
        .responses("Books", vec![])
        .unprocessed_keys(
            "Music",
            KeysAndAttributes::builder()
                .keys(item(&[("Artist", s("B")), ("SongTitle", s("y"))]))
                .projection_expression("#a, SongTitle")
                .expression_attribute_names("#a", "Artist")
                .consistent_read(true)
                .build()
                .unwrap(),
        )
        .consumed_capacity(cap("Music", 1.0))
        .consumed_capacity(cap("Books", 0.5))
        .build();
    assert_eq!(
        batch_get_item_output(&out),
        json!({
            "Responses": {
                "Music": [{"Artist": {"S": "A"}, "SongTitle": {"S": "x"}}],
                "Books": [],
            },
            "UnprocessedKeys": {
                "Music": {
                    "Keys": [{"Artist": {"S": "B"}, "SongTitle": {"S": "y"}}],
                    "ProjectionExpression": "#a, SongTitle",
                    "ExpressionAttributeNames": {"#a": "Artist"},
                    "ConsistentRead": true,
                },
            },
            "ConsumedCapacity": [
                {"TableName": "Music", "CapacityUnits": 1.0},
                {"TableName": "Books", "CapacityUnits": 0.5},
            ],
        })
    );
    let empty = BatchGetItemOutput::builder()
        .set_responses(Some(HashMap::new()))
        .set_unprocessed_keys(Some(HashMap::new()))
        .build();
    assert_eq!(
        batch_get_item_output(&empty),
        json!({"Responses": {}, "UnprocessedKeys": {}})
    );
}

#[test]
fn batch_get_item_errors() {
    // A missing RequestItems is the engine's to refuse, naming the operation.
    assert_eq!(batch_get_item_input(&json!({})).map(|i| i.request_items), Ok(None));
    assert_eq!(
        batch_get_item_input(&json!({"RequestItems": {"T": {"ConsistentRead": true}}})),
        Err(null_at(&["requestItems.T.member.keys"]))
    );
    assert_eq!(
        batch_get_item_input(&json!({"RequestItems": {"T": {"Keys": [5]}}})),
        Err(ser(MSG_PARAMETERIZED))
    );
    assert_eq!(
        batch_get_item_input(&json!({"RequestItems": {"T": {"Keys": [{"k": {}}]}}})),
        Err(CodecError::Validation(MSG_AV_EMPTY.into()))
    );
    assert_eq!(
        batch_get_item_input(&json!({"RequestItems": []})),
        Err(ser("Unrecognized collection type java.util.Map<java.lang.String, \
             com.amazonaws.dynamodb.v20120810.KeysAndAttributes>"))
    );
    assert_eq!(
        batch_get_item_input(&json!({"RequestItems": {"T": []}})),
        Err(ser(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeysAndAttributes"
        ))
    );
}

#[test]
fn batch_write_item_round_trip() {
    let body = json!({
        "RequestItems": {
            "Music": [
                {"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "3"}}}},
                {"DeleteRequest": {"Key": {"Artist": {"S": "B"}}}},
            ],
        },
        "ReturnConsumedCapacity": "TOTAL",
        "ReturnItemCollectionMetrics": "SIZE",
    });
    let put = WriteRequest::builder()
        .put_request(
            PutRequest::builder()
                .set_item(Some(item(&[("Artist", s("A")), ("Plays", n("3"))])))
                .build()
                .unwrap(),
        )
        .build();
    let delete = WriteRequest::builder()
        .delete_request(
            DeleteRequest::builder()
                .set_key(Some(item(&[("Artist", s("B"))])))
                .build()
                .unwrap(),
        )
        .build();
    let expected = BatchWriteItemInput::builder()
        .request_items("Music", vec![put.clone(), delete.clone()])
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
        .build()
        .unwrap();
    assert_eq!(batch_write_item_input(&body), Ok(expected));

    let out = BatchWriteItemOutput::builder()
        .unprocessed_items("Music", vec![put, delete])
        .item_collection_metrics(
            "Music",
            vec![
                ItemCollectionMetrics::builder()
                    .item_collection_key("Artist", s("A"))
                    .size_estimate_range_gb(0.0)
                    .size_estimate_range_gb(1.0)
                    .build(),
            ],
        )
        .consumed_capacity(cap("Music", 2.0))
        .build();
    assert_eq!(
        batch_write_item_output(&out),
        json!({
            "UnprocessedItems": {
                "Music": [
                    {"PutRequest": {"Item": {"Artist": {"S": "A"}, "Plays": {"N": "3"}}}},
                    {"DeleteRequest": {"Key": {"Artist": {"S": "B"}}}},
                ],
            },
            "ItemCollectionMetrics": {
                "Music": [{"ItemCollectionKey": {"Artist": {"S": "A"}}, "SizeEstimateRangeGB": [0.0, 1.0]}],
            },
            "ConsumedCapacity": [{"TableName": "Music", "CapacityUnits": 2.0}],
        })
    );
    let empty = BatchWriteItemOutput::builder()
        .set_unprocessed_items(Some(HashMap::new()))
        .build();
    assert_eq!(batch_write_item_output(&empty), json!({"UnprocessedItems": {}}));
}

#[test]
fn batch_write_item_errors() {
    // A missing RequestItems is the engine's to refuse, naming the operation.
    assert_eq!(batch_write_item_input(&json!({})).map(|i| i.request_items), Ok(None));
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": {}}, {"DeleteRequest": {}}]}})),
        Err(null_at(&[
            "requestItems.T.member.1.member.putRequest.item",
            "requestItems.T.member.2.member.deleteRequest.key",
        ]))
    );
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": 5}})),
        Err(ser(MSG_PARAMETERIZED))
    );
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": {}}})),
        Err(ser("Start of structure or map found where not expected"))
    );
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": ["x"]}})),
        Err(ser(MSG_UNEXPECTED_VALUE))
    );
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": "x"}]}})),
        Err(ser("Unexpected field type"))
    );
    assert_eq!(
        batch_write_item_input(&json!({"RequestItems": {"T": [{"PutRequest": {"Item": {"a": {"B": 1}}}}]}})),
        Err(ser("only base-64-encoded strings are convertible to bytes"))
    );
    // An empty write request is the engine's to reject.
    let input = batch_write_item_input(&json!({"RequestItems": {"T": [{}]}})).unwrap();
    assert_eq!(input.request_items.unwrap()["T"], vec![WriteRequest::builder().build()]);
}

#[test]
fn transact_get_items_round_trip() {
    let body = json!({
        "TransactItems": [
            {"Get": {"TableName": "Music", "Key": {"Artist": {"S": "A"}}}},
            {"Get": {
                "TableName": "Books",
                "Key": {"Id": {"N": "1"}},
                "ProjectionExpression": "#t",
                "ExpressionAttributeNames": {"#t": "Title"},
            }},
        ],
        "ReturnConsumedCapacity": "TOTAL",
    });
    let expected = TransactGetItemsInput::builder()
        .transact_items(
            TransactGetItem::builder()
                .get(
                    Get::builder()
                        .table_name("Music")
                        .set_key(Some(item(&[("Artist", s("A"))])))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactGetItem::builder()
                .get(
                    Get::builder()
                        .table_name("Books")
                        .set_key(Some(item(&[("Id", n("1"))])))
                        .projection_expression("#t")
                        .expression_attribute_names("#t", "Title")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .build()
        .unwrap();
    assert_eq!(transact_get_items_input(&body), Ok(expected));

    let out = TransactGetItemsOutput::builder()
        .responses(
            ItemResponse::builder()
                .set_item(Some(item(&[("Artist", s("A"))])))
                .build(),
        )
        .responses(ItemResponse::builder().build())
        .consumed_capacity(cap("Music", 2.0))
        .consumed_capacity(cap("Books", 2.0))
        .build();
    assert_eq!(
        transact_get_items_output(&out),
        json!({
            "Responses": [{"Item": {"Artist": {"S": "A"}}}, {}],
            "ConsumedCapacity": [
                {"TableName": "Music", "CapacityUnits": 2.0},
                {"TableName": "Books", "CapacityUnits": 2.0},
            ],
        })
    );
}

#[test]
fn transact_get_items_errors() {
    assert_eq!(transact_get_items_input(&json!({})), Err(null_at(&["transactItems"])));
    assert_eq!(
        transact_get_items_input(&json!({"TransactItems": [{}, {"Get": {}}, null]})),
        Err(null_at(&[
            "transactItems.1.member.get",
            "transactItems.2.member.get.key",
            "transactItems.2.member.get.tableName",
            "transactItems.3.member.get",
        ]))
    );
    assert_eq!(
        transact_get_items_input(&json!({"TransactItems": [5]})),
        Err(ser(MSG_UNEXPECTED_VALUE))
    );
    assert_eq!(
        transact_get_items_input(&json!({"TransactItems": [[]]})),
        Err(ser(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.TransactGetItem"
        ))
    );
    assert_eq!(
        transact_get_items_input(&json!({"TransactItems": {}})),
        Err(ser("Start of structure or map found where not expected"))
    );
    // An empty list is the engine's to reject.
    assert_eq!(
        transact_get_items_input(&json!({"TransactItems": []}))
            .unwrap()
            .transact_items,
        Some(vec![])
    );
}

#[test]
fn transact_write_items_round_trip() {
    let body = json!({
        "TransactItems": [
            {"ConditionCheck": {
                "TableName": "Accounts",
                "Key": {"Id": {"S": "a"}},
                "ConditionExpression": "Balance >= :amt",
                "ExpressionAttributeValues": {":amt": {"N": "10"}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }},
            {"Put": {
                "TableName": "Ledger",
                "Item": {"Id": {"S": "t1"}, "Amount": {"N": "10"}},
                "ConditionExpression": "attribute_not_exists(Id)",
                "ExpressionAttributeNames": {"#i": "Id"},
            }},
            {"Update": {
                "TableName": "Accounts",
                "Key": {"Id": {"S": "b"}},
                "UpdateExpression": "ADD Balance :amt",
                "ExpressionAttributeValues": {":amt": {"N": "10"}},
            }},
            {"Delete": {
                "TableName": "Holds",
                "Key": {"Id": {"S": "h"}},
                "ConditionExpression": "attribute_exists(Id)",
                "ReturnValuesOnConditionCheckFailure": "NONE",
            }},
        ],
        "ReturnConsumedCapacity": "TOTAL",
        "ReturnItemCollectionMetrics": "SIZE",
        "ClientRequestToken": "token-1",
    });
    let amt = item(&[(":amt", n("10"))]);
    let expected = TransactWriteItemsInput::builder()
        .transact_items(
            TransactWriteItem::builder()
                .condition_check(
                    ConditionCheck::builder()
                        .table_name("Accounts")
                        .set_key(Some(item(&[("Id", s("a"))])))
                        .condition_expression("Balance >= :amt")
                        .set_expression_attribute_values(Some(amt.clone()))
                        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("Ledger")
                        .set_item(Some(item(&[("Id", s("t1")), ("Amount", n("10"))])))
                        .condition_expression("attribute_not_exists(Id)")
                        .expression_attribute_names("#i", "Id")
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name("Accounts")
                        .set_key(Some(item(&[("Id", s("b"))])))
                        .update_expression("ADD Balance :amt")
                        .set_expression_attribute_values(Some(amt))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name("Holds")
                        .set_key(Some(item(&[("Id", s("h"))])))
                        .condition_expression("attribute_exists(Id)")
                        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::None)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
        .client_request_token("token-1")
        .build()
        .unwrap();
    assert_eq!(transact_write_items_input(&body), Ok(expected));

    let out = TransactWriteItemsOutput::builder()
        .consumed_capacity(cap("Accounts", 4.0))
        .item_collection_metrics(
            "Ledger",
            vec![
                ItemCollectionMetrics::builder()
                    .item_collection_key("Id", s("t1"))
                    .size_estimate_range_gb(0.0)
                    .size_estimate_range_gb(1.0)
                    .build(),
            ],
        )
        .build();
    assert_eq!(
        transact_write_items_output(&out),
        json!({
            "ConsumedCapacity": [{"TableName": "Accounts", "CapacityUnits": 4.0}],
            "ItemCollectionMetrics": {
                "Ledger": [{"ItemCollectionKey": {"Id": {"S": "t1"}}, "SizeEstimateRangeGB": [0.0, 1.0]}],
            },
        })
    );
    assert_eq!(
        transact_write_items_output(&TransactWriteItemsOutput::builder().build()),
        json!({})
    );
}

#[test]
fn transact_write_items_errors() {
    assert_eq!(transact_write_items_input(&json!({})), Err(null_at(&["transactItems"])));
    let body = json!({"TransactItems": [
        {"Put": {"Item": {}}},
        {"Update": {"TableName": "T", "Key": {}}},
        {"ConditionCheck": {"TableName": "T", "Key": {}}},
        {"Delete": {"TableName": "T"}},
    ]});
    assert_eq!(
        transact_write_items_input(&body),
        Err(null_at(&[
            "transactItems.1.member.put.tableName",
            "transactItems.2.member.update.updateExpression",
            "transactItems.3.member.conditionCheck.conditionExpression",
            "transactItems.4.member.delete.key",
        ]))
    );
    // Type errors first, wherever they are.
    let body = json!({"TransactItems": [{"Put": {}}, {"Update": {"Key": {"a": {"S": 1}}}}]});
    assert_eq!(
        transact_write_items_input(&body),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
    assert_eq!(
        transact_write_items_input(&json!({"TransactItems": [{"Put": []}]})),
        Err(ser(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Put"
        ))
    );
    assert_eq!(
        transact_write_items_input(&json!({"TransactItems": [], "ClientRequestToken": 5})),
        Err(ser("NUMBER_VALUE cannot be converted to String"))
    );
    // A write item with no action, or with two, is the engine's to reject.
    let input = transact_write_items_input(&json!({"TransactItems": [{}]})).unwrap();
    assert_eq!(input.transact_items, Some(vec![TransactWriteItem::builder().build()]));
}
