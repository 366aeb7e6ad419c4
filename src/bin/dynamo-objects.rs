//! The `dynamo-objects` command line.
//!
//! ```text
//! dynamo-objects mock-server [--host 127.0.0.1] [--port 8000] [--credentials KEY:SECRET]
//!     [--idle-timeout 60] [--request-timeout 30] [--max-connections 1000]
//! ```

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use dynamo_objects::server::{Credentials, MockServer, ServerOptions};

#[derive(Parser)]
#[command(name = "dynamo-objects", version, about = "DynamoDB tools: the mock server")]
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

// The server runs its own thread; this runtime only waits for a signal.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
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
