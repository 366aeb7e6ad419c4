//! The `dynamo_table!` DSL: declarations only. Each table expands to the
//! record struct, field constants, one [`crate::Document`] and one
//! [`crate::Record`] impl, and `type XTable = Table<X>`; the library does
//! the rest. The macro's grammar and docs are here; its internal rules are
//! the `#[doc(hidden)]` helper macros of [`fields`] (reading a declaration)
//! and [`expand`] (what it expands to); `dynamo_enum!` and
//! `dynamo_newtype!` are in [`enums`]; the compile-time checks of names in
//! [`checks`].

mod checks;
mod enums;
mod expand;
mod fields;

pub use enums::DynamoEnum;

/// What the expansions call (re-exported by `crate::__private`).
pub mod private {
    pub use super::checks::{Problem, attr_name, check_attr_names, check_enum_values, check_name, literal_name};
    pub use super::enums::{enum_fmt, enum_from_attr, enum_to_attr};
}

/// Declares DynamoDB tables and the records stored in them.
///
/// # Grammar
///
/// ```text
/// dynamo_table! { declaration* }
///
/// declaration := attributes* table ":" Record "{" fields "}" option*
///              | attributes* "record" Name "{" fields "}"
/// table       := ident | "string-literal"          (3-255 of a-z A-Z 0-9 _ - .)
/// fields      := field ("," field)* ","?
/// field       := attributes* key? name ("as" "StoredName")? ":" Type ("=" default)?
/// key         := "hash" | "range"                  (one hash, at most one range)
/// option      := "throughput" "(" read "," write ")" | "on_demand"
///              | "global_index" name "(" spec ("," spec)* ")"
///              | "local_index" name "(" spec ("," spec)* ")"
///              | "ttl" "(" field ")" | "version" "(" field ")" | "check" "(" path ")"
/// spec        := "hash" field | "range" field | "throughput" "(" read "," write ")"
///              | "projection" ("all" | "keys_only" | "include" "(" field ("," field)* ")")
/// ```
///
/// Fields are named by their Rust names everywhere in the declaration
/// (indexes, `ttl`, `version`) and in code (`Record::FIELD` constants); each
/// is stored under its attribute name: the one given with `as "..."`, or
/// the field's name (`r#type` is stored as `type`).
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
    () => {};
    ($(#[$m:meta])* record $R:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::__dynamo_fields!([record] [$(#[$m])*] [$R] [] [] [] { $($body)* } $($rest)*);
    };
    ($(#[$m:meta])* $table:ident : $R:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::__dynamo_fields!([table (::core::stringify!($table))] [$(#[$m])*] [$R] [] [] [] { $($body)* } $($rest)*);
    };
    ($(#[$m:meta])* $table:literal : $R:ident { $($body:tt)* } $($rest:tt)*) => {
        $crate::__dynamo_fields!([table ($table)] [$(#[$m])*] [$R] [] [] [] { $($body)* } $($rest)*);
    };
    ($($bad:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "dynamo_table!: expected `table_name: Record { fields } options`, `\"table-name\": Record { fields } options` ",
            "or `record Name { fields }`; found `", ::core::stringify!($($bad)*), "`"));
    };
}
