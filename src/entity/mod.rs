//! Single-table design: several record types ("entities") in one table,
//! each with key templates built from its fields, told apart by an
//! entity-type attribute; partition queries that return the mixed items as
//! a Rust enum ("aggregate"); global indexes shared by several types.
//!
//! Three declarations, each a small macro (they declare; this module does):
//!
//! - [`single_table!`](crate::single_table) — the table: its name, key
//!   attributes (strings), entity-type attribute, global indexes, billing.
//!   Expands to a marker type implementing [`TableDef`], one
//!   [`GlobalIndex`] constant per index, and `type AppTable =
//!   EntityTable<App>`.
//! - [`entity!`](macro@crate::entity) — a record stored in it: its fields (`hash`
//!   and `range` mark the fields of its primary key), its entity type, its
//!   key templates and its index templates. Expands to the record (as
//!   `dynamo_table!`'s `record` form) and one [`Entity`] impl.
//! - [`aggregate!`](crate::aggregate) — an enum of entities of one table,
//!   for reads that return several types.
//!
//! ```
//! use dynamo_objects::{Database, Error, aggregate, entity, single_table};
//! use dynamo_objects::entity::PartitionKey;
//!
//! single_table! {
//!     /// The application's one table.
//!     app: App { hash "PK", range "SK", entity "_type", global_index gsi1("GSI1PK", "GSI1SK") }
//! }
//! entity! {
//!     /// A user.
//!     User in App as "USER" { hash user_id: String, name: String, email: String }
//!     key(pk = "USER#{user_id}", sk = "#PROFILE")
//!     index gsi1(pk = "EMAIL#{email}", sk = "USER")
//! }
//! entity! {
//!     /// An order of a user.
//!     Order in App as "ORDER" { hash user_id: String, range order_id: String, cents: u64 }
//!     key(pk = "USER#{user_id}", sk = "ORDER#{order_id}")
//! }
//! aggregate! {
//!     /// Whatever a user's partition holds.
//!     enum UserItem in App { User, Order }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! let app = AppTable::new(&Database::mock()); // created with its index on first use
//! app.put(&User { user_id: "u1".into(), name: "Ann".into(), email: "ann@example.com".into() }).await?;
//! app.put(&Order { user_id: "u1".into(), order_id: "o1".into(), cents: 250 }).await?;
//!
//! let ann: Option<User> = app.get::<User>(("u1",)).await?;
//! assert_eq!(ann.map(|u| u.name).as_deref(), Some("Ann"));
//! // One partition, both types, in sort-key order ("#PROFILE" < "ORDER#o1").
//! let items = app.partition::<UserItem>(PartitionKey::of::<User>(("u1",))).all().await?;
//! assert!(matches!(&items[..], [UserItem::User(_), UserItem::Order(_)]));
//! // Only the orders.
//! let orders: Vec<Order> = app.query::<Order>(("u1",)).all().await?;
//! assert_eq!(orders[0].cents, 250);
//! // The global index, by email.
//! let found = app.query_index::<User>(App::GSI1, ("ann@example.com",)).all().await?;
//! assert_eq!(found[0].user_id, "u1");
//! # Ok(()) }
//! ```
//!
//! # What is stored
//!
//! An entity's item holds its fields as attributes (as a `dynamo_table!`
//! record's would), plus the table's key attributes rendered from the key
//! templates (`PK = "USER#u1"`, `SK = "ORDER#o1"`), the entity-type
//! attribute (`_type = "ORDER"`), and for each index the entity declares a
//! template for, the index's key attributes (an entity without a template
//! for an index is not in it: a sparse index). Reads decode the fields and
//! ignore the key attributes, so templates are never parsed back. How
//! values holding the template's separator are written: see [`Template`].
//!
//! # Mistakes
//!
//! Compile errors: a template naming a field the entity does not declare,
//! a partition-key template naming a field not marked `hash` or leaving one
//! out, a sort-key template leaving out a `range` field, a malformed
//! template, an index the table does not declare, a key field of a type
//! that cannot be part of a key ([`KeyPart`]), a field stored under one of
//! the table's key, index or entity attributes, an aggregate member of
//! another table, two members of an aggregate with the same entity type.
//!
//! Run-time errors (typed, never a panic): an item whose entity type is not
//! the one asked for, or in an aggregate not one of its members
//! ([`Error::Conversion`], at the entity attribute, naming the table and
//! the key: such an item is an `Err` in its place in a stream, and the
//! stream goes on — not silently skipped); an index template field of a
//! type other than a string or a number; index partition values that do
//! not match the template's placeholders in number.

mod macros;
mod template;

use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::backend::Backend;
use crate::convert::{Attr, ConvertError, type_of};
use crate::database::Database;
use crate::dsl::same as str_eq;
use crate::expr::{Condition, Field, IntoValue, Placeholders};
use futures::stream::{BoxStream, StreamExt, TryStreamExt};

use crate::query::{Cursor, Index, Page, Query};
use crate::record::{Document, KeyAttrType, Record, in_item_of, key_text};
use crate::schema::{Billing, IndexSchema, KeyAttr, KeyType, TableSchema};
use crate::sdk::*;
use crate::table::Table;
use crate::{Error, Item};

pub use template::{Template, TemplateProblem};

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// A table holding several entity types, declared with
/// [`single_table!`](crate::single_table). Its key attributes are strings.
pub trait TableDef: Send + Sync + Sized + 'static {
    /// The table's name, without the connection's prefix.
    const NAME: &'static str;
    /// The hash (partition) key attribute, e.g. `PK`.
    const HASH: &'static str;
    /// The range (sort) key attribute, e.g. `SK`.
    const RANGE: &'static str;
    /// The attribute holding each item's entity type, e.g. `_type`.
    const ENTITY: &'static str;
    /// The global indexes.
    const INDEXES: &'static [IndexDef];
    /// How the table is billed.
    const BILLING: Billing;
    /// The table declaration, built once by [`table_schema`].
    fn schema() -> &'static TableSchema;
}

/// A global index of a single table: its name and key attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexDef {
    name: &'static str,
    hash: &'static str,
    range: &'static str,
}

impl IndexDef {
    /// The index `name` on the string attributes `hash` and `range`.
    pub const fn new(name: &'static str, hash: &'static str, range: &'static str) -> IndexDef {
        IndexDef { name, hash, range }
    }
    /// The index name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// The index's hash key attribute.
    pub const fn hash(&self) -> &'static str {
        self.hash
    }
    /// The index's range key attribute.
    pub const fn range(&self) -> &'static str {
        self.range
    }
}

/// A global index of the single table `T` (generated as `App::GSI1`).
pub struct GlobalIndex<T> {
    def: IndexDef,
    _table: PhantomData<fn() -> T>,
}

impl<T> Clone for GlobalIndex<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for GlobalIndex<T> {}

impl<T> std::fmt::Debug for GlobalIndex<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GlobalIndex({})", self.def.name)
    }
}

impl<T> GlobalIndex<T> {
    /// The index `name` of `T` on `hash` and `range`.
    pub const fn new(name: &'static str, hash: &'static str, range: &'static str) -> GlobalIndex<T> {
        GlobalIndex {
            def: IndexDef::new(name, hash, range),
            _table: PhantomData,
        }
    }
    /// The index's name and attributes.
    pub const fn def(&self) -> IndexDef {
        self.def
    }
}

/// The billing a `single_table!` declares: none given is on-demand.
pub const fn billing(throughput: &[(i64, i64)]) -> Billing {
    match throughput {
        [(read, write)] => Billing::Provisioned {
            read: *read,
            write: *write,
        },
        _ => Billing::OnDemand,
    }
}

/// `T`'s table declaration: string hash and range keys, each global index
/// on its string attributes projecting everything, `T`'s billing.
pub fn table_schema<T: TableDef>() -> TableSchema {
    let mut schema =
        TableSchema::new(T::NAME, KeyAttr::new(T::HASH, KeyType::S)).range(KeyAttr::new(T::RANGE, KeyType::S));
    schema.billing = T::BILLING;
    for ix in T::INDEXES {
        schema = schema.global_index(
            IndexSchema::new(ix.name, KeyAttr::new(ix.hash, KeyType::S)).range(KeyAttr::new(ix.range, KeyType::S)),
        );
    }
    schema
}

/// Every attribute of `T` that is not an entity's field: its keys, its
/// entity attribute, its indexes' keys.
fn table_attributes<T: TableDef>() -> impl Iterator<Item = &'static str> {
    [T::HASH, T::RANGE, T::ENTITY]
        .into_iter()
        .chain(T::INDEXES.iter().flat_map(|i| [i.hash, i.range]))
}

// ---------------------------------------------------------------------------
// Raw items
// ---------------------------------------------------------------------------

/// Any item of the single table `T`, whatever its type: its keys, its
/// entity type (if it has one) and the whole item. `Table<Row<T>>` (see
/// [`EntityTable::table`]) is the plain typed API over the table, for what
/// the entity API does not cover: reads, and raw writes with `put` (a
/// `Row` declares no fields, so its `save` sets no attributes).
pub struct Row<T> {
    /// The hash key's value.
    pub pk: String,
    /// The range key's value.
    pub sk: String,
    /// The entity type, `None` for an item without one.
    pub entity: Option<String>,
    /// The item as stored.
    pub item: Item,
    _table: PhantomData<fn() -> T>,
}

impl<T> Clone for Row<T> {
    fn clone(&self) -> Self {
        Row {
            pk: self.pk.clone(),
            sk: self.sk.clone(),
            entity: self.entity.clone(),
            item: self.item.clone(),
            _table: PhantomData,
        }
    }
}

impl<T> PartialEq for Row<T> {
    fn eq(&self, other: &Self) -> bool {
        (&self.pk, &self.sk, &self.entity, &self.item) == (&other.pk, &other.sk, &other.entity, &other.item)
    }
}

impl<T> std::fmt::Debug for Row<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Row")
            .field("pk", &self.pk)
            .field("sk", &self.sk)
            .field("entity", &self.entity)
            .field("item", &self.item)
            .finish()
    }
}

/// What a read of the single table `T` yields per item: an [`Entity`]
/// (`entity!` implements it), an [`Aggregate`] (`aggregate!` does), or a
/// [`Row`].
pub trait FromItem<T>: Sized + Send + 'static {
    /// The value of one item; an error names the table and the item's key.
    fn from_item(item: Item) -> Result<Self, Error>;
}

impl<T: TableDef> FromItem<T> for Row<T> {
    fn from_item(item: Item) -> Result<Self, Error> {
        let key = key_text::<Row<T>>(&item);
        <Row<T> as Document>::from_item(item).map_err(|e| Error::Conversion(e.in_item(T::NAME, key.as_deref())))
    }
}

fn string_at(item: &Item, name: &str) -> Result<Option<String>, ConvertError> {
    match item.get(name) {
        None => Ok(None),
        Some(AttributeValue::S(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ConvertError::wrong_type("S", type_of(other)).at(name)),
    }
}

impl<T: TableDef> Document for Row<T> {
    fn to_item(&self) -> Result<Item, ConvertError> {
        let mut item = self.item.clone();
        item.insert(T::HASH.to_string(), AttributeValue::S(self.pk.clone()));
        item.insert(T::RANGE.to_string(), AttributeValue::S(self.sk.clone()));
        if let Some(e) = &self.entity {
            item.insert(T::ENTITY.to_string(), AttributeValue::S(e.clone()));
        }
        Ok(item)
    }

    fn from_item(item: Item) -> Result<Self, ConvertError> {
        let required = |name: &str| string_at(&item, name)?.ok_or_else(|| ConvertError::missing().at(name));
        Ok(Row {
            pk: required(T::HASH)?,
            sk: required(T::RANGE)?,
            entity: string_at(&item, T::ENTITY)?,
            item,
            _table: PhantomData,
        })
    }

    fn field_names() -> &'static [&'static str] {
        &[]
    }
}

impl<T: TableDef> Record for Row<T> {
    type Key = (String, String);
    type Hash = KeyValue;

    fn schema() -> &'static TableSchema {
        T::schema()
    }

    fn key_item(key: &Self::Key) -> Result<Item, ConvertError> {
        Ok(Item::from([
            (T::HASH.to_string(), AttributeValue::S(key.0.clone())),
            (T::RANGE.to_string(), AttributeValue::S(key.1.clone())),
        ]))
    }

    fn key(&self) -> Self::Key {
        (self.pk.clone(), self.sk.clone())
    }
}

/// A key attribute value of a single table, rendered from a template — or
/// the reason it could not be, reported when the request using it is made
/// (as the typed API reports a condition that could not be built).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue(Result<String, ConvertError>);

impl KeyValue {
    /// The value, or why there is none.
    pub fn as_result(&self) -> Result<&str, &ConvertError> {
        self.0.as_deref()
    }
}

impl From<String> for KeyValue {
    fn from(s: String) -> KeyValue {
        KeyValue(Ok(s))
    }
}

impl From<&str> for KeyValue {
    fn from(s: &str) -> KeyValue {
        KeyValue(Ok(s.to_string()))
    }
}

impl Attr for KeyValue {
    const TYPE: &'static str = "S";
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        match &self.0 {
            Ok(s) => Ok(Some(AttributeValue::S(s.clone()))),
            Err(e) => Err(e.clone()),
        }
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        String::from_attr(av).map(KeyValue::from)
    }
}

impl KeyAttrType for KeyValue {
    const KEY_TYPE: KeyType = KeyType::S;
}

/// A string attribute of the table's items, for the conditions this module
/// builds (the one place it names an attribute without a declared field).
fn attribute<T>(name: &'static str) -> Field<Row<T>, String> {
    Field::unchecked(name)
}

// ---------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------

/// Types that can be written into a key template: strings and integers.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be part of a key template",
    label = "key fields (`hash`, `range`) and key values must be strings or integers",
    note = "a key template writes each value as text: use a String or an integer type"
)]
pub trait KeyPart {
    /// The value as text, before separator encoding.
    fn key_part(&self) -> String;
}

impl KeyPart for String {
    fn key_part(&self) -> String {
        self.clone()
    }
}
impl KeyPart for &str {
    fn key_part(&self) -> String {
        (*self).to_string()
    }
}
impl KeyPart for &String {
    fn key_part(&self) -> String {
        (*self).clone()
    }
}
macro_rules! int_parts {
    ($($t:ty),*) => { $(impl KeyPart for $t { fn key_part(&self) -> String { self.to_string() } })* };
}
int_parts!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// A field's value for an index template: a string or a number (any other
/// type is an error naming the attribute).
pub fn field_part<V: Attr>(value: &V) -> Result<String, ConvertError> {
    match value.to_attr()? {
        Some(AttributeValue::S(s)) | Some(AttributeValue::N(s)) => Ok(s),
        Some(other) => Err(ConvertError::invalid(format!(
            "a key template takes strings and numbers, not {}",
            type_of(&other)
        ))),
        None => Err(ConvertError::missing()),
    }
}

/// A template with the index it is for (an entity's `index` declaration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexKeys {
    index: IndexDef,
    pk: Template,
    sk: Template,
}

impl IndexKeys {
    /// The templates of `index`'s hash key (`pk`) and range key (`sk`).
    pub const fn new<T>(index: GlobalIndex<T>, pk: Template, sk: Template) -> IndexKeys {
        IndexKeys {
            index: index.def,
            pk,
            sk,
        }
    }
    /// The index.
    pub const fn index(&self) -> IndexDef {
        self.index
    }
    /// The template of the index's hash key.
    pub const fn pk(&self) -> Template {
        self.pk
    }
    /// The template of the index's range key.
    pub const fn sk(&self) -> Template {
        self.sk
    }
}

/// A record stored in a single table, declared with
/// [`entity!`](macro@crate::entity): its type name, its key templates, and how
/// its key fields fill them.
pub trait Entity: Document + Clone {
    /// The table it is stored in.
    type Table: TableDef;
    /// Its primary key: the `hash` fields then the `range` fields, as a
    /// tuple (`(String,)`, `(String, u32)`).
    type Key: Clone + Send + Sync + std::fmt::Debug;
    /// The `hash` fields, as a tuple: what names its partition.
    type Hash: Clone + Send + Sync + std::fmt::Debug;
    /// The value of the entity attribute, e.g. `"ORDER"`.
    const TYPE: &'static str;
    /// The template of the table's hash key (uses exactly the `hash` fields).
    const PK: Template;
    /// The template of the table's range key (uses every `range` field).
    const SK: Template;
    /// Templates of the global indexes this entity is in.
    const INDEXES: &'static [IndexKeys];
    /// This record's key.
    fn key(&self) -> Self::Key;
    /// The text of key field `field` of `key` (`None`: not a key field).
    fn key_part(key: &Self::Key, field: &str) -> Option<String>;
    /// The text of hash field `field` of `hash` (`None`: not a hash field).
    fn hash_part(hash: &Self::Hash, field: &str) -> Option<String>;
    /// The text of field `field` of this record, for index templates.
    fn field_part(&self, field: &str) -> Option<Result<String, ConvertError>>;
}

/// The primary key item of `E`'s `key`.
fn key_item<E: Entity>(key: &E::Key) -> Result<Item, ConvertError> {
    let part = |n: &str| E::key_part(key, n).map(Ok);
    Ok(Item::from([
        (E::Table::HASH.to_string(), AttributeValue::S(E::PK.render(part)?)),
        (E::Table::RANGE.to_string(), AttributeValue::S(E::SK.render(part)?)),
    ]))
}

/// The item of `entity`: its fields, the table's keys, the entity type and
/// the keys of each index it is in.
pub fn entity_item<E: Entity>(entity: &E) -> Result<Item, ConvertError> {
    let mut item = entity.to_item()?;
    if let Some(taken) = table_attributes::<E::Table>().find(|a| item.contains_key(*a)) {
        return Err(ConvertError::invalid(format!(
            "a field of entity {} is stored as {taken}, one of table {}'s key, index or entity attributes",
            E::TYPE,
            E::Table::NAME
        ))
        .at(taken));
    }
    item.extend(key_item::<E>(&entity.key())?);
    item.insert(E::Table::ENTITY.to_string(), AttributeValue::S(E::TYPE.to_string()));
    for ix in E::INDEXES {
        let pk = ix.pk.render(|n| entity.field_part(n))?;
        let sk = ix.sk.render(|n| entity.field_part(n))?;
        item.insert(ix.index.hash.to_string(), AttributeValue::S(pk));
        item.insert(ix.index.range.to_string(), AttributeValue::S(sk));
    }
    Ok(item)
}

/// The entity type an item holds, or the error of one without it.
fn entity_type_of<T: TableDef>(item: &Item) -> Result<String, ConvertError> {
    string_at(item, T::ENTITY)?.ok_or_else(|| ConvertError::missing().at(T::ENTITY))
}

/// `e`, naming `T`'s table and the item's key.
fn in_table<T: TableDef>(e: ConvertError, item: &Item) -> Error {
    Error::Conversion(e.in_item(T::NAME, key_text::<Row<T>>(item).as_deref()))
}

/// Reads an item of `T` as the entity `E`: an item of another entity type
/// is an error at the entity attribute naming both types, the table and
/// the key.
pub fn decode_entity<T: TableDef, E: Entity<Table = T>>(item: Item) -> Result<E, Error> {
    match entity_type_of::<T>(&item) {
        Ok(t) if t == E::TYPE => {}
        Ok(t) => {
            let e = ConvertError::invalid(format!("entity type {t:?}, expected {:?}", E::TYPE)).at(T::ENTITY);
            return Err(in_table::<T>(e, &item));
        }
        Err(e) => return Err(in_table::<T>(e, &item)),
    }
    let key = key_text::<Row<T>>(&item);
    E::from_item(item).map_err(|e| Error::Conversion(e.in_item(T::NAME, key.as_deref())))
}

// ---------------------------------------------------------------------------
// Aggregates
// ---------------------------------------------------------------------------

/// An enum of entities of one table, declared with
/// [`aggregate!`](crate::aggregate): what a read of several types yields.
pub trait Aggregate: Sized + Send + 'static {
    /// The table.
    type Table: TableDef;
    /// The member types' entity types, in declaration order.
    const TYPES: &'static [&'static str];
    /// The item as the member of type `entity_type`, `None` when no member
    /// has that type.
    fn decode_member(entity_type: &str, item: Item) -> Option<Result<Self, Error>>;
    /// The entity type of this value's member.
    fn entity_type(&self) -> &'static str;
}

/// Reads an item as one of the members of `A`. An item whose entity type is
/// none of theirs (or that has none) is an error at the entity attribute
/// naming the type found and the members' types, the table and the key.
pub fn decode_aggregate<A: Aggregate>(item: Item) -> Result<A, Error> {
    let t = match entity_type_of::<A::Table>(&item) {
        Ok(t) => t,
        Err(e) => return Err(in_table::<A::Table>(e, &item)),
    };
    let key = key_text::<Row<A::Table>>(&item);
    A::decode_member(&t, item).unwrap_or_else(|| {
        let e = ConvertError::invalid(format!(
            "unknown entity type {t:?}; expected one of {}",
            A::TYPES.join(", ")
        ))
        .at(A::Table::ENTITY);
        Err(Error::Conversion(e.in_item(A::Table::NAME, key.as_deref())))
    })
}

/// True when no two of `types` are equal (for `aggregate!`'s compile-time
/// check).
pub const fn distinct(types: &[&str]) -> bool {
    let mut i = 0;
    while i < types.len() {
        let mut j = i + 1;
        while j < types.len() {
            if str_eq(types[i], types[j]) {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

/// True when `name` is one of `list` (for compile-time checks).
pub const fn contains(list: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if str_eq(list[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

/// True when none of `fields` is one of `T`'s key, index or entity
/// attributes (for `entity!`'s compile-time check).
pub const fn fields_clear_of<T: TableDef>(fields: &[&str]) -> bool {
    if contains(fields, T::HASH) || contains(fields, T::RANGE) || contains(fields, T::ENTITY) {
        return false;
    }
    let mut i = 0;
    while i < T::INDEXES.len() {
        if contains(fields, T::INDEXES[i].hash) || contains(fields, T::INDEXES[i].range) {
            return false;
        }
        i += 1;
    }
    true
}

// ---------------------------------------------------------------------------
// Key arguments
// ---------------------------------------------------------------------------

/// Values for a key tuple `K`: a tuple of the same length whose elements
/// stand for `K`'s (`("u1", "o1")` for `(String, String)`: borrowed parts
/// are fine).
pub trait IntoKey<K> {
    /// The key.
    fn into_key(self) -> K;
}

/// Values for an index template's placeholders, in order: a tuple of
/// strings or integers ([`KeyPart`]).
pub trait IntoParts {
    /// The values as text.
    fn into_parts(self) -> Vec<String>;
}

impl IntoKey<()> for () {
    fn into_key(self) {}
}

impl IntoParts for () {
    fn into_parts(self) -> Vec<String> {
        Vec::new()
    }
}

macro_rules! tuple_keys {
    ($(($($A:ident $T:ident $i:tt),+))*) => {$(
        impl<$($A: IntoValue<$T>, $T),+> IntoKey<($($T,)+)> for ($($A,)+) {
            fn into_key(self) -> ($($T,)+) {
                ($(self.$i.into_value(),)+)
            }
        }
        impl<$($A: KeyPart),+> IntoParts for ($($A,)+) {
            fn into_parts(self) -> Vec<String> {
                vec![$(self.$i.key_part()),+]
            }
        }
    )*};
}
tuple_keys! {
    (A TA 0)
    (A TA 0, B TB 1)
    (A TA 0, B TB 1, C TC 2)
    (A TA 0, B TB 1, C TC 2, D TD 3)
    (A TA 0, B TB 1, C TC 2, D TD 3, E TE 4)
    (A TA 0, B TB 1, C TC 2, D TD 3, E TE 4, F TF 5)
}

/// A partition to read: of the table, or of one of its global indexes,
/// with its key rendered from an entity's template.
pub struct PartitionKey<T> {
    index: Option<IndexDef>,
    value: KeyValue,
    _table: PhantomData<fn() -> T>,
}

impl<T> Clone for PartitionKey<T> {
    fn clone(&self) -> Self {
        PartitionKey {
            index: self.index,
            value: self.value.clone(),
            _table: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for PartitionKey<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionKey")
            .field("index", &self.index.map(|i| i.name))
            .field("value", &self.value)
            .finish()
    }
}

impl<T: TableDef> PartitionKey<T> {
    /// The table's partition of `E`'s hash key values: `PartitionKey::of::<User>(("u1",))`
    /// is `PK = "USER#u1"`.
    pub fn of<E: Entity<Table = T>>(hash: impl IntoKey<E::Hash>) -> PartitionKey<T> {
        let hash = hash.into_key();
        PartitionKey {
            index: None,
            value: KeyValue(E::PK.render(|n| E::hash_part(&hash, n).map(Ok))),
            _table: PhantomData,
        }
    }

    /// The partition of `index` that `E`'s index template gives for
    /// `parts` (its placeholders' values, in order): with `index gsi1(pk =
    /// "ORDER#{order_id}", ...)`, `PartitionKey::index::<Order>(App::GSI1,
    /// ("o1",))` is `GSI1PK = "ORDER#o1"`. An entity that declares no
    /// template for the index, or a wrong number of parts, is an error
    /// when the query runs.
    pub fn index<E: Entity<Table = T>>(index: GlobalIndex<T>, parts: impl IntoParts) -> PartitionKey<T> {
        let value = match E::INDEXES.iter().find(|i| i.index == index.def) {
            Some(ix) => ix.pk.render_parts(&parts.into_parts()),
            None => Err(ConvertError::invalid(format!(
                "entity {} declares no template for index {}",
                E::TYPE,
                index.def.name
            ))),
        };
        PartitionKey {
            index: Some(index.def),
            value: KeyValue(value),
            _table: PhantomData,
        }
    }

    /// The partition whose key is `value` exactly (no template, no
    /// encoding), of the table or of `index`.
    pub fn raw(index: Option<GlobalIndex<T>>, value: impl Into<String>) -> PartitionKey<T> {
        PartitionKey {
            index: index.map(|i| i.def),
            value: KeyValue(Ok(value.into())),
            _table: PhantomData,
        }
    }

    /// The key value, or why it could not be rendered.
    pub fn value(&self) -> Result<&str, &ConvertError> {
        self.value.as_result()
    }
}

// ---------------------------------------------------------------------------
// The handle
// ---------------------------------------------------------------------------

/// The typed API over the single table `T` (`single_table!` declares
/// `type AppTable = EntityTable<App>`). Cheap to clone. Every operation
/// makes sure the table exists first: created with its global indexes on
/// first use, as any declared table ([`Database::ensure_table`]).
pub struct EntityTable<T: TableDef> {
    table: Table<Row<T>>,
}

impl<T: TableDef> Clone for EntityTable<T> {
    fn clone(&self) -> Self {
        EntityTable {
            table: self.table.clone(),
        }
    }
}

impl<T: TableDef> std::fmt::Debug for EntityTable<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EntityTable({})", T::NAME)
    }
}

impl<T: TableDef> EntityTable<T> {
    /// The table `T` on this connection. Nothing is sent until the first
    /// operation.
    pub fn new(db: &Database) -> EntityTable<T> {
        EntityTable { table: Table::new(db) }
    }

    /// The plain typed API over the same table, whose records are
    /// [`Row`]s: every item, whatever its type.
    pub fn table(&self) -> &Table<Row<T>> {
        &self.table
    }

    /// The connection.
    pub fn database(&self) -> &Database {
        self.table.database()
    }

    /// Creates the table (with its indexes) if it does not exist yet.
    pub async fn ensure(&self) -> Result<(), Error> {
        self.table.ensure().await
    }

    /// Writes `entity`, replacing whatever item has its key.
    pub async fn put<E: Entity<Table = T>>(&self, entity: &E) -> Result<(), Error> {
        self.put_item(entity, None).await.map(|_| ())
    }

    /// Writes `entity` only if no item has its key
    /// ([`Error::AlreadyExists`] otherwise, and nothing is written).
    pub async fn create<E: Entity<Table = T>>(&self, entity: &E) -> Result<(), Error> {
        match self.put_item(entity, Some(attribute::<T>(T::HASH).not_exists())).await {
            Err(Error::ConditionalCheckFailed { .. }) => Err(Error::AlreadyExists {
                table: T::NAME.to_string(),
            }),
            other => other.map(|_| ()),
        }
    }

    async fn put_item<E: Entity<Table = T>>(
        &self,
        entity: &E,
        condition: Option<Condition<Row<T>>>,
    ) -> Result<PutItemOutput, Error> {
        self.ensure().await?;
        let key = key_item::<E>(&entity.key())?;
        let item = entity_item(entity).map_err(|e| in_item_of::<Row<T>>(e.into(), Some(&key)))?;
        let mut ph = Placeholders::new();
        let cond = condition.map(|c| c.render(&mut ph)).transpose()?;
        let (names, values) = ph.into_maps();
        self.database()
            .put_item(
                PutItemInput::builder()
                    .table_name(T::NAME)
                    .set_item(Some(item))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .build()?,
            )
            .await
            .map_err(|e| in_item_of::<Row<T>>(e, Some(&key)))
    }

    /// Reads the `E` with this key (`("u1", "o1")`: the `hash` then the
    /// `range` fields' values). A missing item is `Ok(None)`; an item of
    /// another entity type at that key is an [`Error::Conversion`].
    pub async fn get<E: Entity<Table = T>>(&self, key: impl IntoKey<E::Key>) -> Result<Option<E>, Error> {
        self.get_with(key.into_key(), false).await
    }

    /// Like [`EntityTable::get`], with a strongly consistent read.
    pub async fn get_consistent<E: Entity<Table = T>>(&self, key: impl IntoKey<E::Key>) -> Result<Option<E>, Error> {
        self.get_with(key.into_key(), true).await
    }

    async fn get_with<E: Entity<Table = T>>(&self, key: E::Key, consistent: bool) -> Result<Option<E>, Error> {
        self.ensure().await?;
        let key = key_item::<E>(&key)?;
        let out = self
            .database()
            .get_item(
                GetItemInput::builder()
                    .table_name(T::NAME)
                    .set_key(Some(key.clone()))
                    .consistent_read(consistent)
                    .build()?,
            )
            .await
            .map_err(|e| in_item_of::<Row<T>>(e, Some(&key)))?;
        out.item.map(decode_entity::<T, E>).transpose()
    }

    /// Deletes the `E` with this key: `true` if there was one, `false` if
    /// there was no item. An item of another entity type at that key is
    /// left alone: [`Error::ConditionalCheckFailed`], with the item.
    pub async fn delete<E: Entity<Table = T>>(&self, key: impl IntoKey<E::Key>) -> Result<bool, Error> {
        self.ensure().await?;
        let key = key_item::<E>(&key.into_key())?;
        let condition = attribute::<T>(T::HASH)
            .not_exists()
            .or(attribute::<T>(T::ENTITY).eq(E::TYPE));
        let mut ph = Placeholders::new();
        let cond = condition.render(&mut ph)?;
        let (names, values) = ph.into_maps();
        let out = self
            .database()
            .delete_item(
                DeleteItemInput::builder()
                    .table_name(T::NAME)
                    .set_key(Some(key.clone()))
                    .condition_expression(cond)
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .return_values(ReturnValue::AllOld)
                    .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
                    .build()?,
            )
            .await
            .map_err(|e| in_item_of::<Row<T>>(e, Some(&key)))?;
        Ok(out.attributes.is_some())
    }

    /// The `E`s of one partition (`("u1",)`: the `hash` fields' values), in
    /// sort-key order: the items whose sort key begins with the literal
    /// prefix of `E`'s sort-key template (`ORDER#`), filtered to `E`'s
    /// entity type.
    pub fn query<E: Entity<Table = T> + FromItem<T>>(&self, hash: impl IntoKey<E::Hash>) -> EntityQuery<T, E> {
        let key = PartitionKey::<T>::of::<E>(hash);
        EntityQuery::new(typed::<T, E>(self.table.query(key.value), T::RANGE, E::SK))
    }

    /// The `E`s of one partition of `index`: `parts` fill `E`'s template for
    /// the index's hash key, in order (`("ann@example.com",)` for
    /// `"EMAIL#{email}"`); range-key prefix and type filter as in
    /// [`EntityTable::query`].
    pub fn query_index<E: Entity<Table = T> + FromItem<T>>(
        &self,
        index: GlobalIndex<T>,
        parts: impl IntoParts,
    ) -> EntityQuery<T, E> {
        let key = PartitionKey::<T>::index::<E>(index, parts);
        let query = self.table.query_index(index_of::<T>(index.def), key.value);
        EntityQuery::new(match E::INDEXES.iter().find(|i| i.index == index.def) {
            Some(ix) => typed::<T, E>(query, index.def.range, ix.sk),
            None => query,
        })
    }

    /// Every item of one partition (of the table or of an index), in
    /// sort-key order, each an `A`: an aggregate of several entity types
    /// (an item of a type that is none of its members is an `Err` in its
    /// place, and the stream goes on), a single [`Entity`], or a [`Row`].
    pub fn partition<A: FromItem<T>>(&self, key: PartitionKey<T>) -> EntityQuery<T, A> {
        EntityQuery::new(match key.index {
            None => self.table.query(key.value),
            Some(ix) => self.table.query_index(index_of::<T>(ix), key.value),
        })
    }
}

/// The typed handle of one index, for the plain Query API.
fn index_of<T: TableDef>(ix: IndexDef) -> Index<Row<T>, KeyValue, Row<T>> {
    Index::new(ix.name, ix.hash)
}

/// `query` narrowed to `E`: a range key beginning with the literal prefix
/// of `E`'s template for it, and `E`'s entity type.
fn typed<T: TableDef, E: Entity<Table = T>>(query: Query<Row<T>>, range: &'static str, sk: Template) -> Query<Row<T>> {
    let query = query.filter(attribute::<T>(T::ENTITY).eq(E::TYPE));
    match sk.prefix() {
        "" => query,
        prefix => query.range(attribute::<T>(range).begins_with(prefix)),
    }
}

/// A Query of the single table `T` (or of one of its indexes) whose items
/// are read as `O`: the plain [`Query`] over [`Row`]s, each item decoded.
#[must_use]
pub struct EntityQuery<T: TableDef, O> {
    query: Query<Row<T>>,
    _out: PhantomData<fn() -> O>,
}

impl<T: TableDef, O> std::fmt::Debug for EntityQuery<T, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityQuery").field("query", &self.query).finish()
    }
}

impl<T: TableDef, O: FromItem<T>> EntityQuery<T, O> {
    fn new(query: Query<Row<T>>) -> Self {
        EntityQuery {
            query,
            _out: PhantomData,
        }
    }

    fn map(self, f: impl FnOnce(Query<Row<T>>) -> Query<Row<T>>) -> Self {
        EntityQuery::new(f(self.query))
    }

    /// Descending sort-key order.
    pub fn reverse(self) -> Self {
        self.map(Query::reverse)
    }

    /// At most `n` items in all (across pages).
    pub fn limit(self, n: usize) -> Self {
        self.map(|q| q.limit(n))
    }

    /// How many items DynamoDB reads per page (its `Limit`).
    pub fn page_size(self, n: i32) -> Self {
        self.map(|q| q.page_size(n))
    }

    /// Strongly consistent reads (not on global indexes).
    pub fn consistent(self) -> Self {
        self.map(Query::consistent)
    }

    /// One page, starting at `cursor` (`None`: the beginning). An item that
    /// does not decode fails the page, naming its key.
    pub async fn page(&self, cursor: Option<Cursor>) -> Result<Page<O>, Error> {
        let page = self.query.page(cursor).await?;
        Ok(Page {
            records: page
                .records
                .into_iter()
                .map(|row| O::from_item(row.item))
                .collect::<Result<_, _>>()?,
            next: page.next,
        })
    }

    /// Every item, as a stream that reads page after page. An item that
    /// does not decode is one `Err` naming its key and table, and the
    /// stream goes on with the next item.
    pub fn stream(self) -> BoxStream<'static, Result<O, Error>> {
        self.query
            .stream()
            .map(|row| row.and_then(|row| O::from_item(row.item)))
            .boxed()
    }

    /// Every item, collected (the first that does not decode fails the
    /// whole read).
    pub async fn all(self) -> Result<Vec<O>, Error> {
        self.stream().try_collect().await
    }

    /// The number of items (`Select = COUNT`, across pages).
    pub async fn count(self) -> Result<u64, Error> {
        self.query.count().await
    }
}
