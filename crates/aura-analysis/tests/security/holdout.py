# Held-out labelled security cases: written after the rules were last
# changed and never used to tune them (see labelled.py for the format).
import hashlib
import marshal
import os
import random
import subprocess
from xml.sax import make_parser

import requests
import urllib3
import yaml
from lxml import etree

SENDGRID_API_KEY = "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"  # want: AUR301
settings = {"secret_key": "k9#Qm2!vLx8@Rt4$Zp6&Wn1*"}  # want: AUR301
REDIS_URL = "redis://:s3cr3tP4ssw0rd@cache.internal:6379/0"
MAX_PASSWORD_LENGTH = 128
password_reset_path = "/accounts/password/reset/"
API_VERSION = "2024-06-01"


class Client:
    def __init__(self, token="a8f5f167f44f4964e6c998dee827110c"):  # want: AUR301
        self.token = token

    def fetch(self, url):
        urllib3.disable_warnings()
        return requests.post(url, data={}, verify=False)  # want: AUR307

    def run(self, branch):
        subprocess.Popen("git checkout " + branch, shell=True)  # want: AUR304
        subprocess.check_output(["git", "log", "-1", branch])
        return os.system(f"git fetch origin {branch}")  # want: AUR304

    def lookup(self, db, user_id, order):
        db.execute("SELECT * FROM orders WHERE user_id = %s ORDER BY " + order, (user_id,))  # want: AUR303
        db.execute("SELECT * FROM orders WHERE user_id = %s", (user_id,))
        return db.fetchall()

    def load(self, raw, text):
        code = marshal.loads(raw)  # want: AUR308
        data = yaml.load(text, Loader=yaml.FullLoader)  # want: AUR308
        safe = yaml.load(text, Loader=yaml.CSafeLoader)
        return code, data, safe

    def parse(self, body):
        parser = make_parser()  # want: AUR309
        doc = etree.fromstring(body)  # want: AUR309
        return parser, doc

    def sign(self, secret, payload):
        signature = hashlib.new("md5", secret + payload).hexdigest()  # want: AUR305
        cache_key = hashlib.md5(payload).hexdigest()
        return signature, cache_key

    def nonce(self):
        otp = str(random.randint(100000, 999999))  # want: AUR306
        sample = random.sample(range(100), 5)
        return otp, sample

    def compute(self, expr):
        return eval(compile(expr, "<expr>", "eval"))  # want: AUR302
