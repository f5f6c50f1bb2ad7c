//! A workspace's shape for the CLI (`aura shape`, `aura similar`) and the
//! server's index: walk the tree like `aura check`, parse each file once
//! (in parallel) into function chunks, load-time imports and clone tokens,
//! then embed what the cache lacks and analyse.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aura_analysis::clones::{tokenize, CloneIndex, CloneSettings, Token};
use aura_analysis::SourceFile;
use aura_shape::imports::{imports_of, Import, Resolver};
use aura_shape::insights::ClonePair;
use aura_shape::{function_chunks, Chunk, EmbeddingCache, SemanticIndex, ShapeReport};
use aura_syntax::{parse, Rope};
use rayon::prelude::*;

use crate::check::{collect_files, load_file, CheckOptions};

/// One parsed file, reduced to what shape analysis needs.
pub struct FileShape {
    /// Path relative to the root, `/`-separated: the key everywhere.
    pub path: String,
    /// Its functions.
    pub chunks: Vec<Chunk>,
    /// Its load-time imports of workspace files.
    pub imports: Vec<Import>,
    tokens: Vec<Token>,
}

/// Every analysable file under `root`.
pub struct Scan {
    /// The root, as given.
    pub root: PathBuf,
    /// Files in path order.
    pub files: Vec<FileShape>,
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Parses every file under `root` that `aura check` would read.
pub fn scan(root: &Path, options: &CheckOptions) -> Result<Scan, String> {
    let files = collect_files(&[root.to_path_buf()], options).map_err(|e| e.to_string())?;
    let rels: Vec<String> = files.iter().map(|(p, _)| relative(root, p)).collect();
    let resolver = Resolver::new(rels.iter().map(String::as_str));
    let mut shapes: Vec<FileShape> = files
        .par_iter()
        .zip(&rels)
        .filter_map(|((path, explicit), rel)| {
            let (language, text) = load_file(path, *explicit, options)?.ok()?;
            let rope = Rope::from_str(&text);
            let tree = parse(language, &rope, None)?;
            let source = SourceFile { language, text: &rope, tree: &tree };
            Some(FileShape {
                path: rel.clone(),
                chunks: function_chunks(rel, source),
                imports: imports_of(rel, source, &resolver),
                tokens: tokenize(source),
            })
        })
        .collect();
    shapes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Scan { root: root.to_path_buf(), files: shapes })
}

impl Scan {
    /// The import graph: file → its imports.
    pub fn import_graph(&self) -> HashMap<String, Vec<Import>> {
        self.files.iter().map(|f| (f.path.clone(), f.imports.clone())).collect()
    }

    /// Function pairs sharing an exact token clone (AUR401's detector, its
    /// default sizes) that covers at least half of each function.
    pub fn clone_pairs(&self) -> Vec<ClonePair> {
        let mut index = CloneIndex::new(CloneSettings::default());
        for f in &self.files {
            index.insert(&f.path, f.tokens.clone());
        }
        let by_path: HashMap<&str, &FileShape> = self.files.iter().map(|f| (f.path.as_str(), f)).collect();
        let covering = |file: &str, lines: (u32, u32)| -> Option<u32> {
            by_path.get(file)?.chunks.iter().find_map(|c| {
                let (start, end) = (c.start_line - 1, c.end_line - 1);
                let overlap = lines.1.min(end).saturating_sub(lines.0.max(start)) + 1;
                (lines.0 <= end && start <= lines.1 && 2 * overlap > end - start).then_some(c.start_line)
            })
        };
        let mut pairs = Vec::new();
        for f in &self.files {
            for clone in index.clones_of(&f.path).into_iter().filter(|c| c.exact) {
                if let (Some(a), Some(b)) =
                    (covering(&f.path, clone.lines), covering(&clone.other, clone.other_lines))
                {
                    pairs.push(((f.path.clone(), a), (clone.other.clone(), b)));
                }
            }
        }
        pairs
    }

    /// A semantic index of every chunk, with the workspace's embedding cache
    /// (`ROOT/.aura/cache/embeddings.bin`) behind it; nothing is embedded yet.
    pub fn index(&self, cache: EmbeddingCache) -> SemanticIndex {
        let mut index = SemanticIndex::new(cache);
        for f in &self.files {
            index.set_file(&f.path, f.chunks.clone());
        }
        index
    }
}

/// The workspace cache of embeddings under `root`.
pub fn workspace_cache(root: &Path) -> EmbeddingCache {
    EmbeddingCache::open(&EmbeddingCache::path_in(&root.join(".aura")))
}

/// Scan, embed what the cache lacks (reporting `progress(done, total)`),
/// save the cache and analyse.
pub fn report(
    root: &Path,
    options: &CheckOptions,
    cut: f32,
    embedder: &aura_embed::Embedder,
    progress: impl FnMut(usize, usize) -> bool,
) -> Result<ShapeReport, String> {
    let scan = scan(root, options)?;
    let mut index = scan.index(workspace_cache(root));
    index.embed_pending(embedder, 64, progress).map_err(|e| e.to_string())?;
    if let Err(e) = index.save_cache() {
        tracing::warn!("cannot write the embedding cache: {e}");
    }
    let cycles = aura_shape::imports::cycles(&scan.import_graph());
    Ok(aura_shape::analyse(&index, &scan.clone_pairs(), cycles, cut))
}
