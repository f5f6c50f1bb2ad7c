from typing import TYPE_CHECKING


class Mapping:
    if TYPE_CHECKING:
        def type(self): ...
        def filter(self, key): ...
        id = 0
    else:
        def format(self, spec):
            return spec
