//! Tests of export and import, on the backend `Database::for_tests` picks
//! (`DYNAMODB_TEST_BACKEND=mock` or `local`).

use std::io::Write as _;
use std::path::PathBuf;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

fn md5_hex(data: &[u8]) -> String {
    let mut md5 = Md5::new();
    md5.update(data);
    hex::encode(md5.finish())
}

#[test]
fn md5_matches_rfc_1321_test_vectors() {
    assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(md5_hex(b"message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    assert_eq!(
        md5_hex(b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
        "57edf4a22be3c955ac49da2e2107b67a"
    );
    // Fed in pieces that straddle blocks.
    let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    let mut md5 = Md5::new();
    for piece in data.chunks(7) {
        md5.update(piece);
    }
    assert_eq!(hex::encode(md5.finish()), md5_hex(&data));
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}
fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.into())
}
fn b(v: &[u8]) -> AttributeValue {
    AttributeValue::B(Blob::new(v.to_vec()))
}

fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn unique(what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("export_{what}_{}_{nanos}", std::process::id())
}

/// A fresh folder under the system's temp dir.
fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(what));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A fresh table keyed by `id` (S) on the test backend.
async fn table(db: &Database, what: &str) -> String {
    let name = unique(what);
    db.create_table(
        CreateTableInput::builder()
            .table_name(&name)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .expect("def"),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name("id")
                    .key_type(KeyType::Hash)
                    .build()
                    .expect("key"),
            )
            .billing_mode(BillingMode::PayPerRequest)
            .build()
            .expect("input"),
    )
    .await
    .expect("create table");
    db.wait_active(&name).await.expect("active");
    name
}

async fn put(db: &Database, table: &str, item: Item) {
    db.put_item(
        PutItemInput::builder()
            .table_name(table)
            .set_item(Some(item))
            .build()
            .expect("put"),
    )
    .await
    .expect("put item");
}

async fn all_items(db: &Database, table: &str) -> Vec<Item> {
    let mut items = Vec::new();
    scan_each(db, table, None, |i| {
        items.push(i.clone());
        Ok(())
    })
    .await
    .expect("scan");
    items.sort_by_key(|i| format!("{:?}", i.get("id")));
    items
}

/// Every attribute type, nested, and a 38-digit number.
fn every_type(id: &str) -> Item {
    item(&[
        ("id", s(id)),
        ("s", s("héllo \"world\"\n")),
        ("n38", n("12345678901234567890123456789012345678")),
        ("nfrac", n("-0.000000000000000000000000000000000000123")),
        ("b", b(&[0, 1, 2, 255])),
        ("ss", AttributeValue::Ss(vec!["a".into(), "b".into()])),
        (
            "ns",
            AttributeValue::Ns(vec!["1".into(), "99999999999999999999999999999999999999".into()]),
        ),
        (
            "bs",
            AttributeValue::Bs(vec![Blob::new(vec![1u8]), Blob::new(vec![2u8, 3])]),
        ),
        ("t", AttributeValue::Bool(true)),
        ("nul", AttributeValue::Null(true)),
        (
            "l",
            AttributeValue::L(vec![
                n("1"),
                s("x"),
                AttributeValue::M(item(&[(
                    "deep",
                    AttributeValue::L(vec![b(&[9]), AttributeValue::Bool(false)]),
                )])),
            ]),
        ),
        (
            "m",
            AttributeValue::M(item(&[
                ("k", s("v")),
                ("inner", AttributeValue::M(item(&[("z", n("0"))]))),
            ])),
        ),
    ])
}

fn read_text(path: &Path) -> String {
    let mut text = String::new();
    open_lines(path).expect("open").read_to_string(&mut text).expect("read");
    text
}

async fn round_trip(gzip: bool) {
    let db = Database::for_tests().expect("test backend");
    let source = table(&db, "src").await;
    let want: Vec<Item> = (0..7).map(|i| every_type(&format!("item{i}"))).collect();
    for i in &want {
        put(&db, &source, i.clone()).await;
    }
    let dir = temp_dir("rt");
    let options = ExportOptions {
        gzip,
        total_segments: 3,
        ..ExportOptions::default()
    };
    let report = export_table(&db, &source, &dir, options).await.expect("export");
    assert_eq!(report.items, 7);
    assert_eq!(report.files.len(), 3);
    let ext = if gzip { ".json.gz" } else { ".json" };
    for f in &report.files {
        assert!(f.to_string_lossy().ends_with(ext), "{f:?}");
        assert_eq!(f.parent(), Some(dir.join("data").as_path()));
        let raw = std::fs::read(f).expect("read data file");
        assert_eq!(raw.starts_with(&GZIP_MAGIC), gzip);
    }

    // manifest-files.json: one line per data file, exact counts and checksums.
    let manifest = std::fs::read_to_string(dir.join(MANIFEST_FILES)).expect("manifest-files");
    let lines: Vec<Json> = manifest
        .lines()
        .map(|l| serde_json::from_str(l).expect("manifest line"))
        .collect();
    assert_eq!(lines.len(), 3);
    let mut total = 0;
    for (line, file) in lines.iter().zip(&report.files) {
        let raw = std::fs::read(file).expect("read data file");
        let mut md5 = Md5::new();
        md5.update(&raw);
        let digest = md5.finish();
        let count = read_text(file).lines().count() as u64;
        let name = file.file_name().and_then(|n| n.to_str()).expect("name");
        let obj = line.as_object().expect("object");
        assert_eq!(obj.len(), 4);
        assert_eq!(obj["itemCount"], json!(count));
        assert_eq!(obj["md5Checksum"], json!(base64_encode(&digest)));
        assert_eq!(obj["etag"], json!(hex::encode(digest)));
        let key = obj["dataFileS3Key"].as_str().expect("key");
        assert!(
            key.starts_with("AWSDynamoDB/") && key.ends_with(&format!("/data/{name}")),
            "{key}"
        );
        total += count;
    }
    assert_eq!(total, 7);
    let summary: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join(MANIFEST_SUMMARY)).expect("summary")).expect("json");
    let mut keys: Vec<&str> = summary
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "billedSizeBytes",
            "endTime",
            "exportArn",
            "exportTime",
            "itemCount",
            "manifestFilesS3Key",
            "outputFormat",
            "s3Bucket",
            "s3Prefix",
            "s3SseAlgorithm",
            "s3SseKmsKeyId",
            "startTime",
            "tableArn",
            "tableId",
            "version"
        ]
    );
    let start = summary["startTime"].as_str().expect("startTime");
    assert!(
        start.len() >= 20 && start.ends_with('Z') && start.as_bytes()[10] == b'T',
        "{start}"
    );
    assert_eq!(summary["version"], json!("2020-06-30"));
    assert_eq!(summary["itemCount"], json!(7));
    assert_eq!(summary["outputFormat"], json!("DYNAMODB_JSON"));
    assert_eq!(summary["billedSizeBytes"], json!(report.bytes));
    let files_key = summary["manifestFilesS3Key"].as_str().expect("manifestFilesS3Key");
    assert!(files_key.starts_with("AWSDynamoDB/") && files_key.ends_with("/manifest-files.json"));

    let target = table(&db, "dst").await;
    let imported = import_table(&db, &target, &dir, ImportOptions::default())
        .await
        .expect("import");
    assert_eq!(
        imported,
        ImportReport {
            items: 7,
            skipped: vec![],
            failed: vec![]
        }
    );
    assert_eq!(all_items(&db, &target).await, all_items(&db, &source).await);
    assert_eq!(all_items(&db, &target).await, want);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn an_export_imported_again_preserves_every_attribute_type_exactly() {
    round_trip(false).await;
}

#[tokio::test]
async fn a_gzipped_export_imported_again_preserves_every_attribute_type_exactly() {
    round_trip(true).await;
}

fn gzip(text: &str) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(text.as_bytes()).expect("gzip");
    enc.finish().expect("gzip")
}

#[tokio::test]
async fn a_folder_laid_out_like_an_aws_export_is_imported() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "aws").await;
    let dir = temp_dir("aws");
    std::fs::create_dir_all(dir.join("data")).expect("data dir");
    let id = "01700000000000-abcdef12";
    let one = "{\"Item\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}}\n{\"Item\":{\"id\":{\"S\":\"b\"},\"ss\":{\"SS\":[\"x\",\"y\"]}}}\n";
    let two = "{\"Item\":{\"id\":{\"S\":\"c\"},\"m\":{\"M\":{\"l\":{\"L\":[{\"B\":\"AAE=\"},{\"NULL\":true}]}}}}}\n";
    std::fs::write(dir.join("data/k3ezflkwmu7ipljaw6cs7nfzau.json.gz"), gzip(one)).expect("write");
    std::fs::write(dir.join("data/rxcnlmqg2i5nfgpdwq5xyfxu3m.json.gz"), gzip(two)).expect("write");
    // A data file the manifest does not list is not imported.
    std::fs::write(
        dir.join("data/stray.json.gz"),
        gzip("{\"Item\":{\"id\":{\"S\":\"stray\"}}}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("manifest-files.json"),
        format!(
            "{{\"itemCount\":2,\"md5Checksum\":\"x\",\"etag\":\"y\",\"dataFileS3Key\":\"AWSDynamoDB/{id}/data/k3ezflkwmu7ipljaw6cs7nfzau.json.gz\"}}\n\
             {{\"itemCount\":1,\"md5Checksum\":\"x\",\"etag\":\"y\",\"dataFileS3Key\":\"AWSDynamoDB/{id}/data/rxcnlmqg2i5nfgpdwq5xyfxu3m.json.gz\"}}\n"
        ),
    )
    .expect("write");
    std::fs::write(
        dir.join("manifest-summary.json"),
        format!(
            "{{\"version\":\"2020-06-30\",\"exportArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T/export/{id}\",\
             \"startTime\":\"2023-11-14T22:13:20.000Z\",\"endTime\":\"2023-11-14T22:18:20.000Z\",\
             \"tableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/T\",\"tableId\":\"t-1\",\
             \"exportTime\":\"2023-11-14T22:13:20.000Z\",\"s3Bucket\":\"bucket\",\"s3Prefix\":null,\
             \"s3SseAlgorithm\":\"AES256\",\"s3SseKmsKeyId\":null,\
             \"manifestFilesS3Key\":\"AWSDynamoDB/{id}/manifest-files.json\",\"billedSizeBytes\":0,\
             \"itemCount\":3,\"outputFormat\":\"DYNAMODB_JSON\"}}"
        ),
    )
    .expect("write");
    let report = import_table(&db, &target, &dir, ImportOptions::default())
        .await
        .expect("import");
    assert_eq!(
        report,
        ImportReport {
            items: 3,
            skipped: vec![],
            failed: vec![]
        }
    );
    let want = vec![
        item(&[("id", s("a")), ("n", n("1"))]),
        item(&[("id", s("b")), ("ss", AttributeValue::Ss(vec!["x".into(), "y".into()]))]),
        item(&[
            ("id", s("c")),
            (
                "m",
                AttributeValue::M(item(&[(
                    "l",
                    AttributeValue::L(vec![b(&[0, 1]), AttributeValue::Null(true)]),
                )])),
            ),
        ]),
    ];
    assert_eq!(all_items(&db, &target).await, want);
    std::fs::remove_dir_all(&dir).ok();
}

const WITH_BAD_LINES: &str = "{\"Item\":{\"id\":{\"S\":\"a\"}}}\n\
    {\"Item\":{\"id\":{\"S\":\"b\"}}\n\
    {\"Item\":{\"id\":{\"S\":\"c\"}}}\n\
    {\"Item\":{\"other\":{\"S\":\"no key\"}}}\n\
    {\"Item\":{\"id\":{\"S\":\"d\"}}}\n";

#[tokio::test]
async fn an_invalid_line_is_an_error_naming_the_file_and_line() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "bad").await;
    let dir = temp_dir("bad");
    let file = dir.join("items.json");
    std::fs::write(&file, WITH_BAD_LINES).expect("write");
    let err = import_table(&db, &target, &file, ImportOptions::default())
        .await
        .expect_err("invalid line");
    match &err {
        Error::InvalidExportLine { file: f, line, message } => {
            assert_eq!(f, &file.display().to_string());
            assert_eq!(*line, 2);
            assert!(
                message.starts_with("not JSON: EOF while parsing an object"),
                "{message}"
            );
        }
        other => panic!("expected InvalidExportLine, got {other:?}"),
    }
    assert_eq!(err.code(), "InvalidExportLine");
    assert!(
        err.to_string()
            .starts_with(&format!("{}, line 2: not JSON", file.display())),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn with_skip_invalid_bad_lines_are_skipped_and_listed_and_the_rest_imported() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "skip").await;
    let dir = temp_dir("skip");
    let file = dir.join("items.json.gz");
    std::fs::write(&file, gzip(WITH_BAD_LINES)).expect("write");
    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let report = import_table(&db, &target, &file, options).await.expect("import");
    assert_eq!(
        report,
        ImportReport {
            items: 3,
            skipped: vec![(file.clone(), 2), (file.clone(), 4)],
            failed: vec![]
        }
    );
    let want: Vec<Item> = ["a", "c", "d"].iter().map(|id| item(&[("id", s(id))])).collect();
    assert_eq!(all_items(&db, &target).await, want);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_line_longer_than_the_limit_is_read_past_and_the_next_line_read() {
    let mut text = vec![b'x'; MAX_LINE_BYTES + 10];
    text.extend_from_slice(b"\nnext\r\nlast");
    let mut reader: &[u8] = &text;
    let mut buf = Vec::new();
    assert_eq!(read_line(&mut reader, &mut buf).expect("read"), Some(false));
    assert_eq!(read_line(&mut reader, &mut buf).expect("read"), Some(true));
    assert_eq!(buf, b"next");
    assert_eq!(read_line(&mut reader, &mut buf).expect("read"), Some(true));
    assert_eq!(buf, b"last");
    assert_eq!(read_line(&mut reader, &mut buf).expect("read"), None);
}

#[tokio::test]
async fn export_to_writer_writes_one_exact_line_per_item() {
    let db = Database::for_tests().expect("test backend");
    let source = table(&db, "writer").await;
    put(
        &db,
        &source,
        item(&[
            ("id", s("only")),
            ("n", n("42")),
            ("bs", AttributeValue::Bs(vec![Blob::new(vec![1u8])])),
        ]),
    )
    .await;
    let mut out = Vec::new();
    let count = export_to_writer(&db, &source, &mut out, ExportFormat::DynamoDbJson)
        .await
        .expect("export");
    assert_eq!(count, 1);
    let line: Json = serde_json::from_slice(&out).expect("json");
    assert_eq!(
        line,
        json!({"Item": {"id": {"S": "only"}, "n": {"N": "42"}, "bs": {"BS": ["AQ=="]}}})
    );
    assert_eq!(out.last(), Some(&b'\n'));
    assert_eq!(out.iter().filter(|c| **c == b'\n').count(), 1);

    let mut plain = Vec::new();
    export_to_writer(&db, &source, &mut plain, ExportFormat::PlainJson)
        .await
        .expect("export");
    let line: Json = serde_json::from_slice(&plain).expect("json");
    assert_eq!(line, json!({"id": "only", "n": 42, "bs": {"BS": ["AQ=="]}}));
}

#[test]
fn plain_json_is_natural_where_lossless_and_tagged_elsewhere() {
    let it = every_type("p");
    let want = json!({
        "id": "p",
        "s": "héllo \"world\"\n",
        "n38": {"N": "12345678901234567890123456789012345678"},
        "nfrac": {"N": "-0.000000000000000000000000000000000000123"},
        "b": {"B": "AAEC/w=="},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["1", "99999999999999999999999999999999999999"]},
        "bs": {"BS": ["AQ==", "AgM="]},
        "t": true,
        "nul": null,
        "l": [1, "x", {"deep": [{"B": "CQ=="}, false]}],
        "m": {"k": "v", "inner": {"z": 0}},
    });
    assert_eq!(plain_item(&it), want);
    assert_eq!(plain_value(&n("-2.5")), json!(-2.5));
    assert_eq!(plain_value(&n("1e3")), json!({"N": "1e3"}));
    assert_eq!(plain_value(&n("18446744073709551615")), json!(18446744073709551615u64));
    assert_eq!(
        plain_value(&n("18446744073709551616")),
        json!({"N": "18446744073709551616"})
    );
}

async fn count_items(db: &Database, table: &str) -> u64 {
    let mut count = 0;
    scan_each(db, table, None, |_| {
        count += 1;
        Ok(())
    })
    .await
    .expect("scan");
    count
}

#[tokio::test]
async fn an_import_of_more_lines_than_a_chunk_writes_every_item_and_reports_progress() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "chunks").await;
    let dir = temp_dir("chunks");
    let file = dir.join("many.json");
    let lines = 2 * IMPORT_CHUNK + 500;
    let text: String = (0..lines)
        .map(|i| format!("{{\"Item\":{{\"id\":{{\"S\":\"k{i:05}\"}}}}}}\n"))
        .collect();
    std::fs::write(&file, &text).expect("write");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress: ProgressFn = std::sync::Arc::new(move |p: &Progress| {
        sink.lock().expect("lock").push((p.items, p.bytes, p.done));
    });
    let options = ImportOptions {
        progress: Some(progress),
        ..ImportOptions::default()
    };
    let report = import_table(&db, &target, &file, options).await.expect("import");
    assert_eq!(
        report,
        ImportReport {
            items: lines as u64,
            skipped: vec![],
            failed: vec![]
        }
    );
    assert_eq!(count_items(&db, &target).await, lines as u64);
    let seen = seen.lock().expect("lock").clone();
    let per_line = text.len() as u64 / lines as u64;
    assert_eq!(
        seen,
        vec![
            (1_000, 1_000 * per_line, false),
            (2_000, 2_000 * per_line, false),
            (2_500, 2_500 * per_line, true)
        ]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn an_item_dynamodb_refuses_comes_back_in_failed_and_the_others_are_written() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "refused").await;
    let dir = temp_dir("refused");
    let file = dir.join("items.json");
    std::fs::write(
        &file,
        "{\"Item\":{\"id\":{\"S\":\"ok\"}}}\n{\"Item\":{\"id\":{\"S\":\"\"}}}\n",
    )
    .expect("write");
    let report = import_table(&db, &target, &file, ImportOptions::default())
        .await
        .expect("import");
    assert_eq!(report.items, 1);
    assert_eq!(report.skipped, vec![]);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].key, item(&[("id", s(""))]));
    assert_eq!(report.failed[0].error.code(), "ValidationException");
    assert_eq!(all_items(&db, &target).await, vec![item(&[("id", s("ok"))])]);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_missing_input_is_an_io_error_naming_the_path() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "missing").await;
    let path = std::env::temp_dir().join(unique("absent")).join("nothing.json");
    let err = import_table(&db, &target, &path, ImportOptions::default())
        .await
        .expect_err("missing");
    match err {
        Error::Io { path: p, message } => {
            assert_eq!(p, path.display().to_string());
            assert!(message.starts_with("No such file or directory"), "{message}");
        }
        other => panic!("expected Io, got {other:?}"),
    }
}

#[tokio::test]
async fn an_export_folder_whose_manifest_lists_a_missing_file_is_an_io_error_naming_it() {
    let db = Database::for_tests().expect("test backend");
    let target = table(&db, "gone").await;
    let dir = temp_dir("gone");
    std::fs::write(
        dir.join(MANIFEST_FILES),
        "{\"itemCount\":1,\"dataFileS3Key\":\"AWSDynamoDB/x/data/gone.json.gz\"}\n",
    )
    .expect("write");
    let err = import_table(&db, &target, &dir, ImportOptions::default())
        .await
        .expect_err("missing data file");
    match err {
        Error::Io { path, .. } => assert_eq!(path, dir.join("data").join("gone.json.gz").display().to_string()),
        other => panic!("expected Io, got {other:?}"),
    }
    std::fs::remove_dir_all(&dir).ok();
}
