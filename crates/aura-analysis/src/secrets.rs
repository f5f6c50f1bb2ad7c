//! Secret detection shared by the AUR301 rule and, later, outbound-prompt
//! redaction: known credential formats anywhere in a text, plus a Shannon
//! entropy measure for random-looking values bound to secret-like names.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// A credential found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// What kind of credential it looks like ("AWS access key ID", ...).
    pub kind: &'static str,
    /// Its bytes in the scanned text.
    pub range: Range<usize>,
}

const FORMATS: &[(&str, &str)] = &[
    ("AWS access key ID", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("GitHub fine-grained token", r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b"),
    ("GitLab token", r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    ("Slack webhook", r"https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+"),
    ("Stripe key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"),
    ("Google API key", r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("private key", r"-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    ("SendGrid key", r"\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}\b"),
    ("OpenAI key", r"\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{32,}|[A-Za-z0-9]{32,})"),
    ("Anthropic key", r"\bsk-ant-[A-Za-z0-9_\-]{32,}"),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("PyPI token", r"\bpypi-AgE[A-Za-z0-9_\-]{50,}"),
    ("Hugging Face token", r"\bhf_[A-Za-z]{34}\b"),
    ("JSON Web Token", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
];

fn compiled() -> &'static [(&'static str, Regex)] {
    static CELL: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    CELL.get_or_init(|| {
        FORMATS
            .iter()
            // The patterns are constants covered by tests.
            .filter_map(|(kind, pattern)| Regex::new(pattern).ok().map(|re| (*kind, re)))
            .collect()
    })
}

/// One pattern matching any known format, so most texts cost one search.
fn any_format() -> Option<&'static Regex> {
    static CELL: OnceLock<Option<Regex>> = OnceLock::new();
    CELL.get_or_init(|| {
        let alternation = FORMATS.iter().map(|(_, p)| format!("(?:{p})")).collect::<Vec<_>>().join("|");
        Regex::new(&alternation).ok()
    })
    .as_ref()
}

/// Every credential in a known format in `text`.
pub fn scan(text: &str) -> Vec<SecretMatch> {
    let mut found = Vec::new();
    if any_format().is_some_and(|re| !re.is_match(text)) {
        return found;
    }
    for (kind, re) in compiled() {
        for m in re.find_iter(text) {
            found.push(SecretMatch { kind, range: m.range() });
        }
    }
    found.sort_by_key(|m| m.range.start);
    found
}

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / f64::from(total);
            -p * p.log2()
        })
        .sum()
}

/// Whether a name suggests it holds a credential.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "access_key",
        "private_key",
        "auth_key",
        "credential",
        "client_secret",
    ]
    .iter()
    .any(|k| lower.contains(k))
        // Names about a credential rather than holding one: `secret_name`,
        // `TOKEN_HEADER`, `password_prompt`, `token_url`.
        && ![
            "_name", "_header", "_url", "_uri", "_path", "_file", "_prompt", "_hint", "_label", "_field", "_type",
            "_env", "_var", "_endpoint", "_length", "_len",
        ]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

/// Whether `value` reads as words (`Authorization`, `prod/db/password`,
/// `session-id`): every segment between separators is a lower-case,
/// capitalised or upper-case word without digits.
fn is_wordy(value: &str) -> bool {
    value.split(['/', '_', '-', '.', ':']).all(|segment| {
        let rest = segment.get(1..).unwrap_or("");
        segment.chars().all(|c| c.is_ascii_alphabetic())
            && (rest.chars().all(|c| c.is_ascii_lowercase())
                || segment.chars().all(|c| c.is_ascii_uppercase()))
    })
}

/// Whether `value` looks like a real credential rather than a placeholder.
pub fn looks_random(value: &str) -> bool {
    if value.len() < 8 || value.contains(char::is_whitespace) || entropy(value) < 3.0 || is_wordy(value) {
        return false;
    }
    let placeholder = [
        "xxx",
        "changeme",
        "change_me",
        "example",
        "dummy",
        "placeholder",
        "your",
        "<",
        "${",
        "{{",
        "%s",
        "***",
    ]
    .iter()
    .any(|p| value.to_ascii_lowercase().contains(p));
    value.len() >= 8 && !value.contains(char::is_whitespace) && !placeholder && entropy(value) >= 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_are_found_and_prose_is_not() {
        let samples = [
            ("AWS access key ID", "AKIAIOSFODNN7EXAMPLE"),
            ("GitHub token", "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"),
            ("GitLab token", "glpat-abcdefghij0123456789"),
            ("Slack token", "xoxb-1234567890-abcdefghij"),
            ("Stripe key", "sk_live_0123456789abcdefABCD"),
            ("Google API key", "AIzaSyA0123456789abcdefghijklmnopqrstuv"),
            ("private key", "-----BEGIN RSA PRIVATE KEY-----"),
            ("SendGrid key", "SG.abcdefghij0123456789AB.abcdefghij0123456789abcdefghij0123456789ABC"),
            ("OpenAI key", "sk-proj-abcdefghij0123456789abcdefghij0123"),
            ("Anthropic key", "sk-ant-abcdefghij0123456789abcdefghij0123"),
            ("npm token", "npm_abcdefghij0123456789abcdefghij012345"),
            ("Hugging Face token", "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH"),
            ("JSON Web Token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ];
        for (kind, secret) in samples {
            let text = format!("let x = \"{secret}\";");
            let found = scan(&text);
            assert_eq!(found.len(), 1, "{kind}: {found:?}");
            assert_eq!(found[0].kind, kind);
            assert_eq!(&text[found[0].range.clone()], secret);
        }
        assert!(scan("the quick brown fox jumps over the lazy dog; AKIA is a prefix").is_empty());
    }

    #[test]
    fn entropy_separates_random_from_words() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(looks_random("f8a9Qz1LmP0xW3rT"));
        assert!(!looks_random("changeme123"));
        assert!(!looks_random("password"));
        assert!(is_secret_name("DB_PASSWORD") && is_secret_name("apiKey") && !is_secret_name("username"));
    }

    #[test]
    fn names_about_secrets_and_wordy_values_are_not_secrets() {
        assert!(
            !is_secret_name("secret_name") && !is_secret_name("TOKEN_HEADER") && !is_secret_name("token_url")
        );
        assert!(!looks_random("Authorization") && !looks_random("prod/db/password"));
        assert!(!looks_random("session-id-cookie"));
        assert!(
            looks_random("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pLmN3vT") && looks_random("Tr0ub4dor&3xK9qLm")
        );
    }
}
