//! Where the secrets are in an outbound text. A prompt mixes prose, code and
//! config of any language, so the text is read for its structure line by
//! line: key/value pairs in every common syntax (assignments, JSON/YAML/TOML/
//! INI keys, PHP and Ruby hashes, XML elements and attributes), whether each
//! sits in code, inside a string or in a comment, values on the lines after a
//! YAML key, and the places a credential hides inside another value (URL
//! userinfo, query parameters, connection-string fields, command-line flags,
//! `Authorization` headers, base64 of `user:pass`). Known key formats come
//! from the analysis crate's detectors (the ones behind AUR301).
//!
//! A value is a secret only when it is a literal: an identifier, a call or an
//! interpolation is code, never redacted, and names that are *about* a
//! credential (`PASSWORD_POLICY`, `token_url`) do not hold one.

use std::ops::Range;
use std::sync::OnceLock;

use aura_analysis::secrets;
use regex::Regex;

/// A secret's bytes and kind.
pub(super) type Span = (Range<usize>, &'static str);

/// Every secret's byte range and kind, possibly overlapping.
pub(super) fn find(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    known_formats(text, &mut spans);
    url_credentials(text, &mut spans);
    flags_and_headers(text, &mut spans);
    pairs(text, &mut spans);
    xml_elements(text, &mut spans);
    prose(text, &mut spans);
    pgpass(text, &mut spans);
    base64_credentials(text, &mut spans);
    random_tokens(text, &mut spans);
    spans
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are constants exercised by the tests below.
    cell.get_or_init(|| {
        Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").expect("the empty pattern compiles"))
    })
}

fn known_formats(text: &str, spans: &mut Vec<Span>) {
    static END: OnceLock<Regex> = OnceLock::new();
    for found in secrets::scan(text) {
        let mut range = found.range;
        if found.kind == "private key" {
            // The detector matches the header; the key is the whole block.
            let end = regex(&END, r"-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----");
            range.end = end.find(&text[range.end..]).map_or(text.len(), |m| range.end + m.end());
        }
        spans.push((range, found.kind));
    }
}

/// `scheme://user:password@host` and `?password=...&`, `;Pwd=...;`.
fn url_credentials(text: &str, spans: &mut Vec<Span>) {
    static USERINFO: OnceLock<Regex> = OnceLock::new();
    static QUERY: OnceLock<Regex> = OnceLock::new();
    // The password runs to the authority's last `@`, as a URL parser reads it.
    let userinfo = regex(
        &USERINFO,
        r#"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://(?P<user>[^\s:/@'"`<>]*):(?P<pass>[^\s'"`/<>]+)@[^\s@'"`/<>]*"#,
    );
    for caps in userinfo.captures_iter(text) {
        if let Some(pass) = caps.name("pass") {
            if !is_harmless(pass.as_str()) && !pass.as_str().chars().all(|c| c.is_ascii_digit()) {
                spans.push((pass.range(), "URL password"));
            }
        }
    }
    let query = regex(&QUERY, r#"[?&;](?P<key>[A-Za-z_][\w.\-]*)=(?P<value>[^&;#\s'"`<>]+)"#);
    for caps in query.captures_iter(text) {
        let (Some(key), Some(value)) = (caps.name("key"), caps.name("value")) else { continue };
        if holds_secret(key.as_str()) && !is_harmless(value.as_str()) {
            spans.push((value.range(), "URL parameter"));
        }
    }
}

/// `--password x`, `--token=x`, mysql's `-pSECRET`, curl's `-u user:pass`,
/// and `Authorization: Basic|Bearer <credential>`.
fn flags_and_headers(text: &str, spans: &mut Vec<Span>) {
    static FLAG: OnceLock<Regex> = OnceLock::new();
    static MYSQL: OnceLock<Regex> = OnceLock::new();
    static MYSQL_P: OnceLock<Regex> = OnceLock::new();
    static USER: OnceLock<Regex> = OnceLock::new();
    static AUTH: OnceLock<Regex> = OnceLock::new();
    static NETRC: OnceLock<Regex> = OnceLock::new();
    let flag = regex(&FLAG, r#"(?m)(?:^|[\s'"(\[])--(?P<flag>[A-Za-z][\w\-]*)(?:=|[ \t]+)"#);
    for caps in flag.captures_iter(text) {
        let (Some(name), Some(whole)) = (caps.name("flag"), caps.get(0)) else { continue };
        if holds_secret(name.as_str()) {
            let value = value_at(text, whole.end())
                .or_else(|| bare_at(text, whole.end(), &['\'', '"', ';', '|', '&', ')']));
            if let Some(value) = value {
                if value.quoted || (!is_code(value.text(text)) && !value.text(text).starts_with('-')) {
                    push_value(text, &value, "command-line secret", spans);
                }
            }
        }
    }
    // Commands whose short flag takes a password: mysql's attached `-pSECRET`,
    // `sshpass -p`, `docker login -p`, `redis-cli -a`.
    let mysql = regex(
        &MYSQL,
        r"\b(?P<mysql>mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport)\b|\b(?P<spaced>sshpass|login|redis-cli)\b",
    );
    let attached = regex(
        &MYSQL_P,
        r#"(?:^|[ \t])-(?P<flag>[pa])(?P<gap>[ \t]+)?(?P<value>'[^'\n]+'|"[^"\n]+"|[^\s'"]+)"#,
    );
    for line in lines(text) {
        let Some(command) = mysql.captures(line.text) else { continue };
        let want_gap = command.name("spaced").is_some();
        let flag = if command.name("spaced").is_some_and(|c| c.as_str() == "redis-cli") { "a" } else { "p" };
        for caps in attached.captures_iter(line.text) {
            if caps.name("gap").is_some() != want_gap || caps.name("flag").map(|f| f.as_str()) != Some(flag) {
                continue;
            }
            if let Some(v) = caps.name("value") {
                let mut range = line.start + v.start()..line.start + v.end();
                if v.as_str().starts_with(['\'', '"']) {
                    range = range.start + 1..range.end - 1;
                }
                if !is_code(&text[range.clone()]) {
                    spans.push((range, "command-line secret"));
                }
            }
        }
    }
    // .netrc: `machine host login user password secret`, on one line or several.
    let netrc = regex(&NETRC, r"(?m)(?:^|[ \t])(?:password|passwd)[ \t]+(?P<value>\S+)");
    if text.contains("machine") || text.contains("login") {
        for caps in netrc.captures_iter(text) {
            if let Some(v) = caps.name("value") {
                let line_start = text[..v.start()].rfind('\n').map_or(0, |i| i + 1);
                let line = strip_gutter(&text[line_start..v.start()]);
                let netrc_line = line.trim_start().starts_with("password") || line.contains("login ");
                if netrc_line && !is_harmless(v.as_str()) && !is_code(v.as_str()) {
                    spans.push((v.range(), "command-line secret"));
                }
            }
        }
    }
    let user = regex(&USER, r#"(?:^|[\s'"])(?:-u|--user|-U)(?:=|[ \t]+)['"]?[^\s:'"]+:(?P<pass>[^\s'"]+)"#);
    for caps in user.captures_iter(text) {
        if let Some(pass) = caps.name("pass") {
            if !is_harmless(pass.as_str()) && !is_code(pass.as_str()) {
                spans.push((pass.range(), "command-line secret"));
            }
        }
    }
    let auth = regex(
        &AUTH,
        r#"(?i)\b(?:proxy-)?authorization\b["']?[ \t]*[:=][ \t]*["']?(?:basic|bearer|token|digest|apikey)[ \t]+(?P<cred>[A-Za-z0-9+/=._~\-]{6,})"#,
    );
    for caps in auth.captures_iter(text) {
        if let Some(cred) = caps.name("cred") {
            if !is_harmless(cred.as_str()) {
                spans.push((cred.range(), "authorization header"));
            }
        }
    }
}

/// A line of the text and where it starts.
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    start: usize,
    text: &'t str,
}

/// The text's lines, each without the line-number gutter a prompt may add
/// (`12 | code`, as reviews number the code they send), so structure is read
/// from the code itself.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let content = raw.trim_end_matches(['\n', '\r']);
        let gutter = content.len() - strip_gutter(content).len();
        let line = Line { start: start + gutter, text: &content[gutter..] };
        start += raw.len();
        line
    })
}

/// `line` without a leading `   12 | `.
fn strip_gutter(line: &str) -> &str {
    let digits = line.trim_start_matches(' ');
    let number = digits.len() - digits.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    match digits[number..].strip_prefix(" | ").or_else(|| digits[number..].strip_prefix(" |")) {
        Some(rest) if (1..=7).contains(&number) => rest,
        _ => line,
    }
}

/// A value found after a key: its bytes in the text, and whether it was quoted.
#[derive(Debug, Clone)]
struct Value {
    range: Range<usize>,
    quoted: bool,
    /// A template literal or f-string with interpolations: code, not a literal.
    interpolated: bool,
}

impl Value {
    fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }
}

/// The value starting at `at` (after a separator): a quoted string (to its
/// closing quote, escapes honoured; triple quotes may span lines) or a bare
/// run to the end of the word.
fn value_at(text: &str, at: usize) -> Option<Value> {
    let rest = &text[at..];
    let prefix = rest
        .bytes()
        .take_while(|b| matches!(b, b'r' | b'b' | b'f' | b'u' | b'R' | b'B' | b'F' | b'U'))
        .count();
    let after_prefix = &rest[prefix..];
    let quote = after_prefix.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let formatted = rest[..prefix].contains(['f', 'F']) || quote == '`';
    let open = at + prefix + 1;
    for triple in ["\"\"\"", "'''"] {
        if after_prefix.starts_with(triple) {
            let body = open + 2;
            let close = text[body..].find(triple).map_or(text.len(), |i| body + i);
            return Some(Value { range: body..close, quoted: true, interpolated: formatted });
        }
    }
    let mut escaped = false;
    let mut line_end = text.len();
    for (i, c) in text[open..].char_indices() {
        if c == '\n' {
            line_end = open + i;
            break;
        }
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            let range = open..open + i;
            let interpolated = formatted && (text[range.clone()].contains('{'));
            return Some(Value { range, quoted: true, interpolated });
        }
    }
    // No closing quote on the line: the value runs to its end.
    let line_end =
        if line_end > 0 && text.as_bytes()[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
    Some(Value { range: open..line_end.max(open), quoted: true, interpolated: false })
}

/// A bare value: up to white space or a delimiter.
fn bare_at(text: &str, at: usize, stops: &[char]) -> Option<Value> {
    let rest = &text[at..];
    let len = rest.find(|c: char| c.is_whitespace() || stops.contains(&c)).unwrap_or(rest.len());
    (len > 0).then(|| Value { range: at..at + len, quoted: false, interpolated: false })
}

fn push_value(text: &str, value: &Value, kind: &'static str, spans: &mut Vec<Span>) {
    let v = value.text(text);
    if value.interpolated || is_harmless(v) || (value.quoted && v.trim().len() < 4) {
        return;
    }
    spans.push((value.range.clone(), kind));
}

/// Key/value pairs in every common syntax, and the lines that continue them.
fn pairs(text: &str, spans: &mut Vec<Span>) {
    static PAIR: OnceLock<Regex> = OnceLock::new();
    // A key (bare, `$php`, `@ruby`, `:symbol`, or quoted) and a separator.
    let pair = regex(
        &PAIR,
        r#"(?:"(?P<k1>[^"\n]{1,80})"|'(?P<k2>[^'\n]{1,80})'|(?P<k3>[$:@]?[A-Za-z_][A-Za-z0-9_.\-]{0,80}))[ \t]*(?P<sep>=>|:=|==|=|:|,|\()[ \t]*"#,
    );
    let all: Vec<Line<'_>> = lines(text).collect();
    // A name such as `DB_PASSWORD` whose value follows under a `value` key
    // (Kubernetes `env`, XML `<add key=... value=...>`), and for how many lines.
    let mut pending_value: usize = 0;
    let mut skip_until = 0;
    for (index, line) in all.iter().enumerate() {
        if line.start < skip_until {
            continue;
        }
        pending_value = pending_value.saturating_sub(1);
        let mut search = 0;
        let mut scan = LineScan::new(line.text);
        while let Some(caps) = pair.captures_at(line.text, search) {
            let (Some(whole), Some(sep)) = (caps.get(0), caps.name("sep")) else { break };
            search = whole.end().max(search + 1);
            let key = caps.name("k1").or_else(|| caps.name("k2")).or_else(|| caps.name("k3"));
            let Some(key) = key else { continue };
            let quoted_key = caps.name("k3").is_none();
            let sep = sep.as_str();
            let after = line.start + whole.end();
            let next = text[after..].chars().next();
            if sep == ":" && matches!(next, Some(':' | '/' | '\\')) {
                continue; // `a::b`, `http://`, `C:\`
            }
            if key.start() > 0 && !quoted_key {
                let before = line.text[..key.start()].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
            }
            let context = scan.context_at(if quoted_key { key.start() - 1 } else { key.start() });
            let name = key.as_str();
            let is_value_key = name.trim_start_matches(['$', '@', ':']).eq_ignore_ascii_case("value");
            let secret_name = holds_secret(name) || (is_value_key && pending_value > 0);
            if !secret_name {
                // `name: DB_PASSWORD` / `key="Password"`: the value comes under `value`.
                let names_a_secret =
                    matches!(name.to_ascii_lowercase().as_str(), "name" | "key" | "env" | "variable")
                        && value_at(text, after)
                            .or_else(|| bare_at(text, after, &[',', ';', '}', ']', ')']))
                            .is_some_and(|v| holds_secret(v.text(text)));
                if names_a_secret {
                    pending_value = 4;
                }
                continue;
            }
            match sep {
                "," if !(quoted_key && line.text[..key.start() - 1].trim_end().ends_with('(')) => continue,
                "(" if quoted_key || !is_setter(name) => continue,
                _ => {}
            }
            if let Some(value) = value_at(text, after) {
                if value.range.end > line.start + line.text.len() {
                    skip_until = value.range.end; // a triple-quoted block
                }
                push_value(text, &value, "secret-named value", spans);
                continue;
            }
            if matches!(sep, "," | "(") {
                continue;
            }
            let rest = line.text[whole.end()..].trim();
            if rest.is_empty() || matches!(rest, "|" | "|-" | "|+" | ">" | ">-" | ">+") {
                if sep == ":"
                    && starts_line(line.text, if quoted_key { key.start() - 1 } else { key.start() })
                {
                    // YAML: the value is the block of deeper-indented lines below.
                    let block = &all[index + 1..index + 1 + continuation(&all, index)];
                    // A nested mapping or list is structure, read pair by pair; only a
                    // scalar (`|`, `>` or plain lines) is the value itself.
                    let first = block.iter().map(|l| l.text.trim()).find(|t| !t.is_empty()).unwrap_or("");
                    let nested = rest.is_empty() && (first.starts_with("- ") || is_mapping_line(first));
                    for l in block.iter().filter(|_| !nested) {
                        let trimmed = l.text.trim();
                        if !trimmed.is_empty() && !is_harmless(trimmed) && !is_code(trimmed) {
                            let lead = l.text.len() - l.text.trim_start().len();
                            spans
                                .push((l.start + lead..l.start + lead + trimmed.len(), "secret-named value"));
                        }
                    }
                }
                continue;
            }
            let stops: &[char] = match context {
                Context::String(q) => &[q, ';', '&', ','],
                _ => &[',', ';'],
            };
            // Markdown: `- **Password:** value`.
            let emphasis = text[after..].len()
                - text[after..].trim_start_matches(['*', '_']).trim_start_matches([' ', '\t']).len();
            let Some(value) = bare_at(text, after + emphasis, stops) else { continue };
            let v = value.text(text);
            let accept = match context {
                Context::String(_) => !is_code(v),
                Context::Comment => looks_like_password(v),
                // `PGPASSWORD=x psql ...`, `docker run -e DB_PASSWORD=x`: a shell
                // environment assignment wherever it sits on the line.
                Context::Code
                    if sep == "=" && is_env_name(name) && !line.text[..whole.end()].ends_with(' ') =>
                {
                    !is_code(v)
                }
                // `password=abc123` mid-line (a command's argument, a query): a
                // literal when it reads like a password rather than a variable.
                Context::Code
                    if sep == "=" && !line.text[..whole.end()].ends_with(' ') && looks_like_password(v) =>
                {
                    !is_code(v)
                }
                Context::Code => {
                    let tail = text[value.range.end..line.start + line.text.len()].trim();
                    let ends_line = tail.is_empty()
                        || matches!(tail, "," | ";")
                        || tail.starts_with(" #")
                        || tail.starts_with('#')
                        || tail.starts_with("//");
                    let spaced = line.text[..whole.end()].ends_with(' ');
                    ends_line
                        && starts_line(line.text, if quoted_key { key.start() - 1 } else { key.start() })
                        && !is_code(v)
                        && !is_type_name(v)
                        // `password = pw` in code is a variable; `PASS=hunter` in a .env is not.
                        && !(spaced && sep != ":" && is_plain_identifier(v) && !looks_like_password(v))
                }
            };
            if accept {
                push_value(text, &value, "secret-named value", spans);
            }
        }
    }
}

/// `key: value` or `key:` as YAML writes a mapping entry.
fn is_mapping_line(line: &str) -> bool {
    static ENTRY: OnceLock<Regex> = OnceLock::new();
    regex(&ENTRY, r#"^["']?[A-Za-z_][\w.\-]*["']?:(?:[ \t]|$)"#).is_match(line)
}

/// How many lines below `index` are indented deeper than it.
fn continuation(lines: &[Line<'_>], index: usize) -> usize {
    let indent = |l: &Line<'_>| l.text.len() - l.text.trim_start().len();
    let base = indent(&lines[index]);
    lines[index + 1..].iter().take_while(|l| l.text.trim().is_empty() || indent(l) > base).count()
}

/// `DB_PASSWORD`: upper case, digits and underscores, as environment variables are named.
fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Where a key sits on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Code,
    /// Inside a string delimited by this quote.
    String(char),
    Comment,
}

/// Reads a line once, left to right, saying for each position asked (in
/// increasing order) whether it is in code, a string or a comment: asking at
/// every key costs one pass over the line, not one per key.
struct LineScan<'l> {
    line: &'l str,
    at: usize,
    quote: Option<char>,
    escaped: bool,
    prev: char,
    comment: bool,
}

impl<'l> LineScan<'l> {
    fn new(line: &'l str) -> LineScan<'l> {
        let trimmed = line.trim_start();
        let comment =
            ["#", "//", "--", ";", "/*", "*", "<!--", "%", "rem "].iter().any(|m| trimmed.starts_with(m))
                && !trimmed.starts_with("#!")
                && !trimmed.starts_with("#define")
                && !trimmed.starts_with("#include");
        LineScan { line, at: 0, quote: None, escaped: false, prev: ' ', comment }
    }

    /// The context at byte `to` (not before the last position asked).
    fn context_at(&mut self, to: usize) -> Context {
        while !self.comment && self.at < to.min(self.line.len()) {
            let Some(c) = self.line[self.at..].chars().next() else { break };
            match self.quote {
                Some(q) => {
                    if self.escaped {
                        self.escaped = false;
                    } else if c == '\\' {
                        self.escaped = true;
                    } else if c == q {
                        self.quote = None;
                    }
                }
                None => {
                    if matches!(c, '"' | '\'' | '`') && !(c == '\'' && self.prev.is_alphanumeric()) {
                        self.quote = Some(c);
                    } else if c == '#' && (self.prev.is_whitespace() || self.at == 0)
                        || (c == '/' && self.prev == '/')
                    {
                        self.comment = true;
                    }
                }
            }
            self.prev = c;
            self.at += c.len_utf8();
        }
        if self.comment {
            Context::Comment
        } else {
            self.quote.map_or(Context::Code, Context::String)
        }
    }
}

/// Whether the key at `at` is the first thing on its line (after indentation,
/// a YAML list dash, `export`, `set`, Dockerfile `ENV`).
fn starts_line(line: &str, at: usize) -> bool {
    let mut head = line[..at].trim_start();
    for prefix in ["- ", "export ", "set ", "ENV ", "ARG ", "setenv ", "local ", "readonly ", "declare "] {
        head = head.strip_prefix(prefix).map_or(head, str::trim_start);
    }
    let head = head.trim_matches(['*', '_', '-', ' ', '\t', '>']);
    head.is_empty()
}

/// `setPassword("...")`, `with_token("...")`, `.password("...")`.
fn is_setter(name: &str) -> bool {
    let words = words(name);
    let first = words.first().map(String::as_str);
    matches!(first, Some("set" | "with")) || words.len() == 1
}

/// `<password>s3cr3t</password>`.
fn xml_elements(text: &str, spans: &mut Vec<Span>) {
    static ELEMENT: OnceLock<Regex> = OnceLock::new();
    let element = regex(
        &ELEMENT,
        r"<(?P<open>[A-Za-z_][\w:.\-]*)>(?P<value>[^<\n]{3,512})</(?P<close>[A-Za-z_][\w:.\-]*)>",
    );
    for caps in element.captures_iter(text) {
        let (Some(open), Some(close), Some(value)) =
            (caps.name("open"), caps.name("close"), caps.name("value"))
        else {
            continue;
        };
        if open.as_str() == close.as_str()
            && holds_secret(open.as_str())
            && !is_harmless(value.as_str().trim())
        {
            spans.push((value.range(), "secret-named value"));
        }
    }
}

/// "the admin password is hunter2!" in a comment, a commit message or a chat.
fn prose(text: &str, spans: &mut Vec<Span>) {
    static SAID: OnceLock<Regex> = OnceLock::new();
    let said = regex(
        &SAID,
        r#"(?i)\b(?:password|passphrase|passwd|passcode|pin|api[ _-]?key|token|secret)(?:[ \t]+(?:for|on|of|to|in|at)(?:[ \t]+[\w.\-]+){1,3})?[ \t]+(?:is|was|=|:|->)[ \t]*[:=]?[ \t]*["'`]?(?P<value>[^\s"'`]{6,})"#,
    );
    for caps in said.captures_iter(text) {
        let Some(value) = caps.name("value") else { continue };
        let v = value.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
        if looks_like_password(v) && !is_code(v) {
            spans.push((value.start()..value.start() + v.len(), "secret in prose"));
        }
    }
}

/// `.pgpass`: `host:port:database:user:password`.
fn pgpass(text: &str, spans: &mut Vec<Span>) {
    static LINE: OnceLock<Regex> = OnceLock::new();
    let line =
        regex(&LINE, r"(?m)^(?: *\d{1,7} \| )?[^:\s#]+:(?:\d{1,5}|\*):[^:\s]+:[^:\s]+:(?P<value>\S+)$");
    for caps in line.captures_iter(text) {
        if let Some(v) = caps.name("value").filter(|v| !is_harmless(v.as_str())) {
            spans.push((v.range(), "secret-named value"));
        }
    }
}

/// base64 of `user:password` (HTTP Basic, Docker's `config.json`).
fn base64_credentials(text: &str, spans: &mut Vec<Span>) {
    static B64: OnceLock<Regex> = OnceLock::new();
    for m in regex(&B64, r"[A-Za-z0-9+/]{8,}={0,2}").find_iter(text) {
        let token = m.as_str();
        if token.len() % 4 != 0 || token.len() > 1024 {
            continue;
        }
        let Some(decoded) = decode_base64(token) else { continue };
        let printable = decoded.iter().all(|b| b.is_ascii_graphic());
        let Some(colon) = decoded.iter().position(|&b| b == b':') else { continue };
        if printable && colon > 0 && colon + 1 < decoded.len() {
            spans.push((m.range(), "base64 credentials"));
        }
    }
}

fn decode_base64(token: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = token
        .trim_end_matches('=')
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' => Some(b - b'A'),
            b'a'..=b'z' => Some(b - b'a' + 26),
            b'0'..=b'9' => Some(b - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len().saturating_sub(1)]);
    }
    Some(out)
}

/// Long random-looking tokens whatever their name; identifiers made of words are not.
fn random_tokens(text: &str, spans: &mut Vec<Span>) {
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    for m in regex(&TOKEN, r"[A-Za-z0-9+/_\-]{24,}={0,2}").find_iter(text) {
        let token = m.as_str();
        let has_digit = token.bytes().any(|b| b.is_ascii_digit());
        let has_alpha = token.bytes().any(|b| b.is_ascii_alphabetic());
        // `tmpnK1cfB/c17/application`: a path with a word in it, or one that
        // continues a path on its left (`/tmp/.tmpnK1cfB/c35/id_ed25519`) and
        // ends in a short name, not a key.
        let before = text[..m.start()].chars().next_back();
        let last = token.rsplit('/').next().map_or(0, str::len);
        let path = token.contains('/')
            && last < 24
            && (token.split('/').any(|segment| segment.len() >= 4 && is_wordy(segment))
                || matches!(before, Some('.' | '/')));
        if has_digit
            && has_alpha
            && secrets::entropy(token) >= 4.2
            && !token.contains("__")
            && !is_wordy(token)
            && !path
        {
            spans.push((m.range(), "high-entropy string"));
        }
    }
}

/// The words of a name: `DB_PASSWORD` → db, password; `apiKey` → api, key;
/// `APIToken` → api, token.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let boundary = i > 0
                && c.is_ascii_uppercase()
                && (chars[i - 1].is_ascii_lowercase()
                    || chars[i - 1].is_ascii_digit()
                    || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
                        && chars[i - 1].is_ascii_uppercase());
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// Whether a name holds a credential: `password`, `DB_PASS`, `apiKey`,
/// `client_secret`, `auth`, but not `PASSWORD_POLICY`, `token_url`, `show_password`.
pub(super) fn holds_secret(name: &str) -> bool {
    let words = words(name.trim_matches(['$', '@', ':', '"', '\'']));
    let Some(last) = words.last() else { return false };
    const HOLDING: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "pass",
        "passphrase",
        "passcode",
        "secret",
        "secrets",
        "token",
        "apikey",
        "credential",
        "credentials",
        "privatekey",
        "secretkey",
        "accesskey",
        "pat",
        "sas",
        "dsn",
    ];
    const KEYS: &[&str] = &[
        "api",
        "access",
        "private",
        "secret",
        "signing",
        "encryption",
        "master",
        "account",
        "shared",
        "client",
        "app",
        "consumer",
        "storage",
        "license",
        "webhook",
        "subscription",
        "service",
    ];
    const ABOUT: &[&str] = &[
        "name",
        "names",
        "header",
        "url",
        "uri",
        "path",
        "file",
        "filename",
        "dir",
        "prompt",
        "hint",
        "label",
        "field",
        "type",
        "env",
        "var",
        "variable",
        "endpoint",
        "length",
        "len",
        "size",
        "policy",
        "strategy",
        "rotation",
        "expiry",
        "expires",
        "expiration",
        "ttl",
        "timeout",
        "lifetime",
        "age",
        "count",
        "min",
        "max",
        "pattern",
        "regex",
        "format",
        "mode",
        "kind",
        "style",
        "class",
        "enabled",
        "required",
        "valid",
        "reset",
        "changed",
        "prefix",
        "suffix",
        "id",
        "ids",
        "scope",
        "scopes",
        "source",
        "provider",
        "location",
        "store",
        "manager",
        "service",
        "handler",
        "validator",
        "generator",
        "input",
        "widget",
        "form",
        "error",
        "message",
        "msg",
        "text",
        "title",
        "description",
        "placeholder",
        "visible",
        "hidden",
        "rules",
        "rule",
        "limit",
        "attempts",
        "retries",
        "column",
        "table",
        "key",
    ];
    const NOT_FIRST: &[&str] = &[
        "show", "hide", "is", "has", "use", "enable", "disable", "allow", "require", "min", "max", "num",
        "forgot", "reset", "validate", "check", "verify", "hash", "generate", "new", "get", "read", "load",
    ];
    let holds = |i: usize, w: &str| {
        HOLDING.contains(&w)
            || (w == "key" && i > 0 && KEYS.contains(&words[i - 1].as_str()))
            || (w == "auth" && i + 1 == words.len())
            || [
                "password",
                "passwd",
                "apikey",
                "secretkey",
                "privatekey",
                "accesskey",
                "accesstoken",
                "authtoken",
            ]
            .iter()
            .any(|k| w.contains(k))
    };
    let first = words[0].as_str();
    let holding_last = holds(words.len() - 1, last);
    let holding_any = words.iter().enumerate().any(|(i, w)| holds(i, w));
    holding_any
        && (holding_last || !ABOUT.contains(&last.as_str()))
        && !(words.len() > 1 && NOT_FIRST.contains(&first))
}

/// A literal that hides nothing: a placeholder, a reference to the real
/// value (`${DB_PASSWORD}`, `%(pw)s`, `{{ .Values.x }}`), a boolean or null.
fn is_harmless(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.len() < 3
        || matches!(
            lower.as_str(),
            "true" | "false" | "null" | "none" | "nil" | "undefined" | "yes" | "no" | "on" | "off"
        )
        || holds_secret(&lower) && words(&lower).len() == 1
        || [
            "xxx",
            "changeme",
            "change_me",
            "change-me",
            "example",
            "dummy",
            "placeholder",
            "your_",
            "your-",
            "yourpassword",
            "<",
            "${",
            "{{",
            "%(",
            "%s",
            "***",
            "redacted",
            "…",
            "...",
            "todo",
            "fixme",
        ]
        .iter()
        .any(|p| lower.contains(p))
        || v.starts_with('$')
        || v.starts_with('%') && v.ends_with('%')
        || v.chars().all(|c| c == v.chars().next().unwrap_or(' '))
}

/// An expression rather than a literal: a call, an index, a member chain, a
/// variable reference.
fn is_code(value: &str) -> bool {
    let v = value.trim();
    v.contains('(')
        || v.contains('[')
        || v.starts_with('$')
        || v.starts_with('@')
        || v.starts_with('&')
        || v.starts_with('*')
        || v.starts_with('!')
        || v.starts_with('{')
        || v.starts_with("self.")
        || v.starts_with("this.")
        || v.starts_with("process.env")
        || v.starts_with("os.")
        || v.starts_with("ENV")
        || is_member_chain(v)
}

/// `config.db.password`, `settings.SECRET`: identifiers joined by dots.
fn is_member_chain(v: &str) -> bool {
    v.contains('.') && v.split('.').all(is_plain_identifier)
}

fn is_plain_identifier(v: &str) -> bool {
    let mut chars = v.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A type in an annotation (`password: str`, `token: String`).
fn is_type_name(v: &str) -> bool {
    matches!(
        v.trim_end_matches(['?', ',', ';']),
        "str"
            | "string"
            | "String"
            | "&str"
            | "bytes"
            | "int"
            | "number"
            | "bool"
            | "boolean"
            | "any"
            | "Any"
            | "SecretStr"
            | "Secret"
            | "SecretString"
            | "char"
            | "object"
            | "Optional"
            | "Option"
            | "text"
    ) || v.starts_with("Option<")
        || v.starts_with("Optional[")
}

/// Letters and digits or symbols, not a plain word: `hunter2!`, `Tr0ub4dor`.
fn looks_like_password(v: &str) -> bool {
    let letters = v.chars().any(|c| c.is_alphabetic());
    let others = v.chars().any(|c| c.is_ascii_digit() || (c.is_ascii_punctuation() && c != '.' && c != '_'));
    // `hunter2` and `Summer2024!` are passwords; `validate_input2` is a name.
    let name_of_words = words(v).len() >= 2 && is_plain_identifier(v) && is_wordy(v);
    v.len() >= 6 && letters && others && !is_harmless(v) && !is_member_chain(v) && !name_of_words
}

/// Whether a token reads as words (`test_handles_unicode_names_v2`,
/// `refresh_token_rotation`, `getUserAccountSettings`): most of its letters are
/// in runs of three or more that carry a vowel.
fn is_wordy(token: &str) -> bool {
    let mut letters = 0usize;
    let mut in_words = 0usize;
    let mut vowels = 0usize;
    for word in words(token) {
        let alpha = word.trim_end_matches(|c: char| c.is_ascii_digit());
        letters += word.chars().filter(char::is_ascii_alphabetic).count();
        let word_vowels = alpha.chars().filter(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')).count();
        // `tenant2` is a word with a number; `c39` and `jcp` are not words.
        if alpha.len() >= 3 && alpha.chars().all(|c| c.is_ascii_alphabetic()) && word_vowels > 0 {
            in_words += alpha.len();
            vowels += word_vowels;
        }
    }
    // Words are about 40% vowels, random letters about 23% (y counted).
    letters > 0 && in_words * 10 >= letters * 7 && vowels * 10 >= in_words * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_hold_a_secret_and_names_about_one() {
        for name in [
            "password",
            "DB_PASS",
            "apiKey",
            "client_secret",
            "auth",
            "$db_password",
            ":password",
            "AccountKey",
            "X-Api-Key",
            "jwtSecret",
            "SECRET_KEY",
        ] {
            assert!(holds_secret(name), "{name}");
        }
        for name in [
            "PASSWORD_POLICY",
            "TOKEN_STRATEGY",
            "token_url",
            "show_password",
            "bypass",
            "author",
            "key",
            "password_min_length",
            "secretary_name",
            "monkey",
        ] {
            assert!(!holds_secret(name), "{name}");
        }
    }

    #[test]
    fn identifiers_are_wordy_and_keys_are_not() {
        assert!(is_wordy("test_handles_unicode_normalization_in_user_names_v2_ok"));
        assert!(is_wordy("refresh_token_rotation"));
        assert!(!is_wordy("Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i"));
    }

    #[test]
    fn word_passwords_are_passwords_and_word_names_are_not() {
        assert!(looks_like_password("hunter2") && looks_like_password("Summer2024!"));
        assert!(!looks_like_password("validate_input2") && !looks_like_password("config.db.password"));
        let found = find("# the admin password is hunter2\nrun(password=pw)\n");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn paths_with_random_directory_names_stay() {
        let text = "see /tmp/.tmpnK1cfB/c17/application.properties, /tmp/.tmpX9kQ2m/c35/id_ed25519 \
                    and /tmp/tmpX9kQ2mZp7R/c3/deployment.yaml";
        assert!(find(text).is_empty(), "{:?}", find(text));
        assert_eq!(find("blob = Dq8sT3jN0vYbW5kLmR2x/Z7cF4hG9aE1uPo6i").len(), 1);
        assert_eq!(find("GET https://api.example.com/v1/keys/Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i").len(), 1);
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("dXNlcjpwYXNz").as_deref(), Some(&b"user:pass"[..]));
    }
}
