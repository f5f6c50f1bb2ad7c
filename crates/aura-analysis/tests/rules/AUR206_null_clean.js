// `== null` is the idiomatic test for null or undefined.
function orDefault(a, b) {
  if (a == null) return b;
  return a != null ? a : b;
}
