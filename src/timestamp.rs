//! Timestamps as attributes: `std::time::SystemTime` always,
//! `chrono::DateTime<Utc>` and `chrono::NaiveDate` with the `chrono` feature,
//! `time::OffsetDateTime` with the `time` feature.
//!
//! | Rust type | DynamoDB | Stored as |
//! |---|---|---|
//! | `SystemTime`, `DateTime<Utc>`, `OffsetDateTime` | `S` | RFC 3339 in UTC, always nanoseconds: `2026-12-01T16:14:26.000000000Z` |
//! | `NaiveDate` | `S` | `2026-12-01` |
//! | [`EpochSeconds<T>`] | `N` | whole seconds since 1970-01-01T00:00:00Z (`1796141666`), the form DynamoDB's TTL reads |
//! | [`EpochMillis<T>`] | `N` | whole milliseconds since the epoch (`1796141666000`) |
//!
//! The string form has one fixed width (four-digit year, nine fraction
//! digits, `Z`), so strings sort as the instants do: a timestamp can be a
//! range key, and `between`/`<` conditions on it compare times. It holds
//! years 0000 to 9999; writing an instant outside them is an error (as an
//! epoch number it is fine). Writing never loses precision in the string
//! form; the epoch forms drop what is below a second (a millisecond), rounding
//! towards the past. An `OffsetDateTime` is stored in UTC and read back with
//! the UTC offset (the same instant).
//!
//! Reading accepts any RFC 3339 timestamp (`t` or `T`, `Z` or an offset such
//! as `+02:00`, zero to nine fraction digits, more digits truncated), so items
//! written by other programs read too; an epoch number must be an integer.
//! A stored value that is not one is a [`ConvertError`] naming the attribute
//! and the value: `attribute created: "yesterday" is not an RFC 3339 timestamp`.
//!
//! The form is chosen by the field's type, so the `dynamo_table!` DSL needs
//! nothing more; a TTL attribute is an epoch-seconds field:
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use dynamo_objects::{dynamo_table, EpochSeconds};
//!
//! dynamo_table! {
//!     session: Session {
//!         hash id: String,
//!         created: SystemTime = SystemTime::UNIX_EPOCH,
//!         expires: Option<EpochSeconds<SystemTime>>,
//!     }
//!     ttl(expires)
//! }
//! let s = Session {
//!     id: "s1".into(),
//!     created: SystemTime::UNIX_EPOCH + Duration::from_millis(1_500),
//!     expires: Some(EpochSeconds(SystemTime::UNIX_EPOCH + Duration::from_secs(86_400))),
//! };
//! # use dynamo_objects::Document;
//! let item = s.to_item()?;
//! assert_eq!(item["created"].as_s().ok().map(String::as_str), Some("1970-01-01T00:00:01.500000000Z"));
//! assert_eq!(item["expires"].as_n().ok().map(String::as_str), Some("86400"));
//! # Ok::<(), dynamo_objects::ConvertError>(())
//! ```

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::AttributeValue;

use crate::convert::{Attr, ConvertError, type_of};
use crate::record::KeyAttrType;
use crate::schema::KeyType;

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants the string form holds.
const FIRST_ISO_SEC: i64 = -62_167_219_200;
const LAST_ISO_SEC: i64 = 253_402_300_799;

/// An instant as the Unix epoch sees it: whole seconds since
/// 1970-01-01T00:00:00Z (negative before), and the nanoseconds after them
/// (always less than 1,000,000,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime {
    /// Seconds since the epoch, rounded towards the past.
    pub secs: i64,
    /// Nanoseconds after `secs`, below 1,000,000,000.
    pub nanos: u32,
}

/// A type holding an instant, convertible to and from [`UnixTime`]: what
/// the string form and the [`EpochSeconds`] and [`EpochMillis`] wrappers
/// store.
pub trait Timestamp: Sized {
    /// The Rust type's name, for errors (`"SystemTime"`).
    const NAME: &'static str;
    /// The instant.
    fn to_unix(&self) -> Result<UnixTime, ConvertError>;
    /// The value at an instant; an instant the type cannot hold is an
    /// out-of-range error.
    fn from_unix(t: UnixTime) -> Result<Self, ConvertError>;
}

fn unix_out_of_range(t: UnixTime, target: &'static str) -> ConvertError {
    ConvertError::out_of_range(format!("{}.{:09} seconds since the epoch", t.secs, t.nanos), target)
}

impl Timestamp for SystemTime {
    const NAME: &'static str = "SystemTime";
    fn to_unix(&self) -> Result<UnixTime, ConvertError> {
        let out_of_range = || ConvertError::out_of_range(format!("{self:?}"), "i64 seconds since the epoch");
        match self.duration_since(UNIX_EPOCH) {
            Ok(d) => Ok(UnixTime {
                secs: i64::try_from(d.as_secs()).map_err(|_| out_of_range())?,
                nanos: d.subsec_nanos(),
            }),
            Err(before) => {
                let d = before.duration();
                let secs = i64::try_from(d.as_secs()).map_err(|_| out_of_range())?;
                Ok(match d.subsec_nanos() {
                    0 => UnixTime { secs: -secs, nanos: 0 },
                    n => UnixTime {
                        secs: (-secs).checked_sub(1).ok_or_else(out_of_range)?,
                        nanos: NANOS_PER_SEC - n,
                    },
                })
            }
        }
    }
    fn from_unix(t: UnixTime) -> Result<Self, ConvertError> {
        let nanos = Duration::from_nanos(u64::from(t.nanos));
        let at = if t.secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::from_secs(t.secs.unsigned_abs()))
        } else {
            UNIX_EPOCH.checked_sub(Duration::from_secs(t.secs.unsigned_abs()))
        };
        at.and_then(|at| at.checked_add(nanos))
            .ok_or_else(|| unix_out_of_range(t, Self::NAME))
    }
}

#[cfg(feature = "chrono")]
impl Timestamp for chrono::DateTime<chrono::Utc> {
    const NAME: &'static str = "DateTime<Utc>";
    fn to_unix(&self) -> Result<UnixTime, ConvertError> {
        Ok(UnixTime {
            secs: self.timestamp(),
            // chrono writes a leap second as nanoseconds past 999,999,999.
            nanos: self.timestamp_subsec_nanos().min(NANOS_PER_SEC - 1),
        })
    }
    fn from_unix(t: UnixTime) -> Result<Self, ConvertError> {
        chrono::DateTime::from_timestamp(t.secs, t.nanos).ok_or_else(|| unix_out_of_range(t, Self::NAME))
    }
}

#[cfg(feature = "time")]
impl Timestamp for time::OffsetDateTime {
    const NAME: &'static str = "OffsetDateTime";
    fn to_unix(&self) -> Result<UnixTime, ConvertError> {
        Ok(UnixTime {
            secs: self.unix_timestamp(),
            nanos: self.nanosecond(),
        })
    }
    fn from_unix(t: UnixTime) -> Result<Self, ConvertError> {
        let nanos = i128::from(t.secs) * i128::from(NANOS_PER_SEC) + i128::from(t.nanos);
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| unix_out_of_range(t, Self::NAME))
    }
}

// ---------------------------------------------------------------------------
// The civil calendar (proleptic Gregorian), after Howard Hinnant's algorithms
// ---------------------------------------------------------------------------

/// Days since 1970-01-01 of a date (month 1..=12, day 1..=31).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01: (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Both in range by construction: 1..=31 and 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The digits of `b[range]` as a number, `None` unless all are ASCII digits.
fn digits(b: &[u8], from: usize, len: usize) -> Option<u32> {
    let part = b.get(from..from + len)?;
    part.iter()
        .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD` at the start of `b`: (year, month, day), a valid date.
fn parse_date(b: &[u8]) -> Option<(i64, u32, u32)> {
    let year = i64::from(digits(b, 0, 4)?);
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    (b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day))
    .then_some((year, month, day))
}

/// An RFC 3339 timestamp (`2026-12-01T16:14:26.5+01:00`), `None` if `s` is not one.
fn parse_rfc3339(s: &str) -> Option<UnixTime> {
    let b = s.as_bytes();
    let (year, month, day) = parse_date(b)?;
    if !matches!(b.get(10), Some(b'T' | b't')) || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (hour, minute, second) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(c - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let (h, m) = (digits(b, i + 1, 2)?, digits(b, i + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let secs =
        days_from_civil(year, month, day) * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second) - offset;
    Some(UnixTime { secs, nanos })
}

/// The string form of an instant: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
fn format_rfc3339(t: UnixTime, target: &'static str) -> Result<String, ConvertError> {
    if !(FIRST_ISO_SEC..=LAST_ISO_SEC).contains(&t.secs) {
        return Err(unix_out_of_range(t, target));
    }
    let (year, month, day) = civil_from_days(t.secs.div_euclid(SECS_PER_DAY));
    let sod = t.secs.rem_euclid(SECS_PER_DAY);
    Ok(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        t.nanos
    ))
}

fn not_a(what: &str, s: &str) -> ConvertError {
    ConvertError::invalid(format!("{s:?} is not {what}"))
}

/// The instant a string attribute holds.
fn read_rfc3339<T: Timestamp>(av: AttributeValue) -> Result<T, ConvertError> {
    match av {
        AttributeValue::S(s) => T::from_unix(parse_rfc3339(&s).ok_or_else(|| not_a("an RFC 3339 timestamp", &s))?),
        other => Err(ConvertError::wrong_type("S", type_of(&other))),
    }
}

/// The string form of a timestamp, as `Attr` and `KeyAttrType` (`S`).
macro_rules! rfc3339_attr {
    ($t:ty) => {
        impl Attr for $t {
            const TYPE: &'static str = "S";
            fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
                let s = format_rfc3339(self.to_unix()?, <$t as Timestamp>::NAME)?;
                Ok(Some(AttributeValue::S(s)))
            }
            fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
                read_rfc3339(av)
            }
        }
        impl KeyAttrType for $t {
            const KEY_TYPE: KeyType = KeyType::S;
        }
    };
}

rfc3339_attr!(SystemTime);
#[cfg(feature = "chrono")]
rfc3339_attr!(chrono::DateTime<chrono::Utc>);
#[cfg(feature = "time")]
rfc3339_attr!(time::OffsetDateTime);

/// `YYYY-MM-DD` (`S`): sorts as the dates do, years 0000 to 9999.
#[cfg(feature = "chrono")]
impl Attr for chrono::NaiveDate {
    const TYPE: &'static str = "S";
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        use chrono::Datelike;
        if !(0..=9999).contains(&self.year()) {
            return Err(ConvertError::out_of_range(
                self.to_string(),
                "a date of years 0000 to 9999",
            ));
        }
        Ok(Some(AttributeValue::S(format!(
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        ))))
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::S(s) => parse_date(s.as_bytes())
                .filter(|_| s.len() == 10)
                .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
                .ok_or_else(|| not_a("a date (YYYY-MM-DD)", &s)),
            other => Err(ConvertError::wrong_type("S", type_of(&other))),
        }
    }
}

#[cfg(feature = "chrono")]
impl KeyAttrType for chrono::NaiveDate {
    const KEY_TYPE: KeyType = KeyType::S;
}

// ---------------------------------------------------------------------------
// Epoch numbers
// ---------------------------------------------------------------------------

/// The epoch number an `N` attribute holds (an integer, any other number an
/// error naming it).
fn read_epoch(av: AttributeValue, unit: &str) -> Result<i64, ConvertError> {
    match av {
        AttributeValue::N(n) => n.trim().parse::<i64>().map_err(|_| not_a(unit, &n)),
        other => Err(ConvertError::wrong_type("N", type_of(&other))),
    }
}

macro_rules! epoch_wrapper {
    ($(#[$doc:meta])* $name:ident, $unit:literal, $to:expr, $from:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name<T>(pub T);

        impl<T> $name<T> {
            /// The timestamp.
            pub fn into_inner(self) -> T {
                self.0
            }
        }

        impl<T> From<T> for $name<T> {
            fn from(t: T) -> Self {
                $name(t)
            }
        }

        impl<T> Deref for $name<T> {
            type Target = T;
            fn deref(&self) -> &T {
                &self.0
            }
        }

        impl<T> DerefMut for $name<T> {
            fn deref_mut(&mut self) -> &mut T {
                &mut self.0
            }
        }

        impl<T: fmt::Display> fmt::Display for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl<T: Timestamp> Attr for $name<T> {
            const TYPE: &'static str = "N";
            fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
                let t = self.0.to_unix()?;
                let to: fn(UnixTime) -> Option<i64> = $to;
                let n = to(t).ok_or_else(|| unix_out_of_range(t, concat!("i64 ", $unit)))?;
                Ok(Some(AttributeValue::N(n.to_string())))
            }
            fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
                let from: fn(i64) -> UnixTime = $from;
                T::from_unix(from(read_epoch(av, concat!("an integer number of ", $unit))?)).map($name)
            }
        }

        impl<T: Timestamp + Clone + Send + Sync + fmt::Debug> KeyAttrType for $name<T> {
            const KEY_TYPE: KeyType = KeyType::N;
        }
    };
}

epoch_wrapper!(
    /// A timestamp stored as a number of whole seconds since the Unix epoch
    /// (`N`), the form DynamoDB's TTL reads; below a second is dropped
    /// (rounding towards the past). `EpochSeconds(SystemTime::now())`.
    EpochSeconds,
    "seconds since the epoch",
    |t| Some(t.secs),
    |secs| UnixTime { secs, nanos: 0 }
);

epoch_wrapper!(
    /// A timestamp stored as a number of whole milliseconds since the Unix
    /// epoch (`N`); below a millisecond is dropped (rounding towards the past).
    EpochMillis,
    "milliseconds since the epoch",
    |t| t.secs.checked_mul(1000)?.checked_add(i64::from(t.nanos / 1_000_000)),
    |ms| UnixTime {
        secs: ms.div_euclid(1000),
        // Below 1,000,000,000 by construction.
        nanos: (ms.rem_euclid(1000) as u32) * 1_000_000,
    }
);

/// Types a TTL attribute can have: DynamoDB's TTL reads a number of epoch
/// seconds, so integers, [`EpochSeconds`] of a timestamp, and `Option`s of
/// them. Not a timestamp's string form nor [`EpochMillis`], which DynamoDB
/// would never expire (for the `dynamo_table!` DSL to check `ttl(field)`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a TTL attribute",
    label = "DynamoDB's TTL reads epoch seconds",
    note = "use an integer type or `EpochSeconds<T>` (or an `Option` of one): a timestamp string or milliseconds never expire"
)]
pub trait TtlAttr: Attr {}

/// The attribute name of a `ttl(field)` declaration, which must be a field
/// DynamoDB's TTL can read (the DSL calls this; a string timestamp does not
/// compile).
pub fn ttl_attribute<R, T: TtlAttr>(field: &crate::expr::Field<R, T>) -> &'static str {
    field.name()
}

impl<T: Timestamp> TtlAttr for EpochSeconds<T> {}
impl<T: TtlAttr> TtlAttr for Option<T> {}
macro_rules! int_ttl {
    ($($t:ty),*) => { $(impl TtlAttr for $t {})* };
}
int_ttl!(i32, i64, i128, isize, u32, u64, u128, usize);

#[cfg(test)]
mod tests;
