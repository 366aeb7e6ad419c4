//! # dynamo-objects
//!
//! DynamoDB for Rust, pleasant and safe: one [`Backend`] trait speaking
//! DynamoDB's own API with two implementations — [`AwsBackend`] (the AWS SDK,
//! also for DynamoDB Local) and [`MockBackend`] (an in-process DynamoDB for
//! tests) — and a [`Database`] connection that owns the backend and the table
//! prefix and creates declared tables on first use.
#![deny(missing_docs)]

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
pub mod server;
pub mod table;
pub mod testing;
pub mod timestamp;
pub mod tools;
pub mod trace;
pub mod transaction;
pub mod vocab;
pub mod wire;

pub use aws::{AwsBackend, AwsOptions};
pub use backend::Backend;
pub use batch::{BatchGet, BatchWrite, Retry};
pub use convert::{Attr, Bytes, ConvertError};
pub use database::{ConnectOptions, Database, EnvBackend, TableCreation, TestBackend};
pub use dsl::DynamoEnum;
pub use error::{Error, Item, Message, Result};
pub use expr::{Condition, Field, Fields, Path, Selection, Update};
pub use memory::{Failed, Flush, FlushError, FlushOptions, FlushReport, MemoryOptions, MemoryStats, MemoryTable};
pub use mock::MockBackend;
pub use query::{Cursor, Decode, Index, Page, Partial, Query, Scan};
pub use record::{Document, IndexKeyType, KeyAttrType, Record};
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
