//! The differential test: a seeded generator of operation sequences runs
//! against the mock and DynamoDB Local side by side, and every response and
//! every error kind must match. It runs twice: on the in-process mock, and
//! through the mock server (so its request decoding and response writing
//! are held to DynamoDB Local's answers too).
//!
//! It needs DynamoDB Local, so it is `#[ignore]`d in the mock phase and run
//! by `./tool/test.sh`'s DynamoDB Local phase (with `--include-ignored`),
//! with fixed seeds and a bounded count. More seeds:
//!
//! ```text
//! ./tool/dynamodb-local.sh start 8000
//! DIFF_SEEDS=200 DIFF_OPS=500 DYNAMODB_ENDPOINT=http://127.0.0.1:8000 \
//!     cargo test --test differential -- --include-ignored --nocapture
//! ```
//!
//! `DIFF_FIRST_SEED=N` starts at seed N (with `DIFF_SEEDS=1`, seed N
//! alone). In the main generator, `DIFF_CHECK_STATE=1` also compares the
//! whole tables after every step, so that a divergence shows at the step
//! that made it rather than at a later read.
//!
//! Normalised before comparing: nothing but the order of Scan results (a
//! Scan's order is the service's business; the set of items is not) and
//! error messages (only the error kind is compared; the mock words its
//! messages as the real service does, which differs from Local's at places).

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{
    Backend, Database, Error, IndexSchema, Item, KeyAttr, KeyType, Projection, TableSchema, TestBackend,
};

// PartiQL
#[path = "differential/partiql.rs"]
mod partiql;

/// SplitMix64: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}
fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

const TABLE: &str = "diff";
const ATTRS: &[&str] = &["a", "b", "c", "tags", "nums", "doc", "lst", "flag", "g"];

fn schema() -> TableSchema {
    TableSchema::new(TABLE, KeyAttr::new("pk", KeyType::S))
        .range(KeyAttr::new("sk", KeyType::N))
        .global_index(
            IndexSchema::new("by_g", KeyAttr::new("g", KeyType::S))
                .range(KeyAttr::new("a", KeyType::N))
                .projection(Projection::Include(vec!["b".into()])),
        )
        .local_index(IndexSchema::new("by_b", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("b", KeyType::S)))
}

struct Gen {
    rng: Rng,
}

impl Gen {
    fn hash(&mut self) -> AttributeValue {
        s(&format!("h{}", self.rng.below(3)))
    }
    fn range(&mut self) -> AttributeValue {
        let choices = ["0", "1", "2", "-1", "2.5", "10", "100"];
        n(self.rng.pick(&choices))
    }
    fn key(&mut self) -> Item {
        let mut k = Item::new();
        k.insert("pk".into(), self.hash());
        k.insert("sk".into(), self.range());
        if self.rng.chance(3) {
            // A mistyped key.
            k.insert("sk".into(), s("1"));
        }
        k
    }
    fn value(&mut self, attr: &str) -> AttributeValue {
        match attr {
            "a" => n(self.rng.pick(&[
                "1",
                "2",
                "3",
                "-5",
                "0.5",
                "1e2",
                "7",
                // 38 significant digits (accepted) and 39 (refused).
                "12345678901234567890123456789012345678",
                "1234567890123456789012345678901234567890e-1",
            ])),
            "b" => s(self.rng.pick(&["x", "y", "xyz", "hello", ""])),
            "c" => {
                if self.rng.chance(50) {
                    n("9")
                } else {
                    s("nine")
                }
            }
            "tags" => AttributeValue::Ss(
                self.rng
                    .pick(&[vec!["x"], vec!["x", "y"], vec!["z"], vec![]])
                    .iter()
                    .map(|x| x.to_string())
                    .collect(),
            ),
            "nums" => AttributeValue::Ns(
                self.rng
                    .pick(&[vec!["1"], vec!["1", "2"], vec!["3.5"]])
                    .iter()
                    .map(|x| x.to_string())
                    .collect(),
            ),
            "doc" if self.rng.chance(4) => nested(31 + self.rng.below(4)),
            "doc" => AttributeValue::M(
                [("k".to_string(), n("1")), ("s".to_string(), s("v"))]
                    .into_iter()
                    .take(1 + self.rng.below(2))
                    .collect(),
            ),
            "lst" => AttributeValue::L((0..self.rng.below(4)).map(|i| n(&i.to_string())).collect()),
            "flag" => AttributeValue::Bool(self.rng.chance(50)),
            "g" => {
                if self.rng.chance(15) {
                    n("5")
                } else {
                    s(self.rng.pick(&["g1", "g2"]))
                }
            }
            _ => AttributeValue::Null(true),
        }
    }
    fn item(&mut self) -> Item {
        let mut it = self.key();
        for a in ATTRS {
            if self.rng.chance(50) {
                it.insert(a.to_string(), self.value(a));
            }
        }
        it
    }

    /// A condition (expression, names, values) over the generated attributes.
    fn condition(
        &mut self,
        names: &mut HashMap<String, String>,
        values: &mut HashMap<String, AttributeValue>,
    ) -> String {
        let k = values.len();
        let v = format!(":c{k}");
        let templates = [
            "attribute_exists(a)",
            "attribute_not_exists(pk)",
            "attribute_exists(pk)",
            "a = V",
            "a < V",
            "a >= V",
            "a BETWEEN V AND V",
            "b = V",
            "begins_with(b, V)",
            "contains(tags, V)",
            "size(b) > V",
            "attribute_type(c, V)",
            "NOT a = V",
            "a = V OR attribute_not_exists(b)",
            "#f = V",
            "doc.k = V",
            "lst[1] = V",
            "a IN (V, V)",
            "a = V AND",
            "size = V",
            "name = V",
            // An ordering operator with a literal of a type without an order
            // (U: a set, list, map, boolean or null) is a ValidationException.
            "a < U",
            "tags >= U",
            "a BETWEEN U AND U",
        ];
        let t = self.rng.pick(&templates);
        if t.contains("#f") {
            names.insert("#f".into(), "flag".into());
        }
        if t.contains('U') {
            let u = format!(":c{k}");
            let value = match self.rng.below(5) {
                0 => AttributeValue::Ss(vec!["x".into()]),
                1 => AttributeValue::L(vec![n("1")]),
                2 => AttributeValue::M([("k".to_string(), n("1"))].into_iter().collect()),
                3 => AttributeValue::Bool(true),
                _ => AttributeValue::Null(true),
            };
            values.insert(u.clone(), value);
            return t.replace('U', &u);
        }
        if !t.contains('V') {
            return t.to_string();
        }
        let value = match t {
            x if x.starts_with("begins_with") || x.starts_with("b =") || x.starts_with("contains") => {
                s(self.rng.pick(&["x", "y", "h", ""]))
            }
            x if x.starts_with("attribute_type") => s(self.rng.pick(&["S", "N", "SS", "BOOL", "X"])),
            x if x.starts_with("#f") => AttributeValue::Bool(self.rng.chance(50)),
            _ => n(self.rng.pick(&["0", "1", "2", "3", "7", "100"])),
        };
        values.insert(v.clone(), value);
        t.replace('V', &v)
    }

    fn update(&mut self, names: &mut HashMap<String, String>, values: &mut HashMap<String, AttributeValue>) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let k = values.len();
            let v = format!(":u{k}");
            match self.rng.below(11) {
                0 => {
                    let attr = self.rng.pick(ATTRS);
                    values.insert(v.clone(), self.value(attr));
                    set.push(format!("{attr} = {v}"));
                }
                1 => {
                    values.insert(v.clone(), n(self.rng.pick(&["1", "-1", "2.5"])));
                    set.push(format!("a = a + {v}"));
                }
                2 => {
                    values.insert(v.clone(), n("1"));
                    set.push(format!("a = if_not_exists(a, {v})"));
                }
                3 => {
                    values.insert(v.clone(), AttributeValue::L(vec![s("e")]));
                    set.push(format!("lst = list_append(lst, {v})"));
                }
                4 => remove.push(
                    self.rng
                        .pick(&["b", "lst[0]", "doc.k", "tags", "c", "lst[2147483648]"])
                        .to_string(),
                ),
                5 => {
                    values.insert(v.clone(), n(self.rng.pick(&["1", "2"])));
                    add.push(format!("a {v}"));
                }
                6 => {
                    values.insert(v.clone(), AttributeValue::Ss(vec!["x".into(), "w".into()]));
                    add.push(format!("tags {v}"));
                }
                7 => {
                    values.insert(v.clone(), AttributeValue::Ss(vec!["x".into()]));
                    delete.push(format!("tags {v}"));
                }
                8 => {
                    values.insert(v.clone(), s("s"));
                    set.push(format!("doc.k = {v}"));
                }
                9 => {
                    values.insert(v.clone(), s("bad"));
                    add.push(format!("b {v}"));
                }
                _ => {
                    values.insert(v.clone(), s("k"));
                    set.push(format!("#k = {v}"));
                    names.insert("#k".into(), self.rng.pick(&["pk", "g", "b"]).to_string());
                }
            }
        }
        let mut out = Vec::new();
        for (kw, parts) in [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)] {
            if !parts.is_empty() {
                out.push(format!("{kw} {}", parts.join(", ")));
            }
        }
        out.join(" ")
    }
}

/// A value `depth` levels of `M` and `L` deep (DynamoDB takes 31 in an
/// item, refuses 32).
fn nested(depth: usize) -> AttributeValue {
    let mut v = n("1");
    for level in 1..depth {
        v = if level % 2 == 0 {
            AttributeValue::L(vec![v])
        } else {
            AttributeValue::M([("d".to_string(), v)].into_iter().collect())
        };
    }
    v
}

fn opt<T>(m: HashMap<String, T>) -> Option<HashMap<String, T>> {
    (!m.is_empty()).then_some(m)
}

/// One operation, as a closure that runs it on a backend and describes the
/// outcome in a comparable form.
#[derive(Debug, Clone)]
enum Op {
    Put(PutItemInput),
    Update(UpdateItemInput),
    Delete(DeleteItemInput),
    Get(GetItemInput),
    Query(QueryInput),
    Scan(ScanInput),
    BatchWrite(BatchWriteItemInput),
    BatchGet(BatchGetItemInput),
    Transact(TransactWriteItemsInput),
    Ttl(UpdateTimeToLiveInput),
    DescribeTtl(DescribeTimeToLiveInput),
    Partiql(partiql::Pq),
}

fn gen_op(g: &mut Gen) -> Op {
    let mut names = HashMap::new();
    let mut values = HashMap::new();
    let rv = |g: &mut Gen, all: bool| {
        let choices: &[ReturnValue] = if all {
            &[
                ReturnValue::None,
                ReturnValue::AllOld,
                ReturnValue::AllNew,
                ReturnValue::UpdatedOld,
                ReturnValue::UpdatedNew,
            ]
        } else {
            &[ReturnValue::None, ReturnValue::AllOld, ReturnValue::AllNew]
        };
        g.rng.pick(choices)
    };
    // Mostly ALL_OLD or absent, now and then a value DynamoDB does not know
    // (refused once the table is found, as on Local).
    let on_fail = |g: &mut Gen, usual: bool| {
        if g.rng.chance(4) {
            Some(ReturnValuesOnConditionCheckFailure::from("BAD"))
        } else if usual || g.rng.chance(50) {
            Some(ReturnValuesOnConditionCheckFailure::AllOld)
        } else {
            None
        }
    };
    // Now and then, the table's TTL (no item changes: the test never sweeps).
    if g.rng.chance(3) {
        if g.rng.chance(30) {
            return Op::DescribeTtl(DescribeTimeToLiveInput::builder().table_name(TABLE).build().unwrap());
        }
        let spec = TimeToLiveSpecification::builder()
            .enabled(g.rng.chance(60))
            .attribute_name(g.rng.pick(&["exp", "a", "x"]))
            .build()
            .unwrap();
        return Op::Ttl(
            UpdateTimeToLiveInput::builder()
                .table_name(TABLE)
                .time_to_live_specification(spec)
                .build()
                .unwrap(),
        );
    }
    match g.rng.below(100) {
        0..=19 => {
            let cond = g.rng.chance(40).then(|| g.condition(&mut names, &mut values));
            Op::Put(
                PutItemInput::builder()
                    .table_name(TABLE)
                    .set_item(Some(g.item()))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(opt(names))
                    .set_expression_attribute_values(opt(values))
                    .return_values(rv(g, false))
                    .set_return_values_on_condition_check_failure(on_fail(g, true))
                    .build()
                    .unwrap(),
            )
        }
        20..=39 => {
            let upd = g.update(&mut names, &mut values);
            let cond = g.rng.chance(30).then(|| g.condition(&mut names, &mut values));
            Op::Update(
                UpdateItemInput::builder()
                    .table_name(TABLE)
                    .set_key(Some(g.key()))
                    .update_expression(upd)
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(opt(names))
                    .set_expression_attribute_values(opt(values))
                    .return_values(rv(g, true))
                    .set_return_values_on_condition_check_failure(on_fail(g, false))
                    .build()
                    .unwrap(),
            )
        }
        40..=47 => {
            let cond = g.rng.chance(40).then(|| g.condition(&mut names, &mut values));
            Op::Delete(
                DeleteItemInput::builder()
                    .table_name(TABLE)
                    .set_key(Some(g.key()))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(opt(names))
                    .set_expression_attribute_values(opt(values))
                    .return_values(rv(g, false))
                    .set_return_values_on_condition_check_failure(on_fail(g, false))
                    .build()
                    .unwrap(),
            )
        }
        48..=57 => {
            let proj = g.rng.chance(40).then(|| {
                g.rng
                    .pick(&["a, b", "doc.k, lst[0]", "tags", "pk, a, nope"])
                    .to_string()
            });
            Op::Get(
                GetItemInput::builder()
                    .table_name(TABLE)
                    .set_key(Some(g.key()))
                    .consistent_read(true)
                    .set_projection_expression(proj)
                    .build()
                    .unwrap(),
            )
        }
        58..=77 => {
            let index = g.rng.pick(&[None, None, Some("by_g"), Some("by_b")]);
            let (hash_attr, hash_val) = match index {
                Some("by_g") => ("g", s(g.rng.pick(&["g1", "g2"]))),
                _ => ("pk", g.hash()),
            };
            values.insert(":h".into(), hash_val);
            let mut key = format!("{hash_attr} = :h");
            if g.rng.chance(50) {
                let (range_attr, v) = match index {
                    Some("by_g") => ("a", n(g.rng.pick(&["1", "2", "3"]))),
                    Some("by_b") => ("b", s(g.rng.pick(&["x", "xy", "h"]))),
                    _ => ("sk", g.range()),
                };
                values.insert(":r".into(), v);
                let op = g.rng.pick(&["=", "<", "<=", ">", ">="]);
                key.push_str(&format!(" AND {range_attr} {op} :r"));
            }
            let filter = g.rng.chance(30).then(|| g.condition(&mut names, &mut values));
            let select = match g.rng.below(7) {
                0 => Some(Select::Count),
                1 => Some(Select::AllProjectedAttributes),
                2 => Some(Select::AllAttributes),
                _ => None,
            };
            let projection = (select.is_none() && g.rng.chance(30))
                .then(|| g.rng.pick(&["a, b", "pk, sk, g", "doc, c"]).to_string());
            Op::Query(
                QueryInput::builder()
                    .table_name(TABLE)
                    .set_index_name(index.map(String::from))
                    .key_condition_expression(key)
                    .set_filter_expression(filter)
                    .set_expression_attribute_names(opt(names))
                    .set_expression_attribute_values(opt(values))
                    .scan_index_forward(g.rng.chance(50))
                    .set_limit(g.rng.chance(40).then(|| 1 + g.rng.below(4) as i32))
                    .set_select(select)
                    .set_projection_expression(projection)
                    .build()
                    .unwrap(),
            )
        }
        78..=84 => {
            let filter = g.rng.chance(50).then(|| g.condition(&mut names, &mut values));
            let index = g.rng.pick(&[None, None, Some("by_g")]);
            Op::Scan(
                ScanInput::builder()
                    .table_name(TABLE)
                    .set_index_name(index.map(String::from))
                    .set_filter_expression(filter)
                    .set_expression_attribute_names(opt(names))
                    .set_expression_attribute_values(opt(values))
                    .set_limit(g.rng.chance(40).then(|| 1 + g.rng.below(5) as i32))
                    .build()
                    .unwrap(),
            )
        }
        85..=90 => {
            let count = 1 + g.rng.below(6);
            let reqs = (0..count)
                .map(|_| {
                    if g.rng.chance(70) {
                        WriteRequest::builder()
                            .put_request(PutRequest::builder().set_item(Some(g.item())).build().unwrap())
                            .build()
                    } else {
                        WriteRequest::builder()
                            .delete_request(DeleteRequest::builder().set_key(Some(g.key())).build().unwrap())
                            .build()
                    }
                })
                .collect();
            Op::BatchWrite(
                BatchWriteItemInput::builder()
                    .request_items(TABLE, reqs)
                    .build()
                    .unwrap(),
            )
        }
        91..=94 => {
            let keys = (0..1 + g.rng.below(5)).map(|_| g.key()).collect();
            Op::BatchGet(
                BatchGetItemInput::builder()
                    .request_items(
                        TABLE,
                        KeysAndAttributes::builder()
                            .set_keys(Some(keys))
                            .consistent_read(true)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
        }
        _ => {
            let mut items = Vec::new();
            for _ in 0..1 + g.rng.below(3) {
                let mut names = HashMap::new();
                let mut values = HashMap::new();
                let item = match g.rng.below(4) {
                    0 => {
                        let cond = g.rng.chance(50).then(|| g.condition(&mut names, &mut values));
                        TransactWriteItem::builder()
                            .put(
                                Put::builder()
                                    .table_name(TABLE)
                                    .set_item(Some(g.item()))
                                    .set_condition_expression(cond)
                                    .set_expression_attribute_names(opt(names))
                                    .set_expression_attribute_values(opt(values))
                                    .return_values_on_condition_check_failure(
                                        ReturnValuesOnConditionCheckFailure::AllOld,
                                    )
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                    }
                    1 => {
                        let upd = g.update(&mut names, &mut values);
                        TransactWriteItem::builder()
                            .update(
                                Update::builder()
                                    .table_name(TABLE)
                                    .set_key(Some(g.key()))
                                    .update_expression(upd)
                                    .set_expression_attribute_names(opt(names))
                                    .set_expression_attribute_values(opt(values))
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                    }
                    2 => TransactWriteItem::builder()
                        .delete(
                            Delete::builder()
                                .table_name(TABLE)
                                .set_key(Some(g.key()))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                    _ => {
                        let cond = g.condition(&mut names, &mut values);
                        TransactWriteItem::builder()
                            .condition_check(
                                ConditionCheck::builder()
                                    .table_name(TABLE)
                                    .set_key(Some(g.key()))
                                    .condition_expression(cond)
                                    .set_expression_attribute_names(opt(names))
                                    .set_expression_attribute_values(opt(values))
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                    }
                };
                items.push(item);
            }
            Op::Transact(
                TransactWriteItemsInput::builder()
                    .set_transact_items(Some(items))
                    .build()
                    .unwrap(),
            )
        }
    }
}

/// The legacy parameters' generators.
impl Gen {
    /// A scalar operand for a legacy condition on `attr`.
    fn legacy_scalar(&mut self, attr: &str) -> AttributeValue {
        match attr {
            "a" | "sk" => n(self.rng.pick(&["0", "1", "2", "3", "7", "-1", "2.5"])),
            "b" | "tags" => s(self.rng.pick(&["x", "y", "h", "xyz", ""])),
            "nums" | "lst" => n(self.rng.pick(&["0", "1", "2"])),
            "c" => {
                if self.rng.chance(50) {
                    n("9")
                } else {
                    s("nine")
                }
            }
            "g" => s(self.rng.pick(&["g1", "g2"])),
            "pk" => self.hash(),
            _ => AttributeValue::Bool(true),
        }
    }

    /// A legacy comparison on `attr`: operator and values (now and then the
    /// wrong number of values, or a value of a type the operator refuses).
    fn legacy_comparison(&mut self, attr: &str) -> (ComparisonOperator, Vec<AttributeValue>) {
        let op = self.rng.pick(&[
            "EQ",
            "NE",
            "LE",
            "LT",
            "GE",
            "GT",
            "NOT_NULL",
            "NULL",
            "CONTAINS",
            "NOT_CONTAINS",
            "BEGINS_WITH",
            "IN",
            "BETWEEN",
        ]);
        let numeric = matches!(self.legacy_scalar(attr), AttributeValue::N(_));
        let mut values = match op {
            "NULL" | "NOT_NULL" => vec![],
            // Bounds mostly in order (the last pair of each is not: refused).
            "BETWEEN" if numeric => {
                let (lo, hi) = self
                    .rng
                    .pick(&[("0", "3"), ("1", "7"), ("-1", "2.5"), ("2", "2"), ("7", "1")]);
                vec![n(lo), n(hi)]
            }
            "BETWEEN" => {
                let (lo, hi) = self.rng.pick(&[("a", "y"), ("h", "x"), ("x", "xz"), ("y", "x")]);
                vec![s(lo), s(hi)]
            }
            // Mostly a string prefix, even for a number attribute (false).
            "BEGINS_WITH" if numeric && self.rng.chance(80) => vec![s("1")],
            "IN" => (0..1 + self.rng.below(3)).map(|_| self.legacy_scalar(attr)).collect(),
            _ => vec![self.legacy_scalar(attr)],
        };
        if self.rng.chance(4) {
            values.push(self.value(attr));
        }
        if self.rng.chance(4) {
            let other = self.rng.pick(ATTRS);
            values = vec![self.value(other)];
        }
        (ComparisonOperator::from(op), values)
    }

    fn legacy_attr(&mut self) -> &'static str {
        self.rng
            .pick(&["a", "a", "b", "c", "tags", "nums", "lst", "flag", "nope", "pk"])
    }

    /// `Expected`: one or two attributes.
    fn expected(&mut self) -> HashMap<String, ExpectedAttributeValue> {
        let mut out = HashMap::new();
        for _ in 0..1 + self.rng.below(2) {
            let attr = self.legacy_attr();
            let e = match self.rng.below(6) {
                0 => ExpectedAttributeValue::builder().exists(false).build(),
                1 => ExpectedAttributeValue::builder()
                    .value(self.legacy_scalar(attr))
                    .build(),
                2 => ExpectedAttributeValue::builder()
                    .exists(true)
                    .value(self.legacy_scalar(attr))
                    .build(),
                3 if self.rng.chance(30) => ExpectedAttributeValue::builder()
                    .exists(self.rng.chance(50))
                    .set_value(self.rng.chance(50).then(|| self.legacy_scalar(attr)))
                    .set_comparison_operator(self.rng.chance(50).then_some(ComparisonOperator::Eq))
                    .build(),
                _ => {
                    let (op, values) = self.legacy_comparison(attr);
                    ExpectedAttributeValue::builder()
                        .comparison_operator(op)
                        .set_attribute_value_list(Some(values))
                        .build()
                }
            };
            out.insert(attr.to_string(), e);
        }
        out
    }

    /// `QueryFilter` or `ScanFilter`: one to three conditions.
    fn legacy_filter(&mut self, attrs: &[&'static str]) -> HashMap<String, Condition> {
        let mut out = HashMap::new();
        for _ in 0..1 + self.rng.below(3) {
            let attr = self.rng.pick(attrs);
            let (op, values) = self.legacy_comparison(attr);
            let c = Condition::builder()
                .comparison_operator(op)
                .set_attribute_value_list(Some(values))
                .build()
                .unwrap();
            out.insert(attr.to_string(), c);
        }
        out
    }

    /// A `ConditionalOperator` for `conditions` conditions (mostly none;
    /// now and then one where DynamoDB refuses it).
    fn conditional_operator(&mut self, conditions: usize) -> Option<ConditionalOperator> {
        let chance = if conditions >= 2 { 60 } else { 5 };
        self.rng
            .chance(chance)
            .then(|| self.rng.pick(&[ConditionalOperator::And, ConditionalOperator::Or]))
    }

    /// `AttributeUpdates`: one to three attributes, PUT, ADD or DELETE on
    /// every type (some refused: a string ADDed, a key attribute updated).
    fn attribute_updates(&mut self) -> HashMap<String, AttributeValueUpdate> {
        let mut out = HashMap::new();
        for _ in 0..1 + self.rng.below(3) {
            let (attr, action, value) = match self.rng.below(12) {
                0 | 1 => {
                    let attr = self.rng.pick(ATTRS);
                    (attr, AttributeAction::Put, Some(self.value(attr)))
                }
                2 => (self.rng.pick(ATTRS), AttributeAction::Delete, None),
                3 => (
                    "tags",
                    AttributeAction::Delete,
                    Some(AttributeValue::Ss(vec!["x".into()])),
                ),
                4 => ("a", AttributeAction::Add, Some(n(self.rng.pick(&["1", "-1", "2.5"])))),
                5 => (
                    "tags",
                    AttributeAction::Add,
                    Some(AttributeValue::Ss(vec!["x".into(), "w".into()])),
                ),
                6 => ("nums", AttributeAction::Add, Some(AttributeValue::Ns(vec!["2".into()]))),
                7 => ("lst", AttributeAction::Add, Some(AttributeValue::L(vec![s("e")]))),
                8 => ("b", AttributeAction::Add, Some(s("bad"))),
                9 => ("b", AttributeAction::Delete, Some(AttributeValue::Ss(vec!["x".into()]))),
                10 => (
                    self.rng.pick(&["pk", "sk"]),
                    AttributeAction::Put,
                    Some(self.legacy_scalar("sk")),
                ),
                _ => ("new", AttributeAction::Add, Some(n("1"))),
            };
            let u = AttributeValueUpdate::builder().action(action).set_value(value).build();
            out.insert(attr.to_string(), u);
        }
        out
    }

    fn attributes_to_get(&mut self) -> Vec<String> {
        let names = self.rng.pick(&[
            vec!["a", "b"],
            vec!["pk", "a", "nope"],
            vec!["tags"],
            vec!["doc", "sk"],
            vec!["a", "a"],
        ]);
        names.iter().map(|x| x.to_string()).collect()
    }
}

/// Now and then, a generated operation restated with the legacy parameters
/// (and, now and then, with both kinds: the mixing error). Draws from its
/// own generator, so that the expression operations stay as they were.
/// Now and then asks an operation for its consumed capacity (`TOTAL` or
/// `INDEXES`, by table and index) and its item collection metrics (`SIZE`),
/// from a stream of its own (the operations drawn stay those of the seed).
fn capacity_op(g: &mut Gen, op: Op) -> Op {
    let rcc = match g.rng.below(10) {
        0..=2 => Some(ReturnConsumedCapacity::Indexes),
        3..=4 => Some(ReturnConsumedCapacity::Total),
        _ => None,
    };
    let icm = g.rng.chance(25).then_some(ReturnItemCollectionMetrics::Size);
    match op {
        Op::Put(mut i) => {
            i.return_consumed_capacity = rcc;
            i.return_item_collection_metrics = icm;
            Op::Put(i)
        }
        Op::Update(mut i) => {
            i.return_consumed_capacity = rcc;
            i.return_item_collection_metrics = icm;
            Op::Update(i)
        }
        Op::Delete(mut i) => {
            i.return_consumed_capacity = rcc;
            i.return_item_collection_metrics = icm;
            Op::Delete(i)
        }
        Op::Get(mut i) => {
            i.return_consumed_capacity = rcc;
            Op::Get(i)
        }
        Op::Query(mut i) => {
            i.return_consumed_capacity = rcc;
            Op::Query(i)
        }
        Op::Scan(mut i) => {
            i.return_consumed_capacity = rcc;
            Op::Scan(i)
        }
        Op::BatchWrite(mut i) => {
            i.return_consumed_capacity = rcc;
            i.return_item_collection_metrics = icm;
            Op::BatchWrite(i)
        }
        Op::BatchGet(mut i) => {
            i.return_consumed_capacity = rcc;
            Op::BatchGet(i)
        }
        // Not on transactions: what DynamoDB Local charges for several
        // actions on items that are not there follows no rule found yet (two
        // Deletes of nothing cost 1 unit, as one does, but a Put and one
        // such Delete 3).
        Op::Transact(mut i) => {
            i.return_item_collection_metrics = icm;
            Op::Transact(i)
        }
        other => other,
    }
}

/// A comparable rendering of consumed capacity: the total and, when asked
/// for, the table's and each index's share (indexes in name order).
fn norm_cap(c: Option<&ConsumedCapacity>) -> String {
    let Some(c) = c else { return "-".to_string() };
    let map = |m: Option<&HashMap<String, Capacity>>| {
        let mut v: Vec<String> = m
            .into_iter()
            .flatten()
            .map(|(k, x)| format!("{k}:{:?}", x.capacity_units()))
            .collect();
        v.sort();
        v.join(",")
    };
    format!(
        "{:?}/{:?}/{:?}/lsi[{}]/gsi[{}]",
        c.table_name(),
        c.capacity_units(),
        c.table().map(|t| t.capacity_units()),
        map(c.local_secondary_indexes()),
        map(c.global_secondary_indexes())
    )
}

fn norm_caps(c: Option<&[ConsumedCapacity]>) -> String {
    c.map_or("-".to_string(), |v| {
        v.iter().map(|c| norm_cap(Some(c))).collect::<Vec<_>>().join(";")
    })
}

fn legacy_op(g: &mut Gen, op: Op) -> Op {
    if !g.rng.chance(30) {
        return op;
    }
    let mix = g.rng.chance(8);
    match op {
        Op::Put(mut i) => {
            if !mix {
                i.condition_expression = None;
                i.expression_attribute_names = None;
                i.expression_attribute_values = None;
            }
            let e = g.expected();
            i.conditional_operator = g.conditional_operator(e.len());
            i.expected = Some(e);
            // Return values that PutItem and DeleteItem take, so that the
            // condition decides.
            i.return_values = Some(g.rng.pick(&[ReturnValue::None, ReturnValue::AllOld]));
            Op::Put(i)
        }
        Op::Delete(mut i) => {
            if !mix {
                i.condition_expression = None;
                i.expression_attribute_names = None;
                i.expression_attribute_values = None;
            }
            let e = g.expected();
            i.conditional_operator = g.conditional_operator(e.len());
            i.expected = Some(e);
            // Return values that PutItem and DeleteItem take, so that the
            // condition decides.
            i.return_values = Some(g.rng.pick(&[ReturnValue::None, ReturnValue::AllOld]));
            Op::Delete(i)
        }
        Op::Update(mut i) => {
            if !mix {
                i.update_expression = None;
                i.condition_expression = None;
                i.expression_attribute_names = None;
                i.expression_attribute_values = None;
            }
            i.attribute_updates = Some(g.attribute_updates());
            if g.rng.chance(40) {
                let e = g.expected();
                i.conditional_operator = g.conditional_operator(e.len());
                i.expected = Some(e);
            }
            Op::Update(i)
        }
        Op::Get(mut i) => {
            if !mix {
                i.projection_expression = None;
            }
            i.attributes_to_get = Some(g.attributes_to_get());
            Op::Get(i)
        }
        Op::BatchGet(mut i) => {
            if let Some(ka) = i.request_items.as_mut().and_then(|r| r.get_mut(TABLE)) {
                if mix {
                    ka.projection_expression = Some("a".into());
                }
                ka.attributes_to_get = Some(g.attributes_to_get());
            }
            Op::BatchGet(i)
        }
        Op::Query(mut i) => {
            if !mix {
                i.key_condition_expression = None;
                i.filter_expression = None;
                i.projection_expression = None;
                i.expression_attribute_names = None;
                i.expression_attribute_values = None;
            }
            let (hash, range, range_value): (&str, &str, fn(&mut Gen) -> AttributeValue) = match i.index_name.as_deref()
            {
                Some("by_g") => ("g", "a", |g| g.legacy_scalar("a")),
                Some("by_b") => ("pk", "b", |g| s(g.rng.pick(&["x", "xy", "h"]))),
                _ => ("pk", "sk", |g| g.range()),
            };
            let hash_value = if hash == "g" {
                s(g.rng.pick(&["g1", "g2"]))
            } else {
                g.hash()
            };
            let eq = |v: AttributeValue| {
                Condition::builder()
                    .comparison_operator(ComparisonOperator::Eq)
                    .attribute_value_list(v)
                    .build()
                    .unwrap()
            };
            let mut key = HashMap::from([(hash.to_string(), eq(hash_value))]);
            if g.rng.chance(50) {
                let op = g
                    .rng
                    .pick(&["EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH", "IN"]);
                let values = match op {
                    "BETWEEN" => vec![range_value(g), range_value(g)],
                    _ => vec![range_value(g)],
                };
                let c = Condition::builder()
                    .comparison_operator(ComparisonOperator::from(op))
                    .set_attribute_value_list(Some(values))
                    .build()
                    .unwrap();
                key.insert(range.to_string(), c);
            }
            if g.rng.chance(5) {
                key.remove(hash);
            }
            i.key_conditions = Some(key);
            if g.rng.chance(50) {
                let f = g.legacy_filter(&["a", "b", "c", "tags", "flag", "nope", "lst", "sk"]);
                i.conditional_operator = g.conditional_operator(f.len());
                i.query_filter = Some(f);
            }
            if g.rng.chance(30) {
                i.attributes_to_get = Some(g.attributes_to_get());
                i.select = g.rng.chance(50).then_some(Select::SpecificAttributes);
            }
            Op::Query(i)
        }
        Op::Scan(mut i) => {
            if !mix {
                i.filter_expression = None;
                i.expression_attribute_names = None;
                i.expression_attribute_values = None;
            }
            if g.rng.chance(60) {
                let f = g.legacy_filter(&["a", "b", "c", "tags", "flag", "nope", "lst", "pk", "sk"]);
                i.conditional_operator = g.conditional_operator(f.len());
                i.scan_filter = Some(f);
            }
            if g.rng.chance(30) {
                i.attributes_to_get = Some(g.attributes_to_get());
            }
            // Parallel scans: which segment each partition lands in.
            if g.rng.chance(40) {
                let total = 1 + g.rng.below(4) as i32;
                i.total_segments = Some(total);
                i.segment = Some(g.rng.below(total as usize) as i32);
            }
            Op::Scan(i)
        }
        other => other,
    }
}

/// A comparable rendering of a value: numbers are compared as DynamoDB
/// returns them (canonical text), sets regardless of order.
fn norm_value(v: &AttributeValue) -> String {
    match v {
        AttributeValue::Ss(x) | AttributeValue::Ns(x) => {
            let mut x = x.clone();
            x.sort();
            format!("{:?}", x)
        }
        AttributeValue::M(m) => norm_item(m),
        AttributeValue::L(l) => format!("[{}]", l.iter().map(norm_value).collect::<Vec<_>>().join(",")),
        other => format!("{other:?}"),
    }
}

fn norm_item(i: &Item) -> String {
    let mut parts: Vec<String> = i.iter().map(|(k, v)| format!("{k}={}", norm_value(v))).collect();
    parts.sort();
    format!("{{{}}}", parts.join(","))
}

fn norm_items(items: &[Item], sort: bool) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(norm_item).collect();
    if sort {
        v.sort();
    }
    v
}

fn norm_err(e: &Error) -> String {
    match e {
        Error::ConditionalCheckFailed { item, .. } => {
            format!("ConditionalCheckFailed item={:?}", item.as_ref().map(norm_item))
        }
        Error::TransactionCanceled { reasons, .. } => {
            let r: Vec<String> = reasons
                .iter()
                .map(|r| format!("{}:{:?}", r.code().unwrap_or("None"), r.item().map(norm_item)))
                .collect();
            format!("TransactionCanceled [{}]", r.join(", "))
        }
        other => other.code().to_string(),
    }
}

/// The outcome of an operation, and (not compared) the error message.
async fn run(db: &Database, op: &Op) -> (String, String) {
    let mut detail = String::new();
    let outcome = run_op(db, op, &mut detail).await;
    (outcome, detail)
}

async fn run_op(db: &Database, op: &Op, detail: &mut String) -> String {
    macro_rules! out {
        ($r:expr, $ok:expr) => {
            match $r {
                Ok(o) => $ok(o),
                Err(e) => {
                    *detail = e.to_string();
                    format!("ERR {}", norm_err(&e))
                }
            }
        };
    }
    match op.clone() {
        Op::Partiql(pq) => partiql::run(db, &pq, detail).await,
        Op::Put(i) => out!(db.put_item(i).await, |o: PutItemOutput| format!(
            "put {:?} cap={} icm={:?}",
            o.attributes.as_ref().map(norm_item),
            norm_cap(o.consumed_capacity.as_ref()),
            o.item_collection_metrics.is_some()
        )),
        Op::Update(i) => {
            out!(db.update_item(i).await, |o: UpdateItemOutput| format!(
                "update {:?} cap={} icm={:?}",
                o.attributes.as_ref().map(norm_item),
                norm_cap(o.consumed_capacity.as_ref()),
                o.item_collection_metrics.is_some()
            ))
        }
        Op::Delete(i) => {
            // DynamoDB Local reports the unit of deleting nothing even when
            // not asked: capacity is compared when asked for.
            let asked = matches!(
                i.return_consumed_capacity,
                Some(ReturnConsumedCapacity::Total | ReturnConsumedCapacity::Indexes)
            );
            out!(db.delete_item(i).await, |o: DeleteItemOutput| format!(
                "delete {:?} cap={} icm={:?}",
                o.attributes.as_ref().map(norm_item),
                if asked {
                    norm_cap(o.consumed_capacity.as_ref())
                } else {
                    "-".to_string()
                },
                o.item_collection_metrics.is_some()
            ))
        }
        Op::Ttl(i) => out!(db.update_time_to_live(i).await, |o: UpdateTimeToLiveOutput| format!(
            "ttl {:?}",
            o.time_to_live_specification
        )),
        Op::DescribeTtl(i) => out!(
            db.describe_time_to_live(i).await,
            |o: DescribeTimeToLiveOutput| format!("describe ttl {:?}", o.time_to_live_description)
        ),
        Op::Get(i) => out!(db.get_item(i).await, |o: GetItemOutput| format!(
            "get {:?} cap={}",
            o.item.as_ref().map(norm_item),
            norm_cap(o.consumed_capacity.as_ref())
        )),
        Op::Query(i) => {
            // Every page, exactly; except that on an index, items with equal
            // index keys come in an order DynamoDB leaves unspecified (and so
            // do the keys pages end at): there, compare the sequence of index
            // range keys, and the items as a set.
            let index_range = match i.index_name.as_deref() {
                Some("by_g") => Some("a"),
                Some("by_b") => Some("b"),
                _ => None,
            };
            if let Some(attr) = index_range {
                let mut pages = Vec::new();
                let mut totals = (0, 0);
                let mut all = Vec::new();
                let mut input = i;
                loop {
                    match db.query(input.clone()).await {
                        Ok(o) => {
                            // Which page a tied item lands on is unspecified too: totals only.
                            totals.0 += o.count;
                            totals.1 += o.scanned_count;
                            pages.push(String::new());
                            all.extend(o.items.unwrap_or_default());
                            match o.last_evaluated_key {
                                Some(k) if pages.len() < 50 => input.exclusive_start_key = Some(k),
                                _ => break,
                            }
                        }
                        Err(e) => {
                            *detail = e.to_string();
                            pages.push(format!("ERR {}", norm_err(&e)));
                            break;
                        }
                    }
                }
                let order: Vec<String> = all.iter().map(|it| format!("{:?}", it.get(attr))).collect();
                let errors: Vec<&String> = pages.iter().filter(|p| !p.is_empty()).collect();
                return format!(
                    "index query pages={} count={} scanned={} errors={errors:?} order={order:?} items={:?}",
                    pages.len(),
                    totals.0,
                    totals.1,
                    norm_items(&all, true)
                );
            }
            let mut pages = Vec::new();
            let mut input = i;
            loop {
                match db.query(input.clone()).await {
                    Ok(o) => {
                        pages.push(format!(
                            "items={:?} count={} scanned={} last={:?}",
                            o.items.as_deref().map(|x| norm_items(x, false)),
                            o.count,
                            o.scanned_count,
                            o.last_evaluated_key.as_ref().map(norm_item)
                        ));
                        match o.last_evaluated_key {
                            Some(k) if pages.len() < 50 => input.exclusive_start_key = Some(k),
                            _ => break,
                        }
                    }
                    Err(e) => {
                        *detail = e.to_string();
                        pages.push(format!("ERR {}", norm_err(&e)));
                        break;
                    }
                }
            }
            format!("query {}", pages.join(" | "))
        }
        Op::Scan(i) => {
            // The whole scan, order-insensitive.
            let mut items = Vec::new();
            let mut count = 0;
            let mut scanned = 0;
            let mut input = i;
            loop {
                match db.scan(input.clone()).await {
                    Ok(o) => {
                        items.extend(o.items.unwrap_or_default());
                        count += o.count;
                        scanned += o.scanned_count;
                        match o.last_evaluated_key {
                            Some(k) => input.exclusive_start_key = Some(k),
                            None => break,
                        }
                    }
                    Err(e) => {
                        *detail = e.to_string();
                        return format!("scan ERR {}", norm_err(&e));
                    }
                }
            }
            format!(
                "scan count={count} scanned={scanned} items={:?}",
                norm_items(&items, true)
            )
        }
        Op::BatchWrite(i) => out!(db.batch_write_item(i).await, |o: BatchWriteItemOutput| format!(
            "batch_write unprocessed={} cap={} icm={:?}",
            o.unprocessed_items
                .map_or(0, |u| u.values().map(Vec::len).sum::<usize>()),
            norm_caps(o.consumed_capacity.as_deref()),
            o.item_collection_metrics.is_some_and(|m| !m.is_empty())
        )),
        Op::BatchGet(i) => out!(db.batch_get_item(i).await, |o: BatchGetItemOutput| format!(
            "batch_get {:?} cap={}",
            o.responses
                .and_then(|mut r| r.remove(TABLE))
                .map(|x| norm_items(&x, true)),
            norm_caps(o.consumed_capacity.as_deref())
        )),
        Op::Transact(i) => out!(db.transact_write_items(i).await, |o: TransactWriteItemsOutput| format!(
            "transact ok cap={} icm={:?}",
            norm_caps(o.consumed_capacity.as_deref()),
            o.item_collection_metrics.is_some_and(|m| !m.is_empty())
        )),
    }
}

async fn run_seed(tag: &str, seed: u64, ops: usize, mock: &Database, local: &Database) -> (usize, Vec<String>) {
    // Tests run at once: each its own tables on Local.
    let prefix = format!("diff{tag}{seed}_{}_", std::process::id());
    let mock = mock.with_prefix(&prefix);
    let local = local.with_prefix(&prefix);
    mock.ensure_table(&schema()).await.unwrap();
    local
        .ensure_table(&schema())
        .await
        .expect("DynamoDB Local must be running for the differential test");
    let mut g = Gen { rng: Rng(seed) };
    let mut legacy = Gen {
        rng: Rng(seed ^ 0x5eed_1e9a_c700_0000),
    };
    let mut capacity = Gen {
        rng: Rng(seed ^ 0xca9a_c17e_0000_0000),
    };
    let mut pq = Gen {
        rng: Rng(seed ^ 0x9a27_1a00_0000_0000),
    };
    let mut divergences = Vec::new();
    for step in 0..ops {
        let op = capacity_op(&mut capacity, legacy_op(&mut legacy, gen_op(&mut g)));
        let op = partiql::maybe(&mut pq, op, Op::Partiql);
        let (a, da) = run(&mock, &op).await;
        let (b, db) = run(&local, &op).await;
        // DIFF_CHECK_STATE=1 compares the tables after every step, so that
        // a divergence shows at the step that made it, not at a later read.
        if a == b && std::env::var_os("DIFF_CHECK_STATE").is_some() {
            let scan = Op::Scan(ScanInput::builder().table_name(TABLE).build().unwrap());
            let (sa, sb) = (run(&mock, &scan).await.0, run(&local, &scan).await.0);
            if sa != sb {
                divergences.push(format!(
                    "seed {seed} step {step}: {op:?}\n  answered alike ({a}), but the tables differ after it\n  mock:  {sa}\n  local: {sb}"
                ));
                if let Err(e) = resync(&mock, &local).await {
                    divergences.push(format!("seed {seed} step {step}: {e}"));
                    break;
                }
            }
            continue;
        }
        if a != b {
            divergences.push(format!(
                "seed {seed} step {step}: {op:?}\n  mock:  {a} {da}\n  local: {b} {db}"
            ));
            // Resynchronise: copy Local's table state into the mock.
            if let Err(e) = resync(&mock, &local).await {
                divergences.push(format!("seed {seed} step {step}: {e}"));
                break;
            }
        }
    }
    // The final states match too.
    let scan = Op::Scan(ScanInput::builder().table_name(TABLE).build().unwrap());
    let (a, b) = (run(&mock, &scan).await.0, run(&local, &scan).await.0);
    if a != b {
        divergences.push(format!("seed {seed} final state\n  mock:  {a}\n  local: {b}"));
    }
    // A GSI's IndexSizeBytes is left out: DynamoDB refreshes it about every
    // six hours, and DynamoDB Local's own figure follows rules of its own.
    let counters = |d: DescribeTableOutput| {
        let t = d.table.unwrap();
        let gsi: Vec<Option<i64>> = t.global_secondary_indexes().iter().map(|g| g.item_count()).collect();
        let lsi: Vec<(Option<i64>, Option<i64>)> = t
            .local_secondary_indexes()
            .iter()
            .map(|l| (l.item_count(), l.index_size_bytes()))
            .collect();
        format!(
            "items={:?} bytes={:?} gsi={gsi:?} lsi={lsi:?}",
            t.item_count(),
            t.table_size_bytes()
        )
    };
    let describe = || DescribeTableInput::builder().table_name(TABLE).build().unwrap();
    let (a, b) = (
        counters(mock.describe_table(describe()).await.unwrap()),
        counters(local.describe_table(describe()).await.unwrap()),
    );
    if a != b {
        divergences.push(format!(
            "seed {seed} DescribeTable counters\n  mock:  {a}\n  local: {b}"
        ));
    }
    (ops, divergences)
}

/// Copies Local's table into the mock; an item the mock refuses (which
/// Local took) is an error naming it, and ends the seed.
async fn resync(mock: &Database, local: &Database) -> Result<(), String> {
    let _ = mock
        .delete_table(DeleteTableInput::builder().table_name(TABLE).build().unwrap())
        .await;
    mock.forget_tables();
    mock.ensure_table(&schema()).await.unwrap();
    let mut start = None;
    loop {
        let out = local
            .scan(
                ScanInput::builder()
                    .table_name(TABLE)
                    .set_exclusive_start_key(start.take())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        for it in out.items.unwrap_or_default() {
            let text = norm_item(&it);
            mock.put_item(
                PutItemInput::builder()
                    .table_name(TABLE)
                    .set_item(Some(it))
                    .build()
                    .unwrap(),
            )
            .await
            .map_err(|e| format!("the mock refuses an item DynamoDB Local holds: {e}\n  item: {text}"))?;
        }
        match out.last_evaluated_key {
            Some(k) => start = Some(k),
            None => break,
        }
    }
    // And Local's TTL setting, so that a divergence is not followed by
    // others about TTL alone.
    let ttl = local
        .describe_time_to_live(DescribeTimeToLiveInput::builder().table_name(TABLE).build().unwrap())
        .await
        .unwrap()
        .time_to_live_description;
    if let Some(d) = ttl
        && d.time_to_live_status == Some(TimeToLiveStatus::Enabled)
        && let Some(attribute) = d.attribute_name
    {
        let spec = TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name(attribute)
            .build()
            .unwrap();
        mock.update_time_to_live(
            UpdateTimeToLiveInput::builder()
                .table_name(TABLE)
                .time_to_live_specification(spec)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    }
    Ok(())
}

/// DynamoDB Local, where `Database::for_tests` finds it: at
/// `DYNAMODB_ENDPOINT` (default `http://localhost:8000`). It always needs
/// Local, so it asks for it whatever `DYNAMODB_TEST_BACKEND` says.
fn dynamodb_local() -> Database {
    let endpoint = std::env::var(dynamo_objects::database::ENDPOINT_VAR).ok();
    match TestBackend::choose(Some("local"), endpoint.as_deref(), None) {
        Ok(local) => local.connect(),
        Err(e) => panic!("{e}"),
    }
}

/// The seeds to run: `DIFF_SEEDS` of them (`count` unless set), from
/// `DIFF_FIRST_SEED` (1 unless set).
fn seed_range(count: u64) -> std::ops::Range<u64> {
    let var = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let first = var("DIFF_FIRST_SEED", 1);
    first..first + var("DIFF_SEEDS", count)
}

/// Runs the seeds on `mock` and DynamoDB Local (tables prefixed with
/// `tag`); panics listing every divergence.
async fn differential(what: &str, tag: &str, mock: &Database) {
    let local = dynamodb_local();
    let seeds = seed_range(4);
    let ops: usize = std::env::var("DIFF_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let mut total = 0;
    let mut all = Vec::new();
    for seed in seeds.clone() {
        let (n, d) = run_seed(tag, seed, ops, mock, &local).await;
        total += n;
        all.extend(d);
    }
    println!(
        "differential ({what}): {total} generated operations over {} seeds, {} divergences",
        seeds.count(),
        all.len()
    );
    assert!(all.is_empty(), "{} divergences:\n{}", all.len(), all.join("\n"));
}

#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_and_dynamodb_local_agree_on_generated_operations() {
    differential("the in-process mock", "m", &Database::mock()).await;
}

/// The same, through the mock server: its decoding of requests (the fast
/// paths too) and its writing of answers are checked against Local's.
#[tokio::test]
#[ignore = "needs DynamoDB Local: ./tool/test.sh runs it in its DynamoDB Local phase"]
async fn mock_server_and_dynamodb_local_agree_on_generated_operations() {
    let server = dynamo_objects::server::MockServer::start(Default::default())
        .await
        .unwrap();
    differential("the mock server", "s", &Database::local(&server.endpoint())).await;
    server.shutdown().await;
}

// DynamoDB Streams
#[path = "differential/streams.rs"]
mod streams;
// Multi-attribute keys of global indexes
#[path = "differential/multikey.rs"]
mod multikey;
