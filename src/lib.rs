//! # dynamo-objects
//!
//! DynamoDB for Rust, pleasant and safe. Declare a table, then read and write
//! typed records — here on the in-process mock, which needs no setup:
//!
//! ```
//! use dynamo_objects::{Database, Error, dynamo_table};
//!
//! dynamo_table! {
//!     /// A store.
//!     store: Store { hash store_id: String, name: String, visits: i64 }
//!     on_demand
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! let db = Database::mock(); // or Database::from_env().await: AWS, or DynamoDB Local
//! let stores = StoreTable::new(&db); // the table `store`, created on first use
//! stores.put(&mut Store { store_id: "s1".into(), name: "My Store".into(), visits: 0 }).await?;
//! stores.update("s1", Store::VISITS.add(1)).await?; // a misspelt field does not compile
//! let s1: Option<Store> = stores.get("s1").await?; // a missing item is Ok(None)
//! assert_eq!(s1.map(|s| s.visits), Some(1));
//! # Ok(()) }
//! ```
//!
//! One [`Backend`] trait speaks DynamoDB's own API, with two implementations —
//! [`AwsBackend`] (the AWS SDK, also for DynamoDB Local) and [`MockBackend`]
//! (an in-process DynamoDB for tests, with DynamoDB Local's results and
//! errors) — and a [`Database`] connection owns the backend and the table
//! prefix and creates declared tables on first use. [`dynamo_table!`] shows
//! every form of declaration; the README has the tour.
//!
//! ## Features
//!
//! | feature  | what it adds | dependencies it brings |
//! |----------|--------------|------------------------|
//! | (none)   | the typed API, the mock, the AWS backend, the table [`tools`] | |
//! | `chrono` | `chrono::DateTime<Utc>` as a [`Timestamp`] attribute | chrono |
//! | `time`   | `time::OffsetDateTime` as a [`Timestamp`] attribute | time |
//! | `server` | `server::MockServer`: the mock over DynamoDB's HTTP protocol, with SigV4 checking | httparse, mio, hmac, sha2 |
//! | `cli`    | the `dynamo-objects` command (implies `server`) | clap, indicatif, mimalloc |
//!
//! DynamoDB's JSON wire format ([`wire`]: the attribute-value codec the
//! table tools use) is there with or without `server`.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The mock's crate-private fast paths that only the server calls (writing
// stored items straight to JSON) are unused without `server`; dead code is
// linted in the all-features build (`cargo clippy --all-targets`).
#![cfg_attr(not(feature = "server"), allow(dead_code))]

pub mod aws;
pub mod backend;
pub mod batch;
pub mod convert;
pub mod database;
mod dsl;
pub mod entity;
pub mod error;
pub mod expr;
pub mod memory;
pub mod mock;
pub mod query;
pub mod record;
pub mod schema;
pub mod sdk;
#[cfg(feature = "server")]
#[cfg_attr(docsrs, doc(cfg(feature = "server")))]
pub mod server;
pub mod table;
pub mod testing;
pub mod timestamp;
pub mod tools;
pub mod trace;
pub mod transaction;
pub mod vocab;
pub mod wire;
// DynamoDB Streams
pub mod streams;

pub use aws::{AwsBackend, AwsOptions};
pub use backend::{Backend, FoundItem, ItemSink};
pub use batch::{BatchGet, BatchWrite, Retry};
pub use convert::{Attr, Bytes, ConvertError};
pub use database::{ConnectOptions, Database, EnvBackend, TableCreation, TestBackend};
pub use dsl::DynamoEnum;
pub use error::{Error, Item, Message, Result};
pub use expr::{Condition, Field, Fields, Path, Selection, Update};
pub use memory::{Failed, Flush, FlushError, FlushOptions, FlushReport, MemoryOptions, MemoryStats, MemoryTable};
pub use mock::MockBackend;
pub use query::{Cursor, Decode, Index, Page, Partial, Query, Scan};
pub use record::{Document, IndexKeyType, ItemSource, KeyAttrType, Record};
pub use schema::{Billing, IndexSchema, KeyAttr, KeyType, Projection, TableSchema};
pub use table::{Returned, Table};
pub use testing::TestDb;
pub use timestamp::{EpochMillis, EpochSeconds, Timestamp, TtlAttr, UnixTime};
pub use trace::Traced;
pub use transaction::{CancelReason, Handle, ReadTransaction, Reads, Transaction};

#[doc(hidden)]
pub mod __private {
    pub use crate::convert::{put_field, take_field, take_field_or};
    pub use crate::dsl::private::*;
    pub use crate::record::{document_from_attr, document_to_attr, key_type_of, key_value, version_of};
    pub use crate::timestamp::ttl_attribute;
    pub use aws_sdk_dynamodb;
    pub use pastey;
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
