try:
    save()
except Exception:  # want: AUR201
    pass

try:
    save()
except:  # want: AUR201
    pass

try:
    save()
except OSError:
    # the file is optional; a missing one is fine
    pass

try:
    save()
except Exception:
    pass  # the file is optional; a missing one is fine

try:
    del cache[key]
except KeyError:
    pass

try:
    save()
except OSError as e:
    log(e)
