use dynamo_objects::{dynamo_table, Database};

dynamo_table! {
    user: User {
        hash id: String,
        team: String,
        credits: i64,
    }
    global_index by_team(hash team, projection keys_only)
}

async fn write_back(db: &Database) -> Result<(), dynamo_objects::Error> {
    let users = UserTable::new(db);
    for mut user in users.query_index(User::BY_TEAM, "red").all().await? {
        users.put(&mut user).await?;
        users.save(&mut user).await?;
    }
    Ok(())
}

fn main() {
    let _ = write_back;
}
