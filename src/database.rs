//! [`Database`]: the connection. It owns the backend and the table prefix.
//!
//! Every table name that reaches the backend carries the prefix; code above
//! the connection never sees it. `Database` implements [`Backend`] itself, so
//! the whole DynamoDB API is available through it, with unprefixed names.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::Error;
use crate::aws::{AwsBackend, AwsOptions};
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::schema::TableSchema;
use crate::sdk::*;

/// The endpoint of DynamoDB Local when none is given.
pub const DEFAULT_LOCAL_ENDPOINT: &str = "http://localhost:8000";

/// How to connect, for [`Database::connect`].
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// AWS region. `"localhost"` means DynamoDB Local on `host:port`, with
    /// dummy credentials, as in the Python original.
    pub region_name: Option<String>,
    /// DynamoDB Local's host when `region_name` is `"localhost"` (default
    /// `localhost`).
    pub host: Option<String>,
    /// DynamoDB Local's port when `region_name` is `"localhost"` (default 8000).
    pub port: Option<u16>,
    /// Prefix of every table name (`"staging_"`, `"dev_"`, ...).
    pub table_prefix: String,
    /// Further AWS settings (credentials, profile, endpoint, timeouts). The
    /// region above, when set, wins over `aws.region`.
    pub aws: AwsOptions,
}

impl ConnectOptions {
    /// Options with the given region (`"localhost"` for DynamoDB Local).
    pub fn region(region_name: impl Into<String>) -> ConnectOptions {
        ConnectOptions {
            region_name: Some(region_name.into()),
            ..ConnectOptions::default()
        }
    }

    /// With a table prefix.
    #[must_use]
    pub fn table_prefix(mut self, prefix: impl Into<String>) -> ConnectOptions {
        self.table_prefix = prefix.into();
        self
    }

    /// With DynamoDB Local's host and port (for `region_name = "localhost"`).
    #[must_use]
    pub fn local_address(mut self, host: impl Into<String>, port: u16) -> ConnectOptions {
        self.host = Some(host.into());
        self.port = Some(port);
        self
    }
}

/// A connection: a backend and a table prefix. Cheap to clone; clones share
/// the backend and the record of which tables exist.
#[derive(Clone, Debug)]
pub struct Database {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Arc<dyn Backend>,
    prefix: String,
    table_wait: Duration,
    /// Tables known to exist and be ACTIVE, by unprefixed name.
    ensured: Mutex<HashMap<String, Arc<OnceCell<()>>>>,
}

impl Database {
    /// A connection over any backend, with a table prefix (may be empty).
    pub fn new(backend: Arc<dyn Backend>, table_prefix: impl Into<String>) -> Database {
        Database {
            inner: Arc::new(Inner {
                backend,
                prefix: table_prefix.into(),
                table_wait: Duration::from_secs(60),
                ensured: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// A connection to a fresh in-process mock, no prefix.
    pub fn mock() -> Database {
        Database::new(Arc::new(MockBackend::new()), "")
    }

    /// A connection to DynamoDB Local at `endpoint` (e.g.
    /// `http://localhost:8000`), with dummy credentials, no prefix.
    pub fn local(endpoint: &str) -> Database {
        Database::new(Arc::new(AwsBackend::local(endpoint)), "")
    }

    /// A connection as `options` say: DynamoDB Local for `region_name =
    /// "localhost"`, otherwise AWS through aws-config's default chain with
    /// the given overrides.
    pub async fn connect(options: ConnectOptions) -> Database {
        let backend: Arc<dyn Backend> = if options.region_name.as_deref() == Some("localhost") {
            let host = options.host.as_deref().unwrap_or("localhost");
            let port = options.port.unwrap_or(8000);
            Arc::new(AwsBackend::local(&format!("http://{host}:{port}")))
        } else {
            let mut aws = options.aws.clone();
            if let Some(region) = &options.region_name {
                aws.region = Some(region.clone());
            }
            Arc::new(AwsBackend::connect(aws).await)
        };
        Database::new(backend, options.table_prefix)
    }

    /// The connection tests use: a fresh mock, unless the environment variable
    /// `DYNAMODB_MOCK` is set to the empty string; then DynamoDB Local at
    /// `DYNAMODB_ENDPOINT` (default `http://localhost:8000`). No prefix.
    pub fn from_env() -> Database {
        match std::env::var("DYNAMODB_MOCK") {
            Ok(v) if v.is_empty() => {
                let endpoint = std::env::var("DYNAMODB_ENDPOINT")
                    .ok()
                    .filter(|e| !e.is_empty())
                    .unwrap_or_else(|| DEFAULT_LOCAL_ENDPOINT.to_string());
                Database::local(&endpoint)
            }
            _ => Database::mock(),
        }
    }

    /// True when [`Database::from_env`] would pick DynamoDB Local.
    pub fn env_is_local() -> bool {
        matches!(std::env::var("DYNAMODB_MOCK"), Ok(v) if v.is_empty())
    }

    /// The same backend under another prefix. The two connections see
    /// different tables (unless one prefix extends the other).
    pub fn with_prefix(&self, table_prefix: impl Into<String>) -> Database {
        Database {
            inner: Arc::new(Inner {
                backend: self.inner.backend.clone(),
                prefix: table_prefix.into(),
                table_wait: self.inner.table_wait,
                ensured: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The same connection with another bound on the wait for a table to
    /// become ACTIVE after creating it (default 60 s).
    pub fn with_table_wait(&self, wait: Duration) -> Database {
        Database {
            inner: Arc::new(Inner {
                backend: self.inner.backend.clone(),
                prefix: self.inner.prefix.clone(),
                table_wait: wait,
                ensured: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The table prefix.
    pub fn prefix(&self) -> &str {
        &self.inner.prefix
    }

    /// The backend, which sees full (prefixed) names.
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.inner.backend
    }

    /// The full name of table `name`: the prefix followed by the name.
    pub fn full_name(&self, name: &str) -> String {
        format!("{}{}", self.inner.prefix, name)
    }

    fn strip<'a>(&self, full: &'a str) -> &'a str {
        full.strip_prefix(self.inner.prefix.as_str()).unwrap_or(full)
    }

    fn add(&self, name: Option<String>) -> Option<String> {
        name.map(|n| self.full_name(&n))
    }

    fn sub(&self, name: Option<String>) -> Option<String> {
        name.map(|n| self.strip(&n).to_string())
    }

    fn add_keys<V>(&self, map: Option<HashMap<String, V>>) -> Option<HashMap<String, V>> {
        map.map(|m| m.into_iter().map(|(k, v)| (self.full_name(&k), v)).collect())
    }

    fn sub_keys<V>(&self, map: Option<HashMap<String, V>>) -> Option<HashMap<String, V>> {
        map.map(|m| m.into_iter().map(|(k, v)| (self.strip(&k).to_string(), v)).collect())
    }

    fn sub_description(&self, d: Option<TableDescription>) -> Option<TableDescription> {
        d.map(|mut d| {
            d.table_name = self.sub(d.table_name.take());
            d
        })
    }

    fn sub_capacity(&self, c: Option<ConsumedCapacity>) -> Option<ConsumedCapacity> {
        c.map(|mut c| {
            c.table_name = self.sub(c.table_name.take());
            c
        })
    }

    fn sub_capacities(&self, c: Option<Vec<ConsumedCapacity>>) -> Option<Vec<ConsumedCapacity>> {
        c.map(|v| v.into_iter().filter_map(|c| self.sub_capacity(Some(c))).collect())
    }

    /// Makes sure the declared table exists and is ACTIVE, creating it with
    /// its indexes and billing if it does not. Checked once per connection
    /// (and its clones); concurrent first uses create it once, and a table
    /// created meanwhile by someone else is fine. Waits at most the table
    /// wait (see [`Database::with_table_wait`]), then fails with
    /// [`Error::TableNotActive`]. A schema that declares a TTL attribute
    /// has TTL turned on with it if the table has TTL off.
    pub async fn ensure_table(&self, schema: &TableSchema) -> Result<(), Error> {
        let cell = {
            let mut map = self.inner.ensured.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(schema.name.clone()).or_default().clone()
        };
        cell.get_or_try_init(|| self.create_if_missing(schema))
            .await
            .map(|_| ())
    }

    /// Forgets which tables were found to exist, so the next
    /// [`Database::ensure_table`] checks again (after deleting tables).
    pub fn forget_tables(&self) {
        self.inner.ensured.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    async fn create_if_missing(&self, schema: &TableSchema) -> Result<(), Error> {
        let full = self.full_name(&schema.name);
        let span = tracing::debug_span!("ensure_table", table = %full);
        let _enter = span.enter();
        match self.describe_status(&full).await? {
            Some(TableStatus::Active) => {}
            Some(_) => self.wait_active(&schema.name).await?,
            None => {
                let input = schema.create_table_input(&full)?;
                match self.inner.backend.create_table(input).await {
                    Ok(_) | Err(Error::ResourceInUse(_)) => {}
                    Err(e) => return Err(e),
                }
                self.wait_active(&schema.name).await?;
            }
        }
        self.ensure_ttl(schema).await
    }

    /// Turns on the TTL a schema declares, if the table has TTL off (a table
    /// whose TTL is on, on whatever attribute, is left as it is).
    async fn ensure_ttl(&self, schema: &TableSchema) -> Result<(), Error> {
        let Some(attribute) = &schema.ttl else {
            return Ok(());
        };
        let full = self.full_name(&schema.name);
        let describe = DescribeTimeToLiveInput::builder().table_name(&full).build()?;
        let status = self
            .inner
            .backend
            .describe_time_to_live(describe)
            .await?
            .time_to_live_description
            .and_then(|d| d.time_to_live_status);
        if !matches!(status, None | Some(TimeToLiveStatus::Disabled)) {
            return Ok(());
        }
        let spec = TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name(attribute)
            .build()?;
        let update = UpdateTimeToLiveInput::builder()
            .table_name(&full)
            .time_to_live_specification(spec)
            .build()?;
        match self.inner.backend.update_time_to_live(update).await {
            Ok(_) => Ok(()),
            // Another process turned it on in the meantime.
            Err(Error::Validation(m)) if m.contains("already enabled") => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn describe_status(&self, full: &str) -> Result<Option<TableStatus>, Error> {
        let input = DescribeTableInput::builder()
            .table_name(full)
            .build()
            .map_err(|e| Error::Validation(e.to_string().into()))?;
        match self.inner.backend.describe_table(input).await {
            Ok(out) => Ok(Some(
                out.table.and_then(|t| t.table_status).unwrap_or(TableStatus::Active),
            )),
            Err(Error::ResourceNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits until table `name` (unprefixed) is ACTIVE, polling DescribeTable,
    /// for at most the connection's table wait.
    pub async fn wait_active(&self, name: &str) -> Result<(), Error> {
        let full = self.full_name(name);
        let start = Instant::now();
        let mut delay = Duration::from_millis(20);
        loop {
            if let Some(TableStatus::Active) = self.describe_status(&full).await? {
                return Ok(());
            }
            if start.elapsed() >= self.inner.table_wait {
                return Err(Error::TableNotActive {
                    table: name.to_string(),
                    waited_ms: start.elapsed().as_millis(),
                });
            }
            tokio::time::sleep(delay.min(self.inner.table_wait.saturating_sub(start.elapsed()))).await;
            delay = (delay * 2).min(Duration::from_secs(1));
        }
    }

    /// Every table of this prefix (names without the prefix), following
    /// ListTables pages.
    pub async fn table_names(&self) -> Result<Vec<String>, Error> {
        let mut names = Vec::new();
        let mut start: Option<String> = None;
        loop {
            let out = self
                .list_tables(
                    ListTablesInput::builder()
                        .set_exclusive_start_table_name(start.take())
                        .build()
                        .map_err(|e| Error::Validation(e.to_string().into()))?,
                )
                .await?;
            names.extend(out.table_names.unwrap_or_default());
            match out.last_evaluated_table_name {
                Some(last) => start = Some(last),
                None => return Ok(names),
            }
        }
    }
}

fn tx_write_prefix(db: &Database, item: TransactWriteItem) -> TransactWriteItem {
    let mut item = item;
    if let Some(p) = item.put.as_mut() {
        p.table_name = db.full_name(&p.table_name);
    }
    if let Some(u) = item.update.as_mut() {
        u.table_name = db.full_name(&u.table_name);
    }
    if let Some(d) = item.delete.as_mut() {
        d.table_name = db.full_name(&d.table_name);
    }
    if let Some(c) = item.condition_check.as_mut() {
        c.table_name = db.full_name(&c.table_name);
    }
    item
}

#[async_trait]
impl Backend for Database {
    async fn create_table(&self, mut input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.create_table(input).await?;
        out.table_description = self.sub_description(out.table_description);
        Ok(out)
    }

    async fn describe_table(&self, mut input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.describe_table(input).await?;
        out.table = self.sub_description(out.table);
        Ok(out)
    }

    async fn update_table(&self, mut input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.update_table(input).await?;
        out.table_description = self.sub_description(out.table_description);
        Ok(out)
    }

    async fn delete_table(&self, mut input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        if let Some(name) = &input.table_name {
            self.inner
                .ensured
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(name);
        }
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.delete_table(input).await?;
        out.table_description = self.sub_description(out.table_description);
        Ok(out)
    }

    /// Lists this prefix's tables only, names without the prefix, paging by
    /// unprefixed names: `Limit` and `ExclusiveStartTableName` mean what they
    /// mean on an unprefixed account.
    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        let limit = input.limit.unwrap_or(100);
        if !(1..=100).contains(&limit) {
            // Let the backend word the error.
            return self.inner.backend.list_tables(input).await;
        }
        let prefix = self.inner.prefix.as_str();
        let mut start = input.exclusive_start_table_name.map(|s| self.full_name(&s));
        if start.is_none() && !prefix.is_empty() {
            // Names sort bytewise: start just before the first name with the prefix.
            start = Some(prefix.to_string());
        }
        let mut names = Vec::new();
        let mut more = false;
        'pages: loop {
            let page = self
                .inner
                .backend
                .list_tables(
                    ListTablesInput::builder()
                        .set_exclusive_start_table_name(start.take())
                        .limit(100)
                        .build()
                        .map_err(|e| Error::Validation(e.to_string().into()))?,
                )
                .await?;
            let last = page.last_evaluated_table_name;
            for name in page.table_names.unwrap_or_default() {
                match name.strip_prefix(prefix) {
                    Some(short) if !short.is_empty() => {
                        if names.len() == limit as usize {
                            more = true;
                            break 'pages;
                        }
                        names.push(short.to_string());
                    }
                    _ if name.as_str() > prefix => break 'pages,
                    _ => {}
                }
            }
            match last {
                Some(l) => start = Some(l),
                None => break,
            }
        }
        let last = if more { names.last().cloned() } else { None };
        Ok(ListTablesOutput::builder()
            .set_table_names(Some(names))
            .set_last_evaluated_table_name(last)
            .build())
    }

    async fn get_item(&self, mut input: GetItemInput) -> Result<GetItemOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.get_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn put_item(&self, mut input: PutItemInput) -> Result<PutItemOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.put_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn update_item(&self, mut input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.update_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn delete_item(&self, mut input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.delete_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn query(&self, mut input: QueryInput) -> Result<QueryOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.query(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn scan(&self, mut input: ScanInput) -> Result<ScanOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.scan(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn batch_get_item(&self, mut input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        input.request_items = self.add_keys(input.request_items);
        let mut out = self.inner.backend.batch_get_item(input).await?;
        out.responses = self.sub_keys(out.responses);
        out.unprocessed_keys = self.sub_keys(out.unprocessed_keys);
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        Ok(out)
    }

    async fn batch_write_item(&self, mut input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        input.request_items = self.add_keys(input.request_items);
        let mut out = self.inner.backend.batch_write_item(input).await?;
        out.unprocessed_items = self.sub_keys(out.unprocessed_items);
        out.item_collection_metrics = self.sub_keys(out.item_collection_metrics);
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        Ok(out)
    }

    async fn transact_get_items(&self, mut input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        input.transact_items = input.transact_items.map(|items| {
            items
                .into_iter()
                .map(|mut t| {
                    if let Some(g) = t.get.as_mut() {
                        g.table_name = self.full_name(&g.table_name);
                    }
                    t
                })
                .collect()
        });
        let mut out = self.inner.backend.transact_get_items(input).await?;
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        Ok(out)
    }

    async fn transact_write_items(
        &self,
        mut input: TransactWriteItemsInput,
    ) -> Result<TransactWriteItemsOutput, Error> {
        input.transact_items = input
            .transact_items
            .map(|items| items.into_iter().map(|t| tx_write_prefix(self, t)).collect());
        let mut out = self.inner.backend.transact_write_items(input).await?;
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        out.item_collection_metrics = self.sub_keys(out.item_collection_metrics);
        Ok(out)
    }

    async fn update_time_to_live(&self, mut input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        input.table_name = self.add(input.table_name);
        self.inner.backend.update_time_to_live(input).await
    }

    async fn describe_time_to_live(
        &self,
        mut input: DescribeTimeToLiveInput,
    ) -> Result<DescribeTimeToLiveOutput, Error> {
        input.table_name = self.add(input.table_name);
        self.inner.backend.describe_time_to_live(input).await
    }
}
