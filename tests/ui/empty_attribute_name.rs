use dynamo_objects::dynamo_table;

dynamo_table! {
    users: User { hash id: String, email as "": String }
}

fn main() {}
