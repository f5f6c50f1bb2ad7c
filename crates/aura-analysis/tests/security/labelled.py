# Labelled security corpus: each line that a security rule should flag says
# `want: CODE`; every other line is a negative case. Written as ordinary
# application code, with the near misses such code has (checksums, shuffles,
# parameterised queries, safe loaders), so precision means something.
# scripts/oracles/compare.py security measures Aura, bandit and detect-secrets
# on it; the test in src/rules/tests.rs snapshots Aura's counts.
import hashlib
import os
import pickle
import random
import secrets
import sqlite3
import ssl
import subprocess
import xml.dom.minidom
import xml.etree.ElementTree as ET

import requests
import yaml

# Hard-coded credentials (AUR301)
AWS_ACCESS_KEY_ID = "AKIAZ7VQ4XKD3MPLN2QR"  # want: AUR301
aws_secret_access_key = "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"  # want: AUR301
GITHUB_TOKEN = "ghp_R4nD0mT0k3nV4lu3F0rT35t1ngPurp0s3sXyZ"  # want: AUR301
gitlab = "glpat-x8Kq2LmN4pRs6TuV8wYz"  # want: AUR301
SLACK_BOT = "xoxb-2048193745-2049817364-Qm8rT2vX9kLpZ4nB7cW1yH5d"  # want: AUR301
STRIPE_KEY = "sk_live_51HqLmNpQ2rStUvWxYz4AbCdEf"  # want: AUR301
GOOGLE_API_KEY = "AIzaSyD8kQ2mN4pR6tV8xZ1bC3dF5hJ7lP9rT0w"  # want: AUR301
jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Sfl4KxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"  # want: AUR301
db_password = "Tr0ub4dor&3xK9qLm"  # want: AUR301
client_secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # want: AUR301
KEY_PEM = "-----BEGIN OPENSSH PRIVATE KEY-----"  # want: AUR301
password = os.environ.get("DB_PASSWORD")
password_prompt = "Enter your password: "
token_url = "https://example.com/oauth/token"
secret_name = "prod/db/password"
password = ""
TOKEN_HEADER = "Authorization"
session_key = "session_id"
commit = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"
placeholder_key = "YOUR_API_KEY_HERE"


def credentials(user):
    # Code execution (AUR302)
    value = eval(user.expression)  # want: AUR302
    exec(user.script)  # want: AUR302
    constant = eval("2 ** 10")
    import ast
    parsed = ast.literal_eval(user.expression)
    return value, constant, parsed


def queries(conn: sqlite3.Connection, name, uid, table):
    cur = conn.cursor()
    # SQL built from strings (AUR303)
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")  # want: AUR303
    cur.execute(f"DELETE FROM sessions WHERE user_id = {uid}")  # want: AUR303
    cur.execute("UPDATE users SET name = '%s' WHERE id = %d" % (name, uid))  # want: AUR303
    cur.execute("SELECT * FROM {} WHERE id = ?".format(table), (uid,))  # want: AUR303
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    cur.execute("SELECT count(*) FROM users")
    message = "Deleting user " + name
    return message


def shell(path, user_file):
    # Shell commands built from variables (AUR304)
    os.system("tar czf backup.tgz " + path)  # want: AUR304
    subprocess.run(f"convert {user_file} out.png", shell=True)  # want: AUR304
    subprocess.call("grep -r %s ." % user_file, shell=True)  # want: AUR304
    os.popen("ls " + path)  # want: AUR304
    subprocess.run(["convert", user_file, "out.png"])
    subprocess.run("make clean", shell=True)
    os.system("clear")


def hashing(password, token, body):
    # Weak hashes for secrets (AUR305)
    stored = hashlib.md5(password.encode()).hexdigest()  # want: AUR305
    token_digest = hashlib.sha1(token).hexdigest()  # want: AUR305
    etag = hashlib.md5(body).hexdigest()
    checksum = hashlib.sha1(body).hexdigest()
    strong = hashlib.sha256(password.encode()).hexdigest()
    return stored, token_digest, etag, checksum, strong


def randomness(items):
    # Non-cryptographic randomness for secrets (AUR306)
    reset_token = "".join(random.choice("abcdef0123456789") for _ in range(32))  # want: AUR306
    api_key = random.getrandbits(128)  # want: AUR306
    random.shuffle(items)
    jitter = random.uniform(0.5, 1.5)
    session_token = secrets.token_urlsafe(32)
    return reset_token, api_key, jitter, session_token


def tls(url):
    # TLS verification disabled (AUR307)
    requests.get(url, verify=False)  # want: AUR307
    context = ssl._create_unverified_context()  # want: AUR307
    loose = ssl.create_default_context()
    loose.check_hostname = False  # want: AUR307
    loose.verify_mode = ssl.CERT_NONE  # want: AUR307
    requests.get(url, verify=True)
    requests.get(url, timeout=5)
    return context


def deserialise(blob, stream, path):
    # Unsafe deserialisation (AUR308)
    obj = pickle.loads(blob)  # want: AUR308
    config = yaml.load(stream)  # want: AUR308
    with open(path, "rb") as f:
        state = pickle.load(f)  # want: AUR308
    unsafe = yaml.load(stream, Loader=yaml.Loader)  # want: AUR308
    safe = yaml.load(stream, Loader=yaml.SafeLoader)
    also_safe = yaml.safe_load(stream)
    text = pickle.dumps(obj)
    return config, state, unsafe, safe, also_safe, text


def xml_parsing(upload, text):
    # XML parsers open to external entities (AUR309)
    tree = ET.parse(upload)  # want: AUR309
    root = ET.fromstring(text)  # want: AUR309
    doc = xml.dom.minidom.parseString(text)  # want: AUR309
    built = ET.Element("root")
    out = ET.tostring(built)
    return tree, root, doc, out
