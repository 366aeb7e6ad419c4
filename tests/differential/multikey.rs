//! The differential area of global indexes with multi-attribute keys: a
//! table of three such indexes (two partition and two sort attributes; one
//! partition and two sort attributes, binary among them; two partition
//! attributes and no sort key), seeded writes that move items in and out of
//! them (missing, mistyped and empty key attributes among them), and
//! queries on them with key conditions right and wrong, limits, both
//! directions, every page; scans of the indexes; the counters at the end.
//! Run with the rest of the differential test:
//!
//! ```text
//! DYNAMODB_ENDPOINT=http://127.0.0.1:8000 cargo test --test differential multi -- --include-ignored
//! ```

use std::collections::HashMap;

use aws_sdk_dynamodb::types::KeyType as Kt;
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database};

use super::{Rng, dynamodb_local, n, norm_cap, norm_err, norm_items, s};

const TABLE: &str = "mk";

/// The indexes: name, partition attributes, sort attributes, projection.
const INDEXES: &[(&str, &[&str], &[&str], &str)] = &[
    ("by_ab_cd", &["a", "b"], &["c", "d"], "ALL"),
    ("by_c_de", &["c"], &["d", "e"], "KEYS_ONLY"),
    ("by_ae", &["a", "e"], &[], "INCLUDE"),
];

/// Each key attribute's type.
fn attr_type(attr: &str) -> ScalarAttributeType {
    match attr {
        "b" | "d" => ScalarAttributeType::N,
        "e" => ScalarAttributeType::B,
        _ => ScalarAttributeType::S,
    }
}

fn create_input() -> CreateTableInput {
    let mut b = CreateTableInput::builder()
        .table_name(TABLE)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(Kt::Hash)
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest);
    for attr in ["pk", "a", "b", "c", "d", "e"] {
        b = b.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(attr)
                .attribute_type(attr_type(attr))
                .build()
                .unwrap(),
        );
    }
    for (name, hashes, ranges, projection) in INDEXES {
        let mut keys: Vec<KeySchemaElement> = Vec::new();
        for (attrs, t) in [(*hashes, Kt::Hash), (*ranges, Kt::Range)] {
            for a in attrs {
                keys.push(
                    KeySchemaElement::builder()
                        .attribute_name(*a)
                        .key_type(t.clone())
                        .build()
                        .unwrap(),
                );
            }
        }
        let projection = match *projection {
            "ALL" => Projection::builder().projection_type(ProjectionType::All).build(),
            "KEYS_ONLY" => Projection::builder().projection_type(ProjectionType::KeysOnly).build(),
            _ => Projection::builder()
                .projection_type(ProjectionType::Include)
                .non_key_attributes("p")
                .build(),
        };
        b = b.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(*name)
                .set_key_schema(Some(keys))
                .projection(projection)
                .build()
                .unwrap(),
        );
    }
    b.build().unwrap()
}

/// Whether a key condition takes `v` for `attr`: of its type, not empty.
fn takes(attr: &str, v: &AttributeValue) -> bool {
    match (attr_type(attr), v) {
        (ScalarAttributeType::S, AttributeValue::S(x)) => !x.is_empty(),
        (ScalarAttributeType::N, AttributeValue::N(_)) => true,
        (ScalarAttributeType::B, AttributeValue::B(x)) => !x.as_ref().is_empty(),
        _ => attr == "p",
    }
}

struct Gen {
    rng: Rng,
}

impl Gen {
    /// A value for `attr`: mostly of its type, from a small domain (so that
    /// items share partitions and sort values); now and then mistyped, or
    /// an empty string or binary.
    fn value(&mut self, attr: &str) -> AttributeValue {
        if self.rng.chance(3) {
            return match attr_type(attr) {
                ScalarAttributeType::S => n("1"),
                _ => s("1"),
            };
        }
        match attr {
            "a" => s(self.rng.pick(&["x", "y"])),
            "b" => n(self.rng.pick(&["1", "2", "-3"])),
            "c" => s(self.rng.pick(&["m", "n", "mo", "o", "", "m"])),
            "d" => n(self.rng.pick(&["1", "5", "10", "-2", "0.5", "5"])),
            "e" => {
                let bytes: &[&[u8]] = &[b"\x01", b"\x02\x00", b"\xff", b"\x01\x02", b""];
                AttributeValue::B(Blob::new(self.rng.pick(bytes).to_vec()))
            }
            _ => s(self.rng.pick(&["p1", "p2", "payload"])),
        }
    }

    fn pk(&mut self) -> AttributeValue {
        s(&format!("k{}", self.rng.below(8)))
    }

    fn item(&mut self) -> HashMap<String, AttributeValue> {
        let mut item = HashMap::new();
        item.insert("pk".to_string(), self.pk());
        for attr in ["a", "b", "c", "d", "e", "p"] {
            if self.rng.chance(85) {
                item.insert(attr.to_string(), self.value(attr));
            }
        }
        item
    }

    fn rcc(&mut self) -> Option<ReturnConsumedCapacity> {
        self.rng.chance(40).then_some(ReturnConsumedCapacity::Indexes)
    }

    /// A key condition on index `i`: mostly right (equality on every
    /// partition attribute, the sort attributes left to right), now and
    /// then missing a partition attribute, skipping a sort attribute, or
    /// with a condition other than equality before the last one.
    fn key_condition(&mut self, i: usize) -> (String, HashMap<String, AttributeValue>) {
        let (_, hashes, ranges, _) = INDEXES[i];
        let mut terms: Vec<String> = Vec::new();
        let mut values = HashMap::new();
        let mut next = 0;
        let mut placeholder = |g: &mut Gen, attr: &str, values: &mut HashMap<String, AttributeValue>| {
            let p = format!(":v{next}");
            next += 1;
            // Mostly a value the key condition takes (of the type, not
            // empty); now and then one it refuses.
            let mut v = g.value(attr);
            while !g.rng.chance(10) && !takes(attr, &v) {
                v = g.value(attr);
            }
            values.insert(p.clone(), v);
            p
        };
        for h in hashes {
            if self.rng.chance(4) {
                continue;
            }
            let p = placeholder(self, h, &mut values);
            let op = if self.rng.chance(4) { "<" } else { "=" };
            terms.push(format!("{h} {op} {p}"));
        }
        let named = self.rng.below(ranges.len() + 1);
        for (j, r) in ranges.iter().enumerate().take(named) {
            if j + 1 < named && self.rng.chance(4) {
                continue;
            }
            let last = j + 1 == named || self.rng.chance(4);
            let p = placeholder(self, r, &mut values);
            if !last {
                terms.push(format!("{r} = {p}"));
                continue;
            }
            let ops = ["=", "<", "<=", ">", ">=", "between", "begins_with"];
            let mut op = self.rng.pick(&ops);
            if op == "begins_with" && attr_type(r) == ScalarAttributeType::N && !self.rng.chance(10) {
                op = "=";
            }
            terms.push(match op {
                "between" => {
                    let q = placeholder(self, r, &mut values);
                    format!("{r} BETWEEN {p} AND {q}")
                }
                "begins_with" => format!("begins_with({r}, {p})"),
                op => format!("{r} {op} {p}"),
            });
        }
        if self.rng.chance(3) {
            let p = placeholder(self, "p", &mut values);
            terms.push(format!("pk = {p}"));
        }
        if terms.is_empty() {
            let p = placeholder(self, hashes[0], &mut values);
            terms.push(format!("{} = {p}", hashes[0]));
        }
        // Terms in any order.
        for k in (1..terms.len()).rev() {
            let j = self.rng.below(k + 1);
            terms.swap(k, j);
        }
        (terms.join(" AND "), values)
    }

    fn op(&mut self) -> Op {
        match self.rng.below(100) {
            0..=34 => Op::Put(
                PutItemInput::builder()
                    .table_name(TABLE)
                    .set_item(Some(self.item()))
                    .set_return_consumed_capacity(self.rcc())
                    .build()
                    .unwrap(),
            ),
            35..=49 => {
                let attr = self.rng.pick(&["a", "b", "c", "d", "e"]);
                let mut b = UpdateItemInput::builder()
                    .table_name(TABLE)
                    .key("pk", self.pk())
                    .set_return_consumed_capacity(self.rcc());
                b = if self.rng.chance(30) {
                    b.update_expression(format!("REMOVE {attr}"))
                } else {
                    b.update_expression(format!("SET {attr} = :v"))
                        .expression_attribute_values(":v", self.value(attr))
                };
                Op::Update(b.build().unwrap())
            }
            50..=57 => Op::Delete(
                DeleteItemInput::builder()
                    .table_name(TABLE)
                    .key("pk", self.pk())
                    .set_return_consumed_capacity(self.rcc())
                    .build()
                    .unwrap(),
            ),
            58..=91 => {
                let i = self.rng.below(INDEXES.len());
                let (kce, values) = self.key_condition(i);
                let select = self.rng.chance(10).then_some(Select::Count);
                Op::Query(
                    QueryInput::builder()
                        .table_name(TABLE)
                        .index_name(INDEXES[i].0)
                        .key_condition_expression(kce)
                        .set_expression_attribute_values(Some(values))
                        .set_limit(self.rng.chance(50).then(|| 1 + self.rng.below(4) as i32))
                        .scan_index_forward(self.rng.chance(50))
                        .set_select(select)
                        .set_return_consumed_capacity(self.rcc())
                        .build()
                        .unwrap(),
                )
            }
            _ => Op::Scan(
                ScanInput::builder()
                    .table_name(TABLE)
                    .index_name(INDEXES[self.rng.below(INDEXES.len())].0)
                    .set_limit(self.rng.chance(50).then(|| 1 + self.rng.below(4) as i32))
                    .build()
                    .unwrap(),
            ),
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Put(PutItemInput),
    Update(UpdateItemInput),
    Delete(DeleteItemInput),
    Query(QueryInput),
    Scan(ScanInput),
}

/// The outcome of `op` on `db`, comparable; and the error message (not
/// compared: the kind is).
async fn run(db: &Database, op: &Op) -> (String, String) {
    let mut detail = String::new();
    macro_rules! out {
        ($r:expr, $ok:expr) => {
            match $r {
                Ok(o) => $ok(o),
                Err(e) => {
                    detail = e.to_string();
                    format!("ERR {}", norm_err(&e))
                }
            }
        };
    }
    let outcome = match op.clone() {
        Op::Put(i) => out!(db.put_item(i).await, |o: PutItemOutput| format!(
            "put cap={}",
            norm_cap(o.consumed_capacity.as_ref())
        )),
        Op::Update(i) => out!(db.update_item(i).await, |o: UpdateItemOutput| format!(
            "update cap={}",
            norm_cap(o.consumed_capacity.as_ref())
        )),
        Op::Delete(i) => {
            // DynamoDB Local reports the unit of deleting nothing even when
            // not asked: capacity is compared when asked for.
            let asked = i.return_consumed_capacity.is_some();
            out!(db.delete_item(i).await, |o: DeleteItemOutput| format!(
                "delete cap={}",
                if asked {
                    norm_cap(o.consumed_capacity.as_ref())
                } else {
                    String::new()
                }
            ))
        }
        Op::Query(i) => {
            // Every page. Items with equal index keys come in an order
            // DynamoDB leaves unspecified (and so do the keys pages end at
            // among them): the sequence of index sort values is compared,
            // the items as a set, and the counts.
            let sort_attrs: Vec<&str> = INDEXES
                .iter()
                .find(|(name, ..)| Some(*name) == i.index_name.as_deref())
                .map(|(_, _, ranges, _)| ranges.to_vec())
                .unwrap_or_default();
            let mut pages = 0;
            let mut totals = (0, 0);
            let mut caps = Vec::new();
            let mut all = Vec::new();
            let mut error = None;
            let mut input = i;
            loop {
                match db.query(input.clone()).await {
                    Ok(o) => {
                        pages += 1;
                        totals.0 += o.count;
                        totals.1 += o.scanned_count;
                        caps.push(norm_cap(o.consumed_capacity.as_ref()));
                        all.extend(o.items.unwrap_or_default());
                        match o.last_evaluated_key {
                            Some(k) if pages < 50 => input.exclusive_start_key = Some(k),
                            _ => break,
                        }
                    }
                    Err(e) => {
                        detail = e.to_string();
                        error = Some(norm_err(&e));
                        break;
                    }
                }
            }
            let order: Vec<String> = all
                .iter()
                .map(|it| {
                    let values: Vec<String> = sort_attrs.iter().map(|a| format!("{:?}", it.get(*a))).collect();
                    values.join("/")
                })
                .collect();
            format!(
                "query pages={pages} count={} scanned={} error={error:?} order={order:?} items={:?} caps={caps:?}",
                totals.0,
                totals.1,
                norm_items(&all, true)
            )
        }
        Op::Scan(i) => {
            let mut items = Vec::new();
            let mut totals = (0, 0);
            let mut input = i;
            loop {
                match db.scan(input.clone()).await {
                    Ok(o) => {
                        items.extend(o.items.unwrap_or_default());
                        totals.0 += o.count;
                        totals.1 += o.scanned_count;
                        match o.last_evaluated_key {
                            Some(k) => input.exclusive_start_key = Some(k),
                            None => break,
                        }
                    }
                    Err(e) => {
                        detail = e.to_string();
                        return (format!("scan ERR {}", norm_err(&e)), detail);
                    }
                }
            }
            format!(
                "scan count={} scanned={} items={:?}",
                totals.0,
                totals.1,
                norm_items(&items, true)
            )
        }
    };
    (outcome, detail)
}

/// The table's and its indexes' item counts.
async fn counters(db: &Database) -> String {
    match db
        .describe_table(DescribeTableInput::builder().table_name(TABLE).build().unwrap())
        .await
    {
        Ok(d) => {
            let t = d.table.unwrap_or_else(|| TableDescription::builder().build());
            let mut gsi: Vec<(Option<&str>, Option<i64>, Vec<KeySchemaElement>)> = t
                .global_secondary_indexes()
                .iter()
                .map(|g| (g.index_name(), g.item_count(), g.key_schema().to_vec()))
                .collect();
            gsi.sort_by(|x, y| x.0.cmp(&y.0));
            format!(
                "items={:?} bytes={:?} gsi={gsi:?}",
                t.item_count(),
                t.table_size_bytes()
            )
        }
        Err(e) => format!("ERR {}", norm_err(&e)),
    }
}

/// What a seed found: its divergences, and how many queries returned items
/// and how many were refused (so that a generator gone blind shows).
struct SeedResult {
    divergences: Vec<String>,
    queries_with_items: usize,
    queries_refused: usize,
}

async fn run_seed(tag: &str, seed: u64, ops: usize, mock: &Database, local: &Database) -> SeedResult {
    let prefix = format!("diffmk{tag}{seed}_{}_", std::process::id());
    let mock = mock.with_prefix(&prefix);
    let local = local.with_prefix(&prefix);
    mock.create_table(create_input()).await.unwrap();
    local
        .create_table(create_input())
        .await
        .expect("DynamoDB Local must be running for the differential test");
    let mut g = Gen {
        rng: Rng(seed ^ 0x3a17_1c0d_0000_0000),
    };
    let mut divergences = Vec::new();
    let (mut queries_with_items, mut queries_refused) = (0, 0);
    for step in 0..ops {
        let op = g.op();
        let (a, da) = run(&mock, &op).await;
        let (b, db) = run(&local, &op).await;
        if matches!(op, Op::Query(_)) {
            queries_with_items += usize::from(!a.contains(" items=[] "));
            queries_refused += usize::from(!a.contains("error=None"));
        }
        if a != b {
            divergences.push(format!(
                "multikey seed {seed} step {step}: {op:?}\n  mock:  {a} {da}\n  local: {b} {db}"
            ));
            break;
        }
    }
    let scan = Op::Scan(ScanInput::builder().table_name(TABLE).build().unwrap());
    let (a, b) = (run(&mock, &scan).await.0, run(&local, &scan).await.0);
    if a != b {
        divergences.push(format!("multikey seed {seed} final state\n  mock:  {a}\n  local: {b}"));
    }
    let (a, b) = (counters(&mock).await, counters(&local).await);
    if a != b {
        divergences.push(format!("multikey seed {seed} counters\n  mock:  {a}\n  local: {b}"));
    }
    let _ = local
        .delete_table(DeleteTableInput::builder().table_name(TABLE).build().unwrap())
        .await;
    SeedResult {
        divergences,
        queries_with_items,
        queries_refused,
    }
}

/// Runs the seeds (`seed_range`, 4 by default) of `DIFF_OPS` operations
/// (default 250) on `mock` and DynamoDB Local; panics listing every
/// divergence (a seed stops at its first).
async fn differential(what: &str, tag: &str, mock: &Database) {
    let local = dynamodb_local();
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let (seeds, ops) = (crate::seed_range(4), env("DIFF_OPS", 250));
    let mut all = Vec::new();
    let (mut with_items, mut refused) = (0, 0);
    for seed in seeds.clone() {
        let r = run_seed(tag, seed, ops, mock, &local).await;
        all.extend(r.divergences);
        with_items += r.queries_with_items;
        refused += r.queries_refused;
    }
    println!(
        "differential, multi-attribute keys ({what}): {} operations over {} seeds ({with_items} queries \
         with items, {refused} refused), {} divergences",
        seeds.clone().count() * ops,
        seeds.count(),
        all.len()
    );
    assert!(all.is_empty(), "{} divergences:\n{}", all.len(), all.join("\n"));
}

#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_and_dynamodb_local_agree_on_generated_multi_attribute_index_operations() {
    differential("the in-process mock", "m", &Database::mock()).await;
}

/// The same through the mock server (its decoding of key schemas of more
/// than two elements, and of the queries on them).
#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_server_and_dynamodb_local_agree_on_generated_multi_attribute_index_operations() {
    let server = dynamo_objects::server::MockServer::start(Default::default())
        .await
        .unwrap();
    differential("the mock server", "s", &Database::local(&server.endpoint())).await;
    server.shutdown().await;
}
