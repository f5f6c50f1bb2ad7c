if retries > 7:  # want: AUR210
    pass
if retries > 1:
    pass
