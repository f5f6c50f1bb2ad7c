//! Token-based clone detection (AUR401 exact, AUR402 renamed): files become
//! streams of syntax-tree leaves (comments dropped), each leaf hashed twice —
//! as written, and with identifiers and literals replaced by placeholders.
//! A [`CloneIndex`] keeps every file's tokens and a winnowed sample of
//! k-gram hashes (Schleimer, Wilkerson and Aiken's *winnowing*, the MOSS
//! scheme), sized so that every shared run of at least `min_tokens` tokens
//! shares a sample. A hit is checked token by token and grown to a maximal
//! match in both directions, so hash collisions never become findings and the
//! reported extent does not depend on where the samples fell.
//!
//! The index is incremental: replacing one file removes its samples and adds
//! the new ones, which is what lets the language server keep a workspace-wide
//! index up to date on every edit.

mod tokens;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

pub(crate) use tokens::Tokenizer;
pub use tokens::{tokenize, Token};

use crate::diagnostic::{Diagnostic, Related, Severity};
use crate::RuleInfo;

/// Code of exact duplicates.
pub const EXACT: &str = "AUR401";
/// Code of duplicates that differ only in names and literals.
pub const RENAMED: &str = "AUR402";

/// AUR401's description.
pub static EXACT_RULE: RuleInfo = RuleInfo {
    code: EXACT,
    name: "duplicate-code",
    summary: "a run of code repeated token for token elsewhere in the file or workspace",
    // Information: whether to share code is the maintainers' judgement.
    default_severity: Severity::Info,
    category: "duplicate",
    default_enabled: true,
    doc: include_str!("../rules/docs/AUR401.md"),
    fix: None,
};

/// AUR402's description.
pub static RENAMED_RULE: RuleInfo = RuleInfo {
    code: RENAMED,
    name: "near-duplicate-code",
    summary: "a run of code repeated elsewhere with only identifiers or literals changed",
    default_severity: Severity::Info,
    category: "duplicate",
    // Off by default: with names and literals ignored, families of similar
    // tests and tables match each other (37k findings on CPython's stdlib
    // against 5k exact copies).
    default_enabled: false,
    doc: include_str!("../rules/docs/AUR402.md"),
    fix: None,
};

/// Postings examined per sample hash. Boilerplate shared by hundreds of files
/// (licence headers are comments and never get here, but import blocks do)
/// would otherwise make one query cost the whole workspace.
const MAX_POSTINGS: usize = 256;

/// How long a clone must be to be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloneSettings {
    /// Minimum tokens in each copy.
    pub min_tokens: usize,
    /// Minimum lines spanned by each copy.
    pub min_lines: u32,
}

impl Default for CloneSettings {
    fn default() -> Self {
        CloneSettings { min_tokens: 50, min_lines: 5 }
    }
}

impl CloneSettings {
    /// k-gram length and winnowing window: any common run of
    /// `gram + window - 1 = min_tokens` tokens contains a common sample.
    fn gram_and_window(&self) -> (usize, usize) {
        let min = self.min_tokens.max(2);
        let gram = min.div_ceil(2);
        (gram, min - gram + 1)
    }
}

/// One clone as seen from the queried file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clone {
    /// Bytes of this copy.
    pub range: Range<usize>,
    /// 0-based first and last line of this copy.
    pub lines: (u32, u32),
    /// Tokens in each copy.
    pub tokens: usize,
    /// Whether the copies are identical token for token (else only names or
    /// literals differ).
    pub exact: bool,
    /// The file holding the other copy (may be the same file).
    pub other: String,
    /// 0-based first and last line of the other copy.
    pub other_lines: (u32, u32),
}

/// Hashes are already well mixed; hashing them again is wasted work.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Postings = HashMap<u64, Vec<(u32, u32)>, BuildHasherDefault<Identity>>;

/// For small structured keys (file id and diagonal): a finaliser, not SipHash.
#[derive(Default)]
struct Mixed(u64);

impl Hasher for Mixed {
    fn finish(&self) -> u64 {
        mix(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

struct Entry {
    key: String,
    tokens: Arc<[Token]>,
    samples: Vec<(u64, u32)>,
}

/// Every indexed file's tokens and samples; see the module documentation.
pub struct CloneIndex {
    settings: CloneSettings,
    ids: HashMap<String, u32>,
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    postings: Postings,
}

impl std::fmt::Debug for CloneIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloneIndex")
            .field("files", &self.ids.len())
            .field("settings", &self.settings)
            .finish()
    }
}

impl CloneIndex {
    /// An empty index reporting clones of at least `settings`' size.
    pub fn new(settings: CloneSettings) -> CloneIndex {
        CloneIndex {
            settings,
            ids: HashMap::new(),
            entries: Vec::new(),
            free: Vec::new(),
            postings: Postings::default(),
        }
    }

    /// The size limits this index was built for.
    pub fn settings(&self) -> CloneSettings {
        self.settings
    }

    /// Files indexed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no file is indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether `key` is indexed.
    pub fn contains(&self, key: &str) -> bool {
        self.ids.contains_key(key)
    }

    /// Index `tokens` under `key`, replacing what was there.
    pub fn insert(&mut self, key: &str, tokens: Vec<Token>) {
        self.remove(key);
        let samples = winnow(&tokens, self.settings);
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        for (hash, at) in &samples {
            self.postings.entry(*hash).or_default().push((id, *at));
        }
        self.entries[id as usize] = Some(Entry { key: key.to_string(), tokens: tokens.into(), samples });
        self.ids.insert(key.to_string(), id);
    }

    /// Forget `key`; returns whether it was indexed.
    pub fn remove(&mut self, key: &str) -> bool {
        let Some(id) = self.ids.remove(key) else { return false };
        if let Some(entry) = self.entries[id as usize].take() {
            for (hash, _) in &entry.samples {
                if let Some(list) = self.postings.get_mut(hash) {
                    list.retain(|(file, _)| *file != id);
                    if list.is_empty() {
                        self.postings.remove(hash);
                    }
                }
            }
        }
        self.free.push(id);
        true
    }

    /// Every clone of code in `key` (against itself and every other file),
    /// at least as long as the index's settings, in source order.
    pub fn clones_of(&self, key: &str) -> Vec<Clone> {
        let Some(entry) =
            self.ids.get(key).and_then(|id| self.entries[*id as usize].as_ref().map(|e| (*id, e)))
        else {
            return Vec::new();
        };
        let (id, entry) = entry;
        let a = &entry.tokens[..];
        let (gram, _) = self.settings.gram_and_window();
        // Per (other file, diagonal): how far along this file a match has
        // already been grown, so a long clone is grown once, not once per sample.
        let mut covered: HashMap<u64, usize, BuildHasherDefault<Mixed>> = HashMap::default();
        let mut matches = Vec::new();
        // Stretches of this file that match themselves at a small offset (a
        // table of similar lines), with that offset: periodic, so copies
        // inside them are repetition.
        let mut periodic = self.periodic_stretches(id, entry);
        for &(hash, p) in &entry.samples {
            let p = p as usize;
            let Some(list) = self.postings.get(&hash) else { continue };
            for &(other_id, q) in list.iter().take(MAX_POSTINGS) {
                let q = q as usize;
                if other_id == id && (q == p || repetition(&periodic, p, q)) {
                    // Both ends inside stretches that repeat themselves with
                    // the same period: the match is that repetition (a table
                    // split by an edit in the middle is still a table), and
                    // growing it would cost a pass over the stretch.
                    continue;
                }
                let diagonal = (u64::from(other_id) << 40) ^ (q as i64 - p as i64) as u64;
                if covered.get(&diagonal).is_some_and(|end| p < *end) {
                    continue;
                }
                let Some(other) = self.entries[other_id as usize].as_ref() else { continue };
                let b = &other.tokens[..];
                let Some((s1, e1)) = grow(a, b, p, q, gram) else { continue };
                let (s2, e2) = (q - (p - s1), q + (e1 - p));
                covered.insert(diagonal, e1);
                if other_id == id && s1 < e2 && s2 < e1 {
                    periodic.push((s1.min(s2)..e1.max(e2), s1.abs_diff(s2)));
                    continue;
                }
                // Neither an exact run inside it nor the whole can be long
                // enough: most shared k-grams grow into such short matches.
                if e1 - s1 < self.settings.min_tokens
                    || a[e1 - 1].end_line - a[s1].line + 1 < self.settings.min_lines
                {
                    continue;
                }
                matches.push((other_id, s1, s2, e1 - s1));
            }
        }
        let mut out = Vec::new();
        for (other_id, s1, s2, len) in matches {
            let inside = |r: &Range<usize>| r.start <= s1.min(s2) && s1.max(s2) + len <= r.end;
            if other_id == id && periodic.iter().map(|(r, _)| r).any(inside) {
                continue;
            }
            let Some(other) = self.entries[other_id as usize].as_ref() else { continue };
            let b = &other.tokens[..];
            // Exact copies take precedence: the token-for-token runs inside the
            // match are reported as such, and the renamed match only when no
            // run is long enough on its own.
            let mut exact_runs = Vec::new();
            let mut run_start = 0;
            for i in 0..=len {
                if i == len || a[s1 + i].exact != b[s2 + i].exact {
                    if let Some(clone) =
                        self.clone_of(a, b, s1 + run_start, s2 + run_start, i - run_start, true, &other.key)
                    {
                        exact_runs.push(clone);
                    }
                    run_start = i + 1;
                }
            }
            if exact_runs.is_empty() {
                out.extend(self.clone_of(a, b, s1, s2, len, false, &other.key));
            } else {
                out.append(&mut exact_runs);
            }
        }
        out.sort_by(|x, y| {
            (x.range.start, x.range.end, &x.other, x.other_lines).cmp(&(
                y.range.start,
                y.range.end,
                &y.other,
                y.other_lines,
            ))
        });
        out
    }
}

impl CloneIndex {
    /// The periodic stretches of file `id`: for each sample outside those
    /// found so far, its nearest later copy in the same file, grown to a
    /// maximal match; a match that overlaps its copy repeats with the
    /// offset as period.
    fn periodic_stretches(&self, id: u32, entry: &Entry) -> Vec<(Range<usize>, usize)> {
        let a = &entry.tokens[..];
        let (gram, _) = self.settings.gram_and_window();
        let mut found: Vec<(Range<usize>, usize)> = Vec::new();
        let mut covered: HashMap<usize, usize, BuildHasherDefault<Mixed>> = HashMap::default();
        for &(hash, p) in &entry.samples {
            let p = p as usize;
            if found.iter().any(|(r, _)| r.contains(&p)) {
                continue;
            }
            let Some(list) = self.postings.get(&hash) else { continue };
            let nearest = list
                .iter()
                .take(MAX_POSTINGS)
                .filter(|(f, q)| *f == id && *q as usize > p)
                .map(|(_, q)| *q)
                .min();
            let Some(q) = nearest.map(|q| q as usize) else { continue };
            let offset = q - p;
            if covered.get(&offset).is_some_and(|end| p < *end) {
                continue;
            }
            let Some((start, end)) = grow(a, a, p, q, gram) else { continue };
            covered.insert(offset, end);
            if start + offset < end {
                found.push((start..end + offset, offset));
            }
        }
        found
    }

    /// The clone of `len` tokens at `s1` in `a` and `s2` in `b`, if it is long enough.
    #[allow(clippy::too_many_arguments)]
    fn clone_of(
        &self,
        a: &[Token],
        b: &[Token],
        s1: usize,
        s2: usize,
        len: usize,
        exact: bool,
        other: &str,
    ) -> Option<Clone> {
        if len == 0 || len < self.settings.min_tokens {
            return None;
        }
        let (e1, e2) = (s1 + len, s2 + len);
        let lines = (a[s1].line, a[e1 - 1].end_line);
        let other_lines = (b[s2].line, b[e2 - 1].end_line);
        let long_enough = |(first, last): (u32, u32)| last - first + 1 >= self.settings.min_lines;
        if !long_enough(lines) || !long_enough(other_lines) {
            return None;
        }
        Some(Clone {
            range: a[s1].start as usize..a[e1 - 1].end as usize,
            lines,
            tokens: len,
            exact,
            other: other.to_string(),
            other_lines,
        })
    }
}

/// Whether tokens `p` and `q` of one file, which start the same k-gram, lie
/// in the same periodic stretch or in two of the same period at most one
/// period apart: one table split in two by a row that differs (as typing in
/// the middle of it does). The same rows written out again elsewhere in the
/// file are a copy, and are reported.
fn repetition(periodic: &[(Range<usize>, usize)], p: usize, q: usize) -> bool {
    periodic.iter().filter(|(r, _)| r.contains(&p)).any(|(r, period)| {
        r.contains(&q)
            || periodic.iter().any(|(other, d)| {
                let gap = other.start.saturating_sub(r.end).max(r.start.saturating_sub(other.end));
                d == period && gap <= *period && other.contains(&q)
            })
    })
}

/// When `a` at `p` and `b` at `q` start the same k-gram, the maximal match
/// through them, as the range it covers in `a` (the range in `b` is the same
/// shifted by `q - p`).
fn grow(a: &[Token], b: &[Token], p: usize, q: usize, gram: usize) -> Option<(usize, usize)> {
    if p + gram > a.len() || q + gram > b.len() || !same(&a[p..p + gram], &b[q..q + gram]) {
        return None;
    }
    let (mut s1, mut s2) = (p, q);
    while s1 > 0 && s2 > 0 && a[s1 - 1].norm == b[s2 - 1].norm {
        s1 -= 1;
        s2 -= 1;
    }
    let (mut e1, mut e2) = (p + gram, q + gram);
    while e1 < a.len() && e2 < b.len() && a[e1].norm == b[e2].norm {
        e1 += 1;
        e2 += 1;
    }
    Some((s1, e1))
}

fn same(a: &[Token], b: &[Token]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.norm == y.norm)
}

/// The winnowed k-gram samples of `tokens`: in every window of `window`
/// consecutive k-gram hashes, the smallest (the rightmost on ties), each
/// position recorded once.
fn winnow(tokens: &[Token], settings: CloneSettings) -> Vec<(u64, u32)> {
    let (gram, window) = settings.gram_and_window();
    if tokens.len() < gram + window - 1 {
        return Vec::new();
    }
    const BASE: u64 = 0x100_0000_01b3;
    let top = (1..gram).fold(1u64, |acc, _| acc.wrapping_mul(BASE));
    let mut hashes = Vec::with_capacity(tokens.len() - gram + 1);
    let mut h = 0u64;
    for (i, t) in tokens.iter().enumerate() {
        if i >= gram {
            h = h.wrapping_sub(u64::from(tokens[i - gram].norm).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(u64::from(t.norm));
        if i + 1 >= gram {
            // Spread the bits so the minimum is not biased towards small token hashes.
            hashes.push(mix(h));
        }
    }
    let mut samples = Vec::new();
    let mut deque: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    let mut last = usize::MAX;
    for i in 0..hashes.len() {
        while deque.back().is_some_and(|&j| hashes[j] >= hashes[i]) {
            deque.pop_back();
        }
        deque.push_back(i);
        if deque.front().is_some_and(|&j| j + window <= i) {
            deque.pop_front();
        }
        if i + 1 >= window {
            let min = deque[0];
            if min != last {
                samples.push((hashes[min], min as u32));
                last = min;
            }
        }
    }
    samples
}

/// The clones `key` reports: a pair of copies is one finding, on the later
/// copy (by file, then line), pointing at the earlier one, so two places
/// are not two warnings about one thing.
pub fn later_copies(key: &str, clones: Vec<Clone>) -> Vec<Clone> {
    clones.into_iter().filter(|c| (key, c.lines.0) > (c.other.as_str(), c.other_lines.0)).collect()
}

/// Whether the duplicate rules leave a file out: test code, and type stubs
/// (`.pyi`, `.d.ts`), whose overloads repeat a signature by necessity.
pub fn left_out(path: &str) -> bool {
    path.ends_with(".pyi") || path.ends_with(".d.ts") || is_test_path(path)
}

/// Whether a path is test code (`tests/`, `test_x.py`, `x_test.go`,
/// `x.spec.ts`, `XTest.java`, `x_spec.rb`, ...): tests repeat their
/// arrange/act/assert on purpose, so the duplicate rules leave them out.
pub fn is_test_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or("");
    let in_test_dir = parts.any(|d| {
        matches!(d, "test" | "tests" | "__tests__" | "spec" | "specs" | "testing" | "testdata" | "__mocks__")
    });
    let stem = name.split('.').next().unwrap_or(name);
    in_test_dir
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || stem.ends_with("Test") && stem.len() > 4
        || stem.ends_with("Tests")
        || name.contains(".test.")
        || name.contains(".spec.")
        || stem == "conftest"
}

/// Whether two copies are deliberate twins: the same code in a function and
/// its sync/async counterpart (`def get` / `async def get_async`,
/// `fetch` / `afetch`) or its public wrapper / private implementation
/// (`ws_connect` / `_ws_connect`), which libraries keep apart on purpose.
/// Read from the nearest function header above each copy.
pub fn deliberate_twins(text: &str, lines: (u32, u32), other_text: &str, other_lines: (u32, u32)) -> bool {
    let (Some(a), Some(b)) =
        (enclosing_function(text, lines.0), enclosing_function(other_text, other_lines.0))
    else {
        return false;
    };
    if a.name == b.name {
        // The same name in two places: twins when one is async (or one file
        // is the other's sync/async variant, which the names do not show).
        return a.is_async != b.is_async;
    }
    let base = |n: &str| -> String {
        let n = n.trim_start_matches('_');
        let n = n.strip_prefix("async_").unwrap_or(n);
        let n = ["_async", "Async", "_sync", "Sync", "_impl", "Impl", "_inner", "Inner"]
            .iter()
            .find_map(|s| n.strip_suffix(s))
            .unwrap_or(n);
        n.to_ascii_lowercase()
    };
    let (x, y) = (base(&a.name), base(&b.name));
    x == y || a.is_async != b.is_async && (format!("a{y}") == x || format!("a{x}") == y)
}

struct Header {
    name: String,
    is_async: bool,
}

/// The nearest line at or above `line` that starts a function (`def`,
/// `async def`, `fn`, `async fn`, `function`, `async function`, `func`), with
/// its name, looking back at most 200 lines.
fn enclosing_function(text: &str, line: u32) -> Option<Header> {
    let lines: Vec<&str> = text.lines().take(line as usize + 1).collect();
    lines.iter().rev().take(200).find_map(|l| {
        let mut words = l.trim_start().split(|c: char| c.is_whitespace() || c == '(' || c == '<');
        let mut is_async = false;
        let mut word = words.next()?;
        while matches!(
            word,
            "pub" | "pub(crate)" | "export" | "static" | "private" | "public" | "protected" | "unsafe"
        ) {
            word = words.next()?;
        }
        if word == "async" {
            is_async = true;
            word = words.next()?;
        }
        if !matches!(word, "def" | "fn" | "function" | "func") {
            return None;
        }
        let name = words.find(|w| !w.is_empty())?;
        let name: String = name.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        (!name.is_empty()).then_some(Header { name, is_async })
    })
}

fn related_of(clone: &Clone) -> Related {
    Related {
        file: clone.other.clone(),
        lines: clone.other_lines,
        message: if clone.exact { "the same code".to_string() } else { "similar code".to_string() },
    }
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// Turn the clones of one file into diagnostics: one per copy in this file,
/// pointing at every other copy. A region inside a larger one of the same kind
/// joins it rather than repeating the finding.
pub fn diagnostics(clones: &[Clone], exact_on: bool, renamed_on: bool) -> Vec<Diagnostic> {
    debug_assert!(clones.windows(2).all(|w| w[0].range.start <= w[1].range.start), "clones sorted by start");
    /// (bytes, lines, exact, tokens, the other copies)
    type Region = (Range<usize>, (u32, u32), bool, usize, Vec<Related>);
    let mut regions: Vec<Region> = Vec::new();
    // Per kind (renamed, exact): region indices in creation order, the
    // largest end among them so far, and each region's other copies.
    let mut by_kind: [(Vec<usize>, Vec<usize>); 2] = Default::default();
    // The other copies each region points at, as a hash of file and lines
    // (tens of thousands of clones in a file of repeated blocks).
    let place = |c: &Clone| {
        let mut h = Mixed::default();
        h.write(c.other.as_bytes());
        h.write_u64(mix(h.finish()) ^ (u64::from(c.other_lines.0) << 32 | u64::from(c.other_lines.1)));
        h.finish()
    };
    let mut seen: Vec<std::collections::HashSet<u64, BuildHasherDefault<Identity>>> = Vec::new();
    for clone in clones {
        if (clone.exact && !exact_on) || (!clone.exact && !renamed_on) {
            continue;
        }
        // Clones come sorted by start, so every region so far starts at or
        // before this one; the holder is the first whose end reaches it.
        let (order, max_end) = &mut by_kind[usize::from(clone.exact)];
        let first = max_end.partition_point(|end| *end < clone.range.end);
        match order.get(first) {
            Some(&holder) => {
                if seen[holder].insert(place(clone)) {
                    regions[holder].4.push(related_of(clone));
                }
            }
            None => {
                order.push(regions.len());
                max_end.push(max_end.last().map_or(clone.range.end, |m| (*m).max(clone.range.end)));
                seen.push([place(clone)].into_iter().collect());
                regions.push((
                    clone.range.clone(),
                    clone.lines,
                    clone.exact,
                    clone.tokens,
                    vec![related_of(clone)],
                ))
            }
        }
    }
    regions
        .into_iter()
        .map(|(range, lines, exact, tokens, related)| {
            let first = &related[0];
            let name = first.file.rsplit(['/', '\\']).next().unwrap_or(&first.file);
            let more = match related.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            let span = lines.1 - lines.0 + 1;
            let place = format!("{name}:{}–{}{more}", first.lines.0 + 1, first.lines.1 + 1);
            let (code, severity, message) = if exact {
                (
                    EXACT,
                    EXACT_RULE.default_severity,
                    format!("{span} lines ({tokens} tokens) duplicated at {place}"),
                )
            } else {
                (
                    RENAMED,
                    RENAMED_RULE.default_severity,
                    format!(
                        "{span} lines ({tokens} tokens) repeat {place} with only names or literals changed"
                    ),
                )
            };
            let mut d = Diagnostic::new(code, severity, message, range);
            d.related = related;
            d
        })
        .collect()
}

#[cfg(test)]
mod tests;
