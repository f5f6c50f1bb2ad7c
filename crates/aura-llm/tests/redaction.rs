//! The redactor against the generated secret corpus: every planted secret is
//! counted as leaked if any of it survives, every look-alike as a false
//! redaction if its text changes. Several seeds, so a rule that only fits
//! one draw of values fails.

#[path = "support/secret_corpus.rs"]
mod secret_corpus;

use aura_llm::redact::redact;
use secret_corpus::{leaked, look_alikes, secrets};

/// Fails listing every leak and every false redaction, if there is any.
fn assert_clean(leaks: &[String], false_redactions: &[String]) {
    assert!(
        leaks.is_empty() && false_redactions.is_empty(),
        "{} leaks:\n{}\n\n{} false redactions:\n{}",
        leaks.len(),
        leaks.join("\n---\n"),
        false_redactions.len(),
        false_redactions.join("\n---\n")
    );
}

/// The case as a code review sends it: each line behind a `N | ` gutter.
fn numbered(case: &secret_corpus::Case) -> secret_corpus::Case {
    let width = case.text.lines().count().to_string().len();
    let text = case.text.lines().enumerate().map(|(i, l)| format!("{:>width$} | {l}\n", i + 1)).collect();
    secret_corpus::Case { text, ..case.clone() }
}

#[test]
fn the_secret_corpus_leaks_nothing_and_look_alikes_stay() {
    let mut leaks = Vec::new();
    let mut false_redactions = Vec::new();
    let mut planted = 0;
    let mut formats = std::collections::BTreeSet::new();
    for seed in [1, 7, 42, 1234, 98765] {
        for case in secrets(seed).into_iter().flat_map(|c| [numbered(&c), c]) {
            let redacted = redact(&case.text);
            formats.insert(case.format);
            for secret in &case.secrets {
                planted += 1;
                if leaked(secret, &redacted.text) {
                    leaks.push(format!("{} (seed {seed}): {secret}\n{}", case.format, redacted.text));
                }
            }
        }
        for case in look_alikes(seed).into_iter().flat_map(|c| [numbered(&c), c]) {
            let redacted = redact(&case.text);
            if redacted.text != case.text {
                false_redactions.push(format!("{}: {}", case.format, redacted.text));
            }
        }
    }
    let look = look_alikes(1).len();
    eprintln!(
        "{planted} secrets in {} formats: {} leaked; {look} look-alikes x 5 seeds: {} redacted",
        formats.len(),
        leaks.len(),
        false_redactions.len()
    );
    assert!(planted >= 60 * 5 * 2 && formats.len() >= 20 && look >= 25);
    assert_clean(&leaks, &false_redactions);
}

#[path = "support/secret_corpus_holdout.rs"]
mod holdout;

/// The held-out split, scored the same way. Written after the redactor was
/// tuned on the development corpus; its first run (3 seeds) leaked 27 of 66
/// secrets (sshpass, docker login -p, redis-cli -a, inline `PGPASSWORD=`,
/// `docker run -e`, .pgpass, "password for staging is", Markdown fields,
/// SendGrid keys) and redacted 1 of 20 look-alikes (a YAML mapping under
/// `secret:`). The fixes are general rules, not these strings.
#[test]
fn the_held_out_split_leaks_nothing_and_look_alikes_stay() {
    let mut leaks = Vec::new();
    let mut planted = 0;
    for seed in [3, 11, 500] {
        for case in holdout::secrets(seed) {
            let redacted = redact(&case.text);
            for secret in &case.secrets {
                planted += 1;
                if leaked(secret, &redacted.text) {
                    leaks.push(format!("{} (seed {seed}): {}", case.format, redacted.text));
                }
            }
        }
    }
    let false_redactions: Vec<String> = holdout::look_alikes()
        .into_iter()
        .filter_map(|case| {
            let redacted = redact(&case.text);
            (redacted.text != case.text).then(|| format!("{}: {}", case.format, redacted.text))
        })
        .collect();
    eprintln!(
        "held out: {planted} secrets, {} leaked; {} look-alikes, {} redacted",
        leaks.len(),
        holdout::look_alikes().len(),
        false_redactions.len()
    );
    assert_clean(&leaks, &false_redactions);
}

mod properties {
    use aura_llm::redact::redact;
    use proptest::prelude::*;

    /// Pieces that exercise the scanner's states: keys, separators, quotes,
    /// escapes, gutters, URLs, comments, YAML blocks, long runs.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("password".to_string()),
            Just("DB_PASS".to_string()),
            Just(": ".to_string()),
            Just("=".to_string()),
            Just(" => ".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\n  ".to_string()),
            Just("  12 | ".to_string()),
            Just("# ".to_string()),
            Just("postgres://u:".to_string()),
            Just("@h/db?token=".to_string()),
            Just("--password ".to_string()),
            Just("mysql -p".to_string()),
            "[a-zA-Z0-9+/=_-]{1,40}",
            "[ -~]{1,20}",
            "\\PC{1,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the input, redaction never panics, and restoring every
        /// placeholder gives the original text back, byte for byte.
        #[test]
        fn restore_undoes_redact(pieces in proptest::collection::vec(piece(), 0..60)) {
            let text: String = pieces.concat();
            let r = redact(&text);
            prop_assume!(!text.contains("[REDACTED_SECRET_"));
            prop_assert_eq!(r.restore(&r.text), text);
        }
    }

    /// Large inputs are scanned in one pass: a 5 MB prompt of config lines
    /// and a 5 MB single line both finish (the time is in benches, not here).
    #[test]
    fn megabyte_prompts_are_redacted_whole() {
        let config = "DB_PASS=hunter2x9\nname: app\n".repeat(200_000);
        let r = redact(&config);
        assert!(!r.text.contains("hunter2x9"));
        let line = "password=abc123 ".repeat(300_000);
        let r = redact(&line);
        assert!(!r.text.contains("abc123"));
    }
}
