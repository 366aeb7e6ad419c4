//! Checking AWS Signature Version 4 on requests, for a server started with
//! credentials: only requests signed with that key and secret are served.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::ApiError;

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn invalid_token() -> ApiError {
    ApiError::new(
        "com.amazon.coral.service#UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )
}

fn bad_signature() -> ApiError {
    ApiError::new(
        "com.amazon.coral.service#InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    )
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct Authorization<'a> {
    key: &'a str,
    scope: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse(auth: &str) -> Option<Authorization<'_>> {
    let rest = auth.strip_prefix("AWS4-HMAC-SHA256")?.trim();
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let (key, scope) = credential?.split_once('/')?;
    Some(Authorization {
        key,
        scope,
        signed_headers: signed?.split(';').collect(),
        signature: signature?,
    })
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.sort_unstable();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Checks the request's signature against `key` and `secret`.
pub(super) fn verify(
    req: &super::http::Request<'_>,
    body: &[u8],
    auth: &str,
    key: &str,
    secret: &str,
) -> Result<(), ApiError> {
    let a = parse(auth).ok_or_else(invalid_token)?;
    if a.key != key {
        return Err(invalid_token());
    }
    let scope_parts: Vec<&str> = a.scope.split('/').collect();
    let [date, region, service, "aws4_request"] = scope_parts.as_slice() else {
        return Err(bad_signature());
    };
    let amz_date = req.header("x-amz-date").ok_or_else(bad_signature)?;
    let mut canonical_headers = String::new();
    for name in &a.signed_headers {
        let values: Vec<String> = req
            .header_values(name)
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() && *name == "host" {
            // HTTP/1.1 always carries Host; accept the URI's authority too.
            let host = req.authority().unwrap_or_default();
            canonical_headers.push_str(&format!("host:{host}\n"));
            continue;
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload_hash = match req.header("x-amz-content-sha256") {
        Some(h) if h != "UNSIGNED-PAYLOAD" => h.to_string(),
        _ => hex::encode(Sha256::digest(body)),
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        req.path(),
        canonical_query(req.query()),
        canonical_headers,
        a.signed_headers.join(";"),
        payload_hash
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{}\n{}",
        a.scope,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex::encode(hmac(&k_signing, string_to_sign.as_bytes()));
    if expected != a.signature {
        return Err(bad_signature());
    }
    Ok(())
}
