//! Secret redaction for outbound prompts: `find` says where the secrets are
//! (known key formats, values of secret-named keys in any syntax, credentials
//! inside URLs, flags and headers, long random tokens); this module replaces
//! them. A false positive costs the model a little context, a false negative
//! leaks a key, but identifiers and code are never redacted: the model needs
//! them and they hide nothing.
//!
//! Each secret becomes a numbered placeholder; the same secret always gets the
//! same placeholder, and [`Redaction::restore`] puts originals back where the
//! model repeats a placeholder verbatim.

mod find;

use std::collections::BTreeMap;

/// A redacted text and how to undo it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    /// The text with every secret replaced.
    pub text: String,
    /// Placeholder → (original, kind).
    replacements: Vec<(String, String, &'static str)>,
}

impl Redaction {
    /// How many secrets were replaced.
    pub fn count(&self) -> usize {
        self.replacements.len()
    }

    /// Kind → count, for the audit log.
    pub fn kinds(&self) -> BTreeMap<&'static str, usize> {
        let mut kinds = BTreeMap::new();
        for (_, _, kind) in &self.replacements {
            *kinds.entry(*kind).or_default() += 1;
        }
        kinds
    }

    /// `answer` with each placeholder the model echoed verbatim replaced by
    /// its original: one pass, whatever the number of secrets.
    pub fn restore(&self, answer: &str) -> String {
        if self.replacements.is_empty() {
            return answer.to_string();
        }
        let mut out = String::with_capacity(answer.len());
        let mut rest = answer;
        while let Some(at) = rest.find(PLACEHOLDER_PREFIX) {
            out.push_str(&rest[..at]);
            let after = &rest[at + PLACEHOLDER_PREFIX.len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let original = after[digits..]
                .starts_with(']')
                .then(|| after[..digits].parse::<usize>().ok())
                .flatten()
                .and_then(|n| self.replacements.get(n.wrapping_sub(1)))
                .map(|(_, original, _)| original);
            match original {
                Some(original) => {
                    out.push_str(original);
                    rest = &after[digits + 1..];
                }
                None => {
                    out.push_str(PLACEHOLDER_PREFIX);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Restores placeholders in an answer that arrives in pieces: a piece that
/// ends inside a placeholder (`[REDACTED_SEC`) is held back until the rest
/// arrives, so streamed output shows what the final answer shows.
#[derive(Debug)]
pub struct Restorer<'r> {
    redaction: &'r Redaction,
    pending: String,
}

const PLACEHOLDER_PREFIX: &str = "[REDACTED_SECRET_";

impl<'r> Restorer<'r> {
    /// A restorer for answers to the request `redaction` produced.
    pub fn new(redaction: &'r Redaction) -> Restorer<'r> {
        Restorer { redaction, pending: String::new() }
    }

    /// The restored text that `piece` completes; may be empty.
    pub fn push(&mut self, piece: &str) -> String {
        if self.redaction.replacements.is_empty() {
            return piece.to_string();
        }
        self.pending.push_str(piece);
        let hold = self.pending.rfind('[').filter(|&i| {
            let tail = &self.pending[i..];
            if tail.len() <= PLACEHOLDER_PREFIX.len() {
                PLACEHOLDER_PREFIX.starts_with(tail)
            } else {
                tail.starts_with(PLACEHOLDER_PREFIX)
                    && tail[PLACEHOLDER_PREFIX.len()..].bytes().all(|b| b.is_ascii_digit())
            }
        });
        let ready = match hold {
            Some(i) => {
                let rest = self.pending.split_off(i);
                std::mem::replace(&mut self.pending, rest)
            }
            None => std::mem::take(&mut self.pending),
        };
        self.redaction.restore(&ready)
    }

    /// Whatever was held back, at the end of the answer.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        self.redaction.restore(&rest)
    }
}

/// Redacts several texts (a chat's messages) with one numbering, so a secret
/// repeated across messages keeps one placeholder.
#[derive(Debug, Default)]
pub struct Redactor {
    replacements: Vec<(String, String, &'static str)>,
    /// Original → index in `replacements`.
    seen: std::collections::HashMap<String, usize>,
}

impl Redactor {
    /// A redactor with no secrets seen yet.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// `text` with its secrets replaced.
    pub fn redact(&mut self, text: &str) -> String {
        let mut spans = find::find(text);
        spans.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, kind) in spans {
            if range.start < at {
                continue; // inside a span already replaced
            }
            out.push_str(&text[at..range.start]);
            out.push_str(&self.placeholder(&text[range.clone()], kind));
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }

    fn placeholder(&mut self, secret: &str, kind: &'static str) -> String {
        if let Some(&i) = self.seen.get(secret) {
            return self.replacements[i].0.clone();
        }
        // Numbered from 1; `restore` finds the original by this number.
        let placeholder = format!("{PLACEHOLDER_PREFIX}{}]", self.replacements.len() + 1);
        self.seen.insert(secret.to_string(), self.replacements.len());
        self.replacements.push((placeholder.clone(), secret.to_string(), kind));
        placeholder
    }

    /// Everything replaced so far, with `text` as the redacted result.
    pub fn finish(self, text: String) -> Redaction {
        Redaction { text, replacements: self.replacements }
    }
}

/// `text` redacted on its own.
pub fn redact(text: &str) -> Redaction {
    let mut redactor = Redactor::new();
    let out = redactor.redact(text);
    redactor.finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real formats (test values, none live), one per line.
    pub(crate) const CORPUS: &[(&str, &str)] = &[
        ("aws", "AKIAIOSFODNN7EXAMPLQ"),
        ("github", "ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i"),
        ("github-fine", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV12"),
        ("gitlab", "glpat-x7Yq2Lm9Np4Rs8Tv1Wz3"),
        ("slack", "xoxb-2048123456-4096123456789-AbCdEfGhIjKlMnOpQrStUvWx"),
        ("stripe", "sk_live_51H8xYzAbCdEfGh12345678"),
        ("google", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"),
        (
            "jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        ),
    ];

    const PRIVATE_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yL3DGRj1V6Kc8mIeR4b8d1HBqTmPz4Xrs3ZvGAs0nwkJ4N6yZ7FR\n-----END RSA PRIVATE KEY-----";

    const DOTENV: &str = "DATABASE_PASSWORD=hunter2hunter2\nSTRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc\nDEBUG=true\nPORT=8080\n";

    #[test]
    fn every_corpus_secret_is_replaced() {
        for (name, secret) in CORPUS {
            let text = format!("config = {{\n    key: \"{secret}\",\n}}\n");
            let r = redact(&text);
            assert!(!r.text.contains(secret), "{name} leaked: {}", r.text);
            assert_eq!(r.count(), 1, "{name}: {:?}", r.kinds());
        }
    }

    #[test]
    fn a_private_key_block_is_replaced_whole() {
        let r = redact(&format!("key = '''{PRIVATE_KEY}'''"));
        assert!(!r.text.contains("MIIEow"), "{}", r.text);
        assert!(!r.text.contains("aFDrBz9v"), "{}", r.text);
        assert!(!r.text.contains("END RSA"), "{}", r.text);
    }

    #[test]
    fn dotenv_secrets_go_and_ordinary_settings_stay() {
        let r = redact(DOTENV);
        assert!(!r.text.contains("hunter2hunter2"), "{}", r.text);
        assert!(!r.text.contains("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), "{}", r.text);
        assert!(r.text.contains("DEBUG=true") && r.text.contains("PORT=8080"), "{}", r.text);
    }

    #[test]
    fn ordinary_code_is_left_alone() {
        let code = "def password_ok(password):\n    token = os.environ[\"TOKEN\"]\n    return len(password) > 8\n\nx = compute_total(items)\n";
        let r = redact(code);
        assert_eq!(r.text, code);
        assert_eq!(r.count(), 0);
    }

    #[test]
    fn a_placeholder_split_across_pieces_is_restored_once_whole() {
        let r = redact("token = \"ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i\"");
        let mut restorer = Restorer::new(&r);
        let mut out = String::new();
        for piece in ["use [REDAC", "TED_SECRET_", "1", "] now; [x] and [", "REDACTED_SECRET_1]"] {
            out.push_str(&restorer.push(piece));
        }
        out.push_str(&restorer.finish());
        let secret = "ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i";
        assert_eq!(out, format!("use {secret} now; [x] and {secret}"));
    }

    #[test]
    fn placeholders_are_stable_and_restored_only_verbatim() {
        let mut redactor = Redactor::new();
        let a = redactor.redact("token = \"ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i\"");
        let b = redactor.redact("again ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i");
        let r = redactor.finish(format!("{a}\n{b}"));
        assert_eq!(r.count(), 1);
        assert_eq!(r.text.matches("[REDACTED_SECRET_1]").count(), 2);
        let answer = "use [REDACTED_SECRET_1] here, not [REDACTED_SECRET_9]";
        assert_eq!(
            r.restore(answer),
            "use ghp_Dq8sT3jN0vYbW5kLmR2xZ7cF4hG9aE1uPo6i here, not [REDACTED_SECRET_9]"
        );
    }
}
