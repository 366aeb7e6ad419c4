use dynamo_objects::dynamo_table;

dynamo_table! {
    ab: Short { hash id: String }
    "my orders": Spaced { hash id: String }
}

fn main() {}
