//! The DSL and the typed table API, on both backends.

use std::collections::{BTreeMap, HashSet};

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Cursor, Error, Returned, Transaction, dynamo_table};
use futures::TryStreamExt;

use crate::assert_err;
use crate::common::*;

fn normalise(u: &mut User) -> Result<(), Error> {
    if u.email.is_empty() {
        return Err(Error::Validation("a user needs an email".into()));
    }
    u.email = u.email.to_lowercase();
    Ok(())
}

dynamo_table! {
    record Address { street: String, zip: String = "00000".to_string() }

    /// A user.
    user: User {
        hash id: String,
        email: String,
        name: Option<String>,
        visits: i64,
        tags: HashSet<String>,
        history: Vec<String>,
        address: Option<Address>,
        prefs: BTreeMap<String, bool>,
        version: u64,
    }
    on_demand
    version(version)
    check(normalise)

    score: Score {
        hash player: String,
        range game: String,
        points: i64,
        level: Option<String>,
        played: String,
    }
    throughput(5, 5)
    global_index by_game(hash game, range points)
    global_index by_level(hash level, projection keys_only)
    local_index by_played(range played, projection include(points))

    event: Event { hash stream: String, range seq: u32, body: String = "-".to_string() }

    session: Session { hash token: String, expires: u64 }
    ttl(expires)
}

fn user(id: &str) -> User {
    User {
        id: id.into(),
        email: format!("{}@X.org", id.to_uppercase()),
        ..User::default()
    }
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let db = db("tput");
    let users = UserTable::new(&db);
    let mut u = user("ann");
    u.name = Some("Ann".into());
    u.tags = ["a".to_string(), "b".to_string()].into();
    u.history = vec!["x".into(), "y".into()];
    u.address = Some(Address {
        street: "Main".into(),
        zip: "123".into(),
    });
    u.prefs = [("dark".to_string(), true)].into();
    users.put(&mut u).await.unwrap();
    let got = users.get_consistent("ann").await.unwrap().unwrap();
    // The check hook normalised the email on the way in.
    assert_eq!(got.email, "ann@x.org");
    assert_eq!(
        User {
            email: "ann@x.org".into(),
            ..u.clone()
        },
        got
    );
    assert_eq!(users.get_consistent("bob").await.unwrap(), None);
    let old = users.delete("ann").await.unwrap();
    assert_eq!(old, Some(Returned::Record(got)));
    assert_eq!(users.delete("ann").await.unwrap(), None);
    // The table was created on first use, under the connection's prefix.
    assert_eq!(db.table_names().await.unwrap(), ["user"]);
}

#[tokio::test]
async fn the_check_hook_can_refuse_a_write() {
    let db = db("tcheck");
    let users = UserTable::new(&db);
    let mut u = User {
        id: "x".into(),
        ..User::default()
    };
    assert_err!(users.put(&mut u).await, Error::Validation(_));
    assert_eq!(users.get_consistent("x").await.unwrap(), None);
}

#[tokio::test]
async fn create_is_create_only() {
    let db = db("tcreate");
    let users = UserTable::new(&db);
    let mut u = user("ann");
    users.create(&mut u).await.unwrap();
    assert_eq!(u.version, 1);
    let mut again = user("ann");
    assert_err!(users.create(&mut again).await, Error::AlreadyExists { .. });
    assert_eq!(again.version, 0);
}

#[tokio::test]
async fn save_keeps_undeclared_attributes_and_checks_the_version() {
    let db = db("tsave");
    let users = UserTable::new(&db);
    let mut u = user("ann");
    users.save(&mut u).await.unwrap();
    assert_eq!(u.version, 1);
    // Someone adds an attribute the record does not declare.
    db.update_item(
        UpdateItemInput::builder()
            .table_name("user")
            .key("id", s("ann"))
            .update_expression("SET legacy = :l")
            .expression_attribute_values(":l", s("keep me"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut loaded = users.get_consistent("ann").await.unwrap().unwrap();
    loaded.visits = 3;
    loaded.name = None;
    users.save(&mut loaded).await.unwrap();
    assert_eq!(loaded.version, 2);
    let raw = get(&db, "user", item(&[("id", s("ann"))])).await.unwrap().unwrap();
    assert_eq!(raw.get("legacy"), Some(&s("keep me")));
    assert_eq!(raw.get("visits"), Some(&n("3")));
    assert_eq!(raw.get("version"), Some(&n("2")));
    // The stale copy (version 1) is refused.
    u.visits = 99;
    assert_err!(users.save(&mut u).await, Error::VersionConflict { expected: 1, .. });
    assert_eq!(users.get_consistent("ann").await.unwrap().unwrap().visits, 3);
}

#[tokio::test]
async fn conditional_put_update_delete_with_typed_conditions() {
    let db = db("tcond");
    let users = UserTable::new(&db);
    let mut u = user("ann");
    u.visits = 5;
    users.put(&mut u).await.unwrap();
    assert_err!(
        users.put_if(&mut u, User::VISITS.gt(10)).await,
        Error::ConditionalCheckFailed { .. }
    );
    users
        .put_if(&mut u, User::VISITS.between(1, 5).and(User::EMAIL.begins_with("ann")))
        .await
        .unwrap();
    assert_err!(
        users.delete_if("ann", User::NAME.exists()).await,
        Error::ConditionalCheckFailed { .. }
    );
    let Returned::Record(updated) = users
        .update_if(
            "ann",
            User::VISITS.add(1).and(User::NAME.set("Ann")),
            User::NAME.eq(None::<String>),
        )
        .await
        .unwrap()
    else {
        panic!("a whole record")
    };
    assert_eq!((updated.visits, updated.name.as_deref()), (6, Some("Ann")));
    let old = users
        .delete_if("ann", User::NAME.eq("Ann").or(User::VISITS.lt(0)))
        .await
        .unwrap();
    assert_eq!(old.and_then(Returned::record).map(|u| u.visits), Some(6));
}

#[tokio::test]
async fn partial_updates() {
    let db = db("tupdate");
    let users = UserTable::new(&db);
    // An upsert creates the item.
    let Returned::Record(u) = users
        .upsert(
            "ann",
            User::EMAIL
                .set("ann@x.org")
                .and(User::VISITS.add(2))
                .and(User::TAGS.add(HashSet::from(["a".to_string(), "b".to_string()])))
                .and(User::HISTORY.append(vec!["first".to_string()]))
                .and(User::NAME.set_if_absent("Ann")),
        )
        .await
        .unwrap()
    else {
        panic!("a whole record")
    };
    assert_eq!(u.visits, 2);
    assert_eq!(u.tags, HashSet::from(["a".to_string(), "b".to_string()]));
    assert_eq!(u.history, ["first"]);
    assert_eq!(u.name.as_deref(), Some("Ann"));
    let Returned::Record(u) = users
        .update(
            "ann",
            User::TAGS
                .delete(HashSet::from(["a".to_string()]))
                .and(User::HISTORY.prepend(vec!["zero".to_string()]))
                .and(User::NAME.set_if_absent("Other"))
                .and(User::VISITS.add(-1))
                .and(User::PREFS.remove()),
        )
        .await
        .unwrap()
    else {
        panic!("a whole record")
    };
    assert_eq!(u.tags, HashSet::from(["b".to_string()]));
    assert_eq!(u.history, ["zero", "first"]);
    assert_eq!(u.name.as_deref(), Some("Ann"));
    assert_eq!(u.visits, 1);
    // The filter/condition helpers on sets and lists.
    assert_eq!(
        users
            .update_if(
                "ann",
                User::VISITS.add(1),
                User::TAGS.contains("b").and(User::HISTORY.size().eq(2))
            )
            .await
            .unwrap()
            .record()
            .map(|u| u.visits),
        Some(2)
    );
}

async fn fill_scores(db: &dynamo_objects::Database) -> ScoreTable {
    let scores = ScoreTable::new(db);
    let rows = [
        ("ann", "chess", 10, Some("pro"), "2024-02"),
        ("bob", "chess", 30, Some("pro"), "2024-01"),
        ("cat", "chess", 20, None, "2024-03"),
        ("ann", "go", 5, None, "2024-03"),
        ("ann", "poker", 7, Some("novice"), "2024-01"),
    ];
    let records: Vec<Score> = rows
        .iter()
        .map(|(p, g, pts, lvl, played)| Score {
            player: p.to_string(),
            game: g.to_string(),
            points: *pts,
            level: lvl.map(String::from),
            played: played.to_string(),
        })
        .collect();
    let report = scores.batch_write(&records, &[]).await.unwrap();
    assert!(report.is_complete());
    assert_eq!(report.written, 5);
    scores
}

#[tokio::test]
async fn typed_queries_on_the_table_and_its_indexes() {
    let db = db("tquery");
    let scores = fill_scores(&db).await;
    let games: Vec<String> = scores
        .query("ann")
        .consistent()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.game)
        .collect();
    assert_eq!(games, ["chess", "go", "poker"]);
    let games: Vec<String> = scores
        .query("ann")
        .range(Score::GAME.ge("go"))
        .reverse()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.game)
        .collect();
    assert_eq!(games, ["poker", "go"]);
    let games: Vec<String> = scores
        .query("ann")
        .range(Score::GAME.begins_with("p"))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.game)
        .collect();
    assert_eq!(games, ["poker"]);
    let filtered = scores.query("ann").filter(Score::POINTS.gt(6)).all().await.unwrap();
    assert_eq!(filtered.len(), 2);
    assert_eq!(scores.query("ann").count().await.unwrap(), 3);
    // A global index, ordered by its range key.
    let players: Vec<String> = scores
        .query_index(Score::BY_GAME, "chess")
        .range(Score::POINTS.between(10, 30))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.player)
        .collect();
    assert_eq!(players, ["ann", "cat", "bob"]);
    // A keys-only index gives partial records: only the keys it projects.
    let mut pros = scores.query_index(Score::BY_LEVEL, "pro").all().await.unwrap();
    pros.sort_by_key(|p| p.get(Score::PLAYER).unwrap());
    assert_eq!(pros.len(), 2);
    assert_eq!(
        (
            pros[0].get(Score::PLAYER).unwrap().as_deref(),
            pros[0].get(Score::POINTS).unwrap(),
            pros[0].get(Score::LEVEL).unwrap()
        ),
        (Some("ann"), None, Some(Some("pro".to_string())))
    );
    // A local index with INCLUDE.
    let by_played = scores.query_index(Score::BY_PLAYED, "ann").all().await.unwrap();
    let seen: Vec<(String, i64)> = by_played
        .into_iter()
        .map(|s| {
            (
                s.get(Score::PLAYED).unwrap().unwrap(),
                s.get(Score::POINTS).unwrap().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2024-01".to_string(), 7),
            ("2024-02".to_string(), 10),
            ("2024-03".to_string(), 5)
        ]
    );
}

#[tokio::test]
async fn streams_follow_pages_and_cursors_resume() {
    let db = db("tstream");
    let events = EventTable::new(&db);
    let records: Vec<Event> = (0..57)
        .map(|i| Event {
            stream: "s".into(),
            seq: i,
            body: format!("e{i}"),
        })
        .collect();
    let report = events.batch_write(&records, &[]).await.unwrap();
    assert_eq!(report.written, 57);
    let seqs: Vec<u32> = events
        .query("s")
        .page_size(10)
        .stream()
        .map_ok(|e| e.seq)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(seqs, (0..57).collect::<Vec<_>>());
    let limited: Vec<u32> = events
        .query("s")
        .limit(15)
        .page_size(4)
        .stream()
        .map_ok(|e| e.seq)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(limited, (0..15).collect::<Vec<_>>());
    // Page by page with a cursor kept between calls.
    let q = events.query("s").page_size(20);
    let first = q.page(None).await.unwrap();
    assert_eq!(first.records.len(), 20);
    let cursor: Cursor = first.next.clone().unwrap();
    let second = events.query("s").page_size(20).page(Some(cursor)).await.unwrap();
    assert_eq!(second.records[0].seq, 20);
    // Scans in parallel segments see every record once.
    let mut all: Vec<u32> = events
        .scan()
        .segments(3)
        .page_size(7)
        .stream()
        .map_ok(|e| e.seq)
        .try_collect()
        .await
        .unwrap();
    all.sort();
    assert_eq!(all, (0..57).collect::<Vec<_>>());
    assert_eq!(events.count().await.unwrap(), 57);
    assert_eq!(events.scan().filter(Event::BODY.eq("e3")).count().await.unwrap(), 1);
}

#[tokio::test]
async fn batches_of_any_size() {
    let db = db("tbatch");
    let events = EventTable::new(&db);
    let records: Vec<Event> = (0..260)
        .map(|i| Event {
            stream: format!("s{}", i % 3),
            seq: i,
            body: "b".into(),
        })
        .collect();
    let report = events.batch_write(&records, &[]).await.unwrap();
    assert!(report.is_complete());
    assert_eq!(report.written, 260);
    let keys: Vec<(String, u32)> = (0..260)
        .map(|i| (format!("s{}", i % 3), i))
        .chain([("nobody".to_string(), 1)])
        .collect();
    let got = events.batch_get(keys).await.unwrap();
    assert_eq!(got.records.len(), 260);
    assert!(got.unprocessed.is_empty());
    let deletes: Vec<(String, u32)> = (0..100).map(|i| (format!("s{}", i % 3), i)).collect();
    let report = events.batch_write(&[], &deletes).await.unwrap();
    assert_eq!(report.written, 100);
    assert_eq!(events.count().await.unwrap(), 160);
    // A key written twice in one call: the last write wins.
    let twice = [
        Event {
            stream: "t".into(),
            seq: 1,
            body: "first".into(),
        },
        Event {
            stream: "t".into(),
            seq: 1,
            body: "second".into(),
        },
    ];
    assert_eq!(events.batch_write(&twice, &[]).await.unwrap().written, 1);
    assert_eq!(
        events.get_consistent(("t".to_string(), 1)).await.unwrap().unwrap().body,
        "second"
    );
}

#[tokio::test]
async fn transactions_across_tables() {
    let db = db("ttx");
    let users = UserTable::new(&db);
    let events = EventTable::new(&db);
    users.put(&mut user("ann")).await.unwrap();
    Transaction::new(&db)
        .update::<User>("ann", User::VISITS.add(1))
        .put(&Event {
            stream: "audit".into(),
            seq: 1,
            body: "visit".into(),
        })
        .check::<Event>(("audit".to_string(), 0), Event::BODY.not_exists())
        .commit()
        .await
        .unwrap();
    assert_eq!(users.get_consistent("ann").await.unwrap().unwrap().visits, 1);
    let r = Transaction::new(&db)
        .update::<User>("ann", User::VISITS.add(1))
        .create(&Event {
            stream: "audit".into(),
            seq: 1,
            body: "again".into(),
        })
        .commit()
        .await;
    let e = assert_err!(r, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { reasons, .. } = e else {
        unreachable!()
    };
    let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
    assert_eq!(codes, [Some("None"), Some("ConditionalCheckFailed")]);
    assert_eq!(users.get_consistent("ann").await.unwrap().unwrap().visits, 1);
    assert_eq!(
        events
            .get_consistent(("audit".to_string(), 1))
            .await
            .unwrap()
            .unwrap()
            .body,
        "visit"
    );
}

#[tokio::test]
async fn reading_a_mistyped_attribute_names_it() {
    let db = db("tconv");
    let users = UserTable::new(&db);
    users.put(&mut user("ann")).await.unwrap();
    db.update_item(
        UpdateItemInput::builder()
            .table_name("user")
            .key("id", s("ann"))
            .update_expression("SET visits = :v")
            .expression_attribute_values(":v", s("many"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let e = assert_err!(users.get_consistent("ann").await, Error::Conversion(_));
    assert_eq!(
        e.to_string(),
        "conversion error: attribute visits: expected N, found S (table user, key id = \"ann\")"
    );
}

#[tokio::test]
async fn defaults_fill_missing_attributes() {
    let db = db("tdefault");
    let events = EventTable::new(&db);
    events.ensure().await.unwrap();
    put(&db, "event", item(&[("stream", s("s")), ("seq", n("1"))])).await;
    let e = events.get_consistent(("s".to_string(), 1)).await.unwrap().unwrap();
    assert_eq!(e.body, "-");
}

#[tokio::test]
async fn a_table_declared_with_ttl_has_it_on_from_first_use() {
    let db = db("typedttl");
    let sessions = SessionTable::new(&db);
    sessions.ensure().await.unwrap();
    let out = db
        .describe_time_to_live(
            DescribeTimeToLiveInput::builder()
                .table_name("session")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let d = out.time_to_live_description.unwrap();
    assert_eq!(d.time_to_live_status, Some(TimeToLiveStatus::Enabled));
    assert_eq!(d.attribute_name.as_deref(), Some("expires"));
}
