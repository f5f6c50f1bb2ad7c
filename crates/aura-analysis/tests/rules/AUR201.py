try:
    save()
except OSError:  # want: AUR201
    pass

try:
    save()
except OSError:
    # the file is optional; a missing one is fine
    pass

try:
    save()
except OSError as e:
    log(e)
