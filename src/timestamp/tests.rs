use super::*;

fn at(secs: i64, nanos: u32) -> SystemTime {
    match SystemTime::from_unix(UnixTime { secs, nanos }) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    }
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

#[test]
fn system_time_is_stored_as_rfc3339_utc_with_nine_fraction_digits_and_read_back_exactly() {
    let t = at(1_796_141_666, 123_456_789);
    assert_eq!(t.to_attr(), Ok(Some(s("2026-12-01T16:14:26.123456789Z"))));
    assert_eq!(SystemTime::from_attr(s("2026-12-01T16:14:26.123456789Z")), Ok(t));
    assert_eq!(UNIX_EPOCH.to_attr(), Ok(Some(s("1970-01-01T00:00:00.000000000Z"))));
    // Before the epoch, with a fraction.
    let before = UNIX_EPOCH - Duration::from_millis(1);
    assert_eq!(before.to_attr(), Ok(Some(s("1969-12-31T23:59:59.999000000Z"))));
    assert_eq!(SystemTime::from_attr(s("1969-12-31T23:59:59.999Z")), Ok(before));
    assert_eq!(
        at(FIRST_ISO_SEC, 0).to_attr(),
        Ok(Some(s("0000-01-01T00:00:00.000000000Z")))
    );
    assert_eq!(
        at(LAST_ISO_SEC, 999_999_999).to_attr(),
        Ok(Some(s("9999-12-31T23:59:59.999999999Z")))
    );
    assert_eq!(
        at(951_782_400, 0).to_attr(),
        Ok(Some(s("2000-02-29T00:00:00.000000000Z")))
    );
}

#[test]
fn the_string_form_sorts_as_the_instants_do() {
    let times = [
        at(FIRST_ISO_SEC, 0),
        at(-1, 999_999_999),
        at(0, 0),
        at(0, 1),
        at(9, 0),
        at(10, 0),
        at(1_796_141_666, 0),
        at(LAST_ISO_SEC, 0),
    ];
    let strings: Vec<String> = times
        .iter()
        .map(|t| match t.to_attr() {
            Ok(Some(AttributeValue::S(s))) => s,
            other => panic!("{other:?}"),
        })
        .collect();
    let mut sorted = strings.clone();
    sorted.sort();
    assert_eq!(strings, sorted);
}

#[test]
fn any_rfc3339_timestamp_is_read_offsets_and_short_fractions_included() {
    let t = at(1_796_141_666, 500_000_000);
    for text in [
        "2026-12-01T16:14:26.5Z",
        "2026-12-01t16:14:26.500z",
        "2026-12-01T17:14:26.5+01:00",
        "2026-12-01T11:44:26.5000000001-04:30",
    ] {
        assert_eq!(SystemTime::from_attr(s(text)), Ok(t), "{text}");
    }
    assert_eq!(
        SystemTime::from_attr(s("2026-12-01T16:14:26Z")),
        Ok(at(1_796_141_666, 0))
    );
}

#[test]
fn a_stored_value_that_is_not_a_timestamp_is_an_error_naming_the_value() {
    for bad in [
        "yesterday",
        "2026-12-01",
        "2026-12-01T16:14:26",
        "2026-02-30T00:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T16:14:26.Z",
        "2026-12-01T16:14:26Z ",
        "2026-12-01T16:14:26+0100",
        "２026-12-01T16:14:26Z",
    ] {
        let err = SystemTime::from_attr(s(bad)).unwrap_err();
        assert_eq!(err.to_string(), format!("{bad:?} is not an RFC 3339 timestamp"));
    }
    assert_eq!(
        SystemTime::from_attr(AttributeValue::N("1".into()))
            .unwrap_err()
            .to_string(),
        "expected S, found N"
    );
}

#[test]
fn an_instant_past_year_9999_is_refused_as_a_string_but_stored_as_epoch_seconds() {
    let far = at(LAST_ISO_SEC + 1, 0);
    assert_eq!(
        far.to_attr().unwrap_err().to_string(),
        "value 253402300800.000000000 seconds since the epoch out of range for SystemTime"
    );
    assert_eq!(
        EpochSeconds(far).to_attr(),
        Ok(Some(AttributeValue::N("253402300800".into())))
    );
}

#[test]
fn epoch_seconds_and_millis_round_towards_the_past_and_read_integers_only() {
    let t = at(1_796_141_666, 999_999_999);
    assert_eq!(
        EpochSeconds(t).to_attr(),
        Ok(Some(AttributeValue::N("1796141666".into())))
    );
    assert_eq!(
        EpochMillis(t).to_attr(),
        Ok(Some(AttributeValue::N("1796141666999".into())))
    );
    let before = UNIX_EPOCH - Duration::from_millis(1500);
    assert_eq!(EpochSeconds(before).to_attr(), Ok(Some(AttributeValue::N("-2".into()))));
    assert_eq!(
        EpochMillis(before).to_attr(),
        Ok(Some(AttributeValue::N("-1500".into())))
    );
    assert_eq!(
        EpochMillis::<SystemTime>::from_attr(AttributeValue::N("-1500".into())),
        Ok(EpochMillis(before))
    );
    assert_eq!(
        EpochSeconds::<SystemTime>::from_attr(AttributeValue::N("1796141666".into())),
        Ok(EpochSeconds(at(1_796_141_666, 0)))
    );
    assert_eq!(
        EpochSeconds::<SystemTime>::from_attr(AttributeValue::N("1.5".into()))
            .unwrap_err()
            .to_string(),
        "\"1.5\" is not an integer number of seconds since the epoch"
    );
    assert_eq!(
        EpochMillis::<SystemTime>::from_attr(AttributeValue::S("1".into()))
            .unwrap_err()
            .to_string(),
        "expected N, found S"
    );
}

#[test]
fn epoch_seconds_and_integers_can_be_ttl_attributes() {
    fn ttl<T: TtlAttr>() -> &'static str {
        T::TYPE
    }
    assert_eq!(ttl::<Option<EpochSeconds<SystemTime>>>(), "N");
    assert_eq!(ttl::<u64>(), "N");
    assert_eq!(ttl::<Option<i64>>(), "N");
}

#[test]
fn the_calendar_agrees_with_itself_over_ten_thousand_years() {
    let mut day = days_from_civil(0, 1, 1);
    let last = days_from_civil(9999, 12, 31);
    assert_eq!(day * SECS_PER_DAY, FIRST_ISO_SEC);
    assert_eq!(last * SECS_PER_DAY + SECS_PER_DAY - 1, LAST_ISO_SEC);
    let mut expected = (0i64, 1u32, 1u32);
    while day <= last {
        assert_eq!(civil_from_days(day), expected);
        let (y, m, d) = expected;
        expected = if d < days_in_month(y, m) {
            (y, m, d + 1)
        } else if m < 12 {
            (y, m + 1, 1)
        } else {
            (y + 1, 1, 1)
        };
        day += 1;
    }
}

#[cfg(feature = "chrono")]
#[test]
fn chrono_datetimes_and_dates_are_stored_like_system_time_and_as_yyyy_mm_dd() {
    use chrono::{DateTime, NaiveDate, Utc};
    let t = DateTime::<Utc>::from_timestamp(1_796_141_666, 120).unwrap_or_default();
    assert_eq!(t.to_attr(), Ok(Some(s("2026-12-01T16:14:26.000000120Z"))));
    assert_eq!(
        DateTime::<Utc>::from_attr(s("2026-12-01T17:14:26.00000012+01:00")),
        Ok(t)
    );
    assert_eq!(
        EpochMillis(t).to_attr(),
        Ok(Some(AttributeValue::N("1796141666000".into())))
    );
    let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default();
    assert_eq!(d.to_attr(), Ok(Some(s("2024-02-29"))));
    assert_eq!(NaiveDate::from_attr(s("2024-02-29")), Ok(d));
    assert_eq!(
        NaiveDate::from_attr(s("2023-02-29")).unwrap_err().to_string(),
        "\"2023-02-29\" is not a date (YYYY-MM-DD)"
    );
    assert_eq!(
        NaiveDate::from_attr(s("2024-02-29T00:00:00Z")).unwrap_err().to_string(),
        "\"2024-02-29T00:00:00Z\" is not a date (YYYY-MM-DD)"
    );
}

#[cfg(feature = "time")]
#[test]
fn time_offset_datetimes_are_stored_in_utc_and_read_back_as_the_same_instant() {
    use time::{OffsetDateTime, UtcOffset};
    let utc = OffsetDateTime::from_unix_timestamp(1_796_141_666).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let plus2 = utc.to_offset(UtcOffset::from_hms(2, 0, 0).unwrap_or(UtcOffset::UTC));
    assert_eq!(plus2.to_attr(), Ok(Some(s("2026-12-01T16:14:26.000000000Z"))));
    let back = OffsetDateTime::from_attr(s("2026-12-01T18:14:26+02:00"));
    assert_eq!(back, Ok(utc));
    assert_eq!(back.map(|t| t.offset()), Ok(UtcOffset::UTC));
    assert_eq!(
        EpochSeconds(plus2).to_attr(),
        Ok(Some(AttributeValue::N("1796141666".into())))
    );
}
