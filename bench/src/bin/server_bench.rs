//! Load generator for `tool/bench-servers.sh`: measures one DynamoDB-compatible
//! server (the mock server, DynamoDB Local, dynoxide) through this crate's
//! client, reading the server's CPU time and memory from /proc.
//!
//! ```text
//! # start-up: prints `warm`, then reads the instant the server was spawned
//! # (bash's $EPOCHREALTIME) from stdin, and times the first good ListTables:
//! server_bench --endpoint http://127.0.0.1:8000 --label mock --startup
//! # the workload (the server must run as process PID on this machine):
//! server_bench --endpoint http://127.0.0.1:8000 --label mock --pid 1234
//! # GetItem latency over a loaded table, with TTL on (nothing expiring) or off:
//! server_bench --endpoint http://127.0.0.1:8000 --label mock --get-latency --load 200000 [--ttl]
//! ```
//!
//! Each result is one line, `bench LABEL METRIC VALUE`. Server CPU is the
//! process's utime+stime (/proc/PID/stat, which counts exited threads too, in
//! clock ticks) and the sum of its live threads' run time (/proc/PID/task/*/
//! schedstat, in ns), each read before and after a workload.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use clap::Parser;
use dynamo_objects::sdk::*;
use dynamo_objects::{AwsBackend, Backend, Database, Error, Item, KeyAttr, KeyType, TableSchema};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8000 (loopback only).
    #[arg(long)]
    endpoint: String,
    /// Name of the server in the output.
    #[arg(long, default_value = "server")]
    label: String,
    /// Measure start-up instead (see `wait_ready`).
    #[arg(long)]
    startup: bool,
    /// The server's process id (required for the workload).
    #[arg(long)]
    pid: Option<u32>,
    /// Clock ticks per second (`getconf CLK_TCK`).
    #[arg(long, default_value_t = 100)]
    clk_tck: u64,
    /// Items loaded with BatchWriteItem before the memory reading.
    #[arg(long, default_value_t = 50_000)]
    load: u64,
    /// PutItem and GetItem calls per measured workload.
    #[arg(long, default_value_t = 5_000)]
    ops: u64,
    /// Queries (of 100 items each).
    #[arg(long, default_value_t = 500)]
    queries: u64,
    /// BatchWriteItem calls (of 25 items each).
    #[arg(long, default_value_t = 200)]
    batches: u64,
    /// Concurrent client tasks for the concurrent workloads.
    #[arg(long, default_value_t = 16)]
    concurrency: u64,
    /// Upper bound on each workload's duration, in seconds.
    #[arg(long, default_value_t = 120)]
    max_secs: u64,
    /// Run only these measured workloads (comma-separated names such as
    /// `get_c1,query_c1`; the load always runs), e.g. to profile one of them.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Measure GetItem latency instead (see `get_latency`).
    #[arg(long)]
    get_latency: bool,
    /// With `--get-latency`: turn TTL on, on an attribute every item has,
    /// set a day ahead (so that nothing expires).
    #[arg(long)]
    ttl: bool,
    /// With `--get-latency`: seconds of GetItem calls measured.
    #[arg(long, default_value_t = 10)]
    latency_secs: u64,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: u64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// A ~1 KB item: ten string attributes of 96 bytes, a number, and the key.
fn item(pk: &str, sk: u64) -> Item {
    let mut it: Item = HashMap::new();
    it.insert("pk".into(), s(pk));
    it.insert("sk".into(), n(sk));
    for i in 0..10 {
        it.insert(format!("attr{i}"), s(&format!("{i}").repeat(96)));
    }
    it.insert("count".into(), n(42));
    it
}

fn key(pk: &str, sk: u64) -> Item {
    [("pk".to_string(), s(pk)), ("sk".to_string(), n(sk))]
        .into_iter()
        .collect()
}

/// The loaded items are `p{i % 1000}` / `i / 1000`.
fn load_key(i: u64) -> (String, u64) {
    (format!("p{}", i % 1000), i / 1000)
}

/// Process-wide CPU time of the server, two ways.
#[derive(Clone, Copy)]
struct Cpu {
    ticks: u64,
    /// System (kernel) time alone, in clock ticks.
    sys_ticks: u64,
    sched_ns: u64,
}

fn read_cpu(pid: u32) -> Result<Cpu, BoxError> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    let rest = &stat[stat.rfind(')').ok_or("bad /proc stat")? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let sys_ticks = f[12].parse::<u64>()?;
    let ticks = f[11].parse::<u64>()? + sys_ticks;
    let mut sched_ns = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        // A thread may exit between the listing and the read.
        if let Ok(line) = std::fs::read_to_string(task?.path().join("schedstat")) {
            sched_ns += line
                .split_whitespace()
                .next()
                .unwrap_or("0")
                .parse::<u64>()
                .unwrap_or(0);
        }
    }
    Ok(Cpu {
        ticks,
        sys_ticks,
        sched_ns,
    })
}

fn rss_kb(pid: u32) -> Result<u64, BoxError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("bad VmRSS")?.parse()?)
}

/// Runs `$BENCH_MARK start NAME` before a measured workload and
/// `$BENCH_MARK end NAME` after it, when that variable is set:
/// `tool/bench-server-instructions.sh` zeroes and dumps callgrind's counters
/// of the server there.
fn mark(when: &str, name: &str) -> Result<(), BoxError> {
    let Some(cmd) = std::env::var_os("BENCH_MARK") else {
        return Ok(());
    };
    let status = std::process::Command::new(cmd).args([when, name]).status()?;
    if !status.success() {
        return Err(format!("BENCH_MARK {when} {name}: {status}").into());
    }
    Ok(())
}

fn emit(label: &str, metric: &str, value: f64) {
    println!("bench {label} {metric} {value:.3}");
}

/// One operation, bounded in time.
async fn bounded<T>(f: impl Future<Output = Result<T, Error>>) -> Result<T, BoxError> {
    Ok(tokio::time::timeout(Duration::from_secs(30), f).await??)
}

async fn put(db: &Database, pk: &str, sk: u64) -> Result<(), BoxError> {
    let input = PutItemInput::builder()
        .table_name("bench")
        .set_item(Some(item(pk, sk)))
        .build()?;
    bounded(db.put_item(input)).await?;
    Ok(())
}

async fn get(db: &Database, pk: &str, sk: u64) -> Result<(), BoxError> {
    let input = GetItemInput::builder()
        .table_name("bench")
        .set_key(Some(key(pk, sk)))
        .build()?;
    let out = bounded(db.get_item(input)).await?;
    out.item.ok_or_else(|| format!("{pk}/{sk} not found"))?;
    Ok(())
}

async fn query(db: &Database) -> Result<(), BoxError> {
    let input = QueryInput::builder()
        .table_name("bench")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("q"))
        .build()?;
    let out = bounded(db.query(input)).await?;
    if out.count != 100 {
        return Err(format!("query returned {} items, not 100", out.count).into());
    }
    Ok(())
}

/// Writes `items` (at most 25) with BatchWriteItem, resending unprocessed items.
async fn batch(db: &Database, items: Vec<Item>) -> Result<(), BoxError> {
    let mut requests: Vec<WriteRequest> = items
        .into_iter()
        .map(|it| {
            let put = PutRequest::builder().set_item(Some(it)).build()?;
            Ok(WriteRequest::builder().put_request(put).build())
        })
        .collect::<Result<_, BuildError>>()?;
    for _ in 0..20 {
        let input = BatchWriteItemInput::builder()
            .request_items("bench", requests)
            .build()?;
        let out = bounded(db.batch_write_item(input)).await?;
        requests = out
            .unprocessed_items
            .and_then(|mut m| m.remove("bench"))
            .unwrap_or_default();
        if requests.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err("BatchWriteItem kept items unprocessed".into())
}

/// Runs `op(0..count)` on `tasks` concurrent tasks (or until `max` has passed);
/// returns the number of operations done and the wall time.
async fn run<F, Fut>(tasks: u64, count: u64, max: Duration, op: F) -> Result<(u64, Duration), BoxError>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), BoxError>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (op, next) = (op.clone(), next.clone());
            tokio::spawn(async move {
                let mut done = 0u64;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || start.elapsed() > max {
                        return Ok::<u64, BoxError>(done);
                    }
                    op(i).await?;
                    done += 1;
                }
            })
        })
        .collect();
    let mut done = 0;
    for h in handles {
        done += h.await??;
    }
    Ok((done, start.elapsed()))
}

/// A measured workload: ops/s, and the server's CPU per unit (`per` units per op).
async fn measure<F, Fut>(
    args: &Args,
    pid: u32,
    name: &str,
    tasks: u64,
    count: u64,
    per: u64,
    op: F,
) -> Result<(), BoxError>
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), BoxError>> + Send,
{
    if !args.only.is_empty() && name != "load_batch" && !args.only.iter().any(|o| o == name) {
        return Ok(());
    }
    mark("start", name)?;
    let before = read_cpu(pid)?;
    let (done, wall) = run(tasks, count, Duration::from_secs(args.max_secs), op).await?;
    let after = read_cpu(pid)?;
    mark("end", name)?;
    let units = (done * per).max(1) as f64;
    let label = &args.label;
    emit(label, &format!("{name}.ops"), done as f64);
    emit(label, &format!("{name}.ops_per_s"), done as f64 / wall.as_secs_f64());
    emit(
        label,
        &format!("{name}.cpu_us"),
        (after.sched_ns - before.sched_ns) as f64 / 1e3 / units,
    );
    let tick_us = 1e6 / args.clk_tck as f64;
    emit(
        label,
        &format!("{name}.cpu_us_ticks"),
        (after.ticks - before.ticks) as f64 * tick_us / units,
    );
    emit(
        label,
        &format!("{name}.cpu_us_sys_ticks"),
        (after.sys_ticks - before.sys_ticks) as f64 * tick_us / units,
    );
    Ok(())
}

fn parse_epoch(s: &str) -> Result<SystemTime, BoxError> {
    let (secs, frac) = s.split_once(['.', ',']).unwrap_or((s, "0"));
    let micros: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
    Ok(UNIX_EPOCH + Duration::from_secs(secs.parse()?) + Duration::from_micros(micros.parse()?))
}

/// Start-up: warms this client up (one ListTables that must fail: nothing may
/// listen yet), prints `warm`, reads from stdin the instant the server was
/// spawned (as bash's $EPOCHREALTIME), then polls ListTables every 2 ms,
/// without retries, until it succeeds (for at most 120 s).
async fn wait_ready(args: &Args) -> Result<(), BoxError> {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&args.endpoint)
        .credentials_provider(Credentials::new("dummy", "dummy", None, None, "server_bench"))
        .retry_config(RetryConfig::disabled())
        .build();
    let backend = AwsBackend::from_client(aws_sdk_dynamodb::Client::from_conf(config));
    let list = || async { backend.list_tables(ListTablesInput::builder().build()?).await };
    if list().await.is_ok() {
        return Err(format!("something already answers on {}", args.endpoint).into());
    }
    println!("warm");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let since = parse_epoch(line.trim())?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut first = None;
    for attempt in 1.. {
        let at = SystemTime::now().duration_since(since)?;
        first.get_or_insert(at);
        if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(5), list()).await {
            emit(&args.label, "startup_ms", ms(SystemTime::now().duration_since(since)?));
            emit(&args.label, "startup_first_poll_ms", ms(first.unwrap_or_default()));
            emit(&args.label, "startup_polls", attempt as f64);
            return Ok(());
        }
        if at > Duration::from_secs(120) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err(format!("{} did not answer ListTables within 120 s", args.endpoint).into())
}

/// GetItem latency: loads `load` items (each with an `expires` attribute a
/// day ahead), turns TTL on when `--ttl`, warms up, then runs GetItem on
/// `concurrency` tasks for `latency_secs` seconds and reports the
/// percentiles of the client-measured latencies (which include the waits
/// behind the server's TTL sweep, when it holds up the serving thread).
async fn get_latency(args: &Args) -> Result<(), BoxError> {
    let label = &args.label;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let db = Database::local(&args.endpoint).with_prefix(format!("lat_{label}_{}_", stamp.as_millis() % 1_000_000));
    let schema = TableSchema::new("bench", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("sk", KeyType::N));
    bounded(db.ensure_table(&schema)).await?;
    let (load, expires) = (args.load, stamp.as_secs() + 86_400);
    let max = Duration::from_secs(args.max_secs);
    let d = db.clone();
    let load_op = move |b: u64| {
        let d = d.clone();
        async move {
            let items = (b * 25..((b + 1) * 25).min(load)).map(|i| {
                let (pk, sk) = load_key(i);
                let mut it = item(&pk, sk);
                it.insert("expires".into(), n(expires));
                it
            });
            batch(&d, items.collect()).await
        }
    };
    let (loaded, wall) = run(4, load.div_ceil(25), max, load_op).await?;
    if loaded != load.div_ceil(25) {
        return Err(format!("loaded {loaded} batches in {wall:?}, not all of them").into());
    }
    if args.ttl {
        let spec = TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name("expires")
            .build()?;
        let input = UpdateTimeToLiveInput::builder()
            .table_name("bench")
            .time_to_live_specification(spec)
            .build()?;
        bounded(db.update_time_to_live(input)).await?;
    }
    let d = db.clone();
    let get_op = move |i: u64| {
        let d = d.clone();
        let (pk, sk) = load_key(i.wrapping_mul(7919) % load.max(1));
        async move { get(&d, &pk, sk).await }
    };
    run(args.concurrency, 2_000, max, get_op.clone()).await?;
    let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (l, secs) = (latencies.clone(), Duration::from_secs(args.latency_secs));
    let timed = move |i: u64| {
        let (op, l) = (get_op.clone(), l.clone());
        async move {
            let start = Instant::now();
            op(i).await?;
            let took = start.elapsed();
            l.lock().map_err(|_| "a task panicked")?.push(took);
            Ok(())
        }
    };
    let (done, wall) = run(args.concurrency, u64::MAX, secs, timed).await?;
    let mut all = std::mem::take(&mut *latencies.lock().map_err(|_| "a task panicked")?);
    all.sort();
    let at = |p: f64| {
        let i = ((p * all.len() as f64).ceil() as usize).clamp(1, all.len().max(1)) - 1;
        all.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    emit(label, "get_latency.ops", done as f64);
    emit(label, "get_latency.ops_per_s", done as f64 / wall.as_secs_f64());
    for (name, p) in [("p50", 0.5), ("p99", 0.99), ("p99_9", 0.999), ("max", 1.0)] {
        emit(label, &format!("get_latency.{name}_ms"), at(p));
    }
    Ok(())
}

async fn workload(args: &Args, pid: u32) -> Result<(), BoxError> {
    let label = &args.label;
    // Idle: a second after the first answer.
    tokio::time::sleep(Duration::from_secs(1)).await;
    emit(label, "rss_idle_mb", rss_kb(pid)? as f64 / 1024.0);

    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() % 1_000_000;
    let db = Database::local(&args.endpoint).with_prefix(format!("bench_{label}_{stamp}_"));
    let schema = TableSchema::new("bench", KeyAttr::new("pk", KeyType::S)).range(KeyAttr::new("sk", KeyType::N));
    bounded(db.ensure_table(&schema)).await?;

    // Load: `load` items in batches of 25, four requests at a time.
    let load = args.load;
    let d = db.clone();
    let load_op = move |b: u64| {
        let d = d.clone();
        async move {
            let items = (b * 25..((b + 1) * 25).min(load)).map(|i| {
                let (pk, sk) = load_key(i);
                item(&pk, sk)
            });
            batch(&d, items.collect()).await
        }
    };
    measure(args, pid, "load_batch", 4, load.div_ceil(25), 25, load_op).await?;
    emit(label, "rss_loaded_mb", rss_kb(pid)? as f64 / 1024.0);
    let items: Vec<Item> = (0..100).map(|i| item("q", i)).collect();
    for chunk in items.chunks(25) {
        batch(&db, chunk.to_vec()).await?;
    }

    // Operation closures: each op index maps to its own key.
    let d = db.clone();
    let put_op = move |i: u64| {
        let d = d.clone();
        async move { put(&d, &format!("put{}", i % 100), i).await }
    };
    let d = db.clone();
    let get_op = move |i: u64| {
        let d = d.clone();
        // A scattered but fixed walk over the loaded keys.
        let (pk, sk) = load_key(i.wrapping_mul(7919) % load.max(1));
        async move { get(&d, &pk, sk).await }
    };
    let d = db.clone();
    let query_op = move |_| {
        let d = d.clone();
        async move { query(&d).await }
    };
    let d = db.clone();
    let batch_op = move |b: u64| {
        let d = d.clone();
        async move {
            batch(
                &d,
                (0..25).map(|j| item(&format!("bw{}", b % 100), b * 25 + j)).collect(),
            )
            .await
        }
    };

    // Warm-up (not reported): lets the JVM compile the paths measured below.
    let max = Duration::from_secs(args.max_secs);
    run(1, args.ops / 10, max, put_op.clone()).await?;
    run(1, args.ops / 10, max, get_op.clone()).await?;
    run(1, args.queries / 10, max, query_op.clone()).await?;
    run(1, args.batches / 10, max, batch_op.clone()).await?;

    let (c, ops) = (args.concurrency, args.ops);
    measure(args, pid, "put_c1", 1, ops, 1, move |i| put_op(i + 1_000_000)).await?;
    measure(args, pid, "get_c1", 1, ops, 1, get_op.clone()).await?;
    measure(args, pid, "query_c1", 1, args.queries, 1, query_op).await?;
    measure(args, pid, "batch_c1", 1, args.batches, 25, move |b| {
        batch_op(b + 1_000_000)
    })
    .await?;
    let d = db.clone();
    let put_c = move |i: u64| {
        let d = d.clone();
        async move { put(&d, &format!("putc{}", i % 100), i).await }
    };
    measure(args, pid, &format!("put_c{c}"), c, ops, 1, put_c).await?;
    measure(args, pid, &format!("get_c{c}"), c, ops, 1, move |i| get_op(i + ops)).await?;
    emit(label, "rss_end_mb", rss_kb(pid)? as f64 / 1024.0);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    if args.startup {
        return wait_ready(&args).await;
    }
    if args.get_latency {
        return get_latency(&args).await;
    }
    let pid = args.pid.ok_or("--pid is required for the workload")?;
    workload(&args, pid).await
}
