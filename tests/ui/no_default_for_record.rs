use dynamo_objects::{Attr, ConvertError, dynamo_table};
use dynamo_objects::sdk::AttributeValue;

#[derive(Debug, Clone, PartialEq)]
pub struct Cents(i64);

impl Attr for Cents {
    const TYPE: &'static str = "N";
    fn to_attr(&self) -> Result<Option<AttributeValue>, ConvertError> {
        self.0.to_attr()
    }
    fn from_attr(av: AttributeValue) -> Result<Self, ConvertError> {
        i64::from_attr(av).map(Cents)
    }
}

dynamo_table! {
    quotes: Quote { hash id: String, amount: Cents }
}

fn main() {
    // `Cents` has no `Default` and `amount` declares none: `Quote` has no `Default`.
    let _ = Quote::default();
}
