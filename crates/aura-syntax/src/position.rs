//! Conversions between byte offsets and line/column positions in the three
//! encodings LSP clients use. Lines end at `\n`, `\r\n` or a lone `\r`, as the
//! LSP specification says; columns never point inside a character.

use ropey::Rope;

/// How a column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// Columns count UTF-8 bytes.
    Utf8,
    /// Columns count UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Columns count Unicode scalar values.
    Utf32,
}

/// A zero-based line and a zero-based column in some [`PositionEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column, in the unit of the encoding in use.
    pub col: u32,
}

/// The byte offset of `pos`. Positions past the end of a line clamp to the end
/// of its content (before the line break), positions past the last line clamp
/// to the end of the text, and a column inside a character rounds down to it.
pub fn offset_at(text: &Rope, pos: LineCol, encoding: PositionEncoding) -> usize {
    let line_idx = pos.line as usize;
    if line_idx >= text.len_lines() {
        return text.len_bytes();
    }
    let line_start = text.line_to_byte(line_idx);
    let line_end = line_start + line_content_len(text, line_idx);
    let col = pos.col as usize;
    match encoding {
        PositionEncoding::Utf8 => {
            let byte = (line_start + col).min(line_end);
            floor_char_boundary(text, byte)
        }
        PositionEncoding::Utf16 => {
            let start_cu = text.char_to_utf16_cu(text.byte_to_char(line_start));
            let end_cu = text.char_to_utf16_cu(text.byte_to_char(line_end));
            let target = (start_cu + col).min(end_cu);
            // `utf16_cu_to_char` rounds a position inside a surrogate pair down.
            text.char_to_byte(text.utf16_cu_to_char(target))
        }
        PositionEncoding::Utf32 => {
            let start_char = text.byte_to_char(line_start);
            let end_char = text.byte_to_char(line_end);
            text.char_to_byte((start_char + col).min(end_char))
        }
    }
}

/// The position of byte `offset` (clamped to the text, rounded down to a character).
pub fn line_col_at(text: &Rope, offset: usize, encoding: PositionEncoding) -> LineCol {
    let offset = floor_char_boundary(text, offset.min(text.len_bytes()));
    let line_idx = text.byte_to_line(offset);
    let line_start = text.line_to_byte(line_idx);
    let col = match encoding {
        PositionEncoding::Utf8 => offset - line_start,
        PositionEncoding::Utf16 => {
            let c = text.byte_to_char(offset);
            let s = text.byte_to_char(line_start);
            text.char_to_utf16_cu(c) - text.char_to_utf16_cu(s)
        }
        PositionEncoding::Utf32 => text.byte_to_char(offset) - text.byte_to_char(line_start),
    };
    LineCol { line: to_u32(line_idx), col: to_u32(col) }
}

/// Length in bytes of line `line_idx` without its line break.
pub fn line_content_len(text: &Rope, line_idx: usize) -> usize {
    let line = text.line(line_idx);
    let len = line.len_bytes();
    let ending = if len >= 2 && line.byte(len - 2) == b'\r' && line.byte(len - 1) == b'\n' {
        2
    } else if len >= 1 && matches!(line.byte(len - 1), b'\n' | b'\r') {
        1
    } else {
        0
    };
    len - ending
}

/// The largest character boundary at or before `byte`.
pub fn floor_char_boundary(text: &Rope, byte: usize) -> usize {
    let byte = byte.min(text.len_bytes());
    text.char_to_byte(text.byte_to_char(byte))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn emoji_and_cjk_columns_differ_by_encoding() {
        // 😀 is 4 bytes, 2 UTF-16 units, 1 scalar; 中 is 3 bytes, 1 unit, 1 scalar.
        let text = Rope::from_str("a😀中b\n");
        let b = 1 + 4 + 3; // byte offset of `b`
        assert_eq!(line_col_at(&text, b, Utf8), lc(0, 8));
        assert_eq!(line_col_at(&text, b, Utf16), lc(0, 4));
        assert_eq!(line_col_at(&text, b, Utf32), lc(0, 3));
        for enc in [Utf8, Utf16, Utf32] {
            assert_eq!(offset_at(&text, line_col_at(&text, b, enc), enc), b);
        }
    }

    #[test]
    fn inside_a_character_rounds_down() {
        let text = Rope::from_str("😀x");
        assert_eq!(offset_at(&text, lc(0, 1), Utf16), 0, "middle of a surrogate pair");
        assert_eq!(offset_at(&text, lc(0, 2), Utf8), 0, "middle of a UTF-8 sequence");
        assert_eq!(line_col_at(&text, 2, Utf16), lc(0, 0));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = Rope::from_str("ab\r\ncd\ref\n");
        assert_eq!(offset_at(&text, lc(1, 0), Utf16), 4);
        assert_eq!(offset_at(&text, lc(2, 1), Utf16), 8);
        assert_eq!(line_col_at(&text, 8, Utf16), lc(2, 1));
        // A column past the end stops before the line break, never inside `\r\n`.
        assert_eq!(offset_at(&text, lc(0, 99), Utf16), 2);
        assert_eq!(offset_at(&text, lc(9, 0), Utf16), text.len_bytes());
    }

    #[test]
    fn unicode_line_separators_are_not_line_breaks() {
        // LSP only knows \n, \r\n and \r; U+2028 must stay inside the line.
        let text = Rope::from_str("a\u{2028}b\nc");
        assert_eq!(text.len_lines(), 2);
        assert_eq!(line_col_at(&text, 4, Utf16), lc(0, 2));
    }
}
