//! DynamoDB number handling: the mock's validation and ordering of `N`
//! strings (every put, get and comparison goes through them) and the typed
//! API's reading of numbers.
//!
//! `cargo bench --manifest-path bench/Cargo.toml --bench number`

use std::hint::black_box;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use criterion::{Criterion, criterion_group, criterion_main};
use dynamo_objects::Attr;
use dynamo_objects::sdk::AttributeValue;
use dynamo_objects::vocab::number;

/// Numbers as items hold them: plain integers (the common case), decimals,
/// forms that are not canonical, and the longest DynamoDB accepts.
const MIX: [&str; 8] = [
    "42",
    "999999999",
    "-17",
    "3.14159",
    "-0.0012",
    "1.50",
    "1e2",
    "12345678901234567890123456789012345678",
];

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("number");
    g.bench_function("canonical_plain_integer", |b| {
        b.iter(|| black_box(number::canonical(black_box("999999999")).is_ok()))
    });
    g.bench_function("canonical_mix_of_8", |b| {
        b.iter(|| {
            for n in MIX {
                black_box(number::canonical(black_box(n)).is_ok());
            }
        })
    });
    g.bench_function("compare_plain_integers", |b| {
        b.iter(|| black_box(number::compare(black_box("123456"), black_box("123457"))))
    });
    g.bench_function("compare_decimals", |b| {
        b.iter(|| black_box(number::compare(black_box("3.14159"), black_box("-0.0012"))))
    });
    g.bench_function("parse_and_format_decimal", |b| {
        b.iter(|| black_box(number::parse(black_box("3.14159")).map(|d| number::format(&d)).is_ok()))
    });
    g.bench_function("typed_i64_from_exponent_form", |b| {
        b.iter(|| black_box(i64::from_attr(AttributeValue::N(black_box("15e3").to_string())).is_ok()))
    });
    g.bench_function("typed_big_decimal_from_attr", |b| {
        b.iter(|| black_box(BigDecimal::from_attr(AttributeValue::N(black_box("-3.14159e7").to_string())).is_ok()))
    });
    g.bench_function("typed_big_decimal_to_attr", |b| {
        let v = BigDecimal::from_str("-3.14159e7").expect("a number");
        b.iter(|| black_box(black_box(&v).to_attr().is_ok()))
    });
    g.finish();
}

criterion_group!(number_benches, benches);
criterion_main!(number_benches);
