//! Point-in-time recovery: the window, the restores, and the log's bounds.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::DateTime;

use super::{Log, MAX_RECOVERY_DAYS, SECONDS_PER_DAY, cost};
use crate::Error;
use crate::mock::MockBackend;
use crate::mock::encoding::Stored;
use crate::mock::keys::{KeyValue, PrimaryKey};
use crate::mock::testing::{item, s};
use crate::sdk::*;

fn table(mock: &MockBackend, name: &str) {
    let schema = crate::schema::TableSchema::new(name, crate::schema::KeyAttr::new("id", crate::schema::KeyType::S));
    mock.create_table_sync(schema.create_table_input(name).expect("input"))
        .expect("created");
}

fn put(mock: &MockBackend, id: &str) {
    let input = PutItemInput::builder()
        .table_name("orders")
        .set_item(Some(item(vec![("id", s(id))])))
        .build()
        .expect("input");
    mock.put_item_sync(input).expect("put");
}

fn delete(mock: &MockBackend, id: &str) {
    let input = DeleteItemInput::builder()
        .table_name("orders")
        .set_key(Some(item(vec![("id", s(id))])))
        .build()
        .expect("input");
    mock.delete_item_sync(input).expect("deleted");
}

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

fn recovery(mock: &MockBackend, on: bool, days: Option<i32>) -> Result<PointInTimeRecoveryDescription, Error> {
    let spec = PointInTimeRecoverySpecification::builder()
        .point_in_time_recovery_enabled(on)
        .set_recovery_period_in_days(days)
        .build()
        .expect("spec");
    let input = UpdateContinuousBackupsInput::builder()
        .table_name("orders")
        .point_in_time_recovery_specification(spec)
        .build()
        .expect("input");
    let d = mock
        .update_continuous_backups_sync(input)?
        .continuous_backups_description
        .expect("description");
    assert_eq!(d.continuous_backups_status, ContinuousBackupsStatus::Enabled);
    Ok(d.point_in_time_recovery_description.expect("recovery"))
}

fn described(mock: &MockBackend) -> PointInTimeRecoveryDescription {
    let input = DescribeContinuousBackupsInput::builder()
        .table_name("orders")
        .build()
        .expect("input");
    mock.describe_continuous_backups_sync(input)
        .expect("described")
        .continuous_backups_description
        .and_then(|d| d.point_in_time_recovery_description)
        .expect("recovery")
}

fn restore_at(mock: &MockBackend, target: &str, at: Option<DateTime>) -> Result<TableDescription, Error> {
    let input = RestoreTableToPointInTimeInput::builder()
        .source_table_name("orders")
        .target_table_name(target)
        .set_restore_date_time(at)
        .set_use_latest_restorable_time(at.is_none().then_some(true))
        .build()
        .expect("input");
    Ok(mock
        .restore_table_to_point_in_time_sync(input)?
        .table_description
        .expect("description"))
}

fn now() -> DateTime {
    DateTime::from(std::time::SystemTime::now())
}

/// Waits until the clock has moved on from `t` (writes logged after this
/// are later than `t`).
fn after(t: DateTime) {
    while now().as_secs_f64() <= t.as_secs_f64() {
        std::thread::yield_now();
    }
}

fn service_error<T: std::fmt::Debug>(r: Result<T, Error>) -> (String, String) {
    match r {
        Err(Error::Service { code, message }) => (code, message.text().to_string()),
        other => panic!("expected a service error, got {other:?}"),
    }
}

#[test]
fn a_restore_to_a_time_between_writes_holds_the_items_as_they_were_then() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    put(&mock, "before");
    let on = recovery(&mock, true, None).expect("on");
    assert_eq!(
        on.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Enabled)
    );
    assert_eq!(on.recovery_period_in_days, Some(MAX_RECOVERY_DAYS));
    let start = on.earliest_restorable_date_time.expect("earliest");
    after(start);
    put(&mock, "a");
    let t1 = now();
    after(t1);
    put(&mock, "b");
    delete(&mock, "a");
    delete(&mock, "before");

    let d = restore_at(&mock, "at_start", Some(start)).expect("restored");
    let summary = d.restore_summary.expect("summary");
    assert_eq!(summary.restore_date_time.as_secs_f64(), start.as_secs_f64());
    assert_eq!(summary.source_backup_arn, None);
    assert_eq!(ids(&mock, "at_start"), ["before"]);
    restore_at(&mock, "at_t1", Some(t1)).expect("restored");
    assert_eq!(ids(&mock, "at_t1"), ["a", "before"]);
    restore_at(&mock, "latest", None).expect("restored");
    assert_eq!(ids(&mock, "latest"), ["b"]);
    let d = described(&mock);
    assert_eq!(d.earliest_restorable_date_time, Some(start));
    assert!(d.latest_restorable_date_time.expect("latest").as_secs_f64() >= t1.as_secs_f64());
}

#[test]
fn recovery_is_off_for_a_new_table_and_its_restore_is_point_in_time_recovery_unavailable() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    let d = described(&mock);
    assert_eq!(
        d.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Disabled)
    );
    assert_eq!(d.earliest_restorable_date_time, None);
    assert_eq!(
        service_error(restore_at(&mock, "copy", None)),
        (
            "PointInTimeRecoveryUnavailableException".into(),
            "Point in time recovery is not enabled for table 'orders'".into()
        )
    );
    // Turned on and off again: the history is dropped.
    recovery(&mock, true, None).expect("on");
    let off = recovery(&mock, false, None).expect("off");
    assert_eq!(
        off.point_in_time_recovery_status,
        Some(PointInTimeRecoveryStatus::Disabled)
    );
    assert_eq!(
        service_error(restore_at(&mock, "copy", None)).0,
        "PointInTimeRecoveryUnavailableException"
    );
}

#[test]
fn a_restore_time_before_the_window_or_after_now_is_an_invalid_restore_time() {
    let mock = MockBackend::new();
    table(&mock, "orders");
    let start = recovery(&mock, true, Some(1))
        .expect("on")
        .earliest_restorable_date_time
        .expect("earliest");
    let message = "Only RestoreDateTime between EarliestRestorableDateTime and LatestRestorableDateTime can be used for restoration";
    for at in [start.as_secs_f64() - 1.0, now().as_secs_f64() + 3600.0] {
        assert_eq!(
            service_error(restore_at(&mock, "copy", Some(DateTime::from_secs_f64(at)))),
            ("InvalidRestoreTimeException".into(), message.into())
        );
    }
    assert_eq!(ids(&mock, "orders"), Vec::<String>::new());
}

#[test]
fn a_missing_source_is_table_not_found_and_a_recovery_period_over_35_days_is_refused() {
    let mock = MockBackend::new();
    assert_eq!(
        service_error(restore_at(&mock, "copy", None)),
        ("TableNotFoundException".into(), "Table not found: orders".into())
    );
    table(&mock, "orders");
    assert_eq!(
        recovery(&mock, true, Some(36)).map(|_| ()),
        Err(Error::Validation(
            "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35".into()
        ))
    );
}

fn pk(id: &str) -> PrimaryKey {
    (KeyValue::S(id.into()), None)
}

fn stored(id: &str) -> Stored {
    let it = item(vec![("id", s(id))]);
    let size = crate::mock::size::item_size(&it);
    Stored::encode(&it, size)
}

fn keys_at(log: &Log, at: f64) -> Vec<String> {
    let mut keys: Vec<String> = log
        .at(at)
        .into_iter()
        .map(|(k, _)| match k.0 {
            KeyValue::S(s) => s,
            other => panic!("{other:?}"),
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn writes_beyond_the_byte_bound_are_folded_into_the_base_and_the_window_starts_at_the_last_folded() {
    let one = cost(Some(&stored("a")));
    // Room for two writes of this size.
    let mut log = Log::new(100.0, 35, HashMap::new(), 2 * one);
    log.record(101.0, &pk("a"), Some(&stored("a")));
    log.record(102.0, &pk("b"), Some(&stored("b")));
    assert_eq!((log.earliest, log.writes.len()), (100.0, 2));
    assert_eq!(keys_at(&log, 100.5), Vec::<String>::new());
    log.record(103.0, &pk("c"), Some(&stored("c")));
    // The oldest write went into the base: the window starts at it.
    assert_eq!((log.earliest, log.writes.len(), log.bytes), (101.0, 2, 2 * one));
    assert_eq!(keys_at(&log, 101.0), ["a"]);
    assert_eq!(keys_at(&log, 102.5), ["a", "b"]);
    // A delete logs no item but counts against the bound too.
    log.record(104.0, &pk("a"), None);
    assert_eq!((log.earliest, log.writes.len()), (102.0, 2));
    assert_eq!(keys_at(&log, 104.0), ["b", "c"]);
    assert_eq!(keys_at(&log, 103.0), ["a", "b", "c"]);
    assert_eq!(keys_at(&log, 102.0), ["a", "b"]);
}

#[test]
fn writes_older_than_the_recovery_period_are_folded_and_the_window_starts_a_period_ago() {
    let day = SECONDS_PER_DAY;
    let mut log = Log::new(0.0, 1, HashMap::new(), usize::MAX);
    log.record(10.0, &pk("a"), Some(&stored("a")));
    log.record(20.0, &pk("b"), Some(&stored("b")));
    assert_eq!((log.earliest, log.writes.len()), (0.0, 2));
    log.record(day + 15.0, &pk("a"), None);
    assert_eq!((log.earliest, log.writes.len()), (15.0, 2));
    assert_eq!(keys_at(&log, 15.0), ["a"]);
    assert_eq!(keys_at(&log, day + 15.0), ["b"]);
    // A clock that goes back does not reorder the log.
    log.record(5.0, &pk("c"), Some(&stored("c")));
    assert_eq!(log.writes.back().map(|w| w.0), Some(day + 15.0));
}
