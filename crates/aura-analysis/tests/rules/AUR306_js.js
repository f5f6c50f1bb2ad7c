const sessionId = Math.random().toString(36); // want: AUR306
const jitter = Math.random() * 100;
