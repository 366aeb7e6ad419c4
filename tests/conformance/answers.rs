//! Answers the mock once got wrong, each as DynamoDB Local gives it:
//! consumed capacity by table and index (`ReturnConsumedCapacity: INDEXES`),
//! in transactions too; no `ItemCollectionMetrics`; UpdateTable's unchanged
//! throughput; TransactGetItems' key errors; deletion protection; what
//! DescribeTable carries; tags given to CreateTable or asked of another
//! account (DynamoDB Local has no tagging: the mock follows the service).

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item};

use crate::assert_err;
use crate::common::*;

const TABLE: &str = "answers";

fn def(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

fn key(name: &str, ty: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(ty)
        .build()
        .unwrap()
}

fn all() -> Projection {
    Projection::builder().projection_type(ProjectionType::All).build()
}

/// An on-demand table `pk`/`sk` with a local index `Lsi1` on `l` and a
/// global index `Gsi1` on `g`.
async fn indexed_table(db: &Database) {
    let input = CreateTableInput::builder()
        .table_name(TABLE)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(def("pk"))
        .attribute_definitions(def("sk"))
        .attribute_definitions(def("l"))
        .attribute_definitions(def("g"))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name("Lsi1")
                .key_schema(key("pk", KeyType::Hash))
                .key_schema(key("l", KeyType::Range))
                .projection(all())
                .build()
                .unwrap(),
        )
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("Gsi1")
                .key_schema(key("g", KeyType::Hash))
                .projection(all())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    db.create_table(input).await.expect("create the indexed table");
}

/// `ConsumedCapacity` of `total` units, with, when `table` is given, the
/// `INDEXES` breakdown: the table's share, the local and the global indexes'.
fn cap(total: f64, table: Option<f64>, lsis: &[(&str, f64)], gsis: &[(&str, f64)]) -> ConsumedCapacity {
    let map = |list: &[(&str, f64)]| -> Option<HashMap<String, Capacity>> {
        (!list.is_empty()).then(|| {
            list.iter()
                .map(|(n, u)| (n.to_string(), Capacity::builder().capacity_units(*u).build()))
                .collect()
        })
    };
    ConsumedCapacity::builder()
        .table_name(TABLE)
        .capacity_units(total)
        .set_table(table.map(|u| Capacity::builder().capacity_units(u).build()))
        .set_local_secondary_indexes(map(lsis))
        .set_global_secondary_indexes(map(gsis))
        .build()
}

fn row(sk: &str, extra: &[(&str, &str)]) -> Item {
    let mut it = item(&[("pk", s("a")), ("sk", s(sk))]);
    for (k, v) in extra {
        it.insert(k.to_string(), s(v));
    }
    it
}

async fn put_capacity(db: &Database, it: Item, rcc: ReturnConsumedCapacity) -> Option<ConsumedCapacity> {
    let mut input = put_input(TABLE, it);
    input.return_consumed_capacity = Some(rcc);
    db.put_item(input).await.expect("put").consumed_capacity
}

#[tokio::test]
async fn writes_report_capacity_by_table_and_by_each_index_whose_entry_they_touch() {
    let db = db("capw");
    indexed_table(&db).await;
    use ReturnConsumedCapacity::{Indexes, Total};
    // A new item in both indexes: one unit each.
    assert_eq!(
        put_capacity(&db, row("1", &[("l", "x"), ("g", "y")]), Indexes).await,
        Some(cap(3.0, Some(1.0), &[("Lsi1", 1.0)], &[("Gsi1", 1.0)]))
    );
    // In no index: the table alone.
    assert_eq!(
        put_capacity(&db, row("2", &[]), Indexes).await,
        Some(cap(1.0, Some(1.0), &[], &[]))
    );
    // TOTAL counts the index writes too, without the breakdown.
    assert_eq!(
        put_capacity(&db, row("3", &[("l", "x")]), Total).await,
        Some(cap(2.0, None, &[], &[]))
    );
    // Replacing an item whose GSI key changes: the old entry deleted and
    // the new one put (2); its LSI entry stays under the same key (1).
    assert_eq!(
        put_capacity(&db, row("1", &[("l", "x"), ("g", "z")]), Indexes).await,
        Some(cap(4.0, Some(1.0), &[("Lsi1", 1.0)], &[("Gsi1", 2.0)]))
    );
    let update = db
        .update_item(
            UpdateItemInput::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("2"))
                .update_expression("SET g = :g")
                .expression_attribute_values(":g", s("w"))
                .return_consumed_capacity(Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        update.consumed_capacity,
        Some(cap(2.0, Some(1.0), &[], &[("Gsi1", 1.0)]))
    );
    let delete = |sk: &str| {
        DeleteItemInput::builder()
            .table_name(TABLE)
            .key("pk", s("a"))
            .key("sk", s(sk))
            .return_consumed_capacity(Indexes)
            .build()
            .unwrap()
    };
    assert_eq!(
        db.delete_item(delete("3")).await.unwrap().consumed_capacity,
        Some(cap(2.0, Some(1.0), &[("Lsi1", 1.0)], &[]))
    );
    assert_eq!(
        db.delete_item(delete("9")).await.unwrap().consumed_capacity,
        Some(cap(1.0, Some(1.0), &[], &[]))
    );
    let batch = db
        .batch_write_item(
            BatchWriteItemInput::builder()
                .request_items(
                    TABLE,
                    vec![
                        WriteRequest::builder()
                            .put_request(
                                PutRequest::builder()
                                    .set_item(Some(row("5", &[("l", "q")])))
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                        WriteRequest::builder()
                            .put_request(
                                PutRequest::builder()
                                    .set_item(Some(row("6", &[("l", "q"), ("g", "q")])))
                                    .build()
                                    .unwrap(),
                            )
                            .build(),
                    ],
                )
                .return_consumed_capacity(Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        batch.consumed_capacity,
        Some(vec![cap(5.0, Some(2.0), &[("Lsi1", 2.0)], &[("Gsi1", 1.0)])])
    );
}

#[tokio::test]
async fn reads_of_an_index_charge_the_index_and_nothing_to_the_table() {
    let db = db("capr");
    indexed_table(&db).await;
    put(&db, TABLE, row("1", &[("l", "x"), ("g", "y")])).await;
    use ReturnConsumedCapacity::Indexes;
    let got = db
        .get_item(
            GetItemInput::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("1"))
                .return_consumed_capacity(Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(got.consumed_capacity, Some(cap(0.5, Some(0.5), &[], &[])));
    let query = |index: Option<&str>, attr: &str, value: &str| {
        QueryInput::builder()
            .table_name(TABLE)
            .set_index_name(index.map(str::to_string))
            .key_condition_expression("#k = :v")
            .expression_attribute_names("#k", attr)
            .expression_attribute_values(":v", s(value))
            .return_consumed_capacity(Indexes)
            .build()
            .unwrap()
    };
    assert_eq!(
        db.query(query(None, "pk", "a")).await.unwrap().consumed_capacity,
        Some(cap(0.5, Some(0.5), &[], &[]))
    );
    assert_eq!(
        db.query(query(Some("Lsi1"), "pk", "a"))
            .await
            .unwrap()
            .consumed_capacity,
        Some(cap(0.5, Some(0.0), &[("Lsi1", 0.5)], &[]))
    );
    assert_eq!(
        db.query(query(Some("Gsi1"), "g", "y")).await.unwrap().consumed_capacity,
        Some(cap(0.5, Some(0.0), &[], &[("Gsi1", 0.5)]))
    );
    let scan = db
        .scan(
            ScanInput::builder()
                .table_name(TABLE)
                .index_name("Gsi1")
                .return_consumed_capacity(Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(scan.consumed_capacity, Some(cap(0.5, Some(0.0), &[], &[("Gsi1", 0.5)])));
}

fn tx_get(sk: &str) -> TransactGetItem {
    TransactGetItem::builder()
        .get(
            Get::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s(sk))
                .build()
                .unwrap(),
        )
        .build()
}

#[tokio::test]
async fn transactions_report_capacity_at_twice_the_units_with_the_index_breakdown() {
    let db = db("captx");
    indexed_table(&db).await;
    put(&db, TABLE, row("1", &[("l", "x"), ("g", "y")])).await;
    let gets = |items: Vec<TransactGetItem>, rcc: ReturnConsumedCapacity| {
        TransactGetItemsInput::builder()
            .set_transact_items(Some(items))
            .return_consumed_capacity(rcc)
            .build()
            .unwrap()
    };
    let one = db
        .transact_get_items(gets(vec![tx_get("1")], ReturnConsumedCapacity::Indexes))
        .await
        .unwrap();
    assert_eq!(one.consumed_capacity, Some(vec![cap(2.0, Some(2.0), &[], &[])]));
    // Two items of one table, one of them missing: one entry, 2 units each.
    let two = db
        .transact_get_items(gets(vec![tx_get("1"), tx_get("2")], ReturnConsumedCapacity::Total))
        .await
        .unwrap();
    assert_eq!(two.consumed_capacity, Some(vec![cap(4.0, None, &[], &[])]));

    let put = TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(TABLE)
                .set_item(Some(row("3", &[("l", "q"), ("g", "w")])))
                .build()
                .unwrap(),
        )
        .build();
    let written = db
        .transact_write_items(
            TransactWriteItemsInput::builder()
                .transact_items(put)
                .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        written.consumed_capacity,
        Some(vec![cap(6.0, Some(2.0), &[("Lsi1", 2.0)], &[("Gsi1", 2.0)])])
    );
    // A condition check (2), a delete of an item in both indexes (2 + 2 + 2)
    // and an update creating an item in the local index (2 + 2).
    let check = TransactWriteItem::builder()
        .condition_check(
            ConditionCheck::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("1"))
                .condition_expression("attribute_exists(pk)")
                .build()
                .unwrap(),
        )
        .build();
    let delete = TransactWriteItem::builder()
        .delete(
            Delete::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("3"))
                .build()
                .unwrap(),
        )
        .build();
    let update = TransactWriteItem::builder()
        .update(
            Update::builder()
                .table_name(TABLE)
                .key("pk", s("b"))
                .key("sk", s("1"))
                .update_expression("SET l = :l")
                .expression_attribute_values(":l", s("m"))
                .build()
                .unwrap(),
        )
        .build();
    let mixed = db
        .transact_write_items(
            TransactWriteItemsInput::builder()
                .transact_items(check)
                .transact_items(delete)
                .transact_items(update)
                .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        mixed.consumed_capacity,
        Some(vec![cap(12.0, Some(6.0), &[("Lsi1", 4.0)], &[("Gsi1", 2.0)])])
    );
}

#[tokio::test]
async fn item_collection_metrics_are_not_returned_even_on_a_table_with_a_local_index() {
    // DynamoDB Local leaves ItemCollectionMetrics out whatever is asked.
    let db = db("icm");
    indexed_table(&db).await;
    let mut input = put_input(TABLE, row("1", &[("l", "x")]));
    input.return_item_collection_metrics = Some(ReturnItemCollectionMetrics::Size);
    let out = db.put_item(input).await.unwrap();
    assert_eq!(out.item_collection_metrics, None);
    let out = db
        .update_item(
            UpdateItemInput::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("1"))
                .update_expression("SET l = :l")
                .expression_attribute_values(":l", s("y"))
                .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.item_collection_metrics, None);
}

fn throughput(r: i64, w: i64) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(r)
        .write_capacity_units(w)
        .build()
        .unwrap()
}

#[tokio::test]
async fn unchanged_throughput_is_refused_with_or_without_billing_mode_provisioned() {
    let db = db("tput");
    create(&db, &hash_table("prov").throughput(5, 5)).await;
    let update = |billing: Option<BillingMode>, tp: Option<ProvisionedThroughput>| {
        UpdateTableInput::builder()
            .table_name("prov")
            .set_billing_mode(billing)
            .set_provisioned_throughput(tp)
            .build()
            .unwrap()
    };
    for billing in [Some(BillingMode::Provisioned), None] {
        let e = assert_err!(
            db.update_table(update(billing.clone(), Some(throughput(5, 5)))).await,
            Error::Validation(_)
        );
        if !on_local() {
            // The service's wording (DynamoDB Local says only "The requested
            // throughput value equals the current value").
            assert_eq!(
                e.message().map(|m| m.text()),
                Some(
                    "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
                ),
                "{billing:?}"
            );
        }
    }
    // BillingMode PROVISIONED alone, on a provisioned table, is accepted.
    let out = db
        .update_table(update(Some(BillingMode::Provisioned), None))
        .await
        .unwrap();
    let pt = out.table_description.and_then(|d| d.provisioned_throughput).unwrap();
    assert_eq!((pt.read_capacity_units, pt.write_capacity_units), (Some(5), Some(5)));
}

#[tokio::test]
async fn a_transact_get_with_an_empty_key_is_a_cancellation_not_a_validation_error() {
    let db = db("txkey");
    create(&db, &hash_table("keyed")).await;
    let get = |k: Item| {
        TransactGetItem::builder()
            .get(Get::builder().table_name("keyed").set_key(Some(k)).build().unwrap())
            .build()
    };
    let input = TransactGetItemsInput::builder()
        .transact_items(get(item(&[("id", s("a"))])))
        .transact_items(get(Item::new()))
        .build()
        .unwrap();
    let e = assert_err!(db.transact_get_items(input).await, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { message, reasons, .. } = e else {
        unreachable!()
    };
    let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
    if on_local() && codes.is_empty() {
        // DynamoDB Local sends the key's message as the cancellation's, and
        // no reasons (the mock, served or not, sends the service's reasons).
        assert_eq!(message.text(), "The number of conditions on the keys is invalid");
    } else {
        assert_eq!(codes, [Some("None"), Some("ValidationError")]);
        assert_eq!(
            reasons[1].message(),
            Some("The provided key element does not match the schema")
        );
    }
    // An empty string in the key is an invalid value: the request fails.
    let input = TransactGetItemsInput::builder()
        .transact_items(get(item(&[("id", s(""))])))
        .build()
        .unwrap();
    assert_err!(db.transact_get_items(input).await, Error::Validation(_));
}

fn protected_input(name: &str, on: bool) -> CreateTableInput {
    CreateTableInput::builder()
        .table_name(name)
        .attribute_definitions(def("id"))
        .key_schema(key("id", KeyType::Hash))
        .provisioned_throughput(throughput(5, 5))
        .deletion_protection_enabled(on)
        .build()
        .unwrap()
}

async fn describe(db: &Database, name: &str) -> TableDescription {
    db.describe_table(DescribeTableInput::builder().table_name(name).build().unwrap())
        .await
        .unwrap()
        .table
        .expect("a table description")
}

#[tokio::test]
async fn deletion_protection_refuses_delete_table_until_update_table_turns_it_off() {
    let db = db("protect");
    let out = db.create_table(protected_input("kept", true)).await.unwrap();
    assert_eq!(
        out.table_description.and_then(|d| d.deletion_protection_enabled),
        Some(true)
    );
    assert_eq!(describe(&db, "kept").await.deletion_protection_enabled, Some(true));
    let delete = || DeleteTableInput::builder().table_name("kept").build().unwrap();
    let e = assert_err!(db.delete_table(delete()).await, Error::Validation(_));
    assert_eq!(
        e.message().map(|m| m.text()),
        Some(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
        )
    );
    assert_eq!(describe(&db, "kept").await.table_status, Some(TableStatus::Active));
    let off = db
        .update_table(
            UpdateTableInput::builder()
                .table_name("kept")
                .deletion_protection_enabled(false)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        off.table_description.and_then(|d| d.deletion_protection_enabled),
        Some(false)
    );
    db.delete_table(delete()).await.unwrap();
    // Off by default, and described so.
    let out = db
        .create_table(hash_table("plain").create_table_input("plain").unwrap())
        .await
        .unwrap();
    assert_eq!(
        out.table_description.and_then(|d| d.deletion_protection_enabled),
        Some(false)
    );
}

#[tokio::test]
async fn billing_mode_summary_stays_once_a_table_was_on_demand_and_is_absent_for_one_always_provisioned() {
    let db = db("billing");
    db.create_table(protected_input("always", false)).await.unwrap();
    assert_eq!(describe(&db, "always").await.billing_mode_summary, None);

    indexed_table(&db).await;
    let d = describe(&db, TABLE).await;
    let summary = d.billing_mode_summary.clone().expect("an on-demand table's summary");
    assert_eq!(summary.billing_mode, Some(BillingMode::PayPerRequest));
    assert_eq!(summary.last_update_to_pay_per_request_date_time, d.creation_date_time);
    // An on-demand table's global index has no throughput.
    let gsi = &d.global_secondary_indexes()[0];
    assert_eq!(gsi.provisioned_throughput, None);

    let out = db
        .update_table(
            UpdateTableInput::builder()
                .table_name(TABLE)
                .billing_mode(BillingMode::Provisioned)
                .provisioned_throughput(throughput(5, 5))
                .global_secondary_index_updates(
                    GlobalSecondaryIndexUpdate::builder()
                        .update(
                            UpdateGlobalSecondaryIndexAction::builder()
                                .index_name("Gsi1")
                                .provisioned_throughput(throughput(5, 5))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let now = out.table_description.expect("a description");
    let after = now.billing_mode_summary.clone().expect("the summary stays");
    assert_eq!(after.billing_mode, Some(BillingMode::Provisioned));
    assert_eq!(after.last_update_to_pay_per_request_date_time, d.creation_date_time);
    let pt = now.global_secondary_indexes()[0]
        .provisioned_throughput
        .clone()
        .expect("throughput");
    assert_eq!((pt.read_capacity_units, pt.write_capacity_units), (Some(5), Some(5)));
    assert_eq!(describe(&db, TABLE).await.billing_mode_summary, Some(after));
}

#[tokio::test]
async fn table_class_sse_and_warm_throughput_are_not_described_even_when_asked_for() {
    // DynamoDB Local accepts TableClass and SSESpecification and describes neither.
    let db = db("class");
    let mut input = protected_input("classy", false);
    input.table_class = Some(TableClass::StandardInfrequentAccess);
    input.sse_specification = Some(SseSpecification::builder().enabled(true).build());
    let out = db.create_table(input).await.unwrap().table_description.unwrap();
    let d = describe(&db, "classy").await;
    for t in [&out, &d] {
        assert_eq!(t.table_class_summary, None);
        assert_eq!(t.sse_description, None);
        assert_eq!(t.warm_throughput, None);
    }
}

async fn arn_of(db: &Database, name: &str) -> String {
    describe(db, name).await.table_arn.expect("an ARN")
}

/// Whether `got` is DynamoDB Local's answer to any tagging call (the mock,
/// in process or served, has tags, as the service does).
fn local_has_no_tags<T>(got: &Result<T, Error>) -> bool {
    match got {
        Err(Error::Service { code, message }) if on_local() && code == "UnknownOperationException" => {
            assert_eq!(message.text(), "Tagging is not currently supported in DynamoDB Local.");
            true
        }
        _ => false,
    }
}

#[tokio::test]
async fn the_tags_given_to_create_table_are_listed() {
    let db = db("ctags");
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();
    let mut input = protected_input("tagged", false);
    input.tags = Some(vec![tag("team", "data"), tag("env", "test")]);
    db.create_table(input).await.unwrap();
    let arn = arn_of(&db, "tagged").await;
    let listed = db
        .list_tags_of_resource(ListTagsOfResourceInput::builder().resource_arn(&arn).build().unwrap())
        .await;
    if local_has_no_tags(&listed) {
        return;
    }
    let mut tags: Vec<(String, String)> = listed
        .unwrap()
        .tags
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        [
            ("env".to_string(), "test".to_string()),
            ("team".to_string(), "data".to_string())
        ]
    );
}

#[tokio::test]
async fn listing_the_tags_of_another_account_s_table_is_access_denied() {
    let db = db("xacct");
    create(&db, &hash_table("mine")).await;
    let arn = arn_of(&db, "mine").await;
    let theirs = arn.replace(":000000000000:", ":111111111111:");
    assert_ne!(arn, theirs, "the mock's and DynamoDB Local's account is 000000000000");
    let listed = db
        .list_tags_of_resource(
            ListTagsOfResourceInput::builder()
                .resource_arn(&theirs)
                .build()
                .unwrap(),
        )
        .await;
    if local_has_no_tags(&listed) {
        return;
    }
    match listed {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "AccessDeniedException");
            assert_eq!(
                message.text(),
                format!(
                    "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource on resource: {theirs} because no resource-based policy allows the dynamodb:ListTagsOfResource action"
                )
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_keys_only_index_is_charged_only_when_its_entry_moves_and_missing_items_cost_as_on_dynamodb_local() {
    let db = db("capk");
    let input = CreateTableInput::builder()
        .table_name(TABLE)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(def("pk"))
        .attribute_definitions(def("sk"))
        .attribute_definitions(def("l"))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name("Lsi1")
                .key_schema(key("pk", KeyType::Hash))
                .key_schema(key("l", KeyType::Range))
                .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    db.create_table(input).await.unwrap();
    use ReturnConsumedCapacity::{Indexes, Total};
    put(&db, TABLE, row("1", &[("l", "x")])).await;
    // An attribute the index does not project: the table alone.
    assert_eq!(
        put_capacity(&db, row("1", &[("l", "x"), ("other", "v")]), Indexes).await,
        Some(cap(1.0, Some(1.0), &[], &[]))
    );
    // The entry's key changes: a delete and a put.
    assert_eq!(
        put_capacity(&db, row("1", &[("l", "y")]), Indexes).await,
        Some(cap(3.0, Some(1.0), &[("Lsi1", 2.0)], &[]))
    );
    // Deleting nothing: one unit, two for each such request of a batch.
    let deleted = db
        .delete_item(
            DeleteItemInput::builder()
                .table_name(TABLE)
                .key("pk", s("a"))
                .key("sk", s("9"))
                .return_consumed_capacity(Total)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(deleted.consumed_capacity, Some(cap(1.0, None, &[], &[])));
    let missing = |sk: &str| {
        WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .key("pk", s("a"))
                    .key("sk", s(sk))
                    .build()
                    .unwrap(),
            )
            .build()
    };
    let batch = db
        .batch_write_item(
            BatchWriteItemInput::builder()
                .request_items(TABLE, vec![missing("8"), missing("9")])
                .return_consumed_capacity(Total)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(batch.consumed_capacity, Some(vec![cap(4.0, None, &[], &[])]));
    // A batch get's keys with no item cost nothing.
    let keys = vec![row("1", &[]), row("8", &[])];
    let got = db
        .batch_get_item(
            BatchGetItemInput::builder()
                .request_items(
                    TABLE,
                    KeysAndAttributes::builder()
                        .set_keys(Some(keys))
                        .consistent_read(true)
                        .build()
                        .unwrap(),
                )
                .return_consumed_capacity(Total)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(got.consumed_capacity, Some(vec![cap(1.0, None, &[], &[])]));
}
