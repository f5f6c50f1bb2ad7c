try { go(); } catch (e) /* want: AUR201 */ {}
try { go(); } catch (e) { report(e); }
try { load(); } catch (_err) {}
try { load(); } catch (ignored) {}
try { load(); } catch (e) {} // optional: a missing file is fine
