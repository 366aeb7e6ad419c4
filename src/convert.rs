//! Conversion between Rust values and DynamoDB attribute values.
//!
//! [`Attr`] converts one value; [`put_field`], [`take_field`] and
//! [`take_field_or`] convert one field of a record, naming it in errors.
//!
//! | Rust type | DynamoDB type |
//! |---|---|
//! | `String` | `S` |
//! | `bool` | `BOOL` |
//! | `i8`..`i128`, `u8`..`u128`, `isize`, `usize`, `f32`, `f64`, `BigDecimal` | `N` |
//! | [`Bytes`], [`Blob`] | `B` |
//! | `Vec<T>` | `L` |
//! | `HashSet<T>`, `BTreeSet<T>` of strings, integers or binaries ([`SetElement`]) | `SS`, `NS`, `BS` |
//! | `HashMap<String, T>`, `BTreeMap<String, T>` | `M` |
//! | `Option<T>` | `T`'s type, or no attribute |
//! | `serde_json::Value` | `NULL`, `BOOL`, `N`, `S`, `L`, `M` |
//! | `AttributeValue` | any |
//!
//! Numbers follow DynamoDB's limits: at most 38 significant digits and a
//! magnitude from 1E-130 to below 1E+126. Reading a number into a Rust type
//! that cannot hold it exactly (`300` into `u8`, `1.5` into `i32`) is an
//! error, never a wrap or a truncation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use bigdecimal::BigDecimal;

use crate::Item;
use crate::vocab::AttrType;
use crate::vocab::number::{self, MAX_DIGITS};

/// Conversion between a Rust value and a DynamoDB attribute value.
pub trait Attr: Sized {
    /// DynamoDB's type for this Rust type, for messages ("S", "N", "B", "BOOL", "L", "M", "SS", "NS", "BS", "NULL", or "any").
    const TYPE: &'static str;
    /// The attribute value, or `None` for "no attribute" (Option::None; empty sets, which DynamoDB cannot store).
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError>;
    /// From an attribute value (owned: strings and bytes are moved, not copied).
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError>;
    /// The value when the attribute is absent from the item: `Ok(None)` for Option, empty for sets/lists/maps... default impl: Err(ConvertError::missing()).
    fn absent() -> Result<Self, ConvertError> {
        Err(ConvertError::missing())
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// What went wrong in a conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConvertErrorKind {
    /// The attribute is absent and the type has no value for "absent".
    Missing,
    /// The attribute has another DynamoDB type than the Rust type reads.
    WrongType {
        /// The type the Rust type reads, e.g. `"N"`.
        expected: &'static str,
        /// The attribute's type, e.g. `"S"`.
        found: &'static str,
    },
    /// A number the target cannot hold exactly (`300` into `u8`, `1.5` into
    /// `i32`), or a value DynamoDB cannot store as a number (`NaN`, `inf`,
    /// more than 38 significant digits, a magnitude of 1E+126 or more or
    /// below 1E-130).
    OutOfRange {
        /// The value, as text.
        value: String,
        /// The target: a Rust type such as `"u8"`, or `"N"` when writing.
        target: &'static str,
    },
    /// Any other invalid value (e.g. an `N` attribute that is not a number).
    Invalid(String),
}

impl fmt::Display for ConvertErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertErrorKind::Missing => f.write_str("missing"),
            ConvertErrorKind::WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            ConvertErrorKind::OutOfRange { value, target } => write!(f, "value {value} out of range for {target}"),
            ConvertErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

/// A value that could not be converted, with the path of the attribute it
/// was found at (e.g. `address.zip` or `tags[2]`) and, when the typed API
/// read or wrote a record, the table and the item's key.
///
/// Displays as `attribute address.zip: expected N, found S`,
/// `attribute age: value 300 out of range for u8` or
/// `attribute name: missing` (without the `attribute ...: ` prefix when the
/// path is empty), followed by ` (table user, key id = "ann")` when the
/// table and key are known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ConvertError {
    kind: ConvertErrorKind,
    /// Attribute names and `[i]` indices, outermost first.
    path: Vec<String>,
    /// The table and the item's key, when known.
    item: Option<Box<ItemContext>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ItemContext {
    table: String,
    key: Option<String>,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)?;
        } else {
            write!(f, "attribute {}: {}", self.path(), self.kind)?;
        }
        match self.item.as_deref() {
            Some(ItemContext { table, key: Some(key) }) => write!(f, " (table {table}, key {key})"),
            Some(ItemContext { table, key: None }) => write!(f, " (table {table})"),
            None => Ok(()),
        }
    }
}

impl ConvertError {
    /// An error of this kind, with an empty path.
    pub fn new(kind: ConvertErrorKind) -> ConvertError {
        ConvertError {
            kind,
            path: Vec::new(),
            item: None,
        }
    }

    /// The attribute is absent.
    pub fn missing() -> ConvertError {
        ConvertError::new(ConvertErrorKind::Missing)
    }

    /// The attribute has type `found` where `expected` was needed.
    pub fn wrong_type(expected: &'static str, found: &'static str) -> ConvertError {
        ConvertError::new(ConvertErrorKind::WrongType { expected, found })
    }

    /// The number `value` does not fit `target`.
    pub fn out_of_range(value: impl Into<String>, target: &'static str) -> ConvertError {
        ConvertError::new(ConvertErrorKind::OutOfRange {
            value: value.into(),
            target,
        })
    }

    /// Any other invalid value.
    pub fn invalid(message: impl Into<String>) -> ConvertError {
        ConvertError::new(ConvertErrorKind::Invalid(message.into()))
    }

    /// The error with `segment` (an attribute name, or an index such as
    /// `[2]`) prepended to its path.
    pub fn at(mut self, segment: impl Into<String>) -> ConvertError {
        self.path.insert(0, segment.into());
        self
    }

    /// The path, dotted: `address.zip`, `tags[2]`, `tags[2].name`; empty for
    /// the value itself.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            if !out.is_empty() && !segment.starts_with('[') {
                out.push('.');
            }
            out.push_str(segment);
        }
        out
    }

    /// The path's segments, outermost first.
    pub fn segments(&self) -> &[String] {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &ConvertErrorKind {
        &self.kind
    }

    /// The error naming the table and (if known) the key of the item it was
    /// found in; a table already named is kept.
    pub fn in_item(mut self, table: &str, key: Option<&str>) -> ConvertError {
        if self.item.is_none() {
            self.item = Some(Box::new(ItemContext {
                table: table.to_string(),
                key: key.map(String::from),
            }));
        }
        self
    }

    /// The table of the item the error was found in, when known.
    pub fn table(&self) -> Option<&str> {
        self.item.as_deref().map(|c| c.table.as_str())
    }

    /// The key of the item the error was found in (`id = "ann"`), when known.
    pub fn key(&self) -> Option<&str> {
        self.item.as_deref()?.key.as_deref()
    }
}

/// DynamoDB's name for the type of `av` (`"S"`, `"N"`, ..., `"unknown"` for
/// a type the SDK does not know).
pub fn type_of(av: &AttributeValue) -> &'static str {
    AttrType::of(av).map_or("unknown", AttrType::name)
}

#[cold]
fn wrong(expected: &'static str, av: &AttributeValue) -> ConvertError {
    ConvertError::wrong_type(expected, type_of(av))
}

#[cold]
fn index(i: usize) -> String {
    format!("[{i}]")
}

// ---------------------------------------------------------------------------
// Record fields
// ---------------------------------------------------------------------------

/// Writes field `name` of a record into `item` (skipping absent values), naming the field in errors.
#[inline]
pub fn put_field<T: Attr>(item: &mut Item, name: &str, value: &T) -> Result<(), ConvertError> {
    match value.to_attr() {
        Ok(Some(av)) => {
            item.insert(name.to_owned(), av);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => Err(e.at(name)),
    }
}

/// Reads field `name` from `item` (removing it: owned), falling back to `absent()`; names the field in errors.
#[inline]
pub fn take_field<T: Attr, S: crate::record::ItemSource + ?Sized>(item: &mut S, name: &str) -> Result<T, ConvertError> {
    match item.take(name) {
        Some(av) => T::from_attr(av),
        None => T::absent(),
    }
    .map_err(|e| e.at(name))
}

/// Like take_field, but a missing attribute gives `default()` (for fields with declared defaults and for partial records from index projections).
#[inline]
pub fn take_field_or<T: Attr, S: crate::record::ItemSource + ?Sized>(
    item: &mut S,
    name: &str,
    default: impl FnOnce() -> T,
) -> Result<T, ConvertError> {
    match item.take(name) {
        Some(av) => T::from_attr(av).map_err(|e| e.at(name)),
        None => Ok(default()),
    }
}

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

impl Attr for String {
    const TYPE: &'static str = AttrType::S.name();
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::S(self.clone())))
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::S(s) => Ok(s),
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
}

impl Attr for bool {
    const TYPE: &'static str = AttrType::Bool.name();
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::Bool(*self)))
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
}

impl Attr for AttributeValue {
    const TYPE: &'static str = "any";
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(self.clone()))
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        Ok(av)
    }
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

#[cold]
fn not_a_number(s: &str) -> ConvertError {
    ConvertError::invalid(format!("invalid number {s:?}"))
}

/// Reads an integer from an `N` string: the plain form by `str::parse`, any
/// other form (`1e2`, `100.0`) when its value is integral and in range.
#[inline]
fn parse_int<T: FromStr>(s: String, target: &'static str) -> Result<T, ConvertError> {
    match s.parse::<T>() {
        Ok(v) => Ok(v),
        Err(_) => parse_int_slow(s, target),
    }
}

#[cold]
fn parse_int_slow<T: FromStr>(s: String, target: &'static str) -> Result<T, ConvertError> {
    let Some(d) = number::scan(&s) else {
        return Err(not_a_number(&s));
    };
    if d.is_zero() {
        return "0".parse().map_err(|_| ConvertError::out_of_range(s, target));
    }
    // 40 digits are more than any Rust integer holds; no need to build them.
    let (count, exp) = (d.significant_digits() as i64, d.last_exponent());
    if exp < 0 || count + exp > 40 {
        return Err(ConvertError::out_of_range(s, target));
    }
    let mut plain = String::with_capacity(41);
    if d.is_negative() {
        plain.push('-');
    }
    plain.extend(d.digits().map(char::from));
    plain.extend(std::iter::repeat_n('0', exp as usize));
    plain.parse().map_err(|_| ConvertError::out_of_range(s, target))
}

/// The number of significant digits of a number's text (0 for text that is
/// not a number).
fn significant_digits(s: &str) -> u64 {
    number::scan(s).map_or(0, |n| n.significant_digits())
}

/// An integer's `N` text; `checked` for the types whose values may exceed
/// 38 significant digits.
#[inline]
fn int_to_n<T: ToString>(v: &T, checked: bool) -> Result<String, ConvertError> {
    let s = v.to_string();
    if checked && s.len() > MAX_DIGITS as usize && significant_digits(&s) > MAX_DIGITS {
        return Err(ConvertError::out_of_range(s, "N"));
    }
    Ok(s)
}

macro_rules! int_attr {
    ($checked:expr => $($t:ty),*) => {$(
        impl Attr for $t {
            const TYPE: &'static str = AttrType::N.name();
            #[inline]
            fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
                Ok(Some(AttributeValue::N(int_to_n(self, $checked)?)))
            }
            #[inline]
            fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
                match av {
                    AttributeValue::N(s) => parse_int(s, stringify!($t)),
                    other => Err(wrong(Self::TYPE, &other)),
                }
            }
        }

        impl SetElement for $t {
            const SET_TYPE: &'static str = AttrType::Ns.name();
            fn to_set<'a, I>(elements: I) -> Result<AttributeValue, ConvertError>
            where
                I: ExactSizeIterator<Item = &'a Self>,
            {
                let mut out = Vec::with_capacity(elements.len());
                for (i, v) in elements.enumerate() {
                    out.push(int_to_n(v, $checked).map_err(|e| e.at(index(i)))?);
                }
                Ok(AttributeValue::Ns(out))
            }
            fn from_set(
                av: AttributeValue,
            ) -> Result<impl ExactSizeIterator<Item = Result<Self, ConvertError>>, ConvertError> {
                match av {
                    AttributeValue::Ns(v) => Ok(v.into_iter().map(|s| parse_int(s, stringify!($t)))),
                    other => Err(wrong(Self::SET_TYPE, &other)),
                }
            }
        }
    )*};
}

int_attr!(false => i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
int_attr!(true => i128, u128);

/// A finite float's `N` text: Rust's shortest round-trip form, plain for
/// magnitudes from 1e-7 to below 1e21, else in exponent form (`1.5E300`);
/// `OutOfRange` for values DynamoDB cannot store.
fn float_to_n<F: fmt::Display + fmt::UpperExp>(v: F, magnitude: f64) -> Result<String, ConvertError> {
    if !magnitude.is_finite() {
        return Err(ConvertError::out_of_range(v.to_string(), "N"));
    }
    if magnitude == 0.0 || (1e-7..1e21).contains(&magnitude) {
        return Ok(v.to_string());
    }
    // Compared as f64, the bounds agree with the shortest form's exponent.
    if !(1e-130..1e126).contains(&magnitude) {
        return Err(ConvertError::out_of_range(format!("{v:E}"), "N"));
    }
    Ok(format!("{v:E}"))
}

macro_rules! float_attr {
    ($($t:ty),*) => {$(
        impl Attr for $t {
            const TYPE: &'static str = AttrType::N.name();
            #[inline]
            fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
                Ok(Some(AttributeValue::N(float_to_n(*self, f64::from(self.abs()))?)))
            }
            /// Any number, rounded to the nearest value; `OutOfRange` when
            /// it overflows to infinity.
            #[inline]
            fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
                match av {
                    AttributeValue::N(s) => match s.parse::<$t>() {
                        Ok(v) if v.is_finite() => Ok(v),
                        // Overflow to infinity, or "inf"/"NaN" (not DynamoDB numbers).
                        Ok(_) if s.bytes().any(|c| c.is_ascii_digit()) => {
                            Err(ConvertError::out_of_range(s, stringify!($t)))
                        }
                        _ => Err(not_a_number(&s)),
                    },
                    other => Err(wrong(Self::TYPE, &other)),
                }
            }
        }
    )*};
}

float_attr!(f32, f64);

/// Number text with an upper-case exponent marker (`1e+30` → `1E+30`), the
/// form DynamoDB's own documentation uses.
#[inline]
fn upper_exponent(mut s: String) -> String {
    if let Some(i) = s.find('e') {
        s.replace_range(i..=i, "E");
    }
    s
}

/// Checks a `BigDecimal` against DynamoDB's precision and magnitude limits.
fn check_big_decimal(v: &BigDecimal) -> Result<(), ConvertError> {
    number::check_decimal(v).map_err(|_| ConvertError::out_of_range(upper_exponent(v.to_string()), "N"))
}

impl Attr for BigDecimal {
    const TYPE: &'static str = AttrType::N.name();
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        check_big_decimal(self)?;
        Ok(Some(AttributeValue::N(upper_exponent(self.to_string()))))
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::N(s) => {
                // `BigDecimal` parses a few forms DynamoDB does not; only
                // DynamoDB's syntax is accepted.
                if number::scan(&s).is_none() {
                    return Err(not_a_number(&s));
                }
                BigDecimal::from_str(&s).map_err(|_| not_a_number(&s))
            }
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
}

// ---------------------------------------------------------------------------
// Binary
// ---------------------------------------------------------------------------

/// Binary data, stored as a `B` attribute (a `Vec<u8>` would be a list of
/// numbers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        Bytes(v)
    }
}

impl From<&[u8]> for Bytes {
    fn from(v: &[u8]) -> Bytes {
        Bytes(v.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(b: Bytes) -> Vec<u8> {
        b.0
    }
}

impl From<Blob> for Bytes {
    fn from(b: Blob) -> Bytes {
        Bytes(b.into_inner())
    }
}

impl From<Bytes> for Blob {
    fn from(b: Bytes) -> Blob {
        Blob::new(b.0)
    }
}

impl Deref for Bytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Attr for Bytes {
    const TYPE: &'static str = AttrType::B.name();
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::B(Blob::new(self.0.clone()))))
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::B(b) => Ok(Bytes(b.into_inner())),
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
}

impl Attr for Blob {
    const TYPE: &'static str = AttrType::B.name();
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::B(self.clone())))
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::B(b) => Ok(b),
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
}

// ---------------------------------------------------------------------------
// Option, lists, maps
// ---------------------------------------------------------------------------

/// `None` is no attribute; `NULL` and an absent attribute read as `None`.
impl<T: Attr> Attr for Option<T> {
    const TYPE: &'static str = T::TYPE;
    #[inline]
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        match self {
            Some(v) => v.to_attr(),
            None => Ok(None),
        }
    }
    #[inline]
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::Null(_) => Ok(None),
            av => T::from_attr(av).map(Some),
        }
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(None)
    }
}

/// An `L`; elements without a value (`None`) are stored as `NULL`. Absent
/// reads as empty.
impl<T: Attr> Attr for Vec<T> {
    const TYPE: &'static str = AttrType::L.name();
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        let mut out = Vec::with_capacity(self.len());
        for (i, v) in self.iter().enumerate() {
            match v.to_attr() {
                Ok(av) => out.push(av.unwrap_or(AttributeValue::Null(true))),
                Err(e) => return Err(e.at(index(i))),
            }
        }
        Ok(Some(AttributeValue::L(out)))
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        match av {
            AttributeValue::L(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, av) in items.into_iter().enumerate() {
                    match T::from_attr(av) {
                        Ok(v) => out.push(v),
                        Err(e) => return Err(e.at(index(i))),
                    }
                }
                Ok(out)
            }
            other => Err(wrong(Self::TYPE, &other)),
        }
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(Vec::new())
    }
}

/// Writes the entries of a map as an `M`, leaving out values without one.
fn map_to_attr<'a, T: Attr + 'a>(
    len: usize,
    entries: impl Iterator<Item = (&'a String, &'a T)>,
) -> Result<Option<AttributeValue>, ConvertError> {
    let mut out = HashMap::with_capacity(len);
    for (k, v) in entries {
        match v.to_attr() {
            Ok(Some(av)) => {
                out.insert(k.clone(), av);
            }
            Ok(None) => {}
            Err(e) => return Err(e.at(k.as_str())),
        }
    }
    Ok(Some(AttributeValue::M(out)))
}

/// Reads an `M` into any map of `T`, naming the entry that does not convert.
fn map_from_attr<T: Attr, M: FromIterator<(String, T)>>(
    ty: &'static str,
    av: AttributeValue,
) -> Result<M, ConvertError> {
    match av {
        AttributeValue::M(m) => m
            .into_iter()
            .map(|(k, av)| match T::from_attr(av) {
                Ok(v) => Ok((k, v)),
                Err(e) => Err(e.at(k)),
            })
            .collect(),
        other => Err(wrong(ty, &other)),
    }
}

/// An `M`; values without one (`None`) are left out. Absent reads as empty.
impl<T: Attr, S: BuildHasher + Default> Attr for HashMap<String, T, S> {
    const TYPE: &'static str = AttrType::M.name();
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        map_to_attr(self.len(), self.iter())
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        map_from_attr(Self::TYPE, av)
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(HashMap::default())
    }
}

/// An `M`; values without one (`None`) are left out. Absent reads as empty.
impl<T: Attr> Attr for BTreeMap<String, T> {
    const TYPE: &'static str = AttrType::M.name();
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        map_to_attr(self.len(), self.iter())
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        map_from_attr(Self::TYPE, av)
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(BTreeMap::new())
    }
}

// ---------------------------------------------------------------------------
// Sets
// ---------------------------------------------------------------------------

/// Element types of DynamoDB sets: strings (`SS`), integers (`NS`) and
/// binaries (`BS`). `HashSet<T>` and `BTreeSet<T>` of these are [`Attr`]s.
pub trait SetElement: Sized {
    /// The set's DynamoDB type: `"SS"`, `"NS"` or `"BS"`.
    const SET_TYPE: &'static str;
    /// The set attribute value holding `elements` (never called with none:
    /// DynamoDB cannot store empty sets). An element that fails to convert
    /// gives its error with its position (`[i]`) in the path.
    fn to_set<'a, I>(elements: I) -> Result<AttributeValue, ConvertError>
    where
        I: ExactSizeIterator<Item = &'a Self>,
        Self: 'a;
    /// The elements of a set attribute value, each converted (`WrongType`
    /// when `av` is not a set of this set type).
    fn from_set(av: AttributeValue) -> Result<impl ExactSizeIterator<Item = Result<Self, ConvertError>>, ConvertError>;
}

impl SetElement for String {
    const SET_TYPE: &'static str = AttrType::Ss.name();
    fn to_set<'a, I>(elements: I) -> Result<AttributeValue, ConvertError>
    where
        I: ExactSizeIterator<Item = &'a Self>,
    {
        Ok(AttributeValue::Ss(elements.cloned().collect()))
    }
    fn from_set(av: AttributeValue) -> Result<impl ExactSizeIterator<Item = Result<Self, ConvertError>>, ConvertError> {
        match av {
            AttributeValue::Ss(v) => Ok(v.into_iter().map(Ok)),
            other => Err(wrong(Self::SET_TYPE, &other)),
        }
    }
}

impl SetElement for Bytes {
    const SET_TYPE: &'static str = AttrType::Bs.name();
    fn to_set<'a, I>(elements: I) -> Result<AttributeValue, ConvertError>
    where
        I: ExactSizeIterator<Item = &'a Self>,
    {
        Ok(AttributeValue::Bs(elements.map(|b| Blob::new(b.0.clone())).collect()))
    }
    fn from_set(av: AttributeValue) -> Result<impl ExactSizeIterator<Item = Result<Self, ConvertError>>, ConvertError> {
        match av {
            AttributeValue::Bs(v) => Ok(v.into_iter().map(|b| Ok(Bytes(b.into_inner())))),
            other => Err(wrong(Self::SET_TYPE, &other)),
        }
    }
}

impl SetElement for Blob {
    const SET_TYPE: &'static str = AttrType::Bs.name();
    fn to_set<'a, I>(elements: I) -> Result<AttributeValue, ConvertError>
    where
        I: ExactSizeIterator<Item = &'a Self>,
    {
        Ok(AttributeValue::Bs(elements.cloned().collect()))
    }
    fn from_set(av: AttributeValue) -> Result<impl ExactSizeIterator<Item = Result<Self, ConvertError>>, ConvertError> {
        match av {
            AttributeValue::Bs(v) => Ok(v.into_iter().map(Ok)),
            other => Err(wrong(Self::SET_TYPE, &other)),
        }
    }
}

/// An `SS`, `NS` or `BS`; an empty set is no attribute (DynamoDB cannot
/// store one: in a list it is stored as `NULL`) and an absent attribute or
/// `NULL` reads as empty.
impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> Attr for HashSet<T, S> {
    const TYPE: &'static str = T::SET_TYPE;
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::to_set(self.iter()).map(Some)
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        if let AttributeValue::Null(_) = av {
            return Self::absent();
        }
        let elements = T::from_set(av)?;
        let mut out = HashSet::with_capacity_and_hasher(elements.len(), S::default());
        for (i, v) in elements.enumerate() {
            out.insert(v.map_err(|e| e.at(index(i)))?);
        }
        Ok(out)
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(HashSet::default())
    }
}

/// An `SS`, `NS` or `BS`; an empty set is no attribute (DynamoDB cannot
/// store one: in a list it is stored as `NULL`) and an absent attribute or
/// `NULL` reads as empty.
impl<T: SetElement + Ord> Attr for BTreeSet<T> {
    const TYPE: &'static str = T::SET_TYPE;
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::to_set(self.iter()).map(Some)
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        if let AttributeValue::Null(_) = av {
            return Self::absent();
        }
        let mut out = BTreeSet::new();
        for (i, v) in T::from_set(av)?.enumerate() {
            out.insert(v.map_err(|e| e.at(index(i)))?);
        }
        Ok(out)
    }
    #[inline]
    fn absent() -> Result<Self, ConvertError> {
        Ok(BTreeSet::new())
    }
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

/// The DynamoDB types a `serde_json::Value` reads from, for messages.
const JSON_TYPES: &str = "NULL, BOOL, N, S, L, M, SS or NS";

/// A JSON number's `N` text (`serde_json`'s own text); `OutOfRange` for
/// floats outside DynamoDB's magnitude range.
fn json_number_to_n(n: &serde_json::Number) -> Result<String, ConvertError> {
    if n.is_f64()
        && let Some(f) = n.as_f64()
    {
        let magnitude = f.abs();
        if magnitude != 0.0 && !(1e-130..1e126).contains(&magnitude) {
            return Err(ConvertError::out_of_range(upper_exponent(n.to_string()), "N"));
        }
    }
    Ok(upper_exponent(n.to_string()))
}

/// An `N` as a JSON number: an integer when the text is a plain integer
/// that fits `i64` or `u64`, else an `f64` when the `f64` has exactly the
/// text's value, else `OutOfRange`.
fn n_to_json_number(s: String) -> Result<serde_json::Number, ConvertError> {
    if let Ok(i) = s.parse::<i64>() {
        return Ok(i.into());
    }
    if let Ok(u) = s.parse::<u64>() {
        return Ok(u.into());
    }
    let Some(d) = number::scan(&s) else {
        return Err(not_a_number(&s));
    };
    if let Ok(f) = s.parse::<f64>()
        && f.is_finite()
        && number::scan(&format!("{f:e}")).is_some_and(|back| back.same_value(&d))
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return Ok(n);
    }
    Err(ConvertError::out_of_range(s, "serde_json::Number"))
}

/// JSON as attribute values: `null` ↔ `NULL`, booleans ↔ `BOOL`, numbers ↔
/// `N` (the number's text as `serde_json` writes it), strings ↔ `S`,
/// arrays ↔ `L`, objects ↔ `M`.
///
/// Reading also accepts `SS` and `NS` (as arrays). `N` reads as in
/// [`serde_json::Number`]: integers that fit `i64`/`u64` as integers, other
/// numbers as `f64` when the `f64` holds them exactly, else `OutOfRange`.
/// Binary values (`B`, `BS`) have no JSON form: `WrongType`.
impl Attr for serde_json::Value {
    const TYPE: &'static str = "any";
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        use serde_json::Value;
        Ok(Some(match self {
            Value::Null => AttributeValue::Null(true),
            Value::Bool(b) => AttributeValue::Bool(*b),
            Value::Number(n) => AttributeValue::N(json_number_to_n(n)?),
            Value::String(s) => AttributeValue::S(s.clone()),
            Value::Array(a) => return a.to_attr(),
            Value::Object(o) => {
                let mut out = HashMap::with_capacity(o.len());
                for (k, v) in o {
                    match v.to_attr() {
                        Ok(Some(av)) => {
                            out.insert(k.clone(), av);
                        }
                        Ok(None) => {}
                        Err(e) => return Err(e.at(k.as_str())),
                    }
                }
                AttributeValue::M(out)
            }
        }))
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        use serde_json::Value;
        Ok(match av {
            AttributeValue::Null(_) => Value::Null,
            AttributeValue::Bool(b) => Value::Bool(b),
            AttributeValue::N(s) => Value::Number(n_to_json_number(s)?),
            AttributeValue::S(s) => Value::String(s),
            AttributeValue::L(items) => Value::Array(Vec::from_attr(AttributeValue::L(items))?),
            AttributeValue::M(m) => {
                let mut out = serde_json::Map::with_capacity(m.len());
                for (k, av) in m {
                    match Value::from_attr(av) {
                        Ok(v) => {
                            out.insert(k, v);
                        }
                        Err(e) => return Err(e.at(k)),
                    }
                }
                Value::Object(out)
            }
            AttributeValue::Ss(v) => Value::Array(v.into_iter().map(Value::String).collect()),
            AttributeValue::Ns(v) => {
                let mut out = Vec::with_capacity(v.len());
                for (i, s) in v.into_iter().enumerate() {
                    out.push(Value::Number(n_to_json_number(s).map_err(|e| e.at(index(i)))?));
                }
                Value::Array(out)
            }
            other => return Err(wrong(JSON_TYPES, &other)),
        })
    }
}

#[cfg(test)]
mod tests;
