//! The PartiQL parser: tokens to the AST of `ast.rs`, by recursive descent.
//! Precedence, loosest first: `OR`, `AND`, `NOT`, the predicates (`=`...,
//! `BETWEEN`, `IN`, `IS`), `+`/`-`, then the primaries.

use super::ast::{Action, Cmp, Expr, Path, Returning, Statement, Step};
use super::lexer::{Malformed, Pos, Token, lex_with_positions};
use super::reserved;

/// Why a statement was refused before it reached a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// Not well formed.
    Malformed,
    /// A function DynamoDB does not know (its name as written).
    UnknownFunction(String),
    /// An INSERT naming an index.
    IndexInDml,
    /// An UPDATE or DELETE naming an index.
    IndexInWrite,
    /// An INSERT without `VALUE`.
    InsertWithoutValue,
    /// An INSERT whose VALUE is not a `{...}` (where the value starts).
    InsertNotStruct(Pos),
    /// A DELETE returning anything but `ALL OLD *` (the clause as written).
    DeleteReturning(&'static str),
}

impl From<Malformed> for ParseError {
    fn from(_: Malformed) -> ParseError {
        ParseError::Malformed
    }
}

/// The functions of DynamoDB's PartiQL, lower case.
const FUNCTIONS: [&str; 8] = [
    "begins_with",
    "contains",
    "attribute_type",
    "size",
    "list_append",
    "set_add",
    "set_delete",
    "if_not_exists",
];

/// Parses one statement, and counts its `?` parameters.
pub(crate) fn parse(text: &str) -> Result<(Statement, usize), ParseError> {
    let (tokens, positions) = lex_with_positions(text)?.into_iter().unzip();
    let mut p = Parser {
        tokens,
        positions,
        pos: 0,
        params: 0,
        depth: 0,
    };
    let st = p.statement()?;
    if p.pos != p.tokens.len() {
        return Err(ParseError::Malformed);
    }
    Ok((st, p.params))
}

struct Parser {
    tokens: Vec<Token>,
    /// Where each token is.
    positions: Vec<Pos>,
    pos: usize,
    params: usize,
    /// How deep the parser is in nested parentheses, lists, maps, sets,
    /// calls and NOTs.
    depth: usize,
}

/// The deepest nesting read: deeper statements are not well formed. The
/// parser recurses, and no statement may exhaust a thread's stack (a level
/// costs about 10 KB of stack in a debug build); DynamoDB Local takes 100
/// levels and fails with an internal error on a few thousand.
pub(crate) const MAX_DEPTH: usize = 50;

type R<T> = Result<T, ParseError>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.tokens.get(self.pos + n)
    }

    fn next(&mut self) -> R<Token> {
        let t = self.tokens.get(self.pos).cloned().ok_or(ParseError::Malformed)?;
        self.pos += 1;
        Ok(t)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn kw(&mut self, kw: &str) -> R<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(ParseError::Malformed)
        }
    }

    fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Token::Sym(t)) if *t == s)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        let yes = self.is_sym(s);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn sym(&mut self, s: &str) -> R<()> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            Err(ParseError::Malformed)
        }
    }

    fn statement(&mut self) -> R<Statement> {
        if self.eat_kw("SELECT") {
            self.select()
        } else if self.eat_kw("INSERT") {
            self.kw("INTO")?;
            let table = self.dml_target()?;
            if !self.eat_kw("VALUE") {
                return Err(ParseError::InsertWithoutValue);
            }
            if !self.is_sym("{") {
                return Err(self
                    .positions
                    .get(self.pos)
                    .map_or(ParseError::Malformed, |p| ParseError::InsertNotStruct(*p)));
            }
            let item = self.expr()?;
            Ok(Statement::Insert { table, item })
        } else if self.eat_kw("UPDATE") {
            self.update()
        } else if self.eat_kw("DELETE") {
            self.kw("FROM")?;
            let table = self.write_target()?;
            let filter = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
            let returning = self.returning()?;
            if let Some(r) = returning
                && r != Returning::AllOld
            {
                return Err(ParseError::DeleteReturning(r.clause()));
            }
            Ok(Statement::Delete {
                table,
                filter,
                returning,
            })
        } else {
            Err(ParseError::Malformed)
        }
    }

    fn select(&mut self) -> R<Statement> {
        let projection = if self.eat_sym("*") {
            None
        } else {
            let mut paths = vec![self.path()?];
            while self.eat_sym(",") {
                paths.push(self.path()?);
            }
            Some(paths)
        };
        self.kw("FROM")?;
        let (table, index) = self.target()?;
        let filter = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let order = if self.eat_kw("ORDER") {
            self.kw("BY")?;
            let path = self.path()?;
            let desc = if self.eat_kw("DESC") {
                true
            } else {
                self.eat_kw("ASC");
                false
            };
            Some((path, desc))
        } else {
            None
        };
        Ok(Statement::Select {
            projection,
            table,
            index,
            filter,
            order,
        })
    }

    fn update(&mut self) -> R<Statement> {
        let table = self.write_target()?;
        let mut actions = Vec::new();
        loop {
            if self.eat_kw("SET") {
                loop {
                    let path = self.path()?;
                    self.sym("=")?;
                    actions.push(Action::Set(path, self.additive()?));
                    if !self.eat_sym(",") {
                        break;
                    }
                }
            } else if self.eat_kw("REMOVE") {
                loop {
                    actions.push(Action::Remove(self.path()?));
                    if !self.eat_sym(",") {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        if actions.is_empty() {
            return Err(ParseError::Malformed);
        }
        let filter = if self.eat_kw("WHERE") { Some(self.expr()?) } else { None };
        let returning = self.returning()?;
        Ok(Statement::Update {
            table,
            actions,
            filter,
            returning,
        })
    }

    fn returning(&mut self) -> R<Option<Returning>> {
        if !self.eat_kw("RETURNING") {
            return Ok(None);
        }
        let all = if self.eat_kw("ALL") {
            true
        } else {
            self.kw("MODIFIED")?;
            false
        };
        let old = if self.eat_kw("OLD") {
            true
        } else {
            self.kw("NEW")?;
            false
        };
        self.sym("*")?;
        Ok(Some(match (all, old) {
            (true, true) => Returning::AllOld,
            (false, true) => Returning::ModifiedOld,
            (true, false) => Returning::AllNew,
            (false, false) => Returning::ModifiedNew,
        }))
    }

    /// An identifier: double-quoted, or bare and neither a reserved word
    /// nor `MISSING`.
    fn ident(&mut self) -> R<String> {
        match self.next()? {
            Token::Word(w) if reserved::is_reserved(&w) || w.eq_ignore_ascii_case("missing") => {
                Err(ParseError::Malformed)
            }
            Token::Word(w) | Token::Quoted(w) => Ok(w),
            _ => Err(ParseError::Malformed),
        }
    }

    /// `table` or `table.index`.
    fn target(&mut self) -> R<(String, Option<String>)> {
        let table = self.ident()?;
        let index = if self.eat_sym(".") { Some(self.ident()?) } else { None };
        Ok((table, index))
    }

    fn dml_target(&mut self) -> R<String> {
        match self.target()? {
            (table, None) => Ok(table),
            (_, Some(_)) => Err(ParseError::IndexInDml),
        }
    }

    fn write_target(&mut self) -> R<String> {
        match self.target()? {
            (table, None) => Ok(table),
            (_, Some(_)) => Err(ParseError::IndexInWrite),
        }
    }

    fn path(&mut self) -> R<Path> {
        let mut steps = vec![Step::Name(self.ident()?)];
        loop {
            if self.eat_sym(".") {
                steps.push(Step::Name(self.ident()?));
            } else if self.is_sym("[") {
                self.pos += 1;
                match self.next()? {
                    Token::Num(n) => steps.push(Step::Index(n.parse().map_err(|_| ParseError::Malformed)?)),
                    Token::Str(s) => steps.push(Step::Name(s)),
                    _ => return Err(ParseError::Malformed),
                }
                self.sym("]")?;
            } else {
                return Ok(Path(steps));
            }
        }
    }

    fn expr(&mut self) -> R<Expr> {
        let mut terms = vec![self.and()?];
        while self.eat_kw("OR") {
            terms.push(self.and()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::Or(terms)
        })
    }

    fn and(&mut self) -> R<Expr> {
        let mut terms = vec![self.not()?];
        while self.eat_kw("AND") {
            terms.push(self.not()?);
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::And(terms)
        })
    }

    fn not(&mut self) -> R<Expr> {
        if self.eat_kw("NOT") {
            let inner = self.nested(Self::not)?;
            Ok(Expr::Not(Box::new(inner)))
        } else {
            self.predicate()
        }
    }

    /// `f`, one level deeper.
    fn nested<T>(&mut self, f: fn(&mut Self) -> R<T>) -> R<T> {
        if self.depth >= MAX_DEPTH {
            return Err(ParseError::Malformed);
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn predicate(&mut self) -> R<Expr> {
        let left = self.additive()?;
        let cmp = match self.peek() {
            Some(Token::Sym("=")) => Some(Cmp::Eq),
            Some(Token::Sym("<>" | "!=")) => Some(Cmp::Ne),
            Some(Token::Sym("<")) => Some(Cmp::Lt),
            Some(Token::Sym("<=")) => Some(Cmp::Le),
            Some(Token::Sym(">")) => Some(Cmp::Gt),
            Some(Token::Sym(">=")) => Some(Cmp::Ge),
            _ => None,
        };
        if let Some(op) = cmp {
            self.pos += 1;
            let right = self.additive()?;
            return Ok(Expr::Compare(op, Box::new(left), Box::new(right)));
        }
        if self.eat_kw("BETWEEN") {
            let low = self.additive()?;
            self.kw("AND")?;
            let high = self.additive()?;
            return Ok(Expr::Between(Box::new(left), Box::new(low), Box::new(high)));
        }
        if self.eat_kw("IN") {
            let close = if self.eat_sym("(") {
                ")"
            } else {
                self.sym("[")?;
                "]"
            };
            let mut list = vec![self.additive()?];
            while self.eat_sym(",") {
                list.push(self.additive()?);
            }
            self.sym(close)?;
            return Ok(Expr::In(Box::new(left), list));
        }
        if self.eat_kw("IS") {
            let negated = self.eat_kw("NOT");
            if self.eat_kw("MISSING") {
                return Ok(Expr::IsMissing(Box::new(left), negated));
            }
            self.kw("NULL")?;
            return Ok(Expr::IsNull(Box::new(left), negated));
        }
        Ok(left)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut left = self.primary()?;
        loop {
            if self.eat_sym("+") {
                left = Expr::Plus(Box::new(left), Box::new(self.primary()?));
            } else if self.eat_sym("-") {
                left = Expr::Minus(Box::new(left), Box::new(self.primary()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn list(&mut self, close: &str) -> R<Vec<Expr>> {
        let mut items = Vec::new();
        if self.eat_sym(close) {
            return Ok(items);
        }
        loop {
            items.push(self.expr()?);
            if self.eat_sym(close) {
                return Ok(items);
            }
            self.sym(",")?;
        }
    }

    fn primary(&mut self) -> R<Expr> {
        self.nested(Self::primary_here)
    }

    fn primary_here(&mut self) -> R<Expr> {
        match self.peek().cloned() {
            Some(Token::Str(s)) => {
                self.pos += 1;
                Ok(Expr::Str(s))
            }
            Some(Token::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Token::Sym("-")) if matches!(self.peek_at(1), Some(Token::Num(_))) => {
                self.pos += 1;
                match self.next()? {
                    Token::Num(n) => Ok(Expr::Num(format!("-{n}"))),
                    _ => Err(ParseError::Malformed),
                }
            }
            Some(Token::Param) => {
                self.pos += 1;
                self.params += 1;
                Ok(Expr::Param(self.params - 1))
            }
            Some(Token::Sym("(")) => {
                self.pos += 1;
                let e = self.expr()?;
                self.sym(")")?;
                Ok(e)
            }
            Some(Token::Sym("[")) => {
                self.pos += 1;
                Ok(Expr::List(self.list("]")?))
            }
            Some(Token::Sym("<<")) => {
                self.pos += 1;
                Ok(Expr::Set(self.list(">>")?))
            }
            Some(Token::Sym("{")) => {
                self.pos += 1;
                let mut entries = Vec::new();
                if self.eat_sym("}") {
                    return Ok(Expr::Map(entries));
                }
                loop {
                    let key = match self.next()? {
                        Token::Str(s) => s,
                        _ => return Err(ParseError::Malformed),
                    };
                    self.sym(":")?;
                    entries.push((key, self.expr()?));
                    if self.eat_sym("}") {
                        return Ok(Expr::Map(entries));
                    }
                    self.sym(",")?;
                }
            }
            Some(Token::Word(w)) => {
                if w.eq_ignore_ascii_case("true") || w.eq_ignore_ascii_case("false") {
                    self.pos += 1;
                    return Ok(Expr::Bool(w.eq_ignore_ascii_case("true")));
                }
                if w.eq_ignore_ascii_case("null") {
                    self.pos += 1;
                    return Ok(Expr::Null);
                }
                // A call of any name but a literal's is a function, known or
                // not (`exists(a)` is an unknown function, not malformed).
                if matches!(self.peek_at(1), Some(Token::Sym("("))) && !w.eq_ignore_ascii_case("missing") {
                    self.pos += 2;
                    let name = w.to_ascii_lowercase();
                    if !FUNCTIONS.contains(&name.as_str()) {
                        return Err(ParseError::UnknownFunction(w));
                    }
                    return Ok(Expr::Call(name, self.list(")")?));
                }
                Ok(Expr::Path(self.path()?))
            }
            Some(Token::Quoted(_)) => Ok(Expr::Path(self.path()?)),
            _ => Err(ParseError::Malformed),
        }
    }
}
