//! DSL mistakes are compile errors that say what is wrong and what is
//! expected (the `.stderr` files beside each case pin the messages).

#[test]
fn dsl_mistakes_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
