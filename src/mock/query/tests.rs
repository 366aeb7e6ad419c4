use super::*;

fn num(v: &str) -> KeyValue {
    KeyValue::N(super::super::keys::NumKey::new(v.to_string()))
}

fn text(v: &str) -> KeyValue {
    KeyValue::S(v.to_string())
}

fn tuple(parts: Vec<KeyValue>) -> KeyValue {
    KeyValue::Tuple(TupleKey::new(parts))
}

fn places(cond: &RangeCond, keys: &[KeyValue]) -> Vec<Place> {
    keys.iter().map(|k| cond.place(Some(k))).collect()
}

/// Sorted sort tuples (c, d).
fn keys() -> Vec<KeyValue> {
    vec![
        tuple(vec![text("l"), num("9")]),
        tuple(vec![text("m"), num("-2")]),
        tuple(vec![text("m"), num("3")]),
        tuple(vec![text("m"), num("5")]),
        tuple(vec![text("n"), num("1")]),
    ]
}

#[test]
fn a_condition_on_a_sort_tuple_places_sorted_tuples_below_then_in_then_above() {
    use Place::*;
    // c = m AND d > 3
    let gt = RangeCond::Tuple {
        eq: vec![text("m")],
        last: Some(Box::new(RangeCond::Cmp(CompareOp::Gt, num("3")))),
        lower: Some(tuple(vec![text("m"), num("3")])),
    };
    assert_eq!(places(&gt, &keys()), [Below, Below, Below, In, Above]);
    // c = m
    let eq = RangeCond::Tuple {
        eq: vec![text("m")],
        last: None,
        lower: Some(tuple(vec![text("m")])),
    };
    assert_eq!(places(&eq, &keys()), [Below, In, In, In, Above]);
    // c <= m (no equal attribute before it)
    let le = RangeCond::Tuple {
        eq: vec![],
        last: Some(Box::new(RangeCond::Cmp(CompareOp::Le, text("m")))),
        lower: None,
    };
    assert_eq!(places(&le, &keys()), [In, In, In, In, Above]);
    assert_eq!(gt.lower(), Some(&tuple(vec![text("m"), num("3")])));
    assert_eq!(le.lower(), None);
}
