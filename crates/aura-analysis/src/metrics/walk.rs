//! The single tree walk behind `metrics::compute`: an explicit stack (deep
//! expression chains must not overflow the thread stack), one entry per open
//! node, and one frame per function collecting its counts.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
use std::num::NonZeroU16;

use aura_syntax::tree_sitter::Node;
use aura_syntax::Rope;

use super::spec::{class::*, resolved, CaseRule, Resolved};
use super::{maintainability_index, FileMetrics, FunctionMetrics, Halstead, Lines};
use crate::clones::{Token, Tokenizer};
use crate::{node_text, SourceFile};

const CODE: u8 = 1;
const COMMENT_LINE: u8 = 2;

/// An open node on the walk stack.
#[derive(Clone, Copy)]
struct Entry {
    class: u32,
    /// Cognitive nesting level applying to this node's own increment.
    level: u32,
    /// Cognitive nesting level for ordinary children.
    inner: u32,
    /// Structural nesting depth of this node's contents.
    depth: u32,
    /// Index into `frames`; 0 is the file outside any function.
    frame: usize,
    /// Inside an opaque branch: cyclomatic counts nothing here.
    muted: bool,
    /// An `else` attached to an `if` whose only child is another `if`.
    else_wrapper: bool,
    /// A boolean operator node, or parentheses directly inside one.
    in_bool: bool,
    /// Inside a string-like atom, already counted as one operand.
    in_atom: bool,
    /// Inside an inline lambda or closure: a call to the unit's own name
    /// there is the lambda's call, not recursion.
    in_lambda: bool,
}

#[derive(Default)]
struct Frame {
    name: String,
    name_range: std::ops::Range<usize>,
    range: std::ops::Range<usize>,
    start_row: usize,
    end_row: usize,
    params: u32,
    cyclomatic: u32,
    cognitive: u32,
    nesting: u32,
    exits: u32,
    operators: HashSet<u16, Fixed>,
    total_operators: u32,
    operands: HashSet<u64, Fixed>,
    total_operands: u32,
    /// Where this unit's cognitive increments also count (`Spec::fold_nested`):
    /// the enclosing frame, and how many levels deeper they sit there.
    fold: Option<(usize, u32)>,
    /// It calls itself by its bare name.
    recursive: bool,
}

/// FNV-1a: operand identity only needs a fast hash that is stable within one
/// walk, not SipHash's resistance to chosen keys.
#[derive(Default, Clone, Copy)]
struct Fixed;

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

impl BuildHasher for Fixed {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

struct Walker<'a, 't> {
    r: &'static Resolved,
    text: &'a Rope,
    /// The same text in one piece: operand hashes and names read it per
    /// leaf, where a rope slice would cost a tree descent each.
    source: &'a str,
    stack: Vec<Entry>,
    frames: Vec<Frame>,
    /// Per line from `line_base`: CODE and/or COMMENT_LINE.
    line_flags: Vec<u8>,
    /// The row `line_flags` starts at (0 for a whole file).
    line_base: usize,
    /// Named nodes by kind id, filled on the same walk when the rules need
    /// them (one tree walk instead of two on every analysis).
    by_kind: Option<Vec<Vec<Node<'t>>>>,
    /// The clone detector's tokens, built on the same walk when asked for.
    tokens: Option<Tokenizer<'a>>,
    /// A hash of the shape of what was walked ([`shape_step`]).
    shape: u64,
}

/// What one walk of a file yields besides its metrics.
pub(crate) struct Extras<'t> {
    /// Named nodes by kind id (the rules' `Context`).
    pub by_kind: Option<Vec<Vec<Node<'t>>>>,
    /// The clone detector's tokens.
    pub tokens: Option<Vec<Token>>,
    /// The file's text in one piece, as the walk read it.
    pub source: Option<String>,
}

pub(super) fn compute(file: SourceFile<'_>) -> FileMetrics {
    compute_with(file, false, false).0
}

/// The metrics of `file` and, from the same walk, with `index` its named
/// nodes grouped by kind id (what the rules' `Context` needs) and with
/// `tokens` the clone detector's tokens. The extras are `None` for languages
/// without a counting table: nothing is walked for them.
pub(super) fn compute_with<'t>(file: SourceFile<'t>, index: bool, tokens: bool) -> (FileMetrics, Extras<'t>) {
    let line_count = file.text.len_lines();
    let mut line_flags = vec![0u8; line_count];
    let Some(r) = resolved(file.language) else {
        let lines = lines_in(&line_flags, 0, line_count.saturating_sub(1));
        return (
            FileMetrics { lines, functions: vec![] },
            Extras { by_kind: None, tokens: None, source: None },
        );
    };
    let kinds = file.language.ts_language().node_kind_count();
    let source = file.text.to_string();
    let mut walker = Walker {
        r,
        text: file.text,
        source: &source,
        stack: Vec::with_capacity(64),
        frames: vec![Frame::default()],
        line_flags: std::mem::take(&mut line_flags),
        line_base: 0,
        by_kind: index.then(|| vec![Vec::new(); kinds]),
        tokens: tokens.then(|| Tokenizer::over(file.language, std::borrow::Cow::Borrowed(&source))),
        shape: 0,
    };
    walker.run(file.tree.root_node(), None);
    let by_kind = walker.by_kind.take();
    let tokens = walker.tokens.take().map(Tokenizer::finish);
    let metrics = walker.finish();
    (metrics, Extras { by_kind, tokens, source: Some(source) })
}

/// Every named node of `file` grouped by kind id, from a walk of its own
/// (what [`compute_with`] collects on the metrics walk).
pub(super) fn index_by_kind(file: SourceFile<'_>) -> Vec<Vec<Node<'_>>> {
    let mut by_kind = vec![Vec::new(); file.language.ts_language().node_kind_count()];
    let root = file.tree.root_node();
    index_node(&mut by_kind, root);
    index_descendants(&mut by_kind, root);
    by_kind
}

/// Push `node` to its kind's list when it is named and real (not MISSING).
pub(crate) fn index_node<'t>(by_kind: &mut [Vec<Node<'t>>], node: Node<'t>) {
    if node.is_named() && !node.is_missing() {
        if let Some(list) = by_kind.get_mut(node.kind_id() as usize) {
            list.push(node);
        }
    }
}

/// Index every node under `node` (not `node` itself), in source order.
fn index_descendants<'t>(by_kind: &mut [Vec<Node<'t>>], node: Node<'t>) {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    'walk: loop {
        index_node(by_kind, cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() || cursor.node() == node {
                break 'walk;
            }
        }
    }
}

impl<'t> Walker<'_, 't> {
    /// Walk `root`'s subtree; `root_field` is the field `root` fills in its
    /// parent (a cursor started at `root` cannot see it).
    fn run(&mut self, root: Node<'t>, root_field: Option<NonZeroU16>) {
        let mut cursor = root.walk();
        let mut field = root_field;
        'outer: loop {
            let node = cursor.node();
            let field = field.take().or_else(|| cursor.field_id());
            self.shape = shape_step(self.shape, node, field);
            let descend = self.enter(node, field);
            debug_assert_eq!(descend, self.descends(node));
            if let Some(tokens) = self.tokens.as_mut() {
                // Comments (the only nodes `enter` does not descend into,
                // besides zero-width MISSING ones) hold no tokens.
                tokens.visit(node);
            }
            if let Some(by_kind) = self.by_kind.as_mut() {
                index_node(by_kind, node);
                if !descend && node.child_count() > 0 {
                    // A comment's own children (Rust's doc-comment markers):
                    // the metrics skip them, the index keeps every named node.
                    index_descendants(by_kind, node);
                }
            }
            if descend && cursor.goto_first_child() {
                continue;
            }
            loop {
                self.stack.pop();
                if cursor.goto_next_sibling() {
                    continue 'outer;
                }
                if !cursor.goto_parent() {
                    break 'outer;
                }
            }
        }
    }

    /// Whether the walk descends into `node` (what `enter` returns).
    fn descends(&self, node: Node<'_>) -> bool {
        self.stack.is_empty() || !node.is_missing() && self.r.class(node.kind_id()) & COMMENT == 0
    }

    /// Whether `node` is the header of its parent structure (see
    /// `Resolved::header_fields`). Python's `a if test else b` names no
    /// fields: its test is the child after the `if` keyword.
    fn is_header(&self, node: Node<'_>, field: Option<NonZeroU16>, parent_class: u32) -> bool {
        match field {
            Some(f) => self.r.header_fields.contains(&f),
            None => {
                parent_class & TERNARY != 0 && node.prev_sibling().is_some_and(|prev| prev.kind() == "if")
            }
        }
    }

    /// Counts `node` and pushes its entry; returns whether to walk its children.
    fn enter(&mut self, node: Node<'_>, field: Option<NonZeroU16>) -> bool {
        let mut c = self.r.class(node.kind_id());
        let parent = self.stack.last().copied();
        if node.is_missing() {
            // Zero-width placeholders the parser invented: nothing was written.
            self.stack.push(parent.unwrap_or(ROOT));
            return false;
        }
        let Some(p) = parent else {
            self.stack.push(ROOT);
            return true;
        };
        let r = self.r;
        let is_alternative = field.is_some() && field == r.field_alternative;
        if c & UNIT != 0 && p.frame != 0 && r.spec.misread_statements {
            c = self.misread_statement(node).unwrap_or(c);
        }

        // Which frame, and the nesting level this node's own increment uses.
        let mut frame = p.frame;
        let mut level = if p.class & (IF | ELIF) != 0 && (is_alternative || c & (ELSE | ELIF) != 0)
            || p.else_wrapper && c & IF != 0
            || p.class & NESTS_BODY != 0 && self.is_header(node, field, p.class)
            // A loop's `else` runs after the loop, not inside it.
            || p.class & LOOP != 0 && is_alternative
        {
            p.level
        } else {
            p.inner
        };
        let mut depth = p.depth;
        if c & UNIT != 0 && r.field_body.and_then(|f| node.child_by_field_id(f.get())).is_some() {
            frame = self.open_frame(node);
            if p.frame != 0 && r.spec.fold_nested {
                // Past the depth limit no parent lookups: they cost O(depth) and recurse in C.
                let shallow = self.stack.len() <= crate::MAX_TREE_DEPTH;
                let wrapper = shallow && is_wrapper(node, r);
                let offset = level + u32::from(!self.in_class() && !wrapper);
                self.frames[frame].fold = Some((p.frame, offset));
            }
            level = 0;
            depth = 0;
        }
        if c & CALL != 0 && frame != 0 && !p.in_lambda && self.calls_itself(node, frame) {
            self.frames[frame].recursive = true;
        }
        let muted = p.muted || c & OPAQUE_BRANCH != 0;
        let is_else_if = c & IF != 0 && (p.else_wrapper || p.class & IF != 0 && is_alternative);
        let under_if = p.class & (IF | ELIF) != 0;
        let plain_else = under_if && is_alternative && c & (IF | ELSE | ELIF) == 0 && r.spec.elses.is_empty();
        let else_wrapper = c & ELSE != 0 && under_if && r.spec.elifs.is_empty() && only_if_inside(node, r);

        let mut cyclomatic = 0;
        let mut cognitive = 0;
        // Increments that include the nesting level: a folded unit's count
        // one level deeper per level in its enclosing unit.
        let mut nested_increments = 0;
        let mut nests = c & (LOOP | NESTING_ONLY | CATCH | TERNARY | INLINE_FN) != 0;
        if c & IF != 0 {
            cyclomatic += 1;
            cognitive += if is_else_if { 1 } else { 1 + level };
            nested_increments += u32::from(!is_else_if);
            nests = true;
            if !is_else_if {
                depth += 1;
            }
        }
        if c & ELIF != 0 {
            cyclomatic += 1;
            cognitive += 1;
            nests = true;
        }
        if c & ELSE != 0 {
            if under_if {
                nests = true;
                if !else_wrapper {
                    cognitive += 1;
                }
            }
            if p.class & ELSE_BRANCH_PARENT != 0 {
                cyclomatic += 1;
            }
        }
        if plain_else {
            cognitive += 1;
            nests = true;
        }
        if c & (LOOP | CATCH | TERNARY) != 0 {
            cyclomatic += 1;
        }
        if c & (LOOP | NESTING_ONLY | CATCH | TERNARY) != 0 {
            cognitive += 1 + level;
            nested_increments += 1;
        }
        if c & (LOOP | NESTING_ONLY | TRY) != 0 {
            depth += 1;
        }
        // A comprehension-style `if` directly under a case arm is its guard, not a branch.
        if c & (EXTRA_BRANCH | OPAQUE_BRANCH) != 0 && p.class & CASE == 0 {
            cyclomatic += 1;
        }
        if c & CASE != 0 {
            cyclomatic += self.case_paths(node);
        }
        let mut in_bool = c & PAREN != 0 && p.in_bool;
        if c & BOOL_PARENT != 0 {
            let ops = self.bool_ops(node);
            if ops > 0 {
                cyclomatic += ops;
                in_bool = true;
                if !p.in_bool {
                    cognitive += self.operator_runs(node);
                }
            }
        }
        if c & GOTO != 0 || c & LABELED_JUMP != 0 && has_label(node, r) {
            cognitive += 1;
        }

        let inner = if c & UNIT != 0 && frame != p.frame {
            0
        } else if nests {
            level + 1
        } else {
            level
        };
        if cognitive > 0 {
            self.add_cognitive(frame, cognitive, nested_increments);
        }
        let f = &mut self.frames[frame];
        if !p.muted {
            f.cyclomatic += cyclomatic;
        }
        f.nesting = f.nesting.max(depth);
        if c & EXIT != 0 {
            f.exits += 1;
        }

        let atom = c & ATOM != 0 && !p.in_atom;
        let in_atom = p.in_atom || atom;
        let in_lambda = frame == p.frame && (p.in_lambda || c & INLINE_FN != 0);
        self.stack.push(Entry {
            class: c,
            level,
            inner,
            depth,
            frame,
            muted,
            else_wrapper,
            in_bool,
            in_atom,
            in_lambda,
        });
        if c & COMMENT != 0 {
            self.mark(node, COMMENT_LINE);
            return false;
        }
        if atom || node.child_count() == 0 && !p.in_atom {
            if node.is_named() || atom {
                let hash = self.hash_text(node);
                let f = &mut self.frames[frame];
                f.operands.insert(hash);
                f.total_operands += 1;
            } else if c & CLOSER == 0 && node.end_byte() > node.start_byte() {
                let f = &mut self.frames[frame];
                f.operators.insert(node.kind_id());
                f.total_operators += 1;
            }
            self.mark(node, CODE);
        }
        // Interpolations inside strings hold real code (f-strings, template literals).
        true
    }

    /// Add a node's cognitive increments to `frame` and to every unit it
    /// folds into, each time deeper by the fold's levels.
    fn add_cognitive(&mut self, frame: usize, cognitive: u32, nested_increments: u32) {
        let mut at = frame;
        let mut deeper = 0;
        loop {
            let f = &mut self.frames[at];
            // Saturating: 100,000 nested `if`s would overflow a sum of levels.
            f.cognitive = f
                .cognitive
                .saturating_add(cognitive.saturating_add(nested_increments.saturating_mul(deeper)));
            match f.fold {
                Some((outer, offset)) => {
                    at = outer;
                    deeper = deeper.saturating_add(offset);
                }
                None => break,
            }
        }
    }

    /// The statement a C "function" nested in a function really is (see
    /// `Spec::misread_statements`): its declarator names a keyword.
    fn misread_statement(&self, node: Node<'_>) -> Option<u32> {
        match self.source.get(innermost_declarator(node)?.byte_range())? {
            "if" => Some(IF),
            "while" | "for" => Some(LOOP),
            "switch" => Some(NESTING_ONLY),
            _ => None,
        }
    }

    /// Whether the walk is inside a class declared in the current function:
    /// its methods fold in at the class's level.
    fn in_class(&self) -> bool {
        self.stack.iter().rev().take_while(|e| e.class & UNIT == 0).any(|e| e.class & CLASS != 0)
    }

    /// Whether `call` calls the unit of `frame` by its bare name.
    fn calls_itself(&self, call: Node<'_>, frame: usize) -> bool {
        let r = self.r;
        let field = |f: Option<NonZeroU16>| f.and_then(|f| call.child_by_field_id(f.get()));
        let callee = field(r.field_function).or_else(|| match field(r.field_receiver) {
            Some(_) => None,
            None => field(r.field_method),
        });
        let Some(callee) = callee else { return false };
        let name = &self.frames[frame].name;
        callee.child_count() == 0
            && callee.is_named()
            && self.source.get(callee.byte_range()).is_some_and(|text| text == name)
    }

    fn open_frame(&mut self, node: Node<'_>) -> usize {
        let r = self.r;
        let (name, name_range) = function_name(node, r, self.text, self.stack.len() <= crate::MAX_TREE_DEPTH);
        let start_row = first_code_row(node, r);
        let mut end = node.end_position();
        if end.column == 0 && end.row > start_row {
            end.row -= 1;
        }
        let params = match parameter_list(node, r) {
            Some(list) => count_params(list, r, self.text),
            // `x => x + 1` names its single parameter in a field of its own.
            None => u32::from(node.child_by_field_name("parameter").is_some()),
        };
        self.frames.push(Frame {
            name,
            name_range,
            range: node.byte_range(),
            start_row,
            end_row: end.row,
            params,
            cyclomatic: 1,
            ..Frame::default()
        });
        self.frames.len() - 1
    }

    fn case_paths(&self, node: Node<'_>) -> u32 {
        let r = self.r;
        match r.case_rule(node.kind_id()) {
            Some(CaseRule::Always) => 1,
            Some(CaseRule::ValueField) => match r.field_value.and_then(|f| node.child_by_field_id(f.get())) {
                // Bash spells the default arm `*)`.
                Some(value) => u32::from(self.text_of(value) != "*"),
                None => 0,
            },
            Some(CaseRule::NotDefaultToken) => u32::from(node.child(0).is_none_or(|t| t.kind() != "default")),
            Some(CaseRule::CaseTokens) => {
                let mut cursor = node.walk();
                node.children(&mut cursor).filter(|c| !c.is_named() && c.kind() == "case").count() as u32
            }
            Some(CaseRule::NotWildcard) => {
                let pattern = r
                    .field_pattern
                    .and_then(|f| node.child_by_field_id(f.get()))
                    .or_else(|| node.named_child(0));
                let Some(mut pattern) = pattern else { return 0 };
                // `case a, b:` and `case y,:` are sequence patterns (a comma
                // after a pattern): they match sequences, not everything.
                let mut cursor = node.walk();
                if node.children(&mut cursor).any(|c| {
                    c.kind() == "," && c.prev_sibling().is_some_and(|p| p.kind_id() == pattern.kind_id())
                }) {
                    return 1;
                }
                // `case (x):` is a group pattern: the parentheses only group.
                while let Some(inner) = pattern
                    .named_child(0)
                    .filter(|g| pattern.named_child_count() == 1 && is_group_pattern(*g))
                    .and_then(|group| group.named_child(0))
                {
                    pattern = inner;
                }
                // Only the final catch-all arm is the default; radon likewise
                // discounts one wildcard per match.
                let mut next = node.next_named_sibling();
                while next.is_some_and(|n| r.class(n.kind_id()) & COMMENT != 0) {
                    next = next.and_then(|n| n.next_named_sibling());
                }
                if next.is_some() {
                    return 1;
                }
                if pattern.named_child_count() > 1 {
                    return 1;
                }
                let inner = if pattern.named_child_count() == 1 { pattern.named_child(0) } else { None };
                let wildcard = self.text_of(pattern) == "_"
                    // Python: a bare capture pattern (`case x:`) matches everything too.
                    || pattern.kind() == "case_pattern" && inner.is_some_and(|i| match i.kind() {
                        "identifier" => true,
                        // `case x:` is a capture; `case a.b:` compares with a value.
                        "dotted_name" => i.named_child_count() == 1,
                        _ => false,
                    });
                u32::from(!wildcard)
            }
            None => 0,
        }
    }

    fn bool_ops(&self, node: Node<'_>) -> u32 {
        let mut cursor = node.walk();
        node.children(&mut cursor).filter(|c| self.r.class(c.kind_id()) & BOOL_OP != 0).count() as u32
    }

    fn is_bool(&self, node: Node<'_>) -> bool {
        self.r.class(node.kind_id()) & BOOL_PARENT != 0 && self.bool_ops(node) > 0
    }

    /// Runs of like operators in a boolean expression read left to right
    /// through parentheses: `a && b || c` is two, `a && b && c` one.
    fn operator_runs(&self, node: Node<'_>) -> u32 {
        let mut ops = Vec::new();
        self.collect_ops(node, &mut ops);
        let mut runs = 0;
        let mut last = None;
        for op in ops {
            if last != Some(op) {
                runs += 1;
                last = Some(op);
            }
        }
        runs
    }

    /// Operator tokens in source order; iterative because chains can be
    /// thousands deep.
    fn collect_ops(&self, root: Node<'_>, ops: &mut Vec<u16>) {
        // Items are either an operator token or an expression still to open.
        let mut pending: Vec<Result<u16, Node<'_>>> = vec![Err(root)];
        while let Some(item) = pending.pop() {
            let node = match item {
                Ok(op) => {
                    ops.push(op);
                    continue;
                }
                Err(node) => node,
            };
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
            // Reversed so the leftmost child is popped first.
            for child in children.into_iter().rev() {
                let c = self.r.class(child.kind_id());
                if c & BOOL_OP != 0 {
                    pending.push(Ok(child.kind_id()));
                } else if self.is_bool(child) || c & PAREN != 0 {
                    pending.push(Err(child));
                }
            }
        }
    }

    fn text_of(&self, node: Node<'_>) -> String {
        self.source.get(node.byte_range()).map_or_else(|| node_text(self.text, node), str::to_owned)
    }

    fn hash_text(&self, node: Node<'_>) -> u64 {
        let mut hasher = Fixed.build_hasher();
        if let Some(bytes) = self.source.as_bytes().get(node.byte_range()) {
            hasher.write(bytes);
        }
        hasher.finish()
    }

    fn mark(&mut self, node: Node<'_>, flag: u8) {
        let start = node.start_position().row;
        let mut end = node.end_position().row;
        if node.end_position().column == 0 && end > start {
            end -= 1;
        }
        let (start, end) = (start.saturating_sub(self.line_base), end.saturating_sub(self.line_base));
        for row in start..=end.min(self.line_flags.len().saturating_sub(1)) {
            self.line_flags[row] |= flag;
        }
    }

    fn finish(self) -> FileMetrics {
        let last_row = last_line(self.text);
        let lines = lines_in(&self.line_flags, 0, last_row);
        let functions = self
            .frames
            .into_iter()
            .skip(1)
            .map(|f| {
                let mut metrics = f.into_metrics();
                finish_function(&mut metrics, &self.line_flags);
                metrics
            })
            .collect();
        FileMetrics { lines, functions }
    }
}

impl Frame {
    /// The function's metrics but for its line counts and maintainability
    /// index, which need every line's flags ([`finish_function`]).
    fn into_metrics(self) -> FunctionMetrics {
        let halstead = Halstead::new(
            self.operators.len() as u32,
            self.operands.len() as u32,
            self.total_operators,
            self.total_operands,
        );
        FunctionMetrics {
            name: self.name,
            start_line: self.start_row as u32 + 1,
            end_line: self.end_row as u32 + 1,
            cyclomatic: self.cyclomatic,
            cognitive: self.cognitive.saturating_add(u32::from(self.recursive)),
            nesting: self.nesting,
            params: self.params,
            exits: self.exits,
            lines: Lines::default(),
            halstead,
            mi: 0.0,
            folded: self.fold.is_some(),
            range: self.range,
            name_range: self.name_range,
        }
    }
}

/// Fill in `f`'s line counts and maintainability index from the whole
/// file's line flags (a line's flags can come from code outside `f`: a
/// comment after its closing brace).
pub(crate) fn finish_function(f: &mut FunctionMetrics, flags: &[u8]) {
    f.lines = lines_in(flags, f.start_line as usize - 1, f.end_line as usize - 1);
    f.mi = maintainability_index(f.halstead.volume, f.cyclomatic, f.lines.sloc);
}

/// The line counts of a whole file from its line flags.
pub(crate) fn file_lines(flags: &[u8], text: &Rope) -> Lines {
    lines_in(flags, 0, last_line(text))
}

/// What walking one chunk (a subtree analysed on its own) yields.
pub(crate) struct ChunkOut {
    /// Its functions, in preorder, without line counts ([`finish_function`]).
    pub functions: Vec<FunctionMetrics>,
    /// Line flags for each row from the chunk's first.
    pub flags: Vec<u8>,
    /// Its clone tokens (empty unless asked for).
    pub tokens: Vec<Token>,
    /// A hash of its syntax tree's shape: every node's kind, field and
    /// number of children, in walk order.
    pub shape: u64,
}

/// One node's step of a shape hash.
fn shape_step(shape: u64, node: Node<'_>, field: Option<NonZeroU16>) -> u64 {
    let word = u64::from(node.kind_id())
        | u64::from(field.map_or(0, NonZeroU16::get)) << 16
        | (node.child_count() as u64) << 32
        | u64::from(node.is_missing()) << 63;
    (shape.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The metrics walk taken one chunk at a time, for incremental analysis: the
/// caller enters containers (nodes whose children are analysed as chunks of
/// their own) and walks the chunks; the rules' node index collects every
/// chunk walked.
pub(crate) struct ChunkWalker<'a, 't> {
    walker: Walker<'a, 't>,
}

impl<'a, 't> ChunkWalker<'a, 't> {
    /// `None` for languages without a counting table. `source` is the
    /// file's text; with `tokens` the walk also yields clone tokens.
    pub(crate) fn new(file: SourceFile<'a>, source: &'a str, tokens: bool) -> Option<ChunkWalker<'a, 't>> {
        let r = resolved(file.language)?;
        let kinds = file.language.ts_language().node_kind_count();
        Some(ChunkWalker {
            walker: Walker {
                r,
                text: file.text,
                source,
                stack: Vec::with_capacity(64),
                frames: vec![Frame::default()],
                line_flags: Vec::new(),
                line_base: 0,
                by_kind: Some(vec![Vec::new(); kinds]),
                tokens: tokens.then(|| Tokenizer::over(file.language, std::borrow::Cow::Borrowed(source))),
                shape: 0,
            },
        })
    }

    /// Whether `node` may be entered as a container: the walk is outside any
    /// function and in no state a child could inherit (inside a boolean
    /// operator, a string, an opaque branch), and `node` opens no function.
    pub(crate) fn can_contain(&self, node: Node<'_>) -> bool {
        let top = self.walker.stack.last().copied().unwrap_or(ROOT);
        top.frame == 0
            && !top.muted
            && !top.in_bool
            && !top.in_atom
            && !node.is_missing()
            && self.walker.r.class(node.kind_id()) & (UNIT | COMMENT) == 0
    }

    /// Enter a container: its children are walked (or reused) as chunks next.
    pub(crate) fn enter(&mut self, node: Node<'_>, field: Option<NonZeroU16>) {
        self.walker.enter(node, field);
    }

    /// Leave the container entered last.
    pub(crate) fn leave(&mut self) {
        self.walker.stack.pop();
    }

    /// Everything a chunk's walk inherits from the containers around it.
    pub(crate) fn state(&self) -> [u32; 5] {
        let e = self.walker.stack.last().copied().unwrap_or(ROOT);
        let flags = u32::from(e.muted)
            | u32::from(e.else_wrapper) << 1
            | u32::from(e.in_bool) << 2
            | u32::from(e.in_atom) << 3
            | u32::from(e.in_lambda) << 4;
        [e.class, e.level, e.inner, e.depth, flags]
    }

    /// Walk one chunk: `node` and everything under it.
    pub(crate) fn walk(&mut self, node: Node<'t>, field: Option<NonZeroU16>) -> ChunkOut {
        let first = node.start_position().row;
        let last = node.end_position().row;
        self.walker.line_base = first;
        self.walker.line_flags = vec![0; last - first + 1];
        let before = self.walker.frames.len();
        self.walker.shape = 0;
        self.walker.run(node, field);
        let functions = self.walker.frames.drain(before..).map(Frame::into_metrics).collect();
        let tokens = self.walker.tokens.as_mut().map(Tokenizer::take).unwrap_or_default();
        ChunkOut {
            functions,
            flags: std::mem::take(&mut self.walker.line_flags),
            tokens,
            shape: self.walker.shape,
        }
    }

    /// The shape hash [`ChunkWalker::walk`] would give `node` (in the
    /// container entered last), from a plain walk over its nodes: several
    /// times cheaper than walking it for metrics, rules and tokens.
    pub(crate) fn shape(&self, node: Node<'_>, field: Option<NonZeroU16>) -> u64 {
        let mut cursor = node.walk();
        let mut shape = shape_step(0, node, field);
        if !self.walker.descends(node) || !cursor.goto_first_child() {
            return shape;
        }
        'walk: loop {
            let current = cursor.node();
            shape = shape_step(shape, current, cursor.field_id());
            if self.walker.descends(current) && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() || cursor.node() == node {
                    break 'walk;
                }
            }
        }
        shape
    }

    /// The named nodes of every chunk walked, by kind id, in walk order.
    pub(crate) fn into_index(self) -> Vec<Vec<Node<'t>>> {
        self.walker.by_kind.unwrap_or_default()
    }
}

const ROOT: Entry = Entry {
    class: 0,
    level: 0,
    inner: 0,
    depth: 0,
    frame: 0,
    muted: false,
    else_wrapper: false,
    in_bool: false,
    in_atom: false,
    in_lambda: false,
};

/// The last line that has content: a final newline does not start a line.
fn last_line(text: &Rope) -> usize {
    let lines = text.len_lines();
    if lines > 1 && text.line(lines - 1).len_bytes() == 0 {
        lines - 2
    } else {
        lines.saturating_sub(1)
    }
}

fn lines_in(flags: &[u8], start: usize, end: usize) -> Lines {
    if flags.is_empty() || start > end {
        return Lines::default();
    }
    let slice = &flags[start.min(flags.len() - 1)..=end.min(flags.len() - 1)];
    let count = |pred: &dyn Fn(u8) -> bool| slice.iter().filter(|&&f| pred(f)).count() as u32;
    Lines {
        loc: slice.len() as u32,
        sloc: count(&|f| f & CODE != 0),
        comment: count(&|f| f & COMMENT_LINE != 0),
        blank: count(&|f| f == 0),
    }
}

/// Whether an `else` holds nothing but an `if`: comments between the two
/// (`else /* why */ if`) are extras and do not make it a plain `else`.
fn only_if_inside(node: Node<'_>, r: &Resolved) -> bool {
    let mut cursor = node.walk();
    let mut code = node.named_children(&mut cursor).filter(|child| !child.is_extra());
    matches!((code.next(), code.next()), (Some(child), None) if r.class(child.kind_id()) & IF != 0)
}

fn has_label(node: Node<'_>, r: &Resolved) -> bool {
    if r.field_label.and_then(|f| node.child_by_field_id(f.get())).is_some() {
        return true;
    }
    let mut cursor = node.walk();
    let found = node.named_children(&mut cursor).any(|child| match child.kind() {
        "statement_identifier" | "label_name" | "label" => true,
        // Java names the label with a plain identifier; Rust's `break x` is a value.
        "identifier" => node.kind() == "break_statement" || node.kind() == "continue_statement",
        _ => false,
    });
    found
}

/// The row of the first token that is not a decorator, annotation or comment.
fn first_code_row(node: Node<'_>, r: &Resolved) -> usize {
    let mut cursor = node.walk();
    loop {
        let current = cursor.node();
        let c = r.class(current.kind_id());
        let skip = c & (DECORATION | COMMENT) != 0;
        if !skip && current.child_count() == 0 {
            return current.start_position().row;
        }
        if !skip && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || cursor.node() == node {
                return node.start_position().row;
            }
        }
    }
}

/// The parameter list: a field of the function, or of its declarator in C and C++.
fn parameter_list<'t>(node: Node<'t>, r: &Resolved) -> Option<Node<'t>> {
    let field = r.field_parameters?;
    if let Some(list) = node.child_by_field_id(field.get()) {
        return Some(list);
    }
    let mut declarator = node.child_by_field_name("declarator");
    while let Some(current) = declarator {
        if let Some(list) = current.child_by_field_id(field.get()) {
            return Some(list);
        }
        declarator = current.child_by_field_name("declarator");
    }
    None
}

fn count_params(list: Node<'_>, r: &Resolved, text: &Rope) -> u32 {
    let mut cursor = list.walk();
    let params: Vec<Node<'_>> = if list.child_count() == 0 && list.is_named() {
        // A lone parameter without parentheses (`x => x + 1`).
        vec![list]
    } else {
        list.named_children(&mut cursor)
            .filter(|n| r.class(n.kind_id()) & (PARAM_SKIP | COMMENT) == 0)
            .collect()
    };
    // C's `f(void)` declares no parameters.
    if params.len() == 1
        && params[0].kind() == "parameter_declaration"
        && node_text(text, params[0]).trim() == "void"
    {
        return 0;
    }
    if r.spec.multi_name_params {
        return params
            .iter()
            .map(|p| {
                let mut cursor = p.walk();
                (r.field_name.map_or(0, |f| p.children_by_field_id(f, &mut cursor).count()) as u32).max(1)
            })
            .sum();
    }
    params.len() as u32
}

/// Python's `(p)` without a comma: a group pattern, parsed as a tuple of one.
fn is_group_pattern(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    node.kind() == "tuple_pattern"
        && node.named_child_count() == 1
        && !node.children(&mut cursor).any(|c| c.kind() == ",")
}

/// The decorator idiom: `node` is the only definition in its enclosing
/// function's body, followed only by a `return` (`def deco(f): def
/// wrapper(...): ...; return wrapper`). The wrapper is the decorator's real
/// body and folds in without a level (sonar-python and complexipy agree).
fn is_wrapper(node: Node<'_>, r: &Resolved) -> bool {
    let mut def = node;
    let mut body = node.parent();
    while let Some(parent) = body.filter(|p| p.kind() == "decorated_definition") {
        def = parent;
        body = parent.parent();
    }
    let Some(body) = body else { return false };
    if body.parent().is_none_or(|f| r.class(f.kind_id()) & UNIT == 0) {
        return false;
    }
    let mut cursor = body.walk();
    let mut statements = body.named_children(&mut cursor).filter(|n| r.class(n.kind_id()) & COMMENT == 0);
    statements.next() == Some(def)
        && statements.next().is_some_and(|n| n.kind() == "return_statement")
        && statements.next().is_none()
}

/// C and C++: the end of a function's declarator chain, its name.
fn innermost_declarator(node: Node<'_>) -> Option<Node<'_>> {
    let mut declarator = node.child_by_field_name("declarator")?;
    while let Some(inner) = declarator.child_by_field_name("declarator") {
        declarator = inner;
    }
    Some(declarator)
}

/// The function's own name, or the name it is bound to (`const f = () => ...`).
fn function_name(
    node: Node<'_>,
    r: &Resolved,
    text: &Rope,
    shallow: bool,
) -> (String, std::ops::Range<usize>) {
    let slice = |n: Node<'_>| (node_text(text, n), n.byte_range());
    if let Some(name) = r.field_name.and_then(|f| node.child_by_field_id(f.get())) {
        return slice(name);
    }
    if let Some(declarator) = innermost_declarator(node) {
        return slice(declarator);
    }
    if let Some(parent) = node.parent().filter(|_| shallow) {
        let binding = match parent.kind() {
            "variable_declarator" | "assignment" => parent.child_by_field_name("name"),
            "pair" => parent.child_by_field_name("key"),
            "assignment_expression" => parent.child_by_field_name("left"),
            _ => None,
        };
        if let Some(binding) = binding {
            return slice(binding);
        }
    }
    let start = node.start_byte();
    ("<anonymous>".to_owned(), start..start)
}
