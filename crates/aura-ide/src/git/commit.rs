//! A conventional-commit draft from the change itself, and branch names.
//! Deterministic: the type comes from what kind of files and functions
//! changed, the scope from the module they share, the summary from the
//! changed symbols. A model may refine it; without one this is the answer.

use aura_git::{ChangeKind, GitError, Repo, Scope};
use serde::Serialize;

use super::changes::{changed_files, ChangedFile, FunctionStatus};

/// A commit message draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitDraft {
    /// Conventional type: feat, fix, refactor, docs, test, build, ci, style, chore.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The module every changed file belongs to, when they share one.
    pub scope: Option<String>,
    /// Imperative summary, lower-case start.
    pub summary: String,
    /// One line per changed file.
    pub body: Vec<String>,
}

/// Longest subject line, as git tooling and forges expect.
pub const SUBJECT_LIMIT: usize = 72;

impl CommitDraft {
    /// `type(scope): summary`, at most `SUBJECT_LIMIT` characters.
    pub fn subject(&self) -> String {
        let head = match &self.scope {
            Some(scope) => format!("{}({scope}): ", self.kind),
            None => format!("{}: ", self.kind),
        };
        let room = SUBJECT_LIMIT.saturating_sub(head.chars().count());
        format!("{head}{}", shorten(&self.summary, room))
    }

    /// The whole message: subject, blank line, body.
    pub fn message(&self) -> String {
        if self.body.is_empty() {
            return self.subject();
        }
        format!("{}\n\n{}", self.subject(), self.body.join("\n"))
    }
}

fn shorten(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_owned();
    }
    let cut: String = text.chars().take(room.saturating_sub(1)).collect();
    // Cut at a word boundary when one is near.
    let cut = match cut.rfind(' ') {
        Some(space) if space > room / 2 => cut[..space].trim_end_matches(',').to_owned(),
        _ => cut,
    };
    format!("{cut}…")
}

/// What a commit would record, picked the way `git commit` picks: the
/// staged changes; with nothing staged (and `force_staged` unset), the
/// tracked changes in the working tree. Also which of the two it is.
pub fn changes_to_commit(repo: &Repo, force_staged: bool) -> Result<(Vec<ChangedFile>, Scope), GitError> {
    let staged = changed_files(repo, Scope::Staged)?;
    if force_staged || !staged.is_empty() {
        return Ok((staged, Scope::Staged));
    }
    let tracked =
        changed_files(repo, Scope::WorkingTree)?.into_iter().filter(|c| !c.change.untracked).collect();
    Ok((tracked, Scope::WorkingTree))
}

/// Why there is no draft for `scope`.
pub fn nothing_to_commit(scope: Scope) -> &'static str {
    match scope {
        Scope::Staged => "nothing is staged",
        Scope::WorkingTree => "nothing changed since HEAD",
    }
}

/// What a path is for, by convention across ecosystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Docs,
    Test,
    Ci,
    Build,
    Source,
}

fn role(path: &str) -> Role {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dirs: Vec<&str> = lower.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    if lower.starts_with(".github/workflows/")
        || lower.starts_with(".ci/")
        || lower.starts_with(".circleci/")
        || matches!(name, ".gitlab-ci.yml" | "azure-pipelines.yml" | ".travis.yml" | "jenkinsfile")
    {
        return Role::Ci;
    }
    if matches!(
        name,
        "cargo.toml"
            | "cargo.lock"
            | "package.json"
            | "package-lock.json"
            | "pnpm-lock.yaml"
            | "yarn.lock"
            | "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "poetry.lock"
            | "makefile"
            | "cmakelists.txt"
            | "go.mod"
            | "go.sum"
            | "dockerfile"
            | "build.gradle"
            | "build.gradle.kts"
            | "pom.xml"
            | "gemfile"
            | "gemfile.lock"
            | "composer.json"
            | "composer.lock"
            | "meson.build"
    ) || name.starts_with("requirements") && name.ends_with(".txt")
        || name.ends_with(".gemspec")
        || name.ends_with(".csproj")
    {
        return Role::Build;
    }
    let is_test_name = name.starts_with("test_")
        || [
            "_test.go",
            "_test.py",
            "_spec.rb",
            "_test.rb",
            ".test.ts",
            ".test.js",
            ".spec.ts",
            ".spec.js",
            ".test.tsx",
            "test.java",
            "tests.cs",
            "test.php",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix));
    if is_test_name
        || dirs
            .iter()
            .any(|d| matches!(*d, "tests" | "test" | "__tests__" | "spec" | "testdata" | "fixtures"))
    {
        return Role::Test;
    }
    let doc_ext = [".md", ".rst", ".adoc", ".txt"].iter().any(|e| name.ends_with(e));
    if doc_ext
        || dirs.first() == Some(&"docs")
        || name.starts_with("license")
        || name.starts_with("changelog")
    {
        return Role::Docs;
    }
    Role::Source
}

/// The module a path belongs to: the package under a monorepo folder
/// (`crates/x`, `packages/x`), the folder under `src/` or `lib/`, the top
/// folder, or the file's stem at the root.
fn module_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let stem = |name: &str| name.split('.').next().unwrap_or(name).to_owned();
    match parts.as_slice() {
        [file] => stem(file),
        [group, package, _, ..]
            if matches!(
                *group,
                "crates" | "packages" | "libs" | "apps" | "modules" | "cmd" | "internal" | "pkg"
            ) =>
        {
            (*package).to_owned()
        }
        [src, file] if matches!(*src, "src" | "lib") => stem(file),
        [src, dir, _, ..] if matches!(*src, "src" | "lib") => (*dir).to_owned(),
        [dir, ..] => (*dir).to_owned(),
        [] => String::new(),
    }
}

fn names(list: &[&str], limit: usize) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for name in list {
        if !unique.contains(name) {
            unique.push(name);
        }
    }
    let shown: Vec<&str> = unique.iter().take(limit).copied().collect();
    let mut text = shown.join(", ");
    if unique.len() > limit {
        text.push_str(&format!(" and {} more", unique.len() - limit));
    }
    text
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A conventional-commit draft for `changes`; `None` when nothing changed.
pub fn draft(changes: &[ChangedFile]) -> Option<CommitDraft> {
    if changes.is_empty() {
        return None;
    }
    let roles: Vec<Role> = changes.iter().map(|c| role(&c.change.path)).collect();
    let all = |r: Role| roles.iter().all(|&x| x == r);
    let source: Vec<&ChangedFile> =
        changes.iter().zip(&roles).filter(|(_, &r)| r == Role::Source).map(|(c, _)| c).collect();
    let of = |status: FunctionStatus| -> Vec<&str> {
        source
            .iter()
            .flat_map(|c| &c.functions)
            .filter(|f| f.status == status)
            .map(|f| f.name.as_str())
            .filter(|n| !n.starts_with('<'))
            .collect()
    };
    let (added, modified, deleted) =
        (of(FunctionStatus::Added), of(FunctionStatus::Modified), of(FunctionStatus::Deleted));
    let new_files: Vec<&str> = source
        .iter()
        .filter(|c| c.change.kind == ChangeKind::Added)
        .map(|c| file_name(&c.change.path))
        .collect();
    let removed_files: Vec<&str> = source
        .iter()
        .filter(|c| c.change.kind == ChangeKind::Deleted)
        .map(|c| file_name(&c.change.path))
        .collect();
    let renamed: Vec<&ChangedFile> =
        source.iter().copied().filter(|c| c.change.kind == ChangeKind::Renamed).collect();
    let lines_changed: u32 = source.iter().map(|c| c.change.added + c.change.removed).sum();
    let paths: Vec<&str> = changes.iter().map(|c| file_name(&c.change.path)).collect();

    let (kind, summary) = if all(Role::Docs) {
        ("docs", format!("update {}", names(&paths, 3)))
    } else if all(Role::Test) {
        let tests: Vec<&str> = changes
            .iter()
            .flat_map(|c| &c.functions)
            .filter(|f| f.status == FunctionStatus::Added)
            .map(|f| f.name.as_str())
            .collect();
        if tests.is_empty() {
            ("test", format!("update {}", names(&paths, 3)))
        } else {
            ("test", format!("add {}", names(&tests, 3)))
        }
    } else if all(Role::Ci) {
        ("ci", format!("update {}", names(&paths, 3)))
    } else if all(Role::Build) {
        ("build", format!("update {}", names(&paths, 3)))
    } else if !source.is_empty() && source.iter().all(|c| c.whitespace_only) {
        ("style", format!("reformat {}", names(&paths, 3)))
    } else if !added.is_empty() {
        ("feat", format!("add {}", names(&added, 3)))
    } else if !new_files.is_empty() {
        ("feat", format!("add {}", names(&new_files, 3)))
    } else if !renamed.is_empty() && modified.is_empty() && deleted.is_empty() {
        let moves: Vec<String> = renamed
            .iter()
            .map(|c| {
                format!(
                    "{} to {}",
                    file_name(c.change.old_path.as_deref().unwrap_or("")),
                    file_name(&c.change.path)
                )
            })
            .collect();
        ("refactor", format!("move {}", names(&moves.iter().map(String::as_str).collect::<Vec<_>>(), 2)))
    } else if !deleted.is_empty() && modified.is_empty() {
        ("refactor", format!("remove {}", names(&deleted, 3)))
    } else if !removed_files.is_empty() && modified.is_empty() {
        ("refactor", format!("remove {}", names(&removed_files, 3)))
    } else if !modified.is_empty() && deleted.is_empty() && lines_changed <= 20 {
        // A small edit inside existing functions is the usual shape of a fix.
        ("fix", format!("correct {}", names(&modified, 3)))
    } else if !modified.is_empty() {
        ("refactor", format!("rework {}", names(&modified, 3)))
    } else {
        ("chore", format!("update {}", names(&paths, 3)))
    };

    let modules: Vec<String> = changes.iter().map(|c| module_of(&c.change.path)).collect();
    let scope = modules
        .first()
        .filter(|first| {
            !first.is_empty()
                && modules.iter().all(|m| m == *first)
                && !matches!(first.as_str(), "src" | "lib" | "tests" | "test" | "docs")
        })
        .cloned();
    let body = changes.iter().map(body_line).collect();
    Some(CommitDraft { kind, scope, summary, body })
}

fn body_line(c: &ChangedFile) -> String {
    let mut parts = Vec::new();
    for (status, verb) in [
        (FunctionStatus::Added, "add"),
        (FunctionStatus::Modified, "change"),
        (FunctionStatus::Deleted, "remove"),
    ] {
        let list: Vec<&str> =
            c.functions.iter().filter(|f| f.status == status).map(|f| f.name.as_str()).collect();
        if !list.is_empty() {
            parts.push(format!("{verb} {}", names(&list, 4)));
        }
    }
    let what = match (c.change.kind, &c.change.old_path) {
        (ChangeKind::Renamed, Some(old)) => format!("{} (moved from {old})", c.change.path),
        (ChangeKind::Added, _) => format!("{} (new)", c.change.path),
        (ChangeKind::Deleted, _) => format!("{} (deleted)", c.change.path),
        _ => c.change.path.clone(),
    };
    let counts = if c.change.binary {
        " (binary)".to_owned()
    } else {
        format!(" (+{} −{})", c.change.added, c.change.removed)
    };
    if parts.is_empty() {
        format!("- {what}{counts}")
    } else {
        format!("- {what}: {}{counts}", parts.join("; "))
    }
}

/// A branch name for a draft: `type/scope-summary-words`.
pub fn branch_name(draft: &CommitDraft) -> String {
    // "add a, b and 3 more" names the branch after what it lists.
    let summary = match draft.summary.rfind(" and ") {
        Some(at) if draft.summary.ends_with(" more") => &draft.summary[..at],
        _ => draft.summary.as_str(),
    };
    let words = match &draft.scope {
        Some(scope) => format!("{scope} {summary}"),
        None => summary.to_owned(),
    };
    format!("{}/{}", draft.kind, slug(&words))
}

/// A branch name for a description of the work ("fix crash on empty
/// input" → `fix/crash-on-empty-input`), typed by its wording.
pub fn branch_name_for(description: &str) -> String {
    let lower = description.to_ascii_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let kind = words
        .iter()
        .find_map(|w| {
            Some(match *w {
                "fix" | "fixes" | "bug" | "crash" | "broken" | "regression" | "error" => "fix",
                "doc" | "docs" | "documentation" | "readme" => "docs",
                "test" | "tests" | "coverage" => "test",
                "refactor" | "rename" | "cleanup" | "clean" | "simplify" | "extract" | "move" => "refactor",
                "ci" | "pipeline" | "workflow" => "ci",
                "bump" | "upgrade" | "dependency" | "dependencies" => "build",
                "add" | "support" | "implement" | "introduce" | "allow" | "new" => "feat",
                _ => return None,
            })
        })
        .unwrap_or("feat");
    let rest: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            !matches!(*w, "a" | "an" | "the" | "fix" | "fixes" | "add" | "please" | "to" | "for")
                || words.len() <= 2
        })
        .collect();
    format!("{kind}/{}", slug(&rest.join(" ")))
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in
        text.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 48 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out.push_str("change");
    }
    out
}

/// What the model wrote, or the draft when it wrote something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refined {
    /// The commit message to use.
    pub message: String,
    /// Whether it is the model's.
    pub from_model: bool,
    /// Why the model's answer was not used, when it was not.
    pub rejected: Option<String>,
}

/// Have the chain's model rewrite `draft` from the change's `patch`. The
/// answer is kept only when its subject is a conventional commit within
/// `SUBJECT_LIMIT` characters; otherwise the draft stands (models, small
/// ones especially, drift into prose).
pub async fn refine(
    chain: &aura_llm::Chain,
    call: &aura_llm::Call,
    draft: &CommitDraft,
    patch: &str,
    cancel: &aura_llm::CancellationToken,
) -> Result<Refined, aura_llm::LlmError> {
    use aura_llm::{GenRequest, Message};
    let system = "You write git commit messages in the Conventional Commits format: a subject line \
                  `type(scope): summary` of at most 72 characters in the imperative mood, a blank line, \
                  then at most five short bullet lines saying what changed and why. \
                  Types: feat, fix, refactor, docs, test, build, ci, style, chore, perf. \
                  Reply with the message only.";
    let user = format!(
        "Draft from the changed files and functions:\n{}\n\nThe change:\n```diff\n{patch}```\n\nWrite the commit message.",
        draft.message()
    );
    let request = GenRequest::chat(vec![Message::system(system.to_owned()), Message::user(user)], 200);
    let outcome = chain.generate(&request, call, &|_| {}, cancel).await?;
    let answer = outcome.generation.text.trim().trim_matches('`').trim();
    let subject = answer.lines().next().unwrap_or("").trim();
    let problem = if aura_git::conventional_type(subject).is_none() {
        Some(format!("the model's subject is not a conventional commit: {subject:?}"))
    } else if subject.chars().count() > SUBJECT_LIMIT {
        Some(format!("the model's subject is longer than {SUBJECT_LIMIT} characters"))
    } else {
        None
    };
    Ok(match problem {
        None => Refined { message: answer.to_owned(), from_model: true, rejected: None },
        Some(why) => Refined { message: draft.message(), from_model: false, rejected: Some(why) },
    })
}

/// The message for `draft`: refined by the chat chain's model when one is
/// available (see `refine`), else the draft itself. A failing model leaves
/// the draft, with the failure in `rejected`.
pub async fn refine_with(providers: &crate::ai::Providers, draft: &CommitDraft, patch: &str) -> Refined {
    if !providers.is_available() {
        return Refined { message: draft.message(), from_model: false, rejected: None };
    }
    let chain = providers.chain(crate::ai::Role::Chat);
    let call = providers.call("code-documentation", None, false);
    let cancel = aura_llm::CancellationToken::new();
    refine(&chain, &call, draft, patch, &cancel).await.unwrap_or_else(|e| Refined {
        message: draft.message(),
        from_model: false,
        rejected: Some(format!("the model failed: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_modules() {
        assert_eq!(role("tests/test_parser.py"), Role::Test);
        assert_eq!(role("pkg/io/reader_test.go"), Role::Test);
        assert_eq!(role("README.md"), Role::Docs);
        assert_eq!(role("Cargo.toml"), Role::Build);
        assert_eq!(role(".github/workflows/ci.yml"), Role::Ci);
        assert_eq!(role("src/parser.py"), Role::Source);
        assert_eq!(module_of("crates/aura-git/src/lib.rs"), "aura-git");
        assert_eq!(module_of("src/parser/frame.py"), "parser");
        assert_eq!(module_of("src/main.rs"), "main");
        assert_eq!(module_of("setup.py"), "setup");
        assert_eq!(module_of("server/src/main.rs"), "server");
    }

    #[test]
    fn subjects_fit_the_limit() {
        let draft = CommitDraft {
            kind: "feat",
            scope: Some("parser".into()),
            summary: "add a_really_long_function_name, another_really_long_function_name, and_a_third".into(),
            body: vec![],
        };
        let subject = draft.subject();
        assert!(subject.chars().count() <= SUBJECT_LIMIT, "{subject}");
        assert!(subject.starts_with("feat(parser): add a_really_long_function_name"), "{subject}");
        assert!(subject.ends_with('…'));
    }

    #[test]
    fn branch_names() {
        assert_eq!(branch_name_for("Fix crash on empty input"), "fix/crash-on-empty-input");
        assert_eq!(branch_name_for("add support for TOML configs"), "feat/support-toml-configs");
        assert_eq!(branch_name_for("!!!"), "feat/change");
        let draft = CommitDraft {
            kind: "fix",
            scope: Some("io".into()),
            summary: "correct read_frame".into(),
            body: vec![],
        };
        assert_eq!(branch_name(&draft), "fix/io-correct-read-frame");
    }
}
