use dynamo_objects::dynamo_table;

dynamo_table! {
    users: User { hash id: String, email as "": String }
    orders: Order { hash pk as "PK": String, id as "PK": String }
    items: Line { hash id: String, other as "id": String }
}

fn main() {}
