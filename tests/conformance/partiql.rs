//! PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction,
//! each answer as DynamoDB Local gives it (message wording as the service's
//! where the two differ: `DuplicateItemException`, which Local calls
//! `DuplicateItem`).

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item, KeyType};

use crate::assert_err;
use crate::common::*;

/// A table `t` (pk S, sk N) holding a/1, a/2 and b/1.
async fn setup(test: &str) -> (Database, String) {
    let db = db(test);
    create(&db, &range_table("t", KeyType::N)).await;
    put(&db, "t", item(&[("pk", s("a")), ("sk", n("1")), ("x", n("5"))])).await;
    put(&db, "t", item(&[("pk", s("a")), ("sk", n("2")), ("x", n("6"))])).await;
    put(&db, "t", item(&[("pk", s("b")), ("sk", n("1"))])).await;
    let t = db.full_name("t");
    (db, t)
}

fn statement(text: &str, params: &[AttributeValue]) -> ExecuteStatementInput {
    ExecuteStatementInput::builder()
        .statement(text)
        .set_parameters((!params.is_empty()).then(|| params.to_vec()))
        .build()
        .unwrap()
}

async fn exec(db: &Database, text: &str, params: &[AttributeValue]) -> Result<ExecuteStatementOutput, Error> {
    db.execute_statement(statement(text, params)).await
}

fn sorted_keys(items: &[Item]) -> Vec<String> {
    let mut k: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                keys(std::slice::from_ref(i), "pk")[0],
                keys(std::slice::from_ref(i), "sk")[0]
            )
        })
        .collect();
    k.sort();
    k
}

fn validation_message(e: &Error) -> String {
    match e {
        Error::Validation(m) => m.to_string(),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn a_select_with_the_hash_key_is_a_query_in_key_order_and_without_a_scan() {
    let (db, t) = setup("pq_select").await;
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#), &[])
        .await
        .unwrap();
    assert_eq!(keys(out.items(), "sk"), ["1", "2"]);
    assert_eq!(out.next_token(), None);
    let out = exec(
        &db,
        &format!(r#"SELECT * FROM "{t}" WHERE pk = ? AND sk > 1"#),
        &[s("a")],
    )
    .await
    .unwrap();
    assert_eq!(out.items(), [item(&[("pk", s("a")), ("sk", n("2")), ("x", n("6"))])]);
    let out = exec(
        &db,
        &format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' ORDER BY sk DESC"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(keys(out.items(), "sk"), ["2", "1"]);
    let out = exec(
        &db,
        &format!(r#"select pk, x from "{t}" where pk = 'a' and sk between 1 and 1"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(out.items(), [item(&[("pk", s("a")), ("x", n("5"))])]);
    // Without the hash key: a scan, filtered.
    let out = exec(
        &db,
        &format!(r#"SELECT * FROM "{t}" WHERE x IS MISSING OR x >= 6"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(sorted_keys(out.items()), ["a/2", "b/1"]);
    let out = exec(
        &db,
        &format!(r#"SELECT * FROM "{t}" WHERE pk IN ['a', 'b'] AND begins_with(pk, 'b')"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(sorted_keys(out.items()), ["b/1"]);
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}""#), &[]).await.unwrap();
    assert_eq!(sorted_keys(out.items()), ["a/1", "a/2", "b/1"]);
    // NULL is a value: a missing attribute is not NULL, and is NOT NULL.
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE x IS NOT NULL"#), &[])
        .await
        .unwrap();
    assert_eq!(sorted_keys(out.items()), ["a/1", "a/2", "b/1"]);
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE x IS NULL"#), &[])
        .await
        .unwrap();
    assert!(out.items().is_empty());
    // Identifiers are case-sensitive, keywords are not.
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE PK = 'a'"#), &[])
        .await
        .unwrap();
    assert!(out.items().is_empty());
}

#[tokio::test]
async fn a_select_with_a_limit_pages_by_next_token_until_every_item_is_seen() {
    let (db, t) = setup("pq_pages").await;
    for text in [
        format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#),
        format!(r#"SELECT * FROM "{t}""#),
    ] {
        let mut seen = Vec::new();
        let mut token = None;
        let mut pages = 0;
        loop {
            let input = ExecuteStatementInput::builder()
                .statement(&text)
                .limit(1)
                .set_next_token(token.take())
                .build()
                .unwrap();
            let out = db.execute_statement(input).await.unwrap();
            pages += 1;
            seen.extend(out.items().iter().cloned());
            match out.next_token {
                Some(t) => token = Some(t),
                None => break,
            }
            assert!(pages < 10, "{text}: no end of pages");
        }
        let expected: &[&str] = if text.contains("WHERE") {
            &["a/1", "a/2"]
        } else {
            &["a/1", "a/2", "b/1"]
        };
        assert_eq!(sorted_keys(&seen), expected, "{text}");
    }
    let input = ExecuteStatementInput::builder()
        .statement(format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#))
        .next_token("garbage")
        .build()
        .unwrap();
    let e = assert_err!(db.execute_statement(input).await, Error::Validation(_));
    assert_eq!(validation_message(&e), "Invalid NextToken");
}

#[tokio::test]
async fn a_select_of_an_index_queries_the_index() {
    let db = db("pq_index");
    let schema = range_table("t", KeyType::N).global_index(dynamo_objects::IndexSchema::new(
        "by_g",
        dynamo_objects::KeyAttr::new("g", KeyType::S),
    ));
    create(&db, &schema).await;
    put(&db, "t", item(&[("pk", s("a")), ("sk", n("1")), ("g", s("G"))])).await;
    put(&db, "t", item(&[("pk", s("b")), ("sk", n("1"))])).await;
    let t = db.full_name("t");
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}"."by_g" WHERE g = 'G'"#), &[])
        .await
        .unwrap();
    assert_eq!(sorted_keys(out.items()), ["a/1"]);
    let e = assert_err!(
        exec(&db, &format!(r#"SELECT * FROM "{t}"."nope""#), &[]).await,
        Error::Validation(_)
    );
    assert_eq!(
        validation_message(&e),
        "The table does not have the specified index: nope"
    );
}

#[tokio::test]
async fn statements_dynamodb_refuses_are_refused_with_its_words() {
    let (db, t) = setup("pq_refused").await;
    let cases = [
        (
            format!(r#"SELEC * FROM "{t}""#),
            format!(r#"Statement wasn't well formed, can't be processed: SELEC * FROM "{t}""#),
        ),
        (
            format!(r#"UPDATE "{t}" SET x = 1 WHERE pk = 'a'"#),
            "Where clause does not contain a mandatory equality on all key attributes".to_string(),
        ),
        (
            format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk > 1"#),
            "Where clause does not contain a mandatory equality on all key attributes".to_string(),
        ),
        (
            format!(r#"UPDATE "{t}" SET x = 1 WHERE pk = 'a' AND sk = 1 OR x = 1"#),
            "Where clause does not contain a mandatory equality on all key attributes".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE pk = 1"#),
            "Key attribute's data type should match its data type in table's schema: Key pk".to_string(),
        ),
        (
            format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'c'}}"#),
            "Key attribute should be present in the item: Key sk".to_string(),
        ),
        (
            format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'c', 'sk': 'x'}}"#),
            "Key attribute's data type should match its data type in table's schema: Key sk".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE foo(pk)"#),
            "Unrecognized function: foo".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE pk = ?"#),
            "Number of parameters in request and statement don't match.".to_string(),
        ),
        (
            format!(r#"UPDATE "{t}" SET pk = 'q' WHERE pk = 'a' AND sk = 1"#),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"
                .to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk > 'x'"#),
            "Key attribute's data type should match its data type in table's schema: Key sk".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE x = 1 OR sk BETWEEN 'a' AND 'b'"#),
            "One or more parameter values were invalid: Condition parameter type does not match schema type"
                .to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE NOT pk IN (1, 'a')"#),
            "One or more parameter values were invalid: Condition parameter type does not match schema type"
                .to_string(),
        ),
        (
            format!("INSERT INTO \"{t}\"\n  VALUE <<1>>"),
            "Unsupported format in item expression. Please use struct format {...} to express item values for insert \
             statement. at 2:9:2"
                .to_string(),
        ),
        (
            format!(r#"UPDATE "{t}" SET x = 1"#),
            "Where clause does not contain a mandatory equality on all key attributes".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" ORDER BY sk"#),
            "Must have WHERE clause in the statement when using ORDER BY clause.".to_string(),
        ),
        (
            format!(r#"SELECT * FROM "{t}" WHERE x = 1 ORDER BY sk"#),
            "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."
                .to_string(),
        ),
        (
            format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'c', 'sk': 1, 's': <<1, 'a'>>}}"#),
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags".to_string(),
        ),
        (
            format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *"#),
            "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."
                .to_string(),
        ),
        (
            format!(r#"INSERT INTO "{t}"."i" VALUE {{'pk': 'c', 'sk': 1}}"#),
            "FROM clause may only contain a single table name in data manipulation statements".to_string(),
        ),
    ];
    for (text, message) in cases {
        let e = assert_err!(exec(&db, &text, &[]).await, Error::Validation(_));
        assert_eq!(validation_message(&e), message, "{text}");
    }
    let e = assert_err!(
        exec(&db, r#"SELECT * FROM "no_such_table_pq""#, &[]).await,
        Error::ResourceNotFound(_)
    );
    // The service's words, or DynamoDB Local's.
    let text = e.to_string();
    assert!(
        text.contains("Requested resource not found") || text.contains("Cannot do operations on a non-existent table"),
        "{e}"
    );
}

#[tokio::test]
async fn an_insert_of_an_existing_key_is_a_duplicate_item_and_changes_nothing() {
    let (db, t) = setup("pq_insert").await;
    let out = exec(
        &db,
        &format!(
            r#"INSERT INTO "{t}" VALUE {{'pk': ?, 'sk': 3, 'm': {{'l': [1, 'two', true, null]}}, 's': <<'x', 'y'>>}}"#
        ),
        &[s("a")],
    )
    .await
    .unwrap();
    assert!(out.items().is_empty());
    let got = exec(
        &db,
        &format!(r#"SELECT m, s FROM "{t}" WHERE pk = 'a' AND sk = 3"#),
        &[],
    )
    .await
    .unwrap();
    let list = AttributeValue::L(vec![
        n("1"),
        s("two"),
        AttributeValue::Bool(true),
        AttributeValue::Null(true),
    ]);
    let map = AttributeValue::M(item(&[("l", list)]));
    assert_eq!(got.items(), [item(&[("m", map), ("s", ss(&["x", "y"]))])]);
    let e = exec(
        &db,
        &format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'a', 'sk': 1, 'x': 99}}"#),
        &[],
    )
    .await
    .unwrap_err();
    // DynamoDB Local's code is `DuplicateItem`, the service's `DuplicateItemException`.
    assert_eq!(e.code().trim_end_matches("Exception"), "DuplicateItem", "{e:?}");
    assert!(e.to_string().contains("Duplicate primary key exists in table"), "{e}");
    let got = exec(&db, &format!(r#"SELECT x FROM "{t}" WHERE pk = 'a' AND sk = 1"#), &[])
        .await
        .unwrap();
    assert_eq!(got.items(), [item(&[("x", n("5"))])]);
}

#[tokio::test]
async fn an_update_needs_the_item_and_its_where_clause_to_hold_and_returns_what_it_is_asked_for() {
    let (db, t) = setup("pq_update").await;
    let out = exec(
        &db,
        &format!(r#"UPDATE "{t}" SET x = x + 1, y = 'new' REMOVE g WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        out.items(),
        [item(&[("pk", s("a")), ("sk", n("1")), ("x", n("6")), ("y", s("new"))])]
    );
    // No such item: the update's implied condition fails.
    let e = assert_err!(
        exec(
            &db,
            &format!(r#"UPDATE "{t}" SET x = 7 WHERE pk = 'zz' AND sk = 1"#),
            &[]
        )
        .await,
        Error::ConditionalCheckFailed { .. }
    );
    assert!(e.to_string().contains("The conditional request failed"), "{e}");
    // A WHERE on another attribute that is false, with the item asked for.
    let input = ExecuteStatementInput::builder()
        .statement(format!(
            r#"UPDATE "{t}" SET x = 7 WHERE pk = 'a' AND sk = 1 AND x = 100"#
        ))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .unwrap();
    let e = assert_err!(db.execute_statement(input).await, Error::ConditionalCheckFailed { .. });
    let Error::ConditionalCheckFailed { item: old, .. } = e else {
        unreachable!()
    };
    assert_eq!(
        old,
        Some(item(&[("pk", s("a")), ("sk", n("1")), ("x", n("6")), ("y", s("new"))]))
    );
    // Sets grow and shrink through set_add and set_delete.
    exec(
        &db,
        &format!(r#"UPDATE "{t}" SET s = <<'a', 'b'>> WHERE pk = 'b' AND sk = 1"#),
        &[],
    )
    .await
    .unwrap();
    exec(
        &db,
        &format!(r#"UPDATE "{t}" SET s = set_add(s, <<'c'>>) WHERE pk = 'b' AND sk = 1"#),
        &[],
    )
    .await
    .unwrap();
    let out = exec(
        &db,
        &format!(r#"UPDATE "{t}" SET s = set_delete(s, <<'a'>>) WHERE pk = 'b' AND sk = 1 RETURNING ALL OLD *"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        out.items(),
        [item(&[("pk", s("b")), ("sk", n("1")), ("s", ss(&["a", "b", "c"]))])]
    );
    let got = exec(&db, &format!(r#"SELECT s FROM "{t}" WHERE pk = 'b' AND sk = 1"#), &[])
        .await
        .unwrap();
    assert_eq!(got.items(), [item(&[("s", ss(&["b", "c"]))])]);
}

#[tokio::test]
async fn a_delete_of_a_missing_item_succeeds_and_a_false_where_clause_fails_it() {
    let (db, t) = setup("pq_delete").await;
    let out = exec(&db, &format!(r#"DELETE FROM "{t}" WHERE pk = 'zz' AND sk = 2"#), &[])
        .await
        .unwrap();
    assert!(out.items().is_empty());
    assert_err!(
        exec(
            &db,
            &format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 1 AND x = 100"#),
            &[]
        )
        .await,
        Error::ConditionalCheckFailed { .. }
    );
    let out = exec(
        &db,
        &format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(out.items(), [item(&[("pk", s("a")), ("sk", n("1")), ("x", n("5"))])]);
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#), &[])
        .await
        .unwrap();
    assert_eq!(keys(out.items(), "sk"), ["2"]);
}

fn batch(text: &str) -> BatchStatementRequest {
    BatchStatementRequest::builder().statement(text).build().unwrap()
}

#[tokio::test]
async fn a_batch_answers_each_statement_on_its_own() {
    let (db, t) = setup("pq_batch").await;
    let reads = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'b' AND sk = 1"#)))
        .statements(batch(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'nope' AND sk = 1"#)))
        .statements(batch(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#)))
        .build()
        .unwrap();
    let out = db.batch_execute_statement(reads).await.unwrap();
    let r = out.responses();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].table_name(), Some(t.as_str()));
    assert_eq!(r[0].item(), Some(&item(&[("pk", s("b")), ("sk", n("1"))])));
    assert_eq!(
        (r[1].table_name(), r[1].item(), r[1].error()),
        (Some(t.as_str()), None, None)
    );
    let e = r[2].error().expect("an error");
    assert_eq!(e.code(), Some(&BatchStatementErrorCodeEnum::ValidationError));
    assert_eq!(e.message(), Some("Only single item select is supported"));

    let writes = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'c', 'sk': 1}}"#)))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'a', 'sk': 1}}"#)))
        .statements(
            BatchStatementRequest::builder()
                .statement(format!(r#"UPDATE "{t}" SET x = 1 WHERE pk = 'b' AND sk = 1 AND x = 3"#))
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let out = db.batch_execute_statement(writes).await.unwrap();
    let r = out.responses();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0].error(), None);
    let e = r[1].error().expect("a duplicate");
    assert_eq!(e.code(), Some(&BatchStatementErrorCodeEnum::DuplicateItem));
    assert_eq!(e.message(), Some("Duplicate primary key exists in table"));
    let e = r[2].error().expect("a failed condition");
    assert_eq!(e.code(), Some(&BatchStatementErrorCodeEnum::ConditionalCheckFailed));
    assert_eq!(e.message(), Some("The conditional request failed"));
    assert_eq!(e.item(), Some(&item(&[("pk", s("b")), ("sk", n("1"))])));
    let returning = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(
            r#"DELETE FROM "{t}" WHERE pk = 'c' AND sk = 1 RETURNING ALL OLD *"#
        )))
        .build()
        .unwrap();
    let out = db.batch_execute_statement(returning).await.unwrap();
    assert_eq!(
        out.responses()[0].item(),
        Some(&item(&[("pk", s("c")), ("sk", n("1"))]))
    );
    let reads_twice = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'b' AND sk = 1"#)))
        .statements(batch(&format!(r#"SELECT pk FROM "{t}" WHERE sk = 1 AND pk = 'b'"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.batch_execute_statement(reads_twice).await, Error::Validation(_));
    assert_eq!(validation_message(&e), "Provided list of item keys contains duplicates");

    let mixed = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'b' AND sk = 1"#)))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'd', 'sk': 1}}"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.batch_execute_statement(mixed).await, Error::Validation(_));
    assert_eq!(
        validation_message(&e),
        "Read and write requests together in the same batch is not supported."
    );
    let twice = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'w', 'sk': 1}}"#)))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'w', 'sk': 1}}"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.batch_execute_statement(twice).await, Error::Validation(_));
    assert_eq!(validation_message(&e), "Provided list of item keys contains duplicates");
    // A bad parameter fails the whole batch.
    let bad_param = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'p1', 'sk': 1}}"#)))
        .statements(
            BatchStatementRequest::builder()
                .statement(format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'p2', 'sk': 1, 'a': ?}}"#))
                .parameters(n("123456789012345678901234567890123456789"))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_err!(db.batch_execute_statement(bad_param).await, Error::Validation(_));
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE pk = 'p1'"#), &[])
        .await
        .unwrap();
    assert!(out.items().is_empty(), "nothing of a refused batch is written");
    let many = BatchExecuteStatementInput::builder()
        .set_statements(Some(vec![
            batch(&format!(
                r#"SELECT * FROM "{t}" WHERE pk = 'b' AND sk = 1"#
            ));
            26
        ]))
        .build()
        .unwrap();
    let e = assert_err!(db.batch_execute_statement(many).await, Error::Validation(_));
    assert_eq!(validation_message(&e), "BatchGetItem cannot fetch more than 25 items");
}

#[tokio::test]
async fn a_batch_with_a_repeated_key_keeps_what_ran_up_to_the_repeat() {
    // DynamoDB Local runs a batch's writes in order and refuses the request
    // at the first statement whose key an earlier one named, after running
    // that statement: the writes before it, and its own, stay.
    let (db, t) = setup("partiql_batch_repeat").await;
    let refused = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'r', 'sk': 1}}"#)))
        .statements(batch(&format!(
            r#"UPDATE "{t}" SET x = 1 WHERE pk = 'r' AND sk = 2 AND begins_with(y, 'z')"#
        )))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'r', 'sk': 2}}"#)))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'r', 'sk': 3}}"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.batch_execute_statement(refused).await, Error::Validation(_));
    assert_eq!(validation_message(&e), "Provided list of item keys contains duplicates");
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE pk = 'r'"#), &[])
        .await
        .unwrap();
    assert_eq!(sorted_keys(out.items()), ["r/1", "r/2"]);
    // An INSERT refused as invalid (an empty string for a key) names no
    // key: a later one on the same key is no repeat.
    let invalid_first = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': '', 'sk': 5}}"#)))
        .statements(batch(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': '', 'sk': 5}}"#)))
        .build()
        .unwrap();
    let out = db.batch_execute_statement(invalid_first).await.unwrap();
    let codes: Vec<_> = out
        .responses()
        .iter()
        .map(|r| r.error().and_then(|e| e.code()).cloned())
        .collect();
    assert_eq!(
        codes,
        [
            Some(BatchStatementErrorCodeEnum::ValidationError),
            Some(BatchStatementErrorCodeEnum::ValidationError)
        ]
    );
}

fn tx(text: &str) -> ParameterizedStatement {
    ParameterizedStatement::builder().statement(text).build().unwrap()
}

#[tokio::test]
async fn a_transaction_applies_all_or_nothing_and_once_per_token() {
    let (db, t) = setup("pq_tx").await;
    let ok = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"INSERT INTO "{t}" VALUE {{'pk': 't', 'sk': 1}}"#)))
        .transact_statements(tx(&format!(r#"UPDATE "{t}" SET v = 1 WHERE pk = 'b' AND sk = 1"#)))
        .build()
        .unwrap();
    let out = db.execute_transaction(ok.clone()).await.unwrap();
    assert!(out.responses().is_empty());
    // Again: the insert is now a duplicate, and nothing is applied.
    let e = assert_err!(db.execute_transaction(ok).await, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { reasons, message, .. } = &e else {
        unreachable!()
    };
    assert_eq!(
        message.to_string(),
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None]"
    );
    assert_eq!(reasons[0].code(), Some("ValidationError"));
    assert_eq!(reasons[0].message(), Some("Duplicate primary key exists in table"));
    assert_eq!(reasons[1].code(), Some("None"));
    let failed = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"DELETE FROM "{t}" WHERE pk = 'b' AND sk = 1 AND v = 9"#)))
        .transact_statements(tx(&format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 1"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.execute_transaction(failed).await, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { reasons, .. } = &e else {
        unreachable!()
    };
    assert_eq!(reasons[0].code(), Some("ConditionalCheckFailed"));
    assert_eq!(reasons[1].code(), Some("None"));
    let out = exec(&db, &format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = 1"#), &[])
        .await
        .unwrap();
    assert_eq!(out.items().len(), 1, "nothing of a cancelled transaction is applied");

    // A token of this run only: DynamoDB Local remembers tokens across runs.
    let token = format!(
        "pq-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let counted = |by: &str| {
        ExecuteTransactionInput::builder()
            .transact_statements(tx(&format!(
                r#"UPDATE "{t}" SET v = v + {by} WHERE pk = 'b' AND sk = 1"#
            )))
            .client_request_token(&token)
            .build()
            .unwrap()
    };
    db.execute_transaction(counted("1")).await.unwrap();
    db.execute_transaction(counted("1")).await.unwrap();
    let out = exec(&db, &format!(r#"SELECT v FROM "{t}" WHERE pk = 'b' AND sk = 1"#), &[])
        .await
        .unwrap();
    assert_eq!(out.items(), [item(&[("v", n("2"))])], "a replayed token applies once");
    assert_err!(
        db.execute_transaction(counted("5")).await,
        Error::IdempotentParameterMismatch(_)
    );

    let reads = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = 2"#)))
        .transact_statements(tx(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'none' AND sk = 1"#)))
        .build()
        .unwrap();
    let out = db.execute_transaction(reads).await.unwrap();
    let r = out.responses();
    assert_eq!(r.len(), 2);
    assert_eq!(
        r[0].item(),
        Some(&item(&[("pk", s("a")), ("sk", n("2")), ("x", n("6"))]))
    );
    assert_eq!(r[1].item(), None);
    // A projection of nothing the item has: an empty item, not none.
    let projected = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"SELECT absent FROM "{t}" WHERE pk = 'a' AND sk = 2"#)))
        .build()
        .unwrap();
    let out = db.execute_transaction(projected).await.unwrap();
    assert_eq!(out.responses()[0].item(), Some(&Item::new()));
    let projected = BatchExecuteStatementInput::builder()
        .statements(batch(&format!(r#"SELECT absent FROM "{t}" WHERE pk = 'a' AND sk = 2"#)))
        .build()
        .unwrap();
    let out = db.batch_execute_statement(projected).await.unwrap();
    assert_eq!(out.responses()[0].item(), Some(&Item::new()));
    let out = exec(
        &db,
        &format!(r#"SELECT absent FROM "{t}" WHERE pk = 'a' AND sk = 2"#),
        &[],
    )
    .await
    .unwrap();
    assert_eq!(out.items(), [Item::new()]);
    let mixed = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = 2"#)))
        .transact_statements(tx(&format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 2"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.execute_transaction(mixed).await, Error::Validation(_));
    assert_eq!(
        validation_message(&e),
        "ExecuteTransaction API does not support both read and write operations in the same request."
    );
    let partial = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"SELECT * FROM "{t}" WHERE pk = 'a'"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.execute_transaction(partial).await, Error::Validation(_));
    assert_eq!(
        validation_message(&e),
        "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause."
    );
    let returning = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"UPDATE "{t}" SET v = 3 WHERE pk = 'b' AND sk = 1"#)))
        .transact_statements(tx(&format!(
            r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *"#
        )))
        .build()
        .unwrap();
    let e = assert_err!(db.execute_transaction(returning).await, Error::Validation(_));
    assert_eq!(
        validation_message(&e),
        "Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction."
    );
    // A key of the wrong type cancels; nothing after it is evaluated: of
    // several mistyped keys only the first has the reason (reads and writes,
    // hash or range key), and a mistyped key is found before one item named
    // twice.
    let statements = |texts: &[String]| {
        let mut input = ExecuteTransactionInput::builder();
        for text in texts {
            input = input.transact_statements(tx(text));
        }
        input.build().unwrap()
    };
    let (none, invalid) = (Some("None"), Some("ValidationError"));
    let cases = [
        (
            vec![
                format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = '2'"#),
                format!(r#"DELETE FROM "{t}" WHERE pk = 'a' AND sk = 2 AND x = 0"#),
            ],
            vec![invalid, none],
        ),
        (
            vec![
                format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = 2"#),
                format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = '1'"#),
            ],
            vec![none, invalid],
        ),
        (
            vec![
                format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = 2"#),
                format!(r#"SELECT * FROM "{t}" WHERE pk = 'a' AND sk = '1'"#),
                format!(r#"SELECT * FROM "{t}" WHERE pk = 'b' AND sk = '1'"#),
            ],
            vec![none, invalid, none],
        ),
        (
            vec![
                format!(r#"DELETE FROM "{t}" WHERE pk = 1 AND sk = 1"#),
                format!(r#"INSERT INTO "{t}" VALUE {{'pk': 'c', 'sk': '1'}}"#),
            ],
            vec![invalid, none],
        ),
        (
            vec![
                format!(r#"UPDATE "{t}" SET v = 3 WHERE pk = 'b' AND sk = 1"#),
                format!(r#"DELETE FROM "{t}" WHERE pk = 'b' AND sk = 1"#),
                format!(r#"DELETE FROM "{t}" WHERE pk = 'b' AND sk = 'x'"#),
            ],
            vec![none, none, invalid],
        ),
    ];
    for (texts, want) in cases {
        let e = assert_err!(
            db.execute_transaction(statements(&texts)).await,
            Error::TransactionCanceled { .. }
        );
        let Error::TransactionCanceled { reasons, .. } = &e else {
            unreachable!()
        };
        let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
        assert_eq!(codes, want, "{texts:?}");
    }
    let same_item = ExecuteTransactionInput::builder()
        .transact_statements(tx(&format!(r#"UPDATE "{t}" SET v = 3 WHERE pk = 'b' AND sk = 1"#)))
        .transact_statements(tx(&format!(r#"UPDATE "{t}" SET v = 4 WHERE pk = 'b' AND sk = 1"#)))
        .build()
        .unwrap();
    let e = assert_err!(db.execute_transaction(same_item).await, Error::Validation(_));
    assert_eq!(
        validation_message(&e),
        "Transaction request cannot include multiple operations on one item"
    );
}

#[tokio::test]
async fn every_reserved_word_is_refused_bare_and_taken_quoted() {
    use dynamo_objects::mock::partiql_reserved::RESERVED;
    let (db, t) = setup("pq_reserved").await;
    for word in RESERVED {
        let bare = format!(r#"SELECT {} FROM "{t}" WHERE pk = 'zz'"#, word.to_ascii_lowercase());
        let e = assert_err!(exec(&db, &bare, &[]).await, Error::Validation(_));
        assert_eq!(
            validation_message(&e),
            format!("Statement wasn't well formed, can't be processed: {bare}"),
            "{word}"
        );
        let quoted = format!(r#"SELECT "{word}" FROM "{t}" WHERE pk = 'zz'"#);
        assert!(exec(&db, &quoted, &[]).await.is_ok(), "{word} quoted");
    }
    // Words PartiQL does not reserve, though DynamoDB's expressions do.
    for word in ["name", "data", "status", "count_", "comment"] {
        let text = format!(r#"SELECT {word} FROM "{t}" WHERE pk = 'zz'"#);
        assert!(exec(&db, &text, &[]).await.is_ok(), "{word}");
    }
}
