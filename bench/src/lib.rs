//! What the in-process benchmarks (`src/bin/peers.rs`, `src/bin/peers_memory.rs`)
//! share: the items, the key layout, and each peer set up the same way.
//!
//! Every peer gets the same table: `bench`, hash key `pk` (S), range key `sk`
//! (N). The loaded items have scattered keys (`pk` is a 64-bit mix of the
//! index, in hex; `sk` is 1), so that a table's items do not arrive in key
//! order and reads do not hit one hot key. A table for queries also holds the
//! partition `q` of 100 items (`sk` 0..99). Each item is about 1 KB: the key,
//! ten strings of 96 bytes and a number, as `src/bin/server_bench.rs` writes.
//!
//! The peers:
//! - [`Mock`]: this crate's `MockBackend` through the `Backend` trait, with
//!   the SDK's input types.
//! - [`Typed`]: the typed `Table` API over `Database::mock()`, with
//!   [`BenchItem`], a `dynamo_table!` record.
//! - [`Dynoxide`]: dynoxide-rs 3.2.0 embedded (`dynoxide::Database::memory()`,
//!   in-memory SQLite), with its own request types built directly (no JSON).
#![allow(missing_docs)]

use std::collections::HashMap;

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Item, KeyAttr, KeyType, MockBackend, TableSchema, dynamo_table};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs a future of the in-process peers to its end on this thread (they
/// never wait, so this is one poll).
pub fn run<F: Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

/// splitmix64: a fixed, scattered walk over indexes.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The hash key of loaded item `i`.
pub fn pk(i: u64) -> String {
    format!("{:016x}", mix(i))
}

/// The range key of every loaded item (the query partition uses 0..99).
pub const SK: u64 = 1;
/// The query partition's hash key and size.
pub const QUERY_PK: &str = "q";
pub const QUERY_ITEMS: u64 = 100;

/// The `j`-th key an operation uses on a table of `n` loaded items: a
/// scattered walk over all of them.
pub fn op_index(j: u64, n: u64) -> u64 {
    mix(j ^ 0x5151_5151) % n.max(1)
}

/// The ten 96-byte strings of an item (`attr0`..`attr9`), varied by `seed`.
pub fn strings(seed: u64) -> [String; 10] {
    std::array::from_fn(|a| format!("{}", (seed as usize + a) % 10).repeat(96))
}

dynamo_table! {
    /// The benchmark's item as a typed record: the same attributes as the
    /// attribute maps the other peers write.
    bench: BenchItem {
        hash pk: String,
        range sk: u64,
        attr0: String,
        attr1: String,
        attr2: String,
        attr3: String,
        attr4: String,
        attr5: String,
        attr6: String,
        attr7: String,
        attr8: String,
        attr9: String,
        count: i64,
    }
    on_demand
}

/// A ~1 KB record.
pub fn record(pk: &str, sk: u64) -> BenchItem {
    let [attr0, attr1, attr2, attr3, attr4, attr5, attr6, attr7, attr8, attr9] = strings(sk);
    BenchItem {
        pk: pk.to_string(),
        sk,
        attr0,
        attr1,
        attr2,
        attr3,
        attr4,
        attr5,
        attr6,
        attr7,
        attr8,
        attr9,
        count: 42,
    }
}

/// The schema every peer's table has.
pub fn schema() -> TableSchema {
    TableSchema::new("bench", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("sk", KeyType::N))
}

fn sdk_s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

/// A ~1 KB item as the SDK's attribute map.
pub fn sdk_item(pk: &str, sk: u64) -> Item {
    let mut it: Item = HashMap::with_capacity(13);
    it.insert("pk".into(), sdk_s(pk));
    it.insert("sk".into(), AttributeValue::N(sk.to_string()));
    for (a, v) in strings(sk).into_iter().enumerate() {
        it.insert(format!("attr{a}"), AttributeValue::S(v));
    }
    it.insert("count".into(), AttributeValue::N("42".into()));
    it
}

pub fn sdk_key(pk: &str, sk: u64) -> Item {
    [
        ("pk".to_string(), sdk_s(pk)),
        ("sk".to_string(), AttributeValue::N(sk.to_string())),
    ]
    .into_iter()
    .collect()
}

/// The operations every peer offers, on a table of `n` loaded items.
pub trait Peer {
    /// Writes loaded item `i` (a new item, or a replacement of the same one).
    fn put(&self, i: u64) -> Result<(), BoxError>;
    /// Reads loaded item `i`, which must exist.
    fn get(&self, i: u64) -> Result<(), BoxError>;
    /// Reads the query partition (100 items).
    fn query(&self) -> Result<(), BoxError>;
    /// `SET attr0 = :v` on loaded item `i` with `attribute_exists(pk)`, returning
    /// the item as it is afterwards (`ALL_NEW`, as `Table::update` does).
    fn update(&self, i: u64, v: &str) -> Result<(), BoxError>;
    /// Reads the whole table, every page; returns the number of items.
    fn scan(&self) -> Result<u64, BoxError>;
    /// Writes the query partition.
    fn load_query_partition(&self) -> Result<(), BoxError>;
    /// Writes loaded items `0..n`.
    fn load(&self, n: u64) -> Result<(), BoxError> {
        for i in 0..n {
            self.put(i)?;
        }
        Ok(())
    }
}

/// The mock through the `Backend` trait.
pub struct Mock(pub MockBackend);

impl Mock {
    pub fn new() -> Result<Mock, BoxError> {
        let mock = MockBackend::new();
        run(mock.create_table(schema().create_table_input("bench")?))?;
        Ok(Mock(mock))
    }

    fn put_item(&self, item: Item) -> Result<(), BoxError> {
        let input = PutItemInput::builder()
            .table_name("bench")
            .set_item(Some(item))
            .build()?;
        run(self.0.put_item(input))?;
        Ok(())
    }
}

impl Peer for Mock {
    fn put(&self, i: u64) -> Result<(), BoxError> {
        self.put_item(sdk_item(&pk(i), SK))
    }

    fn get(&self, i: u64) -> Result<(), BoxError> {
        let input = GetItemInput::builder()
            .table_name("bench")
            .set_key(Some(sdk_key(&pk(i), SK)))
            .build()?;
        let out = run(self.0.get_item(input))?;
        std::hint::black_box(out.item.ok_or("no item")?);
        Ok(())
    }

    fn query(&self) -> Result<(), BoxError> {
        let input = QueryInput::builder()
            .table_name("bench")
            .key_condition_expression("pk = :p")
            .expression_attribute_values(":p", sdk_s(QUERY_PK))
            .build()?;
        let out = run(self.0.query(input))?;
        if out.count != QUERY_ITEMS as i32 {
            return Err(format!("query: {} items", out.count).into());
        }
        std::hint::black_box(out.items);
        Ok(())
    }

    fn update(&self, i: u64, v: &str) -> Result<(), BoxError> {
        let input = UpdateItemInput::builder()
            .table_name("bench")
            .set_key(Some(sdk_key(&pk(i), SK)))
            .update_expression("SET #a = :v")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#a", "attr0")
            .expression_attribute_values(":v", sdk_s(v))
            .return_values(ReturnValue::AllNew)
            .build()?;
        let out = run(self.0.update_item(input))?;
        std::hint::black_box(out.attributes.ok_or("no attributes")?);
        Ok(())
    }

    fn scan(&self) -> Result<u64, BoxError> {
        let mut start = None;
        let mut count = 0;
        loop {
            let input = ScanInput::builder()
                .table_name("bench")
                .set_exclusive_start_key(start)
                .build()?;
            let out = run(self.0.scan(input))?;
            count += out.items.map_or(0, |v| std::hint::black_box(v).len() as u64);
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(count);
            }
        }
    }

    fn load_query_partition(&self) -> Result<(), BoxError> {
        for sk in 0..QUERY_ITEMS {
            self.put_item(sdk_item(QUERY_PK, sk))?;
        }
        Ok(())
    }
}

/// The typed `Table` API on the mock.
pub struct Typed(pub BenchItemTable);

impl Typed {
    pub fn new() -> Result<Typed, BoxError> {
        let table = BenchItemTable::new(&Database::mock());
        run(table.ensure())?;
        Ok(Typed(table))
    }
}

impl Peer for Typed {
    fn put(&self, i: u64) -> Result<(), BoxError> {
        let mut r = record(&pk(i), SK);
        run(self.0.put(&mut r))?;
        Ok(())
    }

    fn get(&self, i: u64) -> Result<(), BoxError> {
        let r = run(self.0.get((pk(i), SK)))?;
        std::hint::black_box(r.ok_or("no item")?);
        Ok(())
    }

    fn query(&self) -> Result<(), BoxError> {
        let all = run(self.0.query(QUERY_PK).all())?;
        if all.len() as u64 != QUERY_ITEMS {
            return Err(format!("query: {} items", all.len()).into());
        }
        std::hint::black_box(all);
        Ok(())
    }

    fn update(&self, i: u64, v: &str) -> Result<(), BoxError> {
        // `update` sets `attribute_exists(pk)` itself (the item must exist),
        // and returns the record as it is afterwards (ReturnValues ALL_NEW).
        let out = run(self.0.update((pk(i), SK), BenchItem::ATTR0.set(v.to_string())))?;
        std::hint::black_box(out);
        Ok(())
    }

    fn scan(&self) -> Result<u64, BoxError> {
        let all = run(self.0.scan().all())?;
        Ok(std::hint::black_box(all).len() as u64)
    }

    fn load_query_partition(&self) -> Result<(), BoxError> {
        for sk in 0..QUERY_ITEMS {
            run(self.0.put(&mut record(QUERY_PK, sk)))?;
        }
        Ok(())
    }
}

/// dynoxide-rs 3.2.0 embedded.
pub struct Dynoxide(pub dynoxide::Database);

fn dx_s(v: &str) -> dynoxide::AttributeValue {
    dynoxide::AttributeValue::S(v.to_string())
}

/// The same ~1 KB item in dynoxide's attribute map.
pub fn dx_item(pk: &str, sk: u64) -> HashMap<String, dynoxide::AttributeValue> {
    use dynoxide::AttributeValue as V;
    let mut it = HashMap::with_capacity(13);
    it.insert("pk".to_string(), dx_s(pk));
    it.insert("sk".to_string(), V::N(sk.to_string()));
    for (a, v) in strings(sk).into_iter().enumerate() {
        it.insert(format!("attr{a}"), V::S(v));
    }
    it.insert("count".to_string(), V::N("42".into()));
    it
}

fn dx_key(pk: &str, sk: u64) -> HashMap<String, dynoxide::AttributeValue> {
    [
        ("pk".to_string(), dx_s(pk)),
        ("sk".to_string(), dynoxide::AttributeValue::N(sk.to_string())),
    ]
    .into_iter()
    .collect()
}

impl Dynoxide {
    pub fn new() -> Result<Dynoxide, BoxError> {
        use dynoxide::types::{AttributeDefinition, KeySchemaElement, KeyType as K, ScalarAttributeType as T};
        let db = dynoxide::Database::memory()?;
        let key = |name: &str, key_type| KeySchemaElement {
            attribute_name: name.into(),
            key_type,
        };
        let def = |name: &str, attribute_type| AttributeDefinition {
            attribute_name: name.into(),
            attribute_type,
        };
        db.create_table(dynoxide::actions::create_table::CreateTableRequest {
            table_name: "bench".into(),
            key_schema: vec![key("pk", K::HASH), key("sk", K::RANGE)],
            attribute_definitions: vec![def("pk", T::S), def("sk", T::N)],
            billing_mode: Some("PAY_PER_REQUEST".into()),
            ..Default::default()
        })?;
        Ok(Dynoxide(db))
    }

    fn put_item(&self, item: HashMap<String, dynoxide::AttributeValue>) -> Result<(), BoxError> {
        self.0.put_item(dynoxide::actions::put_item::PutItemRequest {
            table_name: "bench".into(),
            item,
            ..Default::default()
        })?;
        Ok(())
    }
}

impl Peer for Dynoxide {
    fn put(&self, i: u64) -> Result<(), BoxError> {
        self.put_item(dx_item(&pk(i), SK))
    }

    fn get(&self, i: u64) -> Result<(), BoxError> {
        let out = self.0.get_item(dynoxide::actions::get_item::GetItemRequest {
            table_name: "bench".into(),
            key: dx_key(&pk(i), SK),
            ..Default::default()
        })?;
        std::hint::black_box(out.item.ok_or("no item")?);
        Ok(())
    }

    fn query(&self) -> Result<(), BoxError> {
        let out = self.0.query(dynoxide::actions::query::QueryRequest {
            table_name: "bench".into(),
            key_condition_expression: Some("pk = :p".into()),
            expression_attribute_values: Some([(":p".to_string(), dx_s(QUERY_PK))].into_iter().collect()),
            ..Default::default()
        })?;
        if out.count as u64 != QUERY_ITEMS {
            return Err(format!("query: {} items", out.count).into());
        }
        std::hint::black_box(out.items);
        Ok(())
    }

    fn update(&self, i: u64, v: &str) -> Result<(), BoxError> {
        let out = self.0.update_item(dynoxide::actions::update_item::UpdateItemRequest {
            table_name: "bench".into(),
            key: dx_key(&pk(i), SK),
            update_expression: Some("SET #a = :v".into()),
            condition_expression: Some("attribute_exists(pk)".into()),
            expression_attribute_names: Some([("#a".to_string(), "attr0".to_string())].into_iter().collect()),
            expression_attribute_values: Some([(":v".to_string(), dx_s(v))].into_iter().collect()),
            return_values: Some("ALL_NEW".into()),
            ..Default::default()
        })?;
        std::hint::black_box(out.attributes.ok_or("no attributes")?);
        Ok(())
    }

    fn scan(&self) -> Result<u64, BoxError> {
        let mut start = None;
        let mut count = 0;
        loop {
            let out = self.0.scan(dynoxide::actions::scan::ScanRequest {
                table_name: "bench".into(),
                exclusive_start_key: start,
                ..Default::default()
            })?;
            count += out.items.map_or(0, |v| std::hint::black_box(v).len() as u64);
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(count);
            }
        }
    }

    fn load_query_partition(&self) -> Result<(), BoxError> {
        for sk in 0..QUERY_ITEMS {
            self.put_item(dx_item(QUERY_PK, sk))?;
        }
        Ok(())
    }
}

/// A peer by name: `mock`, `typed` or `dynoxide`.
pub fn peer(name: &str) -> Result<Box<dyn Peer>, BoxError> {
    Ok(match name {
        "mock" => Box::new(Mock::new()?),
        "typed" => Box::new(Typed::new()?),
        "dynoxide" => Box::new(Dynoxide::new()?),
        other => return Err(format!("unknown peer {other} (mock, typed, dynoxide)").into()),
    })
}

/// `VmRSS` of this process, in bytes.
pub fn rss_bytes() -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).ok_or("no VmRSS")?;
    let kb: u64 = line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?;
    Ok(kb * 1024)
}

/// The record-conversion benchmark's struct: twelve fields of the usual
/// kinds (strings, integers, a float, a bool, an optional, a list, a map),
/// once as a `dynamo_table!` record and once with serde's derive for
/// serde_dynamo. Both write the list as `L` and the map as `M`.
pub mod convert {
    use std::collections::HashMap;

    use dynamo_objects::dynamo_table;
    use serde::{Deserialize, Serialize};

    dynamo_table! {
        /// A user profile.
        profile: Profile {
            hash id: String,
            name: String,
            email: String,
            city: String,
            age: u32,
            score: f64,
            balance: i64,
            logins: u64,
            active: bool,
            nickname: Option<String>,
            tags: Vec<String>,
            prefs: HashMap<String, String>,
        }
        on_demand
    }

    /// The same fields, for serde_dynamo.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SerdeProfile {
        pub id: String,
        pub name: String,
        pub email: String,
        pub city: String,
        pub age: u32,
        pub score: f64,
        pub balance: i64,
        pub logins: u64,
        pub active: bool,
        pub nickname: Option<String>,
        pub tags: Vec<String>,
        pub prefs: HashMap<String, String>,
    }

    pub fn profile() -> Profile {
        Profile {
            id: "user#0001234567".into(),
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            city: "London".into(),
            age: 36,
            score: 98.625,
            balance: -12_345,
            logins: 1_234_567,
            active: true,
            nickname: Some("ada".into()),
            tags: vec!["admin".into(), "beta".into(), "mathematics".into(), "engines".into()],
            prefs: [("theme", "dark"), ("lang", "en-GB"), ("tz", "Europe/London")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    pub fn serde_profile() -> SerdeProfile {
        let p = profile();
        SerdeProfile {
            id: p.id,
            name: p.name,
            email: p.email,
            city: p.city,
            age: p.age,
            score: p.score,
            balance: p.balance,
            logins: p.logins,
            active: p.active,
            nickname: p.nickname,
            tags: p.tags,
            prefs: p.prefs,
        }
    }
}
