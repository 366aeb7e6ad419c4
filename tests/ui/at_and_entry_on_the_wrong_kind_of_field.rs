use dynamo_objects::dynamo_table;

dynamo_table! {
    customer: Customer { hash id: String, name: String, tags: Vec<String> }
}

fn main() {
    let _ = Customer::NAME.at(0).eq("x");
    let _ = Customer::TAGS.entry("theme").eq("x");
}
