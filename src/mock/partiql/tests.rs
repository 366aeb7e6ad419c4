//! The parser, construct by construct, and every rejection with its words.

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Action, Cmp, Expr, Path, Returning, Statement, Step};
use super::parser::{self, ParseError};
use crate::Error;

fn path(names: &[&str]) -> Path {
    Path(names.iter().map(|n| Step::Name(n.to_string())).collect())
}

fn p(names: &[&str]) -> Box<Expr> {
    Box::new(Expr::Path(path(names)))
}

fn parsed(text: &str) -> Statement {
    match parser::parse(text) {
        Ok((st, _)) => st,
        Err(e) => panic!("{text}: {e:?}"),
    }
}

fn where_of(text: &str) -> Expr {
    match parsed(text) {
        Statement::Select { filter: Some(f), .. } => f,
        other => panic!("{other:?}"),
    }
}

fn message(text: &str, params: &[AttributeValue]) -> String {
    match super::parse(text, params) {
        Err(Error::Validation(m)) => m.to_string(),
        other => panic!("{text}: expected a ValidationException, got {other:?}"),
    }
}

#[test]
fn a_select_reads_its_projection_table_index_where_and_order() {
    assert_eq!(
        parsed(r#"select a, "b c", m.n[1] FROM "t"."i" WHERE k = 'x' ORDER BY r DESC"#),
        Statement::Select {
            projection: Some(vec![
                path(&["a"]),
                path(&["b c"]),
                Path(vec![Step::Name("m".into()), Step::Name("n".into()), Step::Index(1)]),
            ]),
            table: "t".into(),
            index: Some("i".into()),
            filter: Some(Expr::Compare(Cmp::Eq, p(&["k"]), Box::new(Expr::Str("x".into())))),
            order: Some((path(&["r"]), true)),
        }
    );
    assert_eq!(
        parsed("SELECT * FROM t"),
        Statement::Select {
            projection: None,
            table: "t".into(),
            index: None,
            filter: None,
            order: None,
        }
    );
}

#[test]
fn literals_are_strings_numbers_booleans_null_maps_lists_sets_and_parameters() {
    let Statement::Insert { item, .. } = parsed(
        r#"INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e3, 'b': TRUE, 'z': null, 'l': [1, ?], 'ss': <<'a'>>, 'm': {}}"#,
    ) else {
        panic!("not an insert")
    };
    assert_eq!(
        item,
        Expr::Map(vec![
            ("s".into(), Expr::Str("it's".into())),
            ("n".into(), Expr::Num("-1.5e3".into())),
            ("b".into(), Expr::Bool(true)),
            ("z".into(), Expr::Null),
            ("l".into(), Expr::List(vec![Expr::Num("1".into()), Expr::Param(0)])),
            ("ss".into(), Expr::Set(vec![Expr::Str("a".into())])),
            ("m".into(), Expr::Map(vec![])),
        ])
    );
}

#[test]
fn conditions_bind_or_looser_than_and_looser_than_not() {
    let e = where_of("SELECT * FROM t WHERE NOT a = 1 AND b <> 2 OR c IS NOT MISSING");
    let a = Expr::Not(Box::new(Expr::Compare(
        Cmp::Eq,
        p(&["a"]),
        Box::new(Expr::Num("1".into())),
    )));
    let b = Expr::Compare(Cmp::Ne, p(&["b"]), Box::new(Expr::Num("2".into())));
    let c = Expr::IsMissing(p(&["c"]), true);
    assert_eq!(e, Expr::Or(vec![Expr::And(vec![a, b]), c]));
}

#[test]
fn every_predicate_and_function_is_read() {
    let cases: Vec<(&str, Expr)> = vec![
        (
            "a BETWEEN 1 AND 2",
            Expr::Between(
                p(&["a"]),
                Box::new(Expr::Num("1".into())),
                Box::new(Expr::Num("2".into())),
            ),
        ),
        (
            "a IN ('x', ?)",
            Expr::In(p(&["a"]), vec![Expr::Str("x".into()), Expr::Param(0)]),
        ),
        ("a IN ['x']", Expr::In(p(&["a"]), vec![Expr::Str("x".into())])),
        ("a IS MISSING", Expr::IsMissing(p(&["a"]), false)),
        ("a IS NULL", Expr::IsNull(p(&["a"]), false)),
        ("a IS NOT NULL", Expr::IsNull(p(&["a"]), true)),
        (
            "a != 1",
            Expr::Compare(Cmp::Ne, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
        (
            "a <= 1",
            Expr::Compare(Cmp::Le, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
        (
            "a >= 1",
            Expr::Compare(Cmp::Ge, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
        (
            "a < 1",
            Expr::Compare(Cmp::Lt, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
        (
            "a > 1",
            Expr::Compare(Cmp::Gt, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
        (
            "BEGINS_WITH(a, 'x')",
            Expr::Call(
                "begins_with".into(),
                vec![Expr::Path(path(&["a"])), Expr::Str("x".into())],
            ),
        ),
        (
            "size(a) > 1",
            Expr::Compare(
                Cmp::Gt,
                Box::new(Expr::Call("size".into(), vec![Expr::Path(path(&["a"]))])),
                Box::new(Expr::Num("1".into())),
            ),
        ),
        (
            "contains(a, 'x')",
            Expr::Call("contains".into(), vec![Expr::Path(path(&["a"])), Expr::Str("x".into())]),
        ),
        (
            "attribute_type(a, 'N')",
            Expr::Call(
                "attribute_type".into(),
                vec![Expr::Path(path(&["a"])), Expr::Str("N".into())],
            ),
        ),
        (
            "(a = 1)",
            Expr::Compare(Cmp::Eq, p(&["a"]), Box::new(Expr::Num("1".into()))),
        ),
    ];
    for (cond, expected) in cases {
        assert_eq!(where_of(&format!("SELECT * FROM t WHERE {cond}")), expected, "{cond}");
    }
}

#[test]
fn an_update_reads_set_and_remove_clauses_in_order_and_its_returning() {
    assert_eq!(
        parsed(
            "UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = 'x' WHERE k = 1 RETURNING MODIFIED NEW *"
        ),
        Statement::Update {
            table: "t".into(),
            actions: vec![
                Action::Set(path(&["a"]), Expr::Plus(p(&["a"]), Box::new(Expr::Num("1".into())))),
                Action::Set(
                    path(&["b"]),
                    Expr::Call(
                        "list_append".into(),
                        vec![Expr::Path(path(&["b"])), Expr::List(vec![Expr::Num("1".into())])]
                    )
                ),
                Action::Remove(path(&["c"])),
                Action::Set(path(&["d"]), Expr::Str("x".into())),
            ],
            filter: Some(Expr::Compare(Cmp::Eq, p(&["k"]), Box::new(Expr::Num("1".into())))),
            returning: Some(Returning::ModifiedNew),
        }
    );
    for (text, r) in [
        ("ALL OLD", Returning::AllOld),
        ("MODIFIED OLD", Returning::ModifiedOld),
        ("ALL NEW", Returning::AllNew),
    ] {
        let Statement::Update { returning, .. } = parsed(&format!("UPDATE t SET a = 1 WHERE k = 1 RETURNING {text} *"))
        else {
            panic!("not an update")
        };
        assert_eq!(returning, Some(r));
    }
}

#[test]
fn a_delete_reads_its_table_and_where_clause() {
    assert_eq!(
        parsed("delete from \"t\" where k = ? -- a comment\n"),
        Statement::Delete {
            table: "t".into(),
            filter: Some(Expr::Compare(Cmp::Eq, p(&["k"]), Box::new(Expr::Param(0)))),
            returning: None,
        }
    );
}

#[test]
fn parameters_are_counted_and_too_few_are_refused() {
    assert_eq!(
        parser::parse("SELECT * FROM t WHERE a = ? AND b IN (?, ?)").map(|(_, n)| n),
        Ok(3)
    );
    assert_eq!(
        message(
            "SELECT * FROM t WHERE a = ? AND b = ?",
            &[AttributeValue::S("x".into())]
        ),
        "Number of parameters in request and statement don't match."
    );
    // More parameters than placeholders: DynamoDB Local takes them.
    assert!(super::parse("SELECT * FROM t", &[AttributeValue::S("x".into())]).is_ok());
}

#[test]
fn statements_that_are_not_well_formed_are_refused_naming_the_statement() {
    for text in [
        "SELEC * FROM t",
        "SELECT * FROM t WHERE",
        "SELECT FROM t",
        "SELECT * FROM t WHERE a = 'unterminated",
        "SELECT * FROM \"t",
        "SELECT * FROM t WHERE a = 1 extra",
        "UPDATE t WHERE k = 1",
        "DELETE t WHERE k = 1",
        "SELECT * FROM t WHERE k = 'b' AND missing(x)",
        "SELECT * FROM t WHERE a BETWEEN 1",
        "SELECT * FROM t WHERE a IN (1",
        "SELECT * FROM t WHERE a IS",
        "SELECT * FROM t WHERE a = 1e",
        "SELECT * FROM t WHERE a = #",
        "UPDATE t SET a = 1 WHERE k = 1 RETURNING ALL *",
        "",
    ] {
        assert_eq!(
            message(text, &[]),
            format!("Statement wasn't well formed, can't be processed: {text}"),
            "{text}"
        );
    }
}

#[test]
fn unknown_functions_indexes_in_writes_inserts_without_value_and_deletes_returning_new_are_refused_in_their_own_words()
{
    assert_eq!(
        parser::parse("SELECT * FROM t WHERE foo(a)"),
        Err(ParseError::UnknownFunction("foo".into()))
    );
    assert_eq!(
        message("SELECT * FROM t WHERE foo(a)", &[]),
        "Unrecognized function: foo"
    );
    assert_eq!(
        message("SELECT * FROM t WHERE exists(a)", &[]),
        "Unrecognized function: exists"
    );
    assert_eq!(
        message("INSERT INTO \"t\".\"i\" VALUE {'a': 1}", &[]),
        "FROM clause may only contain a single table name in data manipulation statements"
    );
    for text in ["UPDATE t.i SET a = 1 WHERE k = 1", "DELETE FROM t.i WHERE k = 1"] {
        assert_eq!(
            message(text, &[]),
            "This operation is not supported on an index",
            "{text}"
        );
    }
    assert_eq!(
        message("INSERT INTO t {'a': 1}", &[]),
        "Unsupported operation: InsertOp"
    );
    assert_eq!(
        message("DELETE FROM t WHERE k = 1 RETURNING ALL NEW *", &[]),
        "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."
    );
}

#[test]
fn an_update_or_delete_without_where_parses_and_is_refused_for_its_missing_key_later() {
    assert!(matches!(
        parsed("UPDATE t SET a = 1"),
        Statement::Update { filter: None, .. }
    ));
    assert!(matches!(
        parsed("DELETE FROM t"),
        Statement::Delete { filter: None, .. }
    ));
}

#[test]
fn nesting_past_the_limit_is_not_well_formed_and_does_not_exhaust_the_stack() {
    let deep = |n: usize| format!("SELECT * FROM t WHERE {}a = 1{}", "(".repeat(n), ")".repeat(n));
    assert!(parser::parse(&deep(40)).is_ok());
    for text in [
        deep(4000),
        format!("SELECT * FROM t WHERE {}a = 1", "NOT ".repeat(2000)),
        format!("INSERT INTO t VALUE {{'a': {}", "[".repeat(4000)),
    ] {
        assert_eq!(parser::parse(&text).map(|_| ()), Err(ParseError::Malformed));
    }
}

#[test]
fn a_statement_longer_than_8192_characters_is_refused() {
    use aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementInput;
    let catalog = crate::mock::catalog::Catalog::default();
    let text = format!("SELECT * FROM t WHERE a = '{}'", "x".repeat(8192));
    let input = ExecuteStatementInput::builder().statement(&text).build().unwrap();
    match super::execute_statement(&catalog, input) {
        Err(Error::Validation(m)) => assert_eq!(
            m.to_string(),
            format!(
                "1 validation error detected: Value '{text}' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192"
            )
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_longest_and_or_chains_are_answered_without_exhausting_the_stack() {
    use aws_sdk_dynamodb::operation::create_table::CreateTableInput;
    use aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementInput;
    use aws_sdk_dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
    let catalog = crate::mock::catalog::Catalog::default();
    catalog
        .create_table(
            CreateTableInput::builder()
                .table_name("tbl")
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name("pk")
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .unwrap(),
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("pk")
                        .key_type(KeyType::Hash)
                        .build()
                        .unwrap(),
                )
                .billing_mode(BillingMode::PayPerRequest)
                .build()
                .unwrap(),
        )
        .unwrap();
    for joint in [" AND ", " OR "] {
        // The longest chain a statement holds: refused (DynamoDB takes 300
        // operators), not a stack overflow; a chain of 100 is answered.
        for (terms, answered) in [(1000, false), (100, true)] {
            let text = format!("SELECT * FROM tbl WHERE {}", vec!["a=1"; terms].join(joint));
            assert!(text.chars().count() <= super::MAX_STATEMENT_LENGTH);
            let input = ExecuteStatementInput::builder().statement(&text).build().unwrap();
            let out = super::execute_statement(&catalog, input);
            if answered {
                assert!(matches!(&out, Ok(o) if o.items().is_empty()), "{out:?}");
            } else {
                assert!(matches!(&out, Err(Error::Validation(_))), "{out:?}");
            }
        }
    }
}

#[test]
fn a_reserved_word_is_refused_as_a_bare_identifier_and_taken_quoted_or_as_a_function() {
    for text in [
        "SELECT value FROM t",
        "SELECT a.key FROM t",
        "SELECT * FROM user",
        "SELECT * FROM t WHERE missing = 1",
        "UPDATE t SET count = 1 WHERE k = 1",
    ] {
        assert_eq!(parser::parse(text).map(|_| ()), Err(ParseError::Malformed), "{text}");
    }
    for text in [
        r#"SELECT "value", a."key" FROM "user""#,
        "SELECT * FROM t WHERE size(a) > 1",
        "SELECT name, data FROM t",
    ] {
        assert!(parser::parse(text).is_ok(), "{text}");
    }
    assert!(super::reserved::is_reserved("Value"));
    assert!(!super::reserved::is_reserved("name"));
}

#[test]
fn an_insert_of_anything_but_a_struct_is_refused_naming_where_the_value_is() {
    let words = |at: &str| {
        format!(
            "Unsupported format in item expression. Please use struct format {{...}} to express item values for insert statement. at {at}"
        )
    };
    assert_eq!(
        message("INSERT INTO pqt VALUE ?", &[AttributeValue::S("x".into())]),
        words("1:23:1")
    );
    assert_eq!(message("INSERT INTO pqt VALUE 'x'", &[]), words("1:23:3"));
    assert_eq!(message("INSERT INTO pqt\n  VALUE [1]", &[]), words("2:9:1"));
}
