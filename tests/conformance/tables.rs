//! Table lifecycle: create, describe, update, delete, list; schema errors.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Billing, Error, IndexSchema, KeyAttr, KeyType, Projection, TableSchema};

use crate::assert_err;
use crate::common::*;

async fn describe(db: &dynamo_objects::Database, name: &str) -> Result<TableDescription, Error> {
    db.describe_table(DescribeTableInput::builder().table_name(name).build().unwrap())
        .await
        .map(|o| o.table.expect("table description"))
}

#[tokio::test]
async fn create_describe_delete_lifecycle() {
    let db = db("life");
    let schema = range_table("orders", KeyType::N).throughput(3, 4);
    let out = db
        .create_table(schema.create_table_input("orders").unwrap())
        .await
        .unwrap();
    let desc = out.table_description.unwrap();
    assert_eq!(desc.table_name(), Some("orders"));

    let d = describe(&db, "orders").await.unwrap();
    assert_eq!(d.table_name(), Some("orders"));
    assert_eq!(d.table_status(), Some(&TableStatus::Active));
    assert_eq!(d.item_count(), Some(0));
    let ks: Vec<(String, KeyType_)> = d
        .key_schema()
        .iter()
        .map(|k| (k.attribute_name().to_string(), k.key_type().clone()))
        .collect();
    assert_eq!(
        ks,
        vec![("pk".to_string(), KeyType_::Hash), ("sk".to_string(), KeyType_::Range)]
    );
    let pt = d.provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(3), Some(4))
    );

    // Creating it again is ResourceInUse.
    assert_err!(
        db.create_table(schema.create_table_input("orders").unwrap()).await,
        Error::ResourceInUse(_)
    );

    let del = db
        .delete_table(DeleteTableInput::builder().table_name("orders").build().unwrap())
        .await
        .unwrap();
    assert_eq!(del.table_description.unwrap().table_name(), Some("orders"));
    assert_err!(describe(&db, "orders").await, Error::ResourceNotFound(_));
    assert_err!(
        db.delete_table(DeleteTableInput::builder().table_name("orders").build().unwrap())
            .await,
        Error::ResourceNotFound(_)
    );
}

use aws_sdk_dynamodb::types::KeyType as KeyType_;

#[tokio::test]
async fn on_demand_billing_is_described() {
    let db = db("ondemand");
    create(&db, &hash_table("t1")).await;
    let d = describe(&db, "t1").await.unwrap();
    assert_eq!(
        d.billing_mode_summary().and_then(|b| b.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );
    let pt = d.provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn indexes_are_described_as_declared() {
    let db = db("idx");
    let schema = range_table("games", KeyType::S)
        .throughput(5, 5)
        .global_index(
            IndexSchema::new("by_score", KeyAttr::new("game", KeyType::S))
                .range(KeyAttr::new("score", KeyType::N))
                .projection(Projection::KeysOnly)
                .throughput(2, 3),
        )
        .global_index(
            IndexSchema::new("by_player", KeyAttr::new("player", KeyType::S))
                .projection(Projection::Include(vec!["level".into()])),
        )
        .local_index(
            IndexSchema::new("by_date", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("date", KeyType::S)),
        );
    create(&db, &schema).await;
    let d = describe(&db, "games").await.unwrap();
    let mut gsis: Vec<_> = d.global_secondary_indexes().iter().collect();
    gsis.sort_by_key(|g| g.index_name().unwrap_or_default().to_string());
    assert_eq!(gsis.len(), 2);
    assert_eq!(gsis[0].index_name(), Some("by_player"));
    assert_eq!(
        gsis[0].projection().unwrap().projection_type(),
        Some(&ProjectionType::Include)
    );
    assert_eq!(
        gsis[0].projection().unwrap().non_key_attributes(),
        ["level".to_string()]
    );
    let pt = gsis[0].provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(5), Some(5))
    );
    assert_eq!(gsis[1].index_name(), Some("by_score"));
    assert_eq!(
        gsis[1].projection().unwrap().projection_type(),
        Some(&ProjectionType::KeysOnly)
    );
    let ks: Vec<&str> = gsis[1].key_schema().iter().map(|k| k.attribute_name()).collect();
    assert_eq!(ks, ["game", "score"]);
    let pt = gsis[1].provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(2), Some(3))
    );
    let lsis = d.local_secondary_indexes();
    assert_eq!(lsis.len(), 1);
    assert_eq!(lsis[0].index_name(), Some("by_date"));
    let ks: Vec<&str> = lsis[0].key_schema().iter().map(|k| k.attribute_name()).collect();
    assert_eq!(ks, ["pk", "date"]);
    let mut defs: Vec<(String, ScalarAttributeType)> = d
        .attribute_definitions()
        .iter()
        .map(|a| (a.attribute_name().to_string(), a.attribute_type().clone()))
        .collect();
    defs.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<&str> = defs.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(names, ["date", "game", "pk", "player", "score", "sk"]);
}

#[tokio::test]
async fn update_table_changes_throughput_and_billing() {
    let db = db("upd");
    create(&db, &hash_table("t1").throughput(1, 1)).await;
    let tp = ProvisionedThroughput::builder()
        .read_capacity_units(7)
        .write_capacity_units(8)
        .build()
        .unwrap();
    db.update_table(
        UpdateTableInput::builder()
            .table_name("t1")
            .provisioned_throughput(tp)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let d = describe(&db, "t1").await.unwrap();
    let pt = d.provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(7), Some(8))
    );

    db.update_table(
        UpdateTableInput::builder()
            .table_name("t1")
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let d = describe(&db, "t1").await.unwrap();
    assert_eq!(
        d.billing_mode_summary().and_then(|b| b.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );

    assert_err!(
        db.update_table(
            UpdateTableInput::builder()
                .table_name("missing")
                .billing_mode(BillingMode::PayPerRequest)
                .build()
                .unwrap()
        )
        .await,
        Error::ResourceNotFound(_)
    );
}

#[tokio::test]
async fn bad_schemas_are_validation_errors() {
    let db = db("badschema");
    // A key attribute missing from AttributeDefinitions.
    let input = CreateTableInput::builder()
        .table_name("t1")
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType_::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("other")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    assert_err!(db.create_table(input).await, Error::Validation(_));

    // Provisioned without throughput.
    let mut input = hash_table("t3").create_table_input("t3").unwrap();
    input.billing_mode = Some(BillingMode::Provisioned);
    assert_err!(db.create_table(input).await, Error::Validation(_));

    // A local index on a table without a range key.
    let schema = hash_table("t4")
        .local_index(IndexSchema::new("l", KeyAttr::new("id", KeyType::S)).range(KeyAttr::new("x", KeyType::S)));
    assert_err!(
        db.create_table(schema.create_table_input("t4").unwrap()).await,
        Error::Validation(_)
    );

    // A name too short, and one with a bad character.
    let raw = raw_db();
    assert_err!(
        raw.create_table(hash_table("x").create_table_input("ab").unwrap())
            .await,
        Error::Validation(_)
    );
    assert_err!(
        raw.create_table(hash_table("x").create_table_input("a b c").unwrap())
            .await,
        Error::Validation(_)
    );

    // Nothing was created.
    // (On-demand with throughput is accepted by DynamoDB Local, which
    // ignores the throughput: see on_demand_table_ignores_throughput.)
    assert_eq!(db.table_names().await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn list_tables_pages_with_limit_and_start() {
    let db = db("list");
    for name in ["t_a", "t_b", "t_c", "t_d", "t_e"] {
        create(&db, &hash_table(name)).await;
    }
    let page = db
        .list_tables(ListTablesInput::builder().limit(2).build().unwrap())
        .await
        .unwrap();
    assert_eq!(page.table_names(), ["t_a", "t_b"]);
    assert_eq!(page.last_evaluated_table_name(), Some("t_b"));
    let page = db
        .list_tables(
            ListTablesInput::builder()
                .limit(2)
                .exclusive_start_table_name("t_b")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.table_names(), ["t_c", "t_d"]);
    let page = db
        .list_tables(
            ListTablesInput::builder()
                .limit(2)
                .exclusive_start_table_name("t_d")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.table_names(), ["t_e"]);
    assert_eq!(page.last_evaluated_table_name(), None);
    assert_eq!(db.table_names().await.unwrap(), ["t_a", "t_b", "t_c", "t_d", "t_e"]);
}

#[tokio::test]
async fn list_tables_limit_out_of_range_is_validation() {
    let db = raw_db();
    assert_err!(
        db.list_tables(ListTablesInput::builder().limit(0).build().unwrap())
            .await,
        Error::Validation(_)
    );
    assert_err!(
        db.list_tables(ListTablesInput::builder().limit(101).build().unwrap())
            .await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn more_than_100_tables_are_all_listed() {
    let db = db("many");
    let names: Vec<String> = (0..105).map(|i| format!("tbl{i:03}")).collect();
    let mut tasks = Vec::new();
    for chunk in names.chunks(15) {
        let db = db.clone();
        let chunk = chunk.to_vec();
        tasks.push(tokio::spawn(async move {
            for name in chunk {
                db.ensure_table(&hash_table(&name)).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(db.table_names().await.unwrap(), names);
    // A declared table is found by DescribeTable, wherever it sorts.
    let fresh = db.with_prefix(db.prefix());
    fresh.ensure_table(&hash_table("tbl104")).await.unwrap();
    assert_eq!(db.table_names().await.unwrap().len(), 105);
}

#[tokio::test]
async fn schema_billing_round_trips_into_create_input() {
    let schema = hash_table("t").throughput(3, 3);
    assert_eq!(schema.billing, Billing::Provisioned { read: 3, write: 3 });
    let input = schema.create_table_input("dev_t").unwrap();
    assert_eq!(input.table_name(), Some("dev_t"));
    assert_eq!(input.billing_mode(), Some(&BillingMode::Provisioned));
    // One key attribute declared twice with different types is refused.
    let bad = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
        .global_index(IndexSchema::new("g", KeyAttr::new("id", KeyType::N)));
    assert_err!(bad.create_table_input("t"), Error::Validation(_));
}

#[tokio::test]
async fn on_demand_table_ignores_throughput() {
    let db = db("odtp");
    let mut input = hash_table("t2").create_table_input("t2").unwrap();
    input.provisioned_throughput = Some(
        ProvisionedThroughput::builder()
            .read_capacity_units(1)
            .write_capacity_units(1)
            .build()
            .unwrap(),
    );
    db.create_table(input).await.unwrap();
    let d = describe(&db, "t2").await.unwrap();
    let pt = d.provisioned_throughput().unwrap();
    assert_eq!(
        (pt.read_capacity_units(), pt.write_capacity_units()),
        (Some(0), Some(0))
    );
}

fn ttl_spec(enabled: bool, attribute: &str) -> TimeToLiveSpecification {
    TimeToLiveSpecification::builder()
        .enabled(enabled)
        .attribute_name(attribute)
        .build()
        .unwrap()
}

async fn update_ttl(
    db: &dynamo_objects::Database,
    table: &str,
    enabled: bool,
    attribute: &str,
) -> Result<UpdateTimeToLiveOutput, Error> {
    db.update_time_to_live(
        UpdateTimeToLiveInput::builder()
            .table_name(table)
            .time_to_live_specification(ttl_spec(enabled, attribute))
            .build()
            .unwrap(),
    )
    .await
}

async fn ttl_of(db: &dynamo_objects::Database, table: &str) -> Result<(TimeToLiveStatus, Option<String>), Error> {
    let out = db
        .describe_time_to_live(DescribeTimeToLiveInput::builder().table_name(table).build().unwrap())
        .await?;
    let d = out.time_to_live_description.expect("a description");
    Ok((
        d.time_to_live_status.expect("a status"),
        d.attribute_name.map(|a| a.to_string()),
    ))
}

#[tokio::test]
async fn time_to_live_is_turned_on_and_off_once() {
    let db = db("ttl");
    create(&db, &hash_table("things")).await;
    assert_eq!(ttl_of(&db, "things").await.unwrap(), (TimeToLiveStatus::Disabled, None));
    assert_err!(update_ttl(&db, "things", false, "expires").await, Error::Validation(_));

    let out = update_ttl(&db, "things", true, "expires").await.unwrap();
    assert_eq!(out.time_to_live_specification, Some(ttl_spec(true, "expires")));
    assert_eq!(
        ttl_of(&db, "things").await.unwrap(),
        (TimeToLiveStatus::Enabled, Some("expires".into()))
    );
    // Once on, only turning it off, on the same attribute, is accepted.
    let e = assert_err!(update_ttl(&db, "things", true, "expires").await, Error::Validation(_));
    assert!(e.to_string().contains("TimeToLive is already enabled"), "{e}");
    let e = assert_err!(update_ttl(&db, "things", true, "other").await, Error::Validation(_));
    assert!(e.to_string().contains("different AttributeName"), "{e}");
    let e = assert_err!(update_ttl(&db, "things", false, "other").await, Error::Validation(_));
    assert!(e.to_string().contains("different AttributeName"), "{e}");
    update_ttl(&db, "things", false, "expires").await.unwrap();
    assert_eq!(ttl_of(&db, "things").await.unwrap(), (TimeToLiveStatus::Disabled, None));

    // Attribute names are 1 to 255 characters.
    assert_err!(
        update_ttl(&db, "things", true, &"x".repeat(256)).await,
        Error::Validation(_)
    );
    update_ttl(&db, "things", true, &"x".repeat(255)).await.unwrap();

    assert_err!(
        update_ttl(&db, "missing", true, "expires").await,
        Error::ResourceNotFound(_)
    );
    assert_err!(ttl_of(&db, "missing").await, Error::ResourceNotFound(_));
}

#[tokio::test]
async fn a_declared_ttl_is_turned_on_when_the_table_is_first_used() {
    let db = db("ttlschema");
    db.ensure_table(&hash_table("sessions").ttl("expires")).await.unwrap();
    assert_eq!(
        ttl_of(&db, "sessions").await.unwrap(),
        (TimeToLiveStatus::Enabled, Some("expires".into()))
    );
    // A table that exists with TTL off gets it turned on; one with TTL on
    // (on whatever attribute) is left as it is.
    create(&db, &hash_table("plain")).await;
    let fresh = db.clone();
    fresh.forget_tables();
    fresh.ensure_table(&hash_table("plain").ttl("until")).await.unwrap();
    assert_eq!(
        ttl_of(&db, "plain").await.unwrap(),
        (TimeToLiveStatus::Enabled, Some("until".into()))
    );
    fresh.forget_tables();
    fresh.ensure_table(&hash_table("plain").ttl("other")).await.unwrap();
    assert_eq!(
        ttl_of(&db, "plain").await.unwrap(),
        (TimeToLiveStatus::Enabled, Some("until".into()))
    );
}

/// A CreateTableInput keyed by `hash` (S, and `range` S if given), with,
/// when `index` is `(index_hash, projected)`, a global index `gix` on
/// `index_hash` that also projects `projected`.
fn keyed_input(name: &str, hash: &str, range: Option<&str>, index: Option<(&str, &str)>) -> CreateTableInput {
    let key = |n: &str, t: KeyType_| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .unwrap()
    };
    let def = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap()
    };
    let mut b = CreateTableInput::builder()
        .table_name(name)
        .key_schema(key(hash, KeyType_::Hash))
        .attribute_definitions(def(hash))
        .billing_mode(BillingMode::PayPerRequest);
    if let Some(r) = range {
        b = b.key_schema(key(r, KeyType_::Range)).attribute_definitions(def(r));
    }
    if let Some((index_hash, projected)) = index {
        b = b.attribute_definitions(def(index_hash)).global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("gix")
                .key_schema(key(index_hash, KeyType_::Hash))
                .projection(
                    aws_sdk_dynamodb::types::Projection::builder()
                        .projection_type(ProjectionType::Include)
                        .non_key_attributes(projected)
                        .build(),
                )
                .build()
                .unwrap(),
        );
    }
    b.build().unwrap()
}

#[tokio::test]
async fn key_attribute_names_must_be_1_to_255_bytes_long() {
    let db = db("keynames");
    let too_long = || {
        Error::Validation(
            "Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive"
                .into(),
        )
    };
    let (max, over) = ("k".repeat(255), "k".repeat(256));
    // Bytes, not characters: 128 two-byte characters are 256 bytes.
    let wide = "é".repeat(128);
    for bad in ["", over.as_str(), wide.as_str()] {
        assert_eq!(
            db.create_table(keyed_input("t", bad, None, None)).await.unwrap_err(),
            too_long()
        );
        assert_eq!(
            db.create_table(keyed_input("t", "h", Some(bad), None))
                .await
                .unwrap_err(),
            too_long()
        );
        assert_eq!(
            db.create_table(keyed_input("t", "h", None, Some((bad, "p"))))
                .await
                .unwrap_err(),
            too_long()
        );
        // Attributes projected into an index too.
        assert_eq!(
            db.create_table(keyed_input("t", "h", None, Some(("g", bad))))
                .await
                .unwrap_err(),
            too_long()
        );
    }
    // Checked before the attribute definitions are matched to the keys.
    let mut input = keyed_input("t", "h", None, None);
    input.attribute_definitions.get_or_insert_with(Vec::new).push(
        AttributeDefinition::builder()
            .attribute_name(&over)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap(),
    );
    assert_eq!(db.create_table(input).await.unwrap_err(), too_long());
    assert_eq!(db.table_names().await.unwrap(), Vec::<String>::new());
    // 255 bytes is fine, in the key and in the index.
    db.create_table(keyed_input("t", &max, Some(&"é".repeat(127)), Some(("g", &max))))
        .await
        .unwrap();
    let d = describe(&db, "t").await.unwrap();
    assert_eq!(d.key_schema()[0].attribute_name(), max);
}

#[tokio::test]
async fn tags_added_through_a_connection_are_listed_and_removed() {
    let db = db("tags");
    create(&db, &hash_table("tagged")).await;
    let arn = db
        .describe_table(DescribeTableInput::builder().table_name("tagged").build().unwrap())
        .await
        .unwrap()
        .table
        .and_then(|t| t.table_arn)
        .expect("the table's ARN");
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();
    let tagged = db
        .tag_resource(
            TagResourceInput::builder()
                .resource_arn(&arn)
                .tags(tag("team", "data"))
                .tags(tag("env", "test"))
                .build()
                .unwrap(),
        )
        .await;
    match tagged {
        // DynamoDB Local has no tags; the mock (in process or served) has
        // them, as the service does.
        Err(Error::Service { code, message }) if on_local() => {
            assert_eq!(code, "UnknownOperationException");
            assert_eq!(message.text(), "Tagging is not currently supported in DynamoDB Local.");
            return;
        }
        other => other.unwrap(),
    };
    let listed = |out: ListTagsOfResourceOutput| -> Vec<(String, String)> {
        out.tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect()
    };
    let list = || ListTagsOfResourceInput::builder().resource_arn(&arn).build().unwrap();
    let mut tags = listed(db.list_tags_of_resource(list()).await.unwrap());
    tags.sort();
    assert_eq!(
        tags,
        vec![
            ("env".to_string(), "test".to_string()),
            ("team".to_string(), "data".to_string())
        ]
    );
    db.untag_resource(
        UntagResourceInput::builder()
            .resource_arn(&arn)
            .tag_keys("env")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        listed(db.list_tags_of_resource(list()).await.unwrap()),
        vec![("team".to_string(), "data".to_string())]
    );
}
