//! Input size and shape cannot crash or stall the analysis: megabyte inputs
//! built to nest as deep as a grammar allows (`x. x. ...`, 100,000 nested
//! `if`s, unclosed brackets, long operator chains, prose in a `.py`), in each
//! language family (half a megabyte: far past the depth limit), analysed with every default rule, tokens and the
//! incremental path, on a test thread's 2 MB stack. Any recursion that input
//! depth drives overflows that stack and fails the test; the time these take
//! is printed by `benches/scale/run.py`, not asserted here.

use aura_analysis::{
    analyze_and_tokenize, analyze_incremental, too_deep, AnalysisCache, RuleSettings, SourceFile,
};
use aura_syntax::{parse, registry, Rope};

/// (language, text) pairs of about `size` bytes each.
fn hostile(size: usize) -> Vec<(&'static str, String)> {
    let rep = |unit: &str| unit.repeat(size / unit.len());
    let nest = |open: &str, close: &str, pre: &str, post: &str| {
        let n = size / (open.len() + close.len());
        format!("{pre}{}{}{post}", open.repeat(n), close.repeat(n))
    };
    vec![
        ("python", rep("x. ")),
        ("python", rep("Mr. Smith went (again) to Washington; it's 5 p.m. - or \"later\": ")),
        ("python", nest("(", ")", "x = ", "\n")),
        ("python", rep("([")),
        ("python", rep("lambda: ")),
        ("javascript", rep("a+")),
        ("javascript", nest("[", "]", "x = ", ";\n")),
        ("javascript", nest("function a(){", "}", "", "\n")),
        ("typescript", nest("class A { m() { return class B {", "}}}", "", "\n")),
        ("c", nest("if(x){", "}", "int f(){", "}\n")),
        ("c", format!("int f(){{{}", "{".repeat(size))),
        ("cpp", rep("a<b<")),
        ("rust", format!("fn f(){{let x={}1;}}", "-".repeat(size))),
        ("rust", nest("if x {", "}", "fn f(){", "}\n")),
        ("go", nest("func() {", "}()", "package p\nvar x = ", "\n")),
        ("java", nest("(", ")", "class A { int x = ", "1; }\n")),
        ("ruby", nest("[", "]", "x = ", "\n")),
        ("php", nest("(", ")", "<?php $x = ", "1;\n")),
        ("bash", nest("$(", ")", "echo ", "\n")),
        ("csharp", nest("(", ")", "class A { int x = ", "1; }\n")),
    ]
}

#[test]
fn megabyte_hostile_inputs_neither_crash_nor_recurse() {
    let settings = RuleSettings::default();
    let mut deep = 0;
    for (i, (id, text)) in hostile(1 << 19).into_iter().enumerate() {
        eprintln!("input {i}: {id}");
        let language = registry().by_id(id).unwrap();
        let rope = Rope::from_str(&text);
        let tree = parse(language, &rope, None).unwrap();
        let file = SourceFile { language, text: &rope, tree: &tree };
        deep += usize::from(too_deep(&tree));
        // The metrics walk (hover, AI context) runs on any depth: iterative,
        // without parent lookups past the limit.
        let _ = aura_analysis::metrics::compute(file);
        let (found, tokens) = analyze_and_tokenize(file, &settings, true);
        let mut cache = AnalysisCache::new();
        let (again, _) = analyze_incremental(file, &settings, true, &mut cache);
        assert_eq!(found, again, "{id}: the incremental path agrees");
        assert!(tokens.is_some(), "{id}");
    }
    // Most of these nest far past the limit; the guard must have seen them.
    assert!(deep >= 10, "only {deep} inputs were found too deep");
}

#[test]
fn ordinary_code_is_not_too_deep() {
    let language = registry().by_id("python").unwrap();
    let text = "def f(x):\n    if x:\n        for i in x:\n            while i:\n                i = [(a, {b: c}) for a in i]\n";
    let rope = Rope::from_str(text);
    let tree = parse(language, &rope, None).unwrap();
    assert!(!too_deep(&tree));
}
