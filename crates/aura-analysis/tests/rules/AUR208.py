def add(item, items=[]):  # want: AUR208
    items.append(item)


def count(word, seen=dict()):  # want: AUR208
    return seen


def ok(item, items=None, n=0, name="x", pair=(1, 2)):
    return items
