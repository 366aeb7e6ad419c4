use dynamo_objects::dynamo_table;

dynamo_table! {
    store: Store { hash store_id: String, hash name: String }
}

fn main() {}
