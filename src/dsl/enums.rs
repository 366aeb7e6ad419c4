//! `dynamo_enum!` (fieldless enums stored as strings) and `dynamo_newtype!`
//! (newtypes over strings and numbers, e.g. as keys). The macros declare the
//! type and a few one-line impls; the conversions are the generic functions
//! here.

use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::convert::{ConvertError, type_of};

/// A fieldless enum stored as a string attribute, declared with
/// [`dynamo_enum!`](crate::dynamo_enum): each variant with its stored value.
pub trait DynamoEnum: Copy + PartialEq + Send + Sync + 'static {
    /// The enum's name, for messages.
    const NAME: &'static str;
    /// Every variant with its stored value, in declaration order.
    const VARIANTS: &'static [(Self, &'static str)];

    /// The stored value of this variant.
    fn as_str(&self) -> &'static str {
        Self::VARIANTS.iter().find(|(v, _)| v == self).map_or("", |(_, s)| s)
    }

    /// The variant stored as `value`, if any.
    fn from_stored(value: &str) -> Option<Self> {
        Self::VARIANTS.iter().find(|(_, s)| *s == value).map(|(v, _)| *v)
    }
}

/// An enum value as its string attribute.
pub fn enum_to_attr<E: DynamoEnum>(value: &E) -> Result<Option<AttributeValue>, ConvertError> {
    Ok(Some(AttributeValue::S(value.as_str().to_string())))
}

/// An enum value from its string attribute; a value no variant is stored as
/// is an error naming it and the values expected.
pub fn enum_from_attr<E: DynamoEnum>(av: AttributeValue) -> Result<E, ConvertError> {
    match av {
        AttributeValue::S(s) => E::from_stored(&s).ok_or_else(|| unknown_value::<E>(&s)),
        other => Err(ConvertError::wrong_type("S", type_of(&other))),
    }
}

#[cold]
fn unknown_value<E: DynamoEnum>(value: &str) -> ConvertError {
    let expected: Vec<String> = E::VARIANTS.iter().map(|(_, s)| format!("{s:?}")).collect();
    ConvertError::invalid(format!(
        "{value:?} is not a {} (expected one of {})",
        E::NAME,
        expected.join(", ")
    ))
}

/// Displays an enum value as its stored value.
pub fn enum_fmt<E: DynamoEnum>(value: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(value.as_str())
}

/// Declares fieldless enums stored as string attributes, usable as fields,
/// keys and index keys.
///
/// ```
/// use dynamo_objects::{dynamo_enum, DynamoEnum};
///
/// dynamo_enum! {
///     /// Where an order is.
///     pub enum Status {
///         Active = "active",
///         Closed = "CLOSED",
///         Pending, // stored as "Pending"
///     }
/// }
///
/// assert_eq!(Status::Closed.as_str(), "CLOSED");
/// assert_eq!(Status::Pending.to_string(), "Pending");
/// assert_eq!(Status::from_stored("active"), Some(Status::Active));
/// ```
///
/// Each enum derives `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `Hash`,
/// `PartialOrd` and `Ord`, implements [`DynamoEnum`], [`Attr`](crate::Attr)
/// (type `S`), [`KeyAttrType`](crate::KeyAttrType) and `Display` (the
/// stored value). Reading a value no variant is stored as is a
/// [`ConvertError`] naming the attribute and the value:
/// `attribute status: "gone" is not a Status (expected one of "active",
/// "CLOSED", "Pending")`. Two variants stored as one value, or a variant
/// stored as `""`, do not compile.
#[macro_export]
macro_rules! dynamo_enum {
    ($(
        $(#[$m:meta])*
        $vis:vis enum $E:ident { $( $(#[$vm:meta])* $V:ident $(= $s:literal)? ),* $(,)? }
    )*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $E { $( $(#[$vm])* $V ),* }

        impl $crate::DynamoEnum for $E {
            const NAME: &'static str = ::core::stringify!($E);
            const VARIANTS: &'static [(Self, &'static str)] = &[$( ($E::$V, $crate::__dynamo_name!($V $($s)?)) ),*];
        }

        impl $crate::Attr for $E {
            const TYPE: &'static str = "S";
            fn to_attr(&self) -> ::core::result::Result<::core::option::Option<$crate::sdk::AttributeValue>, $crate::ConvertError> {
                $crate::__private::enum_to_attr(self)
            }
            fn from_attr(av: $crate::sdk::AttributeValue) -> ::core::result::Result<Self, $crate::ConvertError> {
                $crate::__private::enum_from_attr(av)
            }
        }

        impl $crate::KeyAttrType for $E {
            const KEY_TYPE: $crate::KeyType = $crate::KeyType::S;
        }

        impl ::core::fmt::Display for $E {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::__private::enum_fmt(self, f)
            }
        }

        const _: () = {
            const PROBLEM: $crate::__private::Problem = $crate::__private::check_enum_values(
                ::core::stringify!($E),
                &[$( (::core::stringify!($V), $crate::__dynamo_name!($V $($s)?)) ),*],
            );
            ::core::assert!(PROBLEM.is_none(), "{}", PROBLEM.as_str());
        };
    )*};
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_enum!: expected `enum Name { Variant, Variant = \"stored value\", ... }` ",
            "(fieldless variants, each stored as its name or as the string given); found `",
            ::core::stringify!($($bad)*), "`"));
    };
}

/// Declares newtypes over an attribute type (a string, a number, ...): the
/// newtype stores as its inner value and, over a key type, is a key type
/// itself, so that keys of different kinds cannot be mixed up.
///
/// ```
/// use dynamo_objects::{dynamo_newtype, dynamo_table};
///
/// dynamo_newtype! {
///     /// A user's id.
///     pub struct UserId(String);
///     /// An order number.
///     pub struct OrderNo(pub u64);
/// }
///
/// dynamo_table! {
///     orders: Order { hash user: UserId, range number: OrderNo, total: f64 }
/// }
///
/// let id = UserId::from("u1");
/// assert_eq!(id.as_str(), "u1"); // Deref to the inner String
/// assert_eq!(id.to_string(), "u1");
/// let key: (UserId, OrderNo) = (id, OrderNo(7));
/// # let _ = key;
/// ```
///
/// Each newtype derives `Debug`, `Clone`, `PartialEq` and `PartialOrd`;
/// implements `Eq`, `Hash`, `Ord`, `Default`, `Display`, `From<&str>` when
/// the inner type does; `From` the inner type and into it, `Deref` and
/// `AsRef` to it; [`Attr`](crate::Attr) (stored as the inner value), and
/// [`KeyAttrType`](crate::KeyAttrType) when the inner type is a key type.
#[macro_export]
macro_rules! dynamo_newtype {
    ($(
        $(#[$m:meta])*
        $vis:vis struct $N:ident ( $fvis:vis $T:ty ) ;
    )*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, PartialOrd)]
        $vis struct $N($fvis $T);

        impl ::core::cmp::Eq for $N where for<'__a> $T: ::core::cmp::Eq {}
        // Consistent with the derived `PartialOrd`: both compare the inner values.
        #[allow(clippy::derive_ord_xor_partial_ord)]
        impl ::core::cmp::Ord for $N where for<'__a> $T: ::core::cmp::Ord {
            fn cmp(&self, other: &Self) -> ::core::cmp::Ordering {
                ::core::cmp::Ord::cmp(&self.0, &other.0)
            }
        }
        impl ::core::hash::Hash for $N where for<'__a> $T: ::core::hash::Hash {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(&self.0, state)
            }
        }
        impl ::core::default::Default for $N where for<'__a> $T: ::core::default::Default {
            fn default() -> Self {
                $N(::core::default::Default::default())
            }
        }
        impl ::core::fmt::Display for $N where for<'__a> $T: ::core::fmt::Display {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }
        impl ::core::convert::From<$T> for $N {
            fn from(inner: $T) -> Self {
                $N(inner)
            }
        }
        impl ::core::convert::From<$N> for $T {
            fn from(outer: $N) -> Self {
                outer.0
            }
        }
        impl ::core::convert::From<&str> for $N where for<'__a> $T: ::core::convert::From<&'__a str> {
            fn from(s: &str) -> Self {
                $N(::core::convert::From::from(s))
            }
        }
        impl ::core::ops::Deref for $N {
            type Target = $T;
            fn deref(&self) -> &$T {
                &self.0
            }
        }
        impl ::core::convert::AsRef<$T> for $N {
            fn as_ref(&self) -> &$T {
                &self.0
            }
        }
        impl $crate::Attr for $N {
            const TYPE: &'static str = <$T as $crate::Attr>::TYPE;
            fn to_attr(&self) -> ::core::result::Result<::core::option::Option<$crate::sdk::AttributeValue>, $crate::ConvertError> {
                $crate::Attr::to_attr(&self.0)
            }
            fn from_attr(av: $crate::sdk::AttributeValue) -> ::core::result::Result<Self, $crate::ConvertError> {
                <$T as $crate::Attr>::from_attr(av).map($N)
            }
            fn absent() -> ::core::result::Result<Self, $crate::ConvertError> {
                <$T as $crate::Attr>::absent().map($N)
            }
        }
        impl $crate::KeyAttrType for $N where for<'__a> $T: $crate::KeyAttrType {
            const KEY_TYPE: $crate::KeyType = <$T as $crate::KeyAttrType>::KEY_TYPE;
        }
        impl $crate::expr::HasPrefix for $N where for<'__a> $T: $crate::expr::HasPrefix {}
    )*};
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_newtype!: expected `struct Name(Type);` (e.g. `pub struct UserId(String);`); found `",
            ::core::stringify!($($bad)*), "`"));
    };
}
