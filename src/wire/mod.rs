//! DynamoDB's JSON wire format (`application/x-amz-json-1.0`), declared once.
//!
//! Every structure the mock server reads or writes is declared by one
//! `shape!` line per member (the SDK field, its wire name, whether it is
//! required); the declaration yields both a streaming decoder (over
//! `serde_json`'s `Deserializer`, no JSON tree) and an encoder (bytes
//! straight into a buffer). The kind of each member comes from the SDK
//! field's own type through the `Decode` and `Encode` traits, which are
//! implemented here for the scalars, lists, maps, enums and, in `attr`, for
//! attribute values: the one attribute-value codec of the crate, also used
//! by the table tools ([`item_to_json`], [`item_from_json`]).
//!
//! Decoding follows the service, which deserialises a body completely before
//! it validates it:
//! * a member of the wrong JSON type is a `SerializationException` at once,
//!   worded as DynamoDB words it (`STRING_VALUE cannot be converted to
//!   Integer`, `Unexpected field type`, `Start of structure or map found
//!   where not expected`, `Unrecognized collection type class
//!   com.amazonaws.dynamodb.v20120810.<Shape>`, ...);
//! * validation problems (a required member missing, an `AttributeValue`
//!   with no type or two) are gathered in one collector and reported once
//!   the body has been read: constraint violations in the order of the
//!   model's members (`2 validation errors detected: ...; ...`, at most ten),
//!   ahead of any other message, of which the first wins;
//! * a JSON `null` counts as absent (a `null` structure in a list as an
//!   empty structure), unknown members are skipped, enum members are taken
//!   as they come (an unknown value is the SDK enum's `Unknown` variant, for
//!   the engine to reject), numbers are truncated toward zero and clamped,
//!   booleans may also be the strings `"true"` and `"false"` in any case,
//!   and binary is standard, padded base64.
//!
//! Encoding writes every member that is set, in the model's order, and
//! omits the rest (an empty list that is set is written `[]`); timestamps
//! are epoch seconds with a fraction, as the service sends them.

// The declarations (`shape!`, `enums!`) serve the server; without it only
// the attribute-value codec is used.
#![cfg_attr(not(feature = "server"), allow(unused_macros, unused_imports))]

mod attr;
mod shape;

pub(crate) use attr::base64_decode;
#[cfg(test)]
use attr::write_attr;
pub use attr::{attr_to_json, base64_encode, item_from_json, item_to_json, write_item};
pub(crate) use shape::{opaque, place, shape, written};

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use aws_sdk_dynamodb::error::BuildError;
use aws_sdk_dynamodb::primitives::{Blob, DateTime};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::mock::encoding::write_json_str;
use crate::vocab::codes;

/// A request body DynamoDB would refuse before looking at it.
#[derive(Debug, Clone, PartialEq)]
pub enum CodecError {
    /// `SerializationException` (HTTP 400): JSON of the wrong shape (a string
    /// where a number is expected, bad base64, ...).
    Serialization(String),
    /// `ValidationException` (HTTP 400): well-formed but invalid (an
    /// `AttributeValue` with no type or two types, a required member missing,
    /// ...).
    Validation(String),
}

impl CodecError {
    /// The error's `__type` short name: `SerializationException` or `ValidationException`.
    pub fn error_type(&self) -> &'static str {
        match self {
            CodecError::Serialization(_) => codes::SERIALIZATION.code,
            CodecError::Validation(_) => codes::VALIDATION.code,
        }
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        match self {
            CodecError::Serialization(m) | CodecError::Validation(m) => m,
        }
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type(), self.message())
    }
}

impl std::error::Error for CodecError {}

// ---------------------------------------------------------------------------
// DynamoDB's words

/// The model package DynamoDB names in its deserialisation errors.
pub(crate) const MODEL_PACKAGE: &str = "com.amazonaws.dynamodb.v20120810";
/// An object where a scalar or a list belongs (also: a body that is not JSON).
pub(crate) const MSG_OBJECT_NOT_EXPECTED: &str = "Start of structure or map found where not expected";
/// A scalar where a structure, list or map member belongs.
pub(crate) const MSG_UNEXPECTED_FIELD: &str = "Unexpected field type";
/// A scalar where a structure list element or map value belongs.
pub(crate) const MSG_UNEXPECTED_VALUE: &str = "Unexpected value type in payload";
/// DynamoDB's (Java's) message for a scalar where a list or map list element or map value belongs.
pub(crate) const MSG_PARAMETERIZED: &str = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to \
     class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in \
     module java.base of loader 'bootstrap')";
/// An `AttributeValue` with no data type.
pub(crate) const MSG_AV_EMPTY: &str =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
/// An `AttributeValue` with several data types.
pub(crate) const MSG_AV_MULTIPLE: &str =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
/// A string where a boolean belongs that is neither `true` nor `false`.
const MSG_BAD_BOOLEAN: &str = "Unexpected token received from parser";

/// A [`CodecError::Serialization`] with `msg`.
pub(crate) fn ser(msg: impl Into<String>) -> CodecError {
    CodecError::Serialization(msg.into())
}

/// Qualifies a model shape name (`"AttributeValue"`) with [`MODEL_PACKAGE`];
/// names that already contain a dot (`"java.lang.String"`) are kept.
fn qualified(class: &str) -> String {
    if class.contains('.') {
        class.to_string()
    } else {
        format!("{MODEL_PACKAGE}.{class}")
    }
}

/// A JSON array where a structure of model shape `what` belongs.
pub(crate) fn structure_as_array(what: &str) -> CodecError {
    ser(format!("Unrecognized collection type class {}", qualified(what)))
}

/// A JSON array where a map with values of class `value_class` belongs.
pub(crate) fn map_as_array(value_class: &str) -> CodecError {
    ser(format!(
        "Unrecognized collection type java.util.Map<java.lang.String, {}>",
        qualified(value_class)
    ))
}

/// The JSON token a scalar visitor saw, with Jackson's name for it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token {
    True,
    False,
    Integer,
    Decimal,
    String,
    Object,
    Array,
}

impl Token {
    fn name(self) -> &'static str {
        match self {
            Token::True => "TRUE_VALUE",
            Token::False => "FALSE_VALUE",
            Token::Integer => "NUMBER_VALUE",
            Token::Decimal => "DECIMAL_VALUE",
            Token::String => "STRING_VALUE",
            Token::Object => "START_OBJECT",
            Token::Array => "START_ARRAY",
        }
    }
}

/// The error for `token` where a scalar of Java type `java` (`String`,
/// `Integer`, `Long`, `Double`, `Boolean`) belongs.
pub(crate) fn scalar_error(token: Token, java: &str) -> CodecError {
    match token {
        Token::Object => ser(MSG_OBJECT_NOT_EXPECTED),
        Token::Array => ser(format!("Unrecognized collection type class java.lang.{java}")),
        _ => ser(format!("{} cannot be converted to {java}", token.name())),
    }
}

// ---------------------------------------------------------------------------
// The validation collector

/// Validation problems found while a request body is decoded, reported
/// together once it has been read (see the module docs).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Checks {
    /// Constraint violations with where they are in the model's order.
    constraints: Vec<(Vec<Ord>, String)>,
    other: Option<String>,
    /// A missing member DynamoDB names on its own, before any constraint
    /// (`TableName`).
    required: Option<String>,
}

/// One constraint violation as DynamoDB words it: `Value <value> at
/// '<path>' failed to satisfy constraint: <constraint>` (`value` `None` is
/// printed as `null`).
pub(crate) fn constraint_message(value: Option<&str>, path: &str, constraint: &str) -> String {
    let value = value.map_or_else(|| "null".to_string(), |v| format!("'{v}'"));
    format!("Value {value} at '{path}' failed to satisfy constraint: {constraint}")
}

/// The message of a ValidationException listing constraint violations
/// (`1 validation error detected: ...`, `N validation errors detected: ...;
/// ...`), or `None` for none.
pub(crate) fn detected<S: AsRef<str>>(list: &[S]) -> Option<String> {
    let n = list.len();
    if n == 0 {
        return None;
    }
    let s = if n == 1 { "" } else { "s" };
    let list: Vec<&str> = list.iter().map(AsRef::as_ref).collect();
    Some(format!("{n} validation error{s} detected: {}", list.join("; ")))
}

/// The most constraint violations one message lists, as DynamoDB lists them.
const MAX_CONSTRAINTS: usize = 10;

impl Checks {
    /// Records `Value <value> at '<path>' failed to satisfy constraint:
    /// <constraint>` (`value` `None` is printed as `null`) at `order`.
    fn constraint(&mut self, order: Vec<Ord>, value: Option<&str>, path: &str, constraint: &str) {
        let at = self.constraints.partition_point(|(o, _)| *o <= order);
        if at >= MAX_CONSTRAINTS {
            return;
        }
        self.constraints
            .insert(at, (order, constraint_message(value, path, constraint)));
        self.constraints.truncate(MAX_CONSTRAINTS);
    }

    /// Records a validation message given as is (the first one is kept).
    pub(crate) fn invalid(&mut self, message: impl Into<String>) {
        if self.other.is_none() {
            self.other = Some(message.into());
        }
    }

    /// Whether nothing has been recorded.
    pub(crate) fn is_ok(&self) -> bool {
        self.constraints.is_empty() && self.other.is_none() && self.required.is_none()
    }

    /// `Ok` when nothing was recorded, else the `ValidationException` DynamoDB would answer.
    pub(crate) fn finish(self) -> Result<(), CodecError> {
        if let Some(m) = self.required {
            return Err(CodecError::Validation(m));
        }
        let list: Vec<&str> = self.constraints.iter().map(|(_, m)| m.as_str()).collect();
        if let Some(m) = detected(&list) {
            return Err(CodecError::Validation(m));
        }
        match self.other {
            Some(m) => Err(CodecError::Validation(m)),
            None => Ok(()),
        }
    }
}

/// One step of a path, as it sorts: a member by its place in the model, a
/// list element by its index, a map value by its key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ord {
    At(usize),
    Key(String),
}

/// One step of the path to the value being decoded.
#[derive(Debug, Clone)]
enum Seg {
    /// Member `name`, the `place`th of its structure.
    Member { name: &'static str, place: usize },
    /// The element at this index of a list.
    Index(usize),
    /// The value under this key of a map.
    Key(String),
}

/// The state of one decoding: the collector, the path to the value being
/// read (for the messages), and the error that stopped it.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    pub(crate) checks: Checks,
    path: Vec<Seg>,
    failed: Option<CodecError>,
    /// Set when the structure just read was there but could not be built
    /// (its problems recorded): `None` then does not mean `null`.
    invalid: bool,
}

impl Cx {
    /// Stops decoding with `e`, which [`decode_body`] reports.
    pub(crate) fn fail<E: serde::de::Error>(&mut self, e: CodecError) -> E {
        if self.failed.is_none() {
            self.failed = Some(e);
        }
        E::custom("")
    }

    /// The path as DynamoDB writes it in its messages, with `last` appended:
    /// `keySchema.1.member.keyType`, `requestItems.t.member.keys`.
    fn render(&self, last: Option<&str>) -> String {
        let mut out = String::new();
        let mut push = |part: &str| {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        };
        for seg in &self.path {
            match seg {
                Seg::Member { name, .. } => push(&lower_first(name)),
                Seg::Index(i) => push(&format!("{}.member", i + 1)),
                Seg::Key(k) => push(&format!("{k}.member")),
            }
        }
        if let Some(last) = last {
            push(&lower_first(last));
        }
        out
    }

    fn order(&self, last: Option<usize>) -> Vec<Ord> {
        let mut out: Vec<Ord> = self
            .path
            .iter()
            .map(|seg| match seg {
                Seg::Member { place, .. } => Ord::At(*place),
                Seg::Index(i) => Ord::At(*i),
                Seg::Key(k) => Ord::Key(k.clone()),
            })
            .collect();
        out.extend(last.map(Ord::At));
        out
    }

    /// Records that the required member `name` (the `place`th of the
    /// structure being read) is absent or `null`.
    pub(crate) fn missing(&mut self, name: &'static str, place: usize) {
        if name == "TableName" && self.path.is_empty() {
            self.checks.required = Some(crate::mock::validate::TABLE_NAME_REQUIRED.to_string());
            return;
        }
        let path = self.render(Some(name));
        let order = self.order(Some(place));
        self.checks.constraint(order, None, &path, "Member must not be null");
    }

    /// Records a `null` string in a list or map of strings: the not-null
    /// constraint of `<list>.member` (`attributesToGet.member`,
    /// `expressionAttributeNames.n.member`).
    fn null_string(&mut self) {
        let order = self.order(None);
        let path = match self.path.last() {
            Some(Seg::Index(_)) => {
                let index = self.path.pop();
                let path = format!("{}.member", self.render(None));
                self.path.extend(index);
                path
            }
            _ => self.render(None),
        };
        self.checks.constraint(order, None, &path, "Member must not be null");
    }

    /// Turns a builder's result into an option, recording the build error
    /// unless a problem is recorded already (a builder fails only for a
    /// required member missing, which the declaration has normally recorded
    /// with its path).
    pub(crate) fn built<T>(&mut self, result: Result<T, BuildError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                if self.checks.is_ok() {
                    self.checks.invalid(e.to_string());
                }
                None
            }
        }
    }

    /// Decodes the value of the member `name` (the `place`th of its
    /// structure), and whether it was given (not `null`; given but invalid
    /// counts as given: its problems are recorded).
    #[inline]
    pub(crate) fn member<'de, T: Decode, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
        place: usize,
    ) -> Result<(Option<T>, bool), A::Error> {
        self.path.push(Seg::Member { name, place });
        let value = map.next_value_seed(Seed::<T>::new(self, Pos::Member));
        self.path.pop();
        let value = value?;
        let given = value.is_some() || std::mem::take(&mut self.invalid);
        Ok((value, given))
    }

    /// What a list element or map value that read as `None` stands for:
    /// nothing if it was invalid, else (`null`) `T`'s null element.
    fn absent<T: Decode>(&mut self) -> Option<T> {
        if std::mem::take(&mut self.invalid) {
            None
        } else {
            T::null_element(self)
        }
    }
}

/// `"TableName"` → `"tableName"`: a member's name in DynamoDB's validation paths.
pub(crate) fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// The traits

/// Where a value sits, which decides DynamoDB's wording for a wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    /// A structure member (or the body itself).
    Member,
    /// A list element or a map value.
    Element,
}

/// A type read from DynamoDB's JSON.
pub(crate) trait Decode: Sized {
    /// The model's name for the type in DynamoDB's messages
    /// (`"AttributeValue"`, `"java.lang.String"`, `"KeysAndAttributes"`).
    fn class() -> Cow<'static, str>;

    /// Reads one value at `pos`; `None` for a JSON `null` and for a value
    /// whose problems are recorded in `cx`.
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error>;

    /// The value a `null` list element or map value stands for, recording
    /// any problem (`None`: the element is left out).
    fn null_element(cx: &mut Cx) -> Option<Self> {
        let _ = cx;
        None
    }
}

/// A type written as DynamoDB's JSON.
pub(crate) trait Encode {
    /// Writes the value.
    fn encode(&self, out: &mut Vec<u8>);

    /// Whether a member holding this is written (`false` for `None`).
    fn present(&self) -> bool {
        true
    }
}

/// Decodes a `T` as a `DeserializeSeed`, for `next_value_seed` and
/// `next_element_seed`.
pub(crate) struct Seed<'c, T> {
    cx: &'c mut Cx,
    pos: Pos,
    _t: PhantomData<fn() -> T>,
}

impl<'c, T> Seed<'c, T> {
    pub(crate) fn new(cx: &'c mut Cx, pos: Pos) -> Self {
        Seed {
            cx,
            pos,
            _t: PhantomData,
        }
    }
}

impl<'de, T: Decode> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = Option<T>;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::decode(d, self.cx, self.pos)
    }
}

/// Reads a request body as `T`: `{}` when empty; anything but a JSON object
/// is a `SerializationException`, as is malformed JSON (a body nested past
/// serde_json's limit is refused as DynamoDB refuses such deep values, with
/// a `ValidationException`).
pub(crate) fn decode_body<T: Decode>(body: &[u8]) -> Result<T, CodecError> {
    let body: &[u8] = if body.is_empty() { b"{}" } else { body };
    let mut cx = Cx::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Seed::<T>::new(&mut cx, Pos::Member)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match value {
        Ok(value) => {
            cx.checks.finish()?;
            // A structure is `None` only with a problem recorded, or for a
            // `null` body (not an object).
            value.ok_or_else(|| ser(MSG_UNEXPECTED_FIELD))
        }
        Err(_) => Err(match cx.failed {
            // The body went wrong before it was read through: if it is not
            // JSON at all, that is what DynamoDB says.
            Some(e) if serde_json::from_slice::<IgnoredAny>(body).is_ok() => e,
            _ => syntax_error(body),
        }),
    }
}

/// How deeply serde_json nests before it gives up (its recursion limit).
const JSON_DEPTH_LIMIT: usize = 128;

/// The error for a body serde_json cannot read.
fn syntax_error(body: &[u8]) -> CodecError {
    match too_deep(body, JSON_DEPTH_LIMIT) {
        Some(place) => nesting_error(&place),
        None => ser(MSG_OBJECT_NOT_EXPECTED),
    }
}

/// Where, in a body, nesting went past the limit: the top-level member and
/// the key within it.
#[derive(Debug, Default, PartialEq, Eq)]
struct DeepPlace {
    member: Option<String>,
    key: Option<String>,
}

fn nesting_error(place: &DeepPlace) -> CodecError {
    use crate::mock::values;
    let e = match (place.member.as_deref(), place.key.as_deref()) {
        (Some("ExpressionAttributeValues"), Some(key)) => values::expression_value_error(key, values::nesting_error()),
        _ => values::nesting_error(),
    };
    CodecError::Validation(match e {
        crate::Error::Validation(m) => m.into(),
        other => other.to_string(),
    })
}

/// Whether `body`'s brackets nest deeper than `limit`, and where; one pass,
/// no recursion, strings (and the brackets in them) skipped.
fn too_deep(body: &[u8], limit: usize) -> Option<DeepPlace> {
    let mut depth = 0usize;
    let mut place = DeepPlace::default();
    let mut i = 0;
    let mut last_string = 0..0;
    while let Some(&c) = body.get(i) {
        match c {
            b'"' => {
                let start = i;
                i += 1;
                while let Some(&c) = body.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                last_string = start..(i + 1).min(body.len());
            }
            b':' if depth == 1 || depth == 2 => {
                let raw = &body[last_string.clone()];
                let name = serde_json::from_slice::<String>(raw)
                    .unwrap_or_else(|_| String::from_utf8_lossy(raw).trim_matches('"').to_string());
                if depth == 1 {
                    place = DeepPlace {
                        member: Some(name),
                        key: None,
                    };
                } else {
                    place.key = Some(name);
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some(place);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Writes `value` as a response body.
pub(crate) fn encode_body<T: Encode>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    value.encode(&mut out);
    out
}

// ---------------------------------------------------------------------------
// Member names

/// A member name or a map key, borrowed from the body when it has no escapes.
pub(crate) struct Name<'de>(pub(crate) Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Name(v.into()))
            }
            #[inline]
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Name(v.to_owned().into()))
            }
        }
        d.deserialize_str(V)
    }
}

// ---------------------------------------------------------------------------
// Scalars

/// What a scalar visitor makes of each JSON token: the value, or the token
/// for the error. Implemented once per scalar kind.
trait Scalar: Sized {
    /// The Java type DynamoDB names in its errors (`String`, `Integer`, ...).
    const JAVA: &'static str;
    fn from_str(s: &str) -> Result<Self, Token> {
        let _ = s;
        Err(Token::String)
    }
    fn from_i64(n: i64) -> Result<Self, Token> {
        let _ = n;
        Err(Token::Integer)
    }
    fn from_u64(n: u64) -> Result<Self, Token> {
        let _ = n;
        Err(Token::Integer)
    }
    fn from_f64(n: f64) -> Result<Self, Token> {
        let _ = n;
        Err(Token::Decimal)
    }
    fn from_bool(b: bool) -> Result<Self, Token> {
        Err(if b { Token::True } else { Token::False })
    }
    /// The error for `token` (DynamoDB's words for the Java type).
    fn error(token: Token) -> CodecError {
        scalar_error(token, Self::JAVA)
    }
}

/// A scalar's visitor.
struct ScalarV<'c, T>(&'c mut Cx, PhantomData<fn() -> T>);

impl<T: Scalar> ScalarV<'_, T> {
    #[inline]
    fn done<E: serde::de::Error>(self, r: Result<T, Token>) -> Result<Option<T>, E> {
        r.map(Some).map_err(|t| self.0.fail(T::error(t)))
    }
}

impl<'de, T: Scalar> Visitor<'de> for ScalarV<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::JAVA)
    }
    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let r = T::from_str(v);
        self.done(r)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let r = T::from_i64(v);
        self.done(r)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let r = T::from_u64(v);
        self.done(r)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let r = T::from_f64(v);
        self.done(r)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        let r = T::from_bool(v);
        self.done(r)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(T::error(Token::Object)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(T::error(Token::Array)))
    }
}

/// Implements [`Decode`] for scalars through their [`Scalar`] impl.
macro_rules! decode_scalar {
    ($($ty:ty = $class:literal),* $(,)?) => {$(
        impl Decode for $ty {
            fn class() -> Cow<'static, str> {
                Cow::Borrowed($class)
            }
            #[inline]
            fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, _: Pos) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(ScalarV::<$ty>(cx, PhantomData))
            }
        }
    )*};
}

impl Scalar for String {
    const JAVA: &'static str = "String";
    #[inline]
    fn from_str(s: &str) -> Result<Self, Token> {
        Ok(s.to_owned())
    }
}

impl Scalar for i32 {
    const JAVA: &'static str = "Integer";
    fn from_i64(n: i64) -> Result<Self, Token> {
        Ok(n.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
    }
    fn from_u64(n: u64) -> Result<Self, Token> {
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
    fn from_f64(n: f64) -> Result<Self, Token> {
        // `as` truncates toward zero and saturates.
        Ok(n as i32)
    }
}

impl Scalar for i64 {
    const JAVA: &'static str = "Long";
    fn from_i64(n: i64) -> Result<Self, Token> {
        Ok(n)
    }
    fn from_u64(n: u64) -> Result<Self, Token> {
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
    fn from_f64(n: f64) -> Result<Self, Token> {
        Ok(n as i64)
    }
}

impl Scalar for f64 {
    const JAVA: &'static str = "Double";
    fn from_i64(n: i64) -> Result<Self, Token> {
        Ok(n as f64)
    }
    fn from_u64(n: u64) -> Result<Self, Token> {
        Ok(n as f64)
    }
    fn from_f64(n: f64) -> Result<Self, Token> {
        Ok(n)
    }
}

impl Scalar for bool {
    const JAVA: &'static str = "Boolean";
    fn from_bool(b: bool) -> Result<Self, Token> {
        Ok(b)
    }
    fn from_str(s: &str) -> Result<Self, Token> {
        if s.eq_ignore_ascii_case("true") {
            Ok(true)
        } else if s.eq_ignore_ascii_case("false") {
            Ok(false)
        } else {
            Err(Token::String)
        }
    }
    fn error(token: Token) -> CodecError {
        match token {
            Token::String => ser(MSG_BAD_BOOLEAN),
            _ => scalar_error(token, Self::JAVA),
        }
    }
}

/// DynamoDB's error for `token` where binary belongs (`text`: the string that
/// is not base64).
fn blob_error(token: Token, text: &str) -> CodecError {
    match token {
        Token::Object => ser(MSG_OBJECT_NOT_EXPECTED),
        Token::Array => ser("Unrecognized collection type class java.nio.ByteBuffer"),
        Token::String => match base64_decode(text) {
            Err(e) => e,
            Ok(_) => ser("only base-64-encoded strings are convertible to bytes"),
        },
        _ => ser("only base-64-encoded strings are convertible to bytes"),
    }
}

/// A timestamp: epoch seconds as a JSON number.
impl Scalar for DateTime {
    const JAVA: &'static str = "Date";
    fn from_i64(n: i64) -> Result<Self, Token> {
        Ok(DateTime::from_secs(n))
    }
    fn from_u64(n: u64) -> Result<Self, Token> {
        Ok(DateTime::from_secs(i64::try_from(n).unwrap_or(i64::MAX)))
    }
    fn from_f64(n: f64) -> Result<Self, Token> {
        Ok(DateTime::from_secs_f64(n))
    }
}

impl Decode for String {
    fn class() -> Cow<'static, str> {
        Cow::Borrowed("java.lang.String")
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, _: Pos) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarV::<String>(cx, PhantomData))
    }
    /// A `null` string in a list or map breaks `<list>.member`'s not-null
    /// constraint, and is left out.
    fn null_element(cx: &mut Cx) -> Option<Self> {
        cx.null_string();
        None
    }
}

decode_scalar!(
    i32 = "java.lang.Integer",
    i64 = "java.lang.Long",
    f64 = "java.lang.Double",
    bool = "java.lang.Boolean",
    DateTime = "java.util.Date"
);

impl Decode for Blob {
    fn class() -> Cow<'static, str> {
        Cow::Borrowed("java.nio.ByteBuffer")
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, _: Pos) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(BlobV(cx))
    }
}

/// Binary's visitor: a scalar whose string error depends on the string.
struct BlobV<'c>(&'c mut Cx);

impl<'de> Visitor<'de> for BlobV<'_> {
    type Value = Option<Blob>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64")
    }
    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match base64_decode(v) {
            Ok(b) => Ok(Some(Blob::new(b))),
            Err(e) => Err(self.0.fail(e)),
        }
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(self.0.fail(blob_error(Token::Integer, "")))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(self.0.fail(blob_error(Token::Integer, "")))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(self.0.fail(blob_error(Token::Decimal, "")))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(self.0.fail(blob_error(Token::True, "")))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(blob_error(Token::Object, "")))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(blob_error(Token::Array, "")))
    }
}

impl Encode for String {
    fn encode(&self, out: &mut Vec<u8>) {
        write_json_str(out, self.as_bytes());
    }
}

impl Encode for str {
    fn encode(&self, out: &mut Vec<u8>) {
        write_json_str(out, self.as_bytes());
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

/// Implements [`Encode`] for integers.
macro_rules! encode_integer {
    ($($ty:ty),*) => {$(
        impl Encode for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(self.to_string().as_bytes());
            }
        }
    )*};
}
encode_integer!(i32, i64);

impl Encode for f64 {
    /// A JSON number (a non-finite value, which no figure the mock sends is,
    /// as `0`).
    fn encode(&self, out: &mut Vec<u8>) {
        if self.is_finite() {
            // Writing a number to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, self);
        } else {
            out.push(b'0');
        }
    }
}

impl Encode for DateTime {
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_secs_f64().encode(out);
    }
}

impl Encode for Blob {
    fn encode(&self, out: &mut Vec<u8>) {
        write_json_str(out, base64_encode(self.as_ref()).as_bytes());
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        if let Some(v) = self {
            v.encode(out);
        }
    }
    fn present(&self) -> bool {
        self.is_some()
    }
}

/// Implements [`Decode`] and [`Encode`] for SDK enums: a string, through the
/// enum's `From<&str>` (an unknown value is its `Unknown` variant) and
/// `as_str`.
macro_rules! enums {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::wire::Decode for $ty {
            fn class() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed("java.lang.String")
            }
            #[inline]
            fn decode<'de, D: ::serde::de::Deserializer<'de>>(
                d: D,
                cx: &mut $crate::wire::Cx,
                pos: $crate::wire::Pos,
            ) -> ::std::result::Result<::std::option::Option<Self>, D::Error> {
                Ok(<String as $crate::wire::Decode>::decode(d, cx, pos)?.map(|s| <$ty>::from(s.as_str())))
            }
        }
        impl $crate::wire::Encode for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                $crate::wire::Encode::encode(self.as_str(), out);
            }
        }
    )*};
}
pub(crate) use enums;

/// The visitor methods of a container (list, map, structure, attribute
/// value) for the scalar tokens: each is the container's `scalar()` error.
macro_rules! scalars_are_refused {
    () => {
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            self.scalar()
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            self.scalar()
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            self.scalar()
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            self.scalar()
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            self.scalar()
        }
    };
}
use scalars_are_refused;

// ---------------------------------------------------------------------------
// Lists and maps

impl<T: Decode> Decode for Vec<T> {
    fn class() -> Cow<'static, str> {
        Cow::Owned(format!("java.util.List<{}>", qualified(&T::class())))
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ListV::<T>(cx, pos, PhantomData))
    }
    fn null_element(_: &mut Cx) -> Option<Self> {
        Some(Vec::new())
    }
}

/// A list's visitor.
struct ListV<'c, T>(&'c mut Cx, Pos, PhantomData<fn() -> T>);

impl<T> ListV<'_, T> {
    fn scalar<E: serde::de::Error>(self) -> Result<Option<Vec<T>>, E> {
        Err(self.0.fail(match self.1 {
            Pos::Member => ser(MSG_UNEXPECTED_FIELD),
            Pos::Element => ser(MSG_PARAMETERIZED),
        }))
    }
}

impl<'de, T: Decode> Visitor<'de> for ListV<'_, T> {
    type Value = Option<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let cx = self.0;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(8).min(64));
        let mut i = 0;
        loop {
            cx.path.push(Seg::Index(i));
            let next = seq.next_element_seed(Seed::<T>::new(cx, Pos::Element));
            let next = match next {
                Ok(Some(Some(v))) => Some(Some(v)),
                Ok(Some(None)) => Some(cx.absent::<T>()),
                Ok(None) => None,
                Err(e) => {
                    cx.path.pop();
                    return Err(e);
                }
            };
            cx.path.pop();
            match next {
                Some(v) => out.extend(v),
                None => return Ok(Some(out)),
            }
            i += 1;
        }
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(ser(MSG_OBJECT_NOT_EXPECTED)))
    }
    scalars_are_refused!();
}

impl<T: Decode> Decode for HashMap<String, T> {
    fn class() -> Cow<'static, str> {
        Cow::Owned(format!("java.util.Map<java.lang.String, {}>", qualified(&T::class())))
    }
    #[inline]
    fn decode<'de, D: Deserializer<'de>>(d: D, cx: &mut Cx, pos: Pos) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(MapV::<T>(cx, pos, PhantomData))
    }
    fn null_element(_: &mut Cx) -> Option<Self> {
        Some(HashMap::new())
    }
}

/// A map's visitor.
struct MapV<'c, T>(&'c mut Cx, Pos, PhantomData<fn() -> T>);

impl<T: Decode> MapV<'_, T> {
    fn scalar<E: serde::de::Error>(self) -> Result<Option<HashMap<String, T>>, E> {
        Err(self.0.fail(match self.1 {
            Pos::Member => ser(MSG_UNEXPECTED_FIELD),
            Pos::Element => ser(MSG_PARAMETERIZED),
        }))
    }
}

impl<'de, T: Decode> Visitor<'de> for MapV<'_, T> {
    type Value = Option<HashMap<String, T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cx = self.0;
        // serde_json gives no size: room for an item of a dozen attributes.
        let mut out = HashMap::with_capacity(map.size_hint().unwrap_or(12).min(64));
        while let Some(key) = map.next_key::<String>()? {
            cx.path.push(Seg::Key(key));
            let value = match map.next_value_seed(Seed::<T>::new(cx, Pos::Element)) {
                Ok(Some(v)) => Some(v),
                Ok(None) => cx.absent::<T>(),
                Err(e) => {
                    cx.path.pop();
                    return Err(e);
                }
            };
            if let Some(Seg::Key(key)) = cx.path.pop()
                && let Some(value) = value
            {
                out.insert(key, value);
            }
        }
        Ok(Some(out))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(map_as_array(&T::class())))
    }
    scalars_are_refused!();
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            v.encode(out);
        }
        out.push(b']');
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_slice().encode(out);
    }
}

impl<T: Encode> Encode for HashMap<String, T> {
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            k.encode(out);
            out.push(b':');
            v.encode(out);
        }
        out.push(b'}');
    }
}

// ---------------------------------------------------------------------------
// Structures

/// A model structure: the members a `shape!` declares.
pub(crate) trait Shape: Sized {
    /// The model's name for the structure.
    const SHAPE: &'static str;

    /// Reads the members of the object `map` and builds the structure
    /// (`None`, with the problem recorded, when a builder refuses).
    fn decode_members<'de, A: MapAccess<'de>>(map: A, cx: &mut Cx) -> Result<Option<Self>, A::Error>;

    /// Writes the members that are set, without the braces.
    fn encode_members(&self, out: &mut Vec<u8>);
}

/// A structure's visitor.
pub(crate) struct StructV<'c, T>(pub(crate) &'c mut Cx, pub(crate) Pos, pub(crate) PhantomData<fn() -> T>);

impl<T> StructV<'_, T> {
    fn scalar<E: serde::de::Error>(self) -> Result<Option<T>, E> {
        Err(self.0.fail(match self.1 {
            Pos::Member => ser(MSG_UNEXPECTED_FIELD),
            Pos::Element => ser(MSG_UNEXPECTED_VALUE),
        }))
    }
}

impl<'de, T: Shape> Visitor<'de> for StructV<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::SHAPE)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = T::decode_members(map, self.0)?;
        self.0.invalid = value.is_none();
        Ok(value)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.0.fail(structure_as_array(T::SHAPE)))
    }
    scalars_are_refused!();
}

/// A `null` structure in a list or a map reads as an empty structure, whose
/// required members are then missing.
pub(crate) fn empty_structure<T: Shape>(cx: &mut Cx) -> Option<T> {
    let empty =
        serde_json::Deserializer::from_slice(b"{}").deserialize_map(StructV::<T>(cx, Pos::Element, PhantomData));
    cx.invalid = false;
    empty.ok().flatten()
}

/// Skips a member's value.
pub(crate) fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Writes `"Name":` before a member, with a comma after the first.
pub(crate) fn write_member(out: &mut Vec<u8>, first: &mut bool, name: &str) {
    if !*first {
        out.push(b',');
    }
    *first = false;
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

#[cfg(test)]
mod tests;
