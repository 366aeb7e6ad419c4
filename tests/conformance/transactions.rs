//! TransactWriteItems and TransactGetItems: all or nothing.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item};

use crate::assert_err;
use crate::common::*;

async fn setup(test: &str) -> Database {
    let db = db(test);
    create(&db, &hash_table("a")).await;
    create(&db, &hash_table("b")).await;
    put(&db, "a", item(&[("id", s("x")), ("v", n("1"))])).await;
    db
}

fn key(id: &str) -> Item {
    item(&[("id", s(id))])
}

fn tx_put(table: &str, it: Item, cond: Option<&str>) -> TransactWriteItem {
    TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(table)
                .set_item(Some(it))
                .set_condition_expression(cond.map(String::from))
                .build()
                .unwrap(),
        )
        .build()
}

fn tx_update(table: &str, id: &str, expr: &str, v: (&str, AttributeValue)) -> TransactWriteItem {
    TransactWriteItem::builder()
        .update(
            Update::builder()
                .table_name(table)
                .set_key(Some(key(id)))
                .update_expression(expr)
                .expression_attribute_values(v.0, v.1)
                .build()
                .unwrap(),
        )
        .build()
}

fn tx_check(table: &str, id: &str, cond: &str, all_old: bool) -> TransactWriteItem {
    let mut b = ConditionCheck::builder()
        .table_name(table)
        .set_key(Some(key(id)))
        .condition_expression(cond);
    if all_old {
        b = b.return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    }
    TransactWriteItem::builder().condition_check(b.build().unwrap()).build()
}

fn tx_delete(table: &str, id: &str) -> TransactWriteItem {
    TransactWriteItem::builder()
        .delete(
            Delete::builder()
                .table_name(table)
                .set_key(Some(key(id)))
                .build()
                .unwrap(),
        )
        .build()
}

fn write(items: Vec<TransactWriteItem>) -> TransactWriteItemsInput {
    TransactWriteItemsInput::builder()
        .set_transact_items(Some(items))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_transaction_writes_across_tables() {
    let db = setup("txok").await;
    db.transact_write_items(write(vec![
        tx_put(
            "b",
            item(&[("id", s("y")), ("w", n("2"))]),
            Some("attribute_not_exists(id)"),
        ),
        tx_update("a", "x", "SET v = v + :one", (":one", n("1"))),
        tx_check("a", "nobody", "attribute_not_exists(id)", false),
    ]))
    .await
    .unwrap_err_or_ok();
    assert_eq!(
        get(&db, "b", key("y")).await.unwrap(),
        Some(item(&[("id", s("y")), ("w", n("2"))]))
    );
    assert_eq!(
        get(&db, "a", key("x")).await.unwrap(),
        Some(item(&[("id", s("x")), ("v", n("2"))]))
    );
}

trait OkOrPanic {
    fn unwrap_err_or_ok(self);
}
impl<T: std::fmt::Debug> OkOrPanic for Result<T, Error> {
    fn unwrap_err_or_ok(self) {
        if let Err(e) = self {
            panic!("transaction failed: {e:?}");
        }
    }
}

#[tokio::test]
async fn a_failed_condition_cancels_everything_with_reasons_in_order() {
    let db = setup("txcancel").await;
    let r = db
        .transact_write_items(write(vec![
            tx_put("b", item(&[("id", s("y"))]), None),
            tx_check("a", "x", "v = :two", true).with_value(":two", n("2")),
            tx_delete("a", "zzz"),
        ]))
        .await;
    let e = assert_err!(r, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { reasons, .. } = e else {
        unreachable!()
    };
    let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
    assert_eq!(codes, [Some("None"), Some("ConditionalCheckFailed"), Some("None")]);
    assert_eq!(reasons[1].item(), Some(&item(&[("id", s("x")), ("v", n("1"))])));
    assert_eq!(reasons[0].item(), None);
    // Nothing was written.
    assert_eq!(get(&db, "b", key("y")).await.unwrap(), None);
}

trait WithValue {
    fn with_value(self, k: &str, v: AttributeValue) -> Self;
}
impl WithValue for TransactWriteItem {
    fn with_value(mut self, k: &str, v: AttributeValue) -> Self {
        if let Some(c) = self.condition_check.as_mut() {
            c.expression_attribute_values
                .get_or_insert_with(Default::default)
                .insert(k.to_string(), v);
        }
        self
    }
}

#[tokio::test]
async fn two_actions_on_one_item_is_validation() {
    let db = setup("txdup").await;
    let r = db
        .transact_write_items(write(vec![
            tx_update("a", "x", "SET v = :v", (":v", n("5"))),
            tx_check("a", "x", "attribute_exists(id)", false),
        ]))
        .await;
    assert_err!(r, Error::Validation(_));
    assert_eq!(get(&db, "a", key("x")).await.unwrap().unwrap().get("v"), Some(&n("1")));
}

#[tokio::test]
async fn transaction_size_limits() {
    let db = setup("txsize").await;
    let items: Vec<TransactWriteItem> = (0..100).map(|i| tx_put("b", key(&format!("k{i}")), None)).collect();
    db.transact_write_items(write(items)).await.unwrap();
    let items: Vec<TransactWriteItem> = (0..101).map(|i| tx_put("b", key(&format!("m{i}")), None)).collect();
    assert_err!(db.transact_write_items(write(items)).await, Error::Validation(_));
    assert_err!(
        db.transact_write_items(
            TransactWriteItemsInput::builder()
                .set_transact_items(Some(vec![]))
                .build()
                .unwrap()
        )
        .await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn transact_get_returns_items_in_order() {
    let db = setup("txget").await;
    put(&db, "b", item(&[("id", s("y")), ("w", n("2")), ("z", n("3"))])).await;
    let g = |table: &str, id: &str, proj: Option<&str>| {
        TransactGetItem::builder()
            .get(
                Get::builder()
                    .table_name(table)
                    .set_key(Some(key(id)))
                    .set_projection_expression(proj.map(String::from))
                    .build()
                    .unwrap(),
            )
            .build()
    };
    let out = db
        .transact_get_items(
            TransactGetItemsInput::builder()
                .transact_items(g("b", "y", Some("w")))
                .transact_items(g("a", "missing", None))
                .transact_items(g("a", "x", None))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let items: Vec<Option<Item>> = out.responses.unwrap().into_iter().map(|r| r.item).collect();
    assert_eq!(
        items,
        vec![
            Some(item(&[("w", n("2"))])),
            None,
            Some(item(&[("id", s("x")), ("v", n("1"))]))
        ]
    );
}

#[tokio::test]
async fn client_request_token_makes_a_transaction_idempotent() {
    let db = setup("txtoken").await;
    // Tokens are account-wide: make this one unique to the test's prefix.
    let token = format!("token-{}", db.prefix());
    let input = || {
        TransactWriteItemsInput::builder()
            .transact_items(tx_update("a", "x", "SET v = v + :one", (":one", n("1"))))
            .client_request_token(&token)
            .build()
            .unwrap()
    };
    db.transact_write_items(input()).await.unwrap();
    db.transact_write_items(input()).await.unwrap();
    assert_eq!(get(&db, "a", key("x")).await.unwrap().unwrap().get("v"), Some(&n("2")));
    let other = TransactWriteItemsInput::builder()
        .transact_items(tx_update("a", "x", "SET v = v + :one", (":one", n("5"))))
        .client_request_token(&token)
        .build()
        .unwrap();
    let e = assert_err!(
        db.transact_write_items(other).await,
        Error::IdempotentParameterMismatch(_)
    );
    // The real service's wording; DynamoDB Local sends no message at all.
    let expected = if Database::env_is_local() {
        ""
    } else {
        "The request uses the same client token as a previous, but non-identical request."
    };
    assert_eq!(e, Error::IdempotentParameterMismatch(expected.into()));
    // Nothing of the refused request was applied.
    assert_eq!(get(&db, "a", key("x")).await.unwrap().unwrap().get("v"), Some(&n("2")));
}

/// `ADD n :one` on item `c` of table `a`, under `token`.
fn count_once(token: &str) -> TransactWriteItemsInput {
    TransactWriteItemsInput::builder()
        .transact_items(tx_update("a", "c", "ADD n :one", (":one", n("1"))))
        .client_request_token(token)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn eight_concurrent_requests_with_one_token_apply_it_exactly_once() {
    let db = setup("txrace").await;
    // Local takes about 5 ms a transaction: fewer rounds keep it under ~5 s.
    let rounds = if Database::env_is_local() { 25 } else { 100 };
    let senders = 8;
    for round in 0..rounds {
        let token = format!("race-{}-{round}", db.prefix());
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(senders));
        let tasks: Vec<_> = (0..senders)
            .map(|_| {
                let (db, token, start) = (db.clone(), token.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    db.transact_write_items(count_once(&token)).await
                })
            })
            .collect();
        for t in tasks {
            // Every duplicate succeeds, as a replay of the one that applied.
            t.await.expect("task").expect("transaction");
        }
    }
    assert_eq!(
        get(&db, "a", key("c")).await.unwrap(),
        Some(item(&[("id", s("c")), ("n", n(&rounds.to_string()))]))
    );
}

#[tokio::test]
async fn a_cancelled_transaction_does_not_consume_its_token() {
    let db = setup("txtokencancel").await;
    let token = format!("cancel-{}", db.prefix());
    let guarded = || {
        let mut t = tx_update("a", "x", "SET v = v + :one", (":one", n("1")));
        if let Some(u) = t.update.as_mut() {
            u.condition_expression = Some("v > :one".into());
        }
        TransactWriteItemsInput::builder()
            .transact_items(t)
            .client_request_token(&token)
            .build()
            .unwrap()
    };
    // v = 1: the condition fails, the transaction is cancelled.
    assert_err!(
        db.transact_write_items(guarded()).await,
        Error::TransactionCanceled { .. }
    );
    put(&db, "a", item(&[("id", s("x")), ("v", n("5"))])).await;
    // The same request again runs again, and applies.
    db.transact_write_items(guarded()).await.unwrap();
    assert_eq!(get(&db, "a", key("x")).await.unwrap().unwrap().get("v"), Some(&n("6")));
    // Now the token is used: a replay applies nothing.
    db.transact_write_items(guarded()).await.unwrap();
    assert_eq!(get(&db, "a", key("x")).await.unwrap().unwrap().get("v"), Some(&n("6")));
}

#[tokio::test]
async fn a_failed_transaction_leaves_its_token_free_for_another_request() {
    let db = setup("txtokenfail").await;
    let token = format!("fail-{}", db.prefix());
    let cancelled = TransactWriteItemsInput::builder()
        .transact_items(tx_check("a", "x", "attribute_not_exists(id)", false))
        .client_request_token(&token)
        .build()
        .unwrap();
    assert_err!(
        db.transact_write_items(cancelled).await,
        Error::TransactionCanceled { .. }
    );
    // A different request under the token is not a mismatch: it runs.
    db.transact_write_items(count_once(&token)).await.unwrap();
    assert_eq!(
        get(&db, "a", key("c")).await.unwrap(),
        Some(item(&[("id", s("c")), ("n", n("1"))]))
    );
}

#[tokio::test]
async fn transaction_on_unknown_table_is_resource_not_found() {
    let db = setup("txunknown").await;
    assert_err!(
        db.transact_write_items(write(vec![tx_put("nope", key("q"), None)]))
            .await,
        Error::ResourceNotFound(_)
    );
}
