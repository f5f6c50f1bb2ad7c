eval(input); // want: AUR302
const f = new Function("a", body); // want: AUR302
JSON.parse(input);
