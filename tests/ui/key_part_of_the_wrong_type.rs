use dynamo_objects::{dynamo_table, Database};

dynamo_table! {
    visit: Visit { hash user: String, range seq: u32, page: String }
}

async fn read(db: &Database) {
    let _ = VisitTable::new(db).get(("u1", "3")).await;
}

fn main() {
    let _ = read;
}
