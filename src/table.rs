//! [`Table`]: the typed API over one declared table.
//!
//! `dynamo_table!` declares `type StoreTable = Table<Store>`; everything here
//! is generic over the [`Record`] the DSL implements. Every operation makes
//! sure the table exists first (created on first use, once per connection).

use std::marker::PhantomData;

use crate::backend::Backend;
use crate::convert::{Attr, ConvertError};
use crate::database::Database;
use crate::expr::{Condition, Placeholders, Update};
use crate::record::{Record, at_key};
use crate::sdk::*;
use crate::{Error, Item};

/// A typed handle on the table of records `R`. Cheap to clone.
pub struct Table<R: Record> {
    db: Database,
    _marker: PhantomData<fn() -> R>,
}

impl<R: Record> Clone for Table<R> {
    fn clone(&self) -> Self {
        Table {
            db: self.db.clone(),
            _marker: PhantomData,
        }
    }
}

impl<R: Record> std::fmt::Debug for Table<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Table({})", R::schema().name)
    }
}

/// Runs the record's check hook on a copy, so the caller's record is left
/// as it was when the hook fails.
fn checked<R: Record>(record: &R) -> Result<R, Error> {
    let mut r = record.clone();
    r.check()?;
    Ok(r)
}

fn version_value(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl<R: Record> Table<R> {
    /// The table of `R` on this connection. Nothing is sent until the first
    /// operation, which creates the table if it does not exist.
    pub fn new(db: &Database) -> Table<R> {
        Table {
            db: db.clone(),
            _marker: PhantomData,
        }
    }

    /// The connection.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The table's name, without prefix.
    pub fn name(&self) -> &'static str {
        &R::schema().name
    }

    /// Creates the table (with its indexes) if it does not exist yet.
    pub async fn ensure(&self) -> Result<(), Error> {
        self.db.ensure_table(R::schema()).await
    }

    pub(crate) fn version_condition(&self, record: &R) -> Option<(Condition<R>, u64)> {
        let attr = R::version_attribute()?;
        let field = crate::expr::Field::<R, u64>::new(attr);
        let v = record.version();
        let cond = if v == 0 { field.not_exists() } else { field.eq(v) };
        Some((cond, v))
    }

    /// Reads the record with this key (eventually consistent, as DynamoDB's
    /// default). A missing item is `Ok(None)`, not an error.
    pub async fn get(&self, key: impl Into<R::Key>) -> Result<Option<R>, Error> {
        self.get_with(key.into(), false).await
    }

    /// Like [`Table::get`], with a strongly consistent read.
    pub async fn get_consistent(&self, key: impl Into<R::Key>) -> Result<Option<R>, Error> {
        self.get_with(key.into(), true).await
    }

    async fn get_with(&self, key: R::Key, consistent: bool) -> Result<Option<R>, Error> {
        self.ensure().await?;
        let out = self
            .db
            .get_item(
                GetItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(&key)?))
                    .consistent_read(consistent)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &key))?;
        out.item.map(|i| record_from::<R>(i)).transpose()
    }

    /// Writes the record, replacing the whole item (attributes the record
    /// does not declare are dropped: use [`Table::save`] to keep them). The
    /// version attribute, if any, is written as the record holds it, without
    /// a check.
    pub async fn put(&self, record: &R) -> Result<(), Error> {
        self.put_with(record, None).await.map(|_| ())
    }

    /// Writes the record only if `condition` holds for the stored item
    /// (ConditionalCheckFailed otherwise).
    pub async fn put_if(&self, record: &R, condition: Condition<R>) -> Result<(), Error> {
        self.put_with(record, Some(condition)).await.map(|_| ())
    }

    async fn put_with(&self, record: &R, condition: Option<Condition<R>>) -> Result<PutItemOutput, Error> {
        self.ensure().await?;
        let r = checked(record)?;
        let mut ph = Placeholders::new();
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        self.db
            .put_item(
                PutItemInput::builder()
                    .table_name(self.name())
                    .set_item(Some(r.to_item().map_err(|e| at_key::<R>(e.into(), &r.key()))?))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &r.key()))
    }

    /// Writes a new record: fails with [`Error::AlreadyExists`] if an item
    /// with its key exists. A versioned record is written as version 1.
    pub async fn create(&self, record: &mut R) -> Result<(), Error> {
        let hash = crate::expr::Field::<R, String>::new(hash_name::<R>());
        let mut r = checked(record)?;
        if R::version_attribute().is_some() {
            r.set_version(1);
        }
        match self.put_with(&r, Some(hash.not_exists())).await {
            Ok(_) => {
                *record = r;
                Ok(())
            }
            Err(Error::ConditionalCheckFailed { .. }) => Err(Error::AlreadyExists {
                table: self.name().to_string(),
            }),
            Err(e) => Err(e),
        }
    }

    /// Saves the record with UpdateItem: declared fields are set (absent
    /// ones removed), attributes the record does not declare are kept. With
    /// a version attribute, the save succeeds only if the stored version is
    /// the record's (or, for version 0, no item exists), writes version + 1
    /// and updates the record; otherwise [`Error::VersionConflict`].
    pub async fn save(&self, record: &mut R) -> Result<(), Error> {
        self.ensure().await?;
        let r = checked(record)?;
        let mut item = r.to_item().map_err(|e| at_key::<R>(e.into(), &r.key()))?;
        let key = R::key_item(&r.key())?;
        for k in key.keys() {
            item.remove(k);
        }
        let mut ph = Placeholders::new();
        let mut sets = Vec::new();
        let mut removes = Vec::new();
        let version = self.version_condition(&r);
        for name in R::field_names() {
            if key.contains_key(*name) || Some(*name) == R::version_attribute() {
                continue;
            }
            match item.remove(*name) {
                Some(v) => {
                    let n = ph.name(name);
                    sets.push(format!("{n} = {}", ph.value(v)));
                }
                None => removes.push(ph.name(name)),
            }
        }
        let cond = match &version {
            Some((c, v)) => {
                let n = ph.name(R::version_attribute().unwrap_or_default());
                sets.push(format!("{n} = {}", ph.value(version_value(v + 1))));
                Some(c.render(&mut ph)?)
            }
            None => None,
        };
        let mut expr = String::new();
        if !sets.is_empty() {
            expr.push_str(&format!("SET {}", sets.join(", ")));
        }
        if !removes.is_empty() {
            expr.push_str(&format!(
                "{}REMOVE {}",
                if expr.is_empty() { "" } else { " " },
                removes.join(", ")
            ));
        }
        let (names, values) = ph.into_maps();
        let result = self
            .db
            .update_item(
                UpdateItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(key))
                    .set_update_expression((!expr.is_empty()).then_some(expr))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &r.key()));
        match (result, version) {
            (Ok(_), Some((_, v))) => {
                *record = r;
                record.set_version(v + 1);
                Ok(())
            }
            (Ok(_), None) => {
                *record = r;
                Ok(())
            }
            (Err(Error::ConditionalCheckFailed { .. }), Some((_, v))) => Err(Error::VersionConflict {
                table: self.name().to_string(),
                expected: v,
            }),
            (Err(e), _) => Err(e),
        }
    }

    /// Deletes the record with this key, returning it as it was (`None` if
    /// there was none).
    pub async fn delete(&self, key: impl Into<R::Key>) -> Result<Option<R>, Error> {
        self.delete_with(key.into(), None).await
    }

    /// Deletes only if `condition` holds (ConditionalCheckFailed otherwise).
    pub async fn delete_if(&self, key: impl Into<R::Key>, condition: Condition<R>) -> Result<Option<R>, Error> {
        self.delete_with(key.into(), Some(condition)).await
    }

    async fn delete_with(&self, key: R::Key, condition: Option<Condition<R>>) -> Result<Option<R>, Error> {
        self.ensure().await?;
        let mut ph = Placeholders::new();
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        let out = self
            .db
            .delete_item(
                DeleteItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(&key)?))
                    .return_values(ReturnValue::AllOld)
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &key))?;
        out.attributes.map(|i| record_from::<R>(i)).transpose()
    }

    /// Applies a partial update (creating the item if it does not exist, as
    /// DynamoDB does) and returns the record as it is afterwards.
    pub async fn update(&self, key: impl Into<R::Key>, update: Update<R>) -> Result<R, Error> {
        self.update_with(key.into(), update, None).await
    }

    /// Like [`Table::update`], only if `condition` holds for the stored item.
    pub async fn update_if(
        &self,
        key: impl Into<R::Key>,
        update: Update<R>,
        condition: Condition<R>,
    ) -> Result<R, Error> {
        self.update_with(key.into(), update, Some(condition)).await
    }

    async fn update_with(&self, key: R::Key, update: Update<R>, condition: Option<Condition<R>>) -> Result<R, Error> {
        self.ensure().await?;
        let mut ph = Placeholders::new();
        let expr = update.render(&mut ph)?;
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        let out = self
            .db
            .update_item(
                UpdateItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(&key)?))
                    .set_update_expression((!expr.is_empty()).then_some(expr))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .return_values(ReturnValue::AllNew)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &key))?;
        record_from::<R>(out.attributes.unwrap_or_default())
    }

    /// Number of records (a Scan with `Select = COUNT`, across all pages).
    pub async fn count(&self) -> Result<u64, Error> {
        self.scan().count().await
    }
}

/// The hash key attribute's name.
pub(crate) fn hash_name<R: Record>() -> &'static str {
    R::schema().hash.name.as_str()
}

/// Reads a record from an item; a conversion error names the table and the
/// item's key.
pub(crate) fn record_from<R: Record>(mut item: Item) -> Result<R, Error> {
    // An item never saved through the version check (e.g. created by an
    // update) is at version 0.
    if let Some(v) = R::version_attribute() {
        item.entry(v.to_string())
            .or_insert_with(|| AttributeValue::N("0".into()));
    }
    let key = crate::record::key_text::<R>(&item);
    R::from_item(item).map_err(|e| Error::Conversion(e.in_item(&R::schema().name, key.as_deref())))
}

/// An attribute value for a key part.
pub(crate) fn key_attr<T: Attr>(name: &str, v: &T) -> Result<AttributeValue, Error> {
    v.to_attr()?
        .ok_or_else(|| Error::Conversion(ConvertError::missing().at(name)))
}
