//! DynamoDB's error codes, listed once: the short code (what
//! [`Error::code`] returns and [`Error::from_code`] reads), the `__type`
//! DynamoDB sends on the wire (with its namespace), the HTTP status it comes
//! with, whether it is worth retrying, and the [`Error`] variant it maps to.

use std::borrow::Cow;

use crate::error::{Error, Message};

/// The `__type` namespace of DynamoDB's own errors.
pub const DYNAMODB_NAMESPACE: &str = "com.amazonaws.dynamodb.v20120810#";

/// One DynamoDB error code.
#[derive(Debug, Clone, Copy)]
pub struct Code {
    /// The short code, e.g. `ResourceNotFoundException`.
    pub code: &'static str,
    /// The wire `__type`, e.g.
    /// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`.
    pub wire_type: &'static str,
    /// The HTTP status DynamoDB answers with.
    pub status: u16,
    /// Worth retrying with backoff.
    pub retryable: bool,
    /// The [`Error`] it maps to, built from its message; `None` for codes
    /// without a variant of their own (they map to [`Error::Service`]).
    build: Option<fn(Message) -> Error>,
}

impl Code {
    /// The error this code and `message` map to.
    pub fn error(&self, message: Message) -> Error {
        match self.build {
            Some(build) => build(message),
            None => Error::Service {
                code: self.code.to_string(),
                message,
            },
        }
    }

    /// True when the code has an [`Error`] variant of its own (rather than
    /// [`Error::Service`]).
    pub fn has_variant(&self) -> bool {
        self.build.is_some()
    }
}

/// A code of DynamoDB's namespace.
macro_rules! ddb {
    ($code:literal, $status:expr, $retryable:expr, $build:expr) => {
        Code {
            code: $code,
            wire_type: concat!("com.amazonaws.dynamodb.v20120810#", $code),
            status: $status,
            retryable: $retryable,
            build: $build,
        }
    };
}

/// A code of one of the namespaces of AWS's common layer (`com.amazon.coral.*`).
macro_rules! coral {
    ($namespace:literal, $code:literal, $status:expr, $retryable:expr, $build:expr) => {
        Code {
            code: $code,
            wire_type: concat!("com.amazon.coral.", $namespace, "#", $code),
            status: $status,
            retryable: $retryable,
            build: $build,
        }
    };
}

/// `ConditionalCheckFailedException`.
pub const CONDITIONAL_CHECK_FAILED: Code = ddb!(
    "ConditionalCheckFailedException",
    400,
    false,
    Some(|message| Error::ConditionalCheckFailed { message, item: None })
);
/// `ResourceNotFoundException`.
pub const RESOURCE_NOT_FOUND: Code = ddb!("ResourceNotFoundException", 400, false, Some(Error::ResourceNotFound));
/// `ResourceInUseException`.
pub const RESOURCE_IN_USE: Code = ddb!("ResourceInUseException", 400, false, Some(Error::ResourceInUse));
/// `ValidationException`, of the validation layer's namespace.
pub const VALIDATION: Code = coral!("validate", "ValidationException", 400, false, Some(Error::Validation));
/// `TransactionCanceledException`.
pub const TRANSACTION_CANCELED: Code = ddb!(
    "TransactionCanceledException",
    400,
    false,
    Some(|message| Error::TransactionCanceled {
        message,
        reasons: Vec::new(),
        causes: Vec::new(),
    })
);
/// `TransactionConflictException`.
pub const TRANSACTION_CONFLICT: Code = ddb!(
    "TransactionConflictException",
    400,
    true,
    Some(Error::TransactionConflict)
);
/// `IdempotentParameterMismatchException`.
pub const IDEMPOTENT_PARAMETER_MISMATCH: Code = ddb!(
    "IdempotentParameterMismatchException",
    400,
    false,
    Some(Error::IdempotentParameterMismatch)
);
/// `ProvisionedThroughputExceededException`.
pub const PROVISIONED_THROUGHPUT_EXCEEDED: Code = ddb!(
    "ProvisionedThroughputExceededException",
    400,
    true,
    Some(Error::ProvisionedThroughputExceeded)
);
/// `ThrottlingException`, of the availability layer's namespace.
pub const THROTTLING: Code = coral!(
    "availability",
    "ThrottlingException",
    400,
    true,
    Some(Error::Throttling)
);
/// `RequestLimitExceeded` (account-level throughput): read as [`Error::Throttling`].
pub const REQUEST_LIMIT_EXCEEDED: Code = ddb!("RequestLimitExceeded", 400, true, Some(Error::Throttling));
/// `ItemCollectionSizeLimitExceededException`.
pub const ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED: Code = ddb!(
    "ItemCollectionSizeLimitExceededException",
    400,
    false,
    Some(Error::ItemCollectionSizeLimitExceeded)
);
/// `LimitExceededException`.
pub const LIMIT_EXCEEDED: Code = ddb!("LimitExceededException", 400, true, Some(Error::LimitExceeded));
/// `InternalServerError` (an [`Error::Service`]).
pub const INTERNAL_SERVER_ERROR: Code = ddb!("InternalServerError", 500, true, None);
/// `ServiceUnavailable` (an [`Error::Service`]; the mock never sends it).
pub const SERVICE_UNAVAILABLE: Code = ddb!("ServiceUnavailable", 503, true, None);
/// `SerializationException`: a body of the wrong shape.
pub const SERIALIZATION: Code = coral!("service", "SerializationException", 400, false, None);
/// `UnknownOperationException`: an `X-Amz-Target` naming no operation.
pub const UNKNOWN_OPERATION: Code = coral!("service", "UnknownOperationException", 400, false, None);
/// `RequestTimeoutException`: the request did not arrive in time.
pub const REQUEST_TIMEOUT: Code = coral!("service", "RequestTimeoutException", 408, false, None);
/// `MissingAuthenticationTokenException`: no signature.
pub const MISSING_AUTHENTICATION_TOKEN: Code =
    coral!("service", "MissingAuthenticationTokenException", 400, false, None);
/// `IncompleteSignatureException`: a signature missing parts.
pub const INCOMPLETE_SIGNATURE: Code = coral!("service", "IncompleteSignatureException", 400, false, None);
/// `InvalidSignatureException`: a signature that does not match.
pub const INVALID_SIGNATURE: Code = coral!("service", "InvalidSignatureException", 400, false, None);
/// `UnrecognizedClientException`: an access key DynamoDB does not know.
pub const UNRECOGNIZED_CLIENT: Code = coral!("service", "UnrecognizedClientException", 400, false, None);

/// Every code in this module.
pub const ALL: [Code; 21] = [
    CONDITIONAL_CHECK_FAILED,
    RESOURCE_NOT_FOUND,
    RESOURCE_IN_USE,
    VALIDATION,
    TRANSACTION_CANCELED,
    TRANSACTION_CONFLICT,
    IDEMPOTENT_PARAMETER_MISMATCH,
    PROVISIONED_THROUGHPUT_EXCEEDED,
    THROTTLING,
    REQUEST_LIMIT_EXCEEDED,
    ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED,
    LIMIT_EXCEEDED,
    INTERNAL_SERVER_ERROR,
    SERVICE_UNAVAILABLE,
    SERIALIZATION,
    UNKNOWN_OPERATION,
    REQUEST_TIMEOUT,
    MISSING_AUTHENTICATION_TOKEN,
    INCOMPLETE_SIGNATURE,
    INVALID_SIGNATURE,
    UNRECOGNIZED_CLIENT,
];

/// The short code of a code that may carry a namespace
/// (`com.amazonaws.dynamodb.v20120810#ValidationException` → `ValidationException`).
pub fn short(code: &str) -> &str {
    code.rsplit('#').next().unwrap_or(code)
}

/// The code of this short code or wire `__type` (any namespace), if listed.
pub fn lookup(code: &str) -> Option<&'static Code> {
    let code = short(code);
    ALL.iter().find(|c| c.code == code)
}

/// The wire `__type` of a short code: the listed one, or the code in
/// DynamoDB's namespace for codes not listed.
pub fn wire_type(code: &str) -> Cow<'static, str> {
    match lookup(code) {
        Some(c) => Cow::Borrowed(c.wire_type),
        None => Cow::Owned(format!("{DYNAMODB_NAMESPACE}{}", short(code))),
    }
}

/// The HTTP status of a short code: the listed one, or 400 (a client
/// error) for codes not listed.
pub fn status(code: &str) -> u16 {
    lookup(code).map_or(400, |c| c.status)
}

/// The code of an error that has a variant of its own (`None` for
/// [`Error::Service`] and for the errors the library itself raises).
pub fn of(error: &Error) -> Option<&'static Code> {
    Some(match error {
        Error::ConditionalCheckFailed { .. } => &CONDITIONAL_CHECK_FAILED,
        Error::ResourceNotFound(_) => &RESOURCE_NOT_FOUND,
        Error::ResourceInUse(_) => &RESOURCE_IN_USE,
        Error::Validation(_) => &VALIDATION,
        Error::TransactionCanceled { .. } => &TRANSACTION_CANCELED,
        Error::TransactionConflict(_) => &TRANSACTION_CONFLICT,
        Error::IdempotentParameterMismatch(_) => &IDEMPOTENT_PARAMETER_MISMATCH,
        Error::ProvisionedThroughputExceeded(_) => &PROVISIONED_THROUGHPUT_EXCEEDED,
        Error::Throttling(_) => &THROTTLING,
        Error::ItemCollectionSizeLimitExceeded(_) => &ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED,
        Error::LimitExceeded(_) => &LIMIT_EXCEEDED,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_with_a_variant_reads_back_as_itself_except_request_limit_exceeded() {
        for c in ALL.iter().filter(|c| c.has_variant()) {
            let e = Error::from_code(c.code, "m");
            let back = of(&e).expect("a variant with a code");
            let expected = if c.code == "RequestLimitExceeded" {
                "ThrottlingException"
            } else {
                c.code
            };
            assert_eq!((back.code, e.code()), (expected, expected));
            assert_eq!(e.message().map(|m| m.text()), Some("m"));
        }
    }

    #[test]
    fn codes_without_a_variant_and_unknown_codes_are_service_errors() {
        for code in [
            "InternalServerError",
            "ServiceUnavailable",
            "SerializationException",
            "NoSuchThing",
        ] {
            let e = Error::from_code(code, "m");
            assert_eq!(
                e,
                Error::Service {
                    code: code.into(),
                    message: "m".into()
                }
            );
            assert_eq!(e.code(), code);
        }
    }

    #[test]
    fn wire_types_carry_the_namespace_dynamodb_sends() {
        assert_eq!(
            wire_type("ResourceNotFoundException"),
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
        );
        assert_eq!(
            wire_type("ValidationException"),
            "com.amazon.coral.validate#ValidationException"
        );
        assert_eq!(
            wire_type("ThrottlingException"),
            "com.amazon.coral.availability#ThrottlingException"
        );
        assert_eq!(
            wire_type("SerializationException"),
            "com.amazon.coral.service#SerializationException"
        );
        assert_eq!(
            wire_type("InternalServerError"),
            "com.amazonaws.dynamodb.v20120810#InternalServerError"
        );
        assert_eq!(
            wire_type("SomeNewException"),
            "com.amazonaws.dynamodb.v20120810#SomeNewException"
        );
        // A namespaced code reads as its short code.
        assert_eq!(
            lookup("com.amazonaws.dynamodb.v20120810#ValidationException").map(|c| c.code),
            Some("ValidationException")
        );
        for c in &ALL {
            assert_eq!(short(c.wire_type), c.code);
            assert!(c.wire_type.starts_with("com.amazon"), "{}", c.wire_type);
        }
    }

    #[test]
    fn each_code_is_listed_once() {
        for (i, c) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|d| d.code != c.code), "{}", c.code);
        }
    }

    #[test]
    fn statuses_are_dynamodb_s() {
        let status = |code| lookup(code).map(|c| c.status);
        assert_eq!(status("ValidationException"), Some(400));
        assert_eq!(status("InternalServerError"), Some(500));
        assert_eq!(status("ServiceUnavailable"), Some(503));
        assert_eq!(status("RequestTimeoutException"), Some(408));
    }
}
