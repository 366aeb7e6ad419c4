//! The mock's streams: what DynamoDB Local's concurrency keeps the
//! conformance suite from checking (LATEST), and what DynamoDB Local cannot
//! show at all (TTL deletions, expired iterators, trimmed records).

use super::*;
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::mock::testing::{item, n, s};
use crate::sdk::*;
use crate::{KeyAttr, KeyType, TableSchema};

async fn streamed(mock: &MockBackend, name: &str, view: StreamViewType) -> String {
    let mut input = TableSchema::new(name, KeyAttr::new("id", KeyType::S))
        .create_table_input(name)
        .unwrap();
    input.stream_specification = Some(
        StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(view)
            .build()
            .unwrap(),
    );
    let out = mock.create_table(input).await.unwrap();
    out.table_description.unwrap().latest_stream_arn.unwrap()
}

fn shard(mock: &MockBackend, arn: &str) -> String {
    let d = mock
        .describe_stream_sync(DescribeStreamInput::builder().stream_arn(arn).build().unwrap())
        .unwrap();
    d.stream_description.unwrap().shards.unwrap()[0]
        .shard_id
        .clone()
        .unwrap()
}

fn iterator(mock: &MockBackend, arn: &str, kind: st::ShardIteratorType) -> String {
    mock.get_shard_iterator_sync(
        GetShardIteratorInput::builder()
            .stream_arn(arn)
            .shard_id(shard(mock, arn))
            .shard_iterator_type(kind)
            .build()
            .unwrap(),
    )
    .unwrap()
    .shard_iterator
    .unwrap()
}

fn records(mock: &MockBackend, it: &str) -> Result<Vec<st::Record>, Error> {
    mock.get_records_sync(GetRecordsInput::builder().shard_iterator(it).build().unwrap())
        .map(|o| o.records.unwrap_or_default())
}

async fn put(mock: &MockBackend, table: &str, it: Item) {
    mock.put_item(
        PutItemInput::builder()
            .table_name(table)
            .set_item(Some(it))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_latest_iterator_taken_before_writes_reads_them_and_one_taken_after_reads_nothing() {
    let mock = MockBackend::new();
    let arn = streamed(&mock, "latest", StreamViewType::KeysOnly).await;
    let before = iterator(&mock, &arn, st::ShardIteratorType::Latest);
    put(&mock, "latest", item(vec![("id", s("a"))])).await;
    put(&mock, "latest", item(vec![("id", s("b"))])).await;
    assert_eq!(records(&mock, &before).unwrap().len(), 2);
    let after = iterator(&mock, &arn, st::ShardIteratorType::Latest);
    assert_eq!(records(&mock, &after).unwrap().len(), 0);
}

#[tokio::test]
async fn a_ttl_deletion_is_a_remove_whose_user_identity_is_the_dynamodb_service() {
    let mock = MockBackend::new();
    let arn = streamed(&mock, "ttl", StreamViewType::OldImage).await;
    mock.update_time_to_live(
        UpdateTimeToLiveInput::builder()
            .table_name("ttl")
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name("expires")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let now = now_secs();
    put(
        &mock,
        "ttl",
        item(vec![("id", s("gone")), ("expires", n(&format!("{}", now as i64 - 10)))]),
    )
    .await;
    mock.delete_item(
        DeleteItemInput::builder()
            .table_name("ttl")
            .key("id", s("missing"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(mock.expire_items(now), 1);
    let got = records(&mock, &iterator(&mock, &arn, st::ShardIteratorType::TrimHorizon)).unwrap();
    let names: Vec<&str> = got.iter().map(|r| r.event_name.as_ref().unwrap().as_str()).collect();
    assert_eq!(names, ["INSERT", "REMOVE"]);
    assert_eq!(got[0].user_identity, None);
    assert_eq!(
        got[1].user_identity,
        Some(
            st::Identity::builder()
                .r#type("Service")
                .principal_id("dynamodb.amazonaws.com")
                .build()
        )
    );
    let old = got[1].dynamodb.as_ref().unwrap().old_image.as_ref().unwrap();
    assert_eq!(old.get("id"), Some(&st::AttributeValue::S("gone".into())));
}

#[tokio::test]
async fn an_iterator_older_than_fifteen_minutes_is_expired_and_one_younger_is_served() {
    let mock = MockBackend::new();
    let arn = streamed(&mock, "old", StreamViewType::KeysOnly).await;
    let shard = shard(&mock, &arn);
    let sixteen_minutes_ago = iterator_text(&arn, &shard, 1, now_ms() - 16 * 60 * 1000);
    let e = records(&mock, &sixteen_minutes_ago).unwrap_err();
    assert_eq!(e.code(), "ExpiredIteratorException");
    let fourteen_minutes_ago = iterator_text(&arn, &shard, 1, now_ms() - 14 * 60 * 1000);
    assert_eq!(records(&mock, &fourteen_minutes_ago).unwrap().len(), 0);
}

fn iterator_text(arn: &str, shard: &str, at: u64, issued: u64) -> String {
    super::iterator(arn, shard, at, issued)
}

#[test]
fn records_past_the_byte_cap_are_dropped_oldest_first_and_reading_them_is_trimmed_data_access() {
    let streams = Streams::default();
    let key_schema = vec![
        TableKeySchemaElement::builder()
            .attribute_name("id")
            .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
            .build()
            .unwrap(),
    ];
    let sink = streams.create("capped", key_schema, StreamViewType::KeysOnly);
    // Each record is 3 bytes (`id` and one letter): room for two.
    sink.log().lock().cap = 6;
    for id in ["a", "b", "c"] {
        sink.emit(
            item(vec![("id", s(id))]),
            None,
            Some(&item(vec![("id", s(id))])),
            Origin::Request,
        );
    }
    let (arn, shard) = {
        let log = sink.log().lock();
        assert_eq!(log.records.len(), 2);
        assert_eq!(log.bytes, 6);
        (log.arn.clone(), log.shard_id.clone())
    };
    let th = streams
        .get_shard_iterator(
            GetShardIteratorInput::builder()
                .stream_arn(&arn)
                .shard_id(&shard)
                .shard_iterator_type(st::ShardIteratorType::TrimHorizon)
                .build()
                .unwrap(),
        )
        .unwrap()
        .shard_iterator
        .unwrap();
    let kept = streams
        .get_records(GetRecordsInput::builder().shard_iterator(th).build().unwrap())
        .unwrap()
        .records
        .unwrap();
    let ids: Vec<_> = kept
        .iter()
        .map(|r| r.dynamodb.as_ref().unwrap().keys.as_ref().unwrap()["id"].clone())
        .collect();
    assert_eq!(
        ids,
        [st::AttributeValue::S("b".into()), st::AttributeValue::S("c".into())]
    );
    let at_first = streams.get_shard_iterator(
        GetShardIteratorInput::builder()
            .stream_arn(&arn)
            .shard_id(&shard)
            .shard_iterator_type(st::ShardIteratorType::AtSequenceNumber)
            .sequence_number(sequence(1))
            .build()
            .unwrap(),
    );
    assert_eq!(at_first.unwrap_err().code(), "TrimmedDataAccessException");
    let stale = iterator_text(&arn, &shard, 1, now_ms());
    let e = streams
        .get_records(GetRecordsInput::builder().shard_iterator(stale).build().unwrap())
        .unwrap_err();
    assert_eq!(e.code(), "TrimmedDataAccessException");
}

#[test]
fn a_stream_label_is_the_creation_time_to_the_millisecond_in_utc() {
    // 2026-12-01T21:17:38.086Z
    assert_eq!(label_of(1_796_159_858_086), "2026-12-01T21:17:38.086");
    assert_eq!(label_of(0), "1970-01-01T00:00:00.000");
}

#[test]
fn an_iterator_that_is_not_one_of_ours_is_refused_without_panicking() {
    for text in ["", "|001|", "arn|001|!!!", "arn|001|c2hhcmQ=", "arn|001|YXxifGN8ZA=="] {
        assert!(parse_iterator(text).is_none(), "{text}");
    }
}

#[tokio::test]
async fn an_item_put_again_with_its_sets_in_another_order_or_its_numbers_written_otherwise_is_no_change() {
    let mock = MockBackend::new();
    let arn = streamed(&mock, "same", StreamViewType::KeysOnly).await;
    let ss = |v: &[&str]| AttributeValue::Ss(v.iter().map(|x| x.to_string()).collect());
    let l = |v: Vec<AttributeValue>| AttributeValue::L(v);
    put(
        &mock,
        "same",
        item(vec![
            ("id", s("a")),
            ("v", n("1")),
            ("s", ss(&["x", "y"])),
            ("l", l(vec![ss(&["p", "q"])])),
        ]),
    )
    .await;
    put(
        &mock,
        "same",
        item(vec![
            ("id", s("a")),
            ("v", n("1.0")),
            ("s", ss(&["y", "x"])),
            ("l", l(vec![ss(&["q", "p"])])),
        ]),
    )
    .await;
    let got = records(&mock, &iterator(&mock, &arn, st::ShardIteratorType::TrimHorizon)).unwrap();
    assert_eq!(got.len(), 1, "only the insert");
    // A list is ordered: another order is a change.
    put(
        &mock,
        "same",
        item(vec![
            ("id", s("a")),
            ("v", n("1")),
            ("s", ss(&["x", "y"])),
            ("l", l(vec![ss(&["p", "q"]), n("2")])),
        ]),
    )
    .await;
    let got = records(&mock, &iterator(&mock, &arn, st::ShardIteratorType::TrimHorizon)).unwrap();
    assert_eq!(got.len(), 2);
}

#[tokio::test]
async fn a_table_deleted_and_created_again_at_once_gets_a_stream_of_its_own() {
    let mock = MockBackend::new();
    let mut arns = Vec::new();
    for _ in 0..3 {
        arns.push(streamed(&mock, "again", StreamViewType::KeysOnly).await);
        mock.delete_table(DeleteTableInput::builder().table_name("again").build().unwrap())
            .await
            .unwrap();
    }
    arns.sort();
    arns.dedup();
    assert_eq!(arns.len(), 3, "{arns:?}");
    // The deleted tables' streams are closed, and still listed.
    let listed = mock
        .list_streams_sync(ListStreamsInput::builder().build().unwrap())
        .unwrap();
    assert_eq!(listed.streams.unwrap().len(), 3);
    let d = mock
        .describe_stream_sync(DescribeStreamInput::builder().stream_arn(&arns[0]).build().unwrap())
        .unwrap();
    assert_eq!(
        d.stream_description.unwrap().stream_status,
        Some(st::StreamStatus::Disabled)
    );
}
