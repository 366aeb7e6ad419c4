//! Shared pieces of the JSON codec for DynamoDB's wire protocol
//! (`application/x-amz-json-1.0`): the error type, typed getters over request
//! members with the error wording the real service uses, and attribute-value
//! conversion in both directions.
//!
//! DynamoDB deserialises a request body completely before it validates it, so
//! a body with both a type error and a validation problem is answered with a
//! `SerializationException`. The getters here return serialization errors
//! at once, while validation problems (a missing required member, an
//! `AttributeValue` with no type or two types) are collected in a [`Checks`]
//! and reported by [`Checks::finish`] once the whole body has been read.
//!
//! Conventions, as DynamoDB behaves:
//! * a JSON `null` member counts as absent, and unknown members are ignored;
//! * a string member takes only a JSON string, a number member only a JSON
//!   number (a fraction is truncated toward zero; a value out of range is
//!   clamped), a boolean member a JSON boolean or the strings `"true"` /
//!   `"false"` in any case;
//! * binary values are standard, padded base64.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use aws_sdk_dynamodb::error::BuildError;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, Capacity, ConsumedCapacity, ItemCollectionMetrics};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::json;

use crate::mock::encoding::write_json_str;
use crate::vocab::AttrType;
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

/// A JSON value.
pub type Json = serde_json::Value;

/// A JSON object.
pub type JsonMap = serde_json::Map<String, Json>;

/// The model package DynamoDB names in its deserialisation errors.
pub const MODEL_PACKAGE: &str = "com.amazonaws.dynamodb.v20120810";

/// DynamoDB's message for an object where a scalar or a list belongs.
pub const MSG_OBJECT_NOT_EXPECTED: &str = "Start of structure or map found where not expected";
/// DynamoDB's message for a scalar where a structure, list or map member belongs.
pub const MSG_UNEXPECTED_FIELD: &str = "Unexpected field type";
/// DynamoDB's message for a scalar where a structure list element or map value belongs.
pub const MSG_UNEXPECTED_VALUE: &str = "Unexpected value type in payload";
/// DynamoDB's (Java's) message for a scalar where a list or map list element or map value belongs.
pub const MSG_PARAMETERIZED: &str = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to \
     class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in \
     module java.base of loader 'bootstrap')";
/// DynamoDB's message for an `AttributeValue` with no data type.
pub const MSG_AV_EMPTY: &str = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
/// DynamoDB's message for an `AttributeValue` with several data types.
pub const MSG_AV_MULTIPLE: &str =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";

/// A [`CodecError::Serialization`] with `msg`.
pub(crate) fn ser(msg: impl Into<String>) -> CodecError {
    CodecError::Serialization(msg.into())
}

/// How deeply serde_json nests before it gives up (its recursion limit).
const JSON_DEPTH_LIMIT: usize = 128;

/// Parses a request body into a JSON tree.
///
/// A body nested deeper than serde_json goes (which no DynamoDB request is,
/// but for attribute values nested far past
/// `MAX_NESTING`, 32 levels) is refused as DynamoDB
/// refuses such values, with a `ValidationException`; any other malformed
/// body is a `SerializationException`.
pub fn parse_body(body: &[u8]) -> Result<Json, CodecError> {
    serde_json::from_slice(body).map_err(|_| match too_deep(body, JSON_DEPTH_LIMIT) {
        Some(place) => nesting_error(&place),
        None => ser(MSG_OBJECT_NOT_EXPECTED),
    })
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

/// `"TableName"` → `"tableName"`: a member's name in DynamoDB's validation paths.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
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

/// DynamoDB's error for a JSON array where a structure of model shape `what` belongs.
pub(crate) fn structure_as_array(what: &str) -> CodecError {
    ser(format!("Unrecognized collection type class {}", qualified(what)))
}

/// The Jackson token name DynamoDB puts in its conversion errors.
fn token(v: &Json) -> &'static str {
    match v {
        Json::Bool(true) => "TRUE_VALUE",
        Json::Bool(false) => "FALSE_VALUE",
        Json::Number(n) if n.is_f64() => "DECIMAL_VALUE",
        Json::Number(_) => "NUMBER_VALUE",
        Json::String(_) => "STRING_VALUE",
        Json::Null => "VALUE_NULL",
        Json::Array(_) => "START_ARRAY",
        Json::Object(_) => "START_OBJECT",
    }
}

/// The error for a JSON value of the wrong kind where a scalar of Java type
/// `java` (`String`, `Integer`, `Long`, `Double`, `Boolean`) belongs.
fn scalar_error(v: &Json, java: &str) -> CodecError {
    match v {
        Json::Object(_) => ser(MSG_OBJECT_NOT_EXPECTED),
        Json::Array(_) => ser(format!("Unrecognized collection type class java.lang.{java}")),
        _ => ser(format!("{} cannot be converted to {java}", token(v))),
    }
}

// ---------------------------------------------------------------------------
// Validation collector

/// Validation problems found while a request body is decoded, reported
/// together once the body has been read completely (see the module docs).
///
/// Constraint violations (`Value null at 'tableName' failed to satisfy
/// constraint: Member must not be null`) are combined the way DynamoDB
/// combines them (`2 validation errors detected: ...; ...`, at most ten); they
/// take precedence over other validation messages, of which the first wins.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Checks {
    constraints: Vec<String>,
    other: Option<String>,
}

impl Checks {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the not-null constraint violation for the member at `path`
    /// (e.g. `"tableName"`, `"transactItems.1.member.put.item"`) when `value`
    /// is `None`; passes `value` through.
    pub fn require<T>(&mut self, value: Option<T>, path: &str) -> Option<T> {
        if value.is_none() {
            self.constraint(None, path, "Member must not be null");
        }
        value
    }

    /// Records `Value <value> at '<path>' failed to satisfy constraint: <constraint>`
    /// (`value` `None` is printed as `null`).
    pub fn constraint(&mut self, value: Option<&str>, path: &str, constraint: &str) {
        if self.constraints.len() < 10 {
            let value = value.map_or_else(|| "null".to_string(), |v| format!("'{v}'"));
            self.constraints.push(format!(
                "Value {value} at '{path}' failed to satisfy constraint: {constraint}"
            ));
        }
    }

    /// Records a validation message given as is (the first one is kept).
    pub fn invalid(&mut self, message: impl Into<String>) {
        if self.other.is_none() {
            self.other = Some(message.into());
        }
    }

    /// Whether nothing has been recorded.
    pub fn is_ok(&self) -> bool {
        self.constraints.is_empty() && self.other.is_none()
    }

    /// Turns a builder's result into an option, recording the build error as a
    /// validation problem unless one is recorded already (a builder fails only
    /// for a missing required member, which the caller has normally recorded
    /// with [`Checks::require`] and its proper path).
    pub fn built<T>(&mut self, result: Result<T, BuildError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                if self.is_ok() {
                    self.invalid(e.to_string());
                }
                None
            }
        }
    }

    /// `Ok` when nothing was recorded, else the `ValidationException` DynamoDB would answer.
    pub fn finish(self) -> Result<(), CodecError> {
        if !self.constraints.is_empty() {
            let n = self.constraints.len();
            let s = if n == 1 { "" } else { "s" };
            return Err(CodecError::Validation(format!(
                "{n} validation error{s} detected: {}",
                self.constraints.join("; ")
            )));
        }
        match self.other {
            Some(m) => Err(CodecError::Validation(m)),
            None => Ok(()),
        }
    }
}

/// Maps a builder error to [`CodecError::Validation`].
pub fn build_error(e: BuildError) -> CodecError {
    CodecError::Validation(e.to_string())
}

// ---------------------------------------------------------------------------
// Structures, lists and maps

/// A structure in member position (or the request body itself), named by its
/// model shape `what` (e.g. `"GetItemInput"`, `"Put"`) for the error messages.
pub fn obj<'a>(v: &'a Json, what: &str) -> Result<&'a JsonMap, CodecError> {
    match v {
        Json::Object(o) => Ok(o),
        Json::Array(_) => Err(structure_as_array(what)),
        _ => Err(ser(MSG_UNEXPECTED_FIELD)),
    }
}

static EMPTY_MAP: LazyLock<JsonMap> = LazyLock::new(JsonMap::new);

/// A structure as a list element or a map value, named by its model shape
/// `what`. A `null` element reads as an empty structure (whose required members
/// are then missing).
pub fn element_obj<'a>(v: &'a Json, what: &str) -> Result<&'a JsonMap, CodecError> {
    match v {
        Json::Object(o) => Ok(o),
        Json::Null => Ok(&EMPTY_MAP),
        Json::Array(_) => Err(structure_as_array(what)),
        _ => Err(ser(MSG_UNEXPECTED_VALUE)),
    }
}

/// A list as a list element or a map value (e.g. `RequestItems.<table>` of
/// `BatchWriteItem`); `null` reads as an empty list.
pub fn element_list(v: &Json) -> Result<&[Json], CodecError> {
    match v {
        Json::Array(a) => Ok(a),
        Json::Null => Ok(&[]),
        Json::Object(_) => Err(ser(MSG_OBJECT_NOT_EXPECTED)),
        _ => Err(ser(MSG_PARAMETERIZED)),
    }
}

/// A map as a list element or a map value (e.g. `Keys[i]` of `KeysAndAttributes`),
/// whose values are of shape `value_class` (e.g. `"AttributeValue"`, `"java.lang.String"`);
/// `null` reads as an empty map.
pub fn element_map<'a>(v: &'a Json, value_class: &str) -> Result<&'a JsonMap, CodecError> {
    match v {
        Json::Object(o) => Ok(o),
        Json::Null => Ok(&EMPTY_MAP),
        Json::Array(_) => Err(map_as_array(value_class)),
        _ => Err(ser(MSG_PARAMETERIZED)),
    }
}

fn map_as_array(value_class: &str) -> CodecError {
    ser(format!(
        "Unrecognized collection type java.util.Map<java.lang.String, {}>",
        qualified(value_class)
    ))
}

/// The member `key`, `None` when absent or `null`.
fn member<'a>(o: &'a JsonMap, key: &str) -> Option<&'a Json> {
    o.get(key).filter(|v| !v.is_null())
}

/// An optional structure member of model shape `what`.
pub fn opt_obj<'a>(o: &'a JsonMap, key: &str, what: &str) -> Result<Option<&'a JsonMap>, CodecError> {
    member(o, key).map(|v| obj(v, what)).transpose()
}

/// An optional list member (its elements are left to the caller).
pub fn opt_list<'a>(o: &'a JsonMap, key: &str) -> Result<Option<&'a [Json]>, CodecError> {
    match member(o, key) {
        None => Ok(None),
        Some(Json::Array(a)) => Ok(Some(a)),
        Some(Json::Object(_)) => Err(ser(MSG_OBJECT_NOT_EXPECTED)),
        Some(_) => Err(ser(MSG_UNEXPECTED_FIELD)),
    }
}

/// An optional map member whose values are of shape `value_class` (e.g.
/// `"AttributeValue"`, `"java.lang.String"`); its values are left to the caller.
pub fn opt_map<'a>(o: &'a JsonMap, key: &str, value_class: &str) -> Result<Option<&'a JsonMap>, CodecError> {
    match member(o, key) {
        None => Ok(None),
        Some(Json::Object(m)) => Ok(Some(m)),
        Some(Json::Array(_)) => Err(map_as_array(value_class)),
        Some(_) => Err(ser(MSG_UNEXPECTED_FIELD)),
    }
}

// ---------------------------------------------------------------------------
// Scalars

/// A string value.
pub fn str_value(v: &Json) -> Result<String, CodecError> {
    match v {
        Json::String(s) => Ok(s.clone()),
        _ => Err(scalar_error(v, "String")),
    }
}

fn number_value(v: &Json, java: &str) -> Result<f64, CodecError> {
    match v {
        Json::Number(n) => Ok(n.as_f64().unwrap_or(0.0)),
        _ => Err(scalar_error(v, java)),
    }
}

/// An `Integer` value: a JSON number, a fraction truncated toward zero, clamped to `i32`.
pub fn i32_value(v: &Json) -> Result<i32, CodecError> {
    if let Some(i) = v.as_i64() {
        return Ok(i.clamp(i32::MIN.into(), i32::MAX.into()) as i32);
    }
    // `as` truncates toward zero and saturates.
    number_value(v, "Integer").map(|f| f as i32)
}

/// A `Long` value: a JSON number, a fraction truncated toward zero, clamped to `i64`.
pub fn i64_value(v: &Json) -> Result<i64, CodecError> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    if let Some(u) = v.as_u64() {
        return Ok(i64::try_from(u).unwrap_or(i64::MAX));
    }
    number_value(v, "Long").map(|f| f as i64)
}

/// A `Double` value.
pub fn f64_value(v: &Json) -> Result<f64, CodecError> {
    number_value(v, "Double")
}

/// A `Boolean` value: a JSON boolean, or the string `true` or `false` in any case.
pub fn bool_value(v: &Json) -> Result<bool, CodecError> {
    match v {
        Json::Bool(b) => Ok(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        Json::String(_) => Err(ser("Unexpected token received from parser")),
        _ => Err(scalar_error(v, "Boolean")),
    }
}

/// A blob value: a string of standard, padded base64.
pub fn blob_value(v: &Json) -> Result<Blob, CodecError> {
    match v {
        Json::String(s) => base64_decode(s).map(Blob::new),
        Json::Object(_) => Err(ser(MSG_OBJECT_NOT_EXPECTED)),
        Json::Array(_) => Err(ser("Unrecognized collection type class java.nio.ByteBuffer")),
        _ => Err(ser("only base-64-encoded strings are convertible to bytes")),
    }
}

/// Decodes standard, padded base64 as DynamoDB does, with its messages.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, CodecError> {
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

/// An optional string member.
pub fn opt_str(o: &JsonMap, key: &str) -> Result<Option<String>, CodecError> {
    member(o, key).map(str_value).transpose()
}

/// A required string member: like [`opt_str`], recording DynamoDB's not-null
/// violation at `path` (e.g. `"tableName"`) when it is absent.
pub fn req_str(o: &JsonMap, key: &str, path: &str, checks: &mut Checks) -> Result<Option<String>, CodecError> {
    Ok(checks.require(opt_str(o, key)?, path))
}

/// An optional `Integer` member.
pub fn opt_i32(o: &JsonMap, key: &str) -> Result<Option<i32>, CodecError> {
    member(o, key).map(i32_value).transpose()
}

/// An optional `Long` member.
pub fn opt_i64(o: &JsonMap, key: &str) -> Result<Option<i64>, CodecError> {
    member(o, key).map(i64_value).transpose()
}

/// An optional `Double` member.
pub fn opt_f64(o: &JsonMap, key: &str) -> Result<Option<f64>, CodecError> {
    member(o, key).map(f64_value).transpose()
}

/// An optional `Boolean` member.
pub fn opt_bool(o: &JsonMap, key: &str) -> Result<Option<bool>, CodecError> {
    member(o, key).map(bool_value).transpose()
}

/// An optional blob member.
pub fn opt_blob(o: &JsonMap, key: &str) -> Result<Option<Blob>, CodecError> {
    member(o, key).map(blob_value).transpose()
}

/// An optional enum member, through the SDK enum's `From<&str>` (an unknown
/// string becomes the enum's `Unknown` variant, left to the engine to reject).
pub fn opt_enum<T: for<'s> From<&'s str>>(o: &JsonMap, key: &str) -> Result<Option<T>, CodecError> {
    Ok(opt_str(o, key)?.map(|s| T::from(s.as_str())))
}

fn null_member(path: &str) -> CodecError {
    CodecError::Validation(format!(
        "1 validation error detected: Value null at '{path}' failed to satisfy constraint: Member must not be null"
    ))
}

/// An optional list-of-strings member (e.g. `AttributesToGet`). A `null`
/// element is a validation error.
pub fn opt_str_list(o: &JsonMap, key: &str) -> Result<Option<Vec<String>>, CodecError> {
    let Some(list) = opt_list(o, key)? else { return Ok(None) };
    let mut out = Vec::with_capacity(list.len());
    for v in list {
        if v.is_null() {
            return Err(null_member(&format!("{}.member", lower_first(key))));
        }
        out.push(str_value(v)?);
    }
    Ok(Some(out))
}

/// An optional map-of-strings member (e.g. `ExpressionAttributeNames`). A
/// `null` value is a validation error.
pub fn opt_str_map(o: &JsonMap, key: &str) -> Result<Option<HashMap<String, String>>, CodecError> {
    let Some(map) = opt_map(o, key, "java.lang.String")? else {
        return Ok(None);
    };
    let mut out = HashMap::with_capacity(map.len());
    for (k, v) in map {
        if v.is_null() {
            return Err(null_member(&format!("{}.{k}.member", lower_first(key))));
        }
        out.insert(k.clone(), str_value(v)?);
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------------------
// Attribute values

/// Where an `AttributeValue` sits, which decides DynamoDB's error wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A structure member (`Expected.<name>.Value`, `AttributeUpdates.<name>.Value`).
    Member,
    /// A map value or list element (item maps, `L`, `M`, `AttributeValueList`).
    Element,
}

/// Decodes an `AttributeValue` at `pos`: type errors are returned, validation
/// problems (no type, several types, a `null` value) are recorded in `checks`
/// and a placeholder (`NULL: true`) is returned in their place.
///
/// Unknown type keys are ignored as DynamoDB ignores them, so `{"X": "1"}` is
/// an empty `AttributeValue`. Numbers stay strings and sets are passed as they
/// are (empty, duplicated or `null` members included: a `null` member of a set
/// is passed as an empty string or blob) for the engine to validate.
pub fn attr_value(v: &Json, pos: Position, checks: &mut Checks) -> Result<AttributeValue, CodecError> {
    let placeholder = AttributeValue::Null(true);
    let o = match (v, pos) {
        (Json::Object(o), _) => o,
        (Json::Null, _) => {
            checks.invalid(MSG_AV_EMPTY);
            return Ok(placeholder);
        }
        (_, Position::Member) => obj(v, "AttributeValue")?,
        (_, Position::Element) => element_obj(v, "AttributeValue")?,
    };
    let mut found: Vec<AttributeValue> = Vec::with_capacity(1);
    for (key, value) in o {
        if value.is_null() {
            continue;
        }
        let av = match AttrType::from_name(key) {
            Some(AttrType::S) => AttributeValue::S(str_value(value)?),
            Some(AttrType::N) => AttributeValue::N(str_value(value)?),
            Some(AttrType::B) => AttributeValue::B(blob_value(value)?),
            Some(AttrType::Bool) => AttributeValue::Bool(bool_value(value)?),
            Some(AttrType::Null) => AttributeValue::Null(bool_value(value)?),
            Some(AttrType::Ss) => AttributeValue::Ss(set_members(value, str_value, String::new)?),
            Some(AttrType::Ns) => AttributeValue::Ns(set_members(value, str_value, String::new)?),
            Some(AttrType::Bs) => AttributeValue::Bs(set_members(value, blob_value, || Blob::new(Vec::new()))?),
            Some(AttrType::L) => {
                let list = list_member(value)?;
                let mut out = Vec::with_capacity(list.len());
                for e in list {
                    out.push(attr_value(e, Position::Element, checks)?);
                }
                AttributeValue::L(out)
            }
            Some(AttrType::M) => {
                let map = match value {
                    Json::Object(m) => m,
                    Json::Array(_) => return Err(map_as_array("AttributeValue")),
                    _ => return Err(ser(MSG_UNEXPECTED_FIELD)),
                };
                AttributeValue::M(attr_entries(map, checks)?)
            }
            None => continue,
        };
        found.push(av);
    }
    match found.len() {
        0 => {
            checks.invalid(MSG_AV_EMPTY);
            Ok(placeholder)
        }
        1 => Ok(found.pop().unwrap_or(placeholder)),
        _ => {
            checks.invalid(MSG_AV_MULTIPLE);
            Ok(placeholder)
        }
    }
}

fn list_member(v: &Json) -> Result<&[Json], CodecError> {
    match v {
        Json::Array(a) => Ok(a),
        Json::Object(_) => Err(ser(MSG_OBJECT_NOT_EXPECTED)),
        _ => Err(ser(MSG_UNEXPECTED_FIELD)),
    }
}

fn set_members<T>(
    v: &Json,
    decode: fn(&Json) -> Result<T, CodecError>,
    empty: fn() -> T,
) -> Result<Vec<T>, CodecError> {
    list_member(v)?
        .iter()
        .map(|e| if e.is_null() { Ok(empty()) } else { decode(e) })
        .collect()
}

fn attr_entries(map: &JsonMap, checks: &mut Checks) -> Result<HashMap<String, AttributeValue>, CodecError> {
    let mut out = HashMap::with_capacity(map.len());
    for (k, v) in map {
        out.insert(k.clone(), attr_value(v, Position::Element, checks)?);
    }
    Ok(out)
}

/// Decodes a map of attribute values (an item, a key, `ExpressionAttributeValues`)
/// given as a structure member, recording validation problems in `checks`.
pub fn attr_map(v: &Json, checks: &mut Checks) -> Result<HashMap<String, AttributeValue>, CodecError> {
    match v {
        Json::Object(m) => attr_entries(m, checks),
        Json::Array(_) => Err(map_as_array("AttributeValue")),
        _ => Err(ser(MSG_UNEXPECTED_FIELD)),
    }
}

/// Like [`attr_map`] for a map that is a list element (e.g. `Keys[i]`).
pub fn element_attr_map(v: &Json, checks: &mut Checks) -> Result<HashMap<String, AttributeValue>, CodecError> {
    attr_entries(element_map(v, "AttributeValue")?, checks)
}

/// An optional attribute-map member (e.g. `Item`, `Key`, `ExclusiveStartKey`).
pub fn opt_attr_map(
    o: &JsonMap,
    key: &str,
    checks: &mut Checks,
) -> Result<Option<HashMap<String, AttributeValue>>, CodecError> {
    member(o, key).map(|v| attr_map(v, checks)).transpose()
}

/// A required attribute-map member: like [`opt_attr_map`], recording DynamoDB's
/// not-null violation at `path` (e.g. `"key"`, `"transactItems.1.member.put.item"`)
/// when it is absent.
pub fn req_attr_map(
    o: &JsonMap,
    key: &str,
    path: &str,
    checks: &mut Checks,
) -> Result<Option<HashMap<String, AttributeValue>>, CodecError> {
    let value = opt_attr_map(o, key, checks)?;
    Ok(checks.require(value, path))
}

/// An optional attribute-value member (e.g. `Value` of `ExpectedAttributeValue`).
pub fn opt_attr(o: &JsonMap, key: &str, checks: &mut Checks) -> Result<Option<AttributeValue>, CodecError> {
    member(o, key)
        .map(|v| attr_value(v, Position::Member, checks))
        .transpose()
}

/// An optional list-of-attribute-values member (e.g. `AttributeValueList`).
pub fn opt_attr_list(o: &JsonMap, key: &str, checks: &mut Checks) -> Result<Option<Vec<AttributeValue>>, CodecError> {
    let Some(list) = opt_list(o, key)? else { return Ok(None) };
    let mut out = Vec::with_capacity(list.len());
    for v in list {
        out.push(attr_value(v, Position::Element, checks)?);
    }
    Ok(Some(out))
}

/// Decodes one `AttributeValue` on its own (as a map value), with DynamoDB's
/// errors: `{}` or `{"X": "1"}` is a [`CodecError::Validation`] (empty), two
/// types are a [`CodecError::Validation`], a wrong JSON type or bad base64 is
/// a [`CodecError::Serialization`].
pub fn attr_from_json(v: &Json) -> Result<AttributeValue, CodecError> {
    let mut checks = Checks::new();
    let av = attr_value(v, Position::Element, &mut checks)?;
    checks.finish()?;
    Ok(av)
}

/// Decodes a map of attribute values on its own (an item or a key), as [`attr_from_json`] does.
pub fn item_from_json(v: &Json) -> Result<HashMap<String, AttributeValue>, CodecError> {
    let mut checks = Checks::new();
    let item = attr_map(v, &mut checks)?;
    checks.finish()?;
    Ok(item)
}

/// Encodes an `AttributeValue` as DynamoDB sends it (`{"S": "x"}`, `{"N": "1"}`,
/// `{"B": "<base64>"}`, ...). The SDK's `Unknown` variant, which the engine
/// never produces, is encoded as `{}`.
pub fn attr_to_json(av: &AttributeValue) -> Json {
    let Some(ty) = AttrType::of(av) else {
        return json!({});
    };
    let value = match av {
        AttributeValue::S(s) | AttributeValue::N(s) => json!(s),
        AttributeValue::B(b) => json!(base64_encode(b.as_ref())),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => json!(b),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => json!(v),
        AttributeValue::Bs(v) => json!(v.iter().map(|b| base64_encode(b.as_ref())).collect::<Vec<_>>()),
        AttributeValue::L(v) => json!(v.iter().map(attr_to_json).collect::<Vec<_>>()),
        AttributeValue::M(m) => item_to_json(m),
        _ => return json!({}),
    };
    let mut o = JsonMap::with_capacity(1);
    o.insert(ty.name().into(), value);
    Json::Object(o)
}

/// Encodes a map of attribute values (an item or a key).
pub fn item_to_json(item: &HashMap<String, AttributeValue>) -> Json {
    Json::Object(item.iter().map(|(k, v)| (k.clone(), attr_to_json(v))).collect())
}

/// Encodes a list of items.
pub fn items_to_json(items: &[HashMap<String, AttributeValue>]) -> Json {
    Json::Array(items.iter().map(item_to_json).collect())
}

// ---------------------------------------------------------------------------
// Output helpers

/// Inserts `key: value` into `o` when `value` is `Some`.
pub fn put_opt<T>(o: &mut JsonMap, key: &str, value: Option<T>, encode: impl FnOnce(T) -> Json) {
    if let Some(v) = value {
        o.insert(key.to_string(), encode(v));
    }
}

/// Encodes a string list.
pub fn str_list_to_json(list: &[String]) -> Json {
    Json::Array(list.iter().map(|s| Json::String(s.clone())).collect())
}

/// Encodes a string map.
pub fn str_map_to_json(map: &HashMap<String, String>) -> Json {
    Json::Object(map.iter().map(|(k, v)| (k.clone(), Json::String(v.clone()))).collect())
}

/// Encodes an `f64` as a JSON number (a non-finite value, which no capacity
/// figure is, as `0`).
pub fn f64_to_json(x: f64) -> Json {
    serde_json::Number::from_f64(x).map_or(Json::from(0), Json::Number)
}

fn capacity_to_json(c: &Capacity) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "ReadCapacityUnits", c.read_capacity_units, f64_to_json);
    put_opt(&mut o, "WriteCapacityUnits", c.write_capacity_units, f64_to_json);
    put_opt(&mut o, "CapacityUnits", c.capacity_units, f64_to_json);
    Json::Object(o)
}

fn capacity_map_to_json(m: &HashMap<String, Capacity>) -> Json {
    Json::Object(m.iter().map(|(k, c)| (k.clone(), capacity_to_json(c))).collect())
}

/// Encodes a `ConsumedCapacity` (`TableName`, `CapacityUnits`, `ReadCapacityUnits`,
/// `WriteCapacityUnits`, `Table`, `LocalSecondaryIndexes`, `GlobalSecondaryIndexes`,
/// `VectorIndexes`; absent members omitted).
pub fn consumed_capacity_to_json(c: &ConsumedCapacity) -> Json {
    let mut o = JsonMap::new();
    put_opt(&mut o, "TableName", c.table_name.as_ref(), |s| Json::String(s.clone()));
    put_opt(&mut o, "CapacityUnits", c.capacity_units, f64_to_json);
    put_opt(&mut o, "ReadCapacityUnits", c.read_capacity_units, f64_to_json);
    put_opt(&mut o, "WriteCapacityUnits", c.write_capacity_units, f64_to_json);
    put_opt(&mut o, "Table", c.table.as_ref(), capacity_to_json);
    put_opt(
        &mut o,
        "LocalSecondaryIndexes",
        c.local_secondary_indexes.as_ref(),
        capacity_map_to_json,
    );
    put_opt(
        &mut o,
        "GlobalSecondaryIndexes",
        c.global_secondary_indexes.as_ref(),
        capacity_map_to_json,
    );
    put_opt(&mut o, "VectorIndexes", c.vector_indexes.as_ref(), |m| {
        Json::Object(
            m.iter()
                .map(|(k, v)| {
                    let mut vo = JsonMap::new();
                    put_opt(
                        &mut vo,
                        "VectorSearchRequestBytes",
                        v.vector_search_request_bytes,
                        f64_to_json,
                    );
                    put_opt(
                        &mut vo,
                        "VectorWriteRequestBytes",
                        v.vector_write_request_bytes,
                        f64_to_json,
                    );
                    (k.clone(), Json::Object(vo))
                })
                .collect(),
        )
    });
    Json::Object(o)
}

/// Encodes a list of `ConsumedCapacity` (the batch and transaction operations).
pub fn consumed_capacities_to_json(list: &[ConsumedCapacity]) -> Json {
    Json::Array(list.iter().map(consumed_capacity_to_json).collect())
}

/// Encodes `ItemCollectionMetrics` (`ItemCollectionKey`, `SizeEstimateRangeGB`).
pub fn item_collection_metrics_to_json(m: &ItemCollectionMetrics) -> Json {
    let mut o = JsonMap::new();
    put_opt(
        &mut o,
        "ItemCollectionKey",
        m.item_collection_key.as_ref(),
        item_to_json,
    );
    put_opt(&mut o, "SizeEstimateRangeGB", m.size_estimate_range_gb.as_ref(), |v| {
        Json::Array(v.iter().copied().map(f64_to_json).collect())
    });
    Json::Object(o)
}

/// Encodes per-table `ItemCollectionMetrics` (`BatchWriteItem`, `TransactWriteItems`).
pub fn item_collection_metrics_per_table_to_json(m: &HashMap<String, Vec<ItemCollectionMetrics>>) -> Json {
    Json::Object(
        m.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Json::Array(v.iter().map(item_collection_metrics_to_json).collect()),
                )
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------
// Writing item-heavy responses straight to bytes (no intermediate JSON tree)

fn write_str(out: &mut Vec<u8>, s: &str) {
    write_json_str(out, s.as_bytes());
}

fn write_str_list(out: &mut Vec<u8>, list: &[String]) {
    out.push(b'[');
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, s);
    }
    out.push(b']');
}

/// Writes an attribute value as DynamoDB's JSON (`{"S":"x"}`).
pub fn write_attr(out: &mut Vec<u8>, av: &AttributeValue) {
    let Some(ty) = AttrType::of(av) else {
        out.extend_from_slice(b"{}");
        return;
    };
    out.extend_from_slice(ty.json_open());
    match av {
        AttributeValue::S(s) | AttributeValue::N(s) => write_str(out, s),
        AttributeValue::B(b) => write_str(out, &base64_encode(b.as_ref())),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => write_str_list(out, v),
        AttributeValue::Bs(v) => {
            let encoded: Vec<String> = v.iter().map(|b| base64_encode(b.as_ref())).collect();
            write_str_list(out, &encoded);
        }
        AttributeValue::L(v) => {
            out.push(b'[');
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_attr(out, x);
            }
            out.push(b']');
        }
        AttributeValue::M(m) => write_item(out, m),
        _ => {}
    }
    out.push(b'}');
}

/// Writes an item (or a key) as DynamoDB's JSON.
pub fn write_item(out: &mut Vec<u8>, item: &HashMap<String, AttributeValue>) {
    out.push(b'{');
    for (i, (k, v)) in item.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, k);
        out.push(b':');
        write_attr(out, v);
    }
    out.push(b'}');
}

/// Writes a list of items.
pub fn write_items(out: &mut Vec<u8>, items: &[HashMap<String, AttributeValue>]) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(out, item);
    }
    out.push(b']');
}

#[cfg(test)]
mod tests;
