function f() {
  return 1;
  cleanup(); // want: AUR203
}

function g() {
  return helper();
  function helper() { return 2; }
}
