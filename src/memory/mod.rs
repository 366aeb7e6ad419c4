//! Memory tables: a stand-in for the flush engine's branch (the lead keeps
//! the CORE engineer's module at merge).

// Used by `MemoryTable`, which lives on another branch.
#[allow(dead_code)]
mod flush;

pub use flush::{Failed, FlushError, FlushOptions, FlushReport};
