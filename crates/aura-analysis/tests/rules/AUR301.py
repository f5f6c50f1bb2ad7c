AWS_KEY = "AKIAIOSFODNN7EXAMPLE"  # want: AUR301
db_password = "f8a9Qz1LmP0xW3rT"  # want: AUR301
GITHUB = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"  # want: AUR301
PRIVATE = "-----BEGIN RSA PRIVATE KEY-----"  # want: AUR301
api_token = os.environ["API_TOKEN"]
password = "changeme"
password_hint = "your password here"
greeting = "f8a9Qz1LmP0xW3rT"
