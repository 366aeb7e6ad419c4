//! On-demand backups: `CreateBackup`, `DescribeBackup`, `ListBackups`,
//! `DeleteBackup` and `RestoreTableFromBackup`, and the restore that
//! point-in-time recovery (`pitr.rs`) shares.
//!
//! DynamoDB Local has none of these (`UnknownOperationException`); the mock
//! follows the real service's API reference. A backup is a copy of the
//! table's schema and items taken at `CreateBackup` (it costs the memory of
//! the items it holds, until `DeleteBackup`); it outlives its table, as on
//! the service. Backups are `AVAILABLE` at once and of type `USER`; a
//! restore is complete when it returns (the service answers `CREATING` and
//! restores in the background). DescribeTable of a restored table carries
//! its `RestoreSummary`. Tags, TTL, streams and the resource policy are not
//! restored, as on the service.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_dynamodb::primitives::DateTime;
use parking_lot::Mutex;

use super::catalog::{self, Catalog};
use super::encoding::Stored;
use super::items::null;
use super::keys::PrimaryKey;
use super::meta::TableMeta;
use super::validate::{Validate, Violations, resolve_table_name};
use crate::Error;
use crate::sdk::*;

/// The service's error for a table that does not exist, as the backup and
/// point-in-time operations name it.
pub(crate) const TABLE_NOT_FOUND: &str = "TableNotFoundException";
/// The service's error for a restore onto a table that exists.
pub(crate) const TABLE_ALREADY_EXISTS: &str = "TableAlreadyExistsException";
/// The service's error for a backup ARN that names no backup.
pub(crate) const BACKUP_NOT_FOUND: &str = "BackupNotFoundException";

/// The most backups one `ListBackups` page holds, and the default.
const MAX_LIST_LIMIT: i32 = 100;

/// `TableNotFoundException` for the table `name`.
pub(crate) fn table_not_found(name: &str) -> Error {
    Error::Service {
        code: TABLE_NOT_FOUND.into(),
        message: format!("Table not found: {name}").into(),
    }
}

fn backup_not_found(arn: &str) -> Error {
    Error::Service {
        code: BACKUP_NOT_FOUND.into(),
        message: format!("Backup not found: {arn}").into(),
    }
}

pub(crate) use catalog::now_secs;

pub(crate) use catalog::table_arn;

/// A table's items, copied.
pub(crate) type Snapshot = Vec<(PrimaryKey, Stored)>;

/// One backup: the table as it was, and what describes it.
#[derive(Debug)]
struct Backup {
    arn: String,
    name: String,
    created: f64,
    meta: TableMeta,
    size_bytes: i64,
    items: Snapshot,
}

/// Every backup, in creation order (the order `ListBackups` lists them in
/// and pages through), and where each ARN is in it.
#[derive(Debug, Default)]
pub(crate) struct Backups {
    all: Mutex<Store>,
    counter: AtomicU64,
}

#[derive(Debug, Default)]
struct Store {
    by_seq: BTreeMap<u64, Backup>,
    by_arn: HashMap<String, u64>,
}

impl Store {
    fn get(&self, arn: &str) -> Option<&Backup> {
        self.by_seq.get(self.by_arn.get(arn)?)
    }

    fn remove(&mut self, arn: &str) -> Option<Backup> {
        self.by_seq.remove(&self.by_arn.remove(arn)?)
    }
}

/// The milliseconds an ARN of this module's form carries
/// (`.../backup/<14 digits>-<8 hex>`).
fn arn_millis(arn: &str) -> Option<u64> {
    let (_, id) = arn.rsplit_once("/backup/")?;
    let (ms, _) = id.split_once('-')?;
    ms.parse().ok()
}

/// The 8 hex digits that make an ARN unique: the counter, mixed
/// (SplitMix64's finaliser), so that ids taken in the same millisecond
/// differ.
fn suffix(n: u64) -> u32 {
    let mut z = n.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as u32
}

fn key_schema(meta: &TableMeta) -> Vec<KeySchemaElement> {
    catalog::key_schema(&meta.hash, meta.range.as_ref())
}

/// Every key attribute of an index, multi-attribute keys included.
fn index_key_schema(index: &super::meta::IndexMeta) -> Vec<KeySchemaElement> {
    catalog::key_schema_of(index.hash_attrs(), index.range_attrs())
}

fn throughput(t: (i64, i64)) -> Option<ProvisionedThroughput> {
    ProvisionedThroughput::builder()
        .read_capacity_units(t.0)
        .write_capacity_units(t.1)
        .build()
        .ok()
}

impl Backup {
    fn details(&self, status: BackupStatus) -> Result<BackupDetails, Error> {
        Ok(BackupDetails::builder()
            .backup_arn(&self.arn)
            .backup_name(&self.name)
            .backup_size_bytes(self.size_bytes)
            .backup_status(status)
            .backup_type(BackupType::User)
            .backup_creation_date_time(DateTime::from_secs_f64(self.created))
            .build()?)
    }

    fn description(&self, status: BackupStatus) -> Result<BackupDescription, Error> {
        let meta = &self.meta;
        let source = SourceTableDetails::builder()
            .table_name(&meta.name)
            .table_id(&meta.id)
            .table_arn(table_arn(&meta.name))
            .table_size_bytes(self.size_bytes)
            .set_key_schema(Some(key_schema(meta)))
            .table_creation_date_time(DateTime::from_secs_f64(meta.created))
            .set_provisioned_throughput(throughput(meta.throughput))
            .item_count(self.items.len() as i64)
            .billing_mode(meta.billing.clone())
            .build()?;
        let lsis: Vec<LocalSecondaryIndexInfo> = meta
            .indexes
            .iter()
            .filter(|i| !i.global)
            .map(|i| {
                LocalSecondaryIndexInfo::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(index_key_schema(i)))
                    .projection(i.projection.clone())
                    .build()
            })
            .collect();
        let gsis: Vec<GlobalSecondaryIndexInfo> = meta
            .indexes
            .iter()
            .filter(|i| i.global)
            .map(|i| {
                GlobalSecondaryIndexInfo::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(index_key_schema(i)))
                    .projection(i.projection.clone())
                    .set_provisioned_throughput(i.throughput.and_then(throughput))
                    .build()
            })
            .collect();
        let ttl = meta.ttl.as_ref().map(|name| {
            TimeToLiveDescription::builder()
                .time_to_live_status(TimeToLiveStatus::Enabled)
                .attribute_name(name)
                .build()
        });
        let features = SourceTableFeatureDetails::builder()
            .set_local_secondary_indexes((!lsis.is_empty()).then_some(lsis))
            .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
            .set_time_to_live_description(ttl)
            .build();
        Ok(BackupDescription::builder()
            .backup_details(self.details(status)?)
            .source_table_details(source)
            .source_table_feature_details(features)
            .build())
    }

    fn summary(&self) -> BackupSummary {
        BackupSummary::builder()
            .table_name(&self.meta.name)
            .table_id(&self.meta.id)
            .table_arn(table_arn(&self.meta.name))
            .backup_arn(&self.arn)
            .backup_name(&self.name)
            .backup_creation_date_time(DateTime::from_secs_f64(self.created))
            .backup_status(BackupStatus::Available)
            .backup_type(BackupType::User)
            .backup_size_bytes(self.size_bytes)
            .build()
    }
}

impl Validate for CreateBackupInput {
    fn validate(&mut self) -> Result<(), Error> {
        // A table ARN stands for its table, as in every operation.
        resolve_table_name(&mut self.table_name)?;
        catalog::check_name(self.table_name.as_deref(), "tableName")?;
        catalog::check_name(self.backup_name.as_deref(), "backupName")?;
        Ok(())
    }
}

impl Validate for DescribeBackupInput {
    fn validate(&mut self) -> Result<(), Error> {
        self.backup_arn.as_ref().map(|_| ()).ok_or_else(|| null("backupArn"))
    }
}

impl Validate for DeleteBackupInput {
    fn validate(&mut self) -> Result<(), Error> {
        self.backup_arn.as_ref().map(|_| ()).ok_or_else(|| null("backupArn"))
    }
}

impl Validate for ListBackupsInput {
    fn validate(&mut self) -> Result<(), Error> {
        let mut violations = Violations::default();
        if let Some(name) = self.table_name.as_deref() {
            catalog::check_name(Some(name), "tableName")?;
        }
        if let Some(limit) = self.limit {
            let text = limit.to_string();
            if limit < 1 {
                violations.push(
                    Some(&text),
                    "limit",
                    "Member must have value greater than or equal to 1",
                );
            } else if limit > MAX_LIST_LIMIT {
                violations.push(
                    Some(&text),
                    "limit",
                    &format!("Member must have value less than or equal to {MAX_LIST_LIMIT}"),
                );
            }
        }
        if let Some(filter) = &self.backup_type
            && !BackupTypeFilter::values().contains(&filter.as_str())
        {
            violations.push(
                Some(filter.as_str()),
                "backupType",
                "Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]",
            );
        }
        violations.finish()
    }
}

impl Validate for RestoreTableFromBackupInput {
    fn validate(&mut self) -> Result<(), Error> {
        catalog::check_name(self.target_table_name.as_deref(), "targetTableName")?;
        self.backup_arn.as_ref().map(|_| ()).ok_or_else(|| null("backupArn"))
    }
}

/// `CreateBackup`: copies the table's schema and items.
pub(crate) fn create_backup(
    catalog: &Catalog,
    backups: &Backups,
    input: CreateBackupInput,
) -> Result<CreateBackupOutput, Error> {
    let name = input.table_name.unwrap_or_default();
    let table = catalog.table(&name).map_err(|_| table_not_found(&name))?;
    let (meta, size_bytes, items) = {
        let t = table.read();
        let items: Snapshot = t
            .data
            .partitions
            .iter()
            .flat_map(|(h, part)| part.iter().map(move |(r, s)| ((h.clone(), r.clone()), s.clone())))
            .collect();
        (t.meta.clone(), t.data.size_bytes as i64, items)
    };
    let created = now_secs();
    let millis = (created * 1000.0) as u64;
    let n = backups.counter.fetch_add(1, Ordering::Relaxed);
    let arn = format!("{}/backup/{millis:014}-{:08x}", table_arn(&name), suffix(n));
    let backup = Backup {
        arn: arn.clone(),
        name: input.backup_name.unwrap_or_default(),
        created,
        meta,
        size_bytes,
        items,
    };
    let details = backup.details(BackupStatus::Available)?;
    let mut all = backups.all.lock();
    all.by_arn.insert(arn, n);
    all.by_seq.insert(n, backup);
    Ok(CreateBackupOutput::builder().backup_details(details).build())
}

/// `DescribeBackup`.
pub(crate) fn describe_backup(backups: &Backups, input: DescribeBackupInput) -> Result<DescribeBackupOutput, Error> {
    let arn = input.backup_arn.unwrap_or_default();
    let all = backups.all.lock();
    let backup = all.get(&arn).ok_or_else(|| backup_not_found(&arn))?;
    Ok(DescribeBackupOutput::builder()
        .backup_description(backup.description(BackupStatus::Available)?)
        .build())
}

/// `DeleteBackup`: forgets the backup, answering its description (status
/// `DELETED`).
pub(crate) fn delete_backup(backups: &Backups, input: DeleteBackupInput) -> Result<DeleteBackupOutput, Error> {
    let arn = input.backup_arn.unwrap_or_default();
    let backup = backups.all.lock().remove(&arn).ok_or_else(|| backup_not_found(&arn))?;
    Ok(DeleteBackupOutput::builder()
        .backup_description(backup.description(BackupStatus::Deleted)?)
        .build())
}

/// `ListBackups`: oldest first; `TimeRangeLowerBound` inclusive,
/// `TimeRangeUpperBound` exclusive; `BackupType` `USER` (the default) or
/// `ALL` lists every backup (all are the user's), `SYSTEM` and `AWS_BACKUP`
/// none. `LastEvaluatedBackupArn` is set when more backups follow the page.
pub(crate) fn list_backups(backups: &Backups, input: ListBackupsInput) -> Result<ListBackupsOutput, Error> {
    let limit = input.limit.unwrap_or(MAX_LIST_LIMIT).clamp(1, MAX_LIST_LIMIT) as usize;
    let user = matches!(
        input.backup_type.as_ref().unwrap_or(&BackupTypeFilter::User),
        BackupTypeFilter::User | BackupTypeFilter::All
    );
    let lower = input.time_range_lower_bound.map(|t| t.as_secs_f64());
    let upper = input.time_range_upper_bound.map(|t| t.as_secs_f64());
    let all = backups.all.lock();
    // After the start backup; one deleted since: after the milliseconds its
    // ARN carries.
    let (start, after_millis) = match input.exclusive_start_backup_arn.as_deref() {
        Some(arn) => match all.by_arn.get(arn) {
            Some(&seq) => (std::ops::Bound::Excluded(seq), None),
            None => {
                let ms = arn_millis(arn)
                    .ok_or_else(|| Error::Validation(format!("Invalid ExclusiveStartBackupArn: {arn}").into()))?;
                (std::ops::Bound::Unbounded, Some(ms as f64 / 1000.0))
            }
        },
        None => (std::ops::Bound::Unbounded, None),
    };
    let mut matching = all
        .by_seq
        .range((start, std::ops::Bound::Unbounded))
        .map(|(_, b)| b)
        .filter(|b| after_millis.is_none_or(|t| b.created >= t + 0.001))
        .filter(|_| user)
        .filter(|b| input.table_name.as_deref().is_none_or(|t| b.meta.name == t))
        .filter(|b| lower.is_none_or(|l| b.created >= l))
        .filter(|b| upper.is_none_or(|u| b.created < u));
    let page: Vec<BackupSummary> = matching.by_ref().take(limit).map(Backup::summary).collect();
    let last = if matching.next().is_some() {
        page.last().and_then(|s| s.backup_arn.clone())
    } else {
        None
    };
    Ok(ListBackupsOutput::builder()
        .set_backup_summaries(Some(page))
        .set_last_evaluated_backup_arn(last)
        .build())
}

/// What a restore may change of the source table's settings.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    /// `BillingModeOverride`.
    pub billing: Option<BillingMode>,
    /// `GlobalSecondaryIndexOverride`: the restored table's global indexes
    /// (an empty list: none).
    pub gsis: Option<Vec<GlobalSecondaryIndex>>,
    /// `LocalSecondaryIndexOverride`.
    pub lsis: Option<Vec<LocalSecondaryIndex>>,
    /// `ProvisionedThroughputOverride`.
    pub throughput: Option<ProvisionedThroughput>,
}

/// The restored table's `CreateTable`: the source's keys and indexes, as
/// overridden; the attribute definitions the keys use.
fn create_input(meta: &TableMeta, target: &str, o: Overrides) -> Result<CreateTableInput, Error> {
    let billing = o.billing.unwrap_or_else(|| meta.billing.clone());
    let provisioned = billing == BillingMode::Provisioned;
    let table_throughput = match o.throughput {
        Some(t) => Some(t),
        None if provisioned && meta.throughput != (0, 0) => throughput(meta.throughput),
        None => None,
    };
    let lsis = o.lsis.unwrap_or_else(|| {
        meta.indexes
            .iter()
            .filter(|i| !i.global)
            .filter_map(|i| {
                LocalSecondaryIndex::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(index_key_schema(i)))
                    .projection(i.projection.clone())
                    .build()
                    .ok()
            })
            .collect()
    });
    let gsis = o.gsis.unwrap_or_else(|| {
        meta.indexes
            .iter()
            .filter(|i| i.global)
            .filter_map(|i| {
                GlobalSecondaryIndex::builder()
                    .index_name(&i.name)
                    .set_key_schema(Some(index_key_schema(i)))
                    .projection(i.projection.clone())
                    .set_provisioned_throughput(i.throughput.and_then(throughput))
                    .build()
                    .ok()
            })
            .collect()
    });
    // A global index follows the restored table's billing: no throughput on
    // demand, the table's when provisioned and none is given.
    let gsis: Vec<GlobalSecondaryIndex> = gsis
        .into_iter()
        .map(|mut g| {
            if !provisioned {
                g.provisioned_throughput = None;
            } else if g.provisioned_throughput.is_none() {
                g.provisioned_throughput = table_throughput.clone();
            }
            g
        })
        .collect();
    let key_names: Vec<String> = key_schema(meta)
        .iter()
        .chain(lsis.iter().flat_map(|l| l.key_schema.iter()))
        .chain(gsis.iter().flat_map(|g| g.key_schema.iter()))
        .map(|k| k.attribute_name.clone())
        .collect();
    let defs: Vec<AttributeDefinition> = meta
        .attribute_definitions
        .iter()
        .filter(|d| key_names.contains(&d.attribute_name))
        .cloned()
        .collect();
    Ok(CreateTableInput::builder()
        .table_name(target)
        .set_attribute_definitions(Some(defs))
        .set_key_schema(Some(key_schema(meta)))
        .set_local_secondary_indexes((!lsis.is_empty()).then_some(lsis))
        .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
        .billing_mode(billing)
        .set_provisioned_throughput(table_throughput)
        .build()?)
}

/// Creates the table `target` from `meta` (as overridden) holding `items`,
/// with `summary` as its `RestoreSummary`, and answers its description.
pub(crate) fn restore(
    catalog: &Catalog,
    meta: &TableMeta,
    items: Snapshot,
    target: &str,
    overrides: Overrides,
    summary: RestoreSummary,
) -> Result<TableDescription, Error> {
    let already = || Error::Service {
        code: TABLE_ALREADY_EXISTS.into(),
        message: format!("Table already exists: {target}").into(),
    };
    if catalog.table(target).is_ok() {
        return Err(already());
    }
    let input = create_input(meta, target, overrides)?;
    catalog.create_table(input).map_err(|e| match e {
        Error::ResourceInUse(_) => already(),
        other => other,
    })?;
    let table = catalog.table(target)?;
    let mut t = table.write();
    let state = &mut *t;
    for (key, stored) in items {
        let size = stored.size();
        state.data.put(&state.meta, key, &stored.decode(), size);
    }
    state.meta.restore = Some(summary);
    Ok(catalog::describe(&state.meta, &state.data, TableStatus::Active))
}

/// `RestoreTableFromBackup`.
pub(crate) fn restore_table_from_backup(
    catalog: &Catalog,
    backups: &Backups,
    input: RestoreTableFromBackupInput,
) -> Result<RestoreTableFromBackupOutput, Error> {
    let arn = input.backup_arn.unwrap_or_default();
    let target = input.target_table_name.unwrap_or_default();
    let (meta, items) = {
        let all = backups.all.lock();
        let b = all.get(&arn).ok_or_else(|| backup_not_found(&arn))?;
        (b.meta.clone(), b.items.clone())
    };
    let summary = RestoreSummary::builder()
        .source_backup_arn(&arn)
        .source_table_arn(table_arn(&meta.name))
        .restore_date_time(DateTime::from_secs_f64(now_secs()))
        .restore_in_progress(false)
        .build()?;
    let overrides = Overrides {
        billing: input.billing_mode_override,
        gsis: input.global_secondary_index_override,
        lsis: input.local_secondary_index_override,
        throughput: input.provisioned_throughput_override,
    };
    let description = restore(catalog, &meta, items, &target, overrides, summary)?;
    Ok(RestoreTableFromBackupOutput::builder()
        .table_description(description)
        .build())
}

#[cfg(test)]
mod tests;
