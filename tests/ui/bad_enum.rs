use dynamo_objects::dynamo_enum;

dynamo_enum! {
    pub enum Status { Active = active(), Closed }
}

dynamo_enum! {
    pub enum Shape { Circle(f64), Square }
}

fn main() {}
