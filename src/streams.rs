//! DynamoDB Streams: the [`StreamsBackend`] trait (the streams API, one
//! method per operation, in the `aws-sdk-dynamodbstreams` SDK's own types),
//! implemented by [`crate::MockBackend`] and by [`AwsStreams`] (AWS and
//! DynamoDB Local), and the typed [`crate::Table::changes`] built on it.
//!
//! [`crate::Backend::streams`] (on a [`crate::Database`] too, a `Backend`) hands out
//! the streams backend that goes with a DynamoDB backend, so the same code
//! reads a stream from AWS, DynamoDB Local and the mock.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_dynamodbstreams::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodbstreams::types as st;
use futures::stream::{self, BoxStream, StreamExt};

use crate::record::Record;
use crate::{Error, Item};

pub use aws_sdk_dynamodbstreams::operation::describe_stream::{DescribeStreamInput, DescribeStreamOutput};
pub use aws_sdk_dynamodbstreams::operation::get_records::{GetRecordsInput, GetRecordsOutput};
pub use aws_sdk_dynamodbstreams::operation::get_shard_iterator::{GetShardIteratorInput, GetShardIteratorOutput};
pub use aws_sdk_dynamodbstreams::operation::list_streams::{ListStreamsInput, ListStreamsOutput};

/// The streams API of one DynamoDB: the AWS service, DynamoDB Local, or the
/// in-process mock.
///
/// Object-safe: hold it as `Arc<dyn StreamsBackend>`.
#[async_trait]
pub trait StreamsBackend: Send + Sync + std::fmt::Debug {
    /// `ListStreams`.
    async fn list_streams(&self, input: ListStreamsInput) -> Result<ListStreamsOutput, Error>;
    /// `DescribeStream`.
    async fn describe_stream(&self, input: DescribeStreamInput) -> Result<DescribeStreamOutput, Error>;
    /// `GetShardIterator`.
    async fn get_shard_iterator(&self, input: GetShardIteratorInput) -> Result<GetShardIteratorOutput, Error>;
    /// `GetRecords`.
    async fn get_records(&self, input: GetRecordsInput) -> Result<GetRecordsOutput, Error>;
}

#[async_trait]
impl StreamsBackend for crate::MockBackend {
    async fn list_streams(&self, input: ListStreamsInput) -> Result<ListStreamsOutput, Error> {
        self.list_streams_sync(input)
    }
    async fn describe_stream(&self, input: DescribeStreamInput) -> Result<DescribeStreamOutput, Error> {
        self.describe_stream_sync(input)
    }
    async fn get_shard_iterator(&self, input: GetShardIteratorInput) -> Result<GetShardIteratorOutput, Error> {
        self.get_shard_iterator_sync(input)
    }
    async fn get_records(&self, input: GetRecordsInput) -> Result<GetRecordsOutput, Error> {
        self.get_records_sync(input)
    }
}

/// The [`StreamsBackend`] backed by the `aws-sdk-dynamodbstreams` client:
/// DynamoDB Streams itself or DynamoDB Local (which serves both APIs on one
/// endpoint).
#[derive(Debug, Clone)]
pub struct AwsStreams {
    client: aws_sdk_dynamodbstreams::Client,
}

impl AwsStreams {
    /// Wraps a streams client configured by the caller.
    pub fn from_client(client: aws_sdk_dynamodbstreams::Client) -> AwsStreams {
        AwsStreams { client }
    }

    /// The SDK client.
    pub fn client(&self) -> &aws_sdk_dynamodbstreams::Client {
        &self.client
    }
}

/// Maps a streams SDK error onto [`Error`], by code as for DynamoDB.
fn map_err<E>(err: SdkError<E, aws_sdk_dynamodbstreams::config::http::HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(context) => {
            let e = context.err();
            let message = e.message().unwrap_or_default().to_string();
            match e.code() {
                Some(code) => Error::from_code(code, message),
                None => Error::Service {
                    code: "Unknown".into(),
                    message: message.into(),
                },
            }
        }
        other => {
            let mut out = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                out.push_str(": ");
                out.push_str(&cause.to_string());
                source = cause.source();
            }
            Error::Transport(out.into())
        }
    }
}

#[async_trait]
impl StreamsBackend for AwsStreams {
    async fn list_streams(&self, input: ListStreamsInput) -> Result<ListStreamsOutput, Error> {
        self.client
            .list_streams()
            .set_table_name(input.table_name)
            .set_limit(input.limit)
            .set_exclusive_start_stream_arn(input.exclusive_start_stream_arn)
            .send()
            .await
            .map_err(map_err)
    }
    async fn describe_stream(&self, input: DescribeStreamInput) -> Result<DescribeStreamOutput, Error> {
        self.client
            .describe_stream()
            .set_stream_arn(input.stream_arn)
            .set_limit(input.limit)
            .set_exclusive_start_shard_id(input.exclusive_start_shard_id)
            .set_shard_filter(input.shard_filter)
            .send()
            .await
            .map_err(map_err)
    }
    async fn get_shard_iterator(&self, input: GetShardIteratorInput) -> Result<GetShardIteratorOutput, Error> {
        self.client
            .get_shard_iterator()
            .set_stream_arn(input.stream_arn)
            .set_shard_id(input.shard_id)
            .set_shard_iterator_type(input.shard_iterator_type)
            .set_sequence_number(input.sequence_number)
            .set_timestamp(input.timestamp)
            .send()
            .await
            .map_err(map_err)
    }
    async fn get_records(&self, input: GetRecordsInput) -> Result<GetRecordsOutput, Error> {
        self.client
            .get_records()
            .set_shard_iterator(input.shard_iterator)
            .set_limit(input.limit)
            .send()
            .await
            .map_err(map_err)
    }
}

// ---------------------------------------------------------------------------
// Attribute values: the two SDKs' types are the same shape
// ---------------------------------------------------------------------------

/// A DynamoDB attribute value as the streams SDK types it.
pub fn to_stream_value(av: crate::sdk::AttributeValue) -> st::AttributeValue {
    use crate::sdk::AttributeValue as A;
    match av {
        A::S(s) => st::AttributeValue::S(s),
        A::N(n) => st::AttributeValue::N(n),
        A::B(b) => st::AttributeValue::B(aws_sdk_dynamodbstreams::primitives::Blob::new(b.into_inner())),
        A::Bool(b) => st::AttributeValue::Bool(b),
        A::Null(n) => st::AttributeValue::Null(n),
        A::Ss(v) => st::AttributeValue::Ss(v),
        A::Ns(v) => st::AttributeValue::Ns(v),
        A::Bs(v) => st::AttributeValue::Bs(
            v.into_iter()
                .map(|b| aws_sdk_dynamodbstreams::primitives::Blob::new(b.into_inner()))
                .collect(),
        ),
        A::L(v) => st::AttributeValue::L(v.into_iter().map(to_stream_value).collect()),
        A::M(m) => st::AttributeValue::M(to_stream_item(m)),
        // A kind newer than this library: kept as a null.
        _ => st::AttributeValue::Null(true),
    }
}

/// An item as the streams SDK types it.
pub fn to_stream_item(item: Item) -> HashMap<String, st::AttributeValue> {
    item.into_iter().map(|(k, v)| (k, to_stream_value(v))).collect()
}

/// A streams SDK attribute value as DynamoDB's SDK types it.
pub fn from_stream_value(av: st::AttributeValue) -> crate::sdk::AttributeValue {
    use crate::sdk::AttributeValue as A;
    match av {
        st::AttributeValue::S(s) => A::S(s),
        st::AttributeValue::N(n) => A::N(n),
        st::AttributeValue::B(b) => A::B(crate::sdk::Blob::new(b.into_inner())),
        st::AttributeValue::Bool(b) => A::Bool(b),
        st::AttributeValue::Null(n) => A::Null(n),
        st::AttributeValue::Ss(v) => A::Ss(v),
        st::AttributeValue::Ns(v) => A::Ns(v),
        st::AttributeValue::Bs(v) => A::Bs(v.into_iter().map(|b| crate::sdk::Blob::new(b.into_inner())).collect()),
        st::AttributeValue::L(v) => A::L(v.into_iter().map(from_stream_value).collect()),
        st::AttributeValue::M(m) => A::M(from_stream_item(m)),
        _ => A::Null(true),
    }
}

/// A streams SDK item as DynamoDB's SDK types it.
pub fn from_stream_item(item: HashMap<String, st::AttributeValue>) -> Item {
    item.into_iter().map(|(k, v)| (k, from_stream_value(v))).collect()
}

// ---------------------------------------------------------------------------
// Typed changes
// ---------------------------------------------------------------------------

/// What happened to an item, with the images the stream's view type keeps
/// (`None` where it keeps none: both for `KEYS_ONLY`, the old one for
/// `NEW_IMAGE`, the new one for `OLD_IMAGE`).
#[derive(Debug, Clone, PartialEq)]
pub enum Change<R> {
    /// A new item (`INSERT`).
    Inserted(Option<R>),
    /// An item replaced or updated (`MODIFY`).
    Modified {
        /// The item before.
        old: Option<R>,
        /// The item after.
        new: Option<R>,
    },
    /// An item deleted (`REMOVE`), by a request or by TTL.
    Removed(Option<R>),
}

/// One change of a table's stream.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeEvent<R> {
    /// The record's sequence number (resume after it with
    /// [`Position::After`]).
    pub sequence_number: String,
    /// The item's key attributes.
    pub keys: Item,
    /// What happened.
    pub change: Change<R>,
    /// True when TTL expiry deleted the item (the record's `userIdentity`
    /// is DynamoDB's service principal).
    pub by_ttl: bool,
}

/// Where [`crate::Table::changes`] starts reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// From the oldest record kept (`TRIM_HORIZON`).
    Oldest,
    /// After the record with this sequence number (`AFTER_SEQUENCE_NUMBER`).
    After(String),
}

/// Decodes one stream record into a typed change.
pub fn change_from_record<R: Record>(record: st::Record) -> Result<ChangeEvent<R>, Error> {
    let by_ttl = record
        .user_identity
        .as_ref()
        .is_some_and(|i| i.r#type.as_deref() == Some("Service"));
    let name = record.event_name.clone();
    let data = record.dynamodb.unwrap_or_else(|| st::StreamRecord::builder().build());
    let decode = |image: Option<HashMap<String, st::AttributeValue>>| -> Result<Option<R>, Error> {
        image
            .map(|i| R::from_item(from_stream_item(i)).map_err(Error::from))
            .transpose()
    };
    let new = decode(data.new_image)?;
    let old = decode(data.old_image)?;
    let change = match name {
        Some(st::OperationType::Insert) => Change::Inserted(new),
        Some(st::OperationType::Modify) => Change::Modified { old, new },
        Some(st::OperationType::Remove) => Change::Removed(old),
        other => {
            return Err(Error::Service {
                code: "UnknownEventName".into(),
                message: format!("a stream record with eventName {other:?}").into(),
            });
        }
    };
    Ok(ChangeEvent {
        sequence_number: data.sequence_number.unwrap_or_default(),
        keys: data.keys.map(from_stream_item).unwrap_or_default(),
        change,
        by_ttl,
    })
}

/// The records of every shard of `stream_arn` from `position` up to the
/// present, shard after shard (parents before children, as DescribeStream
/// lists them), then the stream ends.
pub(crate) fn read_changes<R: Record>(
    streams: Arc<dyn StreamsBackend>,
    stream_arn: String,
    position: Position,
) -> BoxStream<'static, Result<ChangeEvent<R>, Error>> {
    /// Where the reading is.
    enum State {
        Start,
        Shards(Vec<st::Shard>, usize),
        Reading(Vec<st::Shard>, usize, String),
        Done,
    }
    let first = position.clone();
    let state = (State::Start, streams, stream_arn);
    stream::try_unfold(state, move |(state, streams, arn)| {
        let position = first.clone();
        async move {
            let mut state = state;
            loop {
                match state {
                    State::Done => return Ok(None),
                    State::Start => {
                        let mut shards = Vec::new();
                        let mut start = None;
                        loop {
                            let out = streams
                                .describe_stream(
                                    DescribeStreamInput::builder()
                                        .stream_arn(&arn)
                                        .set_exclusive_start_shard_id(start)
                                        .build()
                                        .map_err(|e| Error::Validation(e.to_string().into()))?,
                                )
                                .await?;
                            let d = out
                                .stream_description
                                .unwrap_or_else(|| st::StreamDescription::builder().build());
                            shards.extend(d.shards.unwrap_or_default());
                            start = d.last_evaluated_shard_id;
                            if start.is_none() {
                                break;
                            }
                        }
                        state = State::Shards(shards, 0);
                    }
                    State::Shards(shards, i) => {
                        let Some(shard) = shards.get(i) else {
                            state = State::Done;
                            continue;
                        };
                        let (kind, seq) = match &position {
                            Position::Oldest => (st::ShardIteratorType::TrimHorizon, None),
                            Position::After(s) => {
                                let range = shard.sequence_number_range.as_ref();
                                let start = range.and_then(|r| r.starting_sequence_number.as_deref());
                                let end = range.and_then(|r| r.ending_sequence_number.as_deref());
                                let cmp = |a: &str, b: &str| (a.len(), a).cmp(&(b.len(), b));
                                if end.is_some_and(|e| cmp(s, e).is_ge()) {
                                    // Wholly before the position.
                                    state = State::Shards(shards, i + 1);
                                    continue;
                                }
                                if start.is_some_and(|st| cmp(s, st).is_lt()) {
                                    (st::ShardIteratorType::TrimHorizon, None)
                                } else {
                                    (st::ShardIteratorType::AfterSequenceNumber, Some(s.clone()))
                                }
                            }
                        };
                        let out = streams
                            .get_shard_iterator(
                                GetShardIteratorInput::builder()
                                    .stream_arn(&arn)
                                    .set_shard_id(shard.shard_id.clone())
                                    .shard_iterator_type(kind)
                                    .set_sequence_number(seq)
                                    .build()
                                    .map_err(|e| Error::Validation(e.to_string().into()))?,
                            )
                            .await?;
                        state = match out.shard_iterator {
                            Some(it) => State::Reading(shards, i, it),
                            None => State::Shards(shards, i + 1),
                        };
                    }
                    State::Reading(shards, i, iterator) => {
                        let out = streams
                            .get_records(
                                GetRecordsInput::builder()
                                    .shard_iterator(iterator)
                                    .build()
                                    .map_err(|e| Error::Validation(e.to_string().into()))?,
                            )
                            .await?;
                        let records = out.records.unwrap_or_default();
                        let caught_up = records.is_empty();
                        let next = match out.next_shard_iterator {
                            // An open shard read to the present: this reading ends.
                            Some(_) if caught_up => State::Shards(shards, usize::MAX),
                            Some(it) => State::Reading(shards, i, it),
                            None => State::Shards(shards, i + 1),
                        };
                        if caught_up {
                            state = next;
                            continue;
                        }
                        let events: Vec<Result<ChangeEvent<R>, Error>> =
                            records.into_iter().map(change_from_record::<R>).collect();
                        return Ok(Some((stream::iter(events), (next, streams, arn))));
                    }
                }
            }
        }
    })
    .map(|page| match page {
        Ok(events) => events.boxed(),
        Err(e) => stream::iter(vec![Err(e)]).boxed(),
    })
    .flatten()
    .boxed()
}

#[cfg(test)]
mod tests;
