//! The held-out split of the secret corpus: formats and look-alikes written
//! after the redactor was tuned on `secret_corpus.rs`, from other places
//! credentials are found (ops one-liners, CI files, lock files, Django and
//! .NET settings), to measure the redactor on input it was not fitted to.
//! Its first-run figure is in the redaction test's doc comment.

#![allow(dead_code)]

use super::secret_corpus::{base64, Case, Rng};

fn case(format: &'static str, file: &'static str, text: String, secret: &str) -> Case {
    Case { format, file, text, secrets: vec![secret.to_string()] }
}

pub fn secrets(seed: u64) -> Vec<Case> {
    let mut r = Rng::new(seed ^ 0x401d);
    let mut out = Vec::new();
    let p = r.url_password();
    out.push(case(
        "Spring properties",
        "application.properties",
        format!("spring.datasource.password={p}\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case("GitHub Actions env", "ci.yml", format!("    env:\n      SMTP_PASSWORD: \"{p}\"\n"), &p));
    let p = r.password().replace('\'', "");
    out.push(case(
        "Django DATABASES",
        "settings.py",
        format!("DATABASES = {{'default': {{'ENGINE': 'x', 'PASSWORD': '{p}'}}}}\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case(
        ".NET env connection string",
        ".env",
        format!("ConnectionStrings__Default=\"Host=db;Username=app;Password={p}\"\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case("ftp URL", "sync.sh", format!("lftp ftp://backup:{p}@files.internal/\n"), &p));
    let p = r.url_password();
    out.push(case(
        "sshpass",
        "deploy.sh",
        format!("sshpass -p '{p}' ssh deploy@web1 'systemctl restart app'\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case("docker login -p", "ci.sh", format!("docker login -u ci -p {p} registry.internal\n"), &p));
    let p = r.url_password();
    out.push(case(
        "wget --http-password",
        "fetch.sh",
        format!("wget --http-user=ci --http-password={p} https://files.internal/a.tgz\n"),
        &p,
    ));
    let p = r.alnum(39);
    out.push(case(
        "Firebase config",
        "firebase.js",
        format!(
            "const firebaseConfig = {{\n  apiKey: \"{p}\",\n  authDomain: \"app.firebaseapp.com\",\n}};\n"
        ),
        &p,
    ));
    let p = r.alnum(32);
    out.push(case(
        "GitHub token header",
        "gh.py",
        format!("session.headers[\"Authorization\"] = \"token {p}\"\n"),
        &p,
    ));
    let p = r.alnum(30);
    out.push(case("x-api-key header in YAML", "http.yaml", format!("headers:\n  x-api-key: {p}\n"), &p));
    let p = r.url_password();
    out.push(case(
        "PGPASSWORD inline",
        "migrate.sh",
        format!("PGPASSWORD={p} psql -h db -U app -f schema.sql\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case(
        "Ansible become pass",
        "inventory.yml",
        format!("all:\n  vars:\n    ansible_become_pass: {p}\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case("redis-cli -a", "flush.sh", format!("redis-cli -h cache -a {p} FLUSHALL\n"), &p));
    let p = r.url_password();
    out.push(case(".pgpass", ".pgpass", format!("db.internal:5432:app:app:{p}\n"), &p));
    let p = r.password();
    out.push(case(
        "prose with a qualifier",
        "HANDOVER.md",
        format!("The password for staging is {p} until Friday.\n"),
        &p,
    ));
    let p = r.url_password();
    out.push(case("Markdown field", "ACCESS.md", format!("- **User:** admin\n- **Password:** {p}\n"), &p));
    let p = r.url_password();
    out.push(case(
        "docker run -e",
        "run.sh",
        format!("docker run -d -e MYSQL_ROOT_PASSWORD={p} mysql:8\n"),
        &p,
    ));
    let p = format!("SG.{}.{}", r.alnum(22), r.alnum(43));
    out.push(case("SendGrid key", "mail.py", format!("sg = SendGridAPIClient(\"{p}\")\n"), &p));
    let p = format!("sk-proj-{}", r.alnum(48));
    out.push(case("OpenAI key as argument", "llm.py", format!("client = OpenAI(api_key=\"{p}\")\n"), &p));
    let p = base64(format!("ci:{}", r.url_password()).as_bytes());
    out.push(case(
        "basic auth in nginx",
        "proxy.conf",
        format!("proxy_set_header Authorization \"Basic {p}\";\n"),
        &p,
    ));
    let p = r.alnum(24);
    out.push(case(
        "secret in a JS object",
        "auth.js",
        format!("module.exports = {{ jwtSecret: '{p}', expiresIn: '1h' }};\n"),
        &p,
    ));
    out
}

pub fn look_alikes() -> Vec<Case> {
    let texts: &[(&'static str, &'static str, &str)] = &[
        ("form field", "views.py", "password_confirmation = request.form[\"password_confirmation\"]\n"),
        ("token endpoint", "oidc.json", "{\"token_endpoint\": \"https://id.example.com/oauth2/token\"}\n"),
        ("secrets manager call", "aws.py", "value = client.get_secret_value(SecretId=\"prod/db\")\n"),
        ("prefix check", "scan.py", "if token.startswith(\"ghp_\"):\n    warn()\n"),
        ("login.defs", "login.defs", "PASS_MAX_DAYS   99999\n"),
        ("Selenium", "test_login.py", "password_field.send_keys(password)\n"),
        ("WWW-Authenticate", "server.py", "resp.headers[\"WWW-Authenticate\"] = 'Bearer realm=\"api\"'\n"),
        ("pg_hba method", "pg.yaml", "auth_method: md5\n"),
        ("keyboard layout", "kb.toml", "keyboard = \"qwerty\"\n"),
        ("passport dependency", "package.json", "{\"dependencies\": {\"passport\": \"^0.6.0\"}}\n"),
        ("tokenizer", "nlp.py", "tokenizer = AutoTokenizer.from_pretrained(\"bert-base-uncased\")\n"),
        (
            "ERB env reference",
            "secrets.yml",
            "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n",
        ),
        ("kubeconfig export", ".bashrc", "export KUBECONFIG=~/.kube/config\n"),
        ("API version", "azure.py", "api_version = \"2023-05-15\"\n"),
        (
            "long function name",
            "upload.py",
            "def compute_sha256_digest_for_chunked_upload_part(part):\n    return part\n",
        ),
        ("storage key name", "auth.ts", "const TOKEN_KEY = \"auth.token\";\n"),
        ("passwordless flag", "auth.toml", "passwordless = true\n"),
        ("tokens per minute", "limits.yaml", "tokens_per_minute: 90000\n"),
        (
            "secret volume mount",
            "pod.yaml",
            "      volumes:\n        - name: tls\n          secret:\n            secretName: web-tls\n",
        ),
        ("password reset route", "routes.rb", "get 'password/reset', to: 'passwords#new'\n"),
    ];
    texts
        .iter()
        .map(|(format, file, text)| Case { format, file, text: text.to_string(), secrets: Vec::new() })
        .collect()
}
