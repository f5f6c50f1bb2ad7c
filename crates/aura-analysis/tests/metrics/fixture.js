// Metrics fixture for JavaScript. Cyclomatic counts what ESLint's
// `complexity` counts except default parameters and optional chaining
// (docs/metrics.md); cognitive follows the SonarSource white paper.

// expect: plain cc=1 cog=0 params=0 exits=0
function plain() {}

// expect: elseIf cc=3 cog=3 nest=1 params=1 exits=3
function elseIf(x) {
  if (x > 0) {
    return 1;
  } else if (x < 0) {
    return -1;
  } else {
    return 0;
  }
}

// A comment between `else` and `if` leaves it an `else if`: +1 without nesting, and no +1 for an `else`.
// expect: elseCommentIf cc=3 cog=2 nest=1 params=1 exits=2
function elseCommentIf(x) {
  if (x > 0) {
    return 1;
  } else /* negative */ if (x < 0) {
    return -1;
  }
}

// A condition is not nested in its structure: the ternary in the `if`
// test scores +1, the one in the returned ternary's test +2 (the `if` body)
// and the one in its branch +3.
// expect: headerTernaries cc=6 cog=9 nest=1 params=2 exits=1
function headerTernaries(a, b) {
  if (a ? b : 1) {
    return a[b ? 0 : 1] ? (b ? 1 : 2) : 3;
  }
}

// expect: loops cc=5 cog=10 nest=4 params=1
function loops(items) {
  for (const a of items) {
    for (let i = 0; i < a; i++) {
      while (i) {
        do { i--; } while (i > 5);
      }
    }
  }
}

// expect: cases cc=3 cog=1 nest=1 exits=3
function cases(x) {
  switch (x) {
    case 1: return "one";
    case 2: return "two";
    default: return "many";
  }
}

// expect: logical cc=5 cog=4 params=3 exits=1
function logical(a, b, c) {
  return (a && b) || (c ?? a) || b;
}

// expect: tryCatch cc=2 cog=1 nest=1 exits=1
function tryCatch() {
  try {
    risky();
  } catch (e) {
    throw e;
  } finally {
    done();
  }
}

// expect: arrow cc=2 cog=1 params=1
const arrow = (x) => (x ? 1 : 2);

// expect: bare params=1 cc=1
const bare = x => x;

// expect: labelled cc=4 cog=7 nest=3
function labelled(grid) {
  outer: for (const row of grid) {
    for (const cell of row) {
      if (cell) continue outer;
    }
  }
}

class Widget {
  // expect: render cc=2 cog=1 exits=2
  render() {
    if (this.hidden) return null;
    return "<div/>";
  }
}

// expect: callbacks cc=1 cog=0
function callbacks(list) {
  // expect: <anonymous> cc=2 cog=1 exits=1
  list.forEach(function (item) {
    if (item) return;
  });
}
