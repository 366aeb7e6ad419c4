//! The connection: prefixes, automatic creation, concurrency.

use std::sync::Arc;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error};

use crate::assert_err;
use crate::common::*;

#[tokio::test]
async fn two_prefixes_do_not_see_each_others_tables() {
    let base = db("prefix");
    let dev = base.with_prefix(format!("{}dev_", base.prefix()));
    let staging = base.with_prefix(format!("{}staging_", base.prefix()));
    create(&dev, &hash_table("users")).await;
    put(&dev, "users", item(&[("id", s("a"))])).await;
    assert_eq!(dev.table_names().await.unwrap(), ["users"]);
    assert_eq!(staging.table_names().await.unwrap(), Vec::<String>::new());
    assert_err!(
        get(&staging, "users", item(&[("id", s("a"))])).await,
        Error::ResourceNotFound(_)
    );
    create(&staging, &hash_table("users")).await;
    assert_eq!(get(&staging, "users", item(&[("id", s("a"))])).await.unwrap(), None);
    assert_eq!(
        get(&dev, "users", item(&[("id", s("a"))])).await.unwrap(),
        Some(item(&[("id", s("a"))]))
    );
    // The backend sees the full names.
    let full = base.backend().describe_table(
        DescribeTableInput::builder()
            .table_name(format!("{}dev_users", base.prefix()))
            .build()
            .unwrap(),
    );
    assert_eq!(
        full.await.unwrap().table.unwrap().table_name(),
        Some(format!("{}dev_users", base.prefix()).as_str())
    );
    // The connection strips the prefix from what it returns.
    let d = dev
        .describe_table(DescribeTableInput::builder().table_name("users").build().unwrap())
        .await
        .unwrap();
    assert_eq!(d.table.unwrap().table_name(), Some("users"));
}

#[tokio::test]
async fn declared_table_is_created_once_under_16_concurrent_first_uses() {
    let base = db("auto");
    let schema = Arc::new(range_table("events", dynamo_objects::KeyType::N));
    let mut tasks = Vec::new();
    for i in 0..16 {
        // Half share one connection, half bring their own: both must work.
        let db = if i % 2 == 0 {
            base.clone()
        } else {
            base.with_prefix(base.prefix())
        };
        let schema = schema.clone();
        tasks.push(tokio::spawn(async move {
            db.ensure_table(&schema).await?;
            db.put_item(put_input("events", item(&[("pk", s("p")), ("sk", n(&i.to_string()))])))
                .await?;
            Ok::<_, Error>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(base.table_names().await.unwrap(), ["events"]);
    let d = base
        .describe_table(DescribeTableInput::builder().table_name("events").build().unwrap())
        .await
        .unwrap();
    assert_eq!(d.table.unwrap().item_count(), Some(16));
}

#[tokio::test]
async fn ensure_table_keeps_existing_data() {
    let db = db("keep");
    create(&db, &hash_table("t")).await;
    put(&db, "t", item(&[("id", s("a"))])).await;
    let other = db.with_prefix(db.prefix());
    other.ensure_table(&hash_table("t")).await.unwrap();
    assert_eq!(
        get(&other, "t", item(&[("id", s("a"))])).await.unwrap(),
        Some(item(&[("id", s("a"))]))
    );
}

#[tokio::test]
async fn ensure_table_after_delete_recreates_it() {
    let db = db("recreate");
    create(&db, &hash_table("t")).await;
    db.delete_table(DeleteTableInput::builder().table_name("t").build().unwrap())
        .await
        .unwrap();
    db.ensure_table(&hash_table("t")).await.unwrap();
    assert_eq!(db.table_names().await.unwrap(), ["t"]);
}

#[tokio::test]
async fn mock_connections_are_independent() {
    let a = Database::mock();
    let b = Database::mock();
    a.ensure_table(&hash_table("tbl")).await.unwrap();
    assert_eq!(a.table_names().await.unwrap(), ["tbl"]);
    assert_eq!(b.table_names().await.unwrap(), Vec::<String>::new());
}

#[tokio::test]
async fn connect_with_localhost_region_means_dynamodb_local() {
    let opts = dynamo_objects::ConnectOptions::region("localhost")
        .local_address("127.0.0.1", 1)
        .table_prefix("x_");
    let db = Database::connect(opts).await;
    assert_eq!(db.prefix(), "x_");
    // Nothing listens on port 1: the request fails as a transport error.
    assert_err!(db.table_names().await, Error::Transport(_));
}
