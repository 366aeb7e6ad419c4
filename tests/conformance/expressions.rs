//! Condition, update and projection expressions, and their placeholder rules.

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item};

use crate::assert_err;
use crate::common::*;

type Values = Option<HashMap<String, AttributeValue>>;

fn names(pairs: &[(&str, &str)]) -> Option<HashMap<String, String>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn vals(pairs: &[(&str, AttributeValue)]) -> Option<HashMap<String, AttributeValue>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

async fn setup(test: &str) -> Database {
    let db = db(test);
    create(&db, &hash_table("t")).await;
    put(
        &db,
        "t",
        item(&[
            ("id", s("a")),
            ("n", n("5")),
            ("name", s("Ann")),
            ("tags", ss(&["x", "y"])),
            ("nums", AttributeValue::Ns(vec!["1".into(), "2".into()])),
            (
                "lst",
                AttributeValue::L(vec![n("1"), s("two"), AttributeValue::M(item(&[("deep", s("d"))]))]),
            ),
            ("mp", AttributeValue::M(item(&[("inr", n("7")), ("s", s("hello"))]))),
            ("flag", AttributeValue::Bool(true)),
        ]),
    )
    .await;
    db
}

fn key() -> Item {
    item(&[("id", s("a"))])
}

async fn cond_put(
    db: &Database,
    cond: &str,
    n: Option<HashMap<String, String>>,
    v: Option<HashMap<String, AttributeValue>>,
) -> Result<PutItemOutput, Error> {
    let mut it = key();
    it.insert("marker".into(), s("m"));
    db.put_item(
        PutItemInput::builder()
            .table_name("t")
            .set_item(Some(it))
            .condition_expression(cond)
            .set_expression_attribute_names(n)
            .set_expression_attribute_values(v)
            .build()
            .unwrap(),
    )
    .await
}

/// Evaluates a condition against the setup item through a ConditionCheck-like
/// conditional delete that never deletes: true/false from the outcome.
async fn holds(
    db: &Database,
    cond: &str,
    n: Option<HashMap<String, String>>,
    v: Option<HashMap<String, AttributeValue>>,
) -> Result<bool, Error> {
    let input = UpdateItemInput::builder()
        .table_name("t")
        .set_key(Some(key()))
        .condition_expression(cond)
        .set_expression_attribute_names(n)
        .set_expression_attribute_values(v)
        .build()
        .unwrap();
    match db.update_item(input).await {
        Ok(_) => Ok(true),
        Err(Error::ConditionalCheckFailed { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

#[tokio::test]
async fn conditions_follow_dynamodb_semantics() {
    let db = setup("cond").await;
    let cases: Vec<(&str, Values, bool)> = vec![
        ("n = :v", vals(&[(":v", n("5"))]), true),
        ("n = :v", vals(&[(":v", n("5.0"))]), true),
        ("n = :v", vals(&[(":v", s("5"))]), false),
        ("n <> :v", vals(&[(":v", s("5"))]), true),
        ("n < :v", vals(&[(":v", n("10"))]), true),
        ("n > :v", vals(&[(":v", s("1"))]), false),
        ("n BETWEEN :a AND :b", vals(&[(":a", n("1")), (":b", n("5"))]), true),
        ("n IN (:a, :b)", vals(&[(":a", n("4")), (":b", n("5"))]), true),
        ("n IN (:a, :b)", vals(&[(":a", n("4")), (":b", n("6"))]), false),
        ("attribute_exists(mp.inr)", None, true),
        ("attribute_not_exists(mp.nope)", None, true),
        ("attribute_exists(lst[2].deep)", None, true),
        ("attribute_exists(lst[3])", None, false),
        ("attribute_type(tags, :t)", vals(&[(":t", s("SS"))]), true),
        ("attribute_type(n, :t)", vals(&[(":t", s("S"))]), false),
        ("begins_with(mp.s, :p)", vals(&[(":p", s("he"))]), true),
        ("begins_with(n, :p)", vals(&[(":p", s("5"))]), false),
        ("contains(tags, :e)", vals(&[(":e", s("x"))]), true),
        ("contains(nums, :e)", vals(&[(":e", n("2"))]), true),
        ("contains(mp.s, :e)", vals(&[(":e", s("ell"))]), true),
        ("contains(lst, :e)", vals(&[(":e", s("two"))]), true),
        ("size(tags) = :two", vals(&[(":two", n("2"))]), true),
        ("size(mp.s) > :four", vals(&[(":four", n("4"))]), true),
        (
            "size(lst) BETWEEN :a AND :b",
            vals(&[(":a", n("3")), (":b", n("3"))]),
            true,
        ),
        ("flag = :t", vals(&[(":t", AttributeValue::Bool(true))]), true),
        ("lst[1] = :v", vals(&[(":v", s("two"))]), true),
        ("absent = :v", vals(&[(":v", n("1"))]), false),
        ("absent <> :v", vals(&[(":v", n("1"))]), true),
        ("absent < :v", vals(&[(":v", n("1"))]), false),
        (
            "n = :a OR n = :b AND n = :c",
            vals(&[(":a", n("5")), (":b", n("0")), (":c", n("0"))]),
            true,
        ),
        (
            "(n = :a OR n = :b) AND n = :c",
            vals(&[(":a", n("5")), (":b", n("0")), (":c", n("0"))]),
            false,
        ),
        ("NOT n = :a AND n = :b", vals(&[(":a", n("0")), (":b", n("5"))]), true),
        (
            "NOT (n = :a AND n = :b)",
            vals(&[(":a", n("5")), (":b", n("5"))]),
            false,
        ),
        ("n = :v and not attribute_exists(nope)", vals(&[(":v", n("5"))]), true),
    ];
    for (cond, v, expected) in cases {
        assert_eq!(
            holds(&db, cond, None, v)
                .await
                .unwrap_or_else(|e| panic!("{cond}: {e:?}")),
            expected,
            "{cond}"
        );
    }
    // A condition on a missing item sees every attribute as absent.
    let input = DeleteItemInput::builder()
        .table_name("t")
        .set_key(Some(item(&[("id", s("zzz"))])))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .unwrap();
    db.delete_item(input).await.unwrap();
}

#[tokio::test]
async fn condition_failure_returns_old_item_when_asked() {
    let db = setup("ccf").await;
    let mut it = key();
    it.insert("x".into(), n("1"));
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(it.clone()))
        .condition_expression("attribute_not_exists(id)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .unwrap();
    let e = assert_err!(db.put_item(input).await, Error::ConditionalCheckFailed { .. });
    let Error::ConditionalCheckFailed { item: Some(old), .. } = e else {
        panic!("no item: {e:?}")
    };
    assert_eq!(old.get("name"), Some(&s("Ann")));
    // Without asking, no item.
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(it))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .unwrap();
    let e = assert_err!(db.put_item(input).await, Error::ConditionalCheckFailed { .. });
    assert!(matches!(e, Error::ConditionalCheckFailed { item: None, .. }));
    // The item is unchanged.
    assert_eq!(get(&db, "t", key()).await.unwrap().unwrap().get("x"), None);
}

#[tokio::test]
async fn create_only_put_and_conditional_delete() {
    let db = db("createonly");
    create(&db, &hash_table("t")).await;
    let input = || {
        PutItemInput::builder()
            .table_name("t")
            .set_item(Some(key()))
            .condition_expression("attribute_not_exists(id)")
            .build()
            .unwrap()
    };
    db.put_item(input()).await.unwrap();
    assert_err!(db.put_item(input()).await, Error::ConditionalCheckFailed { .. });
    let del = |v: &str| {
        DeleteItemInput::builder()
            .table_name("t")
            .set_key(Some(key()))
            .condition_expression("attribute_exists(id) AND id = :v")
            .set_expression_attribute_values(vals(&[(":v", s(v))]))
            .build()
            .unwrap()
    };
    assert_err!(db.delete_item(del("b")).await, Error::ConditionalCheckFailed { .. });
    db.delete_item(del("a")).await.unwrap();
    assert_eq!(get(&db, "t", key()).await.unwrap(), None);
}

async fn update(
    db: &Database,
    expr: &str,
    v: Option<HashMap<String, AttributeValue>>,
    rv: ReturnValue,
) -> Result<Option<Item>, Error> {
    update_n(db, expr, None, v, rv).await
}

async fn update_n(
    db: &Database,
    expr: &str,
    n: Option<HashMap<String, String>>,
    v: Option<HashMap<String, AttributeValue>>,
    rv: ReturnValue,
) -> Result<Option<Item>, Error> {
    db.update_item(
        UpdateItemInput::builder()
            .table_name("t")
            .set_key(Some(key()))
            .update_expression(expr)
            .set_expression_attribute_names(n)
            .set_expression_attribute_values(v)
            .return_values(rv)
            .build()
            .unwrap(),
    )
    .await
    .map(|o| o.attributes)
}

#[tokio::test]
async fn update_set_arithmetic_and_functions() {
    let db = setup("updset").await;
    let out = update(
        &db,
        "SET n = n + :one, fresh = if_not_exists(fresh, :z), lst = list_append(lst, :more), mp.inr = mp.inr - :one, #nm = :nm",
        vals(&[
            (":one", n("1")),
            (":z", n("0")),
            (":more", AttributeValue::L(vec![s("end")])),
            (":nm", s("Bo")),
        ]),
        ReturnValue::UpdatedNew,
    );
    // `name` is a reserved word: it needs a placeholder. Retry with one.
    assert_err!(out.await, Error::Validation(_));
    let out = update_n(
        &db,
        "SET n = n + :one, fresh = if_not_exists(fresh, :z), lst = list_append(lst, :more), mp.inr = mp.inr - :one, #nm = :nm",
        names(&[("#nm", "name")]),
        vals(&[(":one", n("1")), (":z", n("0")), (":more", AttributeValue::L(vec![s("end")])), (":nm", s("Bo"))]),
        ReturnValue::UpdatedNew,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(out.get("n"), Some(&n("6")));
    assert_eq!(out.get("fresh"), Some(&n("0")));
    assert_eq!(out.get("name"), Some(&s("Bo")));
    // UPDATED_NEW returns whole top-level attributes, even for a nested SET.
    assert_eq!(
        out.get("mp"),
        Some(&AttributeValue::M(item(&[("inr", n("6")), ("s", s("hello"))])))
    );
    let AttributeValue::L(l) = &out["lst"] else { panic!() };
    assert_eq!(l.len(), 4);
    assert_eq!(l[3], s("end"));
    assert!(!out.contains_key("id"));
    // if_not_exists keeps an existing value.
    let out = update(
        &db,
        "SET fresh = if_not_exists(fresh, :z)",
        vals(&[(":z", n("9"))]),
        ReturnValue::AllNew,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(out.get("fresh"), Some(&n("0")));
    assert_eq!(out.get("id"), Some(&s("a")));
}

#[tokio::test]
async fn updated_old_and_new_show_what_a_remove_took_away_as_dynamodb_local_does() {
    // Each shows the whole top-level attribute of a REMOVE whose path holds
    // something in the item it shows: UPDATED_OLD in the old item, UPDATED_NEW
    // in the new one (a list element a later one moved into).
    let lst = AttributeValue::L(vec![n("1"), s("two"), AttributeValue::M(item(&[("deep", s("d"))]))]);
    let mp = AttributeValue::M(item(&[("inr", n("7")), ("s", s("hello"))]));
    let cases: [(&str, ReturnValue, Option<Item>); 9] = [
        (
            "REMOVE lst[0]",
            ReturnValue::UpdatedNew,
            Some(item(&[(
                "lst",
                AttributeValue::L(vec![s("two"), AttributeValue::M(item(&[("deep", s("d"))]))]),
            )])),
        ),
        ("REMOVE lst[9]", ReturnValue::UpdatedNew, None),
        ("REMOVE lst[2]", ReturnValue::UpdatedNew, None),
        ("REMOVE mp.inr", ReturnValue::UpdatedNew, None),
        ("REMOVE flag", ReturnValue::UpdatedNew, None),
        (
            "REMOVE lst[0]",
            ReturnValue::UpdatedOld,
            Some(item(&[("lst", lst.clone())])),
        ),
        ("REMOVE lst[9]", ReturnValue::UpdatedOld, None),
        ("REMOVE mp.inr", ReturnValue::UpdatedOld, Some(item(&[("mp", mp)]))),
        (
            "REMOVE lst[1], flag",
            ReturnValue::UpdatedOld,
            Some(item(&[("lst", lst), ("flag", AttributeValue::Bool(true))])),
        ),
    ];
    for (i, (expr, rv, expected)) in cases.into_iter().enumerate() {
        let db = setup(&format!("updremoverv{i}")).await;
        let out = update(&db, expr, None, rv.clone()).await.unwrap();
        assert_eq!(out, expected, "{expr} with {rv:?}");
    }
}

#[tokio::test]
async fn updated_old_and_new_show_a_set_or_add_only_where_its_path_holds_something() {
    // As for REMOVE: the whole top-level attribute, when the action's path
    // holds something in the item shown (DynamoDB Local).
    let lst =
        |second: AttributeValue| AttributeValue::L(vec![n("1"), second, AttributeValue::M(item(&[("deep", s("d"))]))]);
    let mp = |extra: Option<(&str, AttributeValue)>| {
        let mut m = item(&[("inr", n("7")), ("s", s("hello"))]);
        m.extend(extra.map(|(k, v)| (k.to_string(), v)));
        AttributeValue::M(m)
    };
    let x = || vals(&[(":v", s("x"))]);
    type Values = Option<HashMap<String, AttributeValue>>;
    let cases: [(&str, Values, ReturnValue, Option<Item>); 9] = [
        ("SET mp.q = :v", x(), ReturnValue::UpdatedOld, None),
        (
            "SET mp.inr = :v",
            x(),
            ReturnValue::UpdatedOld,
            Some(item(&[("mp", mp(None))])),
        ),
        ("SET lst[9] = :v", x(), ReturnValue::UpdatedOld, None),
        // Past the end a SET appends: lst[9] holds nothing afterwards either.
        ("SET lst[9] = :v", x(), ReturnValue::UpdatedNew, None),
        (
            "SET mp.q = :v, n = if_not_exists(n, :v)",
            x(),
            ReturnValue::UpdatedOld,
            Some(item(&[("n", n("5"))])),
        ),
        (
            "ADD mp.c :one",
            vals(&[(":one", n("1"))]),
            ReturnValue::UpdatedOld,
            None,
        ),
        (
            "ADD mp.c :one",
            vals(&[(":one", n("1"))]),
            ReturnValue::UpdatedNew,
            Some(item(&[("mp", mp(Some(("c", n("1")))))])),
        ),
        (
            "SET mp.q = :v",
            x(),
            ReturnValue::UpdatedNew,
            Some(item(&[("mp", mp(Some(("q", s("x")))))])),
        ),
        (
            "SET lst[1] = :v",
            x(),
            ReturnValue::UpdatedNew,
            Some(item(&[("lst", lst(s("x")))])),
        ),
    ];
    for (i, (expr, values, rv, expected)) in cases.into_iter().enumerate() {
        let db = setup(&format!("updsetrv{i}")).await;
        let out = update(&db, expr, values, rv.clone()).await.unwrap();
        assert_eq!(out, expected, "{expr} with {rv:?}");
    }
}

#[tokio::test]
async fn update_remove_add_delete() {
    let db = setup("updrad").await;
    let old = update(
        &db,
        "REMOVE flag, lst[0] ADD n :two, tags :more, cnt :one DELETE nums :gone",
        vals(&[
            (":two", n("2")),
            (":more", ss(&["z"])),
            (":one", n("1")),
            (":gone", AttributeValue::Ns(vec!["1".into()])),
        ]),
        ReturnValue::UpdatedOld,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(old.get("n"), Some(&n("5")));
    assert_eq!(old.get("flag"), Some(&AttributeValue::Bool(true)));
    assert_eq!(old.get("cnt"), None);
    let now = get(&db, "t", key()).await.unwrap().unwrap();
    assert_eq!(now.get("n"), Some(&n("7")));
    assert_eq!(now.get("cnt"), Some(&n("1")));
    assert_eq!(now.get("flag"), None);
    let AttributeValue::Ss(tags) = &now["tags"] else {
        panic!()
    };
    let mut tags = tags.clone();
    tags.sort();
    assert_eq!(tags, ["x", "y", "z"]);
    assert_eq!(now.get("nums"), Some(&AttributeValue::Ns(vec!["2".into()])));
    let AttributeValue::L(l) = &now["lst"] else { panic!() };
    assert_eq!(l[0], s("two"));
    // Deleting the last element removes the set.
    update(
        &db,
        "DELETE nums :gone",
        vals(&[(":gone", AttributeValue::Ns(vec!["2".into()]))]),
        ReturnValue::None,
    )
    .await
    .unwrap();
    assert_eq!(get(&db, "t", key()).await.unwrap().unwrap().get("nums"), None);
}

#[tokio::test]
async fn update_on_a_missing_item_creates_it() {
    let db = db("upsert");
    create(&db, &hash_table("t")).await;
    let out = update(
        &db,
        "SET v = :v ADD c :one",
        vals(&[(":v", s("x")), (":one", n("1"))]),
        ReturnValue::AllNew,
    )
    .await
    .unwrap();
    assert_eq!(out, Some(item(&[("id", s("a")), ("v", s("x")), ("c", n("1"))])));
    // ALL_OLD on a fresh item returns nothing.
    let db2 = crate::common::db("upsert2");
    create(&db2, &hash_table("t")).await;
    let out = update(&db2, "SET v = :v", vals(&[(":v", s("x"))]), ReturnValue::AllOld)
        .await
        .unwrap();
    assert_eq!(out, None);
}

#[tokio::test]
async fn update_errors_are_validation() {
    let db = setup("upderr").await;
    let bad: Vec<(&str, Option<HashMap<String, AttributeValue>>)> = vec![
        ("SET id = :v", vals(&[(":v", s("b"))])),
        ("SET name2 = :v SET x = :v", vals(&[(":v", s("b"))])),
        ("SET n = n + :v", vals(&[(":v", s("b"))])),
        ("SET x = nope + :v", vals(&[(":v", n("1"))])),
        ("ADD name2 :v", vals(&[(":v", AttributeValue::Bool(true))])),
        ("SET a.b.c = :v", vals(&[(":v", n("1"))])),
        ("SET x = :v, x = :w", vals(&[(":v", n("1")), (":w", n("2"))])),
        ("SET x = :undefined", vals(&[(":v", n("1"))])),
        ("SET x = :v", vals(&[(":v", n("1")), (":unused", n("2"))])),
        ("SET x = :v,", vals(&[(":v", n("1"))])),
        ("", None),
        ("SET #u = :v", vals(&[(":v", n("1"))])),
    ];
    for (expr, v) in bad {
        let r = update(&db, expr, v, ReturnValue::None).await;
        assert!(matches!(r, Err(Error::Validation(_))), "{expr}: {r:?}");
    }
    // The item is unchanged.
    assert_eq!(get(&db, "t", key()).await.unwrap().unwrap().get("n"), Some(&n("5")));
}

#[tokio::test]
async fn placeholder_rules() {
    let db = setup("placeholders").await;
    // Unused name placeholder.
    assert_err!(
        holds(&db, "n = :v", names(&[("#x", "x")]), vals(&[(":v", n("5"))])).await,
        Error::Validation(_)
    );
    // Undefined name placeholder.
    assert_err!(
        holds(&db, "#x = :v", None, vals(&[(":v", n("5"))])).await,
        Error::Validation(_)
    );
    // Reserved words need a placeholder.
    assert_err!(
        holds(&db, "status = :v", None, vals(&[(":v", n("5"))])).await,
        Error::Validation(_)
    );
    assert_eq!(
        holds(&db, "#s = :v", names(&[("#s", "status")]), vals(&[(":v", n("5"))])).await,
        Ok(false)
    );
    // An empty names map is refused where an expression uses names.
    let input = UpdateItemInput::builder()
        .table_name("t")
        .set_key(Some(key()))
        .update_expression("SET y = :v")
        .set_expression_attribute_names(Some(HashMap::new()))
        .set_expression_attribute_values(vals(&[(":v", n("5"))]))
        .build()
        .unwrap();
    assert_err!(db.update_item(input).await, Error::Validation(_));
    // Syntax errors.
    for bad in [
        "n = ",
        "n == :v",
        "(n = :v",
        "n = :v)",
        "foo(n)",
        "n BETWEEN :v",
        "AND",
        "n = :v :v",
    ] {
        let r = holds(&db, bad, None, vals(&[(":v", n("5"))])).await;
        assert!(matches!(r, Err(Error::Validation(_))), "{bad}: {r:?}");
    }
    // Values given without any expression.
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(key()))
        .set_expression_attribute_values(vals(&[(":v", n("5"))]))
        .build()
        .unwrap();
    assert_err!(db.put_item(input).await, Error::Validation(_));
    // Static type errors: BETWEEN bounds out of order.
    assert_err!(
        holds(
            &db,
            "n BETWEEN :a AND :b",
            None,
            vals(&[(":a", n("5")), (":b", n("1"))])
        )
        .await,
        Error::Validation(_)
    );
    let _ = cond_put;
}

#[tokio::test]
async fn projections_return_exactly_the_paths() {
    let db = setup("proj").await;
    let input = GetItemInput::builder()
        .table_name("t")
        .set_key(Some(key()))
        .projection_expression("n, mp.s, lst[2].deep, lst[0], #nm, nope")
        .set_expression_attribute_names(names(&[("#nm", "name")]))
        .build()
        .unwrap();
    let got = db.get_item(input).await.unwrap().item.unwrap();
    assert_eq!(
        got,
        item(&[
            ("n", n("5")),
            ("name", s("Ann")),
            ("mp", AttributeValue::M(item(&[("s", s("hello"))]))),
            (
                "lst",
                AttributeValue::L(vec![n("1"), AttributeValue::M(item(&[("deep", s("d"))]))])
            ),
        ])
    );
    // A reserved word without a placeholder, and overlapping paths, are errors.
    for bad in ["name", "mp, mp.s"] {
        let input = GetItemInput::builder()
            .table_name("t")
            .set_key(Some(key()))
            .projection_expression(bad)
            .build()
            .unwrap();
        assert_err!(db.get_item(input).await, Error::Validation(_));
    }
}

#[tokio::test]
async fn every_reserved_word_needs_a_placeholder() {
    use dynamo_objects::mock::reserved::{ACCEPTED_ANYWAY, RESERVED_WORDS};
    let db = setup("reserved").await;
    for word in RESERVED_WORDS {
        let r = holds(
            &db,
            &format!("{} = :v", word.to_lowercase()),
            None,
            vals(&[(":v", n("5"))]),
        )
        .await;
        if ACCEPTED_ANYWAY.contains(word) {
            // An ordinary (absent) attribute.
            assert_eq!(r, Ok(false), "{word}");
        } else {
            assert!(matches!(r, Err(Error::Validation(_))), "{word}: {r:?}");
        }
    }
}

#[tokio::test]
async fn a_list_index_above_2147483647_is_not_within_the_allowable_range() {
    let db = setup("listrange").await;
    let range = |kind: &str, i: &str| {
        Error::Validation(format!("Invalid {kind}: List index is not within the allowable range; index: [{i}]").into())
    };
    for big in ["2147483648", "99999999999", "99999999999999999999999"] {
        let one = vals(&[(":v", n("1"))]);
        let e = assert_err!(
            update(&db, &format!("SET lst[{big}] = :v"), one.clone(), ReturnValue::None).await,
            Error::Validation(_)
        );
        assert_eq!(e, range("UpdateExpression", big));
        // Before an undefined placeholder, an unused value and a reserved word.
        let e = assert_err!(
            update_n(
                &db,
                &format!("SET size = :v, lst[{big}] = :v, #u = :v"),
                None,
                vals(&[(":v", n("1")), (":w", n("2"))]),
                ReturnValue::None
            )
            .await,
            Error::Validation(_)
        );
        assert_eq!(e, range("UpdateExpression", big));
        let e = assert_err!(
            update(&db, &format!("REMOVE lst[{big}]"), None, ReturnValue::None).await,
            Error::Validation(_)
        );
        assert_eq!(e, range("UpdateExpression", big));
        let e = assert_err!(
            cond_put(&db, &format!("attribute_exists(lst[{big}])"), None, None).await,
            Error::Validation(_)
        );
        assert_eq!(e, range("ConditionExpression", big));
        let input = GetItemInput::builder()
            .table_name("t")
            .set_key(Some(key()))
            .projection_expression(format!("lst[{big}]"))
            .build()
            .unwrap();
        assert_eq!(
            db.get_item(input).await.unwrap_err(),
            range("ProjectionExpression", big)
        );
    }
    // A syntax error still comes first.
    let e = assert_err!(
        update(
            &db,
            "SET lst[2147483648] = :v, n =",
            vals(&[(":v", n("1"))]),
            ReturnValue::None
        )
        .await,
        Error::Validation(_)
    );
    assert_eq!(
        e,
        Error::Validation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\"".into())
    );
    // The largest index is in range: past the end, SET appends.
    update(
        &db,
        "SET lst[2147483647] = :v",
        vals(&[(":v", n("4"))]),
        ReturnValue::None,
    )
    .await
    .unwrap();
    assert_eq!(
        get(&db, "t", key()).await.unwrap().and_then(|i| i.get("lst").cloned()),
        Some(AttributeValue::L(vec![
            n("1"),
            s("two"),
            AttributeValue::M(item(&[("deep", s("d"))])),
            n("4")
        ]))
    );
}

/// `<`, `<=`, `>`, `>=` and `BETWEEN` take S, N and B: a literal of another
/// type is refused before anything is read, naming the type (and so a set
/// never reaches the BETWEEN bounds message, the only message that shows a
/// value: S, N and B are the only values it shows).
#[tokio::test]
async fn an_ordering_operator_refuses_a_literal_of_a_type_without_an_order() {
    let db = setup("unordered").await;
    let wrong = |op: &str, t: &str| {
        Error::Validation(
            format!(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or \
                 function: {op}, operand type: {t}"
            )
            .into(),
        )
    };
    let list = AttributeValue::L(vec![s("a")]);
    let cases: Vec<(&str, Values, Error)> = vec![
        (
            "n BETWEEN :lo AND :hi",
            vals(&[(":lo", ss(&["b", "a"])), (":hi", n("1"))]),
            wrong("BETWEEN", "SS"),
        ),
        (
            "n BETWEEN :lo AND :hi",
            vals(&[(":lo", n("1")), (":hi", ss(&["x"]))]),
            wrong("BETWEEN", "SS"),
        ),
        (
            "n BETWEEN :lo AND :hi",
            vals(&[(":lo", AttributeValue::Bool(true)), (":hi", ss(&["x"]))]),
            wrong("BETWEEN", "BOOL"),
        ),
        (
            ":v BETWEEN n AND mp.s",
            vals(&[(":v", list.clone())]),
            wrong("BETWEEN", "L"),
        ),
        (
            "n BETWEEN mp.s AND :hi",
            vals(&[(":hi", AttributeValue::Null(true))]),
            wrong("BETWEEN", "NULL"),
        ),
        ("n < :v", vals(&[(":v", ss(&["x"]))]), wrong("<", "SS")),
        (
            "n <= :v",
            vals(&[(":v", AttributeValue::Bool(false))]),
            wrong("<=", "BOOL"),
        ),
        (
            "n > :v",
            vals(&[(":v", AttributeValue::M(HashMap::new()))]),
            wrong(">", "M"),
        ),
        (
            ":v >= n",
            vals(&[(":v", AttributeValue::Ns(vec!["1".into()]))]),
            wrong(">=", "NS"),
        ),
        // The first atomic condition with an error is the one reported.
        (
            "n = :n AND n < :v",
            vals(&[(":n", n("5")), (":v", list)]),
            wrong("<", "L"),
        ),
    ];
    for (cond, v, expected) in cases {
        assert_eq!(holds(&db, cond, None, v).await, Err(expected), "{cond}");
    }
    // Bounds of one ordered type are compared, and shown, as before.
    assert_eq!(
        holds(
            &db,
            "n BETWEEN :lo AND :hi",
            None,
            vals(&[(":lo", s("b")), (":hi", n("1"))])
        )
        .await,
        Err(Error::Validation(
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; \
             lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {N:1}"
                .into()
        ))
    );
    // Equality takes any type: these are false, not errors.
    for cond in ["n = :v", "n <> :v AND n = :v", "n IN (:v)"] {
        assert_eq!(
            holds(&db, cond, None, vals(&[(":v", ss(&["x"]))])).await,
            Ok(false),
            "{cond}"
        );
    }
}
