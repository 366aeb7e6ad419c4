use dynamo_objects::dynamo_table;

dynamo_table! {
    record Address { city: String }
    customer: Customer { hash id: String, name: String, address: Address }
}

fn main() {
    let _ = Customer::NAME.then(Address::CITY).eq("Paris");
}
