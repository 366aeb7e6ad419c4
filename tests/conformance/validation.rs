//! Validation in DynamoDB's order and words: what is refused before the
//! table is looked up (a missing `TableName`, empty batch maps, CreateTable's
//! enum members), what only once it is found (`ReturnValuesOnCondition
//! CheckFailure`, placeholder maps without their expressions, empty key
//! values in a key condition), and table ARNs standing for table names.
//! The mock answers in the real service's words; where DynamoDB Local words
//! an answer otherwise, its wording is accepted on Local only.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::KeyType as KeyTypeSdk;
use dynamo_objects::sdk::*;
use dynamo_objects::{Error, Item, KeyType};

use crate::assert_err;
use crate::common::*;

/// The message of a ValidationException, or a panic naming what came instead.
fn validation<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Validation(m)) => String::from(m),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

/// Asserts `got` is `real` (the service's words), or, over HTTP (DynamoDB
/// Local, or the mock server, which answers as the mock), `local`.
fn words(got: &str, real: &str, local: &str) {
    assert!(
        got == real || (on_local() && got == local),
        "got {got:?}, want {real:?}"
    );
}

fn key(pk: &str, sk: &str) -> Item {
    item(&[("pk", s(pk)), ("sk", s(sk))])
}

fn arn(table: &str) -> String {
    format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")
}

/// The message of a ValidationException for a request without its
/// `TableName`; over HTTP the SDK refuses to send one (it needs the name
/// for the endpoint), which `tests/server.rs` covers with raw JSON.
fn without_table_name<T: std::fmt::Debug>(r: Result<T, Error>) -> Option<String> {
    match r {
        Err(Error::Transport(m)) if on_local() => {
            let m = String::from(m);
            assert!(m.contains("table_name was missing"), "{m}");
            None
        }
        other => Some(validation(other)),
    }
}

#[tokio::test]
async fn a_request_without_table_name_is_refused_naming_table_name_alone() {
    let db = raw_db();
    let real = Some("The parameter 'TableName' is required but was not present in the request".to_string());
    let get = GetItemInput::builder().set_key(Some(key("a", "b"))).build().unwrap();
    let want = if on_local() { None } else { real.clone() };
    assert_eq!(without_table_name(db.backend().get_item(get).await), want);
    // Neither the missing Item nor anything else is listed with it.
    let put = PutItemInput::builder().build().unwrap();
    assert_eq!(without_table_name(db.backend().put_item(put).await), want);
    let scan = ScanInput::builder().limit(0).build().unwrap();
    assert_eq!(without_table_name(db.backend().scan(scan).await), want);
    let describe = DescribeTableInput::builder().build().unwrap();
    assert_eq!(without_table_name(db.backend().describe_table(describe).await), want);
}

#[tokio::test]
async fn a_table_arn_names_its_table_in_every_item_operation() {
    let db = db("arn");
    create(&db, &range_table("t", KeyType::S)).await;
    let table = arn(&db.full_name("t"));
    let be = db.backend();
    let it = key("a", "b");
    be.put_item(
        PutItemInput::builder()
            .table_name(&table)
            .set_item(Some(it.clone()))
            .build()
            .unwrap(),
    )
    .await
    .expect("put by ARN");
    let got = be
        .get_item(
            GetItemInput::builder()
                .table_name(&table)
                .set_key(Some(it.clone()))
                .build()
                .unwrap(),
        )
        .await
        .expect("get by ARN");
    assert_eq!(got.item, Some(it.clone()));
    let q = be
        .query(
            QueryInput::builder()
                .table_name(&table)
                .key_condition_expression("pk = :p")
                .expression_attribute_values(":p", s("a"))
                .build()
                .unwrap(),
        )
        .await
        .expect("query by ARN");
    assert_eq!(q.count, 1);
    let d = be
        .describe_table(DescribeTableInput::builder().table_name(&table).build().unwrap())
        .await
        .expect("describe by ARN");
    assert_eq!(d.table.and_then(|t| t.table_name), Some(db.full_name("t")));
    let keys_and_attributes = KeysAndAttributes::builder().keys(it.clone()).build().unwrap();
    let batch = be
        .batch_get_item(
            BatchGetItemInput::builder()
                .request_items(&table, keys_and_attributes)
                .build()
                .unwrap(),
        )
        .await
        .expect("batch get by ARN");
    // The response names the table, not the ARN.
    let responses = batch.responses.unwrap_or_default();
    assert_eq!(responses.keys().cloned().collect::<Vec<_>>(), vec![db.full_name("t")]);
    be.delete_item(
        DeleteItemInput::builder()
            .table_name(&table)
            .set_key(Some(it))
            .build()
            .unwrap(),
    )
    .await
    .expect("delete by ARN");
    let missing = arn(&db.full_name("missing"));
    let r = be
        .get_item(
            GetItemInput::builder()
                .table_name(missing)
                .set_key(Some(key("a", "b")))
                .build()
                .unwrap(),
        )
        .await;
    assert_err!(r, Error::ResourceNotFound(_));
}

#[tokio::test]
async fn an_arn_that_is_not_a_table_arn_is_refused() {
    let db = raw_db();
    let r = db
        .backend()
        .get_item(
            GetItemInput::builder()
                .table_name("arn:foo")
                .set_key(Some(key("a", "b")))
                .build()
                .unwrap(),
        )
        .await;
    assert_eq!(
        validation(r),
        "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfyregular expression pattern: [a-zA-Z0-9_.-]+"
    );
}

#[tokio::test]
async fn batches_without_requests_are_refused_naming_the_operation() {
    let db = raw_db();
    let get = BatchGetItemInput::builder()
        .set_request_items(Some(HashMap::new()))
        .build()
        .unwrap();
    words(
        &validation(db.backend().batch_get_item(get).await),
        "The requestItems parameter is required for BatchGetItem",
        "BatchGetItem must have some requests set",
    );
    let write = BatchWriteItemInput::builder()
        .set_request_items(Some(HashMap::new()))
        .build()
        .unwrap();
    words(
        &validation(db.backend().batch_write_item(write).await),
        "The requestItems parameter is required for BatchWriteItem",
        "BatchWriteItem cannot have a null or no requests set",
    );
    let write = BatchWriteItemInput::builder().build().unwrap();
    words(
        &validation(db.backend().batch_write_item(write).await),
        "The requestItems parameter is required for BatchWriteItem",
        "BatchWriteItem cannot have a null or no requests set",
    );
}

#[tokio::test]
async fn an_empty_list_of_keys_is_refused_before_its_table_is_looked_up() {
    let db = db("emptykeys");
    let missing = db.full_name("missing");
    let ka = KeysAndAttributes::builder().set_keys(Some(vec![])).build().unwrap();
    let get = BatchGetItemInput::builder()
        .request_items(&missing, ka)
        .build()
        .unwrap();
    words(
        &validation(db.backend().batch_get_item(get).await),
        &format!(
            "1 validation error detected: Value '[]' at 'requestItems.{missing}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1"
        ),
        &format!("The list of keys in RequestItems for BatchGetItem is required: {missing} has empty list"),
    );
    let write = BatchWriteItemInput::builder()
        .request_items(&missing, vec![])
        .build()
        .unwrap();
    words(
        &validation(db.backend().batch_write_item(write).await),
        &format!(
            "1 validation error detected: Value '[]' at 'requestItems.{missing}.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
        ),
        &format!("The batch write request list for a table cannot be null or empty: {missing}"),
    );
}

#[tokio::test]
async fn an_unknown_key_type_is_refused_at_its_index_in_the_key_schema() {
    let db = db("keytype");
    let input = CreateTableInput::builder()
        .table_name(db.full_name("t"))
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type("HASHX".into())
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    words(
        &validation(db.backend().create_table(input).await),
        "1 validation error detected: Value 'HASHX' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
        "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key",
    );
}

#[tokio::test]
async fn an_unknown_attribute_type_is_refused_at_its_index() {
    let db = db("attrtype");
    let input = CreateTableInput::builder()
        .table_name(db.full_name("t"))
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyTypeSdk::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type("Q".into())
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    words(
        &validation(db.backend().create_table(input).await),
        "1 validation error detected: Value 'Q' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
        "Member must satisfy enum value set: [B, N, S]",
    );
}

#[tokio::test]
async fn an_unknown_return_values_on_condition_check_failure_is_refused_once_the_table_is_found() {
    let db = db("rvoccf");
    create(&db, &range_table("t", KeyType::S)).await;
    let bad = ReturnValuesOnConditionCheckFailure::from("NOPE");
    let message = "1 validation error detected: Value 'NOPE' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]";
    let put = PutItemInput::builder()
        .table_name(db.full_name("t"))
        .set_item(Some(key("a", "b")))
        .return_values_on_condition_check_failure(bad.clone())
        .build()
        .unwrap();
    assert_eq!(validation(db.backend().put_item(put).await), message);
    let update = UpdateItemInput::builder()
        .table_name(db.full_name("t"))
        .set_key(Some(key("a", "b")))
        .return_values_on_condition_check_failure(bad.clone())
        .build()
        .unwrap();
    assert_eq!(validation(db.backend().update_item(update).await), message);
    let delete = DeleteItemInput::builder()
        .table_name(db.full_name("t"))
        .set_key(Some(key("a", "b")))
        .return_values_on_condition_check_failure(bad.clone())
        .build()
        .unwrap();
    assert_eq!(validation(db.backend().delete_item(delete).await), message);
    // A missing key attribute is reported first.
    let put = PutItemInput::builder()
        .table_name(db.full_name("t"))
        .set_item(Some(item(&[("pk", s("a"))])))
        .return_values_on_condition_check_failure(bad.clone())
        .build()
        .unwrap();
    assert_ne!(validation(db.backend().put_item(put).await), message);
    // On a missing table the table is what is wrong.
    let put = PutItemInput::builder()
        .table_name(db.full_name("missing"))
        .set_item(Some(key("a", "b")))
        .return_values_on_condition_check_failure(bad)
        .build()
        .unwrap();
    assert_err!(db.backend().put_item(put).await, Error::ResourceNotFound(_));
}

#[tokio::test]
async fn expression_attribute_values_without_an_expression_name_the_operations_expressions() {
    let db = db("eav");
    create(&db, &range_table("t", KeyType::S)).await;
    let t = db.full_name("t");
    let head = "ExpressionAttributeValues can only be specified when using expressions: ";
    let put = PutItemInput::builder()
        .table_name(&t)
        .set_item(Some(key("a", "b")))
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().put_item(put).await),
        format!("{head}ConditionExpression is null")
    );
    let delete = DeleteItemInput::builder()
        .table_name(&t)
        .set_key(Some(key("a", "b")))
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().delete_item(delete).await),
        format!("{head}ConditionExpression is null")
    );
    let update = UpdateItemInput::builder()
        .table_name(&t)
        .set_key(Some(key("a", "b")))
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().update_item(update).await),
        format!("{head}UpdateExpression and ConditionExpression are null")
    );
    let scan = ScanInput::builder()
        .table_name(&t)
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().scan(scan).await),
        format!("{head}FilterExpression is null")
    );
    let cond = Condition::builder()
        .comparison_operator(ComparisonOperator::Eq)
        .attribute_value_list(s("a"))
        .build()
        .unwrap();
    let query = QueryInput::builder()
        .table_name(&t)
        .key_conditions("pk", cond)
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().query(query).await),
        format!("{head}FilterExpression and KeyConditionExpression are null")
    );
    // On a missing table the table is what is wrong.
    let scan = ScanInput::builder()
        .table_name(db.full_name("missing"))
        .expression_attribute_values(":a", s("x"))
        .build()
        .unwrap();
    assert_err!(db.backend().scan(scan).await, Error::ResourceNotFound(_));
}

#[tokio::test]
async fn a_key_condition_with_an_empty_string_value_is_refused_naming_the_key() {
    let db = db("emptykc");
    create(&db, &range_table("t", KeyType::S)).await;
    let t = db.full_name("t");
    let query = |expr: &str, p: &str, q: &str| {
        QueryInput::builder()
            .table_name(&t)
            .key_condition_expression(expr)
            .expression_attribute_values(":p", s(p))
            .expression_attribute_values(":q", s(q))
            .build()
            .unwrap()
    };
    let msg = |k: &str| {
        format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {k}"
        )
    };
    let be = db.backend();
    assert_eq!(
        validation(be.query(query("pk = :p AND sk > :q", "", "x")).await),
        msg("pk")
    );
    assert_eq!(
        validation(be.query(query("pk = :p AND sk = :q", "a", "")).await),
        msg("sk")
    );
    assert_eq!(
        validation(be.query(query("pk = :p AND begins_with(sk, :q)", "a", "")).await),
        msg("sk")
    );
    assert_eq!(
        validation(be.query(query("pk = :p AND sk > :q", "", "")).await),
        msg("pk")
    );
    let cond = Condition::builder()
        .comparison_operator(ComparisonOperator::Eq)
        .attribute_value_list(s(""))
        .build()
        .unwrap();
    let legacy = QueryInput::builder()
        .table_name(&t)
        .key_conditions("pk", cond)
        .build()
        .unwrap();
    assert_eq!(validation(be.query(legacy).await), msg("pk"));
}

fn element(name: &str, kt: KeyTypeSdk) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kt)
        .build()
        .unwrap()
}

fn definition(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_key_schema_of_other_than_one_or_two_elements_is_printed_as_dynamodb_prints_it() {
    let db = db("schemalen");
    let create = |schema: Vec<KeySchemaElement>| {
        CreateTableInput::builder()
            .table_name(db.full_name("t"))
            .set_key_schema(Some(schema))
            .attribute_definitions(definition("pk"))
            .attribute_definitions(definition("sk"))
            .attribute_definitions(definition("x"))
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .unwrap()
    };
    let three = vec![
        element("pk", KeyTypeSdk::Hash),
        element("sk", KeyTypeSdk::Range),
        element("x", KeyTypeSdk::Range),
    ];
    words(
        &validation(db.backend().create_table(create(three)).await),
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), \
         KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]' at \
         'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
        "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table",
    );
    words(
        &validation(db.backend().create_table(create(vec![])).await),
        "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have \
         length greater than or equal to 1",
        "No defined key schema.  A key schema containing at least a hash key must be defined for all tables",
    );
}

#[tokio::test]
async fn an_unknown_key_type_in_an_index_is_refused_at_its_index_and_element() {
    let db = db("gsikeytype");
    let gsi = GlobalSecondaryIndex::builder()
        .index_name("gsi1")
        .key_schema(element("x", "HASHY".into()))
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()
        .unwrap();
    let input = CreateTableInput::builder()
        .table_name(db.full_name("t"))
        .key_schema(element("pk", KeyTypeSdk::Hash))
        .attribute_definitions(definition("pk"))
        .attribute_definitions(definition("x"))
        .global_secondary_indexes(gsi)
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    words(
        &validation(db.backend().create_table(input).await),
        "1 validation error detected: Value 'HASHY' at 'globalSecondaryIndexes.1.member.keySchema.1.member.keyType' \
         failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
        "No Hash Key specified in schema.  All Dynamo DB tables must have exactly one hash key",
    );
}

#[tokio::test]
async fn a_parallel_scan_of_a_missing_table_is_resource_not_found_before_its_segments_are_checked() {
    let db = db("segmissing");
    let scan = |segment: Option<i32>, total: Option<i32>| {
        ScanInput::builder()
            .table_name(db.full_name("missing"))
            .set_segment(segment)
            .set_total_segments(total)
            .build()
            .unwrap()
    };
    for (segment, total) in [(Some(1), None), (None, Some(2)), (Some(5), Some(2)), (Some(0), Some(0))] {
        assert_err!(
            db.backend().scan(scan(segment, total)).await,
            Error::ResourceNotFound(_)
        );
    }
    // On a table that exists the segments are checked.
    create(&db, &hash_table("t")).await;
    let bad = ScanInput::builder()
        .table_name(db.full_name("t"))
        .segment(5)
        .total_segments(2)
        .build()
        .unwrap();
    words(
        &validation(db.backend().scan(bad).await),
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less \
         than TotalSegments: 2",
        "1 validation error detected: Value '5' at 'segment' failed to satisfy constraint: Member must have value \
         less than or equal to 1",
    );
}
