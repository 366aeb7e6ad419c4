//! The crate's one error type.
//!
//! Every backend maps DynamoDB's errors onto the same variants, so code that
//! matches on [`Error`] behaves identically on the mock and on AWS.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, CancellationReason};

/// An item: attribute names to values, as the SDK represents it.
pub type Item = HashMap<String, AttributeValue>;

/// Errors returned by every backend and by the connection.
///
/// DynamoDB errors map to variants by their DynamoDB error code, the same way
/// from [`crate::AwsBackend`] and [`crate::MockBackend`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `ConditionalCheckFailedException`: a condition on a write was false.
    ///
    /// `item` holds the item as it was when the request asked for it with
    /// `ReturnValuesOnConditionCheckFailure = ALL_OLD` (and the item existed).
    #[error("conditional check failed: {message}")]
    ConditionalCheckFailed {
        /// DynamoDB's message.
        message: String,
        /// The item as it was, when requested.
        item: Option<Item>,
    },
    /// `ResourceNotFoundException`: the table (or index) does not exist.
    #[error("resource not found: {0}")]
    ResourceNotFound(String),
    /// `ResourceInUseException`: e.g. the table already exists.
    #[error("resource in use: {0}")]
    ResourceInUse(String),
    /// `ValidationException`: the request is malformed or breaks a rule.
    #[error("validation error: {0}")]
    Validation(String),
    /// `TransactionCanceledException`: one reason per action, in request order.
    #[error("transaction canceled: {message}")]
    TransactionCanceled {
        /// DynamoDB's message.
        message: String,
        /// One reason per action of the request, in order (`code` `None` or
        /// `"None"` for actions that did not fail).
        reasons: Vec<CancellationReason>,
    },
    /// `TransactionConflictException`: another transaction holds the item.
    #[error("transaction conflict: {0}")]
    TransactionConflict(String),
    /// `IdempotentParameterMismatchException`: a `ClientRequestToken` was
    /// reused with a different request.
    #[error("idempotent parameter mismatch: {0}")]
    IdempotentParameterMismatch(String),
    /// `ProvisionedThroughputExceededException`.
    #[error("provisioned throughput exceeded: {0}")]
    ProvisionedThroughputExceeded(String),
    /// `ThrottlingException` or `RequestLimitExceeded`.
    #[error("throttled: {0}")]
    Throttling(String),
    /// `ItemCollectionSizeLimitExceededException` (an LSI item collection
    /// grew past 10 GB).
    #[error("item collection size limit exceeded: {0}")]
    ItemCollectionSizeLimitExceeded(String),
    /// `LimitExceededException`: too many concurrent control-plane operations.
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    /// Any other DynamoDB error, with its code and message.
    #[error("{code}: {message}")]
    Service {
        /// DynamoDB's error code, e.g. `InternalServerError`.
        code: String,
        /// DynamoDB's message.
        message: String,
    },
    /// The request never got a DynamoDB answer: connection failure, timeout,
    /// unreadable response, credentials that could not be loaded.
    #[error("transport error: {0}")]
    Transport(String),
    /// A table did not become `ACTIVE` within the allowed time.
    #[error("table {table} not active after {waited_ms} ms")]
    TableNotActive {
        /// The table's name, without prefix.
        table: String,
        /// How long the connection waited.
        waited_ms: u128,
    },
    /// An existing table differs from its declaration (see
    /// [`crate::TableSchema::differences`]): found on first use, before
    /// anything is read or written.
    #[error("table {table} does not match its declaration: {}", .differences.join("; "))]
    SchemaMismatch {
        /// The table's full name, with the connection's prefix.
        table: String,
        /// Each difference in words, e.g. `"hash key is pk (S), declared id (S)"`.
        differences: Vec<String>,
    },
    /// A declared table does not exist, and the connection does not create
    /// tables ([`crate::TableCreation::RequireExisting`]).
    #[error("table {table} does not exist, and this connection does not create tables")]
    TableMissing {
        /// The table's full name, with the connection's prefix.
        table: String,
    },
    /// An environment variable holds a value the library does not know.
    #[error("environment variable {variable} is {value:?}: {expected}")]
    InvalidEnv {
        /// The variable's name.
        variable: String,
        /// Its value.
        value: String,
        /// What it may hold instead.
        expected: String,
    },
    /// The mock does not implement this part of DynamoDB's API.
    #[error("not supported by the mock: {0}")]
    Unsupported(String),
    /// A create-only write found an item with the same key.
    #[error("an item with this key already exists in table {table}")]
    AlreadyExists {
        /// The table's name, without prefix.
        table: String,
    },
    /// A write that requires the item (an `update`) found no item with its key;
    /// nothing was written.
    #[error("no item with key {key} in table {table}")]
    NotFound {
        /// The table's name, without prefix.
        table: String,
        /// The key, as the record's key type prints it.
        key: String,
    },
    /// An optimistic-locking write found another version than the record's.
    #[error("version conflict in table {table}: the record holds version {expected}, the table another")]
    VersionConflict {
        /// The table's name, without prefix.
        table: String,
        /// The version the record held.
        expected: u64,
    },
    /// A record could not be converted to or from an item.
    #[error("conversion error: {0}")]
    Conversion(crate::convert::ConvertError),
}

impl From<crate::convert::ConvertError> for Error {
    fn from(e: crate::convert::ConvertError) -> Error {
        Error::Conversion(e)
    }
}

impl Error {
    /// Builds the variant DynamoDB's error `code` maps to. Codes may carry a
    /// namespace (`com.amazonaws.dynamodb.v20120810#ValidationException`).
    pub fn from_code(code: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        let code = code.rsplit('#').next().unwrap_or(code);
        match code {
            "ConditionalCheckFailedException" => Error::ConditionalCheckFailed { message, item: None },
            "ResourceNotFoundException" => Error::ResourceNotFound(message),
            "ResourceInUseException" => Error::ResourceInUse(message),
            "ValidationException" => Error::Validation(message),
            "TransactionCanceledException" => Error::TransactionCanceled {
                message,
                reasons: Vec::new(),
            },
            "TransactionConflictException" => Error::TransactionConflict(message),
            "IdempotentParameterMismatchException" => Error::IdempotentParameterMismatch(message),
            "ProvisionedThroughputExceededException" => Error::ProvisionedThroughputExceeded(message),
            "ThrottlingException" | "RequestLimitExceeded" => Error::Throttling(message),
            "ItemCollectionSizeLimitExceededException" => Error::ItemCollectionSizeLimitExceeded(message),
            "LimitExceededException" => Error::LimitExceeded(message),
            other => Error::Service {
                code: other.to_string(),
                message,
            },
        }
    }

    /// DynamoDB's error code for this error (`"Transport"`, `"TableNotActive"`
    /// and `"Unsupported"` for the errors that do not come from DynamoDB).
    pub fn code(&self) -> &str {
        match self {
            Error::ConditionalCheckFailed { .. } => "ConditionalCheckFailedException",
            Error::ResourceNotFound(_) => "ResourceNotFoundException",
            Error::ResourceInUse(_) => "ResourceInUseException",
            Error::Validation(_) => "ValidationException",
            Error::TransactionCanceled { .. } => "TransactionCanceledException",
            Error::TransactionConflict(_) => "TransactionConflictException",
            Error::IdempotentParameterMismatch(_) => "IdempotentParameterMismatchException",
            Error::ProvisionedThroughputExceeded(_) => "ProvisionedThroughputExceededException",
            Error::Throttling(_) => "ThrottlingException",
            Error::ItemCollectionSizeLimitExceeded(_) => "ItemCollectionSizeLimitExceededException",
            Error::LimitExceeded(_) => "LimitExceededException",
            Error::Service { code, .. } => code,
            Error::Transport(_) => "Transport",
            Error::TableNotActive { .. } => "TableNotActive",
            Error::Unsupported(_) => "Unsupported",
            Error::SchemaMismatch { .. } => "SchemaMismatch",
            Error::TableMissing { .. } => "TableMissing",
            Error::InvalidEnv { .. } => "InvalidEnv",
            Error::AlreadyExists { .. } => "AlreadyExists",
            Error::NotFound { .. } => "NotFound",
            Error::VersionConflict { .. } => "VersionConflict",
            Error::Conversion(_) => "Conversion",
        }
    }

    /// True for errors worth retrying with backoff (throttling, throughput,
    /// transaction conflicts, transport failures, internal server errors).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::ProvisionedThroughputExceeded(_)
            | Error::Throttling(_)
            | Error::TransactionConflict(_)
            | Error::LimitExceeded(_)
            | Error::Transport(_) => true,
            Error::Service { code, .. } => code == "InternalServerError" || code == "ServiceUnavailable",
            _ => false,
        }
    }
}

/// Shorthand for `Result<T, dynamo_objects::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<aws_sdk_dynamodb::error::BuildError> for Error {
    /// A request the SDK's builder refused (a required member missing) is a
    /// validation error, as DynamoDB would call it.
    fn from(e: aws_sdk_dynamodb::error::BuildError) -> Error {
        Error::Validation(e.to_string())
    }
}
