//! The single-table declarations: `single_table!`, `entity!`,
//! `aggregate!`. Each expands to a type and one trait impl describing it;
//! the behaviour is generic code in `crate::entity`.

/// Declares a single table: several entity types in one table.
///
/// ```text
/// single_table! {
///     /// Doc comments and attributes pass to the marker type.
///     table_name: Type {
///         hash "PK", range "SK",            // the key attributes (strings)
///         entity "_type",                   // the attribute naming each item's type
///         global_index gsi1("GSI1PK", "GSI1SK"),   // any number, hash and range attributes
///         throughput(5, 5),                 // optional: provisioned (default on-demand)
///     }
/// }
/// ```
///
/// Expands to `pub struct Type;` implementing [`crate::entity::TableDef`],
/// one constant per index (`Type::GSI1`, a [`crate::entity::GlobalIndex`]),
/// and `pub type TypeTable = EntityTable<Type>` (see
/// [`crate::entity::EntityTable`]). Global indexes project every attribute.
/// See [`crate::entity`](mod@crate::entity) for a whole example.
#[macro_export]
macro_rules! single_table {
    (
        $(#[$m:meta])*
        $table:ident : $T:ident {
            hash $hash:literal , range $range:literal , entity $entity:literal
            $(, global_index $ix:ident ( $ih:literal , $ir:literal $(,)? ) )*
            $(, throughput ( $read:expr , $write:expr $(,)? ) )?
            $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $T;

        impl $crate::entity::TableDef for $T {
            const NAME: &'static str = ::core::stringify!($table);
            const HASH: &'static str = $hash;
            const RANGE: &'static str = $range;
            const ENTITY: &'static str = $entity;
            const INDEXES: &'static [$crate::entity::IndexDef] =
                &[$($crate::entity::IndexDef::new(::core::stringify!($ix), $ih, $ir)),*];
            const BILLING: $crate::Billing = $crate::entity::billing(&[$(($read, $write))?]);
            fn schema() -> &'static $crate::TableSchema {
                static SCHEMA: ::std::sync::OnceLock<$crate::TableSchema> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init($crate::entity::table_schema::<$T>)
            }
        }

        $crate::__private::pastey::paste! {
            impl $T {
                $(
                    #[doc = ::core::concat!("The global index `", ::core::stringify!($ix), "` (", $ih, ", ", $ir, ").")]
                    pub const [<$ix:upper>]: $crate::entity::GlobalIndex<$T> =
                        $crate::entity::GlobalIndex::new(::core::stringify!($ix), $ih, $ir);
                )*
            }

            #[doc = ::core::concat!("The single table `", ::core::stringify!($table), "`: its entities' typed API.")]
            pub type [<$T Table>] = $crate::entity::EntityTable<$T>;
        }
    };
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "single_table!: expected `table_name: Type { hash \"PK\", range \"SK\", entity \"_type\", ",
            "global_index name(\"GSI1PK\", \"GSI1SK\"), ..., throughput(read, write) }` ",
            "(indexes and throughput optional); found `", ::core::stringify!($($bad)*), "`"));
    };
}

/// Declares an entity: a record stored in a single table.
///
/// ```text
/// entity! {
///     /// Doc comments and attributes pass to the struct.
///     Order in App as "ORDER" {          // the table, and the entity attribute's value
///         hash user_id: String,          // hash fields: what the partition-key template uses
///         range order_id: String,        // range fields: what the sort-key template adds
///         cents: u64,                    // other fields, as in dynamo_table!'s records
///         note: Option<String>,
///     }
///     key(pk = "USER#{user_id}", sk = "ORDER#{order_id}")
///     index gsi1(pk = "ORDER#{order_id}", sk = "ORDER")   // any number, one per index
/// }
/// ```
///
/// Expands to the record (`pub struct Order`, its field constants and
/// conversions, as `dynamo_table!`'s `record` form) and its
/// [`crate::entity::Entity`] impl: `Key = (String, String)` (the `hash` then
/// the `range` fields), `Hash = (String,)`. Templates are literal text with
/// `{field}` placeholders (`{field:04}`: zero-padded to 4 characters, so
/// numbers sort by value), checked at compile time: the partition-key
/// template uses exactly the `hash` fields, the sort-key template every
/// `range` field (and may use `hash` fields), index templates any fields
/// (strings or numbers). Key fields are strings or integers. No field may
/// be named as one of the table's attributes. See [`crate::entity`](mod@crate::entity) for a
/// whole example and how values holding a separator are written.
#[macro_export]
macro_rules! entity {
    // ===== fields: one per step ==========================================
    (@fields $head:tt [$($h:tt)*] [$($r:tt)*] [$($f:tt)*]
        { $(#[$fm:meta])* hash $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? }) => {
        $crate::entity!(@fields $head [$($h)* { $name [$t] }] [$($r)*] [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }]
            { $($($more)*)? });
    };
    (@fields $head:tt [$($h:tt)*] [$($r:tt)*] [$($f:tt)*]
        { $(#[$fm:meta])* range $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? }) => {
        $crate::entity!(@fields $head [$($h)*] [$($r)* { $name [$t] }] [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }]
            { $($($more)*)? });
    };
    (@fields $head:tt $h:tt $r:tt [$($f:tt)*]
        { $(#[$fm:meta])* $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? }) => {
        $crate::entity!(@fields $head $h $r [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }] { $($($more)*)? });
    };
    (@fields $head:tt $h:tt $r:tt $f:tt { }) => {
        $crate::entity!(@entity $head $h $r $f);
    };
    (@fields [$m:tt $E:ident $($rest:tt)*] $h:tt $r:tt $f:tt { $($bad:tt)* }) => {
        ::core::compile_error!(::core::concat!(
            "entity!: in `", ::core::stringify!($E), "`, expected fields `name: Type`, `hash name: Type`, ",
            "`range name: Type` or `name: Type = default`, separated by commas; found `", ::core::stringify!($($bad)*), "`"));
    };

    // ===== what an entity expands to =========================================
    (@entity [[$(#[$m:meta])*] $E:ident $T:ident $ty:literal $pk:literal $sk:literal [$($ix:ident $ipk:literal $isk:literal)*]]
        [$({ $h:ident [$ht:ty] })*] [$({ $r:ident [$rt:ty] })*]
        [$({ [$(#[$fm:meta])*] $f:ident [$t:ty] [$($d:expr)?] })*]) => {
        $crate::dynamo_table! {
            $(#[$m])*
            record $E { $( $(#[$fm])* $f : $t $(= $d)? ),* }
        }

        impl $crate::entity::Entity for $E {
            type Table = $T;
            type Key = ($($ht,)* $($rt,)*);
            type Hash = ($($ht,)*);
            const TYPE: &'static str = $ty;
            const PK: $crate::entity::Template = $crate::entity::Template::new($pk);
            const SK: $crate::entity::Template = $crate::entity::Template::new($sk);
            const INDEXES: &'static [$crate::entity::IndexKeys] = &[$(
                $crate::entity::IndexKeys::new(
                    $crate::__private::pastey::paste!(<$T>::[<$ix:upper>]),
                    $crate::entity::Template::new($ipk),
                    $crate::entity::Template::new($isk),
                )
            ),*];
            fn key(&self) -> Self::Key {
                ($(::core::clone::Clone::clone(&self.$h),)* $(::core::clone::Clone::clone(&self.$r),)*)
            }
            #[allow(unused_variables)]
            fn key_part(__dynamo_key: &Self::Key, __dynamo_field: &str) -> ::core::option::Option<::std::string::String> {
                let ($($h,)* $($r,)*) = __dynamo_key;
                match __dynamo_field {
                    $( ::core::stringify!($h) => ::core::option::Option::Some($crate::entity::KeyPart::key_part($h)), )*
                    $( ::core::stringify!($r) => ::core::option::Option::Some($crate::entity::KeyPart::key_part($r)), )*
                    _ => ::core::option::Option::None,
                }
            }
            #[allow(unused_variables)]
            fn hash_part(__dynamo_hash: &Self::Hash, __dynamo_field: &str) -> ::core::option::Option<::std::string::String> {
                let ($($h,)*) = __dynamo_hash;
                match __dynamo_field {
                    $( ::core::stringify!($h) => ::core::option::Option::Some($crate::entity::KeyPart::key_part($h)), )*
                    _ => ::core::option::Option::None,
                }
            }
            fn field_part(&self, __dynamo_field: &str)
                -> ::core::option::Option<::core::result::Result<::std::string::String, $crate::ConvertError>> {
                match __dynamo_field {
                    $( ::core::stringify!($f) => ::core::option::Option::Some($crate::entity::field_part(&self.$f)), )*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $crate::entity::FromItem<$T> for $E {
            fn from_item(item: $crate::Item) -> ::core::result::Result<Self, $crate::Error> {
                $crate::entity::decode_entity::<$T, $E>(item)
            }
        }

        const _: () = {
            const FIELDS: &[&str] = &[$(::core::stringify!($f)),*];
            const HASH: &[&str] = &[$(::core::stringify!($h)),*];
            const RANGE: &[&str] = &[$(::core::stringify!($r)),*];
            const KEYS: &[&str] = &[$(::core::stringify!($h),)* $(::core::stringify!($r)),*];
            $crate::entity!(@check $E, "partition-key", $pk, HASH, HASH,
                ::core::concat!("it uses exactly the `hash` fields (", ::core::stringify!($($h),*), ")"));
            $crate::entity!(@check $E, "sort-key", $sk, KEYS, RANGE,
                ::core::concat!("it uses every `range` field (", ::core::stringify!($($r),*),
                    ") and may use `hash` fields (", ::core::stringify!($($h),*), ")"));
            $crate::entity!(@index_checks $E [$($f),*] $($ix $ipk $isk)*);
            if !$crate::entity::fields_clear_of::<$T>(FIELDS) {
                ::core::panic!("{}", ::core::concat!(
                    "entity!: a field of `", ::core::stringify!($E), "` is named as one of `", ::core::stringify!($T),
                    "`'s key, index or entity attributes; rename the field"));
            }
        };
    };
    (@index_checks $E:ident $fields:tt $($ix:ident $ipk:literal $isk:literal)*) => {
        $(
            $crate::entity!(@check $E, ::core::concat!("`", ::core::stringify!($ix), "` partition-key"), $ipk, FIELDS, &[],
                ::core::concat!("it uses fields of `", ::core::stringify!($E), "` ", ::core::stringify!($fields)));
            $crate::entity!(@check $E, ::core::concat!("`", ::core::stringify!($ix), "` sort-key"), $isk, FIELDS, &[],
                ::core::concat!("it uses fields of `", ::core::stringify!($E), "` ", ::core::stringify!($fields)));
        )*
    };
    (@check $E:ident, $what:expr, $tmpl:literal, $allowed:expr, $required:expr, $rule:expr) => {
        match $crate::entity::Template::new($tmpl).check($allowed, $required) {
            ::core::result::Result::Ok(()) => {}
            ::core::result::Result::Err($crate::entity::TemplateProblem::Malformed) => ::core::panic!("{}", ::core::concat!(
                "entity!: the ", $what, " template \"", $tmpl, "\" of `", ::core::stringify!($E),
                "` is malformed: write literal text and `{field}` placeholders")),
            ::core::result::Result::Err($crate::entity::TemplateProblem::UnknownName) => ::core::panic!("{}", ::core::concat!(
                "entity!: the ", $what, " template \"", $tmpl, "\" of `", ::core::stringify!($E),
                "` names a field it may not: ", $rule)),
            ::core::result::Result::Err($crate::entity::TemplateProblem::MissingName) => ::core::panic!("{}", ::core::concat!(
                "entity!: the ", $what, " template \"", $tmpl, "\" of `", ::core::stringify!($E),
                "` leaves out a field it must use: ", $rule)),
        }
    };

    // ===== entry point =======================================================
    (
        $(#[$m:meta])*
        $E:ident in $T:ident as $ty:literal { $($body:tt)* }
        key ( pk = $pk:literal , sk = $sk:literal $(,)? )
        $( index $ix:ident ( pk = $ipk:literal , sk = $isk:literal $(,)? ) )*
    ) => {
        $crate::entity!(@fields [[$(#[$m])*] $E $T $ty $pk $sk [$($ix $ipk $isk)*]] [] [] [] { $($body)* });
    };
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "entity!: expected `Name in Table as \"TYPE\" { fields } key(pk = \"...\", sk = \"...\")` ",
            "followed by any `index name(pk = \"...\", sk = \"...\")`; found `", ::core::stringify!($($bad)*), "`"));
    };
}

/// Declares an aggregate: an enum of entities of one single table, for
/// reads that return several types (a partition holding a user and their
/// orders).
///
/// ```text
/// aggregate! {
///     /// Doc comments and attributes pass to the enum.
///     enum UserItem in App { User, Order, OrderLine }
/// }
/// ```
///
/// Expands to `pub enum UserItem { User(User), Order(Order), OrderLine(OrderLine) }`
/// (`Debug`, `Clone`, `PartialEq`, and `From` each member), its
/// [`crate::entity::Aggregate`] impl and its decoding: an item is read as
/// the member whose entity type it holds; an item of any other type is an
/// [`crate::Error::Conversion`] naming the type found and the members'
/// (not skipped). Members must be entities of the same table with distinct
/// entity types (compile errors otherwise).
#[macro_export]
macro_rules! aggregate {
    (
        $(#[$m:meta])*
        enum $A:ident in $T:ident { $($E:ident),+ $(,)? }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $A {
            $(
                #[doc = ::core::concat!("A [`", ::core::stringify!($E), "`].")]
                $E($E),
            )+
        }

        $(
            impl ::core::convert::From<$E> for $A {
                fn from(e: $E) -> $A {
                    $A::$E(e)
                }
            }
        )+

        impl $crate::entity::Aggregate for $A {
            type Table = $T;
            const TYPES: &'static [&'static str] = &[$(<$E as $crate::entity::Entity>::TYPE),+];
            fn decode_member(
                entity_type: &str,
                item: $crate::Item,
            ) -> ::core::option::Option<::core::result::Result<Self, $crate::Error>> {
                $(
                    if entity_type == <$E as $crate::entity::Entity>::TYPE {
                        return ::core::option::Option::Some($crate::entity::decode_entity::<$T, $E>(item).map($A::$E));
                    }
                )+
                ::core::option::Option::None
            }
            fn entity_type(&self) -> &'static str {
                match self {
                    $( $A::$E(_) => <$E as $crate::entity::Entity>::TYPE, )+
                }
            }
        }

        impl $crate::entity::FromItem<$T> for $A {
            fn from_item(item: $crate::Item) -> ::core::result::Result<Self, $crate::Error> {
                $crate::entity::decode_aggregate::<$A>(item)
            }
        }

        const _: () = ::core::assert!(
            $crate::entity::distinct(<$A as $crate::entity::Aggregate>::TYPES),
            ::core::concat!("aggregate!: two members of `", ::core::stringify!($A), "` have the same entity type")
        );
    };
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "aggregate!: expected `enum Name in Table { Entity, Entity, ... }`; found `",
            ::core::stringify!($($bad)*), "`"));
    };
}
