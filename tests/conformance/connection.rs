//! The connection: prefixes, automatic creation, concurrency, the check of
//! an existing table against its declaration, creation turned off.

use std::sync::Arc;

use dynamo_objects::sdk::*;
use dynamo_objects::{
    Backend, Database, Error, IndexSchema, KeyAttr, KeyType, Projection, Record, TableCreation, TableSchema,
    dynamo_table,
};

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

dynamo_table! {
    /// A member, declared with hash key `id`.
    member: Member { hash id: String, name: String, email: String }

    /// A ticket, findable by owner through a keys-only index.
    ticket: Ticket { hash id: String, owner: String, title: String }
    global_index by_owner(hash owner, projection keys_only)
}

/// The number of items in table `name`, read with a consistent scan.
async fn item_count(db: &Database, name: &str) -> usize {
    db.scan(
        ScanInput::builder()
            .table_name(name)
            .consistent_read(true)
            .build()
            .unwrap(),
    )
    .await
    .unwrap()
    .items
    .unwrap_or_default()
    .len()
}

#[tokio::test]
async fn a_declared_table_whose_existing_table_has_another_hash_key_is_refused_naming_both_and_nothing_is_written() {
    let db = db("mismatch");
    // Someone else made `member` with hash key pk.
    create(&db, &TableSchema::new("member", KeyAttr::new("pk", KeyType::S))).await;
    let members = MemberTable::new(&db);
    let mut record = Member {
        id: "m1".into(),
        name: "Ann".into(),
        email: "ann@example.com".into(),
    };
    let expected = Error::SchemaMismatch {
        table: db.full_name("member"),
        differences: vec!["hash key is pk (S), declared id (S)".to_string()],
    };
    assert_eq!(members.put(&mut record).await, Err(expected.clone()));
    // Not remembered as checked: the second use is refused the same way.
    assert_eq!(members.put(&mut record).await, Err(expected.clone()));
    assert_eq!(
        expected.to_string(),
        format!(
            "table {} does not match its declaration: hash key is pk (S), declared id (S)",
            db.full_name("member")
        )
    );
    assert_eq!(item_count(&db, "member").await, 0);
}

#[tokio::test]
async fn a_declared_index_whose_existing_index_projects_otherwise_is_refused_and_nothing_is_written() {
    let db = db("projection");
    // The existing `ticket` has the index, projecting everything.
    let existing = TableSchema::new("ticket", KeyAttr::new("id", KeyType::S))
        .global_index(IndexSchema::new("by_owner", KeyAttr::new("owner", KeyType::S)));
    create(&db, &existing).await;
    let tickets = TicketTable::new(&db);
    let mut record = Ticket {
        id: "t1".into(),
        owner: "ann".into(),
        title: "Broken".into(),
    };
    assert_eq!(
        tickets.put(&mut record).await,
        Err(Error::SchemaMismatch {
            table: db.full_name("ticket"),
            differences: vec!["global index by_owner: projection is ALL, declared KEYS_ONLY".to_string()],
        })
    );
    assert_eq!(item_count(&db, "ticket").await, 0);
}

#[tokio::test]
async fn every_difference_of_keys_types_indexes_and_included_attributes_is_named() {
    let db = db("differences");
    let existing = TableSchema::new("t", KeyAttr::new("id", KeyType::N))
        .range(KeyAttr::new("at", KeyType::S))
        .global_index(
            IndexSchema::new("by_a", KeyAttr::new("a", KeyType::S))
                .projection(Projection::Include(vec!["x".into(), "y".into()])),
        )
        .global_index(IndexSchema::new("by_b", KeyAttr::new("b", KeyType::S)).range(KeyAttr::new("c", KeyType::N)))
        .local_index(IndexSchema::new("by_d", KeyAttr::new("id", KeyType::N)).range(KeyAttr::new("d", KeyType::S)));
    create(&db, &existing).await;
    let declared = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
        .global_index(
            IndexSchema::new("by_a", KeyAttr::new("a", KeyType::S))
                .projection(Projection::Include(vec!["y".into(), "z".into()])),
        )
        .global_index(IndexSchema::new("by_b", KeyAttr::new("b", KeyType::S)))
        .global_index(IndexSchema::new("by_d", KeyAttr::new("d", KeyType::S)))
        .global_index(IndexSchema::new("by_e", KeyAttr::new("e", KeyType::S)));
    assert_eq!(
        db.ensure_table(&declared).await,
        Err(Error::SchemaMismatch {
            table: db.full_name("t"),
            differences: vec![
                "hash key is id (N), declared id (S)".to_string(),
                "range key is at (S), declared none".to_string(),
                "global index by_a: projection is INCLUDE (x, y), declared INCLUDE (y, z)".to_string(),
                "global index by_b: range key is c (N), declared none".to_string(),
                "global index by_d is missing (the table's by_d is a local index)".to_string(),
                "global index by_e is missing".to_string(),
            ],
        })
    );
}

#[tokio::test]
async fn an_existing_table_with_more_indexes_than_declared_and_other_billing_is_accepted() {
    let db = db("extra");
    let existing = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
        .range(KeyAttr::new("at", KeyType::N))
        .throughput(2, 2)
        .global_index(
            IndexSchema::new("by_a", KeyAttr::new("a", KeyType::S))
                .projection(Projection::Include(vec!["x".into(), "y".into()])),
        )
        .global_index(IndexSchema::new("by_b", KeyAttr::new("b", KeyType::S)))
        .local_index(IndexSchema::new("by_c", KeyAttr::new("id", KeyType::S)).range(KeyAttr::new("c", KeyType::S)));
    create(&db, &existing).await;
    // Declared on demand, with one of the indexes (its included attributes in another order).
    let declared = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
        .range(KeyAttr::new("at", KeyType::N))
        .global_index(
            IndexSchema::new("by_a", KeyAttr::new("a", KeyType::S))
                .projection(Projection::Include(vec!["y".into(), "x".into()])),
        );
    let other = db.with_prefix(db.prefix());
    assert_eq!(other.ensure_table(&declared).await, Ok(()));
    put(&other, "t", item(&[("id", s("a")), ("at", n("1"))])).await;
    assert_eq!(item_count(&other, "t").await, 1);
}

#[tokio::test]
async fn with_table_creation_off_a_missing_table_is_table_missing_and_is_not_created() {
    let base = db("nocreate");
    let db = base.with_table_creation(TableCreation::RequireExisting);
    assert_eq!(db.table_creation(), TableCreation::RequireExisting);
    let members = MemberTable::new(&db);
    let mut record = Member {
        id: "m1".into(),
        name: "Ann".into(),
        email: "ann@example.com".into(),
    };
    let missing = Error::TableMissing {
        table: db.full_name("member"),
    };
    assert_eq!(members.put(&mut record).await, Err(missing.clone()));
    assert_eq!(db.ensure_tables([Member::schema()]).await, Err(missing.clone()));
    assert_eq!(
        missing.to_string(),
        format!(
            "table {} does not exist, and this connection does not create tables",
            db.full_name("member")
        )
    );
    assert_eq!(db.table_names().await.unwrap(), Vec::<String>::new());
    // Once deployed (as declared), the same connection uses it; a prefix keeps the setting.
    create(&base, Member::schema()).await;
    assert_eq!(members.put(&mut record).await, Ok(()));
    assert_eq!(item_count(&db, "member").await, 1);
    let again = db.with_prefix(db.prefix());
    assert_eq!(again.table_creation(), TableCreation::RequireExisting);
    assert_eq!(
        again.ensure_table(Ticket::schema()).await,
        Err(Error::TableMissing {
            table: db.full_name("ticket")
        })
    );
}

#[tokio::test]
async fn ensure_tables_creates_every_declared_table_and_each_is_active() {
    let db = db("upfront");
    let plain = hash_table("plain");
    let provisioned = range_table("provisioned", KeyType::N).throughput(1, 1);
    db.ensure_tables([Member::schema(), Ticket::schema(), &plain, &provisioned])
        .await
        .unwrap();
    assert_eq!(
        db.table_names().await.unwrap(),
        ["member", "plain", "provisioned", "ticket"]
    );
    for name in ["member", "plain", "provisioned", "ticket"] {
        let d = db
            .describe_table(DescribeTableInput::builder().table_name(name).build().unwrap())
            .await
            .unwrap()
            .table
            .unwrap();
        assert_eq!(d.table_status(), Some(&TableStatus::Active), "{name}");
    }
    // The index exists as declared: a second connection finds nothing to object to.
    let other = db.with_prefix(db.prefix());
    assert_eq!(other.ensure_tables([Ticket::schema(), &plain]).await, Ok(()));
    // One bad declaration among good ones: the others are still created, the error names it.
    let more = db.with_prefix(format!("{}more_", db.prefix()));
    create(&more, &TableSchema::new("member", KeyAttr::new("pk", KeyType::S))).await;
    assert_eq!(
        more.ensure_tables([Ticket::schema(), Member::schema(), &plain]).await,
        Err(Error::SchemaMismatch {
            table: more.full_name("member"),
            differences: vec!["hash key is pk (S), declared id (S)".to_string()],
        })
    );
    assert_eq!(more.table_names().await.unwrap(), ["member", "plain", "ticket"]);
}
