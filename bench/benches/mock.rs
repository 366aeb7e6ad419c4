//! The mock's speed next to a bare `BTreeMap` of the same attribute maps.
//!
//! `cargo bench --manifest-path bench/Cargo.toml --bench mock` — put and get on tables of 10 and 1,000,000
//! items, a 100-item query, and a conditional update. The mock's futures
//! complete at once, so they are polled once (`now_or_never`), with no
//! runtime in the way.

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Item, MockBackend};
use futures::FutureExt;

mod read_path;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

/// A ~1 KB item: ten string attributes of about 100 bytes and a number.
fn item(pk: &str, sk: u64) -> Item {
    let mut it: Item = HashMap::new();
    it.insert("pk".into(), s(pk));
    it.insert("sk".into(), AttributeValue::N(sk.to_string()));
    for i in 0..10 {
        it.insert(format!("attr{i}"), s(&"v".repeat(96)));
    }
    it.insert("count".into(), AttributeValue::N("42".into()));
    it
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    f.now_or_never().expect("the mock completes at once")
}

fn table(n: u64, parts: u64) -> MockBackend {
    let mock = MockBackend::new();
    let schema =
        dynamo_objects::TableSchema::new("bench", dynamo_objects::KeyAttr::new("pk", dynamo_objects::KeyType::S))
            .range(dynamo_objects::KeyAttr::new("sk", dynamo_objects::KeyType::N));
    run(mock.create_table(schema.create_table_input("bench").unwrap())).unwrap();
    for i in 0..n {
        let it = item(&format!("p{}", i % parts), i / parts);
        run(mock.put_item(
            PutItemInput::builder()
                .table_name("bench")
                .set_item(Some(it))
                .build()
                .unwrap(),
        ))
        .unwrap();
    }
    mock
}

type Key = (String, u64);

fn btree(n: u64) -> BTreeMap<Key, Item> {
    let parts = if n >= 1000 { 1000 } else { 1 };
    (0..n)
        .map(|i| {
            (
                (format!("p{}", i % parts), i / parts),
                item(&format!("p{}", i % parts), i / parts),
            )
        })
        .collect()
}

fn key(pk: &str, sk: u64) -> Item {
    [
        ("pk".to_string(), s(pk)),
        ("sk".to_string(), AttributeValue::N(sk.to_string())),
    ]
    .into_iter()
    .collect()
}

fn benches(c: &mut Criterion) {
    let new_item = item("p7", 999_999_999);
    for n in [10u64, 1_000_000] {
        let mock = table(n, if n >= 1000 { 1000 } else { 1 });
        let mut map = btree(n);
        let mut g = c.benchmark_group(format!("table_of_{n}"));
        g.bench_function("mock_put", |b| {
            b.iter_batched(
                || {
                    PutItemInput::builder()
                        .table_name("bench")
                        .set_item(Some(new_item.clone()))
                        .build()
                        .unwrap()
                },
                |input| run(mock.put_item(input)).unwrap(),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("btreemap_insert", |b| {
            b.iter_batched(
                || (("p7".to_string(), 999_999_999u64), new_item.clone()),
                // The replaced value is dropped inside the timing, as the mock drops it.
                |(k, v)| {
                    map.insert(k, v);
                },
                BatchSize::SmallInput,
            )
        });
        g.bench_function("mock_get", |b| {
            b.iter_batched(
                || {
                    GetItemInput::builder()
                        .table_name("bench")
                        .set_key(Some(key("p0", 0)))
                        .build()
                        .unwrap()
                },
                |input| black_box(run(mock.get_item(input)).unwrap()),
                BatchSize::SmallInput,
            )
        });
        g.bench_function("btreemap_get_clone", |b| {
            let k = ("p0".to_string(), 0u64);
            b.iter(|| black_box(map.get(&k).cloned()))
        });
        g.finish();
    }

    // One partition of 1,000 items.
    let mock = table(1000, 1);
    let mut g = c.benchmark_group("operations");
    g.bench_function("mock_query_100", |b| {
        b.iter_batched(
            || {
                QueryInput::builder()
                    .table_name("bench")
                    .key_condition_expression("pk = :p AND sk BETWEEN :a AND :b")
                    .expression_attribute_values(":p", s("p0"))
                    .expression_attribute_values(":a", AttributeValue::N("100".into()))
                    .expression_attribute_values(":b", AttributeValue::N("199".into()))
                    .build()
                    .unwrap()
            },
            |input| {
                let out = run(mock.query(input)).unwrap();
                assert_eq!(out.count, 100);
                black_box(out)
            },
            BatchSize::SmallInput,
        )
    });
    let map: BTreeMap<Key, Item> = (0..1000).map(|i| (("p0".to_string(), i), item("p0", i))).collect();
    g.bench_function("btreemap_range_100_clone", |b| {
        b.iter(|| {
            let items: Vec<Item> = map
                .range(("p0".to_string(), 100)..=("p0".to_string(), 199))
                .map(|(_, v)| v.clone())
                .collect();
            black_box(items)
        })
    });
    g.bench_function("mock_conditional_update", |b| {
        b.iter_batched(
            || {
                UpdateItemInput::builder()
                    .table_name("bench")
                    .set_key(Some(key("p0", 5)))
                    .update_expression("SET #c = #c + :one")
                    .condition_expression("attribute_exists(pk) AND #c >= :zero")
                    .expression_attribute_names("#c", "count")
                    .expression_attribute_values(":one", AttributeValue::N("1".into()))
                    .expression_attribute_values(":zero", AttributeValue::N("0".into()))
                    .build()
                    .unwrap()
            },
            |input| black_box(run(mock.update_item(input)).unwrap()),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(mock_benches, benches);
criterion_group!(read_path_benches, read_path::benches);
criterion_main!(mock_benches, read_path_benches);
