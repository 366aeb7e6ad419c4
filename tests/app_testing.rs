//! How to test an application built on dynamo-objects: an example test
//! file, as it would be in the application's own `tests/` (issue 14 point 9).
//!
//! Each test takes a [`TestDb`]: a table prefix of its own on the mock (the
//! default) or on DynamoDB Local (`DYNAMODB_TEST_BACKEND=local`, at
//! `DYNAMODB_ENDPOINT`), so the tests run in parallel on either, and its
//! tables are removed afterwards. `./tool/test.sh` runs this file on both.
//!
//! ```text
//! cargo test --test app_testing
//! DYNAMODB_TEST_BACKEND=local DYNAMODB_ENDPOINT=http://127.0.0.1:8000 cargo test --test app_testing
//! ```

// A test's records are documented by the tests, not field by field.
#![allow(missing_docs)]

use std::time::{Duration, SystemTime};

use dynamo_objects::testing::TestDb;
use dynamo_objects::{Database, EpochSeconds, Error, Table, dynamo_table};

// --- The application -------------------------------------------------------

dynamo_table! {
    /// A signed-up user.
    account: Account { hash email: String, name: String, joined: SystemTime = SystemTime::UNIX_EPOCH }

    /// A login session, expired by DynamoDB's TTL.
    login: Login { hash token: String, email: String, expires: Option<EpochSeconds<SystemTime>> }
    ttl(expires)
}

/// Signs a user up; a second sign-up of the same email is refused.
async fn sign_up(db: &Database, email: &str, name: &str) -> Result<Account, Error> {
    let mut account = Account {
        email: email.to_lowercase(),
        name: name.into(),
        joined: SystemTime::now(),
    };
    AccountTable::new(db).create(&mut account).await?;
    Ok(account)
}

/// Opens a session valid for `valid`.
async fn log_in(db: &Database, email: &str, token: &str, valid: Duration) -> Result<(), Error> {
    let table: Table<Login> = Table::new(db);
    table
        .put(&mut Login {
            token: token.into(),
            email: email.into(),
            expires: Some(EpochSeconds(SystemTime::now() + valid)),
        })
        .await
}

// --- Its tests --------------------------------------------------------------

#[tokio::test]
async fn signing_up_twice_with_one_email_is_refused() -> Result<(), Error> {
    // `run` removes the test's tables however the body ends (Ok, Err or a
    // panic), then hands back the body's result.
    TestDb::run(|db| async move {
        let ann = sign_up(&db, "Ann@Example.org", "Ann").await?;
        assert_eq!(ann.email, "ann@example.org");
        let again = sign_up(&db, "ann@example.org", "Ann again").await;
        assert!(matches!(again, Err(Error::AlreadyExists { .. })), "{again:?}");
        assert_eq!(
            AccountTable::new(&db).get("ann@example.org").await?.map(|a| a.name),
            Some("Ann".into())
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn sessions_past_their_expiry_are_gone_once_dynamodb_sweeps() -> Result<(), Error> {
    // A TestDb by hand, for the mock's TTL sweep; `cleanup` removes its
    // tables (Drop cannot wait for DynamoDB: call it at the end).
    let t = TestDb::new()?;
    log_in(&t, "ann@example.org", "short", Duration::from_secs(60)).await?;
    log_in(&t, "ann@example.org", "long", Duration::from_secs(3600)).await?;
    let logins = LoginTable::new(&t);
    // On the mock, the sweep runs when the test says, at the time it says:
    // ten minutes from now, the short session is gone.
    if let Some(deleted) = t.expire_items_at(SystemTime::now() + Duration::from_secs(600)) {
        assert_eq!(deleted, 1);
        assert_eq!(logins.get("short").await?, None);
    }
    assert_eq!(logins.get("long").await?.map(|l| l.token), Some("long".into()));
    assert_eq!(t.cleanup().await?, ["login"]);
    Ok(())
}
