//! Testing an application: [`TestDb`], a connection of its own for each
//! test, whose tables are removed afterwards.
//!
//! Each `TestDb` has a table prefix no other one has (the process, the time
//! and a counter: `test-1a2b-18f3c0d2e4a-7-`), on the backend
//! [`Database::for_tests`] picks: a fresh in-process mock by default, or
//! DynamoDB Local when `DYNAMODB_TEST_BACKEND=local` (at `DYNAMODB_ENDPOINT`).
//! So tests run in parallel on DynamoDB Local as on the mock, and the tables
//! of one are never seen by another.
//!
//! Removing the tables: [`TestDb::run`] removes them when the test body is
//! done, whether it returned `Ok`, an error, or panicked (the panic is then
//! passed on). `Drop` cannot wait for DynamoDB, so a `TestDb` used without
//! `run` removes its tables only when the test calls [`TestDb::cleanup`];
//! one dropped before that warns on standard error, naming its prefix (on
//! the mock nothing is left behind: the mock goes with the connection).
//! Only tables under the `TestDb`'s own prefix are removed, which only that
//! `TestDb` creates.
//!
//! ```
//! use dynamo_objects::{dynamo_table, testing::TestDb};
//!
//! dynamo_table! {
//!     user: User { hash id: String, name: String }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), dynamo_objects::Error> {
//! // In a #[tokio::test]:
//! TestDb::run(|db| async move {
//!     let users = UserTable::new(&db);
//!     users.put(&mut User { id: "u1".into(), name: "Ann".into() }).await?;
//!     assert_eq!(users.get("u1").await?.map(|u| u.name), Some("Ann".into()));
//!     Ok(())
//! })
//! .await
//! # }
//! ```

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use futures::FutureExt;

use crate::Error;
use crate::backend::Backend;
use crate::database::{Database, TestBackend};
use crate::mock::MockBackend;
use crate::sdk::*;

/// How every [`TestDb`] prefix starts.
pub const TEST_PREFIX_START: &str = "test-";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A prefix no other `TestDb` of this process, nor of another process
/// running now or before, has: `test-<pid>-<epoch nanos>-<counter>-`, all
/// hexadecimal (so no prefix is the start of another: each part ends at a
/// `-`).
fn unique_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{TEST_PREFIX_START}{:x}-{nanos:x}-{n:x}-", std::process::id())
}

/// A test's own connection (see the [module docs](self)): a unique table
/// prefix on the backend [`Database::for_tests`] picks. Derefs to
/// [`Database`].
#[derive(Debug)]
pub struct TestDb {
    db: Database,
    mock: Option<MockBackend>,
    cleaned: bool,
}

impl TestDb {
    /// A connection with a prefix of its own, on the mock or on DynamoDB
    /// Local as `DYNAMODB_TEST_BACKEND` says. An unknown value is
    /// [`Error::InvalidEnv`].
    pub fn new() -> Result<TestDb, Error> {
        Ok(TestDb::on(TestBackend::from_env()?))
    }

    /// A connection with a prefix of its own on `backend`.
    pub fn on(backend: TestBackend) -> TestDb {
        let (db, mock) = match backend {
            TestBackend::Mock => {
                let mock = MockBackend::new();
                (Database::new(Arc::new(mock.clone()), ""), Some(mock))
            }
            local @ TestBackend::Local { .. } => (local.connect(), None),
        };
        TestDb {
            db: db.with_prefix(unique_prefix()),
            mock,
            cleaned: false,
        }
    }

    /// Runs `test` on a new `TestDb`'s connection, then removes the tables
    /// it created, whatever the test did: returned `Ok`, returned an error
    /// (which is the result), or panicked (the panic goes on after the
    /// cleanup). A failed cleanup is the result of a test that passed.
    pub async fn run<F, Fut>(test: F) -> Result<(), Error>
    where
        F: FnOnce(Database) -> Fut,
        Fut: Future<Output = Result<(), Error>>,
    {
        let t = TestDb::new()?;
        let outcome = AssertUnwindSafe(test(t.db.clone())).catch_unwind().await;
        let cleanup = t.cleanup().await;
        match outcome {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(Err(e)) => Err(e),
            Ok(Ok(())) => cleanup.map(|_| ()),
        }
    }

    /// The connection.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// The in-process mock under the connection, `None` on DynamoDB Local.
    pub fn mock(&self) -> Option<&MockBackend> {
        self.mock.as_ref()
    }

    /// On the mock, deletes the items whose TTL has passed at `now`, as
    /// DynamoDB's background deletion would, and returns how many
    /// ([`MockBackend::expire_items_at`]); `None` on DynamoDB Local, whose
    /// deletion is not driven by tests.
    pub fn expire_items_at(&self, now: SystemTime) -> Option<usize> {
        self.mock.as_ref().map(|m| m.expire_items_at(now))
    }

    /// Deletes every table of this `TestDb`'s prefix (the tables the test
    /// created, and only those) and returns their names, without prefix,
    /// in order. Deleting a table that is already gone is fine.
    pub async fn cleanup(mut self) -> Result<Vec<String>, Error> {
        self.cleaned = true;
        let names = self.db.table_names().await?;
        for name in &names {
            let input = DeleteTableInput::builder().table_name(name).build()?;
            match self.db.delete_table(input).await {
                Ok(_) | Err(Error::ResourceNotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(names)
    }
}

impl std::ops::Deref for TestDb {
    type Target = Database;
    fn deref(&self) -> &Database {
        &self.db
    }
}

impl Drop for TestDb {
    /// Warns (on standard error) of tables possibly left on DynamoDB Local
    /// by a `TestDb` dropped without [`TestDb::cleanup`]; `Drop` cannot wait
    /// for DynamoDB to delete them.
    fn drop(&mut self) {
        if !self.cleaned && self.mock.is_none() {
            eprintln!(
                "TestDb dropped without cleanup(): its tables, if any, are left on DynamoDB Local under the prefix {}",
                self.db.prefix()
            );
        }
    }
}
