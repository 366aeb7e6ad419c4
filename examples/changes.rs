//! DynamoDB Streams, typed: the code a team runs in a Lambda or a stream
//! consumer, tested on the embedded mock in milliseconds.
//!
//! ```text
//! cargo run --example changes              # the in-process mock, no setup
//! cargo run --example changes -- --local   # DynamoDB Local (DYNAMODB_ENDPOINT,
//!                                          # default http://localhost:8000)
//! ```
//!
//! The consumer here keeps a running total of every account's balance
//! changes; it reads `Table::changes`, which yields inserted, modified (old
//! and new record) and removed accounts, each with its sequence number to
//! resume from.
// An example's records are documented by the example's text, not field by field.
#![allow(missing_docs)]

use dynamo_objects::database::{DEFAULT_LOCAL_ENDPOINT, ENDPOINT_VAR};
use dynamo_objects::sdk::StreamViewType;
use dynamo_objects::streams::{Change, ChangeEvent, Position};
use dynamo_objects::{Database, Error, dynamo_table};
use futures::TryStreamExt;

dynamo_table! {
    /// A bank account.
    account: Account {
        hash id: String,
        balance: i64,
    }
    on_demand
}

/// The consumer under test: money moved by a batch of changes (what a
/// Lambda on the table's stream would compute).
fn money_moved(events: &[ChangeEvent<Account>]) -> i64 {
    events
        .iter()
        .map(|e| match &e.change {
            Change::Inserted(Some(new)) => new.balance,
            Change::Modified {
                old: Some(old),
                new: Some(new),
            } => new.balance - old.balance,
            Change::Removed(Some(old)) => -old.balance,
            // A view type without the images: nothing to add up.
            _ => 0,
        })
        .sum()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let db = if std::env::args().any(|a| a == "--local") {
        let endpoint = std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| DEFAULT_LOCAL_ENDPOINT.into());
        println!("DynamoDB Local at {endpoint}");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Database::local(&endpoint).with_prefix(format!("changes_{nanos}_"))
    } else {
        println!("the in-process mock");
        Database::mock()
    };
    let accounts = AccountTable::new(&db);
    accounts.enable_stream(StreamViewType::NewAndOldImages).await?;

    accounts
        .put(&mut Account {
            id: "alice".into(),
            balance: 100,
        })
        .await?;
    accounts
        .put(&mut Account {
            id: "bob".into(),
            balance: 50,
        })
        .await?;
    accounts
        .put(&mut Account {
            id: "alice".into(),
            balance: 70,
        })
        .await?;
    // The same item again changes nothing: no record.
    accounts
        .put(&mut Account {
            id: "alice".into(),
            balance: 70,
        })
        .await?;

    let first: Vec<ChangeEvent<Account>> = accounts.changes(Position::Oldest).await?.try_collect().await?;
    for e in &first {
        println!("{} {:?}", e.sequence_number, e.change);
    }
    assert_eq!(first.len(), 3);
    assert_eq!(money_moved(&first), 120);

    // Later: resume after the last record seen.
    accounts.delete("bob".to_string()).await?;
    let mark = first.last().map(|e| e.sequence_number.clone()).unwrap_or_default();
    let next: Vec<ChangeEvent<Account>> = accounts.changes(Position::After(mark)).await?.try_collect().await?;
    assert_eq!(next.len(), 1);
    assert_eq!(money_moved(&next), -50);
    println!("money moved: {} then {}", money_moved(&first), money_moved(&next));
    Ok(())
}
