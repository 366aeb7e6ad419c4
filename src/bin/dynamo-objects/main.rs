//! The `dynamo-objects` command line.
//!
//! ```text
//! dynamo-objects mock-server [--host 127.0.0.1] [--port 8000] [--credentials KEY:SECRET]
//!     [--idle-timeout 60] [--request-timeout 30] [--max-connections 1000]
//! dynamo-objects tables | describe TABLE | copy-table SOURCE TARGET | export TABLE
//!     | import TABLE --input PATH | throughput TABLE --read R --write W -- COMMAND [ARGS...]
//! ```
//!
//! Exit codes: see [`EXIT_CODES`].

mod commands;
mod conn;
mod progress;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use dynamo_objects::server::{Credentials, MockServer, ServerOptions};

use conn::ConnArgs;

/// The exit codes a script can rely on, shown by `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  failed (the error is printed on stderr)
  2  usage error
  3  finished, but some items were handed back (not written; listed on stderr)
  throughput exits with its command's code (128+N when killed by signal N)";

/// Exit code: finished, with items handed back.
pub const EXIT_HANDED_BACK: u8 = 3;
/// Exit code: usage error (clap's own).
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "dynamo-objects",
    version,
    about = "DynamoDB tools: list, describe, copy, export and import tables, raise throughput for a job, \
             serve the mock",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the in-process mock over DynamoDB's HTTP protocol: a drop-in
    /// for DynamoDB Local (`--endpoint-url http://127.0.0.1:PORT`).
    MockServer {
        /// Address to bind (loopback by default; another address only when asked).
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
        /// Port to bind; 0 picks a free one (printed on start).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Only serve requests signed with this access key and secret.
        // Read as text and parsed here, so that no error message repeats it
        // (it holds a secret); a value may start with `-`.
        #[arg(long, value_name = "KEY:SECRET", allow_hyphen_values = true)]
        credentials: Option<String>,
        /// Seconds a connection may stay idle (no request under way) before
        /// it is closed.
        #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
        idle_timeout: Duration,
        /// Seconds a request may take to arrive, from its first byte; a late
        /// one is answered 408 and its connection closed.
        #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
        request_timeout: Duration,
        /// The most connections served at once (lowered to fit the open-files
        /// limit); beyond it, the longest-idle connection is closed.
        #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
        max_connections: u32,
    },
    /// List the tables (of --prefix, named without it), one a line.
    Tables {
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Describe a table: status, keys, billing, item count, indexes.
    Describe {
        /// The table (without the prefix).
        table: String,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Copy every item of a table into another, in parallel scan segments,
    /// resumable from a checkpoint file.
    #[command(after_help = EXIT_CODES)]
    CopyTable(commands::CopyArgs),
    /// Export a table: DynamoDB's export layout in a folder (manifests,
    /// data/*.json[.gz]) or JSON lines on stdout (`--output -`).
    #[command(after_help = EXIT_CODES)]
    Export {
        /// The table (without the prefix).
        table: String,
        /// A folder for AWS's export layout, or `-` for one stream on stdout.
        #[arg(long, value_name = "DIR|-", default_value = "-")]
        output: PathBuf,
        /// Line format: DynamoDB JSON (`{"Item": {...}}`, as AWS exports) or
        /// plain JSON where lossless.
        #[arg(long, value_enum, default_value_t = Format::DdbJson)]
        format: Format,
        /// Gzip the output.
        #[arg(long)]
        gzip: bool,
        /// Parallel scan segments (one data file each) for a folder.
        #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        total_segments: u32,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Import DynamoDB-JSON lines into an existing table: a file, a data/
    /// folder, or an export folder (ours or AWS's).
    #[command(after_help = EXIT_CODES)]
    Import {
        /// The table (without the prefix).
        table: String,
        /// The file or folder to read.
        #[arg(long, value_name = "PATH")]
        input: PathBuf,
        /// Skip (and count) invalid lines instead of failing on the first.
        #[arg(long)]
        skip_invalid: bool,
        #[command(flatten)]
        conn: ConnArgs,
    },
    /// Run a command with the table's (and its global indexes') capacity
    /// raised, and restore it whatever the command's exit, also on Ctrl-C.
    #[command(after_help = EXIT_CODES)]
    Throughput(commands::ThroughputArgs),
}

/// `--format` of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// `{"Item": {...}}` lines in DynamoDB JSON.
    DdbJson,
    /// Plain JSON objects where lossless.
    Json,
}

/// A positive number of seconds (fractions allowed, e.g. `0.5`).
fn seconds(text: &str) -> Result<Duration, String> {
    match text
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
    {
        Some(d) if !d.is_zero() => Ok(d),
        _ => Err(format!("expected a positive number of seconds, got {text:?}")),
    }
}

// mimalloc (without transparent huge pages, which would inflate idle memory):
// less memory per stored item, and faster allocation, than the
// system allocator (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The mock server runs its own thread, so its runtime only waits for a
    // signal; the tools run parallel scans and writes on all cores.
    let mut builder = match cli.command {
        Command::MockServer { .. } => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    match builder.enable_all().build() {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(e) => {
            eprintln!("dynamo-objects: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::MockServer {
            host,
            port,
            credentials,
            idle_timeout,
            request_timeout,
            max_connections,
        } => {
            let credentials = match credentials.as_deref().map(str::parse::<Credentials>) {
                Some(Err(e)) => {
                    // The value is not repeated: it may hold a secret.
                    eprintln!("dynamo-objects: --credentials {e}");
                    return ExitCode::from(2);
                }
                Some(Ok(c)) => Some(c),
                None => None,
            };
            let options = ServerOptions {
                addr: SocketAddr::new(host, port),
                credentials,
                idle_timeout,
                request_timeout,
                max_connections: max_connections as usize,
                ..ServerOptions::default()
            };
            let server = match MockServer::start(options).await {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("dynamo-objects: cannot listen on {host}:{port}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            println!("dynamo-objects mock server listening on {}", server.endpoint());
            wait_for_signal().await;
            eprintln!("dynamo-objects: shutting down");
            server.shutdown().await;
            ExitCode::SUCCESS
        }
        Command::Tables { conn } => commands::tables(&conn).await,
        Command::Describe { table, conn } => commands::describe(&conn, &table).await,
        Command::CopyTable(args) => commands::copy_table(args).await,
        Command::Export {
            table,
            output,
            format,
            gzip,
            total_segments,
            conn,
        } => {
            let format = match format {
                Format::DdbJson => dynamo_objects::tools::export::ExportFormat::DynamoDbJson,
                Format::Json => dynamo_objects::tools::export::ExportFormat::PlainJson,
            };
            commands::export(&conn, &table, &output, format, gzip, total_segments).await
        }
        Command::Import {
            table,
            input,
            skip_invalid,
            conn,
        } => commands::import(&conn, &table, &input, skip_invalid).await,
        Command::Throughput(args) => commands::throughput(args).await,
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
