//! Line arithmetic: hunks, the map from an older version of a file to
//! HEAD's lines, and text-to-text diffs (a buffer against its HEAD blob).

use std::ops::Range;

/// One changed stretch of a file. Ranges are 0-based and half-open. An empty
/// range is a position: the change sits before that line (a pure insertion on
/// the old side, a pure deletion on the new side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hunk {
    /// First line on the old side.
    pub old_start: u32,
    /// Lines removed.
    pub old_lines: u32,
    /// First line on the new side.
    pub new_start: u32,
    /// Lines added.
    pub new_lines: u32,
}

impl Hunk {
    /// From git's 1-based header numbers, where an empty side names the
    /// line *after which* the change sits.
    pub(crate) fn from_git(old_start: u32, old_lines: u32, new_start: u32, new_lines: u32) -> Hunk {
        let zero_based = |start: u32, lines: u32| if lines == 0 { start } else { start.saturating_sub(1) };
        Hunk {
            old_start: zero_based(old_start, old_lines),
            old_lines,
            new_start: zero_based(new_start, new_lines),
            new_lines,
        }
    }

    /// The old side's lines.
    pub fn old_range(&self) -> Range<u32> {
        self.old_start..self.old_start + self.old_lines
    }

    /// The new side's lines.
    pub fn new_range(&self) -> Range<u32> {
        self.new_start..self.new_start + self.new_lines
    }
}

/// Where line `new` of the new side was on the old side, given the hunks
/// between them (sorted, as diffs produce them); `None` when the line was
/// added or changed.
pub fn new_to_old(hunks: &[Hunk], new: u32) -> Option<u32> {
    let mut shift: i64 = 0;
    for h in hunks {
        if new < h.new_start {
            break;
        }
        if new < h.new_start + h.new_lines {
            return None;
        }
        shift = i64::from(h.old_start + h.old_lines) - i64::from(h.new_start + h.new_lines);
    }
    u32::try_from(i64::from(new) + shift).ok()
}

/// The hunks turning `old` into `new` (no context lines). Binary input
/// (a NUL byte) gives one hunk covering everything.
pub fn diff_text(old: &[u8], new: &[u8]) -> Vec<Hunk> {
    let mut options = git2::DiffOptions::new();
    options.context_lines(0).force_text(true);
    let Ok(patch) = git2::Patch::from_buffers(old, None, new, None, Some(&mut options)) else {
        let lines = |t: &[u8]| t.split(|&b| b == b'\n').count() as u32;
        return vec![Hunk { old_start: 0, old_lines: lines(old), new_start: 0, new_lines: lines(new) }];
    };
    hunks_of(&patch)
}

pub(crate) fn hunks_of(patch: &git2::Patch<'_>) -> Vec<Hunk> {
    (0..patch.num_hunks())
        .filter_map(|i| patch.hunk(i).ok())
        .map(|(h, _)| Hunk::from_git(h.old_start(), h.old_lines(), h.new_start(), h.new_lines()))
        .collect()
}

/// Lines far past any real file, standing for "to the end".
const END: u32 = u32::MAX / 2;

/// Maps the lines of one version of a file to HEAD's lines: sorted,
/// disjoint pieces; a line no piece covers did not survive to HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineMap {
    pieces: Vec<Piece>,
}

/// Lines `start..start + len` of a version and where they went in HEAD.
/// When `len == head_len` line `start + i` is HEAD line `head + i`; otherwise
/// the lines were replaced (or deleted, `head_len == 0`) on the way to HEAD
/// and every one of them stands for the whole replacement. That keeps a
/// function that is rewritten again and again on the same lines hot: each
/// rewrite counts where the code lives now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: u32,
    len: u32,
    head: u32,
    head_len: u32,
}

impl Piece {
    fn end(&self) -> u32 {
        self.start.saturating_add(self.len)
    }

    /// HEAD's lines for this piece's part of `from..to`.
    fn head_of(&self, from: u32, to: u32) -> Range<u32> {
        if self.len == self.head_len {
            self.head + (from - self.start)..self.head + (to - self.start)
        } else {
            self.head..self.head + self.head_len
        }
    }
}

impl LineMap {
    /// HEAD itself: every line maps to itself.
    pub(crate) fn identity() -> LineMap {
        LineMap { pieces: vec![Piece { start: 0, len: END, head: 0, head_len: END }] }
    }

    /// HEAD's lines holding what `lines` of this version became: several
    /// ranges when later changes cut through it. An empty `lines` (a
    /// position) maps to a position next to a surviving neighbour.
    pub(crate) fn to_head(&self, lines: Range<u32>) -> Vec<Range<u32>> {
        if lines.is_empty() {
            let at = lines.start;
            let before = at.checked_sub(1).and_then(|l| self.line(l)).map(|h| h.end..h.end);
            return before.or_else(|| self.line(at).map(|h| h.start..h.start)).into_iter().collect();
        }
        let mut out: Vec<Range<u32>> = Vec::new();
        let mut deleted = None;
        for p in self.overlapping(lines.clone()) {
            let range = p.head_of(lines.start.max(p.start), lines.end.min(p.end()));
            if range.is_empty() {
                // Deleted on the way to HEAD: only a position, kept in case
                // nothing else of `lines` survived.
                deleted.get_or_insert(range);
                continue;
            }
            match out.last_mut() {
                Some(last) if last.end >= range.start && range.end >= last.start => {
                    *last = last.start.min(range.start)..last.end.max(range.end);
                }
                _ => out.push(range),
            }
        }
        if out.is_empty() {
            out.extend(deleted);
        }
        out
    }

    /// HEAD's lines for one line of this version.
    fn line(&self, line: u32) -> Option<Range<u32>> {
        self.overlapping(line..line + 1).next().map(|p| p.head_of(line, line + 1))
    }

    fn overlapping(&self, lines: Range<u32>) -> impl Iterator<Item = &Piece> {
        let first = self.pieces.partition_point(|p| p.end() <= lines.start);
        self.pieces[first..].iter().take_while(move |p| p.start < lines.end)
    }

    /// The map for the version before a change with these hunks (sorted):
    /// lines the change kept move with it; lines it replaced stand for
    /// their replacement (or, when deleted, for the place they were).
    pub(crate) fn before(&self, hunks: &[Hunk]) -> LineMap {
        let mut pieces = Vec::with_capacity(self.pieces.len() + 2 * hunks.len());
        let (mut old, mut new) = (0u32, 0u32);
        let kept = |pieces: &mut Vec<Piece>, old: u32, new: u32, len: u32| {
            for p in self.overlapping(new..new.saturating_add(len)) {
                let from = new.max(p.start);
                let to = new.saturating_add(len).min(p.end());
                let head = p.head_of(from, to);
                pieces.push(Piece {
                    start: old + (from - new),
                    len: to - from,
                    head: head.start,
                    head_len: head.len() as u32,
                });
            }
        };
        for h in hunks {
            // Both sides of an unchanged stretch have the same length; a
            // malformed hunk list must not panic, so take the shorter.
            let len = h.old_start.saturating_sub(old).min(h.new_start.saturating_sub(new));
            kept(&mut pieces, old, new, len);
            if h.old_lines > 0 && h.old_start >= old {
                let became = self.to_head(h.new_range());
                if let (Some(first), Some(last)) = (became.first(), became.last()) {
                    let hull = first.start.min(last.start)..first.end.max(last.end);
                    pieces.push(Piece {
                        start: h.old_start,
                        len: h.old_lines,
                        head: hull.start,
                        head_len: hull.len() as u32,
                    });
                }
            }
            old = old.max(h.old_start.saturating_add(h.old_lines));
            new = new.max(h.new_start.saturating_add(h.new_lines));
        }
        kept(&mut pieces, old, new, END.saturating_sub(old.max(new)));
        LineMap { pieces }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hunk(old_start: u32, old_lines: u32, new_start: u32, new_lines: u32) -> Hunk {
        Hunk { old_start, old_lines, new_start, new_lines }
    }

    #[test]
    fn git_headers_become_zero_based_positions() {
        // "@@ -3,0 +4,2 @@": two lines inserted after old line 3.
        assert_eq!(Hunk::from_git(3, 0, 4, 2), hunk(3, 0, 3, 2));
        // "@@ -5,2 +4,0 @@": old lines 5-6 deleted, sitting after new line 4.
        assert_eq!(Hunk::from_git(5, 2, 4, 0), hunk(4, 2, 4, 0));
    }

    #[test]
    fn text_diff_and_mapping_back() {
        let old = b"a\nb\nc\nd\ne\n";
        let new = b"a\nB\nc\nx\ny\nd\ne\n";
        let hunks = diff_text(old, new);
        assert_eq!(hunks, vec![hunk(1, 1, 1, 1), hunk(3, 0, 3, 2)]);
        let mapped: Vec<_> = (0..7).map(|l| new_to_old(&hunks, l)).collect();
        assert_eq!(mapped, vec![Some(0), None, Some(2), None, None, Some(3), Some(4)]);
    }

    #[test]
    fn maps_compose_through_history() {
        // HEAD: a X b c   (parent had: a b c; X inserted at 1)
        let head = LineMap::identity();
        let parent = head.before(&[hunk(1, 0, 1, 1)]);
        assert_eq!(parent.to_head(0..3), vec![0..1, 2..4]);
        // Grandparent: a q b c, where q was deleted by the parent commit.
        let grand = parent.before(&[hunk(1, 1, 1, 0)]);
        // q is gone: it stands for the place it was deleted from.
        assert_eq!(grand.to_head(1..2), vec![1..1]);
        assert_eq!(grand.to_head(0..4), vec![0..1, 2..4]);
        // A position between a and q lands after HEAD's `a`.
        assert_eq!(grand.to_head(1..1), vec![1..1]);
    }

    #[test]
    fn replaced_lines_stand_for_their_replacement() {
        let m = LineMap::identity().before(&[hunk(2, 3, 2, 1)]);
        assert_eq!(m.to_head(0..2), vec![0..2]);
        assert_eq!(m.to_head(3..4), vec![2..3]);
        assert_eq!(m.to_head(5..7), vec![3..5]);
        // Rewritten again one version earlier: still the same HEAD line.
        let older = m.before(&[hunk(3, 1, 3, 1)]);
        assert_eq!(older.to_head(3..4), vec![2..3]);
        assert_eq!(older.to_head(0..8), vec![0..6]);
    }

    #[test]
    fn malformed_hunks_do_not_panic() {
        let m = LineMap::identity().before(&[hunk(5, 1, 2, 1), hunk(1, 0, 9, 3)]);
        let _ = m.to_head(0..100);
        let _ = new_to_old(&[hunk(5, 1, 2, 1), hunk(1, 0, 9, 3)], 50);
    }
}
