//! The AST of DynamoDB's PartiQL subset: what the parser (`parser.rs`)
//! produces and the lowering (`lower.rs`) consumes. Parameters (`?`) stay
//! numbered here; the lowering binds them to the request's `Parameters`.

/// One step of a path: `a`, `.b`, `[2]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// An attribute or map key (bare or double-quoted identifier).
    Name(String),
    /// A list index.
    Index(usize),
}

/// A document path, its first step always a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path(pub Vec<Step>);

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    /// `=`
    Eq,
    /// `<>` or `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// An expression: a value, a path, or a condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// A path into the item.
    Path(Path),
    /// A string literal (single quotes).
    Str(String),
    /// A number literal, as written.
    Num(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `?`: the n-th parameter (from 0).
    Param(usize),
    /// `{'k': v, ...}`.
    Map(Vec<(String, Expr)>),
    /// `[v, ...]`.
    List(Vec<Expr>),
    /// `<<v, ...>>`.
    Set(Vec<Expr>),
    /// `a op b`.
    Compare(Cmp, Box<Expr>, Box<Expr>),
    /// `a AND b AND ...` (two or more, flat: a long chain is no deeper).
    And(Vec<Expr>),
    /// `a OR b OR ...` (two or more, flat).
    Or(Vec<Expr>),
    /// `NOT a`.
    Not(Box<Expr>),
    /// `a BETWEEN b AND c`.
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `a IN (b, ...)` or `a IN [b, ...]`.
    In(Box<Expr>, Vec<Expr>),
    /// `a IS [NOT] MISSING` (`true`: NOT).
    IsMissing(Box<Expr>, bool),
    /// `a IS [NOT] NULL` (`true`: NOT).
    IsNull(Box<Expr>, bool),
    /// `a + b`.
    Plus(Box<Expr>, Box<Expr>),
    /// `a - b`.
    Minus(Box<Expr>, Box<Expr>),
    /// `name(args)`, the name lower-cased.
    Call(String, Vec<Expr>),
}

/// `RETURNING ... *` of an UPDATE or DELETE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Returning {
    /// `ALL OLD *`
    AllOld,
    /// `MODIFIED OLD *`
    ModifiedOld,
    /// `ALL NEW *`
    AllNew,
    /// `MODIFIED NEW *`
    ModifiedNew,
}

impl Returning {
    /// The clause as written.
    pub(crate) fn clause(self) -> &'static str {
        match self {
            Returning::AllOld => "RETURNING ALL OLD *",
            Returning::ModifiedOld => "RETURNING MODIFIED OLD *",
            Returning::AllNew => "RETURNING ALL NEW *",
            Returning::ModifiedNew => "RETURNING MODIFIED NEW *",
        }
    }
}

/// One action of an UPDATE.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    /// `SET path = value`.
    Set(Path, Expr),
    /// `REMOVE path`.
    Remove(Path),
}

/// A statement.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Statement {
    /// `SELECT list FROM table[.index] [WHERE cond] [ORDER BY key [ASC|DESC]]`.
    Select {
        /// The projection (`None`: `*`).
        projection: Option<Vec<Path>>,
        /// The table.
        table: String,
        /// The index, for `"table"."index"`.
        index: Option<String>,
        /// The WHERE clause.
        filter: Option<Expr>,
        /// `ORDER BY`: the attribute, and whether descending.
        order: Option<(Path, bool)>,
    },
    /// `INSERT INTO table VALUE item`.
    Insert {
        /// The table.
        table: String,
        /// The item (a map literal or a parameter).
        item: Expr,
    },
    /// `UPDATE table SET/REMOVE ... WHERE cond [RETURNING ...]`.
    Update {
        /// The table.
        table: String,
        /// The actions, in order.
        actions: Vec<Action>,
        /// The WHERE clause (required, but its absence is refused later).
        filter: Option<Expr>,
        /// `RETURNING`.
        returning: Option<Returning>,
    },
    /// `DELETE FROM table WHERE cond [RETURNING ALL OLD *]`.
    Delete {
        /// The table.
        table: String,
        /// The WHERE clause (required, but its absence is refused later).
        filter: Option<Expr>,
        /// `RETURNING`.
        returning: Option<Returning>,
    },
}

impl Statement {
    /// Whether this statement only reads.
    pub(crate) fn is_read(&self) -> bool {
        matches!(self, Statement::Select { .. })
    }
}
