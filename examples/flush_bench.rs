//! The Rust side of `tool/bench-flush.sh`: N items of ~1 KB written into a
//! fresh on-demand table, the same items `tool/bench_flush_boto3.py` writes
//! with boto3's `Table.batch_writer()`.
//!
//! ```text
//! flush_bench --endpoint http://127.0.0.1:8000 --items 100000   # DynamoDB Local or the mock server
//! flush_bench --mock --items 100000                             # the in-process mock
//! flush_bench --mock --concurrency 16                           # requests in flight (default 8)
//! flush_bench --mock --via batch-write                          # Table::batch_write instead
//! ```
//!
//! The items are built up front (as the boto3 script does), the table is
//! created before the clock starts, then the clock times the writes: by
//! default a blank `MemoryTable`, `insert` of every record, and one `flush`
//! (the `FlushReport` goes to stderr). The result is one line on stdout:
//!
//! ```text
//! bench LABEL items_per_s 1234.5 items 100000 secs 81.0 verified 100000
//! ```
//!
//! `verified` is the table's record count afterwards (a COUNT scan, not
//! timed), or -1 with `--no-verify`.
// An example's records are documented by the example's text, not field by field.
#![allow(missing_docs)]

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use clap::{Parser, ValueEnum};
use dynamo_objects::{Database, Error, FlushOptions, MemoryOptions, MemoryTable, dynamo_table};

dynamo_table! {
    /// One benchmark item, ~1 KB: the same shape as the boto3 script's.
    flush_bench: BenchItem {
        hash id: String,
        payload: String,
        n: u64,
    }
    on_demand
}

/// How the items are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Via {
    /// `MemoryTable::blank`, `insert` × N, `flush`.
    Memory,
    /// `Table::batch_write` (chunks of 25, 4 requests in flight).
    BatchWrite,
}

#[derive(Parser)]
struct Args {
    /// A DynamoDB-compatible server, e.g. http://127.0.0.1:8000.
    #[arg(long, conflicts_with = "mock")]
    endpoint: Option<String>,
    /// The in-process mock instead of a server.
    #[arg(long)]
    mock: bool,
    /// Items to write.
    #[arg(long, default_value_t = 100_000)]
    items: u64,
    /// How to write them.
    #[arg(long, value_enum, default_value_t = Via::Memory)]
    via: Via,
    /// Requests in flight during the flush (`FlushOptions::concurrency`;
    /// `--via memory` only).
    #[arg(long, default_value_t = FlushOptions::default().concurrency)]
    concurrency: usize,
    /// Ask for consumed capacity (`FlushOptions::consumed_capacity`;
    /// `--via memory` only), to see what answering it costs the server.
    #[arg(long)]
    consumed_capacity: bool,
    /// Name of the run in the output line.
    #[arg(long, default_value = "ours")]
    label: String,
    /// Hand the records over in a shuffled order (deterministic), e.g. to see
    /// whether the server's speed depends on the key order.
    #[arg(long)]
    shuffle: bool,
    /// Skip the COUNT scan after the writes.
    #[arg(long)]
    no_verify: bool,
}

/// The i-th item: the same bytes as `item(i)` in tool/bench_flush_boto3.py.
fn item(i: u64) -> BenchItem {
    BenchItem {
        id: format!("item-{i:08}"),
        payload: format!("{i:08}").repeat(125),
        n: i,
    }
}

/// Fisher–Yates with a fixed xorshift seed: the same order on every run.
fn shuffle<T>(v: &mut [T]) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let bound = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let j = usize::try_from(x % bound).unwrap_or(0);
        v.swap(i, j);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let base = match (&args.endpoint, args.mock) {
        (Some(endpoint), _) => Database::local(endpoint),
        (None, true) => Database::mock(),
        (None, false) => return Err("give --endpoint URL or --mock".into()),
    };
    let db = base.with_prefix(format!("flush_{stamp}_"));
    let table = BenchItemTable::new(&db);
    table.ensure().await?;
    let mut records: Vec<BenchItem> = (0..args.items).map(item).collect();
    if args.shuffle {
        shuffle(&mut records);
    }

    let start = Instant::now();
    let written = match args.via {
        Via::Memory => {
            let options = MemoryOptions {
                flush: FlushOptions {
                    concurrency: args.concurrency,
                    consumed_capacity: args.consumed_capacity,
                    ..FlushOptions::default()
                },
                ..MemoryOptions::default()
            };
            let mut memory = MemoryTable::<BenchItem>::blank(&db).with_options(options);
            for record in records {
                memory.insert(record);
            }
            let inserted = start.elapsed().as_secs_f64();
            let report = memory.flush().await?;
            eprintln!(
                "flush_bench: inserts {inserted:.3} s, flush {:.3} s, {report:?}",
                start.elapsed().as_secs_f64() - inserted
            );
            report.puts as u64
        }
        Via::BatchWrite => {
            let out = table.batch_write(&records, &[]).await?;
            eprintln!(
                "flush_bench: batch_write wrote {}, unprocessed {}",
                out.written,
                out.unprocessed_puts.len()
            );
            out.written as u64
        }
    };
    let secs = start.elapsed().as_secs_f64();

    let verified: i64 = if args.no_verify {
        -1
    } else {
        i64::try_from(table.count().await?).map_err(|e| Error::Validation(e.to_string().into()))?
    };
    let rate = if secs > 0.0 { written as f64 / secs } else { 0.0 };
    println!(
        "bench {} items_per_s {rate:.1} items {} secs {secs:.3} verified {verified}",
        args.label, args.items
    );
    if written != args.items || (verified >= 0 && verified != args.items as i64) {
        return Err(format!(
            "{} items to write, {written} written, {verified} in the table",
            args.items
        )
        .into());
    }
    Ok(())
}
