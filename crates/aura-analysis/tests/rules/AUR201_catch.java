class A {
    void f() {
        try { g(); } catch (Exception e) /* want: AUR201 */ { }
        try { g(); } catch (IOException x) {}    // no zip64 end: keep the default
        try { g(); } catch (Exception e) { /* expected when offline */ }
        try { g(); } catch (Exception e) { log(e); }
    }
}
