//! ProjectionExpressions applied to an item.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::types::AttributeValue;

use super::ast::{Path, PathElement};
use super::paths::resolve;
use crate::Item;

/// A partially built projected document.
pub(super) enum Node {
    Leaf(AttributeValue),
    Map(HashMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn for_element(element: &PathElement) -> Node {
        match element {
            PathElement::Attr(_) => Node::Map(HashMap::new()),
            PathElement::Index(_) => Node::List(BTreeMap::new()),
        }
    }

    fn child(&mut self, element: &PathElement, next: &PathElement) -> Option<&mut Node> {
        match (self, element) {
            (Node::Map(map), PathElement::Attr(key)) => {
                Some(map.entry(key.clone()).or_insert_with(|| Node::for_element(next)))
            }
            (Node::List(list), PathElement::Index(i)) => {
                Some(list.entry(*i).or_insert_with(|| Node::for_element(next)))
            }
            _ => None,
        }
    }

    /// Inserts `value` at `middle` + `last` below this node (kept as is when a
    /// step is already a whole projected value or of the other container kind).
    fn insert(&mut self, middle: &[PathElement], last: &PathElement, value: AttributeValue) {
        match middle.split_first() {
            None => self.set(last, value),
            Some((element, tail)) => {
                let next = tail.first().unwrap_or(last);
                match self.child(element, next) {
                    Some(Node::Leaf(_)) | None => {}
                    Some(child) => child.insert(tail, last, value),
                }
            }
        }
    }

    fn set(&mut self, element: &PathElement, value: AttributeValue) {
        match (self, element) {
            (Node::Map(map), PathElement::Attr(key)) => {
                map.insert(key.clone(), Node::Leaf(value));
            }
            (Node::List(list), PathElement::Index(i)) => {
                list.insert(*i, Node::Leaf(value));
            }
            _ => {}
        }
    }

    fn into_value(self) -> AttributeValue {
        match self {
            Node::Leaf(v) => v,
            Node::Map(map) => AttributeValue::M(map.into_iter().map(|(k, n)| (k, n.into_value())).collect()),
            Node::List(list) => AttributeValue::L(list.into_values().map(Node::into_value).collect()),
        }
    }
}

/// Projects an item onto paths (ProjectionExpression semantics): nested map
/// keys are kept in their structure; list elements selected by index are
/// collected into a list in index order; paths that do not resolve are
/// skipped.
pub(crate) fn project(item: &Item, paths: &[Path]) -> Item {
    let mut out = Item::with_capacity(paths.len());
    let mut nested: HashMap<String, Node> = HashMap::new();
    for path in paths {
        let Some(value) = resolve(item, path) else {
            continue;
        };
        let [PathElement::Attr(root), rest @ ..] = path.elements.as_slice() else {
            continue;
        };
        let Some((last, middle)) = rest.split_last() else {
            out.insert(root.clone(), value.clone());
            continue;
        };
        if out.contains_key(root) {
            continue; // the whole attribute is already projected
        }
        let first = middle.first().unwrap_or(last);
        let node = nested.entry(root.clone()).or_insert_with(|| Node::for_element(first));
        node.insert(middle, last, value.clone());
    }
    for (root, node) in nested {
        out.entry(root).or_insert_with(|| node.into_value());
    }
    out
}
