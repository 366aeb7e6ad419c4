//! The expression parser: ConditionExpression, FilterExpression,
//! KeyConditionExpression, UpdateExpression and ProjectionExpression text to
//! the AST of [`super::ast`].
//!
//! One [`ExprContext`] serves all the expressions of one request: it resolves
//! `#name` and `:value` placeholders while parsing (so the AST holds attribute
//! names and cloned values) and records which placeholders were used, so that
//! [`ExprContext::finish`] can reject unused ones as DynamoDB does.
//!
//! Errors are [`Error::Validation`] with DynamoDB's wording. A hand-written
//! lexer and recursive-descent parser read the text once; semantic checks
//! (reserved words, undefined placeholders, function rules, overlapping update
//! paths, ...) are collected per category and the one DynamoDB reports first is
//! returned, following the precedence DynamoDB (and dynalite, which mirrors it)
//! uses.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{CompareOp, Condition, Operand, Path, PathElement, SetOperand, SetValue, Update, UpdateAction};
use super::number;
use super::reserved::is_reserved;
use super::values::base64;
use crate::Error;

/// Longest expression DynamoDB accepts, in bytes of the raw text.
pub const MAX_EXPRESSION_BYTES: usize = 4096;
/// Most operators (comparators, `BETWEEN`, `IN`, `AND`, `OR`, `NOT`) a
/// condition may contain.
pub const MAX_OPERATORS: usize = 300;
/// Most candidates of an `IN` list.
pub const MAX_IN_OPERANDS: usize = 100;
/// Most elements of a document path: items nest at most 32 levels, so a longer
/// path can never resolve.
pub const MAX_PATH_DEPTH: usize = 32;
/// Largest list index a document path may name (`l[2147483647]`; DynamoDB
/// indexes lists with 32-bit signed integers).
pub const MAX_LIST_INDEX: usize = i32::MAX as usize;
/// Deepest nesting of parentheses (groups and function calls) accepted. A
/// guard for the parser's stack (about 2 KB a level in debug builds), checked
/// before parsing. DynamoDB has no such limit of its own, but its 300-operator
/// and 4 KB limits keep realistic expressions far below this.
pub const MAX_NESTING: usize = 128;

/// Which expression parameter is being parsed; names the parameter in error
/// messages (`Invalid ConditionExpression: ...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// `ConditionExpression`.
    Condition,
    /// `FilterExpression`.
    Filter,
    /// `KeyConditionExpression`.
    KeyCondition,
    /// `UpdateExpression`.
    Update,
    /// `ProjectionExpression`.
    Projection,
}

impl ExprKind {
    /// The request parameter's name, e.g. `"ConditionExpression"`.
    pub fn parameter(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Update => "UpdateExpression",
            ExprKind::Projection => "ProjectionExpression",
        }
    }
}

fn invalid(kind: ExprKind, msg: impl std::fmt::Display) -> Error {
    Error::Validation(format!("Invalid {}: {msg}", kind.parameter()).into())
}

/// Parses the expressions of one request against its
/// `ExpressionAttributeNames` and `ExpressionAttributeValues`, tracking which
/// placeholders the expressions use.
///
/// Typical use: [`check_maps`](Self::check_maps) first (DynamoDB validates the
/// maps before the expressions), then one call per expression parameter, then
/// [`finish`](Self::finish), which rejects unused placeholders.
#[derive(Debug)]
pub struct ExprContext<'a> {
    names: Option<&'a HashMap<String, String>>,
    values: Option<&'a HashMap<String, AttributeValue>>,
    used_names: HashSet<&'a str>,
    used_values: HashSet<&'a str>,
}

impl<'a> ExprContext<'a> {
    /// A context for one request's `ExpressionAttributeNames` and
    /// `ExpressionAttributeValues` (either may be absent).
    pub fn new(
        names: Option<&'a HashMap<String, String>>,
        values: Option<&'a HashMap<String, AttributeValue>>,
    ) -> Self {
        ExprContext {
            names,
            values,
            used_names: HashSet::new(),
            used_values: HashSet::new(),
        }
    }

    /// Checks the maps themselves as DynamoDB does before parsing any
    /// expression: a supplied map must not be empty
    /// (`ExpressionAttributeNames must not be empty`) and its keys must be
    /// `#` or `:` followed by letters, digits and underscores
    /// (`ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`).
    ///
    /// [`finish`](Self::finish) runs this check too, but callers should run it
    /// before parsing so that its errors take precedence, as on DynamoDB.
    pub fn check_maps(&self) -> Result<(), Error> {
        fn bad_key<'k>(keys: impl Iterator<Item = &'k String>, sigil: u8) -> Option<&'k String> {
            keys.filter(|k| {
                let b = k.as_bytes();
                b.len() < 2 || b[0] != sigil || !b[1..].iter().all(|&c| is_name_byte(c))
            })
            .min()
        }
        if let Some(names) = self.names {
            if names.is_empty() {
                return Err(Error::Validation("ExpressionAttributeNames must not be empty".into()));
            }
            if let Some(key) = bad_key(names.keys(), b'#') {
                return Err(Error::Validation(
                    format!("ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\"").into(),
                ));
            }
        }
        if let Some(values) = self.values {
            if values.is_empty() {
                return Err(Error::Validation("ExpressionAttributeValues must not be empty".into()));
            }
            if let Some(key) = bad_key(values.keys(), b':') {
                return Err(Error::Validation(
                    format!("ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\"").into(),
                ));
            }
        }
        Ok(())
    }

    /// Parses a condition: a ConditionExpression, FilterExpression or
    /// KeyConditionExpression (`kind` only names the parameter in messages; the
    /// key-specific structure of a KeyConditionExpression is the caller's to
    /// check).
    pub fn condition(&mut self, kind: ExprKind, expr: &str) -> Result<Condition, Error> {
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Condition);
        let node = p.condition_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        if p.ops > MAX_OPERATORS {
            return Err(invalid(
                kind,
                format!("The expression contains too many operators; operator count: {}", p.ops),
            ));
        }
        let cond = p.build_condition(*node).map(|c| *c);
        let e = p.errs;
        let first = e
            .index_range
            .or(e.path_depth)
            .or(e.parens)
            .or(e.unknown_fn)
            .or(e.misused)
            .or(e.reserved)
            .or(e.condition);
        match (first, cond) {
            (None, Some(cond)) => Ok(cond),
            (Some(msg), _) => Err(invalid(kind, msg)),
            // Every failed conversion records an error; this is a safety net.
            (None, None) => Err(invalid(kind, "Syntax error; token: \"<EOF>\", near: \"\"")),
        }
    }

    /// Parses an UpdateExpression.
    pub fn update(&mut self, expr: &str) -> Result<Update, Error> {
        let kind = ExprKind::Update;
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Update);
        let raw = p.update_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        let actions = p.build_update(raw);
        let e = p.errs;
        let first = e
            .index_range
            .or(e.path_depth)
            .or(e.reserved)
            .or(e.unknown_fn)
            .or(e.section)
            .or(e.attr_name)
            .or(e.attr_value)
            .or(e.overlap)
            .or(e.conflict)
            .or(e.operand)
            .or(e.function);
        match first {
            None => Ok(Update { actions }),
            Some(msg) => Err(invalid(kind, msg)),
        }
    }

    /// Parses a ProjectionExpression: its document paths, in the order written.
    pub fn projection(&mut self, expr: &str) -> Result<Vec<Path>, Error> {
        let kind = ExprKind::Projection;
        let toks = prepare(kind, expr)?;
        let mut p = Parser::new(self, expr, toks, Grammar::Projection);
        let raw = p.projection_top().map_err(|f| invalid(kind, p.syntax_message(f)))?;
        let paths: Vec<Path> = raw.into_iter().map(|r| p.resolve_path(r)).collect();
        check_overlaps(&paths.iter().collect::<Vec<_>>(), &mut p.errs);
        let e = p.errs;
        match e
            .index_range
            .or(e.path_depth)
            .or(e.reserved)
            .or(e.attr_name)
            .or(e.overlap)
            .or(e.conflict)
        {
            None => Ok(paths),
            Some(msg) => Err(invalid(kind, msg)),
        }
    }

    /// Ends the request's expression parsing: checks the maps (see
    /// [`check_maps`](Self::check_maps)), then rejects placeholders that no
    /// expression used (`Value provided in ExpressionAttributeNames unused in
    /// expressions: keys: {#n}`, names before values, keys sorted).
    pub fn finish(self) -> Result<(), Error> {
        self.check_maps()?;
        if let Some(names) = self.names {
            let mut unused: Vec<&str> = names
                .keys()
                .map(String::as_str)
                .filter(|k| !self.used_names.contains(k))
                .collect();
            if !unused.is_empty() {
                unused.sort_unstable();
                return Err(Error::Validation(
                    format!(
                        "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                        unused.join(", ")
                    )
                    .into(),
                ));
            }
        }
        if let Some(values) = self.values {
            let mut unused: Vec<&str> = values
                .keys()
                .map(String::as_str)
                .filter(|k| !self.used_values.contains(k))
                .collect();
            if !unused.is_empty() {
                unused.sort_unstable();
                return Err(Error::Validation(
                    format!(
                        "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                        unused.join(", ")
                    )
                    .into(),
                ));
            }
        }
        Ok(())
    }

    fn resolve_name(&mut self, key: &str) -> Option<&'a str> {
        let (k, v) = self.names?.get_key_value(key)?;
        self.used_names.insert(k.as_str());
        Some(v.as_str())
    }

    fn resolve_value(&mut self, key: &str) -> Option<&'a AttributeValue> {
        let (k, v) = self.values?.get_key_value(key)?;
        self.used_values.insert(k.as_str());
        Some(v)
    }
}

/// The checks every expression gets before it is parsed: not empty, not too
/// long. Returns the tokens.
fn prepare(kind: ExprKind, expr: &str) -> Result<Vec<Tok>, Error> {
    if expr.bytes().all(is_space) {
        return Err(invalid(kind, "The expression can not be empty;"));
    }
    if expr.len() > MAX_EXPRESSION_BYTES {
        return Err(invalid(
            kind,
            format!(
                "Expression size has exceeded the maximum allowed size; expression size: {}",
                expr.len()
            ),
        ));
    }
    let toks = lex(expr);
    // Every level of recursion in the parser opens a parenthesis, so bounding
    // their nesting here bounds the parser's stack.
    let mut depth = 0usize;
    for t in &toks {
        match t.kind {
            T::LParen => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(invalid(
                        kind,
                        format!("The expression has too many nested levels; maximum nested levels: {MAX_NESTING}"),
                    ));
                }
            }
            T::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(toks)
}

// ---------------------------------------------------------------------------
// Lexer

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum T {
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
struct Tok {
    kind: T,
    start: usize,
    end: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn lex(src: &str) -> Vec<Tok> {
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

// ---------------------------------------------------------------------------
// Parser

#[derive(Clone, Copy, PartialEq, Eq)]
enum Grammar {
    Condition,
    Update,
    Projection,
}

/// A syntax error, at this token index (`toks.len()` for the end of input).
type PResult<T> = Result<T, usize>;

/// The first error of each category, in the order found. Each entry point
/// reports the first non-empty category in its own precedence order.
#[derive(Default)]
struct Errs {
    /// A list index above [`MAX_LIST_INDEX`]: first of all, after syntax.
    index_range: Option<String>,
    path_depth: Option<String>,
    parens: Option<String>,
    reserved: Option<String>,
    unknown_fn: Option<String>,
    misused: Option<String>,
    section: Option<String>,
    attr_name: Option<String>,
    attr_value: Option<String>,
    overlap: Option<String>,
    conflict: Option<String>,
    operand: Option<String>,
    function: Option<String>,
    /// Conditions: the error of the first atomic condition that has one.
    condition: Option<String>,
}

fn note(slot: &mut Option<String>, msg: impl FnOnce() -> String) {
    if slot.is_none() {
        *slot = Some(msg());
    }
}

/// The errors of one atomic condition (comparison, BETWEEN, IN or function),
/// reported in this order of precedence.
#[derive(Default)]
struct Local {
    attr: Option<String>,
    operand: Option<String>,
    distinct: Option<String>,
    function: Option<String>,
    /// Uses the AST cannot represent (e.g. `size(:v)`); reported last.
    unsupported: Option<String>,
}

impl Local {
    fn first(self) -> Option<String> {
        self.attr
            .or(self.operand)
            .or(self.distinct)
            .or(self.function)
            .or(self.unsupported)
    }
}

/// A document path as parsed, with the first placeholder that did not resolve.
struct RawPath {
    path: Path,
    undefined: Option<String>,
}

/// A `:value` as parsed.
enum RawValue {
    Known(AttributeValue),
    Undefined(String),
}

/// A node of the condition grammar. Operands and conditions share one
/// grammar (parentheses may wrap either); the parser checks which one each
/// position needs.
struct Node {
    e: E,
    /// The node is exactly a parenthesised group, `( ... )`.
    group: bool,
    /// Index of the token after the node.
    end: usize,
}

enum E {
    Path(RawPath),
    Value(RawValue),
    /// A function call; `name` is the token index of its name.
    Func {
        name: usize,
        args: Vec<Node>,
    },
    Compare(CompareOp, Box<Node>, Box<Node>),
    Between(Box<Node>, Box<Node>, Box<Node>),
    In(Box<Node>, Vec<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl E {
    fn is_condition(&self) -> bool {
        matches!(
            self,
            E::Compare(..) | E::Between(..) | E::In(..) | E::And(..) | E::Or(..) | E::Not(..)
        )
    }
}

/// An operand of an update expression's `SET` value, as parsed.
enum RawSetOperand {
    Path(RawPath),
    Value(RawValue),
    Func { name: usize, args: Vec<RawSetOperand> },
}

enum RawSetValue {
    Operand(RawSetOperand),
    Plus(RawSetOperand, RawSetOperand),
    Minus(RawSetOperand, RawSetOperand),
}

enum RawAction {
    Set(RawPath, RawSetValue),
    Remove(RawPath),
    Add(RawPath, RawValue),
    Delete(RawPath, RawValue),
}

struct Parser<'p, 'a> {
    ctx: &'p mut ExprContext<'a>,
    src: &'p str,
    toks: Vec<Tok>,
    pos: usize,
    grammar: Grammar,
    /// Operators seen (conditions only).
    ops: usize,
    errs: Errs,
}

const CONDITION_FUNCTIONS: [&str; 5] = [
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
];

impl<'p, 'a> Parser<'p, 'a> {
    fn new(ctx: &'p mut ExprContext<'a>, src: &'p str, toks: Vec<Tok>, grammar: Grammar) -> Self {
        Parser {
            ctx,
            src,
            toks,
            pos: 0,
            grammar,
            ops: 0,
            errs: Errs::default(),
        }
    }

    // -- token helpers ------------------------------------------------------

    fn kind(&self, i: usize) -> Option<T> {
        self.toks.get(i).map(|t| t.kind)
    }

    fn at(&self, kind: T) -> bool {
        self.kind(self.pos) == Some(kind)
    }

    fn text(&self, i: usize) -> &'p str {
        let src: &'p str = self.src;
        self.toks.get(i).map_or("", |t| &src[t.start..t.end])
    }

    fn is_kw(&self, i: usize, kw: &str) -> bool {
        self.kind(i) == Some(T::Word) && self.text(i).eq_ignore_ascii_case(kw)
    }

    /// Words the current grammar reserves for its own syntax.
    fn is_keyword(&self, i: usize) -> bool {
        if self.kind(i) != Some(T::Word) {
            return false;
        }
        let w = self.text(i);
        let kws: &[&str] = match self.grammar {
            Grammar::Condition => &["AND", "OR", "NOT", "BETWEEN", "IN"],
            Grammar::Update => &["SET", "REMOVE", "ADD", "DELETE"],
            Grammar::Projection => &[],
        };
        kws.iter().any(|k| w.eq_ignore_ascii_case(k))
    }

    fn expect(&mut self, kind: T) -> PResult<()> {
        if self.at(kind) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.pos)
        }
    }

    fn syntax_message(&self, i: usize) -> String {
        let (token, near) = match self.toks.get(i) {
            Some(t) => {
                let from = if i > 0 { self.toks[i - 1].start } else { t.start };
                let to = self.toks.get(i + 1).map_or(t.end, |n| n.end);
                (&self.src[t.start..t.end], &self.src[from..to])
            }
            None => ("<EOF>", self.toks.last().map_or("", |t| &self.src[t.start..t.end])),
        };
        format!("Syntax error; token: \"{token}\", near: \"{near}\"")
    }

    // -- paths and values ---------------------------------------------------

    /// One path element naming a map key or attribute: a name or `#name`.
    fn segment(&mut self, path: &mut RawPath) -> PResult<()> {
        let i = self.pos;
        let text = self.text(i);
        let element = match self.kind(i) {
            Some(T::Name) => match self.ctx.resolve_name(text) {
                Some(name) => name.to_owned(),
                None => {
                    path.undefined.get_or_insert_with(|| text.to_owned());
                    text.to_owned()
                }
            },
            Some(T::Word) if text.as_bytes()[0].is_ascii_alphabetic() && !self.is_keyword(i) => {
                if is_reserved(text) {
                    note(&mut self.errs.reserved, || {
                        format!("Attribute name is a reserved keyword; reserved keyword: {text}")
                    });
                }
                text.to_owned()
            }
            _ => return Err(i),
        };
        self.pos += 1;
        path.path.elements.push(PathElement::Attr(element));
        Ok(())
    }

    /// `.name` and `[n]` steps after a path's first element.
    fn path_tail(&mut self, path: &mut RawPath) -> PResult<()> {
        loop {
            match self.kind(self.pos) {
                Some(T::Dot) => {
                    self.pos += 1;
                    self.segment(path)?;
                }
                Some(T::LBracket) => {
                    self.pos += 1;
                    let i = self.pos;
                    if self.kind(i) != Some(T::Number) {
                        return Err(i);
                    }
                    let text = self.text(i);
                    let index = match text.parse::<usize>() {
                        Ok(n) if n <= MAX_LIST_INDEX => n,
                        // Any number of digits lexes as an index; one out of
                        // range is reported after syntax, before anything else.
                        _ => {
                            let shown = text.to_owned();
                            note(&mut self.errs.index_range, || {
                                format!("List index is not within the allowable range; index: [{shown}]")
                            });
                            0
                        }
                    };
                    self.pos += 1;
                    self.expect(T::RBracket)?;
                    path.path.elements.push(PathElement::Index(index));
                }
                _ => return Ok(()),
            }
        }
    }

    fn check_path_depth(&mut self, path: &RawPath) {
        let n = path.path.elements.len();
        if n > MAX_PATH_DEPTH {
            note(&mut self.errs.path_depth, || {
                format!("The document path has too many nesting levels; nesting levels: {n}")
            });
        }
    }

    /// A whole path (update and projection grammars: no parentheses).
    fn plain_path(&mut self) -> PResult<RawPath> {
        let mut path = RawPath {
            path: Path { elements: Vec::new() },
            undefined: None,
        };
        self.segment(&mut path)?;
        self.path_tail(&mut path)?;
        self.check_path_depth(&path);
        Ok(path)
    }

    /// The `:value` at the current position.
    fn value(&mut self) -> PResult<RawValue> {
        if !self.at(T::Value) {
            return Err(self.pos);
        }
        let key = self.text(self.pos);
        self.pos += 1;
        Ok(match self.ctx.resolve_value(key) {
            Some(v) => RawValue::Known(v.clone()),
            None => RawValue::Undefined(key.to_owned()),
        })
    }

    // -- condition grammar --------------------------------------------------
    //
    // Recursion only goes through parentheses (groups and calls), whose depth
    // `prepare` has bounded. The functions on that path pass boxed nodes so
    // that their stack frames stay small even in debug builds.

    fn condition_top(&mut self) -> PResult<Box<Node>> {
        let node = self.boolean()?;
        if self.pos < self.toks.len() {
            return Err(self.pos);
        }
        need_condition(&node)?;
        Ok(node)
    }

    /// `[NOT]... comparison` terms joined by `AND` and `OR` (`NOT` binds
    /// tightest, then `AND`, then `OR`; `AND` and `OR` associate left). A lone
    /// operand passes through unchecked (a parenthesised operand may still be
    /// followed by a comparator); the callers check.
    fn boolean(&mut self) -> PResult<Box<Node>> {
        let mut ands = self.term()?;
        let mut ors: Option<Box<Node>> = None;
        loop {
            let and = self.is_kw(self.pos, "AND");
            if !and && !self.is_kw(self.pos, "OR") {
                break;
            }
            need_condition(&ands)?;
            self.pos += 1;
            self.ops += 1;
            let term = self.term()?;
            if and {
                need_condition(&term)?;
                ands = join(E::And, ands, term);
            } else {
                ors = Some(match ors.take() {
                    None => ands,
                    Some(left) => join(E::Or, left, ands),
                });
                ands = term;
            }
        }
        match ors {
            None => Ok(ands),
            Some(left) => {
                need_condition(&ands)?;
                Ok(join(E::Or, left, ands))
            }
        }
    }

    /// `[NOT]... operand [comparator operand | BETWEEN ... | IN ...]`.
    fn term(&mut self) -> PResult<Box<Node>> {
        let mut nots = 0;
        while self.is_kw(self.pos, "NOT") {
            self.pos += 1;
            nots += 1;
        }
        self.ops += nots;
        let left = self.operand(false)?;
        let mut node = self.comparison(left)?;
        if nots > 0 {
            need_condition(&node)?;
            for _ in 0..nots {
                let end = node.end;
                node = Box::new(Node {
                    e: E::Not(node),
                    group: false,
                    end,
                });
            }
        }
        Ok(node)
    }

    fn comparator(&self) -> Option<CompareOp> {
        match self.kind(self.pos) {
            Some(T::Eq) => Some(CompareOp::Eq),
            Some(T::Ne) => Some(CompareOp::Ne),
            Some(T::Lt) => Some(CompareOp::Lt),
            Some(T::Le) => Some(CompareOp::Le),
            Some(T::Gt) => Some(CompareOp::Gt),
            Some(T::Ge) => Some(CompareOp::Ge),
            _ => None,
        }
    }

    /// What may follow a comparison's first operand: `comparator operand`,
    /// `BETWEEN operand AND operand`, `IN (operand, ...)` or nothing.
    fn comparison(&mut self, left: Box<Node>) -> PResult<Box<Node>> {
        let op = self.comparator();
        let between = self.is_kw(self.pos, "BETWEEN");
        if op.is_none() && !between && !self.is_kw(self.pos, "IN") {
            return Ok(left);
        }
        if left.e.is_condition() {
            return Err(self.pos);
        }
        self.pos += 1;
        self.ops += 1;
        let e = if let Some(op) = op {
            E::Compare(op, left, self.operand(true)?)
        } else if between {
            let low = self.operand(true)?;
            if !self.is_kw(self.pos, "AND") {
                return Err(self.pos);
            }
            self.pos += 1;
            E::Between(left, low, self.operand(true)?)
        } else {
            self.expect(T::LParen)?;
            E::In(left, self.operand_list()?)
        };
        Ok(Box::new(Node {
            e,
            group: false,
            end: self.pos,
        }))
    }

    /// `operand (, operand)* )`: function arguments and `IN` candidates.
    fn operand_list(&mut self) -> PResult<Vec<Node>> {
        let mut list = Vec::new();
        loop {
            let node = self.operand(true)?;
            list.push(*node);
            if !self.at(T::Comma) {
                break;
            }
            self.pos += 1;
        }
        self.expect(T::RParen)?;
        Ok(list)
    }

    /// A path (possibly grouped: `(a.b).c`), `:value`, function call or
    /// parenthesised expression. With `operand_only`, parentheses may only
    /// wrap an operand; otherwise they may wrap a whole condition.
    fn operand(&mut self, operand_only: bool) -> PResult<Box<Node>> {
        let i = self.pos;
        let mut node = match self.kind(i) {
            Some(T::LParen) => self.group(operand_only)?,
            Some(T::Word) if self.kind(i + 1) == Some(T::LParen) && !self.is_keyword(i) => self.call()?,
            _ => self.leaf()?,
        };
        self.path_suffix(&mut node)?;
        node.end = self.pos;
        Ok(node)
    }

    /// `name(operand, ...)`.
    fn call(&mut self) -> PResult<Box<Node>> {
        let name = self.pos;
        self.pos += 2;
        let args = self.operand_list()?;
        Ok(Box::new(Node {
            e: E::Func { name, args },
            group: false,
            end: 0,
        }))
    }

    /// `( ... )`.
    fn group(&mut self, operand_only: bool) -> PResult<Box<Node>> {
        self.pos += 1;
        let mut inner = if operand_only {
            self.operand(true)?
        } else {
            self.boolean()?
        };
        self.expect(T::RParen)?;
        if inner.group {
            note(&mut self.errs.parens, || {
                "The expression has redundant parentheses;".into()
            });
        }
        inner.group = true;
        Ok(inner)
    }

    /// A `:value` or the first element of a path.
    fn leaf(&mut self) -> PResult<Box<Node>> {
        let e = if self.at(T::Value) {
            E::Value(self.value()?)
        } else {
            let mut path = RawPath {
                path: Path { elements: Vec::new() },
                undefined: None,
            };
            self.segment(&mut path)?;
            E::Path(path)
        };
        Ok(Box::new(Node {
            e,
            group: false,
            end: 0,
        }))
    }

    /// The `.name` and `[n]` steps that may follow a (grouped) path.
    fn path_suffix(&mut self, node: &mut Node) -> PResult<()> {
        if let E::Path(path) = &mut node.e {
            if matches!(self.kind(self.pos), Some(T::Dot | T::LBracket)) {
                self.path_tail(path)?;
                node.group = false;
            }
            self.check_path_depth(path);
        }
        Ok(())
    }

    // -- condition semantics ------------------------------------------------
    //
    // As for parsing, the functions that recurse (through `AND`/`OR`/`NOT`
    // and nested function calls) are kept small; the bulky checks live in
    // functions that do not recurse.

    fn build_condition(&mut self, node: Node) -> Option<Box<Condition>> {
        match node.e {
            E::And(l, r) => self.both(*l, *r, Condition::And),
            E::Or(l, r) => self.both(*l, *r, Condition::Or),
            E::Not(x) => self.build_condition(*x).map(|x| Box::new(Condition::Not(x))),
            e => self.atomic(e),
        }
    }

    fn both(
        &mut self,
        l: Node,
        r: Node,
        make: fn(Box<Condition>, Box<Condition>) -> Condition,
    ) -> Option<Box<Condition>> {
        let l = self.build_condition(l);
        let r = self.build_condition(r);
        Some(Box::new(make(l?, r?)))
    }

    /// A comparison, `BETWEEN`, `IN` or function: DynamoDB reports the first
    /// of these whose operands break a rule.
    fn atomic(&mut self, e: E) -> Option<Box<Condition>> {
        let mut local = Local::default();
        let cond = match e {
            E::Compare(op, l, r) => self.compare(op, *l, *r, &mut local),
            E::Between(v, lo, hi) => self.between(*v, *lo, *hi, &mut local),
            E::In(v, list) => self.in_list(*v, list, &mut local),
            E::Func { name, args } => {
                let fname = self.text(name);
                if fname == "size" {
                    note(&mut self.errs.misused, || misuse_message("size"));
                    self.size(args, &mut local);
                    None
                } else {
                    self.function(fname, args, &mut local)
                }
            }
            // A lone operand never gets here: the parser rejects it.
            E::Path(_) | E::Value(_) | E::And(..) | E::Or(..) | E::Not(..) => None,
        };
        if let Some(msg) = local.first() {
            note(&mut self.errs.condition, || msg);
        }
        cond.map(Box::new)
    }

    fn compare(&mut self, op: CompareOp, l: Node, r: Node, local: &mut Local) -> Option<Condition> {
        self.check_misuse(&l);
        self.check_misuse(&r);
        let same = same_path(&l, &r);
        let left = self.build_operand(l, local);
        let right = self.build_operand(r, local);
        if let Some(p) = same {
            note(&mut local.distinct, || distinct_message(op.symbol(), &p));
        }
        Some(Condition::Compare {
            op,
            left: left?,
            right: right?,
        })
    }

    fn between(&mut self, v: Node, lo: Node, hi: Node, local: &mut Local) -> Option<Condition> {
        for n in [&v, &lo, &hi] {
            self.check_misuse(n);
        }
        let bounds = match (&lo.e, &hi.e) {
            (E::Value(RawValue::Known(a)), E::Value(RawValue::Known(b))) => between_error(a, b),
            _ => None,
        };
        let value = self.build_operand(v, local);
        let low = self.build_operand(lo, local);
        let high = self.build_operand(hi, local);
        if let Some(msg) = bounds {
            note(&mut local.function, || msg);
        }
        Some(Condition::Between {
            value: value?,
            low: low?,
            high: high?,
        })
    }

    fn in_list(&mut self, v: Node, list: Vec<Node>, local: &mut Local) -> Option<Condition> {
        self.check_misuse(&v);
        for n in &list {
            self.check_misuse(n);
        }
        let count = list.len();
        let value = self.build_operand(v, local);
        let list = self.build_operands(list, local);
        if count > MAX_IN_OPERANDS {
            note(&mut local.operand, || {
                format!("The IN operator is provided with too many operands; number of operands: {count}")
            });
        }
        Some(Condition::In {
            value: value?,
            list: list.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    /// Records the misuse of a condition function (anything but `size`)
    /// where an operand is required.
    fn check_misuse(&mut self, node: &Node) {
        if let E::Func { name, .. } = node.e {
            let fname = self.text(name);
            if CONDITION_FUNCTIONS.contains(&fname) {
                note(&mut self.errs.misused, || misuse_message(fname));
            }
        }
    }

    fn build_operands(&mut self, nodes: Vec<Node>, local: &mut Local) -> Vec<Option<Operand>> {
        let mut out = Vec::with_capacity(nodes.len());
        for node in nodes {
            out.push(self.build_operand(node, local));
        }
        out
    }

    fn build_operand(&mut self, node: Node, local: &mut Local) -> Option<Operand> {
        match node.e {
            E::Path(path) => {
                if let Some(name) = path.undefined {
                    note(&mut local.attr, || undefined_name_message(&name));
                }
                Some(Operand::Path(path.path))
            }
            E::Value(RawValue::Known(v)) => Some(Operand::Value(v)),
            E::Value(RawValue::Undefined(key)) => {
                note(&mut local.attr, || undefined_value_message(&key));
                None
            }
            E::Func { name, args } => {
                let fname = self.text(name);
                if fname == "size" {
                    self.size(args, local)
                } else {
                    // Misused (recorded by the caller) or unknown; still checked.
                    self.function(fname, args, local);
                    None
                }
            }
            E::Compare(..) | E::Between(..) | E::In(..) | E::And(..) | E::Or(..) | E::Not(..) => None,
        }
    }

    /// What the checks need to know about a function's arguments before
    /// they are converted.
    fn arg_info(&mut self, args: &[Node]) -> ArgInfo {
        for a in args {
            self.check_misuse(a);
        }
        ArgInfo {
            types: args.iter().map(|a| self.static_type(a)).collect(),
            paths: args.iter().map(|a| matches!(a.e, E::Path(_))).collect(),
            same: if args.len() == 2 {
                same_path(&args[0], &args[1])
            } else {
                None
            },
        }
    }

    /// `size(path)`, an operand.
    fn size(&mut self, args: Vec<Node>, local: &mut Local) -> Option<Operand> {
        let info = self.arg_info(&args);
        let ops = self.build_operands(args, local);
        size_checks(info, ops, local)
    }

    /// A condition function (or an unknown one).
    fn function(&mut self, fname: &'p str, args: Vec<Node>, local: &mut Local) -> Option<Condition> {
        let info = self.arg_info(&args);
        let ops = self.build_operands(args, local);
        if !CONDITION_FUNCTIONS.contains(&fname) {
            note(&mut self.errs.unknown_fn, || {
                format!("Invalid function name; function: {fname}")
            });
            return None;
        }
        function_checks(fname, info, ops, local)
    }

    /// The type DynamoDB can tell statically: a value's, or a function's result.
    fn static_type(&self, node: &Node) -> Option<&'static str> {
        match &node.e {
            E::Value(RawValue::Known(v)) => Some(type_name(v)),
            E::Func { name, .. } => match self.text(*name) {
                "size" => Some("N"),
                "attribute_type" | "begins_with" | "contains" => Some("BOOL"),
                _ => None,
            },
            _ => None,
        }
    }

    // -- update grammar -----------------------------------------------------

    fn update_top(&mut self) -> PResult<Vec<RawAction>> {
        let mut actions = Vec::new();
        let mut seen = [false; 4];
        while self.pos < self.toks.len() {
            let clause = ["SET", "REMOVE", "ADD", "DELETE"]
                .iter()
                .position(|kw| self.is_kw(self.pos, kw))
                .ok_or(self.pos)?;
            if seen[clause] {
                let name = ["SET", "REMOVE", "ADD", "DELETE"][clause];
                note(&mut self.errs.section, || {
                    format!("The \"{name}\" section can only be used once in an update expression;")
                });
            }
            seen[clause] = true;
            self.pos += 1;
            loop {
                let path = self.plain_path()?;
                actions.push(match clause {
                    0 => {
                        self.expect(T::Eq)?;
                        RawAction::Set(path, self.set_value()?)
                    }
                    1 => RawAction::Remove(path),
                    2 => RawAction::Add(path, self.value()?),
                    _ => RawAction::Delete(path, self.value()?),
                });
                if !self.at(T::Comma) {
                    break;
                }
                self.pos += 1;
            }
        }
        Ok(actions)
    }

    /// `operand`, `operand + operand` or `operand - operand`, optionally in
    /// one pair of parentheses; each operand may have its own pair.
    fn set_value(&mut self) -> PResult<RawSetValue> {
        let outer = self.at(T::LParen);
        if outer {
            self.pos += 1;
        }
        let first = self.set_operand(true)?;
        if outer && !self.at(T::Plus) && !self.at(T::Minus) {
            // `(a)` closes here and may still be followed by `+ b`.
            self.expect(T::RParen)?;
            return self.set_value_rest(*first);
        }
        let value = self.set_value_rest(*first)?;
        if outer {
            self.expect(T::RParen)?;
        }
        Ok(value)
    }

    fn set_value_rest(&mut self, first: RawSetOperand) -> PResult<RawSetValue> {
        let plus = self.at(T::Plus);
        if !plus && !self.at(T::Minus) {
            return Ok(RawSetValue::Operand(first));
        }
        self.pos += 1;
        let second = self.set_operand(true)?;
        Ok(if plus {
            RawSetValue::Plus(first, *second)
        } else {
            RawSetValue::Minus(first, *second)
        })
    }

    /// A path, `:value` or function call; with `parens`, optionally in one
    /// pair of parentheses.
    fn set_operand(&mut self, parens: bool) -> PResult<Box<RawSetOperand>> {
        let i = self.pos;
        if parens && self.at(T::LParen) {
            self.set_paren()
        } else if self.kind(i) == Some(T::Word) && self.kind(i + 1) == Some(T::LParen) && !self.is_keyword(i) {
            self.set_call()
        } else {
            self.set_leaf()
        }
    }

    fn set_paren(&mut self) -> PResult<Box<RawSetOperand>> {
        self.pos += 1;
        let operand = self.set_operand(false)?;
        self.expect(T::RParen)?;
        Ok(operand)
    }

    fn set_call(&mut self) -> PResult<Box<RawSetOperand>> {
        let name = self.pos;
        self.pos += 2;
        let mut args = Vec::new();
        loop {
            let arg = self.set_operand(true)?;
            args.push(*arg);
            if !self.at(T::Comma) {
                break;
            }
            self.pos += 1;
        }
        self.expect(T::RParen)?;
        Ok(Box::new(RawSetOperand::Func { name, args }))
    }

    fn set_leaf(&mut self) -> PResult<Box<RawSetOperand>> {
        Ok(Box::new(if self.at(T::Value) {
            RawSetOperand::Value(self.value()?)
        } else {
            RawSetOperand::Path(self.plain_path()?)
        }))
    }

    // -- update semantics ---------------------------------------------------

    fn resolve_path(&mut self, path: RawPath) -> Path {
        if let Some(name) = path.undefined {
            note(&mut self.errs.attr_name, || undefined_name_message(&name));
        }
        path.path
    }

    fn resolve_value(&mut self, value: RawValue) -> Option<AttributeValue> {
        match value {
            RawValue::Known(v) => Some(v),
            RawValue::Undefined(key) => {
                note(&mut self.errs.attr_value, || undefined_value_message(&key));
                None
            }
        }
    }

    fn build_update(&mut self, raw: Vec<RawAction>) -> Vec<UpdateAction> {
        let mut actions = Vec::with_capacity(raw.len());
        for action in raw {
            let action = match action {
                RawAction::Set(path, value) => {
                    let path = self.resolve_path(path);
                    self.build_set_value(value).map(|v| UpdateAction::Set(path, v))
                }
                RawAction::Remove(path) => Some(UpdateAction::Remove(self.resolve_path(path))),
                RawAction::Add(path, value) => {
                    let path = self.resolve_path(path);
                    let value = self.resolve_value(value);
                    value.map(|v| {
                        if !matches!(
                            v,
                            AttributeValue::N(_)
                                | AttributeValue::Ss(_)
                                | AttributeValue::Ns(_)
                                | AttributeValue::Bs(_)
                        ) {
                            note(&mut self.errs.operand, || clause_type_message("ADD", &v));
                        }
                        UpdateAction::Add(path, v)
                    })
                }
                RawAction::Delete(path, value) => {
                    let path = self.resolve_path(path);
                    let value = self.resolve_value(value);
                    value.map(|v| {
                        if !matches!(v, AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)) {
                            note(&mut self.errs.operand, || clause_type_message("DELETE", &v));
                        }
                        UpdateAction::Delete(path, v)
                    })
                }
            };
            actions.extend(action);
        }
        let targets: Vec<&Path> = actions
            .iter()
            .map(|a| match a {
                UpdateAction::Set(p, _)
                | UpdateAction::Remove(p)
                | UpdateAction::Add(p, _)
                | UpdateAction::Delete(p, _) => p,
            })
            .collect();
        check_overlaps(&targets, &mut self.errs);
        actions
    }

    fn build_set_value(&mut self, value: RawSetValue) -> Option<SetValue> {
        let (a, b, plus) = match value {
            RawSetValue::Operand(a) => return Some(SetValue::Operand(self.build_set_operand(a)?)),
            RawSetValue::Plus(a, b) => (a, b, true),
            RawSetValue::Minus(a, b) => (a, b, false),
        };
        let types = [immediate_type(&a), immediate_type(&b)];
        let a = self.build_set_operand(a);
        let b = self.build_set_operand(b);
        arithmetic_checks(plus, types, a, b, &mut self.errs)
    }

    fn build_set_operand(&mut self, operand: RawSetOperand) -> Option<SetOperand> {
        match operand {
            RawSetOperand::Path(p) => Some(SetOperand::Path(self.resolve_path(p))),
            RawSetOperand::Value(v) => self.resolve_value(v).map(SetOperand::Value),
            RawSetOperand::Func { name, args } => {
                let first_is_path = matches!(args.first(), Some(RawSetOperand::Path(_)));
                let types: Vec<Option<&'static str>> = args.iter().map(immediate_type).collect();
                let mut ops = Vec::with_capacity(args.len());
                for arg in args {
                    ops.push(self.build_set_operand(arg));
                }
                set_function_checks(self.text(name), first_is_path, types, ops, &mut self.errs)
            }
        }
    }

    // -- projection grammar -------------------------------------------------

    fn projection_top(&mut self) -> PResult<Vec<RawPath>> {
        let mut paths = vec![self.plain_path()?];
        while self.at(T::Comma) {
            self.pos += 1;
            paths.push(self.plain_path()?);
        }
        if self.pos < self.toks.len() {
            return Err(self.pos);
        }
        Ok(paths)
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// See [`Parser::arg_info`].
struct ArgInfo {
    types: Vec<Option<&'static str>>,
    paths: Vec<bool>,
    same: Option<Path>,
}

fn size_checks(info: ArgInfo, ops: Vec<Option<Operand>>, local: &mut Local) -> Option<Operand> {
    if ops.len() != 1 {
        note(&mut local.operand, || operand_count_message("size", ops.len()));
        return None;
    }
    if let Some(t @ ("N" | "BOOL" | "NULL")) = info.types[0] {
        note(&mut local.function, || operand_type_message("size", t));
    }
    match ops.into_iter().next().flatten()? {
        Operand::Path(p) => Some(Operand::Size(p)),
        _ => {
            // The AST's `size` takes a path; DynamoDB also sizes literals.
            note(&mut local.unsupported, || requires_path_message("size"));
            None
        }
    }
}

fn function_checks(fname: &str, info: ArgInfo, mut ops: Vec<Option<Operand>>, local: &mut Local) -> Option<Condition> {
    let arity = if fname.starts_with("attribute_") && fname != "attribute_type" {
        1
    } else {
        2
    };
    if ops.len() != arity {
        note(&mut local.operand, || operand_count_message(fname, ops.len()));
        return None;
    }
    if let Some(p) = &info.same {
        note(&mut local.distinct, || distinct_message(fname, p));
    }
    match fname {
        "attribute_exists" | "attribute_not_exists" if !info.paths[0] => {
            note(&mut local.function, || requires_path_message(fname));
        }
        "begins_with" => {
            if let Some(t) = info.types.iter().flatten().find(|t| !matches!(**t, "S" | "B")) {
                note(&mut local.function, || operand_type_message(fname, t));
            }
        }
        "attribute_type" => {
            match (info.types[1], &ops[1]) {
                (Some("S"), Some(Operand::Value(AttributeValue::S(s)))) => {
                    if !TYPE_NAMES.contains(&s.as_str()) {
                        note(&mut local.function, || {
                            format!(
                                "Invalid attribute type name found; type: {s}, valid types: \
                                 {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"
                            )
                        });
                    }
                }
                (Some(t), _) => note(&mut local.function, || operand_type_message(fname, t)),
                (None, _) => note(&mut local.function, || {
                    operand_type_message(fname, "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
                }),
            }
            if !info.paths[0] {
                note(&mut local.unsupported, || requires_path_message(fname));
            }
        }
        _ => {}
    }
    let second = if arity == 2 { ops.pop().flatten() } else { None };
    let first = ops.pop().flatten();
    match (fname, first?) {
        ("attribute_exists", Operand::Path(p)) => Some(Condition::AttributeExists(p)),
        ("attribute_not_exists", Operand::Path(p)) => Some(Condition::AttributeNotExists(p)),
        ("attribute_type", Operand::Path(p)) => Some(Condition::AttributeType(p, second?)),
        ("begins_with", first) => Some(Condition::BeginsWith(first, second?)),
        ("contains", first) => Some(Condition::Contains(first, second?)),
        _ => None,
    }
}

fn arithmetic_checks(
    plus: bool,
    types: [Option<&'static str>; 2],
    a: Option<SetOperand>,
    b: Option<SetOperand>,
    errs: &mut Errs,
) -> Option<SetValue> {
    let symbol = if plus { "+" } else { "-" };
    if let Some(t) = types.iter().flatten().find(|t| **t != "N") {
        note(&mut errs.function, || operand_type_message(symbol, t));
    }
    let (a, b) = (a?, b?);
    Some(if plus {
        SetValue::Plus(a, b)
    } else {
        SetValue::Minus(a, b)
    })
}

fn set_function_checks(
    name: &str,
    first_is_path: bool,
    types: Vec<Option<&'static str>>,
    mut ops: Vec<Option<SetOperand>>,
    errs: &mut Errs,
) -> Option<SetOperand> {
    if name != "if_not_exists" && name != "list_append" {
        note(&mut errs.unknown_fn, || {
            format!("Invalid function name; function: {name}")
        });
        return None;
    }
    if ops.len() != 2 {
        note(&mut errs.function, || operand_count_message(name, ops.len()));
        return None;
    }
    let second = ops.pop().flatten();
    let first = ops.pop().flatten();
    if name == "if_not_exists" {
        match first {
            Some(SetOperand::Path(p)) if first_is_path => Some(SetOperand::IfNotExists(p, Box::new(second?))),
            _ => {
                note(&mut errs.function, || requires_path_message(name));
                None
            }
        }
    } else {
        if let Some(t) = types.iter().flatten().find(|t| **t != "L") {
            note(&mut errs.function, || operand_type_message(name, t));
        }
        Some(SetOperand::ListAppend(Box::new(first?), Box::new(second?)))
    }
}

/// A lone path or value where a condition is required is a syntax error at
/// the token after it (where a comparator was expected).
fn need_condition(node: &Node) -> PResult<()> {
    match node.e {
        E::Path(_) | E::Value(_) => Err(node.end),
        _ => Ok(()),
    }
}

fn join(make: fn(Box<Node>, Box<Node>) -> E, left: Box<Node>, right: Box<Node>) -> Box<Node> {
    let end = right.end;
    Box::new(Node {
        e: make(left, right),
        group: false,
        end,
    })
}

/// The path both operands are, if they are the same path.
fn same_path(a: &Node, b: &Node) -> Option<Path> {
    match (&a.e, &b.e) {
        (E::Path(x), E::Path(y)) if x.path == y.path => Some(x.path.clone()),
        _ => None,
    }
}

/// Rejects update (or projection) paths that overlap (one is a prefix of the
/// other, or equal) or conflict (one indexes a list where the other names a
/// map key), comparing each path with those written before it.
fn check_overlaps(paths: &[&Path], errs: &mut Errs) {
    for (j, later) in paths.iter().enumerate() {
        for &earlier in &paths[..j] {
            let mut overlap = true;
            for (x, y) in earlier.elements.iter().zip(&later.elements) {
                let conflict = matches!(
                    (x, y),
                    (PathElement::Attr(_), PathElement::Index(_)) | (PathElement::Index(_), PathElement::Attr(_))
                );
                if conflict {
                    note(&mut errs.conflict, || {
                        format!(
                            "Two document paths conflict with each other; must remove or rewrite one of these \
                             paths; path one: {}, path two: {}",
                            earlier.message_form(),
                            later.message_form()
                        )
                    });
                }
                if x != y {
                    overlap = false;
                    break;
                }
            }
            if overlap {
                errs.overlap = Some(format!(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; \
                     path one: {}, path two: {}",
                    earlier.message_form(),
                    later.message_form()
                ));
                return;
            }
        }
    }
}

fn distinct_message(operator: &str, path: &Path) -> String {
    format!(
        "The first operand must be distinct from the remaining operands for this operator or function; \
         operator: {operator}, first operand: {}",
        path.message_form()
    )
}

fn misuse_message(function: &str) -> String {
    format!("The function is not allowed to be used this way in an expression; function: {function}")
}

fn undefined_name_message(name: &str) -> String {
    format!("An expression attribute name used in the document path is not defined; attribute name: {name}")
}

fn undefined_value_message(key: &str) -> String {
    format!("An expression attribute value used in expression is not defined; attribute value: {key}")
}

fn operand_count_message(function: &str, n: usize) -> String {
    format!(
        "Incorrect number of operands for operator or function; operator or function: {function}, number of \
         operands: {n}"
    )
}

fn operand_type_message(function: &str, t: &str) -> String {
    format!("Incorrect operand type for operator or function; operator or function: {function}, operand type: {t}")
}

fn requires_path_message(function: &str) -> String {
    format!("Operator or function requires a document path; operator or function: {function}")
}

/// `ADD` and `DELETE` name the wrong type in long form (`STRING`, ...).
fn clause_type_message(clause: &str, v: &AttributeValue) -> String {
    let t = match v {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::L(_) => "LIST",
        AttributeValue::M(_) => "MAP",
        other => type_name(other),
    };
    format!("Incorrect operand type for operator or function; operator: {clause}, operand type: {t}")
}

/// The type names `attribute_type` accepts.
const TYPE_NAMES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

fn type_name(v: &AttributeValue) -> &'static str {
    match v {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        AttributeValue::L(_) => "L",
        AttributeValue::M(_) => "M",
        _ => "UNKNOWN",
    }
}

/// The type of a literal `:value` operand (functions are not looked into).
fn immediate_type(operand: &RawSetOperand) -> Option<&'static str> {
    match operand {
        RawSetOperand::Value(RawValue::Known(v)) => Some(type_name(v)),
        _ => None,
    }
}

/// DynamoDB's static check of literal `BETWEEN` bounds.
fn between_error(low: &AttributeValue, high: &AttributeValue) -> Option<String> {
    let (lt, ht) = (type_name(low), type_name(high));
    let bounds = || {
        format!(
            "lower bound operand: AttributeValue: {}, upper bound operand: AttributeValue: {}",
            brief(low),
            brief(high)
        )
    };
    if lt != ht {
        return Some(format!(
            "The BETWEEN operator requires same data type for lower and upper bounds; {}",
            bounds()
        ));
    }
    let order = match (low, high) {
        (AttributeValue::S(a), AttributeValue::S(b)) => a.as_bytes().cmp(b.as_bytes()),
        (AttributeValue::N(a), AttributeValue::N(b)) => number::compare(a, b),
        (AttributeValue::B(a), AttributeValue::B(b)) => a.as_ref().cmp(b.as_ref()),
        _ => Ordering::Equal,
    };
    (order == Ordering::Greater).then(|| {
        format!(
            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; {}",
            bounds()
        )
    })
}

/// `{S:abc}`, `{N:1}`, `{B:YQ==}`: a value as DynamoDB shows it in messages.
fn brief(v: &AttributeValue) -> String {
    let body = match v {
        AttributeValue::S(s) | AttributeValue::N(s) => s.clone(),
        AttributeValue::B(b) => base64(b.as_ref()),
        AttributeValue::Bool(b) | AttributeValue::Null(b) => b.to_string(),
        AttributeValue::Ss(v) | AttributeValue::Ns(v) => v.join(","),
        AttributeValue::Bs(v) => v.iter().map(|b| base64(b.as_ref())).collect::<Vec<_>>().join(","),
        AttributeValue::L(l) => l.iter().map(brief).collect::<Vec<_>>().join(","),
        AttributeValue::M(m) => {
            let mut entries: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", brief(v))).collect();
            entries.sort();
            entries.join(",")
        }
        _ => String::new(),
    };
    format!("{{{}:{body}}}", type_name(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;
    use proptest::prelude::*;

    fn names() -> HashMap<String, String> {
        [
            ("#a", "a"),
            ("#b", "b"),
            ("#n", "name"),
            ("#d", "[3]"),
            ("#dot", "x.y"),
            ("#u", "used"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn values() -> HashMap<String, AttributeValue> {
        [
            (":s", AttributeValue::S("x".into())),
            (":s2", AttributeValue::S("y".into())),
            (":n", AttributeValue::N("1".into())),
            (":n5", AttributeValue::N("5".into())),
            (":l", AttributeValue::L(vec![AttributeValue::N("1".into())])),
            (":ss", AttributeValue::Ss(vec!["a".into()])),
            (":ns", AttributeValue::Ns(vec!["1".into()])),
            (":bs", AttributeValue::Bs(vec![Blob::new("a")])),
            (":b", AttributeValue::B(Blob::new("a"))),
            (":b2", AttributeValue::B(Blob::new("b"))),
            (":bool", AttributeValue::Bool(true)),
            (":null", AttributeValue::Null(true)),
            (":m", AttributeValue::M(HashMap::new())),
            (":t", AttributeValue::S("SS".into())),
            (":badtype", AttributeValue::S("X".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn message(e: Error) -> String {
        match e {
            Error::Validation(m) => m.into(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    fn cond(e: &str) -> Condition {
        let (n, v) = (names(), values());
        ExprContext::new(Some(&n), Some(&v))
            .condition(ExprKind::Condition, e)
            .unwrap_or_else(|err| panic!("{e}: {err}"))
    }

    fn cond_err(e: &str) -> String {
        let (n, v) = (names(), values());
        match ExprContext::new(Some(&n), Some(&v)).condition(ExprKind::Condition, e) {
            Ok(c) => panic!("{e} parsed: {c:?}"),
            Err(err) => message(err),
        }
    }

    fn upd(e: &str) -> Vec<UpdateAction> {
        let (n, v) = (names(), values());
        ExprContext::new(Some(&n), Some(&v))
            .update(e)
            .unwrap_or_else(|err| panic!("{e}: {err}"))
            .actions
    }

    fn upd_err(e: &str) -> String {
        let (n, v) = (names(), values());
        match ExprContext::new(Some(&n), Some(&v)).update(e) {
            Ok(u) => panic!("{e} parsed: {u:?}"),
            Err(err) => message(err),
        }
    }

    fn proj(e: &str) -> Vec<Path> {
        let n = names();
        ExprContext::new(Some(&n), None)
            .projection(e)
            .unwrap_or_else(|err| panic!("{e}: {err}"))
    }

    fn proj_err(e: &str) -> String {
        let n = names();
        match ExprContext::new(Some(&n), None).projection(e) {
            Ok(p) => panic!("{e} parsed: {p:?}"),
            Err(err) => message(err),
        }
    }

    /// `"a.b[1]"` → the path (test helper; plain names and indexes only).
    fn path(s: &str) -> Path {
        let mut elements = Vec::new();
        for part in s.split('.') {
            let mut pieces = part.split('[');
            elements.push(PathElement::Attr(pieces.next().unwrap().to_string()));
            for index in pieces {
                elements.push(PathElement::Index(index.trim_end_matches(']').parse().unwrap()));
            }
        }
        Path { elements }
    }

    fn p(s: &str) -> Operand {
        Operand::Path(path(s))
    }

    fn s(v: &str) -> Operand {
        Operand::Value(AttributeValue::S(v.into()))
    }

    fn n(v: &str) -> Operand {
        Operand::Value(AttributeValue::N(v.into()))
    }

    fn cmp(op: CompareOp, left: Operand, right: Operand) -> Condition {
        Condition::Compare { op, left, right }
    }

    fn eq(a: &str, value: Operand) -> Condition {
        cmp(CompareOp::Eq, p(a), value)
    }

    fn and(a: Condition, b: Condition) -> Condition {
        Condition::And(Box::new(a), Box::new(b))
    }

    fn or(a: Condition, b: Condition) -> Condition {
        Condition::Or(Box::new(a), Box::new(b))
    }

    fn not(a: Condition) -> Condition {
        Condition::Not(Box::new(a))
    }

    // -- conditions: constructs --------------------------------------------

    #[test]
    fn comparators() {
        for (text, op) in [
            ("=", CompareOp::Eq),
            ("<>", CompareOp::Ne),
            ("<", CompareOp::Lt),
            ("<=", CompareOp::Le),
            (">", CompareOp::Gt),
            (">=", CompareOp::Ge),
        ] {
            assert_eq!(cond(&format!("a {text} :s")), cmp(op, p("a"), s("x")));
            assert_eq!(cond(&format!("a{text}:s")), cmp(op, p("a"), s("x")));
        }
        assert_eq!(cond(":s = a"), cmp(CompareOp::Eq, s("x"), p("a")));
        assert_eq!(cond(":s = :s"), cmp(CompareOp::Eq, s("x"), s("x")));
        assert_eq!(cond("a < b"), cmp(CompareOp::Lt, p("a"), p("b")));
        assert_eq!(
            cond("size(a) > :n"),
            cmp(CompareOp::Gt, Operand::Size(path("a")), n("1"))
        );
        assert_eq!(
            cond(":n <= size(a.b[2])"),
            cmp(CompareOp::Le, n("1"), Operand::Size(path("a.b[2]")))
        );
    }

    #[test]
    fn between_and_in() {
        assert_eq!(
            cond("a BETWEEN :n AND :n5"),
            Condition::Between {
                value: p("a"),
                low: n("1"),
                high: n("5")
            }
        );
        assert_eq!(
            cond("size(a) between :n and :n5"),
            Condition::Between {
                value: Operand::Size(path("a")),
                low: n("1"),
                high: n("5")
            }
        );
        assert_eq!(
            cond("(a)between(:n)and(:n5)"),
            Condition::Between {
                value: p("a"),
                low: n("1"),
                high: n("5")
            }
        );
        assert_eq!(
            cond("a IN (:s)"),
            Condition::In {
                value: p("a"),
                list: vec![s("x")]
            }
        );
        assert_eq!(
            cond("a in (:s, b, size(c), :n)"),
            Condition::In {
                value: p("a"),
                list: vec![s("x"), p("b"), Operand::Size(path("c")), n("1")]
            }
        );
        assert_eq!(
            cond("size(a) In (:n)"),
            Condition::In {
                value: Operand::Size(path("a")),
                list: vec![n("1")]
            }
        );
        let hundred = (0..100).map(|_| ":s").collect::<Vec<_>>().join(", ");
        assert!(matches!(cond(&format!("a IN ({hundred})")), Condition::In { list, .. } if list.len() == 100));
    }

    #[test]
    fn functions() {
        assert_eq!(cond("attribute_exists(a)"), Condition::AttributeExists(path("a")));
        assert_eq!(
            cond("attribute_not_exists(a.b[1])"),
            Condition::AttributeNotExists(path("a.b[1]"))
        );
        assert_eq!(
            cond("attribute_type(a, :t)"),
            Condition::AttributeType(path("a"), Operand::Value(AttributeValue::S("SS".into())))
        );
        assert_eq!(cond("begins_with(a, :s)"), Condition::BeginsWith(p("a"), s("x")));
        assert_eq!(
            cond("begins_with(:b, a)"),
            Condition::BeginsWith(Operand::Value(AttributeValue::B(Blob::new("a"))), p("a"))
        );
        assert_eq!(cond("contains(a, :n)"), Condition::Contains(p("a"), n("1")));
        assert_eq!(cond("contains(a, b)"), Condition::Contains(p("a"), p("b")));
        assert_eq!(
            cond("contains(a, size(b))"),
            Condition::Contains(p("a"), Operand::Size(path("b")))
        );
        assert_eq!(cond("attribute_exists ( a )"), Condition::AttributeExists(path("a")));
        assert_eq!(cond("attribute_exists((a))"), Condition::AttributeExists(path("a")));
    }

    #[test]
    fn document_paths() {
        assert_eq!(cond("a.b = :s"), eq("a.b", s("x")));
        assert_eq!(cond("a[0] = :s"), eq("a[0]", s("x")));
        assert_eq!(cond("a.b[2][3].c = :s"), eq("a.b[2][3].c", s("x")));
        assert_eq!(cond("a . b [ 2 ] = :s"), eq("a.b[2]", s("x")));
        assert_eq!(cond("a[007] = :s"), eq("a[7]", s("x")));
        assert_eq!(cond("Ab_9.c0 = :s"), eq("Ab_9.c0", s("x")));
        assert_eq!(cond("#n.#a[1] = :s"), eq("name.a[1]", s("x")));
        assert_eq!(cond("#n = :s"), eq("name", s("x")));
        // A placeholder's name is one element, whatever it contains.
        let dotted = Path {
            elements: vec![PathElement::Attr("x.y".into()), PathElement::Attr("c".into())],
        };
        assert_eq!(cond("#dot.c = :s"), cmp(CompareOp::Eq, Operand::Path(dotted), s("x")));
        // Grouped paths.
        assert_eq!(cond("(a.b).c = :s"), eq("a.b.c", s("x")));
        assert_eq!(cond("(a)[1] = :s"), eq("a[1]", s("x")));
        assert_eq!(cond("(a) = :s"), eq("a", s("x")));
        // 32 elements is the most.
        let deep = vec!["a"; 32].join(".");
        assert!(matches!(cond(&format!("{deep} = :s")), Condition::Compare { .. }));
    }

    #[test]
    fn precedence() {
        let (a, b, c) = (|| eq("a", s("x")), || eq("b", s("x")), || eq("c", s("x")));
        assert_eq!(cond("a = :s OR b = :s AND c = :s"), or(a(), and(b(), c())));
        assert_eq!(cond("a = :s AND b = :s OR c = :s"), or(and(a(), b()), c()));
        assert_eq!(cond("NOT a = :s AND b = :s"), and(not(a()), b()));
        assert_eq!(cond("NOT a = :s OR b = :s"), or(not(a()), b()));
        assert_eq!(cond("a = :s AND NOT b = :s"), and(a(), not(b())));
        assert_eq!(cond("NOT (a = :s AND b = :s)"), not(and(a(), b())));
        assert_eq!(cond("(a = :s OR b = :s) AND c = :s"), and(or(a(), b()), c()));
        assert_eq!(cond("a = :s AND (b = :s OR c = :s)"), and(a(), or(b(), c())));
        assert_eq!(cond("NOT NOT a = :s"), not(not(a())));
        // AND and OR associate left.
        assert_eq!(cond("a = :s AND b = :s AND c = :s"), and(and(a(), b()), c()));
        assert_eq!(cond("a = :s OR b = :s OR c = :s"), or(or(a(), b()), c()));
        // BETWEEN's AND belongs to BETWEEN.
        assert_eq!(
            cond("a BETWEEN :n AND :n5 AND b = :s"),
            and(
                Condition::Between {
                    value: p("a"),
                    low: n("1"),
                    high: n("5")
                },
                b()
            )
        );
        assert_eq!(
            cond("attribute_exists(a) AND NOT contains(b, :s)"),
            and(
                Condition::AttributeExists(path("a")),
                not(Condition::Contains(p("b"), s("x")))
            )
        );
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(cond("a = :s and b = :s"), and(eq("a", s("x")), eq("b", s("x"))));
        assert_eq!(cond("a = :s oR b = :s"), or(eq("a", s("x")), eq("b", s("x"))));
        assert_eq!(cond("nOt a = :s"), not(eq("a", s("x"))));
        assert_eq!(
            cond("a bEtWeEn :n aNd :n5"),
            Condition::Between {
                value: p("a"),
                low: n("1"),
                high: n("5")
            }
        );
        assert_eq!(
            cond("a iN (:s)"),
            Condition::In {
                value: p("a"),
                list: vec![s("x")]
            }
        );
        assert_eq!(cond("a=:s\tAND\nb=:s\r"), and(eq("a", s("x")), eq("b", s("x"))));
    }

    #[test]
    fn key_condition_and_filter_use_the_condition_grammar() {
        let (n, v) = (names(), values());
        let mut ctx = ExprContext::new(Some(&n), Some(&v));
        assert_eq!(
            ctx.condition(ExprKind::KeyCondition, "a = :s AND begins_with(b, :s)")
                .unwrap(),
            and(eq("a", s("x")), Condition::BeginsWith(p("b"), s("x")))
        );
        let err = message(ctx.condition(ExprKind::KeyCondition, "a =").unwrap_err());
        assert_eq!(
            err,
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\""
        );
        let err = message(ctx.condition(ExprKind::Filter, "").unwrap_err());
        assert_eq!(err, "Invalid FilterExpression: The expression can not be empty;");
    }

    // -- conditions: errors -------------------------------------------------

    #[test]
    fn syntax_errors() {
        let cases = [
            ("a b", "b", "a b"),
            ("a = :s b", "b", ":s b"),
            ("INVALID SYNTAX HERE", "SYNTAX", "INVALID SYNTAX HERE"),
            ("a", "<EOF>", "a"),
            ("a = :s AND", "<EOF>", "AND"),
            ("a AND b = :s", "AND", "a AND b"),
            ("!!!", "!", "!!"),
            ("attribute_type()", ")", "()"),
            ("a > 4", "4", "> 4"),
            ("hits : incr", ":", "hits : incr"),
            ("a = #", "#", "= #"),
            ("a-b = :s", "-", "a-b"),
            ("_a = :s", "_a", "_a ="),
            ("1a = :s", "1", "1a"),
            ("ü > a", "ü", "ü >"),
            ("a[x] = :s", "x", "[x]"),
            ("a[] = :s", "]", "[] ="),
            ("a[-1] = :s", "-", "[-1"),
            ("a[1.5] = :s", ".", "1.5"),
            ("a.:s = :s", ":s", ".:s ="),
            ("a..b = :s", ".", "..b"),
            ("a in b", "b", "in b"),
            ("a IN ()", ")", "()"),
            ("a in (:s,)", ")", ",)"),
            ("a > between", "between", "> between"),
            ("and = :s", "and", "and ="),
            ("a = :s = :s", "=", ":s = :s"),
            ("a BETWEEN :n OR :n5", "OR", ":n OR :n5"),
            ("size(a).b > :n", ".", ").b"),
            ("(size(a)).b > :n", ".", ").b"),
            ("(a = :s) = b", "=", ") = b"),
            ("a = (b = :s)", "=", "b = :s"),
            ("NOT a", "<EOF>", "a"),
            ("(a)", "<EOF>", ")"),
            ("(a = :s", "<EOF>", ":s"),
            ("a = :s)", ")", ":s)"),
            ("a <> :s OR", "<EOF>", "OR"),
            ("a != :s", "!", "a !="),
            ("a = \"x\"", "\"", "= \"x"),
            ("attribute_exists(a-b)", "-", "a-b"),
            ("a = :s AND AND b = :s", "AND", "AND AND b"),
        ];
        for (expr, token, near) in cases {
            assert_eq!(
                cond_err(expr),
                format!("Invalid ConditionExpression: Syntax error; token: \"{token}\", near: \"{near}\""),
                "{expr}"
            );
        }
    }

    #[test]
    fn empty_and_too_long() {
        for e in ["", " ", " \t\r\n "] {
            assert_eq!(
                cond_err(e),
                "Invalid ConditionExpression: The expression can not be empty;"
            );
        }
        let long = format!("a = :s{}", " ".repeat(MAX_EXPRESSION_BYTES - 6));
        assert_eq!(long.len(), MAX_EXPRESSION_BYTES);
        cond(&long);
        let too_long = format!("{long} ");
        assert_eq!(
            cond_err(&too_long),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097"
        );
        // The size is checked before the syntax.
        assert!(cond_err(&"(".repeat(5000)).contains("expression size: 5000"));
    }

    #[test]
    fn reserved_words() {
        assert_eq!(
            cond_err("name = :s"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"
        );
        assert_eq!(
            cond_err(":s < abOrT"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: abOrT"
        );
        assert_eq!(
            cond_err("a.b.Status = :s"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Status"
        );
        // Function names and placeholders are not attribute names.
        cond("size(a) > :n AND #n = :s");
    }

    #[test]
    fn undefined_placeholders() {
        assert_eq!(
            cond_err("#zz = :s"),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; \
             attribute name: #zz"
        );
        assert_eq!(
            cond_err("a = :zz"),
            "Invalid ConditionExpression: An expression attribute value used in expression is not defined; \
             attribute value: :zz"
        );
        assert_eq!(cond_err("a.#zz[1] = :s"), cond_err("#zz = :s"));
        assert!(cond_err("attribute_exists(#P.r, :a) and a = :s").ends_with("attribute name: #P"));
        assert!(cond_err("begins_with(a.#R)").ends_with("attribute name: #R"));
        assert!(cond_err("#_ > a").ends_with("attribute name: #_"));
        assert!(cond_err("#4g > a").ends_with("attribute name: #4g"));
        assert!(cond_err(":_ > a").ends_with("attribute value: :_"));
        // No maps at all.
        let err = message(
            ExprContext::new(None, None)
                .condition(ExprKind::Condition, "#a = :v")
                .unwrap_err(),
        );
        assert!(err.ends_with("attribute name: #a"), "{err}");
    }

    #[test]
    fn function_names() {
        assert_eq!(
            cond_err("foo(a) = :s"),
            "Invalid ConditionExpression: Invalid function name; function: foo"
        );
        assert_eq!(
            cond_err("SIZE(a) = :n"),
            "Invalid ConditionExpression: Invalid function name; function: SIZE"
        );
        assert_eq!(
            cond_err("attRIbute_exIsts((a), #a)"),
            "Invalid ConditionExpression: Invalid function name; function: attRIbute_exIsts"
        );
        assert_eq!(
            cond_err("if_not_exists(a, :s) = :s"),
            "Invalid ConditionExpression: Invalid function name; function: if_not_exists"
        );
        assert_eq!(cond_err("a = :s AND whatever((:s)) > a"), cond_err("whatever(:s) > a"));
    }

    #[test]
    fn misused_functions() {
        let misuse = |f: &str| {
            format!(
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: {f}"
            )
        };
        assert_eq!(cond_err("size(a)"), misuse("size"));
        assert_eq!(cond_err("size(a) AND a = :s"), misuse("size"));
        assert_eq!(cond_err("NOT size(a)"), misuse("size"));
        assert_eq!(cond_err("attribute_exists(a) > b"), misuse("attribute_exists"));
        assert_eq!(cond_err("attribute_not_exists(a) = :s"), misuse("attribute_not_exists"));
        assert_eq!(cond_err("attribute_type(a, :t) > b"), misuse("attribute_type"));
        assert_eq!(cond_err("begins_with(a, :s) > b"), misuse("begins_with"));
        assert_eq!(cond_err("contains(:s, c) > b"), misuse("contains"));
        assert_eq!(cond_err("size(contains(a, b)) > a"), misuse("contains"));
        assert_eq!(
            cond_err("a between b and attribute_exists(c)"),
            misuse("attribute_exists")
        );
        assert_eq!(cond_err("a in (b, attribute_exists(c))"), misuse("attribute_exists"));
        assert_eq!(cond_err("contains(a, attribute_exists(c))"), misuse("attribute_exists"));
    }

    #[test]
    fn operand_counts() {
        let count = |f: &str, n: usize| {
            format!(
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; \
                 operator or function: {f}, number of operands: {n}"
            )
        };
        assert_eq!(cond_err("begins_with(a)"), count("begins_with", 1));
        assert_eq!(cond_err("begins_with(a, size(b), c)"), count("begins_with", 3));
        assert_eq!(
            cond_err("attribute_exists(a, b) and a = :s"),
            count("attribute_exists", 2)
        );
        assert_eq!(cond_err("attribute_not_exists(a, b)"), count("attribute_not_exists", 2));
        assert_eq!(cond_err("attribute_type(a)"), count("attribute_type", 1));
        assert_eq!(cond_err("contains(a)"), count("contains", 1));
        assert_eq!(cond_err("size(a, b) > :n"), count("size", 2));
        let many = (0..101).map(|_| ":s").collect::<Vec<_>>().join(",");
        assert_eq!(
            cond_err(&format!("a IN ({many})")),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"
        );
    }

    #[test]
    fn too_many_operators() {
        // 150 comparisons and 149 ORs: 299 operators.
        let ok = (0..150).map(|_| "a < b").collect::<Vec<_>>().join(" OR ");
        cond(&ok.replace("a < b", "a < :n"));
        let over = (0..151).map(|_| "a < :n").collect::<Vec<_>>().join(" OR ");
        assert_eq!(
            cond_err(&over),
            "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
        );
        assert_eq!(
            cond_err(&format!("{}a = :s", "NOT ".repeat(1000))),
            "Invalid ConditionExpression: The expression contains too many operators; operator count: 1001"
        );
    }

    #[test]
    fn distinct_operands() {
        let distinct = |op: &str, path: &str| {
            format!(
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for \
                 this operator or function; operator: {op}, first operand: {path}"
            )
        };
        assert_eq!(cond_err("a = a"), distinct("=", "[a]"));
        assert_eq!(cond_err("#a <> a"), distinct("<>", "[a]"));
        assert_eq!(cond_err("((a=a) OR (b = :s))"), distinct("=", "[a]"));
        assert_eq!(
            cond_err("contains(ab.bc[1].a, ab.bc[1].#a)"),
            distinct("contains", "[ab, bc, [1], a]")
        );
        assert_eq!(cond_err("begins_with(a, a)"), distinct("begins_with", "[a]"));
        cond(":s = :s");
        cond("a = a.b");
    }

    #[test]
    fn redundant_parentheses() {
        let msg = "Invalid ConditionExpression: The expression has redundant parentheses;";
        for e in [
            "((a = :s))",
            "a = :s and a > ((b))",
            "(a)between(((b.c)).d)and(c)",
            "a = :s AND ((b = :s AND c = :s)) AND d = :s",
            "a = :s OR ((b = :s OR (c = :s OR d = :s)))",
            "NOT ((a = :s))",
            "attribute_exists(((a)))",
        ] {
            assert_eq!(cond_err(e), msg, "{e}");
        }
        // Before an invalid function name.
        assert_eq!(cond_err("a > whatever((:s), ((a)))"), msg);
        cond("((a = :s) OR (b = :s))");
        cond("(a) = (:s)");
    }

    #[test]
    fn function_operand_types() {
        let wrong = |f: &str, t: &str| {
            format!(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; \
                 operator or function: {f}, operand type: {t}"
            )
        };
        assert_eq!(cond_err("begins_with(a, :n)"), wrong("begins_with", "N"));
        assert_eq!(cond_err("begins_with(:bool, a)"), wrong("begins_with", "BOOL"));
        assert_eq!(cond_err("begins_with(a, size(b))"), wrong("begins_with", "N"));
        assert_eq!(cond_err("begins_with(a, :ss)"), wrong("begins_with", "SS"));
        assert_eq!(cond_err("attribute_type(a, :n)"), wrong("attribute_type", "N"));
        assert_eq!(cond_err("attribute_type(a, size(a))"), wrong("attribute_type", "N"));
        assert_eq!(
            cond_err("attribute_type(a, b)"),
            wrong("attribute_type", "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
        );
        assert_eq!(cond_err("size(size(a)) > :n"), wrong("size", "N"));
        assert_eq!(cond_err("size(:bool) > :n"), wrong("size", "BOOL"));
        assert_eq!(cond_err("size(:null) > :n"), wrong("size", "NULL"));
        assert_eq!(cond_err("attribute_not_exists(size(:n))"), wrong("size", "N"));
        assert_eq!(
            cond_err("attribute_type(a, :badtype)"),
            "Invalid ConditionExpression: Invalid attribute type name found; type: X, \
             valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
        );
        let path = |f: &str| {
            format!(
                "Invalid ConditionExpression: Operator or function requires a document path; operator or function: {f}"
            )
        };
        assert_eq!(cond_err("attribute_exists(:s) and a = :s"), path("attribute_exists"));
        assert_eq!(cond_err("attribute_not_exists(size(:s))"), path("attribute_not_exists"));
        // The AST sizes paths only.
        assert_eq!(cond_err("size(:s) > :n"), path("size"));
        cond(
            "begins_with(:b, :b2) AND size(:s) > :n OR a = :s"
                .split(" AND ")
                .next()
                .unwrap(),
        );
    }

    #[test]
    fn between_bounds() {
        assert_eq!(
            cond_err("a BETWEEN :n5 AND :n"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal \
             to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"
        );
        assert_eq!(
            cond_err("a BETWEEN :s AND :n"),
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper \
             bounds; lower bound operand: AttributeValue: {S:x}, upper bound operand: AttributeValue: {N:1}"
        );
        assert!(cond_err("a BETWEEN :s2 AND :s").contains("{S:y}, upper bound operand: AttributeValue: {S:x}"));
        assert!(cond_err("a BETWEEN :b2 AND :b").contains("{B:Yg==}, upper bound operand: AttributeValue: {B:YQ==}"));
        cond("a BETWEEN :n AND :n");
        cond("a BETWEEN :b AND :b2");
        cond("a BETWEEN b AND :n");
    }

    #[test]
    fn error_precedence() {
        // Syntax errors first, whatever else is wrong.
        assert!(cond_err("name = :zz AND").contains("Syntax error"));
        // Redundant parentheses, invalid function, misused function, reserved word, then per-condition errors.
        assert!(cond_err("foo(a) = :s AND ((b = :s))").contains("redundant parentheses"));
        assert!(cond_err("name = :s AND foo(a) = :s").contains("Invalid function name"));
        assert!(cond_err("name = :s AND size(a)").contains("not allowed to be used"));
        assert!(cond_err("a = :zz AND name = :s").contains("reserved keyword"));
        // Within one condition: undefined placeholder, operand count, distinct, type.
        assert!(cond_err("begins_with(:zz)").contains("attribute value: :zz"));
        assert!(cond_err("attribute_type(a, a, :n)").contains("number of operands"));
        assert!(cond_err("attribute_type(a, a)").contains("distinct"));
        // The first condition with an error decides.
        assert!(cond_err("begins_with(a) AND b = :zz").contains("number of operands"));
        assert!(cond_err("b = :zz AND begins_with(a)").contains("attribute value: :zz"));
    }

    #[test]
    fn path_depth_limit() {
        let deep = vec!["a"; 33].join(".");
        assert_eq!(
            cond_err(&format!("{deep} = :s")),
            "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"
        );
        let deep_index = format!("a{}", "[0]".repeat(40));
        assert!(upd_err(&format!("REMOVE {deep_index}")).ends_with("nesting levels: 41"));
        assert!(proj_err(&deep).ends_with("nesting levels: 33"));
    }

    #[test]
    fn nesting_limit() {
        let ok = format!("{}a = :s{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(cond_err(&ok).contains("redundant parentheses"));
        let chain = format!("a = :s{}{}", " OR (a = :s".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        cond(&chain);
        let deep = format!("{}a = :s{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        let msg = format!(
            "Invalid ConditionExpression: The expression has too many nested levels; maximum nested levels: {MAX_NESTING}"
        );
        assert_eq!(cond_err(&deep), msg);
        assert_eq!(cond_err(&"(".repeat(4096)), msg);
        assert_eq!(
            cond_err(&format!("a < {}b{}", "f(".repeat(1300), ")".repeat(1300))),
            msg
        );
        assert!(
            upd_err(&format!(
                "SET a = {}a, b{}",
                "list_append(".repeat(200),
                ")".repeat(200)
            ))
            .ends_with("maximum nested levels: 128")
        );
        let nested = format!("SET a = {}a{}", "list_append(".repeat(100), ", :l)".repeat(100));
        assert_eq!(upd(&nested).len(), 1);
    }

    #[test]
    fn deep_input_runs_on_a_small_stack() {
        // The deepest accepted nesting, parsed on a thread with a 1 MB stack.
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let chain = format!("a < b{}{}", " OR (a < b".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
                let mut ctx = ExprContext::new(None, None);
                assert!(ctx.condition(ExprKind::Condition, &chain).is_ok());
                let call = format!(
                    "a < {}b{}",
                    "size(".repeat(MAX_NESTING - 1),
                    ")".repeat(MAX_NESTING - 1)
                );
                assert!(ctx.condition(ExprKind::Condition, &call).is_err());
                let upd = format!(
                    "SET a = {}a{}",
                    "list_append(".repeat(MAX_NESTING),
                    ", b)".repeat(MAX_NESTING)
                );
                assert!(ctx.update(&upd).is_ok());
                let nots = format!("{}a < b", "NOT ".repeat(1000));
                assert!(ctx.condition(ExprKind::Condition, &nots).is_err());
            })
            .unwrap();
        handle.join().unwrap();
    }

    // -- update expressions -------------------------------------------------

    #[test]
    fn update_clauses() {
        let actions = upd("SET a = :s, b = b + :n, c = list_append(c, :l), d = if_not_exists(d, :n)");
        assert_eq!(
            actions,
            vec![
                UpdateAction::Set(
                    path("a"),
                    SetValue::Operand(SetOperand::Value(AttributeValue::S("x".into())))
                ),
                UpdateAction::Set(
                    path("b"),
                    SetValue::Plus(
                        SetOperand::Path(path("b")),
                        SetOperand::Value(AttributeValue::N("1".into()))
                    )
                ),
                UpdateAction::Set(
                    path("c"),
                    SetValue::Operand(SetOperand::ListAppend(
                        Box::new(SetOperand::Path(path("c"))),
                        Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                            "1".into()
                        )])))
                    ))
                ),
                UpdateAction::Set(
                    path("d"),
                    SetValue::Operand(SetOperand::IfNotExists(
                        path("d"),
                        Box::new(SetOperand::Value(AttributeValue::N("1".into())))
                    ))
                ),
            ]
        );
        assert_eq!(
            upd("REMOVE a, b[1], #n.c"),
            vec![
                UpdateAction::Remove(path("a")),
                UpdateAction::Remove(path("b[1]")),
                UpdateAction::Remove(path("name.c"))
            ]
        );
        assert_eq!(
            upd("ADD n :n, s :ss"),
            vec![
                UpdateAction::Add(path("n"), AttributeValue::N("1".into())),
                UpdateAction::Add(path("s"), AttributeValue::Ss(vec!["a".into()]))
            ]
        );
        assert_eq!(
            upd("DELETE s :ss"),
            vec![UpdateAction::Delete(path("s"), AttributeValue::Ss(vec!["a".into()]))]
        );
        assert_eq!(
            upd("set a = b - :n"),
            vec![UpdateAction::Set(
                path("a"),
                SetValue::Minus(
                    SetOperand::Path(path("b")),
                    SetOperand::Value(AttributeValue::N("1".into()))
                )
            )]
        );
    }

    #[test]
    fn update_clause_order_and_case() {
        let actions = upd("delete s :ss Remove r ADD n :n sEt a = :s");
        assert_eq!(
            actions,
            vec![
                UpdateAction::Delete(path("s"), AttributeValue::Ss(vec!["a".into()])),
                UpdateAction::Remove(path("r")),
                UpdateAction::Add(path("n"), AttributeValue::N("1".into())),
                UpdateAction::Set(
                    path("a"),
                    SetValue::Operand(SetOperand::Value(AttributeValue::S("x".into())))
                ),
            ]
        );
        for (e, section) in [
            ("set a = :s set c = :s", "SET"),
            ("remove a set b = :s REMOVE e", "REMOVE"),
            ("add a :n set b = :s add e :n", "ADD"),
            ("delete a :ss set b = :s delete e :ss", "DELETE"),
        ] {
            assert_eq!(
                upd_err(e),
                format!(
                    "Invalid UpdateExpression: The \"{section}\" section can only be used once in an update expression;"
                )
            );
        }
    }

    #[test]
    fn update_set_values() {
        let plus = |a: SetOperand, b: SetOperand| vec![UpdateAction::Set(path("a"), SetValue::Plus(a, b))];
        let (b, c) = (|| SetOperand::Path(path("b")), || SetOperand::Path(path("c")));
        assert_eq!(upd("SET a = (b + c)"), plus(b(), c()));
        assert_eq!(upd("SET a = (b) + (c)"), plus(b(), c()));
        assert_eq!(upd("SET a = ((b) + c)"), plus(b(), c()));
        assert_eq!(
            upd("SET a = (b)"),
            vec![UpdateAction::Set(path("a"), SetValue::Operand(b()))]
        );
        assert_eq!(
            upd("SET a = ((b))"),
            vec![UpdateAction::Set(path("a"), SetValue::Operand(b()))]
        );
        assert_eq!(
            upd("SET a = list_append(if_not_exists(a, :l), list_append(:l, (b)))"),
            vec![UpdateAction::Set(
                path("a"),
                SetValue::Operand(SetOperand::ListAppend(
                    Box::new(SetOperand::IfNotExists(
                        path("a"),
                        Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                            "1".into()
                        )])))
                    )),
                    Box::new(SetOperand::ListAppend(
                        Box::new(SetOperand::Value(AttributeValue::L(vec![AttributeValue::N(
                            "1".into()
                        )]))),
                        Box::new(b())
                    ))
                ))
            )]
        );
        assert_eq!(
            upd("SET a = if_not_exists(a, :n) + :n"),
            vec![UpdateAction::Set(
                path("a"),
                SetValue::Plus(
                    SetOperand::IfNotExists(path("a"), Box::new(SetOperand::Value(AttributeValue::N("1".into())))),
                    SetOperand::Value(AttributeValue::N("1".into()))
                )
            )]
        );
    }

    #[test]
    fn update_syntax_errors() {
        let cases = [
            ("whatever", "whatever", "whatever"),
            ("INVALID SYNTAX HERE", "INVALID", "INVALID SYNTAX"),
            ("set a", "<EOF>", "a"),
            ("add a", "<EOF>", "a"),
            ("set a=set", "set", "=set"),
            ("remove a = b", "=", "a = b"),
            ("add a = b", "=", "a = b"),
            ("delete a b", "b", "a b"),
            ("ADD a b", "b", "a b"),
            ("ADD hits : incr", ":", "hits : incr"),
            ("remove a b", "b", "a b"),
            ("set :s = b", ":s", "set :s ="),
            ("remove :s", ":s", "remove :s"),
            ("set a = b / c", "/", "b / c"),
            ("set a[1] = 1", "1", "= 1"),
            ("set a = b + c + d", "+", "c + d"),
            ("set a = b + (c + d)", "+", "c + d"),
            ("set a = (((b)))", "(", "((b"),
            ("set a = (b.c).d", ".", ").d"),
            ("SET if_not_exists(a, b) = a", "(", "if_not_exists(a"),
            ("set (a = b)", "(", "set (a"),
            ("SET a = :s,", "<EOF>", ","),
            ("SET a = :s REMOVE", "<EOF>", "REMOVE"),
            ("SET a = if_not_exists()", ")", "()"),
            ("SET a.set = :s", "set", ".set ="),
        ];
        for (expr, token, near) in cases {
            assert_eq!(
                upd_err(expr),
                format!("Invalid UpdateExpression: Syntax error; token: \"{token}\", near: \"{near}\""),
                "{expr}"
            );
        }
        assert_eq!(
            upd_err(""),
            "Invalid UpdateExpression: The expression can not be empty;"
        );
    }

    #[test]
    fn update_semantic_errors() {
        assert_eq!(
            upd_err(" set #a = :s set abOrt = :s "),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"
        );
        assert_eq!(
            upd_err("remove Absolute"),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute"
        );
        assert_eq!(
            upd_err("SET name = :s"),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"
        );
        assert_eq!(
            upd_err("set a = foo(b)"),
            "Invalid UpdateExpression: Invalid function name; function: foo"
        );
        assert_eq!(
            upd_err("set a = size(b)"),
            "Invalid UpdateExpression: Invalid function name; function: size"
        );
        assert!(upd_err("SET #zz = if_not_exists(:c)").ends_with("attribute name: #zz"));
        assert!(upd_err("SET a = if_not_exists(:zz)").ends_with("attribute value: :zz"));
        // Names before values, regardless of position.
        assert!(upd_err("SET a = :zz, #zz = :s").ends_with("attribute name: #zz"));
        assert_eq!(
            upd_err("set a = if_not_exists(c)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; \
             operator or function: if_not_exists, number of operands: 1"
        );
        assert!(upd_err("set a = list_append(c)").ends_with("list_append, number of operands: 1"));
        for e in [
            "set a = if_not_exists(:s, c)",
            "set a = if_not_exists(if_not_exists(a, b), c)",
        ] {
            assert_eq!(
                upd_err(e),
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"
            );
        }
        let wrong = |f: &str, t: &str| {
            format!(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: {f}, operand type: {t}"
            )
        };
        assert_eq!(upd_err("set a = list_append(:s, a)"), wrong("list_append", "S"));
        assert_eq!(upd_err("set a = list_append(a, :m)"), wrong("list_append", "M"));
        assert_eq!(upd_err("set a = a + :s"), wrong("+", "S"));
        assert_eq!(upd_err("set a = :ss - a"), wrong("-", "SS"));
        let clause = |c: &str, t: &str| {
            format!(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {c}, operand type: {t}"
            )
        };
        assert_eq!(upd_err("add a :s"), clause("ADD", "STRING"));
        assert_eq!(upd_err("add a :bool"), clause("ADD", "BOOLEAN"));
        assert_eq!(upd_err("add a :l"), clause("ADD", "LIST"));
        assert_eq!(upd_err("add a :m"), clause("ADD", "MAP"));
        assert_eq!(upd_err("add a :null"), clause("ADD", "NULL"));
        assert_eq!(upd_err("add a :b"), clause("ADD", "BINARY"));
        assert_eq!(upd_err("delete a :n"), clause("DELETE", "NUMBER"));
        upd("ADD a :n, b :ss, c :ns, d :bs DELETE e :ss");
        // The evaluator handles type mismatches against the item; literals are checked here.
        upd("SET a = b + c, d = list_append(e, f)");
    }

    #[test]
    fn a_list_index_above_2147483647_is_out_of_range_in_every_expression() {
        let range = |i: &str| format!("List index is not within the allowable range; index: [{i}]");
        // The largest index is accepted.
        assert_eq!(
            upd("SET a[2147483647] = :n")[0],
            UpdateAction::Set(
                path("a[2147483647]"),
                SetValue::Operand(SetOperand::Value(AttributeValue::N("1".into())))
            )
        );
        for big in ["2147483648", "99999999999", "99999999999999999999999"] {
            assert_eq!(
                upd_err(&format!("SET a[{big}] = :n")),
                format!("Invalid UpdateExpression: {}", range(big))
            );
            assert_eq!(
                upd_err(&format!("REMOVE a[{big}]")),
                format!("Invalid UpdateExpression: {}", range(big))
            );
            assert_eq!(
                cond_err(&format!("attribute_exists(a[{big}])")),
                format!("Invalid ConditionExpression: {}", range(big))
            );
            assert_eq!(
                proj_err(&format!("a[{big}]")),
                format!("Invalid ProjectionExpression: {}", range(big))
            );
        }
        // Before every other error but syntax, as in DynamoDB Local; the
        // first index out of range is the one reported.
        let b = "2147483648";
        for e in [
            format!("SET a[{b}] = :n, #zz = :n"),
            format!("SET size = :n, a[{b}] = :n"),
            format!("SET a[{b}] = :n REMOVE a"),
            format!("SET a[{b}] = :zz"),
            format!("SET a[{b}] = foo(:n)"),
            format!("SET a[{b}] = :n, a[2147483649] = :n"),
            format!("SET a{}[{b}] = :n", "[0]".repeat(40)),
        ] {
            assert_eq!(upd_err(&e), format!("Invalid UpdateExpression: {}", range(b)), "{e}");
        }
        assert_eq!(
            upd_err(&format!("SET a[{b}] = :n, c =")),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"=\""
        );
        for e in [
            format!("attribute_exists(a[{b}]) AND #zz = :n"),
            format!("attribute_exists(a[{b}]) AND foo(a)"),
            format!("a[{b}] = :n AND size = :n"),
        ] {
            assert_eq!(
                cond_err(&e),
                format!("Invalid ConditionExpression: {}", range(b)),
                "{e}"
            );
        }
        assert_eq!(
            proj_err(&format!("a[{b}], size, #zz")),
            format!("Invalid ProjectionExpression: {}", range(b))
        );
    }

    #[test]
    fn update_path_overlap_and_conflict() {
        let overlap = |a: &str, b: &str| {
            format!(
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one \
                 of these paths; path one: {a}, path two: {b}"
            )
        };
        let conflict = |a: &str, b: &str| {
            format!(
                "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite \
                 one of these paths; path one: {a}, path two: {b}"
            )
        };
        assert_eq!(upd_err("SET a = :s REMOVE a.b"), overlap("[a]", "[a, b]"));
        assert_eq!(upd_err("set a = b remove a, c"), overlap("[a]", "[a]"));
        assert_eq!(upd_err("remove c, #a.x, c.d"), overlap("[c]", "[c, d]"));
        assert_eq!(
            upd_err("set #a[3].#d = :s, #a[3] = :s"),
            overlap("[a, [3], [3]]", "[a, [3]]")
        );
        assert_eq!(
            upd_err("set d[1] = a, d.b = a, c[1].a = a, c = a"),
            overlap("[c, [1], a]", "[c]")
        );
        assert_eq!(
            upd_err("set #a[3].#d = :s, #a.#d[3] = :s"),
            conflict("[a, [3], [3]]", "[a, [3], [3]]")
        );
        assert_eq!(upd_err("remove a.#a set a[1] = :s"), conflict("[a, a]", "[a, [1]]"));
        upd("SET a.b = :s, a.c = :s, l[0] = :s, l[1] = :s REMOVE x ADD y :n");
    }

    // -- projections --------------------------------------------------------

    #[test]
    fn projections() {
        assert_eq!(proj("a"), vec![path("a")]);
        assert_eq!(
            proj("a, b.c[1], #n.d, #u"),
            vec![path("a"), path("b.c[1]"), path("name.d"), path("used")]
        );
        assert_eq!(proj(" a ,b "), vec![path("a"), path("b")]);
        assert_eq!(
            proj_err(""),
            "Invalid ProjectionExpression: The expression can not be empty;"
        );
        assert_eq!(
            proj_err("a b"),
            "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\""
        );
        assert_eq!(
            proj_err("a,"),
            "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\""
        );
        assert_eq!(
            proj_err("!!!"),
            "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\""
        );
        assert_eq!(
            proj_err("size(a)"),
            "Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"size(a\""
        );
        assert_eq!(
            proj_err("Comment"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"
        );
        assert_eq!(
            proj_err("a, and"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: and"
        );
        assert!(proj_err("#zz").ends_with("attribute name: #zz"));
        assert_eq!(
            proj_err("a, a.b"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one \
             of these paths; path one: [a], path two: [a, b]"
        );
        assert_eq!(
            proj_err("a.b, a"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one \
             of these paths; path one: [a, b], path two: [a]"
        );
        assert_eq!(
            proj_err("a.b, a[1]"),
            "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite \
             one of these paths; path one: [a, b], path two: [a, [1]]"
        );
        assert_eq!(proj("a.b, a.c, l[0], l[1]").len(), 4);
    }

    // -- placeholders across a request --------------------------------------

    #[test]
    fn placeholder_tracking() {
        let (n, v) = (names(), values());
        let mut ctx = ExprContext::new(Some(&n), Some(&v));
        ctx.check_maps().unwrap();
        ctx.condition(
            ExprKind::Condition,
            "#a = :s AND #b IN (:n, :n5) AND attribute_type(#n, :t)",
        )
        .unwrap();
        ctx.update("SET #dot = :s2, x = list_append(:l, :l) ADD y :ss, z :ns DELETE w :bs REMOVE #d")
            .unwrap();
        ctx.projection("#u").unwrap();
        ctx.condition(
            ExprKind::Filter,
            "a BETWEEN :b AND :b2 OR c = :bool OR d = :null OR e = :m OR f = :badtype",
        )
        .unwrap();
        ctx.finish().unwrap();

        let mut ctx = ExprContext::new(Some(&n), Some(&v));
        ctx.condition(ExprKind::Condition, "#a = :s").unwrap();
        assert_eq!(
            message(ctx.finish().unwrap_err()),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #d, #dot, #n, #u}"
        );

        let one_name: HashMap<String, String> = [("#a".to_string(), "a".to_string())].into();
        let two_values: HashMap<String, AttributeValue> = [
            (":v".to_string(), AttributeValue::N("1".into())),
            (":w".to_string(), AttributeValue::N("2".into())),
        ]
        .into();
        let mut ctx = ExprContext::new(Some(&one_name), Some(&two_values));
        ctx.update("SET #a = :v").unwrap();
        assert_eq!(
            message(ctx.finish().unwrap_err()),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"
        );
        // Names are reported before values.
        let mut ctx = ExprContext::new(Some(&one_name), Some(&two_values));
        ctx.projection("a").unwrap();
        assert_eq!(
            message(ctx.finish().unwrap_err()),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"
        );
        ExprContext::new(None, None).finish().unwrap();
    }

    #[test]
    fn map_checks() {
        let empty_names = HashMap::new();
        let empty_values = HashMap::new();
        let ctx = ExprContext::new(Some(&empty_names), None);
        assert_eq!(
            message(ctx.check_maps().unwrap_err()),
            "ExpressionAttributeNames must not be empty"
        );
        assert_eq!(
            message(ctx.finish().unwrap_err()),
            "ExpressionAttributeNames must not be empty"
        );
        let ctx = ExprContext::new(None, Some(&empty_values));
        assert_eq!(
            message(ctx.check_maps().unwrap_err()),
            "ExpressionAttributeValues must not be empty"
        );
        let bad_names: HashMap<String, String> = [("a".to_string(), "a".to_string())].into();
        assert_eq!(
            message(ExprContext::new(Some(&bad_names), None).check_maps().unwrap_err()),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
        );
        let bad_names: HashMap<String, String> = [("#a-b".to_string(), "a".to_string())].into();
        assert!(message(ExprContext::new(Some(&bad_names), None).check_maps().unwrap_err()).ends_with("key: \"#a-b\""));
        let bad_values: HashMap<String, AttributeValue> = [(":".to_string(), AttributeValue::N("1".into()))].into();
        assert_eq!(
            message(ExprContext::new(None, Some(&bad_values)).check_maps().unwrap_err()),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \":\""
        );
        let (n, v) = (names(), values());
        ExprContext::new(Some(&n), Some(&v)).check_maps().unwrap();
    }

    #[test]
    fn base64_encoding() {
        for (raw, encoded) in [
            ("", ""),
            ("a", "YQ=="),
            ("ab", "YWI="),
            ("abc", "YWJj"),
            ("abcd", "YWJjZA=="),
        ] {
            assert_eq!(base64(raw.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    // -- property tests -----------------------------------------------------

    /// Runs every entry point on the text; only panics (or stack overflows)
    /// fail the test.
    fn parse_everything(text: &str) {
        let (n, v) = (names(), values());
        let mut ctx = ExprContext::new(Some(&n), Some(&v));
        let _ = ctx.condition(ExprKind::Condition, text);
        let _ = ctx.condition(ExprKind::KeyCondition, text);
        let _ = ctx.update(text);
        let _ = ctx.projection(text);
        let _ = ctx.finish();
    }

    const SOUP: &[&str] = &[
        "AND",
        "and",
        "OR",
        "or",
        "NOT",
        "not",
        "BETWEEN",
        "IN",
        "in",
        "SET",
        "set",
        "REMOVE",
        "ADD",
        "DELETE",
        "(",
        "(",
        ")",
        ")",
        "[",
        "]",
        ".",
        ",",
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "a",
        "b",
        "c",
        "x1",
        "name",
        "_a",
        "#a",
        "#b",
        "#n",
        "#zz",
        "#",
        ":s",
        ":n",
        ":l",
        ":ss",
        ":zz",
        ":",
        "0",
        "1",
        "42",
        "99999999999999999999999",
        "size",
        "SIZE",
        "attribute_exists",
        "attribute_not_exists",
        "attribute_type",
        "begins_with",
        "contains",
        "if_not_exists",
        "list_append",
        "foo",
        "!",
        "\"",
        "é",
        "ü",
        "\t",
        " ",
        "",
    ];

    fn soup() -> impl Strategy<Value = String> {
        prop::collection::vec((prop::sample::select(SOUP), prop::bool::ANY), 0..60).prop_map(|toks| {
            let mut out = String::new();
            for (tok, space) in toks {
                out.push_str(tok);
                if space {
                    out.push(' ');
                }
            }
            out
        })
    }

    proptest! {
        #[test]
        fn fuzz_random_strings(text in "\\PC{0,120}") {
            parse_everything(&text);
        }

        #[test]
        fn fuzz_ascii_strings(text in "[ -~\\t\\n]{0,120}") {
            parse_everything(&text);
        }

        #[test]
        fn fuzz_token_soup(text in soup()) {
            parse_everything(&text);
        }
    }

    /// A random, well-formed condition and the AST it must parse to.
    fn condition_tree() -> impl Strategy<Value = (String, Condition)> {
        let operand = prop_oneof![
            prop::sample::select(&["a", "b", "c.d", "e[1]", "f.g[2].h"][..]).prop_map(|t| (t.to_string(), p(t))),
            Just(("#n".to_string(), p("name"))),
            Just((":s".to_string(), s("x"))),
            Just((":n".to_string(), n("1"))),
            Just(("size(a)".to_string(), Operand::Size(path("a")))),
        ];
        let leaf = prop_oneof![
            (
                operand.clone(),
                prop::sample::select(&["=", "<>", "<", "<=", ">", ">="][..]),
                operand.clone()
            )
                .prop_map(|((lt, l), sym, (rt, r))| {
                    let op = match sym {
                        "=" => CompareOp::Eq,
                        "<>" => CompareOp::Ne,
                        "<" => CompareOp::Lt,
                        "<=" => CompareOp::Le,
                        ">" => CompareOp::Gt,
                        _ => CompareOp::Ge,
                    };
                    (format!("{lt} {sym} {rt}"), cmp(op, l, r))
                }),
            (operand.clone(), operand.clone(), operand.clone()).prop_map(|((vt, v), (lt, l), (ht, h))| {
                (
                    format!("{vt} BETWEEN {lt} AND {ht}"),
                    Condition::Between {
                        value: v,
                        low: l,
                        high: h,
                    },
                )
            }),
            (operand.clone(), prop::collection::vec(operand, 1..4)).prop_map(|((vt, v), list)| {
                let text = list.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>().join(", ");
                (
                    format!("{vt} IN ({text})"),
                    Condition::In {
                        value: v,
                        list: list.into_iter().map(|(_, o)| o).collect(),
                    },
                )
            }),
            Just((
                "attribute_exists(a.b)".to_string(),
                Condition::AttributeExists(path("a.b"))
            )),
            Just(("contains(c, :s)".to_string(), Condition::Contains(p("c"), s("x")))),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|((a, x), (b, y))| (format!("({a}) AND ({b})"), and(x, y))),
                (inner.clone(), inner.clone()).prop_map(|((a, x), (b, y))| (format!("({a}) OR ({b})"), or(x, y))),
                inner.prop_map(|(a, x)| (format!("NOT ({a})"), not(x))),
            ]
        })
    }

    proptest! {
        #[test]
        fn well_formed_conditions_parse((text, expected) in condition_tree()) {
            let (n, v) = (names(), values());
            let mut ctx = ExprContext::new(Some(&n), Some(&v));
            match ctx.condition(ExprKind::Condition, &text) {
                Ok(c) => prop_assert_eq!(c, expected),
                // Generated trees may compare a path with itself, bound BETWEEN with
                // mixed types, or reach the redundant-parenthesis rule.
                Err(Error::Validation(m)) => prop_assert!(
                    m.contains("distinct") || m.contains("redundant") || m.contains("BETWEEN operator"),
                    "{} -> {}", text, m
                ),
                Err(other) => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
