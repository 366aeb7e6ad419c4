//! DynamoDB's vocabulary, written once and shared by the typed API, the mock
//! and the server: its numbers ([`number`]), its attribute types
//! ([`types`]) and its error codes ([`codes`]).

pub mod codes;
pub mod number;
pub mod types;

pub use types::AttrType;
