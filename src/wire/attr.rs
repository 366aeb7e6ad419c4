//! The attribute-value codec: `{"S": "x"}`, `{"N": "1"}`, `{"B": "<base64>"}`,
//! `{"SS": [...]}`, `{"L": [...]}`, `{"M": {...}}`, `{"BOOL": true}`,
//! `{"NULL": true}`, in both directions; items are maps of these.
//!
//! Decoding: unknown type keys are ignored as DynamoDB ignores them (so
//! `{"X": "1"}` is an empty `AttributeValue`), a `null` type member counts
//! as absent; no type, or several, is a validation problem recorded in the
//! collector (with `NULL: true` standing in for the value). Numbers stay
//! strings and sets are passed as they are (empty, duplicated or `null`
//! members included: a `null` member of a set is an empty string or blob)
//! for the engine to validate.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use super::{
    CodecError, Cx, Decode, Encode, MSG_AV_EMPTY, MSG_AV_MULTIPLE, MSG_UNEXPECTED_FIELD, MSG_UNEXPECTED_VALUE, Name,
    Pos, Seed, scalars_are_refused, ser, skip, structure_as_array,
};
use crate::mock::encoding::write_json_str;
use crate::vocab::AttrType;

type Item = HashMap<String, AttributeValue>;

/// Decodes standard, padded base64 as DynamoDB does, with its messages.
pub(crate) fn base64_decode(s: &str) -> Result<Vec<u8>, CodecError> {
    let len = s.encode_utf16().count();
    if !len.is_multiple_of(4) {
        return Err(ser(format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {len}"
        )));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        return Err(ser(format!("Invalid Base64 character: '{c}'")));
    }
    // What is left: misplaced padding or non-zero trailing bits.
    // ("dectected" is DynamoDB's spelling.)
    BASE64
        .decode(s)
        .map_err(|_| ser("Invalid last non-pad Base64 character dectected"))
}

/// Encodes bytes as standard, padded base64.
pub fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// What stands in for an attribute value with a problem recorded.
fn placeholder() -> AttributeValue {
    AttributeValue::Null(true)
}

impl Decode for AttributeValue {
    fn class() -> Cow<'static, str> {
        Cow::Borrowed("AttributeValue")
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ValueV(cx, pos))
    }
    /// A `null` attribute value in an item or a list is empty.
    fn null_element(cx: &mut Cx) -> Option<Self> {
        cx.checks.invalid(MSG_AV_EMPTY);
        Some(placeholder())
    }
}

/// One attribute value's visitor.
struct ValueV<'c>(&'c mut Cx, Pos);

impl ValueV<'_> {
    fn scalar<E: serde::de::Error>(self) -> Result<Option<AttributeValue>, E> {
        Err(self.0.fail(match self.1 {
            Pos::Member => ser(MSG_UNEXPECTED_FIELD),
            Pos::Element => ser(MSG_UNEXPECTED_VALUE),
        }))
    }
}

/// A member of a string, number or binary set: a `null` one is passed on
/// as an empty value, for the engine to refuse.
struct SetMember<T>(T);

impl<T: Decode + Default> Decode for SetMember<T> {
    fn class() -> Cow<'static, str> {
        T::class()
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error> {
        Ok(T::decode(d, cx, pos)?.map(SetMember))
    }
    fn null_element(_: &mut Cx) -> Option<Self> {
        Some(SetMember(T::default()))
    }
}

/// An empty blob, for a `null` member of a binary set.
#[derive(Default)]
struct SetBlob(Vec<u8>);

impl Decode for SetBlob {
    fn class() -> Cow<'static, str> {
        Blob::class()
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error> {
        Ok(Blob::decode(d, cx, pos)?.map(|b| SetBlob(b.into_inner())))
    }
}

fn set<T>(members: Vec<SetMember<T>>) -> Vec<T> {
    members.into_iter().map(|m| m.0).collect()
}

impl<'de> Visitor<'de> for ValueV<'_> {
    type Value = Option<AttributeValue>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cx = self.0;
        let mut found: Option<AttributeValue> = None;
        let mut types = 0;
        while let Some(key) = map.next_key::<Name<'de>>()? {
            // A type member is read as a structure member is (`Member`).
            let seed_cx = &mut *cx;
            let value = match AttrType::from_name(key.0.as_ref()) {
                Some(AttrType::S) => map
                    .next_value_seed(Seed::<String>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::S),
                Some(AttrType::N) => map
                    .next_value_seed(Seed::<String>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::N),
                Some(AttrType::B) => map
                    .next_value_seed(Seed::<Blob>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::B),
                Some(AttrType::Bool) => map
                    .next_value_seed(Seed::<bool>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::Bool),
                Some(AttrType::Null) => map
                    .next_value_seed(Seed::<bool>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::Null),
                Some(AttrType::Ss) => map
                    .next_value_seed(Seed::<Vec<SetMember<String>>>::new(seed_cx, Pos::Member))?
                    .map(|m| AttributeValue::Ss(set(m))),
                Some(AttrType::Ns) => map
                    .next_value_seed(Seed::<Vec<SetMember<String>>>::new(seed_cx, Pos::Member))?
                    .map(|m| AttributeValue::Ns(set(m))),
                Some(AttrType::Bs) => map
                    .next_value_seed(Seed::<Vec<SetMember<SetBlob>>>::new(seed_cx, Pos::Member))?
                    .map(|m| AttributeValue::Bs(set(m).into_iter().map(|b| Blob::new(b.0)).collect())),
                Some(AttrType::L) => map
                    .next_value_seed(Seed::<Vec<AttributeValue>>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::L),
                Some(AttrType::M) => map
                    .next_value_seed(Seed::<Item>::new(seed_cx, Pos::Member))?
                    .map(AttributeValue::M),
                None => {
                    skip(&mut map)?;
                    None
                }
            };
            if let Some(value) = value {
                types += 1;
                found.get_or_insert(value);
            }
        }
        Ok(Some(match (types, found) {
            (1, Some(value)) => value,
            (0, _) | (_, None) => {
                cx.checks.invalid(MSG_AV_EMPTY);
                placeholder()
            }
            _ => {
                cx.checks.invalid(MSG_AV_MULTIPLE);
                placeholder()
            }
        }))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(structure_as_array("AttributeValue")))
    }
    scalars_are_refused!();
}

fn write_str_list(out: &mut Vec<u8>, list: &[String]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, s.as_bytes());
    }
    out.push(b']');
}

/// Writes an attribute value as DynamoDB's JSON (`{"S":"x"}`). The SDK's
/// `Unknown` variant, which the engine never produces, is written `{}`.
pub(crate) fn write_attr(out: &mut Vec<u8>, av: &AttributeValue) {
    let Some(ty) = AttrType::of(av) else {
        out.extend_from_slice(b"{}");
        return;
    };
    out.extend_from_slice(ty.json_open());
    match av {
        AttributeValue::S(s) | AttributeValue::N(s) => write_json_str(out, s.as_bytes()),
        AttributeValue::B(b) => write_json_str(out, base64_encode(b.as_ref()).as_bytes()),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => write_str_list(out, v),
        AttributeValue::Bs(v) => {
            let encoded: Vec<String> = v.iter().map(|b| base64_encode(b.as_ref())).collect();
            write_str_list(out, &encoded);
        }
        AttributeValue::L(v) => v.encode(out),
        AttributeValue::M(m) => m.encode(out),
        _ => {}
    }
    out.push(b'}');
}

impl Encode for AttributeValue {
    fn encode(&self, out: &mut Vec<u8>) {
        write_attr(out, self);
    }
}

/// Writes an item (or a key) as DynamoDB's JSON.
pub fn write_item(out: &mut Vec<u8>, item: &HashMap<String, AttributeValue>) {
    item.encode(out);
}

/// Encodes an attribute value as a JSON tree (`{"S": "x"}`), for the tools
/// that build JSON documents.
pub fn attr_to_json(av: &AttributeValue) -> serde_json::Value {
    let mut out = Vec::with_capacity(64);
    write_attr(&mut out, av);
    // What the codec writes is JSON.
    serde_json::from_slice(&out).unwrap_or_default()
}

/// Encodes an item (or a key) as a JSON tree of attribute values.
pub fn item_to_json(item: &HashMap<String, AttributeValue>) -> serde_json::Value {
    let mut out = Vec::with_capacity(256);
    write_item(&mut out, item);
    serde_json::from_slice(&out).unwrap_or_default()
}

/// Decodes an item (or a key) from a JSON tree of attribute values, with
/// DynamoDB's errors: a value with no type or two is a
/// [`CodecError::Validation`], a wrong JSON type or bad base64 a
/// [`CodecError::Serialization`].
pub fn item_from_json(v: &serde_json::Value) -> Result<HashMap<String, AttributeValue>, CodecError> {
    let mut cx = Cx::default();
    let item = <Item as Decode>::decode(v, &mut cx, Pos::Member);
    match (item, cx.failed.take()) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(ser(e.to_string())),
        (Ok(item), None) => {
            cx.checks.finish()?;
            // `null` is no item: as DynamoDB reads a missing map.
            item.ok_or_else(|| ser(MSG_UNEXPECTED_FIELD))
        }
    }
}
