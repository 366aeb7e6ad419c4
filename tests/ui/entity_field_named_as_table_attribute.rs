use dynamo_objects::{entity, single_table};

single_table! {
    app: App { hash "pk", range "sk", entity "kind" }
}

entity! {
    Note in App as "NOTE" { hash id: String, kind: String }
    key(pk = "NOTE#{id}", sk = "NOTE")
}

fn main() {}
