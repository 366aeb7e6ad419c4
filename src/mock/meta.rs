//! A table's metadata, as CreateTable and UpdateTable set it: what the
//! catalogue describes and what storage (`store.rs`) needs to know to keep
//! the indexes and the TTL index of the table's items.

use crate::schema::KeyAttr;
use crate::sdk::*;

/// A secondary index's metadata.
#[derive(Debug, Clone)]
pub(crate) struct IndexMeta {
    /// Index name.
    pub name: String,
    /// Global (own partitions) or local (the table's hash key).
    pub global: bool,
    /// Index hash key (the first, when there are several).
    pub hash: KeyAttr,
    /// Index range key (the first, when there are several).
    pub range: Option<KeyAttr>,
    /// A global index's further partition key attributes, after `hash`, in
    /// key-schema order (up to three more; usually none).
    pub more_hash: Vec<KeyAttr>,
    /// A global index's further sort key attributes, after `range`, in
    /// key-schema order (up to three more; usually none).
    pub more_range: Vec<KeyAttr>,
    /// The projection as declared.
    pub projection: Projection,
    /// Provisioned throughput of a global index on a provisioned table.
    pub throughput: Option<(i64, i64)>,
}

impl IndexMeta {
    /// The partition key attributes, in key-schema order.
    pub(crate) fn hash_attrs(&self) -> impl Iterator<Item = &KeyAttr> {
        std::iter::once(&self.hash).chain(&self.more_hash)
    }

    /// The sort key attributes, in key-schema order.
    pub(crate) fn range_attrs(&self) -> impl Iterator<Item = &KeyAttr> {
        self.range.iter().chain(&self.more_range)
    }

    /// Every key attribute: partition, then sort, in key-schema order.
    pub(crate) fn key_attrs(&self) -> impl Iterator<Item = &KeyAttr> {
        self.hash_attrs().chain(self.range_attrs())
    }

    /// Whether `name` is one of the index's key attributes.
    pub(crate) fn has_key(&self, name: &str) -> bool {
        self.key_attrs().any(|k| k.name == name)
    }

    /// Whether the partition or the sort key has several attributes.
    pub(crate) fn multi_attribute(&self) -> bool {
        !self.more_hash.is_empty() || !self.more_range.is_empty()
    }
}

/// A table's metadata.
#[derive(Debug, Clone)]
pub(crate) struct TableMeta {
    /// Full table name.
    pub name: String,
    /// Hash key.
    pub hash: KeyAttr,
    /// Range key.
    pub range: Option<KeyAttr>,
    /// Attribute definitions as given (and extended by GSIs added later).
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// Secondary indexes, local then global, in declaration order.
    pub indexes: Vec<IndexMeta>,
    /// Billing mode.
    pub billing: BillingMode,
    /// Provisioned throughput (0, 0 on demand).
    pub throughput: (i64, i64),
    /// Creation time, in seconds since the epoch.
    pub created: f64,
    /// A unique id.
    pub id: String,
    /// The TTL attribute, when TTL is on.
    pub ttl: Option<String>,
    /// `DeletionProtectionEnabled`: DeleteTable is refused while on.
    pub deletion_protection: bool,
    /// When the table was last switched to (or created) on demand, in
    /// seconds since the epoch; `None` for a table always provisioned (which
    /// DynamoDB Local describes without a `BillingModeSummary`).
    pub last_pay_per_request: Option<f64>,
    /// How the table was restored, if it was (from a backup or to a point
    /// in time): DescribeTable's `RestoreSummary`.
    pub restore: Option<RestoreSummary>,
}

impl TableMeta {
    /// The index named `name`.
    pub(crate) fn index(&self, name: &str) -> Option<(usize, &IndexMeta)> {
        self.indexes.iter().enumerate().find(|(_, i)| i.name == name)
    }
}
