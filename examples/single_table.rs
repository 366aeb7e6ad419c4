//! Single-table design: users, their orders and the orders' lines in one
//! table, told apart by `_type`; a user's partition read as one enum, the
//! orders alone, and an overloaded global index (`gsi1`) that finds a user
//! by email and an order with its lines by order id.
//!
//! ```text
//! cargo run --example single_table              # the in-process mock
//! cargo run --example single_table -- --local   # DynamoDB Local (DYNAMODB_ENDPOINT,
//!                                               # default http://localhost:8000)
//! ```

// An example's records are documented by the example's text, not field by field.
#![allow(missing_docs)]

use dynamo_objects::database::{DEFAULT_LOCAL_ENDPOINT, ENDPOINT_VAR};
use dynamo_objects::entity::PartitionKey;
use dynamo_objects::{Backend, Database, aggregate, entity, single_table};

single_table! {
    /// The shop's one table.
    app: App { hash "PK", range "SK", entity "_type", global_index gsi1("GSI1PK", "GSI1SK") }
}

entity! {
    /// A customer. Its profile sorts first in its partition (`#` < letters).
    User in App as "USER" { hash user_id: String, name: String, email: String }
    key(pk = "USER#{user_id}", sk = "#PROFILE")
    index gsi1(pk = "EMAIL#{email}", sk = "USER")
}

entity! {
    /// An order, in its customer's partition.
    Order in App as "ORDER" { hash user_id: String, range order_id: String, cents: u64 }
    key(pk = "USER#{user_id}", sk = "ORDER#{order_id}")
    index gsi1(pk = "ORDER#{order_id}", sk = "ORDER")
}

entity! {
    /// A line of an order, sorted right after its order (`{line:03}`: three
    /// digits, so line 10 sorts after line 9).
    OrderLine in App as "LINE" {
        hash user_id: String,
        range order_id: String,
        range line: u32,
        sku: String,
        quantity: u32,
    }
    key(pk = "USER#{user_id}", sk = "ORDER#{order_id}#LINE#{line:03}")
    index gsi1(pk = "ORDER#{order_id}", sk = "LINE#{line:03}")
}

aggregate! {
    /// Whatever a customer's partition holds.
    enum UserItem in App { User, Order, OrderLine }
}

aggregate! {
    /// An order and its lines: one partition of `gsi1`.
    enum OrderItem in App { Order, OrderLine }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), dynamo_objects::Error> {
    let db = if std::env::args().any(|a| a == "--local") {
        let endpoint = std::env::var(ENDPOINT_VAR).unwrap_or_else(|_| DEFAULT_LOCAL_ENDPOINT.into());
        println!("DynamoDB Local at {endpoint}, table prefix single_table_example_");
        Database::local(&endpoint).with_prefix("single_table_example_")
    } else {
        println!("the in-process mock, table prefix single_table_example_");
        Database::mock().with_prefix("single_table_example_")
    };
    let app = AppTable::new(&db); // the table and gsi1 are created on first use

    app.put(&User {
        user_id: "u1".into(),
        name: "Ann".into(),
        email: "ann@example.com".into(),
    })
    .await?;
    for (order_id, cents) in [("o1", 1250), ("o2", 300)] {
        app.put(&Order {
            user_id: "u1".into(),
            order_id: order_id.into(),
            cents,
        })
        .await?;
    }
    for (line, sku, quantity) in [(1, "ink", 2), (2, "pen", 10)] {
        app.put(&OrderLine {
            user_id: "u1".into(),
            order_id: "o1".into(),
            line,
            sku: sku.into(),
            quantity,
        })
        .await?;
    }

    println!("\nuser u1's partition, in sort-key order:");
    for item in app
        .partition::<UserItem>(PartitionKey::of::<User>(("u1",)))
        .all()
        .await?
    {
        match item {
            UserItem::User(u) => println!("  user  {} <{}>", u.name, u.email),
            UserItem::Order(o) => println!("  order {} for {} cents", o.order_id, o.cents),
            UserItem::OrderLine(l) => println!("    line {}: {} x {}", l.line, l.quantity, l.sku),
        }
    }

    let orders = app.query::<Order>(("u1",)).all().await?;
    println!(
        "\nonly the orders: {:?}",
        orders.iter().map(|o| &o.order_id).collect::<Vec<_>>()
    );

    let by_email = app.query_index::<User>(App::GSI1, ("ann@example.com",)).all().await?;
    println!(
        "\nby email on gsi1: {:?}",
        by_email.iter().map(|u| &u.user_id).collect::<Vec<_>>()
    );

    println!("\norder o1 with its lines, on gsi1:");
    for item in app
        .partition::<OrderItem>(PartitionKey::index::<Order>(App::GSI1, ("o1",)))
        .all()
        .await?
    {
        match item {
            OrderItem::Order(o) => println!("  order {} of user {}", o.order_id, o.user_id),
            OrderItem::OrderLine(l) => println!("  line {}: {}", l.line, l.sku),
        }
    }

    let got: Option<OrderLine> = app.get::<OrderLine>(("u1", "o1", 2u32)).await?;
    println!("\nget line 2 of o1: {:?}", got.map(|l| l.sku));
    println!("deleted order o2: {}", app.delete::<Order>(("u1", "o2")).await?);

    // The example leaves nothing behind on DynamoDB Local.
    db.delete_table(
        dynamo_objects::sdk::DeleteTableInput::builder()
            .table_name("app")
            .build()
            .map_err(|e| dynamo_objects::Error::Validation(e.to_string().into()))?,
    )
    .await?;
    Ok(())
}
