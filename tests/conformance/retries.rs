//! Batches hand back what DynamoDB leaves unprocessed: a backend that
//! processes only part of each batch shows the retries, and one that never
//! processes anything shows that nothing is dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, MockBackend, Retry, dynamo_table};

dynamo_table! {
    note: Note { hash id: u32, text: String }
}

/// Passes everything to a mock, but leaves the last `hold_back` requests of
/// every batch unprocessed, `stubborn` times in a row (`usize::MAX`: always).
#[derive(Debug)]
struct Stingy {
    inner: MockBackend,
    hold_back: usize,
    stubborn: usize,
    calls: AtomicUsize,
}

#[async_trait]
impl Backend for Stingy {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        self.inner.create_table(input).await
    }
    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        self.inner.describe_table(input).await
    }
    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        self.inner.update_table(input).await
    }
    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        self.inner.delete_table(input).await
    }
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        self.inner.list_tables(input).await
    }
    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        self.inner.get_item(input).await
    }
    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.inner.put_item(input).await
    }
    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        self.inner.update_item(input).await
    }
    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.inner.delete_item(input).await
    }
    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        self.inner.query(input).await
    }
    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        self.inner.scan(input).await
    }
    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        self.inner.transact_get_items(input).await
    }
    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error> {
        self.inner.transact_write_items(input).await
    }
    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        self.inner.update_time_to_live(input).await
    }
    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error> {
        self.inner.describe_time_to_live(input).await
    }

    async fn batch_write_item(&self, mut input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let mut held = std::collections::HashMap::new();
        if n < self.stubborn
            && let Some(map) = input.request_items.as_mut()
        {
            for (table, reqs) in map.iter_mut() {
                let keep = reqs.len().saturating_sub(self.hold_back);
                let rest = reqs.split_off(keep);
                if !rest.is_empty() {
                    held.insert(table.clone(), rest);
                }
            }
            map.retain(|_, reqs| !reqs.is_empty());
        }
        let mut out = if input.request_items.as_ref().is_some_and(|m| !m.is_empty()) {
            self.inner.batch_write_item(input).await?
        } else {
            BatchWriteItemOutput::builder().build()
        };
        out.unprocessed_items = Some(held);
        Ok(out)
    }

    async fn batch_get_item(&self, mut input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let mut held = std::collections::HashMap::new();
        if n < self.stubborn
            && let Some(map) = input.request_items.as_mut()
        {
            for (table, ka) in map.iter_mut() {
                let keep = ka.keys.len().saturating_sub(self.hold_back);
                let rest = ka.keys.split_off(keep);
                if !rest.is_empty() {
                    held.insert(
                        table.clone(),
                        KeysAndAttributes::builder().set_keys(Some(rest)).build().unwrap(),
                    );
                }
            }
            map.retain(|_, ka| !ka.keys.is_empty());
        }
        let mut out = if input.request_items.as_ref().is_some_and(|m| !m.is_empty()) {
            self.inner.batch_get_item(input).await?
        } else {
            BatchGetItemOutput::builder().build()
        };
        out.unprocessed_keys = Some(held);
        Ok(out)
    }
}

fn notes(n: u32) -> Vec<Note> {
    (0..n)
        .map(|id| Note {
            id,
            text: format!("n{id}"),
        })
        .collect()
}

fn fast() -> Retry {
    Retry {
        attempts: 5,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
    }
}

#[tokio::test]
async fn unprocessed_writes_and_reads_are_retried_until_done() {
    let backend = Arc::new(Stingy {
        inner: MockBackend::new(),
        hold_back: 10,
        stubborn: 3,
        calls: AtomicUsize::new(0),
    });
    let db = Database::new(backend.clone(), "r_");
    let table = NoteTable::new(&db);
    let report = table.batch_write_with(&notes(60), &[], fast()).await.unwrap();
    assert!(report.is_complete());
    assert_eq!(report.written, 60);
    assert_eq!(table.count().await.unwrap(), 60);
    let got = table.batch_get_with(0..60, fast()).await.unwrap();
    assert_eq!(got.records.len(), 60);
    assert!(got.unprocessed.is_empty());
}

#[tokio::test]
async fn what_stays_unprocessed_is_handed_back() {
    let backend = Arc::new(Stingy {
        inner: MockBackend::new(),
        hold_back: 5,
        stubborn: usize::MAX,
        calls: AtomicUsize::new(0),
    });
    let db = Database::new(backend, "r_");
    let table = NoteTable::new(&db);
    // 30 writes: chunks of 25 and 5; 5 held back from each, every time.
    let report = table.batch_write_with(&notes(30), &[], fast()).await.unwrap();
    assert_eq!(report.written, 20);
    let mut back: Vec<u32> = report.unprocessed_puts.iter().map(|n| n.id).collect();
    back.sort();
    assert_eq!(back, [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    assert_eq!(table.count().await.unwrap(), 20);
    let got = table.batch_get_with(0..20, fast()).await.unwrap();
    assert_eq!(got.records.len(), 15);
    let mut keys = got.unprocessed.clone();
    keys.sort();
    assert_eq!(keys, [15, 16, 17, 18, 19]);
}
