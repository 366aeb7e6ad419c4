//! The crate's one error type.
//!
//! Every backend maps DynamoDB's errors onto the same variants, so code that
//! matches on [`Error`] behaves identically on the mock and on AWS.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use aws_sdk_dynamodb::types::{AttributeValue, CancellationReason};

use crate::vocab::codes;

/// An item: attribute names to values, as the SDK represents it.
pub type Item = HashMap<String, AttributeValue>;

/// Errors returned by every backend and by the connection.
///
/// DynamoDB errors map to variants by their DynamoDB error code, the same way
/// from [`crate::AwsBackend`] and [`crate::MockBackend`]. Their [`Message`]
/// holds DynamoDB's text and, where known, where the error came from: the
/// table and item key (named by the typed API), and for errors from AWS the
/// SDK's error (this error's [`std::error::Error::source`]) and its request id
/// ([`Error::request_id`]). Equality compares everything but the source.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// `ConditionalCheckFailedException`: a condition on a write was false.
    ///
    /// `item` holds the item as it was when the request asked for it with
    /// `ReturnValuesOnConditionCheckFailure = ALL_OLD` (and the item existed).
    ConditionalCheckFailed {
        /// DynamoDB's message.
        message: Message,
        /// The item as it was, when requested.
        item: Option<Item>,
    },
    /// `ResourceNotFoundException`: the table (or index) does not exist.
    ResourceNotFound(Message),
    /// `ResourceInUseException`: e.g. the table already exists.
    ResourceInUse(Message),
    /// `ValidationException`: the request is malformed or breaks a rule.
    Validation(Message),
    /// `TransactionCanceledException`: one reason per action, in request order.
    TransactionCanceled {
        /// DynamoDB's message.
        message: Message,
        /// One reason per action of the request, in order (`code` `None` or
        /// `"None"` for actions that did not fail), as DynamoDB sent them.
        reasons: Vec<CancellationReason>,
        /// The same reasons, typed: filled in by [`crate::Transaction::commit`]
        /// and [`crate::ReadTransaction::commit`], which know what each
        /// action's condition checked (a version, a create, the caller's
        /// condition); empty from the raw [`crate::Backend`], which does not.
        causes: Vec<crate::transaction::CancelReason>,
    },
    /// `TransactionConflictException`: another transaction holds the item.
    TransactionConflict(Message),
    /// `IdempotentParameterMismatchException`: a `ClientRequestToken` was
    /// reused with a different request.
    IdempotentParameterMismatch(Message),
    /// `ProvisionedThroughputExceededException`.
    ProvisionedThroughputExceeded(Message),
    /// `ThrottlingException` or `RequestLimitExceeded`.
    Throttling(Message),
    /// `ItemCollectionSizeLimitExceededException` (an LSI item collection
    /// grew past 10 GB).
    ItemCollectionSizeLimitExceeded(Message),
    /// `LimitExceededException`: too many concurrent control-plane operations.
    LimitExceeded(Message),
    /// Any other DynamoDB error, with its code and message.
    Service {
        /// DynamoDB's error code, e.g. `InternalServerError`.
        code: String,
        /// DynamoDB's message.
        message: Message,
    },
    /// The request never got a DynamoDB answer: connection failure, timeout,
    /// unreadable response, credentials that could not be loaded.
    Transport(Message),
    /// A table did not become `ACTIVE` within the allowed time.
    TableNotActive {
        /// The table's name, without prefix.
        table: String,
        /// How long the connection waited.
        waited_ms: u128,
    },
    /// An existing table differs from its declaration (see
    /// [`crate::TableSchema::differences`]): found on first use, before
    /// anything is read or written.
    SchemaMismatch {
        /// The table's full name, with the connection's prefix.
        table: String,
        /// Each difference in words, e.g. `"hash key is pk (S), declared id (S)"`.
        differences: Vec<String>,
    },
    /// A declared table does not exist, and the connection does not create
    /// tables ([`crate::TableCreation::RequireExisting`]).
    TableMissing {
        /// The table's full name, with the connection's prefix.
        table: String,
    },
    /// An environment variable holds a value the library does not know.
    InvalidEnv {
        /// The variable's name.
        variable: String,
        /// Its value.
        value: String,
        /// What it may hold instead.
        expected: String,
    },
    /// The mock does not implement this part of DynamoDB's API.
    Unsupported(String),
    /// A create-only write found an item with the same key.
    AlreadyExists {
        /// The table's name, without prefix.
        table: String,
    },
    /// A write that requires the item (an `update`) found no item with its key;
    /// nothing was written.
    NotFound {
        /// The table's name, without prefix.
        table: String,
        /// The key, as the record's key type prints it.
        key: String,
    },
    /// An optimistic-locking write found another version than the record's.
    VersionConflict {
        /// The table's name, without prefix.
        table: String,
        /// The version the record held.
        expected: u64,
    },
    /// A record could not be converted to or from an item.
    Conversion(crate::convert::ConvertError),
    /// A line of an import file is not an item in DynamoDB's export format
    /// (`{"Item": {...}}` in DynamoDB JSON).
    InvalidExportLine {
        /// The file, as given or found in the export's manifest.
        file: String,
        /// The line's number, counting from 1.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file of an export or import failed.
    Io {
        /// The file or folder.
        path: String,
        /// The operating system's error.
        message: String,
    },
    /// A copy's checkpoint file could not be read or written, or belongs to
    /// another job.
    Checkpoint {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A copy that fails on existing items found one in the target.
    ItemExists {
        /// The target table's name, without prefix.
        table: String,
        /// The key, in DynamoDB JSON.
        key: String,
    },
}

impl From<crate::convert::ConvertError> for Error {
    fn from(e: crate::convert::ConvertError) -> Error {
        Error::Conversion(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ConditionalCheckFailed { message, .. } => write!(f, "conditional check failed: {message}"),
            Error::ResourceNotFound(m) => write!(f, "resource not found: {m}"),
            Error::ResourceInUse(m) => write!(f, "resource in use: {m}"),
            Error::Validation(m) => write!(f, "validation error: {m}"),
            Error::TransactionCanceled { message, .. } => write!(f, "transaction canceled: {message}"),
            Error::TransactionConflict(m) => write!(f, "transaction conflict: {m}"),
            Error::IdempotentParameterMismatch(m) => write!(f, "idempotent parameter mismatch: {m}"),
            Error::ProvisionedThroughputExceeded(m) => write!(f, "provisioned throughput exceeded: {m}"),
            Error::Throttling(m) => write!(f, "throttled: {m}"),
            Error::ItemCollectionSizeLimitExceeded(m) => write!(f, "item collection size limit exceeded: {m}"),
            Error::LimitExceeded(m) => write!(f, "limit exceeded: {m}"),
            Error::Service { code, message } => write!(f, "{code}: {message}"),
            Error::Transport(m) => write!(f, "transport error: {m}"),
            Error::TableNotActive { table, waited_ms } => write!(f, "table {table} not active after {waited_ms} ms"),
            Error::Unsupported(m) => write!(f, "not supported by the mock: {m}"),
            Error::AlreadyExists { table } => write!(f, "an item with this key already exists in table {table}"),
            Error::SchemaMismatch { table, differences } => write!(
                f,
                "table {table} does not match its declaration: {}",
                differences.join("; ")
            ),
            Error::TableMissing { table } => write!(
                f,
                "table {table} does not exist, and this connection does not create tables"
            ),
            Error::InvalidEnv {
                variable,
                value,
                expected,
            } => write!(f, "environment variable {variable} is {value:?}: {expected}"),
            Error::NotFound { table, key } => write!(f, "no item with key {key} in table {table}"),
            Error::VersionConflict { table, expected } => write!(
                f,
                "version conflict in table {table}: the record holds version {expected}, the table another"
            ),
            Error::Conversion(e) => write!(f, "conversion error: {e}"),
            Error::InvalidExportLine { file, line, message } => write!(f, "{file}, line {line}: {message}"),
            Error::Io { path, message } => write!(f, "{path}: {message}"),
            Error::Checkpoint { path, problem } => write!(f, "checkpoint {path}: {problem}"),
            Error::ItemExists { table, key } => write!(f, "table {table} already has an item with key {key}"),
        }
    }
}

impl std::error::Error for Error {
    /// The SDK's error for errors from AWS (DynamoDB's answers and transport
    /// failures); the conversion error for [`Error::Conversion`].
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Conversion(e) => Some(e),
            other => other
                .message()
                .and_then(|m| m.origin())
                .map(|o| o as &(dyn std::error::Error + 'static)),
        }
    }
}

/// The message of an error from DynamoDB (or of a transport failure), with
/// where it came from when that is known.
///
/// Derefs to DynamoDB's text (`"Item size has exceeded the maximum allowed
/// size"`), so `message.contains(..)` and `*message == *"..."` read it;
/// `Display` adds the table and key when known:
/// `Item size has exceeded the maximum allowed size (table user, key id = "ann")`.
/// Equality compares the text, table and key, not the source.
#[derive(Clone, Default)]
pub struct Message {
    text: String,
    context: Option<Box<Context>>,
}

#[derive(Clone, Default)]
struct Context {
    table: Option<String>,
    key: Option<String>,
    origin: Option<Arc<dyn std::error::Error + Send + Sync>>,
    request_id: Option<String>,
}

impl Message {
    /// A message with this text and no context.
    pub fn new(text: impl Into<String>) -> Message {
        Message {
            text: text.into(),
            context: None,
        }
    }

    /// DynamoDB's text (also what the message derefs to).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The table the failed request was about, when the library knew it
    /// (the typed API names it; the raw [`crate::Backend`] does not).
    pub fn table(&self) -> Option<&str> {
        self.context.as_ref()?.table.as_deref()
    }

    /// The key of the item the failed request was about, rendered as
    /// `id = "ann"` or `player = "ann", game = 3`, when known.
    pub fn key(&self) -> Option<&str> {
        self.context.as_ref()?.key.as_deref()
    }

    /// The AWS request id of the answer, for errors from AWS that had one.
    pub fn request_id(&self) -> Option<&str> {
        self.context.as_ref()?.request_id.as_deref()
    }

    /// The underlying error (the SDK's), for errors from AWS.
    pub fn origin(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.context.as_ref()?.origin.as_deref()
    }

    fn context_mut(&mut self) -> &mut Context {
        self.context.get_or_insert_with(Default::default)
    }

    /// The message with the underlying error `origin` and its `request_id`.
    pub fn with_origin(
        mut self,
        origin: Arc<dyn std::error::Error + Send + Sync>,
        request_id: Option<String>,
    ) -> Message {
        let c = self.context_mut();
        c.origin = Some(origin);
        c.request_id = request_id;
        self
    }

    /// The message naming the table and (if given) the item key it is about.
    /// A table or key already named is kept.
    pub fn in_item(mut self, table: &str, key: Option<&str>) -> Message {
        let c = self.context_mut();
        c.table.get_or_insert_with(|| table.to_string());
        if let Some(key) = key {
            c.key.get_or_insert_with(|| key.to_string());
        }
        self
    }
}

impl std::ops::Deref for Message {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::new(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::new(text)
    }
}

impl From<Message> for String {
    /// The text alone (DynamoDB's message), without the context.
    fn from(m: Message) -> String {
        m.text
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.text == other.text && self.table() == other.table() && self.key() == other.key()
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        match (self.table(), self.key()) {
            (Some(t), Some(k)) => write!(f, " (table {t}, key {k})"),
            (Some(t), None) => write!(f, " (table {t})"),
            (None, Some(k)) => write!(f, " (key {k})"),
            (None, None) => Ok(()),
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.context.is_none() {
            return fmt::Debug::fmt(&self.text, f);
        }
        f.debug_struct("Message")
            .field("text", &self.text)
            .field("table", &self.table())
            .field("key", &self.key())
            .field("request_id", &self.request_id())
            .field("origin", &self.origin().map(|o| o.to_string()))
            .finish()
    }
}

/// The variants that carry DynamoDB's [`Message`], listed once for
/// [`Error::message`] and [`Error::message_mut`].
macro_rules! with_message {
    ($e:expr) => {
        match $e {
            Error::ConditionalCheckFailed { message, .. }
            | Error::TransactionCanceled { message, .. }
            | Error::Service { message, .. }
            | Error::ResourceNotFound(message)
            | Error::ResourceInUse(message)
            | Error::Validation(message)
            | Error::TransactionConflict(message)
            | Error::IdempotentParameterMismatch(message)
            | Error::ProvisionedThroughputExceeded(message)
            | Error::Throttling(message)
            | Error::ItemCollectionSizeLimitExceeded(message)
            | Error::LimitExceeded(message)
            | Error::Transport(message) => Some(message),
            _ => None,
        }
    };
}

impl Error {
    /// Builds the variant DynamoDB's error `code` maps to (listed in
    /// [`crate::vocab::codes`]). Codes may carry a namespace
    /// (`com.amazonaws.dynamodb.v20120810#ValidationException`).
    pub fn from_code(code: &str, message: impl Into<Message>) -> Error {
        let message = message.into();
        match codes::lookup(code) {
            Some(c) => c.error(message),
            None => Error::Service {
                code: codes::short(code).to_string(),
                message,
            },
        }
    }

    /// DynamoDB's error code for this error (`"Transport"`, `"TableNotActive"`
    /// and `"Unsupported"` for the errors that do not come from DynamoDB).
    pub fn code(&self) -> &str {
        if let Some(c) = codes::of(self) {
            return c.code;
        }
        match self {
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
            Error::InvalidExportLine { .. } => "InvalidExportLine",
            Error::Io { .. } => "Io",
            Error::Checkpoint { .. } => "Checkpoint",
            Error::ItemExists { .. } => "ItemExists",
            // The variants with a DynamoDB code, answered above.
            Error::ConditionalCheckFailed { .. }
            | Error::ResourceNotFound(_)
            | Error::ResourceInUse(_)
            | Error::Validation(_)
            | Error::TransactionCanceled { .. }
            | Error::TransactionConflict(_)
            | Error::IdempotentParameterMismatch(_)
            | Error::ProvisionedThroughputExceeded(_)
            | Error::Throttling(_)
            | Error::ItemCollectionSizeLimitExceeded(_)
            | Error::LimitExceeded(_) => "",
        }
    }

    /// The message of an error DynamoDB (or the transport) reported, with
    /// its context; `None` for the errors the library itself raises.
    pub fn message(&self) -> Option<&Message> {
        with_message!(self)
    }

    pub(crate) fn message_mut(&mut self) -> Option<&mut Message> {
        with_message!(self)
    }

    /// The AWS request id of the answer this error came from (errors from
    /// [`crate::AwsBackend`] that had one).
    pub fn request_id(&self) -> Option<&str> {
        self.message()?.request_id()
    }

    /// The error naming the table and (if given) the item key it is about:
    /// in its [`Message`], or in its [`ConvertError`](crate::ConvertError).
    /// What the error already names is kept.
    pub fn in_item(mut self, table: &str, key: Option<&str>) -> Error {
        if let Error::Conversion(e) = self {
            return Error::Conversion(e.in_item(table, key));
        }
        if let Some(m) = self.message_mut() {
            *m = std::mem::take(m).in_item(table, key);
        }
        self
    }

    /// True for errors worth retrying with backoff (throttling, throughput,
    /// transaction conflicts, transport failures, internal server errors).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(_) => true,
            // Only the codes without a variant of their own arrive as `Service`.
            Error::Service { code, .. } => {
                codes::lookup(code).is_some_and(|c| c.code == code && !c.has_variant() && c.retryable)
            }
            other => codes::of(other).is_some_and(|c| c.retryable),
        }
    }
}

/// Shorthand for `Result<T, dynamo_objects::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<aws_sdk_dynamodb::error::BuildError> for Error {
    /// A request the SDK's builder refused (a required member missing) is a
    /// validation error, as DynamoDB would call it.
    fn from(e: aws_sdk_dynamodb::error::BuildError) -> Error {
        Error::Validation(e.to_string().into())
    }
}
