//! The `dynamo_table!` DSL: declarations only. Each table expands to the
//! record struct, field constants, one [`crate::Document`] and one
//! [`crate::Record`] impl, and `type XTable = Table<X>`; the library does
//! the rest. The macro's grammar and docs are here; its internal rules are
//! the `#[doc(hidden)]` helper macros of [`fields`] (reading a declaration)
//! and [`expand`] (what it expands to); `dynamo_enum!` and
//! `dynamo_newtype!` are in [`enums`]; the compile-time checks of names in
//! [`checks`].

mod checks;
pub(crate) use checks::same;
mod enums;
mod expand;
mod fields;

pub use enums::DynamoEnum;

/// What the expansions call (re-exported by `crate::__private`).
pub(crate) mod private {
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
/// connection adds its prefix). See [what one invocation expands
/// to](#what-one-invocation-expands-to).
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
/// - `name as "StoredName": Type` (also `hash name as "PK": Type`) — the
///   field is stored under the attribute `StoredName`, which need not be a
///   Rust identifier (`PK`, `GSI1SK`, `created-at`); without `as`, the
///   field's name, with a raw identifier's `r#` dropped (`r#type` is stored
///   as `type`). Indexes, `ttl`, `version`, conditions, updates, projections
///   and key items all use the stored name; the declaration and code name
///   the field by its Rust name (`Order::CREATED_AT`).
/// - Field types need not implement `Default`: the record implements
///   `Default` when each field without a declared default has one
///   (`Option<T>` always has).
/// - Enums and newtypes are declared with [`dynamo_enum!`](crate::dynamo_enum)
///   and [`dynamo_newtype!`](crate::dynamo_newtype); both can be keys.
///
/// ```
/// use dynamo_objects::{dynamo_enum, dynamo_newtype, dynamo_table, Document, Record};
///
/// dynamo_enum! { pub enum Status { Active = "active", Closed = "CLOSED" } }
/// dynamo_newtype! { pub struct UserId(String); }
///
/// dynamo_table! {
///     "prod-orders": Order {
///         hash user as "PK": UserId,
///         range sk as "SK": String,
///         created_at as "created-at": String,
///         r#type: String,
///         status as "GSI1PK": Status,
///     }
///     global_index gsi1(hash status, range created_at)
/// }
///
/// assert_eq!(Order::field_names(), ["PK", "SK", "created-at", "type", "GSI1PK"]);
/// assert_eq!(Order::schema().name, "prod-orders");
/// assert_eq!(Order::schema().global_indexes[0].hash.name, "GSI1PK");
/// let _ = Order::CREATED_AT.eq("2026-01-01"); // a condition on `created-at`
/// ```
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
/// keys cannot have, an unknown option, a misspelt field name in an index,
/// `ttl`, `version`, a condition or an update, a table or index name
/// DynamoDB would refuse (fewer than 3 or more than 255 characters, or
/// characters other than `a-z A-Z 0-9 _ - .`), an empty stored attribute
/// name, or two fields stored under one attribute name do not compile.
///
/// # What one invocation expands to
///
/// The macro declares; the library does. This declaration
///
/// ```
/// # use dynamo_objects::dynamo_table;
/// dynamo_table! {
///     "my-users": User { hash id as "PK": String, name: String = "anon".into() }
/// }
/// ```
///
/// expands to, in substance (paths shortened; the `const` checks are
/// evaluated by the compiler and fail the build with their message):
///
/// ```text
/// #[derive(Debug, Clone, PartialEq)]
/// pub struct User { pub id: String, pub name: String }
///
/// impl Default for User where for<'a> String: Default, for<'a> (): Default {
///     fn default() -> Self { User { id: Default::default(), name: "anon".into() } }
/// }
/// const _: () = assert!(check_attr_names("User", &[("id", "PK"), ("name", "name")]).is_none(), ...);
///
/// impl User {
///     pub const ID: Field<User, String> = Field::__declared("PK");
///     pub const NAME: Field<User, String> = Field::__declared("name");
/// }
///
/// impl Document for User {
///     fn to_item(&self) -> Result<Item, ConvertError> {
///         let mut item = Item::with_capacity(2);
///         put_field(&mut item, "PK", &self.id)?;
///         put_field(&mut item, "name", &self.name)?;
///         Ok(item)
///     }
///     fn from_item(mut item: Item) -> Result<Self, ConvertError> {
///         Ok(User { id: take_field(&mut item, "PK")?, name: take_field_or(&mut item, "name", || "anon".into())? })
///     }
///     fn field_names() -> &'static [&'static str] { &["PK", "name"] }
/// }
/// impl Attr for User { /* a map attribute: document_to_attr / document_from_attr */ }
///
/// pub type UserTable = Table<User>;
/// const _: () = assert!(check_name("table", "my-users").is_none(), ...);
///
/// impl Record for User {
///     type Key = String;
///     type Hash = String;
///     fn schema() -> &'static TableSchema { /* once: TableSchema::new("my-users", KeyAttr::new("PK", KeyType::S)) */ }
///     fn key_item(key: &String) -> Result<Item, ConvertError> { /* {"PK": key_value("PK", key)?} */ }
///     fn key(&self) -> String { self.id.clone() }
/// }
/// ```
///
/// Everything else (conversions, expressions, paging, batching, retries)
/// is generic library code over [`Document`](crate::Document) and
/// [`Record`](crate::Record). The macro's internal rules are the hidden
/// helper macros `__dynamo_fields!`, `__dynamo_opts!`, `__dynamo_record!`,
/// `__dynamo_table!` and `__dynamo_index!`; fields are read up to eight per
/// step, so records of hundreds of fields compile at the default recursion
/// limit.
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
