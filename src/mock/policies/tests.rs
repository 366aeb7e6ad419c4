//! Resource policies kept by the engine.

use crate::Error;
use crate::mock::MockBackend;
use crate::sdk::*;

const DOC: &str = r#"{"Version":"2012-10-17","Statement":[]}"#;

fn table(mock: &MockBackend, name: &str) -> String {
    let schema = crate::schema::TableSchema::new(name, crate::schema::KeyAttr::new("id", crate::schema::KeyType::S));
    mock.create_table_sync(schema.create_table_input(name).expect("input"))
        .expect("created")
        .table_description
        .and_then(|d| d.table_arn)
        .expect("an ARN")
}

fn put(mock: &MockBackend, arn: &str, doc: &str, expected: Option<&str>) -> Result<String, Error> {
    let input = PutResourcePolicyInput::builder()
        .resource_arn(arn)
        .policy(doc)
        .set_expected_revision_id(expected.map(str::to_string))
        .build()
        .expect("input");
    Ok(mock
        .put_resource_policy_sync(input)?
        .revision_id
        .expect("a revision id"))
}

fn get(mock: &MockBackend, arn: &str) -> Result<(String, String), Error> {
    let input = GetResourcePolicyInput::builder()
        .resource_arn(arn)
        .build()
        .expect("input");
    let out = mock.get_resource_policy_sync(input)?;
    Ok((out.policy.expect("policy"), out.revision_id.expect("revision")))
}

fn delete(mock: &MockBackend, arn: &str, expected: Option<&str>) -> Result<Option<String>, Error> {
    let input = DeleteResourcePolicyInput::builder()
        .resource_arn(arn)
        .set_expected_revision_id(expected.map(str::to_string))
        .build()
        .expect("input");
    Ok(mock.delete_resource_policy_sync(input)?.revision_id)
}

fn policy_not_found<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::Service { code, message }) if code == "PolicyNotFoundException" => message.text().to_string(),
        other => panic!("expected PolicyNotFoundException, got {other:?}"),
    }
}

#[test]
fn a_policy_put_is_returned_as_put_with_a_revision_id_that_each_put_changes() {
    let mock = MockBackend::new();
    let arn = table(&mock, "orders");
    let first = put(&mock, &arn, DOC, None).expect("put");
    assert!(
        !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()),
        "{first}"
    );
    assert_eq!(get(&mock, &arn).expect("got"), (DOC.to_string(), first.clone()));
    let second = put(&mock, &arn, "{}", Some(&first)).expect("put at the revision expected");
    assert_ne!(second, first);
    assert_eq!(get(&mock, &arn).expect("got"), ("{}".to_string(), second.clone()));
    assert_eq!(delete(&mock, &arn, Some(&second)).expect("deleted"), Some(second));
    assert_eq!(
        policy_not_found(get(&mock, &arn)),
        format!("Resource-based policy not found for the provided ResourceArn: {arn}")
    );
}

#[test]
fn an_expected_revision_id_that_is_not_the_current_one_is_policy_not_found_and_changes_nothing() {
    let mock = MockBackend::new();
    let arn = table(&mock, "orders");
    // NO_POLICY: put only when there is none.
    let rev = put(&mock, &arn, DOC, Some("NO_POLICY")).expect("put");
    assert_eq!(
        policy_not_found(put(&mock, &arn, "{}", Some("NO_POLICY"))),
        format!(
            "Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id NO_POLICY, but the policy associated to target table {arn} has revision id {rev}"
        )
    );
    policy_not_found(put(&mock, &arn, "{}", Some("123")));
    policy_not_found(delete(&mock, &arn, Some("123")));
    assert_eq!(get(&mock, &arn).expect("got"), (DOC.to_string(), rev));
}

#[test]
fn deleting_a_policy_that_is_not_there_is_policy_not_found_and_a_missing_table_is_resource_not_found() {
    let mock = MockBackend::new();
    let arn = table(&mock, "orders");
    assert_eq!(
        policy_not_found(delete(&mock, &arn, None)),
        format!("Resource-based policy not found for the provided ResourceArn: {arn}")
    );
    let missing = arn.replace("orders", "missing");
    assert_eq!(
        put(&mock, &missing, DOC, None),
        Err(Error::ResourceNotFound(
            format!("Requested resource not found: ResourcArn: {missing} not found").into()
        ))
    );
}

#[test]
fn a_table_deleted_and_created_again_under_its_name_has_no_policy() {
    let mock = MockBackend::new();
    let arn = table(&mock, "orders");
    put(&mock, &arn, DOC, None).expect("put");
    mock.delete_table_sync(DeleteTableInput::builder().table_name("orders").build().expect("input"))
        .expect("deleted");
    assert_eq!(table(&mock, "orders"), arn);
    policy_not_found(get(&mock, &arn));
}

#[test]
fn the_resource_policy_given_to_create_table_is_kept_as_if_put() {
    let mock = MockBackend::new();
    let schema =
        crate::schema::TableSchema::new("orders", crate::schema::KeyAttr::new("id", crate::schema::KeyType::S));
    let mut input = schema.create_table_input("orders").expect("input");
    input.resource_policy = Some(DOC.to_string());
    let arn = mock
        .create_table_sync(input)
        .expect("created")
        .table_description
        .and_then(|d| d.table_arn)
        .expect("an ARN");
    let (doc, revision) = get(&mock, &arn).expect("the policy");
    assert_eq!(doc, DOC);
    assert_eq!(delete(&mock, &arn, Some(&revision)).expect("deleted"), Some(revision));
}
