//! Memory tables: totals per customer computed from the orders table and
//! written to a summary table, each order read once (one scan), each total
//! changed in memory and written back in one flush.
//!
//! ```text
//! cargo run --example memory_table              # the in-process mock
//! cargo run --example memory_table -- --local   # DynamoDB Local (DYNAMODB_ENDPOINT,
//!                                               # default http://localhost:8000)
//! ```
// An example's records are documented by the example's text, not field by field.
#![allow(missing_docs)]

use dynamo_objects::database::{DEFAULT_LOCAL_ENDPOINT, ENDPOINT_VAR};
use dynamo_objects::{Database, Flush, MemoryTable, dynamo_table};

dynamo_table! {
    /// An order of a customer.
    order: Order { hash order_id: String, customer: String, cents: i64 }
    on_demand

    /// What a customer ordered in all.
    customer_total: CustomerTotal { hash customer: String, orders: u32, cents: i64 }
    on_demand
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // A FlushError's Display names how many changes were not written
            // and the first reason (its Debug lists every record).
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let db = if std::env::args().any(|a| a == "--local") {
        let endpoint = std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| DEFAULT_LOCAL_ENDPOINT.into());
        println!("DynamoDB Local at {endpoint}, table prefix memory_example_");
        Database::local(&endpoint).with_prefix("memory_example_")
    } else {
        println!("the in-process mock, table prefix memory_example_");
        Database::mock().with_prefix("memory_example_")
    };

    // Some orders to sum up, loaded through a memory table too: blank mode
    // never reads, every record it makes is written by the flush.
    let customers = ["ann", "bob", "cyd", "dee"];
    let mut orders = MemoryTable::<Order>::blank(&db);
    for i in 0..1000i64 {
        orders.insert(Order {
            order_id: format!("o{i:04}"),
            customer: customers[i as usize % customers.len()].to_string(),
            cents: 100 + i,
        });
    }
    let loaded = orders.flush().await?;
    println!("loaded orders: {} puts in {} requests", loaded.puts, loaded.requests);

    // The computation: every order read once (a scan into the cache), the
    // totals made from scratch (blank mode: no reads, the flush replaces
    // what a previous run wrote) and changed in memory.
    let mut orders = MemoryTable::<Order>::new(&db);
    let read = orders.preload(OrderTable::new(&db).scan().stream()).await?;
    let mut totals = MemoryTable::<CustomerTotal>::blank(&db);
    for order in orders.records() {
        totals
            .update(order.customer.clone(), |t| {
                t.orders += 1;
                t.cents += order.cents;
            })
            .await?;
    }
    // Prices rounded down to whole units, in the same flush: only the orders
    // this changes are written.
    let ids: Vec<String> = orders.records().map(|o| o.order_id.clone()).collect();
    for id in ids {
        orders.update(id, |o| o.cents -= o.cents % 100).await?;
    }
    println!("read {read} orders; totals holds {:?}", totals.stats());

    // One flush for both tables: only what changed is written.
    let report = Flush::new(&db).table(&mut orders).table(&mut totals).run().await?;
    println!(
        "flushed: {} puts, {} deletes, {} collapsed, {} retries, {} requests",
        report.puts, report.deletes, report.collapsed, report.retries, report.requests
    );
    for c in customers {
        if let Some(t) = CustomerTotalTable::new(&db).get(c).await? {
            println!(
                "{:>4}: {:>3} orders, {:>8.2} in all",
                t.customer,
                t.orders,
                t.cents as f64 / 100.0
            );
        }
    }
    Ok(())
}
