//! [`AwsBackend`]: the [`Backend`] that talks to DynamoDB over HTTP, through
//! the AWS SDK — the AWS service itself, or DynamoDB Local.
//!
//! Requests go out unchanged: every field of the operation's input is copied
//! onto the SDK's request builder. Errors are mapped onto [`Error`] by their
//! DynamoDB error code ([`Error::from_code`]), keeping the item of a
//! `ConditionalCheckFailedException` and the cancellation reasons of a
//! `TransactionCanceledException`. Anything that is not an answer from
//! DynamoDB (connection failure, timeout, unreadable response, missing
//! credentials) becomes [`Error::Transport`].
//!
//! Every call runs inside a `DEBUG` [`tracing`] span named after the DynamoDB
//! operation (`PutItem`, `Query`, ...), with the table name as `table` where
//! the operation has one.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemError;
use aws_sdk_dynamodb::operation::batch_write_item::BatchWriteItemError;
use aws_sdk_dynamodb::operation::create_table::CreateTableError;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::delete_table::DeleteTableError;
use aws_sdk_dynamodb::operation::describe_table::DescribeTableError;
use aws_sdk_dynamodb::operation::describe_time_to_live::DescribeTimeToLiveError;
use aws_sdk_dynamodb::operation::get_item::GetItemError;
use aws_sdk_dynamodb::operation::list_tables::ListTablesError;
use aws_sdk_dynamodb::operation::list_tags_of_resource::ListTagsOfResourceError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::query::QueryError;
use aws_sdk_dynamodb::operation::scan::ScanError;
use aws_sdk_dynamodb::operation::tag_resource::TagResourceError;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::untag_resource::UntagResourceError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::operation::update_table::UpdateTableError;
use aws_sdk_dynamodb::operation::update_time_to_live::UpdateTimeToLiveError;
use aws_sdk_dynamodb::types::error::{ConditionalCheckFailedException, TransactionCanceledException};
// Backups, point-in-time recovery, resource policies, limits and endpoints
use aws_sdk_dynamodb::operation::create_backup::CreateBackupError;
use aws_sdk_dynamodb::operation::delete_backup::DeleteBackupError;
use aws_sdk_dynamodb::operation::delete_resource_policy::DeleteResourcePolicyError;
use aws_sdk_dynamodb::operation::describe_backup::DescribeBackupError;
use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsError;
use aws_sdk_dynamodb::operation::describe_endpoints::DescribeEndpointsError;
use aws_sdk_dynamodb::operation::describe_limits::DescribeLimitsError;
use aws_sdk_dynamodb::operation::get_resource_policy::GetResourcePolicyError;
use aws_sdk_dynamodb::operation::list_backups::ListBackupsError;
use aws_sdk_dynamodb::operation::put_resource_policy::PutResourcePolicyError;
use aws_sdk_dynamodb::operation::restore_table_from_backup::RestoreTableFromBackupError;
use aws_sdk_dynamodb::operation::restore_table_to_point_in_time::RestoreTableToPointInTimeError;
use aws_sdk_dynamodb::operation::update_continuous_backups::UpdateContinuousBackupsError;
use tracing::Instrument;

use crate::Error;
use crate::backend::Backend;
use crate::sdk::*;

/// The name given to credentials this crate creates (visible in the SDK's
/// logs as the credentials' provider).
const PROVIDER_NAME: &str = "dynamo-objects";

/// The region [`AwsBackend::local`] signs requests for.
const LOCAL_REGION: &str = "us-east-1";

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/// How [`AwsBackend::connect`] configures the SDK.
///
/// Every field is optional: what is left `None` comes from the SDK's default
/// chain (environment variables, `~/.aws/config` and `~/.aws/credentials`,
/// container and instance metadata, ...), exactly as for
/// [`AwsBackend::from_env`].
///
/// ```
/// use std::time::Duration;
/// use dynamo_objects::AwsOptions;
///
/// let options = AwsOptions::new()
///     .region("eu-west-1")
///     .timeout(Duration::from_secs(10))
///     .max_attempts(5);
/// assert_eq!(options.region.as_deref(), Some("eu-west-1"));
/// ```
///
/// The `Debug` output hides the secret access key and the session token.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// The AWS region, e.g. `eu-west-1`. Default: `AWS_REGION`, then the
    /// profile's `region`, then instance metadata.
    pub region: Option<String>,
    /// A custom endpoint, e.g. `http://localhost:8000` for DynamoDB Local.
    /// Default: `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`, then the
    /// region's standard endpoint.
    pub endpoint_url: Option<String>,
    /// A static access key id. Used only together with
    /// [`secret_access_key`](Self::secret_access_key); when both are set they
    /// replace the default credentials chain.
    pub access_key_id: Option<String>,
    /// The secret access key that goes with
    /// [`access_key_id`](Self::access_key_id).
    pub secret_access_key: Option<String>,
    /// The session token of temporary credentials; used only with
    /// [`access_key_id`](Self::access_key_id) and
    /// [`secret_access_key`](Self::secret_access_key).
    pub session_token: Option<String>,
    /// The name of the profile (in `~/.aws/config` and `~/.aws/credentials`)
    /// to read settings and credentials from. Default: `AWS_PROFILE`, then
    /// `default`.
    pub profile: Option<String>,
    /// The operation timeout: the longest one call may take, retries
    /// included. Default: none (the SDK's connect timeout still applies).
    pub timeout: Option<Duration>,
    /// How many times a call is attempted, the first attempt included, with
    /// the standard retry mode (values below 1 count as 1). Default:
    /// `AWS_MAX_ATTEMPTS`, then the profile's `max_attempts`, then 3.
    pub max_attempts: Option<u32>,
}

impl AwsOptions {
    /// Options with nothing set: the SDK's default chain for everything.
    #[must_use]
    pub fn new() -> AwsOptions {
        AwsOptions::default()
    }

    /// Sets [`region`](Self::region).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> AwsOptions {
        self.region = Some(region.into());
        self
    }

    /// Sets [`endpoint_url`](Self::endpoint_url).
    #[must_use]
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> AwsOptions {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Sets static credentials: [`access_key_id`](Self::access_key_id) and
    /// [`secret_access_key`](Self::secret_access_key).
    #[must_use]
    pub fn credentials(mut self, access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> AwsOptions {
        self.access_key_id = Some(access_key_id.into());
        self.secret_access_key = Some(secret_access_key.into());
        self
    }

    /// Sets [`session_token`](Self::session_token).
    #[must_use]
    pub fn session_token(mut self, session_token: impl Into<String>) -> AwsOptions {
        self.session_token = Some(session_token.into());
        self
    }

    /// Sets [`profile`](Self::profile).
    #[must_use]
    pub fn profile(mut self, profile: impl Into<String>) -> AwsOptions {
        self.profile = Some(profile.into());
        self
    }

    /// Sets [`timeout`](Self::timeout).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> AwsOptions {
        self.timeout = Some(timeout);
        self
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    #[must_use]
    pub fn max_attempts(mut self, max_attempts: u32) -> AwsOptions {
        self.max_attempts = Some(max_attempts);
        self
    }
}

impl fmt::Debug for AwsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |secret: &Option<String>| secret.as_ref().map(|_| "** redacted **");
        f.debug_struct("AwsOptions")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &redacted(&self.secret_access_key))
            .field("session_token", &redacted(&self.session_token))
            .field("profile", &self.profile)
            .field("timeout", &self.timeout)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

// ---------------------------------------------------------------------------
// The backend
// ---------------------------------------------------------------------------

/// The [`Backend`] backed by the AWS SDK: DynamoDB itself or DynamoDB Local.
///
/// Cheap to clone (the SDK client is reference-counted).
#[derive(Debug, Clone)]
pub struct AwsBackend {
    client: Client,
    // DynamoDB Streams
    /// The streams client of the same configuration (`None` for
    /// [`AwsBackend::from_client`], until [`AwsBackend::with_streams`]).
    streams: Option<aws_sdk_dynamodbstreams::Client>,
}

impl AwsBackend {
    /// Connects with the SDK's default configuration chain (environment
    /// variables, profile files, container and instance metadata), the same
    /// as `aws_config::defaults(BehaviorVersion::latest())`.
    ///
    /// Nothing is contacted yet: missing credentials or an unreachable
    /// endpoint show up as [`Error::Transport`] on the first call.
    pub async fn from_env() -> AwsBackend {
        AwsBackend::connect(AwsOptions::default()).await
    }

    /// Connects with the SDK's default configuration chain, overridden by
    /// whatever `options` sets (see [`AwsOptions`]).
    ///
    /// Nothing is contacted yet: missing credentials or an unreachable
    /// endpoint show up as [`Error::Transport`] on the first call.
    pub async fn connect(options: AwsOptions) -> AwsBackend {
        let AwsOptions {
            region,
            endpoint_url,
            access_key_id,
            secret_access_key,
            session_token,
            profile,
            timeout,
            max_attempts,
        } = options;

        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(profile) = profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = region {
            loader = loader.region(Region::new(region));
        }
        if let Some(endpoint_url) = endpoint_url {
            loader = loader.endpoint_url(endpoint_url);
        }
        match (access_key_id, secret_access_key) {
            (Some(id), Some(secret)) => {
                let credentials = Credentials::new(id, secret, session_token, None, PROVIDER_NAME);
                loader = loader.credentials_provider(credentials);
            }
            (None, None) => {}
            _ => tracing::warn!(
                "AwsOptions: access_key_id and secret_access_key must be set together; \
                 using the default credentials chain"
            ),
        }
        if let Some(timeout) = timeout {
            loader = loader.timeout_config(TimeoutConfig::builder().operation_timeout(timeout).build());
        }
        if let Some(max_attempts) = max_attempts {
            loader = loader.retry_config(RetryConfig::standard().with_max_attempts(max_attempts.max(1)));
        }
        let sdk_config = loader.load().await;
        AwsBackend::from_client(Client::new(&sdk_config))
            .with_streams(aws_sdk_dynamodbstreams::Client::new(&sdk_config))
    }

    /// A backend for DynamoDB Local at `endpoint_url` (e.g.
    /// `http://localhost:8000`).
    ///
    /// Region `us-east-1`, static dummy credentials, the standard retry mode;
    /// the environment and the profile files are not read at all.
    pub fn local(endpoint_url: &str) -> AwsBackend {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(LOCAL_REGION))
            .endpoint_url(endpoint_url)
            .credentials_provider(Credentials::new("dummy", "dummy", None, None, PROVIDER_NAME))
            .retry_config(RetryConfig::standard())
            .build();
        let streams = aws_sdk_dynamodbstreams::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(aws_sdk_dynamodbstreams::config::Region::new(LOCAL_REGION))
            .endpoint_url(endpoint_url)
            .credentials_provider(Credentials::new("dummy", "dummy", None, None, PROVIDER_NAME))
            .retry_config(RetryConfig::standard())
            .build();
        AwsBackend::from_client(Client::from_conf(config))
            .with_streams(aws_sdk_dynamodbstreams::Client::from_conf(streams))
    }

    /// Wraps an SDK client configured by the caller.
    pub fn from_client(client: Client) -> AwsBackend {
        AwsBackend { client, streams: None }
    }

    /// This backend with `streams` as its DynamoDB Streams client (what
    /// [`Backend::streams`] hands out; [`AwsBackend::connect`] and
    /// [`AwsBackend::local`] set one of the same configuration).
    pub fn with_streams(mut self, streams: aws_sdk_dynamodbstreams::Client) -> AwsBackend {
        self.streams = Some(streams);
        self
    }

    /// The SDK client, for operations the [`Backend`] trait does not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

// ---------------------------------------------------------------------------
// Input -> request builder
// ---------------------------------------------------------------------------

/// An operation input that can be turned back into its SDK request builder,
/// field by field.
trait IntoBuilder {
    /// The operation's `...InputBuilder`.
    type Builder;
    /// The names of the fields copied (checked against the SDK in tests).
    #[cfg(test)]
    const FIELDS: &'static [&'static str];
    /// The builder with every field of `self` set.
    fn into_builder(self) -> Self::Builder;
}

/// Implements [`IntoBuilder`] for `$input`, copying each listed field with
/// the builder's `set_<field>` method. The list must name every field of the
/// input: the SDK marks the inputs `#[non_exhaustive]`, so the compiler can't
/// check it, but the `inputs_copy_every_field` test does.
macro_rules! into_builder {
    ($input:ident => $module:ident { $($field:ident),+ $(,)? }) => {
        impl IntoBuilder for $input {
            type Builder = pastey::paste!(aws_sdk_dynamodb::operation::$module::builders::[<$input Builder>]);
            #[cfg(test)]
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn into_builder(self) -> Self::Builder {
                pastey::paste! {
                    $input::builder() $( .[<set_ $field>](self.$field) )+
                }
            }
        }
    };
}

into_builder!(CreateTableInput => create_table {
    attribute_definitions, table_name, key_schema, local_secondary_indexes, global_secondary_indexes,
    billing_mode, provisioned_throughput, stream_specification, sse_specification, tags, table_class,
    deletion_protection_enabled, warm_throughput, resource_policy, on_demand_throughput,
    global_table_source_arn, global_table_settings_replication_mode, vector_indexes,
});
into_builder!(DescribeTableInput => describe_table { table_name });
into_builder!(UpdateTableInput => update_table {
    attribute_definitions, table_name, billing_mode, provisioned_throughput, global_secondary_index_updates,
    stream_specification, sse_specification, replica_updates, table_class, deletion_protection_enabled,
    multi_region_consistency, global_table_witness_updates, on_demand_throughput, warm_throughput,
    global_table_settings_replication_mode, disassociation_protection_enabled, vector_index_updates,
});
into_builder!(DeleteTableInput => delete_table { table_name });
into_builder!(UpdateTimeToLiveInput => update_time_to_live { table_name, time_to_live_specification });
into_builder!(DescribeTimeToLiveInput => describe_time_to_live { table_name });
into_builder!(TagResourceInput => tag_resource { resource_arn, tags });
into_builder!(UntagResourceInput => untag_resource { resource_arn, tag_keys });
into_builder!(ListTagsOfResourceInput => list_tags_of_resource { resource_arn, next_token });
into_builder!(ListTablesInput => list_tables { exclusive_start_table_name, limit });
into_builder!(GetItemInput => get_item {
    table_name, key, attributes_to_get, consistent_read, return_consumed_capacity, projection_expression,
    expression_attribute_names,
});
into_builder!(PutItemInput => put_item {
    table_name, item, expected, return_values, return_consumed_capacity, return_item_collection_metrics,
    conditional_operator, condition_expression, expression_attribute_names, expression_attribute_values,
    return_values_on_condition_check_failure,
});
into_builder!(UpdateItemInput => update_item {
    table_name, key, attribute_updates, expected, conditional_operator, return_values, return_consumed_capacity,
    return_item_collection_metrics, update_expression, condition_expression, expression_attribute_names,
    expression_attribute_values, return_values_on_condition_check_failure,
});
into_builder!(DeleteItemInput => delete_item {
    table_name, key, expected, conditional_operator, return_values, return_consumed_capacity,
    return_item_collection_metrics, condition_expression, expression_attribute_names, expression_attribute_values,
    return_values_on_condition_check_failure,
});
into_builder!(QueryInput => query {
    table_name, index_name, select, attributes_to_get, limit, consistent_read, key_conditions, query_filter,
    conditional_operator, scan_index_forward, exclusive_start_key, return_consumed_capacity, projection_expression,
    filter_expression, key_condition_expression, expression_attribute_names, expression_attribute_values,
});
into_builder!(ScanInput => scan {
    table_name, index_name, attributes_to_get, limit, select, scan_filter, conditional_operator,
    exclusive_start_key, return_consumed_capacity, total_segments, segment, projection_expression,
    filter_expression, expression_attribute_names, expression_attribute_values, consistent_read,
});
into_builder!(BatchGetItemInput => batch_get_item {
    request_items, return_consumed_capacity,
});
into_builder!(BatchWriteItemInput => batch_write_item {
    request_items, return_consumed_capacity, return_item_collection_metrics,
});
into_builder!(TransactGetItemsInput => transact_get_items {
    transact_items, return_consumed_capacity,
});
into_builder!(TransactWriteItemsInput => transact_write_items {
    transact_items, return_consumed_capacity, return_item_collection_metrics, client_request_token,
});

// Backups, point-in-time recovery, resource policies
into_builder!(CreateBackupInput => create_backup { table_name, backup_name });
into_builder!(DescribeBackupInput => describe_backup { backup_arn });
into_builder!(ListBackupsInput => list_backups { table_name, limit, time_range_lower_bound, time_range_upper_bound, exclusive_start_backup_arn, backup_type });
into_builder!(DeleteBackupInput => delete_backup { backup_arn });
into_builder!(RestoreTableFromBackupInput => restore_table_from_backup { target_table_name, backup_arn, billing_mode_override, global_secondary_index_override, local_secondary_index_override, provisioned_throughput_override, on_demand_throughput_override, sse_specification_override, vector_index_override });
into_builder!(UpdateContinuousBackupsInput => update_continuous_backups { table_name, point_in_time_recovery_specification });
into_builder!(DescribeContinuousBackupsInput => describe_continuous_backups { table_name });
into_builder!(RestoreTableToPointInTimeInput => restore_table_to_point_in_time { source_table_arn, source_table_name, target_table_name, use_latest_restorable_time, restore_date_time, billing_mode_override, global_secondary_index_override, local_secondary_index_override, provisioned_throughput_override, on_demand_throughput_override, sse_specification_override, vector_index_override });
into_builder!(PutResourcePolicyInput => put_resource_policy { resource_arn, policy, expected_revision_id, confirm_remove_self_resource_access });
into_builder!(GetResourcePolicyInput => get_resource_policy { resource_arn });
into_builder!(DeleteResourcePolicyInput => delete_resource_policy { resource_arn, expected_revision_id });

// ---------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------

/// An operation's error type: the typed errors that carry more than a code
/// and a message get their own mapping.
trait OperationError: ProvideErrorMetadata + StdError + Send + Sync + 'static {
    /// The [`Error`] for this error when the code alone would lose
    /// information; `None` to map by code.
    fn special(&self) -> Option<Error> {
        None
    }
}

impl OperationError for CreateTableError {}
impl OperationError for DescribeTableError {}
impl OperationError for UpdateTableError {}
impl OperationError for DeleteTableError {}
impl OperationError for ListTablesError {}
impl OperationError for GetItemError {}
impl OperationError for QueryError {}
impl OperationError for ScanError {}
impl OperationError for BatchGetItemError {}
impl OperationError for BatchWriteItemError {}
impl OperationError for UpdateTimeToLiveError {}
impl OperationError for DescribeTimeToLiveError {}
impl OperationError for TagResourceError {}
impl OperationError for UntagResourceError {}
impl OperationError for ListTagsOfResourceError {}
// Backups, point-in-time recovery, resource policies, limits and endpoints
impl OperationError for DescribeLimitsError {}
impl OperationError for DescribeEndpointsError {}
impl OperationError for CreateBackupError {}
impl OperationError for DescribeBackupError {}
impl OperationError for ListBackupsError {}
impl OperationError for DeleteBackupError {}
impl OperationError for RestoreTableFromBackupError {}
impl OperationError for UpdateContinuousBackupsError {}
impl OperationError for DescribeContinuousBackupsError {}
impl OperationError for RestoreTableToPointInTimeError {}
impl OperationError for PutResourcePolicyError {}
impl OperationError for GetResourcePolicyError {}
impl OperationError for DeleteResourcePolicyError {}

impl OperationError for PutItemError {
    fn special(&self) -> Option<Error> {
        match self {
            PutItemError::ConditionalCheckFailedException(e) => Some(conditional_check_failed(e)),
            _ => None,
        }
    }
}

impl OperationError for UpdateItemError {
    fn special(&self) -> Option<Error> {
        match self {
            UpdateItemError::ConditionalCheckFailedException(e) => Some(conditional_check_failed(e)),
            _ => None,
        }
    }
}

impl OperationError for DeleteItemError {
    fn special(&self) -> Option<Error> {
        match self {
            DeleteItemError::ConditionalCheckFailedException(e) => Some(conditional_check_failed(e)),
            _ => None,
        }
    }
}

impl OperationError for TransactGetItemsError {
    fn special(&self) -> Option<Error> {
        match self {
            TransactGetItemsError::TransactionCanceledException(e) => Some(transaction_canceled(e)),
            _ => None,
        }
    }
}

impl OperationError for TransactWriteItemsError {
    fn special(&self) -> Option<Error> {
        match self {
            TransactWriteItemsError::TransactionCanceledException(e) => Some(transaction_canceled(e)),
            _ => None,
        }
    }
}

/// `ConditionalCheckFailedException`, with the item when DynamoDB sent it.
fn conditional_check_failed(e: &ConditionalCheckFailedException) -> Error {
    Error::ConditionalCheckFailed {
        message: e
            .message()
            .or_else(|| e.meta().message())
            .unwrap_or_default()
            .to_string()
            .into(),
        item: e.item().cloned(),
    }
}

/// `TransactionCanceledException`, with its per-action reasons.
fn transaction_canceled(e: &TransactionCanceledException) -> Error {
    Error::TransactionCanceled {
        message: e
            .message()
            .or_else(|| e.meta().message())
            .unwrap_or_default()
            .to_string()
            .into(),
        reasons: e.cancellation_reasons().to_vec(),
        causes: Vec::new(),
    }
}

/// Maps an SDK error onto the crate's [`Error`].
///
/// DynamoDB's answers map by error code ([`Error::from_code`]), except the
/// typed errors [`OperationError::special`] handles; an answer without a code
/// becomes `Error::Service { code: "Unknown", .. }`. Everything else
/// (construction failure, timeout, dispatch failure, unreadable response) is
/// [`Error::Transport`] with the whole chain of causes.
fn map_err<E: OperationError>(err: SdkError<E, HttpResponse>) -> Error {
    let request_id = err.request_id().map(String::from);
    let mut mapped = match err {
        SdkError::ServiceError(ref context) => service_error(context.err(), context.raw()),
        SdkError::ResponseError(ref context) => {
            let status = context.raw().status().as_u16();
            Error::Transport(format!("HTTP {status}: {}", error_chain(&err)).into())
        }
        ref other => Error::Transport(error_chain(other).into()),
    };
    if let Some(message) = mapped.message_mut() {
        *message = std::mem::take(message).with_origin(Arc::new(err), request_id);
    }
    mapped
}

/// Maps a DynamoDB answer (a service error) onto [`Error`].
fn service_error<E: OperationError>(err: &E, raw: &HttpResponse) -> Error {
    if let Some(special) = err.special() {
        return special;
    }
    let message = match err.message() {
        Some(message) => message.to_string(),
        // Not a DynamoDB error body (e.g. a proxy's answer): say what came.
        None => {
            let mut message = format!("HTTP {}: {err}", raw.status().as_u16());
            let body = raw.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
            let body = body.trim();
            if !body.is_empty() {
                message.push_str(": ");
                message.extend(body.chars().take(200));
            }
            message
        }
    };
    match err.code() {
        Some(code) => Error::from_code(code, message),
        None => Error::Service {
            code: "Unknown".into(),
            message: message.into(),
        },
    }
}

/// `err` and its sources, joined by `": "` (a source whose message repeats
/// the previous one is skipped).
fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut out = err.to_string();
    let mut last = out.clone();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if text != last {
            out.push_str(": ");
            out.push_str(&text);
            last = text;
        }
        source = cause.source();
    }
    out
}

// ---------------------------------------------------------------------------
// Backend
// ---------------------------------------------------------------------------

/// Awaits one SDK call inside `span`, mapping its error (and logging it at
/// `DEBUG` level inside the span).
async fn call<O, E>(
    span: tracing::Span,
    request: impl Future<Output = Result<O, SdkError<E, HttpResponse>>>,
) -> Result<O, Error>
where
    E: OperationError,
{
    async move {
        request.await.map_err(|err| {
            let err = map_err(err);
            tracing::debug!(code = err.code(), error = %err, "DynamoDB call failed");
            err
        })
    }
    .instrument(span)
    .await
}

/// The number of items of a batch request, for the span.
fn batch_len<V>(items: &Option<std::collections::HashMap<String, Vec<V>>>) -> usize {
    items.iter().flat_map(|tables| tables.values()).map(Vec::len).sum()
}

#[async_trait::async_trait]
impl Backend for AwsBackend {
    async fn create_table(&self, input: CreateTableInput) -> Result<CreateTableOutput, Error> {
        let span = tracing::debug_span!("CreateTable", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn describe_table(&self, input: DescribeTableInput) -> Result<DescribeTableOutput, Error> {
        let span = tracing::debug_span!("DescribeTable", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn update_table(&self, input: UpdateTableInput) -> Result<UpdateTableOutput, Error> {
        let span = tracing::debug_span!("UpdateTable", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn delete_table(&self, input: DeleteTableInput) -> Result<DeleteTableOutput, Error> {
        let span = tracing::debug_span!("DeleteTable", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn list_tables(&self, input: ListTablesInput) -> Result<ListTablesOutput, Error> {
        let span = tracing::debug_span!("ListTables", start = input.exclusive_start_table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn get_item(&self, input: GetItemInput) -> Result<GetItemOutput, Error> {
        let span = tracing::debug_span!("GetItem", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn put_item(&self, input: PutItemInput) -> Result<PutItemOutput, Error> {
        let span = tracing::debug_span!("PutItem", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn update_item(&self, input: UpdateItemInput) -> Result<UpdateItemOutput, Error> {
        let span = tracing::debug_span!("UpdateItem", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn delete_item(&self, input: DeleteItemInput) -> Result<DeleteItemOutput, Error> {
        let span = tracing::debug_span!("DeleteItem", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn query(&self, input: QueryInput) -> Result<QueryOutput, Error> {
        let span = tracing::debug_span!(
            "Query",
            table = input.table_name.as_deref(),
            index = input.index_name.as_deref()
        );
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn scan(&self, input: ScanInput) -> Result<ScanOutput, Error> {
        let span = tracing::debug_span!(
            "Scan",
            table = input.table_name.as_deref(),
            index = input.index_name.as_deref(),
            segment = input.segment
        );
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn batch_get_item(&self, input: BatchGetItemInput) -> Result<BatchGetItemOutput, Error> {
        let keys: usize = input
            .request_items
            .iter()
            .flat_map(|t| t.values())
            .map(|k| k.keys().len())
            .sum();
        let span = tracing::debug_span!("BatchGetItem", keys);
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn batch_write_item(&self, input: BatchWriteItemInput) -> Result<BatchWriteItemOutput, Error> {
        let span = tracing::debug_span!("BatchWriteItem", requests = batch_len(&input.request_items));
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn transact_get_items(&self, input: TransactGetItemsInput) -> Result<TransactGetItemsOutput, Error> {
        let span = tracing::debug_span!(
            "TransactGetItems",
            items = input.transact_items.as_ref().map_or(0, Vec::len)
        );
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn transact_write_items(&self, input: TransactWriteItemsInput) -> Result<TransactWriteItemsOutput, Error> {
        let span = tracing::debug_span!(
            "TransactWriteItems",
            items = input.transact_items.as_ref().map_or(0, Vec::len)
        );
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn update_time_to_live(&self, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
        let span = tracing::debug_span!("UpdateTimeToLive", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn describe_time_to_live(&self, input: DescribeTimeToLiveInput) -> Result<DescribeTimeToLiveOutput, Error> {
        let span = tracing::debug_span!("DescribeTimeToLive", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    fn aws_client(&self) -> Option<&Client> {
        Some(&self.client)
    }

    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        let span = tracing::debug_span!("TagResource", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn untag_resource(&self, input: UntagResourceInput) -> Result<UntagResourceOutput, Error> {
        let span = tracing::debug_span!("UntagResource", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn list_tags_of_resource(&self, input: ListTagsOfResourceInput) -> Result<ListTagsOfResourceOutput, Error> {
        let span = tracing::debug_span!("ListTagsOfResource", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    // Backups, point-in-time recovery, resource policies, limits and endpoints
    async fn describe_limits(&self, input: DescribeLimitsInput) -> Result<DescribeLimitsOutput, Error> {
        let _ = input;
        call(
            tracing::debug_span!("DescribeLimits"),
            self.client.describe_limits().send(),
        )
        .await
    }

    async fn describe_endpoints(&self, input: DescribeEndpointsInput) -> Result<DescribeEndpointsOutput, Error> {
        let _ = input;
        call(
            tracing::debug_span!("DescribeEndpoints"),
            self.client.describe_endpoints().send(),
        )
        .await
    }

    async fn create_backup(&self, input: CreateBackupInput) -> Result<CreateBackupOutput, Error> {
        let span = tracing::debug_span!("CreateBackup", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn describe_backup(&self, input: DescribeBackupInput) -> Result<DescribeBackupOutput, Error> {
        let span = tracing::debug_span!("DescribeBackup", backup = input.backup_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn list_backups(&self, input: ListBackupsInput) -> Result<ListBackupsOutput, Error> {
        let span = tracing::debug_span!("ListBackups", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn delete_backup(&self, input: DeleteBackupInput) -> Result<DeleteBackupOutput, Error> {
        let span = tracing::debug_span!("DeleteBackup", backup = input.backup_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn restore_table_from_backup(
        &self,
        input: RestoreTableFromBackupInput,
    ) -> Result<RestoreTableFromBackupOutput, Error> {
        let span = tracing::debug_span!("RestoreTableFromBackup", table = input.target_table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn update_continuous_backups(
        &self,
        input: UpdateContinuousBackupsInput,
    ) -> Result<UpdateContinuousBackupsOutput, Error> {
        let span = tracing::debug_span!("UpdateContinuousBackups", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn describe_continuous_backups(
        &self,
        input: DescribeContinuousBackupsInput,
    ) -> Result<DescribeContinuousBackupsOutput, Error> {
        let span = tracing::debug_span!("DescribeContinuousBackups", table = input.table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn restore_table_to_point_in_time(
        &self,
        input: RestoreTableToPointInTimeInput,
    ) -> Result<RestoreTableToPointInTimeOutput, Error> {
        let span = tracing::debug_span!("RestoreTableToPointInTime", table = input.target_table_name.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn put_resource_policy(&self, input: PutResourcePolicyInput) -> Result<PutResourcePolicyOutput, Error> {
        let span = tracing::debug_span!("PutResourcePolicy", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn get_resource_policy(&self, input: GetResourcePolicyInput) -> Result<GetResourcePolicyOutput, Error> {
        let span = tracing::debug_span!("GetResourcePolicy", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn delete_resource_policy(
        &self,
        input: DeleteResourcePolicyInput,
    ) -> Result<DeleteResourcePolicyOutput, Error> {
        let span = tracing::debug_span!("DeleteResourcePolicy", resource = input.resource_arn.as_deref());
        call(span, input.into_builder().send_with(&self.client)).await
    }

    // DynamoDB Streams
    fn streams(&self) -> Option<Arc<dyn crate::streams::StreamsBackend>> {
        let client = self.streams.clone()?;
        Some(Arc::new(crate::streams::AwsStreams::from_client(client)))
    }

    // PartiQL
    async fn execute_statement(&self, input: ExecuteStatementInput) -> Result<ExecuteStatementOutput, Error> {
        let span = tracing::debug_span!("ExecuteStatement");
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn batch_execute_statement(
        &self,
        input: BatchExecuteStatementInput,
    ) -> Result<BatchExecuteStatementOutput, Error> {
        let span = tracing::debug_span!("BatchExecuteStatement");
        call(span, input.into_builder().send_with(&self.client)).await
    }

    async fn execute_transaction(&self, input: ExecuteTransactionInput) -> Result<ExecuteTransactionOutput, Error> {
        let span = tracing::debug_span!("ExecuteTransaction");
        call(span, input.into_builder().send_with(&self.client)).await
    }
}

// PartiQL
into_builder!(ExecuteStatementInput => execute_statement {
    statement, parameters, consistent_read, next_token, return_consumed_capacity, limit,
    return_values_on_condition_check_failure,
});
into_builder!(BatchExecuteStatementInput => batch_execute_statement { statements, return_consumed_capacity });
into_builder!(ExecuteTransactionInput => execute_transaction {
    transact_statements, client_request_token, return_consumed_capacity,
});

impl OperationError for aws_sdk_dynamodb::operation::execute_statement::ExecuteStatementError {
    fn special(&self) -> Option<Error> {
        match self {
            Self::ConditionalCheckFailedException(e) => Some(conditional_check_failed(e)),
            _ => None,
        }
    }
}

impl OperationError for aws_sdk_dynamodb::operation::batch_execute_statement::BatchExecuteStatementError {}

impl OperationError for aws_sdk_dynamodb::operation::execute_transaction::ExecuteTransactionError {
    fn special(&self) -> Option<Error> {
        match self {
            Self::TransactionCanceledException(e) => Some(transaction_canceled(e)),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests;
