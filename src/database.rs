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
use crate::trace::Traced;

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
    /// What every request through the connection asks DynamoDB to report of
    /// the capacity it consumed (`ReturnConsumedCapacity`), unless the
    /// request says itself; `None` (the default) asks for nothing. The
    /// reported units are recorded on the operation's `dynamodb` span (see
    /// [`crate::trace`]) and left in the answers of the raw API.
    pub consumed_capacity: Option<ReturnConsumedCapacity>,
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

    /// Asking DynamoDB for the consumed capacity of every request
    /// ([`ConnectOptions::consumed_capacity`]), e.g.
    /// `ReturnConsumedCapacity::Total`.
    #[must_use]
    pub fn consumed_capacity(mut self, what: ReturnConsumedCapacity) -> ConnectOptions {
        self.consumed_capacity = Some(what);
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

/// What [`Database::ensure_table`] does with a declared table that does not
/// exist. Either way, a table that exists is checked against its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableCreation {
    /// Create it, with its indexes, billing and TTL, and wait until it is
    /// ACTIVE (the default: write and deploy the new code).
    #[default]
    Create,
    /// Create nothing: a missing table is [`Error::TableMissing`]. For
    /// production, where tables are deployed by other means.
    RequireExisting,
}

/// The environment variable [`Database::for_tests`] reads: `mock` or `local`.
pub const TEST_BACKEND_VAR: &str = "DYNAMODB_TEST_BACKEND";

/// The environment variable holding DynamoDB Local's endpoint, for
/// [`Database::from_env`] and [`Database::for_tests`].
pub const ENDPOINT_VAR: &str = "DYNAMODB_ENDPOINT";

/// The variable that chose the test backend before [`TEST_BACKEND_VAR`]
/// (set to the empty string, it meant DynamoDB Local); no longer read,
/// except to refuse the old spelling of "local" rather than silently test on
/// the mock.
const OLD_MOCK_VAR: &str = "DYNAMODB_MOCK";

/// An environment variable's value, `None` when unset, empty or not UTF-8.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Where [`Database::from_env`] connects, decided from the environment by
/// [`EnvBackend::choose`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvBackend {
    /// AWS, configured by aws-config's default chain (`AWS_REGION`,
    /// `AWS_PROFILE`, credentials files, instance and container metadata,
    /// `AWS_ENDPOINT_URL_DYNAMODB`, ...).
    Aws,
    /// DynamoDB Local (or any endpoint speaking its protocol, such as the
    /// mock server) at this endpoint, with dummy credentials.
    Local {
        /// The endpoint, e.g. `http://localhost:8000`.
        endpoint: String,
    },
}

impl EnvBackend {
    /// The choice for the value of `DYNAMODB_ENDPOINT` (`None` when unset):
    /// DynamoDB Local at that endpoint when set and not blank, otherwise AWS.
    pub fn choose(dynamodb_endpoint: Option<&str>) -> EnvBackend {
        match dynamodb_endpoint.map(str::trim).filter(|e| !e.is_empty()) {
            Some(endpoint) => EnvBackend::Local {
                endpoint: endpoint.to_string(),
            },
            None => EnvBackend::Aws,
        }
    }

    /// The choice for this process's environment.
    pub fn from_env() -> EnvBackend {
        EnvBackend::choose(env_value(ENDPOINT_VAR).as_deref())
    }
}

/// Which backend [`Database::for_tests`] connects to, decided from the
/// environment by [`TestBackend::choose`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestBackend {
    /// A fresh in-process mock (the default).
    Mock,
    /// DynamoDB Local at this endpoint, with dummy credentials.
    Local {
        /// The endpoint, e.g. `http://localhost:8000`.
        endpoint: String,
    },
}

impl TestBackend {
    /// The choice for the values of `DYNAMODB_TEST_BACKEND`,
    /// `DYNAMODB_ENDPOINT` and the retired `DYNAMODB_MOCK` (each `None` when
    /// unset): `mock` (or unset, or blank) is the mock; `local` is DynamoDB
    /// Local at `DYNAMODB_ENDPOINT` (default [`DEFAULT_LOCAL_ENDPOINT`]);
    /// case and surrounding spaces do not matter. Anything else is
    /// [`Error::InvalidEnv`], and so is `DYNAMODB_MOCK` set to the empty
    /// string (its old way of asking for DynamoDB Local) with
    /// `DYNAMODB_TEST_BACKEND` unset: a run meant for Local must not pass
    /// on the mock.
    pub fn choose(
        test_backend: Option<&str>,
        dynamodb_endpoint: Option<&str>,
        dynamodb_mock: Option<&str>,
    ) -> Result<TestBackend, Error> {
        let local = || TestBackend::Local {
            endpoint: dynamodb_endpoint
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .unwrap_or(DEFAULT_LOCAL_ENDPOINT)
                .to_string(),
        };
        match test_backend.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") => match dynamodb_mock {
                Some(old) if old.trim().is_empty() => Err(Error::InvalidEnv {
                    variable: OLD_MOCK_VAR.to_string(),
                    value: old.to_string(),
                    expected: format!("no longer read: set {TEST_BACKEND_VAR}=local for DynamoDB Local"),
                }),
                _ => Ok(TestBackend::Mock),
            },
            Some("mock") => Ok(TestBackend::Mock),
            Some("local") => Ok(local()),
            Some(_) => Err(Error::InvalidEnv {
                variable: TEST_BACKEND_VAR.to_string(),
                value: test_backend.unwrap_or_default().to_string(),
                expected: "expected mock or local".to_string(),
            }),
        }
    }

    /// The choice for this process's environment.
    pub fn from_env() -> Result<TestBackend, Error> {
        TestBackend::choose(
            std::env::var(TEST_BACKEND_VAR).ok().as_deref(),
            std::env::var(ENDPOINT_VAR).ok().as_deref(),
            std::env::var(OLD_MOCK_VAR).ok().as_deref(),
        )
    }

    /// True for DynamoDB Local.
    pub fn is_local(&self) -> bool {
        matches!(self, TestBackend::Local { .. })
    }

    /// A connection to this backend, no prefix.
    pub fn connect(&self) -> Database {
        match self {
            TestBackend::Mock => Database::mock(),
            TestBackend::Local { endpoint } => Database::local(endpoint),
        }
    }
}

/// A connection: a backend and a table prefix. Cheap to clone; clones share
/// the backend and the record of which tables exist.
#[derive(Clone, Debug)]
pub struct Database {
    inner: Arc<Inner>,
}

/// Set once a declaration's table was found ACTIVE and as declared.
type Ensured = Arc<OnceCell<()>>;

#[derive(Debug)]
struct Inner {
    /// The backend, traced: what [`Database::backend`] hands out.
    backend: Arc<dyn Backend>,
    /// The same object as `backend`, for the item operations' direct calls.
    traced: Arc<Traced>,
    prefix: String,
    table_wait: Duration,
    creation: TableCreation,
    /// `ReturnConsumedCapacity` for requests that do not say.
    consumed_capacity: Option<ReturnConsumedCapacity>,
    /// Declarations whose table was found ACTIVE and as declared. Keyed by
    /// the whole declaration: two declarations of one table (two record
    /// types sharing it) are each checked.
    ensured: Mutex<HashMap<TableSchema, Arc<OnceCell<()>>>>,
    /// The same cells for declarations that live for the whole program (a
    /// record's [`crate::Record::schema`]), found by address: the typed API
    /// checks one per call, and hashing a whole declaration each time cost
    /// more than the mock's read of an item.
    ensured_static: Mutex<Vec<(&'static TableSchema, Ensured)>>,
}

impl Database {
    /// A connection over any backend, with a table prefix (may be empty).
    /// Every operation on the backend runs in a [`tracing`] span (see
    /// [`crate::trace`]).
    pub fn new(backend: Arc<dyn Backend>, table_prefix: impl Into<String>) -> Database {
        let traced = Arc::new(Traced::new(backend));
        Database {
            inner: Arc::new(Inner {
                backend: traced.clone(),
                traced,
                prefix: table_prefix.into(),
                table_wait: Duration::from_secs(60),
                creation: TableCreation::Create,
                consumed_capacity: None,
                ensured: Mutex::new(HashMap::new()),
                ensured_static: Mutex::new(Vec::new()),
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
        Database::new(backend, options.table_prefix).with_consumed_capacity(options.consumed_capacity)
    }

    /// The connection an application reads from its environment: AWS, with
    /// aws-config's default chain (region, credentials and endpoint from
    /// `AWS_*` variables, profiles, instance metadata), as any AWS SDK
    /// client; or, when `DYNAMODB_ENDPOINT` is set, DynamoDB Local at that
    /// endpoint with dummy credentials (see [`EnvBackend::choose`]). No
    /// prefix (add one with [`Database::with_prefix`]).
    ///
    /// Nothing is contacted yet: missing credentials or an unreachable
    /// endpoint show up as [`Error::Transport`] on the first call. For the
    /// mock in tests, see [`Database::for_tests`].
    pub async fn from_env() -> Database {
        match EnvBackend::from_env() {
            EnvBackend::Aws => Database::new(Arc::new(AwsBackend::from_env().await), ""),
            EnvBackend::Local { endpoint } => Database::local(&endpoint),
        }
    }

    /// The connection tests use, as the Python original's test runner chose
    /// it: a fresh in-process mock by default; DynamoDB Local when
    /// `DYNAMODB_TEST_BACKEND=local`, at `DYNAMODB_ENDPOINT` (default
    /// `http://localhost:8000`). No prefix. Never AWS. An unknown value is
    /// [`Error::InvalidEnv`] (see [`TestBackend::choose`]).
    pub fn for_tests() -> Result<Database, Error> {
        Ok(TestBackend::from_env()?.connect())
    }

    /// A connection sharing this one's backend, with the given settings and
    /// no memory of which tables were checked.
    fn derive(&self, prefix: String, table_wait: Duration, creation: TableCreation) -> Database {
        Database {
            inner: Arc::new(Inner {
                backend: self.inner.backend.clone(),
                traced: self.inner.traced.clone(),
                prefix,
                table_wait,
                creation,
                consumed_capacity: self.inner.consumed_capacity.clone(),
                ensured: Mutex::new(HashMap::new()),
                ensured_static: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The same backend under another prefix. The two connections see
    /// different tables (unless one prefix extends the other).
    pub fn with_prefix(&self, table_prefix: impl Into<String>) -> Database {
        self.derive(table_prefix.into(), self.inner.table_wait, self.inner.creation)
    }

    /// The same connection with another bound on the wait for a table to
    /// become ACTIVE after creating it (default 60 s).
    pub fn with_table_wait(&self, wait: Duration) -> Database {
        self.derive(self.inner.prefix.clone(), wait, self.inner.creation)
    }

    /// The same connection with another policy for declared tables that do
    /// not exist: [`TableCreation::Create`] (the default) creates them on
    /// first use, [`TableCreation::RequireExisting`] fails with
    /// [`Error::TableMissing`]. Existing tables are checked against their
    /// declaration either way.
    pub fn with_table_creation(&self, creation: TableCreation) -> Database {
        self.derive(self.inner.prefix.clone(), self.inner.table_wait, creation)
    }

    /// The same connection asking DynamoDB for `what` of the consumed
    /// capacity on every request that does not say itself (`None`: nothing
    /// asked), as [`ConnectOptions::consumed_capacity`] does.
    pub fn with_consumed_capacity(&self, what: Option<ReturnConsumedCapacity>) -> Database {
        let mut db = self.derive(self.inner.prefix.clone(), self.inner.table_wait, self.inner.creation);
        if let Some(inner) = Arc::get_mut(&mut db.inner) {
            inner.consumed_capacity = what;
        }
        db
    }

    /// What this connection asks DynamoDB to report of the consumed capacity
    /// (`ReturnConsumedCapacity`) on requests that do not say; `None` for
    /// nothing.
    pub fn consumed_capacity(&self) -> Option<ReturnConsumedCapacity> {
        self.inner.consumed_capacity.clone()
    }

    /// The AWS SDK client of a connection to AWS or DynamoDB Local, for what
    /// this library does not cover; `None` on the in-process mock. The
    /// client knows nothing of the table prefix: name tables by
    /// [`Database::full_name`].
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
    /// let db = dynamo_objects::Database::local("http://localhost:8000").with_prefix("dev_");
    /// if let Some(client) = db.aws_client() {
    ///     let limits = client.describe_limits().send().await?;
    ///     let _ = (limits, db.full_name("user"));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn aws_client(&self) -> Option<&aws_sdk_dynamodb::Client> {
        self.inner.backend.aws_client()
    }

    /// Fills in the connection's `ReturnConsumedCapacity` when a request
    /// does not say.
    fn ask_capacity(&self, asked: &mut Option<ReturnConsumedCapacity>) {
        if asked.is_none() {
            asked.clone_from(&self.inner.consumed_capacity);
        }
    }

    /// This connection's policy for missing tables.
    pub fn table_creation(&self) -> TableCreation {
        self.inner.creation
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
        // The name's own buffer, the prefix put in front (none to put without one).
        name.map(|mut n| {
            n.insert_str(0, &self.inner.prefix);
            n
        })
    }

    fn sub(&self, name: Option<String>) -> Option<String> {
        name.map(|mut n| {
            if n.starts_with(self.inner.prefix.as_str()) {
                n.drain(..self.inner.prefix.len());
            }
            n
        })
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

    /// Makes sure the declared table exists, is ACTIVE and is as declared.
    ///
    /// A table that does not exist is created with its indexes and billing
    /// (unless the connection says [`TableCreation::RequireExisting`]: then
    /// [`Error::TableMissing`]). A table that exists is compared with the
    /// declaration ([`TableSchema::differences`]: keys, declared indexes and
    /// their projections; extra indexes, billing and throughput are fine) and
    /// a difference is [`Error::SchemaMismatch`] naming the table and each
    /// difference. Checked once per connection (and its clones) and
    /// declaration, until it succeeds; concurrent first uses create it once, and a table created
    /// meanwhile by someone else is fine. Waits at most the table wait (see
    /// [`Database::with_table_wait`]), then fails with
    /// [`Error::TableNotActive`]. A schema that declares a TTL attribute has
    /// TTL turned on with it if the table has TTL off.
    pub async fn ensure_table(&self, schema: &TableSchema) -> Result<(), Error> {
        let cell = self.cell(schema);
        cell.get_or_try_init(|| self.ensure_once(schema)).await.map(|_| ())
    }

    /// [`Database::ensure_table`] of a declaration that lives as long as the
    /// program (the typed API's).
    pub(crate) async fn ensure_static(&self, schema: &'static TableSchema) -> Result<(), Error> {
        let cell = {
            let mut cells = self.inner.ensured_static.lock().unwrap_or_else(|e| e.into_inner());
            match cells.iter().find(|(s, _)| std::ptr::eq(*s, schema)) {
                Some((_, cell)) => cell.clone(),
                None => {
                    let cell = self.cell(schema);
                    cells.push((schema, cell.clone()));
                    cell
                }
            }
        };
        cell.get_or_try_init(|| self.ensure_once(schema)).await.map(|_| ())
    }

    /// The cell of `schema` in [`Inner::ensured`].
    fn cell(&self, schema: &TableSchema) -> Arc<OnceCell<()>> {
        let mut map = self.inner.ensured.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(schema) {
            Some(cell) => cell.clone(),
            None => map.entry(schema.clone()).or_default().clone(),
        }
    }

    /// [`Database::ensure_table`] for every table of `schemas`, all at once:
    /// missing tables are created together and waited for until every one
    /// is ACTIVE, existing ones are checked. Each table is tried whatever
    /// happens to the others; the result is the first error in the order
    /// given, if any. With the typed API, pass each record type's
    /// [`crate::Record::schema`]:
    ///
    /// ```
    /// # use dynamo_objects::{dynamo_table, Database, Error, Record};
    /// dynamo_table! {
    ///     /// A user.
    ///     user: User { hash id: String, name: String }
    ///     /// An order.
    ///     order: Order { hash user_id: String, range at: u64 }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// let db = Database::mock();
    /// db.ensure_tables([User::schema(), Order::schema()]).await?;
    /// assert_eq!(db.table_names().await?, ["order", "user"]);
    /// # Ok(()) }
    /// ```
    pub async fn ensure_tables<'a>(&self, schemas: impl IntoIterator<Item = &'a TableSchema>) -> Result<(), Error> {
        let results = futures::future::join_all(schemas.into_iter().map(|s| self.ensure_table(s))).await;
        results.into_iter().collect()
    }

    /// Forgets which tables were found to exist, so the next
    /// [`Database::ensure_table`] checks again (after deleting tables).
    pub fn forget_tables(&self) {
        self.inner.ensured.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.inner
            .ensured_static
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    async fn ensure_once(&self, schema: &TableSchema) -> Result<(), Error> {
        let full = self.full_name(&schema.name);
        let span = tracing::debug_span!("ensure_table", table = %full);
        let _enter = span.enter();
        let table = match self.describe(&full).await? {
            Some(table) if table_is_active(&table) => table,
            Some(_) => self.wait_active_description(&schema.name).await?,
            None => {
                if self.inner.creation == TableCreation::RequireExisting {
                    return Err(Error::TableMissing { table: full });
                }
                let input = schema.create_table_input(&full)?;
                match self.inner.backend.create_table(input).await {
                    // Someone else may have created it meanwhile, perhaps otherwise: checked below.
                    Ok(_) | Err(Error::ResourceInUse(_)) => {}
                    Err(e) => return Err(e),
                }
                self.wait_active_description(&schema.name).await?
            }
        };
        let differences = schema.differences(&table);
        if !differences.is_empty() {
            return Err(Error::SchemaMismatch {
                table: full,
                differences,
            });
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

    /// The table's description, `None` if it does not exist.
    async fn describe(&self, full: &str) -> Result<Option<TableDescription>, Error> {
        let input = DescribeTableInput::builder().table_name(full).build()?;
        match self.inner.backend.describe_table(input).await {
            Ok(out) => Ok(Some(out.table.unwrap_or_else(|| TableDescription::builder().build()))),
            Err(Error::ResourceNotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits until table `name` (unprefixed) is ACTIVE, polling DescribeTable,
    /// for at most the connection's table wait.
    pub async fn wait_active(&self, name: &str) -> Result<(), Error> {
        self.wait_active_description(name).await.map(|_| ())
    }

    /// [`Database::wait_active`], returning the ACTIVE table's description.
    async fn wait_active_description(&self, name: &str) -> Result<TableDescription, Error> {
        let full = self.full_name(name);
        let start = Instant::now();
        let mut delay = Duration::from_millis(20);
        loop {
            if let Some(table) = self.describe(&full).await?
                && table_is_active(&table)
            {
                return Ok(table);
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

/// True when DescribeTable says ACTIVE (or says no status at all).
/// The table and every global index ACTIVE (an index still being created or
/// updated answers queries only once it is).
fn table_is_active(table: &TableDescription) -> bool {
    matches!(table.table_status, None | Some(TableStatus::Active))
        && table
            .global_secondary_indexes()
            .iter()
            .all(|i| matches!(i.index_status, None | Some(IndexStatus::Active)))
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

/// The item operations the typed API makes (put, delete and the `_into`
/// reads and update), as plain `async fn`s rather than the trait's boxed
/// futures: the typed API calls these, so that a call boxes one future (the
/// wrapped backend's) instead of one per layer. The trait's methods call
/// them too.
impl Database {
    pub(crate) async fn direct_put_item(&self, mut input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_put_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    pub(crate) async fn direct_delete_item(&self, mut input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_delete_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    pub(crate) async fn direct_get_item_into(
        &self,
        mut input: GetItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<GetItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_get_item_into(input, sink).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    pub(crate) async fn direct_update_item_into(
        &self,
        mut input: UpdateItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<UpdateItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_update_item_into(input, sink).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    pub(crate) async fn direct_query_into(
        &self,
        mut input: QueryInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<QueryOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_query_into(input, sink).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    pub(crate) async fn direct_scan_into(
        &self,
        mut input: ScanInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<ScanOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.traced.traced_scan_into(input, sink).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }
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
                .retain(|schema, _| &schema.name != name);
            self.inner
                .ensured_static
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|(schema, _)| &schema.name != name);
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
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.get_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        self.direct_put_item(input).await
    }

    async fn update_item(&self, mut input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.update_item(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        self.direct_delete_item(input).await
    }

    async fn query(&self, mut input: QueryInput) -> Result<QueryOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.query(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn scan(&self, mut input: ScanInput) -> Result<ScanOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.scan(input).await?;
        out.consumed_capacity = self.sub_capacity(out.consumed_capacity);
        Ok(out)
    }

    async fn get_item_into(&self, input: GetItemInput, sink: &mut crate::ItemSink<'_>) -> Result<GetItemOutput, Error> {
        self.direct_get_item_into(input, sink).await
    }

    async fn update_item_into(
        &self,
        input: UpdateItemInput,
        sink: &mut crate::ItemSink<'_>,
    ) -> Result<UpdateItemOutput, Error> {
        self.direct_update_item_into(input, sink).await
    }

    async fn query_into(&self, input: QueryInput, sink: &mut crate::ItemSink<'_>) -> Result<QueryOutput, Error> {
        self.direct_query_into(input, sink).await
    }

    async fn scan_into(&self, input: ScanInput, sink: &mut crate::ItemSink<'_>) -> Result<ScanOutput, Error> {
        self.direct_scan_into(input, sink).await
    }

    async fn batch_get_item(&self, mut input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.request_items = self.add_keys(input.request_items);
        let mut out = self.inner.backend.batch_get_item(input).await?;
        out.responses = self.sub_keys(out.responses);
        out.unprocessed_keys = self.sub_keys(out.unprocessed_keys);
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        Ok(out)
    }

    async fn batch_write_item(&self, mut input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
        input.request_items = self.add_keys(input.request_items);
        let mut out = self.inner.backend.batch_write_item(input).await?;
        out.unprocessed_items = self.sub_keys(out.unprocessed_items);
        out.item_collection_metrics = self.sub_keys(out.item_collection_metrics);
        out.consumed_capacity = self.sub_capacities(out.consumed_capacity);
        Ok(out)
    }

    async fn transact_get_items(&self, mut input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        self.ask_capacity(&mut input.return_consumed_capacity);
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
        self.ask_capacity(&mut input.return_consumed_capacity);
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

    fn aws_client(&self) -> Option<&aws_sdk_dynamodb::Client> {
        self.inner.backend.aws_client()
    }

    // Tags name their table by ARN, which carries the full (prefixed) name already.
    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        self.inner.backend.tag_resource(input).await
    }

    async fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, Error> {
        self.inner.backend.untag_resource(input).await
    }

    async fn list_tags_of_resource(&self, input: ListTagsOfResourceInput) -> Result<ListTagsOfResourceOutput, Error> {
        self.inner.backend.list_tags_of_resource(input).await
    }

    // Backups, point-in-time recovery, resource policies, limits and endpoints:
    // table names gain the prefix going in and lose it coming out; ARNs (of
    // backups, of tables) are passed as they are.
    async fn describe_limits(&self, input: DescribeLimitsInput) -> Result<DescribeLimitsOutput, Error> {
        self.inner.backend.describe_limits(input).await
    }

    async fn describe_endpoints(&self, input: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Error> {
        self.inner.backend.describe_endpoints(input).await
    }

    async fn create_backup(&self, mut input: CreateBackupInput) -> Result<CreateBackupOutput, Error> {
        input.table_name = self.add(input.table_name);
        self.inner.backend.create_backup(input).await
    }

    async fn describe_backup(&self, input: DescribeBackupInput) -> Result<DescribeBackupOutput, Error> {
        let mut out = self.inner.backend.describe_backup(input).await?;
        out.backup_description = out.backup_description.map(|d| self.sub_backup(d));
        Ok(out)
    }

    async fn list_backups(&self, mut input: ListBackupsInput) -> Result<ListBackupsOutput, Error> {
        input.table_name = self.add(input.table_name);
        let mut out = self.inner.backend.list_backups(input).await?;
        for s in out.backup_summaries.iter_mut().flatten() {
            s.table_name = self.sub(s.table_name.take());
        }
        Ok(out)
    }

    async fn delete_backup(&self, input: DeleteBackupInput) -> Result<DeleteBackupOutput, Error> {
        let mut out = self.inner.backend.delete_backup(input).await?;
        out.backup_description = out.backup_description.map(|d| self.sub_backup(d));
        Ok(out)
    }

    async fn restore_table_from_backup(
        &self,
        mut input: RestoreTableFromBackupInput,
    ) -> Result<RestoreTableFromBackupOutput, Error> {
        input.target_table_name = self.add(input.target_table_name);
        let mut out = self.inner.backend.restore_table_from_backup(input).await?;
        out.table_description = self.sub_description(out.table_description);
        Ok(out)
    }

    async fn update_continuous_backups(
        &self,
        mut input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        input.table_name = self.add(input.table_name);
        self.inner.backend.update_continuous_backups(input).await
    }

    async fn describe_continuous_backups(
        &self,
        mut input: DescribeContinuousBackupsInput,
    ) -> Result<DescribeContinuousBackupsOutput, Error> {
        input.table_name = self.add(input.table_name);
        self.inner.backend.describe_continuous_backups(input).await
    }

    async fn restore_table_to_point_in_time(
        &self,
        mut input: RestoreTableToPointInTimeInput,
    ) -> Result<RestoreTableToPointInTimeOutput, Error> {
        input.source_table_name = self.add(input.source_table_name);
        input.target_table_name = self.add(input.target_table_name);
        let mut out = self.inner.backend.restore_table_to_point_in_time(input).await?;
        out.table_description = self.sub_description(out.table_description);
        Ok(out)
    }

    async fn put_resource_policy(&self, input: PutResourcePolicyInput) -> Result<PutResourcePolicyOutput, Error> {
        self.inner.backend.put_resource_policy(input).await
    }

    async fn get_resource_policy(&self, input: GetResourcePolicyInput) -> Result<GetResourcePolicyOutput, Error> {
        self.inner.backend.get_resource_policy(input).await
    }

    async fn delete_resource_policy(
        &self,
        input: DeleteResourcePolicyInput,
    ) -> Result<DeleteResourcePolicyOutput, Error> {
        self.inner.backend.delete_resource_policy(input).await
    }

    // DynamoDB Streams: stream ARNs carry the full (prefixed) table name.
    fn streams(&self) -> Option<std::sync::Arc<dyn crate::streams::StreamsBackend>> {
        self.inner.backend.streams()
    }

    // PartiQL: statements go to the backend as written, so they name tables
    // by their full names (`Database::full_name`); see `Backend::execute_statement`.
    async fn execute_statement(&self, input: ExecuteStatementInput) -> Result<ExecuteStatementOutput, Error> {
        self.inner.backend.execute_statement(input).await
    }

    async fn batch_execute_statement(
        &self,
        input: BatchExecuteStatementInput,
    ) -> Result<BatchExecuteStatementOutput, Error> {
        self.inner.backend.batch_execute_statement(input).await
    }

    async fn execute_transaction(&self, input: ExecuteTransactionInput) -> Result<ExecuteTransactionOutput, Error> {
        self.inner.backend.execute_transaction(input).await
    }
}

// Backups: a backup's description names its source table without the prefix.
impl Database {
    fn sub_backup(&self, mut d: BackupDescription) -> BackupDescription {
        if let Some(t) = d.source_table_details.as_mut() {
            t.table_name = self.strip(&t.table_name).to_string();
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(endpoint: &str) -> TestBackend {
        TestBackend::Local {
            endpoint: endpoint.to_string(),
        }
    }

    #[test]
    fn from_env_is_aws_unless_dynamodb_endpoint_names_one() {
        assert_eq!(EnvBackend::choose(None), EnvBackend::Aws);
        assert_eq!(EnvBackend::choose(Some("")), EnvBackend::Aws);
        assert_eq!(EnvBackend::choose(Some("  ")), EnvBackend::Aws);
        assert_eq!(
            EnvBackend::choose(Some(" http://127.0.0.1:8001 ")),
            EnvBackend::Local {
                endpoint: "http://127.0.0.1:8001".to_string()
            }
        );
    }

    #[test]
    fn for_tests_is_the_mock_unless_asked_for_local() {
        assert_eq!(TestBackend::choose(None, None, None), Ok(TestBackend::Mock));
        assert_eq!(TestBackend::choose(Some(""), None, None), Ok(TestBackend::Mock));
        assert_eq!(
            TestBackend::choose(Some("mock"), Some("http://x:1"), None),
            Ok(TestBackend::Mock)
        );
        assert_eq!(TestBackend::choose(Some(" MOCK "), None, None), Ok(TestBackend::Mock));
        // The old switch's "mock" value, and a DynamoDB endpoint alone, leave it on the mock.
        assert_eq!(
            TestBackend::choose(None, Some("http://x:1"), Some("1")),
            Ok(TestBackend::Mock)
        );
    }

    #[test]
    fn for_tests_local_is_dynamodb_endpoint_or_localhost_8000() {
        assert_eq!(
            TestBackend::choose(Some("local"), None, None),
            Ok(local("http://localhost:8000"))
        );
        assert_eq!(
            TestBackend::choose(Some("local"), Some(""), None),
            Ok(local(DEFAULT_LOCAL_ENDPOINT))
        );
        assert_eq!(
            TestBackend::choose(Some("Local"), Some("http://127.0.0.1:9000"), None),
            Ok(local("http://127.0.0.1:9000"))
        );
        // The new variable wins over the old one.
        assert_eq!(
            TestBackend::choose(Some("local"), Some("http://h:2"), Some("")),
            Ok(local("http://h:2"))
        );
        assert_eq!(TestBackend::choose(Some("mock"), None, Some("")), Ok(TestBackend::Mock));
        assert!(local("http://h:2").is_local());
        assert!(!TestBackend::Mock.is_local());
    }

    #[test]
    fn an_unknown_test_backend_is_refused_naming_the_variable_and_the_choices() {
        let err = TestBackend::choose(Some("aws"), None, None).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidEnv {
                variable: "DYNAMODB_TEST_BACKEND".to_string(),
                value: "aws".to_string(),
                expected: "expected mock or local".to_string(),
            }
        );
        assert_eq!(
            err.to_string(),
            "environment variable DYNAMODB_TEST_BACKEND is \"aws\": expected mock or local"
        );
        assert_eq!(err.code(), "InvalidEnv");
    }

    #[test]
    fn the_old_way_of_asking_for_local_is_refused_rather_than_run_on_the_mock() {
        let err = TestBackend::choose(None, Some("http://h:2"), Some("")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable DYNAMODB_MOCK is \"\": no longer read: set DYNAMODB_TEST_BACKEND=local for DynamoDB Local"
        );
    }

    #[tokio::test]
    async fn the_consumed_capacity_option_reaches_the_connection_and_its_derived_connections() {
        let opts = ConnectOptions::region("localhost").consumed_capacity(ReturnConsumedCapacity::Indexes);
        assert_eq!(opts.consumed_capacity, Some(ReturnConsumedCapacity::Indexes));
        let db = Database::connect(opts).await;
        assert_eq!(db.consumed_capacity(), Some(ReturnConsumedCapacity::Indexes));
        assert_eq!(
            db.with_prefix("p_")
                .with_table_wait(Duration::from_secs(1))
                .consumed_capacity(),
            Some(ReturnConsumedCapacity::Indexes)
        );
        assert_eq!(db.with_consumed_capacity(None).consumed_capacity(), None);
        assert_eq!(Database::mock().consumed_capacity(), None);
    }

    #[test]
    fn the_aws_client_is_there_on_dynamodb_local_and_not_on_the_mock() {
        assert!(
            Database::local("http://127.0.0.1:1")
                .with_prefix("p_")
                .aws_client()
                .is_some()
        );
        assert!(Database::mock().aws_client().is_none());
    }

    #[test]
    fn table_creation_is_on_by_default_and_kept_by_derived_connections() {
        let db = Database::mock();
        assert_eq!(db.table_creation(), TableCreation::Create);
        let strict = db.with_table_creation(TableCreation::RequireExisting);
        assert_eq!(
            strict.with_prefix("p_").table_creation(),
            TableCreation::RequireExisting
        );
        assert_eq!(
            strict.with_table_wait(Duration::from_secs(1)).table_creation(),
            TableCreation::RequireExisting
        );
        assert_eq!(db.table_creation(), TableCreation::Create);
    }
}
