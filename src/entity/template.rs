//! Key templates: `"USER#{user_id}"`, literal text with `{field}`
//! placeholders.
//!
//! A placeholder may give a width, `{line:04}`: the value is written with
//! leading zeros up to that many characters (at most 99), so that
//! non-negative integers sort by number (`LINE#0002` before `LINE#0010`;
//! without a width, `LINE#10` sorts before `LINE#2`). A longer value is
//! written whole.
//!
//! The checks are `const fn`s, so the `entity!` macro runs them at compile
//! time: a malformed template, or one naming a field the entity does not
//! declare, does not compile. Rendering happens at run time.
//!
//! # Values that contain the separator
//!
//! A value is written with `%` and every ASCII punctuation character of the
//! template's literal text percent-encoded (`%25`, `%23` for `#`, ...): in
//! `"USER#{user_id}"`, the user id `a#b` is written `USER#a%23b`. So a key
//! never splits differently from the way it was built, two different values
//! never make the same key, and a `begins_with` on a literal prefix
//! (`ORDER#`) never matches a value that merely contains it. Keys are not
//! decoded back: an entity's fields are stored as attributes of their own.

use crate::convert::ConvertError;

/// A key template: literal text and `{field}` or `{field:0N}`
/// placeholders, checked at compile time by `entity!`. Placeholder names
/// are Rust identifiers; `{` and `}` appear only around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Template {
    text: &'static str,
}

/// What is wrong with a template, for compile-time checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateProblem {
    /// A `{` without its `}`, a `}` without its `{`, an empty `{}`, or a
    /// placeholder that is not an identifier.
    Malformed,
    /// A placeholder names something not in the list allowed.
    UnknownName,
    /// A name that must appear does not.
    MissingName,
}

const fn is_ident_byte(b: u8, first: bool) -> bool {
    b == b'_' || b.is_ascii_alphabetic() || (!first && b.is_ascii_digit())
}

/// The byte range of the `n`th placeholder's name (`n` from 0, without a
/// `:0N` width), `None` when there are fewer. Assumes a well-formed
/// template.
const fn placeholder(t: &[u8], n: usize) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut seen = 0;
    while i < t.len() {
        if t[i] == b'{' {
            let start = i + 1;
            let mut end = start;
            while end < t.len() && t[end] != b'}' && t[end] != b':' {
                end += 1;
            }
            if seen == n {
                return Some((start, end));
            }
            seen += 1;
            while end < t.len() && t[end] != b'}' {
                end += 1;
            }
            i = end;
        }
        i += 1;
    }
    None
}

/// True when bytes `t[start..end]` equal `name`.
const fn range_is(t: &[u8], (start, end): (usize, usize), name: &[u8]) -> bool {
    if end - start != name.len() {
        return false;
    }
    let mut i = 0;
    while i < name.len() {
        if t[start + i] != name[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// True when template `t` has a placeholder `name`.
const fn names(t: &[u8], name: &[u8]) -> bool {
    let mut n = 0;
    while let Some(r) = placeholder(t, n) {
        if range_is(t, r, name) {
            return true;
        }
        n += 1;
    }
    false
}

impl Template {
    /// The template `text` (checked by [`Template::check`]).
    pub const fn new(text: &'static str) -> Template {
        Template { text }
    }

    /// The template as written.
    pub const fn text(&self) -> &'static str {
        self.text
    }

    /// True when the template is well formed: braces paired around
    /// non-empty identifiers.
    pub const fn is_well_formed(&self) -> bool {
        let t = self.text.as_bytes();
        let mut i = 0;
        while i < t.len() {
            match t[i] {
                b'{' => {
                    let mut j = i + 1;
                    if j >= t.len() || !is_ident_byte(t[j], true) {
                        return false;
                    }
                    while j < t.len() && is_ident_byte(t[j], false) {
                        j += 1;
                    }
                    // An optional width: `:0` and one or two digits.
                    if j + 2 < t.len() && t[j] == b':' && t[j + 1] == b'0' && t[j + 2].is_ascii_digit() {
                        j += 3;
                        if j < t.len() && t[j].is_ascii_digit() {
                            j += 1;
                        }
                    }
                    if j >= t.len() || t[j] != b'}' {
                        return false;
                    }
                    i = j;
                }
                b'}' => return false,
                _ => {}
            }
            i += 1;
        }
        true
    }

    /// The number of placeholders.
    pub const fn placeholder_count(&self) -> usize {
        let mut n = 0;
        while placeholder(self.text.as_bytes(), n).is_some() {
            n += 1;
        }
        n
    }

    /// Checks the template: well formed, every placeholder one of
    /// `allowed`, and every one of `required` present.
    pub const fn check(&self, allowed: &[&str], required: &[&str]) -> Result<(), TemplateProblem> {
        if !self.is_well_formed() {
            return Err(TemplateProblem::Malformed);
        }
        let t = self.text.as_bytes();
        let mut n = 0;
        while let Some(r) = placeholder(t, n) {
            let mut found = false;
            let mut k = 0;
            while k < allowed.len() {
                if range_is(t, r, allowed[k].as_bytes()) {
                    found = true;
                }
                k += 1;
            }
            if !found {
                return Err(TemplateProblem::UnknownName);
            }
            n += 1;
        }
        let mut k = 0;
        while k < required.len() {
            if !names(t, required[k].as_bytes()) {
                return Err(TemplateProblem::MissingName);
            }
            k += 1;
        }
        Ok(())
    }

    /// The placeholders' names, in order.
    pub fn placeholders(&self) -> Vec<&'static str> {
        let t = self.text;
        let mut out = Vec::new();
        let mut n = 0;
        while let Some((start, end)) = placeholder(t.as_bytes(), n) {
            out.push(t.get(start..end).unwrap_or_default());
            n += 1;
        }
        out
    }

    /// The literal text before the first placeholder (the whole text when
    /// there is none): what every key made from the template begins with.
    pub fn prefix(&self) -> &'static str {
        match self.text.find('{') {
            Some(i) => self.text.get(..i).unwrap_or_default(),
            None => self.text,
        }
    }

    /// The ASCII punctuation of the literal text, which values have
    /// percent-encoded (with `%` itself).
    fn specials(&self) -> Vec<u8> {
        let mut out = vec![b'%'];
        let mut inside = false;
        for b in self.text.bytes() {
            match b {
                b'{' => inside = true,
                b'}' => inside = false,
                b if !inside && b.is_ascii_punctuation() && !out.contains(&b) => out.push(b),
                _ => {}
            }
        }
        out
    }

    /// The key: the literal text, and for each placeholder `value(name)`
    /// (its separator characters percent-encoded, see the module docs).
    /// `value` answers `None` for a name it does not know: an error
    /// (`entity!` checks names at compile time, so only a hand-written
    /// template can get there).
    pub fn render(
        &self,
        mut value: impl FnMut(&str) -> Option<Result<String, ConvertError>>,
    ) -> Result<String, ConvertError> {
        let specials = self.specials();
        let mut out = String::with_capacity(self.text.len() + 16);
        let mut rest = self.text;
        while let Some(open) = rest.find('{') {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('}').unwrap_or(after.len());
            let spec = after.get(..close).unwrap_or_default();
            let (name, width) = match spec.split_once(':') {
                Some((name, width)) => (name, width.parse::<usize>().unwrap_or(0)),
                None => (spec, 0),
            };
            let v = match value(name) {
                Some(v) => v.map_err(|e| e.at(name))?,
                None => {
                    return Err(ConvertError::invalid(format!(
                        "the key template \"{}\" names {name:?}, which has no value",
                        self.text
                    )));
                }
            };
            for _ in v.chars().count()..width {
                out.push('0');
            }
            encode_into(&mut out, &v, &specials);
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The key from values given in placeholder order (for index
    /// partitions, whose fields the macro does not type): as many values as
    /// placeholders, or an error saying how many it takes.
    pub fn render_parts(&self, parts: &[String]) -> Result<String, ConvertError> {
        let names = self.placeholders();
        if names.len() != parts.len() {
            return Err(ConvertError::invalid(format!(
                "the key template \"{}\" takes {} value{}, given {}",
                self.text,
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                parts.len()
            )));
        }
        let mut next = parts.iter();
        self.render(|_| next.next().map(|p| Ok(p.clone())))
    }
}

fn encode_into(out: &mut String, value: &str, specials: &[u8]) {
    for c in value.chars() {
        if c.is_ascii() && specials.contains(&(c as u8)) {
            out.push_str(&format!("%{:02X}", c as u8));
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: &str) -> Option<Result<String, ConvertError>> {
        Some(Ok(v.to_string()))
    }

    #[test]
    fn a_template_renders_its_literal_text_and_each_value() {
        let t = Template::new("USER#{user_id}#ORDER#{order_id}");
        let key = t.render(|n| match n {
            "user_id" => ok("u1"),
            "order_id" => ok("o9"),
            _ => None,
        });
        assert_eq!(key, Ok("USER#u1#ORDER#o9".to_string()));
        assert_eq!(t.prefix(), "USER#");
        assert_eq!(t.placeholders(), ["user_id", "order_id"]);
        assert_eq!(Template::new("PROFILE").prefix(), "PROFILE");
    }

    #[test]
    fn a_placeholder_width_pads_with_zeros_so_numbers_sort_by_value() {
        let t = Template::new("LINE#{line:04}#{x}");
        assert_eq!(t.check(&["line", "x"], &["line"]), Ok(()));
        assert_eq!(t.placeholders(), ["line", "x"]);
        let render = |line: &str| t.render(|n| if n == "line" { ok(line) } else { ok("a") });
        assert_eq!(render("2"), Ok("LINE#0002#a".to_string()));
        assert_eq!(render("10"), Ok("LINE#0010#a".to_string()));
        assert_eq!(render("123456"), Ok("LINE#123456#a".to_string()));
        assert_eq!(
            Template::new("{n:012}").render(|_| ok("7")),
            Ok("000000000007".to_string())
        );
        for bad in ["{line:4}", "{line:}", "{line:0}", "{line:0123}", "{line:x}"] {
            assert_eq!(
                Template::new(bad).check(&["line"], &[]),
                Err(TemplateProblem::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_value_holding_the_separator_or_a_percent_is_percent_encoded_so_keys_never_collide() {
        let t = Template::new("USER#{a}#{b}");
        let render = |a: &str, b: &str| {
            t.render(|n| match n {
                "a" => ok(a),
                _ => ok(b),
            })
        };
        assert_eq!(render("x#y", "z"), Ok("USER#x%23y#z".to_string()));
        assert_eq!(render("x", "y#z"), Ok("USER#x#y%23z".to_string()));
        assert_eq!(render("50%", "é:"), Ok("USER#50%25#é:".to_string()));
        // Only the template's own punctuation is encoded.
        assert_eq!(
            Template::new("T:{a}").render(|_| ok("a#b:c")),
            Ok("T:a#b%3Ac".to_string())
        );
    }

    #[test]
    fn template_checks_find_malformed_templates_unknown_and_missing_names() {
        let fields = ["user_id", "name"];
        assert_eq!(Template::new("USER#{user_id}").check(&fields, &["user_id"]), Ok(()));
        assert_eq!(
            Template::new("USER#{usr_id}").check(&fields, &[]),
            Err(TemplateProblem::UnknownName)
        );
        assert_eq!(
            Template::new("USER").check(&fields, &["user_id"]),
            Err(TemplateProblem::MissingName)
        );
        for bad in ["USER#{user_id", "USER#}", "A#{}", "A#{1x}", "A#{a b}", "{{a}}"] {
            assert_eq!(
                Template::new(bad).check(&fields, &[]),
                Err(TemplateProblem::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn positional_parts_must_match_the_number_of_placeholders() {
        let t = Template::new("ORDER#{order_id}");
        assert_eq!(t.render_parts(&["o1".to_string()]), Ok("ORDER#o1".to_string()));
        assert_eq!(
            t.render_parts(&[]).map_err(|e| e.to_string()),
            Err("the key template \"ORDER#{order_id}\" takes 1 value, given 0".to_string())
        );
    }
}
