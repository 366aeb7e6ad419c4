//! Validation of attribute values on the way in: sets non-empty and without
//! duplicates, numbers valid (and rewritten in canonical form), item size.

use std::collections::HashSet;

use aws_sdk_dynamodb::types::AttributeValue;

use base64::Engine as _;

use super::number;
use super::size::item_size;
use crate::{Error, Item};

/// Standard, padded base64: how DynamoDB shows binary values in messages.
pub(crate) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The largest item DynamoDB stores, in bytes.
pub(crate) const MAX_ITEM_SIZE: usize = 400 * 1024;

fn invalid(msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("One or more parameter values were invalid: {msg}").into())
}

fn canonicalize(n: &mut String) -> Result<(), Error> {
    if let Some(c) = number::canonical(n)? {
        *n = c;
    }
    Ok(())
}

fn no_duplicates<'a>(items: impl Iterator<Item = &'a str>, show: &[String]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for s in items {
        if !seen.insert(s) {
            return Err(invalid(format!(
                "Input collection [{}] contains duplicates.",
                show.join(", ")
            )));
        }
    }
    Ok(())
}

/// The most levels of lists and maps a document may have, the item itself
/// counting as one: an attribute's value may nest 31 `L`s and `M`s, a value
/// on its own (in `ExpressionAttributeValues`) 32. Sets do not count.
pub(crate) const MAX_NESTING: usize = 32;

/// DynamoDB's refusal of a value nested deeper than [`MAX_NESTING`] (the
/// updated item's, as UpdateItem words it).
pub(crate) const NESTING_EXCEEDED: &str = "Nesting Levels have exceeded supported limits";

/// The refusal of an item, key or value nested deeper than [`MAX_NESTING`].
pub(crate) fn nesting_error() -> Error {
    Error::Validation(
        format!("{NESTING_EXCEEDED}: Attributes in the item have nested levels beyond supported limit").into(),
    )
}

/// Whether `value` nests at most `levels` lists and maps. It recurses at most
/// `levels + 1` calls deep however deep the value is, so it can come before
/// any other walk of a value (validation, sizes, encoding, evaluation).
pub(crate) fn nests_within(value: &AttributeValue, levels: usize) -> bool {
    match value {
        AttributeValue::L(list) => levels > 0 && list.iter().all(|v| nests_within(v, levels - 1)),
        AttributeValue::M(map) => levels > 0 && map.values().all(|v| nests_within(v, levels - 1)),
        _ => true,
    }
}

/// Whether every attribute of `item` is within [`MAX_NESTING`], the item
/// counting as a level.
pub(crate) fn item_nests_within_limit(item: &Item) -> bool {
    item.values().all(|v| nests_within(v, MAX_NESTING - 1))
}

/// Checks the nesting of an item or a key (see [`MAX_NESTING`]).
pub(crate) fn check_item_nesting(item: &Item) -> Result<(), Error> {
    if item_nests_within_limit(item) {
        Ok(())
    } else {
        Err(nesting_error())
    }
}

/// Checks one value on its own (its nesting first: see [`MAX_NESTING`]) and
/// rewrites its numbers in canonical form.
pub(crate) fn check_value(av: &mut AttributeValue) -> Result<(), Error> {
    if !nests_within(av, MAX_NESTING) {
        return Err(nesting_error());
    }
    check_nested(av)
}

/// Checks a value whose nesting is already known to be bounded.
fn check_nested(av: &mut AttributeValue) -> Result<(), Error> {
    match av {
        AttributeValue::S(_) | AttributeValue::B(_) | AttributeValue::Bool(_) => Ok(()),
        AttributeValue::Null(true) => Ok(()),
        AttributeValue::Null(false) => Err(invalid("Null attribute value types must have the value of true")),
        AttributeValue::N(n) => canonicalize(n),
        AttributeValue::Ss(set) => {
            if set.is_empty() {
                return Err(invalid("An string set  may not be empty"));
            }
            no_duplicates(set.iter().map(String::as_str), set)
        }
        AttributeValue::Ns(set) => {
            if set.is_empty() {
                return Err(invalid("An number set  may not be empty"));
            }
            let shown = set.clone();
            for n in set.iter_mut() {
                canonicalize(n)?;
            }
            no_duplicates(set.iter().map(String::as_str), &shown)
        }
        AttributeValue::Bs(set) => {
            if set.is_empty() {
                return Err(invalid("Binary sets should not be empty"));
            }
            let mut seen = HashSet::new();
            for b in set.iter() {
                if !seen.insert(b.as_ref()) {
                    return Err(invalid("Input collection contains duplicates."));
                }
            }
            Ok(())
        }
        AttributeValue::L(list) => list.iter_mut().try_for_each(check_nested),
        AttributeValue::M(map) => map.values_mut().try_for_each(check_nested),
        _ => Err(Error::Validation(
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".into(),
        )),
    }
}

/// Checks every value of an item (see [`check_value`]), the nesting of all
/// of them before anything else.
pub(crate) fn check_item(item: &mut Item) -> Result<(), Error> {
    check_item_nesting(item)?;
    item.values_mut().try_for_each(check_nested)
}

/// Checks an item's size against DynamoDB's 400 KB limit.
pub(crate) fn check_item_size(item: &Item) -> Result<usize, Error> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::Validation(
            "Item size has exceeded the maximum allowed size".into(),
        ));
    }
    Ok(size)
}

/// Checks the values of an `ExpressionAttributeValues` map.
pub(crate) fn check_expression_values(
    values: &mut std::collections::HashMap<String, AttributeValue>,
) -> Result<(), Error> {
    for (k, v) in values.iter_mut() {
        check_value(v).map_err(|e| expression_value_error(k, e))?;
    }
    Ok(())
}

/// A validation error of the `ExpressionAttributeValues` value at `key`, as
/// DynamoDB words it.
pub(crate) fn expression_value_error(key: &str, e: Error) -> Error {
    match e {
        Error::Validation(m) => {
            Error::Validation(format!("ExpressionAttributeValues contains invalid value: {m} for key {key}").into())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use futures::executor::block_on;

    use super::*;
    use crate::backend::Backend;
    use crate::mock::MockBackend;
    use crate::sdk::*;

    #[test]
    fn binary_values_are_shown_in_standard_padded_base64() {
        for (raw, encoded) in [
            (&b""[..], ""),
            (b"a", "YQ=="),
            (b"ab", "YWI="),
            (b"abc", "YWJj"),
            (b"abcd", "YWJjZA=="),
            (&[0xff, 0xfe, 0xfd], "//79"),
            (&[0xff, 0xfe, 0xfd, 0x00], "//79AA=="),
        ] {
            assert_eq!(base64(raw), encoded);
        }
    }

    const ITEM_NESTING: &str = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";

    /// `levels` nested `L`s or `M`s around a string, built without recursion.
    fn nested(kind: char, levels: usize) -> AttributeValue {
        let mut v = AttributeValue::S("x".into());
        for _ in 0..levels {
            v = if kind == 'L' {
                AttributeValue::L(vec![v])
            } else {
                AttributeValue::M(HashMap::from([("k".to_string(), v)]))
            };
        }
        v
    }

    /// Runs `f` on a thread with the 2 MB stack of a `#[tokio::test]` thread.
    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        let thread = std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(f);
        thread.expect("spawn").join().expect("the test thread failed");
    }

    fn validation_message<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
        match r {
            Err(Error::Validation(m)) => m.into(),
            other => panic!("expected a ValidationException, got {other:?}"),
        }
    }

    fn table(db: &MockBackend) {
        block_on(
            db.create_table(
                CreateTableInput::builder()
                    .table_name("deep")
                    .attribute_definitions(
                        AttributeDefinition::builder()
                            .attribute_name("pk")
                            .attribute_type(ScalarAttributeType::S)
                            .build()
                            .unwrap(),
                    )
                    .key_schema(
                        KeySchemaElement::builder()
                            .attribute_name("pk")
                            .key_type(KeyType::Hash)
                            .build()
                            .unwrap(),
                    )
                    .billing_mode(BillingMode::PayPerRequest)
                    .build()
                    .unwrap(),
            ),
        )
        .unwrap();
    }

    fn item(pk: &str, d: AttributeValue) -> Item {
        HashMap::from([("pk".to_string(), AttributeValue::S(pk.into())), ("d".to_string(), d)])
    }

    fn key(pk: &str) -> Item {
        HashMap::from([("pk".to_string(), AttributeValue::S(pk.into()))])
    }

    fn eav(v: AttributeValue) -> Item {
        HashMap::from([(":v".to_string(), v)])
    }

    #[test]
    fn the_nesting_walk_stops_at_its_limit() {
        assert!(nests_within(&nested('L', 31), 31));
        assert!(!nests_within(&nested('L', 32), 31));
        assert!(nests_within(&nested('M', 32), MAX_NESTING));
        assert!(!nests_within(&nested('M', 33), MAX_NESTING));
        // Sets and scalars are no level.
        assert!(nests_within(&AttributeValue::Ss(vec!["a".into()]), 0));
        assert!(!nests_within(&AttributeValue::L(vec![]), 0));
        assert_eq!(nesting_error(), Error::Validation(ITEM_NESTING.into()));
    }

    #[test]
    fn values_nested_2000_levels_deep_are_refused_everywhere_on_a_2_mb_stack() {
        on_small_stack(|| {
            let db = MockBackend::new();
            table(&db);
            let eav_message = format!("ExpressionAttributeValues contains invalid value: {ITEM_NESTING} for key :v");
            for kind in ['L', 'M'] {
                let deep = || nested(kind, 2000);
                let put = PutItemInput::builder()
                    .table_name("deep")
                    .set_item(Some(item("a", deep())));
                assert_eq!(
                    validation_message(block_on(db.put_item(put.build().unwrap()))),
                    ITEM_NESTING
                );

                let update = UpdateItemInput::builder()
                    .table_name("deep")
                    .set_key(Some(key("a")))
                    .update_expression("SET d = :v")
                    .set_expression_attribute_values(Some(eav(deep())));
                assert_eq!(
                    validation_message(block_on(db.update_item(update.build().unwrap()))),
                    eav_message
                );

                let conditional = PutItemInput::builder()
                    .table_name("deep")
                    .set_item(Some(key("a")))
                    .condition_expression("d = :v")
                    .set_expression_attribute_values(Some(eav(deep())));
                assert_eq!(
                    validation_message(block_on(db.put_item(conditional.build().unwrap()))),
                    eav_message
                );

                let get = GetItemInput::builder()
                    .table_name("deep")
                    .set_key(Some(HashMap::from([("pk".to_string(), deep())])));
                assert_eq!(
                    validation_message(block_on(db.get_item(get.build().unwrap()))),
                    ITEM_NESTING
                );

                let transact = TransactWriteItemsInput::builder().transact_items(
                    TransactWriteItem::builder()
                        .put(
                            Put::builder()
                                .table_name("deep")
                                .set_item(Some(item("t", deep())))
                                .build()
                                .unwrap(),
                        )
                        .build(),
                );
                assert_eq!(
                    validation_message(block_on(db.transact_write_items(transact.build().unwrap()))),
                    ITEM_NESTING
                );

                let batch = BatchWriteItemInput::builder().request_items(
                    "deep",
                    vec![
                        WriteRequest::builder()
                            .put_request(PutRequest::builder().set_item(Some(item("b", deep()))).build().unwrap())
                            .build(),
                    ],
                );
                assert_eq!(
                    validation_message(block_on(db.batch_write_item(batch.build().unwrap()))),
                    ITEM_NESTING
                );
            }
            // Nothing was stored.
            let scan = block_on(db.scan(ScanInput::builder().table_name("deep").build().unwrap())).unwrap();
            assert_eq!(scan.count(), 0);
        });
    }

    #[test]
    fn thirty_one_levels_are_stored_and_read_back_equal_and_an_update_nesting_past_them_is_refused() {
        on_small_stack(|| {
            let db = MockBackend::new();
            table(&db);
            for kind in ['L', 'M'] {
                let put = PutItemInput::builder()
                    .table_name("deep")
                    .set_item(Some(item("a", nested(kind, 31))));
                block_on(db.put_item(put.build().unwrap())).unwrap();
                let got = block_on(
                    db.get_item(
                        GetItemInput::builder()
                            .table_name("deep")
                            .set_key(Some(key("a")))
                            .build()
                            .unwrap(),
                    ),
                )
                .unwrap();
                assert_eq!(got.item(), Some(&item("a", nested(kind, 31))));
                let too_deep = PutItemInput::builder()
                    .table_name("deep")
                    .set_item(Some(item("a", nested(kind, 32))));
                assert_eq!(
                    validation_message(block_on(db.put_item(too_deep.build().unwrap()))),
                    ITEM_NESTING
                );
            }
            // A 32-level value is a valid expression value, but not as an attribute.
            let update = |expr: &str, v: AttributeValue| {
                let input = UpdateItemInput::builder()
                    .table_name("deep")
                    .set_key(Some(key("u")))
                    .update_expression(expr)
                    .set_expression_attribute_values(Some(eav(v)));
                block_on(db.update_item(input.build().unwrap()))
            };
            assert_eq!(
                validation_message(update("SET d = :v", nested('M', 32))),
                NESTING_EXCEEDED
            );
            // Nested inside an existing map, as DynamoDB Local counts: d.k is
            // two levels, 29 more make 31, 30 more 32.
            update("SET d = :v", nested('M', 1)).unwrap();
            update("SET d.k = :v", AttributeValue::M(HashMap::new())).unwrap();
            update("SET d.k.z = :v", nested('M', 29)).unwrap();
            assert_eq!(
                validation_message(update("SET d.k.z = :v", nested('M', 30))),
                NESTING_EXCEEDED
            );
        });
    }
}
