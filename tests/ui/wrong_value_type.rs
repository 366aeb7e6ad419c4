use dynamo_objects::dynamo_table;

dynamo_table! {
    store: Store { hash store_id: String, visits: i64 }
}

fn main() {
    let _ = Store::VISITS.eq("many");
}
