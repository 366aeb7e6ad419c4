//! The PartiQL lexer: statement text to tokens. Keywords are read
//! case-insensitively by the parser; identifiers keep their case.

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A bare word: a keyword, a function or an attribute name.
    Word(String),
    /// A double-quoted identifier (`""` inside stands for `"`).
    Quoted(String),
    /// A single-quoted string (`''` inside stands for `'`).
    Str(String),
    /// A number, as written.
    Num(String),
    /// `?`.
    Param,
    /// Punctuation and operators: `( ) [ ] { } , . : * = <> != < <= > >= << >> + -`.
    Sym(&'static str),
}

/// Why a statement cannot be read: its text is not well formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed;

const SYMBOLS: [&str; 20] = [
    "<<", ">>", "<>", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "*", "=", "<", ">", "+",
];

/// Where a token is: line and column (from 1) and length, in characters,
/// as DynamoDB names a place in a statement (`at 1:23:1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
    /// Length in characters.
    pub len: usize,
}

/// The tokens of `text`, each with its place.
pub(crate) fn lex_with_positions(text: &str) -> Result<Vec<(Token, Pos)>, Malformed> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = lex_chars(&chars)?;
    // Lines and columns of each token's first character.
    let mut line_starts = vec![0];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            line_starts.push(i + 1);
        }
    }
    Ok(tokens
        .drain(..)
        .map(|(t, start, end)| {
            let line = line_starts.partition_point(|&s| s <= start);
            let line_start = line_starts.get(line.saturating_sub(1)).copied().unwrap_or(0);
            let pos = Pos {
                line,
                col: start - line_start + 1,
                len: end - start,
            };
            (t, pos)
        })
        .collect())
}

/// The tokens of `chars`, each with its start and end index.
fn lex_chars(chars: &[char]) -> Result<Vec<(Token, usize, usize)>, Malformed> {
    let mut out: Vec<(Token, usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            // A line comment.
            while chars.get(i).is_some_and(|&c| c != '\n') {
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            let (s, next) = quoted(chars, i, c)?;
            i = next;
            out.push((if c == '\'' { Token::Str(s) } else { Token::Quoted(s) }, start, i));
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            while chars.get(i).is_some_and(|c| c.is_ascii_digit() || *c == '.') {
                i += 1;
            }
            if chars.get(i).is_some_and(|c| *c == 'e' || *c == 'E') {
                i += 1;
                if chars.get(i).is_some_and(|c| *c == '+' || *c == '-') {
                    i += 1;
                }
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    return Err(Malformed);
                }
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
            }
            out.push((Token::Num(chars[start..i].iter().collect()), start, i));
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            {
                i += 1;
            }
            out.push((Token::Word(chars[start..i].iter().collect()), start, i));
        } else if c == '?' {
            i += 1;
            out.push((Token::Param, start, i));
        } else if c == '-' {
            i += 1;
            out.push((Token::Sym("-"), start, i));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let sym = SYMBOLS.iter().find(|s| rest.starts_with(**s)).ok_or(Malformed)?;
            i += sym.chars().count();
            out.push((Token::Sym(sym), start, i));
        }
    }
    Ok(out)
}

/// A quoted string or identifier starting at `start`; the doubled quote
/// stands for itself. Returns the text and the index after the closing quote.
fn quoted(chars: &[char], start: usize, q: char) -> Result<(String, usize), Malformed> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(Malformed),
            Some(&c) if c == q => {
                if chars.get(i + 1) == Some(&q) {
                    s.push(q);
                    i += 2;
                } else {
                    return Ok((s, i + 1));
                }
            }
            Some(&c) => {
                s.push(c);
                i += 1;
            }
        }
    }
}
