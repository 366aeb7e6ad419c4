//! The legacy parameters: `Expected` with `ConditionalOperator`,
//! `AttributeUpdates`, `KeyConditions`, `QueryFilter`, `ScanFilter` and
//! `AttributesToGet`, their validation, and the refusal to mix them with
//! expressions. Also the spread of parallel scan segments.

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item, KeyType};

use crate::common::*;

/// A request's outcome as one line: `ok`, `CCF` (the condition failed),
/// `V: message` (a ValidationException), or the error's debug form.
fn outcome<T>(r: Result<T, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(Error::ConditionalCheckFailed { .. }) => "CCF".into(),
        Err(Error::Validation(m)) => format!("V: {}", String::from(m)),
        Err(other) => format!("{other:?}"),
    }
}

const INVALID: &str = "V: One or more parameter values were invalid: ";

fn invalid(rest: &str) -> String {
    format!("{INVALID}{rest}")
}

fn ns(v: &[&str]) -> AttributeValue {
    AttributeValue::Ns(v.iter().map(|x| x.to_string()).collect())
}

fn list(v: Vec<AttributeValue>) -> AttributeValue {
    AttributeValue::L(v)
}

fn base() -> Item {
    item(&[
        ("id", s("a")),
        ("s", s("hello")),
        ("n", n("5")),
        ("ss", ss(&["x", "y"])),
        ("ns", ns(&["1", "2"])),
        ("l", list(vec![n("1"), s("x")])),
        ("m", AttributeValue::M(item(&[("k", s("v"))]))),
        ("b", b(&[1, 2])),
        ("t", AttributeValue::Bool(true)),
        ("z", AttributeValue::Null(true)),
    ])
}

/// The item with the members of its sets sorted (DynamoDB keeps no order).
fn norm(mut it: Item) -> Item {
    for v in it.values_mut() {
        match v {
            AttributeValue::Ss(x) | AttributeValue::Ns(x) => x.sort(),
            AttributeValue::Bs(x) => x.sort_by(|a, b| a.as_ref().cmp(b.as_ref())),
            _ => {}
        }
    }
    it
}

async fn setup(test: &str) -> Database {
    let db = db(test);
    create(&db, &hash_table("t")).await;
    put(&db, "t", base()).await;
    db
}

/// `ComparisonOperator` with its values.
fn cmp(op: &str, values: Vec<AttributeValue>) -> ExpectedAttributeValue {
    ExpectedAttributeValue::builder()
        .comparison_operator(ComparisonOperator::from(op))
        .set_attribute_value_list(Some(values))
        .build()
}

fn value(v: AttributeValue) -> ExpectedAttributeValue {
    ExpectedAttributeValue::builder().value(v).build()
}

fn exists(e: bool) -> ExpectedAttributeValue {
    ExpectedAttributeValue::builder().exists(e).build()
}

fn expected(pairs: Vec<(&str, ExpectedAttributeValue)>) -> HashMap<String, ExpectedAttributeValue> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// PutItem of the base item again, under `Expected` (the item is unchanged
/// whatever the outcome).
async fn put_expected(
    db: &Database,
    exp: HashMap<String, ExpectedAttributeValue>,
    op: Option<ConditionalOperator>,
) -> String {
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(base()))
        .set_expected(Some(exp))
        .set_conditional_operator(op)
        .build()
        .unwrap();
    outcome(db.put_item(input).await)
}

#[tokio::test]
async fn expected_decides_every_comparison_operator_as_dynamodb_does() {
    let db = setup("lgexp").await;
    let cases: Vec<(&str, ExpectedAttributeValue, String)> = vec![
        ("s", cmp("EQ", vec![s("hello")]), "ok".into()),
        ("s", cmp("EQ", vec![s("nope")]), "CCF".into()),
        ("ss", cmp("EQ", vec![ss(&["y", "x"])]), "ok".into()),
        ("zz", cmp("EQ", vec![s("a")]), "CCF".into()),
        ("s", cmp("EQ", vec![list(vec![])]), "CCF".into()),
        ("t", cmp("EQ", vec![AttributeValue::Bool(true)]), "ok".into()),
        ("zz", cmp("NE", vec![s("a")]), "ok".into()),
        ("s", cmp("NE", vec![n("1")]), "ok".into()),
        ("ss", cmp("NE", vec![ss(&["x"])]), "ok".into()),
        ("n", cmp("LT", vec![n("6")]), "ok".into()),
        ("n", cmp("LT", vec![n("5")]), "CCF".into()),
        ("n", cmp("LE", vec![n("5")]), "ok".into()),
        ("n", cmp("GT", vec![n("4.5")]), "ok".into()),
        ("n", cmp("GE", vec![n("6")]), "CCF".into()),
        ("s", cmp("LT", vec![n("1")]), "CCF".into()),
        ("s", cmp("GT", vec![s("he")]), "ok".into()),
        ("b", cmp("GE", vec![b(&[1])]), "ok".into()),
        ("zz", cmp("GT", vec![n("1")]), "CCF".into()),
        ("s", cmp("NOT_NULL", vec![]), "ok".into()),
        ("zz", cmp("NOT_NULL", vec![]), "CCF".into()),
        ("zz", cmp("NULL", vec![]), "ok".into()),
        // An attribute of type NULL exists.
        ("z", cmp("NULL", vec![]), "CCF".into()),
        ("s", cmp("CONTAINS", vec![s("ell")]), "ok".into()),
        ("ss", cmp("CONTAINS", vec![s("x")]), "ok".into()),
        ("ns", cmp("CONTAINS", vec![n("3")]), "CCF".into()),
        ("l", cmp("CONTAINS", vec![n("1")]), "ok".into()),
        ("b", cmp("CONTAINS", vec![b(&[2])]), "ok".into()),
        ("s", cmp("CONTAINS", vec![AttributeValue::Bool(true)]), "CCF".into()),
        ("zz", cmp("CONTAINS", vec![s("x")]), "CCF".into()),
        ("ss", cmp("NOT_CONTAINS", vec![s("q")]), "ok".into()),
        ("ss", cmp("NOT_CONTAINS", vec![s("x")]), "CCF".into()),
        ("n", cmp("NOT_CONTAINS", vec![s("1")]), "ok".into()),
        // Unlike `NOT contains(...)`: false on an absent attribute.
        ("zz", cmp("NOT_CONTAINS", vec![s("x")]), "CCF".into()),
        ("s", cmp("BEGINS_WITH", vec![s("he")]), "ok".into()),
        ("s", cmp("BEGINS_WITH", vec![s("el")]), "CCF".into()),
        ("b", cmp("BEGINS_WITH", vec![b(&[1])]), "ok".into()),
        ("n", cmp("BEGINS_WITH", vec![s("5")]), "CCF".into()),
        ("s", cmp("IN", vec![s("x"), s("hello")]), "ok".into()),
        ("s", cmp("IN", vec![s("x")]), "CCF".into()),
        ("zz", cmp("IN", vec![s("a"), s("b")]), "CCF".into()),
        ("n", cmp("BETWEEN", vec![n("1"), n("9")]), "ok".into()),
        ("n", cmp("BETWEEN", vec![n("5"), n("5")]), "ok".into()),
        ("n", cmp("BETWEEN", vec![n("6"), n("9")]), "CCF".into()),
        ("s", cmp("BETWEEN", vec![n("1"), n("9")]), "CCF".into()),
        ("s", exists(false), "CCF".into()),
        ("zz", exists(false), "ok".into()),
        ("s", value(s("hello")), "ok".into()),
        ("s", value(s("nope")), "CCF".into()),
        ("zz", value(s("nope")), "CCF".into()),
        (
            "s",
            ExpectedAttributeValue::builder().exists(true).value(s("hello")).build(),
            "ok".into(),
        ),
        (
            "s",
            ExpectedAttributeValue::builder()
                .value(s("hello"))
                .comparison_operator(ComparisonOperator::Eq)
                .build(),
            "ok".into(),
        ),
    ];
    for (name, e, want) in cases {
        let got = put_expected(&db, expected(vec![(name, e.clone())]), None).await;
        assert_eq!(got, want, "{name}: {e:?}");
    }
}

#[tokio::test]
async fn expected_refuses_what_dynamodb_refuses() {
    let db = setup("lgexpbad").await;
    let eb = ExpectedAttributeValue::builder;
    let cases: Vec<(&str, ExpectedAttributeValue, String)> = vec![
        (
            "s",
            cmp("LT", vec![ss(&["a"])]),
            invalid("ComparisonOperator LT is not valid for SS AttributeValue type"),
        ),
        (
            "s",
            cmp("GE", vec![AttributeValue::Bool(true)]),
            invalid("ComparisonOperator GE is not valid for BOOL AttributeValue type"),
        ),
        (
            "l",
            cmp("CONTAINS", vec![list(vec![])]),
            invalid("ComparisonOperator CONTAINS is not valid for L AttributeValue type"),
        ),
        (
            "s",
            cmp("NOT_CONTAINS", vec![ss(&["a"])]),
            invalid("ComparisonOperator NOT_CONTAINS is not valid for SS AttributeValue type"),
        ),
        (
            "s",
            cmp("BEGINS_WITH", vec![n("1")]),
            invalid("ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
        ),
        (
            "s",
            cmp("IN", vec![ss(&["a"])]),
            invalid("ComparisonOperator IN is not valid for SS AttributeValue type"),
        ),
        (
            "n",
            cmp(
                "BETWEEN",
                vec![AttributeValue::M(HashMap::new()), AttributeValue::M(HashMap::new())],
            ),
            invalid("ComparisonOperator BETWEEN is not valid for M AttributeValue type"),
        ),
        (
            "s",
            cmp("IN", vec![s("x"), n("1")]),
            invalid("AttributeValues inside AttributeValueList must be of same type"),
        ),
        (
            "n",
            cmp("BETWEEN", vec![n("1"), s("9")]),
            invalid("AttributeValues inside AttributeValueList must be of same type"),
        ),
        (
            "n",
            cmp("BETWEEN", vec![n("9"), n("1")]),
            "V: The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
                .into(),
        ),
        (
            "s",
            cmp("LT", vec![s("z"), s("y")]),
            invalid("Invalid number of argument(s) for the LT ComparisonOperator"),
        ),
        (
            "s",
            cmp("EQ", vec![]),
            invalid("Invalid number of argument(s) for the EQ ComparisonOperator"),
        ),
        (
            "s",
            cmp("NULL", vec![s("a")]),
            invalid("Invalid number of argument(s) for the NULL ComparisonOperator"),
        ),
        (
            "s",
            cmp("IN", vec![]),
            invalid("Invalid number of argument(s) for the IN ComparisonOperator"),
        ),
        (
            "n",
            cmp("BETWEEN", vec![n("1")]),
            invalid("Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
        ),
        (
            "s",
            eb().comparison_operator(ComparisonOperator::Lt).build(),
            invalid("Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: s"),
        ),
        (
            "s",
            eb().exists(true).build(),
            invalid("Value must be provided when Exists is true for Attribute: s"),
        ),
        (
            "s",
            eb().build(),
            invalid("Value must be provided when Exists is null for Attribute: s"),
        ),
        (
            "s",
            eb().exists(false).value(s("hello")).build(),
            invalid("Value cannot be used when Exists is false for Attribute: s"),
        ),
        (
            "s",
            eb().exists(true)
                .comparison_operator(ComparisonOperator::NotNull)
                .build(),
            invalid("Exists and ComparisonOperator cannot be used together for Attribute: s"),
        ),
        (
            "s",
            eb().value(s("hello")).attribute_value_list(s("hello")).build(),
            invalid("Value and AttributeValueList cannot be used together for Attribute: s"),
        ),
        (
            "s",
            eb().attribute_value_list(s("hello")).build(),
            invalid("AttributeValueList can only be used with a ComparisonOperator for Attribute: s"),
        ),
        (
            "s",
            cmp("FOO", vec![s("hello")]),
            "V: Comparison type does not exist in DynamoDB".into(),
        ),
        (
            "s",
            value(AttributeValue::Ss(vec![])),
            invalid("An string set  may not be empty"),
        ),
    ];
    for (name, e, want) in cases {
        let got = put_expected(&db, expected(vec![(name, e.clone())]), None).await;
        assert_eq!(got, want, "{name}: {e:?}");
    }
    // A bad number is a ValidationException (the mock words it as the
    // service does, DynamoDB Local otherwise).
    let got = put_expected(&db, expected(vec![("s", cmp("EQ", vec![n("abc")]))]), None).await;
    assert!(
        got.starts_with("V: ") && (got.contains("number") || got.contains("numeric")),
        "{got}"
    );
}

#[tokio::test]
async fn expected_joins_its_conditions_with_and_unless_told_or() {
    let db = setup("lgexpop").await;
    let two = || expected(vec![("s", value(s("nope"))), ("n", value(n("5")))]);
    assert_eq!(put_expected(&db, two(), None).await, "CCF");
    assert_eq!(put_expected(&db, two(), Some(ConditionalOperator::And)).await, "CCF");
    assert_eq!(put_expected(&db, two(), Some(ConditionalOperator::Or)).await, "ok");
    let both = expected(vec![("s", value(s("hello"))), ("n", cmp("GT", vec![n("1")]))]);
    assert_eq!(put_expected(&db, both, Some(ConditionalOperator::And)).await, "ok");
    assert_eq!(
        put_expected(
            &db,
            expected(vec![("s", value(s("hello")))]),
            Some(ConditionalOperator::Or)
        )
        .await,
        "V: ConditionalOperator can only be used when Filter or Expected has two or more elements"
    );
    // An empty Expected is no condition.
    assert_eq!(put_expected(&db, HashMap::new(), None).await, "ok");
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(base()))
        .conditional_operator(ConditionalOperator::And)
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.put_item(input).await),
        "V: ConditionalOperator cannot be used without Filter or Expected"
    );
}

#[tokio::test]
async fn expected_guards_deletes_and_updates_and_returns_the_old_item_when_asked() {
    let db = setup("lgexpdel").await;
    let key = || item(&[("id", s("a"))]);
    let delete = |e: HashMap<String, ExpectedAttributeValue>| {
        DeleteItemInput::builder()
            .table_name("t")
            .set_key(Some(key()))
            .set_expected(Some(e))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build()
            .unwrap()
    };
    let r = db.delete_item(delete(expected(vec![("n", value(n("6")))]))).await;
    match r {
        Err(Error::ConditionalCheckFailed { item: Some(old), .. }) => assert_eq!(norm(old), base()),
        other => panic!("expected the condition to fail with the old item, got {other:?}"),
    }
    let update = UpdateItemInput::builder()
        .table_name("t")
        .set_key(Some(key()))
        .attribute_updates(
            "n",
            AttributeValueUpdate::builder()
                .action(AttributeAction::Add)
                .value(n("1"))
                .build(),
        )
        .set_expected(Some(expected(vec![("n", value(n("5"))), ("zz", exists(false))])))
        .return_values(ReturnValue::UpdatedNew)
        .build()
        .unwrap();
    let out = db.update_item(update.clone()).await.unwrap();
    assert_eq!(out.attributes, Some(item(&[("n", n("6"))])));
    assert_eq!(outcome(db.update_item(update).await), "CCF");
    let r = db.delete_item(delete(expected(vec![("n", value(n("6")))]))).await;
    assert_eq!(outcome(r), "ok");
    assert_eq!(get(&db, "t", key()).await.unwrap(), None);
}

fn upd(action: Option<AttributeAction>, v: Option<AttributeValue>) -> AttributeValueUpdate {
    AttributeValueUpdate::builder().set_action(action).set_value(v).build()
}

fn put_v(v: AttributeValue) -> AttributeValueUpdate {
    upd(Some(AttributeAction::Put), Some(v))
}

fn add(v: AttributeValue) -> AttributeValueUpdate {
    upd(Some(AttributeAction::Add), Some(v))
}

fn del(v: Option<AttributeValue>) -> AttributeValueUpdate {
    upd(Some(AttributeAction::Delete), v)
}

/// UpdateItem of the base item (written afresh) with `AttributeUpdates`:
/// the attributes that changed (`-name` for one removed), or the error.
async fn update_base(db: &Database, updates: Vec<(&str, AttributeValueUpdate)>) -> String {
    put(db, "t", base()).await;
    let input = UpdateItemInput::builder()
        .table_name("t")
        .set_key(Some(item(&[("id", s("a"))])))
        .set_attribute_updates(Some(updates.into_iter().map(|(k, u)| (k.to_string(), u)).collect()))
        .return_values(ReturnValue::AllNew)
        .build()
        .unwrap();
    match db.update_item(input).await {
        Ok(out) => {
            let new = norm(out.attributes.unwrap_or_default());
            let old = base();
            let mut changes: Vec<String> = new
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(*v))
                .map(|(k, v)| format!("{k}={v:?}"))
                .chain(old.keys().filter(|k| !new.contains_key(*k)).map(|k| format!("-{k}")))
                .collect();
            changes.sort();
            changes.join(" ")
        }
        Err(e) => outcome::<()>(Err(e)),
    }
}

#[tokio::test]
async fn attribute_updates_put_add_and_delete_on_every_type() {
    let db = setup("lgau").await;
    let cases: Vec<(Vec<(&str, AttributeValueUpdate)>, String)> = vec![
        (vec![("s", put_v(s("x")))], r#"s=S("x")"#.into()),
        (vec![("new", put_v(list(vec![])))], "new=L([])".into()),
        (vec![("s", del(None))], "-s".into()),
        (vec![("zz", del(None))], "".into()),
        (vec![("ss", del(Some(ss(&["x"]))))], r#"ss=Ss(["y"])"#.into()),
        (vec![("ss", del(Some(ss(&["x", "y"]))))], "-ss".into()),
        (vec![("zz", del(Some(ss(&["x"]))))], "".into()),
        (vec![("n", add(n("2")))], r#"n=N("7")"#.into()),
        (vec![("n", add(n("-7.5")))], r#"n=N("-2.5")"#.into()),
        (vec![("zz", add(n("3")))], r#"zz=N("3")"#.into()),
        (vec![("ns", add(ns(&["3", "1"])))], r#"ns=Ns(["1", "2", "3"])"#.into()),
        (vec![("zz", add(ss(&["z"])))], r#"zz=Ss(["z"])"#.into()),
        // ADD to a list appends; to an absent attribute it sets.
        (
            vec![("l", add(list(vec![s("q")])))],
            r#"l=L([N("1"), S("x"), S("q")])"#.into(),
        ),
        (vec![("zz", add(list(vec![s("q")])))], r#"zz=L([S("q")])"#.into()),
        (
            vec![
                ("s", del(None)),
                ("n", add(n("1"))),
                ("new", put_v(AttributeValue::Bool(false))),
            ],
            r#"-s n=N("6") new=Bool(false)"#.into(),
        ),
        // The names are taken literally.
        (vec![("a.b", put_v(n("1")))], r#"a.b=N("1")"#.into()),
        (vec![], "".into()),
    ];
    for (updates, want) in cases {
        let shown = format!("{updates:?}");
        assert_eq!(update_base(&db, updates).await, want, "{shown}");
    }
    assert_eq!(
        update_base(&db, vec![("ss", add(ss(&["z", "x"])))]).await,
        r#"ss=Ss(["x", "y", "z"])"#
    );
}

#[tokio::test]
async fn attribute_updates_refuse_what_dynamodb_refuses() {
    let db = setup("lgaubad").await;
    let cases: Vec<(Vec<(&str, AttributeValueUpdate)>, String)> = vec![
        (
            vec![("s", upd(Some(AttributeAction::Put), None))],
            invalid("Only DELETE action is allowed when no attribute value is specified"),
        ),
        (
            vec![("n", upd(Some(AttributeAction::Add), None))],
            invalid("Only DELETE action is allowed when no attribute value is specified"),
        ),
        (
            vec![("s", del(Some(s("hello"))))],
            invalid("DELETE action with value is not supported for the type STRING"),
        ),
        (
            vec![("zz", del(Some(n("1"))))],
            invalid("DELETE action with value is not supported for the type NUMBER"),
        ),
        (
            vec![("zz", del(Some(list(vec![]))))],
            invalid("DELETE action with value is not supported for the type LIST"),
        ),
        (
            vec![("s", add(s("q")))],
            invalid("ADD action is not supported for the type STRING"),
        ),
        (
            vec![("zz", add(AttributeValue::M(HashMap::new())))],
            invalid("ADD action is not supported for the type MAP"),
        ),
        (
            vec![("zz", add(AttributeValue::Bool(true)))],
            invalid("ADD action is not supported for the type BOOLEAN"),
        ),
        (
            vec![("zz", add(b(&[1])))],
            invalid("ADD action is not supported for the type BINARY"),
        ),
        (
            vec![("s", add(n("1")))],
            "V: Type mismatch for attribute to update".into(),
        ),
        (
            vec![("l", add(n("1")))],
            "V: Type mismatch for attribute to update".into(),
        ),
        (
            vec![("ss", add(ns(&["1"])))],
            "V: Type mismatch for attribute to update".into(),
        ),
        (
            vec![("ss", del(Some(ns(&["1"]))))],
            "V: Type mismatch for attribute to update".into(),
        ),
        (
            vec![("n", del(Some(ss(&["a"]))))],
            "V: Type mismatch for attribute to update".into(),
        ),
        (
            vec![("id", put_v(s("x")))],
            invalid("Cannot update attribute id. This attribute is part of the key"),
        ),
        (
            vec![("id", del(None))],
            invalid("Cannot update attribute id. This attribute is part of the key"),
        ),
        (
            vec![("s", put_v(AttributeValue::Ss(vec![])))],
            invalid("An string set  may not be empty"),
        ),
    ];
    for (updates, want) in cases {
        let shown = format!("{updates:?}");
        assert_eq!(update_base(&db, updates).await, want, "{shown}");
    }
    let got = update_base(&db, vec![("s", put_v(n("x")))]).await;
    assert!(
        got.starts_with("V: ") && (got.contains("number") || got.contains("numeric")),
        "{got}"
    );
    // Nothing was written by the refused updates.
    assert_eq!(
        get(&db, "t", item(&[("id", s("a"))])).await.unwrap().map(norm),
        Some(base())
    );
}

#[tokio::test]
async fn attribute_updates_upsert_and_return_the_updated_attributes() {
    let db = setup("lgauups").await;
    let update = |id: &str, updates: Vec<(&str, AttributeValueUpdate)>, rv: ReturnValue| {
        UpdateItemInput::builder()
            .table_name("t")
            .set_key(Some(item(&[("id", s(id))])))
            .set_attribute_updates(Some(updates.into_iter().map(|(k, u)| (k.to_string(), u)).collect()))
            .return_values(rv)
            .build()
            .unwrap()
    };
    let out = db
        .update_item(update("new1", vec![("n", add(n("1")))], ReturnValue::AllNew))
        .await
        .unwrap();
    assert_eq!(out.attributes, Some(item(&[("id", s("new1")), ("n", n("1"))])));
    // Deletes alone still create the item, with its key.
    db.update_item(update("new2", vec![("n", del(None))], ReturnValue::None))
        .await
        .unwrap();
    assert_eq!(
        get(&db, "t", item(&[("id", s("new2"))])).await.unwrap(),
        Some(item(&[("id", s("new2"))]))
    );
    let two = || vec![("s", del(None)), ("n", add(n("1")))];
    let out = db
        .update_item(update("a", two(), ReturnValue::UpdatedOld))
        .await
        .unwrap();
    assert_eq!(out.attributes, Some(item(&[("s", s("hello")), ("n", n("5"))])));
    let out = db
        .update_item(update("a", two(), ReturnValue::UpdatedNew))
        .await
        .unwrap();
    assert_eq!(out.attributes, Some(item(&[("n", n("7"))])));
}

fn kc(op: &str, values: Vec<AttributeValue>) -> Condition {
    Condition::builder()
        .comparison_operator(ComparisonOperator::from(op))
        .set_attribute_value_list(Some(values))
        .build()
        .unwrap()
}

fn conds(pairs: Vec<(&str, Condition)>) -> HashMap<String, Condition> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A table with range key `sk` (N): items `pk=a, sk=0..4` with `x = 10 * sk`
/// and `tag = v<sk>`, and `pk=b, sk=1`.
async fn range_setup(test: &str) -> Database {
    let db = db(test);
    create(&db, &range_table("r", KeyType::N)).await;
    for i in 0..5 {
        let it = item(&[
            ("pk", s("a")),
            ("sk", n(&i.to_string())),
            ("x", n(&(i * 10).to_string())),
            ("tag", s(&format!("v{i}"))),
        ]);
        put(&db, "r", it).await;
    }
    put(&db, "r", item(&[("pk", s("b")), ("sk", n("1"))])).await;
    db
}

/// A Query's range keys, or its error.
async fn query_keys(db: &Database, input: QueryInput) -> String {
    match db.query(input).await {
        Ok(out) => keys(&out.items.unwrap_or_default(), "sk").join(","),
        Err(e) => outcome::<()>(Err(e)),
    }
}

fn query(key: HashMap<String, Condition>) -> QueryInput {
    QueryInput::builder()
        .table_name("r")
        .set_key_conditions(Some(key))
        .build()
        .unwrap()
}

#[tokio::test]
async fn key_conditions_select_with_each_allowed_operator() {
    let db = range_setup("lgkc").await;
    let hash = || ("pk", kc("EQ", vec![s("a")]));
    let cases: Vec<(Vec<(&str, Condition)>, &str)> = vec![
        (vec![hash()], "0,1,2,3,4"),
        (vec![hash(), ("sk", kc("EQ", vec![n("2")]))], "2"),
        (vec![hash(), ("sk", kc("LE", vec![n("2")]))], "0,1,2"),
        (vec![hash(), ("sk", kc("LT", vec![n("2")]))], "0,1"),
        (vec![hash(), ("sk", kc("GE", vec![n("2")]))], "2,3,4"),
        (vec![hash(), ("sk", kc("GT", vec![n("2")]))], "3,4"),
        (vec![hash(), ("sk", kc("BETWEEN", vec![n("1"), n("3")]))], "1,2,3"),
        (vec![("pk", kc("EQ", vec![s("b")]))], "1"),
    ];
    for (key, want) in cases {
        let shown = format!("{key:?}");
        assert_eq!(query_keys(&db, query(conds(key))).await, want, "{shown}");
    }
    // BEGINS_WITH on a string range key.
    let db2 = db.clone();
    create(&db2, &range_table("rs", KeyType::S)).await;
    for sk in ["ab", "abc", "b"] {
        put(&db2, "rs", item(&[("pk", s("a")), ("sk", s(sk))])).await;
    }
    let mut input = query(conds(vec![hash(), ("sk", kc("BEGINS_WITH", vec![s("ab")]))]));
    input.table_name = Some("rs".into());
    assert_eq!(query_keys(&db2, input).await, "ab,abc");
}

#[tokio::test]
async fn key_conditions_refuse_what_dynamodb_refuses() {
    let db = range_setup("lgkcbad").await;
    let hash = || ("pk", kc("EQ", vec![s("a")]));
    let cases: Vec<(Vec<(&str, Condition)>, String)> = vec![
        (vec![], "V: Conditions must be at least length 1".into()),
        (
            vec![hash(), ("sk", kc("EQ", vec![n("1")])), ("x", kc("EQ", vec![n("1")]))],
            "V: Conditions can be of length 1 or 2 only".into(),
        ),
        (
            vec![("sk", kc("EQ", vec![n("1")]))],
            "V: Query condition missed key schema element".into(),
        ),
        (
            vec![hash(), ("x", kc("EQ", vec![n("1")]))],
            "V: Query condition missed key schema element".into(),
        ),
        (
            vec![("pk", kc("LT", vec![s("a")]))],
            "V: Query key condition not supported".into(),
        ),
        (
            vec![("pk", kc("BEGINS_WITH", vec![s("a")]))],
            "V: Query key condition not supported".into(),
        ),
        (
            vec![hash(), ("sk", kc("IN", vec![n("2")]))],
            "V: Attempted conditional constraint is not an indexable operation".into(),
        ),
        (
            vec![hash(), ("sk", kc("CONTAINS", vec![n("1")]))],
            "V: Attempted conditional constraint is not an indexable operation".into(),
        ),
        (
            vec![hash(), ("sk", kc("NOT_NULL", vec![]))],
            "V: Only scalar types can be used as Range Key values".into(),
        ),
        (
            vec![hash(), ("sk", kc("BEGINS_WITH", vec![n("1")]))],
            invalid("ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
        ),
        (
            vec![hash(), ("sk", kc("EQ", vec![]))],
            invalid("Invalid number of argument(s) for the EQ ComparisonOperator"),
        ),
        (
            vec![hash(), ("sk", kc("LT", vec![s("1")]))],
            invalid("Condition parameter type does not match schema type"),
        ),
        (
            vec![("pk", kc("EQ", vec![n("1")]))],
            invalid("Condition parameter type does not match schema type"),
        ),
    ];
    for (key, want) in cases {
        let shown = format!("{key:?}");
        assert_eq!(query_keys(&db, query(conds(key))).await, want, "{shown}");
    }
    let input = QueryInput::builder().table_name("r").build().unwrap();
    assert_eq!(
        query_keys(&db, input).await,
        "V: Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    );
}

/// The filter cases both QueryFilter and ScanFilter are checked on: the
/// condition on `x` or `tag`, and the range keys of the items of `pk=a`
/// it keeps.
fn filter_cases() -> Vec<(&'static str, Condition, &'static str)> {
    vec![
        ("x", kc("EQ", vec![n("20")]), "2"),
        ("x", kc("NE", vec![n("20")]), "0,1,3,4"),
        ("x", kc("LE", vec![n("20")]), "0,1,2"),
        ("x", kc("LT", vec![n("20")]), "0,1"),
        ("x", kc("GE", vec![n("20")]), "2,3,4"),
        ("x", kc("GT", vec![n("20")]), "3,4"),
        ("x", kc("NOT_NULL", vec![]), "0,1,2,3,4"),
        ("nope", kc("NULL", vec![]), "0,1,2,3,4"),
        ("x", kc("NULL", vec![]), ""),
        ("tag", kc("CONTAINS", vec![s("3")]), "3"),
        ("tag", kc("NOT_CONTAINS", vec![s("3")]), "0,1,2,4"),
        ("nope", kc("NOT_CONTAINS", vec![s("3")]), ""),
        ("tag", kc("BEGINS_WITH", vec![s("v")]), "0,1,2,3,4"),
        ("x", kc("IN", vec![n("10"), n("40"), n("99")]), "1,4"),
        ("x", kc("BETWEEN", vec![n("10"), n("30")]), "1,2,3"),
    ]
}

#[tokio::test]
async fn query_filter_keeps_what_each_operator_keeps() {
    let db = range_setup("lgqf").await;
    for (attr, c, want) in filter_cases() {
        let mut input = query(conds(vec![("pk", kc("EQ", vec![s("a")]))]));
        input.query_filter = Some(conds(vec![(attr, c.clone())]));
        assert_eq!(query_keys(&db, input).await, want, "{attr}: {c:?}");
    }
    let filtered = |f: Vec<(&str, Condition)>, op: Option<ConditionalOperator>| {
        let mut input = query(conds(vec![("pk", kc("EQ", vec![s("a")]))]));
        input.query_filter = Some(conds(f));
        input.conditional_operator = op;
        input
    };
    let two = || vec![("x", kc("GT", vec![n("10")])), ("tag", kc("EQ", vec![s("v0")]))];
    assert_eq!(
        query_keys(&db, filtered(two(), Some(ConditionalOperator::Or))).await,
        "0,2,3,4"
    );
    assert_eq!(query_keys(&db, filtered(two(), None)).await, "");
    assert_eq!(
        query_keys(&db, filtered(vec![("sk", kc("EQ", vec![n("1")]))], None)).await,
        "V: QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"
    );
    assert_eq!(
        query_keys(&db, filtered(vec![("x", kc("GT", vec![]))], None)).await,
        invalid("Invalid number of argument(s) for the GT ComparisonOperator")
    );
    assert_eq!(
        query_keys(
            &db,
            filtered(vec![("x", kc("GT", vec![n("1")]))], Some(ConditionalOperator::Or))
        )
        .await,
        "V: ConditionalOperator can only be used when Filter or Expected has two or more elements"
    );
    // The filter applies after the limit, as a FilterExpression does.
    let mut input = filtered(vec![("x", kc("GT", vec![n("10")]))], None);
    input.limit = Some(2);
    let out = db.query(input).await.unwrap();
    assert_eq!((out.count, out.scanned_count), (0, 2));
}

#[tokio::test]
async fn scan_filter_keeps_what_each_operator_keeps() {
    let db = range_setup("lgsf").await;
    let scan_keys = |f: HashMap<String, Condition>, op: Option<ConditionalOperator>| {
        let db = db.clone();
        async move {
            let input = ScanInput::builder()
                .table_name("r")
                .set_scan_filter(Some(f))
                .set_conditional_operator(op)
                .build()
                .unwrap();
            match db.scan(input).await {
                Ok(out) => {
                    let mut items = out.items.unwrap_or_default();
                    items.retain(|i| i.get("pk") == Some(&s("a")));
                    let mut k = keys(&items, "sk");
                    k.sort();
                    k.join(",")
                }
                Err(e) => outcome::<()>(Err(e)),
            }
        }
    };
    for (attr, c, want) in filter_cases() {
        assert_eq!(
            scan_keys(conds(vec![(attr, c.clone())]), None).await,
            want,
            "{attr}: {c:?}"
        );
    }
    // A scan may filter on the keys.
    let on_keys = conds(vec![
        ("pk", kc("EQ", vec![s("a")])),
        ("sk", kc("IN", vec![n("1"), n("3")])),
    ]);
    assert_eq!(scan_keys(on_keys, Some(ConditionalOperator::And)).await, "1,3");
    let either = conds(vec![("x", kc("EQ", vec![n("0")])), ("tag", kc("EQ", vec![s("v4")]))]);
    assert_eq!(scan_keys(either, Some(ConditionalOperator::Or)).await, "0,4");
    assert_eq!(
        scan_keys(conds(vec![("x", kc("FOO", vec![n("1")]))]), None).await,
        "V: Comparison type does not exist in DynamoDB"
    );
}

#[tokio::test]
async fn attributes_to_get_projects_gets_batch_gets_queries_and_scans() {
    let db = range_setup("lgatg").await;
    let key = || item(&[("pk", s("a")), ("sk", n("1"))]);
    let names = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let get = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .set_attributes_to_get(Some(names(&["tag", "nope", "sk"])))
        .build()
        .unwrap();
    let out = db.get_item(get).await.unwrap();
    assert_eq!(out.item, Some(item(&[("tag", s("v1")), ("sk", n("1"))])));
    let dup = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .set_attributes_to_get(Some(names(&["tag", "x", "tag"])))
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.get_item(dup).await),
        "V: Cannot have two attributes with the same name"
    );
    let batch = |atg: Vec<String>| {
        BatchGetItemInput::builder()
            .request_items(
                "r",
                KeysAndAttributes::builder()
                    .keys(key())
                    .set_attributes_to_get(Some(atg))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    let out = db.batch_get_item(batch(names(&["x"]))).await.unwrap();
    let got = out.responses.unwrap_or_default().remove("r").unwrap_or_default();
    assert_eq!(got, vec![item(&[("x", n("10"))])]);
    assert_eq!(
        outcome(db.batch_get_item(batch(names(&["x", "x"]))).await),
        invalid("Duplicate value in attribute name: x")
    );
    let mut q = query(conds(vec![("pk", kc("EQ", vec![s("a")]))]));
    q.attributes_to_get = Some(names(&["tag"]));
    q.select = Some(Select::SpecificAttributes);
    let out = db.query(q.clone()).await.unwrap();
    let tags: Vec<Item> = (0..5).map(|i| item(&[("tag", s(&format!("v{i}")))])).collect();
    assert_eq!(out.items, Some(tags));
    q.select = Some(Select::AllAttributes);
    assert_eq!(
        outcome(db.query(q.clone()).await),
        "V: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"
    );
    q.select = Some(Select::Count);
    assert_eq!(
        outcome(db.query(q).await),
        "V: Cannot specify the AttributesToGet when choosing to get only the Count"
    );
    let scan = ScanInput::builder()
        .table_name("r")
        .set_attributes_to_get(Some(names(&["sk"])))
        .set_scan_filter(Some(conds(vec![("pk", kc("EQ", vec![s("b")]))])))
        .build()
        .unwrap();
    let out = db.scan(scan).await.unwrap();
    assert_eq!(out.items, Some(vec![item(&[("sk", n("1"))])]));
}

#[tokio::test]
async fn each_operation_refuses_legacy_and_expression_parameters_together() {
    let db = range_setup("lgmix").await;
    let mix = |non: &str, expr: &str| {
        format!(
            "V: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{non}}} Expression parameters: {{{expr}}}"
        )
    };
    let key = || item(&[("pk", s("a")), ("sk", n("1"))]);
    let vals = || Some(HashMap::from([(":v".to_string(), s("a"))]));
    let get = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .attributes_to_get("x")
        .projection_expression("x")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.get_item(get).await),
        mix("AttributesToGet", "ProjectionExpression")
    );
    // Before the table is looked up.
    let get = GetItemInput::builder()
        .table_name("nope")
        .set_key(Some(key()))
        .attributes_to_get("x")
        .projection_expression("x")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.get_item(get).await),
        mix("AttributesToGet", "ProjectionExpression")
    );
    let batch = BatchGetItemInput::builder()
        .request_items(
            "r",
            KeysAndAttributes::builder()
                .keys(key())
                .attributes_to_get("x")
                .projection_expression("x")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.batch_get_item(batch).await),
        mix("AttributesToGet", "ProjectionExpression")
    );
    let put = PutItemInput::builder()
        .table_name("r")
        .set_item(Some(key()))
        .expected("x", exists(false))
        .condition_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(outcome(db.put_item(put).await), mix("Expected", "ConditionExpression"));
    let put = PutItemInput::builder()
        .table_name("r")
        .set_item(Some(key()))
        .conditional_operator(ConditionalOperator::And)
        .condition_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.put_item(put).await),
        mix("ConditionalOperator", "ConditionExpression")
    );
    let delete = DeleteItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .expected("x", exists(false))
        .condition_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.delete_item(delete).await),
        mix("Expected", "ConditionExpression")
    );
    let update = UpdateItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .attribute_updates("x", put_v(s("x")))
        .expected("x", exists(false))
        .conditional_operator(ConditionalOperator::Or)
        .update_expression("SET y = :v")
        .condition_expression("attribute_exists(x)")
        .set_expression_attribute_values(vals())
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.update_item(update).await),
        mix(
            "AttributeUpdates, Expected, ConditionalOperator",
            "UpdateExpression, ConditionExpression"
        )
    );
    let update = UpdateItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .attribute_updates("x", put_v(s("x")))
        .condition_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.update_item(update).await),
        mix("AttributeUpdates", "ConditionExpression")
    );
    let q = QueryInput::builder()
        .table_name("r")
        .key_condition_expression("pk = :v")
        .set_expression_attribute_values(vals())
        .attributes_to_get("x")
        .projection_expression("x")
        .query_filter("x", kc("NOT_NULL", vec![]))
        .filter_expression("attribute_exists(x)")
        .key_conditions("pk", kc("EQ", vec![s("a")]))
        .conditional_operator(ConditionalOperator::Or)
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.query(q).await),
        mix(
            "AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions",
            "ProjectionExpression, FilterExpression, KeyConditionExpression"
        )
    );
    let q = QueryInput::builder()
        .table_name("r")
        .key_condition_expression("pk = :v")
        .set_expression_attribute_values(vals())
        .key_conditions("pk", kc("EQ", vec![s("a")]))
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.query(q).await),
        mix("KeyConditions", "KeyConditionExpression")
    );
    // KeyConditions go with a FilterExpression or ProjectionExpression, as on
    // DynamoDB Local.
    let q = QueryInput::builder()
        .table_name("r")
        .key_conditions("pk", kc("EQ", vec![s("a")]))
        .filter_expression("x > :v")
        .expression_attribute_values(":v", n("20"))
        .projection_expression("sk")
        .build()
        .unwrap();
    assert_eq!(query_keys(&db, q).await, "3,4");
    let scan = ScanInput::builder()
        .table_name("r")
        .attributes_to_get("x")
        .projection_expression("x")
        .scan_filter("x", kc("NOT_NULL", vec![]))
        .conditional_operator(ConditionalOperator::And)
        .filter_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.scan(scan).await),
        mix(
            "AttributesToGet, ScanFilter, ConditionalOperator",
            "ProjectionExpression, FilterExpression"
        )
    );
    // Placeholders belong to expressions.
    let get = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .attributes_to_get("x")
        .expression_attribute_names("#x", "x")
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.get_item(get).await),
        "V: ExpressionAttributeNames can only be specified when using expressions"
    );
}

#[tokio::test]
async fn an_empty_legacy_map_or_list_counts_as_absent_beside_expressions_as_on_dynamodb_local() {
    let db = range_setup("lgempty").await;
    let key = || item(&[("pk", s("a")), ("sk", n("1"))]);
    let vals = |v: AttributeValue| Some(HashMap::from([(":v".to_string(), v)]));
    // Query: empty KeyConditions, QueryFilter and AttributesToGet beside
    // a KeyConditionExpression, a FilterExpression and a ProjectionExpression.
    let q = QueryInput::builder()
        .table_name("r")
        .set_key_conditions(Some(HashMap::new()))
        .set_query_filter(Some(HashMap::new()))
        .set_attributes_to_get(Some(Vec::new()))
        .key_condition_expression("pk = :v")
        .filter_expression("x > :t")
        .projection_expression("sk")
        .set_expression_attribute_values(vals(s("a")))
        .expression_attribute_values(":t", n("15"))
        .build()
        .unwrap();
    assert_eq!(query_keys(&db, q).await, "2,3,4");
    // KeyConditions given as legacy, an empty QueryFilter beside a FilterExpression.
    let q = QueryInput::builder()
        .table_name("r")
        .key_conditions("pk", kc("EQ", vec![s("a")]))
        .set_query_filter(Some(HashMap::new()))
        .filter_expression("x < :v")
        .set_expression_attribute_values(vals(n("15")))
        .build()
        .unwrap();
    assert_eq!(query_keys(&db, q).await, "0,1");
    // An empty KeyConditions with no expression is still refused.
    let q = QueryInput::builder()
        .table_name("r")
        .set_key_conditions(Some(HashMap::new()))
        .build()
        .unwrap();
    assert_eq!(query_keys(&db, q).await, "V: Conditions must be at least length 1");
    // Scan: an empty ScanFilter beside a FilterExpression filters by the expression.
    let scan = ScanInput::builder()
        .table_name("r")
        .set_scan_filter(Some(HashMap::new()))
        .set_attributes_to_get(Some(Vec::new()))
        .filter_expression("pk = :v")
        .projection_expression("sk")
        .set_expression_attribute_values(vals(s("b")))
        .build()
        .unwrap();
    let out = db.scan(scan).await.unwrap();
    assert_eq!(out.items, Some(vec![item(&[("sk", n("1"))])]));
    // A ConditionalOperator is a value, not a collection: still refused.
    let scan = ScanInput::builder()
        .table_name("r")
        .set_scan_filter(Some(HashMap::new()))
        .conditional_operator(ConditionalOperator::Or)
        .filter_expression("pk = :v")
        .set_expression_attribute_values(vals(s("b")))
        .build()
        .unwrap();
    assert_eq!(
        outcome(db.scan(scan).await),
        "V: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {FilterExpression}"
    );
    // GetItem and BatchGetItem: an empty AttributesToGet beside a ProjectionExpression.
    let get = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .set_attributes_to_get(Some(Vec::new()))
        .projection_expression("x")
        .build()
        .unwrap();
    assert_eq!(db.get_item(get).await.unwrap().item, Some(item(&[("x", n("10"))])));
    let batch = BatchGetItemInput::builder()
        .request_items(
            "r",
            KeysAndAttributes::builder()
                .keys(key())
                .set_attributes_to_get(Some(Vec::new()))
                .projection_expression("tag")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let got = db.batch_get_item(batch).await.unwrap().responses.unwrap_or_default();
    assert_eq!(got.get("r"), Some(&vec![item(&[("tag", s("v1"))])]));
    // PutItem and DeleteItem: an empty Expected beside a ConditionExpression,
    // which decides.
    let put = |cond: &str| {
        PutItemInput::builder()
            .table_name("r")
            .set_item(Some(item(&[("pk", s("a")), ("sk", n("1")), ("x", n("11"))])))
            .set_expected(Some(HashMap::new()))
            .condition_expression(cond)
            .build()
            .unwrap()
    };
    assert_eq!(outcome(db.put_item(put("attribute_not_exists(pk)")).await), "CCF");
    assert_eq!(outcome(db.put_item(put("attribute_exists(pk)")).await), "ok");
    let delete = DeleteItemInput::builder()
        .table_name("r")
        .set_key(Some(item(&[("pk", s("b")), ("sk", n("1"))])))
        .set_expected(Some(HashMap::new()))
        .condition_expression("attribute_exists(x)")
        .build()
        .unwrap();
    assert_eq!(outcome(db.delete_item(delete).await), "CCF");
    // UpdateItem: empty AttributeUpdates and Expected beside an
    // UpdateExpression, which is applied.
    let update = UpdateItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .set_attribute_updates(Some(HashMap::new()))
        .set_expected(Some(HashMap::new()))
        .update_expression("SET tag = :v")
        .set_expression_attribute_values(vals(s("set")))
        .return_values(ReturnValue::UpdatedNew)
        .build()
        .unwrap();
    let out = db.update_item(update).await.unwrap();
    assert_eq!(out.attributes, Some(item(&[("tag", s("set"))])));
    let get = GetItemInput::builder()
        .table_name("r")
        .set_key(Some(key()))
        .build()
        .unwrap();
    let got = db.get_item(get).await.unwrap().item.unwrap();
    assert_eq!(got.get("tag"), Some(&s("set")));
    assert_eq!(got.get("x"), Some(&n("11")));
}

#[tokio::test]
async fn a_parallel_scan_spreads_sequential_keys_as_dynamodb_local_does() {
    let db = db("lgseg");
    create(&db, &hash_table("t")).await;
    for i in 0..40 {
        put(&db, "t", item(&[("id", s(&format!("id{i:03}")))])).await;
    }
    let mut counts = Vec::new();
    let mut first = Vec::new();
    for segment in 0..4 {
        let input = ScanInput::builder()
            .table_name("t")
            .segment(segment)
            .total_segments(4)
            .build()
            .unwrap();
        let items = db.scan(input).await.unwrap().items.unwrap_or_default();
        counts.push(items.len());
        if segment == 0 {
            first = keys(&items, "id");
            first.sort();
        }
    }
    assert_eq!(counts, [10, 9, 9, 12]);
    assert_eq!(
        first,
        [
            "id002", "id007", "id012", "id013", "id017", "id022", "id024", "id031", "id032", "id037"
        ]
    );
}

/// A table `pk`/`sk` (S, N) with a global index `by_g` (`g` S, `a` N,
/// projecting `b`) and a local index `by_b` (`b` S).
async fn indexed_setup(test: &str) -> Database {
    use dynamo_objects::{IndexSchema, KeyAttr, Projection};
    let db = db(test);
    let schema = range_table("ix", KeyType::N)
        .global_index(
            IndexSchema::new("by_g", KeyAttr::new("g", KeyType::S))
                .range(KeyAttr::new("a", KeyType::N))
                .projection(Projection::Include(vec!["b".into()])),
        )
        .local_index(IndexSchema::new("by_b", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("b", KeyType::S)));
    create(&db, &schema).await;
    db
}

#[tokio::test]
async fn attribute_updates_are_validated_only_once_the_condition_holds() {
    let db = setup("lgaucond").await;
    let failing = || expected(vec![("zz", value(s("x")))]);
    let cases: Vec<(&str, AttributeValueUpdate)> = vec![
        ("s", add(s("q"))),
        ("s", upd(Some(AttributeAction::Put), None)),
        ("s", del(Some(s("x")))),
        ("s", put_v(AttributeValue::Ss(vec![]))),
        ("id", put_v(s("x"))),
        ("s", add(n("1"))),
    ];
    for (name, u) in cases {
        let input = UpdateItemInput::builder()
            .table_name("t")
            .set_key(Some(item(&[("id", s("a"))])))
            .attribute_updates(name, u.clone())
            .set_expected(Some(failing()))
            .build()
            .unwrap();
        assert_eq!(outcome(db.update_item(input).await), "CCF", "{name}: {u:?}");
    }
}

#[tokio::test]
async fn attribute_updates_of_index_keys_keep_the_key_type() {
    let db = indexed_setup("lgauix").await;
    let update = |name: &str, u: AttributeValueUpdate| {
        UpdateItemInput::builder()
            .table_name("ix")
            .set_key(Some(item(&[("pk", s("h")), ("sk", n("1"))])))
            .attribute_updates(name, u)
            .build()
            .unwrap()
    };
    let wrong = "V: Updates on index keys must be of the same data type as the key attribute";
    assert_eq!(outcome(db.update_item(update("b", add(ss(&["1"])))).await), wrong);
    assert_eq!(outcome(db.update_item(update("b", add(list(vec![])))).await), wrong);
    assert_eq!(outcome(db.update_item(update("b", del(Some(ss(&["1"]))))).await), wrong);
    // On a global index's key, the item the update makes is refused (DynamoDB
    // Local words it "Invalid attribute value type", the mock as for any
    // item: "... Type mismatch for Index Key g Expected: S Actual: NS ...").
    let got = outcome(db.update_item(update("g", add(ns(&["1"])))).await);
    assert!(got.starts_with("V: "), "{got}");
    // The key's own type passes that check (and then meets the others).
    assert_eq!(outcome(db.update_item(update("a", add(n("1")))).await), "ok");
    assert_eq!(
        outcome(db.update_item(update("b", add(s("x")))).await),
        invalid("ADD action is not supported for the type STRING")
    );
    assert_eq!(outcome(db.update_item(update("b", del(None))).await), "ok");
    assert_eq!(outcome(db.update_item(update("g", put_v(s("g1")))).await), "ok");
    // An attribute's own type comes first.
    assert_eq!(
        outcome(db.update_item(update("g", add(ns(&["1"])))).await),
        "V: Type mismatch for attribute to update"
    );
    let got = get(&db, "ix", item(&[("pk", s("h")), ("sk", n("1"))])).await.unwrap();
    assert_eq!(
        got,
        Some(item(&[("pk", s("h")), ("sk", n("1")), ("a", n("1")), ("g", s("g1"))]))
    );
}

#[tokio::test]
async fn a_scan_of_a_global_index_refuses_to_project_what_the_index_lacks() {
    let db = indexed_setup("lgscanix").await;
    let lacks = invalid("Global secondary index by_g does not project [doc]");
    let scan = ScanInput::builder()
        .table_name("ix")
        .index_name("by_g")
        .attributes_to_get("doc")
        .build()
        .unwrap();
    assert_eq!(outcome(db.scan(scan).await), lacks);
    let scan = ScanInput::builder()
        .table_name("ix")
        .index_name("by_g")
        .projection_expression("doc")
        .build()
        .unwrap();
    assert_eq!(outcome(db.scan(scan).await), lacks);
    let scan = ScanInput::builder()
        .table_name("ix")
        .index_name("by_g")
        .attributes_to_get("b")
        .build()
        .unwrap();
    assert_eq!(outcome(db.scan(scan).await), "ok");
}

#[tokio::test]
async fn a_parallel_scan_of_an_index_segments_items_by_their_table_hash_key() {
    let db = indexed_setup("lgsegix").await;
    for i in 0..40 {
        let it = item(&[
            ("pk", s(&format!("id{i:03}"))),
            ("sk", n("1")),
            ("g", s(if i % 2 == 0 { "g1" } else { "g2" })),
            ("a", n(&i.to_string())),
        ]);
        put(&db, "ix", it).await;
    }
    let mut counts = Vec::new();
    for segment in 0..4 {
        let input = ScanInput::builder()
            .table_name("ix")
            .index_name("by_g")
            .segment(segment)
            .total_segments(4)
            .build()
            .unwrap();
        counts.push(db.scan(input).await.unwrap().items.unwrap_or_default().len());
    }
    assert_eq!(counts, [10, 9, 9, 12]);
}
