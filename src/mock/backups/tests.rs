//! Backups and restores, through the in-process mock's synchronous calls.

use super::super::testing::{item, n, s};
use crate::Error;
use crate::mock::MockBackend;
use crate::sdk::*;

fn def(name: &str, t: ScalarAttributeType) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(t)
        .build()
        .expect("definition")
}

fn key(name: &str, t: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(t)
        .build()
        .expect("key")
}

fn gsi(name: &str, hash: &str) -> GlobalSecondaryIndex {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(hash, KeyType::Hash))
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()
        .expect("index")
}

/// An on-demand table `name`: hash key `id` (S), a global index `byColour`
/// on `colour` (S).
fn table(mock: &MockBackend, name: &str) {
    let input = CreateTableInput::builder()
        .table_name(name)
        .attribute_definitions(def("id", ScalarAttributeType::S))
        .attribute_definitions(def("colour", ScalarAttributeType::S))
        .key_schema(key("id", KeyType::Hash))
        .global_secondary_indexes(gsi("byColour", "colour"))
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .expect("input");
    mock.create_table_sync(input).expect("created");
}

fn put(mock: &MockBackend, table: &str, id: &str, colour: &str) {
    let input = PutItemInput::builder()
        .table_name(table)
        .set_item(Some(item(vec![("id", s(id)), ("colour", s(colour)), ("n", n("1"))])))
        .build()
        .expect("input");
    mock.put_item_sync(input).expect("put");
}

fn delete(mock: &MockBackend, table: &str, id: &str) {
    let input = DeleteItemInput::builder()
        .table_name(table)
        .set_key(Some(item(vec![("id", s(id))])))
        .build()
        .expect("input");
    mock.delete_item_sync(input).expect("deleted");
}

/// The ids of the table's items, in order.
fn ids(mock: &MockBackend, table: &str) -> Vec<String> {
    let out = mock
        .scan_sync(ScanInput::builder().table_name(table).build().expect("input"))
        .expect("scan");
    let mut ids: Vec<String> = out
        .items
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.get("id").and_then(|v| v.as_s().ok()).cloned())
        .collect();
    ids.sort();
    ids
}

fn backup(mock: &MockBackend, table: &str, name: &str) -> BackupDetails {
    let input = CreateBackupInput::builder()
        .table_name(table)
        .backup_name(name)
        .build()
        .expect("input");
    mock.create_backup_sync(input)
        .expect("backed up")
        .backup_details
        .expect("details")
}

fn restore(mock: &MockBackend, arn: &str, target: &str) -> Result<TableDescription, Error> {
    let input = RestoreTableFromBackupInput::builder()
        .backup_arn(arn)
        .target_table_name(target)
        .build()
        .expect("input");
    Ok(mock
        .restore_table_from_backup_sync(input)?
        .table_description
        .expect("description"))
}

fn service_error<T: std::fmt::Debug>(r: Result<T, Error>) -> (String, String) {
    match r {
        Err(Error::Service { code, message }) => (code, message.text().to_string()),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn a_restored_table_holds_the_items_backed_up_and_not_the_writes_made_since() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "orders", "a", "red");
    put(&mock, "orders", "b", "blue");
    put(&mock, "orders", "c", "red");
    let details = backup(&mock, "orders", "nightly");
    put(&mock, "orders", "d", "red");
    delete(&mock, "orders", "a");

    assert_eq!(details.backup_name, "nightly");
    assert_eq!(details.backup_status, BackupStatus::Available);
    assert_eq!(details.backup_type, BackupType::User);
    let prefix = "arn:aws:dynamodb:ddblocal:000000000000:table/orders/backup/";
    let id = details
        .backup_arn
        .strip_prefix(prefix)
        .expect("a backup ARN of the table");
    let (millis, hex) = id.split_once('-').expect("<millis>-<hex>");
    assert_eq!((millis.len(), hex.len()), (14, 8), "{id}");
    assert!(millis.bytes().all(|b| b.is_ascii_digit()), "{id}");
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    assert_eq!(
        millis.parse::<i64>().ok(),
        Some(details.backup_creation_date_time.to_millis().expect("millis"))
    );

    let restored = restore(&mock, &details.backup_arn, "orders2").expect("restored");
    assert_eq!(restored.table_status, Some(TableStatus::Active));
    assert_eq!(restored.item_count, Some(3));
    let summary = restored.restore_summary.expect("a restore summary");
    assert_eq!(summary.source_backup_arn.as_deref(), Some(details.backup_arn.as_str()));
    assert_eq!(
        summary.source_table_arn.as_deref(),
        Some("arn:aws:dynamodb:ddblocal:000000000000:table/orders")
    );
    assert!(!summary.restore_in_progress);
    let described = mock
        .describe_table_sync(
            DescribeTableInput::builder()
                .table_name("orders2")
                .build()
                .expect("input"),
        )
        .expect("described")
        .table
        .expect("table");
    assert_eq!(described.restore_summary, Some(summary));
    let source = mock
        .describe_table_sync(
            DescribeTableInput::builder()
                .table_name("orders")
                .build()
                .expect("input"),
        )
        .expect("described")
        .table
        .expect("table");
    assert_eq!(source.restore_summary, None);
    assert_eq!(ids(&mock, "orders2"), ["a", "b", "c"]);
    assert_eq!(ids(&mock, "orders"), ["b", "c", "d"]);
    // The global index is rebuilt from the items.
    let query = QueryInput::builder()
        .table_name("orders2")
        .index_name("byColour")
        .key_condition_expression("colour = :c")
        .expression_attribute_values(":c", s("red"))
        .build()
        .expect("input");
    assert_eq!(mock.query_sync(query).expect("query").count, 2);
}

#[test]
fn describe_backup_names_the_source_table_its_keys_and_indexes() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "orders", "a", "red");
    let arn = backup(&mock, "orders", "bk1").backup_arn;
    let input = DescribeBackupInput::builder().backup_arn(&arn).build().expect("input");
    let d = mock
        .describe_backup_sync(input)
        .expect("described")
        .backup_description
        .expect("description");
    let source = d.source_table_details.expect("source");
    assert_eq!(source.table_name, "orders");
    assert_eq!(source.item_count, Some(1));
    assert_eq!(source.billing_mode, Some(BillingMode::PayPerRequest));
    assert_eq!(source.key_schema, [key("id", KeyType::Hash)]);
    let features = d.source_table_feature_details.expect("features");
    let gsis = features.global_secondary_indexes.expect("global indexes");
    assert_eq!(gsis.len(), 1);
    assert_eq!(gsis[0].index_name.as_deref(), Some("byColour"));
    assert_eq!(features.local_secondary_indexes, None);
}

#[test]
fn a_backup_of_a_missing_table_is_table_not_found_and_an_unknown_backup_is_backup_not_found() {
    let mock = MockBackend::new();
    let input = CreateBackupInput::builder()
        .table_name("nothere")
        .backup_name("bkp")
        .build()
        .expect("input");
    assert_eq!(
        service_error(mock.create_backup_sync(input)),
        ("TableNotFoundException".into(), "Table not found: nothere".into())
    );
    let arn = "arn:aws:dynamodb:ddblocal:000000000000:table/t/backup/01700000000000-0000abcd";
    assert_eq!(
        service_error(restore(&mock, arn, "target")),
        ("BackupNotFoundException".into(), format!("Backup not found: {arn}"))
    );
    let input = DescribeBackupInput::builder().backup_arn(arn).build().expect("input");
    assert_eq!(
        service_error(mock.describe_backup_sync(input)),
        ("BackupNotFoundException".into(), format!("Backup not found: {arn}"))
    );
}

#[test]
fn restoring_onto_a_table_that_exists_is_table_already_exists() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    table(&mock, "taken");
    let arn = backup(&mock, "orders", "bkp").backup_arn;
    assert_eq!(
        service_error(restore(&mock, &arn, "taken")),
        (
            "TableAlreadyExistsException".into(),
            "Table already exists: taken".into()
        )
    );
}

#[test]
fn a_deleted_backup_is_answered_deleted_then_not_found_and_a_backup_outlives_its_table() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "orders", "a", "red");
    let keep = backup(&mock, "orders", "keep").backup_arn;
    let gone = backup(&mock, "orders", "gone").backup_arn;
    let input = DeleteBackupInput::builder().backup_arn(&gone).build().expect("input");
    let d = mock.delete_backup_sync(input.clone()).expect("deleted");
    let details = d.backup_description.and_then(|d| d.backup_details).expect("details");
    assert_eq!(details.backup_status, BackupStatus::Deleted);
    assert_eq!(
        service_error(mock.delete_backup_sync(input)),
        ("BackupNotFoundException".into(), format!("Backup not found: {gone}"))
    );
    mock.delete_table_sync(DeleteTableInput::builder().table_name("orders").build().expect("input"))
        .expect("table deleted");
    restore(&mock, &keep, "orders").expect("restored under the old name");
    assert_eq!(ids(&mock, "orders"), ["a"]);
}

#[test]
fn list_backups_pages_oldest_first_and_filters_by_table_time_range_and_type() {
    let mock = MockBackend::new();
    table(&mock, "one");
    table(&mock, "two");
    let a = backup(&mock, "one", "aaa");
    let b = backup(&mock, "two", "bbb");
    let c = backup(&mock, "one", "ccc");
    let list = |input: Result<ListBackupsInput, BuildError>| {
        let out = mock.list_backups_sync(input.expect("input")).expect("listed");
        let names: Vec<String> = out
            .backup_summaries
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| s.backup_name)
            .collect();
        (names, out.last_evaluated_backup_arn)
    };
    assert_eq!(
        list(ListBackupsInput::builder().build()),
        (vec!["aaa".into(), "bbb".into(), "ccc".into()], None)
    );
    assert_eq!(
        list(ListBackupsInput::builder().limit(2).build()),
        (vec!["aaa".into(), "bbb".into()], Some(b.backup_arn.clone()))
    );
    assert_eq!(
        list(
            ListBackupsInput::builder()
                .limit(2)
                .exclusive_start_backup_arn(&b.backup_arn)
                .build()
        ),
        (vec!["ccc".into()], None)
    );
    assert_eq!(
        list(ListBackupsInput::builder().table_name("one").build()),
        (vec!["aaa".into(), "ccc".into()], None)
    );
    // The lower bound is inclusive, the upper exclusive.
    assert_eq!(
        list(
            ListBackupsInput::builder()
                .time_range_lower_bound(b.backup_creation_date_time)
                .time_range_upper_bound(c.backup_creation_date_time)
                .build()
        )
        .0,
        if b.backup_creation_date_time == c.backup_creation_date_time {
            Vec::<String>::new()
        } else {
            vec!["bbb".to_string()]
        }
    );
    assert_eq!(
        list(
            ListBackupsInput::builder()
                .time_range_upper_bound(a.backup_creation_date_time)
                .build()
        )
        .0,
        Vec::<String>::new()
    );
    assert_eq!(
        list(
            ListBackupsInput::builder()
                .backup_type(BackupTypeFilter::System)
                .build()
        )
        .0,
        Vec::<String>::new()
    );
    assert_eq!(
        list(ListBackupsInput::builder().backup_type(BackupTypeFilter::All).build())
            .0
            .len(),
        3
    );
    let refused = mock.list_backups_sync(ListBackupsInput::builder().limit(0).build().expect("input"));
    assert_eq!(
        refused.map(|_| ()),
        Err(Error::Validation(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1".into()
        ))
    );
}

#[test]
fn restore_overrides_set_the_billing_mode_the_throughput_and_the_global_indexes() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "orders", "a", "red");
    let arn = backup(&mock, "orders", "bkp").backup_arn;
    let input = RestoreTableFromBackupInput::builder()
        .backup_arn(&arn)
        .target_table_name("plain")
        .billing_mode_override(BillingMode::Provisioned)
        .provisioned_throughput_override(
            ProvisionedThroughput::builder()
                .read_capacity_units(7)
                .write_capacity_units(3)
                .build()
                .expect("throughput"),
        )
        .set_global_secondary_index_override(Some(vec![]))
        .build()
        .expect("input");
    let d = mock
        .restore_table_from_backup_sync(input)
        .expect("restored")
        .table_description
        .expect("description");
    assert_eq!(d.global_secondary_indexes, None);
    // The definition only the dropped index used is dropped with it.
    assert_eq!(d.attribute_definitions, Some(vec![def("id", ScalarAttributeType::S)]));
    let t = d.provisioned_throughput.expect("throughput");
    assert_eq!((t.read_capacity_units, t.write_capacity_units), (Some(7), Some(3)));
    assert_eq!(ids(&mock, "plain"), ["a"]);
}

#[test]
fn a_table_named_by_its_arn_is_backed_up_as_by_its_name() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "orders", "a", "red");
    let details = backup(&mock, "arn:aws:dynamodb:ddblocal:000000000000:table/orders", "by-arn");
    assert!(
        details
            .backup_arn
            .starts_with("arn:aws:dynamodb:ddblocal:000000000000:table/orders/backup/"),
        "{}",
        details.backup_arn
    );
    restore(&mock, &details.backup_arn, "copy").expect("restored");
    assert_eq!(ids(&mock, "copy"), ["a"]);
}

#[test]
fn a_restored_multi_attribute_index_keeps_every_key_attribute() {
    let mock = MockBackend::new();
    let index = GlobalSecondaryIndex::builder()
        .index_name("byPlace")
        .key_schema(key("country", KeyType::Hash))
        .key_schema(key("city", KeyType::Hash))
        .key_schema(key("street", KeyType::Range))
        .key_schema(key("number", KeyType::Range))
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()
        .expect("index");
    let mut input = CreateTableInput::builder()
        .table_name("places")
        .attribute_definitions(def("id", ScalarAttributeType::S))
        .key_schema(key("id", KeyType::Hash))
        .global_secondary_indexes(index)
        .billing_mode(BillingMode::PayPerRequest);
    for (name, t) in [
        ("country", ScalarAttributeType::S),
        ("city", ScalarAttributeType::S),
        ("street", ScalarAttributeType::S),
        ("number", ScalarAttributeType::N),
    ] {
        input = input.attribute_definitions(def(name, t));
    }
    mock.create_table_sync(input.build().expect("input")).expect("created");
    let arn = backup(&mock, "places", "bk1").backup_arn;
    let restored = restore(&mock, &arn, "places2").expect("restored");
    let gsis = restored.global_secondary_indexes.expect("global indexes");
    assert_eq!(
        gsis[0].key_schema,
        Some(vec![
            key("country", KeyType::Hash),
            key("city", KeyType::Hash),
            key("street", KeyType::Range),
            key("number", KeyType::Range),
        ])
    );
}
