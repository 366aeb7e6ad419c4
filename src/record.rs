//! What the `dynamo_table!` DSL implements: [`Document`] for every record
//! (conversion to and from an item), [`Record`] for table records (the
//! table's schema, key, version, hook).
//!
//! Everything else — conversion of values, expressions, paging, batching,
//! retries — is generic library code over these traits.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::convert::{Attr, Bytes, ConvertError};
use crate::schema::{KeyType, TableSchema};
use crate::{Error, Item};

/// A record: a struct that converts to and from a DynamoDB item.
pub trait Document: Sized + Send + Sync + 'static {
    /// The item holding the record's fields (absent values are left out).
    fn to_item(&self) -> Result<Item, ConvertError>;
    /// The record from an item. Attributes the record does not declare are
    /// ignored; missing ones take the field's declared default, or its type's
    /// absent value (`None`, empty collections), or are an error.
    fn from_item(item: Item) -> Result<Self, ConvertError>;
    /// The record from any [`ItemSource`], as [`Document::from_item`] reads
    /// it from an item. Records the DSL declares read each field straight
    /// from the source (on the mock, from the item as stored, with no
    /// attribute map built in between); the default collects the source
    /// into an item and calls [`Document::from_item`].
    fn from_source<S: ItemSource + ?Sized>(source: &mut S) -> Result<Self, ConvertError> {
        Self::from_item(source.take_rest())
    }
    /// The names of the declared fields.
    fn field_names() -> &'static [&'static str];
}

/// Attributes a record is read from, one by one: an [`Item`], or an item a
/// backend hands over without building the item first (see
/// [`crate::FoundItem`]).
pub trait ItemSource {
    /// Takes the attribute `name` (`None` when there is none, or when it was
    /// taken already).
    fn take(&mut self, name: &str) -> Option<AttributeValue>;
    /// A copy of the attribute `name`, leaving it in place.
    fn peek(&self, name: &str) -> Option<AttributeValue>;
    /// Whether there is an attribute `name` not yet taken.
    fn contains(&self, name: &str) -> bool;
    /// Every attribute not yet taken, as an item (the source is left empty).
    fn take_rest(&mut self) -> Item;
}

impl ItemSource for Item {
    fn take(&mut self, name: &str) -> Option<AttributeValue> {
        self.remove(name)
    }
    fn peek(&self, name: &str) -> Option<AttributeValue> {
        self.get(name).cloned()
    }
    fn contains(&self, name: &str) -> bool {
        self.contains_key(name)
    }
    fn take_rest(&mut self) -> Item {
        std::mem::take(self)
    }
}

/// A table record: a [`Document`] stored in a declared table.
pub trait Record: Document + Clone {
    /// The primary key: the hash key's type, or `(hash, range)`.
    type Key: Clone + Send + Sync + std::fmt::Debug + crate::table::RecordKey;
    /// The hash key's type.
    type Hash: KeyAttrType;
    /// The table declaration (name without prefix, keys, indexes, billing).
    fn schema() -> &'static TableSchema;
    /// The key item of a key.
    fn key_item(key: &Self::Key) -> Result<Item, ConvertError>;
    /// This record's key.
    fn key(&self) -> Self::Key;
    /// The optimistic-locking version attribute, if the record has one.
    fn version_attribute() -> Option<&'static str> {
        None
    }
    /// The version held by this record (0 for a record never saved).
    fn version(&self) -> u64 {
        0
    }
    /// Sets the version held by this record.
    fn set_version(&mut self, _version: u64) {}
    /// Whether [`Record::check`] may change or refuse the record, so that a
    /// write runs it on a copy (the caller's record is left as it was when
    /// it fails). The DSL sets it `false` for records declared without a
    /// hook, which are then written without being copied.
    const HAS_CHECK: bool = true;
    /// The record's validate/normalise hook, run before every write (the
    /// original's `_check_data`): declared with `check(path::to::fn)`.
    fn check(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

/// Types that can be key attributes: strings, integers and binary.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "key attributes must be String, an integer type, Bytes or Blob",
    note = "DynamoDB keys are strings (S), numbers (N) or binary (B)"
)]
pub trait KeyAttrType: Attr + Clone + Send + Sync + std::fmt::Debug {
    /// The key attribute's DynamoDB type.
    const KEY_TYPE: KeyType;
}

impl KeyAttrType for String {
    const KEY_TYPE: KeyType = KeyType::S;
}
impl KeyAttrType for Bytes {
    const KEY_TYPE: KeyType = KeyType::B;
}
impl KeyAttrType for Blob {
    const KEY_TYPE: KeyType = KeyType::B;
}
macro_rules! int_keys {
    ($($t:ty),*) => { $(impl KeyAttrType for $t { const KEY_TYPE: KeyType = KeyType::N; })* };
}
int_keys!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// Types that can be secondary-index key attributes: key types, and
/// `Option`s of them (an item without the attribute is not in the index).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB index key attribute",
    label = "index key attributes must be String, an integer type, Bytes or Blob, or an Option of one"
)]
pub trait IndexKeyType: Attr {
    /// The key attribute's DynamoDB type.
    const KEY_TYPE: KeyType;
}

impl<T: KeyAttrType> IndexKeyType for T {
    const KEY_TYPE: KeyType = <T as KeyAttrType>::KEY_TYPE;
}

impl<T: KeyAttrType> IndexKeyType for Option<T> {
    const KEY_TYPE: KeyType = <T as KeyAttrType>::KEY_TYPE;
}

/// The key attribute type of a field handle (used by the DSL to declare
/// index keys through the fields they name).
pub fn key_type_of<R, T: IndexKeyType>(_field: &crate::expr::Field<R, T>) -> KeyType {
    T::KEY_TYPE
}

/// A record as a map attribute (records nested in records).
pub fn document_to_attr<D: Document>(doc: &D) -> Result<Option<AttributeValue>, ConvertError> {
    Ok(Some(AttributeValue::M(doc.to_item()?)))
}

/// A record from a map attribute.
pub fn document_from_attr<D: Document>(av: AttributeValue) -> Result<D, ConvertError> {
    match av {
        AttributeValue::M(m) => D::from_item(m),
        other => Err(ConvertError::wrong_type(
            crate::vocab::AttrType::M.name(),
            crate::convert::type_of(&other),
        )),
    }
}

/// The value of a version field (which must be a `u64`).
pub fn version_of(v: &u64) -> u64 {
    *v
}

/// One key attribute value, for key items.
pub fn key_value<T: KeyAttrType>(name: &str, value: &T) -> Result<AttributeValue, ConvertError> {
    value.to_attr()?.ok_or_else(|| ConvertError::missing().at(name))
}

/// The key of an item of `R`'s table, as text for messages:
/// `id = "ann"`, `player = "ann", game = 3`, `blob = 0x0aff` (the key
/// attributes the item holds; `None` when it holds none).
pub(crate) fn key_text<R: Record>(item: &Item) -> Option<String> {
    let schema = R::schema();
    let parts: Vec<String> = std::iter::once(&schema.hash)
        .chain(schema.range.as_ref())
        .filter_map(|k| item.get(&k.name).map(|v| format!("{} = {}", k.name, value_text(v))))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A key value as text: strings quoted, numbers as written, binaries in hex.
fn value_text(v: &AttributeValue) -> String {
    match v {
        AttributeValue::S(s) => format!("{s:?}"),
        AttributeValue::N(n) => n.clone(),
        AttributeValue::B(b) => {
            let hex: String = b.as_ref().iter().map(|byte| format!("{byte:02x}")).collect();
            format!("0x{hex}")
        }
        other => crate::convert::type_of(other).to_string(),
    }
}

/// `e`, naming `R`'s table and the item `key` (a key item, or a whole item).
pub(crate) fn in_item_of<R: Record>(e: Error, key: Option<&Item>) -> Error {
    let key = key.and_then(key_text::<R>);
    e.in_item(&R::schema().name, key.as_deref())
}

/// `e`, naming `R`'s table and the record key `key`.
pub(crate) fn at_key<R: Record>(e: Error, key: &R::Key) -> Error {
    in_item_of::<R>(e, R::key_item(key).ok().as_ref())
}
