//! Incremental parsers for the two streaming formats providers use:
//! server-sent events (OpenAI, Anthropic) and newline-delimited JSON
//! (Ollama). Both take bytes in whatever chunks the network delivers — a
//! chunk may end mid-line or mid-UTF-8 character — and yield whole events.

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field; empty for the default "message".
    pub event: String,
    /// The `data:` lines, joined with `\n`.
    pub data: String,
}

/// Splits a byte stream into lines, keeping the unfinished tail.
#[derive(Debug, Default)]
struct Lines {
    buffer: Vec<u8>,
    /// The previous chunk ended with `\r`, so a leading `\n` belongs to it.
    after_cr: bool,
}

impl Lines {
    fn push(&mut self, chunk: &[u8], mut line: impl FnMut(&str)) {
        for &byte in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    line(&String::from_utf8_lossy(&self.buffer));
                    self.buffer.clear();
                }
                _ => self.buffer.push(byte),
            }
        }
    }

    fn take_rest(&mut self) -> Option<String> {
        if self.buffer.is_empty() {
            return None;
        }
        let rest = String::from_utf8_lossy(&self.buffer).into_owned();
        self.buffer.clear();
        Some(rest)
    }
}

/// The server-sent events parser (the WHATWG event-stream rules that matter
/// here: `data`/`event` fields, comments, blank-line dispatch, any line ending).
#[derive(Debug, Default)]
pub struct SseParser {
    lines: Lines,
    current: SseEvent,
    has_data: bool,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feed a chunk; returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let Self { lines, current, has_data } = self;
        lines.push(chunk, |line| Self::line(current, has_data, line, &mut events));
        events
    }

    /// The end of the stream: an event without its blank line is dropped, as
    /// the standard says, but reported so callers can tell a cut stream.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let mut events = Vec::new();
        if let Some(rest) = self.lines.take_rest() {
            Self::line(&mut self.current, &mut self.has_data, &rest, &mut events);
        }
        let pending = std::mem::take(&mut self.current);
        let had = std::mem::replace(&mut self.has_data, false);
        had.then_some(pending)
    }

    fn line(current: &mut SseEvent, has_data: &mut bool, line: &str, events: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if *has_data {
                events.push(std::mem::take(current));
                *has_data = false;
            } else {
                current.event.clear();
            }
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                if *has_data {
                    current.data.push('\n');
                }
                current.data.push_str(value);
                *has_data = true;
            }
            "event" => current.event = value.to_string(),
            _ => {}
        }
    }
}

/// The newline-delimited JSON parser: one JSON value per line.
#[derive(Debug, Default)]
pub struct NdjsonParser {
    lines: Lines,
}

impl NdjsonParser {
    /// A parser at the start of a stream.
    pub fn new() -> NdjsonParser {
        NdjsonParser::default()
    }

    /// Feed a chunk; returns the values (or per-line parse errors) it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Result<serde_json::Value, String>> {
        let mut values = Vec::new();
        self.lines.push(chunk, |line| parse_line(line, &mut values));
        values
    }

    /// The end of the stream: a last line without its newline still counts.
    pub fn finish(&mut self) -> Vec<Result<serde_json::Value, String>> {
        let mut values = Vec::new();
        if let Some(rest) = self.lines.take_rest() {
            parse_line(&rest, &mut values);
        }
        values
    }
}

fn parse_line(line: &str, values: &mut Vec<Result<serde_json::Value, String>>) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    values.push(serde_json::from_str(line).map_err(|e| format!("{e} in {}", shorten(line, 80))));
}

/// At most `max` bytes of `text`, cut at a character boundary, with "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let cut = (0..=max).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    format!("{}…", &text[..cut])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const OPENAI: &str =
        "data: {\"a\":1}\n\n: keep-alive\n\ndata: {\"b\":\"é\"}\r\n\r\nevent: done\ndata: [DONE]\n\n";

    fn collect(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        let mut events: Vec<SseEvent> = chunks.iter().flat_map(|c| parser.push(c)).collect();
        events.extend(parser.finish());
        events
    }

    #[test]
    fn sse_events_with_comments_and_mixed_line_endings() {
        let events = collect(&[OPENAI.as_bytes()]);
        let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["{\"a\":1}", "{\"b\":\"é\"}", "[DONE]"]);
        assert_eq!(events[2].event, "done");
        assert_eq!(events[0].event, "");
    }

    #[test]
    fn sse_multi_line_data_is_joined() {
        let events = collect(&[b"data: one\ndata:two\n\n"]);
        assert_eq!(events[0].data, "one\ntwo");
    }

    #[test]
    fn a_cut_sse_stream_reports_its_unfinished_event() {
        let mut parser = SseParser::new();
        assert!(parser.push(b"data: {\"partial\":").is_empty());
        assert_eq!(parser.finish().map(|e| e.data), Some("{\"partial\":".to_string()));
    }

    #[test]
    fn ndjson_lines_and_a_last_line_without_newline() {
        let mut parser = NdjsonParser::new();
        let mut values = parser.push(b"{\"a\":1}\n\n{\"b\":");
        values.extend(parser.push(b"2}\n{\"c\":3}"));
        values.extend(parser.finish());
        let values: Vec<serde_json::Value> = values.into_iter().map(|v| v.unwrap()).collect();
        assert_eq!(
            values,
            [serde_json::json!({"a":1}), serde_json::json!({"b":2}), serde_json::json!({"c":3})]
        );
    }

    #[test]
    fn malformed_ndjson_is_an_error_not_a_panic() {
        let mut parser = NdjsonParser::new();
        let values = parser.push(b"{not json}\n");
        assert!(values[0].as_ref().is_err_and(|e| e.contains("{not json}")));
    }

    proptest! {
        /// However the network splits the bytes — mid-line, mid-"\r\n",
        /// mid-character — the events are the same.
        #[test]
        fn sse_chunking_does_not_change_events(cuts in proptest::collection::vec(0usize..OPENAI.len(), 0..8)) {
            let bytes = OPENAI.as_bytes();
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut start = 0;
            for cut in cuts {
                chunks.push(&bytes[start..cut.max(start)]);
                start = cut.max(start);
            }
            chunks.push(&bytes[start..]);
            prop_assert_eq!(collect(&chunks), collect(&[bytes]));
        }

        #[test]
        fn ndjson_chunking_does_not_change_values(cut in 0usize..40) {
            let text = "{\"t\":\"ü\"}\r\n{\"t\":\"b\"}\n{\"done\":true}\n";
            let cut = cut.min(text.len());
            let mut parser = NdjsonParser::new();
            let mut values = parser.push(&text.as_bytes()[..cut]);
            values.extend(parser.push(&text.as_bytes()[cut..]));
            values.extend(parser.finish());
            prop_assert_eq!(values.len(), 3);
            prop_assert!(values.iter().all(|v| v.is_ok()));
        }
    }
}
