//! Tags kept by the engine, through the in-process mock's `Backend` methods.

use futures::executor::block_on;

use crate::Error;
use crate::backend::Backend;
use crate::mock::MockBackend;
use crate::sdk::*;

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().expect("tag")
}

fn table(mock: &MockBackend, name: &str) -> String {
    let input = CreateTableInput::builder()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("definition"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .build()
        .expect("input");
    let out = block_on(mock.create_table(input)).expect("created");
    out.table_description
        .and_then(|d| d.table_arn)
        .expect("the table has an ARN")
}

fn list(mock: &MockBackend, arn: &str) -> Result<Vec<(String, String)>, Error> {
    let input = ListTagsOfResourceInput::builder().resource_arn(arn).build()?;
    let out = block_on(mock.list_tags_of_resource(input))?;
    Ok(out
        .tags
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect())
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn the_in_process_mock_tags_untags_and_lists_in_key_order() {
    let mock = MockBackend::new();
    let arn = table(&mock, "things");
    let input = TagResourceInput::builder()
        .resource_arn(&arn)
        .tags(tag("team", "a"))
        .tags(tag("env", "dev"))
        .tags(tag("team", "b"))
        .build()
        .expect("input");
    block_on(mock.tag_resource(input)).expect("tagged");
    assert_eq!(
        list(&mock, &arn).expect("listed"),
        pairs(&[("env", "dev"), ("team", "b")])
    );
    let input = UntagResourceInput::builder()
        .resource_arn(&arn)
        .tag_keys("team")
        .tag_keys("never-set")
        .build()
        .expect("input");
    block_on(mock.untag_resource(input)).expect("untagged");
    assert_eq!(list(&mock, &arn).expect("listed"), pairs(&[("env", "dev")]));
}

#[test]
fn a_deleted_table_takes_its_tags_with_it() {
    let mock = MockBackend::new();
    let arn = table(&mock, "things");
    let input = TagResourceInput::builder()
        .resource_arn(&arn)
        .tags(tag("env", "dev"))
        .build()
        .expect("input");
    block_on(mock.tag_resource(input)).expect("tagged");
    let input = DeleteTableInput::builder().table_name("things").build().expect("input");
    block_on(mock.delete_table(input)).expect("deleted");
    let arn = table(&mock, "things");
    assert_eq!(list(&mock, &arn).expect("listed"), Vec::new());
}

#[test]
fn an_arn_that_is_not_a_table_s_is_invalid_and_one_of_no_table_is_not_found() {
    let mock = MockBackend::new();
    let arn = table(&mock, "things");
    match list(&mock, "not-an-arn") {
        Err(Error::Validation(m)) => assert_eq!(
            m.to_string(),
            "Invalid TableArn: Invalid ResourceArn provided as input not-an-arn"
        ),
        other => panic!("{other:?}"),
    }
    let missing = arn.replace("table/things", "table/other");
    match list(&mock, &missing) {
        Err(Error::ResourceNotFound(m)) => assert_eq!(
            m.to_string(),
            format!("Requested resource not found: ResourcArn: {missing} not found")
        ),
        other => panic!("{other:?}"),
    }
    // The right table name in another region is not this table.
    let elsewhere = arn.replace(":ddblocal:", ":us-east-1:");
    assert!(
        matches!(list(&mock, &elsewhere), Err(Error::ResourceNotFound(_))),
        "{elsewhere}"
    );
}

#[test]
fn another_account_s_arn_is_access_denied_for_listing_tagging_and_untagging() {
    let mock = MockBackend::new();
    let arn = table(&mock, "things");
    let elsewhere = arn.replace(":000000000000:", ":111111111111:");
    let expect = |got: Result<(), Error>, action: &str, resource: &str| match got {
        Err(Error::Service { code, message }) => {
            assert_eq!(code, "AccessDeniedException");
            assert_eq!(
                message.to_string(),
                format!(
                    "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:{action} on resource: {resource} because no resource-based policy allows the dynamodb:{action} action"
                )
            );
        }
        other => panic!("{action}: {other:?}"),
    };
    expect(list(&mock, &elsewhere).map(|_| ()), "ListTagsOfResource", &elsewhere);
    let tag_input = TagResourceInput::builder()
        .resource_arn(&elsewhere)
        .tags(tag("k", "v"))
        .build()
        .expect("input");
    expect(
        block_on(mock.tag_resource(tag_input)).map(|_| ()),
        "TagResource",
        &elsewhere,
    );
    let untag_input = UntagResourceInput::builder()
        .resource_arn(&elsewhere)
        .tag_keys("k")
        .build()
        .expect("input");
    expect(
        block_on(mock.untag_resource(untag_input)).map(|_| ()),
        "UntagResource",
        &elsewhere,
    );
    // Another account's table that does not exist is denied as well.
    let nothing = elsewhere.replace("table/things", "table/nothing");
    expect(list(&mock, &nothing).map(|_| ()), "ListTagsOfResource", &nothing);
    assert_eq!(list(&mock, &arn).expect("own table"), pairs(&[]));
}

#[test]
fn the_tags_a_table_is_created_with_are_kept_and_listed() {
    let mock = MockBackend::new();
    let input = CreateTableInput::builder()
        .table_name("tagged")
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("definition"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .tags(tag("team", "data"))
        .tags(tag("env", "test"))
        .build()
        .expect("input");
    let out = block_on(mock.create_table(input)).expect("created");
    let arn = out.table_description.and_then(|d| d.table_arn).expect("arn");
    assert_eq!(
        list(&mock, &arn).expect("listed"),
        pairs(&[("env", "test"), ("team", "data")])
    );
}
