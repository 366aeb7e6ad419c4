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
pub mod database;
pub mod error;
pub mod mock;
pub mod schema;
pub mod sdk;
pub mod tools;

pub use aws::{AwsBackend, AwsOptions};
pub use backend::Backend;
pub use database::{ConnectOptions, Database};
pub use error::{Error, Item, Result};
pub use mock::MockBackend;
pub use schema::{Billing, IndexSchema, KeyAttr, KeyType, Projection, TableSchema};

#[doc(hidden)]
pub mod __private {
    pub use aws_sdk_dynamodb;
    pub use pastey;
}
