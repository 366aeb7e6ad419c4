//! The TTL sweep and its expiry index: which items a sweep deletes, after
//! which writes, and how much it looks at to find them.

use super::*;
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::mock::expiry::{ExpiryIndex, FIVE_YEARS_SECS};
use crate::mock::{keys, size};
use crate::{IndexSchema, KeyAttr, KeyType, TableSchema};

fn now() -> f64 {
    1_800_000_000.0
}

#[tokio::test]
async fn the_sweep_deletes_recently_expired_items_from_the_table_and_its_indexes() {
    let mock = MockBackend::new();
    let schema = TableSchema::new("sessions", KeyAttr::new("id", KeyType::S))
        .global_index(IndexSchema::new("by_user", KeyAttr::new("user", KeyType::S)));
    mock.create_table(schema.create_table_input("sessions").unwrap())
        .await
        .unwrap();
    let put = |id: &str, expires: Option<AttributeValue>| {
        let mut b = PutItemInput::builder()
            .table_name("sessions")
            .item("id", AttributeValue::S(id.into()))
            .item("user", AttributeValue::S("u".into()));
        if let Some(e) = expires {
            b = b.item("expires", e);
        }
        mock.put_item(b.build().unwrap())
    };
    let n = |secs: f64| Some(AttributeValue::N(secs.to_string()));
    put("expired", n(now() - 1.0)).await.unwrap();
    put("live", n(now() + 1.0)).await.unwrap();
    put("ancient", n(now() - FIVE_YEARS_SECS - 1.0)).await.unwrap();
    put("text", Some(AttributeValue::S("0".into()))).await.unwrap();
    put("none", None).await.unwrap();
    // TTL off: nothing expires.
    assert_eq!(mock.expire_items(now()), 0);
    let spec = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name("expires")
        .build()
        .unwrap();
    mock.update_time_to_live(
        UpdateTimeToLiveInput::builder()
            .table_name("sessions")
            .time_to_live_specification(spec)
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(mock.expire_items(now()), 1);
    assert_eq!(mock.expire_items(now()), 0);
    let ids = |out: Vec<crate::Item>| {
        let mut ids: Vec<String> = out
            .iter()
            .map(|i| match i.get("id") {
                Some(AttributeValue::S(s)) => s.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        ids.sort();
        ids
    };
    let left = mock
        .scan(ScanInput::builder().table_name("sessions").build().unwrap())
        .await
        .unwrap();
    assert_eq!(ids(left.items.unwrap()), ["ancient", "live", "none", "text"]);
    let by_user = mock
        .query(
            QueryInput::builder()
                .table_name("sessions")
                .index_name("by_user")
                .key_condition_expression("#u = :u")
                .expression_attribute_names("#u", "user")
                .expression_attribute_values(":u", AttributeValue::S("u".into()))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(ids(by_user.items.unwrap()), ["ancient", "live", "none", "text"]);
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}

/// `now() + delta` as a DynamoDB number.
fn at(delta: f64) -> AttributeValue {
    AttributeValue::N((now() + delta).to_string())
}

fn spec(name: &str, enabled: bool) -> UpdateTimeToLiveInput {
    let spec = TimeToLiveSpecification::builder()
        .enabled(enabled)
        .attribute_name(name)
        .build()
        .unwrap();
    UpdateTimeToLiveInput::builder()
        .table_name("things")
        .time_to_live_specification(spec)
        .build()
        .unwrap()
}

/// A mock with table `things` (hash key `id`), TTL on `expires` when `ttl`.
async fn mock_with_table(ttl: bool) -> MockBackend {
    let mock = MockBackend::new();
    let schema = TableSchema::new("things", KeyAttr::new("id", KeyType::S));
    mock.create_table(schema.create_table_input("things").unwrap())
        .await
        .unwrap();
    if ttl {
        mock.update_time_to_live(spec("expires", true)).await.unwrap();
    }
    mock
}

async fn put(mock: &MockBackend, id: &str, expires: Option<AttributeValue>) {
    let mut b = PutItemInput::builder().table_name("things").item("id", s(id));
    if let Some(e) = expires {
        b = b.item("expires", e);
    }
    mock.put_item(b.build().unwrap()).await.unwrap();
}

/// Stores items straight through `TableData::put` (the choke point every
/// write goes through), for tables too large to fill request by request.
fn put_direct(mock: &MockBackend, items: impl IntoIterator<Item = (String, AttributeValue)>) {
    let table = mock.catalog.table("things").unwrap();
    let mut t = table.write();
    let state = &mut *t;
    for (id, expires) in items {
        let item: crate::Item = [("id".to_string(), s(&id)), ("expires".to_string(), expires)]
            .into_iter()
            .collect();
        let key = keys::item_key(&item, &state.meta.hash, state.meta.range.as_ref()).unwrap();
        let size = size::item_size(&item);
        state.data.put(&state.meta, key, &item, size);
    }
}

/// The ids left in table `things`, sorted.
async fn ids(mock: &MockBackend) -> Vec<String> {
    let out = mock
        .scan(ScanInput::builder().table_name("things").build().unwrap())
        .await
        .unwrap();
    let mut ids: Vec<String> = out
        .items
        .unwrap()
        .iter()
        .map(|i| match i.get("id") {
            Some(AttributeValue::S(s)) => s.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    ids.sort();
    ids
}

/// How many items table `things`'s expiry index holds (`None`: no index).
fn indexed(mock: &MockBackend) -> Option<usize> {
    let table = mock.catalog.table("things").unwrap();
    let t = table.read();
    t.data.expiries.as_ref().map(ExpiryIndex::len)
}

fn stats(deleted: usize, examined: usize, slices: usize) -> SweepStats {
    SweepStats {
        deleted,
        examined,
        slices,
    }
}

#[tokio::test]
async fn the_sweep_deletes_exactly_the_numbers_from_five_years_ago_up_to_now_and_counts_them() {
    let mock = mock_with_table(true).await;
    let five_years_ago = now() - FIVE_YEARS_SECS;
    let items = [
        ("expired", Some(at(-1.0))),
        ("half_second_ago", Some(n("1799999999.5"))),
        ("five_years_ago", Some(n(&five_years_ago.to_string()))),
        ("older_than_five_years", Some(n("1642319999.9"))),
        ("exactly_now", Some(n("1800000000"))),
        ("live", Some(at(1.0))),
        ("huge", Some(n("9.9999999999999999999999999999999999999E+125"))),
        ("tiny", Some(n("1E-130"))),
        ("negative", Some(n("-1800000000"))),
        ("digits38", Some(n("12345678901234567890123456789012345678"))),
        ("text", Some(s("1"))),
        ("set", Some(AttributeValue::Ns(vec!["1".into()]))),
        ("none", None),
    ];
    for (id, expires) in items {
        put(&mock, id, expires).await;
    }
    assert_eq!(five_years_ago, 1_642_320_000.0);
    assert_eq!(indexed(&mock), Some(10));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(3, 3, 1));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(0, 0, 0));
    assert_eq!(
        ids(&mock).await,
        [
            "digits38",
            "exactly_now",
            "huge",
            "live",
            "negative",
            "none",
            "older_than_five_years",
            "set",
            "text",
            "tiny"
        ]
    );
    assert_eq!(indexed(&mock), Some(7));
    // Two seconds on, `exactly_now` and `live` are due too.
    assert_eq!(sweep_counted(&mock.catalog, now() + 2.0), stats(2, 2, 1));
    assert_eq!(indexed(&mock), Some(5));
}

#[tokio::test]
async fn a_sweep_at_a_time_that_is_not_finite_or_too_large_to_move_by_five_years_deletes_nothing() {
    let mock = mock_with_table(true).await;
    put(&mock, "expired", Some(at(-1.0))).await;
    put(&mock, "huge", Some(n("1E+125"))).await;
    for when in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, f64::MAX] {
        assert_eq!(sweep_counted(&mock.catalog, when), stats(0, 0, 0), "at {when}");
    }
    assert_eq!(ids(&mock).await, ["expired", "huge"]);
    assert_eq!(sweep(&mock.catalog, now()), 1);
}

#[tokio::test]
async fn items_rewritten_to_expire_later_or_never_stay_and_deleted_ones_leave_nothing_to_sweep() {
    let mock = mock_with_table(true).await;
    for id in ["later", "removed", "retyped", "deleted"] {
        put(&mock, id, Some(at(-10.0))).await;
    }
    put(&mock, "sooner", Some(at(100.0))).await;
    let update = |id: &str, expression: &str, value: Option<AttributeValue>| {
        let mut b = UpdateItemInput::builder()
            .table_name("things")
            .key("id", s(id))
            .update_expression(expression);
        if let Some(value) = value {
            b = b.expression_attribute_values(":e", value);
        }
        mock.update_item(b.build().unwrap())
    };
    update("later", "SET expires = :e", Some(at(100.0))).await.unwrap();
    update("removed", "REMOVE expires", None).await.unwrap();
    update("sooner", "SET expires = :e", Some(at(-5.0))).await.unwrap();
    put(&mock, "retyped", Some(s("soon"))).await;
    mock.delete_item(
        DeleteItemInput::builder()
            .table_name("things")
            .key("id", s("deleted"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(indexed(&mock), Some(2));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(1, 1, 1));
    assert_eq!(ids(&mock).await, ["later", "removed", "retyped"]);
    assert_eq!(indexed(&mock), Some(1));
}

#[tokio::test]
async fn batch_and_transaction_writes_keep_the_expiry_index() {
    let mock = mock_with_table(true).await;
    put(&mock, "t_update", Some(at(100.0))).await;
    put(&mock, "t_delete", Some(at(-1.0))).await;
    let item = |id: &str| -> crate::Item {
        [("id".to_string(), s(id)), ("expires".to_string(), at(-1.0))]
            .into_iter()
            .collect()
    };
    let put_request = |id: &str| {
        WriteRequest::builder()
            .put_request(PutRequest::builder().set_item(Some(item(id))).build().unwrap())
            .build()
    };
    let delete_request = |id: &str| {
        WriteRequest::builder()
            .delete_request(DeleteRequest::builder().key("id", s(id)).build().unwrap())
            .build()
    };
    let batch = |requests: Vec<WriteRequest>| {
        mock.batch_write_item(
            BatchWriteItemInput::builder()
                .request_items("things", requests)
                .build()
                .unwrap(),
        )
    };
    batch(vec![put_request("b_put"), put_request("b_deleted")])
        .await
        .unwrap();
    batch(vec![delete_request("b_deleted")]).await.unwrap();
    let transact = TransactWriteItemsInput::builder()
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("things")
                        .set_item(Some(item("t_put")))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name("things")
                        .key("id", s("t_update"))
                        .update_expression("SET expires = :e")
                        .expression_attribute_values(":e", at(-1.0))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name("things")
                        .key("id", s("t_delete"))
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .build()
        .unwrap();
    mock.transact_write_items(transact).await.unwrap();
    assert_eq!(indexed(&mock), Some(3));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(3, 3, 1));
    assert_eq!(ids(&mock).await, Vec::<String>::new());
    assert_eq!(indexed(&mock), Some(0));
}

#[tokio::test]
async fn turning_ttl_on_indexes_the_items_already_stored_and_turning_it_off_drops_the_index() {
    let mock = mock_with_table(false).await;
    put(&mock, "expired", Some(at(-1.0))).await;
    put(&mock, "live", Some(at(1.0))).await;
    put(&mock, "text", Some(s("1"))).await;
    put(&mock, "other", None).await;
    assert_eq!(indexed(&mock), None);
    mock.update_time_to_live(spec("expires", true)).await.unwrap();
    assert_eq!(indexed(&mock), Some(2));
    mock.update_time_to_live(spec("expires", false)).await.unwrap();
    assert_eq!(indexed(&mock), None);
    // TTL off: writes keep no index, and nothing is swept.
    put(&mock, "expired_while_off", Some(at(-1.0))).await;
    assert_eq!(indexed(&mock), None);
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(0, 0, 0));
    // On again, on another attribute: the index is built from that one.
    let other = |id: &str, value: AttributeValue| {
        UpdateItemInput::builder()
            .table_name("things")
            .key("id", s(id))
            .update_expression("SET other_expiry = :e")
            .expression_attribute_values(":e", value)
            .build()
            .unwrap()
    };
    mock.update_item(other("other", at(-1.0))).await.unwrap();
    mock.update_item(other("live", at(1.0))).await.unwrap();
    mock.update_time_to_live(spec("other_expiry", true)).await.unwrap();
    assert_eq!(indexed(&mock), Some(2));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(1, 1, 1));
    assert_eq!(ids(&mock).await, ["expired", "expired_while_off", "live", "text"]);
}

#[tokio::test]
async fn a_sweep_with_nothing_due_on_a_table_of_50000_items_examines_none_of_them() {
    let mock = mock_with_table(false).await;
    // A third expire later, a third more than five years ago, a third never;
    // half stored before TTL is turned on (the backfill), half after.
    let expires = |i: usize| match i % 3 {
        0 => at(3600.0 + i as f64),
        1 => at(-FIVE_YEARS_SECS - 1.0 - i as f64),
        _ => s("never"),
    };
    put_direct(&mock, (0..25_000).map(|i| (format!("i{i}"), expires(i))));
    mock.update_time_to_live(spec("expires", true)).await.unwrap();
    put_direct(&mock, (25_000..50_000).map(|i| (format!("i{i}"), expires(i))));
    assert_eq!(indexed(&mock), Some(33_334));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(0, 0, 0));
    put(&mock, "due", Some(at(-1.0))).await;
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(1, 1, 1));
    assert_eq!(mock.catalog.table("things").unwrap().read().data.item_count, 50_000);
}

#[tokio::test]
async fn a_sweep_deletes_at_most_a_slice_of_items_per_hold_of_the_lock() {
    let mock = mock_with_table(true).await;
    assert_eq!(SWEEP_SLICE, 1_000);
    put_direct(&mock, (0..2_500).map(|i| (format!("i{i}"), at(-1.0 - (i % 7) as f64))));
    put_direct(&mock, [("live".to_string(), at(1.0))]);
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(2_500, 2_500, 3));
    assert_eq!(ids(&mock).await, ["live"]);
    assert_eq!(indexed(&mock), Some(1));
    // Exactly two slices' worth takes the lock twice, not a third time.
    put_direct(&mock, (0..2_000).map(|i| (format!("j{i}"), at(-1.0))));
    assert_eq!(sweep_counted(&mock.catalog, now()), stats(2_000, 2_000, 2));
}
