//! Optimistic locking and item existence through the typed API, on both
//! backends: every write to a versioned table bumps the version, writes made
//! from a record check the version it holds, `update` needs the item and
//! `upsert` says when what it created is not a whole record.

use dynamo_objects::{Error, Returned, Transaction, dynamo_table};

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    /// An account, optimistically locked.
    account: Account { hash id: String, owner: String, credits: i64, version: u64 }
    on_demand
    version(version)
}

fn account(id: &str, credits: i64) -> Account {
    Account {
        id: id.into(),
        owner: "ann".into(),
        credits,
        version: 0,
    }
}

async fn stored(accounts: &AccountTable, id: &str) -> Option<(i64, u64)> {
    accounts
        .get_consistent(id)
        .await
        .unwrap()
        .map(|a| (a.credits, a.version))
}

/// 16 tasks on one item (see [`race`]), 100 increments each on the mock and
/// 25 each on DynamoDB Local (`on_local()`), to keep the
/// default run short (under a second on the mock, about 10 s on Local); the
/// 1,000-each run is [`sixteen_tasks_of_a_thousand_increments_each_lose_none`].
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_tasks_mixing_updates_and_saves_with_retries_lose_no_increment() {
    race(if on_local() { 25 } else { 100 }).await;
}

/// [`race`] with 1,000 increments per task (16,000 in all), on whichever
/// backend the run uses: about ten seconds on the mock (a debug build), many
/// minutes on DynamoDB Local. Run it with
/// `cargo test --test conformance sixteen_tasks_of -- --ignored` (the mock).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "16,000 increments: about 10 s on the mock, minutes on Local"]
async fn sixteen_tasks_of_a_thousand_increments_each_lose_none() {
    race(1000).await;
}

/// 16 tasks on one item, `per_task` increments each: even tasks `update`
/// with `ADD credits 1`, odd ones read the record, add one and `save` it,
/// reading again on `VersionConflict`. No increment is lost, and each one
/// bumped the version once.
async fn race(per_task: u64) {
    const TASKS: u64 = 16;
    let db = db("vrace");
    let accounts = AccountTable::new(&db);
    accounts.create(&mut account("a", 0)).await.unwrap();
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let accounts = accounts.clone();
        handles.push(tokio::spawn(async move {
            let mut conflicts = 0u64;
            for _ in 0..per_task {
                if t % 2 == 0 {
                    let after = accounts.update("a", Account::CREDITS.add(1)).await.unwrap();
                    assert!(after.as_record().is_some(), "{after:?}");
                    tokio::task::yield_now().await;
                    continue;
                }
                loop {
                    let mut a = accounts.get_consistent("a").await.unwrap().unwrap();
                    a.credits += 1;
                    match accounts.save(&mut a).await {
                        Ok(()) => break,
                        Err(Error::VersionConflict { .. }) => conflicts += 1,
                        Err(e) => panic!("save: {e:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for h in handles {
        conflicts += h.await.unwrap();
    }
    let total = TASKS * per_task;
    // Created at version 1, then one bump per increment.
    assert_eq!(stored(&accounts, "a").await, Some((total as i64, total + 1)));
    // The saves did meet the updates (else the test proves nothing).
    assert!(conflicts > 0);
}

#[tokio::test]
async fn a_save_from_a_copy_read_before_an_update_is_a_version_conflict_and_changes_nothing() {
    let db = db("vsave");
    let accounts = AccountTable::new(&db);
    accounts.create(&mut account("a", 100)).await.unwrap();
    let mut stale = accounts.get_consistent("a").await.unwrap().unwrap();
    let after = accounts.update("a", Account::CREDITS.add(50)).await.unwrap();
    assert_eq!(
        after,
        Returned::Record(Account {
            credits: 150,
            version: 2,
            ..account("a", 0)
        })
    );
    stale.owner = "bob".into();
    let e = assert_err!(accounts.save(&mut stale).await, Error::VersionConflict { .. });
    assert_eq!(
        e,
        Error::VersionConflict {
            table: "account".into(),
            expected: 1
        }
    );
    assert_eq!(stale.version, 1);
    let now = accounts.get_consistent("a").await.unwrap().unwrap();
    assert_eq!((now.owner.as_str(), now.credits, now.version), ("ann", 150, 2));
}

#[tokio::test]
async fn a_put_of_a_stale_record_is_a_version_conflict_and_a_current_one_bumps_the_version() {
    let db = db("vput");
    let accounts = AccountTable::new(&db);
    let mut a = account("a", 100);
    accounts.put(&mut a).await.unwrap();
    assert_eq!(a.version, 1);
    let mut stale = a.clone();
    a.credits = 120;
    accounts.put(&mut a).await.unwrap();
    assert_eq!(a.version, 2);
    stale.credits = 0;
    assert_err!(
        accounts.put(&mut stale).await,
        Error::VersionConflict { expected: 1, .. }
    );
    // A new record (version 0) does not replace an existing item either.
    assert_err!(
        accounts.put(&mut account("a", 0)).await,
        Error::VersionConflict { expected: 0, .. }
    );
    assert_eq!(stored(&accounts, "a").await, Some((120, 2)));
    // With a condition of its own: a false condition is told apart from a
    // version conflict.
    let e = assert_err!(
        accounts.put_if(&mut a, Account::CREDITS.gt(500)).await,
        Error::ConditionalCheckFailed { .. }
    );
    let Error::ConditionalCheckFailed { item, .. } = e else {
        unreachable!()
    };
    assert_eq!(item.and_then(|i| i.get("credits").cloned()), Some(n("120")));
    assert_err!(
        accounts.put_if(&mut stale, Account::CREDITS.gt(0)).await,
        Error::VersionConflict { expected: 1, .. }
    );
    accounts.put_if(&mut a, Account::CREDITS.eq(120)).await.unwrap();
    assert_eq!(stored(&accounts, "a").await, Some((120, 3)));
}

#[tokio::test]
async fn a_delete_of_a_stale_record_is_a_version_conflict_and_deletes_nothing() {
    let db = db("vdelete");
    let accounts = AccountTable::new(&db);
    let mut a = account("a", 100);
    accounts.create(&mut a).await.unwrap();
    let stale = a.clone();
    accounts.save(&mut a).await.unwrap();
    assert_err!(
        accounts.delete_record(&stale).await,
        Error::VersionConflict { expected: 1, .. }
    );
    assert_eq!(stored(&accounts, "a").await, Some((100, 2)));
    let old = accounts.delete_record(&a).await.unwrap();
    assert_eq!(old, Some(Returned::Record(a.clone())));
    assert_eq!(stored(&accounts, "a").await, None);
    // The record of an item since deleted is stale too.
    assert_err!(
        accounts.delete_record(&a).await,
        Error::VersionConflict { expected: 2, .. }
    );
}

#[tokio::test]
async fn overwrite_replaces_the_item_whatever_its_version_and_still_bumps_it() {
    let db = db("voverwrite");
    let accounts = AccountTable::new(&db);
    let mut a = account("a", 100);
    accounts.create(&mut a).await.unwrap();
    let mut stale = a.clone();
    accounts.update("a", Account::CREDITS.add(1)).await.unwrap();
    let mut other = accounts.get_consistent("a").await.unwrap().unwrap();
    assert_eq!(other.version, 2);
    stale.credits = 7;
    accounts.overwrite(&mut stale).await.unwrap();
    assert_eq!(stale.version, 3);
    assert_eq!(stored(&accounts, "a").await, Some((7, 3)));
    // A copy read before the overwrite cannot undo it.
    other.credits = 1000;
    assert_err!(
        accounts.save(&mut other).await,
        Error::VersionConflict { expected: 2, .. }
    );
    // On a missing item it writes version 1.
    let mut b = account("b", 5);
    b.version = 9;
    accounts.overwrite(&mut b).await.unwrap();
    assert_eq!(stored(&accounts, "b").await, Some((5, 1)));
}

#[tokio::test]
async fn an_update_of_a_missing_key_is_not_found_and_writes_nothing() {
    let db = db("vmissing");
    let accounts = AccountTable::new(&db);
    let e = assert_err!(
        accounts.update("nobody", Account::CREDITS.add(1)).await,
        Error::NotFound { .. }
    );
    assert_eq!(
        e,
        Error::NotFound {
            table: "account".into(),
            key: "\"nobody\"".into()
        }
    );
    assert_eq!(e.to_string(), "no item with key \"nobody\" in table account");
    assert_err!(
        accounts
            .update_if("nobody", Account::CREDITS.add(1), Account::CREDITS.ge(0))
            .await,
        Error::NotFound { .. }
    );
    assert_eq!(get(&db, "account", item(&[("id", s("nobody"))])).await.unwrap(), None);
    assert_eq!(accounts.get_consistent("nobody").await.unwrap(), None);
    // On an item that exists, a false condition of the caller's is not
    // mistaken for a missing item.
    accounts.create(&mut account("a", 1)).await.unwrap();
    assert_err!(
        accounts
            .update_if("a", Account::CREDITS.add(1), Account::CREDITS.gt(1))
            .await,
        Error::ConditionalCheckFailed { item: Some(_), .. }
    );
    assert_eq!(stored(&accounts, "a").await, Some((1, 1)));
}

#[tokio::test]
async fn an_upsert_of_a_missing_key_hands_back_the_stub_it_stored() {
    let db = db("vupsert");
    let accounts = AccountTable::new(&db);
    let out = accounts.upsert("new", Account::CREDITS.add(5)).await.unwrap();
    let stub = item(&[("id", s("new")), ("credits", n("5")), ("version", n("1"))]);
    let Returned::Partial { item: got, error } = out else {
        panic!("expected the stub, got {out:?}")
    };
    assert_eq!(got, stub);
    assert_eq!(
        error.to_string(),
        "attribute owner: missing (table account, key id = \"new\")"
    );
    // Exactly the key, the updated attribute and the version are stored.
    assert_eq!(
        get(&db, "account", item(&[("id", s("new"))])).await.unwrap(),
        Some(stub.clone())
    );
    // The stub is deleted without an error, handed back as it was.
    assert_eq!(
        accounts.delete("new").await.unwrap(),
        Some(Returned::Partial {
            item: stub,
            error: error.clone()
        })
    );
    assert_eq!(get(&db, "account", item(&[("id", s("new"))])).await.unwrap(), None);
    // An upsert of an existing item is an update that bumps the version.
    accounts.create(&mut account("a", 1)).await.unwrap();
    let out = accounts.upsert("a", Account::CREDITS.add(1)).await.unwrap();
    assert_eq!(out.record().map(|a| (a.credits, a.version)), Some((2, 2)));
}

#[tokio::test]
async fn a_batch_put_to_a_versioned_table_is_refused_and_writes_nothing() {
    let db = db("vbatch");
    let accounts = AccountTable::new(&db);
    let e = assert_err!(
        accounts.batch_write(&[account("a", 1)], &[]).await,
        Error::Validation(_)
    );
    assert_eq!(
        e.to_string(),
        "validation error: table account has the version attribute version: batch puts cannot check it; write its \
         records with put, save or a transaction"
    );
    assert_eq!(stored(&accounts, "a").await, None);
}

fn cancel_codes(r: Result<(), Error>) -> Vec<String> {
    match r {
        Err(Error::TransactionCanceled { reasons, .. }) => {
            reasons.iter().map(|r| r.code().unwrap_or("-").to_string()).collect()
        }
        other => panic!("expected TransactionCanceled, got {other:?}"),
    }
}

#[tokio::test]
async fn every_transactional_write_bumps_the_version_and_record_writes_check_it() {
    let db = db("vtx");
    let accounts = AccountTable::new(&db);
    Transaction::new(&db)
        .create(&Account {
            version: 7,
            ..account("a", 10)
        })
        .commit()
        .await
        .unwrap();
    assert_eq!(stored(&accounts, "a").await, Some((10, 1)));
    let v1 = accounts.get_consistent("a").await.unwrap().unwrap();
    Transaction::new(&db)
        .update::<Account>("a", Account::CREDITS.add(5))
        .commit()
        .await
        .unwrap();
    assert_eq!(stored(&accounts, "a").await, Some((15, 2)));
    // A put and a delete of the stale record are refused.
    let r = Transaction::new(&db).put(&v1).commit().await;
    assert_eq!(cancel_codes(r), ["ConditionalCheckFailed"]);
    let r = Transaction::new(&db).delete_record(&v1).commit().await;
    assert_eq!(cancel_codes(r), ["ConditionalCheckFailed"]);
    assert_eq!(stored(&accounts, "a").await, Some((15, 2)));
    // A put of the current record writes the next version.
    let mut v2 = accounts.get_consistent("a").await.unwrap().unwrap();
    v2.credits = 20;
    Transaction::new(&db).put(&v2).commit().await.unwrap();
    assert_eq!(stored(&accounts, "a").await, Some((20, 3)));
    // An update needs the item; an upsert creates it at version 1.
    let r = Transaction::new(&db)
        .update::<Account>("a", Account::CREDITS.add(1))
        .update::<Account>("nobody", Account::CREDITS.add(1))
        .commit()
        .await;
    assert_eq!(cancel_codes(r), ["None", "ConditionalCheckFailed"]);
    assert_eq!(get(&db, "account", item(&[("id", s("nobody"))])).await.unwrap(), None);
    Transaction::new(&db)
        .upsert::<Account>("b", Account::CREDITS.add(1))
        .commit()
        .await
        .unwrap();
    assert_eq!(
        get(&db, "account", item(&[("id", s("b"))])).await.unwrap(),
        Some(item(&[("id", s("b")), ("credits", n("1")), ("version", n("1"))]))
    );
    // The current record is deleted.
    let v3 = accounts.get_consistent("a").await.unwrap().unwrap();
    Transaction::new(&db).delete_record(&v3).commit().await.unwrap();
    assert_eq!(stored(&accounts, "a").await, None);
}
