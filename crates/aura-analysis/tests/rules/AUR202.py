try:
    run()
except:  # want: AUR202
    log()

try:
    run()
except BaseException:  # want: AUR202
    log()

try:
    run()
except BaseException:
    cleanup()
    raise

try:
    run()
except Exception:
    log()
