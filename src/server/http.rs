//! The server's HTTP/1.1 layer: one thread running an event loop (mio) over
//! every connection, with keep-alive, pipelining, `Expect: 100-continue` and
//! chunked request bodies.
//!
//! The engine never waits on I/O, so each request is answered as soon as it
//! is complete, on the loop's thread: no task to schedule, no thread to wake,
//! and no lock held while a connection reads or writes.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

/// The most header bytes a request may have.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;
/// Answers waiting to be written beyond which a connection's further
/// requests wait (for a client that sends without reading).
const MAX_PENDING_OUTPUT: usize = 8 * 1024 * 1024;
/// How long a stopping server waits for requests still arriving.
const DRAIN: Duration = Duration::from_secs(10);

const LISTENER: Token = Token(usize::MAX - 1);
const WAKER: Token = Token(usize::MAX);

/// A request, complete with its body.
pub struct Request<'a> {
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
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
    }

    /// Every value of header `name` (any case) that is text, in order.
    pub fn header_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .filter_map(|h| std::str::from_utf8(h.value).ok())
    }

    /// The target's authority, when it is in absolute form
    /// (`http://host:port/path`).
    pub fn authority(&self) -> Option<&str> {
        let rest = self.target.split_once("://")?.1;
        Some(rest.split(['/', '?']).next().unwrap_or(rest))
    }

    /// The target's path.
    pub fn path(&self) -> &str {
        let origin = match self.target.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => self.target,
        };
        origin.split_once('?').map_or(origin, |(p, _)| p)
    }

    /// The target's query string (without `?`).
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// An answer: status, extra headers, and a body.
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Headers besides `content-length` (and `connection`), as `(name, value)`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// What serves requests: called on the loop's thread, once per request.
pub type Handler = dyn Fn(&Request<'_>) -> Response + Send + Sync;

/// What the loop calls every `interval` (the TTL sweep).
pub type Ticker = (Duration, Box<dyn FnMut() + Send>);

/// A running event loop.
pub struct Server {
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
    /// Serves `listener` on a new thread.
    pub fn spawn(listener: std::net::TcpListener, handler: Arc<Handler>, ticker: Option<Ticker>) -> io::Result<Server> {
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
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
    }

    /// Waits for the thread to end (after [`Server::stop`]).
    pub fn join(&mut self) {
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
}

struct Loop {
    poll: Poll,
    listener: Option<TcpListener>,
    conns: Vec<Option<Conn>>,
    free: Vec<usize>,
    handler: Arc<Handler>,
    ticker: Option<Ticker>,
    stop: Arc<AtomicBool>,
}

impl Loop {
    fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let mut next_tick = self.ticker.as_ref().map(|(every, _)| Instant::now() + *every);
        let mut deadline: Option<Instant> = None;
        let mut now = Instant::now();
        loop {
            let mut timeout = next_tick.map(|t| t.saturating_duration_since(now));
            if let Some(d) = deadline {
                let left = d.saturating_duration_since(now);
                timeout = Some(timeout.map_or(left, |t| t.min(left)));
            }
            if let Err(e) = self.poll.poll(&mut events, timeout)
                && e.kind() != io::ErrorKind::Interrupted
            {
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(),
                    WAKER => {}
                    Token(i) => self.serve(i, deadline.is_some(), event.is_read_closed()),
                }
            }
            now = Instant::now();
            if let (Some(t), Some((every, tick))) = (next_tick, self.ticker.as_mut())
                && now >= t
            {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut *tick));
                now = Instant::now();
                next_tick = Some(now + *every);
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

    fn accept(&mut self) {
        loop {
            let Some(listener) = &self.listener else { return };
            match listener.accept() {
                Ok((mut stream, _)) => {
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
                    self.conns[i] = Some(Conn {
                        stream,
                        buf: Vec::new(),
                        start: 0,
                        end: 0,
                        output: Vec::new(),
                        written: 0,
                        closing: false,
                        read_closed: false,
                        continued: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // WouldBlock: all accepted. Anything else (out of file
                // descriptors, say): try again on the next readiness.
                Err(_) => return,
            }
        }
    }

    fn close(&mut self, i: usize) {
        if let Some(mut c) = self.conns.get_mut(i).and_then(Option::take) {
            let _ = self.poll.registry().deregister(&mut c.stream);
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
            self.free.push(i);
        }
    }

    /// Reads what arrived, answers every complete request, writes what it can.
    fn serve(&mut self, i: usize, stopping: bool, peer_closed: bool) {
        let Some(Some(conn)) = self.conns.get_mut(i) else {
            return;
        };
        let keep = loop {
            let room = conn.pending() <= MAX_PENDING_OUTPUT;
            if room && !conn.read_input(peer_closed) {
                break false;
            }
            let backlogged = conn.answer(&*self.handler, stopping);
            if !conn.flush() {
                break false;
            }
            // Go on only when a backlog held reading or answering back and
            // is now written out (each turn writes that much: it ends).
            if conn.pending() > 0 || (room && !backlogged) {
                break true;
            }
        };
        let done = !keep || (conn.written == conn.output.len() && (conn.closing || conn.read_closed));
        if done {
            self.close(i);
        }
    }
}

/// How a request at the head of the input stands.
enum Framing<'b> {
    /// More bytes are needed; `expect_continue` once the headers are in and
    /// the client waits for `100 Continue` before sending the body.
    Partial { expect_continue: bool },
    /// A whole request, `len` bytes of the input.
    Complete {
        len: usize,
        body: Cow<'b, [u8]>,
        keep_alive: bool,
    },
    /// Not HTTP we can serve: answer `status` and close.
    Bad { status: u16, message: &'static str },
}

impl Conn {
    /// Reads until the socket has nothing more (or, unless `to_eof`, until
    /// a short read); false on a broken connection.
    fn read_input(&mut self, to_eof: bool) -> bool {
        loop {
            if self.buf.len() - self.end < 4096 {
                // Room: first by moving what is unconsumed to the front.
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
                if self.buf.len() - self.end < 4096 {
                    self.buf.resize(self.buf.len().max(8 * 1024) * 2, 0);
                }
            }
            let room = self.buf.len() - self.end;
            match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.read_closed = true;
                    return true;
                }
                // A short read drained the socket (on Linux, anything that
                // arrives later, a close too, raises a new event), so skip
                // the read that would only say WouldBlock. When the event
                // says the peer closed, read on to the end.
                Ok(n) if n < room && !to_eof && cfg!(target_os = "linux") => {
                    self.end += n;
                    return true;
                }
                Ok(n) => self.end += n,
                Err(e) => match e.kind() {
                    io::ErrorKind::WouldBlock => return true,
                    io::ErrorKind::Interrupted => {}
                    _ => return false,
                },
            }
        }
    }

    /// Bytes of answers not yet written.
    fn pending(&self) -> usize {
        self.output.len() - self.written
    }

    /// Answers the complete requests at the head of the input; true when it
    /// stopped because too many answers wait to be written.
    fn answer(&mut self, handler: &Handler, stopping: bool) -> bool {
        while !self.closing && self.start < self.end {
            if self.pending() > MAX_PENDING_OUTPUT {
                return true;
            }
            let input = &self.buf[self.start..self.end];
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut req = httparse::Request::new(&mut headers);
            let framing = match req.parse(input) {
                Ok(httparse::Status::Partial) if input.len() > MAX_HEADER_BYTES => Framing::Bad {
                    status: 431,
                    message: "Request headers are too large",
                },
                Ok(httparse::Status::Partial) => Framing::Partial { expect_continue: false },
                Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_BYTES => Framing::Bad {
                    status: 431,
                    message: "Request headers are too large",
                },
                Ok(httparse::Status::Complete(n)) => frame(&req, input, n),
                Err(httparse::Error::TooManyHeaders) => Framing::Bad {
                    status: 431,
                    message: "Request has too many headers",
                },
                Err(_) => Framing::Bad {
                    status: 400,
                    message: "Malformed HTTP request",
                },
            };
            match framing {
                Framing::Partial { expect_continue } => {
                    if expect_continue && !self.continued {
                        self.output.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
                        self.continued = true;
                    }
                    if self.read_closed {
                        // It never will be complete.
                        self.closing = true;
                    }
                    return false;
                }
                Framing::Bad { status, message } => {
                    let body = format!(
                        "{{\"__type\":\"com.amazon.coral.service#SerializationException\",\"message\":\"{message}\"}}"
                    );
                    let resp = Response {
                        status,
                        headers: vec![("content-type", "application/x-amz-json-1.0".into())],
                        body: body.into_bytes(),
                    };
                    write_response(&mut self.output, &resp, false);
                    self.closing = true;
                    self.start = self.end;
                    return false;
                }
                Framing::Complete { len, body, keep_alive } => {
                    let request = Request {
                        method: req.method.unwrap_or(""),
                        target: req.path.unwrap_or("/"),
                        headers: req.headers,
                        body: &body,
                    };
                    // A bug in the engine must not take the server down:
                    // answer 500 and go on serving.
                    let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
                        .unwrap_or_else(|_| internal_error());
                    let keep_alive = keep_alive && !stopping;
                    write_response(&mut self.output, &resp, keep_alive);
                    drop(body);
                    self.start += len;
                    if self.start == self.end {
                        (self.start, self.end) = (0, 0);
                    }
                    self.continued = false;
                    if !keep_alive {
                        self.closing = true;
                    }
                }
            }
        }
        false
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

/// Frames the request whose `head` bytes of headers `req` parsed.
fn frame<'b>(req: &httparse::Request<'_, '_>, input: &'b [u8], head: usize) -> Framing<'b> {
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut expect_continue = false;
    let mut connection_close = false;
    let mut connection_keep_alive = false;
    for h in req.headers.iter() {
        let value = || std::str::from_utf8(h.value).unwrap_or("").trim();
        if h.name.eq_ignore_ascii_case("content-length") {
            let value = value();
            match value.parse::<usize>() {
                Ok(n) if content_length.is_none_or(|c| c == n) => content_length = Some(n),
                _ => {
                    return Framing::Bad {
                        status: 400,
                        message: "Invalid Content-Length",
                    };
                }
            }
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            if value()
                .rsplit(',')
                .next()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("chunked"))
            {
                chunked = true;
            } else {
                return Framing::Bad {
                    status: 501,
                    message: "Unsupported Transfer-Encoding",
                };
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
    let too_large = Framing::Bad {
        status: 413,
        message: "Request body is too large",
    };
    let rest = &input[head..];
    if chunked {
        return match dechunk(rest) {
            Chunks::Partial { body_len } if body_len > super::MAX_BODY_BYTES => too_large,
            Chunks::Partial { .. } => Framing::Partial { expect_continue },
            Chunks::Complete { body, .. } if body.len() > super::MAX_BODY_BYTES => too_large,
            Chunks::Complete { body, len } => Framing::Complete {
                len: head + len,
                body: Cow::Owned(body),
                keep_alive,
            },
            Chunks::Bad => Framing::Bad {
                status: 400,
                message: "Malformed chunked body",
            },
        };
    }
    let length = content_length.unwrap_or(0);
    if length > super::MAX_BODY_BYTES {
        return too_large;
    }
    if rest.len() < length {
        return Framing::Partial { expect_continue };
    }
    Framing::Complete {
        len: head + length,
        body: Cow::Borrowed(&rest[..length]),
        keep_alive,
    }
}

enum Chunks {
    Partial { body_len: usize },
    Complete { body: Vec<u8>, len: usize },
    Bad,
}

/// Decodes a chunked body at the start of `input` (trailers are read and
/// dropped).
fn dechunk(input: &[u8]) -> Chunks {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let Some(line_end) = find_crlf(&input[pos..]) else {
            return Chunks::Partial { body_len: body.len() };
        };
        let line = &input[pos..pos + line_end];
        let size_text = line.split(|&b| b == b';').next().unwrap_or(b"");
        let Some(size) = std::str::from_utf8(size_text)
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
        else {
            return Chunks::Bad;
        };
        pos += line_end + 2;
        if size == 0 {
            // Trailers, up to an empty line.
            loop {
                let Some(end) = find_crlf(&input[pos..]) else {
                    return Chunks::Partial { body_len: body.len() };
                };
                pos += end + 2;
                if end == 0 {
                    return Chunks::Complete { body, len: pos };
                }
            }
        }
        if size > super::MAX_BODY_BYTES || body.len() + size > super::MAX_BODY_BYTES {
            return Chunks::Partial {
                body_len: body.len() + size,
            };
        }
        if input.len() < pos + size + 2 {
            return Chunks::Partial { body_len: body.len() };
        }
        body.extend_from_slice(&input[pos..pos + size]);
        if &input[pos + size..pos + size + 2] != b"\r\n" {
            return Chunks::Bad;
        }
        pos += size + 2;
    }
}

fn find_crlf(b: &[u8]) -> Option<usize> {
    b.windows(2).position(|w| w == b"\r\n")
}

/// The answer to a request whose handler panicked.
fn internal_error() -> Response {
    Response {
        status: 500,
        headers: vec![("content-type", "application/x-amz-json-1.0".into())],
        body: br#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}"#
            .to_vec(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
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
mod tests {
    use super::*;

    fn framed(raw: &str) -> Result<(usize, Vec<u8>, bool), String> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(raw.as_bytes()) {
            Ok(httparse::Status::Complete(n)) => match frame(&req, raw.as_bytes(), n) {
                Framing::Complete { len, body, keep_alive } => Ok((len, body.into_owned(), keep_alive)),
                Framing::Partial { expect_continue } => Err(format!("partial {expect_continue}")),
                Framing::Bad { status, .. } => Err(format!("bad {status}")),
            },
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn requests_are_framed_by_length_or_chunks() {
        let r = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}NEXT";
        assert_eq!(framed(r), Ok((r.len() - 4, b"{}".to_vec(), true)));
        let r =
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n2\r\n\"}\r\n0\r\nT: 1\r\n\r\nNEXT";
        assert_eq!(framed(r), Ok((r.len() - 4, b"{\"a\"}".to_vec(), true)));
        let r = "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(framed(r), Ok((r.len(), Vec::new(), false)));
        let r = "POST / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
        assert_eq!(framed(r), Ok((r.len(), Vec::new(), true)));
        let r = "POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(framed(r), Ok((r.len(), Vec::new(), false)));
    }

    #[test]
    fn incomplete_and_bad_requests_are_told_apart() {
        assert_eq!(
            framed("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n{}"),
            Err("partial true".into())
        );
        assert_eq!(
            framed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}"),
            Err("partial false".into())
        );
        assert_eq!(
            framed("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            Err("bad 400".into())
        );
        assert_eq!(
            framed("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Err("bad 400".into())
        );
        assert_eq!(
            framed("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Err("bad 501".into())
        );
        assert_eq!(
            framed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Err("bad 400".into())
        );
        let huge = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            super::super::MAX_BODY_BYTES + 1
        );
        assert_eq!(framed(&huge), Err("bad 413".into()));
    }

    #[test]
    fn responses_carry_their_length_and_whether_the_connection_closes() {
        let resp = Response {
            status: 400,
            headers: vec![("content-type", "application/x-amz-json-1.0".into())],
            body: b"{}".to_vec(),
        };
        let mut out = Vec::new();
        write_response(&mut out, &resp, false);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
        );
    }

    #[test]
    fn a_panicking_handler_gets_a_500_and_the_server_goes_on() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handler: Arc<Handler> = Arc::new(|req: &Request<'_>| {
            if req.body == b"boom" {
                panic!("a bug");
            }
            Response {
                status: 200,
                headers: Vec::new(),
                body: req.body.to_vec(),
            }
        });
        let mut server = Server::spawn(listener, handler, None).unwrap();
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        let ask = |stream: &mut std::net::TcpStream, body: &str| {
            let req = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len());
            stream.write_all(req.as_bytes()).unwrap();
            let mut buf = [0u8; 512];
            let n = stream.read(&mut buf).unwrap();
            String::from_utf8_lossy(&buf[..n]).to_string()
        };
        let boom = ask(&mut stream, "boom");
        assert!(boom.starts_with("HTTP/1.1 500 Internal Server Error\r\n"), "{boom}");
        assert!(boom.ends_with("\"message\":\"Internal server error\"}"), "{boom}");
        assert!(ask(&mut stream, "fine").ends_with("\r\n\r\nfine"));
        server.stop();
        server.join();
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// A chunked encoding of `body`, cut after each of `cuts`, with an
        /// extension on some chunk lines and maybe a trailer.
        fn chunked(body: &[u8], cuts: &[usize], trailer: bool) -> Vec<u8> {
            let mut out = Vec::new();
            let mut start = 0;
            let mut ends: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
            ends.push(body.len());
            ends.sort_unstable();
            ends.dedup();
            for (i, end) in ends.into_iter().enumerate() {
                if end == start {
                    continue;
                }
                let ext = if i % 2 == 1 { ";name=value" } else { "" };
                out.extend_from_slice(format!("{:X}{ext}\r\n", end - start).as_bytes());
                out.extend_from_slice(&body[start..end]);
                out.extend_from_slice(b"\r\n");
                start = end;
            }
            out.extend_from_slice(b"0\r\n");
            if trailer {
                out.extend_from_slice(b"X-Trailer: 1\r\n");
            }
            out.extend_from_slice(b"\r\n");
            out
        }

        proptest! {
            #[test]
            fn chunked_bodies_decode_whole_and_only_whole(
                body in prop::collection::vec(any::<u8>(), 0..300),
                cuts in prop::collection::vec(any::<usize>(), 0..6),
                trailer in any::<bool>(),
            ) {
                let encoded = chunked(&body, &cuts, trailer);
                let mut with_next = encoded.clone();
                with_next.extend_from_slice(b"POST / HTTP/1.1\r\n");
                match dechunk(&with_next) {
                    Chunks::Complete { body: got, len } => {
                        prop_assert_eq!(got, body);
                        prop_assert_eq!(len, encoded.len());
                    }
                    _ => prop_assert!(false, "not decoded"),
                }
                for cut in 0..encoded.len() {
                    prop_assert!(
                        matches!(dechunk(&encoded[..cut]), Chunks::Partial { .. }),
                        "a prefix of {} bytes decoded",
                        cut
                    );
                }
            }

            #[test]
            fn any_bytes_after_the_headers_are_framed_without_panic(
                rest in prop::collection::vec(any::<u8>(), 0..200),
                chunked in any::<bool>(),
                length in 0usize..300,
            ) {
                let head = if chunked {
                    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_string()
                } else {
                    format!("POST / HTTP/1.1\r\nContent-Length: {length}\r\n\r\n")
                };
                let mut input = head.clone().into_bytes();
                input.extend_from_slice(&rest);
                let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                let mut req = httparse::Request::new(&mut headers);
                let Ok(httparse::Status::Complete(n)) = req.parse(&input) else {
                    return Err(TestCaseError::fail("the head parses"));
                };
                match frame(&req, &input, n) {
                    Framing::Complete { len, body, .. } => {
                        prop_assert!(len <= input.len());
                        prop_assert!(body.len() <= len - n);
                        if !chunked {
                            prop_assert_eq!(&body[..], &rest[..length]);
                        }
                    }
                    Framing::Partial { .. } => prop_assert!(chunked || rest.len() < length),
                    Framing::Bad { status, .. } => prop_assert!(chunked && status == 400),
                }
            }
        }
    }
}
