//! A generated secret corpus: fake but format-valid credentials planted in
//! the files where people really leave them (.env, compose and Kubernetes
//! YAML, connection strings, shell history, PHP/Ruby/Java/Go/C# source, XML,
//! .netrc, .npmrc, Docker's config.json, prose), and harmless look-alikes
//! that must come back untouched. Every value is drawn from a seeded
//! generator when the test runs, so no realistic token is committed.
//!
//! Shared by the redaction test in aura-llm and the end-to-end test that
//! sends the corpus through `aura ask`, `run-program`, the LSP and completion.

#![allow(dead_code)]

/// One planted file.
#[derive(Debug, Clone)]
pub struct Case {
    /// The format, for the report.
    pub format: &'static str,
    /// A file name the text could have.
    pub file: &'static str,
    pub text: String,
    /// The secrets in `text` (none for a look-alike).
    pub secrets: Vec<String>,
}

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char).collect()
    }

    pub fn alnum(&mut self, n: usize) -> String {
        self.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", n)
    }

    pub fn hex(&mut self, n: usize) -> String {
        self.pick(b"0123456789abcdef", n)
    }

    /// A password people choose: letters, then digits and a symbol.
    pub fn password(&mut self) -> String {
        let n = 8 + (self.next() % 8) as usize;
        let mut p = self.pick(b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", n);
        p.push_str(&self.pick(b"23456789", 2));
        p.push_str(&self.pick(b"!#%^*-_+=~", 1));
        p
    }

    /// A password safe inside a URL or a shell word without quoting.
    pub fn url_password(&mut self) -> String {
        let mut p = self.pick(b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", 10);
        p.push_str(&self.pick(b"23456789", 3));
        p
    }
}

/// Whether `secret` leaked into `text`: any 6-character piece of it survives.
pub fn leaked(secret: &str, text: &str) -> bool {
    let pieces = secret.len().saturating_sub(5).max(1);
    (0..pieces).any(|i| secret.get(i..(i + 6).min(secret.len())).is_some_and(|p| text.contains(p)))
}

pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn case(format: &'static str, file: &'static str, text: String, secrets: &[&String]) -> Case {
    Case { format, file, text, secrets: secrets.iter().map(|s| s.to_string()).collect() }
}

/// The planted secrets: at least 60, in at least 20 formats.
pub fn secrets(seed: u64) -> Vec<Case> {
    let mut r = Rng::new(seed);
    let mut out = Vec::new();
    for _ in 0..2 {
        let pw = r.url_password();
        out.push(case(
            "postgres URL",
            ".env",
            format!("DEBUG=false\nDATABASE_URL=postgres://app:{pw}@db.internal:5432/app\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        let host = r.alnum(5).to_lowercase();
        out.push(case(
            "mongodb+srv URL",
            "db.py",
            format!("from pymongo import MongoClient\n\nclient = MongoClient(\"mongodb+srv://admin:{pw}@cluster0.{host}.mongodb.net/test?retryWrites=true\")\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case(
            "amqp URL",
            "celeryconfig.yaml",
            format!("celery:\n  broker_url: amqp://worker:{pw}@rabbit:5672//\n  result_backend: rpc://\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case("redis URL", "cache.js", format!("const Redis = require(\"ioredis\");\nconst redis = new Redis(\"redis://:{pw}@cache:6379/0\");\nmodule.exports = redis;\n"), &[&pw]));
        let pw = r.url_password();
        out.push(case(
            "JDBC password parameter",
            "application.properties",
            format!("spring.datasource.url=jdbc:mysql://db:3306/app?user=app&password={pw}&useSSL=true\nspring.jpa.show-sql=false\n"),
            &[&pw],
        ));
        let pw = r.password().replace(';', "");
        out.push(case(
            "SQL Server connection string",
            "Startup.cs",
            format!("var cs = \"Server=tcp:db,1433;Database=app;User Id=sa;Password={pw};TrustServerCertificate=True\";\nservices.AddDbContext<AppDb>(o => o.UseSqlServer(cs));\n"),
            &[&pw],
        ));
        let key = base64(r.alnum(64).as_bytes());
        out.push(case(
            "Azure storage connection string",
            "appsettings.json",
            format!("{{\n  \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={key};EndpointSuffix=core.windows.net\"\n}}\n"),
            &[&key],
        ));
        let pw = r.password().replace('\'', "");
        out.push(case(
            "PHP array",
            "config/database.php",
            format!("<?php\nreturn [\n    'host' => '127.0.0.1',\n    'username' => 'forge',\n    'password' => '{pw}',\n];\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case(
            "docker-compose environment list",
            "docker-compose.yml",
            format!("services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_USER=app\n      - POSTGRES_PASSWORD={pw}\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case(
            "Kubernetes env name/value",
            "deployment.yaml",
            format!("      containers:\n        - name: api\n          env:\n            - name: DB_PASSWORD\n              value: \"{pw}\"\n            - name: LOG_LEVEL\n              value: info\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case(
            "YAML value on the next line",
            "secrets.yaml",
            format!("database:\n  user: app\n  password:\n    {pw}\n  port: 5432\n"),
            &[&pw],
        ));
        let pw = r.alnum(40);
        out.push(case(
            "YAML block scalar",
            "values.yaml",
            format!("auth:\n  clientSecret: |\n    {pw}\n  clientId: web\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case(
            "curl -u",
            "deploy.sh",
            format!(
                "#!/bin/sh\ncurl -fsS -u deploy:{pw} https://artifacts.internal/upload -T build.tar.gz\n"
            ),
            &[&pw],
        ));
        let pw = r.password().replace('\'', "");
        out.push(case(
            "mysql -p",
            "backup.sh",
            format!("#!/bin/bash\nmysqldump -u root -p'{pw}' app > dump.sql\n"),
            &[&pw],
        ));
        let user = r.alnum(6).to_lowercase();
        let pw = r.url_password();
        let auth = base64(format!("{user}:{pw}").as_bytes());
        out.push(case(
            "Docker config.json auth",
            ".docker/config.json",
            format!(
                "{{\n  \"auths\": {{\n    \"ghcr.io\": {{\n      \"auth\": \"{auth}\"\n    }}\n  }}\n}}\n"
            ),
            &[&auth],
        ));
        let pw = r.url_password();
        out.push(case(
            ".env DB_PASS",
            ".env",
            format!("DB_HOST=localhost\nDB_PASS={pw}\nDB_PORT=5432\n"),
            &[&pw],
        ));
        let key = format!(
            "django-insecure-{}(){}",
            r.alnum(20).to_lowercase(),
            r.pick(b"abcdefghijklmnop0123456789!@#%^&*(-_=+)", 18)
        );
        out.push(case(
            "Django SECRET_KEY",
            "settings.py",
            format!("import os\n\nSECRET_KEY = '{key}'\nDEBUG = False\n"),
            &[&key],
        ));
        let pw = r.password();
        out.push(case(
            "password in a prose comment",
            "notes.py",
            format!("# the staging admin password is {pw} (rotate monthly)\ndef login():\n    pass\n"),
            &[&pw],
        ));
        let tok = r.alnum(32);
        out.push(case(
            "Bearer header in curl",
            "api.sh",
            format!("curl -H \"Authorization: Bearer {tok}\" https://api.internal/v1/items\n"),
            &[&tok],
        ));
        let basic = base64(format!("svc:{}", r.url_password()).as_bytes());
        out.push(case(
            "Basic header in code",
            "client.py",
            format!("headers = {{\"Authorization\": \"Basic {basic}\", \"Accept\": \"application/json\"}}\n"),
            &[&basic],
        ));
        let pw = r.url_password();
        out.push(case("--password flag", "restore.sh", format!("mongorestore --host db --username admin --password {pw} --authenticationDatabase admin dump/\n"), &[&pw]));
        let pw = r.password().replace('"', "");
        out.push(case(
            "TOML",
            "config.toml",
            format!("[database]\nhost = \"db\"\npassword = \"{pw}\"\n"),
            &[&pw],
        ));
        let pw = r.url_password();
        out.push(case("INI", "my.cnf", format!("[client]\nuser=backup\npassword={pw}\n"), &[&pw]));
        let pw = r.password().replace(['<', '&'], "");
        out.push(case("XML element", "settings.xml", format!("<server>\n  <id>nexus</id>\n  <username>deploy</username>\n  <password>{pw}</password>\n</server>\n"), &[&pw]));
        let pw = r.url_password();
        out.push(case(
            "XML key/value attributes",
            "Web.config",
            format!("<appSettings>\n  <add key=\"DbPassword\" value=\"{pw}\" />\n</appSettings>\n"),
            &[&pw],
        ));
        let pw = r.password().replace('\'', "");
        let key = r.alnum(32);
        out.push(case(
            "Ruby hash",
            "config.rb",
            format!(
                "Mailer.configure(\n  user_name: 'apikey',\n  password: '{pw}',\n  :api_key => '{key}'\n)\n"
            ),
            &[&pw, &key],
        ));
        let secret = r.alnum(36);
        out.push(case(
            "JSON client_secret",
            "credentials.json",
            format!("{{\"installed\": {{\"client_id\": \"1234.apps\", \"client_secret\": \"{secret}\"}}}}\n"),
            &[&secret],
        ));
        let key = r.alnum(32);
        out.push(case(
            "Go short assignment",
            "main.go",
            format!("package main\n\nfunc main() {{\n\tapiKey := \"{key}\"\n\trun(apiKey)\n}}\n"),
            &[&key],
        ));
        let pw = r.password().replace('"', "");
        out.push(case("Java setProperty", "Mail.java", format!("Properties props = new Properties();\nprops.setProperty(\"mail.smtp.password\", \"{pw}\");\n"), &[&pw]));
        let tok = format!("npm_{}", r.alnum(36));
        out.push(case(
            ".npmrc auth token",
            ".npmrc",
            format!("registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={tok}\n"),
            &[&tok],
        ));
        let pw = r.url_password();
        out.push(case(
            ".netrc",
            ".netrc",
            format!("machine api.internal\n  login deploy\n  password {pw}\n"),
            &[&pw],
        ));
        let tok = format!("ghp_{}", r.alnum(36));
        out.push(case(
            "GitHub token export",
            ".bashrc",
            format!("export PATH=$HOME/bin:$PATH\nexport GITHUB_TOKEN={tok}\n"),
            &[&tok],
        ));
        let tok = r.alnum(28);
        out.push(case(
            "Dockerfile ENV",
            "Dockerfile",
            format!("FROM python:3.12-slim\nENV API_TOKEN={tok}\nCMD [\"python\", \"app.py\"]\n"),
            &[&tok],
        ));
        let pw = r.password().replace('"', "");
        out.push(case(
            "Python keyword argument",
            "db.py",
            format!("conn = psycopg2.connect(host=\"db\", user=\"app\", password=\"{pw}\")\n"),
            &[&pw],
        ));
        let tok = r.alnum(20);
        out.push(case(
            "token in a git remote",
            ".git/config",
            format!("[remote \"origin\"]\n\turl = https://oauth2:{tok}@gitlab.com/group/repo.git\n"),
            &[&tok],
        ));
        let body: Vec<String> = (0..4).map(|_| r.alnum(64)).collect();
        let block = format!(
            "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----",
            body.join("\n")
        );
        out.push(case("SSH private key", "id_ed25519", format!("{block}\n"), &[&body[0], &body[3]]));
        let key = format!("AKIA{}", r.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
        let secret = base64(r.alnum(30).as_bytes());
        out.push(case(
            "AWS credentials file",
            ".aws/credentials",
            format!("[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
            &[&key, &secret],
        ));
        let pw = r.password().replace('"', "");
        out.push(case(
            "Terraform",
            "main.tf",
            format!(
                "resource \"aws_db_instance\" \"db\" {{\n  username = \"admin\"\n  password = \"{pw}\"\n}}\n"
            ),
            &[&pw],
        ));
    }
    out
}

/// Harmless look-alikes: each must come back unchanged.
pub fn look_alikes(seed: u64) -> Vec<Case> {
    let mut r = Rng::new(seed ^ 0x5eed);
    let sha = r.hex(40);
    let texts: Vec<(&'static str, &'static str, String)> = vec![
        ("policy constant", "auth.py", "PASSWORD_POLICY = \"min_length_12_chars\"\n".into()),
        ("strategy constant", "auth.py", "TOKEN_STRATEGY = \"refresh_token_rotation\"\n".into()),
        ("long test name", "test_names.py", "def test_handles_unicode_normalization_in_user_names_v2():\n    assert normalize(\"Zoë\") == \"Zoë\"\n".into()),
        ("getpass call", "cli.py", "password = getpass.getpass(\"Password: \")\n".into()),
        ("environment lookup", "cfg.py", "token = os.environ[\"GITHUB_TOKEN\"]\n".into()),
        ("settings reference", "cfg.py", "api_key = settings.OPENAI_API_KEY\n".into()),
        ("env interpolation", ".env", "DB_PASSWORD=${DB_PASSWORD}\n".into()),
        ("Helm template", "secret.yaml", "  password: \"{{ .Values.db.password }}\"\n".into()),
        ("pydantic annotation", "models.py", "class Login(BaseModel):\n    username: str\n    password: str\n".into()),
        ("TypeScript interface", "types.ts", "interface Session {\n  token: string;\n  expiresAt: number;\n}\n".into()),
        ("validation message", "forms.py", "if not password:\n    raise ValueError(\"password is required\")\n".into()),
        ("HTML password input", "login.html", "<input type=\"password\" name=\"password\" placeholder=\"Password\">\n".into()),
        ("length constant", "auth.py", "PASSWORD_MIN_LENGTH = 12\n".into()),
        ("boolean flag", "ui.py", "show_password = True\n".into()),
        ("function signature", "auth.py", "def check_password(user, password):\n    return verify(user.hash, password)\n".into()),
        ("commit id", "NOTES.md", format!("Fixed in {sha}; see the changelog.\n")),
        ("UUID", "ids.py", "request_id = \"123e4567-e89b-12d3-a456-426614174000\"\n".into()),
        ("environment default", "settings.py", "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\")\n".into()),
        ("login redirect URL", "urls.yaml", "login: https://example.com/login?next=/dashboard\n".into()),
        ("URL without userinfo", ".env", "DATABASE_URL=postgres://localhost:5432/app\n".into()),
        ("curl with variables", "ci.sh", "curl -u \"$CI_USER:$CI_PASS\" https://ci.internal/api\n".into()),
        ("mysql prompting", "db.sh", "mysql -u root -p app < schema.sql\n".into()),
        ("Bearer variable", "api.sh", "curl -H \"Authorization: Bearer ${TOKEN}\" https://api.internal\n".into()),
        ("token type", "oauth.py", "token_type = \"Bearer\"\n".into()),
        ("reset URL", "config.json", "{\"password_reset_url\": \"https://example.com/reset\"}\n".into()),
        ("hash call", "auth.py", "password_hash = bcrypt.hashpw(password, salt)\n".into()),
        ("regex literal", "validate.js", "const passwordRegex = /^(?=.*[A-Z]).{8,}$/;\n".into()),
        ("key path", "tls.py", "private_key_path = \"/etc/ssl/private/server.key\"\n".into()),
        ("base64 without a colon", "fixture.py", "data = \"SGVsbG8gd29ybGQh\"\n".into()),
        ("camelCase method", "Account.java", "return service.getUserAccountNotificationSettingsForTenant2(id);\n".into()),
        ("docs link", "README.md", "See https://docs.example.com/auth#tokens for how to create a token.\n".into()),
        ("secret name", "aws.py", "secret_name = \"prod/db/password\"\n".into()),
        ("kubectl from variable", "deploy.sh", "kubectl create secret generic db --from-literal=password=$DB_PASSWORD\n".into()),
        ("auth object", "config.json", "{\"auth\": {\"type\": \"oauth2\"}}\n".into()),
        ("variable assignment", "login.py", "password = pw\n".into()),
        ("author", "setup.py", "author = \"Jane Doe\"\n".into()),
        ("password prompt text", "cli.go", "fmt.Print(\"Enter password: \")\n".into()),
        ("token count", "llm.py", "max_tokens = 256\n".into()),
        ("Rust field type", "lib.rs", "pub struct Creds {\n    pub token: String,\n    pub password: Option<String>,\n}\n".into()),
    ];
    texts.into_iter().map(|(format, file, text)| Case { format, file, text, secrets: Vec::new() }).collect()
}
