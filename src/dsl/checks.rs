//! Compile-time checks of a declaration: `const fn`s the expansion calls in
//! `const _: () = ...` items, so that a table name DynamoDB would refuse, an
//! empty attribute name or two fields stored under one name fail the build
//! with a message naming the culprit.

use crate::schema::{NAME_MAX_LEN, NAME_MIN_LEN, NameProblem, name_problem};

/// The longest message a check builds (longer ones are cut, at a character
/// boundary).
const CAPACITY: usize = 480;

/// A message built at compile time (`const fn`s cannot format): empty when
/// the check passed.
#[derive(Clone, Copy, Debug)]
pub struct Problem {
    buf: [u8; CAPACITY],
    len: usize,
}

impl Problem {
    /// No problem.
    pub const NONE: Problem = Problem {
        buf: [0; CAPACITY],
        len: 0,
    };

    /// The message with `s` appended (cut at [`CAPACITY`] bytes, keeping
    /// whole characters).
    const fn push(mut self, s: &str) -> Problem {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() && self.len < CAPACITY {
            // Stop before a character that would not fit whole.
            let width = match bytes[i] {
                b if b < 0x80 => 1,
                b if b >= 0xF0 => 4,
                b if b >= 0xE0 => 3,
                _ => 2,
            };
            if self.len + width > CAPACITY {
                break;
            }
            let mut k = 0;
            while k < width && i + k < bytes.len() {
                self.buf[self.len] = bytes[i + k];
                self.len += 1;
                k += 1;
            }
            i += width;
        }
        self
    }

    /// The message appended with the decimal digits of `n`.
    const fn push_number(self, mut n: usize) -> Problem {
        let mut digits = [0u8; 20];
        let mut count = 0;
        loop {
            digits[19 - count] = b'0' + (n % 10) as u8;
            count += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let (_, used) = digits.split_at(20 - count);
        match core::str::from_utf8(used) {
            Ok(s) => self.push(s),
            Err(_) => self,
        }
    }

    /// True when the check passed.
    pub const fn is_none(&self) -> bool {
        self.len == 0
    }

    /// The message.
    pub const fn as_str(&self) -> &str {
        let (used, _) = self.buf.split_at(self.len);
        match core::str::from_utf8(used) {
            Ok(s) => s,
            Err(_) => "dynamo_table!: invalid declaration",
        }
    }
}

/// A field's stored attribute name when the declaration gives none: the
/// field's name, without the `r#` of a raw identifier (`r#type` is stored
/// as `type`).
pub const fn attr_name(field: &'static str) -> &'static str {
    match field.as_bytes() {
        [b'r', b'#', ..] => match core::str::from_utf8(field.as_bytes().split_at(2).1) {
            Ok(name) => name,
            Err(_) => field,
        },
        _ => field,
    }
}

/// A stored attribute name given in the declaration (`pk as "PK"`): a
/// string literal.
pub const fn literal_name(name: &'static str) -> &'static str {
    name
}

/// Whether two strings are equal, in a `const fn` (where `==` on `str` is
/// not available yet); the DSL's and the entities' compile-time checks use it.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The problem with the table or index name `name` of the declaration of
/// `what` (e.g. "table", "global index"), if DynamoDB would refuse it.
pub const fn check_name(what: &str, name: &str) -> Problem {
    let Some(problem) = name_problem(name) else {
        return Problem::NONE;
    };
    let p = Problem::NONE
        .push("dynamo_table!: DynamoDB refuses the ")
        .push(what)
        .push(" name `")
        .push(name);
    match problem {
        NameProblem::TooShort | NameProblem::TooLong => p
            .push("`: it has ")
            .push_number(name.len())
            .push(" characters, and a name needs ")
            .push_number(NAME_MIN_LEN)
            .push(" to ")
            .push_number(NAME_MAX_LEN),
        NameProblem::BadCharacter => p.push("`: a name may hold only a-z, A-Z, 0-9, `_`, `-` and `.`"),
    }
}

/// The problem with the stored attribute names of record `record`'s fields
/// (`(field, stored name)` pairs): an empty name, or two fields stored
/// under one name.
pub const fn check_attr_names(record: &str, fields: &[(&str, &str)]) -> Problem {
    let mut i = 0;
    while i < fields.len() {
        let (field, name) = fields[i];
        if name.is_empty() {
            return Problem::NONE
                .push("dynamo_table!: field `")
                .push(field)
                .push("` of `")
                .push(record)
                .push(
                    "` is stored under an empty attribute name; DynamoDB attribute names have at least one character",
                );
        }
        let mut j = 0;
        while j < i {
            let (other, other_name) = fields[j];
            if same(name, other_name) {
                return Problem::NONE
                    .push("dynamo_table!: fields `")
                    .push(other)
                    .push("` and `")
                    .push(field)
                    .push("` of `")
                    .push(record)
                    .push("` are both stored under the attribute name `")
                    .push(name)
                    .push("`; give one of them another name with `as \"...\"`");
            }
            j += 1;
        }
        i += 1;
    }
    Problem::NONE
}

/// The problem with the stored values of enum `name`'s variants
/// (`(variant, stored value)` pairs): an empty value (which a key could not
/// hold), or two variants stored as one value.
pub const fn check_enum_values(name: &str, variants: &[(&str, &str)]) -> Problem {
    let mut i = 0;
    while i < variants.len() {
        let (variant, value) = variants[i];
        if value.is_empty() {
            return Problem::NONE
                .push("dynamo_enum!: variant `")
                .push(variant)
                .push("` of `")
                .push(name)
                .push("` is stored as an empty string, which DynamoDB keys cannot hold");
        }
        let mut j = 0;
        while j < i {
            let (other, other_value) = variants[j];
            if same(value, other_value) {
                return Problem::NONE
                    .push("dynamo_enum!: variants `")
                    .push(other)
                    .push("` and `")
                    .push(variant)
                    .push("` of `")
                    .push(name)
                    .push("` are both stored as \"")
                    .push(value)
                    .push("\"");
            }
            j += 1;
        }
        i += 1;
    }
    Problem::NONE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_identifier_is_stored_without_its_r_hash() {
        assert_eq!(attr_name("r#type"), "type");
        assert_eq!(attr_name("kind"), "kind");
        assert_eq!(attr_name("r"), "r");
    }

    #[test]
    fn a_short_table_name_is_a_problem_naming_the_length() {
        assert_eq!(
            check_name("table", "ab").as_str(),
            "dynamo_table!: DynamoDB refuses the table name `ab`: it has 2 characters, and a name needs 3 to 255"
        );
        assert!(check_name("table", "abc").is_none());
        assert!(check_name("table", &"x".repeat(255)).is_none());
        assert!(!check_name("table", &"x".repeat(256)).is_none());
    }

    #[test]
    fn a_name_with_a_space_is_a_problem_naming_the_characters() {
        assert_eq!(
            check_name("global index", "by name").as_str(),
            "dynamo_table!: DynamoDB refuses the global index name `by name`: a name may hold only a-z, A-Z, 0-9, `_`, `-` and `.`"
        );
    }

    #[test]
    fn two_fields_under_one_name_are_a_problem_naming_both() {
        assert_eq!(
            check_attr_names("Order", &[("pk", "PK"), ("sk", "SK"), ("id", "PK")]).as_str(),
            "dynamo_table!: fields `pk` and `id` of `Order` are both stored under the attribute name `PK`; give one of them another name with `as \"...\"`"
        );
        assert!(check_attr_names("Order", &[("pk", "PK"), ("sk", "SK")]).is_none());
    }

    #[test]
    fn a_long_message_is_cut_at_a_character_boundary() {
        let long = "é".repeat(400);
        let p = check_attr_names("R", &[("a", &long), ("b", &long)]);
        assert!(p.as_str().len() <= CAPACITY);
        assert!(p.as_str().starts_with("dynamo_table!: fields `a` and `b` of `R`"));
    }
}
