//! Streams in the differential test: the generated operations run on a
//! table with a `NEW_AND_OLD_IMAGES` stream on the mock and on DynamoDB
//! Local, then the two streams' records must agree item by item, in order:
//! event name, keys, both images and `SizeBytes` (sequence numbers, event
//! ids and times are each backend's own; the order of records of different
//! items, those of one batch or transaction, is unspecified, as DynamoDB
//! orders a stream per item). A step whose responses differ ends the seed's
//! comparison there (the main differential test reports it).
//!
//! Operations that may leave an empty map in an item are skipped here (the
//! main differential test runs them): DynamoDB Local writes an empty map in
//! a stream record as `{}` instead of `{"M":{}}`, which the SDK cannot read
//! (its GetRecords fails to parse), while the mock writes `{"M":{}}`, the
//! only form the API's model allows. The count of operations skipped is printed.
//!
//! ```text
//! DYNAMODB_ENDPOINT=http://127.0.0.1:8000 cargo test --test differential streams -- --include-ignored
//! ```

use std::sync::Arc;

use aws_sdk_dynamodbstreams::types as st;
use dynamo_objects::streams::{DescribeStreamInput, GetRecordsInput, GetShardIteratorInput, StreamsBackend};

use super::*;

/// Creates the differential table with a stream; returns the stream ARN.
async fn streamed(db: &Database) -> String {
    db.ensure_table(&schema())
        .await
        .expect("DynamoDB Local must be running for the differential test");
    let out = db
        .update_table(
            UpdateTableInput::builder()
                .table_name(TABLE)
                .stream_specification(
                    StreamSpecification::builder()
                        .stream_enabled(true)
                        .stream_view_type(StreamViewType::NewAndOldImages)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    out.table_description.unwrap().latest_stream_arn.unwrap()
}

/// Whether `op` may leave an empty map in an item: an update that removes
/// `doc.k` (the generator's one way to empty a map), over-approximated as
/// any op naming both `REMOVE` and `doc.k`. See the module's note on
/// DynamoDB Local's stream records.
fn may_empty_a_map(op: &Op) -> bool {
    let text = format!("{op:?}");
    text.contains("REMOVE") && text.contains("doc.k")
}

/// Every record of the stream, as one line each, grouped by item (each
/// item's records in stream order).
async fn records(streams: Arc<dyn StreamsBackend>, arn: &str, whose: &str) -> Vec<String> {
    let d = streams
        .describe_stream(DescribeStreamInput::builder().stream_arn(arn).build().unwrap())
        .await
        .unwrap_or_else(|e| panic!("{whose}: DescribeStream: {e:?}"))
        .stream_description
        .unwrap();
    let mut out = Vec::new();
    for shard in d.shards.unwrap_or_default() {
        let mut it = streams
            .get_shard_iterator(
                GetShardIteratorInput::builder()
                    .stream_arn(arn)
                    .set_shard_id(shard.shard_id)
                    .shard_iterator_type(st::ShardIteratorType::TrimHorizon)
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap_or_else(|e| panic!("{whose}: GetShardIterator: {e:?}"))
            .shard_iterator;
        while let Some(i) = it {
            let page = streams
                .get_records(GetRecordsInput::builder().shard_iterator(i).build().unwrap())
                .await
                .unwrap_or_else(|e| panic!("{whose}: GetRecords: {e:?}"));
            let recs = page.records.unwrap_or_default();
            if recs.is_empty() {
                break;
            }
            for r in recs {
                let d = r.dynamodb.unwrap();
                let image = |i: Option<HashMap<String, st::AttributeValue>>| {
                    i.map(|i| norm_item(&dynamo_objects::streams::from_stream_item(i)))
                };
                let keys = image(d.keys).unwrap_or_default();
                out.push(format!(
                    "{keys} {} new={:?} old={:?} size={:?}",
                    r.event_name.map(|e| e.as_str().to_string()).unwrap_or_default(),
                    image(d.new_image),
                    image(d.old_image),
                    d.size_bytes
                ));
            }
            it = page.next_shard_iterator;
        }
    }
    // Stable: each item's records keep their order.
    out.sort_by(|a, b| a.split(' ').next().cmp(&b.split(' ').next()));
    out
}

#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_and_dynamodb_local_streams_record_the_same_changes_of_generated_operations() {
    compare("the in-process mock", "m", Database::mock()).await;
}

/// The same through the mock server, read with the SDK's streams client.
#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_server_and_dynamodb_local_streams_record_the_same_changes_of_generated_operations() {
    let server = dynamo_objects::server::MockServer::start(Default::default())
        .await
        .unwrap();
    compare("the mock server", "s", Database::local(&server.endpoint())).await;
    server.shutdown().await;
}

async fn compare(what: &str, tag: &str, mock: Database) {
    let local = dynamodb_local();
    let seeds = seed_range(2);
    let ops: usize = std::env::var("DIFF_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let mut divergences = Vec::new();
    let (mut compared, mut skipped) = (0, 0);
    for seed in seeds.clone() {
        let prefix = format!("diffst{tag}{seed}_{}_", std::process::id());
        let (mock, local) = (mock.with_prefix(&prefix), local.with_prefix(&prefix));
        let (mock_arn, local_arn) = (streamed(&mock).await, streamed(&local).await);
        let mut g = Gen { rng: Rng(seed) };
        for step in 0..ops {
            let op = gen_op(&mut g);
            if may_empty_a_map(&op) {
                skipped += 1;
                continue;
            }
            let ((a, da), (b, db)) = (run(&mock, &op).await, run(&local, &op).await);
            if a != b {
                divergences.push(format!(
                    "seed {seed} step {step}: the responses differ; records compared up to here: {op:?}\n  mock:  {a} {da}\n  local: {b} {db}"
                ));
                break;
            }
        }
        let a = records(
            Backend::streams(&mock).unwrap(),
            &mock_arn,
            &format!("{what}, seed {seed}"),
        )
        .await;
        let b = records(
            Backend::streams(&local).unwrap(),
            &local_arn,
            &format!("Local, seed {seed}"),
        )
        .await;
        compared += a.len();
        if a != b {
            let first = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            divergences.push(format!(
                "seed {seed}: {} records on the mock, {} on Local; first difference at {first}:\n  mock:  {:?}\n  local: {:?}",
                a.len(),
                b.len(),
                a.get(first),
                b.get(first)
            ));
        }
    }
    println!(
        "differential (streams, {what}): {compared} records over {} seeds ({skipped} operations skipped: they may empty a map), {} divergences",
        seeds.count(),
        divergences.len()
    );
    assert!(divergences.is_empty(), "{}", divergences.join("\n"));
}
