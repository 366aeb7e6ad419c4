//! The table catalogue: CreateTable, DescribeTable, UpdateTable, DeleteTable,
//! ListTables, and the tables themselves (metadata, in `meta.rs`, and storage,
//! in `store.rs`, under one lock).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::primitives::DateTime;
use parking_lot::RwLock;

use super::meta::{IndexMeta, TableMeta};
use super::store::TableData;
use crate::Error;
use crate::error::Message;
use crate::schema::{KeyAttr, KeyType};
use crate::sdk::*;

/// A table: metadata and storage under one lock.
#[derive(Debug)]
pub(crate) struct TableState {
    /// Metadata.
    pub meta: TableMeta,
    /// Items and index entries.
    pub data: TableData,
}

/// A shared table.
pub(crate) type TableRef = Arc<RwLock<TableState>>;

/// All tables, by full name.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    tables: RwLock<BTreeMap<String, TableRef>>,
    counter: std::sync::atomic::AtomicU64,
    /// Every table's streams (DynamoDB Streams).
    pub(crate) streams: super::streams::Streams,
}

/// The region in the mock's ARNs (DynamoDB Local's).
pub(crate) const REGION: &str = "ddblocal";
/// The account that owns the mock's tables, in their ARNs (DynamoDB Local's).
pub(crate) const ACCOUNT: &str = "000000000000";

/// DeleteTable's refusal while `DeletionProtectionEnabled` is on.
pub(crate) const DELETION_PROTECTED: &str =
    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.";

fn v(msg: impl Into<String>) -> Error {
    Error::Validation(Message::new(msg))
}

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("One or more parameter values were invalid: {msg}").into())
}

/// The error DynamoDB gives for a table that does not exist.
pub(crate) fn not_found(_table: &str) -> Error {
    Error::ResourceNotFound("Requested resource not found".into())
}

/// Checks a table name as DynamoDB does.
pub(crate) fn check_table_name(name: Option<&str>, field: &str) -> Result<String, Error> {
    check_name(name, field).map(str::to_string)
}

/// Checks a table name as DynamoDB does, without copying it.
pub(crate) fn check_name<'n>(name: Option<&'n str>, field: &str) -> Result<&'n str, Error> {
    let Some(name) = name else {
        return Err(v(format!(
            "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
        )));
    };
    if let Some(problem) = crate::schema::name_problem(name) {
        return Err(v(format!(
            "1 validation error detected: Value '{name}' at '{field}' failed to satisfy constraint: {}",
            problem.constraint()
        )));
    }
    Ok(name)
}

fn key_type(t: &ScalarAttributeType) -> Result<KeyType, Error> {
    match t {
        ScalarAttributeType::S => Ok(KeyType::S),
        ScalarAttributeType::N => Ok(KeyType::N),
        ScalarAttributeType::B => Ok(KeyType::B),
        other => Err(v(format!(
            "1 validation error detected: Value '{}' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
            other.as_str()
        ))),
    }
}

/// Longest name of a key attribute (or of an attribute projected into an
/// index), in UTF-8 bytes; the shortest is 1.
pub(crate) const MAX_KEY_ATTRIBUTE_NAME_BYTES: usize = 255;

/// Checks the names of the attribute definitions and of the attributes
/// projected into indexes, as DynamoDB Local does (after the table's key
/// schema, before anything else about the attributes).
fn check_key_attribute_names<'n>(names: impl IntoIterator<Item = &'n str>) -> Result<(), Error> {
    if names
        .into_iter()
        .any(|n| n.is_empty() || n.len() > MAX_KEY_ATTRIBUTE_NAME_BYTES)
    {
        return Err(v(format!(
            "Names of key attributes and attributes projected into an index must be between 1 and {MAX_KEY_ATTRIBUTE_NAME_BYTES} characters, inclusive"
        )));
    }
    Ok(())
}

/// Checks a key schema's shape: one or two elements, HASH then RANGE, two
/// different names.
fn check_schema_shape(schema: &[KeySchemaElement], what: &str) -> Result<(), Error> {
    super::validate::key_schema_size(schema, what, super::validate::MAX_KEY_SCHEMA_ELEMENTS)?;
    if schema[0].key_type != aws_sdk_dynamodb::types::KeyType::Hash {
        return Err(v(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if schema.len() == 2 {
        if schema[1].key_type != aws_sdk_dynamodb::types::KeyType::Range {
            return Err(v(
                "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
            ));
        }
        if schema[0].attribute_name == schema[1].attribute_name {
            return Err(v(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
    }
    Ok(())
}

/// The most partition key attributes of a global index.
pub(crate) const MAX_GSI_HASH_ATTRIBUTES: usize = 4;
/// The most sort key attributes of a global index.
pub(crate) const MAX_GSI_RANGE_ATTRIBUTES: usize = 4;

/// Checks a global index's key schema's shape: one to four HASH elements,
/// then up to four RANGE elements, every name different. A schema a table
/// could have (HASH, or HASH then RANGE) is checked as a table's, with the
/// same messages. (DynamoDB Local's wording for the multi-attribute rules.)
fn check_gsi_shape(schema: &[KeySchemaElement], what: &str) -> Result<(), Error> {
    use aws_sdk_dynamodb::types::KeyType as Kt;
    super::validate::key_schema_size(schema, what, usize::MAX)?;
    let hashes = schema.iter().filter(|e| e.key_type == Kt::Hash).count();
    if schema.len() <= 2 && hashes < 2 {
        return check_schema_shape(schema, what);
    }
    if schema.len() > MAX_GSI_HASH_ATTRIBUTES + MAX_GSI_RANGE_ATTRIBUTES {
        return Err(v(
            "Key Schema too big.  Key Schema must at most consist of the hash and range key of a table",
        ));
    }
    for (i, e) in schema.iter().enumerate() {
        if schema[..i].iter().any(|o| o.attribute_name == e.attribute_name) {
            return Err(v("Two keys can not have the same name"));
        }
    }
    if schema[0].key_type != Kt::Hash {
        return Err(v(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if schema[hashes..].iter().any(|e| e.key_type != Kt::Range) {
        return Err(v(
            "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second",
        ));
    }
    if hashes > MAX_GSI_HASH_ATTRIBUTES {
        return Err(v(format!(
            "Too many partition keys. GSI can have at most {MAX_GSI_HASH_ATTRIBUTES} partition keys"
        )));
    }
    if schema.len() - hashes > MAX_GSI_RANGE_ATTRIBUTES {
        return Err(v(format!(
            "Too many sort keys. GSI can have at most {MAX_GSI_RANGE_ATTRIBUTES} sort keys"
        )));
    }
    Ok(())
}

/// The attributes a projection names (`NonKeyAttributes`), if any.
fn projected(p: &Option<Projection>) -> &[String] {
    p.as_ref()
        .and_then(|p| p.non_key_attributes.as_deref())
        .unwrap_or_default()
}

/// Resolves a key schema against attribute definitions: (hash, range).
fn resolve_keys(
    schema: &[KeySchemaElement],
    defs: &[AttributeDefinition],
    what: &str,
) -> Result<(KeyAttr, Option<KeyAttr>), Error> {
    check_schema_shape(schema, what)?;
    let mut keys = resolve_attrs(schema, defs)?.into_iter();
    match keys.next() {
        Some(hash) => Ok((hash, keys.next())),
        None => Err(v(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        )),
    }
}

/// A global index's key attributes: (hash, more hashes, range, more ranges).
type GsiKeys = (KeyAttr, Vec<KeyAttr>, Option<KeyAttr>, Vec<KeyAttr>);

/// Resolves a global index's key schema (of up to four partition and four
/// sort key attributes) against attribute definitions.
fn resolve_gsi_keys(schema: &[KeySchemaElement], defs: &[AttributeDefinition], what: &str) -> Result<GsiKeys, Error> {
    check_gsi_shape(schema, what)?;
    let hashes = schema
        .iter()
        .filter(|e| e.key_type == aws_sdk_dynamodb::types::KeyType::Hash)
        .count();
    let attrs = resolve_attrs(schema, defs)?;
    let (hash, range) = attrs.split_at(hashes.min(attrs.len()));
    let Some((first, more_hash)) = hash.split_first() else {
        return Err(v(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    };
    let (range, more_range) = match range.split_first() {
        Some((r, more)) => (Some(r.clone()), more.to_vec()),
        None => (None, Vec::new()),
    };
    Ok((first.clone(), more_hash.to_vec(), range, more_range))
}

/// Each element's attribute, typed by its definition.
fn resolve_attrs(schema: &[KeySchemaElement], defs: &[AttributeDefinition]) -> Result<Vec<KeyAttr>, Error> {
    let attr = |e: &KeySchemaElement| -> Result<KeyAttr, Error> {
        let def = defs.iter().find(|d| d.attribute_name == e.attribute_name).ok_or_else(|| {
            invalid(format!(
                "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
                schema.iter().map(|k| k.attribute_name.as_str()).collect::<Vec<_>>().join(", "),
                defs.iter().map(|d| d.attribute_name.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        Ok(KeyAttr::new(e.attribute_name.clone(), key_type(&def.attribute_type)?))
    };
    schema.iter().map(attr).collect()
}

fn check_throughput(t: &ProvisionedThroughput, path: &str) -> Result<(i64, i64), Error> {
    for (value, field) in [
        (t.read_capacity_units, "readCapacityUnits"),
        (t.write_capacity_units, "writeCapacityUnits"),
    ] {
        if value < 1 {
            return Err(v(format!(
                "1 validation error detected: Value '{value}' at '{path}.{field}' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )));
        }
    }
    Ok((t.read_capacity_units, t.write_capacity_units))
}

fn check_projection(p: &Projection, index: &str) -> Result<(), Error> {
    match (&p.projection_type, &p.non_key_attributes) {
        (Some(ProjectionType::Include), None) => Err(invalid(format!(
            "ProjectionType is INCLUDE, but NonKeyAttributes is not specified for index: {index}"
        ))),
        (Some(ProjectionType::Include), Some(attrs)) if attrs.is_empty() => Err(invalid(format!(
            "ProjectionType is INCLUDE, but NonKeyAttributes is not specified for index: {index}"
        ))),
        (Some(t @ (ProjectionType::All | ProjectionType::KeysOnly)), Some(_)) => Err(invalid(format!(
            "ProjectionType is {}, but NonKeyAttributes is specified",
            t.as_str()
        ))),
        (None, _) => Err(invalid(format!("Unknown ProjectionType: null for index: {index}"))),
        _ => Ok(()),
    }
}

/// Seconds since the epoch, now (the mock's one clock for table times).
pub(crate) fn now_secs() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn index_from_gsi(
    g: &GlobalSecondaryIndex,
    defs: &[AttributeDefinition],
    billing: &BillingMode,
) -> Result<IndexMeta, Error> {
    let (hash, more_hash, range, more_range) =
        resolve_gsi_keys(&g.key_schema, defs, "globalSecondaryIndexes.member.keySchema")?;
    let projection = g.projection.clone().ok_or_else(|| {
        v("1 validation error detected: Value null at 'globalSecondaryIndexes.member.projection' failed to satisfy constraint: Member must not be null")
    })?;
    check_projection(&projection, &g.index_name)?;
    let throughput = match (billing, &g.provisioned_throughput) {
        (BillingMode::PayPerRequest, Some(_)) => {
            return Err(invalid(format!(
                "ProvisionedThroughput should not be specified for index: {} when BillingMode is PAY_PER_REQUEST",
                g.index_name
            )));
        }
        (BillingMode::PayPerRequest, None) => None,
        (_, Some(t)) => Some(check_throughput(
            t,
            "globalSecondaryIndexes.member.provisionedThroughput",
        )?),
        (_, None) => {
            return Err(invalid(format!(
                "ProvisionedThroughput must be specified for index: {}",
                g.index_name
            )));
        }
    };
    Ok(IndexMeta {
        name: g.index_name.clone(),
        global: true,
        hash,
        range,
        more_hash,
        more_range,
        projection,
        throughput,
    })
}

impl Catalog {
    /// The table named `name`, or ResourceNotFound.
    pub(crate) fn table(&self, name: &str) -> Result<TableRef, Error> {
        self.tables.read().get(name).cloned().ok_or_else(|| not_found(name))
    }

    /// The table named by an input's `TableName`, after checking the name.
    pub(crate) fn table_opt(&self, name: Option<&str>) -> Result<TableRef, Error> {
        self.table(check_name(name, "tableName")?)
    }

    /// `CreateTable`.
    pub(crate) fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        let name = check_table_name(input.table_name.as_deref(), "tableName")?;
        let defs = input.attribute_definitions.clone().unwrap_or_default();
        let schema = input.key_schema.clone().unwrap_or_default();
        if input.key_schema.is_none() {
            return Err(v(
                "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
            ));
        }
        if input.attribute_definitions.is_none() {
            return Err(v(
                "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
            ));
        }
        check_schema_shape(&schema, "keySchema")?;
        check_key_attribute_names(
            defs.iter()
                .map(|d| d.attribute_name.as_str())
                .chain(
                    input
                        .local_secondary_indexes
                        .iter()
                        .flatten()
                        .flat_map(|l| projected(&l.projection))
                        .map(String::as_str),
                )
                .chain(
                    input
                        .global_secondary_indexes
                        .iter()
                        .flatten()
                        .flat_map(|g| projected(&g.projection))
                        .map(String::as_str),
                ),
        )?;
        for (i, d) in defs.iter().enumerate() {
            if defs[..i].iter().any(|e| e.attribute_name == d.attribute_name) {
                return Err(invalid("Cannot have two attributes with the same name"));
            }
        }
        let (hash, range) = resolve_keys(&schema, &defs, "keySchema")?;
        let billing = input.billing_mode.clone().unwrap_or(BillingMode::Provisioned);
        let throughput = match (&billing, &input.provisioned_throughput) {
            // The real service rejects throughput on an on-demand table;
            // DynamoDB Local accepts and ignores it, and the mock follows Local.
            (BillingMode::PayPerRequest, _) => (0, 0),
            (BillingMode::Provisioned, Some(t)) => check_throughput(t, "provisionedThroughput")?,
            (BillingMode::Provisioned, None) => {
                return Err(invalid(
                    "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                ));
            }
            (other, _) => {
                return Err(v(format!(
                    "1 validation error detected: Value '{}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
                    other.as_str()
                )));
            }
        };
        let mut indexes = Vec::new();
        let lsis = input.local_secondary_indexes.clone().unwrap_or_default();
        if input.local_secondary_indexes.as_ref().is_some_and(Vec::is_empty) {
            return Err(invalid("List of LocalSecondaryIndexes is empty"));
        }
        if input.global_secondary_indexes.as_ref().is_some_and(Vec::is_empty) {
            return Err(invalid("List of GlobalSecondaryIndexes is empty"));
        }
        if !lsis.is_empty() && range.is_none() {
            return Err(invalid(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
        if lsis.len() > 5 {
            return Err(invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5"));
        }
        for l in &lsis {
            let (h, r) = resolve_keys(&l.key_schema, &defs, "localSecondaryIndexes.member.keySchema")?;
            if h.name != hash.name {
                return Err(invalid(format!(
                    "Index KeySchema does not have the same leading hash key as table KeySchema for index: {}. index hash key: {}, table hash key: {}",
                    l.index_name, h.name, hash.name
                )));
            }
            if r.is_none() {
                return Err(invalid(format!(
                    "Index KeySchema must have a range key for index: {}",
                    l.index_name
                )));
            }
            let projection = l.projection.clone().ok_or_else(|| {
                v("1 validation error detected: Value null at 'localSecondaryIndexes.member.projection' failed to satisfy constraint: Member must not be null")
            })?;
            check_projection(&projection, &l.index_name)?;
            indexes.push(IndexMeta {
                name: l.index_name.clone(),
                global: false,
                hash: h,
                range: r,
                more_hash: Vec::new(),
                more_range: Vec::new(),
                projection,
                throughput: None,
            });
        }
        let gsis = input.global_secondary_indexes.clone().unwrap_or_default();
        if gsis.len() > 20 {
            return Err(invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20"));
        }
        for g in &gsis {
            indexes.push(index_from_gsi(g, &defs, &billing)?);
        }
        for (i, idx) in indexes.iter().enumerate() {
            check_table_name(Some(&idx.name), "indexName")?;
            if indexes[..i].iter().any(|o| o.name == idx.name) {
                return Err(invalid(format!("Duplicate index name: {}", idx.name)));
            }
        }
        // Every attribute definition must be used by some key schema.
        let used = |n: &str| {
            hash.name == n || range.as_ref().is_some_and(|r| r.name == n) || indexes.iter().any(|i| i.has_key(n))
        };
        if defs.iter().any(|d| !used(&d.attribute_name)) {
            return Err(invalid(
                "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
            ));
        }
        let stream_view = match &input.stream_specification {
            Some(spec) => super::streams::check_spec(spec)?,
            None => None,
        };
        let n = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let created = now_secs();
        let last_pay_per_request = (billing == BillingMode::PayPerRequest).then_some(created);
        let meta = TableMeta {
            name: name.clone(),
            hash,
            range,
            attribute_definitions: defs,
            indexes,
            billing,
            throughput,
            created,
            id: format!("00000000-0000-4000-8000-{n:012x}"),
            ttl: None,
            deletion_protection: input.deletion_protection_enabled.unwrap_or(false),
            last_pay_per_request,
            restore: None,
        };
        let mut tables = self.tables.write();
        if tables.contains_key(&name) {
            return Err(Error::ResourceInUse(
                format!("Cannot create preexisting table: {name}").into(),
            ));
        }
        let mut data = TableData::new(meta.indexes.len());
        if let Some(view) = stream_view {
            let sink = self
                .streams
                .create(&name, key_schema(&meta.hash, meta.range.as_ref()), view);
            data.latest_stream = Some(sink.log().clone());
            data.stream = Some(sink);
        }
        let desc = describe(&meta, &data, TableStatus::Active);
        tables.insert(name, Arc::new(RwLock::new(TableState { meta, data })));
        Ok(CreateTableOutput::builder().table_description(desc).build())
    }

    /// `DescribeTable`.
    pub(crate) fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        let table = self.table_opt(input.table_name.as_deref())?;
        let t = table.read();
        Ok(DescribeTableOutput::builder()
            .table(describe(&t.meta, &t.data, TableStatus::Active))
            .build())
    }

    /// `DeleteTable`.
    pub(crate) fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        let name = check_table_name(input.table_name.as_deref(), "tableName")?;
        let table = {
            let mut tables = self.tables.write();
            let protected = tables
                .get(&name)
                .ok_or_else(|| not_found(&name))?
                .read()
                .meta
                .deletion_protection;
            if protected {
                return Err(v(DELETION_PROTECTED));
            }
            tables.remove(&name).ok_or_else(|| not_found(&name))?
        };
        let t = table.read();
        if let Some(sink) = &t.data.stream {
            self.streams.close(sink.log());
        }
        Ok(DeleteTableOutput::builder()
            // DynamoDB says DELETING; DynamoDB Local, which the mock follows, ACTIVE.
            .table_description(describe(&t.meta, &t.data, TableStatus::Active))
            .build())
    }

    /// Every table, by full name.
    pub(crate) fn tables(&self) -> Vec<(String, TableRef)> {
        self.tables.read().iter().map(|(n, t)| (n.clone(), t.clone())).collect()
    }

    /// `ListTables`.
    pub(crate) fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        let limit = input.limit.unwrap_or(100);
        if limit < 1 {
            return Err(v(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )));
        }
        if limit > 100 {
            return Err(v(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"
            )));
        }
        let tables = self.tables.read();
        let start = match &input.exclusive_start_table_name {
            Some(s) => std::ops::Bound::Excluded(s.clone()),
            None => std::ops::Bound::Unbounded,
        };
        let mut iter = tables
            .range((start, std::ops::Bound::Unbounded))
            .map(|(k, _)| k.clone());
        let names: Vec<String> = iter.by_ref().take(limit as usize).collect();
        let last = if iter.next().is_some() {
            names.last().cloned()
        } else {
            None
        };
        Ok(ListTablesOutput::builder()
            .set_table_names(Some(names))
            .set_last_evaluated_table_name(last)
            .build())
    }

    /// `UpdateTable`: billing mode, throughput, and global indexes.
    pub(crate) fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        let table = self.table_opt(input.table_name.as_deref())?;
        let mut guard = table.write();
        let state = &mut *guard;
        let gsi_updates = input.global_secondary_index_updates.clone().unwrap_or_default();
        if input.provisioned_throughput.is_none()
            && input.billing_mode.is_none()
            && gsi_updates.is_empty()
            && input.stream_specification.is_none()
            && input.sse_specification.is_none()
            && input.replica_updates.is_none()
            && input.deletion_protection_enabled.is_none()
            && input.table_class.is_none()
            && input.on_demand_throughput.is_none()
        {
            return Err(v(
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
            ));
        }
        let stream_change = match &input.stream_specification {
            Some(spec) => {
                let view = super::streams::check_spec(spec)?;
                match (&view, &state.data.stream) {
                    (Some(_), Some(_)) => return Err(v(super::streams::ALREADY_ENABLED)),
                    (None, None) => return Err(v(super::streams::NOTHING_TO_DISABLE)),
                    _ => Some(view),
                }
            }
            None => None,
        };
        let mut meta = state.meta.clone();
        if let Some(b) = &input.billing_mode {
            if *b == BillingMode::PayPerRequest && meta.billing != BillingMode::PayPerRequest {
                meta.last_pay_per_request = Some(now_secs());
            }
            meta.billing = b.clone();
        }
        if let Some(on) = input.deletion_protection_enabled {
            meta.deletion_protection = on;
        }
        match (&meta.billing, &input.provisioned_throughput) {
            (BillingMode::PayPerRequest, Some(_)) => {
                return Err(invalid(
                    "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
                ));
            }
            (BillingMode::PayPerRequest, None) => meta.throughput = (0, 0),
            (_, Some(t)) => {
                let new = check_throughput(t, "provisionedThroughput")?;
                // Unchanged throughput on a table already provisioned is
                // refused, `BillingMode: PROVISIONED` or not (DynamoDB Local).
                if new == state.meta.throughput
                    && state.meta.billing == BillingMode::Provisioned
                    && gsi_updates.is_empty()
                {
                    return Err(v(format!(
                        "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {}. Requested ReadCapacityUnits: {}. Current WriteCapacityUnits provisioned for the table: {}. Requested WriteCapacityUnits: {}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
                        state.meta.throughput.0, new.0, state.meta.throughput.1, new.1
                    )));
                }
                meta.throughput = new;
            }
            (_, None) => {
                if state.meta.billing == BillingMode::PayPerRequest {
                    return Err(invalid(
                        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                    ));
                }
            }
        }
        if let Some(defs) = &input.attribute_definitions {
            for d in defs {
                match meta
                    .attribute_definitions
                    .iter()
                    .find(|e| e.attribute_name == d.attribute_name)
                {
                    Some(e) if e.attribute_type != d.attribute_type => {
                        return Err(invalid(format!(
                            "Cannot update attribute {}. This attribute is part of the key",
                            d.attribute_name
                        )));
                    }
                    Some(_) => {}
                    None => meta.attribute_definitions.push(d.clone()),
                }
            }
        }
        let mut added = Vec::new();
        for u in &gsi_updates {
            if let Some(c) = &u.create {
                if meta.indexes.iter().any(|i| i.name == c.index_name) {
                    return Err(invalid(format!(
                        "Attempting to create an index which already exists: {}",
                        c.index_name
                    )));
                }
                let gsi = GlobalSecondaryIndex::builder()
                    .index_name(&c.index_name)
                    .set_key_schema(Some(c.key_schema.clone()))
                    .set_projection(c.projection.clone())
                    .set_provisioned_throughput(c.provisioned_throughput.clone())
                    .build()
                    .map_err(|e| v(e.to_string()))?;
                meta.indexes
                    .push(index_from_gsi(&gsi, &meta.attribute_definitions, &meta.billing)?);
                added.push(meta.indexes.len() - 1);
            } else if let Some(d) = &u.delete {
                let pos = meta
                    .indexes
                    .iter()
                    .position(|i| i.global && i.name == d.index_name)
                    .ok_or_else(|| {
                        Error::ResourceNotFound(
                            format!("Requested resource not found: Index: {} not found", d.index_name).into(),
                        )
                    })?;
                meta.indexes.remove(pos);
                state.data.indexes.remove(pos);
                added.iter_mut().for_each(|a| {
                    if *a > pos {
                        *a -= 1
                    }
                });
            } else if let Some(up) = &u.update {
                let idx = meta
                    .indexes
                    .iter_mut()
                    .find(|i| i.global && i.name == up.index_name)
                    .ok_or_else(|| {
                        Error::ResourceNotFound(
                            format!("Requested resource not found: Index: {} not found", up.index_name).into(),
                        )
                    })?;
                if let Some(t) = &up.provisioned_throughput {
                    idx.throughput = Some(check_throughput(
                        t,
                        "globalSecondaryIndexUpdates.member.update.provisionedThroughput",
                    )?);
                }
            }
        }
        // Drop attribute definitions no key uses any more.
        let used = |n: &str, m: &TableMeta| {
            m.hash.name == n || m.range.as_ref().is_some_and(|r| r.name == n) || m.indexes.iter().any(|i| i.has_key(n))
        };
        let keep: Vec<AttributeDefinition> = meta
            .attribute_definitions
            .iter()
            .filter(|d| used(&d.attribute_name, &meta))
            .cloned()
            .collect();
        meta.attribute_definitions = keep;
        // Switching to provisioned: global indexes need throughput.
        if meta.billing == BillingMode::Provisioned {
            for i in meta.indexes.iter_mut().filter(|i| i.global && i.throughput.is_none()) {
                i.throughput = Some(meta.throughput);
            }
        } else {
            meta.indexes.iter_mut().for_each(|i| i.throughput = None);
        }
        for &i in &added {
            state.data.indexes.insert(i, Default::default());
        }
        state.meta = meta;
        for &i in &added {
            state.data.backfill_index(&state.meta, i);
        }
        match stream_change {
            Some(Some(view)) => {
                let keys = key_schema(&state.meta.hash, state.meta.range.as_ref());
                let sink = self.streams.create(&state.meta.name, keys, view);
                state.data.latest_stream = Some(sink.log().clone());
                state.data.stream = Some(sink);
            }
            Some(None) => {
                if let Some(sink) = state.data.stream.take() {
                    self.streams.close(sink.log());
                }
            }
            None => {}
        }
        Ok(UpdateTableOutput::builder()
            .table_description(describe(&state.meta, &state.data, TableStatus::Active))
            .build())
    }
}

/// A table's ARN in the mock's region and account.
pub(crate) fn table_arn(name: &str) -> String {
    format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}")
}

/// The key schema of a table (or an index) of one hash and one range key.
pub(crate) fn key_schema(hash: &KeyAttr, range: Option<&KeyAttr>) -> Vec<KeySchemaElement> {
    key_schema_of(std::iter::once(hash), range)
}

/// The key schema of `hashes` then `ranges`.
pub(crate) fn key_schema_of<'k>(
    hashes: impl IntoIterator<Item = &'k KeyAttr>,
    ranges: impl IntoIterator<Item = &'k KeyAttr>,
) -> Vec<KeySchemaElement> {
    let element = |k: &KeyAttr, t: aws_sdk_dynamodb::types::KeyType| {
        KeySchemaElement::builder()
            .attribute_name(&k.name)
            .key_type(t)
            .build()
            .expect("name and type set")
    };
    let hashes = hashes
        .into_iter()
        .map(|k| element(k, aws_sdk_dynamodb::types::KeyType::Hash));
    let ranges = ranges
        .into_iter()
        .map(|k| element(k, aws_sdk_dynamodb::types::KeyType::Range));
    hashes.chain(ranges).collect()
}

fn throughput_desc(t: (i64, i64)) -> ProvisionedThroughputDescription {
    ProvisionedThroughputDescription::builder()
        .read_capacity_units(t.0)
        .write_capacity_units(t.1)
        .number_of_decreases_today(0)
        .build()
}

/// The `TableDescription` of a table.
pub(crate) fn describe(meta: &TableMeta, data: &TableData, status: TableStatus) -> TableDescription {
    let arn = table_arn(&meta.name);
    let created = DateTime::from_secs_f64(meta.created);
    let mut gsis = Vec::new();
    let mut lsis = Vec::new();
    for (i, idx) in meta.indexes.iter().enumerate() {
        let stats = data.indexes.get(i);
        let count = stats.map_or(0, |s| s.item_count as i64);
        let size = stats.map_or(0, |s| s.size_bytes as i64);
        let index_arn = format!("{arn}/index/{}", idx.name);
        if idx.global {
            gsis.push(
                GlobalSecondaryIndexDescription::builder()
                    .index_name(&idx.name)
                    .set_key_schema(Some(key_schema_of(idx.hash_attrs(), idx.range_attrs())))
                    .projection(idx.projection.clone())
                    .index_status(IndexStatus::Active)
                    // Only a provisioned table's global indexes have throughput
                    // (DynamoDB Local describes none on an on-demand table).
                    // (DynamoDB Local counts no decreases on an index).
                    .set_provisioned_throughput(idx.throughput.map(|(r, w)| {
                        ProvisionedThroughputDescription::builder()
                            .read_capacity_units(r)
                            .write_capacity_units(w)
                            .build()
                    }))
                    .index_size_bytes(size)
                    .item_count(count)
                    .index_arn(index_arn)
                    .build(),
            );
        } else {
            lsis.push(
                LocalSecondaryIndexDescription::builder()
                    .index_name(&idx.name)
                    .set_key_schema(Some(key_schema(&idx.hash, idx.range.as_ref())))
                    .projection(idx.projection.clone())
                    .index_size_bytes(size)
                    .item_count(count)
                    .index_arn(index_arn)
                    .build(),
            );
        }
    }
    let mut b = TableDescription::builder()
        .table_name(&meta.name)
        .set_attribute_definitions(Some(meta.attribute_definitions.clone()))
        .set_key_schema(Some(key_schema(&meta.hash, meta.range.as_ref())))
        .table_status(status)
        .creation_date_time(created)
        .provisioned_throughput(throughput_desc(meta.throughput))
        .table_size_bytes(data.size_bytes as i64)
        .item_count(data.item_count as i64)
        .table_arn(arn)
        .table_id(&meta.id)
        .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
        .set_local_secondary_indexes((!lsis.is_empty()).then_some(lsis))
        .deletion_protection_enabled(meta.deletion_protection)
        .set_restore_summary(meta.restore.clone());
    // DynamoDB Streams: the enabled stream's specification, and the latest
    // stream's ARN and label (kept after it is disabled).
    if let Some(sink) = &data.stream {
        let log = sink.log().lock();
        b = b.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(log.view().clone())
                .build()
                .expect("stream_enabled is set"),
        );
    }
    if let Some(latest) = &data.latest_stream {
        let log = latest.lock();
        b = b.latest_stream_arn(log.arn()).latest_stream_label(log.label());
    }
    // DynamoDB Local describes the billing mode of a table that is, or has
    // been, on demand; not that of a table always provisioned.
    if let Some(at) = meta.last_pay_per_request {
        b = b.billing_mode_summary(
            BillingModeSummary::builder()
                .billing_mode(meta.billing.clone())
                .last_update_to_pay_per_request_date_time(DateTime::from_secs_f64(at))
                .build(),
        );
    }
    b.build()
}
