const stripe = "sk_live_0123456789abcdefABCD"; // want: AUR301
const config = { clientSecret: "Zx81kLq0Pw2mNv7R" }; // want: AUR301
const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"; // want: AUR301
const label = "Zx81kLq0Pw2mNv7R";
