//! Query and Scan: key conditions, order, paging, filters, Select, segments.

use std::collections::{HashMap, HashSet};

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Database, Error, Item, KeyType};

use crate::assert_err;
use crate::common::*;

fn vals(pairs: &[(&str, AttributeValue)]) -> Option<HashMap<String, AttributeValue>> {
    Some(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

async fn fill(db: &Database, ty: KeyType, sks: &[AttributeValue]) {
    create(db, &range_table("t", ty)).await;
    for (i, sk) in sks.iter().enumerate() {
        put(
            db,
            "t",
            item(&[("pk", s("p")), ("sk", sk.clone()), ("i", n(&i.to_string()))]),
        )
        .await;
    }
    put(db, "t", item(&[("pk", s("other")), ("sk", sks[0].clone())])).await;
}

fn q(cond: &str, v: Option<HashMap<String, AttributeValue>>) -> QueryInput {
    QueryInput::builder()
        .table_name("t")
        .key_condition_expression(cond)
        .set_expression_attribute_values(v)
        .consistent_read(true)
        .build()
        .unwrap()
}

fn sk_of(items: &[Item]) -> Vec<String> {
    keys(items, "sk")
}

#[tokio::test]
async fn numbers_sort_numerically() {
    let db = db("qnum");
    fill(
        &db,
        KeyType::N,
        &[n("10"), n("-3.5"), n("2"), n("1e2"), n("0.25"), n("-20")],
    )
    .await;
    let out = db.query(q("pk = :p", vals(&[(":p", s("p"))]))).await.unwrap();
    assert_eq!(sk_of(&out.items.unwrap()), ["-20", "-3.5", "0.25", "2", "10", "100"]);
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.scan_index_forward = Some(false);
    let out = db.query(input).await.unwrap();
    assert_eq!(sk_of(&out.items.unwrap()), ["100", "10", "2", "0.25", "-3.5", "-20"]);
}

#[tokio::test]
async fn strings_sort_bytewise() {
    let db = db("qstr");
    fill(
        &db,
        KeyType::S,
        &[s("b"), s("B"), s("a"), s("ab"), s("é"), s("Z"), s("a b")],
    )
    .await;
    let out = db.query(q("pk = :p", vals(&[(":p", s("p"))]))).await.unwrap();
    assert_eq!(sk_of(&out.items.unwrap()), ["B", "Z", "a", "a b", "ab", "b", "é"]);
}

#[tokio::test]
async fn binary_sorts_bytewise_unsigned() {
    let db = db("qbin");
    fill(
        &db,
        KeyType::B,
        &[b(&[0x80]), b(&[0x01, 0x02]), b(&[0x01]), b(&[0xff]), b(&[0x00, 0xff])],
    )
    .await;
    let out = db.query(q("pk = :p", vals(&[(":p", s("p"))]))).await.unwrap();
    let got: Vec<Vec<u8>> = out
        .items
        .unwrap()
        .iter()
        .map(|i| match &i["sk"] {
            AttributeValue::B(b) => b.as_ref().to_vec(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(
        got,
        vec![vec![0x00, 0xff], vec![0x01], vec![0x01, 0x02], vec![0x80], vec![0xff]]
    );
}

type RangeCase = (&'static str, Vec<(&'static str, AttributeValue)>, Vec<&'static str>);

#[tokio::test]
async fn range_key_conditions() {
    let db = db("qrange");
    let sks: Vec<AttributeValue> = (1..=9).map(|i| n(&i.to_string())).collect();
    fill(&db, KeyType::N, &sks).await;
    let cases: Vec<RangeCase> = vec![
        ("pk = :p AND sk = :a", vec![(":a", n("3"))], vec!["3"]),
        ("pk = :p AND sk < :a", vec![(":a", n("3"))], vec!["1", "2"]),
        ("pk = :p AND sk <= :a", vec![(":a", n("3"))], vec!["1", "2", "3"]),
        ("pk = :p AND sk > :a", vec![(":a", n("7"))], vec!["8", "9"]),
        ("pk = :p AND sk >= :a", vec![(":a", n("7"))], vec!["7", "8", "9"]),
        (
            "pk = :p AND sk BETWEEN :a AND :b",
            vec![(":a", n("4")), (":b", n("6"))],
            vec!["4", "5", "6"],
        ),
        (":a < sk AND pk = :p", vec![(":a", n("8"))], vec!["9"]),
        (
            "(pk = :p) AND (sk BETWEEN :a AND :b)",
            vec![(":a", n("2.5")), (":b", n("3.5"))],
            vec!["3"],
        ),
    ];
    for (cond, mut v, expected) in cases {
        v.push((":p", s("p")));
        let out = db
            .query(q(cond, vals(&v)))
            .await
            .unwrap_or_else(|e| panic!("{cond}: {e:?}"));
        assert_eq!(sk_of(&out.items.unwrap()), expected, "{cond}");
        // And in reverse.
        let mut input = q(cond, vals(&v));
        input.scan_index_forward = Some(false);
        let out = db.query(input).await.unwrap();
        let mut rev = expected.clone();
        rev.reverse();
        assert_eq!(sk_of(&out.items.unwrap()), rev, "{cond} reversed");
    }
}

#[tokio::test]
async fn begins_with_on_string_range_keys() {
    let db = db("qbegins");
    fill(
        &db,
        KeyType::S,
        &[
            s("2024-01-05"),
            s("2024-02-01"),
            s("2024-01-31"),
            s("2023-12-31"),
            s("2024-010"),
        ],
    )
    .await;
    let v = vals(&[(":p", s("p")), (":pre", s("2024-01"))]);
    let out = db
        .query(q("pk = :p AND begins_with(sk, :pre)", v.clone()))
        .await
        .unwrap();
    assert_eq!(sk_of(&out.items.unwrap()), ["2024-01-05", "2024-01-31", "2024-010"]);
    let mut input = q("pk = :p AND begins_with(sk, :pre)", v);
    input.scan_index_forward = Some(false);
    assert_eq!(
        sk_of(&db.query(input).await.unwrap().items.unwrap()),
        ["2024-010", "2024-01-31", "2024-01-05"]
    );
}

#[tokio::test]
async fn bad_key_conditions_are_validation() {
    let db = db("qbad");
    fill(&db, KeyType::N, &[n("1")]).await;
    let bad: Vec<(&str, Vec<(&str, AttributeValue)>)> = vec![
        ("sk = :a", vec![(":a", n("1"))]),
        ("pk = :p OR sk = :a", vec![(":p", s("p")), (":a", n("1"))]),
        ("pk = :p AND i = :a", vec![(":p", s("p")), (":a", n("1"))]),
        ("pk < :p", vec![(":p", s("p"))]),
        ("pk = :p AND sk <> :a", vec![(":p", s("p")), (":a", n("1"))]),
        ("pk = :p AND begins_with(sk, :a)", vec![(":p", s("p")), (":a", n("1"))]),
        ("pk = :p AND sk = :a", vec![(":p", s("p")), (":a", s("1"))]),
        ("pk = :p AND sk = :a AND sk = :a", vec![(":p", s("p")), (":a", n("1"))]),
        (
            "pk = :p AND sk BETWEEN :b AND :a",
            vec![(":p", s("p")), (":a", n("1")), (":b", n("2"))],
        ),
    ];
    for (cond, v) in bad {
        let r = db.query(q(cond, vals(&v))).await;
        assert!(matches!(r, Err(Error::Validation(_))), "{cond}: {r:?}");
    }
    assert_err!(
        db.query(QueryInput::builder().table_name("t").build().unwrap()).await,
        Error::Validation(_)
    );
}

#[tokio::test]
async fn query_pages_with_limit_and_exclusive_start_key() {
    let db = db("qpage");
    let sks: Vec<AttributeValue> = (1..=7).map(|i| n(&i.to_string())).collect();
    fill(&db, KeyType::N, &sks).await;
    for forward in [true, false] {
        let mut seen = Vec::new();
        let mut start: Option<Item> = None;
        let mut pages = 0;
        loop {
            let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
            input.limit = Some(3);
            input.scan_index_forward = Some(forward);
            input.exclusive_start_key = start.take();
            let out = db.query(input).await.unwrap();
            pages += 1;
            assert_eq!(out.count as usize, out.items.as_ref().unwrap().len());
            seen.extend(sk_of(&out.items.unwrap()));
            match out.last_evaluated_key {
                Some(k) => {
                    assert_eq!(k.len(), 2, "the key of the last item: {k:?}");
                    start = Some(k);
                }
                None => break,
            }
            assert!(pages < 10);
        }
        let mut expected: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        if !forward {
            expected.reverse();
        }
        assert_eq!(seen, expected);
        assert_eq!(pages, 3);
    }
}

#[tokio::test]
async fn limit_counts_items_before_the_filter() {
    let db = db("qlimitfilter");
    let sks: Vec<AttributeValue> = (1..=6).map(|i| n(&i.to_string())).collect();
    fill(&db, KeyType::N, &sks).await;
    let mut input = q("pk = :p", vals(&[(":p", s("p")), (":two", n("2"))]));
    input.filter_expression = Some("i >= :two".into());
    input.limit = Some(4);
    let out = db.query(input).await.unwrap();
    assert_eq!(out.scanned_count, 4);
    assert_eq!(out.count, 2);
    assert_eq!(sk_of(&out.items.unwrap()), ["3", "4"]);
    assert_eq!(out.last_evaluated_key.unwrap().get("sk"), Some(&n("4")));
}

#[tokio::test]
async fn select_count_and_projection() {
    let db = db("qselect");
    fill(&db, KeyType::N, &[n("1"), n("2"), n("3")]).await;
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.select = Some(Select::Count);
    let out = db.query(input).await.unwrap();
    assert_eq!((out.count, out.scanned_count, out.items), (3, 3, None));
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.projection_expression = Some("i".into());
    let out = db.query(input).await.unwrap();
    assert_eq!(
        out.items.unwrap(),
        vec![item(&[("i", n("0"))]), item(&[("i", n("1"))]), item(&[("i", n("2"))])]
    );
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.select = Some(Select::Count);
    input.projection_expression = Some("i".into());
    assert_err!(db.query(input).await, Error::Validation(_));
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.select = Some(Select::AllProjectedAttributes);
    assert_err!(db.query(input).await, Error::Validation(_));
}

#[tokio::test]
async fn query_of_an_empty_partition_and_unknown_table() {
    let db = db("qempty");
    fill(&db, KeyType::N, &[n("1")]).await;
    let out = db.query(q("pk = :p", vals(&[(":p", s("nobody"))]))).await.unwrap();
    assert_eq!(
        (
            out.count,
            out.scanned_count,
            out.items.unwrap().len(),
            out.last_evaluated_key
        ),
        (0, 0, 0, None)
    );
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.table_name = Some("nope".into());
    assert_err!(db.query(input).await, Error::ResourceNotFound(_));
}

async fn scan_all(db: &Database, segment: Option<(i32, i32)>, limit: Option<i32>) -> Vec<Item> {
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let mut input = ScanInput::builder()
            .table_name("t")
            .consistent_read(true)
            .build()
            .unwrap();
        input.limit = limit;
        input.exclusive_start_key = start.take();
        if let Some((s, t)) = segment {
            input.segment = Some(s);
            input.total_segments = Some(t);
        }
        let page = db.scan(input).await.unwrap();
        out.extend(page.items.unwrap());
        match page.last_evaluated_key {
            Some(k) => start = Some(k),
            None => return out,
        }
    }
}

#[tokio::test]
async fn scan_pages_and_parallel_segments_return_every_item_once() {
    let db = db("scan");
    create(&db, &range_table("t", KeyType::N)).await;
    let mut reqs = Vec::new();
    for p in 0..20 {
        for r in 0..3 {
            reqs.push(item(&[("pk", s(&format!("p{p}"))), ("sk", n(&r.to_string()))]));
        }
    }
    for chunk in reqs.chunks(25) {
        let writes = chunk
            .iter()
            .map(|i| {
                WriteRequest::builder()
                    .put_request(PutRequest::builder().set_item(Some(i.clone())).build().unwrap())
                    .build()
            })
            .collect();
        db.batch_write_item(
            BatchWriteItemInput::builder()
                .request_items("t", writes)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    }
    let ids = |items: &[Item]| -> Vec<String> {
        let mut v: Vec<String> = items.iter().map(|i| format!("{:?}/{:?}", i["pk"], i["sk"])).collect();
        v.sort();
        v
    };
    let all = scan_all(&db, None, None).await;
    assert_eq!(all.len(), 60);
    let paged = scan_all(&db, None, Some(7)).await;
    assert_eq!(ids(&paged), ids(&all));
    let mut union = Vec::new();
    let mut seen = HashSet::new();
    for seg in 0..4 {
        for i in scan_all(&db, Some((seg, 4)), Some(5)).await {
            assert!(
                seen.insert(format!("{:?}/{:?}", i["pk"], i["sk"])),
                "item in two segments"
            );
            union.push(i);
        }
    }
    assert_eq!(ids(&union), ids(&all));
    // Bad segments.
    let mut input = ScanInput::builder().table_name("t").build().unwrap();
    input.segment = Some(4);
    input.total_segments = Some(4);
    assert_err!(db.scan(input).await, Error::Validation(_));
    let mut input = ScanInput::builder().table_name("t").build().unwrap();
    input.segment = Some(0);
    assert_err!(db.scan(input).await, Error::Validation(_));
}

#[tokio::test]
async fn scan_filter_and_count() {
    let db = db("scanfilter");
    fill(&db, KeyType::N, &[n("1"), n("2"), n("3"), n("4")]).await;
    let input = ScanInput::builder()
        .table_name("t")
        .filter_expression("i >= :two")
        .set_expression_attribute_values(vals(&[(":two", n("2"))]))
        .build()
        .unwrap();
    let out = db.scan(input).await.unwrap();
    assert_eq!((out.count, out.scanned_count), (2, 5));
    let mut got = sk_of(&out.items.unwrap());
    got.sort();
    assert_eq!(got, ["3", "4"]);
}

#[tokio::test]
async fn one_megabyte_pages() {
    let db = db("qmb");
    create(&db, &range_table("t", KeyType::N)).await;
    let blob = "x".repeat(100 * 1024);
    for i in 0..25 {
        put(
            &db,
            "t",
            item(&[("pk", s("p")), ("sk", n(&i.to_string())), ("d", s(&blob))]),
        )
        .await;
    }
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.projection_expression = Some("sk".into());
    let first = db.query(input).await.unwrap();
    // Items of ~100 KB: the page stops at the item that crosses 1 MB.
    assert_eq!((first.count, first.scanned_count), (11, 11));
    assert_eq!(first.last_evaluated_key.unwrap().get("sk"), Some(&n("10")));
}

#[tokio::test]
async fn bad_exclusive_start_keys_are_validation() {
    let db = db("qbadesk");
    fill(&db, KeyType::N, &[n("1"), n("2")]).await;
    for esk in [
        item(&[("pk", s("p"))]),
        item(&[("pk", s("p")), ("sk", s("1"))]),
        item(&[("pk", s("p")), ("sk", n("1")), ("extra", s("x"))]),
    ] {
        let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
        input.exclusive_start_key = Some(esk.clone());
        assert_err!(db.query(input).await, Error::Validation(_));
        let mut input = ScanInput::builder().table_name("t").build().unwrap();
        input.exclusive_start_key = Some(esk);
        assert_err!(db.scan(input).await, Error::Validation(_));
    }
}

#[tokio::test]
async fn expressions_over_4kb_are_validation() {
    let db = db("qlongexpr");
    fill(&db, KeyType::N, &[n("1")]).await;
    let long = format!("pk = :p AND ({})", vec!["sk = :one"; 400].join(" OR "));
    assert!(long.len() > 4096);
    let mut input = q("pk = :p", vals(&[(":p", s("p")), (":one", n("1"))]));
    input.filter_expression = Some(long.replacen("pk = :p AND ", "", 1).replace("sk", "i"));
    assert_err!(db.query(input).await, Error::Validation(_));
}

/// Number range keys, each value written in several ways (shuffled), as
/// DynamoDB orders them: negatives of every magnitude, zero, fractions down
/// to 1E-130, 38 significant digits, exponents up to E+125. Equal values
/// are one item (the last written).
#[tokio::test]
async fn number_range_keys_sort_as_dynamodb_orders_them_across_signs_fractions_38_digits_and_exponents() {
    let (n9, n1) = ("9".repeat(38), "1".repeat(38));
    let groups: Vec<Vec<String>> = vec![
        vec![format!("-{n9}{}", "0".repeat(88))],
        vec!["-1E+125".into(), format!("-1{}", "0".repeat(125))],
        vec![format!("-{n1}")],
        vec!["-1000".into(), "-1e3".into(), "-1000.000".into()],
        vec!["-123".into()],
        vec!["-12.5".into()],
        vec!["-12".into(), "-12.0".into()],
        vec!["-11.99".into()],
        vec!["-1".into(), "-1.".into(), "-10e-1".into()],
        vec!["-0.5".into(), "-.5".into()],
        vec!["-0.12".into()],
        vec!["-0.1".into()],
        vec![format!("-0.{}1", "0".repeat(129))],
        vec!["0".into(), "-0".into(), "0.000".into(), "0e5".into()],
        vec![format!("0.{}1", "0".repeat(129)), "1E-130".into()],
        vec![format!("0.{}12", "0".repeat(90))],
        vec!["0.0999".into()],
        vec!["0.1".into(), ".1".into(), "1e-1".into()],
        vec!["0.1000001".into()],
        vec!["0.12".into()],
        vec!["1".into(), "1.0".into(), "+1".into(), "0.1e1".into()],
        vec![format!("1.{}1", "0".repeat(36))],
        vec!["9.99".into()],
        vec!["10".into(), "1e1".into()],
        vec!["11".into()],
        vec!["12.5".into()],
        vec![n1.clone()],
        vec![n9.clone()],
        vec![format!("1{}", "0".repeat(38))],
        vec!["1E+125".into()],
        vec![format!("{n9}{}", "0".repeat(88)), format!("9.{}E+125", "9".repeat(37))],
    ];
    let db = db("qnumorder");
    create(&db, &range_table("t", KeyType::N)).await;
    let mut writes: Vec<(usize, &String)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, forms)| forms.iter().map(move |f| (g, f)))
        .collect();
    // A fixed shuffle: every 7th of the list in turn.
    writes.sort_by_key(|(g, f)| (g * 7 + f.len()) % 11);
    for (g, form) in &writes {
        put(
            &db,
            "t",
            item(&[("pk", s("p")), ("sk", n(form)), ("g", n(&g.to_string()))]),
        )
        .await;
    }
    let expected: Vec<String> = (0..groups.len()).map(|g| g.to_string()).collect();
    let out = db.query(q("pk = :p", vals(&[(":p", s("p"))]))).await.unwrap();
    assert_eq!(keys(&out.items.unwrap(), "g"), expected);
    let mut input = q("pk = :p", vals(&[(":p", s("p"))]));
    input.scan_index_forward = Some(false);
    let out = db.query(input).await.unwrap();
    let reversed: Vec<String> = expected.iter().rev().cloned().collect();
    assert_eq!(keys(&out.items.unwrap(), "g"), reversed);
    // A range between two fractions, its bounds written unlike the stored keys.
    let out = db
        .query(q(
            "pk = :p AND sk BETWEEN :a AND :b",
            vals(&[(":p", s("p")), (":a", n("-.50")), (":b", n("1e-1"))]),
        ))
        .await
        .unwrap();
    assert_eq!(
        keys(&out.items.unwrap(), "g"),
        ["9", "10", "11", "12", "13", "14", "15", "16", "17"]
    );
}
