use dynamo_objects::dynamo_table;

dynamo_table! {
    store: Store { store_id: String, name: String }
}

fn main() {}
