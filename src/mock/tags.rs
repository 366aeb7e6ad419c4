//! Tags on tables (`TagResource`, `UntagResource`, `ListTagsOfResource`),
//! kept by the engine so that the in-process mock and the mock server answer
//! alike. A resource is named by its table ARN
//! (`arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`), which must be the ARN of a
//! table that exists; a table's tags go with it when it is deleted. An ARN
//! of another account is refused (AccessDenied), as the real service does.
//! DynamoDB Local has no tagging at all (`UnknownOperationException`): these
//! follow the real service.

use std::collections::{BTreeMap, HashMap};

use parking_lot::Mutex;

use super::catalog::{ACCOUNT, Catalog};
use crate::Error;
use crate::sdk::*;

/// The tags of every table, by table name (in key order within a table).
#[derive(Debug, Default)]
pub(crate) struct Tags {
    by_table: Mutex<HashMap<String, BTreeMap<String, String>>>,
}

impl Tags {
    /// Sets the tags a table was created with (a key given twice keeps its
    /// last value).
    pub(crate) fn created(&self, name: &str, tags: Vec<Tag>) {
        if tags.is_empty() {
            return;
        }
        let mut by_table = self.by_table.lock();
        let entry = by_table.entry(name.to_string()).or_default();
        for tag in tags {
            entry.insert(tag.key, tag.value);
        }
    }

    /// Forgets the tags of the table `name` (it has been deleted).
    pub(crate) fn forget(&self, name: &str) {
        self.by_table.lock().remove(name);
    }
}

/// DynamoDB's answer to an ARN that names no table of this account, or a
/// table that does not exist (DynamoDB's spelling: "ResourcArn").
fn arn_not_found(arn: &str) -> Error {
    Error::ResourceNotFound(format!("Requested resource not found: ResourcArn: {arn} not found").into())
}

/// DynamoDB's answer to an ARN of another account's table: the caller (the
/// mock's account) has no permission on it, whether it exists or not.
fn access_denied(arn: &str, action: &str) -> Error {
    Error::Service {
        code: "AccessDeniedException".to_string(),
        message: format!(
            "User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: dynamodb:{action} on resource: {arn} because no resource-based policy allows the dynamodb:{action} action"
        )
        .into(),
    }
}

/// The name of the table an ARN names, which must exist with that very ARN.
pub(crate) fn table_of_arn(catalog: &Catalog, arn: Option<&str>, action: &str) -> Result<String, Error> {
    let arn = arn.unwrap_or_default();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (account, name) = match parts.as_slice() {
        ["arn", _, "dynamodb", _, account, resource] => {
            (*account, resource.strip_prefix("table/").filter(|n| !n.contains('/')))
        }
        _ => ("", None),
    };
    let Some(name) = name else {
        return Err(Error::Validation(
            format!("Invalid TableArn: Invalid ResourceArn provided as input {arn}").into(),
        ));
    };
    if account != ACCOUNT {
        return Err(access_denied(arn, action));
    }
    let input = DescribeTableInput::builder().table_name(name).build()?;
    let described = catalog.describe_table(input).map_err(|_| arn_not_found(arn))?;
    if described.table.as_ref().and_then(|t| t.table_arn()) != Some(arn) {
        return Err(arn_not_found(arn));
    }
    Ok(name.to_string())
}

/// `TagResource`: adds the tags (a key already set takes the new value).
pub(crate) fn tag_resource(
    catalog: &Catalog,
    tags: &Tags,
    input: TagResourceInput,
) -> Result<TagResourceOutput, Error> {
    let table = table_of_arn(catalog, input.resource_arn.as_deref(), "TagResource")?;
    let mut by_table = tags.by_table.lock();
    let entry = by_table.entry(table).or_default();
    for tag in input.tags.unwrap_or_default() {
        entry.insert(tag.key, tag.value);
    }
    Ok(TagResourceOutput::builder().build())
}

/// `UntagResource`: removes the tags with these keys (a key not set is no error).
pub(crate) fn untag_resource(
    catalog: &Catalog,
    tags: &Tags,
    input: UntagResourceInput,
) -> Result<UntagResourceOutput, Error> {
    let table = table_of_arn(catalog, input.resource_arn.as_deref(), "UntagResource")?;
    if let Some(entry) = tags.by_table.lock().get_mut(&table) {
        for key in input.tag_keys.unwrap_or_default() {
            entry.remove(&key);
        }
    }
    Ok(UntagResourceOutput::builder().build())
}

/// `ListTagsOfResource`: every tag of the table, in key order, on one page.
pub(crate) fn list_tags_of_resource(
    catalog: &Catalog,
    tags: &Tags,
    input: ListTagsOfResourceInput,
) -> Result<ListTagsOfResourceOutput, Error> {
    let table = table_of_arn(catalog, input.resource_arn.as_deref(), "ListTagsOfResource")?;
    let list: Vec<Tag> = tags
        .by_table
        .lock()
        .get(&table)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
                .collect()
        })
        .unwrap_or_default();
    Ok(ListTagsOfResourceOutput::builder().set_tags(Some(list)).build())
}

#[cfg(test)]
mod tests;
