//! How the store keeps items: one compact byte string per item (about the
//! item's own size), decoded into an attribute map when read. Keeping the
//! SDK's maps instead costs about three times the item's size in memory.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::Item;
use crate::vocab::AttrType;

/// An encoded item, with its DynamoDB size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    bytes: Box<[u8]>,
    size: u32,
}

/// The type tags that start each encoded value.
pub(crate) mod tag {
    pub(crate) const S: u8 = 0;
    pub(crate) const N: u8 = 1;
    pub(crate) const B: u8 = 2;
    pub(crate) const SS: u8 = 3;
    pub(crate) const NS: u8 = 4;
    pub(crate) const BS: u8 = 5;
    pub(crate) const FALSE: u8 = 6;
    pub(crate) const TRUE: u8 = 7;
    pub(crate) const NULL: u8 = 8;
    pub(crate) const L: u8 = 9;
    pub(crate) const M: u8 = 10;
}
use tag::*;

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_len(out, b.len());
    out.extend_from_slice(b);
}

fn put_value(out: &mut Vec<u8>, v: &AttributeValue) {
    match v {
        AttributeValue::S(s) => {
            out.push(S);
            put_bytes(out, s.as_bytes());
        }
        AttributeValue::N(n) => {
            out.push(N);
            put_bytes(out, n.as_bytes());
        }
        AttributeValue::B(b) => {
            out.push(B);
            put_bytes(out, b.as_ref());
        }
        AttributeValue::Ss(set) | AttributeValue::Ns(set) => {
            out.push(if matches!(v, AttributeValue::Ss(_)) { SS } else { NS });
            put_len(out, set.len());
            for s in set {
                put_bytes(out, s.as_bytes());
            }
        }
        AttributeValue::Bs(set) => {
            out.push(BS);
            put_len(out, set.len());
            for b in set {
                put_bytes(out, b.as_ref());
            }
        }
        AttributeValue::Bool(b) => out.push(if *b { TRUE } else { FALSE }),
        AttributeValue::L(list) => {
            out.push(L);
            put_len(out, list.len());
            for x in list {
                put_value(out, x);
            }
        }
        AttributeValue::M(map) => {
            out.push(M);
            put_map(out, map);
        }
        // NULL, and (never stored: validated away) unknown variants.
        _ => out.push(NULL),
    }
}

fn put_map(out: &mut Vec<u8>, map: &Item) {
    put_len(out, map.len());
    for (k, v) in map {
        put_bytes(out, k.as_bytes());
        put_value(out, v);
    }
}

fn len_len(n: usize) -> usize {
    (usize::BITS - (n | 1).leading_zeros()).div_ceil(7) as usize
}

fn bytes_len(n: usize) -> usize {
    len_len(n) + n
}

fn value_len(v: &AttributeValue) -> usize {
    1 + match v {
        AttributeValue::S(s) | AttributeValue::N(s) => bytes_len(s.len()),
        AttributeValue::B(b) => bytes_len(b.as_ref().len()),
        AttributeValue::Ss(set) | AttributeValue::Ns(set) => {
            len_len(set.len()) + set.iter().map(|s| bytes_len(s.len())).sum::<usize>()
        }
        AttributeValue::Bs(set) => len_len(set.len()) + set.iter().map(|b| bytes_len(b.as_ref().len())).sum::<usize>(),
        AttributeValue::L(list) => len_len(list.len()) + list.iter().map(value_len).sum::<usize>(),
        AttributeValue::M(map) => map_len(map),
        _ => 0,
    }
}

fn map_len(map: &Item) -> usize {
    len_len(map.len())
        + map
            .iter()
            .map(|(k, v)| bytes_len(k.len()) + value_len(v))
            .sum::<usize>()
}

impl Stored {
    /// Encodes `item`, whose DynamoDB size is `size` bytes.
    pub(crate) fn encode(item: &Item, size: usize) -> Stored {
        // Sized exactly, so that the boxed slice needs no reallocation.
        let mut out = Vec::with_capacity(map_len(item));
        put_map(&mut out, item);
        Stored {
            bytes: out.into_boxed_slice(),
            size: size as u32,
        }
    }

    /// The item's DynamoDB size in bytes.
    pub(crate) fn size(&self) -> usize {
        self.size as usize
    }

    /// The item.
    pub(crate) fn decode(&self) -> Item {
        self.reader().map()
    }

    /// One top-level attribute, decoded; the others are skipped, not
    /// decoded (for the TTL sweep, which reads one attribute of every item).
    pub(crate) fn attribute(&self, name: &str) -> Option<AttributeValue> {
        let mut r = self.reader();
        let n = r.len().min(r.remaining());
        for _ in 0..n {
            if r.raw() == name.as_bytes() {
                return Some(r.value());
            }
            r.skip_value();
        }
        None
    }

    /// A reader at the start of the encoding (a map: [`Reader::len`]
    /// entries of a [`Reader::raw`] name and a value), for code that renders
    /// the item without decoding it.
    pub(crate) fn reader(&self) -> Reader<'_> {
        Reader {
            bytes: &self.bytes,
            pos: 0,
        }
    }
}

/// A stored item read attribute by attribute ([`crate::ItemSource`]): where
/// each attribute's name and value start is found once, and a value is
/// decoded only when taken, with no attribute map built.
pub(crate) struct StoredFields<'a> {
    bytes: &'a [u8],
    /// Per attribute, in one allocation: its name's [`prefix`] (names of up
    /// to 8 bytes compare by it alone), its name's bytes (start, length),
    /// and where its value starts, with `TAKEN` set once taken (an item's
    /// bytes are far fewer than 2^31).
    entries: Vec<(u64, u32, u32, u32)>,
}

/// A name's first 8 bytes (zero-padded) as a number.
fn prefix(name: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let n = name.len().min(8);
    word[..n].copy_from_slice(&name[..n]);
    u64::from_le_bytes(word)
}

const TAKEN: u32 = 1 << 31;

impl<'a> StoredFields<'a> {
    /// The attributes of `stored`.
    pub(crate) fn new(stored: &'a Stored) -> StoredFields<'a> {
        let mut r = stored.reader();
        let n = r.len().min(r.remaining());
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let name_len = r.len();
            let name_start = r.pos.min(r.bytes.len());
            r.pos = name_start.saturating_add(name_len);
            if r.pos > r.bytes.len() {
                break;
            }
            let name = prefix(&r.bytes[name_start..r.pos]);
            entries.push((name, name_start as u32, name_len as u32, r.pos as u32));
            r.skip_value();
        }
        StoredFields {
            bytes: &stored.bytes,
            entries,
        }
    }

    fn find(&self, name: &str) -> Option<usize> {
        let (len, want) = (name.len() as u32, prefix(name.as_bytes()));
        let short = name.len() <= 8;
        self.entries.iter().position(|&(p, start, n, _)| {
            p == want
                && n == len
                && (short || self.bytes.get(start as usize..(start + n) as usize) == Some(name.as_bytes()))
        })
    }

    fn value_at(&self, entry: usize) -> AttributeValue {
        Reader {
            bytes: self.bytes,
            pos: (self.entries[entry].3 & !TAKEN) as usize,
        }
        .value()
    }
}

impl crate::ItemSource for StoredFields<'_> {
    fn take(&mut self, name: &str) -> Option<AttributeValue> {
        let i = self.find(name)?;
        if self.entries[i].3 & TAKEN != 0 {
            return None;
        }
        let value = self.value_at(i);
        self.entries[i].3 |= TAKEN;
        Some(value)
    }

    fn peek(&self, name: &str) -> Option<AttributeValue> {
        self.find(name).map(|i| self.value_at(i))
    }

    fn contains(&self, name: &str) -> bool {
        self.find(name).is_some_and(|i| self.entries[i].3 & TAKEN == 0)
    }

    fn take_rest(&mut self) -> Item {
        let mut item = Item::with_capacity(self.entries.len());
        for i in 0..self.entries.len() {
            let (_, start, n, value) = self.entries[i];
            if value & TAKEN != 0 {
                continue;
            }
            let name = self.bytes.get(start as usize..(start + n) as usize).unwrap_or_default();
            item.insert(String::from_utf8_lossy(name).into_owned(), self.value_at(i));
            self.entries[i].3 |= TAKEN;
        }
        item
    }
}

/// Reads what `Stored::encode` wrote (and so never fails on it; on bytes it
/// did not write, it stops early rather than panic).
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// A bound on how many more entries there can be (for lengths read from
    /// bytes that may not be ours).
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// The next byte: a value's type tag.
    pub(crate) fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(NULL);
        self.pos += 1;
        b
    }

    /// A length: of a map, a set, a list, or the bytes that follow.
    pub(crate) fn len(&mut self) -> usize {
        let mut n = 0usize;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 || shift > 56 {
                return n;
            }
            shift += 7;
        }
    }

    /// A length-prefixed run of bytes (a string's UTF-8, a binary value).
    pub(crate) fn raw(&mut self) -> &[u8] {
        let n = self.len();
        let start = self.pos.min(self.bytes.len());
        let end = (start + n).min(self.bytes.len());
        self.pos = start + n;
        &self.bytes[start..end]
    }

    /// A string `encode` wrote (a name, an `S` or `N` value, a set member).
    fn string(&mut self) -> String {
        let n = self.len();
        let start = self.pos.min(self.bytes.len());
        self.pos = start.saturating_add(n);
        let Some(raw) = start.checked_add(n).and_then(|end| self.bytes.get(start..end)) else {
            // Bytes that end early (never a `Stored`'s): whatever is left.
            return String::from_utf8_lossy(&self.bytes[start..]).into_owned();
        };
        debug_assert!(std::str::from_utf8(raw).is_ok(), "a string the store wrote");
        // SAFETY: a `Reader` reads only the bytes of a `Stored`, which only
        // `Stored::encode` writes, each string as its length and then its
        // bytes, copied from a `&str`. The reader calls `string` exactly
        // where `put_map`/`put_value` wrote one (the tags and lengths it
        // reads are the ones they wrote), and `raw` is the whole run of
        // bytes (a run cut short is read above, lossily). So `raw` is the
        // UTF-8 of a `&str`; checking it again cost about 8% of a `GetItem`.
        unsafe { String::from_utf8_unchecked(raw.to_vec()) }
    }

    /// Moves past one value without decoding it.
    fn skip_value(&mut self) {
        match self.byte() {
            S | N | B => {
                self.raw();
            }
            SS | NS | BS => {
                let n = self.len().min(self.remaining());
                for _ in 0..n {
                    self.raw();
                }
            }
            L => {
                let n = self.len().min(self.remaining());
                for _ in 0..n {
                    self.skip_value();
                }
            }
            M => {
                let n = self.len().min(self.remaining());
                for _ in 0..n {
                    self.raw();
                    self.skip_value();
                }
            }
            _ => {}
        }
    }

    pub(crate) fn value(&mut self) -> AttributeValue {
        match self.byte() {
            S => AttributeValue::S(self.string()),
            N => AttributeValue::N(self.string()),
            B => AttributeValue::B(Blob::new(self.raw().to_vec())),
            tag @ (SS | NS) => {
                let n = self.len();
                let set = (0..n.min(self.bytes.len())).map(|_| self.string()).collect();
                if tag == SS {
                    AttributeValue::Ss(set)
                } else {
                    AttributeValue::Ns(set)
                }
            }
            BS => {
                let n = self.len();
                AttributeValue::Bs(
                    (0..n.min(self.bytes.len()))
                        .map(|_| Blob::new(self.raw().to_vec()))
                        .collect(),
                )
            }
            FALSE => AttributeValue::Bool(false),
            TRUE => AttributeValue::Bool(true),
            L => {
                let n = self.len();
                AttributeValue::L((0..n.min(self.bytes.len())).map(|_| self.value()).collect())
            }
            M => AttributeValue::M(self.map()),
            _ => AttributeValue::Null(true),
        }
    }

    fn map(&mut self) -> Item {
        let n = self.len().min(self.bytes.len());
        let mut item = Item::with_capacity(n);
        for _ in 0..n {
            let k = self.string();
            let v = self.value();
            item.insert(k, v);
        }
        item
    }
}

// ---------------------------------------------------------------------------
// As DynamoDB's JSON

/// Whether any of the 8 bytes of `w` must be escaped in a JSON string: a
/// control character (below 0x20), `"` or `\`.
fn word_needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    (below_space | zero(quote) | zero(backslash)) & HIGH != 0
}

/// How many bytes at the start of `s` JSON prints as they are: the bytes
/// before the first that [`write_json_str`] escapes. Sixteen bytes are
/// checked at a time, so a plain run costs about one instruction a byte.
fn plain_prefix(s: &[u8]) -> usize {
    let mut i = 0;
    let mut chunks = s.chunks_exact(16);
    for chunk in &mut chunks {
        let (a, b) = chunk.split_at(8);
        let word = |half: &[u8]| u64::from_le_bytes(half.try_into().unwrap_or_default());
        if word_needs_escape(word(a)) || word_needs_escape(word(b)) {
            break;
        }
        i += 16;
    }
    i + s[i..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .unwrap_or(s.len() - i)
}

/// Writes UTF-8 bytes as a JSON string, escaping what JSON requires (as
/// serde_json does). Runs of plain bytes are copied whole.
pub(crate) fn write_json_str(out: &mut Vec<u8>, s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s;
    loop {
        let plain = plain_prefix(rest);
        out.extend_from_slice(&rest[..plain]);
        let Some((&b, tail)) = rest[plain..].split_first() else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        rest = tail;
    }
    out.push(b'"');
}

impl Stored {
    /// Writes the item as DynamoDB's JSON (`{"pk":{"S":"a"},...}`), straight
    /// from its encoding, without decoding it first.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        write_encoded_map(out, &mut self.reader());
    }
}

fn write_encoded_map(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    let n = r.len().min(r.remaining());
    out.push(b'{');
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        write_json_str(out, r.raw());
        out.push(b':');
        write_encoded_value(out, r);
    }
    out.push(b'}');
}

fn write_encoded_list(out: &mut Vec<u8>, r: &mut Reader<'_>, element: fn(&mut Vec<u8>, &mut Reader<'_>)) {
    let n = r.len().min(r.remaining());
    out.push(b'[');
    for i in 0..n {
        if i > 0 {
            out.push(b',');
        }
        element(out, r);
    }
    out.push(b']');
}

fn write_encoded_str(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    write_json_str(out, r.raw());
}

fn write_encoded_blob(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    write_json_str(out, BASE64.encode(r.raw()).as_bytes());
}

fn write_encoded_value(out: &mut Vec<u8>, r: &mut Reader<'_>) {
    match r.byte() {
        tag::S => {
            out.extend_from_slice(AttrType::S.json_open());
            write_encoded_str(out, r);
        }
        tag::N => {
            out.extend_from_slice(AttrType::N.json_open());
            write_encoded_str(out, r);
        }
        tag::B => {
            out.extend_from_slice(AttrType::B.json_open());
            write_encoded_blob(out, r);
        }
        tag::SS => {
            out.extend_from_slice(AttrType::Ss.json_open());
            write_encoded_list(out, r, write_encoded_str);
        }
        tag::NS => {
            out.extend_from_slice(AttrType::Ns.json_open());
            write_encoded_list(out, r, write_encoded_str);
        }
        tag::BS => {
            out.extend_from_slice(AttrType::Bs.json_open());
            write_encoded_list(out, r, write_encoded_blob);
        }
        tag::FALSE => {
            out.extend_from_slice(AttrType::Bool.json_open());
            out.extend_from_slice(b"false");
        }
        tag::TRUE => {
            out.extend_from_slice(AttrType::Bool.json_open());
            out.extend_from_slice(b"true");
        }
        tag::L => {
            out.extend_from_slice(AttrType::L.json_open());
            write_encoded_list(out, r, write_encoded_value);
        }
        tag::M => {
            out.extend_from_slice(AttrType::M.json_open());
            write_encoded_map(out, r);
        }
        _ => {
            out.extend_from_slice(AttrType::Null.json_open());
            out.extend_from_slice(b"true");
        }
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ItemSource;

    fn sample() -> Item {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::S("ann".into()));
        item.insert("attr0".into(), AttributeValue::S("zero".into()));
        item.insert("attr1".into(), AttributeValue::N("1".into()));
        // Two names sharing their first 8 bytes: told apart by the rest.
        item.insert("long_name_a".into(), AttributeValue::Bool(true));
        item.insert("long_name_b".into(), AttributeValue::Bool(false));
        item.insert("nested".into(), AttributeValue::L(vec![AttributeValue::Null(true)]));
        item
    }

    #[test]
    fn stored_fields_take_each_attribute_once_and_leave_the_rest() {
        let item = sample();
        let stored = Stored::encode(&item, 1);
        let mut fields = StoredFields::new(&stored);
        assert_eq!(fields.take("attr1"), Some(AttributeValue::N("1".into())));
        assert_eq!(fields.take("attr1"), None, "taken already");
        assert!(!fields.contains("attr1"));
        assert_eq!(
            fields.peek("attr1"),
            Some(AttributeValue::N("1".into())),
            "still readable"
        );
        assert_eq!(fields.take("long_name_b"), Some(AttributeValue::Bool(false)));
        assert_eq!(fields.take("long_name_c"), None);
        assert_eq!(fields.take("attr"), None);
        assert_eq!(fields.take("attr00"), None);
        assert!(fields.contains("long_name_a"));
        let mut rest = item.clone();
        rest.remove("attr1");
        rest.remove("long_name_b");
        assert_eq!(fields.take_rest(), rest);
        assert_eq!(fields.take_rest(), Item::new());
        assert_eq!(fields.take("id"), None);
    }

    #[test]
    fn stored_fields_of_an_empty_item_have_nothing() {
        let stored = Stored::encode(&Item::new(), 0);
        let mut fields = StoredFields::new(&stored);
        assert_eq!(fields.take(""), None);
        assert_eq!(fields.take_rest(), Item::new());
    }

    #[test]
    fn a_record_reads_the_same_from_stored_fields_as_from_its_item() {
        #[allow(unreachable_pub, dead_code)]
        mod declared {
            crate::dynamo_table! {
                probe: Probe { hash id: String, attr0: String, attr1: u32, missing: Option<String> }
            }
        }
        use declared::Probe;
        let item = sample();
        let stored = Stored::encode(&item, 1);
        let from_item = <Probe as crate::Document>::from_item(item).unwrap();
        let from_stored = <Probe as crate::Document>::from_source(&mut StoredFields::new(&stored)).unwrap();
        assert_eq!(from_stored, from_item);
        assert_eq!(
            from_stored,
            Probe {
                id: "ann".into(),
                attr0: "zero".into(),
                attr1: 1,
                missing: None
            }
        );
    }

    #[test]
    fn every_type_round_trips() {
        let mut inner = Item::new();
        inner.insert(
            "deep".into(),
            AttributeValue::L(vec![AttributeValue::N("1".into()), AttributeValue::Null(true)]),
        );
        let mut item = Item::new();
        item.insert("s".into(), AttributeValue::S("héllo".into()));
        item.insert("empty".into(), AttributeValue::S(String::new()));
        item.insert("n".into(), AttributeValue::N("-1.5".into()));
        item.insert("b".into(), AttributeValue::B(Blob::new(vec![0, 255, 1])));
        item.insert("ss".into(), AttributeValue::Ss(vec!["a".into(), "b".into()]));
        item.insert("ns".into(), AttributeValue::Ns(vec!["1".into(), "2".into()]));
        item.insert(
            "bs".into(),
            AttributeValue::Bs(vec![Blob::new(vec![1]), Blob::new(vec![])]),
        );
        item.insert("t".into(), AttributeValue::Bool(true));
        item.insert("f".into(), AttributeValue::Bool(false));
        item.insert("null".into(), AttributeValue::Null(true));
        item.insert("m".into(), AttributeValue::M(inner));
        item.insert("long".into(), AttributeValue::S("x".repeat(100_000)));
        let stored = Stored::encode(&item, 1234);
        assert_eq!(stored.bytes.len(), map_len(&item));
        assert_eq!(stored.decode(), item);
        // Each attribute alone, past however many others the encoding puts first.
        for (name, value) in &item {
            assert_eq!(stored.attribute(name).as_ref(), Some(value), "{name}");
        }
        assert_eq!(stored.attribute("missing"), None);
        assert_eq!(stored.size(), 1234);
        assert!(stored.bytes.len() < 100_200);
    }

    #[test]
    fn truncated_bytes_do_not_panic() {
        let mut item = Item::new();
        item.insert("a".into(), AttributeValue::L(vec![AttributeValue::S("xyz".into()); 3]));
        let full = Stored::encode(&item, 1);
        for cut in 0..full.bytes.len() {
            let s = Stored {
                bytes: full.bytes[..cut].to_vec().into_boxed_slice(),
                size: 1,
            };
            let _ = s.decode();
            let _ = s.attribute("b");
            let mut fields = StoredFields::new(&s);
            let _ = fields.peek("a");
            let _ = fields.take("a");
            let _ = fields.take_rest();
        }
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '/', '\u{7f}', 'é', '€', '😀', 'a'])
            .collect();
        for &c in &specials {
            // Every position in and around two 16-byte chunks, and tails.
            for before in 0..34 {
                for after in [0, 1, 7, 8, 9, 15, 16, 17] {
                    let s = format!("{}{c}{}", "x".repeat(before), "y".repeat(after));
                    let mut out = Vec::new();
                    write_json_str(&mut out, s.as_bytes());
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        serde_json::to_string(&s).unwrap(),
                        "{s:?}"
                    );
                }
            }
        }
        let mixed = "a\"b\\c\nd\u{1}e\tfghijklmnop\"\"".repeat(3);
        let mut out = Vec::new();
        write_json_str(&mut out, mixed.as_bytes());
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&mixed).unwrap());
    }

    #[test]
    fn a_stored_item_is_written_as_dynamodb_json_without_decoding() {
        use aws_sdk_dynamodb::primitives::Blob;
        let m = |k: &str, v: AttributeValue| Item::from([(k.to_string(), v)]);
        let cases = [
            (AttributeValue::S("a\"b\n".into()), r#"{"a":{"S":"a\"b\n"}}"#),
            (AttributeValue::N("-1.5".into()), r#"{"a":{"N":"-1.5"}}"#),
            (AttributeValue::B(Blob::new(vec![0, 255])), r#"{"a":{"B":"AP8="}}"#),
            (
                AttributeValue::Ss(vec!["x".into(), "y".into()]),
                r#"{"a":{"SS":["x","y"]}}"#,
            ),
            (AttributeValue::Ns(vec!["1".into()]), r#"{"a":{"NS":["1"]}}"#),
            (
                AttributeValue::Bs(vec![Blob::new(b"a".to_vec())]),
                r#"{"a":{"BS":["YQ=="]}}"#,
            ),
            (AttributeValue::Bool(true), r#"{"a":{"BOOL":true}}"#),
            (AttributeValue::Bool(false), r#"{"a":{"BOOL":false}}"#),
            (AttributeValue::Null(true), r#"{"a":{"NULL":true}}"#),
            (
                AttributeValue::L(vec![AttributeValue::S("x".into()), AttributeValue::L(vec![])]),
                r#"{"a":{"L":[{"S":"x"},{"L":[]}]}}"#,
            ),
            (
                AttributeValue::M(m("k", AttributeValue::N("2".into()))),
                r#"{"a":{"M":{"k":{"N":"2"}}}}"#,
            ),
        ];
        for (value, want) in cases {
            let mut out = Vec::new();
            Stored::encode(&m("a", value.clone()), 0).write_json(&mut out);
            assert_eq!(String::from_utf8(out).expect("UTF-8"), want, "{value:?}");
        }
        let mut out = Vec::new();
        Stored::encode(&Item::new(), 0).write_json(&mut out);
        assert_eq!(out, b"{}");
    }
}
