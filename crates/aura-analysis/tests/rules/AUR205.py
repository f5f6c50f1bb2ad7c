class User:
    def __init__(self, name):
        self.name = self.name  # want: AUR205
        self.other = name
        name = name  # want: AUR205
        total = total + 1
