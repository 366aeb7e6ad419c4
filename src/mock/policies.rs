//! Resource-based policies on tables: `PutResourcePolicy`,
//! `GetResourcePolicy` and `DeleteResourcePolicy`.
//!
//! DynamoDB Local has none of these (`UnknownOperationException`); the mock
//! follows the real service's API reference. A policy is kept and returned,
//! with a `RevisionId` that changes with every put, and `ExpectedRevisionId`
//! (or `NO_POLICY`) is honoured; but a policy is **not enforced**: the mock
//! allows every request whatever the policies say, and does not check the
//! policy document. A resource is named by its table ARN, which must be the
//! ARN of a table that exists (as for tags); a policy goes with its table
//! (a table created again under the same name has none). The
//! `ResourcePolicy` given to `CreateTable` is kept as if put.

use std::collections::HashMap;

use parking_lot::Mutex;

use super::catalog::Catalog;
use super::items::null;
use super::tags::table_of_arn;
use super::validate::Validate;
use crate::Error;
use crate::sdk::*;

/// The service's error for a policy that is not there, or not at the
/// revision expected.
pub(crate) const POLICY_NOT_FOUND: &str = "PolicyNotFoundException";
/// The `ExpectedRevisionId` that asks for a put only when there is no policy.
pub(crate) const NO_POLICY: &str = "NO_POLICY";

/// One table's policy.
#[derive(Debug, Clone)]
struct Policy {
    /// The `TableId` of the table it was put on.
    table_id: String,
    document: String,
    revision: String,
}

/// Every table's policy, by table ARN.
#[derive(Debug, Default)]
pub(crate) struct Policies {
    by_arn: Mutex<HashMap<String, Policy>>,
    /// The last revision id handed out (epoch milliseconds, or one more than
    /// the last when the clock has not moved on).
    last_revision: Mutex<u64>,
}

fn not_found(arn: &str) -> Error {
    Error::Service {
        code: POLICY_NOT_FOUND.into(),
        message: format!("Resource-based policy not found for the provided ResourceArn: {arn}").into(),
    }
}

fn revision_mismatch(arn: &str, expected: &str, current: Option<&str>) -> Error {
    Error::Service {
        code: POLICY_NOT_FOUND.into(),
        message: format!(
            "Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id {expected}, but the policy associated to target table {arn} has revision id {}",
            current.unwrap_or(NO_POLICY)
        )
        .into(),
    }
}

impl Policies {
    /// Keeps the `ResourcePolicy` a table was created with (DynamoDB Local
    /// accepts it and keeps nothing; the service attaches it).
    pub(crate) fn created(&self, table: Option<&TableDescription>, policy: Option<String>) {
        let (Some(t), Some(document)) = (table, policy) else {
            return;
        };
        let (Some(arn), Some(id)) = (t.table_arn(), t.table_id()) else {
            return;
        };
        let revision = self.next_revision();
        let policy = Policy {
            table_id: id.to_string(),
            document,
            revision,
        };
        self.by_arn.lock().insert(arn.to_string(), policy);
    }

    fn next_revision(&self) -> String {
        let now = (super::backups::now_secs() * 1000.0) as u64;
        let mut last = self.last_revision.lock();
        *last = now.max(*last + 1);
        last.to_string()
    }
}

/// The table's ARN, checked, and its `TableId`.
fn resource(catalog: &Catalog, arn: Option<&str>, action: &str) -> Result<(String, String), Error> {
    let name = table_of_arn(catalog, arn, action)?;
    let id = catalog.table(&name)?.read().meta.id.clone();
    Ok((arn.unwrap_or_default().to_string(), id))
}

/// The policy of the table `id` at `arn`, dropping one left by a table of
/// that name deleted since.
fn current<'p>(all: &'p mut HashMap<String, Policy>, arn: &str, id: &str) -> Option<&'p Policy> {
    if all.get(arn).is_some_and(|p| p.table_id != id) {
        all.remove(arn);
    }
    all.get(arn)
}

/// Checks `ExpectedRevisionId` against the policy there is.
fn check_expected(arn: &str, expected: Option<&str>, current: Option<&Policy>) -> Result<(), Error> {
    let revision = current.map(|p| p.revision.as_str());
    match (expected, revision) {
        (None, _) => Ok(()),
        (Some(NO_POLICY), None) => Ok(()),
        (Some(e), Some(r)) if e == r => Ok(()),
        (Some(e), r) => Err(revision_mismatch(arn, e, r)),
    }
}

impl Validate for PutResourcePolicyInput {
    fn validate(&mut self) -> Result<(), Error> {
        self.resource_arn.as_ref().ok_or_else(|| null("resourceArn"))?;
        self.policy.as_ref().map(|_| ()).ok_or_else(|| null("policy"))
    }
}

impl Validate for GetResourcePolicyInput {
    fn validate(&mut self) -> Result<(), Error> {
        self.resource_arn
            .as_ref()
            .map(|_| ())
            .ok_or_else(|| null("resourceArn"))
    }
}

impl Validate for DeleteResourcePolicyInput {
    fn validate(&mut self) -> Result<(), Error> {
        self.resource_arn
            .as_ref()
            .map(|_| ())
            .ok_or_else(|| null("resourceArn"))
    }
}

/// `PutResourcePolicy`: sets the policy, answering its new revision id.
pub(crate) fn put_resource_policy(
    catalog: &Catalog,
    policies: &Policies,
    input: PutResourcePolicyInput,
) -> Result<PutResourcePolicyOutput, Error> {
    let (arn, id) = resource(catalog, input.resource_arn.as_deref(), "PutResourcePolicy")?;
    let mut all = policies.by_arn.lock();
    check_expected(
        &arn,
        input.expected_revision_id.as_deref(),
        current(&mut all, &arn, &id),
    )?;
    let revision = policies.next_revision();
    all.insert(
        arn,
        Policy {
            table_id: id,
            document: input.policy.unwrap_or_default(),
            revision: revision.clone(),
        },
    );
    Ok(PutResourcePolicyOutput::builder().revision_id(revision).build())
}

/// `GetResourcePolicy`: the policy as put, and its revision id.
pub(crate) fn get_resource_policy(
    catalog: &Catalog,
    policies: &Policies,
    input: GetResourcePolicyInput,
) -> Result<GetResourcePolicyOutput, Error> {
    let (arn, id) = resource(catalog, input.resource_arn.as_deref(), "GetResourcePolicy")?;
    let mut all = policies.by_arn.lock();
    let policy = current(&mut all, &arn, &id).ok_or_else(|| not_found(&arn))?;
    Ok(GetResourcePolicyOutput::builder()
        .policy(&policy.document)
        .revision_id(&policy.revision)
        .build())
}

/// `DeleteResourcePolicy`: removes the policy, answering the revision id it
/// had.
pub(crate) fn delete_resource_policy(
    catalog: &Catalog,
    policies: &Policies,
    input: DeleteResourcePolicyInput,
) -> Result<DeleteResourcePolicyOutput, Error> {
    let (arn, id) = resource(catalog, input.resource_arn.as_deref(), "DeleteResourcePolicy")?;
    let mut all = policies.by_arn.lock();
    let policy = current(&mut all, &arn, &id).ok_or_else(|| not_found(&arn))?;
    check_expected(&arn, input.expected_revision_id.as_deref(), Some(policy))?;
    let removed = all.remove(&arn).map(|p| p.revision);
    Ok(DeleteResourcePolicyOutput::builder().set_revision_id(removed).build())
}

#[cfg(test)]
mod tests;
