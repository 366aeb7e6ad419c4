//! Table declarations: what a table looks like, independent of any backend.
//!
//! A [`TableSchema`] names the table (without prefix), its keys, its secondary
//! indexes and its billing. [`crate::Database::ensure_table`] creates a
//! declared table on first use from it; the `dynamo_table!` DSL generates one.

use crate::Error;
use crate::sdk::*;

/// The type of a key attribute: string, number or binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `S`
    S,
    /// `N`
    N,
    /// `B`
    B,
}

impl KeyType {
    /// DynamoDB's name of the type: `"S"`, `"N"` or `"B"`.
    pub fn as_str(self) -> &'static str {
        crate::vocab::AttrType::from(self).name()
    }

    /// The SDK's scalar attribute type.
    pub fn scalar(self) -> ScalarAttributeType {
        match self {
            KeyType::S => ScalarAttributeType::S,
            KeyType::N => ScalarAttributeType::N,
            KeyType::B => ScalarAttributeType::B,
        }
    }
}

/// A key attribute: its name and type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyAttr {
    /// Attribute name.
    pub name: String,
    /// Attribute type.
    pub ty: KeyType,
}

impl KeyAttr {
    /// A key attribute named `name` of type `ty`.
    pub fn new(name: impl Into<String>, ty: KeyType) -> KeyAttr {
        KeyAttr { name: name.into(), ty }
    }
}

/// Which attributes a secondary index copies from the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Projection {
    /// Every attribute (`ALL`).
    All,
    /// The table's and the index's key attributes only (`KEYS_ONLY`).
    KeysOnly,
    /// The keys plus the named attributes (`INCLUDE`).
    Include(Vec<String>),
}

impl Projection {
    /// In words, as DynamoDB names it: `ALL`, `KEYS_ONLY`, `INCLUDE (a, b)`.
    fn describe(&self) -> String {
        match self {
            Projection::All => "ALL".to_string(),
            Projection::KeysOnly => "KEYS_ONLY".to_string(),
            Projection::Include(attrs) => include_words(attrs.iter().map(String::as_str)),
        }
    }

    fn sdk(&self) -> aws_sdk_dynamodb::types::Projection {
        let b = aws_sdk_dynamodb::types::Projection::builder();
        match self {
            Projection::All => b.projection_type(ProjectionType::All).build(),
            Projection::KeysOnly => b.projection_type(ProjectionType::KeysOnly).build(),
            Projection::Include(attrs) => b
                .projection_type(ProjectionType::Include)
                .set_non_key_attributes(Some(attrs.clone()))
                .build(),
        }
    }
}

/// How a table (or a global index) is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Billing {
    /// Provisioned capacity units.
    Provisioned {
        /// Read capacity units.
        read: i64,
        /// Write capacity units.
        write: i64,
    },
    /// On-demand (`PAY_PER_REQUEST`).
    OnDemand,
}

/// A secondary index: global (own hash key) or local (the table's hash key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexSchema {
    /// Index name.
    pub name: String,
    /// Hash (partition) key (the first, when there are several). For a
    /// local index, the table's hash key.
    pub hash: KeyAttr,
    /// Range (sort) key (the first, when there are several).
    pub range: Option<KeyAttr>,
    /// A global index's further partition key attributes, after `hash`, in
    /// key-schema order (DynamoDB takes up to four in all); usually none.
    pub more_hash: Vec<KeyAttr>,
    /// A global index's further sort key attributes, after `range`, in
    /// key-schema order (DynamoDB takes up to four in all); usually none.
    pub more_range: Vec<KeyAttr>,
    /// Projected attributes.
    pub projection: Projection,
    /// Throughput of a global index on a provisioned table; `None` takes the
    /// table's.
    pub throughput: Option<(i64, i64)>,
}

impl IndexSchema {
    /// An index named `name` on `hash`, projecting all attributes.
    pub fn new(name: impl Into<String>, hash: KeyAttr) -> IndexSchema {
        IndexSchema {
            name: name.into(),
            hash,
            range: None,
            more_hash: Vec::new(),
            more_range: Vec::new(),
            projection: Projection::All,
            throughput: None,
        }
    }

    /// With a further partition key attribute, after those declared so far
    /// (a global index with a multi-attribute key: a Query names every
    /// partition attribute with equality).
    #[must_use]
    pub fn and_hash(mut self, hash: KeyAttr) -> IndexSchema {
        self.more_hash.push(hash);
        self
    }

    /// With a further sort key attribute, after those declared so far (the
    /// first one when none is: the same as [`IndexSchema::range`]). A Query
    /// names sort attributes left to right.
    #[must_use]
    pub fn and_range(mut self, range: KeyAttr) -> IndexSchema {
        if self.range.is_none() {
            self.range = Some(range);
        } else {
            self.more_range.push(range);
        }
        self
    }

    /// The partition key attributes, in key-schema order.
    pub fn hash_attrs(&self) -> impl Iterator<Item = &KeyAttr> {
        std::iter::once(&self.hash).chain(&self.more_hash)
    }

    /// The sort key attributes, in key-schema order.
    pub fn range_attrs(&self) -> impl Iterator<Item = &KeyAttr> {
        self.range.iter().chain(&self.more_range)
    }

    /// With a range key.
    #[must_use]
    pub fn range(mut self, range: KeyAttr) -> IndexSchema {
        self.range = Some(range);
        self
    }

    /// With a projection.
    #[must_use]
    pub fn projection(mut self, projection: Projection) -> IndexSchema {
        self.projection = projection;
        self
    }

    /// With its own provisioned throughput (global indexes).
    #[must_use]
    pub fn throughput(mut self, read: i64, write: i64) -> IndexSchema {
        self.throughput = Some((read, write));
        self
    }

    fn key_schema(&self) -> Vec<KeySchemaElement> {
        key_schema_of(self.hash_attrs(), self.range_attrs())
    }
}

/// A table declaration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableSchema {
    /// Table name, without the connection's prefix.
    pub name: String,
    /// Hash (partition) key.
    pub hash: KeyAttr,
    /// Range (sort) key.
    pub range: Option<KeyAttr>,
    /// Global secondary indexes.
    pub global_indexes: Vec<IndexSchema>,
    /// Local secondary indexes.
    pub local_indexes: Vec<IndexSchema>,
    /// Billing mode.
    pub billing: Billing,
    /// The attribute DynamoDB's time to live reads, if declared:
    /// [`crate::Database::ensure_table`] turns TTL on with it when the
    /// table has TTL off.
    pub ttl: Option<String>,
}

fn key_schema(hash: &KeyAttr, range: Option<&KeyAttr>) -> Vec<KeySchemaElement> {
    key_schema_of(std::iter::once(hash), range)
}

/// The key schema of `hashes`, then `ranges`.
fn key_schema_of<'k>(
    hashes: impl IntoIterator<Item = &'k KeyAttr>,
    ranges: impl IntoIterator<Item = &'k KeyAttr>,
) -> Vec<KeySchemaElement> {
    let elem = |k: &KeyAttr, t: KeyType_| {
        KeySchemaElement::builder()
            .attribute_name(&k.name)
            .key_type(t)
            .build()
            .expect("attribute name and key type are set")
    };
    let hashes = hashes.into_iter().map(|k| elem(k, KeyType_::Hash));
    hashes
        .chain(ranges.into_iter().map(|k| elem(k, KeyType_::Range)))
        .collect()
}

use aws_sdk_dynamodb::types::KeyType as KeyType_;

fn throughput(read: i64, write: i64) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(read)
        .write_capacity_units(write)
        .build()
        .expect("both capacities are set")
}

impl TableSchema {
    /// A table named `name` (without prefix) with hash key `hash`, on-demand.
    pub fn new(name: impl Into<String>, hash: KeyAttr) -> TableSchema {
        TableSchema {
            name: name.into(),
            hash,
            range: None,
            global_indexes: Vec::new(),
            local_indexes: Vec::new(),
            billing: Billing::OnDemand,
            ttl: None,
        }
    }

    /// With a range key.
    #[must_use]
    pub fn range(mut self, range: KeyAttr) -> TableSchema {
        self.range = Some(range);
        self
    }

    /// With time to live on `attribute` (a number of epoch seconds).
    #[must_use]
    pub fn ttl(mut self, attribute: impl Into<String>) -> TableSchema {
        self.ttl = Some(attribute.into());
        self
    }

    /// With provisioned throughput.
    #[must_use]
    pub fn throughput(mut self, read: i64, write: i64) -> TableSchema {
        self.billing = Billing::Provisioned { read, write };
        self
    }

    /// On-demand billing (the default).
    #[must_use]
    pub fn on_demand(mut self) -> TableSchema {
        self.billing = Billing::OnDemand;
        self
    }

    /// With a global secondary index.
    #[must_use]
    pub fn global_index(mut self, index: IndexSchema) -> TableSchema {
        self.global_indexes.push(index);
        self
    }

    /// With a local secondary index (its hash key must be the table's).
    #[must_use]
    pub fn local_index(mut self, index: IndexSchema) -> TableSchema {
        self.local_indexes.push(index);
        self
    }

    /// The `CreateTable` request for this table under its full name
    /// (`full_name` carries the connection's prefix).
    pub fn create_table_input(&self, full_name: &str) -> Result<CreateTableInput, Error> {
        let mut defs: Vec<&KeyAttr> = Vec::new();
        let all_keys = std::iter::once(&self.hash).chain(self.range.as_ref()).chain(
            self.global_indexes
                .iter()
                .chain(&self.local_indexes)
                .flat_map(|i| i.hash_attrs().chain(i.range_attrs())),
        );
        for k in all_keys {
            match defs.iter().find(|d| d.name == k.name) {
                Some(d) if d.ty != k.ty => {
                    return Err(Error::Validation(
                        format!("key attribute {} is declared as both {:?} and {:?}", k.name, d.ty, k.ty).into(),
                    ));
                }
                Some(_) => {}
                None => defs.push(k),
            }
        }
        let definitions = defs
            .iter()
            .map(|k| {
                AttributeDefinition::builder()
                    .attribute_name(&k.name)
                    .attribute_type(k.ty.scalar())
                    .build()
                    .expect("name and type are set")
            })
            .collect::<Vec<_>>();
        let gsis = self
            .global_indexes
            .iter()
            .map(|i| {
                let mut b = GlobalSecondaryIndex::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(i.key_schema()))
                    .projection(i.projection.sdk());
                if let Billing::Provisioned { read, write } = self.billing {
                    let (r, w) = i.throughput.unwrap_or((read, write));
                    b = b.provisioned_throughput(throughput(r, w));
                }
                b.build().map_err(|e| Error::Validation(e.to_string().into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let lsis = self
            .local_indexes
            .iter()
            .map(|i| {
                LocalSecondaryIndex::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(i.key_schema()))
                    .projection(i.projection.sdk())
                    .build()
                    .map_err(|e| Error::Validation(e.to_string().into()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut b = CreateTableInput::builder()
            .table_name(full_name)
            .set_attribute_definitions(Some(definitions))
            .set_key_schema(Some(key_schema(&self.hash, self.range.as_ref())))
            .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
            .set_local_secondary_indexes((!lsis.is_empty()).then_some(lsis));
        b = match self.billing {
            Billing::Provisioned { read, write } => b
                .billing_mode(BillingMode::Provisioned)
                .provisioned_throughput(throughput(read, write)),
            Billing::OnDemand => b.billing_mode(BillingMode::PayPerRequest),
        };
        b.build().map_err(|e| Error::Validation(e.to_string().into()))
    }
}

// ---------------------------------------------------------------------------
// An existing table against its declaration
// ---------------------------------------------------------------------------

/// `INCLUDE (a, b)`, the attributes sorted (DynamoDB does not keep their order).
fn include_words<'a>(attrs: impl Iterator<Item = &'a str>) -> String {
    let mut attrs: Vec<&str> = attrs.collect();
    attrs.sort_unstable();
    attrs.dedup();
    format!("INCLUDE ({})", attrs.join(", "))
}

/// Key attributes in words: `id (S)` (several: `a (S), b (N)`), or `none`.
fn words_or_none(words: Vec<String>) -> String {
    if words.is_empty() {
        "none".to_string()
    } else {
        words.join(", ")
    }
}

/// A declared key in words: `id (S)`, `a (S), b (N)`, or `none`.
fn declared_key_words<'k>(keys: impl Iterator<Item = &'k KeyAttr>) -> String {
    words_or_none(keys.map(|k| format!("{} ({})", k.name, k.ty.as_str())).collect())
}

/// A described key in words: the names from the key schema, the types from
/// the attribute definitions (`?` if they do not say).
fn described_key_words(defs: &[AttributeDefinition], keys: &[KeySchemaElement], role: KeyType_) -> String {
    let words = keys
        .iter()
        .filter(|e| e.key_type == role)
        .map(|e| {
            let ty = defs
                .iter()
                .find(|d| d.attribute_name == e.attribute_name)
                .map_or("?", |d| d.attribute_type.as_str());
            format!("{} ({ty})", e.attribute_name)
        })
        .collect();
    words_or_none(words)
}

fn described_projection_words(p: Option<&aws_sdk_dynamodb::types::Projection>) -> String {
    match p.and_then(|p| p.projection_type.as_ref()) {
        Some(ProjectionType::All) => "ALL".to_string(),
        Some(ProjectionType::KeysOnly) => "KEYS_ONLY".to_string(),
        Some(ProjectionType::Include) => include_words(
            p.and_then(|p| p.non_key_attributes.as_deref())
                .unwrap_or_default()
                .iter()
                .map(String::as_str),
        ),
        Some(other) => other.as_str().to_string(),
        None => "none".to_string(),
    }
}

/// Compares the hash and range keys (each of one attribute or, on a global
/// index, of several); `context` starts each difference.
fn compare_keys(
    out: &mut Vec<String>,
    context: &str,
    defs: &[AttributeDefinition],
    keys: &[KeySchemaElement],
    hashes: &[&KeyAttr],
    ranges: &[&KeyAttr],
) {
    for (what, role, declared) in [
        ("hash key", KeyType_::Hash, hashes),
        ("range key", KeyType_::Range, ranges),
    ] {
        let actual = described_key_words(defs, keys, role);
        let declared = declared_key_words(declared.iter().copied());
        if actual != declared {
            out.push(format!("{context}{what} is {actual}, declared {declared}"));
        }
    }
}

/// An index as DescribeTable shows it, global or local.
struct DescribedIndex<'a> {
    name: &'a str,
    keys: &'a [KeySchemaElement],
    projection: Option<&'a aws_sdk_dynamodb::types::Projection>,
}

fn compare_indexes(
    out: &mut Vec<String>,
    defs: &[AttributeDefinition],
    (kind, declared, actual): (&str, &[IndexSchema], &[DescribedIndex<'_>]),
    (other_kind, other): (&str, &[DescribedIndex<'_>]),
) {
    for index in declared {
        let Some(found) = actual.iter().find(|i| i.name == index.name) else {
            if other.iter().any(|i| i.name == index.name) {
                out.push(format!(
                    "{kind} index {} is missing (the table's {} is a {other_kind} index)",
                    index.name, index.name
                ));
            } else {
                out.push(format!("{kind} index {} is missing", index.name));
            }
            continue;
        };
        let context = format!("{kind} index {}: ", index.name);
        let (hashes, ranges): (Vec<&KeyAttr>, Vec<&KeyAttr>) =
            (index.hash_attrs().collect(), index.range_attrs().collect());
        compare_keys(out, &context, defs, found.keys, &hashes, &ranges);
        let actual = described_projection_words(found.projection);
        let declared = index.projection.describe();
        if actual != declared {
            out.push(format!("{context}projection is {actual}, declared {declared}"));
        }
    }
}

impl TableSchema {
    /// How the existing table `table` (its DescribeTable description)
    /// differs from this declaration, each difference in words (`"hash key
    /// is pk (S), declared id (S)"`); empty when it matches.
    ///
    /// Compared: the table's hash and range keys (names and types), and each
    /// declared global and local index (present, of that kind, with those
    /// keys and that projection; `INCLUDE`d attributes as a set). Not
    /// compared, and so never a difference: indexes the table has and the
    /// declaration does not (production tables often carry more), billing
    /// and throughput, and TTL (see [`crate::Database::ensure_table`]).
    pub fn differences(&self, table: &TableDescription) -> Vec<String> {
        let defs = table.attribute_definitions.as_deref().unwrap_or_default();
        let mut out = Vec::new();
        compare_keys(
            &mut out,
            "",
            defs,
            table.key_schema.as_deref().unwrap_or_default(),
            &[&self.hash],
            &self.range.iter().collect::<Vec<_>>(),
        );
        let globals: Vec<DescribedIndex<'_>> = table
            .global_secondary_indexes
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|i| DescribedIndex {
                name: i.index_name.as_deref().unwrap_or_default(),
                keys: i.key_schema.as_deref().unwrap_or_default(),
                projection: i.projection.as_ref(),
            })
            .collect();
        let locals: Vec<DescribedIndex<'_>> = table
            .local_secondary_indexes
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|i| DescribedIndex {
                name: i.index_name.as_deref().unwrap_or_default(),
                keys: i.key_schema.as_deref().unwrap_or_default(),
                projection: i.projection.as_ref(),
            })
            .collect();
        compare_indexes(
            &mut out,
            defs,
            ("global", &self.global_indexes, &globals),
            ("local", &locals),
        );
        compare_indexes(
            &mut out,
            defs,
            ("local", &self.local_indexes, &locals),
            ("global", &globals),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::mock::MockBackend;

    #[test]
    fn a_name_is_refused_when_shorter_than_3_longer_than_255_or_holding_other_characters() {
        assert_eq!(name_problem("ab"), Some(NameProblem::TooShort));
        assert_eq!(name_problem("abc"), None);
        assert_eq!(name_problem(&"a".repeat(255)), None);
        assert_eq!(name_problem(&"a".repeat(256)), Some(NameProblem::TooLong));
        assert_eq!(name_problem("my-table_v1.2"), None);
        assert_eq!(name_problem("my table"), Some(NameProblem::BadCharacter));
        assert_eq!(name_problem("tablé"), Some(NameProblem::BadCharacter));
    }

    #[test]
    fn the_mock_refuses_a_bad_table_name_with_dynamodbs_message_for_the_rule() {
        let message = |name: &str| match crate::mock::catalog::check_table_name(Some(name), "tableName") {
            Err(crate::Error::Validation(m)) => m.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            message("ab"),
            "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        );
        assert_eq!(
            message(&"a".repeat(256)),
            format!(
                "1 validation error detected: Value '{}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255",
                "a".repeat(256)
            )
        );
        assert_eq!(
            message("a b"),
            "1 validation error detected: Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        );
    }

    #[tokio::test]
    async fn a_table_created_from_its_declaration_has_no_differences_and_another_declaration_has_them() {
        let schema = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
            .range(KeyAttr::new("at", KeyType::N))
            .throughput(1, 1)
            .global_index(
                IndexSchema::new("by_g", KeyAttr::new("a", KeyType::B))
                    .range(KeyAttr::new("at", KeyType::N))
                    .projection(Projection::Include(vec!["z".into(), "x".into()]))
                    .throughput(2, 2),
            )
            .local_index(
                IndexSchema::new("by_l", KeyAttr::new("id", KeyType::S))
                    .range(KeyAttr::new("b", KeyType::S))
                    .projection(Projection::KeysOnly),
            );
        let mock = MockBackend::new();
        mock.create_table(schema.create_table_input("tbl").unwrap())
            .await
            .unwrap();
        let described = mock
            .describe_table(DescribeTableInput::builder().table_name("tbl").build().unwrap())
            .await
            .unwrap()
            .table
            .unwrap();
        assert_eq!(schema.differences(&described), Vec::<String>::new());
        // Billing, and indexes the declaration leaves out, are not differences.
        let fewer = TableSchema::new("t", KeyAttr::new("id", KeyType::S)).range(KeyAttr::new("at", KeyType::N));
        assert_eq!(fewer.differences(&described), Vec::<String>::new());
        let other = TableSchema::new("t", KeyAttr::new("id", KeyType::S))
            .range(KeyAttr::new("at", KeyType::S))
            .local_index(IndexSchema::new("by_l", KeyAttr::new("id", KeyType::S)).range(KeyAttr::new("b", KeyType::S)))
            .local_index(IndexSchema::new("by_g", KeyAttr::new("id", KeyType::S)).range(KeyAttr::new("a", KeyType::B)));
        assert_eq!(
            other.differences(&described),
            [
                "range key is at (N), declared at (S)",
                "local index by_l: projection is KEYS_ONLY, declared ALL",
                "local index by_g is missing (the table's by_g is a global index)",
            ]
        );
    }

    #[tokio::test]
    async fn a_declared_multi_attribute_index_is_created_as_declared_and_a_single_attribute_declaration_differs() {
        let schema = TableSchema::new("t", KeyAttr::new("id", KeyType::S)).global_index(
            IndexSchema::new("by_ab_cd", KeyAttr::new("a", KeyType::S))
                .and_hash(KeyAttr::new("b", KeyType::N))
                .and_range(KeyAttr::new("c", KeyType::S))
                .and_range(KeyAttr::new("d", KeyType::B)),
        );
        let input = schema.create_table_input("tbl").unwrap();
        let keys: Vec<(&str, &str)> = input.global_secondary_indexes()[0]
            .key_schema()
            .iter()
            .map(|k| (k.attribute_name(), k.key_type().as_str()))
            .collect();
        assert_eq!(keys, [("a", "HASH"), ("b", "HASH"), ("c", "RANGE"), ("d", "RANGE")]);
        let mock = MockBackend::new();
        mock.create_table(input).await.unwrap();
        let described = mock
            .describe_table(DescribeTableInput::builder().table_name("tbl").build().unwrap())
            .await
            .unwrap()
            .table
            .unwrap();
        assert_eq!(schema.differences(&described), Vec::<String>::new());
        let single = TableSchema::new("t", KeyAttr::new("id", KeyType::S)).global_index(
            IndexSchema::new("by_ab_cd", KeyAttr::new("a", KeyType::S)).range(KeyAttr::new("c", KeyType::S)),
        );
        assert_eq!(
            single.differences(&described),
            [
                "global index by_ab_cd: hash key is a (S), b (N), declared a (S)",
                "global index by_ab_cd: range key is c (S), d (B), declared c (S)",
            ]
        );
    }

    #[test]
    fn a_description_without_keys_reads_as_none() {
        let described = TableDescription::builder().build();
        assert_eq!(
            TableSchema::new("t", KeyAttr::new("id", KeyType::S)).differences(&described),
            ["hash key is none, declared id (S)"]
        );
    }
}

/// The fewest characters DynamoDB accepts in a table or index name.
pub const NAME_MIN_LEN: usize = 3;
/// The most characters DynamoDB accepts in a table or index name.
pub const NAME_MAX_LEN: usize = 255;

/// Why DynamoDB refuses a table or index name (the rule is written here
/// once: the mock's validation and the DSL's compile-time check use it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Fewer than [`NAME_MIN_LEN`] characters.
    TooShort,
    /// More than [`NAME_MAX_LEN`] characters.
    TooLong,
    /// A character outside `[a-zA-Z0-9_.-]`.
    BadCharacter,
}

impl NameProblem {
    /// DynamoDB's wording of the constraint the name fails, as it follows
    /// "failed to satisfy constraint: " in a validation message.
    pub const fn constraint(self) -> &'static str {
        match self {
            NameProblem::TooShort => "Member must have length greater than or equal to 3",
            NameProblem::TooLong => "Member must have length less than or equal to 255",
            NameProblem::BadCharacter => "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        }
    }
}

/// Why DynamoDB would refuse `name` as a table or index name, or `None`
/// when it is acceptable: 3 to 255 characters from `a-z`, `A-Z`, `0-9`,
/// `_`, `.` and `-`. A `const fn`, so that declarations are checked at
/// compile time.
pub const fn name_problem(name: &str) -> Option<NameProblem> {
    let bytes = name.as_bytes();
    if bytes.len() < NAME_MIN_LEN {
        return Some(NameProblem::TooShort);
    }
    if bytes.len() > NAME_MAX_LEN {
        return Some(NameProblem::TooLong);
    }
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-') {
            return Some(NameProblem::BadCharacter);
        }
        i += 1;
    }
    None
}
