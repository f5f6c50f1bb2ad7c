// Metrics fixture for TypeScript: the JavaScript table plus typed syntax.

// expect: typed cc=4 cog=3 params=2 exits=2
function typed(a: number, b?: string): string {
  if (a > 0 && b) {
    return b;
  }
  return a > 1 ? "x" : "y";
}

interface Shape {
  area(): number;
}

class Square implements Shape {
  // expect: constructor cc=1 params=1
  constructor(private side: number) {}
  // expect: area cc=1 cog=0 exits=1
  area(): number {
    return this.side * this.side;
  }
}

// expect: guard cc=3 cog=2 nest=1
const guard = (x: unknown): void => {
  for (const k in x as object) {
    console.log(k ?? "none");
  }
};
