//! The `dynamo-objects` command line end to end: the built binary against an
//! in-process mock server.
//!
//! `tables`, `describe` and the usage errors need only the CLI; `copy-table`,
//! `export`, `import` and `throughput` need the library tools
//! (`dynamo_objects::tools`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use dynamo_objects::__private::aws_sdk_dynamodb::primitives::Blob;
use dynamo_objects::__private::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_objects::sdk::{DescribeTableInput, PutItemInput, ScanInput};
use dynamo_objects::server::{MockServer, ServerOptions};
use dynamo_objects::{Backend, Database, IndexSchema, Item, KeyAttr, KeyType, TableSchema};

const BIN: &str = env!("CARGO_BIN_EXE_dynamo-objects");

/// What a run of the binary gave: exit code, stdout, stderr.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The last line written on stderr (the summary).
    fn summary(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(BIN).args(args).output().expect("the binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A direct (in-process) connection to the server's engine, for setting up
/// and checking.
fn direct(server: &MockServer, prefix: &str) -> Database {
    Database::new(Arc::new(server.backend().clone()), prefix)
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

async fn put(db: &Database, table: &str, item: Item) {
    db.put_item(
        PutItemInput::builder()
            .table_name(table)
            .set_item(Some(item))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
}

/// Every item of a table, sorted by `id`'s text.
async fn scan_all(db: &Database, table: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let out = db
            .scan(
                ScanInput::builder()
                    .table_name(table)
                    .set_exclusive_start_key(start.take())
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
        items.extend(out.items.unwrap_or_default());
        match out.last_evaluated_key {
            Some(k) => start = Some(k),
            None => break,
        }
    }
    items.sort_by_key(|i| format!("{:?}", i.get("id")));
    items
}

fn things(name: &str) -> TableSchema {
    TableSchema::new(name, KeyAttr::new("id", KeyType::S))
}

/// An item with every attribute type.
fn rich_item(i: usize) -> Item {
    HashMap::from([
        ("id".to_string(), s(&format!("item-{i:03}"))),
        ("n".to_string(), n("12345678901234567890123456789012345678")),
        ("f".to_string(), n("-0.000000000000000000000000000000000001")),
        ("b".to_string(), AttributeValue::B(Blob::new(vec![0u8, 255, i as u8]))),
        ("ss".to_string(), AttributeValue::Ss(vec!["a".into(), "b".into()])),
        ("ns".to_string(), AttributeValue::Ns(vec!["1".into(), "2.5".into()])),
        (
            "bs".to_string(),
            AttributeValue::Bs(vec![Blob::new(vec![1u8]), Blob::new(vec![2u8, 3])]),
        ),
        ("t".to_string(), AttributeValue::Bool(true)),
        ("z".to_string(), AttributeValue::Null(true)),
        (
            "m".to_string(),
            AttributeValue::M(HashMap::from([(
                "l".to_string(),
                AttributeValue::L(vec![s("x"), n("1"), AttributeValue::M(HashMap::new())]),
            )])),
        ),
    ])
}

/// A fresh folder under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynamo-objects-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn capacity(db: &Database, table: &str) -> (i64, i64) {
    let out = db
        .describe_table(DescribeTableInput::builder().table_name(table).build().unwrap())
        .await
        .unwrap();
    let p = out.table.unwrap().provisioned_throughput.unwrap();
    (p.read_capacity_units.unwrap(), p.write_capacity_units.unwrap())
}

#[tokio::test]
async fn tables_lists_the_prefix_s_tables_without_the_prefix_one_a_line() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let app = direct(&server, "app_");
    app.ensure_table(&things("users")).await.unwrap();
    app.ensure_table(&things("orders")).await.unwrap();
    direct(&server, "").ensure_table(&things("other")).await.unwrap();
    let url = server.endpoint();

    let r = run(&["tables", "--endpoint-url", &url, "--prefix", "app_"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (Some(0), "orders\nusers\n", "")
    );
    let r = run(&["tables", "--endpoint-url", &url]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), "app_orders\napp_users\nother\n"));
    server.shutdown().await;
}

#[tokio::test]
async fn describe_prints_status_keys_capacity_items_and_indexes() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "app_");
    let schema = TableSchema::new("events", KeyAttr::new("id", KeyType::S))
        .range(KeyAttr::new("at", KeyType::N))
        .throughput(5, 7)
        .global_index(IndexSchema::new("by_user", KeyAttr::new("user", KeyType::S)));
    db.ensure_table(&schema).await.unwrap();
    let r = run(&[
        "describe",
        "events",
        "--endpoint-url",
        &server.endpoint(),
        "--prefix",
        "app_",
    ]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            Some(0),
            "table: events\n\
             status: ACTIVE\n\
             key: id (S) HASH, at (N) RANGE\n\
             capacity: read 5, write 7\n\
             items: 0\n\
             bytes: 0\n\
             global index by_user: user (S) HASH; projection ALL; read 5, write 7\n",
            ""
        )
    );
    server.shutdown().await;
}

#[tokio::test]
async fn describing_a_missing_table_fails_with_exit_1_and_the_server_s_message() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let r = run(&["describe", "nope", "--endpoint-url", &server.endpoint()]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            Some(1),
            "",
            "dynamo-objects: resource not found: Requested resource not found\n"
        )
    );
    server.shutdown().await;
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["copy-table", "only-one"][..],
        &["describe"],
        &["copy-table", "a", "b", "--segments", "3-1"],
        &["copy-table", "a", "b", "--segments", "0-7", "--total-segments", "4"],
        &["copy-table", "a", "b", "--if-exists", "sometimes"],
        &["export", "t", "--format", "xml"],
        &["tables", "--local", "--endpoint-url", "http://127.0.0.1:1"],
        &["throughput", "t", "--read", "5", "--write", "5"],
        &["throughput", "t", "--read", "0", "--write", "5", "--", "true"],
        &["frobnicate"],
    ] {
        let r = run(args);
        assert_eq!((r.code, r.stdout.as_str()), (Some(2), ""), "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let r = run(&["--help"]);
    assert_eq!(r.code, Some(0));
    assert!(
        r.stdout.contains(
            "Exit codes:\n  0  done\n  1  failed (the error is printed on stderr)\n  2  usage error\n  \
             3  finished, but some items were handed back (not written; listed on stderr)\n"
        ),
        "{}",
        r.stdout
    );
}

// Needs the library's tools::throughput (the stand-in refuses).
#[tokio::test]
async fn throughput_runs_the_command_raised_exits_with_its_code_and_restores_the_capacity() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("jobs").throughput(5, 6)).await.unwrap();
    let url = server.endpoint();
    // The command checks the capacity is raised while it runs, then fails with 7.
    let script = format!(
        "'{BIN}' describe jobs --endpoint-url {url} | grep -qx 'capacity: read 50, write 60' && exit 7; exit 9"
    );
    let r = run(&[
        "throughput",
        "jobs",
        "--read",
        "50",
        "--write",
        "60",
        "--endpoint-url",
        &url,
        "--",
        "sh",
        "-c",
        &script,
    ]);
    assert_eq!(r.code, Some(7), "{}", r.stderr);
    assert_eq!(capacity(&db, "jobs").await, (5, 6));
    server.shutdown().await;
}

// Needs the library's tools::copy (the stand-in refuses).
#[tokio::test]
async fn copy_table_creates_the_target_and_copies_every_item() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("source")).await.unwrap();
    for i in 0..50 {
        put(&db, "source", rich_item(i)).await;
    }
    let checkpoint = temp_dir("copy").join("job.checkpoint");
    let r = run(&[
        "copy-table",
        "source",
        "target",
        "--endpoint-url",
        &server.endpoint(),
        "--create",
        "--total-segments",
        "3",
        "--checkpoint",
        checkpoint.to_str().unwrap(),
    ]);
    assert_eq!(
        (r.code, r.summary()),
        (
            Some(0),
            "copy-table: scanned 50, written 50, skipped 0, dropped 0, not written 0"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(scan_all(&db, "target").await, scan_all(&db, "source").await);
    assert_eq!(scan_all(&db, "target").await.len(), 50);
    server.shutdown().await;
}

// Needs the library's tools::export (the stand-in refuses).
#[tokio::test]
async fn export_then_import_through_the_binary_keeps_every_item_and_attribute_type() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("original")).await.unwrap();
    db.ensure_table(&things("restored")).await.unwrap();
    for i in 0..20 {
        put(&db, "original", rich_item(i)).await;
    }
    let url = server.endpoint();
    let dir = temp_dir("export");
    let out = dir.join("original");
    let r = run(&[
        "export",
        "original",
        "--endpoint-url",
        &url,
        "--output",
        out.to_str().unwrap(),
        "--gzip",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.summary().starts_with("export: 20 items, "), "{}", r.stderr);
    assert!(out.join("manifest-summary.json").is_file());
    assert!(out.join("manifest-files.json").is_file());

    let r = run(&[
        "import",
        "restored",
        "--endpoint-url",
        &url,
        "--input",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        (r.code, r.summary()),
        (Some(0), "import: written 20, invalid lines skipped 0, not written 0"),
        "{}",
        r.stderr
    );
    assert_eq!(scan_all(&db, "restored").await, scan_all(&db, "original").await);
    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
}

// Needs the library's tools::export (the stand-in refuses).
#[tokio::test]
async fn export_to_stdout_writes_one_dynamodb_json_item_line_per_item() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("small")).await.unwrap();
    put(
        &db,
        "small",
        HashMap::from([("id".to_string(), s("a")), ("n".to_string(), n("1"))]),
    )
    .await;
    put(&db, "small", HashMap::from([("id".to_string(), s("b"))])).await;
    let r = run(&["export", "small", "--endpoint-url", &server.endpoint(), "--output", "-"]);
    assert_eq!(
        (r.code, r.summary()),
        (Some(0), "export: 2 items to stdout"),
        "{}",
        r.stderr
    );
    let mut lines: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    lines.sort_by_key(|v| v["Item"]["id"]["S"].as_str().unwrap_or("").to_string());
    assert_eq!(
        lines,
        [
            serde_json::json!({"Item": {"id": {"S": "a"}, "n": {"N": "1"}}}),
            serde_json::json!({"Item": {"id": {"S": "b"}}}),
        ]
    );
    server.shutdown().await;
}

// Needs the library's tools::export (the stand-in refuses).
#[tokio::test]
async fn import_exits_3_when_items_are_handed_back_and_lists_them() {
    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("strict")).await.unwrap();
    let dir = temp_dir("import3");
    let file = dir.join("items.json");
    // The second item's key has the wrong type: DynamoDB refuses that write.
    std::fs::write(
        &file,
        "{\"Item\":{\"id\":{\"S\":\"good\"}}}\n{\"Item\":{\"id\":{\"N\":\"1\"}}}\n",
    )
    .unwrap();
    let r = run(&[
        "import",
        "strict",
        "--endpoint-url",
        &server.endpoint(),
        "--input",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        (r.code, r.summary()),
        (Some(3), "import: written 1, invalid lines skipped 0, not written 1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("not written: strict {\"id\":{\"N\":\"1\"}}: "),
        "{}",
        r.stderr
    );
    assert_eq!(
        scan_all(&db, "strict").await,
        [HashMap::from([("id".to_string(), s("good"))])]
    );
    let _ = std::fs::remove_dir_all(&dir);
    server.shutdown().await;
}

/// Runs `throughput` on a 5/6 table with a command that marks it has started
/// and then sleeps; once it has started, sends `signal` with `kill`, to the
/// whole process group (`kill -SIG -- -PGID`, as a terminal's Ctrl-C does)
/// when `group`, else to the CLI alone. Returns the exit code, stderr and
/// the capacity afterwards.
#[cfg(unix)]
async fn interrupted_throughput(name: &str, signal: &str, group: bool) -> (Option<i32>, String, (i64, i64)) {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let server = MockServer::start(ServerOptions::default()).await.unwrap();
    let db = direct(&server, "");
    db.ensure_table(&things("jobs").throughput(5, 6)).await.unwrap();
    let marker = temp_dir(name).join("started");
    let script = format!("touch '{}'; exec sleep 30", marker.display());
    let mut child = Command::new(BIN)
        .args(["throughput", "jobs", "--read", "50", "--write", "60"])
        .args(["--endpoint-url", &server.endpoint(), "--", "sh", "-c", &script])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !marker.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            panic!("throughput ended ({status}) before its command started: {stderr}");
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the command never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(capacity(&db, "jobs").await, (50, 60));
    let target = if group {
        format!("-{}", child.id())
    } else {
        child.id().to_string()
    };
    let killed = Command::new("kill").args([signal, "--", &target]).status().unwrap();
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let after = capacity(&db, "jobs").await;
    server.shutdown().await;
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        after,
    )
}

// Needs the library's tools::throughput (the stand-in refuses).
#[cfg(unix)]
#[tokio::test]
async fn throughput_restores_the_capacity_after_ctrl_c_and_exits_with_the_command_s_code() {
    let (code, stderr, after) = interrupted_throughput("ctrl-c", "-INT", true).await;
    assert_eq!((code, after), (Some(130), (5, 6)), "{stderr}");
    assert!(
        stderr.contains("throughput: interrupted; waiting for the command to stop"),
        "{stderr}"
    );
}

// Needs the library's tools::throughput (the stand-in refuses).
#[cfg(unix)]
#[tokio::test]
async fn throughput_passes_sigterm_on_to_the_command_and_restores_the_capacity() {
    let (code, stderr, after) = interrupted_throughput("sigterm", "-TERM", false).await;
    assert_eq!((code, after), (Some(143), (5, 6)), "{stderr}");
}
