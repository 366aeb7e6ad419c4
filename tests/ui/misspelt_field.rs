use dynamo_objects::dynamo_table;

dynamo_table! {
    store: Store { hash store_id: String, name: String }
}

fn main() {
    let _ = Store::NMAE.eq("x");
}
