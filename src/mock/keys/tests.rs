use super::super::meta::IndexMeta;
use super::super::testing::{item, n, s};
use super::*;
use crate::sdk::Projection;

fn num(v: &str) -> KeyValue {
    KeyValue::N(NumKey::new(v.to_string()))
}

fn text(v: &str) -> KeyValue {
    KeyValue::S(v.to_string())
}

fn tuple(parts: Vec<KeyValue>) -> KeyValue {
    KeyValue::Tuple(TupleKey::new(parts))
}

fn index(hash: &[(&str, KeyType)], range: &[(&str, KeyType)]) -> IndexMeta {
    let attrs = |keys: &[(&str, KeyType)]| -> Vec<KeyAttr> { keys.iter().map(|(n, t)| KeyAttr::new(*n, *t)).collect() };
    let (hash, range) = (attrs(hash), attrs(range));
    IndexMeta {
        name: "ix".into(),
        global: true,
        hash: hash[0].clone(),
        range: range.first().cloned(),
        more_hash: hash[1..].to_vec(),
        more_range: range.get(1..).map(<[KeyAttr]>::to_vec).unwrap_or_default(),
        projection: Projection::builder().build(),
        throughput: None,
    }
}

#[test]
fn tuples_order_left_to_right_each_attribute_by_its_own_types_order() {
    let sorted = [
        tuple(vec![text("m")]),
        tuple(vec![text("m"), num("-100")]),
        tuple(vec![text("m"), num("-2")]),
        tuple(vec![text("m"), num("3")]),
        tuple(vec![text("m"), num("10")]),
        tuple(vec![text("mo"), num("-1000")]),
        tuple(vec![text("n"), num("-1000")]),
    ];
    for pair in sorted.windows(2) {
        assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
    }
    // Numbers compare by value, and so do their bytes.
    assert_eq!(
        tuple(vec![text("m"), num("5")]).cmp(&tuple(vec![text("m"), num("5.0")])),
        Ordering::Equal
    );
    assert_eq!(
        tuple(vec![text("m"), num("5")]).order_bytes(),
        tuple(vec![text("m"), num("5.0")]).order_bytes()
    );
    // Different tuples never share their bytes, however their parts split.
    assert_ne!(
        tuple(vec![text("ab"), text("c")]).order_bytes(),
        tuple(vec![text("a"), text("bc")]).order_bytes()
    );
    assert_eq!(tuple(vec![text("ab"), num("12")]).size(), 4);
}

#[test]
fn an_item_lacking_any_attribute_of_a_multi_attribute_key_has_no_entry_and_a_mistyped_one_is_refused() {
    let ix = index(
        &[("a", KeyType::S), ("b", KeyType::N)],
        &[("c", KeyType::S), ("d", KeyType::N)],
    );
    let full = item(vec![("a", s("x")), ("b", n("1")), ("c", s("m")), ("d", n("5"))]);
    assert_eq!(
        index_key(&full, &ix).unwrap(),
        Some((tuple(vec![text("x"), num("1")]), Some(tuple(vec![text("m"), num("5")]))))
    );
    for missing in ["a", "b", "c", "d"] {
        let mut partial = full.clone();
        partial.remove(missing);
        assert_eq!(index_key(&partial, &ix).unwrap(), None, "without {missing}");
    }
    // A mistyped attribute is refused even when another is missing.
    let mistyped = item(vec![("a", s("x")), ("d", s("5"))]);
    assert_eq!(
        index_key(&mistyped, &ix).unwrap_err().to_string(),
        "validation error: One or more parameter values were invalid: Type mismatch for Index Key d Expected: N \
         Actual: S IndexName: ix"
    );
    // A single attribute on one side stays a plain value.
    let mixed = index(&[("a", KeyType::S), ("b", KeyType::N)], &[("c", KeyType::S)]);
    assert_eq!(
        index_key(&full, &mixed).unwrap(),
        Some((tuple(vec![text("x"), num("1")]), Some(text("m"))))
    );
}
