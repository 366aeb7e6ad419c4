//! Quickstart: declare a table, let the connection create it, write and read
//! items — on the embedded mock, no setup needed.
//!
//! ```text
//! cargo run --example quickstart            # the in-process mock
//! cargo run --example quickstart -- --local # DynamoDB Local on localhost:8000
//! ```

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, KeyAttr, KeyType, TableSchema};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let local = std::env::args().any(|a| a == "--local");
    let db = if local {
        let endpoint = std::env::var("DYNAMODB_ENDPOINT").unwrap_or_else(|_| "http://localhost:8000".into());
        println!("connecting to DynamoDB Local at {endpoint}");
        Database::local(&endpoint).with_prefix("quickstart_")
    } else {
        println!("using the in-process mock");
        Database::mock().with_prefix("quickstart_")
    };

    // A declaration: the table `store` (the connection adds its prefix).
    let stores = TableSchema::new("store", KeyAttr::new("store_id", KeyType::S)).throughput(3, 3);
    db.ensure_table(&stores).await?;
    println!("tables of this prefix: {:?}", db.table_names().await?);

    let item = [
        ("store_id", AttributeValue::S("s1".into())),
        ("name", AttributeValue::S("My Store".into())),
        ("visits", AttributeValue::N("12".into())),
        ("tags", AttributeValue::Ss(vec!["books".into(), "music".into()])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    db.put_item(
        PutItemInput::builder()
            .table_name("store")
            .set_item(Some(item))
            .build()?,
    )
    .await?;
    println!("put s1");

    let key = [("store_id".to_string(), AttributeValue::S("s1".into()))]
        .into_iter()
        .collect();
    let got = db
        .get_item(GetItemInput::builder().table_name("store").set_key(Some(key)).build()?)
        .await?;
    println!("got {:?}", got.item.map(|i| i.get("name").cloned()));

    // Bad input is a typed error, never a panic.
    let bad = [("store_id".to_string(), AttributeValue::N("1".into()))]
        .into_iter()
        .collect();
    match db
        .put_item(
            PutItemInput::builder()
                .table_name("store")
                .set_item(Some(bad))
                .build()?,
        )
        .await
    {
        Err(Error::Validation(message)) => println!("a mistyped key is refused: {message}"),
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
