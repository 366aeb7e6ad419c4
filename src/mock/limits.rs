//! `DescribeLimits` and `DescribeEndpoints`.
//!
//! DynamoDB Local answers `DescribeLimits` with the service's default quotas
//! (the mock answers the same, and enforces none of them); it has no
//! `DescribeEndpoints` (`UnknownOperationException`), which the mock answers
//! as the service does: the regional endpoint (in the mock's region),
//! cached for a day.

use super::catalog::REGION;
use super::validate::Validate;
use crate::Error;
use crate::sdk::*;

/// The account's read capacity quota, as `DescribeLimits` answers it.
pub(crate) const ACCOUNT_MAX_READ_CAPACITY_UNITS: i64 = 80_000;
/// The account's write capacity quota.
pub(crate) const ACCOUNT_MAX_WRITE_CAPACITY_UNITS: i64 = 80_000;
/// A table's (or global index's) read capacity quota.
pub(crate) const TABLE_MAX_READ_CAPACITY_UNITS: i64 = 40_000;
/// A table's (or global index's) write capacity quota.
pub(crate) const TABLE_MAX_WRITE_CAPACITY_UNITS: i64 = 40_000;
/// How long a client may cache `DescribeEndpoints`' answer.
pub(crate) const ENDPOINT_CACHE_MINUTES: i64 = 1_440;

impl Validate for DescribeLimitsInput {
    fn validate(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

impl Validate for DescribeEndpointsInput {
    fn validate(&mut self) -> Result<(), Error> {
        Ok(())
    }
}

/// `DescribeLimits`.
pub(crate) fn describe_limits(_: DescribeLimitsInput) -> Result<DescribeLimitsOutput, Error> {
    Ok(DescribeLimitsOutput::builder()
        .account_max_read_capacity_units(ACCOUNT_MAX_READ_CAPACITY_UNITS)
        .account_max_write_capacity_units(ACCOUNT_MAX_WRITE_CAPACITY_UNITS)
        .table_max_read_capacity_units(TABLE_MAX_READ_CAPACITY_UNITS)
        .table_max_write_capacity_units(TABLE_MAX_WRITE_CAPACITY_UNITS)
        .build())
}

/// `DescribeEndpoints`.
pub(crate) fn describe_endpoints(_: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Error> {
    let endpoint = Endpoint::builder()
        .address(format!("dynamodb.{REGION}.amazonaws.com"))
        .cache_period_in_minutes(ENDPOINT_CACHE_MINUTES)
        .build()?;
    Ok(DescribeEndpointsOutput::builder().endpoints(endpoint).build()?)
}
