export function render(el) {
  el.innerHTML = "<p>ok</p>";
}
