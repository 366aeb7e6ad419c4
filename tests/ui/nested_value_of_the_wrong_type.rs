use dynamo_objects::dynamo_table;

dynamo_table! {
    record Address { zip: u32 }
    customer: Customer { hash id: String, address: Address }
}

fn main() {
    let _ = Customer::ADDRESS.then(Address::ZIP).set("75001");
}
