//! The attribute value conversions between the two SDKs.

use super::*;
use crate::sdk::{AttributeValue as A, Blob};

#[test]
fn every_kind_of_attribute_value_survives_the_trip_to_the_streams_sdk_and_back() {
    let item: Item = [
        ("s", A::S("x".into())),
        ("n", A::N("1.5".into())),
        ("b", A::B(Blob::new(vec![1, 2]))),
        ("bool", A::Bool(true)),
        ("null", A::Null(true)),
        ("ss", A::Ss(vec!["a".into(), "b".into()])),
        ("ns", A::Ns(vec!["1".into()])),
        ("bs", A::Bs(vec![Blob::new(vec![3])])),
        ("l", A::L(vec![A::S("y".into()), A::N("2".into())])),
        ("m", A::M([("k".to_string(), A::Bool(false))].into_iter().collect())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let streamed = to_stream_item(item.clone());
    assert_eq!(
        streamed["l"],
        st::AttributeValue::L(vec![
            st::AttributeValue::S("y".into()),
            st::AttributeValue::N("2".into())
        ])
    );
    assert_eq!(from_stream_item(streamed), item);
}
