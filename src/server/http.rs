//! The server's HTTP/1.1 layer: one thread running an event loop (mio) over
//! every connection, with keep-alive, pipelining, `Expect: 100-continue` and
//! chunked request bodies.
//!
//! The engine never waits on I/O, so each request is answered as soon as it
//! is complete, on the loop's thread: no task to schedule, no thread to wake,
//! and no lock held while a connection reads or writes.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

use crate::vocab::codes;

/// The most header bytes a request may have.
pub(crate) const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// The longest line of a chunked body's framing: a chunk-size line with its
/// extensions, or a trailer line (CRLF not counted).
pub(crate) const MAX_CHUNK_LINE_BYTES: usize = 4 * 1024;
/// The most bytes of trailers a chunked body may end with.
const MAX_TRAILER_BYTES: usize = MAX_HEADER_BYTES;
/// The most input bytes a connection buffers: the largest request (headers
/// and body, chunked bodies being decoded as they arrive), and a partial
/// chunk line.
pub(crate) const MAX_BUFFERED_INPUT: usize = MAX_HEADER_BYTES + super::MAX_BODY_BYTES + MAX_CHUNK_LINE_BYTES;
/// After an error answer, how many more bytes the server reads (and drops)
/// before it closes, so that the client reads the answer rather than a reset.
const MAX_DRAIN_BYTES: usize = MAX_BUFFERED_INPUT;
/// After an error answer, how long the server waits at most for the client
/// to stop sending (capped by the request timeout).
const LINGER: Duration = Duration::from_secs(2);
/// Answers waiting to be written beyond which a connection's further
/// requests wait (for a client that sends without reading).
const MAX_PENDING_OUTPUT: usize = 8 * 1024 * 1024;
/// How long a stopping server waits for requests still arriving.
const DRAIN: Duration = Duration::from_secs(10);
/// File descriptors left to the rest of the process (listener, poller,
/// files, clients in the same process) when the open-files limit caps the
/// connections.
const RESERVED_FDS: usize = 64;

/// The limits a server enforces on its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// A connection with no request under way and nothing written or read
    /// for this long is closed.
    pub idle_timeout: Duration,
    /// A request must have arrived whole this long after its first byte, or
    /// it is answered 408 and the connection closed.
    pub request_timeout: Duration,
    /// The most connections served at once (lowered to fit the process's
    /// open-files limit); beyond it, the longest-idle one is closed to make
    /// room for the new one.
    pub max_connections: usize,
}

impl Limits {
    /// The connection cap, lowered below the process's open-files limit.
    fn connection_cap(&self) -> usize {
        let cap = match open_files_limit() {
            Some(limit) => self.max_connections.min(limit.saturating_sub(RESERVED_FDS)),
            None => self.max_connections,
        };
        cap.max(1)
    }

    /// How often connections are checked against the timeouts.
    fn sweep_every(&self) -> Duration {
        (self.idle_timeout.min(self.request_timeout) / 4).clamp(Duration::from_millis(10), Duration::from_secs(1))
    }
}

/// The soft limit on open files (Linux: from `/proc/self/limits`); `None`
/// when unlimited or unknown.
fn open_files_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("Max open files"))?;
    line.split_whitespace().next()?.parse().ok()
}

/// Why a request is refused: the HTTP status, DynamoDB's error type, and the
/// message of the JSON body. The connection closes after the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Refusal {
    status: u16,
    kind: &'static str,
    message: &'static str,
}

const fn serialization(status: u16, message: &'static str) -> Refusal {
    Refusal {
        status,
        kind: codes::SERIALIZATION.wire_type,
        message,
    }
}

const MALFORMED_REQUEST: Refusal = serialization(400, "Malformed HTTP request");
const HEADERS_TOO_LARGE: Refusal = serialization(431, "Request headers are too large");
const TOO_MANY_HEADERS: Refusal = serialization(431, "Request has too many headers");
const INVALID_CONTENT_LENGTH: Refusal = serialization(400, "Invalid Content-Length");
const UNSUPPORTED_TRANSFER_ENCODING: Refusal = serialization(501, "Unsupported Transfer-Encoding");
const BODY_TOO_LARGE: Refusal = serialization(413, "Request body is too large");
const MALFORMED_CHUNKED: Refusal = serialization(400, "Malformed chunked body");
const CHUNK_LINE_TOO_LONG: Refusal = serialization(400, "Chunk size line is too long");
const TRAILERS_TOO_LARGE: Refusal = serialization(400, "Chunked body trailers are too large");
const REQUEST_TIMEOUT: Refusal = Refusal {
    status: codes::REQUEST_TIMEOUT.status,
    kind: codes::REQUEST_TIMEOUT.wire_type,
    message: "Request not received in time",
};

const LISTENER: Token = Token(usize::MAX - 1);
const WAKER: Token = Token(usize::MAX);

/// A request, complete with its body.
pub(crate) struct Request<'a> {
    /// `POST`, `GET`, ...
    pub method: &'a str,
    /// The request target: path and query.
    pub target: &'a str,
    headers: &'a [httparse::Header<'a>],
    /// The body (de-chunked).
    pub body: &'a [u8],
}

impl Request<'_> {
    /// The first value of header `name` (any case), if it is text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
    }

    /// Every value of header `name` (any case) that is text, in order.
    pub(crate) fn header_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .filter_map(|h| std::str::from_utf8(h.value).ok())
    }

    /// The target's authority, when it is in absolute form
    /// (`http://host:port/path`).
    pub(crate) fn authority(&self) -> Option<&str> {
        let rest = self.target.split_once("://")?.1;
        Some(rest.split(['/', '?']).next().unwrap_or(rest))
    }

    /// The target's path.
    pub(crate) fn path(&self) -> &str {
        let origin = match self.target.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => self.target,
        };
        origin.split_once('?').map_or(origin, |(p, _)| p)
    }

    /// The target's query string (without `?`).
    pub(crate) fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// An answer: status, extra headers, and a body.
pub(crate) struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Headers besides `content-length` (and `connection`), as `(name, value)`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What serves requests: called on the loop's thread, once per request.
pub(crate) type Handler = dyn Fn(&Request<'_>) -> Response + Send + Sync;

/// What the loop calls every `interval` (the TTL sweep).
pub(crate) type Ticker = (Duration, Box<dyn FnMut() + Send>);

/// A running event loop.
pub(crate) struct Server {
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").finish_non_exhaustive()
    }
}

impl Server {
    /// Serves `listener` on a new thread, within `limits`.
    pub(crate) fn spawn(
        listener: std::net::TcpListener,
        handler: Arc<Handler>,
        ticker: Option<Ticker>,
        limits: Limits,
    ) -> io::Result<Server> {
        listener.set_nonblocking(true)?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry().register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let stop = Arc::new(AtomicBool::new(false));
        let looped = Loop {
            poll,
            listener: Some(listener),
            conns: Vec::new(),
            free: Vec::new(),
            live: 0,
            max_connections: limits.connection_cap(),
            limits,
            accept_again: false,
            handler,
            ticker,
            stop: stop.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("dynamo-objects-server".into())
            .spawn(move || looped.run())?;
        Ok(Server {
            stop,
            waker,
            thread: Some(thread),
        })
    }

    /// Stops accepting connections, answers the requests already arriving
    /// (for at most 10 s), closes every connection, and ends the thread.
    pub(crate) fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
    }

    /// Waits for the thread to end (after [`Server::stop`]).
    pub(crate) fn join(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Conn {
    stream: TcpStream,
    /// Bytes read: those not yet consumed by a request are `buf[start..end]`
    /// (the rest is initialized spare room, so reads need not zero it).
    /// Never longer than [`MAX_BUFFERED_INPUT`].
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Bytes to write, from `written` on.
    output: Vec<u8>,
    written: usize,
    /// Close once `output` is written.
    closing: bool,
    /// The peer will send nothing more.
    read_closed: bool,
    /// `100 Continue` was sent for the request at the head of `input`.
    continued: bool,
    /// The request at the head of the input takes at least this many bytes
    /// (known from its Content-Length): until they are in, it is not parsed
    /// again.
    want: usize,
    /// The head of the input holds this many bytes of headers known not to
    /// end yet: they are not parsed again until an empty line may have come.
    head_scanned: usize,
    /// The chunked body of the request at the head of the input, as far as
    /// it was decoded.
    chunk: Dechunk,
    /// When the connection last had an event.
    active: Instant,
    /// When the first byte of the request at the head of the input arrived.
    started: Option<Instant>,
    /// Since when the connection lingers after an error answer: it is shut
    /// for writing once the answer is out, and what the peer still sends is
    /// read and dropped, so that it reads the answer rather than a reset.
    linger: Option<Instant>,
    /// Bytes dropped while lingering.
    drained: usize,
    /// The connection is shut for writing.
    write_shut: bool,
}

struct Loop {
    poll: Poll,
    listener: Option<TcpListener>,
    conns: Vec<Option<Conn>>,
    free: Vec<usize>,
    /// Open connections.
    live: usize,
    /// The cap on `live`.
    max_connections: usize,
    limits: Limits,
    /// An accept failed for want of file descriptors: try again on the next
    /// sweep (no readiness event will come for connections already waiting).
    accept_again: bool,
    handler: Arc<Handler>,
    ticker: Option<Ticker>,
    stop: Arc<AtomicBool>,
}

impl Loop {
    fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let sweep_every = self.limits.sweep_every();
        let mut now = Instant::now();
        let mut next_tick = self.ticker.as_ref().map(|(every, _)| now + *every);
        let mut next_sweep = now + sweep_every;
        let mut deadline: Option<Instant> = None;
        loop {
            let mut wake: Option<Instant> = next_tick;
            if self.live > 0 || self.accept_again {
                wake = Some(wake.map_or(next_sweep, |w| w.min(next_sweep)));
            }
            if let Some(d) = deadline {
                wake = Some(wake.map_or(d, |w| w.min(d)));
            }
            let timeout = wake.map(|w| w.saturating_duration_since(now));
            if let Err(e) = self.poll.poll(&mut events, timeout)
                && e.kind() != io::ErrorKind::Interrupted
            {
                return;
            }
            now = Instant::now();
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(now),
                    WAKER => {}
                    Token(i) => self.serve(i, deadline.is_some(), event.is_read_closed(), now),
                }
            }
            if let (Some(t), Some((every, tick))) = (next_tick, self.ticker.as_mut())
                && now >= t
            {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut *tick));
                now = Instant::now();
                next_tick = Some(now + *every);
            }
            if now >= next_sweep {
                self.sweep(now);
                next_sweep = now + sweep_every;
            }
            if self.stop.load(Ordering::SeqCst) {
                if deadline.is_none() {
                    deadline = Some(Instant::now() + DRAIN);
                    if let Some(mut l) = self.listener.take() {
                        let _ = self.poll.registry().deregister(&mut l);
                    }
                }
                // Idle connections close now; the others once answered.
                for i in 0..self.conns.len() {
                    if self.conns[i]
                        .as_ref()
                        .is_some_and(|c| c.start == c.end && c.written == c.output.len())
                    {
                        self.close(i);
                    }
                }
                if self.conns.iter().all(Option::is_none) || deadline.is_some_and(|d| Instant::now() >= d) {
                    return;
                }
            }
        }
    }

    fn accept(&mut self, now: Instant) {
        self.accept_again = false;
        let mut shed = false;
        loop {
            let Some(listener) = &self.listener else { return };
            match listener.accept() {
                Ok((mut stream, _)) => {
                    if self.live >= self.max_connections {
                        self.shed();
                    }
                    let _ = stream.set_nodelay(true);
                    let i = self.free.pop().unwrap_or_else(|| {
                        self.conns.push(None);
                        self.conns.len() - 1
                    });
                    if self
                        .poll
                        .registry()
                        .register(&mut stream, Token(i), Interest::READABLE | Interest::WRITABLE)
                        .is_err()
                    {
                        self.free.push(i);
                        continue;
                    }
                    self.live += 1;
                    self.conns[i] = Some(Conn::new(stream, now));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // Out of file descriptors (EMFILE, ENFILE): make room once,
                // and otherwise try again on the next sweep.
                Err(e) if matches!(e.raw_os_error(), Some(23 | 24)) && !shed && self.live > 0 => {
                    self.shed();
                    shed = true;
                }
                Err(_) => {
                    self.accept_again = true;
                    return;
                }
            }
        }
    }

    /// Closes the connection that should go first to make room: one
    /// lingering after an error answer, else the longest idle, else the
    /// one quiet the longest.
    fn shed(&mut self) {
        let victim = self
            .conns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let c = c.as_ref()?;
                let class = if c.linger.is_some() {
                    0
                } else if c.start == c.end && c.pending() == 0 {
                    1
                } else {
                    2
                };
                Some(((class, c.active), i))
            })
            .min()
            .map(|(_, i)| i);
        if let Some(i) = victim {
            self.close(i);
        }
    }

    /// Closes the connections past their deadlines; answers 408 to those
    /// whose request did not arrive in time.
    fn sweep(&mut self, now: Instant) {
        if self.accept_again {
            self.accept(now);
        }
        let limits = self.limits;
        for i in 0..self.conns.len() {
            let Some(c) = self.conns[i].as_mut() else { continue };
            let close = if let Some(since) = c.linger {
                now.saturating_duration_since(since) >= limits.request_timeout.min(LINGER)
            } else if c
                .started
                .is_some_and(|t| now.saturating_duration_since(t) >= limits.request_timeout)
            {
                c.refuse(REQUEST_TIMEOUT, now);
                !c.drain()
            } else {
                c.start == c.end && now.saturating_duration_since(c.active) >= limits.idle_timeout
            };
            if close {
                self.close(i);
            }
        }
    }

    fn close(&mut self, i: usize) {
        if let Some(mut c) = self.conns.get_mut(i).and_then(Option::take) {
            let _ = self.poll.registry().deregister(&mut c.stream);
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
            self.free.push(i);
            self.live -= 1;
            // Dropping `c` gives its buffers back.
        }
    }

    /// Reads what arrived, answers every complete request, writes what it can.
    fn serve(&mut self, i: usize, stopping: bool, peer_closed: bool, now: Instant) {
        let Some(Some(conn)) = self.conns.get_mut(i) else {
            return;
        };
        conn.active = now;
        let keep = if conn.linger.is_some() {
            conn.drain()
        } else {
            let keep = loop {
                let room = conn.pending() <= MAX_PENDING_OUTPUT;
                let mut full = false;
                if room {
                    match conn.read_input(peer_closed) {
                        Reading::Broken => break false,
                        Reading::Full => full = true,
                        Reading::Drained => {}
                    }
                }
                let backlogged = conn.answer(&*self.handler, stopping, now);
                if full && !conn.closing && conn.end - conn.start >= MAX_BUFFERED_INPUT {
                    // No request fits in what is buffered (the framer
                    // refuses sooner; this bounds the buffer regardless).
                    conn.refuse(BODY_TOO_LARGE, now);
                }
                if !conn.flush() {
                    break false;
                }
                // Go on only when a backlog held reading or answering back and
                // is now written out (each turn writes that much: it ends), or
                // reading stopped at the input cap and requests were answered.
                let read_on = full && !conn.closing;
                if conn.pending() > 0 || (room && !backlogged && !read_on) {
                    break true;
                }
            };
            if conn.start < conn.end {
                conn.started.get_or_insert(now);
            } else {
                conn.started = None;
            }
            keep && (conn.linger.is_none() || conn.drain())
        };
        let done =
            !keep || (conn.linger.is_none() && conn.written == conn.output.len() && (conn.closing || conn.read_closed));
        if done {
            self.close(i);
        }
    }
}

/// How a read of the socket ended.
enum Reading {
    /// The socket has nothing more for now (or the peer closed).
    Drained,
    /// The input buffer is full ([`MAX_BUFFERED_INPUT`]): the socket may
    /// hold more.
    Full,
    /// The connection is broken.
    Broken,
}

/// How the body of a request is framed, from its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyFraming {
    Length(usize),
    Chunked,
}

/// What the headers of a request say about its framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head {
    body: BodyFraming,
    keep_alive: bool,
    expect_continue: bool,
}

impl Conn {
    fn new(stream: TcpStream, now: Instant) -> Conn {
        Conn {
            stream,
            buf: Vec::new(),
            start: 0,
            end: 0,
            output: Vec::new(),
            written: 0,
            closing: false,
            read_closed: false,
            continued: false,
            want: 0,
            head_scanned: 0,
            chunk: Dechunk::default(),
            active: now,
            started: None,
            linger: None,
            drained: 0,
            write_shut: false,
        }
    }

    /// Reads until the socket has nothing more (or, unless `to_eof`, until
    /// a short read), or the input buffer is full.
    fn read_input(&mut self, to_eof: bool) -> Reading {
        loop {
            if self.buf.len() - self.end < 4096 {
                // Room: first by moving what is unconsumed to the front.
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
                if self.buf.len() - self.end < 4096 {
                    // Then by growing: to the request's known length, or
                    // twice the size; never beyond the cap.
                    let grown = if self.want > self.end {
                        self.want.max(self.end + 4096)
                    } else {
                        self.buf.len().max(8 * 1024) * 2
                    };
                    let grown = grown.min(MAX_BUFFERED_INPUT);
                    if grown > self.buf.len() {
                        self.buf.resize(grown, 0);
                    }
                }
                if self.end == self.buf.len() {
                    return Reading::Full;
                }
            }
            let room = self.buf.len() - self.end;
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.read_closed = true;
                    return Reading::Drained;
                }
                // A short read drained the socket (on Linux, anything that
                // arrives later, a close too, raises a new event), so skip
                // the read that would only say WouldBlock. When the event
                // says the peer closed, read on to the end.
                Ok(n) if n < room && !to_eof && cfg!(target_os = "linux") => {
                    self.end += n;
                    return Reading::Drained;
                }
                Ok(n) => self.end += n,
                Err(e) => match e.kind() {
                    io::ErrorKind::WouldBlock => return Reading::Drained,
                    io::ErrorKind::Interrupted => {}
                    _ => return Reading::Broken,
                },
            }
        }
    }

    /// Bytes of answers not yet written.
    fn pending(&self) -> usize {
        self.output.len() - self.written
    }

    /// Answers `refusal` and drops the input; the connection lingers, then
    /// closes.
    fn refuse(&mut self, refusal: Refusal, now: Instant) {
        let body = format!(
            "{{\"__type\":\"{}\",\"message\":\"{}\"}}",
            refusal.kind, refusal.message
        );
        let resp = Response {
            status: refusal.status,
            headers: vec![("content-type", "application/x-amz-json-1.0".into())],
            body: body.into_bytes(),
        };
        write_response(&mut self.output, &resp, false);
        self.closing = true;
        self.linger = Some(now);
        (self.start, self.end) = (0, 0);
        self.started = None;
    }

    /// While lingering: writes the answer, then shuts the connection for
    /// writing and drops what the peer still sends; false once it should
    /// close (the peer is done, sent too much, or the connection broke).
    fn drain(&mut self) -> bool {
        if !self.flush() {
            return false;
        }
        if self.written < self.output.len() {
            return true;
        }
        if !self.write_shut {
            let _ = self.stream.shutdown(std::net::Shutdown::Write);
            self.write_shut = true;
        }
        if self.buf.len() < 16 * 1024 {
            self.buf.resize(16 * 1024, 0);
        }
        loop {
            match self.stream.read(&mut self.buf) {
                Ok(0) => return false,
                Ok(n) => {
                    self.drained += n;
                    if self.drained > MAX_DRAIN_BYTES {
                        return false;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }

    /// The request at the head of the input is not whole yet: ask for its
    /// body when the client waits for that, and give up on it if the peer
    /// will send nothing more.
    fn wait(&mut self, expect_continue: bool) {
        if expect_continue && !self.continued {
            self.output.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
            self.continued = true;
        }
        if self.read_closed {
            // It never will be complete.
            self.closing = true;
        }
    }

    /// The request at the head of the input, `len` bytes, was answered.
    fn consumed(&mut self, len: usize, keep_alive: bool) {
        self.start += len;
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        }
        self.continued = false;
        self.want = 0;
        self.chunk = Dechunk::default();
        self.started = None;
        if !keep_alive {
            self.closing = true;
        }
    }

    /// Answers the complete requests at the head of the input; true when it
    /// stopped because too many answers wait to be written.
    fn answer(&mut self, handler: &Handler, stopping: bool, now: Instant) -> bool {
        while !self.closing && self.start < self.end {
            if self.pending() > MAX_PENDING_OUTPUT {
                return true;
            }
            let buffered = self.end - self.start;
            if buffered < self.want {
                self.wait(false);
                return false;
            }
            if self.head_scanned > 0 {
                // Only the bytes that arrived since (and the three before
                // them) can end the headers.
                let from = self.start + self.head_scanned.saturating_sub(3);
                if !may_end_headers(&self.buf[from..self.end]) {
                    self.head_scanned = buffered;
                    if buffered > MAX_HEADER_BYTES {
                        self.refuse(HEADERS_TOO_LARGE, now);
                    } else {
                        self.wait(false);
                    }
                    return false;
                }
            }
            if self.chunk.head > 0 {
                if !self.dechunk(handler, stopping, now) {
                    return false;
                }
                continue;
            }
            let input = &self.buf[self.start..self.end];
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut req = httparse::Request::new(&mut headers);
            let parsed = match req.parse(input) {
                Ok(httparse::Status::Partial) if input.len() > MAX_HEADER_BYTES => Err(HEADERS_TOO_LARGE),
                Ok(httparse::Status::Partial) => {
                    self.head_scanned = input.len();
                    self.wait(false);
                    return false;
                }
                Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_BYTES => Err(HEADERS_TOO_LARGE),
                Ok(httparse::Status::Complete(n)) => frame(&req).map(|h| (n, h)),
                Err(httparse::Error::TooManyHeaders) => Err(TOO_MANY_HEADERS),
                Err(_) => Err(MALFORMED_REQUEST),
            };
            self.head_scanned = 0;
            let (n, head) = match parsed {
                Ok(parsed) => parsed,
                Err(refusal) => {
                    self.refuse(refusal, now);
                    return false;
                }
            };
            match head.body {
                BodyFraming::Length(length) if length > super::MAX_BODY_BYTES => {
                    self.refuse(BODY_TOO_LARGE, now);
                    return false;
                }
                BodyFraming::Length(length) if input.len() - n < length => {
                    self.want = n + length;
                    self.wait(head.expect_continue);
                    return false;
                }
                BodyFraming::Length(length) => {
                    let keep_alive = respond(&mut self.output, handler, &req, &input[n..n + length], head, stopping);
                    self.consumed(n + length, keep_alive);
                }
                BodyFraming::Chunked => {
                    self.chunk.head = n;
                    self.chunk.expect_continue = head.expect_continue;
                    if !self.dechunk(handler, stopping, now) {
                        return false;
                    }
                }
            }
        }
        false
    }

    /// Decodes what arrived of the chunked body of the request at the head
    /// of the input, and answers the request once it is whole; false when
    /// it is not (or was refused).
    fn dechunk(&mut self, handler: &Handler, stopping: bool, now: Instant) -> bool {
        let head = self.chunk.head;
        let len = match self.chunk.step(&mut self.buf[self.start + head..self.end]) {
            Step::Partial { freed } => {
                self.end -= freed;
                let expect_continue = self.chunk.expect_continue;
                self.wait(expect_continue);
                return false;
            }
            Step::Refused(refusal) => {
                self.refuse(refusal, now);
                return false;
            }
            Step::Complete { len } => head + len,
        };
        let input = &self.buf[self.start..self.end];
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        // The same headers parsed before; they parse again.
        let Ok(httparse::Status::Complete(_)) = req.parse(input) else {
            self.refuse(MALFORMED_REQUEST, now);
            return false;
        };
        let Ok(framing) = frame(&req) else {
            self.refuse(MALFORMED_REQUEST, now);
            return false;
        };
        let body = &input[head..head + self.chunk.body_len];
        let keep_alive = respond(&mut self.output, handler, &req, body, framing, stopping);
        self.consumed(len, keep_alive);
        true
    }

    /// Writes what the socket takes; false on a broken connection.
    fn flush(&mut self) -> bool {
        while self.written < self.output.len() {
            match self.stream.write(&self.output[self.written..]) {
                Ok(0) => return false,
                Ok(n) => self.written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        self.output.clear();
        self.written = 0;
        // Don't keep a large buffer for an idle connection.
        if self.output.capacity() > 1024 * 1024 {
            self.output.shrink_to(64 * 1024);
        }
        if self.start == self.end && self.buf.len() > 1024 * 1024 {
            self.buf = Vec::new();
            (self.start, self.end) = (0, 0);
        }
        true
    }
}

/// Answers one whole request; whether the connection stays open after it.
fn respond(
    output: &mut Vec<u8>,
    handler: &Handler,
    req: &httparse::Request<'_, '_>,
    body: &[u8],
    head: Head,
    stopping: bool,
) -> bool {
    let request = Request {
        method: req.method.unwrap_or(""),
        target: req.path.unwrap_or("/"),
        headers: req.headers,
        body,
    };
    // A bug in the engine must not take the server down: answer 500 and go
    // on serving.
    let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
        .unwrap_or_else(|_| internal_error());
    let keep_alive = head.keep_alive && !stopping;
    write_response(output, &resp, keep_alive);
    keep_alive
}

/// Whether `b` (the last bytes of partial headers) may hold their end: an
/// empty line.
fn may_end_headers(b: &[u8]) -> bool {
    b.windows(2).any(|w| w == b"\n\n" || w == b"\n\r")
}

/// What the headers `req` parsed say about the request's framing.
fn frame(req: &httparse::Request<'_, '_>) -> Result<Head, Refusal> {
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut expect_continue = false;
    let mut connection_close = false;
    let mut connection_keep_alive = false;
    for h in req.headers.iter() {
        let value = || std::str::from_utf8(h.value).unwrap_or("").trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            let n = content_length_value(value())?;
            if content_length.is_some_and(|c| c != n) {
                return Err(INVALID_CONTENT_LENGTH);
            }
            content_length = Some(n);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if value()
                .rsplit(',')
                .next()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("chunked"))
            {
                chunked = true;
            } else {
                return Err(UNSUPPORTED_TRANSFER_ENCODING);
            }
        } else if h.name.eq_ignore_ascii_case("expect") {
            expect_continue = value().eq_ignore_ascii_case("100-continue");
        } else if h.name.eq_ignore_ascii_case("connection") {
            for token in value().split(',') {
                let token = token.trim();
                connection_close |= token.eq_ignore_ascii_case("close");
                connection_keep_alive |= token.eq_ignore_ascii_case("keep-alive");
            }
        }
    }
    let keep_alive = match req.version {
        Some(1) => !connection_close,
        _ => connection_keep_alive && !connection_close,
    };
    let body = if chunked {
        BodyFraming::Chunked
    } else {
        BodyFraming::Length(content_length.unwrap_or(0))
    };
    Ok(Head {
        body,
        keep_alive,
        expect_continue,
    })
}

/// A Content-Length: ASCII digits only (no sign, no spaces); one too large
/// to count is too large a body.
fn content_length_value(text: &str) -> Result<usize, Refusal> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(INVALID_CONTENT_LENGTH);
    }
    text.parse().map_err(|_| BODY_TOO_LARGE)
}

/// How far the decoder got through a chunked body. The body is decoded in
/// place: the data of each chunk is moved down over the framing before it,
/// so the body so far is the first `body_len` bytes after the headers, and
/// the input not yet decoded follows it; each step scans only new bytes (and
/// a partial line of at most [`MAX_CHUNK_LINE_BYTES`]).
#[derive(Debug, Default)]
struct Dechunk {
    /// The request's header bytes; 0 until its body is known to be chunked.
    head: usize,
    /// The request asked for `100 Continue`.
    expect_continue: bool,
    body_len: usize,
    state: ChunkState,
    trailer_bytes: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    /// At a chunk-size line.
    #[default]
    Size,
    /// In a chunk's data, this many bytes to go.
    Data(usize),
    /// At the CRLF after a chunk's data.
    DataEnd,
    /// At a trailer line (or the empty line that ends the body).
    Trailers,
}

/// What a step of the decoder found.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// More input is needed; the decoded framing was dropped: the input is
    /// `freed` bytes shorter.
    Partial { freed: usize },
    /// The body is whole; with its framing, it took the first `len` bytes of
    /// the input.
    Complete { len: usize },
    /// The body is refused.
    Refused(Refusal),
}

/// A line at the start of `input`: its length (CRLF excluded), `None` if it
/// has not ended yet, or an error if it is longer than `max`.
fn line(input: &[u8], max: usize) -> Result<Option<usize>, ()> {
    let window = &input[..input.len().min(max + 2)];
    match window.windows(2).position(|w| w == b"\r\n") {
        Some(n) => Ok(Some(n)),
        None if window.len() >= max + 2 => Err(()),
        None => Ok(None),
    }
}

/// The size of a chunk from its size line: hex digits, then optional
/// whitespace and extensions (`;...`).
fn chunk_size(line: &[u8]) -> Result<usize, Refusal> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let rest = line[digits..].trim_ascii_start();
    if digits == 0 || !(rest.is_empty() || rest[0] == b';') {
        return Err(MALFORMED_CHUNKED);
    }
    let mut size: usize = 0;
    for &b in &line[..digits] {
        let digit = (b as char).to_digit(16).unwrap_or(0) as usize;
        size = size * 16 + digit;
        if size > super::MAX_BODY_BYTES {
            return Err(BODY_TOO_LARGE);
        }
    }
    Ok(size)
}

impl Dechunk {
    /// Decodes what `input` (everything after the request's headers, the
    /// body decoded so far first) adds.
    fn step(&mut self, input: &mut [u8]) -> Step {
        let mut pos = self.body_len;
        loop {
            match self.state {
                ChunkState::Size => match line(&input[pos..], MAX_CHUNK_LINE_BYTES) {
                    Err(()) => return Step::Refused(CHUNK_LINE_TOO_LONG),
                    Ok(None) => break,
                    Ok(Some(n)) => {
                        let size = match chunk_size(&input[pos..pos + n]) {
                            Ok(size) => size,
                            Err(refusal) => return Step::Refused(refusal),
                        };
                        if self.body_len + size > super::MAX_BODY_BYTES {
                            return Step::Refused(BODY_TOO_LARGE);
                        }
                        pos += n + 2;
                        self.state = if size == 0 {
                            ChunkState::Trailers
                        } else {
                            ChunkState::Data(size)
                        };
                    }
                },
                ChunkState::Data(left) => {
                    let n = left.min(input.len() - pos);
                    input.copy_within(pos..pos + n, self.body_len);
                    self.body_len += n;
                    pos += n;
                    if n < left {
                        self.state = ChunkState::Data(left - n);
                        break;
                    }
                    self.state = ChunkState::DataEnd;
                }
                ChunkState::DataEnd => {
                    if input.len() - pos < 2 {
                        break;
                    }
                    if &input[pos..pos + 2] != b"\r\n" {
                        return Step::Refused(MALFORMED_CHUNKED);
                    }
                    pos += 2;
                    self.state = ChunkState::Size;
                }
                ChunkState::Trailers => {
                    let max = MAX_CHUNK_LINE_BYTES.min(MAX_TRAILER_BYTES - self.trailer_bytes);
                    match line(&input[pos..], max) {
                        Err(()) => return Step::Refused(TRAILERS_TOO_LARGE),
                        Ok(None) => break,
                        Ok(Some(0)) => return Step::Complete { len: pos + 2 },
                        Ok(Some(n)) => {
                            self.trailer_bytes += n + 2;
                            if self.trailer_bytes > MAX_TRAILER_BYTES {
                                return Step::Refused(TRAILERS_TOO_LARGE);
                            }
                            pos += n + 2;
                        }
                    }
                }
            }
        }
        // Drop the framing decoded: what is left of the input (a partial
        // line, or part of a CRLF) moves down to follow the body.
        let len = input.len();
        input.copy_within(pos..len, self.body_len);
        Step::Partial {
            freed: pos - self.body_len,
        }
    }
}

/// The answer to a request whose handler panicked.
fn internal_error() -> Response {
    Response {
        status: codes::INTERNAL_SERVER_ERROR.status,
        headers: vec![("content-type", "application/x-amz-json-1.0".into())],
        body: format!(
            r#"{{"__type":"{}","message":"Internal server error"}}"#,
            codes::INTERNAL_SERVER_ERROR.wire_type
        )
        .into_bytes(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        408 => "Request Timeout",
        404 => "Not Found",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        _ => "",
    }
}

fn write_response(out: &mut Vec<u8>, resp: &Response, keep_alive: bool) {
    out.reserve(160 + resp.body.len());
    // Writing to a Vec cannot fail.
    let _ = write!(out, "HTTP/1.1 {} ", resp.status);
    out.extend_from_slice(reason(resp.status).as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in &resp.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let _ = write!(out, "content-length: {}", resp.body.len());
    if !keep_alive {
        out.extend_from_slice(b"\r\nconnection: close");
    }
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(&resp.body);
}

#[cfg(test)]
mod tests;
