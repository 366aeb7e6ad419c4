//! Batch reads and writes of any size: chunked to DynamoDB's limits (100
//! keys, 25 writes), unprocessed items retried with exponential backoff, and
//! whatever still fails handed back to the caller — never dropped.

use std::collections::HashMap;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use tracing::Instrument;

use crate::backend::Backend;
use crate::record::Record;
use crate::sdk::*;
use crate::table::Table;
use crate::{Error, Item};

/// Retry policy for unprocessed batch items and throttling errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts per chunk, the first included.
    pub attempts: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 8,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl Retry {
    fn delay(&self, attempt: u32) -> Duration {
        self.base_delay.saturating_mul(1 << attempt.min(16)).min(self.max_delay)
    }
}

/// Most keys DynamoDB takes in one BatchGetItem.
pub const GET_CHUNK: usize = 100;
/// Most writes DynamoDB takes in one BatchWriteItem.
pub const WRITE_CHUNK: usize = 25;
/// Chunks sent at once.
const CONCURRENCY: usize = 4;

/// The outcome of [`Table::batch_get`].
#[derive(Debug, Clone, PartialEq)]
pub struct BatchGet<R: Record> {
    /// The records found (in no particular order; missing keys are simply
    /// absent).
    pub records: Vec<R>,
    /// Keys still unprocessed after every retry: read them again later.
    pub unprocessed: Vec<R::Key>,
}

/// The outcome of [`Table::batch_write`].
#[derive(Debug, Clone, PartialEq)]
pub struct BatchWrite<R: Record> {
    /// Writes applied.
    pub written: usize,
    /// Records whose put is still unprocessed after every retry.
    pub unprocessed_puts: Vec<R>,
    /// Keys whose delete is still unprocessed after every retry.
    pub unprocessed_deletes: Vec<R::Key>,
}

impl<R: Record> BatchWrite<R> {
    /// True when every write was applied.
    pub fn is_complete(&self) -> bool {
        self.unprocessed_puts.is_empty() && self.unprocessed_deletes.is_empty()
    }
}

impl<R: Record> Table<R> {
    /// Reads any number of records by key, 100 keys per request, with
    /// retries (see [`Retry`]). Duplicate keys are read once.
    pub async fn batch_get(&self, keys: impl IntoIterator<Item = R::Key>) -> Result<BatchGet<R>, Error> {
        self.batch_get_with(keys, Retry::default()).await
    }

    /// [`Table::batch_get`] with a retry policy.
    pub async fn batch_get_with(
        &self,
        keys: impl IntoIterator<Item = R::Key>,
        retry: Retry,
    ) -> Result<BatchGet<R>, Error> {
        let span = crate::trace::typed_call::<R>("batch_get", None);
        self.batch_get_untraced(keys, retry).instrument(span).await
    }

    async fn batch_get_untraced(
        &self,
        keys: impl IntoIterator<Item = R::Key>,
        retry: Retry,
    ) -> Result<BatchGet<R>, Error> {
        self.ensure().await?;
        let mut unique: Vec<(Item, R::Key)> = Vec::new();
        for k in keys {
            let item = R::key_item(&k)?;
            if !unique.iter().any(|(i, _)| *i == item) {
                unique.push((item, k));
            }
        }
        let chunks: Vec<Vec<(Item, R::Key)>> = unique.chunks(GET_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<Result<Fetched<R>, Error>> = stream::iter(chunks)
            .map(|chunk| self.get_chunk(chunk, retry))
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut out = BatchGet {
            records: Vec::new(),
            unprocessed: Vec::new(),
        };
        for r in results {
            let (items, left) = r?;
            for item in items {
                out.records.push(crate::table::record_from::<R>(item)?);
            }
            out.unprocessed.extend(left);
        }
        Ok(out)
    }

    async fn get_chunk(&self, chunk: Vec<(Item, R::Key)>, retry: Retry) -> Result<Fetched<R>, Error> {
        let name = self.name();
        let mut pending: Vec<Item> = chunk.iter().map(|(i, _)| i.clone()).collect();
        let mut found = Vec::new();
        for attempt in 0..retry.attempts {
            if pending.is_empty() {
                break;
            }
            if attempt > 0 {
                tokio::time::sleep(retry.delay(attempt - 1)).await;
            }
            let input = BatchGetItemInput::builder()
                .request_items(
                    name,
                    KeysAndAttributes::builder().set_keys(Some(pending.clone())).build()?,
                )
                .build()?;
            match self.database().batch_get_item(input).await {
                Ok(out) => {
                    found.extend(out.responses.and_then(|mut r| r.remove(name)).unwrap_or_default());
                    pending = out
                        .unprocessed_keys
                        .and_then(|mut u| u.remove(name))
                        .map(|ka| ka.keys)
                        .unwrap_or_default();
                }
                Err(e) if e.is_retryable() => continue,
                Err(e) => return Err(e),
            }
        }
        let left = chunk
            .into_iter()
            .filter(|(i, _)| pending.contains(i))
            .map(|(_, k)| k)
            .collect();
        Ok((found, left))
    }

    /// Writes any number of puts and deletes, 25 per request, with retries
    /// (see [`Retry`]). Within one call the last write of a key wins (a key
    /// put and deleted is deleted if the delete comes last in `deletes`
    /// order after all puts). Whatever is still unprocessed after the retries
    /// comes back in the result. On a table with a version attribute, puts
    /// are refused ([`Error::Validation`], nothing written): a batch cannot
    /// check versions.
    pub async fn batch_write(&self, puts: &[R], deletes: &[R::Key]) -> Result<BatchWrite<R>, Error> {
        self.batch_write_with(puts, deletes, Retry::default()).await
    }

    /// [`Table::batch_write`] with a retry policy.
    pub async fn batch_write_with(&self, puts: &[R], deletes: &[R::Key], retry: Retry) -> Result<BatchWrite<R>, Error> {
        let span = crate::trace::typed_call::<R>("batch_write", None);
        self.batch_write_untraced(puts, deletes, retry).instrument(span).await
    }

    async fn batch_write_untraced(&self, puts: &[R], deletes: &[R::Key], retry: Retry) -> Result<BatchWrite<R>, Error> {
        // BatchWriteItem takes no conditions: puts would overwrite newer
        // versions unseen.
        if let (Some(attr), false) = (R::version_attribute(), puts.is_empty()) {
            return Err(Error::Validation(format!(
                "table {} has the version attribute {attr}: batch puts cannot check it; write its records with put, \
                 save or a transaction",
                self.name()
            )
            .into()));
        }
        self.ensure().await?;
        // One write per key, the last one winning: DynamoDB refuses two
        // writes of one key in a request.
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut writes: Vec<(Item, WriteRequest, Origin<R>)> = Vec::new();
        let key_names: Vec<&str> = std::iter::once(R::schema().hash.name.as_str())
            .chain(R::schema().range.as_ref().map(|r| r.name.as_str()))
            .collect();
        for p in puts {
            let mut r = p.clone();
            r.check()?;
            let item = r.to_item()?;
            let key: Item = key_names
                .iter()
                .filter_map(|n| item.get(*n).map(|v| (n.to_string(), v.clone())))
                .collect();
            let req = WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build()?)
                .build();
            push_write(&mut by_key, &mut writes, key, req, Origin::Put(r));
        }
        for k in deletes {
            let key = R::key_item(k)?;
            let req = WriteRequest::builder()
                .delete_request(DeleteRequest::builder().set_key(Some(key.clone())).build()?)
                .build();
            push_write(&mut by_key, &mut writes, key, req, Origin::Delete(k.clone()));
        }
        let total = writes.len();
        let chunks: Vec<Vec<(Item, WriteRequest, Origin<R>)>> = {
            let mut v = Vec::new();
            let mut it = writes.into_iter().peekable();
            while it.peek().is_some() {
                v.push(it.by_ref().take(WRITE_CHUNK).collect());
            }
            v
        };
        let results: Vec<Result<Vec<Origin<R>>, Error>> = stream::iter(chunks)
            .map(|chunk| self.write_chunk(chunk, retry))
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut out = BatchWrite {
            written: total,
            unprocessed_puts: Vec::new(),
            unprocessed_deletes: Vec::new(),
        };
        for r in results {
            for origin in r? {
                out.written -= 1;
                match origin {
                    Origin::Put(r) => out.unprocessed_puts.push(r),
                    Origin::Delete(k) => out.unprocessed_deletes.push(k),
                }
            }
        }
        Ok(out)
    }

    async fn write_chunk(
        &self,
        chunk: Vec<(Item, WriteRequest, Origin<R>)>,
        retry: Retry,
    ) -> Result<Vec<Origin<R>>, Error> {
        let name = self.name();
        let mut pending: Vec<WriteRequest> = chunk.iter().map(|(_, w, _)| w.clone()).collect();
        for attempt in 0..retry.attempts {
            if pending.is_empty() {
                break;
            }
            if attempt > 0 {
                tokio::time::sleep(retry.delay(attempt - 1)).await;
            }
            let input = BatchWriteItemInput::builder()
                .request_items(name, pending.clone())
                .build()?;
            match self.database().batch_write_item(input).await {
                Ok(out) => {
                    pending = out
                        .unprocessed_items
                        .and_then(|mut u| u.remove(name))
                        .unwrap_or_default();
                }
                Err(e) if e.is_retryable() => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(chunk
            .into_iter()
            .filter(|(_, w, _)| pending.contains(w))
            .map(|(_, _, o)| o)
            .collect())
    }
}

/// Items found and keys left unprocessed by one chunk of a batch get.
type Fetched<R> = (Vec<Item>, Vec<<R as Record>::Key>);

/// Where a write came from, to hand it back typed if it stays unprocessed.
#[derive(Debug, Clone)]
enum Origin<R: Record> {
    Put(R),
    Delete(R::Key),
}

fn key_text(key: &Item) -> String {
    let mut parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    parts.sort();
    parts.join("|")
}

fn push_write<R: Record>(
    by_key: &mut HashMap<String, usize>,
    writes: &mut Vec<(Item, WriteRequest, Origin<R>)>,
    key: Item,
    req: WriteRequest,
    origin: Origin<R>,
) {
    let text = key_text(&key);
    match by_key.get(&text) {
        Some(&i) => writes[i] = (key, req, origin),
        None => {
            by_key.insert(text, writes.len());
            writes.push((key, req, origin));
        }
    }
}
