use dynamo_objects::dynamo_table;

dynamo_table! {
    users: User { hash id as 5: String }
}

fn main() {}
