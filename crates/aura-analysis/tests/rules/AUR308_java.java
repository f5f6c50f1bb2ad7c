class A {
    Object f(InputStream in) throws Exception {
        ObjectInputStream o = new ObjectInputStream(in); // want: AUR308
        return o.readObject();
    }
}
