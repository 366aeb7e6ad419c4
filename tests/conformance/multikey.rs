//! Global secondary indexes with multi-attribute keys (up to four partition
//! and four sort key attributes): declared by CreateTable and UpdateTable,
//! described, kept on every write (an item without every key attribute is
//! not in the index), sorted by the sort attributes left to right, queried
//! with equality on every partition attribute and conditions on the sort
//! attributes left to right, paged and scanned. DynamoDB Local is the
//! reference for outcomes and, for these rules, for wording too; where the
//! mock keeps the real service's words for a rule older than multi-attribute
//! keys, DynamoDB Local's are accepted on Local only.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::KeyType as Kt;
use dynamo_objects::sdk::*;
use dynamo_objects::{Database, Error, Item};

use crate::common::*;

/// The message of a ValidationException, or a panic naming what came instead.
fn validation<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Validation(m)) => String::from(m),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

/// Asserts `got` is `real`, or on DynamoDB Local `local`.
fn words(got: &str, real: &str, local: &str) {
    assert!(
        got == real || (on_local() && got == local),
        "got {got:?}, want {real:?}"
    );
}

fn element(name: &str, t: Kt) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(t)
        .build()
        .unwrap()
}

fn definition(name: &str, t: ScalarAttributeType) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(t)
        .build()
        .unwrap()
}

/// A key schema from `(name, "H" | "R")` pairs.
fn schema(keys: &[(&str, &str)]) -> Vec<KeySchemaElement> {
    keys.iter()
        .map(|(n, t)| element(n, if *t == "H" { Kt::Hash } else { Kt::Range }))
        .collect()
}

fn gsi(name: &str, keys: &[(&str, &str)], projection: ProjectionType) -> GlobalSecondaryIndex {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .set_key_schema(Some(schema(keys)))
        .projection(Projection::builder().projection_type(projection).build())
        .build()
        .unwrap()
}

/// `pk` (S) hash, and the index `by_abcd` on a (S), b (N) HASH and c (S),
/// d (N) RANGE.
const TABLE_DEFS: &[(&str, ScalarAttributeType)] = &[
    ("pk", ScalarAttributeType::S),
    ("a", ScalarAttributeType::S),
    ("b", ScalarAttributeType::N),
    ("c", ScalarAttributeType::S),
    ("d", ScalarAttributeType::N),
];

fn create_input(db: &Database, keys: &[(&str, &str)], defs: &[(&str, ScalarAttributeType)]) -> CreateTableInput {
    CreateTableInput::builder()
        .table_name(db.full_name("mk"))
        .key_schema(element("pk", Kt::Hash))
        .set_attribute_definitions(Some(defs.iter().map(|(n, t)| definition(n, t.clone())).collect()))
        .global_secondary_indexes(gsi("by_abcd", keys, ProjectionType::All))
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap()
}

/// UpdateTable, again while DynamoDB Local refuses it for the indexes other
/// tests are creating at the same moment ("Only 5 tables with online indexes
/// can be created simultaneously"; the mock never does).
async fn update_table(db: &Database, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
    let mut tries = 0;
    loop {
        match db.backend().update_table(input.clone()).await {
            Err(Error::LimitExceeded(_)) if tries < 100 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return other,
        }
    }
}

const ABCD: &[(&str, &str)] = &[("a", "H"), ("b", "H"), ("c", "R"), ("d", "R")];

/// Items `1` to `9`: `6` lacks d and `7` lacks b (so neither is indexed),
/// `5` is in partition (x, 2), the rest in (x, 1).
async fn setup(test: &str) -> Database {
    let db = db(test);
    db.backend()
        .create_table(create_input(&db, ABCD, TABLE_DEFS))
        .await
        .expect("create table");
    let rows: &[(&str, Option<&str>, &str, Option<&str>)] = &[
        ("1", Some("1"), "m", Some("5")),
        ("2", Some("1"), "m", Some("3")),
        ("3", Some("1"), "l", Some("9")),
        ("4", Some("1"), "n", Some("1")),
        ("5", Some("2"), "m", Some("5")),
        ("6", Some("1"), "m", None),
        ("7", None, "m", Some("5")),
        ("8", Some("1"), "m", Some("-2")),
        ("9", Some("1"), "m", Some("5.5")),
    ];
    for (pk, b, c, d) in rows {
        let mut it = item(&[("pk", s(pk)), ("a", s("x")), ("c", s(c))]);
        if let Some(b) = b {
            it.insert("b".into(), n(b));
        }
        if let Some(d) = d {
            it.insert("d".into(), n(d));
        }
        put(&db, "mk", it).await;
    }
    db
}

fn values(pairs: &[(&str, AttributeValue)]) -> HashMap<String, AttributeValue> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn query(db: &Database, kce: &str, vals: &[(&str, AttributeValue)]) -> QueryInput {
    query_builder(db, kce, vals).build().unwrap()
}

fn query_builder(
    db: &Database,
    kce: &str,
    vals: &[(&str, AttributeValue)],
) -> aws_sdk_dynamodb::operation::query::builders::QueryInputBuilder {
    QueryInput::builder()
        .table_name(db.full_name("mk"))
        .index_name("by_abcd")
        .key_condition_expression(kce)
        .set_expression_attribute_values(Some(values(vals)))
}

async fn pks(db: &Database, input: QueryInput) -> Vec<String> {
    let out = db.backend().query(input).await.expect("query");
    keys(out.items(), "pk")
}

/// Placeholders and their values.
type Values = Vec<(&'static str, AttributeValue)>;

fn ab() -> Vec<(&'static str, AttributeValue)> {
    vec![(":a", s("x")), (":b", n("1"))]
}

fn with(extra: &[(&'static str, AttributeValue)]) -> Vec<(&'static str, AttributeValue)> {
    let mut v = ab();
    v.extend(extra.iter().cloned());
    v
}

#[tokio::test]
async fn a_global_index_of_two_partition_and_two_sort_attributes_is_described_with_all_four_in_order() {
    let db = setup("mkdescribe").await;
    let out = db
        .backend()
        .describe_table(
            DescribeTableInput::builder()
                .table_name(db.full_name("mk"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let table = out.table().unwrap();
    let index = &table.global_secondary_indexes()[0];
    assert_eq!(index.key_schema(), schema(ABCD).as_slice());
    // Items 6 (no d) and 7 (no b) are not in the index.
    assert_eq!(index.item_count(), Some(7));
    assert_eq!(table.item_count(), Some(9));
    let defs: Vec<&str> = table
        .attribute_definitions()
        .iter()
        .map(|d| d.attribute_name())
        .collect();
    assert_eq!(defs, ["pk", "a", "b", "c", "d"]);
}

#[tokio::test]
async fn a_query_on_every_partition_attribute_returns_its_items_sorted_by_the_sort_attributes_left_to_right() {
    let db = setup("mkorder").await;
    // c first (l < m < n), then d numerically (-2 < 3 < 5 < 5.5).
    assert_eq!(
        pks(&db, query(&db, "a = :a AND b = :b", &ab())).await,
        ["3", "8", "2", "1", "9", "4"]
    );
    assert_eq!(
        pks(&db, query(&db, "b = :b AND a = :a", &ab())).await,
        ["3", "8", "2", "1", "9", "4"]
    );
    let back = query_builder(&db, "a = :a AND b = :b", &ab())
        .scan_index_forward(false)
        .build()
        .unwrap();
    assert_eq!(pks(&db, back).await, ["4", "9", "1", "2", "8", "3"]);
    assert_eq!(
        pks(&db, query(&db, "a = :a AND b = :b", &[(":a", s("x")), (":b", n("2"))])).await,
        ["5"]
    );
}

#[tokio::test]
async fn sort_conditions_apply_left_to_right_with_equality_before_the_last_one() {
    let db = setup("mksort").await;
    let cases: &[(&str, Values, &[&str])] = &[
        (
            "a = :a AND b = :b AND c = :c",
            with(&[(":c", s("m"))]),
            &["8", "2", "1", "9"],
        ),
        (
            "a = :a AND b = :b AND c = :c AND d > :d",
            with(&[(":c", s("m")), (":d", n("3"))]),
            &["1", "9"],
        ),
        (
            "a = :a AND b = :b AND c = :c AND d = :d",
            with(&[(":c", s("m")), (":d", n("5"))]),
            &["1"],
        ),
        (
            "a = :a AND b = :b AND c = :c AND d <= :d",
            with(&[(":c", s("m")), (":d", n("3"))]),
            &["8", "2"],
        ),
        (
            "a = :a AND b = :b AND c > :c",
            with(&[(":c", s("l"))]),
            &["8", "2", "1", "9", "4"],
        ),
        (
            "a = :a AND b = :b AND c < :c",
            with(&[(":c", s("n"))]),
            &["3", "8", "2", "1", "9"],
        ),
        (
            "a = :a AND b = :b AND c = :c AND d BETWEEN :lo AND :hi",
            with(&[(":c", s("m")), (":lo", n("0")), (":hi", n("5"))]),
            &["2", "1"],
        ),
        (
            "a = :a AND b = :b AND begins_with(c, :c)",
            with(&[(":c", s("m"))]),
            &["8", "2", "1", "9"],
        ),
        (
            "a = :a AND b = :b AND c BETWEEN :lo AND :hi",
            with(&[(":lo", s("l")), (":hi", s("m"))]),
            &["3", "8", "2", "1", "9"],
        ),
        (
            "c = :c AND d = :d AND a = :a AND b = :b",
            with(&[(":c", s("m")), (":d", n("5"))]),
            &["1"],
        ),
        (
            "(a = :a AND b = :b) AND c = :c",
            with(&[(":c", s("m"))]),
            &["8", "2", "1", "9"],
        ),
        (
            "a = :a AND (b = :b AND c = :c)",
            with(&[(":c", s("m"))]),
            &["8", "2", "1", "9"],
        ),
    ];
    for (kce, vals, want) in cases {
        assert_eq!(pks(&db, query(&db, kce, vals)).await, *want, "{kce}");
        let back = query_builder(&db, kce, vals).scan_index_forward(false).build().unwrap();
        let mut reversed: Vec<&str> = want.to_vec();
        reversed.reverse();
        assert_eq!(pks(&db, back).await, reversed, "{kce} backward");
    }
}

#[tokio::test]
async fn a_page_ends_at_the_table_key_and_every_index_key_attribute_and_the_next_page_goes_on_from_there() {
    let db = setup("mkpaging").await;
    let first = db
        .backend()
        .query(query_builder(&db, "a = :a AND b = :b", &ab()).limit(2).build().unwrap())
        .await
        .unwrap();
    assert_eq!(keys(first.items(), "pk"), ["3", "8"]);
    let last = first.last_evaluated_key().cloned().unwrap();
    assert_eq!(
        last,
        values(&[
            ("pk", s("8")),
            ("a", s("x")),
            ("b", n("1")),
            ("c", s("m")),
            ("d", n("-2"))
        ])
    );
    let rest = query_builder(&db, "a = :a AND b = :b", &ab())
        .set_exclusive_start_key(Some(last))
        .build()
        .unwrap();
    assert_eq!(pks(&db, rest).await, ["2", "1", "9", "4"]);
    let back = db
        .backend()
        .query(
            query_builder(&db, "a = :a AND b = :b", &ab())
                .limit(2)
                .scan_index_forward(false)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(keys(back.items(), "pk"), ["4", "9"]);
    let rest = query_builder(&db, "a = :a AND b = :b", &ab())
        .scan_index_forward(false)
        .set_exclusive_start_key(back.last_evaluated_key().cloned())
        .build()
        .unwrap();
    assert_eq!(pks(&db, rest).await, ["1", "2", "8", "3"]);
}

#[tokio::test]
async fn a_scan_of_the_index_reads_each_partition_in_sort_order_and_pages_by_every_key_attribute() {
    let db = setup("mkscan").await;
    let scan = |limit: Option<i32>, start: Option<Item>| {
        ScanInput::builder()
            .table_name(db.full_name("mk"))
            .index_name("by_abcd")
            .set_limit(limit)
            .set_exclusive_start_key(start)
            .build()
            .unwrap()
    };
    let all = db.backend().scan(scan(None, None)).await.unwrap();
    assert_eq!(keys(all.items(), "pk"), ["3", "8", "2", "1", "9", "4", "5"]);
    let first = db.backend().scan(scan(Some(5), None)).await.unwrap();
    assert_eq!(
        first.last_evaluated_key().cloned().unwrap(),
        values(&[
            ("pk", s("9")),
            ("a", s("x")),
            ("b", n("1")),
            ("c", s("m")),
            ("d", n("5.5"))
        ])
    );
    let rest = db
        .backend()
        .scan(scan(None, first.last_evaluated_key().cloned()))
        .await
        .unwrap();
    assert_eq!(keys(rest.items(), "pk"), ["4", "5"]);
}

#[tokio::test]
async fn writes_move_an_item_between_tuples_and_out_of_the_index_when_a_key_attribute_goes() {
    let db = setup("mkwrites").await;
    let update = |pk: &str, expr: &str, vals: Option<HashMap<String, AttributeValue>>| {
        UpdateItemInput::builder()
            .table_name(db.full_name("mk"))
            .key("pk", s(pk))
            .update_expression(expr)
            .set_expression_attribute_values(vals)
            .build()
            .unwrap()
    };
    // 4 moves from (n, 1) to (a, 0): first now.
    db.backend()
        .update_item(update(
            "4",
            "SET c = :c, d = :d",
            Some(values(&[(":c", s("a")), (":d", n("0"))])),
        ))
        .await
        .unwrap();
    // 1 leaves the index; 6 joins it.
    db.backend().update_item(update("1", "REMOVE d", None)).await.unwrap();
    db.backend()
        .update_item(update("6", "SET d = :d", Some(values(&[(":d", n("4"))]))))
        .await
        .unwrap();
    db.backend()
        .delete_item(
            DeleteItemInput::builder()
                .table_name(db.full_name("mk"))
                .key("pk", s("9"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        pks(&db, query(&db, "a = :a AND b = :b", &ab())).await,
        ["4", "3", "8", "2", "6"]
    );
    let out = db
        .backend()
        .describe_table(
            DescribeTableInput::builder()
                .table_name(db.full_name("mk"))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(out.table().unwrap().global_secondary_indexes()[0].item_count(), Some(6));
}

#[tokio::test]
async fn a_key_condition_must_name_every_partition_attribute_and_the_sort_attributes_left_to_right() {
    let db = setup("mkkeyerrors").await;
    let cases: &[(&str, Values, &str)] = &[
        (
            "a = :a",
            vec![(":a", s("x"))],
            "HASH key attributes b must have equality conditions specified in the query",
        ),
        (
            "b = :b",
            vec![(":b", n("1"))],
            "HASH key attributes a must have equality conditions specified in the query",
        ),
        (
            "c = :c",
            vec![(":c", s("m"))],
            "HASH key attributes a, b must have equality conditions specified in the query",
        ),
        (
            "a = :a AND b < :b",
            ab(),
            "HASH key attributes b must have equality conditions specified in the query",
        ),
        (
            "a = :a AND zz = :b",
            ab(),
            "HASH key attributes b must have equality conditions specified in the query",
        ),
        (
            "a = :a AND b = :b AND d > :d",
            with(&[(":d", n("3"))]),
            "RANGE key attributes c must have equality conditions specified in the query because a condition is present on key attribute d",
        ),
        (
            "a = :a AND b = :b AND c > :c AND d > :d",
            with(&[(":c", s("l")), (":d", n("3"))]),
            "RANGE key attributes c must have equality conditions specified in the query because a condition is present on key attribute d",
        ),
        (
            "a = :a AND b = :b AND c = :c AND c = :c",
            with(&[(":c", s("m"))]),
            "KeyConditionExpressions must only contain one condition per key",
        ),
        (
            "a = :a AND b = :b AND pk = :c",
            with(&[(":c", s("1"))]),
            "Query condition missed key schema element",
        ),
        (
            "a = :a AND b = :b AND c = :c AND d = :d AND pk = :c",
            with(&[(":c", s("m")), (":d", n("1"))]),
            "Query key condition not supported",
        ),
        (
            "a = :a AND b = :b AND c = :c AND d = :d AND c = :c",
            with(&[(":c", s("m")), (":d", n("1"))]),
            "KeyConditionExpressions must only contain one condition per key",
        ),
        (
            "a = :a AND b = :b AND c = :c AND begins_with(d, :d)",
            with(&[(":c", s("m")), (":d", n("5"))]),
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
        ),
        (
            "a = :a AND b = :b",
            vec![(":a", s("x")), (":b", s("1"))],
            "One or more parameter values were invalid: Condition parameter type does not match schema type",
        ),
        (
            "a = :a AND b = :b OR c = :c",
            with(&[(":c", s("m"))]),
            "Invalid operator used in KeyConditionExpression: OR",
        ),
    ];
    for (kce, vals, want) in cases {
        let got = validation(db.backend().query(query(&db, kce, vals)).await);
        assert_eq!(got, *want, "{kce}");
    }
    // The filter may not name any of the key attributes.
    let filtered = query_builder(&db, "a = :a AND b = :b", &ab())
        .filter_expression("d > :b")
        .build()
        .unwrap();
    assert_eq!(
        validation(db.backend().query(filtered).await),
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: d"
    );
}

#[tokio::test]
async fn key_conditions_the_legacy_way_name_several_partition_and_sort_attributes() {
    let db = setup("mklegacy").await;
    let cond = |op: ComparisonOperator, v: AttributeValue| {
        Condition::builder()
            .comparison_operator(op)
            .attribute_value_list(v)
            .build()
            .unwrap()
    };
    let input = |conds: Vec<(&str, Condition)>| {
        QueryInput::builder()
            .table_name(db.full_name("mk"))
            .index_name("by_abcd")
            .set_key_conditions(Some(conds.into_iter().map(|(k, c)| (k.to_string(), c)).collect()))
            .build()
            .unwrap()
    };
    let all = input(vec![
        ("a", cond(ComparisonOperator::Eq, s("x"))),
        ("b", cond(ComparisonOperator::Eq, n("1"))),
        ("c", cond(ComparisonOperator::Eq, s("m"))),
        ("d", cond(ComparisonOperator::Gt, n("3"))),
    ]);
    assert_eq!(pks(&db, all).await, ["1", "9"]);
    let partition = input(vec![
        ("a", cond(ComparisonOperator::Eq, s("x"))),
        ("b", cond(ComparisonOperator::Eq, n("1"))),
    ]);
    assert_eq!(pks(&db, partition).await, ["3", "8", "2", "1", "9", "4"]);
    // A QueryFilter may name none of the index's key attributes.
    for attr in ["b", "c", "d"] {
        let mut filtered = input(vec![
            ("a", cond(ComparisonOperator::Eq, s("x"))),
            ("b", cond(ComparisonOperator::Eq, n("1"))),
        ]);
        filtered.query_filter = Some(
            [(attr.to_string(), cond(ComparisonOperator::Eq, s("m")))]
                .into_iter()
                .collect(),
        );
        assert_eq!(
            validation(db.backend().query(filtered).await),
            format!("QueryFilter can only contain non-primary key attributes: Primary key attribute: {attr}")
        );
    }
    let half = input(vec![("a", cond(ComparisonOperator::Eq, s("x")))]);
    assert_eq!(
        validation(db.backend().query(half).await),
        "HASH key attributes b must have equality conditions specified in the query"
    );
}

#[tokio::test]
async fn update_table_adds_a_multi_attribute_index_filled_from_the_items_already_there() {
    let db = setup("mkupdate").await;
    let create = CreateGlobalSecondaryIndexAction::builder()
        .index_name("by_ca")
        .set_key_schema(Some(schema(&[("c", "H"), ("a", "H"), ("pk", "R")])))
        .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
        .build()
        .unwrap();
    let out = update_table(
        &db,
        UpdateTableInput::builder()
            .table_name(db.full_name("mk"))
            .attribute_definitions(definition("c", ScalarAttributeType::S))
            .attribute_definitions(definition("a", ScalarAttributeType::S))
            .attribute_definitions(definition("pk", ScalarAttributeType::S))
            .global_secondary_index_updates(GlobalSecondaryIndexUpdate::builder().create(create).build())
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    // DynamoDB Local builds the index in the background (CREATING at first):
    // wait until it is ACTIVE, which keeps its limit of indexes being
    // created at once free for other tests too.
    for _ in 0..100 {
        let d = db
            .backend()
            .describe_table(
                DescribeTableInput::builder()
                    .table_name(db.full_name("mk"))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        let active = d
            .table()
            .unwrap()
            .global_secondary_indexes()
            .iter()
            .all(|g| g.index_status() == Some(&IndexStatus::Active));
        if active {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let added = out
        .table_description()
        .unwrap()
        .global_secondary_indexes()
        .iter()
        .find(|i| i.index_name() == Some("by_ca"))
        .cloned()
        .unwrap();
    assert_eq!(
        added.key_schema(),
        schema(&[("c", "H"), ("a", "H"), ("pk", "R")]).as_slice()
    );
    let q = QueryInput::builder()
        .table_name(db.full_name("mk"))
        .index_name("by_ca")
        .key_condition_expression("c = :c AND a = :a AND pk > :p")
        .set_expression_attribute_values(Some(values(&[(":c", s("m")), (":a", s("x")), (":p", s("2"))])))
        .build()
        .unwrap();
    let found = db.backend().query(q).await.unwrap();
    assert_eq!(keys(found.items(), "pk"), ["5", "6", "7", "8", "9"]);
    // Keys only: the table key and the index's three attributes.
    assert_eq!(
        found.items()[0],
        values(&[("pk", s("5")), ("a", s("x")), ("c", s("m"))])
    );
}

#[tokio::test]
async fn a_global_index_takes_at_most_four_partition_and_four_sort_attributes_each_named_once_hash_first() {
    let db = db("mkcreate");
    let names = ["pk", "a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let all_defs: Vec<(&str, ScalarAttributeType)> = names.iter().map(|n| (*n, ScalarAttributeType::S)).collect();
    // Only the definitions the index (and the table's pk) uses.
    let defs_for = |keys: &[(&str, &str)]| -> Vec<(&str, ScalarAttributeType)> {
        all_defs
            .iter()
            .filter(|(n, _)| *n == "pk" || keys.iter().any(|(k, _)| k == n))
            .cloned()
            .collect()
    };
    let eight = [
        ("a", "H"),
        ("b", "H"),
        ("c", "H"),
        ("d", "H"),
        ("e", "R"),
        ("f", "R"),
        ("g", "R"),
        ("h", "R"),
    ];
    let out = db
        .backend()
        .create_table(create_input(&db, &eight, &defs_for(&eight)))
        .await
        .unwrap();
    let described = &out.table_description().unwrap().global_secondary_indexes()[0];
    assert_eq!(described.key_schema(), schema(&eight).as_slice());
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("a", "H"), ("b", "H"), ("c", "H"), ("d", "H"), ("e", "H")],
            "Too many partition keys. GSI can have at most 4 partition keys",
        ),
        (
            &[("a", "H"), ("b", "R"), ("c", "R"), ("d", "R"), ("e", "R"), ("f", "R")],
            "Too many sort keys. GSI can have at most 4 sort keys",
        ),
        (
            &[
                ("a", "H"),
                ("b", "H"),
                ("c", "H"),
                ("d", "H"),
                ("e", "H"),
                ("f", "R"),
                ("g", "R"),
                ("h", "R"),
            ],
            "Too many partition keys. GSI can have at most 4 partition keys",
        ),
        (
            &[
                ("a", "H"),
                ("b", "H"),
                ("c", "H"),
                ("d", "H"),
                ("e", "R"),
                ("f", "R"),
                ("g", "R"),
                ("h", "R"),
                ("i", "R"),
            ],
            "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table",
        ),
        (&[("a", "H"), ("a", "H")], "Two keys can not have the same name"),
        (
            &[("a", "H"), ("b", "R"), ("b", "R")],
            "Two keys can not have the same name",
        ),
        (
            &[("a", "H"), ("a", "H"), ("b", "H"), ("c", "H"), ("d", "H")],
            "Two keys can not have the same name",
        ),
        (
            &[("a", "H"), ("c", "R"), ("b", "H")],
            "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second",
        ),
    ];
    for (keys, want) in cases {
        let got = validation(
            db.backend()
                .create_table(create_input(&db, keys, &defs_for(keys)))
                .await,
        );
        assert_eq!(got, *want, "{keys:?}");
    }
    // An attribute no definition names.
    let got = validation(
        db.backend()
            .create_table(create_input(&db, &[("a", "H"), ("zz", "H")], &defs_for(&[("a", "H")])))
            .await,
    );
    words(
        &got,
        "One or more parameter values were invalid: Some index key attributes are not defined in \
         AttributeDefinitions. Keys: [a, zz], AttributeDefinitions: [pk, a]",
        "Attribute zz is not defined in AttributeDefinitions",
    );
}

#[tokio::test]
async fn a_table_and_a_local_index_still_take_one_hash_and_at_most_one_range_attribute() {
    let db = db("mkbase");
    let base = |keys: &[(&str, &str)]| {
        let mut b = CreateTableInput::builder()
            .table_name(db.full_name("base"))
            .set_key_schema(Some(schema(keys)))
            .billing_mode(BillingMode::PayPerRequest);
        for (n, _) in keys {
            b = b.attribute_definitions(definition(n, ScalarAttributeType::S));
        }
        b.build().unwrap()
    };
    words(
        &validation(db.backend().create_table(base(&[("pk", "H"), ("sk", "H")])).await),
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
        "Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key",
    );
    words(
        &validation(
            db.backend()
                .create_table(base(&[("pk", "H"), ("sk", "R"), ("x", "R")]))
                .await,
        ),
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), \
         KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=x, keyType=RANGE)]' at \
         'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
        "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table",
    );
    let lsi = LocalSecondaryIndex::builder()
        .index_name("by_a")
        .set_key_schema(Some(schema(&[("pk", "H"), ("a", "R"), ("b", "R")])))
        .projection(Projection::builder().projection_type(ProjectionType::All).build())
        .build()
        .unwrap();
    let input = CreateTableInput::builder()
        .table_name(db.full_name("lsi"))
        .set_key_schema(Some(schema(&[("pk", "H"), ("sk", "R")])))
        .set_attribute_definitions(Some(
            ["pk", "sk", "a", "b"]
                .iter()
                .map(|n| definition(n, ScalarAttributeType::S))
                .collect(),
        ))
        .local_secondary_indexes(lsi)
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    words(
        &validation(db.backend().create_table(input).await),
        "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), \
         KeySchemaElement(attributeName=a, keyType=RANGE), KeySchemaElement(attributeName=b, keyType=RANGE)]' at \
         'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length less \
         than or equal to 2",
        "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table",
    );
}

#[tokio::test]
async fn an_item_whose_index_key_attribute_has_another_type_or_is_empty_is_refused() {
    let db = setup("mkputerr").await;
    let bad = put_input(
        &db.full_name("mk"),
        item(&[("pk", s("10")), ("a", s("x")), ("b", s("1"))]),
    );
    let got = validation(db.backend().put_item(bad).await);
    assert!(
        got.starts_with("One or more parameter values were invalid: Type mismatch for Index Key"),
        "{got}"
    );
    let empty = put_input(&db.full_name("mk"), item(&[("pk", s("10")), ("c", s(""))]));
    assert_eq!(
        validation(db.backend().put_item(empty).await),
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. \
         The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by_abcd, IndexKey: c"
    );
}

#[tokio::test]
async fn a_query_or_scan_that_reads_no_item_consumes_no_capacity_and_one_that_reads_some_half_a_unit() {
    let db = setup("mknoread").await;
    let charged = |c: Option<&ConsumedCapacity>| {
        let c = c.expect("capacity asked for");
        (
            c.capacity_units(),
            c.table().and_then(|t| t.capacity_units()),
            c.global_secondary_indexes()
                .and_then(|g| g.get("by_abcd"))
                .and_then(|i| i.capacity_units()),
        )
    };
    let q = |vals: Vec<(&str, AttributeValue)>| {
        query_builder(&db, "a = :a AND b = :b", &vals)
            .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
            .build()
            .unwrap()
    };
    let none = db
        .backend()
        .query(q(vec![(":a", s("none")), (":b", n("1"))]))
        .await
        .unwrap();
    assert_eq!(none.count(), 0);
    assert_eq!(charged(none.consumed_capacity()), (Some(0.0), Some(0.0), Some(0.0)));
    let some = db.backend().query(q(ab())).await.unwrap();
    assert_eq!(charged(some.consumed_capacity()), (Some(0.5), Some(0.0), Some(0.5)));
    // A table nothing was ever written to.
    let empty = db
        .backend()
        .create_table(create_input(&db.with_prefix(db.full_name("e")), ABCD, TABLE_DEFS))
        .await
        .unwrap();
    let name = empty.table_description().unwrap().table_name().unwrap().to_string();
    let scan = db
        .backend()
        .scan(
            ScanInput::builder()
                .table_name(&name)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(scan.consumed_capacity().and_then(|c| c.capacity_units()), Some(0.0));
}

#[tokio::test]
async fn an_item_in_no_entry_before_or_after_costs_an_index_write_only_when_its_key_attributes_together_cover_the_key()
{
    let db = setup("mkcover").await;
    // (attributes of the index key before, after, whether the index is charged)
    let cases: &[(&[&str], &[&str], bool)] = &[
        (&["a"], &["b", "c", "d"], true),
        (&["a", "b"], &["c", "d"], true),
        (&["a", "b", "c"], &["d"], true),
        (&["a", "b", "c"], &["a", "b", "d"], true),
        (&["a"], &["b"], false),
        (&["a", "b"], &["a", "c"], false),
        (&["a", "b", "c"], &["a", "b"], false),
        (&["a", "b", "c"], &["a", "b", "c"], false),
        (&[], &["a", "b", "c"], false),
        (&["a", "b", "c"], &[], false),
    ];
    let value = |attr: &str| if attr == "b" || attr == "d" { n("1") } else { s("v") };
    for (before, after, charged) in cases {
        let row = |attrs: &[&str]| {
            let mut it = item(&[("pk", s("cover"))]);
            for a in attrs {
                it.insert(a.to_string(), value(a));
            }
            it
        };
        db.backend()
            .put_item(put_input(&db.full_name("mk"), row(before)))
            .await
            .unwrap();
        let mut input = put_input(&db.full_name("mk"), row(after));
        input.return_consumed_capacity = Some(ReturnConsumedCapacity::Indexes);
        let out = db.backend().put_item(input).await.unwrap();
        let index = out
            .consumed_capacity()
            .and_then(|c| c.global_secondary_indexes())
            .and_then(|g| g.get("by_abcd"))
            .and_then(|i| i.capacity_units());
        assert_eq!(index, charged.then_some(1.0), "{before:?} -> {after:?}");
    }
}

#[tokio::test]
async fn a_declared_multi_attribute_index_is_ensured_queried_and_matches_its_declaration() {
    use dynamo_objects::{Backend, IndexSchema, KeyAttr, KeyType, TableSchema};
    let db = db("mkdeclared");
    let schema = TableSchema::new("decl", KeyAttr::new("pk", KeyType::S)).global_index(
        IndexSchema::new("by_ab_c", KeyAttr::new("a", KeyType::S))
            .and_hash(KeyAttr::new("b", KeyType::N))
            .and_range(KeyAttr::new("c", KeyType::S)),
    );
    create(&db, &schema).await;
    // Ensuring it again finds nothing to change.
    create(&db, &schema).await;
    for (pk, b, c) in [("1", "1", "z"), ("2", "1", "a"), ("3", "2", "a")] {
        put(
            &db,
            "decl",
            item(&[("pk", s(pk)), ("a", s("x")), ("b", n(b)), ("c", s(c))]),
        )
        .await;
    }
    let described = db
        .describe_table(DescribeTableInput::builder().table_name("decl").build().unwrap())
        .await
        .unwrap();
    assert_eq!(schema.differences(described.table().unwrap()), Vec::<String>::new());
    let q = QueryInput::builder()
        .table_name(db.full_name("decl"))
        .index_name("by_ab_c")
        .key_condition_expression("a = :a AND b = :b")
        .set_expression_attribute_values(Some(values(&[(":a", s("x")), (":b", n("1"))])))
        .build()
        .unwrap();
    assert_eq!(pks(&db, q).await, ["2", "1"]);
}

#[tokio::test]
async fn one_partition_attribute_with_two_sort_attributes_and_two_partition_attributes_alone_follow_the_same_rules() {
    let db = db("mkshapes");
    let input = CreateTableInput::builder()
        .table_name(db.full_name("shapes"))
        .key_schema(element("pk", Kt::Hash))
        .set_attribute_definitions(Some(vec![
            definition("pk", ScalarAttributeType::S),
            definition("a", ScalarAttributeType::S),
            definition("c", ScalarAttributeType::S),
            definition("d", ScalarAttributeType::N),
            definition("e", ScalarAttributeType::S),
        ]))
        .global_secondary_indexes(gsi(
            "by_c_de",
            &[("c", "H"), ("d", "R"), ("e", "R")],
            ProjectionType::All,
        ))
        .global_secondary_indexes(gsi("by_ac", &[("a", "H"), ("c", "H")], ProjectionType::All))
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .unwrap();
    db.backend().create_table(input).await.unwrap();
    for (pk, a, c, d, e) in [
        ("1", "x", "m", "2", "q"),
        ("2", "x", "m", "1", "z"),
        ("3", "x", "m", "1", "r"),
    ] {
        put(
            &db,
            "shapes",
            item(&[("pk", s(pk)), ("a", s(a)), ("c", s(c)), ("d", n(d)), ("e", s(e))]),
        )
        .await;
    }
    let q = |index: &str, kce: &str, vals: &[(&str, AttributeValue)]| {
        QueryInput::builder()
            .table_name(db.full_name("shapes"))
            .index_name(index)
            .key_condition_expression(kce)
            .set_expression_attribute_values(Some(values(vals)))
            .build()
            .unwrap()
    };
    let (c, d, e) = ((":c", s("m")), (":d", n("1")), (":e", s("r")));
    assert_eq!(
        pks(&db, q("by_c_de", "c = :c", std::slice::from_ref(&c))).await,
        ["3", "2", "1"]
    );
    assert_eq!(
        pks(
            &db,
            q(
                "by_c_de",
                "c = :c AND d = :d AND e >= :e",
                &[c.clone(), d.clone(), e.clone()]
            )
        )
        .await,
        ["3", "2"]
    );
    // No sort key: the items of the partition, in an order DynamoDB leaves open.
    let mut partition = pks(&db, q("by_ac", "a = :a AND c = :c", &[(":a", s("x")), c.clone()])).await;
    partition.sort();
    assert_eq!(partition, ["1", "2", "3"]);
    let cases: Vec<(&str, &str, Values, &str)> = vec![
        (
            "by_c_de",
            "d = :d",
            vec![d.clone()],
            "HASH key attributes c must have equality conditions specified in the query",
        ),
        (
            "by_c_de",
            "c < :c",
            vec![c.clone()],
            "HASH key attributes c must have equality conditions specified in the query",
        ),
        (
            "by_c_de",
            "c = :c AND e = :e",
            vec![c.clone(), e.clone()],
            "RANGE key attributes d must have equality conditions specified in the query because a condition is present on key attribute e",
        ),
        (
            "by_c_de",
            "c = :c AND zz = :e",
            vec![c.clone(), e.clone()],
            "Query condition missed key schema element",
        ),
        (
            "by_c_de",
            "c = :c AND d = :d AND e = :e AND pk = :e",
            vec![c.clone(), d.clone(), e.clone()],
            "Query key condition not supported",
        ),
        (
            "by_ac",
            "a = :a",
            vec![(":a", s("x"))],
            "HASH key attributes c must have equality conditions specified in the query",
        ),
        (
            "by_ac",
            "a = :a AND c = :c AND pk = :c",
            vec![(":a", s("x")), c.clone()],
            "Query key condition not supported",
        ),
        (
            "by_ac",
            "a = :a AND c = :c AND a = :a",
            vec![(":a", s("x")), c.clone()],
            "KeyConditionExpressions must only contain one condition per key",
        ),
    ];
    for (index, kce, vals, want) in cases {
        assert_eq!(
            validation(db.backend().query(q(index, kce, &vals)).await),
            want,
            "{index}: {kce}"
        );
    }
}

#[tokio::test]
async fn update_table_refuses_a_multi_attribute_index_by_the_rules_create_table_keeps() {
    let db = setup("mkupdaterules").await;
    let create = |keys: &[(&str, &str)]| {
        let action = CreateGlobalSecondaryIndexAction::builder()
            .index_name("added")
            .set_key_schema(Some(schema(keys)))
            .projection(Projection::builder().projection_type(ProjectionType::KeysOnly).build())
            .build()
            .unwrap();
        let mut b = UpdateTableInput::builder()
            .table_name(db.full_name("mk"))
            .global_secondary_index_updates(GlobalSecondaryIndexUpdate::builder().create(action).build());
        for (name, t) in TABLE_DEFS {
            b = b.attribute_definitions(definition(name, t.clone()));
        }
        b.build().unwrap()
    };
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("a", "H"), ("b", "H"), ("c", "H"), ("d", "H"), ("pk", "H")],
            "Too many partition keys. GSI can have at most 4 partition keys",
        ),
        (&[("a", "H"), ("a", "H")], "Two keys can not have the same name"),
        (
            &[("a", "H"), ("c", "R"), ("b", "H")],
            "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second",
        ),
    ];
    for (keys, want) in cases {
        assert_eq!(validation(update_table(&db, create(keys)).await), *want, "{keys:?}");
    }
}
