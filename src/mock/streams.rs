//! DynamoDB Streams in the mock: one stream per enabling of a table's
//! `StreamSpecification`, each with one shard, and the four operations of the
//! streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords).
//!
//! Records are appended by storage ([`TableData::put`] and
//! [`TableData::delete`], which every write passes through: puts, updates,
//! deletes, batches, transactions, PartiQL and TTL expiry) through the
//! table's [`StreamSink`]; a table without a stream pays one branch on an
//! `Option`. A write that changes nothing (a put of an identical item, an
//! update that sets what is there, a delete of a missing item) appends
//! nothing, as on DynamoDB.
//!
//! What DynamoDB Local does, the mock does: sequence numbers are 21 digits,
//! counted across the whole mock; a stream has a single shard
//! (`shardId-<20-digit ms>-<8 hex>`), closed (given its
//! `EndingSequenceNumber`) when the stream is disabled or its table deleted;
//! shard iterators are `<stream ARN>|001|<base64 of shard|sequence|ms>` and
//! expire 15 minutes after they were handed out. Shards never split.
//!
//! Retention: DynamoDB keeps records 24 hours. The mock keeps them 24 hours
//! too, and at most [`MAX_STREAM_BYTES`] of records (their `SizeBytes`) per
//! stream, dropping the oldest first; reading dropped records is
//! `TrimmedDataAccessException`, as on DynamoDB past the 24 hours.
//!
//! [`TableData::put`]: super::store::TableData::put
//! [`TableData::delete`]: super::store::TableData::delete

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::{
    AttributeValue, KeySchemaElement as TableKeySchemaElement, StreamSpecification, StreamViewType,
};
use aws_sdk_dynamodbstreams::operation::describe_stream::{DescribeStreamInput, DescribeStreamOutput};
use aws_sdk_dynamodbstreams::operation::get_records::{GetRecordsInput, GetRecordsOutput};
use aws_sdk_dynamodbstreams::operation::get_shard_iterator::{GetShardIteratorInput, GetShardIteratorOutput};
use aws_sdk_dynamodbstreams::operation::list_streams::{ListStreamsInput, ListStreamsOutput};
use aws_sdk_dynamodbstreams::types as st;
use base64::Engine as _;
use parking_lot::{Mutex, RwLock};

use super::catalog::REGION;
use super::size::item_size;
use crate::error::Message;
use crate::{Error, Item};

/// The most record bytes (`SizeBytes`) the mock keeps per stream before it
/// drops the oldest records: 64 MiB.
pub(crate) const MAX_STREAM_BYTES: usize = 64 << 20;

/// How long DynamoDB keeps a stream record, in seconds: 24 hours.
const RETENTION_SECS: f64 = 24.0 * 3600.0;

/// How long a shard iterator stays valid, in milliseconds: 15 minutes.
const ITERATOR_LIFETIME_MS: u64 = 15 * 60 * 1000;

/// The most records one GetRecords returns, and its default.
const MAX_GET_RECORDS: i32 = 1000;

/// The most streams or shards one ListStreams or DescribeStream returns.
const MAX_LIST: i32 = 100;

/// The digits of a sequence number.
const SEQUENCE_DIGITS: usize = 21;

/// The `userIdentity` of a record of a deletion by TTL.
pub(crate) const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";

fn v(msg: impl Into<String>) -> Error {
    Error::Validation(Message::new(msg))
}

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("One or more parameter values were invalid: {msg}").into())
}

fn min_one(value: i32, field: &str) -> Error {
    v(format!(
        "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have value greater than or equal to 1"
    ))
}

fn stream_not_found() -> Error {
    Error::ResourceNotFound("Stream does not exist".into())
}

use super::catalog::now_secs;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A sequence number as DynamoDB Local writes it: 21 digits.
fn sequence(n: u64) -> String {
    format!("{n:0SEQUENCE_DIGITS$}")
}

/// `YYYY-MM-DDTHH:MM:SS.mmm` (UTC) of `ms` since the epoch: a stream label.
fn label_of(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (y, mo, d) = crate::timestamp::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    )
}

/// Checks a `StreamSpecification` (CreateTable's or UpdateTable's): the view
/// type when it enables a stream, `None` when it disables.
pub(crate) fn check_spec(spec: &StreamSpecification) -> Result<Option<StreamViewType>, Error> {
    match (spec.stream_enabled, &spec.stream_view_type) {
        (true, None) => Err(v(
            "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.",
        )),
        (
            true,
            Some(
                view @ (StreamViewType::KeysOnly
                | StreamViewType::NewImage
                | StreamViewType::OldImage
                | StreamViewType::NewAndOldImages),
            ),
        ) => Ok(Some(view.clone())),
        (true, Some(other)) => Err(v(format!(
            "1 validation error detected: Value '{}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
            other.as_str()
        ))),
        (false, Some(_)) => Err(v(
            "Invalid StreamViewType: Stream StreamEnabled was false but a StreamViewType was present.",
        )),
        (false, None) => Ok(None),
    }
}

/// UpdateTable's refusal to enable a second stream.
pub(crate) const ALREADY_ENABLED: &str = "Table already has an enabled stream";
/// UpdateTable's refusal to disable a stream that is not there.
pub(crate) const NOTHING_TO_DISABLE: &str = "Table has no stream to disable";

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Insert,
    Modify,
    Remove,
}

/// Who made a change: a request, or TTL expiry (DynamoDB itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A request (put, update, delete, batch, transaction, PartiQL).
    Request,
    /// A deletion by TTL.
    Ttl,
}

/// One stream record, its images already cut to the stream's view type.
#[derive(Debug)]
struct Record {
    seq: u64,
    event: Event,
    keys: Item,
    new: Option<Item>,
    old: Option<Item>,
    /// Creation time, in seconds since the epoch.
    at: f64,
    size: usize,
    origin: Origin,
}

/// A stream: its description and its one shard's records.
#[derive(Debug)]
pub(crate) struct StreamLog {
    arn: String,
    label: String,
    table: String,
    view: StreamViewType,
    key_schema: Vec<TableKeySchemaElement>,
    /// Creation time, in seconds since the epoch.
    created: f64,
    shard_id: String,
    /// The shard's starting sequence number.
    start: u64,
    /// The shard's ending sequence number, once the stream is disabled.
    end: Option<u64>,
    records: VecDeque<Record>,
    /// Bytes (`SizeBytes`) of `records`.
    bytes: usize,
    /// The most bytes kept ([`MAX_STREAM_BYTES`]; less in tests).
    cap: usize,
    /// Sequence numbers below this were dropped (0: none dropped).
    trimmed: u64,
}

impl StreamLog {
    fn push(&mut self, record: Record) {
        self.bytes += record.size;
        self.records.push_back(record);
        self.trim(now_secs());
    }

    /// Drops records older than 24 hours, and the oldest past the cap.
    fn trim(&mut self, now: f64) {
        while let Some(first) = self.records.front() {
            if self.bytes <= self.cap && now - first.at < RETENTION_SECS {
                break;
            }
            self.bytes -= first.size;
            self.trimmed = first.seq + 1;
            self.records.pop_front();
        }
    }

    /// The sequence number the next record would have (an upper bound, as
    /// numbers are shared by every stream of the mock).
    fn last_seq(&self, counter: &AtomicU64) -> u64 {
        match self.end {
            Some(end) => end,
            None => counter.load(Ordering::Relaxed).max(self.start),
        }
    }

    fn summary(&self) -> st::Stream {
        st::Stream::builder()
            .stream_arn(&self.arn)
            .table_name(&self.table)
            .stream_label(&self.label)
            .build()
    }

    /// Closes the shard (the stream is disabled, or its table deleted).
    pub(crate) fn close(&mut self, counter: &AtomicU64) {
        if self.end.is_none() {
            let last = self.records.back().map_or(self.start, |r| r.seq);
            self.end = Some(
                last.max(self.start)
                    .min(counter.load(Ordering::Relaxed).max(self.start)),
            );
        }
    }

    /// The stream's ARN.
    pub(crate) fn arn(&self) -> &str {
        &self.arn
    }

    /// The stream's label.
    pub(crate) fn label(&self) -> &str {
        &self.label
    }

    /// The view type.
    pub(crate) fn view(&self) -> &StreamViewType {
        &self.view
    }
}

/// A shared stream.
pub(crate) type StreamRef = Arc<Mutex<StreamLog>>;

/// What storage appends records through: the table's enabled stream and the
/// mock's sequence counter.
#[derive(Debug, Clone)]
pub(crate) struct StreamSink {
    log: StreamRef,
    counter: Arc<AtomicU64>,
}

impl StreamSink {
    /// Records a change of the item with keys `keys` from `old` to `new`
    /// (`None`: absent), unless nothing changed.
    pub(crate) fn emit(&self, keys: Item, old: Option<Item>, new: Option<&Item>, origin: Origin) {
        let event = match (&old, new) {
            (None, None) => return,
            (Some(o), Some(n)) if same_item(o, n) => return,
            (None, Some(_)) => Event::Insert,
            (Some(_), Some(_)) => Event::Modify,
            (Some(_), None) => Event::Remove,
        };
        let mut log = self.log.lock();
        let (keep_new, keep_old) = match log.view {
            StreamViewType::NewImage => (true, false),
            StreamViewType::OldImage => (false, true),
            StreamViewType::NewAndOldImages => (true, true),
            _ => (false, false),
        };
        let new = new.filter(|_| keep_new).cloned();
        let old = old.filter(|_| keep_old);
        let size = item_size(&keys) + new.as_ref().map_or(0, item_size) + old.as_ref().map_or(0, item_size);
        let seq = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        log.push(Record {
            seq,
            event,
            keys,
            new,
            old,
            at: now_secs(),
            size,
            origin,
        });
    }

    /// The stream.
    pub(crate) fn log(&self) -> &StreamRef {
        &self.log
    }
}

/// Whether two items are the same to DynamoDB: sets are equal whatever the
/// order of their elements (numbers are already in canonical form).
fn same_item(a: &Item, b: &Item) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same_value(v, w)))
}

fn same_value(a: &AttributeValue, b: &AttributeValue) -> bool {
    fn same_set<T: Ord + Clone>(a: &[T], b: &[T]) -> bool {
        if a.len() != b.len() {
            return false;
        }
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        a.sort_unstable();
        b.sort_unstable();
        a == b
    }
    match (a, b) {
        (AttributeValue::Ss(x), AttributeValue::Ss(y)) | (AttributeValue::Ns(x), AttributeValue::Ns(y)) => {
            same_set(x, y)
        }
        (AttributeValue::Bs(x), AttributeValue::Bs(y)) => {
            let bytes = |v: &[aws_sdk_dynamodb::primitives::Blob]| -> Vec<Vec<u8>> {
                v.iter().map(|b| b.as_ref().to_vec()).collect()
            };
            same_set(&bytes(x), &bytes(y))
        }
        (AttributeValue::L(x), AttributeValue::L(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_value(v, w))
        }
        (AttributeValue::M(x), AttributeValue::M(y)) => same_item(x, y),
        _ => a == b,
    }
}

/// Every stream of the mock, newest last, and the sequence counter.
#[derive(Debug, Default)]
pub(crate) struct Streams {
    counter: Arc<AtomicU64>,
    shards: AtomicU64,
    all: RwLock<Vec<StreamRef>>,
}

impl Streams {
    /// A new stream for `table`, of view type `view`, open.
    pub(crate) fn create(
        &self,
        table: &str,
        key_schema: Vec<TableKeySchemaElement>,
        view: StreamViewType,
    ) -> StreamSink {
        let mut ms = now_ms();
        // Two streams of a table (or of tables of one name, one deleted and
        // the other created in the same millisecond) never share a label.
        let newest = self
            .all
            .read()
            .iter()
            .filter_map(|s| {
                let s = s.lock();
                (s.table == table).then(|| s.label.clone())
            })
            .max();
        if let Some(newest) = newest {
            while label_of(ms) <= newest {
                ms += 1;
            }
        }
        let label = label_of(ms);
        let n = self.shards.fetch_add(1, Ordering::Relaxed);
        let hash = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        let log = StreamLog {
            arn: format!("{}/stream/{label}", super::catalog::table_arn(table)),
            label,
            table: table.to_string(),
            view,
            key_schema,
            created: ms as f64 / 1000.0,
            shard_id: format!("shardId-{ms:020}-{hash:08x}"),
            start: self.counter.load(Ordering::Relaxed) + 1,
            end: None,
            records: VecDeque::new(),
            bytes: 0,
            cap: MAX_STREAM_BYTES,
            trimmed: 0,
        };
        let log = Arc::new(Mutex::new(log));
        self.all.write().push(log.clone());
        StreamSink {
            log,
            counter: self.counter.clone(),
        }
    }

    /// Closes `log`'s shard.
    pub(crate) fn close(&self, log: &StreamRef) {
        log.lock().close(&self.counter);
    }

    fn find(&self, arn: Option<&str>) -> Option<StreamRef> {
        let arn = arn?;
        self.all.read().iter().find(|s| s.lock().arn == arn).cloned()
    }

    /// `ListStreams`: newest first, as DynamoDB Local lists them.
    pub(crate) fn list_streams(&self, input: ListStreamsInput) -> Result<ListStreamsOutput, Error> {
        let limit = input.limit.unwrap_or(MAX_LIST);
        if limit < 1 {
            return Err(min_one(limit, "limit"));
        }
        if limit > MAX_LIST {
            return Err(invalid(format!(
                "Limit cannot be greater than the maximum allowed size: {MAX_LIST}"
            )));
        }
        let all: Vec<st::Stream> = self
            .all
            .read()
            .iter()
            .rev()
            .map(|s| s.lock().summary())
            .filter(|s| input.table_name.is_none() || s.table_name == input.table_name)
            .collect();
        let from = match &input.exclusive_start_stream_arn {
            Some(arn) => all
                .iter()
                .position(|s| s.stream_arn.as_ref() == Some(arn))
                .map_or(0, |i| i + 1),
            None => 0,
        };
        let page: Vec<st::Stream> = all.iter().skip(from).take(limit as usize).cloned().collect();
        let last = (from + page.len() < all.len())
            .then(|| page.last().and_then(|s| s.stream_arn.clone()))
            .flatten();
        Ok(ListStreamsOutput::builder()
            .set_streams(Some(page))
            .set_last_evaluated_stream_arn(last)
            .build())
    }

    /// `DescribeStream`.
    pub(crate) fn describe_stream(&self, input: DescribeStreamInput) -> Result<DescribeStreamOutput, Error> {
        if let Some(limit) = input.limit {
            if limit < 1 {
                return Err(min_one(limit, "limit"));
            }
            if limit > MAX_LIST {
                return Err(invalid(format!(
                    "Limit cannot be greater than the maximum allowed size: {MAX_LIST}"
                )));
            }
        }
        let arn = input.stream_arn.as_deref().unwrap_or_default();
        let stream = self.find(Some(arn)).ok_or_else(|| {
            Error::ResourceNotFound(format!("Requested resource not found: Stream: {arn} not found").into())
        })?;
        let s = stream.lock();
        let mut shards = Vec::new();
        if input.exclusive_start_shard_id.as_deref() != Some(s.shard_id.as_str()) {
            shards.push(
                st::Shard::builder()
                    .shard_id(&s.shard_id)
                    .sequence_number_range(
                        st::SequenceNumberRange::builder()
                            .starting_sequence_number(sequence(s.start))
                            .set_ending_sequence_number(s.end.map(sequence))
                            .build(),
                    )
                    .build(),
            );
        }
        let key_schema = s
            .key_schema
            .iter()
            .filter_map(|k| {
                st::KeySchemaElement::builder()
                    .attribute_name(&k.attribute_name)
                    .key_type(st::KeyType::from(k.key_type.as_str()))
                    .build()
                    .ok()
            })
            .collect();
        let status = if s.end.is_some() {
            st::StreamStatus::Disabled
        } else {
            st::StreamStatus::Enabled
        };
        let description = st::StreamDescription::builder()
            .stream_arn(&s.arn)
            .stream_label(&s.label)
            .stream_status(status)
            .stream_view_type(st::StreamViewType::from(s.view.as_str()))
            .creation_request_date_time(aws_sdk_dynamodbstreams::primitives::DateTime::from_secs_f64(s.created))
            .table_name(&s.table)
            .set_key_schema(Some(key_schema))
            .set_shards(Some(shards))
            .build();
        Ok(DescribeStreamOutput::builder().stream_description(description).build())
    }

    /// `GetShardIterator`.
    pub(crate) fn get_shard_iterator(&self, input: GetShardIteratorInput) -> Result<GetShardIteratorOutput, Error> {
        let kind = input.shard_iterator_type.clone();
        if let Some(other) = kind.as_ref().filter(|k| {
            !matches!(
                k,
                st::ShardIteratorType::TrimHorizon
                    | st::ShardIteratorType::Latest
                    | st::ShardIteratorType::AtSequenceNumber
                    | st::ShardIteratorType::AfterSequenceNumber
            )
        }) {
            return Err(v(format!(
                "1 validation error detected: Value '{}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
                other.as_str()
            )));
        }
        let Some(kind) = kind else {
            return Err(v(
                "1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
            ));
        };
        let given = match &input.sequence_number {
            Some(s) if s.len() < SEQUENCE_DIGITS || s.len() > 40 || !s.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(v(format!(
                    "1 validation error detected: Value '{s}' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to {SEQUENCE_DIGITS}"
                )));
            }
            // Digits only, at most 40: beyond u64 is past every shard.
            Some(s) => Some(s.parse::<u64>().unwrap_or(u64::MAX)),
            None => None,
        };
        let stream = self.find(input.stream_arn.as_deref()).ok_or_else(stream_not_found)?;
        let s = stream.lock();
        if input.shard_id.as_deref() != Some(s.shard_id.as_str()) {
            return Err(Error::ResourceNotFound("Shard does not exist".into()));
        }
        let by_number = matches!(
            kind,
            st::ShardIteratorType::AtSequenceNumber | st::ShardIteratorType::AfterSequenceNumber
        );
        let at = match (by_number, given) {
            (true, None) => return Err(invalid("Invalid SequenceNumber")),
            (false, Some(_)) => return Err(invalid("SequenceNumber should not be passed for this iterator type")),
            (true, Some(n)) => {
                if n < s.start || n > s.last_seq(&self.counter) {
                    return Err(v("Invalid SequenceNumber for the shard"));
                }
                if n < s.trimmed {
                    return Err(trimmed());
                }
                if kind == st::ShardIteratorType::AfterSequenceNumber {
                    n + 1
                } else {
                    n
                }
            }
            (false, None) if kind == st::ShardIteratorType::Latest => match s.end {
                Some(end) => end + 1,
                None => self.counter.load(Ordering::Relaxed) + 1,
            },
            (false, None) => s.start.max(s.trimmed),
        };
        Ok(GetShardIteratorOutput::builder()
            .shard_iterator(iterator(&s.arn, &s.shard_id, at, now_ms()))
            .build())
    }

    /// `GetRecords`.
    pub(crate) fn get_records(&self, input: GetRecordsInput) -> Result<GetRecordsOutput, Error> {
        let limit = input.limit.unwrap_or(MAX_GET_RECORDS);
        if limit < 1 {
            return Err(min_one(limit, "limit"));
        }
        if limit > MAX_GET_RECORDS {
            return Err(invalid(format!(
                "Limit should be less than or equal to {MAX_GET_RECORDS}"
            )));
        }
        let text = input.shard_iterator.as_deref().unwrap_or_default();
        let position = parse_iterator(text).ok_or_else(|| v("Invalid ShardIterator"))?;
        let stream = self
            .find(Some(position.arn))
            .ok_or_else(|| v("Invalid ShardIterator"))?;
        let mut s = stream.lock();
        if s.shard_id != position.shard {
            return Err(v("Invalid ShardIterator"));
        }
        let now = now_ms();
        if now.saturating_sub(position.issued) > ITERATOR_LIFETIME_MS {
            return Err(Error::Service {
                code: "ExpiredIteratorException".into(),
                message: "Iterator expired. The iterator was created more than 15 minutes ago.".into(),
            });
        }
        s.trim(now_secs());
        if position.at < s.trimmed {
            return Err(trimmed());
        }
        let first = s.records.partition_point(|r| r.seq < position.at);
        let records: Vec<st::Record> = s
            .records
            .iter()
            .skip(first)
            .take(limit as usize)
            .map(|r| to_record(r, &s.view))
            .collect();
        let next = s
            .records
            .get(first + records.len().saturating_sub(1))
            .map(|r| r.seq + 1);
        let next = if records.is_empty() {
            position.at
        } else {
            next.unwrap_or(position.at)
        };
        // A closed shard read to its end has no next iterator.
        let done = s.end.is_some_and(|end| next > end);
        Ok(GetRecordsOutput::builder()
            .set_records(Some(records))
            .set_next_shard_iterator((!done).then(|| iterator(&s.arn, &s.shard_id, next, now)))
            .build())
    }
}

fn trimmed() -> Error {
    Error::Service {
        code: "TrimmedDataAccessException".into(),
        message: "The operation attempted to read past the oldest stream record in a shard.".into(),
    }
}

/// A shard iterator: `<stream ARN>|001|<base64 of shard|sequence|ms>`.
fn iterator(arn: &str, shard: &str, at: u64, issued_ms: u64) -> String {
    let inner = format!("{shard}|{}|{issued_ms:030}", sequence(at));
    format!("{arn}|001|{}", base64::engine::general_purpose::STANDARD.encode(inner))
}

/// Where a shard iterator points.
#[derive(Debug)]
struct Position<'a> {
    arn: &'a str,
    shard: String,
    at: u64,
    issued: u64,
}

fn parse_iterator(text: &str) -> Option<Position<'_>> {
    let (arn, rest) = text.split_once("|001|")?;
    let inner = base64::engine::general_purpose::STANDARD.decode(rest).ok()?;
    let inner = String::from_utf8(inner).ok()?;
    let mut parts = inner.split('|');
    let shard = parts.next()?.to_string();
    let at = parts.next()?.parse().ok()?;
    let issued = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(Position { arn, shard, at, issued })
}

fn to_record(r: &Record, view: &StreamViewType) -> st::Record {
    let name = match r.event {
        Event::Insert => st::OperationType::Insert,
        Event::Modify => st::OperationType::Modify,
        Event::Remove => st::OperationType::Remove,
    };
    // DynamoDB rounds the creation time down to the second.
    let at = aws_sdk_dynamodbstreams::primitives::DateTime::from_secs(r.at.floor() as i64);
    let image = |i: &Item| crate::streams::to_stream_item(i.clone());
    let dynamodb = st::StreamRecord::builder()
        .approximate_creation_date_time(at)
        .set_keys(Some(image(&r.keys)))
        .set_new_image(r.new.as_ref().map(image))
        .set_old_image(r.old.as_ref().map(image))
        .sequence_number(sequence(r.seq))
        .size_bytes(r.size as i64)
        .stream_view_type(st::StreamViewType::from(view.as_str()))
        .build();
    let identity = (r.origin == Origin::Ttl).then(|| {
        st::Identity::builder()
            .r#type("Service")
            .principal_id(TTL_PRINCIPAL)
            .build()
    });
    st::Record::builder()
        .event_id(format!(
            "{:08x}-0000-4000-8000-{:012x}",
            (r.seq >> 48) as u32,
            r.seq & 0xFFFF_FFFF_FFFF
        ))
        .event_name(name)
        .event_version("1.1")
        .event_source("aws:dynamodb")
        .aws_region(REGION)
        .dynamodb(dynamodb)
        .set_user_identity(identity)
        .build()
}

#[cfg(test)]
mod tests;
