use std::collections::HashMap;

use aura_analysis::SourceFile;
use aura_syntax::{parse, registry, Rope};

use crate::cache::EmbeddingCache;
use crate::chunks::{content_hash, function_chunks};
use crate::imports::{cycle_through, cycles, imports_of, Import, Resolver};
use crate::index::SemanticIndex;
use crate::insights::{analyse, import_cycle_diagnostics, near_copy_diagnostics};

fn with_file<T>(lang: &str, text: &str, f: impl FnOnce(SourceFile<'_>) -> T) -> T {
    let language = registry().by_id(lang).unwrap();
    let rope = Rope::from_str(text);
    let tree = parse(language, &rope, None).unwrap();
    f(SourceFile { language, text: &rope, tree: &tree })
}

const PY: &str = "\
def short(x):
    return x

def outer(a, b):
    total = a + b
    def inner(y):
        z = y * 2
        return z
    return inner(total)

class K:
    @staticmethod
    def method(self):
        value = 1
        return value
";

#[test]
fn chunks_are_functions_of_three_lines_or_more() {
    let chunks = with_file("python", PY, |f| function_chunks("m.py", f));
    let names: Vec<(&str, u32, u32)> =
        chunks.iter().map(|c| (c.name.as_str(), c.start_line, c.end_line)).collect();
    assert_eq!(names, [("outer", 4, 9), ("inner", 6, 8), ("method", 13, 15)]);
    assert!(chunks[1].text.starts_with("def inner(y):"));
    assert_eq!(chunks[1].hash, content_hash(&chunks[1].text));
    assert_eq!(&PY[chunks[2].name_range.clone()], "method");
}

fn unit(v: &[f32]) -> Vec<f32> {
    let mut full = vec![0f32; aura_embed::DIM];
    full[..v.len()].copy_from_slice(v);
    let norm = full.iter().map(|x| x * x).sum::<f32>().sqrt();
    full.iter().map(|x| x / norm).collect()
}

/// An index of PY with fixed vectors instead of the model's.
fn index_with(vectors: &[(&str, Vec<f32>)]) -> SemanticIndex {
    let mut index = SemanticIndex::default();
    let chunks = with_file("python", PY, |f| function_chunks("m.py", f));
    index.set_file("m.py", chunks.clone());
    let by_name: HashMap<&str, &Vec<f32>> = vectors.iter().map(|(n, v)| (*n, v)).collect();
    index.fill(chunks.iter().map(|c| (c.hash, by_name[c.name.as_str()].clone())).collect());
    index
}

#[test]
fn cache_survives_a_reopen_and_ignores_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = EmbeddingCache::path_in(dir.path());
    let mut cache = EmbeddingCache::open(&path);
    assert!(cache.is_empty());
    cache.insert(content_hash("a"), unit(&[1.0]));
    cache.insert(content_hash("b"), unit(&[0.0, 1.0]));
    cache.retain(|h| *h == content_hash("a"));
    cache.save().unwrap();
    let again = EmbeddingCache::open(&path);
    assert_eq!(again.len(), 1);
    assert_eq!(again.get(&content_hash("a")).unwrap(), unit(&[1.0]).as_slice());
    std::fs::write(&path, b"AURAEMB1\x03\x00\x00\x00old").unwrap();
    assert!(EmbeddingCache::open(&path).is_empty(), "a cache for another model is discarded");
}

#[test]
fn pending_fill_and_top_k() {
    let mut index = SemanticIndex::default();
    let chunks = with_file("python", PY, |f| function_chunks("m.py", f));
    index.set_file("m.py", chunks.clone());
    assert_eq!(index.counts(), (3, 0));
    let pending = index.pending(10);
    assert_eq!(pending.len(), 3);
    let vectors = [unit(&[1.0, 0.1]), unit(&[0.0, 1.0]), unit(&[1.0, 0.0])];
    index.fill(pending.iter().map(|(h, _)| *h).zip(vectors).collect());
    assert_eq!(index.counts(), (3, 3));
    assert!(index.pending(10).is_empty());
    // Line 7 is inside inner (innermost), not outer.
    assert_eq!(index.function_at("m.py", 7).unwrap().chunk.name, "inner");
    let (me, hits) = index.similar("m.py", 4, 2).unwrap();
    assert_eq!(me.name, "outer");
    assert_eq!(hits.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), ["method", "inner"]);
    assert!(hits[0].similarity > 0.99 && hits[1].similarity < 0.2);
    // A file set again with the same texts reuses the cached vectors.
    index.set_file("m.py", chunks);
    assert_eq!(index.counts(), (3, 3));
}

#[test]
fn clusters_outliers_and_near_copy_diagnostics() {
    // inner is outer's twin, but nesting never makes a copy.
    let twins =
        index_with(&[("outer", unit(&[0.0, 1.0])), ("inner", unit(&[0.0, 1.0])), ("method", unit(&[1.0]))]);
    assert!(analyse(&twins, &[], Vec::new(), 0.05).clusters.is_empty());

    let index = index_with(&[
        ("outer", unit(&[1.0, 0.0])),
        ("inner", unit(&[0.0, 1.0])),
        ("method", unit(&[1.0, 0.05])),
    ]);
    let report = analyse(&index, &[], Vec::new(), 0.05);
    assert_eq!(report.functions, 3);
    assert_eq!(report.h0.len(), 2);
    assert_eq!(report.clusters.len(), 1, "{:?}", report.clusters);
    let names: Vec<&str> = report.clusters[0].members.iter().map(|m| m.function.name.as_str()).collect();
    assert_eq!(names, ["outer", "method"]);
    let diags = near_copy_diagnostics(&report, "m.py");
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[1].code, "AUR403");
    assert!(
        diags[1].message.starts_with("near-copy of `outer` in line 4 (similarity 1.00)"),
        "{}",
        diags[1].message
    );
    assert_eq!(diags[1].related[0].lines, (3, 8));

    // Far apart: no cluster until a token clone joins them.
    let apart = index_with(&[
        ("outer", unit(&[1.0])),
        ("inner", unit(&[0.0, 1.0])),
        ("method", unit(&[0.0, 0.0, 1.0])),
    ]);
    assert!(analyse(&apart, &[], Vec::new(), 0.05).clusters.is_empty());
    let pair = (("m.py".to_string(), 4), ("m.py".to_string(), 13));
    let joined = analyse(&apart, &[pair], Vec::new(), 0.05);
    assert_eq!(joined.clusters.len(), 1);
    assert!(joined.clusters[0].token_clone);
}

#[test]
fn an_isolated_function_is_an_outlier() {
    let mut index = SemanticIndex::default();
    let mut src = String::new();
    for i in 0..12 {
        src.push_str(&format!("def f{i}(x):\n    y = x\n    return y\n\n"));
    }
    let chunks = with_file("python", &src, |f| function_chunks("o.py", f));
    index.set_file("o.py", chunks.clone());
    let vectors = chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (c.hash, if i == 11 { unit(&[0.0, 0.0, 1.0]) } else { unit(&[1.0, 0.2 + 0.1 * i as f32]) })
        })
        .collect();
    index.fill(vectors);
    let report = analyse(&index, &[], Vec::new(), 0.0001);
    assert_eq!(report.outliers.len(), 1, "{:?}", report.outliers);
    assert_eq!(report.outliers[0].function.name, "f11");
    assert!(report.outliers[0].distance > 0.5);
}

fn graph_of(files: &[(&str, &str, &str)]) -> HashMap<String, Vec<Import>> {
    let resolver = Resolver::new(files.iter().map(|(p, _, _)| *p));
    files
        .iter()
        .map(|(path, lang, text)| {
            (path.to_string(), with_file(lang, text, |f| imports_of(path, f, &resolver)))
        })
        .collect()
}

#[test]
fn python_imports_resolve_and_only_load_time_ones_count() {
    let g = graph_of(&[
        ("pkg/__init__.py", "python", "from . import a\n"),
        ("pkg/a.py", "python", "import os\nfrom pkg.b import helper\ndef f():\n    import pkg.c\n"),
        ("pkg/b.py", "python", "from .c import x\ntry:\n    from . import a\nexcept ImportError:\n    pass\n"),
        (
            "pkg/c.py",
            "python",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\nimport pkg.sub.deep\n",
        ),
        ("pkg/sub/__init__.py", "python", ""),
    ]);
    let targets = |f: &str| g[f].iter().map(|i| (i.target.as_str(), i.line)).collect::<Vec<_>>();
    assert_eq!(targets("pkg/__init__.py"), [("pkg/a.py", 1)]);
    assert_eq!(targets("pkg/a.py"), [("pkg/b.py", 2)], "function-level imports do not count");
    assert_eq!(targets("pkg/b.py"), [("pkg/c.py", 1), ("pkg/a.py", 3)]);
    assert_eq!(targets("pkg/c.py"), [("pkg/sub/__init__.py", 4)], "TYPE_CHECKING imports do not count");
    assert_eq!(cycles(&g), [vec!["pkg/a.py".to_string(), "pkg/b.py".to_string()]]);
    assert_eq!(cycle_through(&g, "pkg/b.py", "pkg/a.py").unwrap(), ["pkg/b.py", "pkg/a.py", "pkg/b.py"]);
    assert_eq!(cycle_through(&g, "pkg/b.py", "pkg/c.py"), None);
    let diags = import_cycle_diagnostics(&g, "pkg/a.py");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].message, "import cycle: pkg/a.py → pkg/b.py → pkg/a.py");
    assert_eq!(diags[0].severity, aura_analysis::Severity::Warning);
    assert_eq!(diags[0].related[0].file, "pkg/b.py");
    assert_eq!(diags[0].related[0].lines, (2, 2));
}

#[test]
fn javascript_relative_imports_and_three_file_cycles() {
    let g = graph_of(&[
        ("src/a.js", "javascript", "import { b } from './b';\nimport React from 'react';\n"),
        ("src/b.ts", "typescript", "import type { A } from './a';\nexport { c } from '../lib/c';\n"),
        (
            "lib/c/index.js",
            "javascript",
            "const a = require('../../src/a.js');\nfunction f() { require('./late'); }\n",
        ),
    ]);
    assert_eq!(g["src/a.js"].iter().map(|i| i.target.as_str()).collect::<Vec<_>>(), ["src/b.ts"]);
    assert_eq!(g["src/b.ts"].iter().map(|i| i.target.as_str()).collect::<Vec<_>>(), ["lib/c/index.js"]);
    assert_eq!(g["lib/c/index.js"].iter().map(|i| i.target.as_str()).collect::<Vec<_>>(), ["src/a.js"]);
    assert_eq!(cycles(&g).len(), 1);
    assert_eq!(cycles(&g)[0].len(), 3);
    // One finding for the cycle, in its first file by path.
    assert!(import_cycle_diagnostics(&g, "src/b.ts").is_empty());
    assert!(import_cycle_diagnostics(&g, "src/a.js").is_empty());
    let d = import_cycle_diagnostics(&g, "lib/c/index.js");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "import cycle: lib/c/index.js → src/a.js → src/b.ts → lib/c/index.js");
    assert_eq!(d[0].severity, aura_analysis::Severity::Info, "ES modules survive cycles: information");
    assert_eq!(d[0].related.len(), 2);
}

#[test]
fn typescript_imports_used_only_as_types_are_no_edges() {
    let g = graph_of(&[
        (
            "t/a.ts",
            "typescript",
            "import { B } from './b';\nimport * as NS from './c';\nimport { D } from './d';\nimport './e';\n\
             let x: B = null as unknown as NS.T;\ntype Q = typeof D;\n",
        ),
        ("t/b.ts", "typescript", "import { type A, make } from './a';\nexport const b: A = make();\n"),
        ("t/c.ts", "typescript", "import Base from './b';\nexport default class C extends Base {}\n"),
        (
            "t/d.tsx",
            "tsx",
            "import { View } from './c';\nimport { type E } from './e';\nexport const D = () => <View />;\n",
        ),
        ("t/e.ts", "typescript", "export {};\n"),
        ("t/f.js", "javascript", "import { B } from './b';\n"),
    ]);
    let targets = |f: &str| g[f].iter().map(|i| i.target.as_str()).collect::<Vec<_>>();
    assert_eq!(targets("t/a.ts"), ["t/e.ts"], "type-only uses, typeof in a type and NS.T drop their imports");
    assert_eq!(targets("t/b.ts"), ["t/a.ts"], "`make` is a value");
    assert_eq!(targets("t/c.ts"), ["t/b.ts"], "a base class is a value");
    assert_eq!(targets("t/d.tsx"), ["t/c.ts"], "a JSX element is a value; an all-`type` import is dropped");
    assert_eq!(targets("t/f.js"), ["t/b.ts"], "JavaScript has no types to drop");
    assert!(cycles(&g).is_empty(), "{:?}", cycles(&g));
}

/// `pkg/__init__.py` imports its module and the module imports its own
/// package: Python initialises the package first, so this is no cycle.
#[test]
fn a_module_importing_its_own_package_closes_no_cycle() {
    let g = graph_of(&[
        ("pkg/__init__.py", "python", "from .models import Model\nfrom .api import Api\n"),
        ("pkg/models.py", "python", "from pkg import api\n"),
        ("pkg/api.py", "python", "from . import models\nimport pkg\n"),
        ("other/x.py", "python", "import pkg\n"),
    ]);
    assert!(g["pkg/models.py"].iter().all(|i| i.target != "pkg/__init__.py"));
    assert!(g["pkg/api.py"].iter().all(|i| i.target != "pkg/__init__.py"));
    assert_eq!(g["other/x.py"].iter().map(|i| i.target.as_str()).collect::<Vec<_>>(), ["pkg/__init__.py"]);
    // models → api → models is still a cycle between two modules.
    assert_eq!(cycles(&g), [vec!["pkg/api.py".to_string(), "pkg/models.py".to_string()]]);
}
