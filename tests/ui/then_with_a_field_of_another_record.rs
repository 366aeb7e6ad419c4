use dynamo_objects::dynamo_table;

dynamo_table! {
    record Address { city: String }
    record Phone { number: String }
    customer: Customer { hash id: String, address: Address, phone: Phone }
}

fn main() {
    let _ = Customer::ADDRESS.then(Phone::NUMBER).eq("555");
}
