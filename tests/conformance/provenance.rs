//! Typed reads that cannot hold every field say so in their type, and
//! errors say where they came from (table, key), on both backends.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Error, dynamo_table};
use futures::StreamExt;

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    member: Member {
        hash id: String,
        team: String,
        credits: i64,
        note: Option<String>,
        version: u64,
    }
    global_index by_team(hash team, projection keys_only)
    global_index by_team_credits(hash team, projection include(credits))
    version(version)
}

fn member(id: &str, credits: i64) -> Member {
    Member {
        id: id.into(),
        team: "red".into(),
        credits,
        note: Some("n".into()),
        version: 0,
    }
}

#[tokio::test]
async fn a_keys_only_index_query_yields_partial_records_without_invented_values() {
    let db = db("pkeys");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 100)).await.unwrap();
    let found = members.query_index(Member::BY_TEAM, "red").all().await.unwrap();
    assert_eq!(found.len(), 1);
    let ann = &found[0];
    assert_eq!(ann.get(Member::ID).unwrap().as_deref(), Some("ann"));
    assert_eq!(ann.get(Member::TEAM).unwrap().as_deref(), Some("red"));
    // Not projected: absent, not 0.
    assert_eq!(ann.get(Member::CREDITS).unwrap(), None);
    assert_eq!(ann.get(Member::VERSION).unwrap(), None);
    assert_eq!(ann.get(Member::NOTE).unwrap(), None);
    assert_eq!(ann.key_text().as_deref(), Some("id = \"ann\""));
    // The stored item is whole.
    let stored = members.get_consistent("ann").await.unwrap().unwrap();
    assert_eq!(stored.credits, 100);
}

#[tokio::test]
async fn an_include_index_query_yields_the_included_fields_and_nothing_else() {
    let db = db("pincl");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 100)).await.unwrap();
    let mut scan = members.scan().index(Member::BY_TEAM_CREDITS).stream();
    let ann = scan.next().await.unwrap().unwrap();
    assert!(scan.next().await.is_none());
    assert_eq!(ann.get(Member::CREDITS).unwrap(), Some(100));
    assert_eq!(ann.get(Member::NOTE).unwrap(), None);
    let found = members.query_index(Member::BY_TEAM_CREDITS, "red").all().await.unwrap();
    assert_eq!(found, vec![ann]);
}

#[tokio::test]
async fn a_mistyped_projected_field_is_an_error_naming_attribute_table_and_key() {
    let db = db("pmist");
    let members = MemberTable::new(&db);
    members.ensure().await.unwrap();
    put(
        &db,
        "member",
        item(&[("id", s("bob")), ("team", s("red")), ("credits", s("lots"))]),
    )
    .await;
    let found = members.query_index(Member::BY_TEAM_CREDITS, "red").all().await.unwrap();
    let e = assert_err!(found[0].get(Member::CREDITS), Error::Conversion(_));
    assert_eq!(
        e.to_string(),
        "conversion error: attribute credits: expected N, found S (table member, key id = \"bob\")"
    );
}

#[tokio::test]
async fn one_undecodable_item_in_a_scan_is_one_error_naming_its_key_and_the_scan_goes_on() {
    let db = db("pscan");
    let members = MemberTable::new(&db);
    let ids: Vec<String> = (0..12).map(|i| format!("m{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        members.put(&mut member(id, i as i64)).await.unwrap();
    }
    // One bad item among the good, written with the raw Backend.
    put(
        &db,
        "member",
        item(&[("id", s("bad")), ("team", s("red")), ("credits", s("many"))]),
    )
    .await;
    // Small pages, so the bad item sits among several pages of good ones.
    let results: Vec<Result<Member, Error>> = members.scan().page_size(3).consistent().stream().collect().await;
    assert_eq!(results.len(), 13);
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert_eq!(
        errors,
        ["conversion error: attribute credits: expected N, found S (table member, key id = \"bad\")"]
    );
    let bad = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    let Error::Conversion(c) = bad else { panic!("{bad:?}") };
    assert_eq!(
        (c.table(), c.key(), c.path().as_str()),
        (Some("member"), Some("id = \"bad\""), "credits")
    );
    let mut good: Vec<(String, i64)> = results
        .into_iter()
        .filter_map(Result::ok)
        .map(|m| (m.id, m.credits))
        .collect();
    good.sort();
    let expected: Vec<(String, i64)> = ids.iter().cloned().zip(0..).collect();
    assert_eq!(good, expected);
    // A query stream behaves the same.
    let results: Vec<Result<Member, Error>> = members.query("bad").stream().collect().await;
    assert_eq!(results.len(), 1);
    assert_err!(results.into_iter().next().unwrap(), Error::Conversion(_));
}

#[tokio::test]
async fn an_oversized_record_is_refused_naming_its_table_and_key() {
    let db = db("psize");
    let members = MemberTable::new(&db);
    let mut big = member("huge", 1);
    big.note = Some("x".repeat(400 * 1024 + 1));
    let e = assert_err!(members.put(&mut big).await, Error::Validation(_));
    let m = e.message().unwrap();
    assert_eq!(m.text(), "Item size has exceeded the maximum allowed size");
    assert_eq!((m.table(), m.key()), (Some("member"), Some("id = \"huge\"")));
    assert_eq!(
        e.to_string(),
        "validation error: Item size has exceeded the maximum allowed size (table member, key id = \"huge\")"
    );
    // The same through save (UpdateItem).
    let e = assert_err!(members.save(&mut big).await, Error::Validation(_));
    assert_eq!(e.message().and_then(|m| m.key()), Some("id = \"huge\""));
    // The raw Backend knows no table or key to name.
    let e = db
        .put_item(
            PutItemInput::builder()
                .table_name("member")
                .item("id", s("huge"))
                .item("note", s(&"x".repeat(400 * 1024 + 1)))
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "validation error: Item size has exceeded the maximum allowed size"
    );
}

#[tokio::test]
async fn a_failed_typed_write_names_table_and_key_and_keeps_the_variant() {
    let db = db("pcond");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 1)).await.unwrap();
    let e = assert_err!(
        members.delete_if("ann", Member::CREDITS.gt(5)).await,
        Error::ConditionalCheckFailed { .. }
    );
    let m = e.message().unwrap();
    assert_eq!((m.table(), m.key()), (Some("member"), Some("id = \"ann\"")));
    assert_eq!(m.text(), "The conditional request failed");
}
