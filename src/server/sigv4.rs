//! Authentication of requests, in DynamoDB's order and with its messages (as
//! recorded by dynalite, which probed the real service).
//!
//! Every request must carry an `Authorization: AWS4-...` header of
//! DynamoDB's form: the `Credential`, `SignedHeaders` and `Signature`
//! parameters and an `X-Amz-Date` (or `Date`) are there, the date is
//! ISO-8601 basic format, the algorithm is `AWS4-HMAC-SHA256` and the
//! credential has five parts (each refused as DynamoDB refuses it:
//! `IncompleteSignatureException`). A server started without
//! [`Credentials`] checks no more than that, so clients with any dummy keys
//! work, as with DynamoDB Local. A server started with credentials checks
//! everything DynamoDB does: also that the date is within 15 minutes of the
//! server's clock, `host` is signed, the credential scope
//! (`<date>/<region>/dynamodb/aws4_request`), the key id, and the signature
//! (AWS Signature Version 4) over the body actually received.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::ApiError;
use super::http::Request;
use crate::vocab::codes::{
    INCOMPLETE_SIGNATURE as INCOMPLETE, INVALID_SIGNATURE as INVALID, MISSING_AUTHENTICATION_TOKEN as MISSING_TOKEN,
    UNRECOGNIZED_CLIENT as UNRECOGNIZED,
};

type HmacSha256 = Hmac<Sha256>;

/// The one signing algorithm DynamoDB accepts.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The service a credential scope must name.
const SERVICE: &str = "dynamodb";
/// The terminator a credential scope must end with.
const TERMINATOR: &str = "aws4_request";
/// How far a request's date may be from the server's clock, either way.
const MAX_SKEW_SECS: i64 = 15 * 60;
/// The `x-amz-content-sha256` value of a client that does not sign the body.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// An access key id and its secret: a server started with them serves only
/// requests signed with them. `Debug` shows the key id, never the secret.
///
/// ```
/// use dynamo_objects::server::Credentials;
/// let c: Credentials = "AKIDTEST:s3cret".parse().unwrap();
/// assert_eq!(c, Credentials::new("AKIDTEST", "s3cret"));
/// assert_eq!(c.key(), "AKIDTEST");
/// assert!(!format!("{c:?}").contains("s3cret"));
/// assert!("no-colon".parse::<Credentials>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    key: String,
    secret: String,
}

impl Credentials {
    /// Credentials of access key id `key` and secret `secret`.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Credentials {
        Credentials {
            key: key.into(),
            secret: secret.into(),
        }
    }

    /// The access key id.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("key", &self.key)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Why a text is not `KEY:SECRET` credentials. It does not repeat the text,
/// which may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expects KEY:SECRET (an access key id, a colon, and a secret, neither empty)")]
pub struct CredentialsParseError;

impl FromStr for Credentials {
    type Err = CredentialsParseError;

    /// Reads `KEY:SECRET`, split at the first colon (a secret may hold
    /// colons; a key id cannot).
    fn from_str(s: &str) -> Result<Credentials, CredentialsParseError> {
        match s.split_once(':') {
            Some((key, secret)) if !key.is_empty() && !secret.is_empty() => Ok(Credentials::new(key, secret)),
            _ => Err(CredentialsParseError),
        }
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(&INVALID, message)
}

fn incomplete(message: impl Into<String>) -> ApiError {
    ApiError::new(&INCOMPLETE, message)
}

fn bad_signature() -> ApiError {
    invalid(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    )
}

/// Checks a request's authentication: that it has an `AWS4-` authorization
/// header of DynamoDB's form and, when the server has credentials,
/// everything else DynamoDB checks (see the module's docs), in DynamoDB's
/// order.
pub(super) fn check(req: &Request<'_>, credentials: Option<&Credentials>) -> Result<(), ApiError> {
    let Some(header) = req.header("authorization").filter(|h| h.starts_with("AWS4-")) else {
        return Err(ApiError::new(&MISSING_TOKEN, "Request is missing Authentication Token"));
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    verify(req, header, credentials, now)
}

/// The parameters of an `Authorization` header, read as DynamoDB does: the
/// algorithm, then `name=value` pieces separated by commas or spaces (a
/// piece without a value counts as missing).
struct Authorization<'a> {
    algorithm: &'a str,
    credential: Option<&'a str>,
    signed_headers: Option<&'a str>,
    signature: Option<&'a str>,
}

fn parse(header: &str) -> Authorization<'_> {
    let mut pieces = header.split([',', ' ']).filter(|p| !p.is_empty());
    let mut a = Authorization {
        algorithm: pieces.next().unwrap_or(""),
        credential: None,
        signed_headers: None,
        signature: None,
    };
    for piece in pieces {
        let mut kv = piece.split('=');
        let (name, value) = (kv.next().unwrap_or(""), kv.next().filter(|v| !v.is_empty()));
        match name {
            "Credential" => a.credential = value,
            "SignedHeaders" => a.signed_headers = value,
            "Signature" => a.signature = value,
            _ => {}
        }
    }
    a
}

/// The checks of [`check`] after the header's presence, in DynamoDB's order;
/// without `credentials`, only those of the header's form (the
/// `IncompleteSignatureException`s).
fn verify(req: &Request<'_>, header: &str, credentials: Option<&Credentials>, now: i64) -> Result<(), ApiError> {
    let a = parse(header);
    let date = req
        .header("x-amz-date")
        .filter(|d| !d.is_empty())
        .or_else(|| req.header("date").filter(|d| !d.is_empty()));
    let (Some(credential), Some(signature), Some(signed_headers), Some(date)) =
        (a.credential, a.signature, a.signed_headers, date)
    else {
        let mut missing = String::new();
        for (name, value) in [
            ("Credential", a.credential),
            ("Signature", a.signature),
            ("SignedHeaders", a.signed_headers),
        ] {
            if value.is_none() {
                missing.push_str(&format!("Authorization header requires '{name}' parameter. "));
            }
        }
        if date.is_none() {
            missing.push_str("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        return Err(incomplete(format!("{missing}Authorization={header}")));
    };

    let Some(time) = parse_basic_date(date) else {
        return Err(incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    if credentials.is_some() {
        if time < now.saturating_sub(MAX_SKEW_SECS) {
            return Err(invalid(format!(
                "Signature expired: {date} is now earlier than {} ({} - 15 min.)",
                format_basic_date(now.saturating_sub(MAX_SKEW_SECS)),
                format_basic_date(now)
            )));
        }
        if time > now.saturating_add(MAX_SKEW_SECS) {
            return Err(invalid(format!(
                "Signature not yet current: {date} is still later than {} ({} + 15 min.)",
                format_basic_date(now.saturating_add(MAX_SKEW_SECS)),
                format_basic_date(now)
            )));
        }
        if !signed_headers.split(';').any(|h| h.eq_ignore_ascii_case("host")) {
            return Err(invalid("'Host' must be a 'SignedHeader' in the AWS Authorization."));
        }
    }
    if a.algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{}' (only {ALGORITHM} for now). ",
            a.algorithm
        )));
    }
    let mut scope = credential.split('/');
    let (Some(key), Some(scope_date), Some(region), Some(service), Some(terminator), None) = (
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
        scope.next(),
    ) else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
        )));
    };
    // Without credentials, the header's form is all that is checked.
    let Some(credentials) = credentials else {
        return Ok(());
    };
    let mut wrong = String::new();
    if !is_region(region) {
        wrong.push_str(&format!(
            "Credential should be scoped to a valid region, not '{region}'. "
        ));
    }
    if service != SERVICE {
        wrong.push_str(&format!(
            "Credential should be scoped to correct service: '{SERVICE}'. "
        ));
    }
    if terminator != TERMINATOR {
        wrong.push_str(&format!(
            "Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{terminator}'. "
        ));
    }
    // `date` is 16 ASCII characters (parse_basic_date said so).
    let day = date.get(..8).unwrap_or(date);
    if scope_date != day {
        wrong.push_str(&format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{day}', from '{date}'."
        ));
    }
    if !wrong.is_empty() {
        return Err(invalid(wrong));
    }
    if key != credentials.key {
        return Err(ApiError::new(
            &UNRECOGNIZED,
            "The security token included in the request is invalid.",
        ));
    }

    // The body received is what is signed: a hash header naming another
    // body is refused, whether or not it is itself signed.
    let body_hash = hex::encode(Sha256::digest(req.body));
    let payload_hash = match req.header("x-amz-content-sha256") {
        None => body_hash,
        Some(UNSIGNED_PAYLOAD) => UNSIGNED_PAYLOAD.to_string(),
        Some(h) if h == body_hash => body_hash,
        Some(_) => return Err(bad_signature()),
    };
    let signed: Vec<&str> = signed_headers.split(';').collect();
    let canonical = canonical_request(req, &signed, &payload_hash);
    let scope = credential.get(key.len() + 1..).unwrap_or_default();
    let to_sign = string_to_sign(date, scope, &canonical);
    let expected = hex::decode(signature).map_err(|_| bad_signature())?;
    signing_mac(&credentials.secret, scope_date, region, service)
        .and_then(|mut mac| {
            mac.update(to_sign.as_bytes());
            mac.verify_slice(&expected).ok()
        })
        .ok_or_else(bad_signature)
}

/// Whether `region` may be a credential scope's region: 3 to 63 ASCII
/// letters, digits and hyphens, starting with a letter and not ending with a
/// hyphen. AWS's regions (`us-east-1`, `us-gov-west-1`) pass, and so do the
/// names clients of local DynamoDB use (`local`, `localhost`, `ddblocal`,
/// `fakeRegion`); one or two letters (`c`, `xx`) or underscores do not.
fn is_region(region: &str) -> bool {
    (3..=63).contains(&region.len())
        && region.starts_with(|c: char| c.is_ascii_alphabetic())
        && !region.ends_with('-')
        && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// SigV4's canonical request: method, path, sorted query, the signed
/// headers (values trimmed, inner spaces collapsed, repeats joined by
/// commas), their names, and the payload hash.
fn canonical_request(req: &Request<'_>, signed: &[&str], payload_hash: &str) -> String {
    let mut headers = String::new();
    for name in signed {
        let values: Vec<String> = req
            .header_values(name)
            .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() && name.eq_ignore_ascii_case("host") {
            // HTTP/1.1 always carries Host; accept the URI's authority too.
            headers.push_str(&format!("{name}:{}\n", req.authority().unwrap_or_default()));
            continue;
        }
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!(
        "{}\n{}\n{}\n{headers}\n{}\n{payload_hash}",
        req.method,
        req.path(),
        canonical_query(req.query()),
        signed.join(";"),
    )
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

fn string_to_sign(date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    )
}

/// The MAC that signs a string to sign: keyed by the signing key derived
/// from the secret and the scope. (`None` cannot happen: HMAC takes keys of
/// any length.)
fn signing_mac(secret: &str, date: &str, region: &str, service: &str) -> Option<HmacSha256> {
    let hmac = |key: &[u8], data: &str| -> Option<Vec<u8>> {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).ok()?;
        mac.update(data.as_bytes());
        Some(mac.finalize().into_bytes().to_vec())
    };
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date)?;
    let k_region = hmac(&k_date, region)?;
    let k_service = hmac(&k_region, service)?;
    let k_signing = hmac(&k_service, TERMINATOR)?;
    <HmacSha256 as KeyInit>::new_from_slice(&k_signing).ok()
}

/// Seconds since the Unix epoch of an ISO-8601 basic-format UTC time,
/// `YYYYMMDDTHHMMSSZ`; `None` for anything else (or an impossible date).
fn parse_basic_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        b[range]
            .iter()
            .try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// `secs` since the Unix epoch as `YYYYMMDDTHHMMSSZ`.
fn format_basic_date(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01: the inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_dates_read_and_write_as_seconds_since_the_epoch() {
        assert_eq!(parse_basic_date("19700101T000000Z"), Some(0));
        assert_eq!(parse_basic_date("20130609T094515Z"), Some(1_370_771_115));
        assert_eq!(parse_basic_date("20240229T235959Z"), Some(1_709_251_199));
        assert_eq!(format_basic_date(1_370_771_115), "20130609T094515Z");
        assert_eq!(format_basic_date(1_709_251_199), "20240229T235959Z");
        assert_eq!(format_basic_date(0), "19700101T000000Z");
        for secs in [0, 1, 86_399, 951_782_400, 1_370_771_115, 4_102_444_800, 253_402_300_799] {
            assert_eq!(parse_basic_date(&format_basic_date(secs)), Some(secs), "{secs}");
        }
    }

    #[test]
    fn only_the_basic_format_of_a_real_time_is_a_date() {
        for bad in [
            "201",
            "",
            "2013-06-09T09:45:15Z",
            "20130609T094515",
            "20130609 094515Z",
            "2013060xT094515Z",
            "20230229T000000Z",
            "20131301T000000Z",
            "20130600T000000Z",
            "20130609T240000Z",
            "20130609T006000Z",
            "20130609T000060Z",
            "Sun, 09 Jun 2013 09:45:15 GMT",
            "２０１３0609T094515Z",
        ] {
            assert_eq!(parse_basic_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn regions_are_aws_names_or_local_names_of_three_characters_or_more() {
        for good in [
            "us-east-1",
            "eu-west-2",
            "us-gov-west-1",
            "local",
            "localhost",
            "ddblocal",
            "fakeRegion",
        ] {
            assert!(is_region(good), "{good}");
        }
        for bad in ["", "c", "xx", "us_east_1", "us-east-", "1us", "-us", "us east"] {
            assert!(!is_region(bad), "{bad}");
        }
        assert!(!is_region(&"a".repeat(64)));
    }

    #[test]
    fn an_authorization_header_is_read_by_commas_and_spaces() {
        let a = parse("AWS4-HMAC-SHA256 Credential=k/d/r/s/t, SignedHeaders=host;x-amz-date,Signature=ab");
        assert_eq!(a.algorithm, "AWS4-HMAC-SHA256");
        assert_eq!(a.credential, Some("k/d/r/s/t"));
        assert_eq!(a.signed_headers, Some("host;x-amz-date"));
        assert_eq!(a.signature, Some("ab"));
        let a = parse("AWS4-HMAC-SHA256 Credential=, Signature");
        assert_eq!((a.credential, a.signed_headers, a.signature), (None, None, None));
    }

    /// AWS's published example (IAM ListUsers, in the SigV4 documentation):
    /// its canonical request, string to sign and signature.
    #[test]
    fn the_signature_of_aws_documented_example_is_reproduced() {
        let canonical = "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let to_sign = string_to_sign("20150830T123600Z", "20150830/us-east-1/iam/aws4_request", canonical);
        assert_eq!(
            to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
        );
        let mut mac = signing_mac(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "iam",
        )
        .unwrap();
        mac.update(to_sign.as_bytes());
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
    }

    #[test]
    fn credentials_read_key_colon_secret_and_never_show_the_secret() {
        assert_eq!("k:s:t".parse(), Ok(Credentials::new("k", "s:t")));
        for bad in ["", "nocolon", ":s", "k:"] {
            assert_eq!(bad.parse::<Credentials>(), Err(CredentialsParseError), "{bad}");
        }
        let c = Credentials::new("AKIDTEST", "s3cret");
        assert_eq!(
            format!("{c:?}"),
            r#"Credentials { key: "AKIDTEST", secret: "<redacted>" }"#
        );
        assert!(!format!("{c:#?}").contains("s3cret"));
        assert!(!CredentialsParseError.to_string().contains("nocolon"));
    }
}
