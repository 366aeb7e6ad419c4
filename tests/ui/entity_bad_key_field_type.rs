use dynamo_objects::{entity, single_table};

single_table! {
    app: App { hash "PK", range "SK", entity "_type" }
}

entity! {
    Tag in App as "TAG" { hash names: Vec<String> }
    key(pk = "TAG#{names}", sk = "TAG")
}

fn main() {}
