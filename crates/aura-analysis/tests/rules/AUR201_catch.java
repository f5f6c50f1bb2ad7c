class A {
    void f() {
        try { g(); } catch (Exception e) { } // want: AUR201
        try { g(); } catch (Exception e) { /* expected when offline */ }
        try { g(); } catch (Exception e) { log(e); }
    }
}
