use std::collections::HashMap;

use aws_sdk_dynamodb::error::ErrorMetadata;
use aws_sdk_dynamodb::types::error::ResourceNotFoundException;

use super::*;

fn response(status: u16) -> HttpResponse {
    HttpResponse::new(status.try_into().expect("valid status"), "{}".into())
}

fn item() -> crate::Item {
    HashMap::from([
        ("pk".to_string(), AttributeValue::S("a".into())),
        ("n".to_string(), AttributeValue::N("1".into())),
    ])
}

#[test]
fn conditional_check_failed_keeps_the_item() {
    let e = ConditionalCheckFailedException::builder()
        .message("The conditional request failed")
        .set_item(Some(item()))
        .meta(ErrorMetadata::builder().code("ConditionalCheckFailedException").build())
        .build();
    let err = map_err(SdkError::service_error(
        PutItemError::ConditionalCheckFailedException(e.clone()),
        response(400),
    ));
    assert_eq!(
        err,
        Error::ConditionalCheckFailed {
            message: "The conditional request failed".into(),
            item: Some(item())
        }
    );
    for err in [
        map_err(SdkError::service_error(
            UpdateItemError::ConditionalCheckFailedException(e.clone()),
            response(400),
        )),
        map_err(SdkError::service_error(
            DeleteItemError::ConditionalCheckFailedException(e),
            response(400),
        )),
    ] {
        assert!(matches!(err, Error::ConditionalCheckFailed { item: Some(ref i), .. } if *i == item()));
    }
}

#[test]
fn conditional_check_failed_without_item() {
    let e = ConditionalCheckFailedException::builder().message("m").build();
    let err = map_err(SdkError::service_error(
        DeleteItemError::ConditionalCheckFailedException(e),
        response(400),
    ));
    assert_eq!(
        err,
        Error::ConditionalCheckFailed {
            message: "m".into(),
            item: None
        }
    );
}

#[test]
fn transaction_canceled_keeps_the_reasons() {
    let reasons = vec![
        CancellationReason::builder().code("None").build(),
        CancellationReason::builder()
            .code("ConditionalCheckFailed")
            .message("The conditional request failed")
            .set_item(Some(item()))
            .build(),
    ];
    let e = TransactionCanceledException::builder()
        .message("Transaction cancelled")
        .set_cancellation_reasons(Some(reasons.clone()))
        .build();
    let expected = Error::TransactionCanceled {
        message: "Transaction cancelled".into(),
        reasons,
        causes: Vec::new(),
    };
    let err = map_err(SdkError::service_error(
        TransactWriteItemsError::TransactionCanceledException(e.clone()),
        response(400),
    ));
    assert_eq!(err, expected);
    let err = map_err(SdkError::service_error(
        TransactGetItemsError::TransactionCanceledException(e),
        response(400),
    ));
    assert_eq!(err, expected);
}

#[test]
fn generic_errors_map_by_code() {
    let meta = |code: &str| ErrorMetadata::builder().code(code).message("m").build();
    let err = map_err(SdkError::service_error(
        PutItemError::generic(meta("ValidationException")),
        response(400),
    ));
    assert_eq!(err, Error::Validation("m".into()));
    let err = map_err(SdkError::service_error(
        QueryError::generic(meta("ThrottlingException")),
        response(400),
    ));
    assert_eq!(err, Error::Throttling("m".into()));
    let err = map_err(SdkError::service_error(
        ScanError::generic(meta("InternalServerError")),
        response(500),
    ));
    assert_eq!(
        err,
        Error::Service {
            code: "InternalServerError".into(),
            message: "m".into()
        }
    );
    // A ConditionalCheckFailedException that the SDK did not type (no item).
    let err = map_err(SdkError::service_error(
        TransactWriteItemsError::generic(meta("ConditionalCheckFailedException")),
        response(400),
    ));
    assert_eq!(
        err,
        Error::ConditionalCheckFailed {
            message: "m".into(),
            item: None
        }
    );
}

#[test]
fn typed_errors_map_by_code() {
    let e = ResourceNotFoundException::builder()
        .message("Requested resource not found")
        .meta(
            ErrorMetadata::builder()
                .code("ResourceNotFoundException")
                .message("Requested resource not found")
                .build(),
        )
        .build();
    let err = map_err(SdkError::service_error(
        GetItemError::ResourceNotFoundException(e),
        response(400),
    ));
    assert_eq!(err, Error::ResourceNotFound("Requested resource not found".into()));
}

#[test]
fn service_error_without_code_is_unknown() {
    let err = map_err(SdkError::service_error(
        PutItemError::generic(ErrorMetadata::builder().message("odd").build()),
        response(500),
    ));
    assert_eq!(
        err,
        Error::Service {
            code: "Unknown".into(),
            message: "odd".into()
        }
    );
    // No code, no message: e.g. a proxy's empty 404.
    let err = map_err(SdkError::service_error(
        ListTablesError::generic(ErrorMetadata::builder().build()),
        HttpResponse::new(404.try_into().expect("status"), "Not Found".into()),
    ));
    assert!(
        matches!(err, Error::Service { ref code, ref message }
            if code == "Unknown" && message.starts_with("HTTP 404") && message.ends_with(": Not Found")),
        "{err:?}"
    );
}

#[test]
fn transport_errors_keep_their_causes() {
    let err = map_err(SdkError::<PutItemError, HttpResponse>::timeout_error(
        "operation timeout (all attempts) after 1s",
    ));
    match err {
        Error::Transport(message) => {
            assert!(message.contains("timed out"), "{message}");
            assert!(message.contains("after 1s"), "{message}");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    let err = map_err(SdkError::<GetItemError, HttpResponse>::construction_failure(
        "no credentials",
    ));
    assert!(
        matches!(err, Error::Transport(ref m) if m.contains("no credentials")),
        "{err:?}"
    );
    assert!(err.is_retryable());
    let err = map_err(SdkError::<ScanError, HttpResponse>::response_error(
        "invalid JSON",
        response(502),
    ));
    assert!(
        matches!(err, Error::Transport(ref m) if m.contains("HTTP 502") && m.contains("invalid JSON")),
        "{err:?}"
    );
}

#[test]
fn errors_from_aws_keep_the_sdk_error_as_source_and_its_request_id() {
    let mut raw = response(400);
    raw.headers_mut().insert("x-amzn-RequestId", "REQ-42");
    let meta = ErrorMetadata::builder()
        .code("ValidationException")
        .message("m")
        .build();
    let err = map_err(SdkError::service_error(PutItemError::generic(meta), raw));
    assert_eq!(err, Error::Validation("m".into()));
    assert_eq!(err.request_id(), Some("REQ-42"));
    let source = StdError::source(&err).expect("the SDK error");
    let sdk = source
        .downcast_ref::<SdkError<PutItemError, HttpResponse>>()
        .expect("an SdkError");
    assert_eq!(sdk.code(), Some("ValidationException"));
    // Clones keep the source.
    assert!(StdError::source(&err.clone()).is_some());
    // A transport failure keeps its cause as the source, and has no request id.
    let err = map_err(SdkError::<GetItemError, HttpResponse>::construction_failure(
        "no credentials",
    ));
    assert_eq!(err.request_id(), None);
    let source = StdError::source(&err).expect("the SDK error");
    assert!(source.downcast_ref::<SdkError<GetItemError, HttpResponse>>().is_some());
    assert_eq!(
        StdError::source(source).map(|c| c.to_string()).as_deref(),
        Some("no credentials")
    );
}

/// The field names of a `Debug`-printed input whose fields are all `None`.
fn debug_fields(debug: &str) -> Vec<String> {
    let open = debug.find('{').expect("struct debug output");
    debug[open + 1..]
        .trim_end_matches('}')
        .split(", ")
        .map(|field| field.split(':').next().unwrap_or_default().trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

fn assert_copies_every_field<T: IntoBuilder + fmt::Debug>(empty: T) {
    let mut sdk = debug_fields(&format!("{empty:?}"));
    let mut ours: Vec<String> = T::FIELDS.iter().map(|f| f.to_string()).collect();
    sdk.sort();
    ours.sort();
    assert_eq!(
        ours,
        sdk,
        "{}: fields copied vs. fields in the SDK",
        std::any::type_name::<T>()
    );
}

#[test]
fn inputs_copy_every_field() {
    assert_copies_every_field(CreateTableInput::builder().build().expect("input"));
    assert_copies_every_field(DescribeTableInput::builder().build().expect("input"));
    assert_copies_every_field(UpdateTableInput::builder().build().expect("input"));
    assert_copies_every_field(DeleteTableInput::builder().build().expect("input"));
    assert_copies_every_field(ListTablesInput::builder().build().expect("input"));
    assert_copies_every_field(GetItemInput::builder().build().expect("input"));
    assert_copies_every_field(PutItemInput::builder().build().expect("input"));
    assert_copies_every_field(UpdateItemInput::builder().build().expect("input"));
    assert_copies_every_field(DeleteItemInput::builder().build().expect("input"));
    assert_copies_every_field(QueryInput::builder().build().expect("input"));
    assert_copies_every_field(ScanInput::builder().build().expect("input"));
    assert_copies_every_field(BatchGetItemInput::builder().build().expect("input"));
    assert_copies_every_field(BatchWriteItemInput::builder().build().expect("input"));
    assert_copies_every_field(TransactGetItemsInput::builder().build().expect("input"));
    assert_copies_every_field(TransactWriteItemsInput::builder().build().expect("input"));
    assert_copies_every_field(UpdateTimeToLiveInput::builder().build().expect("input"));
    assert_copies_every_field(DescribeTimeToLiveInput::builder().build().expect("input"));
    assert_copies_every_field(TagResourceInput::builder().build().expect("input"));
    assert_copies_every_field(UntagResourceInput::builder().build().expect("input"));
    assert_copies_every_field(ListTagsOfResourceInput::builder().build().expect("input"));
    // Backups, point-in-time recovery, resource policies
    assert_copies_every_field(CreateBackupInput::builder().build().expect("input"));
    assert_copies_every_field(DescribeBackupInput::builder().build().expect("input"));
    assert_copies_every_field(ListBackupsInput::builder().build().expect("input"));
    assert_copies_every_field(DeleteBackupInput::builder().build().expect("input"));
    assert_copies_every_field(RestoreTableFromBackupInput::builder().build().expect("input"));
    assert_copies_every_field(UpdateContinuousBackupsInput::builder().build().expect("input"));
    assert_copies_every_field(DescribeContinuousBackupsInput::builder().build().expect("input"));
    assert_copies_every_field(RestoreTableToPointInTimeInput::builder().build().expect("input"));
    assert_copies_every_field(PutResourcePolicyInput::builder().build().expect("input"));
    assert_copies_every_field(GetResourcePolicyInput::builder().build().expect("input"));
    assert_copies_every_field(DeleteResourcePolicyInput::builder().build().expect("input"));
}

#[test]
fn into_builder_round_trips() {
    let input = PutItemInput::builder()
        .table_name("t")
        .set_item(Some(item()))
        .expected("pk", ExpectedAttributeValue::builder().exists(false).build())
        .return_values(ReturnValue::AllOld)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .return_item_collection_metrics(ReturnItemCollectionMetrics::Size)
        .conditional_operator(ConditionalOperator::And)
        .condition_expression("attribute_not_exists(#k)")
        .expression_attribute_names("#k", "pk")
        .expression_attribute_values(":v", AttributeValue::Bool(true))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .expect("input");
    assert_eq!(input.clone().into_builder().build().expect("input"), input);

    let input = ScanInput::builder()
        .table_name("t")
        .index_name("i")
        .limit(5)
        .segment(1)
        .total_segments(4)
        .consistent_read(true)
        .select(Select::Count)
        .build()
        .expect("input");
    assert_eq!(input.clone().into_builder().build().expect("input"), input);
}

#[test]
fn options_builder_and_debug() {
    let options = AwsOptions::new()
        .region("eu-west-1")
        .endpoint_url("http://localhost:8000")
        .credentials("AKID", "SECRET")
        .session_token("TOKEN")
        .profile("p")
        .timeout(Duration::from_secs(3))
        .max_attempts(2);
    assert_eq!(options.secret_access_key.as_deref(), Some("SECRET"));
    let debug = format!("{options:?}");
    assert!(debug.contains("AKID") && debug.contains("eu-west-1"), "{debug}");
    assert!(!debug.contains("SECRET") && !debug.contains("TOKEN"), "{debug}");
}

#[test]
fn local_backend_is_configured_without_the_environment() {
    let backend = AwsBackend::local("http://127.0.0.1:8000");
    let config = backend.client().config();
    assert_eq!(config.region().map(|r| r.as_ref()), Some(LOCAL_REGION));
}
