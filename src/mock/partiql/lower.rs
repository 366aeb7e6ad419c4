//! Lowering: a PartiQL statement's expressions onto the mock's own
//! expression language, so that the expression parser builds the engine's
//! AST (`mock/ast.rs`) and every rule of the engine applies unchanged. Every
//! attribute name becomes a `#pN` placeholder and every value a `:pN` one,
//! so nothing written in PartiQL is ever re-read as expression syntax.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Action, Cmp, Expr, Path, Step};
use crate::Error;
use crate::schema::{KeyAttr, KeyType};

/// `Statement wasn't well formed`, naming the statement as DynamoDB Local does.
pub(crate) fn malformed(statement: &str) -> Error {
    Error::Validation(format!("Statement wasn't well formed, can't be processed: {statement}").into())
}

fn unsupported(what: &str) -> Error {
    Error::Validation(format!("Unsupported operation: {what}").into())
}

/// A key attribute's value of the wrong type.
pub(crate) fn key_type_mismatch(name: &str) -> Error {
    Error::Validation(
        format!("Key attribute's data type should match its data type in table's schema: Key {name}").into(),
    )
}

/// The placeholders of one lowered request, and the statement's parameters.
#[derive(Debug)]
pub(crate) struct Lowering<'p> {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    params: &'p [AttributeValue],
}

impl<'p> Lowering<'p> {
    /// A lowering binding `?` to `params`.
    pub(crate) fn new(params: &'p [AttributeValue]) -> Lowering<'p> {
        Lowering {
            names: HashMap::new(),
            values: HashMap::new(),
            params,
        }
    }

    /// The `ExpressionAttributeNames` made so far (`None` when empty).
    pub(crate) fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    /// The `ExpressionAttributeValues` made so far (`None` when empty).
    pub(crate) fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }

    fn name(&mut self, name: &str) -> String {
        if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == name) {
            return k.clone();
        }
        let k = format!("#p{}", self.names.len());
        self.names.insert(k.clone(), name.to_string());
        k
    }

    fn value(&mut self, av: AttributeValue) -> String {
        let k = format!(":p{}", self.values.len());
        self.values.insert(k.clone(), av);
        k
    }

    /// A path, in placeholders: `#p0.#p1[2]`.
    pub(crate) fn path(&mut self, path: &Path) -> String {
        let mut out = String::new();
        for step in &path.0 {
            match step {
                Step::Name(n) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    let k = self.name(n);
                    out.push_str(&k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// A projection list.
    pub(crate) fn projection(&mut self, paths: &[Path]) -> String {
        paths.iter().map(|p| self.path(p)).collect::<Vec<_>>().join(", ")
    }

    /// The value of a literal (or parameter) expression.
    pub(crate) fn literal(&self, e: &Expr) -> Result<AttributeValue, Error> {
        Ok(match e {
            Expr::Str(s) => AttributeValue::S(s.clone()),
            Expr::Num(n) => AttributeValue::N(number_literal(n)),
            Expr::Bool(b) => AttributeValue::Bool(*b),
            Expr::Null => AttributeValue::Null(true),
            Expr::Param(i) => self.params.get(*i).cloned().ok_or_else(param_count)?,
            Expr::Map(entries) => {
                let mut m = HashMap::new();
                for (k, v) in entries {
                    m.insert(k.clone(), self.literal(v)?);
                }
                AttributeValue::M(m)
            }
            Expr::List(items) => AttributeValue::L(items.iter().map(|i| self.literal(i)).collect::<Result<_, _>>()?),
            Expr::Set(items) => {
                let values: Vec<AttributeValue> = items.iter().map(|i| self.literal(i)).collect::<Result<_, _>>()?;
                set_of(values)?
            }
            _ => return Err(unsupported("non-literal value")),
        })
    }

    /// Whether `e` is a literal or parameter (a value, not a path).
    pub(crate) fn is_value(e: &Expr) -> bool {
        matches!(
            e,
            Expr::Str(_)
                | Expr::Num(_)
                | Expr::Bool(_)
                | Expr::Null
                | Expr::Param(_)
                | Expr::Map(_)
                | Expr::List(_)
                | Expr::Set(_)
        )
    }

    fn operand(&mut self, e: &Expr) -> Result<String, Error> {
        match e {
            Expr::Path(p) => Ok(self.path(p)),
            Expr::Call(f, args) if f == "size" => match args.as_slice() {
                [Expr::Path(p)] => Ok(format!("size({})", self.path(p))),
                _ => Err(unsupported("size of a value")),
            },
            e if Self::is_value(e) => {
                let av = self.literal(e)?;
                Ok(self.value(av))
            }
            _ => Err(unsupported("expression as an operand")),
        }
    }

    fn path_arg(&mut self, e: &Expr) -> Result<String, Error> {
        match e {
            Expr::Path(p) => Ok(self.path(p)),
            _ => Err(unsupported("a function of a value")),
        }
    }

    /// A condition, as ConditionExpression/FilterExpression text.
    pub(crate) fn condition(&mut self, e: &Expr) -> Result<String, Error> {
        Ok(match e {
            Expr::Compare(op, a, b) => {
                let sym = match op {
                    Cmp::Eq => "=",
                    Cmp::Ne => "<>",
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                };
                format!("{} {sym} {}", self.operand(a)?, self.operand(b)?)
            }
            Expr::And(terms) => self.joined(terms, " AND ")?,
            Expr::Or(terms) => self.joined(terms, " OR ")?,
            Expr::Not(a) => format!("NOT ({})", self.condition(a)?),
            Expr::Between(v, lo, hi) => format!(
                "{} BETWEEN {} AND {}",
                self.operand(v)?,
                self.operand(lo)?,
                self.operand(hi)?
            ),
            Expr::In(v, list) => {
                let v = self.operand(v)?;
                let list = list.iter().map(|i| self.operand(i)).collect::<Result<Vec<_>, _>>()?;
                format!("{v} IN ({})", list.join(", "))
            }
            Expr::IsMissing(v, negated) => {
                let p = self.path_arg(v)?;
                if *negated {
                    format!("attribute_exists({p})")
                } else {
                    format!("attribute_not_exists({p})")
                }
            }
            Expr::IsNull(v, negated) => {
                let p = self.path_arg(v)?;
                let t = self.value(AttributeValue::S("NULL".into()));
                // A missing attribute is not NULL (DynamoDB Local).
                if *negated {
                    format!("NOT attribute_type({p}, {t})")
                } else {
                    format!("attribute_type({p}, {t})")
                }
            }
            Expr::Call(f, args) => match (f.as_str(), args.as_slice()) {
                ("begins_with", [a, b]) => format!("begins_with({}, {})", self.operand(a)?, self.operand(b)?),
                ("contains", [a, b]) => format!("contains({}, {})", self.operand(a)?, self.operand(b)?),
                ("attribute_type", [a, b]) => format!("attribute_type({}, {})", self.path_arg(a)?, self.operand(b)?),
                _ => return Err(unsupported(&format!("function {f} here"))),
            },
            _ => return Err(unsupported("a value as a condition")),
        })
    }

    /// Conditions joined by AND or OR, each in parentheses.
    fn joined(&mut self, terms: &[Expr], joint: &str) -> Result<String, Error> {
        let mut parts = Vec::with_capacity(terms.len());
        for t in terms {
            parts.push(format!("({})", self.condition(t)?));
        }
        Ok(parts.join(joint))
    }

    fn set_operand(&mut self, e: &Expr) -> Result<String, Error> {
        match e {
            Expr::Path(p) => Ok(self.path(p)),
            Expr::Call(f, args) if f == "list_append" => match args.as_slice() {
                [a, b] => Ok(format!(
                    "list_append({}, {})",
                    self.set_operand(a)?,
                    self.set_operand(b)?
                )),
                _ => Err(unsupported("list_append arity")),
            },
            Expr::Call(f, args) if f == "if_not_exists" => match args.as_slice() {
                [a, b] => Ok(format!(
                    "if_not_exists({}, {})",
                    self.path_arg(a)?,
                    self.set_operand(b)?
                )),
                _ => Err(unsupported("if_not_exists arity")),
            },
            e if Self::is_value(e) => {
                let av = self.literal(e)?;
                Ok(self.value(av))
            }
            _ => Err(unsupported("expression in SET")),
        }
    }

    /// The UPDATE's actions as UpdateExpression text: `SET`, `REMOVE`, and
    /// `set_add`/`set_delete` as `ADD`/`DELETE`.
    pub(crate) fn update(&mut self, actions: &[Action]) -> Result<String, Error> {
        let (mut set, mut remove, mut add, mut delete) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for action in actions {
            match action {
                Action::Remove(p) => remove.push(self.path(p)),
                Action::Set(p, Expr::Call(f, args)) if f == "set_add" || f == "set_delete" => {
                    let [Expr::Path(from), v] = args.as_slice() else {
                        return Err(unsupported("set function arguments"));
                    };
                    if from != p {
                        return Err(unsupported("set function of another attribute"));
                    }
                    let text = format!("{} {}", self.path(p), self.operand(v)?);
                    if f == "set_add" {
                        add.push(text)
                    } else {
                        delete.push(text)
                    }
                }
                Action::Set(p, value) => {
                    let target = self.path(p);
                    let rhs = match value {
                        Expr::Plus(a, b) => format!("{} + {}", self.set_operand(a)?, self.set_operand(b)?),
                        Expr::Minus(a, b) => format!("{} - {}", self.set_operand(a)?, self.set_operand(b)?),
                        other => self.set_operand(other)?,
                    };
                    set.push(format!("{target} = {rhs}"));
                }
            }
        }
        let mut clauses = Vec::new();
        for (kw, list) in [("SET", set), ("REMOVE", remove), ("ADD", add), ("DELETE", delete)] {
            if !list.is_empty() {
                clauses.push(format!("{kw} {}", list.join(", ")));
            }
        }
        Ok(clauses.join(" "))
    }

    /// `attribute_exists(key)` or `attribute_not_exists(key)`.
    pub(crate) fn exists(&mut self, name: &str, exists: bool) -> String {
        let k = self.name(name);
        if exists {
            format!("attribute_exists({k})")
        } else {
            format!("attribute_not_exists({k})")
        }
    }

    /// `name = :v`, a key equality of a key condition.
    pub(crate) fn key_eq(&mut self, name: &str, av: AttributeValue) -> String {
        let k = self.name(name);
        let v = self.value(av);
        format!("{k} = {v}")
    }
}

/// A number literal as stored: one with an exponent is a decimal rounded
/// (half up) to DynamoDB's 38 digits, as DynamoDB Local reads it; one
/// without is taken as written (and refused if longer).
fn number_literal(n: &str) -> String {
    use std::str::FromStr;
    if !n.contains(['e', 'E']) {
        return n.to_string();
    }
    let Ok(d) = bigdecimal::BigDecimal::from_str(n) else {
        return n.to_string();
    };
    let Some(digits) = std::num::NonZeroU64::new(crate::vocab::number::MAX_DIGITS) else {
        return n.to_string();
    };
    let rounded = d
        .with_precision_round(digits, bigdecimal::RoundingMode::HalfUp)
        .normalized();
    crate::mock::number::format(&rounded)
}

/// `Number of parameters in request and statement don't match.`
pub(crate) fn param_count() -> Error {
    Error::Validation("Number of parameters in request and statement don't match.".into())
}

/// A set literal: all strings, all numbers or all binaries.
fn set_of(values: Vec<AttributeValue>) -> Result<AttributeValue, Error> {
    let mut ss = Vec::new();
    let mut ns = Vec::new();
    let mut bs = Vec::new();
    for v in values {
        match v {
            AttributeValue::S(s) => ss.push(s),
            AttributeValue::N(n) => ns.push(n),
            AttributeValue::B(b) => bs.push(b),
            _ => {
                return Err(Error::Validation(
                    "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags".into(),
                ));
            }
        }
    }
    match (ss.is_empty(), ns.is_empty(), bs.is_empty()) {
        (false, true, true) => Ok(AttributeValue::Ss(ss)),
        (true, false, true) => Ok(AttributeValue::Ns(ns)),
        (true, true, false) => Ok(AttributeValue::Bs(bs)),
        (true, true, true) => Err(unsupported("an empty set")),
        _ => Err(Error::Validation(
            "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags".into(),
        )),
    }
}

/// The conjuncts of a condition (its top-level `AND`s taken apart).
pub(crate) fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::And(terms) => terms.iter().collect(),
        other => vec![other],
    }
}

/// The value `c` sets `name` equal to, if `c` is `name = value`.
pub(crate) fn equality<'e>(c: &'e Expr, name: &str) -> Option<&'e Expr> {
    let Expr::Compare(Cmp::Eq, a, b) = c else { return None };
    let is_key =
        |e: &Expr| matches!(e, Expr::Path(Path(steps)) if matches!(steps.as_slice(), [Step::Name(n)] if n == name));
    if is_key(a) && Lowering::is_value(b) {
        Some(b)
    } else if is_key(b) && Lowering::is_value(a) {
        Some(a)
    } else {
        None
    }
}

/// Whether `av` has the type of key attribute `key`.
pub(crate) fn has_key_type(av: &AttributeValue, key: &KeyAttr) -> bool {
    matches!(
        (av, key.ty),
        (AttributeValue::S(_), KeyType::S) | (AttributeValue::N(_), KeyType::N) | (AttributeValue::B(_), KeyType::B)
    )
}

/// The top-level attribute names a condition reads.
pub(crate) fn roots(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Path(Path(steps)) => {
            if let Some(Step::Name(n)) = steps.first() {
                out.push(n.clone());
            }
        }
        Expr::And(terms) | Expr::Or(terms) => terms.iter().for_each(|t| roots(t, out)),
        Expr::Compare(_, a, b) | Expr::Plus(a, b) | Expr::Minus(a, b) => {
            roots(a, out);
            roots(b, out);
        }
        Expr::Not(a) | Expr::IsMissing(a, _) | Expr::IsNull(a, _) => roots(a, out),
        Expr::Between(a, b, c) => {
            roots(a, out);
            roots(b, out);
            roots(c, out);
        }
        Expr::In(a, list) => {
            roots(a, out);
            list.iter().for_each(|i| roots(i, out));
        }
        Expr::Call(_, args) => args.iter().for_each(|i| roots(i, out)),
        _ => {}
    }
}
