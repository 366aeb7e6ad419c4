//! In-process benchmarks: this crate's mock (through the `Backend` trait and
//! through the typed `Table` API) against dynoxide-rs 3.2.0 embedded, and
//! its record conversion against serde_dynamo.
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml --bin peers -- [--rounds 5] [--ms 200]
//!     [--only ops,scan,memory,growth,convert] [--ops put,get,query_100,update_conditional] [--growth 10,1000,100000,1000000] [--raw FILE]
//! ```
//!
//! Each round measures every figure once for every peer, peer after peer, so
//! that the machine's noise falls on all of them alike. A figure is the time
//! per operation over at least `--ms` milliseconds of operations (after a
//! warm-up of a tenth of that). The summary gives, per figure, the median
//! over the rounds and their min–max, and for each other peer the ratio
//! peer / mock computed per round: its median (min–max). Raw lines
//! (`ROUND FIGURE PEER VALUE`) go to `--raw` when given.
//!
//! Memory per item is measured in a fresh process per peer and round
//! (`peers_memory`, next to this binary), as the growth of its RSS while it
//! loads the items (and, for the mock, the heap bytes still allocated).
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{Duration, Instant};

use clap::Parser;
use dynamo_objects::Document;
use dynamo_objects::sdk::AttributeValue;
use dynamo_objects_bench::convert::{Profile, SerdeProfile, profile, serde_profile};
use dynamo_objects_bench::{BoxError, Mock, Peer, QUERY_ITEMS, op_index, peer};

#[derive(Parser)]
struct Args {
    /// Rounds; every figure is measured once per round for every peer.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Milliseconds of operations per figure, per peer and round (at least).
    #[arg(long, default_value_t = 200)]
    ms: u64,
    /// Items in the table of the per-operation figures.
    #[arg(long, default_value_t = 10_000)]
    items: u64,
    /// Items in the table that is scanned.
    #[arg(long, default_value_t = 100_000)]
    scan_items: u64,
    /// Items loaded for the memory figure.
    #[arg(long, default_value_t = 100_000)]
    memory_items: u64,
    /// Table sizes of the growth figures (mock put and get).
    #[arg(long, value_delimiter = ',', default_value = "10,1000,100000")]
    growth: Vec<u64>,
    /// Sections to run: ops, scan, memory, growth, convert.
    #[arg(long, value_delimiter = ',', default_value = "ops,scan,memory,growth,convert")]
    only: Vec<String>,
    /// Peers of the ops, scan and memory sections.
    #[arg(long, value_delimiter = ',', default_value = "mock,typed,dynoxide")]
    peers: Vec<String>,
    /// Figures of the ops section to run: put, get, query_100, update_conditional
    /// (all by default; one alone is handy under a profiler).
    #[arg(long, value_delimiter = ',', default_value = "put,get,query_100,update_conditional")]
    ops: Vec<String>,
    /// Also write the raw lines here.
    #[arg(long)]
    raw: Option<std::path::PathBuf>,
}

/// Results: figure -> peer -> one value per round.
#[derive(Default)]
struct Results {
    order: Vec<(String, String)>,
    values: BTreeMap<(String, String), Vec<f64>>,
    units: BTreeMap<String, &'static str>,
    raw: Option<std::fs::File>,
}

impl Results {
    fn add(&mut self, round: u32, figure: &str, peer: &str, unit: &'static str, value: f64) {
        let key = (figure.to_string(), peer.to_string());
        if !self.values.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.values.entry(key).or_default().push(value);
        self.units.insert(figure.to_string(), unit);
        let line = format!("{round} {figure} {peer} {value:.1}");
        eprintln!("  {line} {unit}");
        if let Some(f) = &mut self.raw {
            let _ = writeln!(f, "{line}");
        }
    }
}

/// Time per operation in ns: `op(j)` for j = start.. over at least `ms`
/// milliseconds, after a warm-up of a tenth of it. Returns (ns per op, next j).
fn measure(ms: u64, start: u64, mut op: impl FnMut(u64) -> Result<(), BoxError>) -> Result<(f64, u64), BoxError> {
    let mut j = start;
    let warm = Instant::now();
    while warm.elapsed() < Duration::from_millis(ms / 10) {
        op(j)?;
        j += 1;
    }
    let target = Duration::from_millis(ms);
    let t0 = Instant::now();
    let mut n = 0u64;
    loop {
        for _ in 0..8 {
            op(j)?;
            j += 1;
        }
        n += 8;
        let e = t0.elapsed();
        if e >= target {
            return Ok((e.as_nanos() as f64 / n as f64, j));
        }
    }
}

/// Like [`measure`] for operations that consume an input made untimed by
/// `setup` (in chunks of 256).
fn measure_consuming<T>(ms: u64, mut setup: impl FnMut() -> T, mut op: impl FnMut(T)) -> f64 {
    let target = Duration::from_millis(ms);
    let (mut spent, mut n, mut warm) = (Duration::ZERO, 0u64, true);
    loop {
        let inputs: Vec<T> = (0..256).map(|_| setup()).collect();
        let t0 = Instant::now();
        for x in inputs {
            op(x);
        }
        let e = t0.elapsed();
        if warm {
            warm = false;
            continue;
        }
        spent += e;
        n += 256;
        if spent >= target {
            return spent.as_nanos() as f64 / n as f64;
        }
    }
}

fn ops_section(args: &Args, res: &mut Results) -> Result<(), BoxError> {
    let mut peers = Vec::new();
    for name in &args.peers {
        eprintln!("loading {} items into {name}", args.items);
        let t0 = Instant::now();
        let p = peer(name)?;
        p.load(args.items)?;
        p.load_query_partition()?;
        eprintln!("  {:.2} s", t0.elapsed().as_secs_f64());
        peers.push((name.clone(), p, 0u64));
    }
    let n = args.items;
    let want = |figure: &str| args.ops.iter().any(|o| o == figure);
    for round in 1..=args.rounds {
        eprintln!("ops, round {round}");
        for (name, p, j) in peers.iter_mut().filter(|_| want("put")) {
            let (v, next) = measure(args.ms, *j, |k| p.put(op_index(k, n)))?;
            *j = next;
            res.add(round, "put", name, "ns", v);
        }
        for (name, p, j) in peers.iter_mut().filter(|_| want("get")) {
            let (v, next) = measure(args.ms, *j, |k| p.get(op_index(k, n)))?;
            *j = next;
            res.add(round, "get", name, "ns", v);
        }
        for (name, p, j) in peers.iter_mut().filter(|_| want("query_100")) {
            let (v, _) = measure(args.ms, *j, |_| p.query())?;
            res.add(round, "query_100", name, "ns", v);
        }
        for (name, p, j) in peers.iter_mut().filter(|_| want("update_conditional")) {
            let value = format!("updated in round {round}");
            let (v, next) = measure(args.ms, *j, |k| p.update(op_index(k, n), &value))?;
            *j = next;
            res.add(round, "update_conditional", name, "ns", v);
        }
    }
    let _ = QUERY_ITEMS;
    Ok(())
}

fn scan_section(args: &Args, res: &mut Results) -> Result<(), BoxError> {
    let mut peers = Vec::new();
    for name in &args.peers {
        eprintln!("loading {} items into {name} for the scan", args.scan_items);
        let t0 = Instant::now();
        let p = peer(name)?;
        p.load(args.scan_items)?;
        eprintln!("  {:.2} s", t0.elapsed().as_secs_f64());
        peers.push((name.clone(), p));
    }
    for (_, p) in &peers {
        p.scan()?; // warm-up
    }
    for round in 1..=args.rounds {
        eprintln!("scan, round {round}");
        for (name, p) in &peers {
            let t0 = Instant::now();
            let count = p.scan()?;
            let e = t0.elapsed();
            if count != args.scan_items {
                return Err(format!("{name}: scan found {count} items, not {}", args.scan_items).into());
            }
            res.add(
                round,
                &format!("scan_{}", args.scan_items),
                name,
                "ms",
                e.as_secs_f64() * 1e3,
            );
        }
    }
    Ok(())
}

fn memory_section(args: &Args, res: &mut Results) -> Result<(), BoxError> {
    let exe = std::env::current_exe()?.with_file_name("peers_memory");
    for round in 1..=args.rounds {
        eprintln!("memory, round {round}");
        for name in &args.peers {
            let out = std::process::Command::new(&exe)
                .arg(name)
                .arg(args.memory_items.to_string())
                .output()?;
            if !out.status.success() {
                return Err(format!(
                    "{} {name}: {}",
                    exe.display(),
                    String::from_utf8_lossy(&out.stderr).trim()
                )
                .into());
            }
            // `rss_per_item B heap_per_item B` (heap: -1 when not counted).
            let text = String::from_utf8_lossy(&out.stdout);
            let f: Vec<&str> = text.split_whitespace().collect();
            let rss: f64 = f.get(1).ok_or("no rss figure")?.parse()?;
            let heap: f64 = f.get(3).ok_or("no heap figure")?.parse()?;
            res.add(round, "memory_rss_per_item", name, "B", rss);
            if heap >= 0.0 {
                res.add(round, "memory_heap_per_item", name, "B", heap);
            }
        }
    }
    Ok(())
}

fn growth_section(args: &Args, res: &mut Results) -> Result<(), BoxError> {
    for &n in &args.growth {
        eprintln!("growth: loading {n} items into the mock");
        let t0 = Instant::now();
        let m = Mock::new()?;
        m.load(n)?;
        eprintln!("  {:.2} s", t0.elapsed().as_secs_f64());
        let mut j = 0;
        for round in 1..=args.rounds {
            let (v, next) = measure(args.ms, j, |k| m.put(op_index(k, n)))?;
            j = next;
            res.add(round, "growth_put", &format!("mock_{n}"), "ns", v);
            let (v, next) = measure(args.ms, j, |k| m.get(op_index(k, n)))?;
            j = next;
            res.add(round, "growth_get", &format!("mock_{n}"), "ns", v);
        }
    }
    Ok(())
}

type SdkItem = std::collections::HashMap<String, AttributeValue>;

fn convert_section(args: &Args, res: &mut Results) -> Result<(), BoxError> {
    let (ours, theirs) = (profile(), serde_profile());
    let item = ours.to_item()?;
    let their_item: SdkItem = serde_dynamo::to_item(&theirs)?;
    if item != their_item {
        return Err(format!("the two conversions write different items:\n{item:?}\n{their_item:?}").into());
    }
    if Profile::from_item(item.clone())? != ours || serde_dynamo::from_item::<_, SerdeProfile>(item.clone())? != theirs
    {
        return Err("a conversion does not read back what it wrote".into());
    }
    for round in 1..=args.rounds {
        eprintln!("convert, round {round}");
        let v = measure_consuming(
            args.ms,
            || (),
            |()| {
                std::hint::black_box(std::hint::black_box(&ours).to_item().ok());
            },
        );
        res.add(round, "to_item", "ours", "ns", v);
        let v = measure_consuming(
            args.ms,
            || (),
            |()| {
                std::hint::black_box(serde_dynamo::to_item::<_, SdkItem>(std::hint::black_box(&theirs)).ok());
            },
        );
        res.add(round, "to_item", "serde_dynamo", "ns", v);
        let v = measure_consuming(
            args.ms,
            || item.clone(),
            |it| {
                std::hint::black_box(Profile::from_item(it).ok());
            },
        );
        res.add(round, "from_item", "ours", "ns", v);
        let v = measure_consuming(
            args.ms,
            || item.clone(),
            |it| {
                std::hint::black_box(serde_dynamo::from_item::<_, SerdeProfile>(it).ok());
            },
        );
        res.add(round, "from_item", "serde_dynamo", "ns", v);
    }
    Ok(())
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn fmt(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Nanoseconds as µs (or ms) for the table.
fn show(v: f64, unit: &str) -> (f64, &'static str) {
    match unit {
        "ns" if v >= 1e6 => (v / 1e6, "ms"),
        "ns" => (v / 1e3, "µs"),
        "ms" => (v, "ms"),
        _ => (v, "B"),
    }
}

fn spread(v: &[f64], unit: &str) -> String {
    let (m, u) = show(median(v), unit);
    let lo = show(v.iter().copied().fold(f64::INFINITY, f64::min), unit).0;
    let hi = show(v.iter().copied().fold(f64::NEG_INFINITY, f64::max), unit).0;
    format!("{} {u} ({}–{})", fmt(m), fmt(lo), fmt(hi))
}

fn summary(res: &Results) {
    let mut figures: Vec<&String> = Vec::new();
    for (f, _) in &res.order {
        if !figures.contains(&f) {
            figures.push(f);
        }
    }
    println!(
        "{:<24} {:<16} {:>26} {:>24}",
        "figure", "peer", "median (min–max)", "vs first: ratio per round"
    );
    for f in figures {
        let unit = res.units.get(f).copied().unwrap_or("ns");
        let peers: Vec<&String> = res.order.iter().filter(|(g, _)| g == f).map(|(_, p)| p).collect();
        let base = &res.values[&(f.clone(), peers[0].clone())];
        for p in &peers {
            let v = &res.values[&(f.clone(), (*p).clone())];
            let ratio = if p == &peers[0] {
                String::new()
            } else {
                let r: Vec<f64> = v.iter().zip(base).map(|(a, b)| a / b).collect();
                format!(
                    "{}x ({}–{})",
                    fmt(median(&r)),
                    fmt(r.iter().copied().fold(f64::INFINITY, f64::min)),
                    fmt(r.iter().copied().fold(f64::NEG_INFINITY, f64::max))
                )
            };
            println!("{f:<24} {p:<16} {:>26} {ratio:>24}", spread(v, unit));
        }
    }
}

fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    let mut res = Results {
        raw: args.raw.as_ref().map(std::fs::File::create).transpose()?,
        ..Default::default()
    };
    let on = |s: &str| args.only.iter().any(|o| o == s);
    if on("ops") {
        ops_section(&args, &mut res)?;
    }
    if on("scan") {
        scan_section(&args, &mut res)?;
    }
    if on("memory") {
        memory_section(&args, &mut res)?;
    }
    if on("growth") {
        growth_section(&args, &mut res)?;
    }
    if on("convert") {
        convert_section(&args, &mut res)?;
    }
    println!(
        "== in-process, {} round(s) of >= {} ms per figure; table of {} items (scan: {}, memory: {}); \
         ratio = peer / first peer of the figure, per round",
        args.rounds, args.ms, args.items, args.scan_items, args.memory_items
    );
    summary(&res);
    Ok(())
}
