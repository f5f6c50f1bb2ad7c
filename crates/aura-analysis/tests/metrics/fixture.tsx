// Metrics fixture for TSX: JSX inside TypeScript.

// expect: Item cc=2 cog=1 params=1 exits=1
function Item({ done }: { done: boolean }) {
  return <li>{done ? "✓" : "…"}</li>;
}
