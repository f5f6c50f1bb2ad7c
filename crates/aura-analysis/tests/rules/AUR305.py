digest = hashlib.md5(password.encode()).hexdigest()  # want: AUR305
etag = hashlib.md5(body).hexdigest()
token_hash = hashlib.sha256(token).hexdigest()
