def list():  # want: AUR207
    return []


def total(items, type=None, id=None):
    return sum(items)


id = 5  # want: AUR207
for type in kinds:  # want: AUR207
    pass


class Model:
    id = 1
    def type(self):
        return 1
    def input(self, value):
        return value


def fine(items):
    return items
