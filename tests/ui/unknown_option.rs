use dynamo_objects::dynamo_table;

dynamo_table! {
    store: Store { hash store_id: String }
    throughput(1, 1)
    encrypted
}

fn main() {}
