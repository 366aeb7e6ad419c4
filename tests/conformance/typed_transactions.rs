//! Typed transactions on both backends: reads of several records from
//! several tables as one snapshot, and the typed cause of each action of a
//! cancelled write transaction.

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, CancelReason, Error, ReadTransaction, Transaction, dynamo_table};

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    /// A member, without a version.
    member: Member { hash id: String, name: String, visits: i64 }
    on_demand
}

dynamo_table! {
    /// A wallet, optimistically locked.
    wallet: Wallet { hash id: String, credits: i64, version: u64 }
    on_demand
    version(version)
}

fn member(id: &str, visits: i64) -> Member {
    Member {
        id: id.into(),
        name: format!("{id} smith"),
        visits,
    }
}

fn wallet(id: &str, credits: i64) -> Wallet {
    Wallet {
        id: id.into(),
        credits,
        version: 0,
    }
}

/// The typed causes of a cancelled transaction (and the raw codes, which
/// must still be there, one per action).
fn causes(r: Result<(), Error>) -> Vec<CancelReason> {
    match r {
        Err(Error::TransactionCanceled { reasons, causes, .. }) => {
            assert_eq!(reasons.len(), causes.len(), "one typed cause per raw reason");
            causes
        }
        other => panic!("expected TransactionCanceled, got {other:?}"),
    }
}

fn key(id: &str) -> String {
    format!("id = {id:?}")
}

#[tokio::test]
async fn a_read_transaction_over_two_tables_returns_exactly_the_records_and_none_for_a_missing_key() {
    let db = db("rtxtwo");
    MemberTable::new(&db).put(&mut member("ann", 3)).await.unwrap();
    let mut w = wallet("ann", 40);
    WalletTable::new(&db).put(&mut w).await.unwrap();
    let mut tx = ReadTransaction::new(&db);
    let ann = tx.get::<Member>("ann");
    let nobody = tx.get::<Member>("nobody");
    let purse = tx.get::<Wallet>("ann");
    assert_eq!(tx.len(), 3);
    let mut reads = tx.commit().await.unwrap();
    assert_eq!(reads.take(ann).unwrap(), Some(member("ann", 3)));
    assert_eq!(reads.take(nobody).unwrap(), None);
    assert_eq!(
        reads.take(purse).unwrap(),
        Some(Wallet {
            version: 1,
            ..wallet("ann", 40)
        })
    );
}

#[tokio::test]
async fn a_read_transaction_holds_the_snapshot_it_read_and_a_later_one_sees_later_writes() {
    let db = db("rtxsnap");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 1)).await.unwrap();
    members.put(&mut member("bob", 2)).await.unwrap();
    let mut tx = ReadTransaction::new(&db);
    let (ann, bob) = (tx.get::<Member>("ann"), tx.get::<Member>("bob"));
    let mut first = tx.commit().await.unwrap();
    Transaction::new(&db)
        .update::<Member>("ann", Member::VISITS.add(10))
        .delete::<Member>("bob")
        .commit()
        .await
        .unwrap();
    assert_eq!(first.take(ann).unwrap(), Some(member("ann", 1)));
    assert_eq!(first.take(bob).unwrap(), Some(member("bob", 2)));
    let mut tx = ReadTransaction::new(&db);
    let (ann, bob) = (tx.get::<Member>("ann"), tx.get::<Member>("bob"));
    let mut second = tx.commit().await.unwrap();
    assert_eq!(second.take(ann).unwrap(), Some(member("ann", 11)));
    assert_eq!(second.take(bob).unwrap(), None);
}

#[tokio::test]
async fn an_undecodable_item_in_a_read_transaction_is_an_error_naming_table_and_key() {
    let db = db("rtxbad");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 1)).await.unwrap();
    members.put(&mut member("bob", 2)).await.unwrap();
    db.update_item(
        UpdateItemInput::builder()
            .table_name("member")
            .key("id", s("bob"))
            .update_expression("SET visits = :v")
            .expression_attribute_values(":v", s("many"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let mut tx = ReadTransaction::new(&db);
    let (ann, bob) = (tx.get::<Member>("ann"), tx.get::<Member>("bob"));
    let mut reads = tx.commit().await.unwrap();
    let e = assert_err!(reads.take(bob), Error::Conversion(_));
    assert_eq!(
        e.to_string(),
        "conversion error: attribute visits: expected N, found S (table member, key id = \"bob\")"
    );
    // The other read is unaffected.
    assert_eq!(reads.take(ann).unwrap(), Some(member("ann", 1)));
}

#[tokio::test]
async fn a_read_transaction_of_101_reads_is_a_validation_error_and_sends_nothing() {
    let db = db("rtx101");
    let mut tx = ReadTransaction::new(&db);
    let handles: Vec<_> = (0..101).map(|i| tx.get::<Member>(format!("m{i}"))).collect();
    assert_eq!(handles.len(), 101);
    let e = assert_err!(tx.commit().await, Error::Validation(_));
    assert_eq!(
        e.to_string(),
        "validation error: a read transaction holds at most 100 reads; this one holds 101"
    );
    // Nothing was sent: not even the creation of the table on first use.
    let r = db
        .describe_table(DescribeTableInput::builder().table_name("member").build().unwrap())
        .await;
    assert_err!(r, Error::ResourceNotFound(_));
}

#[tokio::test]
async fn a_read_transaction_of_100_reads_is_made() {
    let db = db("rtx100");
    MemberTable::new(&db).put(&mut member("m7", 7)).await.unwrap();
    let mut tx = ReadTransaction::new(&db);
    let mut handles: Vec<_> = (0..100).map(|i| tx.get::<Member>(format!("m{i}"))).collect();
    let mut reads = tx.commit().await.unwrap();
    let seventh = handles.remove(7);
    assert_eq!(reads.take(seventh).unwrap(), Some(member("m7", 7)));
    let rest: Vec<Option<Member>> = handles.into_iter().map(|h| reads.take(h).unwrap()).collect();
    assert_eq!(rest, vec![None; 99]);
}

#[tokio::test]
async fn a_handle_of_another_read_transaction_is_refused() {
    let db = db("rtxother");
    MemberTable::new(&db).put(&mut member("ann", 1)).await.unwrap();
    let mut one = ReadTransaction::new(&db);
    let from_one = one.get::<Member>("ann");
    let mut two = ReadTransaction::new(&db);
    let _from_two = two.get::<Member>("ann");
    let mut reads = two.commit().await.unwrap();
    let e = assert_err!(reads.take(from_one), Error::Validation(_));
    assert_eq!(
        e.to_string(),
        "validation error: this handle belongs to another read transaction"
    );
}

#[tokio::test]
async fn a_cancelled_write_transaction_reports_version_conflict_already_exists_condition_failed_not_found_and_none_in_order()
 {
    let db = db("wtxcauses");
    let wallets = WalletTable::new(&db);
    let members = MemberTable::new(&db);
    let stale = wallet("w", 5);
    let mut current = stale.clone();
    wallets.put(&mut current).await.unwrap(); // stored at version 1; `stale` holds 0
    members.put(&mut member("ann", 1)).await.unwrap();
    members.put(&mut member("bob", 9)).await.unwrap();
    let r = Transaction::new(&db)
        .put(&stale)
        .create(&member("ann", 2))
        .check::<Member>("bob", Member::VISITS.lt(5))
        .update::<Member>("carl", Member::VISITS.add(1))
        .put(&member("eve", 1))
        .commit()
        .await;
    let causes = causes(r);
    let old = item(&[("id", s("bob")), ("name", s("bob smith")), ("visits", n("9"))]);
    assert_eq!(
        causes,
        [
            CancelReason::VersionConflict {
                table: "wallet".into(),
                key: key("w"),
                expected: 0,
            },
            CancelReason::AlreadyExists {
                table: "member".into(),
                key: key("ann"),
            },
            CancelReason::ConditionFailed {
                table: "member".into(),
                key: key("bob"),
                old: Some(old),
            },
            CancelReason::NotFound {
                table: "member".into(),
                key: key("carl"),
            },
            CancelReason::None,
        ]
    );
    assert_eq!(
        causes[2].old_record::<Member>().map(Result::unwrap),
        Some(member("bob", 9))
    );
    assert_eq!(causes[0].old_record::<Wallet>().map(Result::unwrap), None);
    // Nothing was written.
    assert_eq!(wallets.get_consistent("w").await.unwrap(), Some(current));
    assert_eq!(members.get_consistent("ann").await.unwrap(), Some(member("ann", 1)));
    assert_eq!(members.get_consistent("carl").await.unwrap(), None);
    assert_eq!(members.get_consistent("eve").await.unwrap(), None);
}

#[tokio::test]
async fn an_action_that_did_not_fail_is_none_beside_a_failed_one() {
    let db = db("wtxnone");
    let members = MemberTable::new(&db);
    members.put(&mut member("ann", 1)).await.unwrap();
    let r = Transaction::new(&db)
        .put(&member("dan", 4))
        .delete_if::<Member>("ann", Member::NAME.eq("someone else"))
        .commit()
        .await;
    assert_eq!(
        causes(r),
        [
            CancelReason::None,
            CancelReason::ConditionFailed {
                table: "member".into(),
                key: key("ann"),
                old: Some(item(&[("id", s("ann")), ("name", s("ann smith")), ("visits", n("1"))])),
            },
        ]
    );
    assert_eq!(members.get_consistent("dan").await.unwrap(), None);
}

#[tokio::test]
async fn a_current_versioned_put_if_whose_own_condition_fails_is_condition_failed_not_a_version_conflict() {
    let db = db("wtxputif");
    let wallets = WalletTable::new(&db);
    let mut a = wallet("a", 5);
    wallets.put(&mut a).await.unwrap();
    let mut b = wallet("b", 5);
    wallets.put(&mut b).await.unwrap();
    wallets.put(&mut b).await.unwrap(); // b at version 2
    let stale_b = Wallet {
        version: 1,
        ..b.clone()
    };
    let r = Transaction::new(&db)
        .put_if(&a, Wallet::CREDITS.gt(100))
        .put_if(&stale_b, Wallet::CREDITS.gt(1))
        .commit()
        .await;
    assert_eq!(
        causes(r),
        [
            CancelReason::ConditionFailed {
                table: "wallet".into(),
                key: key("a"),
                old: Some(item(&[("id", s("a")), ("credits", n("5")), ("version", n("1"))])),
            },
            CancelReason::VersionConflict {
                table: "wallet".into(),
                key: key("b"),
                expected: 1,
            },
        ]
    );
    assert_eq!(wallets.get_consistent("a").await.unwrap(), Some(a));
}

#[tokio::test]
async fn a_stale_delete_record_in_a_transaction_is_a_version_conflict() {
    let db = db("wtxdelrec");
    let wallets = WalletTable::new(&db);
    let mut w = wallet("w", 5);
    wallets.put(&mut w).await.unwrap();
    let stale = w.clone();
    wallets.put(&mut w).await.unwrap();
    let r = Transaction::new(&db).delete_record(&stale).commit().await;
    assert_eq!(
        causes(r),
        [CancelReason::VersionConflict {
            table: "wallet".into(),
            key: key("w"),
            expected: 1,
        }]
    );
    assert_eq!(wallets.get_consistent("w").await.unwrap(), Some(w));
}

#[test]
fn a_cancel_reason_says_what_failed_where() {
    let r = CancelReason::VersionConflict {
        table: "wallet".into(),
        key: key("w"),
        expected: 3,
    };
    assert_eq!(
        r.to_string(),
        "version conflict: the record holds version 3, the table another (table wallet, key id = \"w\")"
    );
    assert_eq!(
        CancelReason::AlreadyExists {
            table: "member".into(),
            key: key("ann")
        }
        .to_string(),
        "an item with this key already exists (table member, key id = \"ann\")"
    );
}

#[tokio::test]
async fn the_raw_backend_keeps_the_sdk_reasons_and_leaves_the_typed_causes_empty() {
    let db = db("wtxraw");
    MemberTable::new(&db).put(&mut member("ann", 1)).await.unwrap();
    let check = ConditionCheck::builder()
        .table_name("member")
        .key("id", s("ann"))
        .condition_expression("attribute_not_exists(id)")
        .build()
        .unwrap();
    let r = db
        .transact_write_items(
            TransactWriteItemsInput::builder()
                .transact_items(TransactWriteItem::builder().condition_check(check).build())
                .build()
                .unwrap(),
        )
        .await;
    let e = assert_err!(r, Error::TransactionCanceled { .. });
    let Error::TransactionCanceled { reasons, causes, .. } = e else {
        unreachable!()
    };
    let codes: Vec<Option<&str>> = reasons.iter().map(|r| r.code()).collect();
    assert_eq!(codes, [Some("ConditionalCheckFailed")]);
    assert_eq!(causes, []);
}
