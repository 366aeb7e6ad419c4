//! Key values as the store orders them, and the rules for key attributes.
//!
//! Items live in ordered maps keyed by [`KeyValue`]: numbers numerically,
//! strings and binary bytewise, as DynamoDB sorts them.

use std::cmp::Ordering;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::meta::IndexMeta;
use super::number;
use crate::schema::{KeyAttr, KeyType};
use crate::vocab::AttrType;
use crate::{Error, Item};

/// A number key: its text (canonical for stored items), and the text's
/// byte-comparable form ([`number::order_bytes`]), by which it is ordered,
/// numerically, with a plain byte comparison.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct NumKey {
    text: String,
    order: KeyBytes,
}

impl NumKey {
    /// The key of the number `text`.
    pub(crate) fn new(text: String) -> NumKey {
        let order = number::order_bytes(&text);
        NumKey { text, order }
    }

    /// The number, as written.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

impl Ord for NumKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.order.cmp(&other.order)
    }
}

impl PartialOrd for NumKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Key bytes ([`KeyValue::order_bytes`]: of a hash key in the storage's map
/// of partitions, of a number key): inline up to [`KeyBytes::INLINE`] bytes
/// (most keys: ids, hex digests, numbers), so that finding or comparing a
/// key reads no other allocation than its holder's; on the heap when
/// longer. Equal, ordered, hashed and borrowed as the bytes themselves.
#[derive(Clone)]
pub(crate) enum KeyBytes {
    /// Up to [`KeyBytes::INLINE`] bytes: `len` of `bytes`.
    Inline { len: u8, bytes: [u8; KeyBytes::INLINE] },
    /// Longer keys.
    Heap(Box<[u8]>),
}

impl KeyBytes {
    /// The longest key held inline: what fits beside the length and the tag
    /// in the 24 bytes the heap variant takes anyway.
    pub(crate) const INLINE: usize = 22;

    pub(crate) fn new(key: &[u8]) -> KeyBytes {
        if key.len() <= KeyBytes::INLINE {
            let mut bytes = [0; KeyBytes::INLINE];
            bytes[..key.len()].copy_from_slice(key);
            // Fits: at most INLINE (22).
            KeyBytes::Inline {
                len: key.len() as u8,
                bytes,
            }
        } else {
            KeyBytes::Heap(key.into())
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            KeyBytes::Inline { len, bytes } => &bytes[..usize::from(*len).min(KeyBytes::INLINE)],
            KeyBytes::Heap(b) => b,
        }
    }
}

impl std::fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_bytes().fmt(f)
    }
}

impl PartialEq for KeyBytes {
    fn eq(&self, other: &KeyBytes) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for KeyBytes {}

impl Ord for KeyBytes {
    fn cmp(&self, other: &KeyBytes) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl PartialOrd for KeyBytes {
    fn partial_cmp(&self, other: &KeyBytes) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for KeyBytes {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As `[u8]` hashes, for `Borrow<[u8]>`.
        self.as_bytes().hash(state);
    }
}

impl std::ops::Deref for KeyBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl std::borrow::Borrow<[u8]> for KeyBytes {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// The key of a global index with several partition (or sort) key
/// attributes: their values in key-schema order, ordered left to right, each
/// by its own type's order; with bytes that are equal exactly when the
/// values are (for [`KeyValue::order_bytes`]).
#[derive(Debug, Clone)]
pub(crate) struct TupleKey {
    parts: Box<[KeyValue]>,
    bytes: Box<[u8]>,
}

impl TupleKey {
    /// The tuple of `parts` (in key-schema order).
    pub(crate) fn new(parts: Vec<KeyValue>) -> TupleKey {
        let mut bytes = Vec::new();
        for p in &parts {
            // Each part as type, length and bytes: distinct tuples never
            // share their bytes.
            let tag = match p {
                KeyValue::S(_) => b'S',
                KeyValue::N(_) => b'N',
                KeyValue::B(_) => b'B',
                KeyValue::Tuple(_) => b'T',
            };
            let b = p.order_bytes();
            bytes.push(tag);
            bytes.extend_from_slice(&(b.len() as u64).to_be_bytes());
            bytes.extend_from_slice(b);
        }
        TupleKey {
            parts: parts.into_boxed_slice(),
            bytes: bytes.into_boxed_slice(),
        }
    }

    /// The values, in key-schema order.
    pub(crate) fn parts(&self) -> &[KeyValue] {
        &self.parts
    }
}

impl PartialEq for TupleKey {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for TupleKey {}

impl std::hash::Hash for TupleKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

impl Ord for TupleKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl PartialOrd for TupleKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A scalar key value. One key attribute has one type, so values of
/// different variants are never compared in practice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum KeyValue {
    /// A string, ordered by its UTF-8 bytes.
    S(String),
    /// A number, ordered numerically.
    N(NumKey),
    /// Binary, ordered bytewise.
    B(Vec<u8>),
    /// The values of a global index's several partition (or sort) key
    /// attributes; never a table's key, nor that of an index whose key part
    /// has one attribute.
    Tuple(TupleKey),
}

impl KeyValue {
    /// The key value of an attribute value of type `ty`, if it has that type.
    /// Numbers must already be canonical (stored items are).
    pub(crate) fn from_attr(av: &AttributeValue, ty: KeyType) -> Option<KeyValue> {
        match (av, ty) {
            (AttributeValue::S(s), KeyType::S) => Some(KeyValue::S(s.clone())),
            (AttributeValue::N(n), KeyType::N) => Some(KeyValue::N(NumKey::new(n.clone()))),
            (AttributeValue::B(b), KeyType::B) => Some(KeyValue::B(b.as_ref().to_vec())),
            _ => None,
        }
    }

    /// Back to an attribute value.
    pub(crate) fn to_attr(&self) -> AttributeValue {
        match self {
            KeyValue::S(s) => AttributeValue::S(s.clone()),
            KeyValue::N(n) => AttributeValue::N(n.text.clone()),
            KeyValue::B(b) => AttributeValue::B(Blob::new(b.clone())),
            // Never asked of a tuple (no single attribute holds one).
            KeyValue::Tuple(t) => AttributeValue::L(t.parts.iter().map(KeyValue::to_attr).collect()),
        }
    }

    /// Bytes that order key values of one type as they are ordered (equal
    /// exactly when the values are): a string's UTF-8, a binary's bytes, a
    /// number's [`number::order_bytes`].
    pub(crate) fn order_bytes(&self) -> &[u8] {
        match self {
            KeyValue::S(s) => s.as_bytes(),
            KeyValue::N(n) => n.order.as_bytes(),
            KeyValue::B(b) => b,
            KeyValue::Tuple(t) => &t.bytes,
        }
    }

    /// Size in bytes as DynamoDB counts it for key values.
    pub(crate) fn size(&self) -> usize {
        match self {
            KeyValue::S(s) => s.len(),
            KeyValue::N(n) => n.text.len(),
            KeyValue::B(b) => b.len(),
            KeyValue::Tuple(t) => t.parts.iter().map(KeyValue::size).sum(),
        }
    }
}

/// A table's (or an index's) primary key: hash value and optional range value.
pub(crate) type PrimaryKey = (KeyValue, Option<KeyValue>);

/// DynamoDB's short name of an attribute value's type (`S`, `N`, `SS`, ...).
pub(crate) fn type_name(av: &AttributeValue) -> &'static str {
    crate::convert::type_of(av)
}

fn key_type_name(ty: KeyType) -> &'static str {
    AttrType::from(ty).name()
}

/// The error for an empty string or binary key value.
pub(crate) fn empty_key_error(name: &str, av: &AttributeValue) -> Error {
    let what = if matches!(av, AttributeValue::B(_)) {
        "binary"
    } else {
        "string"
    };
    Error::Validation(format!(
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {what} value. Key: {name}"
    ).into())
}

/// Whether `av` is an empty string or binary.
pub(crate) fn is_empty_scalar(av: &AttributeValue) -> bool {
    match av {
        AttributeValue::S(s) => s.is_empty(),
        AttributeValue::B(b) => b.as_ref().is_empty(),
        _ => false,
    }
}

/// The largest hash key value, in bytes.
pub(crate) const MAX_HASH_KEY_BYTES: usize = 2048;
/// The largest range key value, in bytes.
pub(crate) const MAX_RANGE_KEY_BYTES: usize = 1024;

fn check_key_sizes(key: &PrimaryKey) -> Result<(), Error> {
    if key.0.size() > MAX_HASH_KEY_BYTES {
        return Err(Error::Validation(
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
                .into(),
        ));
    }
    if key.1.as_ref().is_some_and(|r| r.size() > MAX_RANGE_KEY_BYTES) {
        return Err(Error::Validation(
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
                .into(),
        ));
    }
    Ok(())
}

/// The primary key of an item being written (PutItem, a batch put, the
/// result of an update): every key attribute present, of its type, non-empty.
pub(crate) fn item_key(item: &Item, hash: &KeyAttr, range: Option<&KeyAttr>) -> Result<PrimaryKey, Error> {
    let one =
        |k: &KeyAttr| -> Result<KeyValue, Error> {
            let av = item.get(&k.name).ok_or_else(|| {
                Error::Validation(
                    format!(
                        "One or more parameter values were invalid: Missing the key {} in the item",
                        k.name
                    )
                    .into(),
                )
            })?;
            let kv =
                KeyValue::from_attr(av, k.ty).ok_or_else(|| {
                    Error::Validation(format!(
                "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                k.name,
                key_type_name(k.ty),
                type_name(av)
            ).into())
                })?;
            if is_empty_scalar(av) {
                return Err(empty_key_error(&k.name, av));
            }
            Ok(kv)
        };
    let key = (one(hash)?, range.map(one).transpose()?);
    check_key_sizes(&key)?;
    Ok(key)
}

/// The primary key named by a `Key` parameter (GetItem, DeleteItem,
/// UpdateItem, batch gets and deletes): exactly the key attributes.
pub(crate) fn request_key(key: &Item, hash: &KeyAttr, range: Option<&KeyAttr>) -> Result<PrimaryKey, Error> {
    // DynamoDB Local refuses a deeply nested value in a key for its depth.
    super::values::check_item_nesting(key)?;
    let mismatch = || Error::Validation("The provided key element does not match the schema".into());
    let expected = 1 + usize::from(range.is_some());
    if key.len() != expected {
        return Err(mismatch());
    }
    let one = |k: &KeyAttr| -> Result<KeyValue, Error> {
        let av = key.get(&k.name).ok_or_else(mismatch)?;
        let kv = KeyValue::from_attr(av, k.ty).ok_or_else(mismatch)?;
        if is_empty_scalar(av) {
            return Err(empty_key_error(&k.name, av));
        }
        Ok(kv)
    };
    let key = (one(hash)?, range.map(one).transpose()?);
    check_key_sizes(&key)?;
    Ok(key)
}

/// The key of an item in a secondary index, or `None` when the item lacks
/// an index key attribute (sparse index). A present attribute of the wrong
/// type, or empty, is an error. An index with several partition (or sort)
/// key attributes keys its entries by their [`TupleKey`].
pub(crate) fn index_key(item: &Item, index: &IndexMeta) -> Result<Option<PrimaryKey>, Error> {
    let one = |k: &KeyAttr| -> Result<Option<KeyValue>, Error> {
        let Some(av) = item.get(&k.name) else { return Ok(None) };
        let kv = KeyValue::from_attr(av, k.ty).ok_or_else(|| {
            Error::Validation(format!(
                "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                k.name,
                key_type_name(k.ty),
                type_name(av),
                index.name
            ).into())
        })?;
        if is_empty_scalar(av) {
            return Err(Error::Validation(format!(
                "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: {}, IndexKey: {}",
                index.name, k.name
            ).into()));
        }
        Ok(Some(kv))
    };
    // Every attribute is checked (its type) before a missing one makes the
    // item absent from the index.
    let part = |first: &KeyAttr, more: &[KeyAttr]| -> Result<Option<KeyValue>, Error> {
        let head = one(first)?;
        if more.is_empty() {
            return Ok(head);
        }
        let mut parts = Vec::with_capacity(1 + more.len());
        let mut missing = head.is_none();
        parts.extend(head);
        for k in more {
            match one(k)? {
                Some(v) => parts.push(v),
                None => missing = true,
            }
        }
        Ok((!missing).then(|| KeyValue::Tuple(TupleKey::new(parts))))
    };
    let h = part(&index.hash, &index.more_hash)?;
    let r = match &index.range {
        Some(r) => match part(r, &index.more_range)? {
            Some(v) => Some(v),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(h.map(|h| (h, r)))
}

/// The item holding just a primary key's attributes.
pub(crate) fn key_item(key: &PrimaryKey, hash: &KeyAttr, range: Option<&KeyAttr>) -> Item {
    let mut item = Item::with_capacity(2);
    item.insert(hash.name.clone(), key.0.to_attr());
    if let (Some(r), Some(v)) = (range, &key.1) {
        item.insert(r.name.clone(), v.to_attr());
    }
    item
}

#[cfg(test)]
mod tests;
