//! PartiQL in the differential test: a stream of its own replaces some of
//! the generated operations with statements — SELECTs with and without the
//! key (queries, scans, an index), INSERTs of new and existing keys,
//! UPDATEs and DELETEs with and without a WHERE on other attributes, with
//! `?` parameters or literals — and batches and transactions of them.
//!
//! `{T}` in a statement stands for the table's full name, filled in per
//! connection (PartiQL names tables as they are, prefix included).

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item};

use super::{Gen, TABLE, norm_item, norm_items};

/// A statement: its text (with `{T}`) and parameters.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    text: String,
    params: Vec<AttributeValue>,
    /// A scan (or a query of an index): its items are compared regardless
    /// of order.
    scan: bool,
    /// A read of an index: with a limit, which items come on which page
    /// is open too where index keys are equal, so every page is read and
    /// the items compared as a set.
    index: bool,
    all_old_on_failure: bool,
}

/// A PartiQL operation.
#[derive(Debug, Clone)]
pub(crate) enum Pq {
    One(Stmt, Option<i32>),
    Batch(Vec<Stmt>),
    Transaction(Vec<Stmt>),
}

/// A value as a PartiQL literal, or as a `?` with the value a parameter.
fn value(g: &mut Gen, v: AttributeValue, params: &mut Vec<AttributeValue>) -> String {
    let literal = match &v {
        AttributeValue::S(s) if g.rng.chance(50) => Some(format!("'{}'", s.replace('\'', "''"))),
        AttributeValue::N(n) if g.rng.chance(50) => Some(n.clone()),
        _ => None,
    };
    literal.unwrap_or_else(|| {
        params.push(v);
        "?".into()
    })
}

fn key_where(g: &mut Gen, params: &mut Vec<AttributeValue>) -> String {
    let key = g.key();
    let pk = value(g, key["pk"].clone(), params);
    let sk = value(g, key["sk"].clone(), params);
    format!("pk = {pk} AND sk = {sk}")
}

/// A condition on a non-key attribute.
fn other_condition(g: &mut Gen, params: &mut Vec<AttributeValue>) -> String {
    match g.rng.below(5) {
        0 => "c IS MISSING".into(),
        1 => "attribute_type(c, 'N')".into(),
        2 => {
            let v = g.value("a");
            format!("a >= {}", value(g, v, params))
        }
        3 => {
            let v = g.value("b");
            format!("begins_with(b, {})", value(g, v, params))
        }
        _ => {
            let v = g.value("c");
            format!("c = {}", value(g, v, params))
        }
    }
}

fn select(g: &mut Gen, single: bool) -> Stmt {
    let mut params = Vec::new();
    let projection = if g.rng.chance(30) { "pk, sk, a, c" } else { "*" };
    let mut index = false;
    let (text, scan) = if single {
        let w = key_where(g, &mut params);
        (format!(r#"SELECT {projection} FROM "{{T}}" WHERE {w}"#), false)
    } else {
        match g.rng.below(6) {
            0 => (format!(r#"SELECT {projection} FROM "{{T}}""#), true),
            1 => {
                let c = other_condition(g, &mut params);
                (format!(r#"SELECT {projection} FROM "{{T}}" WHERE {c}"#), true)
            }
            // A key compared in a scan, now and then with a value of another type.
            5 => {
                let k = if g.rng.chance(20) { super::s("1") } else { g.range() };
                let sk = value(g, k, &mut params);
                let c = other_condition(g, &mut params);
                (
                    format!(r#"SELECT {projection} FROM "{{T}}" WHERE {c} OR sk > {sk}"#),
                    true,
                )
            }
            2 => {
                let v = g.value("g");
                let gv = value(g, v, &mut params);
                // Items with equal index keys come in an order DynamoDB leaves
                // open (see the README's known differences): compared as a set.
                index = true;
                (format!(r#"SELECT * FROM "{{T}}"."by_g" WHERE g = {gv}"#), true)
            }
            3 => {
                let h = g.hash();
                let pk = value(g, h, &mut params);
                let r = g.range();
                let sk = value(g, r, &mut params);
                let op = g.rng.pick(&["<", "<=", ">", ">="]);
                let order = if g.rng.chance(30) { " ORDER BY sk DESC" } else { "" };
                (
                    format!(r#"SELECT {projection} FROM "{{T}}" WHERE pk = {pk} AND sk {op} {sk}{order}"#),
                    false,
                )
            }
            _ => {
                let h = g.hash();
                let pk = value(g, h, &mut params);
                let c = other_condition(g, &mut params);
                (
                    format!(r#"SELECT {projection} FROM "{{T}}" WHERE pk = {pk} AND {c}"#),
                    false,
                )
            }
        }
    };
    Stmt {
        text,
        params,
        scan,
        index,
        all_old_on_failure: false,
    }
}

/// A write; `returning` allows a RETURNING clause (not in transactions,
/// which refuse it).
fn write(g: &mut Gen, returning: bool) -> Stmt {
    let mut params = Vec::new();
    let all_old_on_failure = g.rng.chance(30);
    let text = match g.rng.below(3) {
        0 => {
            let key = g.key();
            let pk = value(g, key["pk"].clone(), &mut params);
            let sk = value(g, key["sk"].clone(), &mut params);
            let mut fields = vec![format!("'pk': {pk}"), format!("'sk': {sk}")];
            for attr in ["a", "b", "c"] {
                if g.rng.chance(50) {
                    let v = g.value(attr);
                    fields.push(format!("'{attr}': {}", value(g, v, &mut params)));
                }
            }
            format!(r#"INSERT INTO "{{T}}" VALUE {{{}}}"#, fields.join(", "))
        }
        1 => {
            let action = match g.rng.below(4) {
                0 => {
                    let v = g.value("c");
                    format!("SET c = {}", value(g, v, &mut params))
                }
                1 => "SET a = a + 1".into(),
                2 => "REMOVE c".into(),
                _ => {
                    let v = g.value("b");
                    format!("SET b = {} REMOVE c", value(g, v, &mut params))
                }
            };
            let w = key_where(g, &mut params);
            let extra = if g.rng.chance(30) {
                format!(" AND {}", other_condition(g, &mut params))
            } else {
                String::new()
            };
            let choices = [
                "",
                "",
                " RETURNING ALL NEW *",
                " RETURNING ALL OLD *",
                " RETURNING MODIFIED NEW *",
            ];
            let returning = if returning { g.rng.pick(&choices) } else { "" };
            format!(r#"UPDATE "{{T}}" {action} WHERE {w}{extra}{returning}"#)
        }
        _ => {
            let w = key_where(g, &mut params);
            let extra = if g.rng.chance(30) {
                format!(" AND {}", other_condition(g, &mut params))
            } else {
                String::new()
            };
            let returning = if returning && g.rng.chance(30) {
                " RETURNING ALL OLD *"
            } else {
                ""
            };
            format!(r#"DELETE FROM "{{T}}" WHERE {w}{extra}{returning}"#)
        }
    };
    Stmt {
        text,
        params,
        scan: false,
        index: false,
        all_old_on_failure,
    }
}

/// Replaces about one operation in six with a PartiQL one.
pub(crate) fn maybe<T>(g: &mut Gen, op: T, wrap: impl FnOnce(Pq) -> T) -> T {
    if !g.rng.chance(16) {
        return op;
    }
    let pq = match g.rng.below(10) {
        // No Limit with ORDER BY: DynamoDB Local sorts the page it has read
        // (the first items in ascending order), where DynamoDB reads in the
        // order asked for.
        0..=2 => {
            let s = select(g, false);
            let limit = g.rng.chance(30).then(|| 1 + g.rng.below(3) as i32);
            let limit = limit.filter(|_| !s.text.contains("ORDER BY"));
            Pq::One(s, limit)
        }
        3 => Pq::One(select(g, true), None),
        4..=6 => Pq::One(write(g, true), None),
        7 => {
            let reads = g.rng.chance(50);
            Pq::Batch(
                (0..1 + g.rng.below(3))
                    .map(|_| if reads { select(g, true) } else { write(g, true) })
                    .collect(),
            )
        }
        _ => {
            let reads = g.rng.chance(30);
            Pq::Transaction(
                (0..1 + g.rng.below(3))
                    .map(|_| if reads { select(g, true) } else { write(g, false) })
                    .collect(),
            )
        }
    };
    wrap(pq)
}

fn text(db: &Database, s: &Stmt) -> String {
    s.text.replace("{T}", &db.full_name(TABLE))
}

fn on_failure(s: &Stmt) -> Option<ReturnValuesOnConditionCheckFailure> {
    s.all_old_on_failure
        .then_some(ReturnValuesOnConditionCheckFailure::AllOld)
}

/// An error's kind: DynamoDB Local's `DuplicateItem` is the service's
/// `DuplicateItemException`.
fn kind(e: &Error) -> String {
    super::norm_err(e).trim_end_matches("Exception").to_string()
}

fn item_text(i: Option<&Item>) -> String {
    format!("{:?}", i.map(norm_item))
}

/// Runs a PartiQL operation; its outcome in comparable form.
/// A statement read to its last page (at most 50): the number of pages and
/// every item, as a set.
async fn every_page(db: &Database, mut input: ExecuteStatementInput, detail: &mut String) -> String {
    let (mut pages, mut items) = (0, Vec::new());
    loop {
        pages += 1;
        match db.execute_statement(input.clone()).await {
            Ok(o) => {
                items.extend(o.items.unwrap_or_default());
                match o.next_token {
                    Some(t) if pages < 50 => input.next_token = Some(t),
                    _ => break,
                }
            }
            Err(e) => {
                *detail = e.to_string();
                return format!("ERR {} after {pages} pages", kind(&e));
            }
        }
    }
    format!("index statement pages={pages} items={:?}", norm_items(&items, true))
}

pub(crate) async fn run(db: &Database, pq: &Pq, detail: &mut String) -> String {
    match pq {
        Pq::One(s, limit) => {
            let input = ExecuteStatementInput::builder()
                .statement(text(db, s))
                .set_parameters((!s.params.is_empty()).then(|| s.params.clone()))
                .set_limit(*limit)
                .set_return_values_on_condition_check_failure(on_failure(s))
                .build()
                .unwrap();
            if s.index && limit.is_some() {
                return every_page(db, input, detail).await;
            }
            match db.execute_statement(input).await {
                Ok(o) => format!(
                    "statement {:?} next={}",
                    norm_items(o.items(), s.scan),
                    o.next_token.is_some()
                ),
                Err(e) => {
                    *detail = e.to_string();
                    format!("ERR {}", kind(&e))
                }
            }
        }
        Pq::Batch(list) => {
            let statements = list
                .iter()
                .map(|s| {
                    BatchStatementRequest::builder()
                        .statement(text(db, s))
                        .set_parameters((!s.params.is_empty()).then(|| s.params.clone()))
                        .set_return_values_on_condition_check_failure(on_failure(s))
                        .build()
                        .unwrap()
                })
                .collect();
            let input = BatchExecuteStatementInput::builder()
                .set_statements(Some(statements))
                .build()
                .unwrap();
            match db.batch_execute_statement(input).await {
                Ok(o) => {
                    let r: Vec<String> = o
                        .responses()
                        .iter()
                        .map(|r| match r.error() {
                            Some(e) => format!("E {:?} {}", e.code(), item_text(e.item())),
                            None => item_text(r.item()),
                        })
                        .collect();
                    format!("batch [{}]", r.join(", "))
                }
                Err(e) => {
                    *detail = e.to_string();
                    format!("ERR {}", kind(&e))
                }
            }
        }
        Pq::Transaction(list) => {
            let statements = list
                .iter()
                .map(|s| {
                    ParameterizedStatement::builder()
                        .statement(text(db, s))
                        .set_parameters((!s.params.is_empty()).then(|| s.params.clone()))
                        .set_return_values_on_condition_check_failure(on_failure(s))
                        .build()
                        .unwrap()
                })
                .collect();
            let input = ExecuteTransactionInput::builder()
                .set_transact_statements(Some(statements))
                .build()
                .unwrap();
            match db.execute_transaction(input).await {
                Ok(o) => {
                    let r: Vec<String> = o.responses().iter().map(|r| item_text(r.item())).collect();
                    format!("transaction [{}]", r.join(", "))
                }
                Err(e) => {
                    *detail = e.to_string();
                    format!("ERR {}", kind(&e))
                }
            }
        }
    }
}
