//! Fast decoding of the commonest request bodies: `GetItem`, `PutItem` and
//! `BatchWriteItem` with their usual members, read straight into the SDK's
//! inputs without building a JSON tree first.
//!
//! It is strict: a body with any other member, a `null`, a value of another
//! type, or an attribute value that is not exactly one well-formed type
//! gives `None`, and the request takes the general path (`json_items`),
//! which reads every shape and reports every error the way DynamoDB does.
//! So for any body this accepts, the general path would build the same
//! input.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::primitives::Blob;
use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::codec::base64_decode;
use crate::sdk::*;
use crate::vocab::AttrType;

type Item = HashMap<String, AttributeValue>;

/// Why the fast path gave up (the general path will say what is wrong, if
/// anything is).
#[derive(Debug)]
struct NotFast;

impl fmt::Display for NotFast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a shape the fast path reads")
    }
}

impl std::error::Error for NotFast {}

impl serde::de::Error for NotFast {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotFast
    }
}

fn decode<T>(body: &[u8], seed: impl for<'de> DeserializeSeed<'de, Value = T>) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = seed.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// `GetItem` with `TableName`, `Key` and, optionally, `ConsistentRead`.
pub(super) fn get_item(body: &[u8]) -> Option<GetItemInput> {
    let mut m = decode(body, Members)?;
    let input = GetItemInput::builder()
        .table_name(m.table_name.take()?)
        .set_key(Some(m.key.take()?))
        .set_consistent_read(m.consistent_read.take());
    m.is_empty().then(|| input.build().ok())?
}

/// `PutItem` with `TableName` and `Item`.
pub(super) fn put_item(body: &[u8]) -> Option<PutItemInput> {
    let mut m = decode(body, Members)?;
    let input = PutItemInput::builder()
        .table_name(m.table_name.take()?)
        .set_item(Some(m.item.take()?));
    m.is_empty().then(|| input.build().ok())?
}

/// `BatchWriteItem` with `RequestItems` of put and delete requests.
pub(super) fn batch_write_item(body: &[u8]) -> Option<BatchWriteItemInput> {
    let mut m = decode(body, Members)?;
    let input = BatchWriteItemInput::builder().set_request_items(Some(m.request_items.take()?));
    m.is_empty().then(|| input.build().ok())?
}

/// The top-level members the fast path knows. Each request takes the ones
/// it needs (all required: without one, the general path answers) and
/// refuses a body with any left over.
#[derive(Default)]
struct Fields {
    table_name: Option<String>,
    key: Option<Item>,
    item: Option<Item>,
    consistent_read: Option<bool>,
    request_items: Option<HashMap<String, Vec<WriteRequest>>>,
}

impl Fields {
    /// Whether every member read was taken.
    fn is_empty(&self) -> bool {
        self.table_name.is_none()
            && self.key.is_none()
            && self.item.is_none()
            && self.consistent_read.is_none()
            && self.request_items.is_none()
    }
}

/// Reads the request's top-level object into `Fields`.
struct Members;

impl<'de> DeserializeSeed<'de> for Members {
    type Value = Fields;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Members {
    type Value = Fields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut m = Fields::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            // A repeated member: the general path decides.
            let taken = match key.0.as_ref() {
                "TableName" => m.table_name.replace(map.next_value()?).is_some(),
                "Key" => m.key.replace(map.next_value_seed(ItemSeed)?).is_some(),
                "Item" => m.item.replace(map.next_value_seed(ItemSeed)?).is_some(),
                "ConsistentRead" => m.consistent_read.replace(map.next_value()?).is_some(),
                "RequestItems" => m.request_items.replace(map.next_value_seed(RequestItems)?).is_some(),
                _ => true,
            };
            if taken {
                return Err(A::Error::custom(NotFast));
            }
        }
        Ok(m)
    }
}

/// A member name, borrowed when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(v.into()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(v.to_owned().into()))
            }
        }
        d.deserialize_str(V)
    }
}

/// An item (or key): a map of attribute values.
struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of attribute values")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut item = Item::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed)?;
            item.insert(name, value);
        }
        Ok(item)
    }
}

/// One attribute value: an object with exactly one type member.
struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = AttributeValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<AttributeValue, D::Error> {
        d.deserialize_map(self)
    }
}

fn blob<E: serde::de::Error>(text: &str) -> Result<Blob, E> {
    base64_decode(text).map(Blob::new).map_err(|_| E::custom(NotFast))
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = AttributeValue;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AttributeValue, A::Error> {
        let Some(kind) = map.next_key::<Key<'de>>()? else {
            return Err(A::Error::custom(NotFast));
        };
        let value = match AttrType::from_name(kind.0.as_ref()) {
            Some(AttrType::S) => AttributeValue::S(map.next_value()?),
            Some(AttrType::N) => AttributeValue::N(map.next_value()?),
            Some(AttrType::B) => AttributeValue::B(blob(map.next_value::<Key<'de>>()?.0.as_ref())?),
            Some(AttrType::Bool) => AttributeValue::Bool(map.next_value()?),
            Some(AttrType::Null) => AttributeValue::Null(map.next_value()?),
            Some(AttrType::Ss) => AttributeValue::Ss(map.next_value()?),
            Some(AttrType::Ns) => AttributeValue::Ns(map.next_value()?),
            Some(AttrType::Bs) => AttributeValue::Bs(
                map.next_value::<Vec<Key<'de>>>()?
                    .iter()
                    .map(|k| blob(k.0.as_ref()))
                    .collect::<Result<_, _>>()?,
            ),
            Some(AttrType::L) => AttributeValue::L(map.next_value_seed(ListSeed)?),
            Some(AttrType::M) => AttributeValue::M(map.next_value_seed(ItemSeed)?),
            None => return Err(A::Error::custom(NotFast)),
        };
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(A::Error::custom(NotFast));
        }
        Ok(value)
    }
}

/// The elements of an `L`.
struct ListSeed;

impl<'de> DeserializeSeed<'de> for ListSeed {
    type Value = Vec<AttributeValue>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed {
    type Value = Vec<AttributeValue>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of attribute values")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(v) = seq.next_element_seed(ValueSeed)? {
            out.push(v);
        }
        Ok(out)
    }
}

/// `RequestItems`: table name to write requests.
struct RequestItems;

impl<'de> DeserializeSeed<'de> for RequestItems {
    type Value = HashMap<String, Vec<WriteRequest>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RequestItems {
    type Value = HashMap<String, Vec<WriteRequest>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RequestItems")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = HashMap::new();
        while let Some(table) = map.next_key::<String>()? {
            let requests = map.next_value_seed(Requests)?;
            if out.insert(table, requests).is_some() {
                return Err(A::Error::custom(NotFast));
            }
        }
        Ok(out)
    }
}

/// One table's write requests.
struct Requests;

impl<'de> DeserializeSeed<'de> for Requests {
    type Value = Vec<WriteRequest>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Requests {
    type Value = Vec<WriteRequest>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("write requests")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(25));
        while let Some(r) = seq.next_element_seed(Request)? {
            out.push(r);
        }
        Ok(out)
    }
}

/// `{"PutRequest": {"Item": ...}}` or `{"DeleteRequest": {"Key": ...}}`.
struct Request;

impl<'de> DeserializeSeed<'de> for Request {
    type Value = WriteRequest;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Request {
    type Value = WriteRequest;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a write request")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(kind) = map.next_key::<Key<'de>>()? else {
            return Err(A::Error::custom(NotFast));
        };
        let request = match kind.0.as_ref() {
            "PutRequest" => {
                let item = map.next_value_seed(OneMember("Item"))?;
                WriteRequest::builder()
                    .put_request(
                        PutRequest::builder()
                            .set_item(Some(item))
                            .build()
                            .map_err(A::Error::custom)?,
                    )
                    .build()
            }
            "DeleteRequest" => {
                let key = map.next_value_seed(OneMember("Key"))?;
                WriteRequest::builder()
                    .delete_request(
                        DeleteRequest::builder()
                            .set_key(Some(key))
                            .build()
                            .map_err(A::Error::custom)?,
                    )
                    .build()
            }
            _ => return Err(A::Error::custom(NotFast)),
        };
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(A::Error::custom(NotFast));
        }
        Ok(request)
    }
}

/// An object whose only member is the named item.
struct OneMember(&'static str);

impl<'de> DeserializeSeed<'de> for OneMember {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneMember {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with {}", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        match map.next_key::<Key<'de>>()? {
            Some(k) if k.0 == self.0 => {}
            _ => return Err(A::Error::custom(NotFast)),
        }
        let item = map.next_value_seed(ItemSeed)?;
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(A::Error::custom(NotFast));
        }
        Ok(item)
    }
}

#[cfg(test)]
mod tests;
