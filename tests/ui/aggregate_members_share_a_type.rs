use dynamo_objects::{aggregate, entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type" }
}

entity! {
    User in App as "USER" { hash user_id: String }
    key(pk = "USER#{user_id}", sk = "PROFILE")
}
entity! {
    Admin in App as "USER" { hash user_id: String }
    key(pk = "ADMIN#{user_id}", sk = "PROFILE")
}

aggregate! {
    enum People in App { User, Admin }
}

fn main() {}
