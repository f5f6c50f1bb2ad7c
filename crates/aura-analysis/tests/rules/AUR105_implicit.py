class Client:
    def request(self, method, url, params, data, headers, *args, **kwargs):
        return method

    @classmethod
    def build(cls, a, b, c, d, *, e):
        return cls

    def wide(self, a, b, c, d, e, f):  # want: AUR105
        return a
