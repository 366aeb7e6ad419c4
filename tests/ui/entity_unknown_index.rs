use dynamo_objects::{entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type", global_index gsi1("GSI1PK", "GSI1SK") }
}

entity! {
    User in App as "USER" { hash user_id: String, email: String }
    key(pk = "USER#{user_id}", sk = "PROFILE")
    index gsi2(pk = "EMAIL#{email}", sk = "USER")
}

fn main() {}
