use super::*;

fn test_limits() -> Limits {
    Limits {
        idle_timeout: Duration::from_secs(60),
        request_timeout: Duration::from_secs(30),
        max_connections: 1000,
    }
}

/// Feeds `input` to a chunked decoder in pieces cut at `cuts`, the way
/// a connection does (dropping what each step frees); the last step and
/// the body, and how many input bytes the body took.
fn feed(input: &[u8], cuts: &[usize]) -> (Step, Vec<u8>, usize) {
    let mut ends: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    ends.push(input.len());
    ends.sort_unstable();
    let mut decoder = Dechunk::default();
    let (mut buf, mut at, mut freed_total) = (Vec::new(), 0, 0);
    for end in ends {
        buf.extend_from_slice(&input[at..end]);
        at = end;
        match decoder.step(&mut buf) {
            Step::Partial { freed } => {
                freed_total += freed;
                buf.truncate(buf.len() - freed);
            }
            Step::Complete { len } => {
                return (
                    Step::Complete { len },
                    buf[..decoder.body_len].to_vec(),
                    freed_total + len,
                );
            }
            refused => return (refused, Vec::new(), 0),
        }
    }
    (Step::Partial { freed: 0 }, buf[..decoder.body_len].to_vec(), 0)
}

fn framed(raw: &str) -> Result<(usize, Vec<u8>, bool), String> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let n = match req.parse(raw.as_bytes()) {
        Ok(httparse::Status::Complete(n)) => n,
        other => return Err(format!("{other:?}")),
    };
    let head = frame(&req).map_err(|r| format!("bad {}", r.status))?;
    let partial = Err(format!("partial {}", head.expect_continue));
    match head.body {
        BodyFraming::Length(l) if l > super::super::MAX_BODY_BYTES => Err("bad 413".into()),
        BodyFraming::Length(l) if raw.len() - n < l => partial,
        BodyFraming::Length(l) => Ok((n + l, raw.as_bytes()[n..n + l].to_vec(), head.keep_alive)),
        BodyFraming::Chunked => match feed(&raw.as_bytes()[n..], &[]) {
            (Step::Complete { .. }, body, len) => Ok((n + len, body, head.keep_alive)),
            (Step::Partial { .. }, ..) => partial,
            (Step::Refused(r), ..) => Err(format!("bad {} {}", r.status, r.message)),
        },
    }
}

#[test]
fn requests_are_framed_by_length_or_chunks() {
    let r = "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}NEXT";
    assert_eq!(framed(r), Ok((r.len() - 4, b"{}".to_vec(), true)));
    let r = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n2\r\n\"}\r\n0\r\nT: 1\r\n\r\nNEXT";
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
        Err("bad 400 Malformed chunked body".into())
    );
    let huge = format!(
        "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
        super::super::MAX_BODY_BYTES + 1
    );
    assert_eq!(framed(&huge), Err("bad 413".into()));
}

#[test]
fn a_content_length_is_ascii_digits_only() {
    let with = |value: &str| framed(&format!("POST / HTTP/1.1\r\nContent-Length: {value}\r\n\r\n{{}}"));
    for bad in ["+2", "-2", "0x2", "2a", "", "2 2", "\u{0662}"] {
        assert_eq!(with(bad), Err("bad 400".into()), "{bad:?}");
    }
    assert_eq!(content_length_value("+2"), Err(INVALID_CONTENT_LENGTH));
    assert_eq!(content_length_value("99999999999999999999999"), Err(BODY_TOO_LARGE));
    assert_eq!(with("02").map(|(_, body, _)| body), Ok(b"{}".to_vec()));
}

#[test]
fn chunk_lines_and_trailers_are_capped() {
    let chunked = |rest: &str| framed(&format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{rest}"));
    let ext = "x".repeat(MAX_CHUNK_LINE_BYTES);
    assert_eq!(
        chunked(&format!("1;{ext}")),
        Err("bad 400 Chunk size line is too long".into())
    );
    // Just within the cap: still waiting for the line's end.
    assert_eq!(chunked(&format!("1;{}", &ext[2..])), Err("partial false".into()));
    assert_eq!(
        chunked(&format!("1;{}\r\na\r\n0\r\n\r\n", &ext[2..])).map(|(_, b, _)| b),
        Ok(b"a".to_vec())
    );
    assert_eq!(
        chunked(&format!("0\r\nX-T: {ext}")),
        Err("bad 400 Chunked body trailers are too large".into())
    );
    let endless = "X-T: 1\r\n".repeat(MAX_TRAILER_BYTES / 8 + 1);
    assert_eq!(
        chunked(&format!("0\r\n{endless}")),
        Err("bad 400 Chunked body trailers are too large".into())
    );
    assert_eq!(
        chunked("+1\r\na\r\n0\r\n\r\n"),
        Err("bad 400 Malformed chunked body".into())
    );
    assert_eq!(
        chunked(&format!("{:x}\r\n", super::super::MAX_BODY_BYTES + 1)),
        Err("bad 413 Request body is too large".into())
    );
    assert_eq!(
        chunked(&format!("{}1\r\n", "0".repeat(100))),
        Err("partial false".into())
    );
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
    let mut server = Server::spawn(listener, handler, None, test_limits()).unwrap();
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
    assert!(
        boom.ends_with(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}"#
        ),
        "{boom}"
    );
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
            reads in prop::collection::vec(any::<usize>(), 0..6),
            trailer in any::<bool>(),
        ) {
            let encoded = chunked(&body, &cuts, trailer);
            let mut with_next = encoded.clone();
            with_next.extend_from_slice(b"POST / HTTP/1.1\r\n");
            match feed(&with_next, &reads) {
                (Step::Complete { .. }, got, len) => {
                    prop_assert_eq!(got, body);
                    prop_assert_eq!(len, encoded.len());
                }
                (other, ..) => prop_assert!(false, "not decoded: {:?}", other),
            }
            for cut in 0..encoded.len() {
                let (step, ..) = feed(&encoded[..cut], &reads);
                prop_assert!(matches!(step, Step::Partial { .. }), "a prefix of {} bytes decoded", cut);
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
            let head = match frame(&req) {
                Ok(head) => head,
                Err(refusal) => return Err(TestCaseError::fail(format!("refused {refusal:?}"))),
            };
            match head.body {
                BodyFraming::Length(l) => prop_assert_eq!(l, length),
                BodyFraming::Chunked => match feed(&input[n..], &[]) {
                    (Step::Complete { len, .. }, got, _) => {
                        prop_assert!(len <= rest.len());
                        prop_assert!(got.len() <= len);
                    }
                    (Step::Partial { .. }, ..) => {}
                    (Step::Refused(r), ..) => prop_assert!(r.status == 400 || r.status == 413),
                },
            }
        }
    }
}
