//! Operational tools: copying tables, raising throughput for a job.
//!
//! (Arrives with the tools issue.)
