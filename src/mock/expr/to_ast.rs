//! From parsed nodes to the AST ([`super::ast`]): each atomic condition and
//! update action is converted, and every rule it breaks is noted in its
//! category ([`super::checks::Errs`]) for the entry points to report the one
//! DynamoDB reports first.

use aws_sdk_dynamodb::types::AttributeValue;

use super::MAX_IN_OPERANDS;
use super::ast::{CompareOp, Condition, Operand, Path, SetOperand, SetValue, UpdateAction};
use super::checks::*;
use super::messages::*;
use super::parser::{E, Node, Parser, RawAction, RawPath, RawSetOperand, RawSetValue, RawValue};
use crate::vocab::AttrType;

impl<'p, 'a> Parser<'p, 'a> {
    // -- condition semantics ------------------------------------------------
    //
    // As for parsing, the functions that recurse (through `AND`/`OR`/`NOT`
    // and nested function calls) are kept small; the bulky checks live in
    // functions that do not recurse.

    pub(super) fn build_condition(&mut self, node: Node) -> Option<Box<Condition>> {
        match node.e {
            E::And(l, r) => self.both(*l, *r, Condition::And),
            E::Or(l, r) => self.both(*l, *r, Condition::Or),
            E::Not(x) => self.build_condition(*x).map(|x| Box::new(Condition::Not(x))),
            e => self.atomic(e),
        }
    }

    pub(super) fn both(
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
    pub(super) fn atomic(&mut self, e: E) -> Option<Box<Condition>> {
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

    pub(super) fn compare(&mut self, op: CompareOp, l: Node, r: Node, local: &mut Local) -> Option<Condition> {
        self.check_misuse(&l);
        self.check_misuse(&r);
        let same = same_path(&l, &r);
        let types = [self.static_type(&l), self.static_type(&r)];
        let left = self.build_operand(l, local);
        let right = self.build_operand(r, local);
        if let Some(p) = same {
            note(&mut local.distinct, || distinct_message(op.symbol(), &p));
        }
        if matches!(op, CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge)
            && let Some(msg) = unordered_operand(op.symbol(), &types)
        {
            note(&mut local.function, || msg);
        }
        Some(Condition::Compare {
            op,
            left: left?,
            right: right?,
        })
    }

    pub(super) fn between(&mut self, v: Node, lo: Node, hi: Node, local: &mut Local) -> Option<Condition> {
        for n in [&v, &lo, &hi] {
            self.check_misuse(n);
        }
        let types = [self.static_type(&v), self.static_type(&lo), self.static_type(&hi)];
        let bounds = match (&lo.e, &hi.e) {
            (E::Value(RawValue::Known(a)), E::Value(RawValue::Known(b))) => between_error(a, b),
            _ => None,
        };
        let value = self.build_operand(v, local);
        let low = self.build_operand(lo, local);
        let high = self.build_operand(hi, local);
        if let Some(msg) = unordered_operand("BETWEEN", &types).or(bounds) {
            note(&mut local.function, || msg);
        }
        Some(Condition::Between {
            value: value?,
            low: low?,
            high: high?,
        })
    }

    pub(super) fn in_list(&mut self, v: Node, list: Vec<Node>, local: &mut Local) -> Option<Condition> {
        self.check_misuse(&v);
        for n in &list {
            self.check_misuse(n);
        }
        let count = list.len();
        let value = self.build_operand(v, local);
        let list = self.build_operands(list, local);
        if count > MAX_IN_OPERANDS {
            note(&mut local.operand, || too_many_in_operands_message(count));
        }
        Some(Condition::In {
            value: value?,
            list: list.into_iter().collect::<Option<Vec<_>>>()?,
        })
    }

    /// Records the misuse of a condition function (anything but `size`)
    /// where an operand is required.
    pub(super) fn check_misuse(&mut self, node: &Node) {
        if let E::Func { name, .. } = node.e {
            let fname = self.text(name);
            if CONDITION_FUNCTIONS.contains(&fname) {
                note(&mut self.errs.misused, || misuse_message(fname));
            }
        }
    }

    pub(super) fn build_operands(&mut self, nodes: Vec<Node>, local: &mut Local) -> Vec<Option<Operand>> {
        let mut out = Vec::with_capacity(nodes.len());
        for node in nodes {
            out.push(self.build_operand(node, local));
        }
        out
    }

    pub(super) fn build_operand(&mut self, node: Node, local: &mut Local) -> Option<Operand> {
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
    pub(super) fn arg_info(&mut self, args: &[Node]) -> ArgInfo {
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
    pub(super) fn size(&mut self, args: Vec<Node>, local: &mut Local) -> Option<Operand> {
        let info = self.arg_info(&args);
        let ops = self.build_operands(args, local);
        size_checks(info, ops, local)
    }

    /// A condition function (or an unknown one).
    pub(super) fn function(&mut self, fname: &'p str, args: Vec<Node>, local: &mut Local) -> Option<Condition> {
        let info = self.arg_info(&args);
        let ops = self.build_operands(args, local);
        if !CONDITION_FUNCTIONS.contains(&fname) {
            note(&mut self.errs.unknown_fn, || unknown_function_message(fname));
            return None;
        }
        function_checks(fname, info, ops, local)
    }

    /// The type DynamoDB can tell statically: a value's, or a function's result.
    pub(super) fn static_type(&self, node: &Node) -> Option<AttrType> {
        match &node.e {
            E::Value(RawValue::Known(v)) => AttrType::of(v),
            E::Func { name, .. } => match self.text(*name) {
                "size" => Some(AttrType::N),
                "attribute_type" | "begins_with" | "contains" => Some(AttrType::Bool),
                _ => None,
            },
            _ => None,
        }
    }

    // -- update semantics ---------------------------------------------------

    pub(super) fn resolve_path(&mut self, path: RawPath) -> Path {
        if let Some(name) = path.undefined {
            note(&mut self.errs.attr_name, || undefined_name_message(&name));
        }
        path.path
    }

    pub(super) fn resolve_value(&mut self, value: RawValue) -> Option<AttributeValue> {
        match value {
            RawValue::Known(v) => Some(v),
            RawValue::Undefined(key) => {
                note(&mut self.errs.attr_value, || undefined_value_message(&key));
                None
            }
        }
    }

    pub(super) fn build_update(&mut self, raw: Vec<RawAction>) -> Vec<UpdateAction> {
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

    pub(super) fn build_set_value(&mut self, value: RawSetValue) -> Option<SetValue> {
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

    pub(super) fn build_set_operand(&mut self, operand: RawSetOperand) -> Option<SetOperand> {
        match operand {
            RawSetOperand::Path(p) => Some(SetOperand::Path(self.resolve_path(p))),
            RawSetOperand::Value(v) => self.resolve_value(v).map(SetOperand::Value),
            RawSetOperand::Func { name, args } => {
                let first_is_path = matches!(args.first(), Some(RawSetOperand::Path(_)));
                let types: Vec<Option<AttrType>> = args.iter().map(immediate_type).collect();
                let mut ops = Vec::with_capacity(args.len());
                for arg in args {
                    ops.push(self.build_set_operand(arg));
                }
                set_function_checks(self.text(name), first_is_path, types, ops, &mut self.errs)
            }
        }
    }
}
