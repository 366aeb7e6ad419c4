//! The expression parser, by example: what parses to which AST, and which
//! error DynamoDB reports for what does not.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{CompareOp, Operand, PathElement, SetOperand, SetValue, UpdateAction};
use super::*;
use crate::mock::testing::{and, not, or, path};
use aws_sdk_dynamodb::primitives::Blob;
use proptest::prelude::*;

fn names() -> HashMap<String, String> {
    [
        ("#a", "a"),
        ("#b", "b"),
        ("#n", "name"),
        ("#d", "[3]"),
        ("#dot", "x.y"),
        ("#u", "used"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn values() -> HashMap<String, AttributeValue> {
    [
        (":s", AttributeValue::S("x".into())),
        (":s2", AttributeValue::S("y".into())),
        (":n", AttributeValue::N("1".into())),
        (":n5", AttributeValue::N("5".into())),
        (":l", AttributeValue::L(vec![AttributeValue::N("1".into())])),
        (":ss", AttributeValue::Ss(vec!["a".into()])),
        (":ns", AttributeValue::Ns(vec!["1".into()])),
        (":bs", AttributeValue::Bs(vec![Blob::new("a")])),
        (":b", AttributeValue::B(Blob::new("a"))),
        (":b2", AttributeValue::B(Blob::new("b"))),
        (":bool", AttributeValue::Bool(true)),
        (":null", AttributeValue::Null(true)),
        (":m", AttributeValue::M(HashMap::new())),
        (":t", AttributeValue::S("SS".into())),
        (":badtype", AttributeValue::S("X".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn message(e: Error) -> String {
    match e {
        Error::Validation(m) => m.into(),
        other => panic!("not a validation error: {other:?}"),
    }
}

fn cond(e: &str) -> Condition {
    let (n, v) = (names(), values());
    ExprContext::new(Some(&n), Some(&v))
        .condition(ExprKind::Condition, e)
        .unwrap_or_else(|err| panic!("{e}: {err}"))
}

fn cond_err(e: &str) -> String {
    let (n, v) = (names(), values());
    match ExprContext::new(Some(&n), Some(&v)).condition(ExprKind::Condition, e) {
        Ok(c) => panic!("{e} parsed: {c:?}"),
        Err(err) => message(err),
    }
}

fn upd(e: &str) -> Vec<UpdateAction> {
    let (n, v) = (names(), values());
    ExprContext::new(Some(&n), Some(&v))
        .update(e)
        .unwrap_or_else(|err| panic!("{e}: {err}"))
        .actions
}

fn upd_err(e: &str) -> String {
    let (n, v) = (names(), values());
    match ExprContext::new(Some(&n), Some(&v)).update(e) {
        Ok(u) => panic!("{e} parsed: {u:?}"),
        Err(err) => message(err),
    }
}

fn proj(e: &str) -> Vec<Path> {
    let n = names();
    ExprContext::new(Some(&n), None)
        .projection(e)
        .unwrap_or_else(|err| panic!("{e}: {err}"))
}

fn proj_err(e: &str) -> String {
    let n = names();
    match ExprContext::new(Some(&n), None).projection(e) {
        Ok(p) => panic!("{e} parsed: {p:?}"),
        Err(err) => message(err),
    }
}

fn p(s: &str) -> Operand {
    Operand::Path(path(s))
}

fn s(v: &str) -> Operand {
    Operand::Value(AttributeValue::S(v.into()))
}

fn n(v: &str) -> Operand {
    Operand::Value(AttributeValue::N(v.into()))
}

fn cmp(op: CompareOp, left: Operand, right: Operand) -> Condition {
    Condition::Compare { op, left, right }
}

fn eq(a: &str, value: Operand) -> Condition {
    cmp(CompareOp::Eq, p(a), value)
}

// -- conditions: constructs --------------------------------------------

#[test]
fn comparators() {
    for (text, op) in [
        ("=", CompareOp::Eq),
        ("<>", CompareOp::Ne),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
    ] {
        assert_eq!(cond(&format!("a {text} :s")), cmp(op, p("a"), s("x")));
        assert_eq!(cond(&format!("a{text}:s")), cmp(op, p("a"), s("x")));
    }
    assert_eq!(cond(":s = a"), cmp(CompareOp::Eq, s("x"), p("a")));
    assert_eq!(cond(":s = :s"), cmp(CompareOp::Eq, s("x"), s("x")));
    assert_eq!(cond("a < b"), cmp(CompareOp::Lt, p("a"), p("b")));
    assert_eq!(
        cond("size(a) > :n"),
        cmp(CompareOp::Gt, Operand::Size(path("a")), n("1"))
    );
    assert_eq!(
        cond(":n <= size(a.b[2])"),
        cmp(CompareOp::Le, n("1"), Operand::Size(path("a.b[2]")))
    );
}

#[test]
fn between_and_in() {
    assert_eq!(
        cond("a BETWEEN :n AND :n5"),
        Condition::Between {
            value: p("a"),
            low: n("1"),
            high: n("5")
        }
    );
    assert_eq!(
        cond("size(a) between :n and :n5"),
        Condition::Between {
            value: Operand::Size(path("a")),
            low: n("1"),
            high: n("5")
        }
    );
    assert_eq!(
        cond("(a)between(:n)and(:n5)"),
        Condition::Between {
            value: p("a"),
            low: n("1"),
            high: n("5")
        }
    );
    assert_eq!(
        cond("a IN (:s)"),
        Condition::In {
            value: p("a"),
            list: vec![s("x")]
        }
    );
    assert_eq!(
        cond("a in (:s, b, size(c), :n)"),
        Condition::In {
            value: p("a"),
            list: vec![s("x"), p("b"), Operand::Size(path("c")), n("1")]
        }
    );
    assert_eq!(
        cond("size(a) In (:n)"),
        Condition::In {
            value: Operand::Size(path("a")),
            list: vec![n("1")]
        }
    );
    let hundred = (0..100).map(|_| ":s").collect::<Vec<_>>().join(", ");
    assert!(matches!(cond(&format!("a IN ({hundred})")), Condition::In { list, .. } if list.len() == 100));
}

#[test]
fn functions() {
    assert_eq!(cond("attribute_exists(a)"), Condition::AttributeExists(path("a")));
    assert_eq!(
        cond("attribute_not_exists(a.b[1])"),
        Condition::AttributeNotExists(path("a.b[1]"))
    );
    assert_eq!(
        cond("attribute_type(a, :t)"),
        Condition::AttributeType(path("a"), Operand::Value(AttributeValue::S("SS".into())))
    );
    assert_eq!(cond("begins_with(a, :s)"), Condition::BeginsWith(p("a"), s("x")));
    assert_eq!(
        cond("begins_with(:b, a)"),
        Condition::BeginsWith(Operand::Value(AttributeValue::B(Blob::new("a"))), p("a"))
    );
    assert_eq!(cond("contains(a, :n)"), Condition::Contains(p("a"), n("1")));
    assert_eq!(cond("contains(a, b)"), Condition::Contains(p("a"), p("b")));
    assert_eq!(
        cond("contains(a, size(b))"),
        Condition::Contains(p("a"), Operand::Size(path("b")))
    );
    assert_eq!(cond("attribute_exists ( a )"), Condition::AttributeExists(path("a")));
    assert_eq!(cond("attribute_exists((a))"), Condition::AttributeExists(path("a")));
}

#[test]
fn document_paths() {
    assert_eq!(cond("a.b = :s"), eq("a.b", s("x")));
    assert_eq!(cond("a[0] = :s"), eq("a[0]", s("x")));
    assert_eq!(cond("a.b[2][3].c = :s"), eq("a.b[2][3].c", s("x")));
    assert_eq!(cond("a . b [ 2 ] = :s"), eq("a.b[2]", s("x")));
    assert_eq!(cond("a[007] = :s"), eq("a[7]", s("x")));
    assert_eq!(cond("Ab_9.c0 = :s"), eq("Ab_9.c0", s("x")));
    assert_eq!(cond("#n.#a[1] = :s"), eq("name.a[1]", s("x")));
    assert_eq!(cond("#n = :s"), eq("name", s("x")));
    // A placeholder's name is one element, whatever it contains.
    let dotted = Path {
        elements: vec![PathElement::Attr("x.y".into()), PathElement::Attr("c".into())],
    };
    assert_eq!(cond("#dot.c = :s"), cmp(CompareOp::Eq, Operand::Path(dotted), s("x")));
    // Grouped paths.
    assert_eq!(cond("(a.b).c = :s"), eq("a.b.c", s("x")));
    assert_eq!(cond("(a)[1] = :s"), eq("a[1]", s("x")));
    assert_eq!(cond("(a) = :s"), eq("a", s("x")));
    // 32 elements is the most.
    let deep = vec!["a"; 32].join(".");
    assert!(matches!(cond(&format!("{deep} = :s")), Condition::Compare { .. }));
}

#[test]
fn precedence() {
    let (a, b, c) = (|| eq("a", s("x")), || eq("b", s("x")), || eq("c", s("x")));
    assert_eq!(cond("a = :s OR b = :s AND c = :s"), or(a(), and(b(), c())));
    assert_eq!(cond("a = :s AND b = :s OR c = :s"), or(and(a(), b()), c()));
    assert_eq!(cond("NOT a = :s AND b = :s"), and(not(a()), b()));
    assert_eq!(cond("NOT a = :s OR b = :s"), or(not(a()), b()));
    assert_eq!(cond("a = :s AND NOT b = :s"), and(a(), not(b())));
    assert_eq!(cond("NOT (a = :s AND b = :s)"), not(and(a(), b())));
    assert_eq!(cond("(a = :s OR b = :s) AND c = :s"), and(or(a(), b()), c()));
    assert_eq!(cond("a = :s AND (b = :s OR c = :s)"), and(a(), or(b(), c())));
    assert_eq!(cond("NOT NOT a = :s"), not(not(a())));
    // AND and OR associate left.
    assert_eq!(cond("a = :s AND b = :s AND c = :s"), and(and(a(), b()), c()));
    assert_eq!(cond("a = :s OR b = :s OR c = :s"), or(or(a(), b()), c()));
    // BETWEEN's AND belongs to BETWEEN.
    assert_eq!(
        cond("a BETWEEN :n AND :n5 AND b = :s"),
        and(
            Condition::Between {
                value: p("a"),
                low: n("1"),
                high: n("5")
            },
            b()
        )
    );
    assert_eq!(
        cond("attribute_exists(a) AND NOT contains(b, :s)"),
        and(
            Condition::AttributeExists(path("a")),
            not(Condition::Contains(p("b"), s("x")))
        )
    );
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(cond("a = :s and b = :s"), and(eq("a", s("x")), eq("b", s("x"))));
    assert_eq!(cond("a = :s oR b = :s"), or(eq("a", s("x")), eq("b", s("x"))));
    assert_eq!(cond("nOt a = :s"), not(eq("a", s("x"))));
    assert_eq!(
        cond("a bEtWeEn :n aNd :n5"),
        Condition::Between {
            value: p("a"),
            low: n("1"),
            high: n("5")
        }
    );
    assert_eq!(
        cond("a iN (:s)"),
        Condition::In {
            value: p("a"),
            list: vec![s("x")]
        }
    );
    assert_eq!(cond("a=:s\tAND\nb=:s\r"), and(eq("a", s("x")), eq("b", s("x"))));
}

#[test]
fn key_condition_and_filter_use_the_condition_grammar() {
    let (n, v) = (names(), values());
    let mut ctx = ExprContext::new(Some(&n), Some(&v));
    assert_eq!(
        ctx.condition(ExprKind::KeyCondition, "a = :s AND begins_with(b, :s)")
            .unwrap(),
        and(eq("a", s("x")), Condition::BeginsWith(p("b"), s("x")))
    );
    let err = message(ctx.condition(ExprKind::KeyCondition, "a =").unwrap_err());
    assert_eq!(
        err,
        "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\""
    );
    let err = message(ctx.condition(ExprKind::Filter, "").unwrap_err());
    assert_eq!(err, "Invalid FilterExpression: The expression can not be empty;");
}

// -- conditions: errors -------------------------------------------------

#[test]
fn syntax_errors() {
    let cases = [
        ("a b", "b", "a b"),
        ("a = :s b", "b", ":s b"),
        ("INVALID SYNTAX HERE", "SYNTAX", "INVALID SYNTAX HERE"),
        ("a", "<EOF>", "a"),
        ("a = :s AND", "<EOF>", "AND"),
        ("a AND b = :s", "AND", "a AND b"),
        ("!!!", "!", "!!"),
        ("attribute_type()", ")", "()"),
        ("a > 4", "4", "> 4"),
        ("hits : incr", ":", "hits : incr"),
        ("a = #", "#", "= #"),
        ("a-b = :s", "-", "a-b"),
        ("_a = :s", "_a", "_a ="),
        ("1a = :s", "1", "1a"),
        ("ü > a", "ü", "ü >"),
        ("a[x] = :s", "x", "[x]"),
        ("a[] = :s", "]", "[] ="),
        ("a[-1] = :s", "-", "[-1"),
        ("a[1.5] = :s", ".", "1.5"),
        ("a.:s = :s", ":s", ".:s ="),
        ("a..b = :s", ".", "..b"),
        ("a in b", "b", "in b"),
        ("a IN ()", ")", "()"),
        ("a in (:s,)", ")", ",)"),
        ("a > between", "between", "> between"),
        ("and = :s", "and", "and ="),
        ("a = :s = :s", "=", ":s = :s"),
        ("a BETWEEN :n OR :n5", "OR", ":n OR :n5"),
        ("size(a).b > :n", ".", ").b"),
        ("(size(a)).b > :n", ".", ").b"),
        ("(a = :s) = b", "=", ") = b"),
        ("a = (b = :s)", "=", "b = :s"),
        ("NOT a", "<EOF>", "a"),
        ("(a)", "<EOF>", ")"),
        ("(a = :s", "<EOF>", ":s"),
        ("a = :s)", ")", ":s)"),
        ("a <> :s OR", "<EOF>", "OR"),
        ("a != :s", "!", "a !="),
        ("a = \"x\"", "\"", "= \"x"),
        ("attribute_exists(a-b)", "-", "a-b"),
        ("a = :s AND AND b = :s", "AND", "AND AND b"),
    ];
    for (expr, token, near) in cases {
        assert_eq!(
            cond_err(expr),
            format!("Invalid ConditionExpression: Syntax error; token: \"{token}\", near: \"{near}\""),
            "{expr}"
        );
    }
}

#[test]
fn empty_and_too_long() {
    for e in ["", " ", " \t\r\n "] {
        assert_eq!(
            cond_err(e),
            "Invalid ConditionExpression: The expression can not be empty;"
        );
    }
    let long = format!("a = :s{}", " ".repeat(MAX_EXPRESSION_BYTES - 6));
    assert_eq!(long.len(), MAX_EXPRESSION_BYTES);
    cond(&long);
    let too_long = format!("{long} ");
    assert_eq!(
        cond_err(&too_long),
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097"
    );
    // The size is checked before the syntax.
    assert!(cond_err(&"(".repeat(5000)).contains("expression size: 5000"));
}

#[test]
fn reserved_words() {
    assert_eq!(
        cond_err("name = :s"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"
    );
    assert_eq!(
        cond_err(":s < abOrT"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: abOrT"
    );
    assert_eq!(
        cond_err("a.b.Status = :s"),
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Status"
    );
    // Function names and placeholders are not attribute names.
    cond("size(a) > :n AND #n = :s");
}

#[test]
fn undefined_placeholders() {
    assert_eq!(
        cond_err("#zz = :s"),
        "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; \
         attribute name: #zz"
    );
    assert_eq!(
        cond_err("a = :zz"),
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; \
         attribute value: :zz"
    );
    assert_eq!(cond_err("a.#zz[1] = :s"), cond_err("#zz = :s"));
    assert!(cond_err("attribute_exists(#P.r, :a) and a = :s").ends_with("attribute name: #P"));
    assert!(cond_err("begins_with(a.#R)").ends_with("attribute name: #R"));
    assert!(cond_err("#_ > a").ends_with("attribute name: #_"));
    assert!(cond_err("#4g > a").ends_with("attribute name: #4g"));
    assert!(cond_err(":_ > a").ends_with("attribute value: :_"));
    // No maps at all.
    let err = message(
        ExprContext::new(None, None)
            .condition(ExprKind::Condition, "#a = :v")
            .unwrap_err(),
    );
    assert!(err.ends_with("attribute name: #a"), "{err}");
}

#[test]
fn function_names() {
    assert_eq!(
        cond_err("foo(a) = :s"),
        "Invalid ConditionExpression: Invalid function name; function: foo"
    );
    assert_eq!(
        cond_err("SIZE(a) = :n"),
        "Invalid ConditionExpression: Invalid function name; function: SIZE"
    );
    assert_eq!(
        cond_err("attRIbute_exIsts((a), #a)"),
        "Invalid ConditionExpression: Invalid function name; function: attRIbute_exIsts"
    );
    assert_eq!(
        cond_err("if_not_exists(a, :s) = :s"),
        "Invalid ConditionExpression: Invalid function name; function: if_not_exists"
    );
    assert_eq!(cond_err("a = :s AND whatever((:s)) > a"), cond_err("whatever(:s) > a"));
}

#[test]
fn misused_functions() {
    let misuse = |f: &str| {
        format!(
            "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: {f}"
        )
    };
    assert_eq!(cond_err("size(a)"), misuse("size"));
    assert_eq!(cond_err("size(a) AND a = :s"), misuse("size"));
    assert_eq!(cond_err("NOT size(a)"), misuse("size"));
    assert_eq!(cond_err("attribute_exists(a) > b"), misuse("attribute_exists"));
    assert_eq!(cond_err("attribute_not_exists(a) = :s"), misuse("attribute_not_exists"));
    assert_eq!(cond_err("attribute_type(a, :t) > b"), misuse("attribute_type"));
    assert_eq!(cond_err("begins_with(a, :s) > b"), misuse("begins_with"));
    assert_eq!(cond_err("contains(:s, c) > b"), misuse("contains"));
    assert_eq!(cond_err("size(contains(a, b)) > a"), misuse("contains"));
    assert_eq!(
        cond_err("a between b and attribute_exists(c)"),
        misuse("attribute_exists")
    );
    assert_eq!(cond_err("a in (b, attribute_exists(c))"), misuse("attribute_exists"));
    assert_eq!(cond_err("contains(a, attribute_exists(c))"), misuse("attribute_exists"));
}

#[test]
fn operand_counts() {
    let count = |f: &str, n: usize| {
        format!(
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; \
             operator or function: {f}, number of operands: {n}"
        )
    };
    assert_eq!(cond_err("begins_with(a)"), count("begins_with", 1));
    assert_eq!(cond_err("begins_with(a, size(b), c)"), count("begins_with", 3));
    assert_eq!(
        cond_err("attribute_exists(a, b) and a = :s"),
        count("attribute_exists", 2)
    );
    assert_eq!(cond_err("attribute_not_exists(a, b)"), count("attribute_not_exists", 2));
    assert_eq!(cond_err("attribute_type(a)"), count("attribute_type", 1));
    assert_eq!(cond_err("contains(a)"), count("contains", 1));
    assert_eq!(cond_err("size(a, b) > :n"), count("size", 2));
    let many = (0..101).map(|_| ":s").collect::<Vec<_>>().join(",");
    assert_eq!(
        cond_err(&format!("a IN ({many})")),
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"
    );
}

#[test]
fn too_many_operators() {
    // 150 comparisons and 149 ORs: 299 operators.
    let ok = (0..150).map(|_| "a < b").collect::<Vec<_>>().join(" OR ");
    cond(&ok.replace("a < b", "a < :n"));
    let over = (0..151).map(|_| "a < :n").collect::<Vec<_>>().join(" OR ");
    assert_eq!(
        cond_err(&over),
        "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
    );
    assert_eq!(
        cond_err(&format!("{}a = :s", "NOT ".repeat(1000))),
        "Invalid ConditionExpression: The expression contains too many operators; operator count: 1001"
    );
}

#[test]
fn distinct_operands() {
    let distinct = |op: &str, path: &str| {
        format!(
            "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for \
             this operator or function; operator: {op}, first operand: {path}"
        )
    };
    assert_eq!(cond_err("a = a"), distinct("=", "[a]"));
    assert_eq!(cond_err("#a <> a"), distinct("<>", "[a]"));
    assert_eq!(cond_err("((a=a) OR (b = :s))"), distinct("=", "[a]"));
    assert_eq!(
        cond_err("contains(ab.bc[1].a, ab.bc[1].#a)"),
        distinct("contains", "[ab, bc, [1], a]")
    );
    assert_eq!(cond_err("begins_with(a, a)"), distinct("begins_with", "[a]"));
    cond(":s = :s");
    cond("a = a.b");
}

#[test]
fn redundant_parentheses() {
    let msg = "Invalid ConditionExpression: The expression has redundant parentheses;";
    for e in [
        "((a = :s))",
        "a = :s and a > ((b))",
        "(a)between(((b.c)).d)and(c)",
        "a = :s AND ((b = :s AND c = :s)) AND d = :s",
        "a = :s OR ((b = :s OR (c = :s OR d = :s)))",
        "NOT ((a = :s))",
        "attribute_exists(((a)))",
    ] {
        assert_eq!(cond_err(e), msg, "{e}");
    }
    // Before an invalid function name.
    assert_eq!(cond_err("a > whatever((:s), ((a)))"), msg);
    cond("((a = :s) OR (b = :s))");
    cond("(a) = (:s)");
}

#[test]
fn function_operand_types() {
    let wrong = |f: &str, t: &str| {
        format!(
            "Invalid ConditionExpression: Incorrect operand type for operator or function; \
             operator or function: {f}, operand type: {t}"
        )
    };
    assert_eq!(cond_err("begins_with(a, :n)"), wrong("begins_with", "N"));
    assert_eq!(cond_err("begins_with(:bool, a)"), wrong("begins_with", "BOOL"));
    assert_eq!(cond_err("begins_with(a, size(b))"), wrong("begins_with", "N"));
    assert_eq!(cond_err("begins_with(a, :ss)"), wrong("begins_with", "SS"));
    assert_eq!(cond_err("attribute_type(a, :n)"), wrong("attribute_type", "N"));
    assert_eq!(cond_err("attribute_type(a, size(a))"), wrong("attribute_type", "N"));
    assert_eq!(
        cond_err("attribute_type(a, b)"),
        wrong("attribute_type", "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
    );
    assert_eq!(cond_err("size(size(a)) > :n"), wrong("size", "N"));
    assert_eq!(cond_err("size(:bool) > :n"), wrong("size", "BOOL"));
    assert_eq!(cond_err("size(:null) > :n"), wrong("size", "NULL"));
    assert_eq!(cond_err("attribute_not_exists(size(:n))"), wrong("size", "N"));
    assert_eq!(
        cond_err("attribute_type(a, :badtype)"),
        "Invalid ConditionExpression: Invalid attribute type name found; type: X, \
         valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
    );
    let path = |f: &str| {
        format!("Invalid ConditionExpression: Operator or function requires a document path; operator or function: {f}")
    };
    assert_eq!(cond_err("attribute_exists(:s) and a = :s"), path("attribute_exists"));
    assert_eq!(cond_err("attribute_not_exists(size(:s))"), path("attribute_not_exists"));
    // The AST sizes paths only.
    assert_eq!(cond_err("size(:s) > :n"), path("size"));
    cond(
        "begins_with(:b, :b2) AND size(:s) > :n OR a = :s"
            .split(" AND ")
            .next()
            .unwrap(),
    );
}

#[test]
fn between_bounds() {
    assert_eq!(
        cond_err("a BETWEEN :n5 AND :n"),
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal \
         to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"
    );
    assert_eq!(
        cond_err("a BETWEEN :s AND :n"),
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper \
         bounds; lower bound operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:1}"
    );
    assert!(cond_err("a BETWEEN :s2 AND :s").contains("{S:y}, upper bound operand: AttributeValue: {S:x}"));
    assert!(cond_err("a BETWEEN :b2 AND :b").contains("{B:Yg==}, upper bound operand: AttributeValue: {B:YQ==}"));
    cond("a BETWEEN :n AND :n");
    cond("a BETWEEN :b AND :b2");
    cond("a BETWEEN b AND :n");
}

#[test]
fn error_precedence() {
    // Syntax errors first, whatever else is wrong.
    assert!(cond_err("name = :zz AND").contains("Syntax error"));
    // Redundant parentheses, invalid function, misused function, reserved word, then per-condition errors.
    assert!(cond_err("foo(a) = :s AND ((b = :s))").contains("redundant parentheses"));
    assert!(cond_err("name = :s AND foo(a) = :s").contains("Invalid function name"));
    assert!(cond_err("name = :s AND size(a)").contains("not allowed to be used"));
    assert!(cond_err("a = :zz AND name = :s").contains("reserved keyword"));
    // Within one condition: undefined placeholder, operand count, distinct, type.
    assert!(cond_err("begins_with(:zz)").contains("attribute value: :zz"));
    assert!(cond_err("attribute_type(a, a, :n)").contains("number of operands"));
    assert!(cond_err("attribute_type(a, a)").contains("distinct"));
    // The first condition with an error decides.
    assert!(cond_err("begins_with(a) AND b = :zz").contains("number of operands"));
    assert!(cond_err("b = :zz AND begins_with(a)").contains("attribute value: :zz"));
}

#[test]
fn path_depth_limit() {
    let deep = vec!["a"; 33].join(".");
    assert_eq!(
        cond_err(&format!("{deep} = :s")),
        "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"
    );
    let deep_index = format!("a{}", "[0]".repeat(40));
    assert!(upd_err(&format!("REMOVE {deep_index}")).ends_with("nesting levels: 41"));
    assert!(proj_err(&deep).ends_with("nesting levels: 33"));
}

#[test]
fn nesting_limit() {
    let ok = format!("{}a = :s{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert!(cond_err(&ok).contains("redundant parentheses"));
    let chain = format!("a = :s{}{}", " OR (a = :s".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    cond(&chain);
    let deep = format!("{}a = :s{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    let msg = format!(
        "Invalid ConditionExpression: The expression has too many nested levels; maximum nested levels: {MAX_NESTING}"
    );
    assert_eq!(cond_err(&deep), msg);
    assert_eq!(cond_err(&"(".repeat(4096)), msg);
    assert_eq!(
        cond_err(&format!("a < {}b{}", "f(".repeat(1300), ")".repeat(1300))),
        msg
    );
    assert!(
        upd_err(&format!(
            "SET a = {}a, b{}",
            "list_append(".repeat(200),
            ")".repeat(200)
        ))
        .ends_with("maximum nested levels: 128")
    );
    let nested = format!("SET a = {}a{}", "list_append(".repeat(100), ", :l)".repeat(100));
    assert_eq!(upd(&nested).len(), 1);
}

#[test]
fn deep_input_runs_on_a_small_stack() {
    // The deepest accepted nesting, parsed on a thread with a 1 MB stack.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let chain = format!("a < b{}{}", " OR (a < b".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
            let mut ctx = ExprContext::new(None, None);
            assert!(ctx.condition(ExprKind::Condition, &chain).is_ok());
            let call = format!(
                "a < {}b{}",
                "size(".repeat(MAX_NESTING - 1),
                ")".repeat(MAX_NESTING - 1)
            );
            assert!(ctx.condition(ExprKind::Condition, &call).is_err());
            let upd = format!(
                "SET a = {}a{}",
                "list_append(".repeat(MAX_NESTING),
                ", b)".repeat(MAX_NESTING)
            );
            assert!(ctx.update(&upd).is_ok());
            let nots = format!("{}a < b", "NOT ".repeat(1000));
            assert!(ctx.condition(ExprKind::Condition, &nots).is_err());
        })
        .unwrap();
    handle.join().unwrap();
}

// -- update expressions -------------------------------------------------

#[test]
fn update_clauses() {
    let actions = upd("SET a = :s, b = b + :n, c = list_append(c, :l), d = if_not_exists(d, :n)");
    assert_eq!(
        actions,
        vec![
            UpdateAction::Set(
                path("a"),
                SetValue::Operand(SetOperand::Value(AttributeValue::S("x".into())))
            ),
            UpdateAction::Set(
                path("b"),
                SetValue::Plus(
                    SetOperand::Path(path("b")),
                    SetOperand::Value(AttributeValue::N("1".into()))
                )
            ),
            UpdateAction::Set(
                path("c"),
                SetValue::Operand(SetOperand::ListAppend(
                    Box::new(SetOperand::Path(path("c"))),
                    Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                        "1".into()
                    )])))
                ))
            ),
            UpdateAction::Set(
                path("d"),
                SetValue::Operand(SetOperand::IfNotExists(
                    path("d"),
                    Box::new(SetOperand::Value(AttributeValue::N("1".into())))
                ))
            ),
        ]
    );
    assert_eq!(
        upd("REMOVE a, b[1], #n.c"),
        vec![
            UpdateAction::Remove(path("a")),
            UpdateAction::Remove(path("b[1]")),
            UpdateAction::Remove(path("name.c"))
        ]
    );
    assert_eq!(
        upd("ADD n :n, s :ss"),
        vec![
            UpdateAction::Add(path("n"), AttributeValue::N("1".into())),
            UpdateAction::Add(path("s"), AttributeValue::Ss(vec!["a".into()]))
        ]
    );
    assert_eq!(
        upd("DELETE s :ss"),
        vec![UpdateAction::Delete(path("s"), AttributeValue::Ss(vec!["a".into()]))]
    );
    assert_eq!(
        upd("set a = b - :n"),
        vec![UpdateAction::Set(
            path("a"),
            SetValue::Minus(
                SetOperand::Path(path("b")),
                SetOperand::Value(AttributeValue::N("1".into()))
            )
        )]
    );
}

#[test]
fn update_clause_order_and_case() {
    let actions = upd("delete s :ss Remove r ADD n :n sEt a = :s");
    assert_eq!(
        actions,
        vec![
            UpdateAction::Delete(path("s"), AttributeValue::Ss(vec!["a".into()])),
            UpdateAction::Remove(path("r")),
            UpdateAction::Add(path("n"), AttributeValue::N("1".into())),
            UpdateAction::Set(
                path("a"),
                SetValue::Operand(SetOperand::Value(AttributeValue::S("x".into())))
            ),
        ]
    );
    for (e, section) in [
        ("set a = :s set c = :s", "SET"),
        ("remove a set b = :s REMOVE e", "REMOVE"),
        ("add a :n set b = :s add e :n", "ADD"),
        ("delete a :ss set b = :s delete e :ss", "DELETE"),
    ] {
        assert_eq!(
            upd_err(e),
            format!(
                "Invalid UpdateExpression: The \"{section}\" section can only be used once in an update expression;"
            )
        );
    }
}

#[test]
fn update_set_values() {
    let plus = |a: SetOperand, b: SetOperand| vec![UpdateAction::Set(path("a"), SetValue::Plus(a, b))];
    let (b, c) = (|| SetOperand::Path(path("b")), || SetOperand::Path(path("c")));
    assert_eq!(upd("SET a = (b + c)"), plus(b(), c()));
    assert_eq!(upd("SET a = (b) + (c)"), plus(b(), c()));
    assert_eq!(upd("SET a = ((b) + c)"), plus(b(), c()));
    assert_eq!(
        upd("SET a = (b)"),
        vec![UpdateAction::Set(path("a"), SetValue::Operand(b()))]
    );
    assert_eq!(
        upd("SET a = ((b))"),
        vec![UpdateAction::Set(path("a"), SetValue::Operand(b()))]
    );
    assert_eq!(
        upd("SET a = list_append(if_not_exists(a, :l), list_append(:l, (b)))"),
        vec![UpdateAction::Set(
            path("a"),
            SetValue::Operand(SetOperand::ListAppend(
                Box::new(SetOperand::IfNotExists(
                    path("a"),
                    Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                        "1".into()
                    )])))
                )),
                Box::new(SetOperand::ListAppend(
                    Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                        "1".into()
                    )]))),
                    Box::new(b())
                ))
            ))
        )]
    );
    assert_eq!(
        upd("SET a = if_not_exists(a, :n) + :n"),
        vec![UpdateAction::Set(
            path("a"),
            SetValue::Plus(
                SetOperand::IfNotExists(path("a"), Box::new(SetOperand::Value(AttributeValue::N("1".into())))),
                SetOperand::Value(AttributeValue::N("1".into()))
            )
        )]
    );
}

#[test]
fn update_syntax_errors() {
    let cases = [
        ("whatever", "whatever", "whatever"),
        ("INVALID SYNTAX HERE", "INVALID", "INVALID SYNTAX"),
        ("set a", "<EOF>", "a"),
        ("add a", "<EOF>", "a"),
        ("set a=set", "set", "=set"),
        ("remove a = b", "=", "a = b"),
        ("add a = b", "=", "a = b"),
        ("delete a b", "b", "a b"),
        ("ADD a b", "b", "a b"),
        ("ADD hits : incr", ":", "hits : incr"),
        ("remove a b", "b", "a b"),
        ("set :s = b", ":s", "set :s ="),
        ("remove :s", ":s", "remove :s"),
        ("set a = b / c", "/", "b / c"),
        ("set a[1] = 1", "1", "= 1"),
        ("set a = b + c + d", "+", "c + d"),
        ("set a = b + (c + d)", "+", "c + d"),
        ("set a = (((b)))", "(", "((b"),
        ("set a = (b.c).d", ".", ").d"),
        ("SET if_not_exists(a, b) = a", "(", "if_not_exists(a"),
        ("set (a = b)", "(", "set (a"),
        ("SET a = :s,", "<EOF>", ","),
        ("SET a = :s REMOVE", "<EOF>", "REMOVE"),
        ("SET a = if_not_exists()", ")", "()"),
        ("SET a.set = :s", "set", ".set ="),
    ];
    for (expr, token, near) in cases {
        assert_eq!(
            upd_err(expr),
            format!("Invalid UpdateExpression: Syntax error; token: \"{token}\", near: \"{near}\""),
            "{expr}"
        );
    }
    assert_eq!(
        upd_err(""),
        "Invalid UpdateExpression: The expression can not be empty;"
    );
}

#[test]
fn update_semantic_errors() {
    assert_eq!(
        upd_err(" set #a = :s set abOrt = :s "),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"
    );
    assert_eq!(
        upd_err("remove Absolute"),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute"
    );
    assert_eq!(
        upd_err("SET name = :s"),
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"
    );
    assert_eq!(
        upd_err("set a = foo(b)"),
        "Invalid UpdateExpression: Invalid function name; function: foo"
    );
    assert_eq!(
        upd_err("set a = size(b)"),
        "Invalid UpdateExpression: Invalid function name; function: size"
    );
    assert!(upd_err("SET #zz = if_not_exists(:c)").ends_with("attribute name: #zz"));
    assert!(upd_err("SET a = if_not_exists(:zz)").ends_with("attribute value: :zz"));
    // Names before values, regardless of position.
    assert!(upd_err("SET a = :zz, #zz = :s").ends_with("attribute name: #zz"));
    assert_eq!(
        upd_err("set a = if_not_exists(c)"),
        "Invalid UpdateExpression: Incorrect number of operands for operator or function; \
         operator or function: if_not_exists, number of operands: 1"
    );
    assert!(upd_err("set a = list_append(c)").ends_with("list_append, number of operands: 1"));
    for e in [
        "set a = if_not_exists(:s, c)",
        "set a = if_not_exists(if_not_exists(a, b), c)",
    ] {
        assert_eq!(
            upd_err(e),
            "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"
        );
    }
    let wrong = |f: &str, t: &str| {
        format!(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {f}, operand type: {t}"
        )
    };
    assert_eq!(upd_err("set a = list_append(:s, a)"), wrong("list_append", "S"));
    assert_eq!(upd_err("set a = list_append(a, :m)"), wrong("list_append", "M"));
    assert_eq!(upd_err("set a = a + :s"), wrong("+", "S"));
    assert_eq!(upd_err("set a = :ss - a"), wrong("-", "SS"));
    let clause = |c: &str, t: &str| {
        format!(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {c}, operand type: {t}"
        )
    };
    assert_eq!(upd_err("add a :s"), clause("ADD", "STRING"));
    assert_eq!(upd_err("add a :bool"), clause("ADD", "BOOLEAN"));
    assert_eq!(upd_err("add a :l"), clause("ADD", "LIST"));
    assert_eq!(upd_err("add a :m"), clause("ADD", "MAP"));
    assert_eq!(upd_err("add a :null"), clause("ADD", "NULL"));
    assert_eq!(upd_err("add a :b"), clause("ADD", "BINARY"));
    assert_eq!(upd_err("delete a :n"), clause("DELETE", "NUMBER"));
    upd("ADD a :n, b :ss, c :ns, d :bs DELETE e :ss");
    // The evaluator handles type mismatches against the item; literals are checked here.
    upd("SET a = b + c, d = list_append(e, f)");
}

#[test]
fn a_list_index_above_2147483647_is_out_of_range_in_every_expression() {
    let range = |i: &str| format!("List index is not within the allowable range; index: [{i}]");
    // The largest index is accepted.
    assert_eq!(
        upd("SET a[2147483647] = :n")[0],
        UpdateAction::Set(
            path("a[2147483647]"),
            SetValue::Operand(SetOperand::Value(AttributeValue::N("1".into())))
        )
    );
    for big in ["2147483648", "99999999999", "99999999999999999999999"] {
        assert_eq!(
            upd_err(&format!("SET a[{big}] = :n")),
            format!("Invalid UpdateExpression: {}", range(big))
        );
        assert_eq!(
            upd_err(&format!("REMOVE a[{big}]")),
            format!("Invalid UpdateExpression: {}", range(big))
        );
        assert_eq!(
            cond_err(&format!("attribute_exists(a[{big}])")),
            format!("Invalid ConditionExpression: {}", range(big))
        );
        assert_eq!(
            proj_err(&format!("a[{big}]")),
            format!("Invalid ProjectionExpression: {}", range(big))
        );
    }
    // Before every other error but syntax, as in DynamoDB Local; the
    // first index out of range is the one reported.
    let b = "2147483648";
    for e in [
        format!("SET a[{b}] = :n, #zz = :n"),
        format!("SET size = :n, a[{b}] = :n"),
        format!("SET a[{b}] = :n REMOVE a"),
        format!("SET a[{b}] = :zz"),
        format!("SET a[{b}] = foo(:n)"),
        format!("SET a[{b}] = :n, a[2147483649] = :n"),
        format!("SET a{}[{b}] = :n", "[0]".repeat(40)),
    ] {
        assert_eq!(upd_err(&e), format!("Invalid UpdateExpression: {}", range(b)), "{e}");
    }
    assert_eq!(
        upd_err(&format!("SET a[{b}] = :n, c =")),
        "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\""
    );
    for e in [
        format!("attribute_exists(a[{b}]) AND #zz = :n"),
        format!("attribute_exists(a[{b}]) AND foo(a)"),
        format!("a[{b}] = :n AND size = :n"),
    ] {
        assert_eq!(
            cond_err(&e),
            format!("Invalid ConditionExpression: {}", range(b)),
            "{e}"
        );
    }
    assert_eq!(
        proj_err(&format!("a[{b}], size, #zz")),
        format!("Invalid ProjectionExpression: {}", range(b))
    );
}

#[test]
fn update_path_overlap_and_conflict() {
    let overlap = |a: &str, b: &str| {
        format!(
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one \
             of these paths; path one: {a}, path two: {b}"
        )
    };
    let conflict = |a: &str, b: &str| {
        format!(
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite \
             one of these paths; path one: {a}, path two: {b}"
        )
    };
    assert_eq!(upd_err("SET a = :s REMOVE a.b"), overlap("[a]", "[a, b]"));
    assert_eq!(upd_err("set a = b remove a, c"), overlap("[a]", "[a]"));
    assert_eq!(upd_err("remove c, #a.x, c.d"), overlap("[c]", "[c, d]"));
    assert_eq!(
        upd_err("set #a[3].#d = :s, #a[3] = :s"),
        overlap("[a, [3], [3]]", "[a, [3]]")
    );
    assert_eq!(
        upd_err("set d[1] = a, d.b = a, c[1].a = a, c = a"),
        overlap("[c, [1], a]", "[c]")
    );
    assert_eq!(
        upd_err("set #a[3].#d = :s, #a.#d[3] = :s"),
        conflict("[a, [3], [3]]", "[a, [3], [3]]")
    );
    assert_eq!(upd_err("remove a.#a set a[1] = :s"), conflict("[a, a]", "[a, [1]]"));
    upd("SET a.b = :s, a.c = :s, l[0] = :s, l[1] = :s REMOVE x ADD y :n");
}

// -- projections --------------------------------------------------------

#[test]
fn projections() {
    assert_eq!(proj("a"), vec![path("a")]);
    assert_eq!(
        proj("a, b.c[1], #n.d, #u"),
        vec![path("a"), path("b.c[1]"), path("name.d"), path("used")]
    );
    assert_eq!(proj(" a ,b "), vec![path("a"), path("b")]);
    assert_eq!(
        proj_err(""),
        "Invalid ProjectionExpression: The expression can not be empty;"
    );
    assert_eq!(
        proj_err("a b"),
        "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\""
    );
    assert_eq!(
        proj_err("a,"),
        "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\""
    );
    assert_eq!(
        proj_err("!!!"),
        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\""
    );
    assert_eq!(
        proj_err("size(a)"),
        "Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"size(a\""
    );
    assert_eq!(
        proj_err("Comment"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"
    );
    assert_eq!(
        proj_err("a, and"),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: and"
    );
    assert!(proj_err("#zz").ends_with("attribute name: #zz"));
    assert_eq!(
        proj_err("a, a.b"),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one \
         of these paths; path one: [a], path two: [a, b]"
    );
    assert_eq!(
        proj_err("a.b, a"),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one \
         of these paths; path one: [a, b], path two: [a]"
    );
    assert_eq!(
        proj_err("a.b, a[1]"),
        "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite \
         one of these paths; path one: [a, b], path two: [a, [1]]"
    );
    assert_eq!(proj("a.b, a.c, l[0], l[1]").len(), 4);
}

// -- placeholders across a request --------------------------------------

#[test]
fn placeholder_tracking() {
    let (n, v) = (names(), values());
    let mut ctx = ExprContext::new(Some(&n), Some(&v));
    ctx.check_maps().unwrap();
    ctx.condition(
        ExprKind::Condition,
        "#a = :s AND #b IN (:n, :n5) AND attribute_type(#n, :t)",
    )
    .unwrap();
    ctx.update("SET #dot = :s2, x = list_append(:l, :l) ADD y :ss, z :ns DELETE w :bs REMOVE #d")
        .unwrap();
    ctx.projection("#u").unwrap();
    ctx.condition(
        ExprKind::Filter,
        "a BETWEEN :b AND :b2 OR c = :bool OR d = :null OR e = :m OR f = :badtype",
    )
    .unwrap();
    ctx.finish().unwrap();

    let mut ctx = ExprContext::new(Some(&n), Some(&v));
    ctx.condition(ExprKind::Condition, "#a = :s").unwrap();
    assert_eq!(
        message(ctx.finish().unwrap_err()),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #d, #dot, #n, #u}"
    );

    let one_name: HashMap<String, String> = [("#a".to_string(), "a".to_string())].into();
    let two_values: HashMap<String, AttributeValue> = [
        (":v".to_string(), AttributeValue::N("1".into())),
        (":w".to_string(), AttributeValue::N("2".into())),
    ]
    .into();
    let mut ctx = ExprContext::new(Some(&one_name), Some(&two_values));
    ctx.update("SET #a = :v").unwrap();
    assert_eq!(
        message(ctx.finish().unwrap_err()),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"
    );
    // Names are reported before values.
    let mut ctx = ExprContext::new(Some(&one_name), Some(&two_values));
    ctx.projection("a").unwrap();
    assert_eq!(
        message(ctx.finish().unwrap_err()),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"
    );
    ExprContext::new(None, None).finish().unwrap();
}

#[test]
fn map_checks() {
    let empty_names = HashMap::new();
    let empty_values = HashMap::new();
    let ctx = ExprContext::new(Some(&empty_names), None);
    assert_eq!(
        message(ctx.check_maps().unwrap_err()),
        "ExpressionAttributeNames must not be empty"
    );
    assert_eq!(
        message(ctx.finish().unwrap_err()),
        "ExpressionAttributeNames must not be empty"
    );
    let ctx = ExprContext::new(None, Some(&empty_values));
    assert_eq!(
        message(ctx.check_maps().unwrap_err()),
        "ExpressionAttributeValues must not be empty"
    );
    let bad_names: HashMap<String, String> = [("a".to_string(), "a".to_string())].into();
    assert_eq!(
        message(ExprContext::new(Some(&bad_names), None).check_maps().unwrap_err()),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
    );
    let bad_names: HashMap<String, String> = [("#a-b".to_string(), "a".to_string())].into();
    assert!(message(ExprContext::new(Some(&bad_names), None).check_maps().unwrap_err()).ends_with("key: \"#a-b\""));
    let bad_values: HashMap<String, AttributeValue> = [(":".to_string(), AttributeValue::N("1".into()))].into();
    assert_eq!(
        message(ExprContext::new(None, Some(&bad_values)).check_maps().unwrap_err()),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \":\""
    );
    let (n, v) = (names(), values());
    ExprContext::new(Some(&n), Some(&v)).check_maps().unwrap();
}

// -- property tests -----------------------------------------------------

/// Runs every entry point on the text; only panics (or stack overflows)
/// fail the test.
fn parse_everything(text: &str) {
    let (n, v) = (names(), values());
    let mut ctx = ExprContext::new(Some(&n), Some(&v));
    let _ = ctx.condition(ExprKind::Condition, text);
    let _ = ctx.condition(ExprKind::KeyCondition, text);
    let _ = ctx.update(text);
    let _ = ctx.projection(text);
    let _ = ctx.finish();
}

const SOUP: &[&str] = &[
    "AND",
    "and",
    "OR",
    "or",
    "NOT",
    "not",
    "BETWEEN",
    "IN",
    "in",
    "SET",
    "set",
    "REMOVE",
    "ADD",
    "DELETE",
    "(",
    "(",
    ")",
    ")",
    "[",
    "]",
    ".",
    ",",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "a",
    "b",
    "c",
    "x1",
    "name",
    "_a",
    "#a",
    "#b",
    "#n",
    "#zz",
    "#",
    ":s",
    ":n",
    ":l",
    ":ss",
    ":zz",
    ":",
    "0",
    "1",
    "42",
    "99999999999999999999999",
    "size",
    "SIZE",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "if_not_exists",
    "list_append",
    "foo",
    "!",
    "\"",
    "é",
    "ü",
    "\t",
    " ",
    "",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(SOUP), prop::bool::ANY), 0..60).prop_map(|toks| {
        let mut out = String::new();
        for (tok, space) in toks {
            out.push_str(tok);
            if space {
                out.push(' ');
            }
        }
        out
    })
}

proptest! {
    #[test]
    fn fuzz_random_strings(text in "\\PC{0,120}") {
        parse_everything(&text);
    }

    #[test]
    fn fuzz_ascii_strings(text in "[ -~\\t\\n]{0,120}") {
        parse_everything(&text);
    }

    #[test]
    fn fuzz_token_soup(text in soup()) {
        parse_everything(&text);
    }
}

/// A random, well-formed condition and the AST it must parse to.
fn condition_tree() -> impl Strategy<Value = (String, Condition)> {
    let operand = prop_oneof![
        prop::sample::select(&["a", "b", "c.d", "e[1]", "f.g[2].h"][..]).prop_map(|t| (t.to_string(), p(t))),
        Just(("#n".to_string(), p("name"))),
        Just((":s".to_string(), s("x"))),
        Just((":n".to_string(), n("1"))),
        Just(("size(a)".to_string(), Operand::Size(path("a")))),
    ];
    let leaf = prop_oneof![
        (
            operand.clone(),
            prop::sample::select(&["=", "<>", "<", "<=", ">", ">="][..]),
            operand.clone()
        )
            .prop_map(|((lt, l), sym, (rt, r))| {
                let op = match sym {
                    "=" => CompareOp::Eq,
                    "<>" => CompareOp::Ne,
                    "<" => CompareOp::Lt,
                    "<=" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    _ => CompareOp::Ge,
                };
                (format!("{lt} {sym} {rt}"), cmp(op, l, r))
            }),
        (operand.clone(), operand.clone(), operand.clone()).prop_map(|((vt, v), (lt, l), (ht, h))| {
            (
                format!("{vt} BETWEEN {lt} AND {ht}"),
                Condition::Between {
                    value: v,
                    low: l,
                    high: h,
                },
            )
        }),
        (operand.clone(), prop::collection::vec(operand, 1..4)).prop_map(|((vt, v), list)| {
            let text = list.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>().join(", ");
            (
                format!("{vt} IN ({text})"),
                Condition::In {
                    value: v,
                    list: list.into_iter().map(|(_, o)| o).collect(),
                },
            )
        }),
        Just((
            "attribute_exists(a.b)".to_string(),
            Condition::AttributeExists(path("a.b"))
        )),
        Just(("contains(c, :s)".to_string(), Condition::Contains(p("c"), s("x")))),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|((a, x), (b, y))| (format!("({a}) AND ({b})"), and(x, y))),
            (inner.clone(), inner.clone()).prop_map(|((a, x), (b, y))| (format!("({a}) OR ({b})"), or(x, y))),
            inner.prop_map(|(a, x)| (format!("NOT ({a})"), not(x))),
        ]
    })
}

proptest! {
    #[test]
    fn well_formed_conditions_parse((text, expected) in condition_tree()) {
        let (n, v) = (names(), values());
        let mut ctx = ExprContext::new(Some(&n), Some(&v));
        match ctx.condition(ExprKind::Condition, &text) {
            Ok(c) => prop_assert_eq!(c, expected),
            // Generated trees may compare a path with itself, bound BETWEEN with
            // mixed types, or reach the redundant-parenthesis rule.
            Err(Error::Validation(m)) => prop_assert!(
                m.contains("distinct") || m.contains("redundant") || m.contains("BETWEEN operator"),
                "{} -> {}", text, m
            ),
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }
}
