//! Time to live: `UpdateTimeToLive`, `DescribeTimeToLive`, and the sweep
//! that deletes expired items.
//!
//! As in DynamoDB, an item expires when its TTL attribute is a number of
//! epoch seconds in the past, but not more than five years in the past;
//! items without the attribute, or with a value of another type, never do.
//! The in-process mock sweeps when [`sweep`] is called (the mock server
//! calls it every second); until then, expired items are still read, as
//! DynamoDB reads them until its background deletion gets to them.

use super::catalog::Catalog;
use super::items::{null, v};
use super::keys::PrimaryKey;
use crate::Error;
use crate::sdk::*;

/// How far in the past an expiry may be and still be acted on.
const FIVE_YEARS_SECS: f64 = 5.0 * 365.0 * 24.0 * 3600.0;

/// `UpdateTimeToLive`.
pub fn update_time_to_live(catalog: &Catalog, input: UpdateTimeToLiveInput) -> Result<UpdateTimeToLiveOutput, Error> {
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let spec = input
        .time_to_live_specification
        .ok_or_else(|| null("timeToLiveSpecification"))?;
    let name = &spec.attribute_name;
    if name.is_empty() || name.len() > 255 {
        return Err(v(format!(
            "1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length {}",
            if name.is_empty() {
                "greater than or equal to 1"
            } else {
                "less than or equal to 255"
            }
        )));
    }
    let mut t = table.write();
    let ttl = &mut t.meta.ttl;
    match (ttl.as_deref(), spec.enabled) {
        (Some(current), _) if current != name => return Err(v("TimeToLive is active on a different AttributeName")),
        (Some(_), true) => return Err(v("TimeToLive is already enabled")),
        (None, false) => return Err(v("TimeToLive is already disabled")),
        (Some(_), false) => *ttl = None,
        (None, true) => *ttl = Some(name.clone()),
    }
    Ok(UpdateTimeToLiveOutput::builder()
        .time_to_live_specification(spec)
        .build())
}

/// `DescribeTimeToLive`.
pub fn describe_time_to_live(
    catalog: &Catalog,
    input: DescribeTimeToLiveInput,
) -> Result<DescribeTimeToLiveOutput, Error> {
    let table = catalog.table_opt(input.table_name.as_deref())?;
    let t = table.read();
    let description = match &t.meta.ttl {
        Some(name) => TimeToLiveDescription::builder()
            .time_to_live_status(TimeToLiveStatus::Enabled)
            .attribute_name(name),
        None => TimeToLiveDescription::builder().time_to_live_status(TimeToLiveStatus::Disabled),
    };
    Ok(DescribeTimeToLiveOutput::builder()
        .time_to_live_description(description.build())
        .build())
}

/// Deletes, from every table with TTL on, the items that expired before
/// `now` (epoch seconds). Returns how many it deleted.
pub fn sweep(catalog: &Catalog, now: f64) -> usize {
    let mut deleted = 0;
    for (_, table) in catalog.tables() {
        let Some(attribute) = table.read().meta.ttl.clone() else {
            continue;
        };
        let mut t = table.write();
        let expired: Vec<PrimaryKey> = t
            .data
            .partitions
            .iter()
            .flat_map(|(hash, part)| part.iter().map(move |(range, stored)| (hash, range, stored)))
            .filter(|(_, _, stored)| {
                let expiry = match stored.attribute(&attribute) {
                    Some(AttributeValue::N(n)) => n.parse::<f64>().ok(),
                    _ => None,
                };
                expiry.is_some_and(|e| e < now && e >= now - FIVE_YEARS_SECS)
            })
            .map(|(hash, range, _)| (hash.clone(), range.clone()))
            .collect();
        let state = &mut *t;
        for key in &expired {
            if state.data.delete(&state.meta, key).is_some() {
                deleted += 1;
            }
        }
    }
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Backend;
    use crate::mock::MockBackend;
    use crate::{IndexSchema, KeyAttr, KeyType, TableSchema};

    fn now() -> f64 {
        1_800_000_000.0
    }

    #[tokio::test]
    async fn the_sweep_deletes_recently_expired_items_from_the_table_and_its_indexes() {
        let mock = MockBackend::new();
        let schema = TableSchema::new("sessions", KeyAttr::new("id", KeyType::S))
            .global_index(IndexSchema::new("by_user", KeyAttr::new("user", KeyType::S)));
        mock.create_table(schema.create_table_input("sessions").unwrap())
            .await
            .unwrap();
        let put = |id: &str, expires: Option<AttributeValue>| {
            let mut b = PutItemInput::builder()
                .table_name("sessions")
                .item("id", AttributeValue::S(id.into()))
                .item("user", AttributeValue::S("u".into()));
            if let Some(e) = expires {
                b = b.item("expires", e);
            }
            mock.put_item(b.build().unwrap())
        };
        let n = |secs: f64| Some(AttributeValue::N(secs.to_string()));
        put("expired", n(now() - 1.0)).await.unwrap();
        put("live", n(now() + 1.0)).await.unwrap();
        put("ancient", n(now() - FIVE_YEARS_SECS - 1.0)).await.unwrap();
        put("text", Some(AttributeValue::S("0".into()))).await.unwrap();
        put("none", None).await.unwrap();
        // TTL off: nothing expires.
        assert_eq!(mock.expire_items(now()), 0);
        let spec = TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name("expires")
            .build()
            .unwrap();
        mock.update_time_to_live(
            UpdateTimeToLiveInput::builder()
                .table_name("sessions")
                .time_to_live_specification(spec)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(mock.expire_items(now()), 1);
        assert_eq!(mock.expire_items(now()), 0);
        let ids = |out: Vec<crate::Item>| {
            let mut ids: Vec<String> = out
                .iter()
                .map(|i| match i.get("id") {
                    Some(AttributeValue::S(s)) => s.clone(),
                    other => panic!("{other:?}"),
                })
                .collect();
            ids.sort();
            ids
        };
        let left = mock
            .scan(ScanInput::builder().table_name("sessions").build().unwrap())
            .await
            .unwrap();
        assert_eq!(ids(left.items.unwrap()), ["ancient", "live", "none", "text"]);
        let by_user = mock
            .query(
                QueryInput::builder()
                    .table_name("sessions")
                    .index_name("by_user")
                    .key_condition_expression("#u = :u")
                    .expression_attribute_names("#u", "user")
                    .expression_attribute_values(":u", AttributeValue::S("u".into()))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(ids(by_user.items.unwrap()), ["ancient", "live", "none", "text"]);
    }
}
