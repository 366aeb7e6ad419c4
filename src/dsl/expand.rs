//! What a declaration expands to: `__dynamo_record!` (the struct, its
//! `Default`, field constants, `Document` and `Attr`), `__dynamo_table!`
//! (the table type, index constants, `Record`), `__dynamo_index!` (index
//! specifications) and the small helpers `__dynamo_name!` and
//! `__dynamo_default!`.

/// A field's stored attribute name: the literal given with `as "..."`, or
/// the field's name (without the `r#` of a raw identifier). A `const`
/// expression.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_name {
    ($f:ident) => {
        $crate::__private::attr_name(::core::stringify!($f))
    };
    ($f:ident $s:literal) => {
        $crate::__private::literal_name($s)
    };
}

/// A field's default: where `Default` takes it from, its value, and how a
/// missing attribute is read.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_default {
    // The type whose `Default` the record's `Default` needs for this field:
    // the field's type, or `()` (no requirement) for a declared default.
    (@needs $t:ty) => {
        $t
    };
    (@needs $t:ty = $d:expr) => {
        ()
    };
    (@value $t:ty = $d:expr) => {
        $d
    };
    (@value $t:ty) => {
        <$t as ::core::default::Default>::default()
    };
    (@take $item:ident $name:expr, $t:ty = $d:expr) => {
        $crate::__private::take_field_or($item, $name, || $d)?
    };
    (@take $item:ident $name:expr, $t:ty) => {
        $crate::__private::take_field::<$t, _>($item, $name)?
    };
}

/// A record: the struct, its `Default`, field constants, `Document`, `Attr`.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_record {
    ([$(#[$m:meta])*] [$R:ident] [$({ [$(#[$fm:meta])*] $f:ident [$($s:literal)?] [$t:ty] [$($d:expr)?] })*]) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $R {
            $( $(#[$fm])* pub $f: $t, )*
        }

        // Implemented when every field without a declared default has a
        // `Default` (the `for<'__a>` keeps an unmet bound from being an
        // error: the record then has no `Default`).
        impl ::core::default::Default for $R
        where
            $( for<'__a> $crate::__dynamo_default!(@needs $t $(= $d)?): ::core::default::Default, )*
        {
            fn default() -> Self {
                $R { $( $f: $crate::__dynamo_default!(@value $t $(= $d)?), )* }
            }
        }

        // The stored name is written once, in the field constant; the rest
        // of the expansion reads it from there (`$R::FIELD.name()`).
        $crate::__private::pastey::paste! {
            const _: () = {
                const PROBLEM: $crate::__private::Problem = $crate::__private::check_attr_names(
                    ::core::stringify!($R),
                    &[$( (::core::stringify!($f), $R::[<$f:upper>].name()) ),*],
                );
                ::core::assert!(PROBLEM.is_none(), "{}", PROBLEM.as_str());
            };

            #[doc(hidden)]
            #[allow(unused_macros)]
            macro_rules! [<__dynamo_field_type_ $R>] { $( ($f) => { $t }; )* }

            #[allow(missing_docs)]
            impl $R {
                $(
                    #[doc = ::core::concat!("The field `", ::core::stringify!($f), "`"
                        $(, " (stored as `", $s, "`)")?, ", for typed conditions and updates.")]
                    pub const [<$f:upper>]: $crate::Field<$R, $t> = $crate::Field::__declared($crate::__dynamo_name!($f $($s)?));
                )*
            }

            impl $crate::Document for $R {
                fn to_item(&self) -> ::core::result::Result<$crate::Item, $crate::ConvertError> {
                    let mut item = $crate::Item::with_capacity(<Self as $crate::Document>::field_names().len());
                    $( $crate::__private::put_field(&mut item, $R::[<$f:upper>].name(), &self.$f)?; )*
                    ::core::result::Result::Ok(item)
                }
                fn from_item(mut item: $crate::Item) -> ::core::result::Result<Self, $crate::ConvertError> {
                    <Self as $crate::Document>::from_source(&mut item)
                }
                fn from_source<S: $crate::ItemSource + ?::core::marker::Sized>(
                    source: &mut S,
                ) -> ::core::result::Result<Self, $crate::ConvertError> {
                    ::core::result::Result::Ok($R {
                        $( $f: $crate::__dynamo_default!(@take source $R::[<$f:upper>].name(), $t $(= $d)?), )*
                    })
                }
                fn field_names() -> &'static [&'static str] {
                    const NAMES: &[&str] = &[$( $R::[<$f:upper>].name() ),*];
                    NAMES
                }
            }
        }

        impl $crate::Attr for $R {
            const TYPE: &'static str = "M";
            fn to_attr(&self) -> ::core::result::Result<::core::option::Option<$crate::sdk::AttributeValue>, $crate::ConvertError> {
                $crate::__private::document_to_attr(self)
            }
            fn from_attr(av: $crate::sdk::AttributeValue) -> ::core::result::Result<Self, $crate::ConvertError> {
                $crate::__private::document_from_attr(av)
            }
        }
    };
}

/// A table: its record, `type RTable`, index constants, the `Record` impl.
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_table {
    ([$table:tt] $meta:tt [$R:ident] $fields:tt [$h:ident [$($hs:literal)?] [$ht:ty]] $range:tt
        $billing:tt [$($g:tt)*] [$($l:tt)*] [$($ttl:ident)?] [$($ver:ident)?] [$($check:path)?]) => {
        $crate::__dynamo_record!($meta [$R] $fields);

        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The table `", ::core::concat! $table, "` of [`", ::core::stringify!($R), "`] records.")]
            pub type [<$R Table>] = $crate::Table<$R>;
        }

        const _: () = {
            const PROBLEM: $crate::__private::Problem = $crate::__private::check_name("table", ::core::concat! $table);
            ::core::assert!(PROBLEM.is_none(), "{}", PROBLEM.as_str());
        };
        $( $crate::__dynamo_index!(@check_name "global index" $g); )*
        $( $crate::__dynamo_index!(@check_name "local index" $l); )*

        #[allow(missing_docs)]
        impl $R {
            $( $crate::__dynamo_index!(@gsi_const $R $g); )*
            $( $crate::__dynamo_index!(@lsi_const $R $h $l); )*
        }

        impl $crate::Record for $R {
            type Key = $crate::__dynamo_table!(@key_type [$ht] $range);
            type Hash = $ht;

            fn schema() -> &'static $crate::TableSchema {
                static SCHEMA: ::std::sync::OnceLock<$crate::TableSchema> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| {
                    #[allow(unused_mut)]
                    let mut schema = $crate::TableSchema::new(
                        ::core::concat! $table,
                        $crate::KeyAttr::new(
                            $crate::__private::pastey::paste!($R::[<$h:upper>]).name(),
                            <$ht as $crate::KeyAttrType>::KEY_TYPE,
                        ),
                    );
                    $crate::__dynamo_table!(@range_schema $R schema $range);
                    $crate::__dynamo_table!(@billing schema $billing);
                    $(
                        schema.global_indexes.push($crate::__dynamo_index!(@index $R $h $g));
                    )*
                    $(
                        schema.local_indexes.push($crate::__dynamo_index!(@index $R $h $l));
                    )*
                    $(
                        schema.ttl = ::core::option::Option::Some(::std::string::String::from(
                            $crate::__private::ttl_attribute(&$crate::__private::pastey::paste!($R::[<$ttl:upper>])),
                        ));
                    )?
                    schema
                })
            }

            fn key_item(key: &Self::Key) -> ::core::result::Result<$crate::Item, $crate::ConvertError> {
                $crate::__dynamo_table!(@key_item $R key [$h [$($hs)?]] $range)
            }

            fn key(&self) -> Self::Key {
                $crate::__dynamo_table!(@key self $h $range)
            }

            $(
                fn version_attribute() -> ::core::option::Option<&'static str> {
                    ::core::option::Option::Some($crate::__private::pastey::paste!($R::[<$ver:upper>]).name())
                }
                fn version(&self) -> u64 {
                    $crate::__private::version_of(&self.$ver)
                }
                fn set_version(&mut self, version: u64) {
                    self.$ver = version;
                }
            )?

            const HAS_CHECK: bool = $crate::__dynamo_table!(@has_check $($check)?);
            $(
                fn check(&mut self) -> ::core::result::Result<(), $crate::Error> {
                    $check(self)
                }
            )?
        }
    };
    (@has_check) => { false };
    (@has_check $check:path) => { true };
    (@key_type [$ht:ty] []) => { $ht };
    (@key_type [$ht:ty] [$r:ident [$($rs:literal)?] [$rt:ty]]) => { ($ht, $rt) };
    (@range_schema $R:ident $s:ident []) => {};
    (@range_schema $R:ident $s:ident [$r:ident [$($rs:literal)?] [$rt:ty]]) => {
        $s = $s.range($crate::KeyAttr::new(
            $crate::__private::pastey::paste!($R::[<$r:upper>]).name(),
            <$rt as $crate::KeyAttrType>::KEY_TYPE,
        ));
    };
    (@billing $s:ident []) => {};
    (@billing $s:ident [on_demand]) => { $s = $s.on_demand(); };
    (@billing $s:ident [provisioned ($read:expr) ($write:expr)]) => { $s = $s.throughput($read, $write); };
    (@key_item $R:ident $k:ident [$h:ident [$($hs:literal)?]] []) => {{
        let mut item = $crate::Item::with_capacity(1);
        let name = $crate::__private::pastey::paste!($R::[<$h:upper>]).name();
        item.insert(::std::string::String::from(name), $crate::__private::key_value(name, $k)?);
        ::core::result::Result::Ok(item)
    }};
    (@key_item $R:ident $k:ident [$h:ident [$($hs:literal)?]] [$r:ident [$($rs:literal)?] [$rt:ty]]) => {{
        let mut item = $crate::Item::with_capacity(2);
        let hash = $crate::__private::pastey::paste!($R::[<$h:upper>]).name();
        let range = $crate::__private::pastey::paste!($R::[<$r:upper>]).name();
        item.insert(::std::string::String::from(hash), $crate::__private::key_value(hash, &$k.0)?);
        item.insert(::std::string::String::from(range), $crate::__private::key_value(range, &$k.1)?);
        ::core::result::Result::Ok(item)
    }};
    (@key $s:ident $h:ident []) => { ::core::clone::Clone::clone(&$s.$h) };
    (@key $s:ident $h:ident [$r:ident [$($rs:literal)?] [$rt:ty]]) => {
        (::core::clone::Clone::clone(&$s.$h), ::core::clone::Clone::clone(&$s.$r))
    };
}

/// Index specifications: the `IndexSchema`, the `Index` constant, what its
/// queries yield. Fields are named by their Rust names and stored under
/// their stored names (read from the field constants).
#[doc(hidden)]
#[macro_export]
macro_rules! __dynamo_index {
    (@check_name $what:literal { $name:ident ( $($spec:tt)* ) }) => {
        const _: () = {
            const PROBLEM: $crate::__private::Problem =
                $crate::__private::check_name($what, $crate::__private::attr_name(::core::stringify!($name)));
            ::core::assert!(PROBLEM.is_none(), "{}", PROBLEM.as_str());
        };
    };
    (@index $R:ident $h:ident { $name:ident ( $($spec:tt)* ) }) => {{
        let mut index = $crate::IndexSchema::new(
            $crate::__private::attr_name(::core::stringify!($name)),
            $crate::__private::pastey::paste!($crate::KeyAttr::new(
                $R::[<$h:upper>].name(),
                $crate::__private::key_type_of(&$R::[<$h:upper>]),
            )),
        );
        $crate::__dynamo_index!(@spec $R index $($spec)*);
        index
    }};
    (@spec $R:ident $i:ident) => {};
    (@spec $R:ident $i:ident hash $f:ident $(, $($rest:tt)*)?) => {
        $i.hash = $crate::__private::pastey::paste!($crate::KeyAttr::new(
            $R::[<$f:upper>].name(),
            $crate::__private::key_type_of(&$R::[<$f:upper>]),
        ));
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident range $f:ident $(, $($rest:tt)*)?) => {
        $i.range = ::core::option::Option::Some($crate::__private::pastey::paste!($crate::KeyAttr::new(
            $R::[<$f:upper>].name(),
            $crate::__private::key_type_of(&$R::[<$f:upper>]),
        )));
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident projection all $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::All;
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident projection keys_only $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::KeysOnly;
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident projection include ( $($a:ident),+ $(,)? ) $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::Include(::std::vec![$(
            ::std::string::String::from($crate::__private::pastey::paste!($R::[<$a:upper>]).name())
        ),+]);
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident throughput ( $read:expr , $write:expr $(,)? ) $(, $($rest:tt)*)?) => {
        $i.throughput = ::core::option::Option::Some(($read, $write));
        $crate::__dynamo_index!(@spec $R $i $($($rest)*)?);
    };
    (@spec $R:ident $i:ident $($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: in an index of `", ::core::stringify!($R), "`, expected `hash field`, `range field`, ",
            "`projection all | keys_only | include(a, b)` or `throughput(read, write)`, separated by commas; found `",
            ::core::stringify!($($bad)*), "`"));
    };
    // What an index's queries yield: the record for `projection all` (the
    // default), a `Partial` record for `keys_only` and `include(...)`.
    (@out $R:ident []) => { $R };
    (@out $R:ident [projection keys_only $($rest:tt)*]) => { $crate::Partial<$R> };
    (@out $R:ident [projection include $($rest:tt)*]) => { $crate::Partial<$R> };
    (@out $R:ident [$skip:tt $($rest:tt)*]) => { $crate::__dynamo_index!(@out $R [$($rest)*]) };
    // The `Index` constant of a global index: its hash field's type and name.
    (@gsi_const $R:ident { $name:ident ( $($spec:tt)* ) }) => {
        $crate::__dynamo_index!(@gsi_hash $R $name [$($spec)*] $($spec)*);
    };
    (@gsi_hash $R:ident $name:ident $spec:tt hash $f:ident $($rest:tt)*) => {
        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The global index `", ::core::stringify!($name), "` (hash key `", ::core::stringify!($f), "`).")]
            pub const [<$name:upper>]: $crate::Index<$R, [<__dynamo_field_type_ $R>]!($f), $crate::__dynamo_index!(@out $R $spec)> =
                $crate::Index::new($crate::__private::attr_name(::core::stringify!($name)), $R::[<$f:upper>].name());
        }
    };
    (@gsi_hash $R:ident $name:ident $spec:tt $skip:tt $($rest:tt)*) => {
        $crate::__dynamo_index!(@gsi_hash $R $name $spec $($rest)*);
    };
    (@gsi_hash $R:ident $name:ident $spec:tt) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: global index `", ::core::stringify!($name), "` of `", ::core::stringify!($R),
            "` has no hash key; write `global_index ", ::core::stringify!($name), "(hash field, ...)`"));
    };
    (@lsi_const $R:ident $h:ident { $name:ident ( $($spec:tt)* ) }) => {
        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The local index `", ::core::stringify!($name), "`.")]
            pub const [<$name:upper>]: $crate::Index<$R, [<__dynamo_field_type_ $R>]!($h), $crate::__dynamo_index!(@out $R [$($spec)*])> =
                $crate::Index::new($crate::__private::attr_name(::core::stringify!($name)), $R::[<$h:upper>].name());
        }
    };
}
