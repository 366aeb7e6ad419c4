use dynamo_objects::{entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type" }
}

entity! {
    Order in App as "ORDER" { hash user_id: String, range order_id: String, cents: u64 }
    key(pk = "USER#{user_id}", sk = "ORDER")
}

fn main() {}
