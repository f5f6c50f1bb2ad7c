//! The embedding cache: vectors by content hash, persisted in the workspace
//! cache folder (`.aura/cache/embeddings.bin`) so that reopening a project
//! embeds only what changed.
//!
//! Format (little-endian): the magic `AURAEMB1`, the model tag's length
//! (u32) and bytes, the dimension (u32), the count (u32), then per entry the
//! 16-byte hash and `dim` f32s. A file for another model, dimension or
//! format is ignored, not an error. Writes go to a temporary file renamed
//! into place, so a crash never leaves half a cache.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::chunks::ContentHash;

const MAGIC: &[u8; 8] = b"AURAEMB1";

/// Identifies the vectors' model and preprocessing: a cache written under
/// another tag is discarded.
pub const MODEL_TAG: &str = "all-MiniLM-L6-v2/mean/l2/256";

#[derive(Default)]
pub struct EmbeddingCache {
    vectors: HashMap<ContentHash, Box<[f32]>>,
    path: Option<PathBuf>,
    dirty: bool,
}

impl EmbeddingCache {
    /// An empty cache that is never written.
    pub fn in_memory() -> Self {
        EmbeddingCache::default()
    }

    /// The cache at `path`, empty when the file is missing, unreadable or
    /// for another model.
    pub fn open(path: &Path) -> Self {
        let vectors =
            std::fs::File::open(path).ok().and_then(|f| read(io::BufReader::new(f)).ok()).unwrap_or_default();
        EmbeddingCache { vectors, path: Some(path.to_path_buf()), dirty: false }
    }

    /// Where a workspace keeps it.
    pub fn path_in(state_dir: &Path) -> PathBuf {
        state_dir.join("cache").join("embeddings.bin")
    }

    pub fn get(&self, hash: &ContentHash) -> Option<&[f32]> {
        self.vectors.get(hash).map(|v| &**v)
    }

    pub fn insert(&mut self, hash: ContentHash, vector: Vec<f32>) {
        self.vectors.insert(hash, vector.into_boxed_slice());
        self.dirty = true;
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Drops vectors whose text no longer exists anywhere, so the file does
    /// not grow with every edit ever made.
    pub fn retain(&mut self, live: impl Fn(&ContentHash) -> bool) {
        let before = self.vectors.len();
        self.vectors.retain(|h, _| live(h));
        self.dirty |= self.vectors.len() != before;
    }

    /// Writes the file if anything changed.
    pub fn save(&mut self) -> io::Result<()> {
        let Some(path) = self.path.clone() else { return Ok(()) };
        if !self.dirty {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("bin.tmp");
        {
            let mut out = io::BufWriter::new(std::fs::File::create(&tmp)?);
            out.write_all(MAGIC)?;
            out.write_all(&(MODEL_TAG.len() as u32).to_le_bytes())?;
            out.write_all(MODEL_TAG.as_bytes())?;
            out.write_all(&(aura_embed::DIM as u32).to_le_bytes())?;
            out.write_all(&(self.vectors.len() as u32).to_le_bytes())?;
            for (hash, vector) in &self.vectors {
                out.write_all(hash)?;
                for x in vector.iter() {
                    out.write_all(&x.to_le_bytes())?;
                }
            }
            out.flush()?;
        }
        std::fs::rename(&tmp, &path)?;
        self.dirty = false;
        Ok(())
    }
}

fn read(mut r: impl Read) -> io::Result<HashMap<ContentHash, Box<[f32]>>> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(invalid("not an embedding cache"));
    }
    let tag_len = read_u32(&mut r)? as usize;
    if tag_len != MODEL_TAG.len() {
        return Err(invalid("another model"));
    }
    let mut tag = vec![0u8; tag_len];
    r.read_exact(&mut tag)?;
    if tag != MODEL_TAG.as_bytes() || read_u32(&mut r)? as usize != aura_embed::DIM {
        return Err(invalid("another model"));
    }
    let count = read_u32(&mut r)? as usize;
    let mut vectors = HashMap::with_capacity(count.min(1 << 20));
    let mut bytes = vec![0u8; aura_embed::DIM * 4];
    for _ in 0..count {
        let mut hash = [0u8; 16];
        r.read_exact(&mut hash)?;
        r.read_exact(&mut bytes)?;
        let vector: Box<[f32]> =
            bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        vectors.insert(hash, vector);
    }
    Ok(vectors)
}

fn read_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
