//! The import graph between files and its cycles (strongly connected
//! components), for the languages where a cycle breaks at run time:
//! Python and JavaScript/TypeScript.
//!
//! What counts as an import edge:
//! - only imports that run when the module loads: module-level statements
//!   (and those directly inside a module-level `try`). Imports inside
//!   functions or under `if TYPE_CHECKING:` are the usual way to break a
//!   cycle, so they do not make one;
//! - Python: `import a.b.c` goes to the most specific module that exists
//!   in the workspace; `from a.b import c` to the submodule `a.b.c` when
//!   there is one, else to `a.b`; relative imports resolve from the file's
//!   package. Modules are found from the workspace root and from `src/`;
//! - JavaScript/TypeScript: relative specifiers (`./x`, `../y`) of
//!   `import … from`, `export … from` and module-level `require()`, with the
//!   usual extensions and `index` files; `import type` is erased by the
//!   compiler and is left out, and so is, in TypeScript, an import whose
//!   bindings are only used as types (the compiler drops it unless
//!   `verbatimModuleSyntax` keeps it). Packages (`react`) are outside the
//!   workspace.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use aura_analysis::SourceFile;
use tree_sitter::Node;

/// One import statement that resolved to a workspace file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub target: String,
    /// 1-based line of the statement.
    pub line: u32,
    /// Bytes of the statement.
    pub range: Range<usize>,
}

/// Maps module names and paths to the workspace's files (paths relative to
/// the root, `/`-separated).
pub struct Resolver {
    files: HashSet<String>,
    python: HashMap<String, String>,
}

impl Resolver {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let files: HashSet<String> = files.into_iter().map(str::to_owned).collect();
        let mut python = HashMap::new();
        for f in &files {
            if let Some(module) = f.strip_suffix(".py") {
                let module = module.strip_suffix("/__init__").unwrap_or(module);
                python.insert(module.replace('/', "."), f.clone());
                if let Some(inner) = module.strip_prefix("src/") {
                    python.entry(inner.replace('/', ".")).or_insert_with(|| f.clone());
                }
            }
        }
        Resolver { files, python }
    }

    fn python_module(&self, name: &str) -> Option<&String> {
        self.python.get(name)
    }

    fn js_path(&self, from: &str, spec: &str) -> Option<String> {
        if !(spec.starts_with("./") || spec.starts_with("../")) {
            return None;
        }
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = normalize(&format!("{dir}/{spec}"))?;
        const EXT: [&str; 7] = ["ts", "tsx", "js", "jsx", "mjs", "cjs", "mts"];
        std::iter::once(joined.clone())
            .chain(EXT.iter().map(|e| format!("{joined}.{e}")))
            .chain(EXT.iter().map(|e| format!("{joined}/index.{e}")))
            // `./x.js` written for a `x.ts` source (TypeScript's ESM style).
            .chain(joined.strip_suffix(".js").map(|s| format!("{s}.ts")))
            .find(|p| self.files.contains(p))
    }
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The imports of `file` (its path relative to the root) that resolve to
/// workspace files, in source order.
pub fn imports_of(file: &str, source: SourceFile<'_>, resolver: &Resolver) -> Vec<Import> {
    let root = source.tree.root_node();
    let mut statements = Vec::new();
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        if child.kind() == "try_statement" {
            if let Some(body) = child.child_by_field_name("body") {
                let mut c = body.walk();
                statements.extend(body.children(&mut c));
            }
        } else {
            statements.push(child);
        }
    }
    let text = |n: Node| source.text.byte_slice(n.byte_range()).to_string();
    let line = |n: Node| source.text.byte_to_line(n.start_byte()) as u32 + 1;
    let mut out = Vec::new();
    let mut push = |target: Option<String>, n: Node| {
        if let Some(target) = target.filter(|t| t != file) {
            out.push(Import { target, line: line(n), range: n.byte_range() });
        }
    };
    match source.language.id.as_str() {
        "python" => {
            for st in statements {
                for target in python_targets(file, st, &text, resolver) {
                    // A module importing its own package (`from pkg import x` in
                    // `pkg/a.py`): Python initialises the package before any of
                    // its modules, so this closes no load-order cycle.
                    let own_package = target
                        .strip_suffix("__init__.py")
                        .is_some_and(|dir| file.starts_with(dir) && file != target);
                    if !own_package {
                        push(Some(target), st);
                    }
                }
            }
        }
        "javascript" | "typescript" | "tsx" => {
            let typed = source.language.id != "javascript";
            // Names used as values, found on the first import that needs them.
            let values = std::cell::OnceCell::new();
            for st in statements {
                if let Some(spec) = js_specifier(st, &text) {
                    if typed && only_types(st, &text, || values.get_or_init(|| value_names(root, &text))) {
                        continue;
                    }
                    push(resolver.js_path(file, &spec), st);
                }
            }
        }
        _ => {}
    }
    out.dedup_by(|a, b| a.target == b.target && a.line == b.line);
    out
}

fn python_targets(file: &str, st: Node, text: &dyn Fn(Node) -> String, resolver: &Resolver) -> Vec<String> {
    let dotted = |n: Node| -> Option<String> {
        match n.kind() {
            "dotted_name" => Some(text(n)),
            "aliased_import" => n.child_by_field_name("name").map(text),
            _ => None,
        }
    };
    // The most specific existing module along `a.b.c`.
    let deepest = |name: &str| -> Option<String> {
        let mut name = name;
        loop {
            if let Some(f) = resolver.python_module(name) {
                return Some(f.clone());
            }
            name = name.rsplit_once('.')?.0;
        }
    };
    let mut targets = Vec::new();
    match st.kind() {
        "import_statement" => {
            let mut c = st.walk();
            for name in st.children_by_field_name("name", &mut c) {
                targets.extend(dotted(name).and_then(|n| deepest(&n)));
            }
        }
        "import_from_statement" => {
            let Some(module) = st.child_by_field_name("module_name") else { return targets };
            let base = if module.kind() == "relative_import" {
                let raw = text(module);
                let level = raw.chars().take_while(|&c| c == '.').count();
                let rest = &raw[level..];
                let Some(package) = package_of(file, level) else { return targets };
                match (package.is_empty(), rest.is_empty()) {
                    (_, true) => package,
                    (true, false) => rest.to_owned(),
                    (false, false) => format!("{package}.{rest}"),
                }
            } else {
                text(module)
            };
            let mut c = st.walk();
            let mut any = false;
            for name in st.children_by_field_name("name", &mut c) {
                if let Some(n) = dotted(name) {
                    let sub = if base.is_empty() { n } else { format!("{base}.{n}") };
                    if let Some(f) = resolver.python_module(&sub) {
                        targets.push(f.clone());
                        any = true;
                    }
                }
            }
            if !any {
                targets.extend(deepest(&base));
            }
        }
        _ => {}
    }
    targets
}

/// The package a relative import of `level` dots starts from.
fn package_of(file: &str, level: usize) -> Option<String> {
    let module = file.strip_suffix(".py")?;
    let module = module.strip_prefix("src/").unwrap_or(module);
    let mut parts: Vec<&str> = module.split('/').collect();
    // `a/b/__init__.py` is package `a.b` itself; `a/b/c.py` lives in `a.b`.
    parts.pop();
    for _ in 1..level {
        parts.pop()?;
    }
    Some(parts.join("."))
}

fn js_specifier(st: Node, text: &dyn Fn(Node) -> String) -> Option<String> {
    let unquote = |s: String| s.trim_matches(|c| c == '"' || c == '\'' || c == '`').to_owned();
    match st.kind() {
        "import_statement" | "export_statement" => {
            let mut c = st.walk();
            if st.children(&mut c).any(|n| n.kind() == "type") {
                return None;
            }
            st.child_by_field_name("source").map(|s| unquote(text(s)))
        }
        "lexical_declaration" | "variable_declaration" | "expression_statement" => {
            // `const x = require('./x')` or a bare `require('./x')`.
            let mut stack = vec![st];
            while let Some(n) = stack.pop() {
                if n.kind() == "call_expression"
                    && n.child_by_field_name("function").is_some_and(|f| text(f) == "require")
                {
                    let args = n.child_by_field_name("arguments")?;
                    let first = args.named_child(0)?;
                    return (first.kind() == "string").then(|| unquote(text(first)));
                }
                if n.kind() == "arrow_function" || n.kind() == "function_expression" {
                    continue;
                }
                let mut c = n.walk();
                stack.extend(n.named_children(&mut c));
            }
            None
        }
        _ => None,
    }
}

/// Whether TypeScript drops the import statement `st`: it binds names (an
/// `import './x'` runs for its effects and stays), and none of them is used
/// as a value (`values`); `type` specifiers count as unused.
fn only_types<'v>(
    st: Node,
    text: &dyn Fn(Node) -> String,
    values: impl FnOnce() -> &'v HashSet<String>,
) -> bool {
    if st.kind() != "import_statement" {
        return false;
    }
    let Some(clause) = named_child_of_kind(st, "import_clause") else { return false };
    let mut names = Vec::new();
    let mut c = clause.walk();
    for part in clause.named_children(&mut c) {
        match part.kind() {
            "identifier" => names.push(text(part)),
            "namespace_import" => names.extend(named_child_of_kind(part, "identifier").map(text)),
            "named_imports" => {
                let mut c = part.walk();
                for spec in part.named_children(&mut c).filter(|n| n.kind() == "import_specifier") {
                    let mut t = spec.walk();
                    if spec.children(&mut t).any(|n| n.kind() == "type") {
                        continue;
                    }
                    let local =
                        spec.child_by_field_name("alias").or_else(|| spec.child_by_field_name("name"));
                    names.extend(local.map(text));
                }
            }
            _ => {}
        }
    }
    let values = values();
    !names.iter().any(|n| values.contains(n))
}

fn named_child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut c = node.walk();
    let found = node.named_children(&mut c).find(|n| n.kind() == kind);
    found
}

/// Every name a TypeScript file uses as a value: identifiers outside
/// imports and outside type positions (annotations, type arguments and
/// parameters, `typeof` in a type, `NS.T`, interfaces and type aliases,
/// `implements`).
fn value_names(root: Node, text: &dyn Fn(Node) -> String) -> HashSet<String> {
    const TYPE_ONLY: &[&str] = &[
        "import_statement",
        "type_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "asserts_annotation",
        "type_predicate_annotation",
        "type_arguments",
        "type_parameters",
        "type_query",
        "nested_type_identifier",
        "interface_declaration",
        "type_alias_declaration",
        "implements_clause",
        "extends_type_clause",
    ];
    let mut names = HashSet::new();
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        let skip = TYPE_ONLY.contains(&node.kind());
        if matches!(node.kind(), "identifier" | "shorthand_property_identifier") {
            names.insert(text(node));
        }
        if !skip && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    names
}

/// Files that import each other, directly or through others: the strongly
/// connected components of more than one file (and files that import
/// themselves), each sorted, largest first.
pub fn cycles(graph: &HashMap<String, Vec<Import>>) -> Vec<Vec<String>> {
    let mut names: Vec<&str> = graph.keys().map(String::as_str).collect();
    for imports in graph.values() {
        names.extend(imports.iter().map(|i| i.target.as_str()));
    }
    names.sort_unstable();
    names.dedup();
    let id: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adj: Vec<Vec<usize>> = names
        .iter()
        .map(|n| {
            graph.get(*n).map_or(Vec::new(), |imps| imps.iter().map(|i| id[i.target.as_str()]).collect())
        })
        .collect();
    let mut out: Vec<Vec<String>> = tarjan(&adj)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut files: Vec<String> = c.into_iter().map(|i| names[i].to_owned()).collect();
            files.sort();
            files
        })
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out
}

/// A shortest cycle through the edge `from → to`, as the files in order,
/// starting and ending with `from`; `None` when `to` does not lead back.
pub fn cycle_through(graph: &HashMap<String, Vec<Import>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut prev: HashMap<&str, &str> = HashMap::new();
    let mut queue = VecDeque::from([to]);
    let mut seen: HashSet<&str> = HashSet::from([to]);
    while let Some(n) = queue.pop_front() {
        if n == from {
            // Walk back from `from` to `to`, then read it forwards.
            let mut back = vec![from.to_owned()];
            let mut at = from;
            while at != to {
                at = prev[at];
                back.push(at.to_owned());
            }
            back.push(from.to_owned());
            back.reverse();
            // back is now from, to, …, from.
            return Some(back);
        }
        for imp in graph.get(n).into_iter().flatten() {
            if seen.insert(imp.target.as_str()) {
                prev.insert(imp.target.as_str(), n);
                queue.push_back(imp.target.as_str());
            }
        }
    }
    None
}

/// Tarjan's strongly connected components, iteratively (deep import
/// chains must not overflow the stack).
fn tarjan(adj: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&w) = adj[v].get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(component);
                }
            }
        }
    }
    out
}
