//! The mock's read path, and the typed API next to the raw `Backend` call
//! (issue 18, part 2).
//!
//! `cargo bench --manifest-path bench/Cargo.toml --bench mock -- read_path` (this module is part of the
//! `mock` bench target, as `read_path/mod.rs` so that it is not a bench
//! target of its own; moved to a package of its own, it needs only a
//! `criterion_group!`/`criterion_main!` around [`benches`]).
//!
//! - `read_path/get_scattered/{10,10000,1000000}`: `GetItem` of a random
//!   key (a different one each iteration, from a fixed pseudo-random
//!   sequence) in tables of that many ~1 KB items whose hash keys are
//!   scattered (hashed), through the raw `MockBackend` and through the typed
//!   `Table::get` on the same table;
//! - `read_path/ops/*`: a 100-item `Query`, a `PutItem` and a conditional
//!   `UpdateItem` (returning the new item, as the typed update does), raw and
//!   typed.
//!
//! The raw calls build their request inside the timing, as the typed ones
//! do. Every future of the mock completes at once: each is polled once.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Document, Item, MockBackend, dynamo_table};
use futures::FutureExt;

dynamo_table! {
    /// The bench's ~1 KB item: key, ten 96-byte strings and a number.
    bench: Row {
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
        count: u64,
    }
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    f.now_or_never().expect("the mock completes at once")
}

/// SplitMix64: a fixed, well-scattered sequence.
fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of item `i`: a hashed hash key, a small range key.
fn key_of(i: u64) -> (String, u64) {
    (format!("user-{:016x}", mix(i)), i % 7)
}

fn row(pk: String, sk: u64) -> Row {
    let v = "v".repeat(96);
    Row {
        pk,
        sk,
        attr0: v.clone(),
        attr1: v.clone(),
        attr2: v.clone(),
        attr3: v.clone(),
        attr4: v.clone(),
        attr5: v.clone(),
        attr6: v.clone(),
        attr7: v.clone(),
        attr8: v.clone(),
        attr9: v,
        count: 42,
    }
}

fn key_item(pk: &str, sk: u64) -> Item {
    HashMap::from([
        ("pk".to_string(), AttributeValue::S(pk.to_string())),
        ("sk".to_string(), AttributeValue::N(sk.to_string())),
    ])
}

/// A mock holding `n` scattered items and the 1,000-item partition `q`,
/// with a typed connection to the same tables.
fn tables(n: u64) -> (MockBackend, RowTable) {
    let mock = MockBackend::new();
    let db = Database::new(Arc::new(mock.clone()), "");
    let typed = RowTable::new(&db);
    run(typed.ensure()).unwrap();
    let put = |r: &Row| {
        let input = PutItemInput::builder()
            .table_name("bench")
            .set_item(Some(r.to_item().unwrap()))
            .build()
            .unwrap();
        run(mock.put_item(input)).unwrap();
    };
    for i in 0..n {
        let (pk, sk) = key_of(i);
        put(&row(pk, sk));
    }
    for sk in 0..1000 {
        put(&row("q".into(), sk));
    }
    (mock, typed)
}

fn raw_get(mock: &MockBackend, pk: &str, sk: u64) -> GetItemOutput {
    let input = GetItemInput::builder()
        .table_name("bench")
        .set_key(Some(key_item(pk, sk)))
        .build()
        .unwrap();
    run(mock.get_item(input)).unwrap()
}

/// The bench functions.
pub(crate) fn benches(c: &mut Criterion) {
    for n in [10u64, 10_000, 1_000_000] {
        let (mock, typed) = tables(n);
        // A fixed pseudo-random order of lookups over the whole table.
        let keys: Vec<(String, u64)> = (0..4096u64).map(|j| key_of(mix(j ^ 0xabcd) % n)).collect();
        let mut g = c.benchmark_group(format!("read_path/get_scattered/{n}"));
        g.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        let mut j = 0usize;
        g.bench_function("backend", |b| {
            b.iter(|| {
                j = (j + 1) % keys.len();
                let (pk, sk) = &keys[j];
                let out = raw_get(&mock, pk, *sk);
                assert!(out.item.is_some());
                black_box(out)
            })
        });
        g.bench_function("typed", |b| {
            b.iter(|| {
                j = (j + 1) % keys.len();
                let (pk, sk) = &keys[j];
                let out = run(typed.get((pk.clone(), *sk))).unwrap();
                assert!(out.is_some());
                black_box(out)
            })
        });
        g.finish();
    }

    let (mock, typed) = tables(10_000);
    let mut g = c.benchmark_group("read_path/ops");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("query_100/backend", |b| {
        b.iter(|| {
            let input = QueryInput::builder()
                .table_name("bench")
                .key_condition_expression("pk = :p AND sk BETWEEN :a AND :b")
                .expression_attribute_values(":p", AttributeValue::S("q".into()))
                .expression_attribute_values(":a", AttributeValue::N("100".into()))
                .expression_attribute_values(":b", AttributeValue::N("199".into()))
                .build()
                .unwrap();
            let out = run(mock.query(input)).unwrap();
            assert_eq!(out.count, 100);
            black_box(out)
        })
    });
    g.bench_function("query_100/typed", |b| {
        b.iter(|| {
            let page = run(typed.query("q").range(Row::SK.between(100u64, 199u64)).page(None)).unwrap();
            assert_eq!(page.records.len(), 100);
            black_box(page)
        })
    });
    let fresh = row("p-new".into(), 1);
    let mut j = 0u64;
    g.bench_function("put/backend", |b| {
        b.iter(|| {
            j += 1;
            let mut r = fresh.clone();
            r.sk = j;
            let input = PutItemInput::builder()
                .table_name("bench")
                .set_item(Some(r.to_item().unwrap()))
                .build()
                .unwrap();
            black_box(run(mock.put_item(input)).unwrap())
        })
    });
    g.bench_function("put/typed", |b| {
        b.iter(|| {
            j += 1;
            let mut r = fresh.clone();
            r.sk = j;
            run(typed.put(&mut r)).unwrap();
            black_box(r)
        })
    });
    let (upk, usk) = key_of(5);
    g.bench_function("conditional_update/backend", |b| {
        b.iter(|| {
            let input = UpdateItemInput::builder()
                .table_name("bench")
                .set_key(Some(key_item(&upk, usk)))
                .update_expression("SET #c = #c + :one")
                .condition_expression("attribute_exists(#pk) AND #c >= :zero")
                .expression_attribute_names("#c", "count")
                .expression_attribute_names("#pk", "pk")
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .expression_attribute_values(":zero", AttributeValue::N("0".into()))
                .return_values(ReturnValue::AllNew)
                .build()
                .unwrap();
            black_box(run(mock.update_item(input)).unwrap())
        })
    });
    g.bench_function("conditional_update/typed", |b| {
        b.iter(|| {
            let out = run(typed.update_if((upk.clone(), usk), Row::COUNT.add(1u64), Row::COUNT.ge(0u64))).unwrap();
            black_box(out)
        })
    });
    g.finish();
}
