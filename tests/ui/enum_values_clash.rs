use dynamo_objects::dynamo_enum;

dynamo_enum! {
    pub enum Status { Active = "on", Running = "on" }
    pub enum Level { Low = "", High }
}

fn main() {}
