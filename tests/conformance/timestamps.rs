//! Timestamps as attributes (issue 14 point 3), on both backends: the
//! stored forms, a timestamp range key, unreadable stored values, and a
//! timestamp TTL field.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate, Utc};
use dynamo_objects::sdk::*;
use dynamo_objects::testing::TestDb;
use dynamo_objects::{Backend, EpochMillis, EpochSeconds, Error, dynamo_table};
use time::OffsetDateTime;

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    /// Every timestamp type, in every form.
    stamp: Stamp {
        hash id: String,
        at: SystemTime = UNIX_EPOCH,
        chrono_at: DateTime<Utc> = DateTime::<Utc>::UNIX_EPOCH,
        day: Option<NaiveDate>,
        time_at: OffsetDateTime = OffsetDateTime::UNIX_EPOCH,
        at_secs: EpochSeconds<SystemTime> = EpochSeconds(UNIX_EPOCH),
        at_millis: EpochMillis<DateTime<Utc>> = EpochMillis(DateTime::<Utc>::UNIX_EPOCH),
    }

    /// Readings of a sensor, by time.
    reading: Reading { hash sensor: String, range at: SystemTime = UNIX_EPOCH, value: i64 }

    /// Events by epoch milliseconds.
    tick: Tick { hash stream: String, range at: EpochMillis<OffsetDateTime> = EpochMillis(OffsetDateTime::UNIX_EPOCH) }

    /// A session that DynamoDB's TTL expires.
    session: Session { hash id: String, expires: Option<EpochSeconds<SystemTime>> }
    ttl(expires)
}

fn at(secs: u64, nanos: u32) -> SystemTime {
    UNIX_EPOCH + Duration::new(secs, nanos)
}

fn chrono_at(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(secs, nanos).unwrap_or_else(|| panic!("{secs}"))
}

#[tokio::test]
async fn timestamps_are_stored_in_their_declared_forms_and_read_back_exactly() {
    let db = db("stamp");
    let stamps = StampTable::new(&db);
    let when = at(1_796_141_666, 123_456_789);
    let mut s = Stamp {
        id: "s1".into(),
        at: when,
        chrono_at: chrono_at(1_796_141_666, 120),
        day: NaiveDate::from_ymd_opt(2024, 2, 29),
        time_at: OffsetDateTime::from_unix_timestamp_nanos(1_796_141_666_000_000_007).unwrap_or_else(|e| panic!("{e}")),
        at_secs: EpochSeconds(when),
        at_millis: EpochMillis(chrono_at(1_796_141_666, 987_654_321)),
    };
    stamps.put(&mut s).await.unwrap();
    let raw = db
        .get_item(
            GetItemInput::builder()
                .table_name("stamp")
                .key("id", s_("s1"))
                .consistent_read(true)
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .item
        .unwrap_or_default();
    assert_eq!(
        raw,
        item(&[
            ("id", s_("s1")),
            ("at", s_("2026-12-01T16:14:26.123456789Z")),
            ("chrono_at", s_("2026-12-01T16:14:26.000000120Z")),
            ("day", s_("2024-02-29")),
            ("time_at", s_("2026-12-01T16:14:26.000000007Z")),
            ("at_secs", n("1796141666")),
            ("at_millis", n("1796141666987")),
        ])
    );
    let back = stamps.get_consistent("s1").await.unwrap().unwrap();
    // The epoch forms drop what is below their unit; the others are exact.
    s.at_secs = EpochSeconds(at(1_796_141_666, 0));
    s.at_millis = EpochMillis(chrono_at(1_796_141_666, 987_000_000));
    assert_eq!(back, s);
}

#[tokio::test]
async fn a_timestamp_range_key_orders_a_query_by_time_and_bounds_it_by_time() {
    let db = db("reading");
    let readings = ReadingTable::new(&db);
    // Written out of order; 9 s and 10 s apart sort as times, not as text.
    for (secs, value) in [(10, 3), (1_796_141_666, 4), (9, 2), (0, 1)] {
        readings
            .put(&mut Reading {
                sensor: "a".into(),
                at: at(secs, 0),
                value,
            })
            .await
            .unwrap();
    }
    let all = readings.query("a").all().await.unwrap();
    assert_eq!(all.iter().map(|r| r.value).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let some = readings
        .query("a")
        .range(Reading::AT.between(at(9, 0), at(10, 0)))
        .all()
        .await
        .unwrap();
    assert_eq!(some.iter().map(|r| r.value).collect::<Vec<_>>(), [2, 3]);

    let ticks = TickTable::new(&db);
    let ms = |ms: i128| OffsetDateTime::from_unix_timestamp_nanos(ms * 1_000_000).unwrap_or_else(|e| panic!("{e}"));
    for m in [1_000, -5, 20] {
        ticks
            .put(&mut Tick {
                stream: "t".into(),
                at: EpochMillis(ms(m)),
            })
            .await
            .unwrap();
    }
    let got = ticks
        .query("t")
        .range(Tick::AT.gt(EpochMillis(ms(0))))
        .all()
        .await
        .unwrap();
    assert_eq!(
        got.into_iter().map(|t| t.at).collect::<Vec<_>>(),
        [EpochMillis(ms(20)), EpochMillis(ms(1_000))]
    );
    assert_eq!(
        ticks
            .get(("t".to_string(), EpochMillis(ms(-5))))
            .await
            .unwrap()
            .map(|t| t.at),
        Some(EpochMillis(ms(-5)))
    );
}

#[tokio::test]
async fn a_stored_value_that_is_not_a_timestamp_is_a_conversion_error_naming_the_attribute_and_the_value() {
    let db = db("stamp_bad");
    let stamps = StampTable::new(&db);
    stamps.ensure().await.unwrap();
    for (attr, value, message) in [
        (
            "at",
            s_("yesterday"),
            r#"attribute at: "yesterday" is not an RFC 3339 timestamp"#,
        ),
        (
            "day",
            s_("2023-02-29"),
            r#"attribute day: "2023-02-29" is not a date (YYYY-MM-DD)"#,
        ),
        (
            "at_secs",
            n("1.5"),
            r#"attribute at_secs: "1.5" is not an integer number of seconds since the epoch"#,
        ),
        ("time_at", n("1"), "attribute time_at: expected S, found N"),
    ] {
        db.put_item(
            PutItemInput::builder()
                .table_name("stamp")
                .set_item(Some(item(&[("id", s_("bad")), (attr, value)])))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        let err = assert_err!(stamps.get_consistent("bad").await, Error::Conversion(_));
        assert_eq!(
            err.to_string(),
            format!("conversion error: {message} (table stamp, key id = \"bad\")")
        );
    }
}

#[tokio::test]
async fn an_epoch_seconds_ttl_field_turns_ttl_on_and_expired_items_are_swept_at_the_time_given() {
    let t = TestDb::new().unwrap();
    let sessions = SessionTable::new(&t);
    let now = SystemTime::now();
    let hour = Duration::from_secs(3600);
    for (id, expires) in [("old", Some(now - hour)), ("new", Some(now + hour)), ("never", None)] {
        sessions
            .put(&mut Session {
                id: id.into(),
                expires: expires.map(EpochSeconds),
            })
            .await
            .unwrap();
    }
    let ttl = t
        .describe_time_to_live(
            DescribeTimeToLiveInput::builder()
                .table_name("session")
                .build()
                .unwrap(),
        )
        .await
        .unwrap()
        .time_to_live_description
        .unwrap_or_else(|| panic!("no TTL description"));
    assert_eq!(ttl.attribute_name(), Some("expires"));
    assert_eq!(ttl.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));
    let ids = || async {
        let mut ids: Vec<String> = sessions
            .scan()
            .consistent()
            .all()
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        ids.sort();
        ids
    };
    if on_local() {
        // DynamoDB Local's deletion is not driven by tests.
        assert_eq!(t.expire_items_at(now), None);
    } else {
        assert_eq!(t.expire_items_at(now), Some(1));
        assert_eq!(ids().await, ["never", "new"]);
        assert_eq!(t.expire_items_at(now + 2 * hour), Some(1));
        assert_eq!(ids().await, ["never"]);
    }
    assert_eq!(t.cleanup().await.unwrap(), ["session"]);
}

fn s_(v: &str) -> AttributeValue {
    s(v)
}
