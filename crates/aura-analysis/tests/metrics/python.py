# Metrics fixture for Python. Cyclomatic follows radon's counting; cognitive
# follows the SonarSource white paper. Values were worked out by hand.

# expect: plain cc=1 cog=0 nest=0 params=0 exits=0 loc=2 sloc=2
def plain():
    pass


# expect: if_elif_else cc=3 cog=3 nest=1 params=1 exits=3
def if_elif_else(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


# expect: nested_loops cc=4 cog=6 nest=3 params=2 exits=1
def nested_loops(rows, limit):
    for row in rows:
        while row:
            if row > limit:
                break
            row -= 1
    return rows


# A loop's `else` runs after the loop: an `if` in it adds no cognitive
# nesting, though it sits two statements deep (nest=2).
# expect: loop_else cc=4 cog=2 nest=2
def loop_else(items):
    for item in items:
        print(item)
    else:
        if items:
            print("done")


# expect: try_except cc=4 cog=2 nest=1 exits=2
def try_except(path):
    try:
        handle = open(path)
    except OSError:
        return None
    except ValueError:
        raise
    else:
        handle.close()
    finally:
        pass


# expect: booleans cc=5 cog=3 params=4 exits=2
def booleans(a, b, c, d):
    if a and b and c or d:
        return True
    return False


# expect: comprehension cc=4 cog=0
def comprehension(xs):
    return [x for x in xs if x if x > 1]


# Headers are not nested: the conditional in the `if` test scores +1 and
# the one in the outer conditional's test +2 (the `if` body), not +3.
# expect: header_conditionals cc=5 cog=6 nest=1 params=3 exits=1
def header_conditionals(a, b, c):
    if (a if b else c):
        return a if (b if c else a) else c


# expect: ternary_lambda cc=3 cog=3
def ternary_lambda(x):
    f = lambda y: y if y else x
    return f(x) if x else None


# expect: match_case cc=3 cog=1 nest=1 exits=3
def match_case(command):
    match command:
        case "go":
            return 1
        case "stop":
            return 2
        case _:
            return 0


# expect: assert_opaque cc=2 cog=1
def assert_opaque(a, b):
    assert a and b


# A nested def folds into the enclosing function's cognitive complexity one
# level deeper: inner's `if` is +2 there.
# expect: outer cc=2 cog=3 exits=1
def outer(a):
    # expect: inner cc=2 cog=1 nest=1 exits=1
    def inner(b):
        if b:
            return b
    if a:
        return inner(a)


# expect: separators params=4 cc=1
def separators(a, /, b, *, c, **kw):
    return a


class Shape:
    # expect: area line=116 cc=1 params=1 loc=3 sloc=2 comment=1
    @property
    def area(self):
        # a comment line
        return 0


# expect: nested_else_if cc=4 cog=6 nest=2
def nested_else_if(a, b):
    if a:
        pass
    else:
        if b:
            pass
        while b:
            b -= 1


# expect: capture cc=2 cog=1
def capture(command):
    match command:
        case Color.RED:
            return 1
        case other:
            return other


# The decorator idiom (only a def and a return) folds in without a level.
# expect: decorator cc=1 cog=1 exits=1
def decorator(func):
    # expect: wrapper cc=2 cog=1 nest=1 exits=1
    @functools.wraps(func)
    def wrapper(*args):
        if args:
            return func(*args)
    return wrapper


# A def inside a branch is one level deeper than the branch: `if b` is +3.
# expect: def_in_branch cc=2 cog=4 exits=1
def def_in_branch(a):
    if a:
        # expect: branch_inner cc=2 cog=1 exits=1
        def branch_inner(b):
            if b:
                return b
        return branch_inner


# A local class's methods fold in at the class's own level.
# expect: local_class cc=2 cog=2 exits=1
def local_class(items):
    class Local:
        # expect: method cc=2 cog=1 exits=1
        def method(self):
            if self:
                return items
    for item in items:
        pass
    return Local


# Folding composes: leaf's `if` is +3 in layers (two levels of defs).
# expect: layers cc=2 cog=6
def layers(a):
    # expect: middle cc=2 cog=3 exits=1
    def middle(b):
        # expect: leaf cc=2 cog=1 exits=1
        def leaf(c):
            if c:
                return c
        if b:
            return leaf(b)
    while a:
        a = middle(a)


# Recursion: +1 once, however many calls.
# expect: fib cc=2 cog=2 exits=2
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


# A method call of the same name, or a call from a lambda, is not recursion.
# expect: not_recursive cc=1 cog=0 exits=1
def not_recursive(node):
    callback = lambda: not_recursive(node.child)
    return node.not_recursive(), callback


# `case (other):` is a group pattern around a capture: the catch-all, 0.
# expect: group_capture cc=2 cog=1 exits=2
def group_capture(command):
    match command:
        case 1:
            return 1
        case (other):
            return other


# `case a, b:` and `case y,:` are sequence patterns, not catch-alls: +1 each.
# expect: sequence_capture cc=3 cog=1
def sequence_capture(pair):
    match pair:
        case y,:
            pass
        case a, b:
            pass
