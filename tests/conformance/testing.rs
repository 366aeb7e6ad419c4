//! `TestDb` (issue 14 point 9), on both backends: a prefix of its own per
//! test, and removal of exactly the tables the test created.

use std::sync::{Arc, Mutex};

use dynamo_objects::sdk::*;
use dynamo_objects::testing::{TEST_PREFIX_START, TestDb};
use dynamo_objects::{Backend, Database, Error, dynamo_table};
use futures::FutureExt;

dynamo_table! {
    note: Note { hash id: String, text: String }
    tag: Tag { hash name: String }
}

fn note(id: &str) -> Note {
    Note {
        id: id.into(),
        text: format!("note {id}"),
    }
}

#[tokio::test]
async fn test_dbs_have_prefixes_of_their_own_and_cleanup_removes_only_their_tables() {
    let a = TestDb::new().unwrap();
    let b = TestDb::new().unwrap();
    assert!(a.prefix().starts_with(TEST_PREFIX_START), "{}", a.prefix());
    assert_ne!(a.prefix(), b.prefix());
    assert!(!b.prefix().starts_with(a.prefix()) && !a.prefix().starts_with(b.prefix()));
    NoteTable::new(&a).put(&mut note("1")).await.unwrap();
    TagTable::new(&a).put(&mut Tag { name: "x".into() }).await.unwrap();
    NoteTable::new(&b).put(&mut note("2")).await.unwrap();
    // The same table name, another test's table: each sees its own item.
    assert_eq!(NoteTable::new(&b).get("1").await.unwrap(), None);
    assert_eq!(NoteTable::new(&a).get("1").await.unwrap(), Some(note("1")));

    let a_db: Database = (*a).clone();
    assert_eq!(a.cleanup().await.unwrap(), ["note", "tag"]);
    assert_eq!(a_db.table_names().await.unwrap(), Vec::<String>::new());
    assert_eq!(b.table_names().await.unwrap(), ["note"]);
    assert_eq!(NoteTable::new(&b).get("2").await.unwrap(), Some(note("2")));
    assert_eq!(b.cleanup().await.unwrap(), ["note"]);
}

#[tokio::test]
async fn cleanup_leaves_alone_the_tables_outside_its_prefix_on_the_same_backend() {
    let t = TestDb::new().unwrap();
    // Another prefix on the same backend (the same DynamoDB Local, or the
    // TestDb's own mock), ending like the TestDb's but not starting so.
    let outside = t.with_prefix(format!("keep-{}", t.prefix()));
    NoteTable::new(&t).put(&mut note("1")).await.unwrap();
    NoteTable::new(&outside).put(&mut note("2")).await.unwrap();
    assert_eq!(t.table_names().await.unwrap(), ["note"]);
    assert_eq!(t.cleanup().await.unwrap(), ["note"]);
    assert_eq!(outside.table_names().await.unwrap(), ["note"]);
    assert_eq!(NoteTable::new(&outside).get("2").await.unwrap(), Some(note("2")));
    outside
        .delete_table(DeleteTableInput::builder().table_name("note").build().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn run_removes_the_tables_whether_the_test_passes_fails_or_panics() {
    let seen: Arc<Mutex<Vec<Database>>> = Arc::default();
    let keep = |seen: &Arc<Mutex<Vec<Database>>>, db: &Database| {
        seen.lock().unwrap_or_else(|e| e.into_inner()).push(db.clone())
    };

    let s = seen.clone();
    let passed = TestDb::run(|db| async move {
        keep(&s, &db);
        NoteTable::new(&db).put(&mut note("1")).await
    })
    .await;
    assert_eq!(passed, Ok(()));

    let s = seen.clone();
    let failed = TestDb::run(|db| async move {
        keep(&s, &db);
        NoteTable::new(&db).put(&mut note("1")).await?;
        Err(Error::Validation("the test failed".into()))
    })
    .await;
    assert_eq!(failed, Err(Error::Validation("the test failed".into())));

    let s = seen.clone();
    let panicked = std::panic::AssertUnwindSafe(TestDb::run(|db| async move {
        keep(&s, &db);
        NoteTable::new(&db).put(&mut note("1")).await?;
        panic!("the test panicked");
    }))
    .catch_unwind()
    .await;
    let payload = panicked.err().unwrap_or_else(|| panic!("the panic was not passed on"));
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"the test panicked"));

    let dbs = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert_eq!(dbs.len(), 3);
    for db in dbs {
        assert_eq!(db.table_names().await.unwrap(), Vec::<String>::new(), "{}", db.prefix());
    }
}
