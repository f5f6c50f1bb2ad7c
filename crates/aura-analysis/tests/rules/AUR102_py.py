# A nested function counts toward the function around it, so only the
# outermost one is flagged even though `inner` alone is over the limit too.
def outer(a, b, c, d, e, f):  # want: AUR102
    def inner():
        if a:
            if b:
                if c:
                    if d:
                        if e:
                            return 1
        if f:
            return 2
    return inner()


def below_the_limit(a, b):
    if a:
        if b:
            return 1
