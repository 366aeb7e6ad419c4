//! [`Table`]: the typed API over one declared table.
//!
//! `dynamo_table!` declares `type StoreTable = Table<Store>`; everything here
//! is generic over the [`Record`] the DSL implements. Every operation makes
//! sure the table exists first (created on first use, once per connection).

use std::marker::PhantomData;

use crate::backend::Backend;
use crate::convert::{Attr, ConvertError};
use crate::database::Database;
use crate::expr::{Condition, Fields, Placeholders, Selection, Update};
use crate::query::{KeyFromItem, Partial};
use crate::record::{ItemSource, KeyAttrType, Record, at_key};
use crate::sdk::*;
use crate::trace::{typed_call, typed_record_call};
use crate::{Error, Item};
use tracing::Instrument;

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

/// What a write hands back about the item it wrote (or deleted): the
/// record, or, when the item does not decode as a whole record, the item as
/// DynamoDB returned it with the reason. Either way the write was applied:
/// an undecodable answer is never reported as a failed write.
#[derive(Debug, Clone, PartialEq)]
pub enum Returned<R> {
    /// The item, decoded.
    Record(R),
    /// The item does not hold a whole record: for example the stub an
    /// [`Table::upsert`] creates, holding only the key and the updated
    /// attributes, or an item someone else wrote with a mistyped attribute.
    Partial {
        /// The item as DynamoDB returned it.
        item: Item,
        /// Why it is not a record.
        error: ConvertError,
    },
}

impl<R: Record> Returned<R> {
    /// Decodes `item`, keeping it raw when it is not a whole record.
    pub(crate) fn from_item(item: Item) -> Returned<R> {
        match decode::<R>(item.clone()) {
            Ok(r) => Returned::Record(r),
            Err(error) => Returned::Partial { item, error },
        }
    }

    /// [`Returned::from_item`] of an item as a backend handed it over (on
    /// the mock, read from the stored item in place).
    pub(crate) fn from_found(found: crate::FoundItem<'_>) -> Returned<R> {
        match found.into_found() {
            crate::mock::engine::Found::Item(item) => Returned::from_item(item),
            // The values move from the map into the record; should it not
            // decode, the item and the error's key come from the stored form.
            crate::mock::engine::Found::Written(mut item, stored) => match read_record::<R>(&mut item) {
                Ok(r) => Returned::Record(r),
                Err(e) => {
                    let item = stored.decode();
                    let error = in_record::<R>(e, key_values::<R>(|name| item.get(name).cloned()));
                    Returned::Partial { item, error }
                }
            },
            crate::mock::engine::Found::Stored(stored) => {
                match decode_fields::<R>(&mut crate::mock::encoding::StoredFields::new(stored)) {
                    Ok(r) => Returned::Record(r),
                    Err(error) => Returned::Partial {
                        item: stored.decode(),
                        error,
                    },
                }
            }
        }
    }
}

impl<R> Returned<R> {
    /// The record, `None` for a partial item.
    pub fn record(self) -> Option<R> {
        match self {
            Returned::Record(r) => Some(r),
            Returned::Partial { .. } => None,
        }
    }

    /// The record by reference, `None` for a partial item.
    pub fn as_record(&self) -> Option<&R> {
        match self {
            Returned::Record(r) => Some(r),
            Returned::Partial { .. } => None,
        }
    }

    /// The raw item of a partial result, `None` for a record.
    pub fn partial_item(&self) -> Option<&Item> {
        match self {
            Returned::Record(_) => None,
            Returned::Partial { item, .. } => Some(item),
        }
    }

    /// The record, or the conversion error of a partial item (for callers
    /// that treat a partial item as an error of their own; the write was
    /// applied all the same).
    pub fn decoded(self) -> Result<R, ConvertError> {
        match self {
            Returned::Record(r) => Ok(r),
            Returned::Partial { error, .. } => Err(error),
        }
    }
}

/// The condition a write made from `record` carries on a versioned table:
/// the stored version is the one the record holds (for version 0: there is
/// no stored version). `None` for tables without a version attribute.
pub(crate) fn version_condition<R: Record>(record: &R) -> Option<Condition<R>> {
    let field = crate::expr::Field::<R, u64>::unchecked(R::version_attribute()?);
    let v = record.version();
    Some(if v == 0 { field.not_exists() } else { field.eq(v) })
}

/// `ADD version 1`: the bump every update of a versioned table carries (an
/// item without a version is at 0). Empty for tables without one.
pub(crate) fn version_bump<R: Record>() -> Update<R> {
    match R::version_attribute() {
        Some(attr) => crate::expr::Field::<R, u64>::unchecked(attr).add(1u64),
        None => Update::default(),
    }
}

/// `attribute_exists(<hash key>)`: the item is there.
pub(crate) fn item_exists<R: Record>() -> Condition<R> {
    crate::expr::Field::<R, String>::unchecked(hash_name::<R>()).exists()
}

/// `attribute_not_exists(<hash key>)`: no item has this key.
pub(crate) fn item_absent<R: Record>() -> Condition<R> {
    crate::expr::Field::<R, String>::unchecked(hash_name::<R>()).not_exists()
}

/// The version an item holds (0 without the attribute or with one that is
/// not a number).
pub(crate) fn stored_version<R: Record>(item: &Item) -> u64 {
    match R::version_attribute().and_then(|a| item.get(a)) {
        Some(AttributeValue::N(n)) => n.parse().unwrap_or(0),
        _ => 0,
    }
}

/// Both conditions, either one alone, or none.
fn both<R>(a: Option<Condition<R>>, b: Option<Condition<R>>) -> Option<Condition<R>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.and(b)),
        (a, b) => a.or(b),
    }
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
        self.db.ensure_static(R::schema()).await
    }

    /// Reads the record with this key (eventually consistent, as DynamoDB's
    /// default). A missing item is `Ok(None)`, not an error.
    pub async fn get(&self, key: impl IntoKey<R::Key>) -> Result<Option<R>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("get", Some(&key));
        self.get_with(key, false).instrument(span).await
    }

    /// Like [`Table::get`], with a strongly consistent read.
    pub async fn get_consistent(&self, key: impl IntoKey<R::Key>) -> Result<Option<R>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("get_consistent", Some(&key));
        self.get_with(key, true).instrument(span).await
    }

    /// Reads only `fields` of the record with this key (a
    /// `ProjectionExpression`; the key attributes are always read too), as a
    /// [`Partial`] record: `users.get_fields("ann", (User::NAME, User::EMAIL))`.
    /// A missing item is `Ok(None)`.
    ///
    /// ```
    /// # use dynamo_objects::{dynamo_table, Database, Error};
    /// dynamo_table! {
    ///     record Address { city: String, zip: String }
    ///     user: User { hash id: String, name: String, email: String, address: Address }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// let users = UserTable::new(&Database::mock());
    /// let address = Address { city: "Paris".into(), zip: "75001".into() };
    /// users.put(&mut User { id: "ann".into(), name: "Ann".into(), email: "a@x.org".into(), address }).await?;
    /// let ann = users.get_fields("ann", (User::NAME, User::ADDRESS.then(Address::CITY))).await?.unwrap();
    /// assert_eq!(ann.key()?, "ann");
    /// assert_eq!(ann.get(User::NAME)?, Some("Ann".to_string()));
    /// assert_eq!(ann.get(User::EMAIL)?, None); // not selected
    /// assert_eq!(ann.item().len(), 3); // id, name, and address holding only city
    /// # Ok(()) }
    /// ```
    pub async fn get_fields(
        &self,
        key: impl IntoKey<R::Key>,
        fields: impl Fields<R>,
    ) -> Result<Option<Partial<R>>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("get_fields", Some(&key));
        let item = self
            .get_item(&key, false, Some(Selection::of(fields)))
            .instrument(span)
            .await?;
        Ok(item.map(Partial::from_item))
    }

    /// Like [`Table::get_fields`], with a strongly consistent read.
    pub async fn get_fields_consistent(
        &self,
        key: impl IntoKey<R::Key>,
        fields: impl Fields<R>,
    ) -> Result<Option<Partial<R>>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("get_fields_consistent", Some(&key));
        let item = self
            .get_item(&key, true, Some(Selection::of(fields)))
            .instrument(span)
            .await?;
        Ok(item.map(Partial::from_item))
    }

    async fn get_with(&self, key: R::Key, consistent: bool) -> Result<Option<R>, Error> {
        self.ensure().await?;
        let mut record = None;
        self.db
            .direct_get_item_into(
                GetItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(&key)?))
                    .consistent_read(consistent)
                    .build()?,
                &mut |found| record = Some(found_record::<R>(found)),
            )
            .await
            .map_err(|e| at_key::<R>(e, &key))?;
        record.transpose()
    }

    /// One GetItem, of `fields` (and the key) when given.
    async fn get_item(
        &self,
        key: &R::Key,
        consistent: bool,
        selection: Option<Selection<R>>,
    ) -> Result<Option<Item>, Error> {
        self.ensure().await?;
        let mut ph = Placeholders::new();
        let projection = selection.map(|s| s.render(&key_names::<R>(), &mut ph));
        let (names, _) = ph.into_maps();
        let out = self
            .db
            .get_item(
                GetItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(key)?))
                    .consistent_read(consistent)
                    .set_projection_expression(projection)
                    .set_expression_attribute_names(names)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, key))?;
        Ok(out.item)
    }

    /// Writes the record, replacing the whole item (attributes the record
    /// does not declare are dropped: use [`Table::save`] to keep them).
    ///
    /// With a version attribute, the put succeeds only if the stored version
    /// is the one the record holds (for version 0: no item, or one without a
    /// version), writes version + 1 and updates the record; otherwise
    /// [`Error::VersionConflict`] and nothing is written. To replace an item
    /// whatever its version, use [`Table::overwrite`].
    pub async fn put(&self, record: &mut R) -> Result<(), Error> {
        let span = typed_record_call("put", record);
        self.put_checked(record, None).instrument(span).await
    }

    /// Like [`Table::put`], only if `condition` also holds for the stored
    /// item ([`Error::ConditionalCheckFailed`] when it does not, with the
    /// stored item; [`Error::VersionConflict`] when the version differs).
    pub async fn put_if(&self, record: &mut R, condition: Condition<R>) -> Result<(), Error> {
        let span = typed_record_call("put_if", record);
        self.put_checked(record, Some(condition)).instrument(span).await
    }

    async fn put_checked(&self, record: &mut R, condition: Option<Condition<R>>) -> Result<(), Error> {
        // A record with a check hook is checked on a copy; one without is
        // written as it is, its new version (if versioned) put in the item
        // and in the record only once written.
        let copy = if R::HAS_CHECK { Some(checked(record)?) } else { None };
        let r = copy.as_ref().unwrap_or(record);
        let held = r.version();
        let version = version_condition(r);
        let versioned = version.is_some();
        let bump = versioned.then_some(held + 1);
        match self.put_item_bumped(r, both(version, condition), bump).await {
            Ok(_) => {
                if let Some(r) = copy {
                    *record = r;
                }
                if let Some(v) = bump {
                    record.set_version(v);
                }
                Ok(())
            }
            Err(Error::ConditionalCheckFailed { message, item }) => {
                let stored = item.as_ref().map(stored_version::<R>);
                // The version condition holds for version 0 and no item, and
                // for a stored version equal to the held one: then the
                // caller's condition is what failed.
                if versioned && stored.unwrap_or(0) != held {
                    Err(self.conflict(held))
                } else {
                    Err(Error::ConditionalCheckFailed { message, item })
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Replaces the whole item with the record, whatever version is stored:
    /// the one write that does not check the version the record holds. On a
    /// versioned table it still bumps the stored version (it reads it, then
    /// writes version + 1 if it has not changed meanwhile, retrying a few
    /// times if it has), so copies read before it cannot undo it; the record
    /// is updated to the version written.
    pub async fn overwrite(&self, record: &mut R) -> Result<(), Error> {
        let span = typed_record_call("overwrite", record);
        self.overwrite_untraced(record).instrument(span).await
    }

    async fn overwrite_untraced(&self, record: &mut R) -> Result<(), Error> {
        let mut r = checked(record)?;
        let Some(attr) = R::version_attribute() else {
            self.put_item(&r, None).await?;
            *record = r;
            return Ok(());
        };
        const ATTEMPTS: usize = 8;
        let mut stored = 0;
        for _ in 0..ATTEMPTS {
            let mut ph = Placeholders::new();
            let projection = ph.name(attr);
            let (names, _) = ph.into_maps();
            let out = self
                .db
                .get_item(
                    GetItemInput::builder()
                        .table_name(self.name())
                        .set_key(Some(R::key_item(&r.key())?))
                        .consistent_read(true)
                        .projection_expression(projection)
                        .set_expression_attribute_names(names)
                        .build()?,
                )
                .await?;
            stored = out.item.as_ref().map(stored_version::<R>).unwrap_or(0);
            r.set_version(stored);
            let condition = version_condition(&r);
            r.set_version(stored + 1);
            match self.put_item(&r, condition).await {
                Ok(_) => {
                    *record = r;
                    return Ok(());
                }
                Err(Error::ConditionalCheckFailed { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(self.conflict(stored))
    }

    /// One PutItem of `r` as it is, the stored item handed back when
    /// `condition` fails.
    async fn put_item(&self, r: &R, condition: Option<Condition<R>>) -> Result<PutItemOutput, Error> {
        self.put_item_bumped(r, condition, None).await
    }

    /// [`Table::put_item`], with `version` (when given) as the item's
    /// version attribute instead of the record's.
    async fn put_item_bumped(
        &self,
        r: &R,
        condition: Option<Condition<R>>,
        version: Option<u64>,
    ) -> Result<PutItemOutput, Error> {
        self.ensure().await?;
        let mut item = r.to_item().map_err(|e| at_key::<R>(e.into(), &r.key()))?;
        if let (Some(v), Some(attr)) = (version, R::version_attribute()) {
            item.insert(attr.to_string(), version_value(v));
        }
        let mut ph = Placeholders::new();
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        self.db
            .direct_put_item(
                PutItemInput::builder()
                    .table_name(self.name())
                    .set_item(Some(item))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                    .build()?,
            )
            .await
            .map_err(|e| at_key::<R>(e, &r.key()))
    }

    fn conflict(&self, held: u64) -> Error {
        Error::VersionConflict {
            table: self.name().to_string(),
            expected: held,
        }
    }

    fn not_found(&self, key: &R::Key) -> Error {
        Error::NotFound {
            table: self.name().to_string(),
            key: format!("{key:?}"),
        }
    }

    /// Writes a new record: fails with [`Error::AlreadyExists`] if an item
    /// with its key exists. A versioned record is written as version 1.
    pub async fn create(&self, record: &mut R) -> Result<(), Error> {
        let span = typed_record_call("create", record);
        self.create_untraced(record).instrument(span).await
    }

    async fn create_untraced(&self, record: &mut R) -> Result<(), Error> {
        let mut r = checked(record)?;
        if R::version_attribute().is_some() {
            r.set_version(1);
        }
        match self.put_item(&r, Some(item_absent::<R>())).await {
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
        let span = typed_record_call("save", record);
        self.save_untraced(record).instrument(span).await
    }

    async fn save_untraced(&self, record: &mut R) -> Result<(), Error> {
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
        let held = r.version();
        let version = version_condition(&r);
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
        let cond = match (&version, R::version_attribute()) {
            (Some(c), Some(attr)) => {
                let n = ph.name(attr);
                sets.push(format!("{n} = {}", ph.value(version_value(held + 1))));
                Some(c.render(&mut ph)?)
            }
            _ => None,
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
        match result {
            Ok(_) => {
                *record = r;
                if version.is_some() {
                    record.set_version(held + 1);
                }
                Ok(())
            }
            Err(Error::ConditionalCheckFailed { .. }) if version.is_some() => Err(self.conflict(held)),
            Err(e) => Err(e),
        }
    }

    /// Deletes the item with this key whatever it holds (no version check:
    /// to delete only the version a record holds, use
    /// [`Table::delete_record`]), returning what was there (`None` if there
    /// was nothing).
    pub async fn delete(&self, key: impl IntoKey<R::Key>) -> Result<Option<Returned<R>>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("delete", Some(&key));
        self.delete_with(key, None).instrument(span).await
    }

    /// Deletes only if `condition` holds ([`Error::ConditionalCheckFailed`]
    /// otherwise).
    pub async fn delete_if(
        &self,
        key: impl IntoKey<R::Key>,
        condition: Condition<R>,
    ) -> Result<Option<Returned<R>>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("delete_if", Some(&key));
        self.delete_with(key, Some(condition)).instrument(span).await
    }

    /// Deletes the item of this record. On a versioned table, only if the
    /// stored version is the one the record holds ([`Error::VersionConflict`]
    /// otherwise, and nothing is deleted).
    pub async fn delete_record(&self, record: &R) -> Result<Option<Returned<R>>, Error> {
        let span = typed_record_call("delete_record", record);
        self.delete_record_untraced(record).instrument(span).await
    }

    async fn delete_record_untraced(&self, record: &R) -> Result<Option<Returned<R>>, Error> {
        match self.delete_with(record.key(), version_condition(record)).await {
            Err(Error::ConditionalCheckFailed { .. }) => Err(self.conflict(record.version())),
            other => other,
        }
    }

    async fn delete_with(&self, key: R::Key, condition: Option<Condition<R>>) -> Result<Option<Returned<R>>, Error> {
        self.ensure().await?;
        let mut ph = Placeholders::new();
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        let out = self
            .db
            .direct_delete_item(
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
        Ok(out.attributes.map(Returned::from_item))
    }

    /// Applies a partial update to the item with this key and returns it as
    /// it is afterwards. The item must exist: for a missing key the result is
    /// [`Error::NotFound`] and nothing is written (an update that may create
    /// the item is [`Table::upsert`]). On a versioned table the update bumps
    /// the version.
    pub async fn update(&self, key: impl IntoKey<R::Key>, update: Update<R>) -> Result<Returned<R>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("update", Some(&key));
        self.update_with(key, update, None, true).instrument(span).await
    }

    /// Like [`Table::update`], only if `condition` also holds for the stored
    /// item ([`Error::ConditionalCheckFailed`] with the stored item when it
    /// does not; [`Error::NotFound`] when there is no item).
    pub async fn update_if(
        &self,
        key: impl IntoKey<R::Key>,
        update: Update<R>,
        condition: Condition<R>,
    ) -> Result<Returned<R>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("update_if", Some(&key));
        self.update_with(key, update, Some(condition), true)
            .instrument(span)
            .await
    }

    /// Applies a partial update, creating the item if there is none (as
    /// DynamoDB's UpdateItem does). A created item holds only the key, the
    /// updated attributes and (on a versioned table) version 1, so it may
    /// not be a whole record: the result is then [`Returned::Partial`]
    /// with the item as stored.
    pub async fn upsert(&self, key: impl IntoKey<R::Key>, update: Update<R>) -> Result<Returned<R>, Error> {
        let key = key.into_key();
        let span = typed_call::<R>("upsert", Some(&key));
        self.update_with(key, update, None, false).instrument(span).await
    }

    async fn update_with(
        &self,
        key: R::Key,
        update: Update<R>,
        condition: Option<Condition<R>>,
        must_exist: bool,
    ) -> Result<Returned<R>, Error> {
        self.ensure().await?;
        let mut ph = Placeholders::new();
        let expr = update.and(version_bump::<R>()).render(&mut ph)?;
        let cond = both(must_exist.then(item_exists::<R>), condition)
            .map(|c| c.render(&mut ph))
            .transpose()?;
        let (names, values) = ph.into_maps();
        let mut returned = None;
        let result = self
            .db
            .direct_update_item_into(
                UpdateItemInput::builder()
                    .table_name(self.name())
                    .set_key(Some(R::key_item(&key)?))
                    .set_update_expression((!expr.is_empty()).then_some(expr))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .return_values(ReturnValue::AllNew)
                    .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                    .build()?,
                &mut |found| returned = Some(Returned::from_found(found)),
            )
            .await;
        match result {
            Ok(_) => Ok(returned.unwrap_or_else(|| Returned::from_item(Item::new()))),
            Err(Error::ConditionalCheckFailed { item: None, .. }) if must_exist => Err(self.not_found(&key)),
            Err(e) => Err(at_key::<R>(e, &key)),
        }
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

/// The key attributes' names: the hash key's, then the range key's.
pub(crate) fn key_names<R: Record>() -> Vec<&'static str> {
    let schema = R::schema();
    std::iter::once(&schema.hash)
        .chain(schema.range.as_ref())
        .map(|k| k.name.as_str())
        .collect()
}

/// What a key argument may be for records whose key is `K`: the key
/// itself, or its parts in any form that converts into them, borrowed ones
/// included: `"u1"` (or a `&String`) for a `String` key, `("u1", "o1")` for
/// a `(String, String)` key, `("u1", 3)` for `(String, i64)`.
///
/// ```
/// # use dynamo_objects::{dynamo_table, table::IntoKey};
/// dynamo_table! {
///     order: Order { hash user: String, range id: String, total: i64 }
/// }
/// let key: (String, String) = ("u1", "o1").into_key();
/// assert_eq!(key, ("u1".to_string(), "o1".to_string()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of type `{K}`",
    label = "expected the key `{K}`, or its parts (borrowed ones too: `\"a\"`, `(\"a\", \"b\")`)"
)]
pub trait IntoKey<K> {
    /// The key.
    fn into_key(self) -> K;
}

impl<H: KeyAttrType, T: KeyPart<H>> IntoKey<H> for T {
    fn into_key(self) -> H {
        self.into_part()
    }
}

impl<H: KeyAttrType, G: KeyAttrType, A: KeyPart<H>, B: KeyPart<G>> IntoKey<(H, G)> for (A, B) {
    fn into_key(self) -> (H, G) {
        (self.0.into_part(), self.1.into_part())
    }
}

/// What a record's key is: a key attribute type, or a `(hash, range)` pair
/// of them. It can be given as [`IntoKey`] arguments and read back from
/// items.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a record's key",
    label = "a key is a key attribute type (String, an integer type, Bytes, Blob) or a `(hash, range)` pair of them"
)]
pub trait RecordKey: IntoKey<Self> + KeyFromItem + Sized {}

impl<H: KeyAttrType> RecordKey for H {}

impl<H: KeyAttrType, G: KeyAttrType> RecordKey for (H, G) {}

/// One part of a key argument: the key attribute's value `T`, a reference
/// to one, or a `&str` for a `String` (an integer literal takes the key's
/// integer type).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key part of type `{T}`",
    label = "expected a `{T}` (or a reference to one, or a `&str` for a `String`)"
)]
pub trait KeyPart<T> {
    /// The part as a `T`.
    fn into_part(self) -> T;
}

impl<T: KeyAttrType> KeyPart<T> for T {
    fn into_part(self) -> T {
        self
    }
}

impl<T: KeyAttrType> KeyPart<T> for &T {
    fn into_part(self) -> T {
        self.clone()
    }
}

impl KeyPart<String> for &str {
    fn into_part(self) -> String {
        self.to_string()
    }
}

/// Reads a record from an item; a conversion error names the table and the
/// item's key.
pub(crate) fn record_from<R: Record>(item: Item) -> Result<R, Error> {
    decode::<R>(item).map_err(Error::from)
}

/// The record a read found: read from the stored item in place on the mock
/// ([`crate::FoundItem`]), as [`record_from`] reads it otherwise.
pub(crate) fn found_record<R: Record>(found: crate::FoundItem<'_>) -> Result<R, Error> {
    match found.into_found() {
        crate::mock::engine::Found::Item(item) | crate::mock::engine::Found::Written(item, _) => record_from::<R>(item),
        crate::mock::engine::Found::Stored(stored) => {
            decode_fields::<R>(&mut crate::mock::encoding::StoredFields::new(stored)).map_err(Error::from)
        }
    }
}

/// [`decode`] from a source that keeps what is taken from it readable
/// (`peek`), so that an error can still name the item's key.
fn decode_fields<R: Record>(source: &mut impl ItemSource) -> Result<R, ConvertError> {
    read_record::<R>(source).map_err(|e| in_record::<R>(e, key_values::<R>(|name| source.peek(name))))
}

/// The record from `source`. An item never saved through the version check
/// (e.g. written outside the typed API) is at version 0.
fn read_record<R: Record>(source: &mut impl ItemSource) -> Result<R, ConvertError> {
    match R::version_attribute() {
        None => R::from_source(source),
        version => R::from_source(&mut Versioned { source, version }),
    }
}

/// The values of the key attributes (hash, then range), for an error.
fn key_values<R: Record>(value: impl Fn(&str) -> Option<AttributeValue>) -> [Option<AttributeValue>; 2] {
    let schema = R::schema();
    [
        value(&schema.hash.name),
        schema.range.as_ref().and_then(|r| value(&r.name)),
    ]
}

/// `e`, naming the table and the key of the item that did not decode.
fn in_record<R: Record>(e: ConvertError, key: [Option<AttributeValue>; 2]) -> ConvertError {
    let schema = R::schema();
    let names = std::iter::once(&schema.hash).chain(schema.range.as_ref());
    let item: Item = names.zip(key).filter_map(|(k, v)| Some((k.name.clone(), v?))).collect();
    e.in_item(&schema.name, crate::record::key_text::<R>(&item).as_deref())
}

/// A source whose item, when it has no version attribute (never saved
/// through the version check), is at version 0.
struct Versioned<'s, S: ?Sized> {
    source: &'s mut S,
    version: Option<&'static str>,
}

impl<S: ItemSource + ?Sized> ItemSource for Versioned<'_, S> {
    fn take(&mut self, name: &str) -> Option<AttributeValue> {
        let value = self.source.take(name);
        if value.is_none() && self.version == Some(name) {
            return Some(AttributeValue::N("0".into()));
        }
        value
    }
    fn peek(&self, name: &str) -> Option<AttributeValue> {
        self.source.peek(name)
    }
    fn contains(&self, name: &str) -> bool {
        self.source.contains(name)
    }
    fn take_rest(&mut self) -> Item {
        let mut item = self.source.take_rest();
        if let Some(v) = self.version
            && !item.contains_key(v)
        {
            item.insert(v.to_string(), AttributeValue::N("0".into()));
        }
        item
    }
}

/// [`record_from`], with the conversion error itself (naming the table and
/// the item's key).
fn decode<R: Record>(mut item: Item) -> Result<R, ConvertError> {
    // The key's values are for the error only: kept (a clone each) before
    // the fields are taken out of the item.
    let key = key_values::<R>(|name| item.get(name).cloned());
    read_record::<R>(&mut item).map_err(|e| in_record::<R>(e, key))
}

/// An attribute value for a key part.
pub(crate) fn key_attr<T: Attr>(name: &str, v: &T) -> Result<AttributeValue, Error> {
    v.to_attr()?
        .ok_or_else(|| Error::Conversion(ConvertError::missing().at(name)))
}

// DynamoDB Streams
impl<R: Record> Table<R> {
    /// Turns on the table's stream (creating the table first if needed),
    /// with `view` deciding what each record carries. Nothing is sent when
    /// the stream is already on with this view type; a stream on with
    /// another one is DynamoDB's `ValidationException`.
    pub async fn enable_stream(&self, view: StreamViewType) -> Result<(), Error> {
        self.ensure().await?;
        let table = self.name();
        let described = self
            .db
            .describe_table(DescribeTableInput::builder().table_name(table).build()?)
            .await?;
        let spec = described.table.and_then(|t| t.stream_specification);
        if spec
            .as_ref()
            .is_some_and(|s| s.stream_enabled && s.stream_view_type == Some(view.clone()))
        {
            return Ok(());
        }
        let spec = StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(view)
            .build()?;
        self.db
            .update_table(
                UpdateTableInput::builder()
                    .table_name(table)
                    .stream_specification(spec)
                    .build()?,
            )
            .await?;
        Ok(())
    }

    /// The changes recorded in the table's latest stream from `position` up
    /// to now, oldest first, typed: [`crate::streams::Change::Inserted`],
    /// `Modified` (old and new record) and `Removed`, each with the images
    /// the stream's view type keeps, its sequence number (to resume from
    /// with [`crate::streams::Position::After`]) and the item's key. The
    /// stream ends once it has caught up with the present; a record that
    /// does not decode as `R` is one `Err` in it, and reading goes on.
    ///
    /// Works on the mock, DynamoDB Local and AWS alike (through
    /// [`crate::Backend::streams`]). A table without a stream is
    /// `Error::Validation`; a backend without the streams API,
    /// `Error::Unsupported`.
    pub async fn changes(
        &self,
        position: crate::streams::Position,
    ) -> Result<futures::stream::BoxStream<'static, Result<crate::streams::ChangeEvent<R>, Error>>, Error> {
        self.ensure().await?;
        let table = self.name();
        let streams = Backend::streams(&self.db).ok_or_else(|| Error::Unsupported("DynamoDB Streams".into()))?;
        let described = self
            .db
            .describe_table(DescribeTableInput::builder().table_name(table).build()?)
            .await?;
        let arn = described.table.and_then(|t| t.latest_stream_arn).ok_or_else(|| {
            let full = self.db.full_name(table);
            Error::Validation(format!("Table {full} has no stream (see Table::enable_stream)").into())
        })?;
        Ok(crate::streams::read_changes(streams, arn, position))
    }
}
