use dynamo_objects::dynamo_table;

dynamo_table! {
    users: User { hash id: String, email: String }
    global_index by(hash email)
}

fn main() {}
