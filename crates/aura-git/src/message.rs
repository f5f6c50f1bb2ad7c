//! Commit-message wording: the conventional-commit type of a subject line
//! and whether a commit fixed something (for per-function fix counts).

/// The conventional-commit type of `message`'s subject (`feat`, `fix`, ...),
/// lower-cased, when it has the `type(scope)!: summary` shape.
pub fn conventional_type(message: &str) -> Option<String> {
    let subject = message.lines().next()?.trim();
    let head = &subject[..subject.find(':')?];
    let head = head.strip_suffix('!').unwrap_or(head);
    let ty = match head.find('(') {
        Some(open) if head.ends_with(')') => &head[..open],
        Some(_) => return None,
        None => head,
    };
    (!ty.is_empty() && ty.len() <= 12 && ty.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| ty.to_ascii_lowercase())
}

/// Whether `message` says it fixes something: a `fix` or `revert`
/// conventional type, or fix/bug/revert wording in the subject line.
/// Only the subject is read: bodies mention bugs for many reasons.
pub fn is_fix_message(message: &str) -> bool {
    if let Some(ty) = conventional_type(message) {
        return matches!(ty.as_str(), "fix" | "bugfix" | "hotfix" | "revert");
    }
    let subject = message.lines().next().unwrap_or("").to_ascii_lowercase();
    subject.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| {
        matches!(
            word,
            "fix"
                | "fixes"
                | "fixed"
                | "fixing"
                | "bug"
                | "bugs"
                | "bugfix"
                | "hotfix"
                | "revert"
                | "reverts"
                | "reverted"
                | "regression"
                | "crash"
                | "crashes"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_types() {
        assert_eq!(conventional_type("feat(parser): add frames").as_deref(), Some("feat"));
        assert_eq!(conventional_type("Fix!: drop v1").as_deref(), Some("fix"));
        assert_eq!(conventional_type("refactor: x\n\nbody").as_deref(), Some("refactor"));
        assert_eq!(conventional_type("Merge branch 'x': y"), None);
        assert_eq!(conventional_type("no colon here"), None);
        assert_eq!(conventional_type("see http://example.com"), None);
    }

    #[test]
    fn fix_wording() {
        for fix in
            ["fix: off by one", "Fixes #12", "Revert \"feat: x\"", "hotfix(io): retry", "bug in parser"]
        {
            assert!(is_fix_message(fix), "{fix}");
        }
        for other in [
            "feat: prefix matching",
            "docs: fixture layout",
            "add debugger support",
            "chore: x\n\nfixes a bug",
        ] {
            assert!(!is_fix_message(other), "{other}");
        }
    }
}
