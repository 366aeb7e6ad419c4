use dynamo_objects::dynamo_table;

dynamo_table! {
    session: Session { hash id: String, expires: String }
    ttl(expires)
}

fn main() {}
