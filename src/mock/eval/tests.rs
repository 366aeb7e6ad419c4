//! The evaluator, by example: conditions against items, updates applied
//! (and refused) as DynamoDB applies them, projections.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{CompareOp, Condition, Operand, SetOperand, SetValue, Update, UpdateAction};
use super::compare::values_equal;
use super::paths::resolve;
use super::*;
use crate::mock::testing::*;
use crate::{Error, Item};

// ----- builders -------------------------------------------------------

fn p(text: &str) -> Operand {
    Operand::Path(path(text))
}
fn v(value: AttributeValue) -> Operand {
    Operand::Value(value)
}
fn size(text: &str) -> Operand {
    Operand::Size(path(text))
}
fn cmp(left: Operand, op: CompareOp, right: Operand) -> Condition {
    Condition::Compare { op, left, right }
}
fn between(value: Operand, low: Operand, high: Operand) -> Condition {
    Condition::Between { value, low, high }
}
fn check(cond: &Condition, it: &Item) -> bool {
    condition(cond, Some(it)).unwrap()
}

fn validation_message(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Validation(m)) => m.into(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn sop_p(text: &str) -> SetOperand {
    SetOperand::Path(path(text))
}
fn sop_v(value: AttributeValue) -> SetOperand {
    SetOperand::Value(value)
}
fn set(target: &str, value: SetOperand) -> UpdateAction {
    UpdateAction::Set(path(target), SetValue::Operand(value))
}
fn update(actions: Vec<UpdateAction>) -> Update {
    Update { actions, legacy: false }
}
fn apply(actions: Vec<UpdateAction>, it: &mut Item) -> Result<(), Error> {
    apply_update(&update(actions), it)
}

use CompareOp::{Eq, Ge, Gt, Le, Lt, Ne};

// ----- resolve --------------------------------------------------------

#[test]
fn resolve_follows_maps_and_lists() {
    let it = item(vec![
        ("a", m(vec![("b", l(vec![n("0"), m(vec![("c", s("x"))])]))])),
        ("top", s("t")),
    ]);
    assert_eq!(resolve(&it, &path("top")), Some(&s("t")));
    assert_eq!(resolve(&it, &path("a.b[1].c")), Some(&s("x")));
    assert_eq!(resolve(&it, &path("a.b[0]")), Some(&n("0")));
    assert_eq!(resolve(&it, &path("a.b[2]")), None); // out of range
    assert_eq!(resolve(&it, &path("a.x")), None); // missing key
    assert_eq!(resolve(&it, &path("a[0]")), None); // index on a map
    assert_eq!(resolve(&it, &path("a.b.c")), None); // key on a list
    assert_eq!(resolve(&it, &path("top.x")), None); // key on a string
    assert_eq!(resolve(&it, &path("nope")), None);
}

// ----- values_equal ---------------------------------------------------

#[test]
fn equality_of_values() {
    assert!(values_equal(&n("1"), &n("1.0")));
    assert!(values_equal(&n("100"), &n("1e2")));
    assert!(!values_equal(&n("1"), &n("1.01")));
    assert!(!values_equal(&s("1"), &n("1")));
    assert!(values_equal(&b(b"ab"), &b(b"ab")));
    assert!(!values_equal(&b(b"ab"), &s("ab")));
    assert!(values_equal(&null(), &null()));
    assert!(values_equal(&boolean(true), &boolean(true)));
    assert!(!values_equal(&boolean(true), &boolean(false)));
    assert!(values_equal(&ss(&["a", "b"]), &ss(&["b", "a"])));
    assert!(!values_equal(&ss(&["a", "b"]), &ss(&["a", "b", "c"])));
    assert!(values_equal(&ns(&["1", "2"]), &ns(&["2.0", "1"])));
    assert!(values_equal(&bs(&[b"x", b"y"]), &bs(&[b"y", b"x"])));
    assert!(!values_equal(&ss(&["1"]), &ns(&["1"])));
    assert!(values_equal(&l(vec![n("1"), s("a")]), &l(vec![n("1.0"), s("a")])));
    assert!(!values_equal(&l(vec![n("1"), s("a")]), &l(vec![s("a"), n("1")])));
    assert!(values_equal(
        &m(vec![("x", n("2")), ("y", l(vec![null()]))]),
        &m(vec![("y", l(vec![null()])), ("x", n("2.00"))])
    ));
    assert!(!values_equal(
        &m(vec![("x", n("2"))]),
        &m(vec![("x", n("2")), ("y", null())])
    ));
    assert!(!values_equal(&l(vec![]), &m(vec![])));
}

#[test]
fn equality_of_large_sets() {
    let a: Vec<String> = (0..40).map(|i| i.to_string()).collect();
    let mut rev = a.clone();
    rev.reverse();
    let rev_decimal: Vec<String> = rev.iter().map(|x| format!("{x}.0")).collect();
    assert!(values_equal(
        &AttributeValue::Ss(a.clone()),
        &AttributeValue::Ss(rev.clone())
    ));
    assert!(values_equal(
        &AttributeValue::Ns(a.clone()),
        &AttributeValue::Ns(rev_decimal)
    ));
    let mut other = rev.clone();
    other[0] = "x".into();
    assert!(!values_equal(
        &AttributeValue::Ss(a.clone()),
        &AttributeValue::Ss(other)
    ));
    let blobs: Vec<Blob> = a.iter().map(|x| Blob::new(x.as_bytes())).collect();
    let mut blobs_rev = blobs.clone();
    blobs_rev.reverse();
    assert!(values_equal(&AttributeValue::Bs(blobs), &AttributeValue::Bs(blobs_rev)));
}

// ----- comparisons ----------------------------------------------------

#[test]
fn equality_operators_work_on_any_type() {
    let it = item(vec![
        ("s", s("1234")),
        ("n", n("1234")),
        ("l", l(vec![n("1")])),
        ("m", m(vec![])),
    ]);
    assert!(check(&cmp(p("s"), Eq, v(s("1234"))), &it));
    assert!(!check(&cmp(p("s"), Eq, v(n("1234"))), &it));
    assert!(check(&cmp(p("s"), Ne, v(n("1234"))), &it));
    assert!(!check(&cmp(p("n"), Ne, v(n("1234.0"))), &it));
    assert!(check(&cmp(p("l"), Eq, v(l(vec![n("1.0")]))), &it));
    assert!(check(&cmp(p("m"), Eq, v(m(vec![]))), &it));
    assert!(check(&cmp(p("m"), Ne, v(l(vec![]))), &it));
    // Two paths.
    assert!(check(&cmp(p("s"), Ne, p("n")), &it));
}

#[test]
fn ordering_operators_only_on_same_scalar_type() {
    let it = item(vec![
        ("s", s("abc")),
        ("n", n("2")),
        ("b", b(&[0xcf])),
        ("t", boolean(true)),
        ("l", l(vec![n("1")])),
    ]);
    // Strings bytewise (UTF-8): "abc\u{ff}" < "abd", "Z" < "a".
    assert!(check(&cmp(p("s"), Lt, v(s("abd"))), &it));
    assert!(check(&cmp(p("s"), Gt, v(s("Z"))), &it));
    assert!(check(&cmp(v(s("abc\u{ff}")), Lt, v(s("abd"))), &it));
    assert!(check(&cmp(p("s"), Le, v(s("abc"))), &it));
    assert!(check(&cmp(p("s"), Ge, v(s("abc"))), &it));
    assert!(!check(&cmp(p("s"), Gt, v(s("abc"))), &it));
    // Numbers numerically.
    assert!(check(&cmp(p("n"), Lt, v(n("10"))), &it));
    assert!(check(&cmp(p("n"), Gt, v(n("1.9999"))), &it));
    assert!(check(&cmp(p("n"), Le, v(n("2.0"))), &it));
    assert!(check(&cmp(p("n"), Gt, v(n("-0.5"))), &it));
    assert!(check(&cmp(p("n"), Lt, v(n("2e1"))), &it));
    // Binary bytewise (unsigned).
    assert!(check(&cmp(p("b"), Lt, v(b(&[0xd0]))), &it));
    assert!(check(&cmp(p("b"), Gt, v(b(&[0x7f, 0xff]))), &it));
    assert!(check(&cmp(p("b"), Lt, v(b(&[0xcf, 0x00]))), &it));
    // Different or unordered types: false, not an error.
    assert!(!check(&cmp(p("n"), Lt, v(s("3"))), &it));
    assert!(!check(&cmp(p("n"), Ge, v(s("1"))), &it));
    assert!(!check(&cmp(p("t"), Le, v(boolean(true))), &it));
    assert!(!check(&cmp(p("l"), Ge, v(l(vec![n("1")]))), &it));
}

#[test]
fn missing_operands() {
    let it = item(vec![("a", s("x"))]);
    assert!(!check(&cmp(p("z"), Eq, v(s("x"))), &it));
    assert!(check(&cmp(p("z"), Ne, v(s("x"))), &it));
    assert!(!check(&cmp(p("z"), Lt, v(s("x"))), &it));
    assert!(!check(&cmp(p("z"), Ge, v(s("x"))), &it));
    assert!(!check(&cmp(v(s("x")), Eq, p("z")), &it));
    assert!(check(&cmp(v(s("x")), Ne, p("a.b")), &it));
    // No item at all: every path is absent.
    assert!(!condition(&cmp(p("a"), Eq, v(s("x"))), None).unwrap());
    assert!(condition(&cmp(p("a"), Ne, v(s("x"))), None).unwrap());
    assert!(condition(&Condition::AttributeNotExists(path("a")), None).unwrap());
    assert!(!condition(&Condition::AttributeExists(path("a")), None).unwrap());
    assert!(
        !condition(
            &Condition::In {
                value: p("a"),
                list: vec![v(s("x"))]
            },
            None
        )
        .unwrap()
    );
}

#[test]
fn between_is_inclusive_and_typed() {
    let low = || v(n("124"));
    let high = || v(n("125"));
    for (value, expected) in [
        ("123", false),
        ("124", true),
        ("124.99999", true),
        ("125", true),
        ("125.000001", false),
    ] {
        let it = item(vec![("b", n(value))]);
        assert_eq!(check(&between(p("b"), low(), high()), &it), expected, "{value}");
    }
    let strings = |x: &str| item(vec![("b", s(x))]);
    assert!(check(&between(p("b"), v(s("abd")), v(s("abe"))), &strings("abd\0")));
    assert!(!check(&between(p("b"), v(s("abd")), v(s("abe"))), &strings("abe\0")));
    let bin = item(vec![("b", b(&[0xcf, 0xff]))]);
    assert!(check(&between(p("b"), v(b(&[0xcf, 0xff])), v(b(&[0xd0, 0x00]))), &bin));
    // Type mismatch, missing value, reversed bounds at run time: false.
    assert!(!check(&between(p("b"), low(), high()), &strings("124")));
    assert!(!check(&between(p("zz"), low(), high()), &strings("x")));
    let it = item(vec![("b", n("5")), ("lo", n("9")), ("hi", n("1"))]);
    assert!(!check(&between(p("b"), p("lo"), p("hi")), &it));
    assert!(check(
        &between(size("s"), v(n("2")), v(n("3"))),
        &item(vec![("s", s("abc"))])
    ));
}

#[test]
fn in_matches_any_candidate() {
    let it = item(vec![("b", n("123.45")), ("c", s("x"))]);
    let cond = |list: Vec<Operand>| Condition::In { value: p("b"), list };
    assert!(check(&cond(vec![v(n("1234")), v(n("123.450"))]), &it));
    assert!(!check(&cond(vec![v(s("123.45")), v(n("1"))]), &it));
    assert!(check(&cond(vec![p("missing"), p("b")]), &it));
    assert!(!check(
        &Condition::In {
            value: p("z"),
            list: vec![v(n("1"))]
        },
        &it
    ));
}

#[test]
fn begins_with_strings_and_binary_only() {
    let it = item(vec![
        ("s", s("abdef")),
        ("b", b(b"abdef")),
        ("ss", ss(&["abd"])),
        ("n", n("123")),
    ]);
    let bw = |a: Operand, x: Operand| Condition::BeginsWith(a, x);
    assert!(check(&bw(p("s"), v(s("abd"))), &it));
    assert!(check(&bw(p("s"), v(s(""))), &it));
    assert!(!check(&bw(p("s"), v(s("bd"))), &it));
    assert!(check(&bw(p("b"), v(b(b"ab"))), &it));
    assert!(!check(&bw(p("b"), v(s("ab"))), &it));
    assert!(!check(&bw(p("s"), v(b(b"ab"))), &it));
    assert!(!check(&bw(p("ss"), v(s("abd"))), &it));
    assert!(!check(&bw(p("n"), v(n("1"))), &it));
    assert!(!check(&bw(p("zz"), v(s("a"))), &it));
}

#[test]
fn contains_by_type() {
    let it = item(vec![
        ("s", s("abdef")),
        ("b", b(b"abdef")),
        ("ss", ss(&["abd", "bde"])),
        ("ns", ns(&["123", "234"])),
        ("bs", bs(&[b"bde", b"abcd"])),
        ("l", l(vec![n("123"), s("bde"), m(vec![("k", n("1"))])])),
        ("n", n("1234")),
    ]);
    let c = |a: &str, x: AttributeValue| check(&Condition::Contains(p(a), v(x)), &it);
    assert!(c("s", s("bde")));
    assert!(!c("s", s("xyz")));
    assert!(c("b", b(b"bde")));
    assert!(!c("b", s("bde")));
    assert!(!c("s", b(b"bde")));
    assert!(c("ss", s("bde")));
    assert!(!c("ss", s("bd"))); // membership, not substring
    assert!(c("ns", n("234.0")));
    assert!(!c("ns", s("234")));
    assert!(c("bs", b(b"bde")));
    assert!(c("l", s("bde")));
    assert!(c("l", n("123.0")));
    assert!(c("l", m(vec![("k", n("1"))])));
    assert!(!c("l", s("bd"))); // element equality, not substring
    assert!(!c("n", n("234")));
    assert!(!c("missing", s("a")));
    // NOT contains on a mismatched type is true.
    assert!(check(&not(Condition::Contains(p("s"), v(b(b"bde")))), &it));
}

#[test]
fn size_function() {
    let it = item(vec![
        ("s", s("ab\u{ff}")),
        ("emoji", s("a\u{1F600}")),
        ("b", b(b"abc")),
        ("ss", ss(&["a", "b", "c"])),
        ("l", l(vec![s("a"), s("a"), s("a")])),
        ("m", m(vec![("a", s("a")), ("b", s("a")), ("c", s("a"))])),
        ("n", n("123")),
        ("t", boolean(true)),
    ]);
    for name in ["s", "b", "ss", "l", "m"] {
        assert!(check(&cmp(size(name), Eq, v(n("3"))), &it), "{name}");
    }
    // Characters, not UTF-8 bytes; astral characters count as two (UTF-16).
    assert!(check(&cmp(size("emoji"), Eq, v(n("3"))), &it));
    // No size for numbers and booleans: the operand is absent.
    assert!(!check(&cmp(size("n"), Eq, v(n("3"))), &it));
    assert!(!check(&cmp(size("t"), Ge, v(n("0"))), &it));
    assert!(check(&cmp(size("n"), Ne, v(n("3"))), &it));
    assert!(!check(&cmp(size("missing"), Eq, v(n("0"))), &it));
    assert!(check(&cmp(size("l"), Gt, v(n("2.5"))), &it));
}

#[test]
fn attribute_type_and_existence() {
    let it = item(vec![
        ("s", s("x")),
        ("n", n("1")),
        ("b", b(b"x")),
        ("ss", ss(&["x"])),
        ("ns", ns(&["1"])),
        ("bs", bs(&[b"x"])),
        ("t", boolean(false)),
        ("z", null()),
        ("l", l(vec![m(vec![("a", m(vec![]))])])),
        ("m", m(vec![("a", m(vec![("b", s("y"))]))])),
    ]);
    for (name, tag) in [
        ("s", "S"),
        ("n", "N"),
        ("b", "B"),
        ("ss", "SS"),
        ("ns", "NS"),
        ("bs", "BS"),
        ("t", "BOOL"),
        ("z", "NULL"),
        ("l", "L"),
        ("m", "M"),
    ] {
        assert!(check(&Condition::AttributeType(path(name), v(s(tag))), &it), "{name}");
        assert!(!check(&Condition::AttributeType(path(name), v(s("S"))), &it) || tag == "S");
    }
    assert!(check(&Condition::AttributeType(path("m.a"), v(s("M"))), &it));
    assert!(check(&Condition::AttributeType(path("l[0].a"), v(s("M"))), &it));
    assert!(!check(&Condition::AttributeType(path("missing"), v(s("S"))), &it));
    assert!(check(&Condition::AttributeExists(path("m.a.b")), &it));
    assert!(check(&Condition::AttributeExists(path("l[0]")), &it));
    assert!(!check(&Condition::AttributeExists(path("l[1]")), &it));
    assert!(check(&Condition::AttributeNotExists(path("m.a.c")), &it));
    assert!(check(&Condition::AttributeNotExists(path("s.x")), &it));
    assert!(!check(&Condition::AttributeNotExists(path("z")), &it));
}

#[test]
fn boolean_logic() {
    let it = item(vec![("a", n("1")), ("b", n("2"))]);
    let t = || cmp(p("a"), Eq, v(n("1")));
    let f = || cmp(p("b"), Eq, v(n("1")));
    assert!(check(&and(t(), t()), &it));
    assert!(!check(&and(t(), f()), &it));
    assert!(check(&or(f(), t()), &it));
    assert!(!check(&or(f(), f()), &it));
    assert!(check(&not(f()), &it));
    assert!(!check(&not(and(t(), or(f(), t()))), &it));
}

// ----- apply_update: SET ------------------------------------------------

fn key_item() -> Item {
    item(vec![("pk", s("k"))])
}

#[test]
fn set_writes_canonical_values() {
    let mut it = key_item();
    apply(
        vec![
            set("a", sop_v(n("1.50"))),
            set("b", sop_v(l(vec![n("007"), m(vec![("x", ns(&["1e2"]))])]))),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["a"], n("1.5"));
    assert_eq!(it["b"], l(vec![n("7"), m(vec![("x", ns(&["100"]))])]));
}

#[test]
fn set_reads_the_old_item() {
    let mut it = item(vec![("a", n("1")), ("b", n("2"))]);
    apply(vec![set("a", sop_p("b")), set("b", sop_p("a"))], &mut it).unwrap();
    assert_eq!(it, item(vec![("a", n("2")), ("b", n("1"))]));
}

#[test]
fn set_nested_requires_existing_parent() {
    let mut it = item(vec![
        ("pk", s("k")),
        ("b", s("x")),
        ("c", m(vec![("1", s("a"))])),
        ("d", l(vec![s("a"), s("b")])),
    ]);
    let before = it.clone();
    for target in ["b.a", "b[1]", "y.a", "y[1]", "c[1]", "d.x"] {
        let err = apply(vec![set(target, sop_v(s("v")))], &mut it);
        assert_eq!(
            validation_message(err),
            "The document path provided in the update expression is invalid for update",
            "{target}"
        );
    }
    assert_eq!(it, before);
    apply(vec![set("c.2", sop_v(s("v"))), set("d[0]", sop_v(s("z")))], &mut it).unwrap();
    assert_eq!(it["c"], m(vec![("1", s("a")), ("2", s("v"))]));
    assert_eq!(it["d"], l(vec![s("z"), s("b")]));
    // Nested SET on a new item fails too.
    let mut fresh = key_item();
    assert!(apply(vec![set("b.a", sop_v(s("v")))], &mut fresh).is_err());
    assert_eq!(fresh, key_item());
}

#[test]
fn set_past_the_end_appends_in_index_order() {
    let mut it = item(vec![("l", l(vec![s("a"), s("b")]))]);
    apply(
        vec![
            set("l[9]", sop_v(s("y"))),
            set("l[5]", sop_v(s("x"))),
            set("l[1]", sop_v(s("B"))),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["l"], l(vec![s("a"), s("B"), s("x"), s("y")]));
}

/// dynalite's "should update nested attributes", checked against DynamoDB:
/// `set b.c=((c[1])+(b.a)), b.a = a, c[1] = a, c[4] = b.a - b.b,
///  c[2] = b.c add c[8] :b, c[6] :a`.
#[test]
fn nested_update_like_dynamodb() {
    let key = s("key");
    let mut it = item(vec![
        ("a", key.clone()),
        ("b", m(vec![("a", n("1")), ("b", n("2")), ("c", n("3"))])),
        ("c", l(vec![n("1"), n("3")])),
    ]);
    let upd = update(vec![
        UpdateAction::Set(path("b.c"), SetValue::Plus(sop_p("c[1]"), sop_p("b.a"))),
        set("b.a", sop_p("a")),
        set("c[1]", sop_p("a")),
        UpdateAction::Set(path("c[4]"), SetValue::Minus(sop_p("b.a"), sop_p("b.b"))),
        set("c[2]", sop_p("b.c")),
        UpdateAction::Add(path("c[8]"), ss(&["a"])),
        UpdateAction::Add(path("c[6]"), n("2")),
    ]);
    apply_update(&upd, &mut it).unwrap();
    assert_eq!(
        it,
        item(vec![
            ("a", key.clone()),
            ("b", m(vec![("a", key.clone()), ("b", n("2")), ("c", n("4"))])),
            ("c", l(vec![n("1"), key.clone(), n("3"), n("-1"), n("2"), ss(&["a"])])),
        ])
    );
    // UPDATED_NEW as DynamoDB returned it.
    assert_eq!(
        project(&it, &updated_paths(&upd)),
        item(vec![
            ("b", m(vec![("a", key.clone()), ("c", n("4"))])),
            ("c", l(vec![key, n("3"), n("2")])),
        ])
    );
}

#[test]
fn set_operand_errors() {
    let mut it = item(vec![
        ("pk", s("k")),
        ("s", s("x")),
        ("m", m(vec![])),
        ("ns", ns(&["1"])),
    ]);
    let before = it.clone();
    let missing = "The provided expression refers to an attribute that does not exist in the item";
    let bad_type = "An operand in the update expression has an incorrect data type";
    assert_eq!(validation_message(apply(vec![set("c", sop_p("b"))], &mut it)), missing);
    let la = |a: SetOperand, b: SetOperand| SetOperand::ListAppend(Box::new(a), Box::new(b));
    assert_eq!(
        validation_message(apply(vec![set("e", la(sop_p("b"), sop_p("c")))], &mut it)),
        missing
    );
    let plus = |a, b| UpdateAction::Set(path("e"), SetValue::Plus(a, b));
    let minus = |a, b| UpdateAction::Set(path("e"), SetValue::Minus(a, b));
    assert_eq!(
        validation_message(apply(vec![plus(sop_p("s"), sop_v(n("1")))], &mut it)),
        bad_type
    );
    assert_eq!(
        validation_message(apply(vec![minus(sop_p("m"), sop_v(n("1")))], &mut it)),
        bad_type
    );
    assert_eq!(
        validation_message(apply(vec![plus(sop_p("zz"), sop_v(n("1")))], &mut it)),
        missing
    );
    // The left operand's type is checked before the right one is read.
    assert_eq!(
        validation_message(apply(vec![plus(sop_p("s"), sop_p("zz"))], &mut it)),
        bad_type
    );
    let ine = SetOperand::IfNotExists(path("f"), Box::new(sop_v(l(vec![]))));
    assert_eq!(
        validation_message(apply(vec![set("e", la(sop_p("ns"), ine))], &mut it)),
        bad_type
    );
    // A missing operand in a later SET wins over a bad path in an earlier one.
    assert_eq!(
        validation_message(apply(vec![set("y.a", sop_v(s("v"))), set("e", sop_p("zz"))], &mut it)),
        missing
    );
    assert_eq!(it, before);
}

#[test]
fn arithmetic_is_exact_and_checked() {
    let mut it = item(vec![("a", n("0.1")), ("big", n(&"9".repeat(38)))]);
    apply(
        vec![
            UpdateAction::Set(path("sum"), SetValue::Plus(sop_p("a"), sop_v(n("0.2")))),
            UpdateAction::Set(path("diff"), SetValue::Minus(sop_v(n("1")), sop_v(n("1.5")))),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["sum"], n("0.3"));
    assert_eq!(it["diff"], n("-0.5"));
    let err = apply(
        vec![UpdateAction::Set(
            path("x"),
            SetValue::Plus(sop_v(n("9E+125")), sop_v(n("9E+125"))),
        )],
        &mut it,
    );
    assert_eq!(
        validation_message(err),
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    );
    let err = apply(
        vec![UpdateAction::Set(
            path("x"),
            SetValue::Plus(sop_p("big"), sop_v(n("0.1"))),
        )],
        &mut it,
    );
    assert_eq!(
        validation_message(err),
        "Attempting to store more than 38 significant digits in a Number"
    );
}

#[test]
fn if_not_exists_and_list_append() {
    let mut it = item(vec![("a", n("1")), ("l", l(vec![s("x")]))]);
    let ine = |p: &str, fallback| SetOperand::IfNotExists(path(p), Box::new(fallback));
    let la = |a: SetOperand, b: SetOperand| SetOperand::ListAppend(Box::new(a), Box::new(b));
    apply(
        vec![
            set("a", ine("a", sop_v(n("5")))),
            set("b", ine("b", sop_v(n("5.0")))),
            set("front", la(sop_v(l(vec![n("1.0")])), sop_p("l"))),
            set("back", la(sop_p("l"), sop_v(l(vec![s("y")])))),
            set("new", la(ine("none", sop_v(l(vec![]))), sop_v(l(vec![s("z")])))),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["a"], n("1"));
    assert_eq!(it["b"], n("5"));
    assert_eq!(it["front"], l(vec![n("1"), s("x")]));
    assert_eq!(it["back"], l(vec![s("x"), s("y")]));
    assert_eq!(it["new"], l(vec![s("z")]));
}

// ----- apply_update: REMOVE ----------------------------------------------

#[test]
fn remove_semantics() {
    let mut it = item(vec![
        ("a", s("x")),
        ("l", l(vec![s("0"), s("1"), s("2"), s("3"), s("4")])),
        ("m", m(vec![("k", s("v")), ("j", s("w"))])),
    ]);
    // Indices refer to the old list; missing attributes / indices are no-ops.
    apply(
        vec![
            UpdateAction::Remove(path("l[1]")),
            UpdateAction::Remove(path("l[2]")),
            UpdateAction::Remove(path("l[9]")),
            UpdateAction::Remove(path("a")),
            UpdateAction::Remove(path("zz")),
            UpdateAction::Remove(path("m.k")),
            UpdateAction::Remove(path("m.none")),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(
        it,
        item(vec![
            ("l", l(vec![s("0"), s("3"), s("4")])),
            ("m", m(vec![("j", s("w"))]))
        ])
    );
    // A nested target whose parent is absent or of the wrong type is an error.
    for target in ["zz.a", "zz[1]", "m[0]", "l.a", "l[0].x"] {
        assert_eq!(
            validation_message(apply(vec![UpdateAction::Remove(path(target))], &mut it)),
            "The document path provided in the update expression is invalid for update",
            "{target}"
        );
    }
}

#[test]
fn set_and_remove_in_the_same_list() {
    let mut it = item(vec![("l", l(vec![s("a"), s("b"), s("c")]))]);
    apply(
        vec![
            set("l[1]", sop_v(s("B"))),
            set("l[7]", sop_v(s("d"))),
            UpdateAction::Remove(path("l[0]")),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["l"], l(vec![s("B"), s("c"), s("d")]));
}

// ----- apply_update: ADD / DELETE ------------------------------------------

#[test]
fn add_numbers_and_sets() {
    let mut it = item(vec![
        ("n", n("1")),
        ("ss", ss(&["a", "b"])),
        ("ns", ns(&["1", "2"])),
        ("bs", bs(&[b"\x01\x02", b"\x02"])),
        ("m", m(vec![])),
    ]);
    apply(
        vec![
            UpdateAction::Add(path("n"), n("3")),
            UpdateAction::Add(path("fresh"), n("5.0")),
            UpdateAction::Add(path("ss"), ss(&["b", "c", "d"])),
            UpdateAction::Add(path("ns"), ns(&["2.0", "3", "4"])),
            UpdateAction::Add(path("bs"), bs(&[b"\x02", b"\x01"])),
            UpdateAction::Add(path("newset"), ns(&["1.50"])),
            UpdateAction::Add(path("m.count"), n("-2")),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(it["n"], n("4"));
    assert_eq!(it["fresh"], n("5"));
    assert_eq!(it["ss"], ss(&["a", "b", "c", "d"]));
    assert_eq!(it["ns"], ns(&["1", "2", "3", "4"]));
    assert_eq!(it["bs"], bs(&[b"\x01\x02", b"\x02", b"\x01"]));
    assert_eq!(it["newset"], ns(&["1.5"]));
    assert_eq!(it["m"], m(vec![("count", n("-2"))]));
}

#[test]
fn add_and_delete_type_errors() {
    let mut it = item(vec![
        ("b", m(vec![("a", ss(&["1"]))])),
        ("c", n("1")),
        ("d", ns(&["1"])),
    ]);
    let before = it.clone();
    let bad_type = "An operand in the update expression has an incorrect data type";
    for action in [
        UpdateAction::Delete(path("d"), ss(&["1"])),
        UpdateAction::Delete(path("b"), ns(&["1"])),
        UpdateAction::Delete(path("b.a"), ns(&["1"])),
        UpdateAction::Delete(path("b.a"), bs(&[b"a"])),
        UpdateAction::Delete(path("c"), ns(&["1"])),
        UpdateAction::Add(path("b"), ns(&["1"])),
        UpdateAction::Add(path("d"), n("1")),
        UpdateAction::Add(path("c"), ns(&["1"])),
    ] {
        assert_eq!(
            validation_message(apply(vec![action.clone()], &mut it)),
            bad_type,
            "{action:?}"
        );
    }
    let bad_path = "The document path provided in the update expression is invalid for update";
    for action in [
        UpdateAction::Add(path("y.a"), ss(&["a"])),
        UpdateAction::Add(path("c[1]"), n("1")),
        UpdateAction::Delete(path("y.a"), ss(&["a"])),
        UpdateAction::Delete(path("b[1]"), ss(&["a"])),
    ] {
        assert_eq!(
            validation_message(apply(vec![action.clone()], &mut it)),
            bad_path,
            "{action:?}"
        );
    }
    assert_eq!(it, before);
}

#[test]
fn delete_from_sets() {
    let mut it = item(vec![
        ("ns", ns(&["1", "2", "3"])),
        ("ss", ss(&["a"])),
        ("bs", bs(&[b"x", b"y"])),
        ("m", m(vec![("s", ss(&["a", "b"]))])),
        ("l", l(vec![ss(&["a"]), s("keep")])),
    ]);
    apply(
        vec![
            UpdateAction::Delete(path("ns"), ns(&["1.0", "4"])),
            UpdateAction::Delete(path("ss"), ss(&["a"])),
            UpdateAction::Delete(path("bs"), bs(&[b"y"])),
            UpdateAction::Delete(path("m.s"), ss(&["b"])),
            UpdateAction::Delete(path("l[0]"), ss(&["a"])),
            UpdateAction::Delete(path("missing"), ss(&["a"])),
            UpdateAction::Delete(path("m.missing"), ss(&["a"])),
        ],
        &mut it,
    )
    .unwrap();
    assert_eq!(
        it,
        item(vec![
            ("ns", ns(&["2", "3"])),
            ("bs", bs(&[b"x"])),
            ("m", m(vec![("s", ss(&["a"]))])),
            ("l", l(vec![s("keep")])),
        ])
    );
}

/// dynalite's "should just add valid ADD actions if nothing exists":
/// `REMOVE b DELETE c :c ADD d :d, e :e SET f = :f` on a new item.
#[test]
fn upsert_on_new_item() {
    let mut it = key_item();
    let upd = update(vec![
        UpdateAction::Remove(path("b")),
        UpdateAction::Delete(path("c"), ss(&["a", "b"])),
        UpdateAction::Add(path("d"), n("5")),
        UpdateAction::Add(path("e"), ss(&["a", "b"])),
        set("f", sop_v(l(vec![s("a"), n("1")]))),
    ]);
    apply_update(&upd, &mut it).unwrap();
    let expected = item(vec![
        ("pk", s("k")),
        ("d", n("5")),
        ("e", ss(&["a", "b"])),
        ("f", l(vec![s("a"), n("1")])),
    ]);
    assert_eq!(it, expected);
    assert_eq!(
        project(&it, &updated_paths(&upd)),
        item(vec![
            ("d", n("5")),
            ("e", ss(&["a", "b"])),
            ("f", l(vec![s("a"), n("1")]))
        ])
    );
}

#[test]
fn updated_paths_in_action_order() {
    let u = update(vec![
        set("a.b", sop_v(n("1"))),
        UpdateAction::Remove(path("c[2]")),
        UpdateAction::Add(path("d"), n("1")),
        UpdateAction::Delete(path("e"), ss(&["x"])),
    ]);
    assert_eq!(updated_paths(&u), vec![path("a.b"), path("c[2]"), path("d"), path("e")]);
}

// ----- project ------------------------------------------------------------

#[test]
fn projection_keeps_structure() {
    let it = item(vec![
        ("a", s("x")),
        (
            "b",
            m(vec![("c", n("1")), ("d", n("2")), ("e", m(vec![("f", s("g"))]))]),
        ),
        (
            "l",
            l(vec![s("0"), m(vec![("k", s("v")), ("z", s("w"))]), s("2"), s("3")]),
        ),
        ("other", s("o")),
    ]);
    let paths = [
        path("a"),
        path("b.c"),
        path("b.e.f"),
        path("l[3]"),
        path("l[1].k"),
        path("missing"),
        path("b.zz"),
        path("l[9]"),
    ];
    assert_eq!(
        project(&it, &paths),
        item(vec![
            ("a", s("x")),
            ("b", m(vec![("c", n("1")), ("e", m(vec![("f", s("g"))]))])),
            ("l", l(vec![m(vec![("k", s("v"))]), s("3")])),
        ])
    );
    assert_eq!(project(&it, &[]), Item::new());
    // A whole attribute wins over a nested path into it.
    assert_eq!(
        project(&it, &[path("b.c"), path("b")]),
        item(vec![("b", it["b"].clone())])
    );
    assert_eq!(
        project(&it, &[path("b"), path("b.c")]),
        item(vec![("b", it["b"].clone())])
    );
}
