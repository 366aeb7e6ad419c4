//! The lexer: expression text to tokens, in one pass.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum T {
    /// `[A-Za-z_][A-Za-z0-9_]*`: a name, keyword or function name.
    Word,
    /// `#[A-Za-z0-9_]+`.
    Name,
    /// `:[A-Za-z0-9_]+`.
    Value,
    /// `[0-9]+`.
    Number,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    Comma,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    /// Any other character (including a lone `#` or `:`): always a syntax
    /// error, reported with the character as the token.
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) kind: T,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

pub(super) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn lex(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i];
        i += 1;
        let kind = match c {
            c if is_space(c) => continue,
            b'#' | b':' => {
                while i < b.len() && is_name_byte(b[i]) {
                    i += 1;
                }
                match (i - start, c) {
                    (1, _) => T::Other,
                    (_, b'#') => T::Name,
                    _ => T::Value,
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while i < b.len() && is_name_byte(b[i]) {
                    i += 1;
                }
                T::Word
            }
            b'0'..=b'9' => {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                T::Number
            }
            b'(' => T::LParen,
            b')' => T::RParen,
            b'[' => T::LBracket,
            b']' => T::RBracket,
            b'.' => T::Dot,
            b',' => T::Comma,
            b'=' => T::Eq,
            b'+' => T::Plus,
            b'-' => T::Minus,
            b'<' => match b.get(i) {
                Some(b'>') => {
                    i += 1;
                    T::Ne
                }
                Some(b'=') => {
                    i += 1;
                    T::Le
                }
                _ => T::Lt,
            },
            b'>' => match b.get(i) {
                Some(b'=') => {
                    i += 1;
                    T::Ge
                }
                _ => T::Gt,
            },
            _ => {
                // One whole character, however many bytes it takes.
                i = start + src[start..].chars().next().map_or(1, char::len_utf8);
                T::Other
            }
        };
        toks.push(Tok { kind, start, end: i });
    }
    toks
}
