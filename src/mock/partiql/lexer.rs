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

/// The tokens of `text`.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, Malformed> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            // A line comment.
            while chars.get(i).is_some_and(|&c| c != '\n') {
                i += 1;
            }
        } else if c == '\'' || c == '"' {
            let (s, next) = quoted(&chars, i, c)?;
            out.push(if c == '\'' { Token::Str(s) } else { Token::Quoted(s) });
            i = next;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
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
            out.push(Token::Num(chars[start..i].iter().collect()));
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else if c == '?' {
            out.push(Token::Param);
            i += 1;
        } else if c == '-' {
            out.push(Token::Sym("-"));
            i += 1;
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let sym = SYMBOLS.iter().find(|s| rest.starts_with(**s)).ok_or(Malformed)?;
            out.push(Token::Sym(sym));
            i += sym.chars().count();
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
