//! Backups, point-in-time recovery, resource policies, DescribeLimits and
//! DescribeEndpoints.
//!
//! DynamoDB Local implements only DescribeLimits of these: the scenario for
//! it runs on both backends. For the others Local answers
//! `UnknownOperationException` ("An unknown operation was requested."):
//! on Local each scenario checks exactly that refusal and stops; on the mock
//! (which follows the real service's API reference) it runs in full.

use aws_sdk_dynamodb::primitives::DateTime;
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item};

use crate::common::*;

/// On DynamoDB Local, asserts that `got` is its refusal of an operation it
/// does not implement, and answers true (the scenario stops there); on the
/// mock, answers false.
fn refused_by_local<T: std::fmt::Debug>(got: &Result<T, Error>) -> bool {
    if !on_dynamodb_local() {
        return false;
    }
    match got {
        Err(Error::Service { code, message }) if code == "UnknownOperationException" => {
            assert_eq!(message.text(), "An unknown operation was requested.");
            true
        }
        other => panic!(
            "DynamoDB Local was expected to refuse the operation, got {other:?} \
             (through the mock server? set DYNAMODB_TEST_SERVER=mock)"
        ),
    }
}

fn ids(items: Option<Vec<Item>>) -> Vec<String> {
    let mut ids = keys(&items.unwrap_or_default(), "id");
    ids.sort();
    ids
}

async fn scan_ids(db: &Database, table: &str) -> Vec<String> {
    let out = db
        .scan(
            ScanInput::builder()
                .table_name(table)
                .consistent_read(true)
                .build()
                .unwrap(),
        )
        .await
        .expect("scan");
    ids(out.items)
}

async fn delete(db: &Database, table: &str, id: &str) {
    db.delete_item(
        DeleteItemInput::builder()
            .table_name(table)
            .key("id", s(id))
            .build()
            .unwrap(),
    )
    .await
    .expect("delete");
}

#[tokio::test]
async fn describe_limits_answers_the_default_throughput_quotas() {
    let db = raw_db();
    let out = db
        .describe_limits(DescribeLimitsInput::builder().build().unwrap())
        .await
        .expect("limits");
    assert_eq!(
        (
            out.account_max_read_capacity_units,
            out.account_max_write_capacity_units,
            out.table_max_read_capacity_units,
            out.table_max_write_capacity_units
        ),
        (Some(80_000), Some(80_000), Some(40_000), Some(40_000))
    );
}

#[tokio::test]
async fn describe_endpoints_names_the_regional_endpoint_cached_for_a_day() {
    let db = raw_db();
    let got = db
        .describe_endpoints(DescribeEndpointsInput::builder().build().unwrap())
        .await;
    if refused_by_local(&got) {
        return;
    }
    let endpoints = got.expect("endpoints").endpoints;
    assert_eq!(endpoints.len(), 1);
    assert_eq!(
        (endpoints[0].address.as_str(), endpoints[0].cache_period_in_minutes),
        ("dynamodb.ddblocal.amazonaws.com", 1440)
    );
}

#[tokio::test]
async fn a_table_restored_from_a_backup_holds_the_items_backed_up_and_not_later_writes() {
    let db = db("bkp");
    create(&db, &hash_table("orders")).await;
    put(&db, "orders", item(&[("id", s("a"))])).await;
    put(&db, "orders", item(&[("id", s("b"))])).await;
    let got = db
        .create_backup(
            CreateBackupInput::builder()
                .table_name("orders")
                .backup_name("nightly")
                .build()
                .unwrap(),
        )
        .await;
    if refused_by_local(&got) {
        return;
    }
    let details = got.expect("backed up").backup_details.expect("details");
    assert_eq!(
        (&details.backup_name[..], &details.backup_status, &details.backup_type),
        ("nightly", &BackupStatus::Available, &BackupType::User)
    );
    put(&db, "orders", item(&[("id", s("c"))])).await;
    delete(&db, "orders", "a").await;

    let described = db
        .describe_backup(
            DescribeBackupInput::builder()
                .backup_arn(&details.backup_arn)
                .build()
                .unwrap(),
        )
        .await
        .expect("described")
        .backup_description
        .expect("description");
    let source = described.source_table_details.expect("source");
    assert_eq!((source.table_name.as_str(), source.item_count), ("orders", Some(2)));

    let listed = db
        .list_backups(ListBackupsInput::builder().table_name("orders").build().unwrap())
        .await
        .expect("listed");
    let arns: Vec<String> = listed
        .backup_summaries
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.backup_arn)
        .collect();
    assert_eq!(arns, std::slice::from_ref(&details.backup_arn));

    let restored = db
        .restore_table_from_backup(
            RestoreTableFromBackupInput::builder()
                .backup_arn(&details.backup_arn)
                .target_table_name("copy")
                .build()
                .unwrap(),
        )
        .await
        .expect("restored")
        .table_description
        .expect("description");
    assert_eq!(restored.table_name.as_deref(), Some("copy"));
    assert_eq!(
        restored.restore_summary.and_then(|s| s.source_backup_arn),
        Some(details.backup_arn.clone())
    );
    assert_eq!(scan_ids(&db, "copy").await, ["a", "b"]);
    assert_eq!(scan_ids(&db, "orders").await, ["b", "c"]);

    let again = db
        .restore_table_from_backup(
            RestoreTableFromBackupInput::builder()
                .backup_arn(&details.backup_arn)
                .target_table_name("copy")
                .build()
                .unwrap(),
        )
        .await;
    match again {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "TableAlreadyExistsException");
            assert_eq!(
                message.text(),
                format!("Table already exists: {}", db.full_name("copy"))
            );
        }
        other => panic!("{other:?}"),
    }
    db.delete_backup(
        DeleteBackupInput::builder()
            .backup_arn(&details.backup_arn)
            .build()
            .unwrap(),
    )
    .await
    .expect("deleted");
    match db
        .describe_backup(
            DescribeBackupInput::builder()
                .backup_arn(&details.backup_arn)
                .build()
                .unwrap(),
        )
        .await
    {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "BackupNotFoundException");
            assert_eq!(message.text(), format!("Backup not found: {}", details.backup_arn));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_table_restored_to_a_point_in_time_holds_the_items_as_they_were_then() {
    let db = db("pitr");
    create(&db, &hash_table("orders")).await;
    put(&db, "orders", item(&[("id", s("a"))])).await;
    let spec = PointInTimeRecoverySpecification::builder()
        .point_in_time_recovery_enabled(true)
        .build()
        .unwrap();
    let got = db
        .update_continuous_backups(
            UpdateContinuousBackupsInput::builder()
                .table_name("orders")
                .point_in_time_recovery_specification(spec)
                .build()
                .unwrap(),
        )
        .await;
    if refused_by_local(&got) {
        return;
    }
    let on = got
        .expect("on")
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .expect("recovery");
    assert_eq!(
        on.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Enabled)
    );
    let start = on.earliest_restorable_date_time.expect("earliest");
    // Later than `start` by the clock, and than every write before it.
    let before_b = loop {
        let now = DateTime::from(std::time::SystemTime::now());
        if now.as_secs_f64() > start.as_secs_f64() {
            break now;
        }
        std::thread::yield_now();
    };
    while DateTime::from(std::time::SystemTime::now()).as_secs_f64() <= before_b.as_secs_f64() {
        std::thread::yield_now();
    }
    put(&db, "orders", item(&[("id", s("b"))])).await;
    delete(&db, "orders", "a").await;

    let restore = |target: &str, at: Option<DateTime>| {
        RestoreTableToPointInTimeInput::builder()
            .source_table_name("orders")
            .target_table_name(target)
            .set_restore_date_time(at)
            .set_use_latest_restorable_time(at.is_none().then_some(true))
            .build()
            .unwrap()
    };
    db.restore_table_to_point_in_time(restore("then", Some(before_b)))
        .await
        .expect("restored");
    assert_eq!(scan_ids(&db, "then").await, ["a"]);
    db.restore_table_to_point_in_time(restore("now", None))
        .await
        .expect("restored");
    assert_eq!(scan_ids(&db, "now").await, ["b"]);
    let early = DateTime::from_secs_f64(start.as_secs_f64() - 60.0);
    match db.restore_table_to_point_in_time(restore("early", Some(early))).await {
        Err(Error::Service { code, .. }) => assert_eq!(code, "InvalidRestoreTimeException"),
        other => panic!("{other:?}"),
    }
    // A table without recovery on cannot be restored to a point in time.
    let then = db
        .restore_table_to_point_in_time(
            RestoreTableToPointInTimeInput::builder()
                .source_table_name("then")
                .target_table_name("again")
                .use_latest_restorable_time(true)
                .build()
                .unwrap(),
        )
        .await;
    match then {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "PointInTimeRecoveryUnavailableException");
            assert_eq!(
                message.text(),
                format!(
                    "Point in time recovery is not enabled for table '{}'",
                    db.full_name("then")
                )
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_resource_policy_put_on_a_table_is_got_back_with_its_revision_and_deleted() {
    let db = db("policy");
    create(&db, &hash_table("orders")).await;
    let arn = db
        .describe_table(DescribeTableInput::builder().table_name("orders").build().unwrap())
        .await
        .unwrap()
        .table
        .and_then(|t| t.table_arn)
        .expect("an ARN");
    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let got = db
        .put_resource_policy(
            PutResourcePolicyInput::builder()
                .resource_arn(&arn)
                .policy(doc)
                .build()
                .unwrap(),
        )
        .await;
    if refused_by_local(&got) {
        return;
    }
    let revision = got.expect("put").revision_id.expect("a revision id");
    let out = db
        .get_resource_policy(GetResourcePolicyInput::builder().resource_arn(&arn).build().unwrap())
        .await
        .expect("got");
    assert_eq!(
        (out.policy.as_deref(), out.revision_id.as_deref()),
        (Some(doc), Some(revision.as_str()))
    );
    let deleted = db
        .delete_resource_policy(
            DeleteResourcePolicyInput::builder()
                .resource_arn(&arn)
                .expected_revision_id(&revision)
                .build()
                .unwrap(),
        )
        .await
        .expect("deleted");
    assert_eq!(deleted.revision_id, Some(revision));
    match db
        .get_resource_policy(GetResourcePolicyInput::builder().resource_arn(&arn).build().unwrap())
        .await
    {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "PolicyNotFoundException");
            assert_eq!(
                message.text(),
                format!("Resource-based policy not found for the provided ResourceArn: {arn}")
            );
        }
        other => panic!("{other:?}"),
    }
}

/// An operation's name, what it answered, and the error code and message
/// the mock is expected to answer.
type Answer = (&'static str, Result<(), Error>, (String, String));

/// Each operation of this area but DescribeLimits, on a table (or backup)
/// that does not exist: DynamoDB Local refuses every one as unknown; the
/// mock answers each with the service's error for what is missing.
#[tokio::test]
async fn each_operation_on_what_does_not_exist_is_the_service_s_not_found_and_unknown_to_dynamodb_local() {
    let db = db("missing");
    let table = db.full_name("absent");
    let table_arn = format!("arn:aws:dynamodb:ddblocal:000000000000:table/{table}");
    let backup_arn = format!("{table_arn}/backup/01700000000000-0123abcd");
    let spec = PointInTimeRecoverySpecification::builder()
        .point_in_time_recovery_enabled(true)
        .build()
        .unwrap();
    let table_not_found = (
        "TableNotFoundException".to_string(),
        format!("Table not found: {table}"),
    );
    let backup_not_found = (
        "BackupNotFoundException".to_string(),
        format!("Backup not found: {backup_arn}"),
    );
    let no_table = (
        "ResourceNotFoundException".to_string(),
        format!("Requested resource not found: ResourcArn: {table_arn} not found"),
    );
    let answers: Vec<Answer> = vec![
        (
            "CreateBackup",
            db.create_backup(
                CreateBackupInput::builder()
                    .table_name("absent")
                    .backup_name("bkp")
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            table_not_found.clone(),
        ),
        (
            "DescribeBackup",
            db.describe_backup(DescribeBackupInput::builder().backup_arn(&backup_arn).build().unwrap())
                .await
                .map(|_| ()),
            backup_not_found.clone(),
        ),
        (
            "DeleteBackup",
            db.delete_backup(DeleteBackupInput::builder().backup_arn(&backup_arn).build().unwrap())
                .await
                .map(|_| ()),
            backup_not_found.clone(),
        ),
        (
            "RestoreTableFromBackup",
            db.restore_table_from_backup(
                RestoreTableFromBackupInput::builder()
                    .backup_arn(&backup_arn)
                    .target_table_name("target")
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            backup_not_found,
        ),
        (
            "UpdateContinuousBackups",
            db.update_continuous_backups(
                UpdateContinuousBackupsInput::builder()
                    .table_name("absent")
                    .point_in_time_recovery_specification(spec)
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            table_not_found.clone(),
        ),
        (
            "DescribeContinuousBackups",
            db.describe_continuous_backups(
                DescribeContinuousBackupsInput::builder()
                    .table_name("absent")
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            table_not_found.clone(),
        ),
        (
            "RestoreTableToPointInTime",
            db.restore_table_to_point_in_time(
                RestoreTableToPointInTimeInput::builder()
                    .source_table_name("absent")
                    .target_table_name("target")
                    .use_latest_restorable_time(true)
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            table_not_found,
        ),
        (
            "PutResourcePolicy",
            db.put_resource_policy(
                PutResourcePolicyInput::builder()
                    .resource_arn(&table_arn)
                    .policy("{}")
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            no_table.clone(),
        ),
        (
            "GetResourcePolicy",
            db.get_resource_policy(
                GetResourcePolicyInput::builder()
                    .resource_arn(&table_arn)
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            no_table.clone(),
        ),
        (
            "DeleteResourcePolicy",
            db.delete_resource_policy(
                DeleteResourcePolicyInput::builder()
                    .resource_arn(&table_arn)
                    .build()
                    .unwrap(),
            )
            .await
            .map(|_| ()),
            no_table,
        ),
    ];
    for (op, got, (code, message)) in answers {
        if refused_by_local(&got) {
            continue;
        }
        let got = match got {
            Err(Error::Service { code, message }) => (code, message.text().to_string()),
            Err(Error::ResourceNotFound(message)) => ("ResourceNotFoundException".into(), message.text().to_string()),
            other => panic!("{op}: {other:?}"),
        };
        assert_eq!(got, (code, message), "{op}");
    }
    let listed = db
        .list_backups(ListBackupsInput::builder().table_name("absent").build().unwrap())
        .await;
    if !refused_by_local(&listed) {
        assert_eq!(listed.expect("listed").backup_summaries, Some(vec![]));
    }
}
