//! Single-table design (`single_table!`, `entity!`, `aggregate!`), on both
//! backends: what is stored, partition queries returning the mixed items,
//! typed queries, an overloaded global index, and the errors.

use dynamo_objects::entity::{PartitionKey, Row};
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, aggregate, entity, single_table};
use futures::StreamExt;

use crate::common::*;

single_table! {
    /// A shop's one table.
    shop: Shop { hash "PK", range "SK", entity "_type", global_index gsi1("GSI1PK", "GSI1SK") }
}

entity! {
    /// A customer.
    User in Shop as "USER" { hash user_id: String, name: String, email: String }
    key(pk = "USER#{user_id}", sk = "#PROFILE")
    index gsi1(pk = "EMAIL#{email}", sk = "USER")
}

entity! {
    /// An order of a customer.
    Order in Shop as "ORDER" { hash user_id: String, range order_id: String, cents: u64, note: Option<String> }
    key(pk = "USER#{user_id}", sk = "ORDER#{order_id}")
    index gsi1(pk = "ORDER#{order_id}", sk = "ORDER")
}

entity! {
    /// A line of an order: in the customer's partition, right after its order.
    Line in Shop as "LINE" { hash user_id: String, range order_id: String, range line: u32, sku: String }
    key(pk = "USER#{user_id}", sk = "ORDER#{order_id}#LINE#{line:03}")
    index gsi1(pk = "ORDER#{order_id}", sk = "LINE#{line:03}")
}

aggregate! {
    /// Whatever a customer's partition holds.
    enum UserItem in Shop { User, Order, Line }
}

aggregate! {
    /// An order and its lines (the index partition of one order).
    enum OrderItem in Shop { Order, Line }
}

fn ann() -> User {
    User {
        user_id: "u1".into(),
        name: "Ann".into(),
        email: "ann@example.com".into(),
    }
}

fn order(user: &str, id: &str, cents: u64) -> Order {
    Order {
        user_id: user.into(),
        order_id: id.into(),
        cents,
        note: None,
    }
}

fn line(user: &str, order: &str, n: u32, sku: &str) -> Line {
    Line {
        user_id: user.into(),
        order_id: order.into(),
        line: n,
        sku: sku.into(),
    }
}

/// A shop holding Ann, her orders o1 (two lines) and o2, and Bob's order o3.
async fn shop(db: &Database) -> ShopTable {
    let app = ShopTable::new(db);
    app.put(&ann()).await.unwrap();
    app.put(&order("u1", "o2", 900)).await.unwrap();
    app.put(&line("u1", "o1", 2, "pen")).await.unwrap();
    app.put(&order("u1", "o1", 250)).await.unwrap();
    app.put(&line("u1", "o1", 1, "ink")).await.unwrap();
    app.put(&order("u2", "o3", 5)).await.unwrap();
    app
}

#[tokio::test]
async fn the_table_is_created_on_first_use_with_its_global_index() {
    let db = db("st_create");
    let app = ShopTable::new(&db);
    assert_eq!(app.get::<User>(("nobody",)).await, Ok(None));
    let table = db
        .describe_table(DescribeTableInput::builder().table_name("shop").build().unwrap())
        .await
        .unwrap()
        .table
        .unwrap();
    let keys = |k: &[KeySchemaElement]| {
        k.iter()
            .map(|e| format!("{} {}", e.attribute_name, e.key_type.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(table.key_schema()), ["PK HASH", "SK RANGE"]);
    let gsis = table.global_secondary_indexes();
    assert_eq!(gsis.len(), 1);
    assert_eq!(gsis[0].index_name.as_deref(), Some("gsi1"));
    assert_eq!(keys(gsis[0].key_schema()), ["GSI1PK HASH", "GSI1SK RANGE"]);
    let mut defs: Vec<String> = table
        .attribute_definitions()
        .iter()
        .map(|d| format!("{} {}", d.attribute_name, d.attribute_type.as_str()))
        .collect();
    defs.sort();
    assert_eq!(defs, ["GSI1PK S", "GSI1SK S", "PK S", "SK S"]);
}

#[tokio::test]
async fn an_entity_is_stored_with_its_fields_its_keys_its_type_and_its_index_keys() {
    let db = db("st_stored");
    let app = shop(&db).await;
    let key = item(&[("PK", s("USER#u1")), ("SK", s("ORDER#o1#LINE#002"))]);
    assert_eq!(
        get(&db, "shop", key).await.unwrap(),
        Some(item(&[
            ("PK", s("USER#u1")),
            ("SK", s("ORDER#o1#LINE#002")),
            ("_type", s("LINE")),
            ("GSI1PK", s("ORDER#o1")),
            ("GSI1SK", s("LINE#002")),
            ("user_id", s("u1")),
            ("order_id", s("o1")),
            ("line", n("2")),
            ("sku", s("pen")),
        ]))
    );
    let key = item(&[("PK", s("USER#u1")), ("SK", s("#PROFILE"))]);
    assert_eq!(
        get(&db, "shop", key).await.unwrap(),
        Some(item(&[
            ("PK", s("USER#u1")),
            ("SK", s("#PROFILE")),
            ("_type", s("USER")),
            ("GSI1PK", s("EMAIL#ann@example.com")),
            ("GSI1SK", s("USER")),
            ("user_id", s("u1")),
            ("name", s("Ann")),
            ("email", s("ann@example.com")),
        ]))
    );
    assert_eq!(app.get::<User>(("u1",)).await, Ok(Some(ann())));
    assert_eq!(
        app.get::<Line>(("u1", "o1", 2u32)).await,
        Ok(Some(line("u1", "o1", 2, "pen")))
    );
    assert_eq!(app.get::<Order>(("u1", "o9")).await, Ok(None));
}

#[tokio::test]
async fn a_partition_query_returns_the_mixed_items_as_the_aggregate_in_sort_key_order() {
    let db = db("st_partition");
    let app = shop(&db).await;
    let items = app
        .partition::<UserItem>(PartitionKey::of::<User>(("u1",)))
        .all()
        .await
        .unwrap();
    assert_eq!(
        items,
        [
            UserItem::User(ann()),
            UserItem::Order(order("u1", "o1", 250)),
            UserItem::Line(line("u1", "o1", 1, "ink")),
            UserItem::Line(line("u1", "o1", 2, "pen")),
            UserItem::Order(order("u1", "o2", 900)),
        ]
    );
    // Reversed, limited, and page by page: the plain Query's options.
    let last_two = app
        .partition::<UserItem>(PartitionKey::of::<Order>(("u1",)))
        .reverse()
        .limit(2)
        .all()
        .await
        .unwrap();
    assert_eq!(
        last_two,
        [
            UserItem::Order(order("u1", "o2", 900)),
            UserItem::Line(line("u1", "o1", 2, "pen")),
        ]
    );
    let paged = app
        .partition::<UserItem>(PartitionKey::of::<User>(("u1",)))
        .page_size(2);
    let first = paged.page(None).await.unwrap();
    assert_eq!(
        first.records,
        [UserItem::User(ann()), UserItem::Order(order("u1", "o1", 250))]
    );
    let second = paged.page(first.next).await.unwrap();
    assert_eq!(
        second.records,
        [
            UserItem::Line(line("u1", "o1", 1, "ink")),
            UserItem::Line(line("u1", "o1", 2, "pen"))
        ]
    );
    // Rows: every item, whatever its type.
    let rows = app
        .partition::<Row<Shop>>(PartitionKey::of::<User>(("u2",)))
        .all()
        .await
        .unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| (r.pk.as_str(), r.sk.as_str(), r.entity.as_deref()))
            .collect::<Vec<_>>(),
        [("USER#u2", "ORDER#o3", Some("ORDER"))]
    );
    // A partition named by its raw key value reads the same items.
    let raw = app
        .partition::<Row<Shop>>(PartitionKey::raw(None, "USER#u2"))
        .all()
        .await
        .unwrap();
    assert_eq!(raw, rows);
}

#[tokio::test]
async fn a_typed_query_returns_only_its_type_where_other_types_share_the_sort_key_prefix() {
    let db = db("st_typed");
    let app = shop(&db).await;
    // Lines' sort keys begin with ORDER# too: the type filter leaves them out.
    assert_eq!(
        app.query::<Order>(("u1",)).all().await,
        Ok(vec![order("u1", "o1", 250), order("u1", "o2", 900)])
    );
    assert_eq!(app.query::<Order>(("u1",)).count().await, Ok(2));
    assert_eq!(
        app.query::<Line>(("u1",)).reverse().all().await,
        Ok(vec![line("u1", "o1", 2, "pen"), line("u1", "o1", 1, "ink")])
    );
    assert_eq!(app.query::<User>(("u1",)).all().await, Ok(vec![ann()]));
    assert_eq!(app.query::<User>(("u2",)).all().await, Ok(vec![]));
}

#[tokio::test]
async fn an_overloaded_global_index_returns_several_types_from_one_of_its_partitions() {
    let db = db("st_gsi");
    let app = shop(&db).await;
    assert_eq!(
        app.partition::<OrderItem>(PartitionKey::index::<Order>(Shop::GSI1, ("o1",)))
            .all()
            .await,
        Ok(vec![
            OrderItem::Line(line("u1", "o1", 1, "ink")),
            OrderItem::Line(line("u1", "o1", 2, "pen")),
            OrderItem::Order(order("u1", "o1", 250)),
        ])
    );
    // One type of the same index partition, and another partition of the index.
    assert_eq!(
        app.query_index::<Order>(Shop::GSI1, ("o1",)).all().await,
        Ok(vec![order("u1", "o1", 250)])
    );
    assert_eq!(
        app.query_index::<User>(Shop::GSI1, ("ann@example.com",)).all().await,
        Ok(vec![ann()])
    );
    // Values must match the template's placeholders in number.
    let err = app
        .query_index::<User>(Shop::GSI1, ("ann@example.com", "extra"))
        .all()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "conversion error: the key template \"EMAIL#{email}\" takes 1 value, given 2"
    );
}

#[tokio::test]
async fn an_item_of_a_type_outside_the_aggregate_is_an_error_in_its_place_and_the_stream_goes_on() {
    let db = db("st_unknown");
    let app = shop(&db).await;
    put(
        &db,
        "shop",
        item(&[("PK", s("USER#u2")), ("SK", s("TEAM#t1")), ("_type", s("TEAM"))]),
    )
    .await;
    put(&db, "shop", item(&[("PK", s("USER#u2")), ("SK", s("UNTYPED"))])).await;
    let read: Vec<Result<UserItem, Error>> = app
        .partition::<UserItem>(PartitionKey::of::<User>(("u2",)))
        .stream()
        .collect()
        .await;
    let read: Vec<Result<UserItem, String>> = read.into_iter().map(|r| r.map_err(|e| e.to_string())).collect();
    assert_eq!(
        read,
        [
            Ok(UserItem::Order(order("u2", "o3", 5))),
            Err(
                "conversion error: attribute _type: unknown entity type \"TEAM\"; expected one of USER, ORDER, LINE \
                 (table shop, key PK = \"USER#u2\", SK = \"TEAM#t1\")"
                    .to_string()
            ),
            Err(
                "conversion error: attribute _type: missing (table shop, key PK = \"USER#u2\", SK = \"UNTYPED\")"
                    .to_string()
            ),
        ]
    );
    // A get of one type at a key holding another names both.
    put(
        &db,
        "shop",
        item(&[("PK", s("USER#u3")), ("SK", s("#PROFILE")), ("_type", s("TEAM"))]),
    )
    .await;
    let err = app.get::<User>(("u3",)).await.unwrap_err();
    assert!(matches!(err, Error::Conversion(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "conversion error: attribute _type: entity type \"TEAM\", expected \"USER\" \
         (table shop, key PK = \"USER#u3\", SK = \"#PROFILE\")"
    );
}

#[tokio::test]
async fn a_value_holding_the_separator_is_percent_encoded_and_never_matches_another_key() {
    let db = db("st_separator");
    let app = ShopTable::new(&db);
    // Without encoding, this order's sort key would be a line's of order "o1".
    let tricky = order("u1", "o1#LINE#001", 7);
    app.put(&tricky).await.unwrap();
    app.put(&line("u1", "o1", 1, "ink")).await.unwrap();
    let key = item(&[("PK", s("USER#u1")), ("SK", s("ORDER#o1%23LINE%23001"))]);
    let stored = get(&db, "shop", key).await.unwrap().unwrap();
    assert_eq!(stored.get("order_id"), Some(&s("o1#LINE#001")));
    assert_eq!(stored.get("GSI1PK"), Some(&s("ORDER#o1%23LINE%23001")));
    assert_eq!(app.get::<Order>(("u1", "o1#LINE#001")).await, Ok(Some(tricky.clone())));
    assert_eq!(
        app.get::<Line>(("u1", "o1", 1u32)).await,
        Ok(Some(line("u1", "o1", 1, "ink")))
    );
    assert_eq!(
        app.partition::<OrderItem>(PartitionKey::index::<Order>(Shop::GSI1, ("o1",)))
            .all()
            .await,
        Ok(vec![OrderItem::Line(line("u1", "o1", 1, "ink"))])
    );
}

#[tokio::test]
async fn create_refuses_a_taken_key_and_delete_removes_only_its_own_type() {
    let db = db("st_writes");
    let app = ShopTable::new(&db);
    app.create(&ann()).await.unwrap();
    assert_eq!(
        app.create(&ann()).await,
        Err(Error::AlreadyExists { table: "shop".into() })
    );
    assert_eq!(app.delete::<User>(("u1",)).await, Ok(true));
    assert_eq!(app.delete::<User>(("u1",)).await, Ok(false));
    assert_eq!(app.get::<User>(("u1",)).await, Ok(None));
    // An item of another type at the key is left where it is.
    let team = item(&[("PK", s("USER#u9")), ("SK", s("#PROFILE")), ("_type", s("TEAM"))]);
    put(&db, "shop", team.clone()).await;
    let err = app.delete::<User>(("u9",)).await.unwrap_err();
    assert!(
        matches!(&err, Error::ConditionalCheckFailed { item: Some(i), .. } if i == &team),
        "{err:?}"
    );
    let key = item(&[("PK", s("USER#u9")), ("SK", s("#PROFILE"))]);
    assert_eq!(get(&db, "shop", key).await.unwrap(), Some(team));
}

#[tokio::test]
async fn a_number_written_with_a_width_sorts_by_value_in_the_sort_key() {
    let db = db("st_width");
    let app = ShopTable::new(&db);
    for n in [10, 2, 1] {
        app.put(&line("u5", "o5", n, "ink")).await.unwrap();
    }
    let key = item(&[("PK", s("USER#u5")), ("SK", s("ORDER#o5#LINE#010"))]);
    assert_eq!(
        get(&db, "shop", key).await.unwrap().map(|i| i["line"].clone()),
        Some(n("10"))
    );
    let lines: Vec<u32> = app
        .query::<Line>(("u5",))
        .all()
        .await
        .unwrap()
        .iter()
        .map(|l| l.line)
        .collect();
    assert_eq!(lines, [1, 2, 10]);
    let on_index: Vec<u32> = app
        .partition::<OrderItem>(PartitionKey::index::<Order>(Shop::GSI1, ("o5",)))
        .all()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|i| match i {
            OrderItem::Line(l) => Some(l.line),
            OrderItem::Order(_) => None,
        })
        .collect();
    assert_eq!(on_index, [1, 2, 10]);
}
