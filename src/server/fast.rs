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
pub fn get_item(body: &[u8]) -> Option<GetItemInput> {
    let mut m = decode(body, Members)?;
    let input = GetItemInput::builder()
        .table_name(m.table_name.take()?)
        .set_key(Some(m.key.take()?))
        .set_consistent_read(m.consistent_read.take());
    m.is_empty().then(|| input.build().ok())?
}

/// `PutItem` with `TableName` and `Item`.
pub fn put_item(body: &[u8]) -> Option<PutItemInput> {
    let mut m = decode(body, Members)?;
    let input = PutItemInput::builder()
        .table_name(m.table_name.take()?)
        .set_item(Some(m.item.take()?));
    m.is_empty().then(|| input.build().ok())?
}

/// `BatchWriteItem` with `RequestItems` of put and delete requests.
pub fn batch_write_item(body: &[u8]) -> Option<BatchWriteItemInput> {
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
        let value = match kind.0.as_ref() {
            "S" => AttributeValue::S(map.next_value()?),
            "N" => AttributeValue::N(map.next_value()?),
            "B" => AttributeValue::B(blob(map.next_value::<Key<'de>>()?.0.as_ref())?),
            "BOOL" => AttributeValue::Bool(map.next_value()?),
            "NULL" => AttributeValue::Null(map.next_value()?),
            "SS" => AttributeValue::Ss(map.next_value()?),
            "NS" => AttributeValue::Ns(map.next_value()?),
            "BS" => AttributeValue::Bs(
                map.next_value::<Vec<Key<'de>>>()?
                    .iter()
                    .map(|k| blob(k.0.as_ref()))
                    .collect::<Result<_, _>>()?,
            ),
            "L" => AttributeValue::L(map.next_value_seed(ListSeed)?),
            "M" => AttributeValue::M(map.next_value_seed(ItemSeed)?),
            _ => return Err(A::Error::custom(NotFast)),
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
mod tests {
    use super::*;
    use crate::server::json_items;

    const EVERY_TYPE: &str = r#"{"s": {"S": "x\"y\u00e9"}, "n": {"N": "-1.5"}, "b": {"B": "AAH/"},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["Bw=="]},
        "t": {"BOOL": true}, "z": {"NULL": true}, "l": {"L": [{"N": "1"}, {"M": {"q": {"S": ""}}}]},
        "m": {"M": {"k": {"L": []}}}}"#;

    fn general<T>(body: &str, decode: fn(&serde_json::Value) -> Result<T, super::super::codec::CodecError>) -> T {
        decode(&serde_json::from_str(body).unwrap()).unwrap()
    }

    #[test]
    fn what_the_fast_path_reads_the_general_path_reads_the_same() {
        let put = format!(r#"{{"TableName": "things", "Item": {EVERY_TYPE}}}"#);
        assert_eq!(
            put_item(put.as_bytes()).unwrap(),
            general(&put, json_items::put_item_input)
        );
        let get = format!(r#"{{"Key": {EVERY_TYPE}, "ConsistentRead": true, "TableName": "things"}}"#);
        assert_eq!(
            get_item(get.as_bytes()).unwrap(),
            general(&get, json_items::get_item_input)
        );
        let batch = format!(
            r#"{{"RequestItems": {{"things": [{{"PutRequest": {{"Item": {EVERY_TYPE}}}}},
                {{"DeleteRequest": {{"Key": {{"id": {{"S": "a"}}}}}}}}], "other": []}}}}"#
        );
        assert_eq!(
            batch_write_item(batch.as_bytes()).unwrap(),
            general(&batch, json_items::batch_write_item_input)
        );
    }

    #[test]
    fn anything_else_takes_the_general_path() {
        let not_fast = [
            // Other members, repeated members, other request kinds.
            r#"{"TableName": "t", "Item": {}, "ReturnValues": "ALL_OLD"}"#,
            r#"{"TableName": "t", "TableName": "u", "Item": {}}"#,
            r#"{"TableName": "t", "Key": {}}"#,
            // Required members missing: the general path names them.
            r#"{}"#,
            r#"{"TableName": "t"}"#,
            r#"{"Item": {}}"#,
            // Types and shapes the general path reports on.
            r#"{"TableName": null, "Item": {}}"#,
            r#"{"TableName": 5, "Item": {}}"#,
            r#"{"TableName": "t", "Item": []}"#,
            r#"{"TableName": "t", "Item": {"a": {}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"S": "x", "N": "1"}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"S": null}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"S": 1}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"SS": ["x", null]}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"B": "not base64!"}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"X": "1"}}}"#,
            r#"{"TableName": "t", "Item": {"a": {"L": {}}}}"#,
            r#"{"TableName": "t", "Item": {}} trailing"#,
            r#"{"TableName": "t", "Item": {}"#,
            r#"[]"#,
            r#""#,
        ];
        for body in not_fast {
            assert!(put_item(body.as_bytes()).is_none(), "{body}");
        }
        for body in [
            r#"{"RequestItems": {"t": [{"PutRequest": {"Item": {}, "Extra": 1}}]}}"#,
            r#"{"RequestItems": {"t": [{"PutRequest": {"Key": {}}}]}}"#,
            r#"{"RequestItems": {"t": [{}]}}"#,
            r#"{"RequestItems": {"t": [{"PutRequest": {"Item": {}}, "DeleteRequest": {"Key": {}}}]}}"#,
            r#"{"RequestItems": {"t": []}, "ReturnConsumedCapacity": "TOTAL"}"#,
            r#"{"RequestItems": {"t": [], "t": []}}"#,
        ] {
            assert!(batch_write_item(body.as_bytes()).is_none(), "{body}");
        }
        assert!(get_item(br#"{"TableName": "t", "Key": {}, "ProjectionExpression": "a"}"#).is_none());
        assert!(get_item(br#"{"TableName": "t"}"#).is_none());
        assert!(batch_write_item(b"{}").is_none());
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;
        use serde_json::{Value, json};

        /// Attribute values, mostly well-formed, some not (the shapes the
        /// general path reports on).
        fn attribute_value() -> impl Strategy<Value = Value> {
            let text = "[a-z\"\\\\\n\u{e9}]{0,6}";
            let leaf = prop_oneof![
                text.prop_map(|s| json!({ "S": s })),
                "-?[0-9]{1,4}(\\.[0-9]{1,2})?".prop_map(|s| json!({ "N": s })),
                prop_oneof![Just("AAH/".to_string()), Just("not base64!".to_string())].prop_map(|s| json!({ "B": s })),
                prop::collection::vec(text, 0..3).prop_map(|v| json!({ "SS": v })),
                prop::collection::vec("[0-9]{1,3}", 0..3).prop_map(|v| json!({ "NS": v })),
                any::<bool>().prop_map(|b| json!({ "BOOL": b })),
                any::<bool>().prop_map(|b| json!({ "NULL": b })),
                Just(json!({})),
                Just(json!({ "S": "x", "N": "1" })),
                Just(json!({ "S": null })),
                Just(json!({ "SS": ["a", null] })),
                Just(json!({ "X": "1" })),
                Just(json!({ "BOOL": "yes" })),
                Just(json!(null)),
                Just(json!(5)),
            ];
            leaf.prop_recursive(3, 16, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "L": v })),
                    prop::collection::btree_map("[a-c]{1,2}", inner, 0..3).prop_map(|m| json!({ "M": m })),
                    Just(json!({ "L": {} })),
                    Just(json!({ "M": [] })),
                ]
            })
        }

        fn item() -> impl Strategy<Value = Value> {
            prop_oneof![
                8 => prop::collection::btree_map("[a-d]{1,3}", attribute_value(), 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                1 => Just(json!([])),
                1 => Just(json!(null)),
            ]
        }

        fn table_name() -> impl Strategy<Value = Value> {
            prop_oneof![
                6 => "[a-z]{1,5}".prop_map(Value::String),
                1 => Just(json!(null)),
                1 => Just(json!(7)),
            ]
        }

        /// A top-level object with some of `members`, maybe an extra one.
        fn request(members: Vec<(&'static str, BoxedStrategy<Value>)>) -> impl Strategy<Value = String> {
            let picks: Vec<_> = members
                .into_iter()
                .map(|(name, value)| prop::option::weighted(0.9, value).prop_map(move |v| (name, v)))
                .collect();
            (
                picks,
                prop::option::weighted(0.1, Just(("ReturnValues", json!("ALL_OLD")))),
            )
                .prop_map(|(picked, extra)| {
                    let mut o = serde_json::Map::new();
                    for (name, v) in picked.into_iter().chain(extra.map(|(n, v)| (n, Some(v)))) {
                        if let Some(v) = v {
                            o.insert(name.to_string(), v);
                        }
                    }
                    Value::Object(o).to_string()
                })
        }

        fn write_request() -> impl Strategy<Value = Value> {
            prop_oneof![
                item().prop_map(|i| json!({ "PutRequest": { "Item": i } })),
                item().prop_map(|k| json!({ "DeleteRequest": { "Key": k } })),
                Just(json!({})),
                Just(json!({ "PutRequest": { "Key": {} } })),
            ]
        }

        /// The general path's answer for a body the fast path read.
        fn agrees<T: PartialEq + fmt::Debug>(
            fast: Option<T>,
            body: &str,
            decode: fn(&Value) -> Result<T, super::super::super::codec::CodecError>,
        ) -> Result<(), TestCaseError> {
            if let Some(fast) = fast {
                let general = decode(&serde_json::from_str(body).unwrap());
                prop_assert_eq!(general.as_ref().ok(), Some(&fast), "{}", body);
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn put_item_bodies(body in request(vec![
                ("TableName", table_name().boxed()),
                ("Item", item().boxed()),
            ])) {
                agrees(put_item(body.as_bytes()), &body, json_items::put_item_input)?;
            }

            #[test]
            fn get_item_bodies(body in request(vec![
                ("TableName", table_name().boxed()),
                ("Key", item().boxed()),
                ("ConsistentRead", prop_oneof![any::<bool>().prop_map(Value::Bool), Just(json!("yes"))].boxed()),
            ])) {
                agrees(get_item(body.as_bytes()), &body, json_items::get_item_input)?;
            }

            #[test]
            fn batch_write_item_bodies(body in request(vec![(
                "RequestItems",
                prop::collection::btree_map("[a-c]{1,2}", prop::collection::vec(write_request(), 0..4), 0..3)
                    .prop_map(|m| json!(m))
                    .boxed(),
            )])) {
                agrees(batch_write_item(body.as_bytes()), &body, json_items::batch_write_item_input)?;
            }
        }
    }
}
