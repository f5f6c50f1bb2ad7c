//! Tree-sitter parsing of ropes, with one reusable parser per thread.

use std::cell::RefCell;

use ropey::Rope;
use tree_sitter::{InputEdit, Parser, Point, Tree};

use crate::Language;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(Parser::new());
}

/// Parse `text` as `language`, reusing `old_tree` when it was edited to match.
///
/// Returns `None` only if tree-sitter gives up (it does not on valid grammars
/// without a timeout); callers treat that as "no tree", never as a user error.
pub fn parse(language: &Language, text: &Rope, old_tree: Option<&Tree>) -> Option<Tree> {
    PARSER.with(|cell| {
        let mut parser = cell.borrow_mut();
        parser.set_language(language.ts_language()).ok()?;
        let len = text.len_bytes();
        let mut input = |byte: usize, _: Point| -> &[u8] {
            if byte >= len {
                return &[];
            }
            let (chunk, chunk_start, _, _) = text.chunk_at_byte(byte);
            &chunk.as_bytes()[byte - chunk_start..]
        };
        let tree = parser.parse_with_options(&mut input, old_tree, None);
        if tree.is_none() {
            parser.reset();
        }
        tree
    })
}

/// The tree-sitter point of `byte`. Rows follow the rope's lines; for text
/// with lone `\r` line breaks they differ from tree-sitter's own rows, which is
/// harmless because Aura converts positions from byte offsets only.
pub(crate) fn point_at(text: &Rope, byte: usize) -> Point {
    let row = text.byte_to_line(byte);
    Point { row, column: byte - text.line_to_byte(row) }
}

/// The `InputEdit` for replacing `start..old_end` of `before` with `new_len` bytes,
/// given the text after the change.
pub(crate) fn input_edit(
    before_start: Point,
    before_old_end: Point,
    after: &Rope,
    start: usize,
    old_end: usize,
    new_len: usize,
) -> InputEdit {
    let new_end = start + new_len;
    InputEdit {
        start_byte: start,
        old_end_byte: old_end,
        new_end_byte: new_end,
        start_position: before_start,
        old_end_position: before_old_end,
        new_end_position: point_at(after, new_end),
    }
}
