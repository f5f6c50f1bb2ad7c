try { go(); } catch (e) {} // want: AUR201
try { go(); } catch (e) { report(e); }
