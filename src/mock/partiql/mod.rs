//! PartiQL: `ExecuteStatement`, `BatchExecuteStatement` and
//! `ExecuteTransaction` on the mock.
//!
//! A statement is lexed (`lexer.rs`) and parsed (`parser.rs`) into an AST of
//! its own (`ast.rs`), then lowered (`lower.rs`) onto the requests the mock
//! already answers: a SELECT with an equality on the hash key of the table
//! (or of `"table"."index"`) is a Query, any other SELECT a Scan; INSERT a
//! PutItem that the key must not exist for; UPDATE an UpdateItem that it
//! must; DELETE a DeleteItem; a transaction a TransactWriteItems or
//! TransactGetItems. Validation, size limits, indexes, TTL and streams thus
//! apply exactly as for the other operations.

mod ast;
mod lexer;
mod lower;
mod parser;
pub mod reserved;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use base64::Engine as _;

use self::ast::{Expr, Returning, Statement};
use self::lower::{Lowering, conjuncts, equality, has_key_type, key_type_mismatch, malformed, param_count};
use self::parser::ParseError;
use super::catalog::Catalog;
use super::transact::{self, Tokens};
use crate::error::Message;
use crate::schema::KeyAttr;
use crate::sdk::*;
use crate::{Error, Item};

/// The most statements a `BatchExecuteStatement` takes.
pub(crate) const MAX_BATCH_STATEMENTS: usize = 25;

/// The error code DynamoDB gives an INSERT of a key that exists.
pub(crate) const DUPLICATE_ITEM: &str = "DuplicateItemException";
/// Its message.
pub(crate) const DUPLICATE_ITEM_MESSAGE: &str = "Duplicate primary key exists in table";

fn v(msg: impl Into<String>) -> Error {
    Error::Validation(Message::new(msg))
}

fn duplicate_item() -> Error {
    Error::Service {
        code: DUPLICATE_ITEM.into(),
        message: DUPLICATE_ITEM_MESSAGE.into(),
    }
}

/// Checks a statement's parameters as any value is checked (numbers put in
/// canonical form): a bad one fails the whole request, before any statement
/// is parsed (DynamoDB Local).
fn check_params(params: &mut [AttributeValue]) -> Result<(), Error> {
    for p in params.iter_mut() {
        super::values::check_value(p)?;
    }
    Ok(())
}

/// The statement, parsed, with its parameters counted.
fn parse(text: &str, params: &[AttributeValue]) -> Result<Statement, Error> {
    let (st, count) = parser::parse(text).map_err(|e| match e {
        ParseError::Malformed => malformed(text),
        ParseError::UnknownFunction(f) => v(format!("Unrecognized function: {f}")),
        ParseError::IndexInDml => v("FROM clause may only contain a single table name in data manipulation statements"),
        ParseError::IndexInWrite => v("This operation is not supported on an index"),
        ParseError::InsertWithoutValue => v("Unsupported operation: InsertOp"),
        ParseError::InsertNotStruct(p) => v(format!(
            "Unsupported format in item expression. Please use struct format {{...}} to express item values for insert statement. at {}:{}:{}",
            p.line, p.col, p.len
        )),
        ParseError::DeleteReturning(clause) => v(format!(
            "Invalid returning clause: {clause}. Only RETURNING ALL OLD * is allowed in DELETE statements."
        )),
    })?;
    if params.len() < count {
        return Err(param_count());
    }
    Ok(st)
}

/// A table's (or an index's) key attributes.
struct Keys {
    hash: KeyAttr,
    range: Option<KeyAttr>,
}

fn table_keys(catalog: &Catalog, table: &str, index: Option<&str>) -> Result<(Keys, Keys), Error> {
    // The service's words for a missing table (DynamoDB Local's: "Cannot do
    // operations on a non-existent table").
    let t = catalog.table(table)?;
    let t = t.read();
    let base = Keys {
        hash: t.meta.hash.clone(),
        range: t.meta.range.clone(),
    };
    let source = match index {
        None => Keys {
            hash: t.meta.hash.clone(),
            range: t.meta.range.clone(),
        },
        Some(name) => {
            let (_, i) = t
                .meta
                .index(name)
                .ok_or_else(|| v(format!("The table does not have the specified index: {name}")))?;
            Keys {
                hash: i.hash.clone(),
                range: i.range.clone(),
            }
        }
    };
    Ok((base, source))
}

/// A WHERE clause split into the full primary key it names by equality and
/// the rest of its conjuncts; `None` when it does not name the whole key.
fn full_key<'e>(
    filter: &'e Expr,
    keys: &Keys,
    low: &Lowering<'_>,
    check_types: bool,
) -> Result<Option<(Item, Vec<&'e Expr>)>, Error> {
    let mut rest = conjuncts(filter);
    let mut key = HashMap::new();
    for attr in std::iter::once(&keys.hash).chain(keys.range.as_ref()) {
        let Some(pos) = rest.iter().position(|c| equality(c, &attr.name).is_some()) else {
            return Ok(None);
        };
        let c = rest.remove(pos);
        let value = equality(c, &attr.name).map(|e| low.literal(e)).transpose()?;
        let Some(value) = value else { return Ok(None) };
        if check_types && !has_key_type(&value, attr) {
            return Err(key_type_mismatch(&attr.name));
        }
        key.insert(attr.name.clone(), value);
    }
    Ok(Some((key, rest)))
}

fn where_without_key() -> Error {
    v("Where clause does not contain a mandatory equality on all key attributes")
}

/// The condition text of a list of conjuncts (`None` when empty).
fn conjunction(low: &mut Lowering<'_>, parts: &[&Expr], first: Option<String>) -> Result<Option<String>, Error> {
    let mut texts: Vec<String> = first.into_iter().collect();
    for p in parts {
        texts.push(format!("({})", low.condition(p)?));
    }
    Ok((!texts.is_empty()).then(|| texts.join(" AND ")))
}

/// A write statement, lowered onto PutItem, UpdateItem or DeleteItem.
enum Write {
    Insert(PutItemInput),
    Update(UpdateItemInput),
    Delete(DeleteItemInput),
}

fn return_value(r: Option<Returning>) -> Option<ReturnValue> {
    r.map(|r| match r {
        Returning::AllOld => ReturnValue::AllOld,
        Returning::ModifiedOld => ReturnValue::UpdatedOld,
        Returning::AllNew => ReturnValue::AllNew,
        Returning::ModifiedNew => ReturnValue::UpdatedNew,
    })
}

/// Lowers a write. In a transaction (`in_transaction`), a key of the wrong
/// type is left to the transaction, which cancels on it as DynamoDB Local
/// does, rather than refusing the request.
fn lower_write(
    catalog: &Catalog,
    st: &Statement,
    params: &[AttributeValue],
    on_fail: Option<ReturnValuesOnConditionCheckFailure>,
    in_transaction: bool,
) -> Result<Write, Error> {
    let check_types = !in_transaction;
    let mut low = Lowering::new(params);
    match st {
        Statement::Insert { table, item } => {
            let (keys, _) = table_keys(catalog, table, None)?;
            let AttributeValue::M(item) = low.literal(item)? else {
                return Err(v("Unsupported operation: Insert value must be a map"));
            };
            for attr in std::iter::once(&keys.hash).chain(keys.range.as_ref()) {
                match item.get(&attr.name) {
                    None => {
                        return Err(v(format!(
                            "Key attribute should be present in the item: Key {}",
                            attr.name
                        )));
                    }
                    Some(value) if check_types && !has_key_type(value, attr) => {
                        return Err(key_type_mismatch(&attr.name));
                    }
                    Some(_) => {}
                }
            }
            let cond = low.exists(&keys.hash.name, false);
            Ok(Write::Insert(
                PutItemInput::builder()
                    .table_name(table)
                    .set_item(Some(item))
                    .condition_expression(cond)
                    .set_expression_attribute_names(low.names())
                    .set_return_values_on_condition_check_failure(on_fail)
                    .build()?,
            ))
        }
        Statement::Update {
            table,
            actions,
            filter,
            returning,
        } => {
            let (keys, _) = table_keys(catalog, table, None)?;
            let filter = filter.as_ref().ok_or_else(where_without_key)?;
            let (key, rest) = full_key(filter, &keys, &low, check_types)?.ok_or_else(where_without_key)?;
            let update = low.update(actions)?;
            let exists = low.exists(&keys.hash.name, true);
            let cond = conjunction(&mut low, &rest, Some(exists))?;
            Ok(Write::Update(
                UpdateItemInput::builder()
                    .table_name(table)
                    .set_key(Some(key))
                    .update_expression(update)
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(low.names())
                    .set_expression_attribute_values(low.values())
                    .set_return_values(return_value(*returning))
                    .set_return_values_on_condition_check_failure(on_fail)
                    .build()?,
            ))
        }
        Statement::Delete {
            table,
            filter,
            returning,
        } => {
            let (keys, _) = table_keys(catalog, table, None)?;
            let filter = filter.as_ref().ok_or_else(where_without_key)?;
            let (key, rest) = full_key(filter, &keys, &low, check_types)?.ok_or_else(where_without_key)?;
            // The rest of the WHERE holds of the item if there is one:
            // deleting nothing succeeds (DynamoDB Local).
            let cond = match conjunction(&mut low, &rest, None)? {
                Some(c) if rest.len() == 1 => Some(format!("{} OR {c}", low.exists(&keys.hash.name, false))),
                Some(c) => Some(format!("{} OR ({c})", low.exists(&keys.hash.name, false))),
                None => None,
            };
            Ok(Write::Delete(
                DeleteItemInput::builder()
                    .table_name(table)
                    .set_key(Some(key))
                    .set_condition_expression(cond)
                    .set_expression_attribute_names(low.names())
                    .set_expression_attribute_values(low.values())
                    .set_return_values(return_value(*returning))
                    .set_return_values_on_condition_check_failure(on_fail)
                    .build()?,
            ))
        }
        Statement::Select { .. } => Err(v("Unsupported operation: a SELECT is not a write")),
    }
}

/// Runs a lowered write; the item it returns, for `RETURNING`.
fn run_write(catalog: &Catalog, write: Write) -> Result<Option<Item>, Error> {
    match write {
        Write::Insert(input) => match super::items::put_item(catalog, input) {
            Ok(_) => Ok(None),
            Err(Error::ConditionalCheckFailed { .. }) => Err(duplicate_item()),
            Err(e) => Err(e),
        },
        Write::Update(input) => Ok(super::items::update_item(catalog, input)?.attributes),
        Write::Delete(input) => Ok(super::items::delete_item(catalog, input)?.attributes),
    }
}

/// A SELECT of one item by its full key (what batches and transactions take).
struct Single {
    table: String,
    key: Item,
    projection: Option<String>,
    names: Option<HashMap<String, String>>,
}

/// The SELECT as a single-item read, if it names the table's full key and
/// nothing else.
fn lower_single(
    catalog: &Catalog,
    st: &Statement,
    params: &[AttributeValue],
    check_types: bool,
) -> Result<Option<Single>, Error> {
    let Statement::Select {
        projection,
        table,
        index,
        filter,
        order,
    } = st
    else {
        return Ok(None);
    };
    let (keys, _) = table_keys(catalog, table, index.as_deref())?;
    let mut low = Lowering::new(params);
    let Some(filter) = filter else { return Ok(None) };
    if index.is_some() || order.is_some() {
        return Ok(None);
    }
    match full_key(filter, &keys, &low, check_types)? {
        Some((key, rest)) if rest.is_empty() => {
            let projection = projection.as_ref().map(|p| low.projection(p));
            Ok(Some(Single {
                table: table.clone(),
                key,
                projection,
                names: low.names(),
            }))
        }
        _ => Ok(None),
    }
}

/// A NextToken: the LastEvaluatedKey, opaque.
fn encode_token(key: &Item) -> String {
    let mut obj = serde_json::Map::new();
    for (k, av) in key {
        let (ty, text) = match av {
            AttributeValue::S(s) => ("S", s.clone()),
            AttributeValue::N(n) => ("N", n.clone()),
            AttributeValue::B(b) => ("B", base64::engine::general_purpose::STANDARD.encode(b.as_ref())),
            _ => continue,
        };
        let mut value = serde_json::Map::new();
        value.insert(ty.into(), serde_json::Value::String(text));
        obj.insert(k.clone(), serde_json::Value::Object(value));
    }
    base64::engine::general_purpose::STANDARD.encode(serde_json::Value::Object(obj).to_string())
}

fn decode_token(token: &str) -> Result<Item, Error> {
    let invalid = || v("Invalid NextToken");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .map_err(|_| invalid())?;
    let json: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let mut key = HashMap::new();
    for (k, value) in json {
        let (ty, text) = value
            .as_object()
            .and_then(|o| o.iter().next())
            .and_then(|(ty, t)| Some((ty.clone(), t.as_str()?.to_string())))
            .ok_or_else(invalid)?;
        let av = match ty.as_str() {
            "S" => AttributeValue::S(text),
            "N" => AttributeValue::N(text),
            "B" => AttributeValue::B(Blob::new(
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|_| invalid())?,
            )),
            _ => return Err(invalid()),
        };
        key.insert(k, av);
    }
    Ok(key)
}

/// Whether `c` compares one of `keys` with a value of another type.
fn mistyped(c: &Expr, keys: &[KeyAttr], low: &Lowering<'_>, key_condition: bool) -> Result<bool, Error> {
    let key = |e: &Expr| match e {
        Expr::Path(ast::Path(steps)) => match steps.as_slice() {
            [ast::Step::Name(n)] => keys.iter().find(|k| &k.name == n),
            _ => None,
        },
        _ => None,
    };
    let wrong = |k: &KeyAttr, e: &Expr| -> Result<bool, Error> {
        Ok(Lowering::is_value(e) && !has_key_type(&low.literal(e)?, k))
    };
    Ok(match c {
        Expr::Compare(_, a, b) => match (key(a), key(b)) {
            (Some(k), _) => wrong(k, b)?,
            (_, Some(k)) => wrong(k, a)?,
            _ => false,
        },
        Expr::Between(a, lo, hi) => match key(a) {
            Some(k) => wrong(k, lo)? || wrong(k, hi)?,
            None => false,
        },
        Expr::In(a, list) => match key(a) {
            Some(k) => {
                let mut any = false;
                for e in list {
                    any |= wrong(k, e)?;
                }
                any
            }
            None => false,
        },
        // begins_with of a key: only in a key condition (elsewhere the
        // expression engine has its own word for a wrong operand).
        Expr::Call(f, args) if f == "begins_with" && key_condition => match args.as_slice() {
            [a, b] => key(a).map(|k| wrong(k, b)).transpose()?.unwrap_or(false),
            _ => false,
        },
        Expr::And(terms) | Expr::Or(terms) => {
            let mut any = false;
            for t in terms {
                any |= mistyped(t, keys, low, key_condition)?;
            }
            any
        }
        Expr::Not(a) => mistyped(a, keys, low, key_condition)?,
        _ => false,
    })
}

/// Whether a conjunct can be a Query's range key condition.
fn range_condition(c: &Expr, range: &str) -> bool {
    let is_range =
        |e: &Expr| matches!(e, Expr::Path(ast::Path(s)) if matches!(s.as_slice(), [ast::Step::Name(n)] if n == range));
    match c {
        Expr::Compare(op, a, b) => {
            *op != ast::Cmp::Ne && ((is_range(a) && Lowering::is_value(b)) || (is_range(b) && Lowering::is_value(a)))
        }
        Expr::Between(a, lo, hi) => is_range(a) && Lowering::is_value(lo) && Lowering::is_value(hi),
        Expr::Call(f, args) => {
            f == "begins_with" && matches!(args.as_slice(), [a, b] if is_range(a) && Lowering::is_value(b))
        }
        _ => false,
    }
}

fn select(
    catalog: &Catalog,
    st: &Statement,
    params: &[AttributeValue],
    input: &ExecuteStatementInput,
) -> Result<ExecuteStatementOutput, Error> {
    let Statement::Select {
        projection,
        table,
        index,
        filter,
        order,
    } = st
    else {
        return Err(v("Unsupported operation: not a SELECT"));
    };
    let (_, keys) = table_keys(catalog, table, index.as_deref())?;
    let start = input.next_token.as_deref().map(decode_token).transpose()?;
    if start.as_ref().is_some_and(HashMap::is_empty) {
        // The page after one that ended exactly at the limit: nothing more.
        return Ok(ExecuteStatementOutput::builder().set_items(Some(Vec::new())).build());
    }
    let mut low = Lowering::new(params);
    let parts = filter.as_ref().map(conjuncts).unwrap_or_default();
    // A Query when the hash key is named by equality; the range key's
    // condition, if any, goes with it; the rest is the filter, unless it
    // reads a key attribute (which a Query's filter may not).
    let hash_pos = parts.iter().position(|c| equality(c, &keys.hash.name).is_some());
    let mut query = None;
    if let Some(hp) = hash_pos {
        let mut rest = parts.clone();
        let hash_cond = rest.remove(hp);
        let range_pos = keys
            .range
            .as_ref()
            .and_then(|r| rest.iter().position(|c| range_condition(c, &r.name)));
        let range_cond = range_pos.map(|p| rest.remove(p));
        let mut read = Vec::new();
        rest.iter().for_each(|c| lower::roots(c, &mut read));
        let key_names = [Some(&keys.hash), keys.range.as_ref()];
        if !read.iter().any(|n| key_names.iter().flatten().any(|k| &k.name == n)) {
            query = Some((hash_cond, range_cond, rest));
        }
    }
    if order.is_some() && filter.is_none() {
        return Err(v("Must have WHERE clause in the statement when using ORDER BY clause."));
    }
    if order.is_some() && query.is_none() {
        return Err(v(
            "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
        ));
    }
    // A table key compared with a value of another type, anywhere else.
    let (base, _) = table_keys(catalog, table, None)?;
    let base: Vec<KeyAttr> = std::iter::once(base.hash).chain(base.range).collect();
    let elsewhere: Vec<&Expr> = match &query {
        Some((_, _, rest)) => rest.clone(),
        None => parts.clone(),
    };
    for c in elsewhere {
        if mistyped(c, &base, &low, false)? {
            return Err(v(
                "One or more parameter values were invalid: Condition parameter type does not match schema type",
            ));
        }
    }
    let (items, last, evaluated) = match query {
        Some((hash_cond, range_cond, rest)) => {
            let hash_value = equality(hash_cond, &keys.hash.name)
                .map(|e| low.literal(e))
                .transpose()?
                .ok_or_else(|| v("Unsupported operation: hash key value"))?;
            if !has_key_type(&hash_value, &keys.hash) {
                return Err(key_type_mismatch(&keys.hash.name));
            }
            let mut key_cond = low.key_eq(&keys.hash.name, hash_value);
            if let Some(rc) = range_cond {
                if let Some(range) = &keys.range
                    && mistyped(rc, std::slice::from_ref(range), &low, true)?
                {
                    return Err(key_type_mismatch(&range.name));
                }
                key_cond = format!("{key_cond} AND {}", low.condition(rc)?);
            }
            let filter_text = conjunction(&mut low, &rest, None)?;
            let projection = projection.as_ref().map(|p| low.projection(p));
            let out = super::query::query(
                catalog,
                QueryInput::builder()
                    .table_name(table)
                    .set_index_name(index.clone())
                    .key_condition_expression(key_cond)
                    .set_filter_expression(filter_text)
                    .set_projection_expression(projection)
                    .set_expression_attribute_names(low.names())
                    .set_expression_attribute_values(low.values())
                    .set_limit(input.limit)
                    .set_consistent_read(input.consistent_read)
                    .set_exclusive_start_key(start)
                    .set_scan_index_forward(order.as_ref().map(|(_, desc)| !desc))
                    .build()?,
            )?;
            (out.items, out.last_evaluated_key, out.scanned_count)
        }
        None => {
            let filter_text = filter.as_ref().map(|f| low.condition(f)).transpose()?;
            let projection = projection.as_ref().map(|p| low.projection(p));
            let out = super::query::scan(
                catalog,
                ScanInput::builder()
                    .table_name(table)
                    .set_index_name(index.clone())
                    .set_filter_expression(filter_text)
                    .set_projection_expression(projection)
                    .set_expression_attribute_names(low.names())
                    .set_expression_attribute_values(low.values())
                    .set_limit(input.limit)
                    .set_consistent_read(input.consistent_read)
                    .set_exclusive_start_key(start)
                    .build()?,
            )?;
            (out.items, out.last_evaluated_key, out.scanned_count)
        }
    };
    // A page that ends exactly at the limit has a next page (an empty one)
    // even when the Query or Scan knows there is nothing more, as on
    // DynamoDB Local.
    let token = match last {
        Some(key) => Some(encode_token(&key)),
        None if input.limit == Some(evaluated) => Some(encode_token(&HashMap::new())),
        None => None,
    };
    Ok(ExecuteStatementOutput::builder()
        .set_items(Some(items.unwrap_or_default()))
        .set_next_token(token)
        .build())
}

/// The longest statement DynamoDB takes, in characters.
pub(crate) const MAX_STATEMENT_LENGTH: usize = 8192;

fn check_statement_length(text: &str) -> Result<(), Error> {
    if text.is_empty() {
        return Err(v(
            "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if text.chars().count() > MAX_STATEMENT_LENGTH {
        return Err(v(format!(
            "1 validation error detected: Value '{text}' at 'statement' failed to satisfy constraint: Member must have length less than or equal to {MAX_STATEMENT_LENGTH}"
        )));
    }
    Ok(())
}

/// `ExecuteStatement`.
pub(crate) fn execute_statement(
    catalog: &Catalog,
    input: ExecuteStatementInput,
) -> Result<ExecuteStatementOutput, Error> {
    let text = input
        .statement
        .as_deref()
        .ok_or_else(|| super::items::null("statement"))?;
    check_statement_length(text)?;
    if let Some(limit) = input.limit
        && limit < 1
    {
        return Err(v(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        )));
    }
    let mut params = input.parameters.clone().unwrap_or_default();
    check_params(&mut params)?;
    let st = parse(text, &params)?;
    if st.is_read() {
        return select(catalog, &st, &params, &input);
    }
    let write = lower_write(
        catalog,
        &st,
        &params,
        input.return_values_on_condition_check_failure.clone(),
        false,
    )?;
    let returned = run_write(catalog, write)?;
    Ok(ExecuteStatementOutput::builder()
        .set_items(Some(returned.into_iter().collect()))
        .build())
}

/// The code a statement's error has in a batch's responses.
fn batch_code(e: &Error) -> BatchStatementErrorCodeEnum {
    match e {
        Error::ConditionalCheckFailed { .. } => BatchStatementErrorCodeEnum::ConditionalCheckFailed,
        Error::ResourceNotFound(_) => BatchStatementErrorCodeEnum::ResourceNotFound,
        Error::TransactionConflict(_) => BatchStatementErrorCodeEnum::TransactionConflict,
        Error::Service { code, .. } if code == DUPLICATE_ITEM => BatchStatementErrorCodeEnum::DuplicateItem,
        Error::ProvisionedThroughputExceeded(_) => BatchStatementErrorCodeEnum::ProvisionedThroughputExceeded,
        Error::ItemCollectionSizeLimitExceeded(_) => BatchStatementErrorCodeEnum::ItemCollectionSizeLimitExceeded,
        _ => BatchStatementErrorCodeEnum::ValidationError,
    }
}

fn batch_error(e: Error) -> BatchStatementResponse {
    let code = batch_code(&e);
    let (message, item) = match e {
        Error::ConditionalCheckFailed { message, item } => (String::from(message), item),
        Error::Validation(m) | Error::ResourceNotFound(m) => (m.into(), None),
        Error::Service { message, .. } => (message.into(), None),
        other => (other.to_string(), None),
    };
    BatchStatementResponse::builder()
        .error(
            BatchStatementError::builder()
                .code(code)
                .message(message)
                .set_item(item)
                .build(),
        )
        .build()
}

/// `BatchExecuteStatement`: up to 25 statements, all reads (each of one
/// item by its full key) or all writes, each answered on its own.
pub(crate) fn batch_execute_statement(
    catalog: &Catalog,
    input: BatchExecuteStatementInput,
) -> Result<BatchExecuteStatementOutput, Error> {
    let statements = input.statements.unwrap_or_default();
    if statements.is_empty() {
        return Err(v(
            "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    let mut all_params = Vec::with_capacity(statements.len());
    for s in &statements {
        check_statement_length(&s.statement)?;
        let mut params = s.parameters.clone().unwrap_or_default();
        check_params(&mut params)?;
        all_params.push(params);
    }
    let mut parsed = Vec::with_capacity(statements.len());
    for (s, params) in statements.iter().zip(all_params) {
        parsed.push(parse(&s.statement, &params).map(|st| (st, params)));
    }
    let reads = parsed
        .iter()
        .filter(|p| matches!(p, Ok((st, _)) if st.is_read()))
        .count();
    let writes = parsed
        .iter()
        .filter(|p| matches!(p, Ok((st, _)) if !st.is_read()))
        .count();
    if reads > 0 && writes > 0 {
        return Err(v(
            "Read and write requests together in the same batch is not supported.",
        ));
    }
    if statements.len() > MAX_BATCH_STATEMENTS {
        return Err(if writes > 0 {
            v(format!(
                "BatchWriteItem cannot write more than {MAX_BATCH_STATEMENTS} items"
            ))
        } else {
            v(format!(
                "BatchGetItem cannot fetch more than {MAX_BATCH_STATEMENTS} items"
            ))
        });
    }
    let mut responses = Vec::with_capacity(statements.len());
    if writes > 0 {
        // DynamoDB Local runs the statements in order and refuses the
        // request at the first whose key an earlier one named, after
        // running it: what ran before (and that statement) stays written.
        let mut seen = Vec::new();
        for (p, s) in parsed.into_iter().zip(&statements) {
            let w = p.and_then(|(st, params)| {
                lower_write(
                    catalog,
                    &st,
                    &params,
                    s.return_values_on_condition_check_failure.clone(),
                    false,
                )
            });
            let key = w.as_ref().ok().and_then(|w| item_key_text(catalog, w));
            let insert = matches!(w, Ok(Write::Insert(_)));
            let outcome = w.and_then(|w| {
                let table = w.table().to_string();
                run_write(catalog, w).map(|item| (table, item))
            });
            // An INSERT refused for an invalid value (an empty key string)
            // names no key; any other statement does, whatever its answer
            // (DynamoDB Local).
            let keyed = !(insert && matches!(&outcome, Err(Error::Validation(m)) if transact::is_value_error(m)));
            responses.push(match outcome {
                Ok((table, item)) => BatchStatementResponse::builder()
                    .table_name(table)
                    .set_item(item)
                    .build(),
                Err(e) => batch_error(e),
            });
            if keyed && !first_time(key, &mut seen) {
                return Err(super::batch::duplicates());
            }
        }
    } else {
        let mut singles = Vec::with_capacity(parsed.len());
        let mut seen = Vec::new();
        for p in parsed {
            let single = p.and_then(|(st, params)| {
                lower_single(catalog, &st, &params, true)?.ok_or_else(|| v("Only single item select is supported"))
            });
            if let Ok(one) = &single {
                let key = (one.table.clone(), transact_text(&one.key));
                if seen.contains(&key) {
                    return Err(super::batch::duplicates());
                }
                seen.push(key);
            }
            singles.push(single);
        }
        for (single, s) in singles.into_iter().zip(&statements) {
            let answer = single.and_then(|single| {
                let out = super::items::get_item(
                    catalog,
                    GetItemInput::builder()
                        .table_name(&single.table)
                        .set_key(Some(single.key))
                        .set_projection_expression(single.projection)
                        .set_expression_attribute_names(single.names)
                        .set_consistent_read(s.consistent_read)
                        .build()?,
                )?;
                Ok(BatchStatementResponse::builder()
                    .table_name(single.table)
                    .set_item(out.item)
                    .build())
            });
            responses.push(answer.unwrap_or_else(batch_error));
        }
    }
    Ok(BatchExecuteStatementOutput::builder()
        .set_responses(Some(responses))
        .build())
}

impl Write {
    /// The table written.
    fn table(&self) -> &str {
        match self {
            Write::Insert(p) => p.table_name.as_deref(),
            Write::Update(u) => u.table_name.as_deref(),
            Write::Delete(d) => d.table_name.as_deref(),
        }
        .unwrap_or_default()
    }
}

/// The primary key a write names.
fn write_key(catalog: &Catalog, w: &Write) -> Option<Item> {
    match w {
        Write::Insert(p) => p.item.as_ref().and_then(|i| key_of(catalog, w.table(), i)),
        Write::Update(u) => u.key.clone(),
        Write::Delete(d) => d.key.clone(),
    }
}

/// A transaction whose statements name a key of the wrong type cancels,
/// before anything else is checked, with a ValidationError for the first
/// such statement and None for every other (DynamoDB Local checks no
/// statement after it).
fn cancel_on_mistyped_keys(catalog: &Catalog, keys: &[(String, Option<Item>)]) -> Result<(), Error> {
    let mistyped = |(table, key): &(String, Option<Item>)| {
        let (k, _) = table_keys(catalog, table, None).ok()?;
        let key = key.as_ref()?;
        std::iter::once(&k.hash)
            .chain(k.range.as_ref())
            .find(|a| key.get(&a.name).is_some_and(|v| !has_key_type(v, a)))
            .map(|a| a.name.clone())
    };
    let Some((at, name)) = keys.iter().enumerate().find_map(|(i, k)| Some((i, mistyped(k)?))) else {
        return Ok(());
    };
    let message = match key_type_mismatch(&name) {
        Error::Validation(m) => String::from(m),
        other => other.to_string(),
    };
    let reasons = (0..keys.len())
        .map(|i| {
            if i == at {
                CancellationReason::builder()
                    .code("ValidationError")
                    .message(message.clone())
                    .build()
            } else {
                CancellationReason::builder().code("None").build()
            }
        })
        .collect();
    Err(transact::canceled(reasons))
}

/// Whether `key` (of [`item_key_text`]) names an item no write before it
/// (in `seen`) named; records it.
fn first_time(key: Option<(String, String)>, seen: &mut Vec<(String, String)>) -> bool {
    let Some(key) = key else {
        return true;
    };
    if seen.contains(&key) {
        return false;
    }
    seen.push(key);
    true
}

/// The table and key of the item `w` writes, as comparable text.
fn item_key_text(catalog: &Catalog, w: &Write) -> Option<(String, String)> {
    let key = write_key(catalog, w)?;
    Some((w.table().to_string(), transact_text(&key)))
}

/// The primary key of an item to insert into `table`.
fn key_of(catalog: &Catalog, table: &str, item: &Item) -> Option<Item> {
    let (keys, _) = table_keys(catalog, table, None).ok()?;
    let mut key = HashMap::new();
    for attr in std::iter::once(&keys.hash).chain(keys.range.as_ref()) {
        key.insert(attr.name.clone(), item.get(&attr.name)?.clone());
    }
    Some(key)
}

/// A key as comparable text.
fn transact_text(key: &Item) -> String {
    let mut parts: Vec<String> = key.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    parts.sort();
    parts.join(",")
}

/// `ExecuteTransaction`: up to 100 statements, all writes (a
/// TransactWriteItems, idempotent by `ClientRequestToken`) or all reads of
/// single items (a TransactGetItems).
pub(crate) fn execute_transaction(
    catalog: &Catalog,
    tokens: &Tokens,
    input: ExecuteTransactionInput,
) -> Result<ExecuteTransactionOutput, Error> {
    let statements = input.transact_statements.unwrap_or_default();
    if statements.is_empty() {
        return Err(v(
            "1 validation error detected: Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if statements.len() > transact::MAX_ACTIONS {
        return Err(v(format!(
            "1 validation error detected: Value '[{}]' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to {}",
            statements.len(),
            transact::MAX_ACTIONS
        )));
    }
    let mut all_params = Vec::with_capacity(statements.len());
    for s in &statements {
        check_statement_length(&s.statement)?;
        let mut params = s.parameters.clone().unwrap_or_default();
        check_params(&mut params)?;
        all_params.push(params);
    }
    let mut parsed = Vec::with_capacity(statements.len());
    for (s, params) in statements.iter().zip(all_params) {
        parsed.push((parse(&s.statement, &params)?, params));
    }
    let reads = parsed.iter().filter(|(st, _)| st.is_read()).count();
    if reads > 0 && reads < parsed.len() {
        return Err(v(
            "ExecuteTransaction API does not support both read and write operations in the same request.",
        ));
    }
    if reads > 0 {
        let mut gets = Vec::with_capacity(parsed.len());
        for (i, (st, params)) in parsed.iter().enumerate() {
            let single = lower_single(catalog, st, params, false)?.ok_or_else(|| {
                v(format!(
                    "Validation failed in TransactStatements[{i}]: Select statements within ExecuteTransaction must specify the primary key in the where clause."
                ))
            })?;
            gets.push(
                TransactGetItem::builder()
                    .get(
                        Get::builder()
                            .table_name(single.table)
                            .set_key(Some(single.key))
                            .set_projection_expression(single.projection)
                            .set_expression_attribute_names(single.names)
                            .build()?,
                    )
                    .build(),
            );
        }
        let keys: Vec<(String, Option<Item>)> = gets
            .iter()
            .map(|g| {
                let get = g.get.as_ref();
                (
                    get.map(|g| g.table_name.clone()).unwrap_or_default(),
                    get.map(|g| g.key.clone()),
                )
            })
            .collect();
        cancel_on_mistyped_keys(catalog, &keys)?;
        let out = transact::transact_get_items(
            catalog,
            TransactGetItemsInput::builder()
                .set_transact_items(Some(gets))
                .build()?,
        )?;
        let responses = out
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|r| ItemResponse::builder().set_item(r.item).build())
            .collect();
        return Ok(ExecuteTransactionOutput::builder()
            .set_responses(Some(responses))
            .build());
    }
    let mut items = Vec::with_capacity(parsed.len());
    let mut inserts = Vec::new();
    let mut seen = Vec::new();
    let mut writes = Vec::with_capacity(parsed.len());
    for (i, ((st, params), s)) in parsed.iter().zip(&statements).enumerate() {
        let on_fail = s.return_values_on_condition_check_failure.clone();
        if matches!(
            st,
            Statement::Update { returning: Some(_), .. } | Statement::Delete { returning: Some(_), .. }
        ) {
            return Err(v(format!(
                "Validation failed in TransactStatements[{i}]: RETURNING clause is not supported in ExecuteTransaction."
            )));
        }
        writes.push(lower_write(catalog, st, params, on_fail, true)?);
    }
    let keys: Vec<(String, Option<Item>)> = writes
        .iter()
        .map(|w| (w.table().to_string(), write_key(catalog, w)))
        .collect();
    cancel_on_mistyped_keys(catalog, &keys)?;
    for (i, write) in writes.into_iter().enumerate() {
        if !first_time(item_key_text(catalog, &write), &mut seen) {
            return Err(v(transact::MULTIPLE_OPERATIONS_ON_ONE_ITEM));
        }
        items.push(match write {
            Write::Insert(p) => {
                inserts.push(i);
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(p.table_name.unwrap_or_default())
                            .set_item(p.item)
                            .set_condition_expression(p.condition_expression)
                            .set_expression_attribute_names(p.expression_attribute_names)
                            .set_return_values_on_condition_check_failure(p.return_values_on_condition_check_failure)
                            .build()?,
                    )
                    .build()
            }
            Write::Update(u) => TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(u.table_name.unwrap_or_default())
                        .set_key(u.key)
                        .update_expression(u.update_expression.unwrap_or_default())
                        .set_condition_expression(u.condition_expression)
                        .set_expression_attribute_names(u.expression_attribute_names)
                        .set_expression_attribute_values(u.expression_attribute_values)
                        .set_return_values_on_condition_check_failure(u.return_values_on_condition_check_failure)
                        .build()?,
                )
                .build(),
            Write::Delete(d) => TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(d.table_name.unwrap_or_default())
                        .set_key(d.key)
                        .set_condition_expression(d.condition_expression)
                        .set_expression_attribute_names(d.expression_attribute_names)
                        .set_expression_attribute_values(d.expression_attribute_values)
                        .set_return_values_on_condition_check_failure(d.return_values_on_condition_check_failure)
                        .build()?,
                )
                .build(),
        });
    }
    let out = transact::transact_write_items(
        catalog,
        tokens,
        TransactWriteItemsInput::builder()
            .set_transact_items(Some(items))
            .set_client_request_token(input.client_request_token)
            .build()?,
    );
    match out {
        Ok(_) => Ok(ExecuteTransactionOutput::builder()
            .set_responses(Some(Vec::new()))
            .build()),
        // An INSERT whose key exists cancels with DynamoDB Local's reason
        // for it, not a failed condition.
        // DynamoDB Local evaluates no statement after an invalid one: their
        // reasons are None.
        Err(Error::TransactionCanceled { reasons, .. }) => {
            let first_invalid = reasons.iter().position(|r| r.code() == Some("ValidationError"));
            let reasons = reasons
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    if first_invalid.is_some_and(|f| i > f) {
                        CancellationReason::builder().code("None").build()
                    } else if inserts.contains(&i) && r.code() == Some("ConditionalCheckFailed") {
                        CancellationReason::builder()
                            .code("ValidationError")
                            .message(DUPLICATE_ITEM_MESSAGE)
                            .build()
                    } else {
                        r
                    }
                })
                .collect();
            Err(transact::canceled(reasons))
        }
        Err(e) => Err(e),
    }
}

/// The PartiQL operations' static rules are checked as they run (the
/// statement must be parsed first).
macro_rules! checked_when_run {
    ($($input:ty),*) => {
        $(impl super::validate::Validate for $input {
            fn validate(&mut self) -> Result<(), Error> {
                Ok(())
            }
        })*
    };
}

checked_when_run!(
    ExecuteStatementInput,
    BatchExecuteStatementInput,
    ExecuteTransactionInput
);
