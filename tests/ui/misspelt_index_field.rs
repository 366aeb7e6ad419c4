use dynamo_objects::dynamo_table;

dynamo_table! {
    game: Game { hash player: String, score: i64 }
    global_index by_score(hash scroe)
}

fn main() {}
