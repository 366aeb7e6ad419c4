//! DynamoDB's attribute types and their names, listed once.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::schema::KeyType;

/// One of DynamoDB's ten attribute types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrType {
    /// `S`: a string.
    S,
    /// `N`: a number.
    N,
    /// `B`: binary.
    B,
    /// `SS`: a string set.
    Ss,
    /// `NS`: a number set.
    Ns,
    /// `BS`: a binary set.
    Bs,
    /// `M`: a map.
    M,
    /// `L`: a list.
    L,
    /// `NULL`: null.
    Null,
    /// `BOOL`: a boolean.
    Bool,
}

impl AttrType {
    /// Every type, in the order DynamoDB lists them for `attribute_type`
    /// (`S`, `SS`, `N`, `NS`, `B`, `BS`, `BOOL`, `NULL`, `L`, `M`).
    pub const ALL: [AttrType; 10] = [
        AttrType::S,
        AttrType::Ss,
        AttrType::N,
        AttrType::Ns,
        AttrType::B,
        AttrType::Bs,
        AttrType::Bool,
        AttrType::Null,
        AttrType::L,
        AttrType::M,
    ];

    /// DynamoDB's short name of the type, as in the JSON of an attribute
    /// value and in messages: `"S"`, `"N"`, `"B"`, `"SS"`, `"NS"`, `"BS"`,
    /// `"M"`, `"L"`, `"NULL"`, `"BOOL"`.
    #[inline]
    pub const fn name(self) -> &'static str {
        match self {
            AttrType::S => "S",
            AttrType::N => "N",
            AttrType::B => "B",
            AttrType::Ss => "SS",
            AttrType::Ns => "NS",
            AttrType::Bs => "BS",
            AttrType::M => "M",
            AttrType::L => "L",
            AttrType::Null => "NULL",
            AttrType::Bool => "BOOL",
        }
    }

    /// The opening of the type's DynamoDB JSON, `{"S":` (for the writers of
    /// JSON bytes: one slice, no formatting; the tests check it against
    /// [`AttrType::name`]).
    #[inline]
    pub const fn json_open(self) -> &'static [u8] {
        match self {
            AttrType::S => br#"{"S":"#,
            AttrType::N => br#"{"N":"#,
            AttrType::B => br#"{"B":"#,
            AttrType::Ss => br#"{"SS":"#,
            AttrType::Ns => br#"{"NS":"#,
            AttrType::Bs => br#"{"BS":"#,
            AttrType::M => br#"{"M":"#,
            AttrType::L => br#"{"L":"#,
            AttrType::Null => br#"{"NULL":"#,
            AttrType::Bool => br#"{"BOOL":"#,
        }
    }

    /// The long name DynamoDB uses in "Incorrect operand type" messages
    /// (`ADD`, `DELETE`): `"STRING"`, `"NUMBER"`, `"BINARY"`, `"BOOLEAN"`,
    /// `"NULL"`, `"LIST"`, `"MAP"`; the sets keep their short names.
    pub const fn long_name(self) -> &'static str {
        match self {
            AttrType::S => "STRING",
            AttrType::N => "NUMBER",
            AttrType::B => "BINARY",
            AttrType::Null => "NULL",
            AttrType::Bool => "BOOLEAN",
            AttrType::L => "LIST",
            AttrType::M => "MAP",
            AttrType::Ss | AttrType::Ns | AttrType::Bs => self.name(),
        }
    }

    /// The type of this short name (`"SS"` → [`AttrType::Ss`]); `None` for
    /// any other text (names are case-sensitive).
    /// (A `match`, as fast as one on the names where the server reads the
    /// type tag of every attribute value; the tests check it against
    /// [`AttrType::name`].)
    #[inline]
    pub fn from_name(name: &str) -> Option<AttrType> {
        Some(match name {
            "S" => AttrType::S,
            "N" => AttrType::N,
            "B" => AttrType::B,
            "SS" => AttrType::Ss,
            "NS" => AttrType::Ns,
            "BS" => AttrType::Bs,
            "M" => AttrType::M,
            "L" => AttrType::L,
            "NULL" => AttrType::Null,
            "BOOL" => AttrType::Bool,
            _ => return None,
        })
    }

    /// The type of an attribute value; `None` for a type the SDK does not know.
    #[inline]
    pub fn of(av: &AttributeValue) -> Option<AttrType> {
        Some(match av {
            AttributeValue::S(_) => AttrType::S,
            AttributeValue::N(_) => AttrType::N,
            AttributeValue::B(_) => AttrType::B,
            AttributeValue::Ss(_) => AttrType::Ss,
            AttributeValue::Ns(_) => AttrType::Ns,
            AttributeValue::Bs(_) => AttrType::Bs,
            AttributeValue::M(_) => AttrType::M,
            AttributeValue::L(_) => AttrType::L,
            AttributeValue::Null(_) => AttrType::Null,
            AttributeValue::Bool(_) => AttrType::Bool,
            _ => return None,
        })
    }

    /// True for the three set types.
    pub const fn is_set(self) -> bool {
        matches!(self, AttrType::Ss | AttrType::Ns | AttrType::Bs)
    }
}

impl From<KeyType> for AttrType {
    /// A key attribute's type: `S`, `N` or `B`.
    fn from(ty: KeyType) -> AttrType {
        match ty {
            KeyType::S => AttrType::S,
            KeyType::N => AttrType::N,
            KeyType::B => AttrType::B,
        }
    }
}

impl std::fmt::Display for AttrType {
    /// The short name ([`AttrType::name`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::primitives::Blob;

    use super::*;

    #[test]
    fn every_attribute_value_has_its_type_and_the_names_read_back() {
        let values = [
            (AttributeValue::S("a".into()), "S", "STRING"),
            (AttributeValue::N("1".into()), "N", "NUMBER"),
            (AttributeValue::B(Blob::new(vec![1])), "B", "BINARY"),
            (AttributeValue::Ss(vec!["a".into()]), "SS", "SS"),
            (AttributeValue::Ns(vec!["1".into()]), "NS", "NS"),
            (AttributeValue::Bs(vec![Blob::new(vec![1])]), "BS", "BS"),
            (AttributeValue::M(Default::default()), "M", "MAP"),
            (AttributeValue::L(vec![]), "L", "LIST"),
            (AttributeValue::Null(true), "NULL", "NULL"),
            (AttributeValue::Bool(false), "BOOL", "BOOLEAN"),
        ];
        for (av, name, long) in values {
            let t = AttrType::of(&av).expect("a known type");
            assert_eq!((t.name(), t.long_name(), t.to_string().as_str()), (name, long, name));
            assert_eq!(AttrType::from_name(name), Some(t));
            assert_eq!(t.json_open(), format!("{{\"{name}\":").as_bytes());
        }
        let names: Vec<&str> = AttrType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names, ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"]);
    }

    #[test]
    fn names_are_case_sensitive_and_only_dynamodb_s_ten() {
        for other in ["s", "Bool", "null", "STRING", "", "SS ", "NUMBER"] {
            assert_eq!(AttrType::from_name(other), None, "{other:?}");
        }
    }

    #[test]
    fn key_types_are_the_three_scalar_types() {
        assert_eq!(AttrType::from(KeyType::S), AttrType::S);
        assert_eq!(AttrType::from(KeyType::N), AttrType::N);
        assert_eq!(AttrType::from(KeyType::B), AttrType::B);
    }
}
