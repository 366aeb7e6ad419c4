use dynamo_objects::{dynamo_newtype, dynamo_table};

dynamo_newtype! {
    pub struct Tags(Vec<String>);
}

dynamo_table! {
    posts: Post { hash tags: Tags }
}

fn main() {}
