//! Text normalisation shared by the detector, the router and the catalog's
//! compiled lexicons: one tokenizer and one stemmer for both the request and
//! the data, so "tests", "testing" and "tested" meet "test".
//!
//! Tokens are runs of letters, digits, `#` and `+` (so `c#`, `c++` and `n+1`
//! survive), lowercased and stemmed with Snowball English. Everything else,
//! including `.`, `/` and `-`, separates tokens: `ci/cd` is the phrase
//! `ci cd`, `next.js` is `next js`.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Lowercased, stemmed tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '#' || c == '+' || c == '\'' && !current.is_empty() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(stem(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        out.push(stem(&current));
    }
    out
}

fn stem(token: &str) -> String {
    // Apostrophes only join contractions ("doesn't" is one token); drop them
    // before stemming so "user's" and "users" agree.
    let token = token.trim_end_matches('\'');
    if token.chars().any(|c| c.is_ascii_digit() || c == '#' || c == '+') || token.chars().count() <= 2 {
        return token.replace('\'', "");
    }
    let plain = token.replace("'s", "").replace('\'', "");
    stemmer().stem(&plain).into_owned()
}

/// A tokenized text with a fast phrase lookup.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub tokens: Vec<String>,
}

impl Terms {
    pub fn new(text: &str) -> Terms {
        Terms { tokens: tokens(text) }
    }

    /// Whether the stemmed `phrase` occurs as consecutive tokens.
    pub fn contains(&self, phrase: &[String]) -> bool {
        if phrase.is_empty() || phrase.len() > self.tokens.len() {
            return false;
        }
        self.tokens.windows(phrase.len()).any(|w| w == phrase)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// A weighted phrase compiled from catalog data.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// As written in the data, for explanations.
    pub text: String,
    pub stems: Vec<String>,
    pub weight: f32,
}

impl Phrase {
    pub fn new(text: &str, weight: f32) -> Phrase {
        Phrase { text: text.to_owned(), stems: tokens(text), weight }
    }
}

/// Words too common to carry meaning in the similarity score.
pub fn is_stopword(stem: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "this", "that", "these",
        "those", "is", "are", "be", "it", "its", "i", "we", "our", "my", "me", "you", "your", "can", "do",
        "doe", "so", "at", "by", "from", "as", "if", "when", "what", "how", "it'", "there", "here", "into",
        "all", "some", "pleas", "want", "need", "should", "would", "could", "has", "have", "was", "were",
        "not", "but", "onli", "just", "them", "they", "us", "up", "out", "get", "use", "one", "each",
        "which", "will", "make", "about", "than", "then",
    ];
    STOP.contains(&stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_language_names_and_stem_words() {
        assert_eq!(tokens("Write C# and C++ tests"), ["write", "c#", "and", "c++", "test"]);
        assert_eq!(tokens("CI/CD pipeline for next.js"), ["ci", "cd", "pipelin", "for", "next", "js"]);
        assert_eq!(tokens("Fix the N+1 queries"), ["fix", "the", "n+1", "queri"]);
        assert_eq!(tokens("doesn't work, user's"), ["doesnt", "work", "user"]);
    }

    #[test]
    fn phrases_match_consecutive_tokens() {
        let t = Terms::new("Please add unit tests for the parser");
        assert!(t.contains(&tokens("unit test")));
        assert!(t.contains(&tokens("tests")));
        assert!(!t.contains(&tokens("test unit")));
        assert!(!t.contains(&[]));
    }
}
