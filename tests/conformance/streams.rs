//! DynamoDB Streams: StreamSpecification on CreateTable and UpdateTable, the
//! records every write path appends (and the no-op writes that append
//! none), the streams API (ListStreams, DescribeStream, GetShardIterator,
//! GetRecords) and its errors, and the typed `Table::changes`.

use std::sync::Arc;

use dynamo_objects::sdk::*;
use dynamo_objects::streams::{
    Change, DescribeStreamInput, GetRecordsInput, GetShardIteratorInput, ListStreamsInput, Position, StreamsBackend,
};
use dynamo_objects::{Backend, Database, Error, KeyType, dynamo_table};
use futures::StreamExt;

use aws_sdk_dynamodbstreams::types as st;

use crate::assert_err;
use crate::common::*;

fn msg(e: &Error) -> String {
    e.message().map(|m| m.text().to_string()).unwrap_or_default()
}

fn streams(db: &Database) -> Arc<dyn StreamsBackend> {
    Backend::streams(db).expect("this backend serves the streams API")
}

fn spec(view: Option<StreamViewType>) -> StreamSpecification {
    StreamSpecification::builder()
        .stream_enabled(view.is_some())
        .set_stream_view_type(view)
        .build()
        .unwrap()
}

/// Creates `pk`/`sk` (S, N) table `name` with a stream of view type `view`;
/// returns its stream ARN.
async fn streamed_table(db: &Database, name: &str, view: StreamViewType) -> String {
    let mut input = range_table(name, KeyType::N).create_table_input(name).unwrap();
    input.stream_specification = Some(spec(Some(view.clone())));
    let out = db.create_table(input).await.unwrap();
    let d = out.table_description.unwrap();
    assert_eq!(d.stream_specification, Some(spec(Some(view))));
    d.latest_stream_arn.expect("LatestStreamArn")
}

async fn describe_table(db: &Database, name: &str) -> TableDescription {
    db.describe_table(DescribeTableInput::builder().table_name(name).build().unwrap())
        .await
        .unwrap()
        .table
        .unwrap()
}

async fn describe_stream(db: &Database, arn: &str) -> st::StreamDescription {
    streams(db)
        .describe_stream(DescribeStreamInput::builder().stream_arn(arn).build().unwrap())
        .await
        .unwrap()
        .stream_description
        .unwrap()
}

async fn shard_of(db: &Database, arn: &str) -> st::Shard {
    let mut shards = describe_stream(db, arn).await.shards.unwrap();
    assert_eq!(shards.len(), 1, "one shard");
    shards.remove(0)
}

async fn iterator(db: &Database, arn: &str, kind: st::ShardIteratorType, seq: Option<&str>) -> Result<String, Error> {
    let shard = shard_of(db, arn).await;
    streams(db)
        .get_shard_iterator(
            GetShardIteratorInput::builder()
                .stream_arn(arn)
                .set_shard_id(shard.shard_id)
                .shard_iterator_type(kind)
                .set_sequence_number(seq.map(String::from))
                .build()
                .unwrap(),
        )
        .await
        .map(|o| o.shard_iterator.unwrap())
}

async fn get_records(db: &Database, it: &str, limit: Option<i32>) -> Result<(Vec<st::Record>, Option<String>), Error> {
    streams(db)
        .get_records(
            GetRecordsInput::builder()
                .shard_iterator(it)
                .set_limit(limit)
                .build()
                .unwrap(),
        )
        .await
        .map(|o| (o.records.unwrap_or_default(), o.next_shard_iterator))
}

/// Every record of the stream, from the trim horizon.
async fn all_records(db: &Database, arn: &str) -> Vec<st::Record> {
    let it = iterator(db, arn, st::ShardIteratorType::TrimHorizon, None)
        .await
        .unwrap();
    get_records(db, &it, None).await.unwrap().0
}

fn sv(v: &str) -> st::AttributeValue {
    st::AttributeValue::S(v.into())
}

fn nv(v: &str) -> st::AttributeValue {
    st::AttributeValue::N(v.into())
}

fn image(pairs: &[(&str, st::AttributeValue)]) -> std::collections::HashMap<String, st::AttributeValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// (eventName, pk of Keys, NewImage's `v`, OldImage's `v`) of each record.
fn summary(records: &[st::Record]) -> Vec<(String, String, Option<String>, Option<String>)> {
    let text = |v: Option<&st::AttributeValue>| match v {
        Some(st::AttributeValue::S(s)) | Some(st::AttributeValue::N(s)) => Some(s.clone()),
        Some(other) => Some(format!("{other:?}")),
        None => None,
    };
    records
        .iter()
        .map(|r| {
            let d = r.dynamodb.as_ref().unwrap();
            (
                r.event_name.as_ref().unwrap().as_str().to_string(),
                text(d.keys.as_ref().unwrap().get("pk")).unwrap(),
                d.new_image.as_ref().and_then(|i| text(i.get("v"))),
                d.old_image.as_ref().and_then(|i| text(i.get("v"))),
            )
        })
        .collect()
}

fn ev(name: &str, pk: &str, new: Option<&str>, old: Option<&str>) -> (String, String, Option<String>, Option<String>) {
    (name.into(), pk.into(), new.map(String::from), old.map(String::from))
}

#[tokio::test]
async fn every_write_path_appends_one_record_per_change_and_a_write_that_changes_nothing_appends_none() {
    let db = db("st_paths");
    let arn = streamed_table(&db, "paths", StreamViewType::NewAndOldImages).await;
    let key = |pk: &str| item(&[("pk", s(pk)), ("sk", n("1"))]);
    let with_v = |pk: &str, v: &str| item(&[("pk", s(pk)), ("sk", n("1")), ("v", s(v))]);
    // PutItem: an insert, then the same item again (nothing), then a change.
    put(&db, "paths", with_v("a", "1")).await;
    put(&db, "paths", with_v("a", "1")).await;
    put(&db, "paths", with_v("a", "2")).await;
    // UpdateItem: setting what is there is nothing; a new value is a change.
    let update = |v: &str| {
        UpdateItemInput::builder()
            .table_name("paths")
            .set_key(Some(key("a")))
            .update_expression("SET v = :v")
            .expression_attribute_values(":v", s(v))
            .build()
            .unwrap()
    };
    db.update_item(update("2")).await.unwrap();
    db.update_item(update("3")).await.unwrap();
    // DeleteItem of a missing item is nothing.
    let delete = |pk: &str| {
        DeleteItemInput::builder()
            .table_name("paths")
            .set_key(Some(key(pk)))
            .build()
            .unwrap()
    };
    db.delete_item(delete("missing")).await.unwrap();
    db.delete_item(delete("a")).await.unwrap();
    // BatchWriteItem: a put and a delete.
    put(&db, "paths", with_v("c", "1")).await;
    let put_req = WriteRequest::builder()
        .put_request(PutRequest::builder().set_item(Some(with_v("b", "1"))).build().unwrap())
        .build();
    let del_req = WriteRequest::builder()
        .delete_request(DeleteRequest::builder().set_key(Some(key("c"))).build().unwrap())
        .build();
    db.batch_write_item(
        BatchWriteItemInput::builder()
            .request_items("paths", vec![put_req, del_req])
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    // TransactWriteItems: a put, an update and a delete.
    let tx = vec![
        TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name("paths")
                    .set_item(Some(with_v("d", "1")))
                    .build()
                    .unwrap(),
            )
            .build(),
        TransactWriteItem::builder()
            .update(
                dynamo_objects::sdk::Update::builder()
                    .table_name("paths")
                    .set_key(Some(key("b")))
                    .update_expression("SET v = :v")
                    .expression_attribute_values(":v", s("2"))
                    .build()
                    .unwrap(),
            )
            .build(),
        TransactWriteItem::builder()
            .delete(
                Delete::builder()
                    .table_name("paths")
                    .set_key(Some(key("missing")))
                    .build()
                    .unwrap(),
            )
            .build(),
    ];
    db.transact_write_items(
        TransactWriteItemsInput::builder()
            .set_transact_items(Some(tx))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();

    let records = all_records(&db, &arn).await;
    assert_eq!(
        summary(&records),
        vec![
            ev("INSERT", "a", Some("1"), None),
            ev("MODIFY", "a", Some("2"), Some("1")),
            ev("MODIFY", "a", Some("3"), Some("2")),
            ev("REMOVE", "a", None, Some("3")),
            ev("INSERT", "c", Some("1"), None),
            ev("INSERT", "b", Some("1"), None),
            ev("REMOVE", "c", None, Some("1")),
            ev("INSERT", "d", Some("1"), None),
            ev("MODIFY", "b", Some("2"), Some("1")),
        ]
    );
    let first = &records[0];
    assert_eq!(first.event_version.as_deref(), Some("1.1"));
    assert_eq!(first.event_source.as_deref(), Some("aws:dynamodb"));
    assert_eq!(first.aws_region.as_deref(), Some("ddblocal"));
    assert!(first.user_identity.is_none());
    let d = first.dynamodb.as_ref().unwrap();
    assert_eq!(d.keys, Some(image(&[("pk", sv("a")), ("sk", nv("1"))])));
    assert_eq!(d.stream_view_type, Some(st::StreamViewType::NewAndOldImages));
    assert!(d.approximate_creation_date_time.is_some());
    // Keys (pk:a 3 + sk:1 4) + NewImage (7 + v:"1" 2).
    assert_eq!(d.size_bytes, Some(16));
    let seqs: Vec<&str> = records
        .iter()
        .map(|r| r.dynamodb.as_ref().unwrap().sequence_number.as_deref().unwrap())
        .collect();
    assert!(
        seqs.iter()
            .all(|s| s.len() == 21 && s.bytes().all(|b| b.is_ascii_digit())),
        "{seqs:?}"
    );
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "increasing: {seqs:?}");
}

#[tokio::test]
async fn each_view_type_keeps_the_images_it_names_and_size_bytes_counts_what_is_kept() {
    let db = db("st_views");
    for (view, expected) in [
        (
            StreamViewType::KeysOnly,
            vec![(None, None, 7), (None, None, 7), (None, None, 7)],
        ),
        (
            StreamViewType::NewImage,
            vec![(Some("x"), None, 16), (Some("yy"), None, 17), (None, None, 7)],
        ),
        (
            StreamViewType::OldImage,
            vec![(None, None, 7), (None, Some("x"), 16), (None, Some("yy"), 17)],
        ),
    ] {
        let name = format!("v_{}", view.as_str().to_lowercase());
        let arn = streamed_table(&db, &name, view.clone()).await;
        let key = item(&[("pk", s("a")), ("sk", n("1"))]);
        put(&db, &name, item(&[("pk", s("a")), ("sk", n("1")), ("v", s("x"))])).await;
        db.update_item(
            UpdateItemInput::builder()
                .table_name(&name)
                .set_key(Some(key.clone()))
                .update_expression("SET v = :v")
                .expression_attribute_values(":v", s("yy"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        db.delete_item(
            DeleteItemInput::builder()
                .table_name(&name)
                .set_key(Some(key))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        let records = all_records(&db, &arn).await;
        let got: Vec<(Option<String>, Option<String>, i64)> = records
            .iter()
            .map(|r| {
                let d = r.dynamodb.as_ref().unwrap();
                assert_eq!(
                    d.stream_view_type.as_ref(),
                    Some(&st::StreamViewType::from(view.as_str()))
                );
                let v = |i: &Option<std::collections::HashMap<String, st::AttributeValue>>| {
                    i.as_ref().map(|i| match i.get("v") {
                        Some(st::AttributeValue::S(s)) => s.clone(),
                        other => format!("{other:?}"),
                    })
                };
                (v(&d.new_image), v(&d.old_image), d.size_bytes.unwrap())
            })
            .collect();
        let expected: Vec<(Option<String>, Option<String>, i64)> = expected
            .into_iter()
            .map(|(a, b, c)| (a.map(String::from), b.map(String::from), c))
            .collect();
        assert_eq!(got, expected, "{view:?}");
    }
}

#[tokio::test]
async fn stream_specifications_that_contradict_themselves_or_the_table_are_refused_with_dynamodb_messages() {
    let db = db("st_spec");
    let mut input = hash_table("spec").create_table_input("spec").unwrap();
    input.stream_specification = Some(StreamSpecification::builder().stream_enabled(true).build().unwrap());
    let e = assert_err!(db.create_table(input.clone()).await, Error::Validation(_));
    assert_eq!(
        msg(&e),
        "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams."
    );
    input.stream_specification = Some(
        StreamSpecification::builder()
            .stream_enabled(false)
            .stream_view_type(StreamViewType::KeysOnly)
            .build()
            .unwrap(),
    );
    let e = assert_err!(db.create_table(input.clone()).await, Error::Validation(_));
    assert_eq!(
        msg(&e),
        "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present."
    );
    // Disabled on creation: no stream at all.
    input.stream_specification = Some(spec(None));
    let d = db.create_table(input).await.unwrap().table_description.unwrap();
    assert_eq!(d.stream_specification, None);
    assert_eq!(d.latest_stream_arn, None);
    let update = |s: StreamSpecification| {
        UpdateTableInput::builder()
            .table_name("spec")
            .stream_specification(s)
            .build()
            .unwrap()
    };
    let e = assert_err!(db.update_table(update(spec(None))).await, Error::Validation(_));
    assert_eq!(msg(&e), "Table has no stream to disable");
    db.update_table(update(spec(Some(StreamViewType::KeysOnly))))
        .await
        .unwrap();
    for view in [StreamViewType::KeysOnly, StreamViewType::NewImage] {
        let e = assert_err!(db.update_table(update(spec(Some(view)))).await, Error::Validation(_));
        assert_eq!(msg(&e), "Table already has an enabled stream");
    }
}

#[tokio::test]
async fn disabling_closes_the_stream_which_stays_readable_and_enabling_again_makes_a_new_stream() {
    let db = db("st_disable");
    let table = db.full_name("dis");
    let first = streamed_table(&db, "dis", StreamViewType::KeysOnly).await;
    let label = describe_table(&db, "dis").await.latest_stream_label.unwrap();
    assert_eq!(
        first,
        format!("arn:aws:dynamodb:ddblocal:000000000000:table/{table}/stream/{label}")
    );
    // 2026-12-01T21:17:38.086
    assert_eq!(label.len(), 23, "{label}");
    assert_eq!((&label[4..5], &label[10..11], &label[19..20]), ("-", "T", "."));
    put(&db, "dis", item(&[("pk", s("a")), ("sk", n("1"))])).await;
    let open = describe_stream(&db, &first).await;
    assert_eq!(open.stream_status, Some(st::StreamStatus::Enabled));
    assert_eq!(open.table_name.as_deref(), Some(table.as_str()));
    assert_eq!(open.stream_label.as_deref(), Some(label.as_str()));
    let shard = open.shards.unwrap().remove(0);
    let shard_id = shard.shard_id.clone().unwrap();
    assert!(shard_id.starts_with("shardId-"), "{shard_id}");
    assert_eq!(
        shard.sequence_number_range.as_ref().unwrap().ending_sequence_number,
        None
    );

    db.update_table(
        UpdateTableInput::builder()
            .table_name("dis")
            .stream_specification(spec(None))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let d = describe_table(&db, "dis").await;
    assert_eq!(d.stream_specification, None);
    assert_eq!(d.latest_stream_arn.as_deref(), Some(first.as_str()));
    // Writes while disabled are recorded nowhere.
    put(&db, "dis", item(&[("pk", s("b")), ("sk", n("1"))])).await;
    let closed = describe_stream(&db, &first).await;
    assert_eq!(closed.stream_status, Some(st::StreamStatus::Disabled));
    let range = closed.shards.unwrap().remove(0).sequence_number_range.unwrap();
    let records = all_records(&db, &first).await;
    assert_eq!(summary(&records), vec![ev("INSERT", "a", None, None)]);
    let last = records[0].dynamodb.as_ref().unwrap().sequence_number.clone();
    assert_eq!(range.ending_sequence_number, last);
    // A closed shard read to its end hands out no next iterator.
    let it = iterator(&db, &first, st::ShardIteratorType::TrimHorizon, None)
        .await
        .unwrap();
    let (_, next) = get_records(&db, &it, None).await.unwrap();
    assert_eq!(next, None);

    db.update_table(
        UpdateTableInput::builder()
            .table_name("dis")
            .stream_specification(spec(Some(StreamViewType::NewImage)))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let d = describe_table(&db, "dis").await;
    let second = d.latest_stream_arn.unwrap();
    assert_ne!(second, first);
    assert_eq!(d.stream_specification, Some(spec(Some(StreamViewType::NewImage))));
    put(&db, "dis", item(&[("pk", s("c")), ("sk", n("1"))])).await;
    assert_eq!(
        summary(&all_records(&db, &second).await),
        vec![ev("INSERT", "c", None, None)]
    );
    let listed = streams(&db)
        .list_streams(ListStreamsInput::builder().table_name(&table).build().unwrap())
        .await
        .unwrap();
    let arns: Vec<String> = listed
        .streams
        .unwrap()
        .into_iter()
        .map(|s| s.stream_arn.unwrap())
        .collect();
    assert_eq!(arns, vec![second, first], "newest first");
}

#[tokio::test]
async fn shard_iterators_start_at_the_trim_horizon_or_a_sequence_number_and_pages_follow_on() {
    let db = db("st_iter");
    let arn = streamed_table(&db, "iter", StreamViewType::KeysOnly).await;
    for pk in ["k0", "k1", "k2", "k3", "k4"] {
        put(&db, "iter", item(&[("pk", s(pk)), ("sk", n("1"))])).await;
    }
    let pks = |records: &[st::Record]| -> Vec<String> { summary(records).into_iter().map(|e| e.1).collect() };
    // (LATEST is checked on the mock only, in src/mock/streams/tests.rs:
    // DynamoDB Local numbers records across all its streams, and a LATEST
    // iterator whose number another table's record took reads as trimmed.)
    // TRIM_HORIZON, two at a time.
    let th = iterator(&db, &arn, st::ShardIteratorType::TrimHorizon, None)
        .await
        .unwrap();
    let (page1, next) = get_records(&db, &th, Some(2)).await.unwrap();
    assert_eq!(pks(&page1), ["k0", "k1"]);
    let (page2, _) = get_records(&db, &next.unwrap(), Some(2)).await.unwrap();
    assert_eq!(pks(&page2), ["k2", "k3"]);
    // An iterator can be read again.
    assert_eq!(pks(&get_records(&db, &th, None).await.unwrap().0).len(), 5);
    let seq1 = page1[1].dynamodb.as_ref().unwrap().sequence_number.clone().unwrap();
    let at = iterator(&db, &arn, st::ShardIteratorType::AtSequenceNumber, Some(&seq1))
        .await
        .unwrap();
    assert_eq!(
        pks(&get_records(&db, &at, None).await.unwrap().0),
        ["k1", "k2", "k3", "k4"]
    );
    let after = iterator(&db, &arn, st::ShardIteratorType::AfterSequenceNumber, Some(&seq1))
        .await
        .unwrap();
    assert_eq!(
        pks(&get_records(&db, &after, None).await.unwrap().0),
        ["k2", "k3", "k4"]
    );
}

#[tokio::test]
async fn the_streams_api_refuses_unknown_streams_shards_iterators_and_sequence_numbers_as_dynamodb_does() {
    let db = db("st_errs");
    let arn = streamed_table(&db, "errs", StreamViewType::KeysOnly).await;
    let shard = shard_of(&db, &arn).await.shard_id.unwrap();
    let sb = streams(&db);
    let iter = |arn: &str, shard: &str, kind: st::ShardIteratorType, seq: Option<&str>| {
        GetShardIteratorInput::builder()
            .stream_arn(arn)
            .shard_id(shard)
            .shard_iterator_type(kind)
            .set_sequence_number(seq.map(String::from))
            .build()
            .unwrap()
    };
    let e = assert_err!(
        sb.get_shard_iterator(iter(
            &arn,
            "shardId-00000000000000000000-00000000",
            st::ShardIteratorType::Latest,
            None
        ))
        .await,
        Error::ResourceNotFound(_)
    );
    assert_eq!(msg(&e), "Shard does not exist");
    let e = assert_err!(
        sb.get_shard_iterator(iter(&format!("{arn}x"), &shard, st::ShardIteratorType::Latest, None))
            .await,
        Error::ResourceNotFound(_)
    );
    assert_eq!(msg(&e), "Stream does not exist");
    let e = assert_err!(
        sb.get_shard_iterator(iter(&arn, &shard, st::ShardIteratorType::AtSequenceNumber, None))
            .await,
        Error::Validation(_)
    );
    assert_eq!(
        msg(&e),
        "One or more parameter values were invalid: Invalid SequenceNumber"
    );
    let e = assert_err!(
        sb.get_shard_iterator(iter(
            &arn,
            &shard,
            st::ShardIteratorType::TrimHorizon,
            Some("000000000000000000001")
        ))
        .await,
        Error::Validation(_)
    );
    assert_eq!(
        msg(&e),
        "One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type"
    );
    let e = assert_err!(
        sb.get_shard_iterator(iter(&arn, &shard, st::ShardIteratorType::AtSequenceNumber, Some("1")))
            .await,
        Error::Validation(_)
    );
    assert_eq!(
        msg(&e),
        "1 validation error detected: Value '1' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to 21"
    );
    let e = assert_err!(
        sb.get_shard_iterator(iter(
            &arn,
            &shard,
            st::ShardIteratorType::AtSequenceNumber,
            Some("000000000000000000000")
        ))
        .await,
        Error::Validation(_)
    );
    assert_eq!(msg(&e), "Invalid SequenceNumber for the shard");
    let missing = format!("{arn}x");
    let e = assert_err!(
        sb.describe_stream(DescribeStreamInput::builder().stream_arn(&missing).build().unwrap())
            .await,
        Error::ResourceNotFound(_)
    );
    assert_eq!(
        msg(&e),
        format!("Requested resource not found: Stream: {missing} not found")
    );
    let e = assert_err!(
        sb.get_records(GetRecordsInput::builder().shard_iterator("garbage").build().unwrap())
            .await,
        Error::Validation(_)
    );
    assert_eq!(msg(&e), "Invalid ShardIterator");
    let it = iterator(&db, &arn, st::ShardIteratorType::TrimHorizon, None)
        .await
        .unwrap();
    let e = assert_err!(get_records(&db, &it, Some(1001)).await, Error::Validation(_));
    assert_eq!(
        msg(&e),
        "One or more parameter values were invalid: Limit should be less than or equal to 1000"
    );
    let e = assert_err!(
        sb.list_streams(ListStreamsInput::builder().limit(101).build().unwrap())
            .await,
        Error::Validation(_)
    );
    assert_eq!(
        msg(&e),
        "One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100"
    );
    // No stream for a table that does not exist: an empty list.
    let none = sb
        .list_streams(
            ListStreamsInput::builder()
                .table_name(db.full_name("nope"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(none.streams, Some(vec![]));
}

dynamo_table! {
    /// An account whose balance changes are streamed.
    account: Account {
        hash id: String,
        balance: i64,
    }
    on_demand
}

#[tokio::test]
async fn table_changes_are_typed_inserts_modifications_and_removals_from_a_chosen_position() {
    let db = db("st_typed");
    let accounts = AccountTable::new(&db);
    accounts.enable_stream(StreamViewType::NewAndOldImages).await.unwrap();
    // Enabling again with the same view type is nothing.
    accounts.enable_stream(StreamViewType::NewAndOldImages).await.unwrap();
    let a = |balance| Account {
        id: "a".into(),
        balance,
    };
    accounts.put(&mut a(10)).await.unwrap();
    accounts.put(&mut a(25)).await.unwrap();
    let changes: Vec<_> = accounts.changes(Position::Oldest).await.unwrap().collect().await;
    let changes: Vec<_> = changes.into_iter().map(Result::unwrap).collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].change, Change::Inserted(Some(a(10))));
    assert_eq!(
        changes[1].change,
        Change::Modified {
            old: Some(a(10)),
            new: Some(a(25))
        }
    );
    assert_eq!(changes[1].keys, item(&[("id", s("a"))]));
    assert!(!changes[1].by_ttl);
    // From after the last one seen: only what came since.
    let mark = changes[1].sequence_number.clone();
    accounts.delete("a".to_string()).await.unwrap();
    let since: Vec<_> = accounts.changes(Position::After(mark)).await.unwrap().collect().await;
    let since: Vec<_> = since.into_iter().map(Result::unwrap).map(|c| c.change).collect();
    assert_eq!(since, vec![Change::Removed(Some(a(25)))]);
}
