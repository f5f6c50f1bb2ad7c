child_process.exec("git log " + ref); // want: AUR304
child_process.execFile("git", ["log", ref]);
pattern.exec(text);
