//! Quickstart: two declared tables, then save, get, a query on an index, a
//! conditional update, a batch and a delete — on the embedded mock.
//!
//! ```text
//! cargo run --example quickstart              # the in-process mock, no setup
//! cargo run --example quickstart -- --local   # DynamoDB Local (DYNAMODB_ENDPOINT,
//!                                             # default http://localhost:8000)
//! ```
//!
//! An application of your own would connect with `Database::from_env().await`
//! (AWS, with aws-config's default chain; DynamoDB Local when
//! `DYNAMODB_ENDPOINT` is set) and, in production, refuse to create tables:
//! `.with_table_creation(TableCreation::RequireExisting)`.
// An example's records are documented by the example's text, not field by field.
#![allow(missing_docs)]

use dynamo_objects::database::{DEFAULT_LOCAL_ENDPOINT, ENDPOINT_VAR};
use dynamo_objects::{Database, Error, Record, Returned, dynamo_table};

dynamo_table! {
    /// A store.
    store: Store {
        hash store_id: String,
        name: String,
        tags: Vec<String>,
        visits: i64,
    }
    throughput(3, 3)

    /// A product a store sells, findable by category.
    product: Product {
        hash store_id: String,
        range sku: String,
        category: String,
        price_cents: u32,
    }
    on_demand
    global_index by_category(hash category, range price_cents)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let db = if std::env::args().any(|a| a == "--local") {
        let endpoint = std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| DEFAULT_LOCAL_ENDPOINT.into());
        println!("DynamoDB Local at {endpoint}, table prefix quickstart_");
        Database::local(&endpoint).with_prefix("quickstart_")
    } else {
        println!("the in-process mock, table prefix quickstart_");
        Database::mock().with_prefix("quickstart_")
    };
    // Both tables created up front (each is otherwise created on first use),
    // or, if they exist, checked against their declarations.
    db.ensure_tables([Store::schema(), Product::schema()]).await?;
    let stores = StoreTable::new(&db);
    let products = ProductTable::new(&db);

    // Save: into the table `quickstart_store`.
    let mut store = Store {
        store_id: "s1".into(),
        name: "My Store".into(),
        tags: vec!["books".into()],
        visits: 0,
    };
    stores.save(&mut store).await?;
    println!("saved {store:?}");

    // Get: a missing record is Ok(None).
    let loaded = stores.get_consistent("s1").await?;
    println!("got {loaded:?}");
    println!("got s2: {:?}", stores.get_consistent("s2").await?);

    // A batch of products (any number: chunked and retried for you).
    let catalogue: Vec<Product> = [("b-1", "books", 1299), ("b-2", "books", 899), ("m-1", "music", 1999)]
        .into_iter()
        .map(|(sku, category, price)| Product {
            store_id: "s1".into(),
            sku: sku.into(),
            category: category.into(),
            price_cents: price,
        })
        .collect();
    let report = products.batch_write(&catalogue, &[]).await?;
    println!("batch wrote {} products", report.written);

    // A query on the global index: books under 10.00, cheapest first.
    let cheap_books = products
        .query_index(Product::BY_CATEGORY, "books")
        .range(Product::PRICE_CENTS.lt(1000u32))
        .all()
        .await?;
    println!(
        "books under 10.00: {:?}",
        cheap_books.iter().map(|p| &p.sku).collect::<Vec<_>>()
    );

    // An update with a condition: count a visit only for a store named so.
    let updated = stores
        .update_if("s1", Store::VISITS.add(1), Store::NAME.eq("My Store"))
        .await?;
    println!("visits now {:?}", updated.record().map(|s| s.visits));
    match stores
        .update_if("s1", Store::VISITS.add(1), Store::NAME.eq("Other"))
        .await
    {
        Err(Error::ConditionalCheckFailed { .. }) => println!("a false condition is refused"),
        other => println!("unexpected: {other:?}"),
    }

    // Delete returns what was there.
    let gone = products.delete(("s1".to_string(), "m-1".to_string())).await?;
    println!("deleted {:?}", gone.and_then(Returned::record).map(|p| p.sku));
    println!("{} products left", products.count().await?);
    Ok(())
}
