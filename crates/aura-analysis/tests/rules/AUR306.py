reset_token = "".join(random.choice(chars) for _ in range(32))  # want: AUR306
delay = random.random() * 2
reset_token = secrets.token_urlsafe(32)
