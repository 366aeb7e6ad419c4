//! The Backend conformance suite: the same scenarios on the mock and on
//! DynamoDB Local (`./tool/test.sh` runs both), each asserting the exact
//! response or the exact error variant.

mod common;

mod answers;
mod backups;
mod batches;
mod connection;
mod expressions;
mod indexes;
mod items;
mod legacy;
mod memory;
mod modelling;
mod multikey;
mod nesting;
mod partiql;
mod paths;
mod provenance;
mod queries;
mod read_path;
mod retries;
mod single_table;
mod streams;
mod tables;
mod testing;
mod timestamps;
mod tracing_spans;
mod transactions;
mod typed;
mod typed_transactions;
mod validation;
mod versions;
