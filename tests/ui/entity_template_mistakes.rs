//! Mistakes in entity! and aggregate! declarations that compile-time
//! checks of the templates and types find (one error each).
use dynamo_objects::{aggregate, entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "kind", global_index gsi1("GSI1PK", "GSI1SK") }
}

// The partition-key template names no field.
entity! {
    User in App as "USER" { hash user_id: String, name: String }
    key(pk = "USER#{usr_id}", sk = "PROFILE")
}

// An index template names no field.
entity! {
    Member in App as "MEMBER" { hash user_id: String, email: String }
    key(pk = "MEMBER#{user_id}", sk = "PROFILE")
    index gsi1(pk = "EMAIL#{e_mail}", sk = "MEMBER")
}

// The sort-key template leaves out a range field.
entity! {
    Order in App as "ORDER" { hash user_id: String, range order_id: String, cents: u64 }
    key(pk = "USER#{user_id}", sk = "ORDER")
}

// A malformed template.
entity! {
    Line in App as "LINE" { hash user_id: String, range line: u32 }
    key(pk = "USER#{user_id}", sk = "LINE#{line")
}

// A field stored under the table's entity attribute.
entity! {
    Note in App as "NOTE" { hash id: String, kind: String }
    key(pk = "NOTE#{id}", sk = "NOTE")
}

// Two members of an aggregate with one entity type.
entity! {
    Admin in App as "USER" { hash user_id: String }
    key(pk = "ADMIN#{user_id}", sk = "PROFILE")
}
aggregate! {
    enum People in App { User, Admin }
}

fn main() {}
