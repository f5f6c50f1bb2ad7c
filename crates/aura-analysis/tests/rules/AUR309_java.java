class A {
    void f() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance(); // want: AUR309
    }
}
