//! Modelling real schemas with the DSL (issue 14, points 1, 2 and 4):
//! fields stored under any attribute name (`PK`, `created-at`, `type`),
//! enums and newtypes as fields, keys and index keys, string table names,
//! field types without `Default`, and records of 150 fields.

use dynamo_objects::convert::ConvertErrorKind;
use dynamo_objects::sdk::*;
use dynamo_objects::{
    Attr, Backend, ConvertError, Document, DynamoEnum, Error, Projection, Record, dynamo_enum, dynamo_newtype,
    dynamo_table,
};

use crate::assert_err;
use crate::common::*;

dynamo_enum! {
    /// Where an order is.
    pub enum Status { Active = "active", Closed = "CLOSED", Pending }
}

dynamo_newtype! {
    /// A user's id.
    pub struct UserId(String);
    /// An order number.
    pub struct OrderNo(u64);
}

/// An amount of money with no `Default` (and a hand-written `Attr`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cents(i64);

impl Attr for Cents {
    const TYPE: &'static str = "N";
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        self.0.to_attr()
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        i64::from_attr(av).map(Cents)
    }
}

dynamo_table! {
    /// An order, in a table whose attributes have production names.
    "modelling-orders": Order {
        hash user as "PK": UserId,
        range number as "SK": OrderNo,
        created_at as "created-at": String,
        r#type: String,
        status: Status,
        note: Option<String>,
        expires as "ttl": Option<u64>,
        version as "v": u64,
    }
    global_index by_status(hash status, range created_at, projection include(r#type))
    local_index by_created(range created_at)
    ttl(expires)
    version(version)

    /// A ticket, keyed by an enum.
    tickets: Ticket { hash status: Status, range id as "ID": String, title: String }

    /// Prices: field types without `Default`, with declared defaults or as options.
    prices: Price { hash id: String, amount: Cents = Cents(100), discount: Option<Cents> }

    /// A price that must be given: no `Default` for the record (which still works).
    quotes: Quote { hash id: String, amount: Cents }

    /// A record of 150 fields, at the default recursion limit (the hash key
    /// in the middle: fields are read eight at a time up to it).
    wide: Wide {
        f001: u32,
        f002: u32,
        f003: u32,
        f004: u32,
        f005: u32,
        f006: u32,
        f007: u32,
        f008: u32,
        f009: u32,
        f010: u32,
        f011: u32,
        f012: u32,
        f013: u32,
        f014: u32,
        f015: u32,
        f016: u32,
        f017: u32,
        f018: u32,
        f019: u32,
        f020: u32,
        f021: u32,
        f022: u32,
        f023: u32,
        f024: u32,
        f025: u32,
        f026: u32,
        f027: u32,
        f028: u32,
        f029: u32,
        f030: u32,
        f031: u32,
        f032: u32,
        f033: u32,
        f034: u32,
        f035: u32,
        f036: u32,
        f037: u32,
        f038: u32,
        f039: u32,
        f040: u32,
        f041: u32,
        f042: u32,
        f043: u32,
        f044: u32,
        f045: u32,
        f046: u32,
        f047: u32,
        f048: u32,
        f049: u32,
        f050: u32,
        f051: u32,
        f052: u32,
        f053: u32,
        f054: u32,
        f055: u32,
        f056: u32,
        f057: u32,
        f058: u32,
        f059: u32,
        f060: u32,
        f061: u32,
        f062: u32,
        f063: u32,
        f064: u32,
        f065: u32,
        f066: u32,
        f067: u32,
        f068: u32,
        f069: u32,
        f070: u32,
        f071: u32,
        f072: u32,
        f073: u32,
        f074: u32,
        f075: u32,
        hash id: String,
        f076: u32,
        f077: u32,
        f078: u32,
        f079: u32,
        f080: u32,
        f081: u32,
        f082: u32,
        f083: u32,
        f084: u32,
        f085: u32,
        f086: u32,
        f087: u32,
        f088: u32,
        f089: u32,
        f090: u32,
        f091: u32,
        f092: u32,
        f093: u32,
        f094: u32,
        f095: u32,
        f096: u32,
        f097: u32,
        f098: u32,
        f099: u32,
        f100: u32,
        f101: u32,
        f102: u32,
        f103: u32,
        f104: u32,
        f105: u32,
        f106: u32,
        f107: u32,
        f108: u32,
        f109: u32,
        f110: u32,
        f111: u32,
        f112: u32,
        f113: u32,
        f114: u32,
        f115: u32,
        f116: u32,
        f117: u32,
        f118: u32,
        f119: u32,
        f120: u32,
        f121: u32,
        f122: u32,
        f123: u32,
        f124: u32,
        f125: u32,
        f126: u32,
        f127: u32,
        f128: u32,
        f129: u32,
        f130: u32,
        f131: u32,
        f132: u32,
        f133: u32,
        f134: u32,
        f135: u32,
        f136: u32,
        f137: u32,
        f138: u32,
        f139: u32,
        f140: u32,
        f141: u32,
        f142: u32,
        f143: u32,
        f144: u32,
        f145: u32,
        f146: u32,
        f147: u32,
        f148: u32,
        f149: u32
    }
}

fn order(user: &str, number: u64, status: Status, created_at: &str) -> Order {
    Order {
        user: UserId::from(user),
        number: OrderNo(number),
        created_at: created_at.into(),
        r#type: "web".into(),
        status,
        note: None,
        expires: Some(1_900_000_000),
        version: 0,
    }
}

#[tokio::test]
async fn renamed_fields_are_stored_under_their_attribute_names_and_read_back() {
    let db = db("mrename");
    let orders = OrderTable::new(&db);
    let mut o = order("u1", 7, Status::Active, "2026-01-02");
    orders.put(&mut o).await.unwrap();
    let raw = get(&db, "modelling-orders", item(&[("PK", s("u1")), ("SK", n("7"))]))
        .await
        .unwrap()
        .unwrap();
    let mut names: Vec<&str> = raw.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["PK", "SK", "created-at", "status", "ttl", "type", "v"]);
    assert_eq!(raw.get("created-at"), Some(&s("2026-01-02")));
    assert_eq!(raw.get("type"), Some(&s("web")));
    assert_eq!(raw.get("status"), Some(&s("active")));
    assert_eq!(raw.get("ttl"), Some(&n("1900000000")));
    assert_eq!(raw.get("v"), Some(&n("1")));
    let back = orders.get((UserId::from("u1"), OrderNo(7))).await.unwrap().unwrap();
    assert_eq!(back, Order { version: 1, ..o });
}

#[tokio::test]
async fn the_declaration_names_stored_attributes_in_the_schema_and_field_constants() {
    assert_eq!(
        Order::field_names(),
        ["PK", "SK", "created-at", "type", "status", "note", "ttl", "v"]
    );
    assert_eq!(Order::CREATED_AT.name(), "created-at");
    assert_eq!(Order::TYPE.name(), "type");
    let schema = Order::schema();
    assert_eq!(schema.name, "modelling-orders");
    assert_eq!(
        (
            schema.hash.name.as_str(),
            schema.range.as_ref().map(|r| r.name.as_str())
        ),
        ("PK", Some("SK"))
    );
    assert_eq!(schema.ttl.as_deref(), Some("ttl"));
    assert_eq!(Order::version_attribute(), Some("v"));
    let gsi = &schema.global_indexes[0];
    assert_eq!(gsi.hash.name, "status");
    assert_eq!(gsi.range.as_ref().map(|r| r.name.as_str()), Some("created-at"));
    assert_eq!(gsi.projection, Projection::Include(vec!["type".to_string()]));
    let lsi = &schema.local_indexes[0];
    assert_eq!(
        (lsi.hash.name.as_str(), lsi.range.as_ref().map(|r| r.name.as_str())),
        ("PK", Some("created-at"))
    );
    // The table is created with these names, TTL on `ttl`.
    let db = db("mschema");
    OrderTable::new(&db).ensure().await.unwrap();
    let ttl = db
        .describe_time_to_live(
            DescribeTimeToLiveInput::builder()
                .table_name("modelling-orders")
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let spec = ttl.time_to_live_description.unwrap();
    assert_eq!(spec.attribute_name.as_deref(), Some("ttl"));
}

#[tokio::test]
async fn conditions_updates_and_versions_use_stored_names() {
    let db = db("mcond");
    let orders = OrderTable::new(&db);
    let mut o = order("u1", 1, Status::Pending, "2026-01-01");
    orders.save(&mut o).await.unwrap();
    let key = (UserId::from("u1"), OrderNo(1));
    orders
        .update_if(
            key.clone(),
            Order::STATUS.set(Status::Closed).and(Order::NOTE.set("paid")),
            Order::TYPE.eq("web"),
        )
        .await
        .unwrap();
    let raw = get(&db, "modelling-orders", item(&[("PK", s("u1")), ("SK", n("1"))]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw.get("status"), Some(&s("CLOSED")));
    assert_eq!(raw.get("note"), Some(&s("paid")));
    // A condition on a renamed field that fails.
    assert_err!(
        orders
            .update_if(key.clone(), Order::NOTE.remove(), Order::CREATED_AT.eq("1999-12-31"))
            .await,
        Error::ConditionalCheckFailed { .. }
    );
    // The version lives in `v` (the update bumped it): a stale save is refused.
    let mut fresh = orders.get_consistent(key.clone()).await.unwrap().unwrap();
    assert_eq!(fresh.version, 2);
    orders.save(&mut fresh).await.unwrap();
    assert_eq!(fresh.version, 3);
    assert_err!(orders.save(&mut o).await, Error::VersionConflict { expected: 1, .. });
    let raw = get(&db, "modelling-orders", item(&[("PK", s("u1")), ("SK", n("1"))]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw.get("v"), Some(&n("3")));
}

#[tokio::test]
async fn an_index_keyed_by_an_enum_is_queried_by_variant() {
    let db = db("mindex");
    let orders = OrderTable::new(&db);
    for (n, status, at) in [
        (1, Status::Active, "2026-01-03"),
        (2, Status::Closed, "2026-01-01"),
        (3, Status::Active, "2026-01-02"),
    ] {
        orders.put(&mut order("u1", n, status, at)).await.unwrap();
    }
    let active = orders
        .query_index(Order::BY_STATUS, Status::Active)
        .all()
        .await
        .unwrap();
    let found: Vec<(Option<String>, Option<String>, Option<Status>)> = active
        .iter()
        .map(|p| {
            (
                p.get(Order::CREATED_AT).unwrap(),
                p.get(Order::TYPE).unwrap(),
                p.get(Order::STATUS).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Some("2026-01-02".to_string()),
                Some("web".to_string()),
                Some(Status::Active)
            ),
            (
                Some("2026-01-03".to_string()),
                Some("web".to_string()),
                Some(Status::Active)
            ),
        ]
    );
    // The local index sorts the user's orders by `created-at`.
    let by_created: Vec<u64> = orders
        .query_index(Order::BY_CREATED, UserId::from("u1"))
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.number.0)
        .collect();
    assert_eq!(by_created, [2, 3, 1]);
    // `include(r#type)` projects `type` and the keys, not `note`.
    assert_eq!(active[0].get(Order::NOTE).unwrap(), None);
    assert_eq!(active[0].get(Order::USER).unwrap(), Some(UserId::from("u1")));
}

#[tokio::test]
async fn a_table_keyed_by_an_enum_gets_and_queries_by_variant() {
    let db = db("menumkey");
    let tickets = TicketTable::new(&db);
    for (status, id, title) in [
        (Status::Closed, "t1", "old"),
        (Status::Active, "t2", "new"),
        (Status::Closed, "t3", "older"),
    ] {
        tickets
            .put(&mut Ticket {
                status,
                id: id.into(),
                title: title.into(),
            })
            .await
            .unwrap();
    }
    let t2 = tickets.get((Status::Active, "t2".to_string())).await.unwrap().unwrap();
    assert_eq!(t2.title, "new");
    let closed: Vec<String> = tickets
        .query(Status::Closed)
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(closed, ["t1", "t3"]);
    let raw = get(&db, "tickets", item(&[("status", s("CLOSED")), ("ID", s("t1"))]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(raw.get("title"), Some(&s("old")));
}

#[tokio::test]
async fn an_unknown_stored_enum_value_is_a_conversion_error_naming_the_attribute_and_the_value() {
    let db = db("menumbad");
    let orders = OrderTable::new(&db);
    orders.ensure().await.unwrap();
    put(
        &db,
        "modelling-orders",
        item(&[
            ("PK", s("u1")),
            ("SK", n("9")),
            ("created-at", s("x")),
            ("type", s("web")),
            ("status", s("gone")),
            ("v", n("1")),
        ]),
    )
    .await;
    let e = assert_err!(orders.get((UserId::from("u1"), OrderNo(9))).await, Error::Conversion(_));
    let Error::Conversion(c) = &e else {
        panic!("expected a conversion error, got {e:?}")
    };
    assert_eq!(c.path(), "status");
    assert_eq!(
        c.kind(),
        &ConvertErrorKind::Invalid(
            r#""gone" is not a Status (expected one of "active", "CLOSED", "Pending")"#.to_string()
        )
    );
    assert_eq!(
        c.to_string(),
        r#"attribute status: "gone" is not a Status (expected one of "active", "CLOSED", "Pending") (table modelling-orders, key PK = "u1", SK = 9)"#
    );
    assert_eq!(
        (Status::Closed.as_str(), Status::from_stored("CLOSED")),
        ("CLOSED", Some(Status::Closed))
    );
    // A value of another type is the usual wrong-type error.
    assert_eq!(
        Status::from_attr(n("1")).unwrap_err().kind(),
        &ConvertErrorKind::WrongType {
            expected: "S",
            found: "N"
        }
    );
}

#[tokio::test]
async fn field_types_without_default_need_nothing_when_declared_with_a_default_or_optional() {
    assert_eq!(
        Price::default(),
        Price {
            id: String::new(),
            amount: Cents(100),
            discount: None
        }
    );
    let db = db("mnodefault");
    let prices = PriceTable::new(&db);
    prices
        .put(&mut Price {
            id: "p1".into(),
            amount: Cents(250),
            discount: Some(Cents(50)),
        })
        .await
        .unwrap();
    put(&db, "prices", item(&[("id", s("p2"))])).await;
    assert_eq!(prices.get("p1").await.unwrap().unwrap().discount, Some(Cents(50)));
    assert_eq!(
        prices.get("p2").await.unwrap().unwrap(),
        Price {
            id: "p2".into(),
            amount: Cents(100),
            discount: None
        }
    );
    // A record whose field has no default still works (it has no `Default` itself).
    let quotes = QuoteTable::new(&db);
    quotes
        .put(&mut Quote {
            id: "q1".into(),
            amount: Cents(7),
        })
        .await
        .unwrap();
    assert_eq!(quotes.get("q1").await.unwrap().unwrap().amount, Cents(7));
}

#[tokio::test]
async fn a_record_of_150_fields_round_trips() {
    assert_eq!(Wide::field_names().len(), 150);
    let db = db("mwide");
    let wide = WideTable::new(&db);
    let mut w = Wide {
        id: "w".into(),
        f001: 1,
        f075: 75,
        f149: 149,
        ..Wide::default()
    };
    wide.put(&mut w).await.unwrap();
    let raw = get(&db, "wide", item(&[("id", s("w"))])).await.unwrap().unwrap();
    assert_eq!(raw.len(), 150);
    assert_eq!(raw.get("f149"), Some(&n("149")));
    assert_eq!(wide.get("w").await.unwrap().unwrap(), w);
}
