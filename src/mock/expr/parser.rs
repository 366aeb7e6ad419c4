//! The recursive-descent parser: tokens to parsed nodes (placeholders
//! resolved, rules broken noted for [`super::to_ast`] to report), for the
//! condition, update and projection grammars.

use aws_sdk_dynamodb::types::AttributeValue;

use super::MAX_LIST_INDEX;
use super::MAX_PATH_DEPTH;
use super::ast::{CompareOp, Path, PathElement};
use super::checks::{Errs, note};
use super::lexer::{T, Tok};
use super::messages::*;
use super::placeholders::ExprContext;
use super::reserved::is_reserved;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Grammar {
    Condition,
    Update,
    Projection,
}

/// A syntax error, at this token index (`toks.len()` for the end of input).
pub(super) type PResult<T> = Result<T, usize>;

/// A document path as parsed, with the first placeholder that did not resolve.
pub(super) struct RawPath {
    pub(super) path: Path,
    pub(super) undefined: Option<String>,
}

/// A `:value` as parsed.
pub(super) enum RawValue {
    Known(AttributeValue),
    Undefined(String),
}

/// A node of the condition grammar. Operands and conditions share one
/// grammar (parentheses may wrap either); the parser checks which one each
/// position needs.
pub(super) struct Node {
    pub(super) e: E,
    /// The node is exactly a parenthesised group, `( ... )`.
    pub(super) group: bool,
    /// Index of the token after the node.
    pub(super) end: usize,
}

pub(super) enum E {
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
pub(super) enum RawSetOperand {
    Path(RawPath),
    Value(RawValue),
    Func { name: usize, args: Vec<RawSetOperand> },
}

pub(super) enum RawSetValue {
    Operand(RawSetOperand),
    Plus(RawSetOperand, RawSetOperand),
    Minus(RawSetOperand, RawSetOperand),
}

pub(super) enum RawAction {
    Set(RawPath, RawSetValue),
    Remove(RawPath),
    Add(RawPath, RawValue),
    Delete(RawPath, RawValue),
}

pub(super) struct Parser<'p, 'a> {
    pub(super) ctx: &'p mut ExprContext<'a>,
    pub(super) src: &'p str,
    pub(super) toks: Vec<Tok>,
    pub(super) pos: usize,
    pub(super) grammar: Grammar,
    /// Operators seen (conditions only).
    pub(super) ops: usize,
    pub(super) errs: Errs,
}

impl<'p, 'a> Parser<'p, 'a> {
    pub(super) fn new(ctx: &'p mut ExprContext<'a>, src: &'p str, toks: Vec<Tok>, grammar: Grammar) -> Self {
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

    pub(super) fn kind(&self, i: usize) -> Option<T> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(super) fn at(&self, kind: T) -> bool {
        self.kind(self.pos) == Some(kind)
    }

    pub(super) fn text(&self, i: usize) -> &'p str {
        let src: &'p str = self.src;
        self.toks.get(i).map_or("", |t| &src[t.start..t.end])
    }

    pub(super) fn is_kw(&self, i: usize, kw: &str) -> bool {
        self.kind(i) == Some(T::Word) && self.text(i).eq_ignore_ascii_case(kw)
    }

    /// Words the current grammar reserves for its own syntax.
    pub(super) fn is_keyword(&self, i: usize) -> bool {
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

    pub(super) fn expect(&mut self, kind: T) -> PResult<()> {
        if self.at(kind) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.pos)
        }
    }

    pub(super) fn syntax_message(&self, i: usize) -> String {
        let (token, near) = match self.toks.get(i) {
            Some(t) => {
                let from = if i > 0 { self.toks[i - 1].start } else { t.start };
                let to = self.toks.get(i + 1).map_or(t.end, |n| n.end);
                (&self.src[t.start..t.end], &self.src[from..to])
            }
            None => ("<EOF>", self.toks.last().map_or("", |t| &self.src[t.start..t.end])),
        };
        syntax_message(token, near)
    }

    // -- paths and values ---------------------------------------------------

    /// One path element naming a map key or attribute: a name or `#name`.
    pub(super) fn segment(&mut self, path: &mut RawPath) -> PResult<()> {
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
                    note(&mut self.errs.reserved, || reserved_word_message(text));
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
    pub(super) fn path_tail(&mut self, path: &mut RawPath) -> PResult<()> {
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
                            note(&mut self.errs.index_range, || index_range_message(&shown));
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

    pub(super) fn check_path_depth(&mut self, path: &RawPath) {
        let n = path.path.elements.len();
        if n > MAX_PATH_DEPTH {
            note(&mut self.errs.path_depth, || path_depth_message(n));
        }
    }

    /// A whole path (update and projection grammars: no parentheses).
    pub(super) fn plain_path(&mut self) -> PResult<RawPath> {
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
    pub(super) fn value(&mut self) -> PResult<RawValue> {
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

    pub(super) fn condition_top(&mut self) -> PResult<Box<Node>> {
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
    pub(super) fn boolean(&mut self) -> PResult<Box<Node>> {
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
    pub(super) fn term(&mut self) -> PResult<Box<Node>> {
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

    pub(super) fn comparator(&self) -> Option<CompareOp> {
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
    pub(super) fn comparison(&mut self, left: Box<Node>) -> PResult<Box<Node>> {
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
    pub(super) fn operand_list(&mut self) -> PResult<Vec<Node>> {
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
    pub(super) fn operand(&mut self, operand_only: bool) -> PResult<Box<Node>> {
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
    pub(super) fn call(&mut self) -> PResult<Box<Node>> {
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
    pub(super) fn group(&mut self, operand_only: bool) -> PResult<Box<Node>> {
        self.pos += 1;
        let mut inner = if operand_only {
            self.operand(true)?
        } else {
            self.boolean()?
        };
        self.expect(T::RParen)?;
        if inner.group {
            note(&mut self.errs.parens, || REDUNDANT_PARENTHESES.into());
        }
        inner.group = true;
        Ok(inner)
    }

    /// A `:value` or the first element of a path.
    pub(super) fn leaf(&mut self) -> PResult<Box<Node>> {
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
    pub(super) fn path_suffix(&mut self, node: &mut Node) -> PResult<()> {
        if let E::Path(path) = &mut node.e {
            if matches!(self.kind(self.pos), Some(T::Dot | T::LBracket)) {
                self.path_tail(path)?;
                node.group = false;
            }
            self.check_path_depth(path);
        }
        Ok(())
    }

    // -- update grammar -----------------------------------------------------

    pub(super) fn update_top(&mut self) -> PResult<Vec<RawAction>> {
        let mut actions = Vec::new();
        let mut seen = [false; 4];
        while self.pos < self.toks.len() {
            let clause = ["SET", "REMOVE", "ADD", "DELETE"]
                .iter()
                .position(|kw| self.is_kw(self.pos, kw))
                .ok_or(self.pos)?;
            if seen[clause] {
                let name = ["SET", "REMOVE", "ADD", "DELETE"][clause];
                note(&mut self.errs.section, || section_twice_message(name));
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
    pub(super) fn set_value(&mut self) -> PResult<RawSetValue> {
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

    pub(super) fn set_value_rest(&mut self, first: RawSetOperand) -> PResult<RawSetValue> {
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
    pub(super) fn set_operand(&mut self, parens: bool) -> PResult<Box<RawSetOperand>> {
        let i = self.pos;
        if parens && self.at(T::LParen) {
            self.set_paren()
        } else if self.kind(i) == Some(T::Word) && self.kind(i + 1) == Some(T::LParen) && !self.is_keyword(i) {
            self.set_call()
        } else {
            self.set_leaf()
        }
    }

    pub(super) fn set_paren(&mut self) -> PResult<Box<RawSetOperand>> {
        self.pos += 1;
        let operand = self.set_operand(false)?;
        self.expect(T::RParen)?;
        Ok(operand)
    }

    pub(super) fn set_call(&mut self) -> PResult<Box<RawSetOperand>> {
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

    pub(super) fn set_leaf(&mut self) -> PResult<Box<RawSetOperand>> {
        Ok(Box::new(if self.at(T::Value) {
            RawSetOperand::Value(self.value()?)
        } else {
            RawSetOperand::Path(self.plain_path()?)
        }))
    }

    // -- projection grammar -------------------------------------------------

    pub(super) fn projection_top(&mut self) -> PResult<Vec<RawPath>> {
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

/// A lone path or value where a condition is required is a syntax error at
/// the token after it (where a comparator was expected).
pub(super) fn need_condition(node: &Node) -> PResult<()> {
    match node.e {
        E::Path(_) | E::Value(_) => Err(node.end),
        _ => Ok(()),
    }
}

pub(super) fn join(make: fn(Box<Node>, Box<Node>) -> E, left: Box<Node>, right: Box<Node>) -> Box<Node> {
    let end = right.end;
    Box::new(Node {
        e: make(left, right),
        group: false,
        end,
    })
}
