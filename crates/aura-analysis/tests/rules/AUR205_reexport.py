# compat.py: module-level names for the builtins, importable from here.
str = str
bytes = bytes
total = 0
total = total  # want: AUR205
