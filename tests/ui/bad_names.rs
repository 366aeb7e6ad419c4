use dynamo_objects::dynamo_table;

dynamo_table! {
    ab: Short { hash id: String }
    "my orders": Spaced { hash id: String }
    users: User { hash id: String, email: String }
    global_index by(hash email)
}

fn main() {}
