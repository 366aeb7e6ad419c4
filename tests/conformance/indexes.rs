//! Secondary indexes: maintained on every write, sparse, projected, queryable.

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, IndexSchema, Item, KeyAttr, KeyType, Projection, TableSchema};

use crate::assert_err;
use crate::common::*;

fn vals(pairs: &[(&str, AttributeValue)]) -> Option<HashMap<String, AttributeValue>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn schema() -> TableSchema {
    TableSchema::new("games", KeyAttr::new("player", KeyType::S))
        .range(KeyAttr::new("game", KeyType::S))
        .global_index(
            IndexSchema::new("by_game", KeyAttr::new("game", KeyType::S)).range(KeyAttr::new("score", KeyType::N)),
        )
        .global_index(IndexSchema::new("by_level", KeyAttr::new("lvl", KeyType::S)).projection(Projection::KeysOnly))
        .global_index(
            IndexSchema::new("by_team", KeyAttr::new("team", KeyType::S))
                .projection(Projection::Include(vec!["score".into()])),
        )
        .local_index(
            IndexSchema::new("by_date", KeyAttr::new("player", KeyType::S))
                .range(KeyAttr::new("date", KeyType::S))
                .projection(Projection::KeysOnly),
        )
}

fn row(player: &str, game: &str, score: &str, extra: &[(&str, AttributeValue)]) -> Item {
    let mut it = item(&[
        ("player", s(player)),
        ("game", s(game)),
        ("score", n(score)),
        ("note", s("hi")),
    ]);
    for (k, v) in extra {
        it.insert(k.to_string(), v.clone());
    }
    it
}

async fn setup(test: &str) -> Database {
    let db = db(test);
    create(&db, &schema()).await;
    put(
        &db,
        "games",
        row(
            "ann",
            "chess",
            "10",
            &[("lvl", s("pro")), ("team", s("red")), ("date", s("2024-02"))],
        ),
    )
    .await;
    put(
        &db,
        "games",
        row("bob", "chess", "30", &[("lvl", s("pro")), ("date", s("2024-01"))]),
    )
    .await;
    put(&db, "games", row("cat", "chess", "20", &[])).await;
    put(&db, "games", row("ann", "go", "5", &[("date", s("2024-03"))])).await;
    db
}

fn iq(index: &str, cond: &str, v: Option<HashMap<String, AttributeValue>>) -> QueryInput {
    QueryInput::builder()
        .table_name("games")
        .index_name(index)
        .key_condition_expression(cond)
        .set_expression_attribute_values(v)
        .build()
        .unwrap()
}

#[tokio::test]
async fn global_index_query_orders_by_index_range_key() {
    let db = setup("gsiq").await;
    let out = db
        .query(iq("by_game", "game = :g", vals(&[(":g", s("chess"))])))
        .await
        .unwrap();
    let items = out.items.unwrap();
    assert_eq!(keys(&items, "player"), ["ann", "cat", "bob"]);
    // ALL projection: whole items.
    assert_eq!(items[0].get("note"), Some(&s("hi")));
    let mut input = iq(
        "by_game",
        "game = :g AND score > :s",
        vals(&[(":g", s("chess")), (":s", n("15"))]),
    );
    input.scan_index_forward = Some(false);
    assert_eq!(
        keys(&db.query(input).await.unwrap().items.unwrap(), "player"),
        ["bob", "cat"]
    );
}

#[tokio::test]
async fn index_projections_return_exactly_the_projected_attributes() {
    let db = setup("gsiproj").await;
    let out = db
        .query(iq("by_level", "lvl = :l", vals(&[(":l", s("pro"))])))
        .await
        .unwrap();
    let mut items = out.items.unwrap();
    items.sort_by_key(|i| format!("{:?}", i["player"]));
    assert_eq!(
        items,
        vec![
            item(&[("player", s("ann")), ("game", s("chess")), ("lvl", s("pro"))]),
            item(&[("player", s("bob")), ("game", s("chess")), ("lvl", s("pro"))]),
        ]
    );
    let out = db
        .query(iq("by_team", "team = :t", vals(&[(":t", s("red"))])))
        .await
        .unwrap();
    assert_eq!(
        out.items.unwrap(),
        vec![item(&[
            ("player", s("ann")),
            ("game", s("chess")),
            ("team", s("red")),
            ("score", n("10"))
        ])]
    );
    // ALL_ATTRIBUTES on a GSI that does not project them all is refused.
    let mut input = iq("by_level", "lvl = :l", vals(&[(":l", s("pro"))]));
    input.select = Some(Select::AllAttributes);
    assert_err!(db.query(input).await, Error::Validation(_));
}

#[tokio::test]
async fn local_index_query() {
    let db = setup("lsiq").await;
    let out = db
        .query(iq("by_date", "player = :p", vals(&[(":p", s("ann"))])))
        .await
        .unwrap();
    assert_eq!(
        out.items.unwrap(),
        vec![
            item(&[("player", s("ann")), ("game", s("chess")), ("date", s("2024-02"))]),
            item(&[("player", s("ann")), ("game", s("go")), ("date", s("2024-03"))]),
        ]
    );
    // On a local index, ALL_ATTRIBUTES reads the table.
    let mut input = iq(
        "by_date",
        "player = :p AND #d < :d",
        vals(&[(":p", s("ann")), (":d", s("2024-03"))]),
    );
    input.expression_attribute_names = Some([("#d".to_string(), "date".to_string())].into_iter().collect());
    input.select = Some(Select::AllAttributes);
    let out = db.query(input).await.unwrap();
    assert_eq!(out.items.unwrap()[0].get("note"), Some(&s("hi")));
}

#[tokio::test]
async fn indexes_are_sparse_and_follow_updates_and_deletes() {
    let db = setup("gsisparse").await;
    let count = |db: Database, level: &'static str| async move {
        db.query(iq("by_level", "lvl = :l", vals(&[(":l", s(level))])))
            .await
            .unwrap()
            .count
    };
    assert_eq!(count(db.clone(), "pro").await, 2);
    // An update moves an item between index partitions.
    db.update_item(
        UpdateItemInput::builder()
            .table_name("games")
            .key("player", s("bob"))
            .key("game", s("chess"))
            .update_expression("SET #l = :l")
            .expression_attribute_names("#l", "lvl")
            .expression_attribute_values(":l", s("novice"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(count(db.clone(), "pro").await, 1);
    assert_eq!(count(db.clone(), "novice").await, 1);
    // Removing the attribute takes the item out of the index.
    db.update_item(
        UpdateItemInput::builder()
            .table_name("games")
            .key("player", s("ann"))
            .key("game", s("chess"))
            .update_expression("REMOVE #l")
            .expression_attribute_names("#l", "lvl")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(count(db.clone(), "pro").await, 0);
    // A delete (through a batch) removes the item from every index.
    db.batch_write_item(
        BatchWriteItemInput::builder()
            .request_items(
                "games",
                vec![
                    WriteRequest::builder()
                        .delete_request(
                            DeleteRequest::builder()
                                .key("player", s("bob"))
                                .key("game", s("chess"))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                ],
            )
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(count(db.clone(), "novice").await, 0);
    let out = db
        .query(iq("by_game", "game = :g", vals(&[(":g", s("chess"))])))
        .await
        .unwrap();
    assert_eq!(keys(&out.items.unwrap(), "player"), ["ann", "cat"]);
    // A scan of an index sees only the items that have its keys.
    let out = db
        .scan(
            ScanInput::builder()
                .table_name("games")
                .index_name("by_team")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.count, 1);
}

#[tokio::test]
async fn index_key_of_the_wrong_type_is_validation() {
    let db = setup("gsitype").await;
    let r = db
        .put_item(put_input("games", row("dan", "chess", "1", &[("lvl", n("3"))])))
        .await;
    assert_err!(r, Error::Validation(_));
    let r = db
        .put_item(put_input(
            "games",
            item(&[("player", s("dan")), ("game", s("go")), ("score", s("high"))]),
        ))
        .await;
    assert_err!(r, Error::Validation(_));
    assert_eq!(
        get(&db, "games", item(&[("player", s("dan")), ("game", s("chess"))]))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn consistent_read_on_a_global_index_is_validation() {
    let db = setup("gsiconsistent").await;
    let mut input = iq("by_game", "game = :g", vals(&[(":g", s("chess"))]));
    input.consistent_read = Some(true);
    assert_err!(db.query(input).await, Error::Validation(_));
    let input = iq("nope", "game = :g", vals(&[(":g", s("chess"))]));
    assert_err!(db.query(input).await, Error::Validation(_));
}

#[tokio::test]
async fn index_query_pages() {
    let db = setup("gsipage").await;
    let mut seen = Vec::new();
    let mut start = None;
    loop {
        let mut input = iq("by_game", "game = :g", vals(&[(":g", s("chess"))]));
        input.limit = Some(1);
        input.exclusive_start_key = start.take();
        let out = db.query(input).await.unwrap();
        seen.extend(keys(&out.items.unwrap(), "player"));
        match out.last_evaluated_key {
            Some(k) => {
                let mut names: Vec<&String> = k.keys().collect();
                names.sort();
                assert_eq!(names, ["game", "player", "score"]);
                start = Some(k);
            }
            None => break,
        }
    }
    assert_eq!(seen, ["ann", "cat", "bob"]);
}

#[tokio::test]
async fn global_index_added_by_update_table_is_backfilled() {
    let db = setup("gsiadd").await;
    let create = CreateGlobalSecondaryIndexAction::builder()
        .index_name("by_note")
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("note")
                .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
                .build()
                .unwrap(),
        )
        .projection(
            aws_sdk_dynamodb::types::Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .unwrap();
    db.update_table(
        UpdateTableInput::builder()
            .table_name("games")
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("note")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .global_secondary_index_updates(GlobalSecondaryIndexUpdate::builder().create(create).build())
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    // Wait for the index to be ACTIVE (immediate on the mock and Local).
    for _ in 0..100 {
        let d = db
            .describe_table(DescribeTableInput::builder().table_name("games").build().unwrap())
            .await
            .unwrap();
        let active = d
            .table
            .unwrap()
            .global_secondary_indexes()
            .iter()
            .any(|g| g.index_name() == Some("by_note") && g.index_status() == Some(&IndexStatus::Active));
        if active {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let out = db
        .query(iq("by_note", "note = :n", vals(&[(":n", s("hi"))])))
        .await
        .unwrap();
    assert_eq!(out.count, 4);
}

#[tokio::test]
async fn global_index_removed_by_update_table_is_gone() {
    let db = setup("gsidel").await;
    db.update_table(
        UpdateTableInput::builder()
            .table_name("games")
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder()
                    .delete(
                        DeleteGlobalSecondaryIndexAction::builder()
                            .index_name("by_team")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut gone = false;
    for _ in 0..100 {
        let d = db
            .describe_table(DescribeTableInput::builder().table_name("games").build().unwrap())
            .await
            .unwrap();
        if !d
            .table
            .unwrap()
            .global_secondary_indexes()
            .iter()
            .any(|g| g.index_name() == Some("by_team"))
        {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(gone, "the index is still described");
    let r = db.query(iq("by_team", "team = :t", vals(&[(":t", s("red"))]))).await;
    assert_err!(r, Error::Validation(_));
}
