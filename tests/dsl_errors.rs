//! DSL mistakes are compile errors that say what is wrong and what is
//! expected (the `.stderr` files beside each case pin the messages).

/// The rustc flags trybuild (1.0.122) checks the cases with. It checks the
/// dependencies first with the same list minus `--diagnostic-width=140`, and
/// flags are part of every crate's hash, so a fresh `target/tests/trybuild`
/// got each dependency (the AWS SDK among them) checked twice. One list for
/// both passes, through `CARGO_ENCODED_RUSTFLAGS` (which takes precedence
/// over the `--config build.rustflags` trybuild passes), checks them once.
const TRYBUILD_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "trybuild",
    "--verbose",
    "-A",
    "dead_code",
    "--diagnostic-width=140",
];

#[test]
fn dsl_mistakes_do_not_compile() {
    if std::env::var_os("CARGO_ENCODED_RUSTFLAGS").is_none() {
        // SAFETY: this binary's only test, setting it before trybuild starts
        // any thread or child; nothing else reads the environment meanwhile.
        unsafe { std::env::set_var("CARGO_ENCODED_RUSTFLAGS", TRYBUILD_RUSTFLAGS.join("\x1f")) };
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
