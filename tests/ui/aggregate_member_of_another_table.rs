use dynamo_objects::{aggregate, entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type" }
}
single_table! {
    other: Other { hash "PK", range "SK", entity "_type" }
}

entity! {
    User in App as "USER" { hash user_id: String }
    key(pk = "USER#{user_id}", sk = "PROFILE")
}
entity! {
    Team in Other as "TEAM" { hash team_id: String }
    key(pk = "TEAM#{team_id}", sk = "TEAM")
}

aggregate! {
    enum Mixed in App { User, Team }
}

fn main() {}
