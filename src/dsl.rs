//! The `dynamo_table!` DSL: declarations only. Each table expands to the
//! record struct, field constants, one [`crate::Document`] and one
//! [`crate::Record`] impl, and `type XTable = Table<X>`; the library does
//! the rest.

/// Declares DynamoDB tables and the records stored in them.
///
/// # The core form
///
/// ```
/// use dynamo_objects::{dynamo_table, Database};
///
/// dynamo_table! {
///     /// A store. Doc comments and attributes pass to the struct.
///     store: Store {
///         hash store_id: String,
///         name: String,
///         tags: Vec<String>,
///     }
///     throughput(3, 3)
/// }
///
/// # tokio_test(async {
/// let db = Database::mock();
/// let stores = StoreTable::new(&db); // the table `store`, created on first use
/// stores.put(&mut Store { store_id: "s1".into(), name: "My Store".into(), tags: vec![] }).await?;
/// let s: Option<Store> = stores.get("s1").await?;
/// assert_eq!(s.unwrap().name, "My Store");
/// # Ok(()) });
/// # fn tokio_test(f: impl std::future::Future<Output = Result<(), dynamo_objects::Error>>) {
/// #     tokio::runtime::Runtime::new().unwrap().block_on(f).unwrap()
/// # }
/// ```
///
/// It expands to `pub struct Store` (public fields; `Debug`, `Clone`,
/// `PartialEq`, and `Default` using the declared defaults), one constant per
/// field for typed conditions and updates (`Store::NAME`), and
/// `pub type StoreTable = Table<Store>` for the table `store` (the
/// connection adds its prefix).
///
/// # Fields
///
/// - `hash name: Type` — the hash key (exactly one); `range name: Type` — the
///   range key (at most one). Key types: `String`, integer types, `Bytes`,
///   `Blob`.
/// - `name: Type` — any type implementing [`crate::Attr`]: strings, numbers,
///   `bool`, `Bytes`, `Vec<T>`, sets, maps, `Option<T>`, `serde_json::Value`,
///   records declared with `record`.
/// - `name: Type = expr` — a default: used by `Default` and when the item
///   lacks the attribute.
/// - `Option<T>` fields are absent attributes when `None`.
///
/// ```
/// # use dynamo_objects::dynamo_table;
/// dynamo_table! {
///     event: Event {
///         hash stream: String,
///         range at: i64,
///         kind: String = "info".to_string(),
///         note: Option<String>,
///     }
///     on_demand
/// }
/// assert_eq!(Event::default().kind, "info");
/// ```
///
/// # Options (after the fields, in any order)
///
/// - `throughput(read, write)` — provisioned capacity; `on_demand` — pay per
///   request (the default when neither is given).
/// - `global_index name(hash field, range field, projection keys_only, throughput(r, w))`
///   — a GSI; `range`, `projection` (`all` — the default —, `keys_only`,
///   `include(a, b)`) and `throughput` are optional.
/// - `local_index name(range field, projection all)` — an LSI (its hash key
///   is the table's).
/// - `ttl(field)` — the attribute DynamoDB's TTL reads (a number of epoch
///   seconds): TTL is turned on with it when the table is first used.
/// - `version(field)` — optimistic locking on a `u64` field: every write
///   bumps it, and writes made from a record (`save`, `put`, `delete_record`,
///   and their transactional forms) check the version it holds
///   (`Error::VersionConflict`); `overwrite` is the one unchecked write.
///   Batch puts to the table are refused.
/// - `check(function)` — `fn(&mut Record) -> Result<(), Error>`, run on a
///   copy of the record before every write, to validate or normalise it.
///
/// ```
/// # use dynamo_objects::{dynamo_table, Error};
/// fn normalise(g: &mut Game) -> Result<(), Error> {
///     g.player = g.player.to_lowercase();
///     Ok(())
/// }
///
/// dynamo_table! {
///     game: Game {
///         hash player: String,
///         range game: String,
///         score: i64,
///         level: Option<String>,
///         played: String,
///         expires: Option<u64>,
///         version: u64,
///     }
///     throughput(5, 5)
///     global_index by_score(hash game, range score, projection keys_only, throughput(2, 2))
///     global_index by_level(hash level, projection include(score))
///     local_index by_played(range played)
///     ttl(expires)
///     version(version)
///     check(normalise)
/// }
/// let q = Game::BY_SCORE; // an index handle for queries
/// # let _ = q;
/// // Queries of a `keys_only` or `include(...)` index yield `Partial<Game>`
/// // (read fields with `get`), not `Game`: its items lack some fields.
/// let _: dynamo_objects::Index<Game, String, dynamo_objects::Partial<Game>> = Game::BY_SCORE;
/// let _: dynamo_objects::Index<Game, String, Game> = Game::BY_PLAYED;
/// ```
///
/// # Several tables, and plain records
///
/// One invocation may declare several tables, and `record` structs (no
/// table) for nesting inside table records (stored as maps):
///
/// ```
/// # use dynamo_objects::dynamo_table;
/// dynamo_table! {
///     record Address { street: String, zip: String }
///
///     customer: Customer { hash id: String, address: Address, previous: Vec<Address> }
///     order: Order { hash customer: String, range number: u32, total: f64 }
/// }
/// ```
///
/// # Mistakes are compile errors
///
/// A table without a hash key, with two hash keys, a key of a type DynamoDB
/// keys cannot have, an unknown option, or a misspelt field name in an
/// index, a condition or an update does not compile.
#[macro_export]
macro_rules! dynamo_table {
    // ===== fields: one per step ==========================================
    (@fields $kind:tt $meta:tt $R:tt [$($f:tt)*] [] $range:tt
        { $(#[$fm:meta])* hash $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::dynamo_table!(@fields $kind $meta $R [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }]
            [$name [$t]] $range { $($($more)*)? } $($rest)*);
    };
    (@fields $kind:tt $meta:tt [$R:ident] $f:tt [$($h:tt)+] $range:tt
        { $(#[$fm:meta])* hash $name:ident : $($more:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `", ::core::stringify!($R), "` declares a second hash key `", ::core::stringify!($name),
            "`; a table has exactly one `hash` field (use `range` for the sort key)"));
    };
    (@fields $kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt []
        { $(#[$fm:meta])* range $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::dynamo_table!(@fields $kind $meta $R [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }]
            $hash [$name [$t]] { $($($more)*)? } $($rest)*);
    };
    (@fields $kind:tt $meta:tt [$R:ident] $f:tt $hash:tt [$($r:tt)+]
        { $(#[$fm:meta])* range $name:ident : $($more:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `", ::core::stringify!($R), "` declares a second range key `", ::core::stringify!($name),
            "`; a table has at most one `range` field"));
    };
    (@fields $kind:tt $meta:tt $R:tt [$($f:tt)*] $hash:tt $range:tt
        { $(#[$fm:meta])* $name:ident : $t:ty $(= $d:expr)? $(, $($more:tt)*)? } $($rest:tt)*) => {
        $crate::dynamo_table!(@fields $kind $meta $R [$($f)* { [$(#[$fm])*] $name [$t] [$($d)?] }]
            $hash $range { $($($more)*)? } $($rest)*);
    };
    // All fields read: a record is done; a table goes on with its options.
    (@fields [record] $meta:tt $R:tt $fields:tt [] [] { } $($rest:tt)*) => {
        $crate::dynamo_table!(@document $meta $R $fields);
        $crate::dynamo_table!($($rest)*);
    };
    (@fields [record] $meta:tt [$R:ident] $fields:tt $hash:tt $range:tt { } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: `record ", ::core::stringify!($R),
            "` is a plain record and cannot have `hash` or `range` keys; declare a table as `name: ", ::core::stringify!($R), " { ... }`"));
    };
    (@fields [table $table:ident] $meta:tt [$R:ident] $fields:tt [] $range:tt { } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: table `", ::core::stringify!($table), "` (record `", ::core::stringify!($R),
            "`) has no hash key; mark one field `hash`, e.g. `hash id: String`"));
    };
    (@fields [table $table:ident] $meta:tt $R:tt $fields:tt $hash:tt $range:tt { } $($rest:tt)*) => {
        $crate::dynamo_table!(@opts [$table] $meta $R $fields $hash $range [] [] [] [] [] [] $($rest)*);
    };
    (@fields $kind:tt $meta:tt [$R:ident] $f:tt $hash:tt $range:tt { $($bad:tt)* } $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: in `", ::core::stringify!($R), "`, expected fields `name: Type`, `hash name: Type`, ",
            "`range name: Type` or `name: Type = default`, separated by commas; found `", ::core::stringify!($($bad)*), "`"));
    };

    // ===== table options: one per step =====================================
    // state: [table] meta [R] fields hash range [billing] [gsis] [lsis] [ttl] [version] [check]
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt [] $g:tt $l:tt $ttl:tt $v:tt $c:tt
        throughput ( $read:expr , $write:expr $(,)? ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r [provisioned ($read) ($write)] $g $l $ttl $v $c $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt [] $g:tt $l:tt $ttl:tt $v:tt $c:tt on_demand $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r [on_demand] $g $l $ttl $v $c $($rest)*);
    };
    (@opts [$t:ident] $m:tt $R:tt $f:tt $h:tt $r:tt [$($b:tt)+] $g:tt $l:tt $ttl:tt $v:tt $c:tt throughput $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!("dynamo_table!: table `", ::core::stringify!($t),
            "` declares its billing twice; give one of `throughput(read, write)` or `on_demand`"));
    };
    (@opts [$t:ident] $m:tt $R:tt $f:tt $h:tt $r:tt [$($b:tt)+] $g:tt $l:tt $ttl:tt $v:tt $c:tt on_demand $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!("dynamo_table!: table `", ::core::stringify!($t),
            "` declares its billing twice; give one of `throughput(read, write)` or `on_demand`"));
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt [$($g:tt)*] $l:tt $ttl:tt $v:tt $c:tt
        global_index $name:ident ( $($spec:tt)* ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r $b [$($g)* { $name ( $($spec)* ) }] $l $ttl $v $c $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt [$($l:tt)*] $ttl:tt $v:tt $c:tt
        local_index $name:ident ( $($spec:tt)* ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r $b $g [$($l)* { $name ( $($spec)* ) }] $ttl $v $c $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt [] $v:tt $c:tt ttl ( $field:ident ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r $b $g $l [$field] $v $c $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt [] $c:tt version ( $field:ident ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r $b $g $l $ttl [$field] $c $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt [] check ( $check:path ) $($rest:tt)*) => {
        $crate::dynamo_table!(@opts $t $m $R $f $h $r $b $g $l $ttl $v [$check] $($rest)*);
    };
    // The end of this table: nothing left, or the next declaration.
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt) => {
        $crate::dynamo_table!(@table $t $m $R $f $h $r $b $g $l $ttl $v $c);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt # $($rest:tt)*) => {
        $crate::dynamo_table!(@table $t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!(# $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt record $($rest:tt)*) => {
        $crate::dynamo_table!(@table $t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!(record $($rest)*);
    };
    (@opts $t:tt $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt $next:ident : $($rest:tt)*) => {
        $crate::dynamo_table!(@table $t $m $R $f $h $r $b $g $l $ttl $v $c);
        $crate::dynamo_table!($next : $($rest)*);
    };
    (@opts [$t:ident] $m:tt $R:tt $f:tt $h:tt $r:tt $b:tt $g:tt $l:tt $ttl:tt $v:tt $c:tt $bad:tt $($rest:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: unknown or repeated option `", ::core::stringify!($bad), "` for table `", ::core::stringify!($t),
            "`; expected `throughput(read, write)`, `on_demand`, `global_index name(hash field, ...)`, ",
            "`local_index name(range field, ...)`, `ttl(field)`, `version(field)` or `check(function)`"));
    };

    // ===== index specifications ===========================================
    (@index_spec $R:ident $i:ident) => {};
    (@index_spec $R:ident $i:ident hash $f:ident $(, $($rest:tt)*)?) => {
        $i.hash = $crate::KeyAttr::new(::core::stringify!($f),
            $crate::__private::pastey::paste!($crate::__private::key_type_of(&$R::[<$f:upper>])));
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident range $f:ident $(, $($rest:tt)*)?) => {
        $i.range = ::core::option::Option::Some($crate::KeyAttr::new(::core::stringify!($f),
            $crate::__private::pastey::paste!($crate::__private::key_type_of(&$R::[<$f:upper>]))));
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident projection all $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::All;
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident projection keys_only $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::KeysOnly;
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident projection include ( $($a:ident),+ $(,)? ) $(, $($rest:tt)*)?) => {
        $i.projection = $crate::Projection::Include(::std::vec![$(::std::string::String::from(::core::stringify!($a))),+]);
        $( let _ = $crate::__private::pastey::paste!(&$R::[<$a:upper>]); )+
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident throughput ( $read:expr , $write:expr $(,)? ) $(, $($rest:tt)*)?) => {
        $i.throughput = ::core::option::Option::Some(($read, $write));
        $crate::dynamo_table!(@index_spec $R $i $($($rest)*)?);
    };
    (@index_spec $R:ident $i:ident $($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: in an index of `", ::core::stringify!($R), "`, expected `hash field`, `range field`, ",
            "`projection all | keys_only | include(a, b)` or `throughput(read, write)`, separated by commas; found `",
            ::core::stringify!($($bad)*), "`"));
    };
    // What an index's queries yield: the record for `projection all` (the
    // default), a `Partial` record for `keys_only` and `include(...)`.
    (@index_out $R:ident []) => { $R };
    (@index_out $R:ident [projection keys_only $($rest:tt)*]) => { $crate::Partial<$R> };
    (@index_out $R:ident [projection include $($rest:tt)*]) => { $crate::Partial<$R> };
    (@index_out $R:ident [$skip:tt $($rest:tt)*]) => { $crate::dynamo_table!(@index_out $R [$($rest)*]) };
    // The hash field of a global index's specification.
    (@index_hash $R:ident $name:ident $spec:tt hash $f:ident $($rest:tt)*) => {
        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The global index `", ::core::stringify!($name), "` (hash key `", ::core::stringify!($f), "`).")]
            pub const [<$name:upper>]: $crate::Index<$R, [<__dynamo_field_type_ $R>]!($f), $crate::dynamo_table!(@index_out $R $spec)> =
                $crate::Index::new(::core::stringify!($name), ::core::stringify!($f));
        }
    };
    (@index_hash $R:ident $name:ident $spec:tt $skip:tt $($rest:tt)*) => {
        $crate::dynamo_table!(@index_hash $R $name $spec $($rest)*);
    };
    (@index_hash $R:ident $name:ident $spec:tt) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: global index `", ::core::stringify!($name), "` of `", ::core::stringify!($R),
            "` has no hash key; write `global_index ", ::core::stringify!($name), "(hash field, ...)`"));
    };

    // ===== what a record expands to ==========================================
    (@document [$(#[$m:meta])*] [$R:ident] [$({ [$(#[$fm:meta])*] $f:ident [$t:ty] [$($d:expr)?] })*]) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $R {
            $( $(#[$fm])* pub $f: $t, )*
        }

        impl ::core::default::Default for $R {
            fn default() -> Self {
                $R { $( $f: $crate::dynamo_table!(@default $t $(= $d)?), )* }
            }
        }

        $crate::__private::pastey::paste! {
            #[doc(hidden)]
            #[allow(unused_macros)]
            macro_rules! [<__dynamo_field_type_ $R>] { $( ($f) => { $t }; )* }

            #[allow(missing_docs)]
            impl $R {
                $(
                    #[doc = ::core::concat!("The field `", ::core::stringify!($f), "`, for typed conditions and updates.")]
                    pub const [<$f:upper>]: $crate::Field<$R, $t> = $crate::Field::__declared(::core::stringify!($f));
                )*
            }
        }

        impl $crate::Document for $R {
            fn to_item(&self) -> ::core::result::Result<$crate::Item, $crate::ConvertError> {
                let mut item = $crate::Item::with_capacity($crate::dynamo_table!(@count $($f)*));
                $( $crate::__private::put_field(&mut item, ::core::stringify!($f), &self.$f)?; )*
                ::core::result::Result::Ok(item)
            }
            fn from_item(mut item: $crate::Item) -> ::core::result::Result<Self, $crate::ConvertError> {
                ::core::result::Result::Ok($R {
                    $( $f: $crate::dynamo_table!(@take item $f $t $(= $d)?), )*
                })
            }
            fn field_names() -> &'static [&'static str] {
                &[$(::core::stringify!($f)),*]
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
    (@default $t:ty = $d:expr) => { $d };
    (@default $t:ty) => { <$t as ::core::default::Default>::default() };
    (@take $item:ident $f:ident $t:ty = $d:expr) => {
        $crate::__private::take_field_or(&mut $item, ::core::stringify!($f), || $d)?
    };
    (@take $item:ident $f:ident $t:ty) => {
        $crate::__private::take_field::<$t>(&mut $item, ::core::stringify!($f))?
    };
    (@count) => { 0usize };
    (@count $x:ident $($xs:ident)*) => { 1usize + $crate::dynamo_table!(@count $($xs)*) };

    // ===== what a table expands to ===========================================
    (@table [$table:ident] $meta:tt [$R:ident] $fields:tt [$h:ident [$ht:ty]] $range:tt
        $billing:tt [$($g:tt)*] [$($l:tt)*] [$($ttl:ident)?] [$($ver:ident)?] [$($check:path)?]) => {
        $crate::dynamo_table!(@document $meta [$R] $fields);

        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The table `", ::core::stringify!($table), "` of [`", ::core::stringify!($R), "`] records.")]
            pub type [<$R Table>] = $crate::Table<$R>;
        }

        #[allow(missing_docs)]
        impl $R {
            $( $crate::dynamo_table!(@gsi_const $R $g); )*
            $( $crate::dynamo_table!(@lsi_const $R $h $l); )*
        }

        impl $crate::Record for $R {
            type Key = $crate::dynamo_table!(@key_type [$ht] $range);
            type Hash = $ht;

            fn schema() -> &'static $crate::TableSchema {
                static SCHEMA: ::std::sync::OnceLock<$crate::TableSchema> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| {
                    #[allow(unused_mut)]
                    let mut schema = $crate::TableSchema::new(
                        ::core::stringify!($table),
                        $crate::KeyAttr::new(::core::stringify!($h), <$ht as $crate::KeyAttrType>::KEY_TYPE),
                    );
                    $crate::dynamo_table!(@range_schema schema $range);
                    $crate::dynamo_table!(@billing schema $billing);
                    $(
                        schema.global_indexes.push($crate::dynamo_table!(@index $R $h $g));
                    )*
                    $(
                        schema.local_indexes.push($crate::dynamo_table!(@index $R $h $l));
                    )*
                    $( schema.ttl = ::core::option::Option::Some(::std::string::String::from(::core::stringify!($ttl))); )?
                    schema
                })
            }

            fn key_item(key: &Self::Key) -> ::core::result::Result<$crate::Item, $crate::ConvertError> {
                $crate::dynamo_table!(@key_item key $h $range)
            }

            fn key(&self) -> Self::Key {
                $crate::dynamo_table!(@key self $h $range)
            }

            $(
                fn version_attribute() -> ::core::option::Option<&'static str> {
                    ::core::option::Option::Some(::core::stringify!($ver))
                }
                fn version(&self) -> u64 {
                    $crate::__private::version_of(&self.$ver)
                }
                fn set_version(&mut self, version: u64) {
                    self.$ver = version;
                }
            )?

            $(
                fn check(&mut self) -> ::core::result::Result<(), $crate::Error> {
                    $check(self)
                }
            )?
        }
    };
    (@key_type [$ht:ty] []) => { $ht };
    (@key_type [$ht:ty] [$r:ident [$rt:ty]]) => { ($ht, $rt) };
    (@range_schema $s:ident []) => {};
    (@range_schema $s:ident [$r:ident [$rt:ty]]) => {
        $s = $s.range($crate::KeyAttr::new(::core::stringify!($r), <$rt as $crate::KeyAttrType>::KEY_TYPE));
    };
    (@billing $s:ident []) => {};
    (@billing $s:ident [on_demand]) => { $s = $s.on_demand(); };
    (@billing $s:ident [provisioned ($read:expr) ($write:expr)]) => { $s = $s.throughput($read, $write); };
    (@index $R:ident $h:ident { $name:ident ( $($spec:tt)* ) }) => {{
        let mut index = $crate::IndexSchema::new(
            ::core::stringify!($name),
            $crate::__private::pastey::paste!($crate::KeyAttr::new(::core::stringify!($h), $crate::__private::key_type_of(&$R::[<$h:upper>]))),
        );
        $crate::dynamo_table!(@index_spec $R index $($spec)*);
        index
    }};
    (@gsi_const $R:ident { $name:ident ( $($spec:tt)* ) }) => {
        $crate::dynamo_table!(@index_hash $R $name [$($spec)*] $($spec)*);
    };
    (@lsi_const $R:ident $h:ident { $name:ident ( $($spec:tt)* ) }) => {
        $crate::__private::pastey::paste! {
            #[doc = ::core::concat!("The local index `", ::core::stringify!($name), "`.")]
            pub const [<$name:upper>]: $crate::Index<$R, [<__dynamo_field_type_ $R>]!($h), $crate::dynamo_table!(@index_out $R [$($spec)*])> =
                $crate::Index::new(::core::stringify!($name), ::core::stringify!($h));
        }
    };
    (@key_item $k:ident $h:ident []) => {{
        let mut item = $crate::Item::with_capacity(1);
        item.insert(::std::string::String::from(::core::stringify!($h)), $crate::__private::key_value(::core::stringify!($h), $k)?);
        ::core::result::Result::Ok(item)
    }};
    (@key_item $k:ident $h:ident [$r:ident [$rt:ty]]) => {{
        let mut item = $crate::Item::with_capacity(2);
        item.insert(::std::string::String::from(::core::stringify!($h)), $crate::__private::key_value(::core::stringify!($h), &$k.0)?);
        item.insert(::std::string::String::from(::core::stringify!($r)), $crate::__private::key_value(::core::stringify!($r), &$k.1)?);
        ::core::result::Result::Ok(item)
    }};
    (@key $s:ident $h:ident []) => { ::core::clone::Clone::clone(&$s.$h) };
    (@key $s:ident $h:ident [$r:ident [$rt:ty]]) => {
        (::core::clone::Clone::clone(&$s.$h), ::core::clone::Clone::clone(&$s.$r))
    };

    // ===== entry points ======================================================
    () => {};
    ($(#[$m:meta])* record $R:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::dynamo_table!(@fields [record] [$(#[$m])*] [$R] [] [] [] { $($body)* } $($rest)*);
    };
    ($(#[$m:meta])* $table:ident : $R:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::dynamo_table!(@fields [table $table] [$(#[$m])*] [$R] [] [] [] { $($body)* } $($rest)*);
    };
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: expected `table_name: Record { fields } options` or `record Name { fields }`; found `",
            ::core::stringify!($($bad)*), "`"));
    };
}
