//! The table subcommands: each prints its results on stdout, progress and a
//! one-line summary on stderr, and returns the exit code (see `EXIT_CODES`).

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, ValueEnum};
use dynamo_objects::sdk::DescribeTableInput;
use dynamo_objects::tools::copy::{self, CopyOptions, IfExists};
use dynamo_objects::tools::export::{self, ExportFormat, ExportOptions, ImportOptions};
use dynamo_objects::tools::throughput::{self, Capacity, ThroughputReport};
use dynamo_objects::wire::item_to_json;
use dynamo_objects::{Backend, Error, Failed};
use futures::FutureExt;

use crate::conn::ConnArgs;
use crate::progress::Reporter;
use crate::{Cli, EXIT_HANDED_BACK, EXIT_USAGE};

/// Handed-back writes listed one by one on stderr; the rest are counted.
const LIST_FAILED: usize = 20;

/// DynamoDB's limit on a parallel scan's TotalSegments.
const MAX_TOTAL_SEGMENTS: u32 = 1_000_000;

/// `copy-table`'s arguments.
#[derive(Args, Debug)]
pub(crate) struct CopyArgs {
    /// The table to read (without the prefix).
    pub source: String,
    /// The table to write (without the target's prefix).
    pub target: String,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// The target's endpoint (default: the source's).
    #[arg(long, value_name = "URL")]
    pub target_endpoint_url: Option<String>,
    /// The target's region (default: the source's).
    #[arg(long, value_name = "REGION")]
    pub target_region: Option<String>,
    /// The target's AWS profile (default: the source's).
    #[arg(long, value_name = "PROFILE")]
    pub target_profile: Option<String>,
    /// The target's table prefix (default: the source's).
    #[arg(long, value_name = "PREFIX")]
    pub target_prefix: Option<String>,
    /// The segments this process copies, `A-B` inclusive or one `A`
    /// (default: all), so that several machines share a job.
    #[arg(long, value_name = "A-B", value_parser = segment_range)]
    pub segments: Option<Range<u32>>,
    /// Parallel scan segments of the whole job.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=MAX_TOTAL_SEGMENTS as i64))]
    pub total_segments: u32,
    /// Save the job's position here as it goes, and resume from it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// What to do with an item already in the target.
    #[arg(long, value_enum, default_value_t = IfExistsArg::Overwrite)]
    pub if_exists: IfExistsArg,
    /// Create the target (the source's keys, indexes and billing) if missing.
    #[arg(long)]
    pub create: bool,
}

/// `--if-exists` of `copy-table`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum IfExistsArg {
    /// Replace the target's item.
    Overwrite,
    /// Keep the target's item.
    Skip,
    /// Stop the job.
    Fail,
}

/// `throughput`'s arguments.
#[derive(Args, Debug)]
pub(crate) struct ThroughputArgs {
    /// The table (without the prefix).
    pub table: String,
    /// Read capacity units for the job (the table and its global indexes).
    #[arg(long, value_name = "R", value_parser = clap::value_parser!(i64).range(1..))]
    pub read: i64,
    /// Write capacity units for the job (the table and its global indexes).
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(i64).range(1..))]
    pub write: i64,
    #[command(flatten)]
    pub conn: ConnArgs,
    /// The command to run, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `A-B` (inclusive) or `A`, as a range of segments.
fn segment_range(text: &str) -> Result<Range<u32>, String> {
    let bad = || format!("expected A-B or A (segment numbers, A <= B), got {text:?}");
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (a, b),
        None => (text, text),
    };
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if a > b || b >= MAX_TOTAL_SEGMENTS {
        return Err(bad());
    }
    Ok(a..b + 1)
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("dynamo-objects: {e}");
    ExitCode::FAILURE
}

/// Lists handed-back writes on stderr (the first [`LIST_FAILED`]).
fn list_failed(failed: &[Failed]) {
    for f in failed.iter().take(LIST_FAILED) {
        eprintln!("not written: {} {}: {}", f.table, item_to_json(&f.key), f.error);
    }
    if failed.len() > LIST_FAILED {
        eprintln!("not written: {} more", failed.len() - LIST_FAILED);
    }
}

/// `tables`: one name a line.
pub(crate) async fn tables(conn: &ConnArgs) -> ExitCode {
    let db = conn.connect().await;
    match db.table_names().await {
        Ok(names) => {
            let mut out = std::io::stdout().lock();
            for name in names {
                let _ = writeln!(out, "{name}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `describe`: the table's main facts, one a line.
pub(crate) async fn describe(conn: &ConnArgs, table: &str) -> ExitCode {
    let db = conn.connect().await;
    let input = match DescribeTableInput::builder().table_name(table).build() {
        Ok(i) => i,
        Err(e) => return fail(&Error::Validation(e.to_string().into())),
    };
    match db.describe_table(input).await {
        Ok(out) => match out.table {
            Some(t) => {
                print!("{}", describe_text(&t));
                ExitCode::SUCCESS
            }
            None => fail(&Error::Transport(
                format!("DescribeTable answered no table for {table}").into(),
            )),
        },
        Err(e) => fail(&e),
    }
}

fn keys_text(
    keys: &[dynamo_objects::__private::aws_sdk_dynamodb::types::KeySchemaElement],
    defs: &[dynamo_objects::__private::aws_sdk_dynamodb::types::AttributeDefinition],
) -> String {
    keys.iter()
        .map(|k| {
            let ty = defs
                .iter()
                .find(|d| d.attribute_name == k.attribute_name)
                .map_or("?", |d| d.attribute_type.as_str());
            format!("{} ({ty}) {}", k.attribute_name, k.key_type.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn capacity_text(
    p: Option<&dynamo_objects::__private::aws_sdk_dynamodb::types::ProvisionedThroughputDescription>,
) -> String {
    match p {
        Some(p) if p.read_capacity_units.unwrap_or(0) > 0 || p.write_capacity_units.unwrap_or(0) > 0 => format!(
            "read {}, write {}",
            p.read_capacity_units.unwrap_or(0),
            p.write_capacity_units.unwrap_or(0)
        ),
        _ => "on demand".to_string(),
    }
}

/// The text `describe` prints.
fn describe_text(t: &dynamo_objects::__private::aws_sdk_dynamodb::types::TableDescription) -> String {
    let defs = t.attribute_definitions();
    let mut s = String::new();
    s.push_str(&format!("table: {}\n", t.table_name().unwrap_or("")));
    s.push_str(&format!("status: {}\n", t.table_status().map_or("", |x| x.as_str())));
    s.push_str(&format!("key: {}\n", keys_text(t.key_schema(), defs)));
    s.push_str(&format!("capacity: {}\n", capacity_text(t.provisioned_throughput())));
    s.push_str(&format!("items: {}\n", t.item_count().unwrap_or(0)));
    s.push_str(&format!("bytes: {}\n", t.table_size_bytes().unwrap_or(0)));
    for g in t.global_secondary_indexes() {
        s.push_str(&format!(
            "global index {}: {}; projection {}; {}\n",
            g.index_name().unwrap_or(""),
            keys_text(g.key_schema(), defs),
            g.projection()
                .and_then(|p| p.projection_type())
                .map_or("", |p| p.as_str()),
            capacity_text(g.provisioned_throughput())
        ));
    }
    for l in t.local_secondary_indexes() {
        s.push_str(&format!(
            "local index {}: {}; projection {}\n",
            l.index_name().unwrap_or(""),
            keys_text(l.key_schema(), defs),
            l.projection()
                .and_then(|p| p.projection_type())
                .map_or("", |p| p.as_str()),
        ));
    }
    s
}

/// `copy-table`.
pub(crate) async fn copy_table(args: CopyArgs) -> ExitCode {
    let segments = args.segments.clone().unwrap_or(0..args.total_segments);
    if segments.end > args.total_segments {
        Cli::command()
            .error(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "--segments {}-{} is beyond --total-segments {}",
                    segments.start,
                    segments.end - 1,
                    args.total_segments
                ),
            )
            .exit();
    }
    let source = args.conn.connect().await;
    let target_conn = ConnArgs {
        endpoint_url: args.target_endpoint_url.clone().or_else(|| args.conn.endpoint()),
        region: args.target_region.clone().or_else(|| args.conn.region.clone()),
        profile: args.target_profile.clone().or_else(|| args.conn.profile.clone()),
        prefix: args.target_prefix.clone().unwrap_or_else(|| args.conn.prefix.clone()),
        local: false,
    };
    let target = target_conn.connect().await;
    let reporter = Reporter::new("copy-table");
    let options = CopyOptions {
        total_segments: args.total_segments,
        segments,
        checkpoint: args.checkpoint.clone(),
        if_exists: match args.if_exists {
            IfExistsArg::Overwrite => IfExists::Overwrite,
            IfExistsArg::Skip => IfExists::Skip,
            IfExistsArg::Fail => IfExists::Fail,
        },
        create: args.create,
        progress: Some(reporter.callback()),
        ..CopyOptions::default()
    };
    let result = copy::copy_table(&source, &args.source, &target, &args.target, options).await;
    reporter.finish();
    match result {
        Ok(r) => {
            list_failed(&r.failed);
            eprintln!(
                "copy-table: scanned {}, written {}, skipped {}, dropped {}, not written {}{}",
                r.scanned,
                r.written,
                r.skipped,
                r.dropped,
                r.failed.len(),
                if r.resumed { " (resumed)" } else { "" }
            );
            if r.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_HANDED_BACK)
            }
        }
        Err(e) => fail(&e),
    }
}

/// `export`.
pub(crate) async fn export(
    conn: &ConnArgs,
    table: &str,
    output: &Path,
    format: ExportFormat,
    gzip: bool,
    total_segments: u32,
) -> ExitCode {
    let db = conn.connect().await;
    if output == Path::new("-") {
        let stdout = std::io::BufWriter::new(std::io::stdout());
        let result = if gzip {
            let mut z = flate2::write::GzEncoder::new(stdout, flate2::Compression::default());
            match export::export_to_writer(&db, table, &mut z, format).await {
                Ok(n) => z
                    .finish()
                    .map(|_| n)
                    .map_err(|e| Error::Transport(format!("stdout: {e}").into())),
                Err(e) => Err(e),
            }
        } else {
            let mut out = stdout;
            match export::export_to_writer(&db, table, &mut out, format).await {
                Ok(n) => out
                    .flush()
                    .map(|_| n)
                    .map_err(|e| Error::Transport(format!("stdout: {e}").into())),
                Err(e) => Err(e),
            }
        };
        return match result {
            Ok(n) => {
                eprintln!("export: {n} items to stdout");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    let reporter = Reporter::new("export");
    let options = ExportOptions {
        format,
        gzip,
        total_segments,
        progress: Some(reporter.callback()),
    };
    let result = export::export_table(&db, table, output, options).await;
    reporter.finish();
    match result {
        Ok(r) => {
            eprintln!(
                "export: {} items, {} bytes, {} files in {}",
                r.items,
                r.bytes,
                r.files.len(),
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `import`.
pub(crate) async fn import(conn: &ConnArgs, table: &str, input: &Path, skip_invalid: bool) -> ExitCode {
    let db = conn.connect().await;
    let reporter = Reporter::new("import");
    let options = ImportOptions {
        skip_invalid,
        progress: Some(reporter.callback()),
        ..ImportOptions::default()
    };
    let result = export::import_table(&db, table, input, options).await;
    reporter.finish();
    match result {
        Ok(r) => {
            for (file, line) in r.skipped.iter().take(LIST_FAILED) {
                eprintln!("skipped: {}:{line}", file.display());
            }
            list_failed(&r.failed);
            eprintln!(
                "import: written {}, invalid lines skipped {}, not written {}",
                r.items,
                r.skipped.len(),
                r.failed.len()
            );
            if r.failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_HANDED_BACK)
            }
        }
        Err(e) => fail(&e),
    }
}

fn print_report(r: &ThroughputReport) {
    if r.on_demand {
        eprintln!("throughput: the table is on demand; left as it is");
    }
    for line in &r.changed {
        eprintln!("throughput: raised {line}");
    }
    for line in &r.restored {
        eprintln!("throughput: restored {line}");
    }
    for line in &r.left_raised {
        eprintln!("throughput: left raised {line}");
    }
}

/// The exit code for a child's status: its code, or 128+N when killed by
/// signal N.
fn child_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from((128 + signal) & 0xff).unwrap_or(1);
        }
    }
    1
}

/// `throughput`: raise, run the command, restore whatever its exit (also on
/// Ctrl-C, after the command has stopped), exit with the command's code.
pub(crate) async fn throughput(args: ThroughputArgs) -> ExitCode {
    let Some((program, rest)) = args.command.split_first() else {
        return ExitCode::from(EXIT_USAGE);
    };
    // Listening before raising: a Ctrl-C from here on is ours to handle.
    let mut interrupts = Interrupts::new();
    let db = args.conn.connect().await;
    let capacity = Capacity {
        read: args.read,
        write: args.write,
    };
    let raised = match throughput::raise(&db, &args.table, capacity).await {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    print_report(raised.report());
    let code = if interrupts.pending() {
        eprintln!("throughput: interrupted before the command started");
        130
    } else {
        match tokio::process::Command::new(program).args(rest).spawn() {
            Err(e) => {
                eprintln!("dynamo-objects: cannot run {program:?}: {e}");
                1
            }
            Ok(mut child) => {
                let mut asked = 0;
                loop {
                    tokio::select! {
                        // An interrupt first: a Ctrl-C reaches the command
                        // and us at once, and must be told as such.
                        biased;
                        signal = interrupts.next() => {
                            asked += 1;
                            if asked > 1 {
                                let _ = child.start_kill();
                                continue;
                            }
                            eprintln!("{INTERRUPTED}");
                            // Ctrl-C on a terminal reaches the whole process
                            // group, the command included; a SIGTERM was sent
                            // to us alone, so it is passed on.
                            if signal == Interrupt::Terminate
                                && let Some(pid) = child.id()
                            {
                                forward_terminate(pid);
                            }
                        }
                        status = child.wait() => break match status {
                            Ok(s) => {
                                // The command killed by a signal: the Ctrl-C
                                // that killed it may still be on its way to us.
                                if asked == 0
                                    && exited_by_signal(&s)
                                    && tokio::time::timeout(std::time::Duration::from_millis(200), interrupts.next())
                                        .await
                                        .is_ok()
                                {
                                    eprintln!("{INTERRUPTED}");
                                }
                                child_code(s)
                            }
                            Err(e) => {
                                eprintln!("dynamo-objects: waiting for {program:?}: {e}");
                                1
                            }
                        },
                    }
                }
            }
        }
    };
    let report = raised.restore(&db).await;
    print_report(&ThroughputReport {
        changed: Vec::new(),
        ..report
    });
    ExitCode::from(code)
}

/// Sends SIGTERM to process `pid` (with `kill`: the standard library can
/// only send SIGKILL).
fn forward_terminate(pid: u32) {
    #[cfg(unix)]
    {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
    }
}

/// Which interrupt arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Interrupt {
    /// SIGINT, Ctrl-C.
    Interrupt,
    /// SIGTERM.
    Terminate,
}

/// What `throughput` says when interrupted while its command runs.
const INTERRUPTED: &str =
    "throughput: interrupted; waiting for the command to stop, then restoring (interrupt again to kill it)";

/// True when the process ended by a signal (unix), rather than exiting.
fn exited_by_signal(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status.signal().is_some()
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        false
    }
}

/// Ctrl-C (and SIGTERM on unix), listened for from creation on.
struct Interrupts {
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Interrupts {
    fn new() -> Interrupts {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupts {
                int: signal(SignalKind::interrupt()).ok(),
                term: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Interrupts {}
        }
    }

    /// True when an interrupt has arrived and not been taken yet.
    fn pending(&mut self) -> bool {
        self.next().now_or_never().is_some()
    }

    /// The next interrupt.
    async fn next(&mut self) -> Interrupt {
        #[cfg(unix)]
        {
            let int = async {
                match self.int.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let term = async {
                match self.term.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = int => Interrupt::Interrupt,
                () = term => Interrupt::Terminate,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Interrupt::Interrupt
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_a_b_are_inclusive_and_one_number_is_one_segment() {
        assert_eq!(segment_range("0-3"), Ok(0..4));
        assert_eq!(segment_range("8-15"), Ok(8..16));
        assert_eq!(segment_range("5"), Ok(5..6));
        for bad in ["3-1", "", "-", "a-b", "1-", "0-1000000", "-1"] {
            assert_eq!(
                segment_range(bad),
                Err(format!("expected A-B or A (segment numbers, A <= B), got {bad:?}"))
            );
        }
    }
}
