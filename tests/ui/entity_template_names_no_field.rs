use dynamo_objects::{entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type" }
}

entity! {
    User in App as "USER" { hash user_id: String, name: String }
    key(pk = "USER#{usr_id}", sk = "PROFILE")
}

fn main() {}
