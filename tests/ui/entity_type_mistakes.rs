//! Mistakes in entity! and aggregate! declarations that the type checker
//! finds (one error each).
use dynamo_objects::{aggregate, entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type", global_index gsi1("GSI1PK", "GSI1SK") }
}
single_table! {
    other: Other { hash "PK", range "SK", entity "_type" }
}

// An index the table does not declare.
entity! {
    User in App as "USER" { hash user_id: String, email: String }
    key(pk = "USER#{user_id}", sk = "PROFILE")
    index gsi2(pk = "EMAIL#{email}", sk = "USER")
}

// A key field of a type a key template cannot hold.
entity! {
    Tag in App as "TAG" { hash names: Vec<String> }
    key(pk = "TAG#{names}", sk = "TAG")
}

// An aggregate member of another table.
entity! {
    Team in Other as "TEAM" { hash team_id: String }
    key(pk = "TEAM#{team_id}", sk = "TEAM")
}
entity! {
    Member in App as "MEMBER" { hash user_id: String }
    key(pk = "MEMBER#{user_id}", sk = "PROFILE")
}
aggregate! {
    enum Mixed in App { Member, Team }
}

fn main() {}
