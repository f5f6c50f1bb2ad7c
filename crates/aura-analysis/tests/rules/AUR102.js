function tangled(xs) { // want: AUR102
  for (const x of xs) {
    if (x) {
      for (const y of x) {
        if (y) {
          while (y.next) {
            if (y.a && y.b || y.c) { break; }
          }
        }
      }
    }
  }
}

function flat(x) {
  if (x) return 1;
  return 2;
}
