//! Transactions across tables: all of the writes, or none of them.

mod cancel;
mod read;

pub use cancel::CancelReason;
pub use read::{Handle, ReadTransaction, Reads};

use cancel::{Action, Guard};

use tracing::Instrument;

use crate::Error;
use crate::backend::Backend;
use crate::database::Database;
use crate::expr::{Condition, Placeholders, Update};
use crate::record::Record;
use crate::schema::TableSchema;
use crate::sdk::*;
use crate::table::IntoKey;

/// Up to 100 writes on any declared tables, applied atomically by
/// [`Transaction::commit`]. A failed condition cancels them all with
/// [`Error::TransactionCanceled`], whose reasons are in the order the
/// actions were added; its `causes` say, per action, what failed as a
/// [`CancelReason`]: a version conflict (a stale record), an existing item
/// (a `create`), a missing one (an `update`), the caller's condition (with
/// the item as it was), or nothing.
#[must_use]
#[derive(Debug)]
pub struct Transaction {
    db: Database,
    items: Vec<Result<TransactWriteItem, Error>>,
    actions: Vec<Action>,
    schemas: Vec<&'static TableSchema>,
    token: Option<String>,
}

impl Transaction {
    /// An empty transaction on this connection.
    pub fn new(db: &Database) -> Transaction {
        Transaction {
            db: db.clone(),
            items: Vec::new(),
            actions: Vec::new(),
            schemas: Vec::new(),
            token: None,
        }
    }

    fn table<R: Record>(&mut self) -> String {
        let schema = R::schema();
        if !self.schemas.iter().any(|s| std::ptr::eq(*s, schema)) {
            self.schemas.push(schema);
        }
        schema.name.clone()
    }

    /// Writes `record` (replacing any item with its key). On a versioned
    /// table, only if the stored version is the one the record holds (as
    /// [`crate::Table::put`]); the item is written at that version + 1 (the
    /// record passed in is not changed).
    pub fn put<R: Record>(self, record: &R) -> Transaction {
        let version = crate::table::version_condition(record);
        let guard = Action::record_guard(record);
        self.put_with(record, version, Some(record.version() + 1), guard)
    }

    /// Like [`Transaction::put`], if `condition` also holds.
    pub fn put_if<R: Record>(self, record: &R, condition: Condition<R>) -> Transaction {
        let condition = match crate::table::version_condition(record) {
            Some(version) => version.and(condition),
            None => condition,
        };
        let guard = Action::record_guard(record);
        self.put_with(record, Some(condition), Some(record.version() + 1), guard)
    }

    /// Writes `record` only if no item has its key (at version 1 on a
    /// versioned table).
    pub fn create<R: Record>(self, record: &R) -> Transaction {
        self.put_with(record, Some(crate::table::item_absent::<R>()), Some(1), Guard::Absent)
    }

    fn put_with<R: Record>(
        mut self,
        record: &R,
        condition: Option<Condition<R>>,
        version: Option<u64>,
        guard: Guard,
    ) -> Transaction {
        let table = self.table::<R>();
        self.actions.push(Action::new::<R>(&record.key(), guard));
        let item = (|| {
            let mut r = record.clone();
            r.check()?;
            if let (Some(v), Some(_)) = (version, R::version_attribute()) {
                r.set_version(v);
            }
            let mut ph = Placeholders::new();
            let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
            let (names, values) = ph.into_maps();
            let put = Put::builder()
                .table_name(table)
                .set_item(Some(r.to_item()?))
                .set_condition_expression(cond)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()?;
            Ok(TransactWriteItem::builder().put(put).build())
        })();
        self.items.push(item);
        self
    }

    /// Applies `update` to the item with `key`, which must exist (a missing
    /// item cancels the transaction with a failed condition, as
    /// [`crate::Table::update`]). On a versioned table it bumps the version.
    pub fn update<R: Record>(self, key: impl IntoKey<R::Key>, update: Update<R>) -> Transaction {
        self.update_with::<R>(
            key.into_key(),
            update,
            Some(crate::table::item_exists::<R>()),
            Guard::Exists,
        )
    }

    /// Like [`Transaction::update`], if `condition` also holds.
    pub fn update_if<R: Record>(
        self,
        key: impl IntoKey<R::Key>,
        update: Update<R>,
        condition: Condition<R>,
    ) -> Transaction {
        self.update_with::<R>(
            key.into_key(),
            update,
            Some(crate::table::item_exists::<R>().and(condition)),
            Guard::Exists,
        )
    }

    /// Applies `update`, creating the item if there is none (as
    /// [`crate::Table::upsert`]). On a versioned table it bumps the version.
    pub fn upsert<R: Record>(self, key: impl IntoKey<R::Key>, update: Update<R>) -> Transaction {
        self.update_with::<R>(key.into_key(), update, None, Guard::Condition)
    }

    fn update_with<R: Record>(
        mut self,
        key: R::Key,
        update: Update<R>,
        condition: Option<Condition<R>>,
        guard: Guard,
    ) -> Transaction {
        let table = self.table::<R>();
        self.actions.push(Action::new::<R>(&key, guard));
        let item = (|| {
            let mut ph = Placeholders::new();
            let expr = update.and(crate::table::version_bump::<R>()).render(&mut ph)?;
            let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
            let (names, values) = ph.into_maps();
            let u = aws_sdk_dynamodb::types::Update::builder()
                .table_name(table)
                .set_key(Some(R::key_item(&key)?))
                .update_expression(expr)
                .set_condition_expression(cond)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()?;
            Ok(TransactWriteItem::builder().update(u).build())
        })();
        self.items.push(item);
        self
    }

    /// Deletes the item with `key`, whatever version it holds.
    pub fn delete<R: Record>(self, key: impl IntoKey<R::Key>) -> Transaction {
        self.delete_with::<R>(key.into_key(), None, Guard::Condition)
    }

    /// Deletes the record with `key` if `condition` holds.
    pub fn delete_if<R: Record>(self, key: impl IntoKey<R::Key>, condition: Condition<R>) -> Transaction {
        self.delete_with::<R>(key.into_key(), Some(condition), Guard::Condition)
    }

    /// Deletes the item of `record`; on a versioned table, only if the
    /// stored version is the one the record holds (as
    /// [`crate::Table::delete_record`]).
    pub fn delete_record<R: Record>(self, record: &R) -> Transaction {
        let version = crate::table::version_condition(record);
        self.delete_with::<R>(record.key(), version, Action::record_guard(record))
    }

    fn delete_with<R: Record>(mut self, key: R::Key, condition: Option<Condition<R>>, guard: Guard) -> Transaction {
        let table = self.table::<R>();
        self.actions.push(Action::new::<R>(&key, guard));
        let item = (|| {
            let mut ph = Placeholders::new();
            let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
            let (names, values) = ph.into_maps();
            let d = Delete::builder()
                .table_name(table)
                .set_key(Some(R::key_item(&key)?))
                .set_condition_expression(cond)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()?;
            Ok(TransactWriteItem::builder().delete(d).build())
        })();
        self.items.push(item);
        self
    }

    /// Requires `condition` to hold for the record with `key`, writing
    /// nothing to it.
    pub fn check<R: Record>(mut self, key: impl IntoKey<R::Key>, condition: Condition<R>) -> Transaction {
        let table = self.table::<R>();
        let key = key.into_key();
        self.actions.push(Action::new::<R>(&key, Guard::Condition));
        let item = (|| {
            let mut ph = Placeholders::new();
            let cond = condition.render(&mut ph)?;
            let (names, values) = ph.into_maps();
            let c = ConditionCheck::builder()
                .table_name(table)
                .set_key(Some(R::key_item(&key)?))
                .condition_expression(cond)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                .build()?;
            Ok(TransactWriteItem::builder().condition_check(c).build())
        })();
        self.items.push(item);
        self
    }

    /// An idempotency token: the same transaction sent again with the same
    /// token within 10 minutes is applied once.
    pub fn token(mut self, token: impl Into<String>) -> Transaction {
        self.token = Some(token.into());
        self
    }

    /// Applies every write, or none. A cancelled transaction is
    /// [`Error::TransactionCanceled`] with a typed cause per action.
    pub async fn commit(self) -> Result<(), Error> {
        let span = crate::trace::transaction_call("write", self.actions.len());
        self.commit_untraced().instrument(span).await
    }

    async fn commit_untraced(self) -> Result<(), Error> {
        for s in &self.schemas {
            self.db.ensure_table(s).await?;
        }
        let items = self.items.into_iter().collect::<Result<Vec<_>, _>>()?;
        self.db
            .transact_write_items(
                TransactWriteItemsInput::builder()
                    .set_transact_items(Some(items))
                    .set_client_request_token(self.token)
                    .build()?,
            )
            .await
            .map(|_| ())
            .map_err(|e| cancel::with_causes(e, &self.actions))
    }
}
