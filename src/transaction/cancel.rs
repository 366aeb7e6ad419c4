//! Typed cancellation reasons: what each action of a cancelled transaction
//! ran into, told apart by what its condition checked.

use std::fmt;

use aws_sdk_dynamodb::types::CancellationReason;

use crate::record::{Record, key_text};
use crate::{Error, Item};

/// Why one action of a cancelled transaction failed (or
/// [`CancelReason::None`] when it did not: it was cancelled because another
/// action failed). One per action, in the order the actions were added, in
/// the `causes` of [`Error::TransactionCanceled`].
///
/// `table` is the table's name without prefix; `key` the item's key as
/// `id = "ann"` or `player = "ann", game = 3` (as [`crate::Message::key`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CancelReason {
    /// This action did not fail.
    None,
    /// The caller's condition (of a `put_if`, `update_if`, `delete_if`,
    /// `check`) was false.
    ConditionFailed {
        /// The table's name, without prefix.
        table: String,
        /// The item's key.
        key: String,
        /// The item as it was (`None`: there was no item). Decode it with
        /// [`CancelReason::old_record`].
        old: Option<Item>,
    },
    /// A write made from a record (`put`, `put_if`, `delete_record`) on a
    /// versioned table found another version than the record's.
    VersionConflict {
        /// The table's name, without prefix.
        table: String,
        /// The item's key.
        key: String,
        /// The version the record held.
        expected: u64,
    },
    /// A `create` found an item with the same key.
    AlreadyExists {
        /// The table's name, without prefix.
        table: String,
        /// The item's key.
        key: String,
    },
    /// An `update` or `update_if` found no item with its key.
    NotFound {
        /// The table's name, without prefix.
        table: String,
        /// The item's key.
        key: String,
    },
    /// The table's or the account's throughput was exceeded
    /// (`ThrottlingError`, `ProvisionedThroughputExceeded`).
    Throttled,
    /// Another transaction (or write) was in progress on the item
    /// (`TransactionConflict`): worth retrying.
    TransactionConflict,
    /// The action is invalid (`ValidationError`), with DynamoDB's message.
    Validation(String),
    /// Any other reason DynamoDB gave (e.g. `ItemCollectionSizeLimitExceeded`).
    Other {
        /// DynamoDB's reason code.
        code: String,
        /// DynamoDB's message, if any.
        message: Option<String>,
    },
}

impl CancelReason {
    /// The old record of a [`CancelReason::ConditionFailed`] decoded as `R`
    /// (the record type of the action): `None` for other reasons and when
    /// there was no item; an error naming table and key when the item is not
    /// a whole `R`.
    pub fn old_record<R: Record>(&self) -> Option<Result<R, Error>> {
        match self {
            CancelReason::ConditionFailed { old: Some(item), .. } => Some(crate::table::record_from::<R>(item.clone())),
            _ => None,
        }
    }

    /// True for [`CancelReason::None`]: the action itself did not fail.
    pub fn is_none(&self) -> bool {
        matches!(self, CancelReason::None)
    }
}

impl fmt::Display for CancelReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CancelReason::None => f.write_str("not failed"),
            CancelReason::ConditionFailed { table, key, .. } => {
                write!(f, "condition failed (table {table}, key {key})")
            }
            CancelReason::VersionConflict { table, key, expected } => write!(
                f,
                "version conflict: the record holds version {expected}, the table another (table {table}, key {key})"
            ),
            CancelReason::AlreadyExists { table, key } => {
                write!(f, "an item with this key already exists (table {table}, key {key})")
            }
            CancelReason::NotFound { table, key } => write!(f, "no item with this key (table {table}, key {key})"),
            CancelReason::Throttled => f.write_str("throttled"),
            CancelReason::TransactionConflict => f.write_str("transaction conflict"),
            CancelReason::Validation(m) => write!(f, "validation error: {m}"),
            CancelReason::Other { code, message: Some(m) } => write!(f, "{code}: {m}"),
            CancelReason::Other { code, message: None } => f.write_str(code),
        }
    }
}

/// What the condition of one action checks, so that a
/// `ConditionalCheckFailed` can be told apart.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Guard {
    /// The caller's condition, if any (also reads: nothing to tell apart).
    Condition,
    /// The stored version is `held` (and the caller's condition, if any).
    Version {
        /// The version the record held.
        held: u64,
        /// The table's version attribute.
        stored: fn(&Item) -> u64,
    },
    /// No item has the key (a create).
    Absent,
    /// The item exists (and the caller's condition, if any): an update.
    Exists,
}

/// One action of a transaction, as its cancellation reason names it.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    table: String,
    key: String,
    guard: Guard,
}

impl Action {
    /// The action on `R`'s table for the item with `key`.
    pub(crate) fn new<R: Record>(key: &R::Key, guard: Guard) -> Action {
        Action {
            table: R::schema().name.clone(),
            key: R::key_item(key)
                .ok()
                .as_ref()
                .and_then(key_text::<R>)
                .unwrap_or_default(),
            guard,
        }
    }

    /// The guard of a write made from a record: its version check on a
    /// versioned table, otherwise the caller's condition.
    pub(crate) fn record_guard<R: Record>(record: &R) -> Guard {
        match R::version_attribute() {
            Some(_) => Guard::Version {
                held: record.version(),
                stored: crate::table::stored_version::<R>,
            },
            None => Guard::Condition,
        }
    }

    /// The typed reason of this action's raw `reason`.
    fn typed(&self, reason: &CancellationReason) -> CancelReason {
        let (table, key) = (self.table.clone(), self.key.clone());
        let old = reason.item().filter(|i| !i.is_empty()).cloned();
        match reason.code() {
            Some("ConditionalCheckFailed") => match self.guard {
                Guard::Absent => CancelReason::AlreadyExists { table, key },
                Guard::Exists if old.is_none() => CancelReason::NotFound { table, key },
                // The version condition holds for version 0 and no item, and
                // for a stored version equal to the held one (as
                // `Table::put`): then the caller's condition is what failed.
                Guard::Version { held, stored } if old.as_ref().map_or(0, stored) != held => {
                    CancelReason::VersionConflict {
                        table,
                        key,
                        expected: held,
                    }
                }
                _ => CancelReason::ConditionFailed { table, key, old },
            },
            _ => untyped(reason),
        }
    }
}

/// The typed reason of a raw `reason` whose code says all there is to say
/// (any but `ConditionalCheckFailed`, which needs the action).
fn untyped(reason: &CancellationReason) -> CancelReason {
    match reason.code() {
        None | Some("None") => CancelReason::None,
        Some("ThrottlingError" | "ProvisionedThroughputExceeded" | "RequestLimitExceeded") => CancelReason::Throttled,
        Some("TransactionConflict") => CancelReason::TransactionConflict,
        Some("ValidationError") => CancelReason::Validation(reason.message().unwrap_or_default().to_string()),
        Some(code) => CancelReason::Other {
            code: code.to_string(),
            message: reason.message().map(str::to_string),
        },
    }
}

/// `e` with typed causes when it is a cancellation: one per raw reason, by
/// the action at the same place in `actions`.
pub(crate) fn with_causes(e: Error, actions: &[Action]) -> Error {
    match e {
        Error::TransactionCanceled { message, reasons, .. } => {
            let causes = reasons
                .iter()
                .enumerate()
                .map(|(i, r)| match actions.get(i) {
                    Some(a) => a.typed(r),
                    None => untyped(r),
                })
                .collect();
            Error::TransactionCanceled {
                message,
                reasons,
                causes,
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::AttributeValue;

    fn raw(code: &str, message: Option<&str>, item: Option<Item>) -> CancellationReason {
        CancellationReason::builder()
            .code(code)
            .set_message(message.map(str::to_string))
            .set_item(item)
            .build()
    }

    fn action(guard: Guard) -> Action {
        Action {
            table: "wallet".into(),
            key: "id = \"w\"".into(),
            guard,
        }
    }

    fn version_in(item: &Item) -> u64 {
        match item.get("version") {
            Some(AttributeValue::N(n)) => n.parse().unwrap_or(0),
            _ => 0,
        }
    }

    fn at(version: &str) -> Item {
        [
            ("id".to_string(), AttributeValue::S("w".into())),
            ("version".to_string(), AttributeValue::N(version.into())),
        ]
        .into()
    }

    const CCF: &str = "ConditionalCheckFailed";

    #[test]
    fn codes_that_need_no_action_map_to_their_reason() {
        let a = action(Guard::Condition);
        assert_eq!(a.typed(&raw("None", None, None)), CancelReason::None);
        assert_eq!(a.typed(&CancellationReason::builder().build()), CancelReason::None);
        assert_eq!(a.typed(&raw("ThrottlingError", None, None)), CancelReason::Throttled);
        assert_eq!(
            a.typed(&raw("ProvisionedThroughputExceeded", None, None)),
            CancelReason::Throttled
        );
        assert_eq!(
            a.typed(&raw(
                "TransactionConflict",
                Some("Transaction is ongoing for the item"),
                None
            )),
            CancelReason::TransactionConflict
        );
        assert_eq!(
            a.typed(&raw(
                "ValidationError",
                Some("Item size has exceeded the maximum allowed size"),
                None
            )),
            CancelReason::Validation("Item size has exceeded the maximum allowed size".into())
        );
        assert_eq!(
            a.typed(&raw("ItemCollectionSizeLimitExceeded", Some("too big"), None)),
            CancelReason::Other {
                code: "ItemCollectionSizeLimitExceeded".into(),
                message: Some("too big".into())
            }
        );
    }

    #[test]
    fn a_failed_condition_is_told_apart_by_what_the_action_checked() {
        let (table, key) = ("wallet".to_string(), "id = \"w\"".to_string());
        let versioned = |held| {
            action(Guard::Version {
                held,
                stored: version_in,
            })
        };
        // The stored version differs from the held one: a conflict, also
        // when there is no item any more.
        assert_eq!(
            versioned(1).typed(&raw(CCF, None, Some(at("2")))),
            CancelReason::VersionConflict {
                table: table.clone(),
                key: key.clone(),
                expected: 1
            }
        );
        assert_eq!(
            versioned(1).typed(&raw(CCF, None, None)),
            CancelReason::VersionConflict {
                table: table.clone(),
                key: key.clone(),
                expected: 1
            }
        );
        // The version held: the caller's condition failed.
        assert_eq!(
            versioned(2).typed(&raw(CCF, None, Some(at("2")))),
            CancelReason::ConditionFailed {
                table: table.clone(),
                key: key.clone(),
                old: Some(at("2"))
            }
        );
        assert_eq!(
            versioned(0).typed(&raw(CCF, None, None)),
            CancelReason::ConditionFailed {
                table: table.clone(),
                key: key.clone(),
                old: None
            }
        );
        assert_eq!(
            action(Guard::Absent).typed(&raw(CCF, None, Some(at("1")))),
            CancelReason::AlreadyExists {
                table: table.clone(),
                key: key.clone()
            }
        );
        assert_eq!(
            action(Guard::Exists).typed(&raw(CCF, None, None)),
            CancelReason::NotFound {
                table: table.clone(),
                key: key.clone()
            }
        );
        // An update of an existing item whose own condition failed.
        assert_eq!(
            action(Guard::Exists).typed(&raw(CCF, None, Some(at("4")))),
            CancelReason::ConditionFailed {
                table,
                key,
                old: Some(at("4"))
            }
        );
    }

    #[test]
    fn a_cancellation_gets_one_cause_per_reason_and_other_errors_are_left_as_they_are() {
        let e = Error::TransactionCanceled {
            message: "Transaction cancelled".into(),
            reasons: vec![raw("None", None, None), raw(CCF, None, None)],
            causes: Vec::new(),
        };
        let Error::TransactionCanceled { causes, reasons, .. } = with_causes(e, &[action(Guard::Condition)]) else {
            panic!("not a cancellation any more");
        };
        assert_eq!(reasons.len(), 2);
        // A reason beyond the actions keeps its raw code.
        assert_eq!(
            causes,
            [
                CancelReason::None,
                CancelReason::Other {
                    code: CCF.into(),
                    message: None
                }
            ]
        );
        let other = Error::Validation("bad".into());
        assert_eq!(with_causes(other.clone(), &[]), other);
    }
}
