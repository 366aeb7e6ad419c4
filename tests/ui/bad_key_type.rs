use dynamo_objects::dynamo_table;

dynamo_table! {
    reading: Reading { hash sensor: String, range value: f64 }
}

fn main() {}
