//! Typed document paths (nested records, list elements, map entries),
//! projections read as `Partial` records, and keys given as borrowed parts,
//! on both backends.

use std::collections::{BTreeMap, HashMap};

use dynamo_objects::sdk::*;
use dynamo_objects::{Backend, Error, Field, Item, MemoryTable, ReadTransaction, Returned, Transaction, dynamo_table};

use crate::assert_err;
use crate::common::*;

dynamo_table! {
    record Address { street: String, city: String, zip: String, lines: Vec<String> }

    path_customer: Customer {
        hash id: String,
        name: String,
        email: String,
        address: Address,
        old_address: Option<Address>,
        previous: Vec<Address>,
        prefs: HashMap<String, String>,
        counters: BTreeMap<String, i64>,
    }

    path_order: Order { hash user: String, range id: String, total: i64, note: Option<String> }

    path_visit: Visit { hash user: String, range seq: u32, page: String }

    path_ticket: Ticket { hash id: String, queue: String, title: String, body: String }
    global_index by_queue(hash queue)
}

fn address(city: &str, zip: &str) -> Address {
    Address {
        street: format!("1 {city} Street"),
        city: city.into(),
        zip: zip.into(),
        lines: vec![],
    }
}

fn ann() -> Customer {
    Customer {
        id: "c1".into(),
        name: "Ann".into(),
        email: "ann@example.org".into(),
        address: address("Paris", "75001"),
        old_address: None,
        previous: vec![address("Lyon", "69001"), address("Nice", "06000")],
        prefs: HashMap::from([("theme".into(), "light".into()), ("a.b".into(), "dotted".into())]),
        counters: BTreeMap::from([("visits".into(), 1)]),
    }
}

fn order(user: &str, id: &str, total: i64) -> Order {
    Order {
        user: user.into(),
        id: id.into(),
        total,
        note: Some(format!("note {id}")),
    }
}

fn validation(e: Error) -> String {
    match e {
        Error::Validation(m) => m.into(),
        other => panic!("expected a ValidationException, got {other:?}"),
    }
}

/// The stored item of customer `id`, read raw.
async fn stored(db: &dynamo_objects::Database, id: &str) -> Item {
    let got = get(db, "path_customer", item(&[("id", s(id))])).await.unwrap();
    match got {
        Some(i) => i,
        None => panic!("no item {id}"),
    }
}

#[tokio::test]
async fn a_nested_condition_and_update_reach_address_city_not_a_top_level_attribute_named_address_dot_city() {
    let db = db("pdot");
    let customers = CustomerTable::new(&db);
    customers.put(&mut ann()).await.unwrap();
    // A top-level attribute literally named "address.city" beside the map.
    db.update_item(
        UpdateItemInput::builder()
            .table_name("path_customer")
            .key("id", s("c1"))
            .update_expression("SET #flat = :v")
            .expression_attribute_names("#flat", "address.city")
            .expression_attribute_values(":v", s("Lyon"))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let city = Customer::ADDRESS.then(Address::CITY);

    // The condition reads the nested city (Paris), not the flat one (Lyon).
    assert_err!(
        customers
            .update_if("c1", Customer::NAME.set("never"), city.eq("Lyon"))
            .await,
        Error::ConditionalCheckFailed { .. }
    );
    let flat = Field::<Customer, String>::unchecked("address.city");
    let updated = customers
        .update_if("c1", city.set("Nice"), city.eq("Paris").and(flat.eq("Lyon")))
        .await
        .unwrap();
    let expected = Customer {
        address: Address {
            city: "Nice".into(),
            ..ann().address
        },
        ..ann()
    };
    // The nested city changed, and so did nothing else.
    assert_eq!(updated, Returned::Record(expected.clone()));
    assert_eq!(customers.get_consistent("c1").await.unwrap(), Some(expected));
    let item = stored(&db, "c1").await;
    assert_eq!(item.get("address.city"), Some(&s("Lyon")));
    match item.get("address") {
        Some(AttributeValue::M(m)) => assert_eq!(m.get("city"), Some(&s("Nice"))),
        other => panic!("address is {other:?}"),
    }
}

#[tokio::test]
async fn updates_reach_list_elements_and_map_entries_and_leave_the_rest_as_it_was() {
    let db = db("plist");
    let customers = CustomerTable::new(&db);
    customers.put(&mut ann()).await.unwrap();
    let update = Customer::PREVIOUS
        .at(1)
        .then(Address::ZIP)
        .set("06100")
        .and(
            Customer::PREVIOUS
                .at(0)
                .then(Address::LINES)
                .append(vec!["flat 2".to_string()]),
        )
        .and(Customer::PREFS.entry("theme").set("dark"))
        .and(Customer::PREFS.entry("a.b").remove())
        .and(Customer::PREFS.entry("lang").set_if_absent("fr"))
        .and(Customer::COUNTERS.entry("visits").add(2))
        .and(Customer::COUNTERS.entry("orders").add(1))
        .and(
            Customer::ADDRESS
                .then(Address::LINES)
                .prepend(vec!["c/o Bob".to_string()]),
        );
    let got = customers.update("c1", update).await.unwrap();
    let mut expected = ann();
    expected.previous[1].zip = "06100".into();
    expected.previous[0].lines = vec!["flat 2".into()];
    expected.prefs = HashMap::from([("theme".into(), "dark".into()), ("lang".into(), "fr".into())]);
    expected.counters = BTreeMap::from([("visits".into(), 3), ("orders".into(), 1)]);
    expected.address.lines = vec!["c/o Bob".into()];
    assert_eq!(got, Returned::Record(expected.clone()));

    // Removing a list element shifts the later ones down.
    let got = customers.update("c1", Customer::PREVIOUS.at(0).remove()).await.unwrap();
    expected.previous.remove(0);
    assert_eq!(got, Returned::Record(expected.clone()));
    assert_eq!(customers.get_consistent("c1").await.unwrap(), Some(expected));
}

#[tokio::test]
async fn conditions_on_list_elements_and_map_entries_guard_writes() {
    let db = db("pcond");
    let customers = CustomerTable::new(&db);
    customers.put(&mut ann()).await.unwrap();
    let wrong = Customer::PREVIOUS.at(0).then(Address::CITY).eq("Nice");
    assert_err!(
        customers.delete_if("c1", wrong).await,
        Error::ConditionalCheckFailed { .. }
    );
    let absent_entry = Customer::PREFS.entry("lang").exists();
    assert_err!(
        customers.update_if("c1", Customer::NAME.set("x"), absent_entry).await,
        Error::ConditionalCheckFailed { .. }
    );
    let beyond = Customer::PREVIOUS.at(5).exists();
    assert_err!(
        customers.update_if("c1", Customer::NAME.set("x"), beyond).await,
        Error::ConditionalCheckFailed { .. }
    );
    let right = Customer::PREVIOUS
        .at(1)
        .then(Address::CITY)
        .begins_with("Ni")
        .and(Customer::PREFS.entry("a.b").eq("dotted"))
        .and(Customer::COUNTERS.entry("visits").ge(1))
        .and(Customer::OLD_ADDRESS.then(Address::CITY).not_exists())
        .and(Customer::ADDRESS.then(Address::STREET).contains("Paris"))
        .and(Customer::PREVIOUS.size().eq(2));
    let deleted = customers.delete_if("c1", right).await.unwrap();
    assert_eq!(deleted, Some(Returned::Record(ann())));
    assert_eq!(customers.get_consistent("c1").await.unwrap(), None);
}

#[tokio::test]
async fn a_nested_update_under_an_absent_record_is_refused_and_changes_nothing() {
    let db = db("pabsent");
    let customers = CustomerTable::new(&db);
    customers.put(&mut ann()).await.unwrap();
    let e = assert_err!(
        customers
            .update("c1", Customer::OLD_ADDRESS.then(Address::CITY).set("Lille"))
            .await,
        Error::Validation(_)
    );
    assert_eq!(
        validation(e),
        "The document path provided in the update expression is invalid for update"
    );
    assert_eq!(customers.get_consistent("c1").await.unwrap(), Some(ann()));
}

#[tokio::test]
async fn get_fields_reads_exactly_the_fields_asked_and_the_key() {
    let db = db("pget");
    let customers = CustomerTable::new(&db);
    customers.put(&mut ann()).await.unwrap();
    let partial = customers
        .get_fields_consistent("c1", (Customer::NAME, Customer::ADDRESS.then(Address::CITY)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        partial.item(),
        &item(&[
            ("id", s("c1")),
            ("name", s("Ann")),
            ("address", AttributeValue::M(item(&[("city", s("Paris"))]))),
        ])
    );
    assert_eq!(partial.key().unwrap(), "c1");
    assert_eq!(partial.get(Customer::NAME).unwrap(), Some("Ann".to_string()));
    assert_eq!(partial.get(Customer::EMAIL).unwrap(), None);

    // A list element and a map entry; a key given by reference.
    let id = String::from("c1");
    let partial = customers
        .get_fields_consistent(
            &id,
            [
                Customer::PREVIOUS.at(1).then(Address::ZIP),
                Customer::PREFS.entry("theme"),
            ],
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        partial.item(),
        &item(&[
            ("id", s("c1")),
            (
                "previous",
                AttributeValue::L(vec![AttributeValue::M(item(&[("zip", s("06000"))]))])
            ),
            ("prefs", AttributeValue::M(item(&[("theme", s("light"))]))),
        ])
    );
    assert_eq!(customers.get_fields("nobody", Customer::NAME).await.unwrap(), None);
}

#[tokio::test]
async fn query_and_scan_select_read_exactly_the_fields_asked_and_the_keys() {
    let db = db("psel");
    let orders = OrderTable::new(&db);
    for (user, id, total) in [("u1", "o1", 10), ("u1", "o2", 20), ("u2", "o1", 30)] {
        orders.put(&mut order(user, id, total)).await.unwrap();
    }
    let partials = orders
        .query("u1")
        .consistent()
        .select(Order::TOTAL)
        .all()
        .await
        .unwrap();
    let items: Vec<&Item> = partials.iter().map(|p| p.item()).collect();
    assert_eq!(
        items,
        vec![
            &item(&[("user", s("u1")), ("id", s("o1")), ("total", n("10"))]),
            &item(&[("user", s("u1")), ("id", s("o2")), ("total", n("20"))]),
        ]
    );
    let keys: Vec<(String, String)> = partials.iter().map(|p| p.key().unwrap()).collect();
    assert_eq!(
        keys,
        vec![
            ("u1".to_string(), "o1".to_string()),
            ("u1".to_string(), "o2".to_string())
        ]
    );
    assert_eq!(partials[1].get(Order::TOTAL).unwrap(), Some(20));
    assert_eq!(partials[1].get(Order::NOTE).unwrap(), None);

    // A count of a selecting query counts (it sends no projection).
    assert_eq!(orders.query("u1").select(Order::TOTAL).count().await.unwrap(), 2);

    // A scan with a filter on a field it does not select.
    let mut scanned = orders
        .scan()
        .consistent()
        .filter(Order::TOTAL.ge(20))
        .select([Order::NOTE])
        .all()
        .await
        .unwrap();
    scanned.sort_by_key(|p| p.key().unwrap());
    let items: Vec<&Item> = scanned.iter().map(|p| p.item()).collect();
    assert_eq!(
        items,
        vec![
            &item(&[("user", s("u1")), ("id", s("o2")), ("note", s("note o2"))]),
            &item(&[("user", s("u2")), ("id", s("o1")), ("note", s("note o1"))]),
        ]
    );
    assert_eq!(orders.scan().select(Order::NOTE).count().await.unwrap(), 3);
}

#[tokio::test]
async fn composite_keys_take_borrowed_parts_in_every_keyed_call() {
    let db = db("pborrow");
    let orders = OrderTable::new(&db);
    for id in ["o1", "o2", "o3", "o4"] {
        orders.put(&mut order("u1", id, 1)).await.unwrap();
    }
    let (user, id) = (String::from("u1"), String::from("o1"));
    assert_eq!(orders.get(("u1", "o1")).await.unwrap(), Some(order("u1", "o1", 1)));
    assert_eq!(
        orders.get_consistent((&user, &id)).await.unwrap(),
        Some(order("u1", "o1", 1))
    );
    assert_eq!(
        orders.get((user.as_str(), id.clone())).await.unwrap(),
        Some(order("u1", "o1", 1))
    );
    let got = orders.update(("u1", "o1"), Order::TOTAL.add(4)).await.unwrap();
    assert_eq!(got, Returned::Record(order("u1", "o1", 5)));
    let got = orders
        .update_if(("u1", "o1"), Order::TOTAL.add(1), Order::TOTAL.eq(5))
        .await
        .unwrap();
    assert_eq!(got, Returned::Record(order("u1", "o1", 6)));
    let got = orders.upsert(("u1", "o9"), Order::TOTAL.set(9)).await.unwrap();
    assert_eq!(
        got,
        Returned::Record(Order {
            note: None,
            ..order("u1", "o9", 9)
        })
    );
    assert_eq!(
        orders.delete(("u1", "o2")).await.unwrap(),
        Some(Returned::Record(order("u1", "o2", 1)))
    );
    assert_eq!(
        orders.delete_if(("u1", "o3"), Order::TOTAL.eq(1)).await.unwrap(),
        Some(Returned::Record(order("u1", "o3", 1)))
    );

    // An integer range key takes a literal.
    let visits = VisitTable::new(&db);
    let mut v = Visit {
        user: "u1".into(),
        seq: 3,
        page: "/".into(),
    };
    visits.put(&mut v).await.unwrap();
    assert_eq!(visits.get_consistent(("u1", 3)).await.unwrap(), Some(v.clone()));

    // Transactions.
    Transaction::new(&db)
        .update(("u1", "o1"), Order::TOTAL.set(7))
        .delete::<Order>(("u1", "o4"))
        .check::<Visit>(("u1", 3), Visit::PAGE.eq("/"))
        .commit()
        .await
        .unwrap();
    let mut tx = ReadTransaction::new(&db);
    let (first, gone) = (tx.get::<Order>(("u1", "o1")), tx.get::<Order>((&user, "o4")));
    let mut reads = tx.commit().await.unwrap();
    assert_eq!(reads.take(first).unwrap(), Some(order("u1", "o1", 7)));
    assert_eq!(reads.take(gone).unwrap(), None);

    // A memory table.
    let mut memory = MemoryTable::<Order>::new(&db);
    assert_eq!(memory.get(("u1", "o1")).await.unwrap(), Some(&order("u1", "o1", 7)));
    assert!(memory.update((&user, "o1"), |o| o.total = 8).await.unwrap());
    assert_eq!(memory.get_mut(("u1", "o1")).await.unwrap().map(|o| o.total), Some(8));
    assert_eq!(memory.remove(("u1", "o9")).await.unwrap().map(|o| o.total), Some(9));
}

#[tokio::test]
async fn an_index_query_select_reads_the_fields_asked_and_the_table_key() {
    let db = db("pindex");
    let tickets = TicketTable::new(&db);
    for (id, queue) in [("t1", "ops"), ("t2", "ops"), ("t3", "dev")] {
        let mut t = Ticket {
            id: id.into(),
            queue: queue.into(),
            title: format!("title {id}"),
            body: "long text".into(),
        };
        tickets.put(&mut t).await.unwrap();
    }
    let mut found = tickets
        .query_index(Ticket::BY_QUEUE, "ops")
        .select(Ticket::TITLE)
        .all()
        .await
        .unwrap();
    found.sort_by_key(|p| p.key().unwrap());
    let items: Vec<&Item> = found.iter().map(|p| p.item()).collect();
    assert_eq!(
        items,
        vec![
            &item(&[("id", s("t1")), ("title", s("title t1"))]),
            &item(&[("id", s("t2")), ("title", s("title t2"))]),
        ]
    );
}
