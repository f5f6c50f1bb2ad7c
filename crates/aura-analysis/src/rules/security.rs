//! Security rules (AUR301–AUR310): hard-coded secrets, code and command
//! injection, weak crypto, disabled TLS checks, unsafe deserialisation, XML
//! external entities and undocumented Rust `unsafe`. Call-based rules match
//! callee names per language (see `ast::callee_name`).

use aura_syntax::tree_sitter::Node;

use super::ast::{arguments, calls, is_constant_string, squash, statement_of, string_kinds};
use super::{Context, Facts, Rule};
use crate::secrets::{is_secret_name, looks_random, scan};
use crate::{Applicability, Diagnostic, Fix, RuleInfo, Severity};

const fn info(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    doc: &'static str,
    fix: Option<Applicability>,
) -> RuleInfo {
    RuleInfo {
        code,
        name,
        summary,
        default_severity: severity,
        category: "security",
        default_enabled: true,
        doc,
        fix,
    }
}

/// Whether the callee `name` is one of `targets`: exactly, or as the last
/// segments of a dotted path (`subprocess.run` matches `run` only when listed so).
fn is_any(name: &str, targets: &[&str]) -> bool {
    targets.iter().any(|t| {
        name == *t
            || t.contains('.')
                && name.len() > t.len()
                && name.ends_with(t)
                && name.as_bytes()[name.len() - t.len() - 1] == b'.'
    })
}

fn constant_first_arg(cx: &Context<'_>, call: Node<'_>) -> bool {
    arguments(call).first().is_none_or(|a| {
        is_constant_string(*a, cx.lang()) || a.kind().contains("literal") || a.kind() == "integer"
    })
}

fn strip_quotes(s: &str) -> &str {
    let s = s.trim_start_matches(['r', 'b', 'f', 'u', 'R', 'B', 'F', 'U', '@', '$']);
    s.trim_matches(['"', '\'', '`'])
}

/// Expressions that read what a request, a user at a prompt or the command
/// line supplies, per language: where injection starts. The environment is
/// left out: it is the configuration of whoever runs the program
/// (`THOR_DIFF`, `EDITOR`), not an attacker's input.
fn input_sources(lang: &str) -> &'static [&'static str] {
    match lang {
        "python" => &[
            "input(",
            "request.",
            "sys.argv",
            "sys.stdin",
            ".args.get(",
            ".form[",
            ".form.get(",
            ".GET[",
            ".GET.get(",
            ".POST[",
            ".POST.get(",
            "query_params",
        ],
        "javascript" | "typescript" | "tsx" => &[
            "req.",
            "request.",
            "process.argv",
            "location.",
            "document.",
            "ctx.query",
            "ctx.params",
            "event.data",
            "searchParams",
            "prompt(",
        ],
        "php" => &["$_GET", "$_POST", "$_REQUEST", "$_COOKIE", "$_SERVER", "$_FILES", "php://input"],
        "ruby" => &["params[", "params.", "ARGV", "gets", "request.", "cookies["],
        "java" => &[
            "getParameter(",
            "getHeader(",
            "getQueryString(",
            "getInputStream(",
            "getReader(",
            "readLine(",
            "args[",
        ],
        "go" => &[".URL.", ".Form", "FormValue(", "os.Args", ".Body", ".Query()", "PostFormValue("],
        "csharp" => &["Request.", "Console.ReadLine", "args[", "Query["],
        "c" | "cpp" => &["argv[", "getenv(", "fgets(", "scanf(", "gets(", "recv(", "read("],
        "bash" => &["$QUERY_STRING", "${QUERY_STRING", "$HTTP_", "${HTTP_"],
        _ => &[],
    }
}

/// The input source that reaches `node`: named in its text, or in the value
/// last assigned, earlier in the same function, to a name it uses (one step
/// of data flow, read from the text).
fn input_reaching(cx: &Context<'_>, node: Node<'_>) -> Option<&'static str> {
    let sources = input_sources(cx.lang());
    let text = cx.text(node);
    if let Some(s) = sources.iter().find(|s| text.contains(**s)) {
        return Some(s);
    }
    let mut scope = node;
    while let Some(p) = scope.parent() {
        scope = p;
        let k = p.kind();
        if k.contains("function") || k.contains("method") || k == "lambda" || k.ends_with("_item") {
            break;
        }
    }
    let before =
        cx.file.text.byte_slice(scope.start_byte()..node.start_byte().max(scope.start_byte())).to_string();
    let names: std::collections::HashSet<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| w.len() > 1 && !w.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    before.lines().rev().find_map(|line| {
        let (left, right) = line.split_once('=')?;
        if right.starts_with('=') || left.ends_with(['!', '<', '>', '=']) {
            return None;
        }
        let target = left.trim().trim_end_matches(':').rsplit([' ', '\t', '(', ',']).next()?;
        if !names.contains(target) {
            return None;
        }
        sources.iter().find(|s| right.contains(**s)).copied()
    })
}

/// A finding on a call that is dangerous only with untrusted input: a
/// warning when an input source reaches it (and the message names it),
/// information otherwise. Maintainers deliberately `eval` their own
/// templates and run their own commands; Tricorder's bar says only the first
/// earns a warning.
fn by_flow(cx: &Context<'_>, node: Node<'_>, d: Diagnostic) -> Diagnostic {
    match input_reaching(cx, node) {
        Some(source) => {
            let message = format!(
                "{} (input from `{}` reaches it)",
                d.message,
                source.trim_end_matches(['(', '[', '.'])
            );
            Diagnostic { message, ..d }
        }
        None => Diagnostic { severity: Severity::Info, ..d },
    }
}

pub(super) const SECRETS: Rule = Rule {
    info: info(
        "AUR301",
        "hardcoded-secret",
        "a credential written into the source: a known key format, or a random-looking value named like a secret",
        Severity::Error,
        include_str!("docs/AUR301.md"),
        None,
    ),
    check: |cx, out| {
        let mut covered_until = 0;
        let mut literals: Vec<Node<'_>> = cx.nodes(string_kinds(cx.lang())).collect();
        literals.sort_by_key(|n| n.start_byte());
        for literal in literals {
            // A string inside another string's interpolation was scanned with it.
            if literal.start_byte() < covered_until {
                continue;
            }
            covered_until = literal.end_byte();
            let text = cx.text(literal);
            let found = scan(&text);
            for m in &found {
                let start = literal.start_byte() + m.range.start;
                out.push(Diagnostic::new(
                    "AUR301",
                    Severity::Error,
                    format!("hard-coded {}; load it from the environment or a secret store", m.kind),
                    start..literal.start_byte() + m.range.end,
                ));
            }
            if !found.is_empty() || !is_constant_string(literal, cx.lang()) {
                continue;
            }
            let value = strip_quotes(&text);
            if !looks_random(value) {
                continue;
            }
            let statement = statement_of(literal);
            let prefix_end = literal.start_byte().saturating_sub(statement.start_byte());
            let statement_text = cx.text(statement);
            let prefix = statement_text.get(..prefix_end).unwrap_or("");
            let binding = prefix.trim_end().trim_end_matches(['=', ':', '>', '(', ',']).trim_end();
            let name = binding.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
            let bound = prefix.trim_end().ends_with(['=', ':', '>']);
            if bound && is_secret_name(name) {
                out.push(Diagnostic::new(
                    "AUR301",
                    Severity::Error,
                    format!("`{name}` holds a hard-coded secret; load it from the environment or a secret store"),
                    literal.byte_range(),
                ));
            }
        }
    },
};

pub(super) const EVAL: Rule = Rule {
    info: info(
        "AUR302",
        "dynamic-code-execution",
        "eval, exec or `new Function` on a value that is not a constant (a warning when request or command-line input reaches it, else information)",
        Severity::Warning,
        include_str!("docs/AUR302.md"),
        None,
    ),
    check: |cx, out| {
        let targets: &[&str] = match cx.lang() {
            "python" => &["eval", "exec"],
            "javascript" | "typescript" | "tsx" => &["eval", "new Function", "Function"],
            "ruby" => &["eval", "instance_eval", "class_eval", "module_eval"],
            "php" => &["eval", "create_function", "assert"],
            "bash" => &["eval"],
            _ => return,
        };
        for (call, name) in calls(cx) {
            // PHP's `assert` evaluates only a string (before PHP 8); an
            // expression such as `assert(is_string($v))` is a plain check.
            if cx.lang() == "php"
                && name == "assert"
                && arguments(call)
                    .first()
                    .is_none_or(|a| match a.kind() {
                        "variable_name" | "encapsed_string" => false,
                        "binary_expression" => a.child_by_field_name("operator").is_none_or(|o| o.kind() != "."),
                        _ => true,
                    })
            {
                continue;
            }
            if targets.contains(&name.as_str())
                && arguments(call).iter().any(|a| !is_constant_string(*a, cx.lang()))
            {
                let d = Diagnostic::new(
                    "AUR302",
                    Severity::Warning,
                    format!("`{name}` runs code built at run time; an attacker who controls it controls the program"),
                    call.byte_range(),
                );
                out.push(by_flow(cx, call, d));
            }
        }
    },
};

fn mentions_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let verbs = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "REPLACE ", "MERGE "];
    let nouns = [" FROM ", " INTO ", " SET ", " WHERE ", " VALUES"];
    verbs.iter().any(|v| upper.contains(v)) && nouns.iter().any(|n| upper.contains(n))
}

/// Whether an argument builds a string from parts at run time.
fn is_built_string(cx: &Context<'_>, arg: Node<'_>) -> bool {
    match arg.kind() {
        "binary_expression" | "binary_operator" | "binary" => {
            let mut cursor = arg.walk();
            let ops = arg.children(&mut cursor).any(|c| matches!(c.kind(), "+" | "%" | "." | "<<"));
            ops
        }
        "call"
        | "call_expression"
        | "method_invocation"
        | "invocation_expression"
        | "function_call_expression" => {
            let text = cx.text(arg);
            text.contains(".format(")
                || text.contains("Sprintf")
                || text.contains("String.format")
                || text.contains("sprintf")
                || text.contains("concat")
        }
        kind if string_kinds(cx.lang()).contains(&kind) || kind == "interpolated_string_expression" => {
            !is_constant_string(arg, cx.lang())
                || kind == "interpolated_string_expression" && cx.text(arg).contains('{')
        }
        _ => false,
    }
}

/// Whether SQL text binds values through placeholders (`?`, `%s`, `$1`, `:name`).
fn has_placeholder(sql: &str) -> bool {
    sql.contains('?')
        || sql.contains("%s")
        || sql.match_indices('$').any(|(i, _)| sql[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
        || sql.match_indices(" :").any(|(i, _)| sql[i + 2..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// Whether every part interpolated into `sql` sits in identifier quotes
/// (`"{table}"`, `` `%s`.items ``, `[{col}]`). A bare `FROM {}` is still
/// reported: nothing says the value is a name.
fn identifiers_only(sql: &str) -> bool {
    let holes: Vec<usize> = sql
        .match_indices(['{', '%'])
        .filter(|(i, m)| {
            *m == "{" && !sql[i + 1..].starts_with('{')
                || *m == "%" && sql[i + 1..].starts_with('s') && !sql[..*i].ends_with('%')
        })
        .map(|(i, _)| i)
        .collect();
    !holes.is_empty()
        && holes.iter().all(|&i| {
            let before = sql[..i].trim_end_matches(' ');
            before.ends_with(['"', '`', '['])
        })
}

pub(super) const SQL_INJECTION: Rule = Rule {
    info: info(
        "AUR303",
        "sql-string-building",
        "SQL built by concatenation or formatting and passed to an execute or query call (a warning when input reaches it, else information)",
        Severity::Warning,
        include_str!("docs/AUR303.md"),
        None,
    ),
    check: |cx, out| {
        const SINKS: &[&str] = &[
            "execute",
            "executemany",
            "executescript",
            "query",
            "raw",
            "exec",
            "Exec",
            "Query",
            "QueryRow",
            "QueryContext",
            "ExecContext",
            "executeQuery",
            "executeUpdate",
            "prepareStatement",
            "createQuery",
            "createNativeQuery",
            "FromSqlRaw",
            "ExecuteSqlRaw",
            "SqlCommand",
            "mysqli_query",
            "pg_query",
            "find_by_sql",
            "prepare",
        ];
        for (call, name) in calls(cx) {
            let last = name.rsplit(['.', ' ']).next().unwrap_or(&name);
            if !SINKS.contains(&last) {
                continue;
            }
            let args = arguments(call);
            // PHP's mysqli_query($link, $sql) takes the SQL second.
            let candidates = args.iter().take(2);
            for (i, arg) in candidates.enumerate() {
                let sql = cx.text(*arg);
                // Values bound as parameters beside the SQL: what is built into
                // it is structure (a quoted table or column name), not data.
                if i + 1 < args.len() && has_placeholder(&sql) && identifiers_only(&sql) {
                    break;
                }
                if is_built_string(cx, *arg) && mentions_sql(&sql) {
                    let d = Diagnostic::new(
                        "AUR303",
                        Severity::Warning,
                        format!("SQL passed to `{name}` is built from strings at run time; use query parameters"),
                        arg.byte_range(),
                    );
                    out.push(by_flow(cx, *arg, d));
                    break;
                }
            }
        }
    },
};

pub(super) const SHELL_INJECTION: Rule = Rule {
    info: info(
        "AUR304",
        "shell-command-from-variables",
        "a shell command built from variables (`shell=True`, `os.system`, `child_process.exec`, `Runtime.exec`; a warning when input reaches it, else information)",
        Severity::Warning,
        include_str!("docs/AUR304.md"),
        None,
    ),
    check: |cx, out| {
        let lang = cx.lang().to_owned();
        for (call, name) in calls(cx) {
            let flagged = match lang.as_str() {
                "python" => {
                    let shell_true = || {
                        name.starts_with("subprocess.")
                            && arguments(call).iter().any(|a| {
                                a.kind() == "keyword_argument" && cx.text(*a).replace(' ', "") == "shell=True"
                            })
                    };
                    (is_any(&name, &["os.system", "os.popen", "commands.getoutput", "subprocess.getoutput"])
                        || shell_true())
                        && !constant_first_arg(cx, call)
                }
                "javascript" | "typescript" | "tsx" => {
                    is_any(&name, &["exec", "execSync", "child_process.exec", "child_process.execSync"])
                        && name != "RegExp.exec"
                        && !name.ends_with("regex.exec")
                        && !constant_first_arg(cx, call)
                        && arguments(call).first().is_some_and(|a| is_built_string(cx, *a) || a.kind() == "identifier")
                }
                "java" => name.contains("Runtime") && name.ends_with(".exec") && !constant_first_arg(cx, call),
                "go" => {
                    let args = arguments(call);
                    name == "exec.Command"
                        && args.len() >= 3
                        && matches!(strip_quotes(&cx.text(args[0])), "sh" | "bash" | "/bin/sh" | "/bin/bash")
                        && strip_quotes(&cx.text(args[1])) == "-c"
                        && !is_constant_string(args[2], "go")
                }
                "php" => {
                    matches!(name.as_str(), "system" | "exec" | "shell_exec" | "passthru" | "popen" | "proc_open")
                        && !constant_first_arg(cx, call)
                }
                "ruby" => matches!(name.as_str(), "system" | "exec" | "spawn" | "IO.popen" | "Open3.capture2") && {
                    let args = arguments(call);
                    args.len() == 1 && !is_constant_string(args[0], "ruby")
                },
                "c" | "cpp" => matches!(name.as_str(), "system" | "popen") && !constant_first_arg(cx, call),
                _ => false,
            };
            if flagged {
                let d = Diagnostic::new(
                    "AUR304",
                    Severity::Warning,
                    format!("`{name}` runs a shell command built from variables; pass an argument list instead"),
                    call.byte_range(),
                );
                out.push(by_flow(cx, call, d));
            }
        }
    },
};

fn mentions_credential(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["password", "passwd", "pwd", "token", "secret", "credential", "api_key", "apikey"]
        .iter()
        .any(|k| lower.contains(k))
}

pub(super) const WEAK_HASH: Rule = Rule {
    info: info(
        "AUR305",
        "weak-hash-for-secret",
        "MD5 or SHA-1 used on a password or token",
        Severity::Warning,
        include_str!("docs/AUR305.md"),
        None,
    ),
    check: |cx, out| {
        for (call, name) in calls(cx) {
            let weak_callee = is_any(
                &name,
                &[
                    "hashlib.md5",
                    "hashlib.sha1",
                    "md5.Sum",
                    "md5.New",
                    "sha1.Sum",
                    "sha1.New",
                    "MD5.Create",
                    "SHA1.Create",
                    "Digest.MD5.hexdigest",
                    "Digest.SHA1.hexdigest",
                ],
            ) || matches!(name.as_str(), "md5" | "sha1" | "MD5" | "SHA1");
            let by_algorithm_name =
                name.ends_with("createHash") || name.ends_with("getInstance") || name == "hashlib.new";
            if !weak_callee && !by_algorithm_name {
                continue;
            }
            if !weak_callee {
                let upper = cx.text(call).to_ascii_uppercase();
                let weak = ["\"MD5\"", "'MD5'", "\"SHA1\"", "'SHA1'", "\"SHA-1\"", "'SHA-1'"]
                    .iter()
                    .any(|a| upper.contains(a));
                if !weak {
                    continue;
                }
            }
            let context = cx.text(statement_of(call));
            if mentions_credential(&context) {
                out.push(Diagnostic::new(
                    "AUR305",
                    Severity::Warning,
                    "MD5 and SHA-1 are too fast and broken for passwords or tokens; use a password hash (argon2, bcrypt, scrypt) or SHA-256 with a secret",
                    call.byte_range(),
                ));
            }
        }
    },
};

pub(super) const INSECURE_RANDOM: Rule = Rule {
    info: info(
        "AUR306",
        "insecure-random-for-secret",
        "a non-cryptographic random generator used for a token, password or key",
        Severity::Warning,
        include_str!("docs/AUR306.md"),
        None,
    ),
    check: |cx, out| {
        let targets: &[&str] = match cx.lang() {
            "python" => &[
                "random.random",
                "random.randint",
                "random.choice",
                "random.choices",
                "random.randrange",
                "random.getrandbits",
                "random.sample",
            ],
            "javascript" | "typescript" | "tsx" => &["Math.random"],
            "java" => &["new Random", "Math.random"],
            "go" => &["rand.Int", "rand.Intn", "rand.Int63", "rand.Uint32", "rand.Uint64", "rand.Int31n"],
            "php" => &["rand", "mt_rand", "uniqid", "lcg_value"],
            "ruby" => &["rand", "Random.rand"],
            "csharp" => &["new Random"],
            "c" | "cpp" => &["rand", "random"],
            _ => return,
        };
        // Go's crypto/rand has no Intn; only math/rand does.
        if cx.lang() == "go" && !cx.facts().has(Facts::MATH_RAND) {
            return;
        }
        for (call, name) in calls(cx) {
            if !targets.contains(&name.as_str()) {
                continue;
            }
            let context = cx.text(statement_of(call)).to_ascii_lowercase();
            let secretish = [
                "token",
                "password",
                "secret",
                "nonce",
                "salt",
                "otp",
                "session",
                "api_key",
                "apikey",
                "csrf",
                "reset_code",
            ]
            .iter()
            .any(|k| context.contains(k));
            if secretish {
                out.push(Diagnostic::new(
                    "AUR306",
                    Severity::Warning,
                    format!("`{name}` is predictable; use a cryptographic generator for secrets"),
                    call.byte_range(),
                ));
            }
        }
    },
};

pub(super) const TLS_DISABLED: Rule = Rule {
    info: info(
        "AUR307",
        "tls-verification-disabled",
        "certificate or host name verification turned off (information when a setting or guard chooses it)",
        Severity::Error,
        include_str!("docs/AUR307.md"),
        None,
    ),
    check: |cx, out| {
        let checks: &[(&str, &str)] = match cx.lang() {
            "python" => &[
                ("keyword_argument", "verify=False"),
                ("attribute", "ssl._create_unverified_context"),
                ("attribute", "ssl.CERT_NONE"),
                ("assignment", "check_hostname=False"),
            ],
            "javascript" | "typescript" | "tsx" => &[("pair", "rejectUnauthorized:false")],
            "go" => &[("keyed_element", "InsecureSkipVerify:true")],
            "rust" => &[("arguments", "(true)")],
            "php" => {
                &[("arguments", "CURLOPT_SSL_VERIFYPEER,false"), ("arguments", "CURLOPT_SSL_VERIFYHOST,0")]
            }
            "ruby" => &[("scope_resolution", "OpenSSL::SSL::VERIFY_NONE")],
            "java" => &[
                ("object_creation_expression", "newNoopHostnameVerifier()"),
                ("field_access", "SSLConnectionSocketFactory.ALLOW_ALL_HOSTNAME_VERIFIER"),
            ],
            "csharp" => &[(
                "member_access_expression",
                "HttpClientHandler.DangerousAcceptAnyServerCertificateValidator",
            )],
            "bash" => &[("command", "")],
            _ => return,
        };
        for (kind, pattern) in checks {
            for node in cx.nodes(&[kind]) {
                // Squashing only drops whitespace: a shorter node cannot hold the pattern.
                if node.byte_range().len() < pattern.len() {
                    continue;
                }
                // Nodes of these kinds nest (`x.x.x...`, `f(f(...))`, `a = b = ...`):
                // reading a large one whole for each level would be quadratic, so
                // each kind is matched on bounded pieces.
                let bounded = |n: Node<'_>| n.byte_range().len() <= 4 * pattern.len() + 64;
                let hit = match (cx.lang(), *kind) {
                    ("python", "assignment") => {
                        let right = node.child_by_field_name("right");
                        let left = node.child_by_field_name("left");
                        let name = match left {
                            Some(l) if l.kind() == "attribute" => l.child_by_field_name("attribute"),
                            other => other.filter(|l| l.kind() == "identifier"),
                        };
                        right.is_some_and(|r| bounded(r) && squash(&cx.text(r)) == "False")
                            && name.is_some_and(|n| bounded(n) && cx.text(n) == "check_hostname")
                    }
                    ("php", _) => {
                        // Two adjacent arguments: `CURLOPT_SSL_VERIFYPEER, false`.
                        let args: Vec<Node<'_>> = {
                            let mut w = node.walk();
                            node.named_children(&mut w).collect()
                        };
                        args.windows(2).any(|pair| {
                            pair.iter().all(|a| bounded(*a))
                                && format!("{},{}", squash(&cx.text(pair[0])), squash(&cx.text(pair[1])))
                                    == *pattern
                        })
                    }
                    ("bash", _) => {
                        let name = node.child_by_field_name("name").map(|n| cx.text(n)).unwrap_or_default();
                        let text = cx.text(node);
                        (name == "curl" && text.split_whitespace().any(|w| w == "-k" || w == "--insecure"))
                            || (name == "wget" && text.contains("--no-check-certificate"))
                    }
                    _ if !bounded(node) => false,
                    ("rust", _) => {
                        squash(&cx.text(node)) == *pattern
                            && node.prev_sibling().is_some_and(|f| {
                                let f = cx.text(f);
                                f.ends_with("danger_accept_invalid_certs")
                                    || f.ends_with("danger_accept_invalid_hostnames")
                            })
                    }
                    _ => squash(&cx.text(node)) == *pattern,
                };
                if hit {
                    // Under an `if`, verification is off because a setting asks
                    // for it (`ssl=False`, `--insecure`): a choice the caller
                    // made, worth knowing, not certainly wrong.
                    let severity = if under_condition(node) { Severity::Info } else { Severity::Error };
                    out.push(Diagnostic::new(
                        "AUR307",
                        severity,
                        "TLS verification is disabled: anyone on the network can read and change this traffic",
                        node.byte_range(),
                    ));
                }
            }
        }
        if matches!(cx.lang(), "javascript" | "typescript" | "tsx") {
            for node in cx.nodes(&["assignment_expression"]) {
                let (Some(left), Some(right)) =
                    (node.child_by_field_name("left"), node.child_by_field_name("right"))
                else {
                    continue;
                };
                if left.byte_range().len() > 256 || right.byte_range().len() > 8 {
                    continue;
                }
                let right = cx.text(right);
                if cx.text(left).contains("NODE_TLS_REJECT_UNAUTHORIZED")
                    && (right == "'0'" || right == "\"0\"")
                {
                    out.push(Diagnostic::new(
                        "AUR307",
                        Severity::Error,
                        "TLS verification is disabled for the whole process",
                        node.byte_range(),
                    ));
                }
            }
        }
    },
};

/// Whether `node` runs only on one branch of a condition within its
/// function: inside an `if`/`else`/`case`, or after a guard clause (an `if`
/// earlier in the same block that returns, as in `if verified: return
/// default_context()`).
fn under_condition(node: Node<'_>) -> bool {
    let mut statement = node;
    while let Some(p) = statement.parent() {
        if p.kind().contains("block") || p.kind() == "module" || p.kind().contains("body") {
            break;
        }
        statement = p;
    }
    let mut before = statement.prev_named_sibling();
    while let Some(b) = before {
        if b.kind().starts_with("if") {
            let mut cursor = b.walk();
            let mut stack = vec![b];
            let mut returns = false;
            while let Some(n) = stack.pop() {
                if matches!(n.kind(), "return_statement" | "raise_statement" | "throw_statement") {
                    returns = true;
                    break;
                }
                stack.extend(n.named_children(&mut cursor).collect::<Vec<_>>());
            }
            if returns {
                return true;
            }
        }
        before = b.prev_named_sibling();
    }
    let mut at = node.parent();
    while let Some(p) = at {
        let k = p.kind();
        if k.starts_with("if_")
            || k.contains("conditional")
            || k.starts_with("else")
            || k.starts_with("elif")
            || k == "ternary_expression"
            || k.starts_with("case")
            || k.starts_with("switch")
        {
            return true;
        }
        if k.contains("function") || k.contains("method") || k == "lambda" {
            return false;
        }
        at = p.parent();
    }
    false
}

pub(super) const DESERIALISATION: Rule = Rule {
    info: info(
        "AUR308",
        "unsafe-deserialisation",
        "deserialising data with a format that can run code (pickle, `yaml.load`, `ObjectInputStream`, ...; a warning when input reaches it or for `yaml.load`, else information)",
        Severity::Warning,
        include_str!("docs/AUR308.md"),
        Some(Applicability::Unsafe),
    ),
    check: |cx, out| {
        for (call, name) in calls(cx) {
            let message = match cx.lang() {
                "python" => {
                    if name == "yaml.load" {
                        let safe_loader = arguments(call).iter().any(|a| {
                            let t = cx.text(*a);
                            t.contains("SafeLoader") || t.contains("CSafeLoader") || t.contains("BaseLoader")
                        });
                        if safe_loader {
                            continue;
                        }
                        let callee = call.child_by_field_name("function");
                        let mut d = Diagnostic::new(
                            "AUR308",
                            Severity::Warning,
                            "`yaml.load` without a safe loader can build arbitrary objects; use `yaml.safe_load`",
                            call.byte_range(),
                        );
                        if let Some(callee) = callee {
                            d = d.with_fix(Fix {
                                title: "Use `yaml.safe_load`".into(),
                                // Documents with custom tags stop loading.
                                applicability: Applicability::Unsafe,
                                edits: vec![(callee.byte_range(), "yaml.safe_load".into())],
                            });
                        }
                        out.push(d);
                        continue;
                    }
                    is_any(
                        &name,
                        &[
                            "pickle.load",
                            "pickle.loads",
                            "cPickle.load",
                            "cPickle.loads",
                            "dill.load",
                            "dill.loads",
                            "marshal.load",
                            "marshal.loads",
                            "shelve.open",
                            "jsonpickle.decode",
                            "yaml.unsafe_load",
                        ],
                    )
                    .then(|| format!("`{name}` can run arbitrary code while loading untrusted data"))
                }
                "java" => matches!(name.as_str(), "new ObjectInputStream" | "new XMLDecoder")
                    .then(|| format!("`{name}` can instantiate arbitrary classes from untrusted data")),
                "ruby" => matches!(name.as_str(), "Marshal.load" | "YAML.unsafe_load" | "Psych.unsafe_load")
                    .then(|| format!("`{name}` can build arbitrary objects from untrusted data")),
                "php" => (name == "unserialize" && !constant_first_arg(cx, call)).then(|| {
                    "`unserialize` on untrusted data can run code through magic methods; use JSON".to_owned()
                }),
                "csharp" => matches!(
                    name.as_str(),
                    "new BinaryFormatter"
                        | "new NetDataContractSerializer"
                        | "new LosFormatter"
                        | "new SoapFormatter"
                )
                .then(|| format!("`{name}` is unsafe for untrusted data and obsolete")),
                "javascript" | "typescript" | "tsx" => name
                    .ends_with("unserialize")
                    .then(|| format!("`{name}` can run code embedded in the data")),
                _ => None,
            };
            if let Some(message) = message {
                out.push(by_flow(cx, call, Diagnostic::new("AUR308", Severity::Warning, message, call.byte_range())));
            }
        }
    },
};

pub(super) const XXE: Rule = Rule {
    info: info(
        "AUR309",
        "xml-external-entities",
        "an XML parser that may resolve external entities",
        Severity::Warning,
        include_str!("docs/AUR309.md"),
        None,
    ),
    check: |cx, out| {
        if !matches!(cx.lang(), "python" | "java" | "php" | "c" | "cpp") {
            return;
        }
        let facts = cx.facts();
        let defused = facts.has(Facts::DEFUSEDXML);
        let java_guarded = facts.has(Facts::XML_GUARDED);
        for (call, name) in calls(cx) {
            let flagged = match cx.lang() {
                "python" => {
                    !defused
                        && (is_any(
                            &name,
                            &[
                                "etree.parse",
                                "etree.fromstring",
                                "etree.XML",
                                "ElementTree.parse",
                                "ElementTree.fromstring",
                                "minidom.parse",
                                "minidom.parseString",
                                "sax.parse",
                                "sax.parseString",
                                "pulldom.parse",
                            ],
                        ) || matches!(name.as_str(), "ET.parse" | "ET.fromstring" | "ET.XML")
                            || name.ends_with("etree.XMLParser")
                                && !cx.text(call).replace(' ', "").contains("resolve_entities=False"))
                }
                "java" => {
                    is_any(
                        &name,
                        &[
                            "DocumentBuilderFactory.newInstance",
                            "SAXParserFactory.newInstance",
                            "XMLInputFactory.newInstance",
                            "TransformerFactory.newInstance",
                            "SchemaFactory.newInstance",
                        ],
                    ) && !java_guarded
                }
                "php" => {
                    facts.has(Facts::LIBXML_NOENT) && cx.text(call).contains("LIBXML_NOENT")
                        || name == "libxml_disable_entity_loader" && cx.text(call).contains("false")
                }
                "c" | "cpp" => facts.has(Facts::XML_PARSE_NOENT) && cx.text(call).contains("XML_PARSE_NOENT"),
                _ => false,
            };
            if flagged {
                out.push(Diagnostic::new(
                    "AUR309",
                    Severity::Warning,
                    format!(
                        "`{name}` may resolve external entities (XXE); disable DTDs or use a hardened parser"
                    ),
                    call.byte_range(),
                ));
            }
        }
    },
};

pub(super) const UNSAFE_WITHOUT_SAFETY: Rule = Rule {
    info: info(
        "AUR310",
        "undocumented-unsafe",
        "a Rust `unsafe` block without a `// SAFETY:` comment",
        Severity::Info,
        include_str!("docs/AUR310.md"),
        Some(Applicability::Safe),
    ),
    check: |cx, out| {
        if cx.lang() != "rust" {
            return;
        }
        let text = cx.file.text;
        for block in cx.nodes(&["unsafe_block"]) {
            let line = block.start_position().row;
            let first = line.saturating_sub(3);
            // `// Safety:` and `// safety:` are as common as clippy's `SAFETY:`.
            let says_why = |l: usize| text.line(l).to_string().to_ascii_uppercase().contains("SAFETY:");
            let documented = (first..=line.min(text.len_lines().saturating_sub(1))).any(says_why)
                || block.end_position().row > line
                    && says_why((line + 1).min(text.len_lines().saturating_sub(1)));
            if documented {
                continue;
            }
            let keyword = block.child(0).map_or(block.byte_range(), |k| k.byte_range());
            let statement = statement_of(block);
            let at_line = statement.start_position().row;
            let line_start = text.line_to_byte(at_line);
            let indent: String = text.line(at_line).chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            out.push(
                Diagnostic::new(
                    "AUR310",
                    Severity::Info,
                    "`unsafe` block without a `// SAFETY:` comment saying why it is sound",
                    keyword,
                )
                .with_fix(Fix {
                    title: "Add a `// SAFETY:` comment".into(),
                    applicability: Applicability::Safe,
                    edits: vec![(line_start..line_start, format!("{indent}// SAFETY: \n"))],
                }),
            );
        }
    },
};
