# Strings that differ only in whitespace are different values.
def sep(compact):
    return '' if compact else ' '


def pad(wide):
    if wide:
        out = "a  b"
    else:
        out = "a b"
    return out
