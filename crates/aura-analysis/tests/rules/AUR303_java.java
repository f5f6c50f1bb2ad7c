class Dao {
    void f(Statement st, String id) throws Exception {
        st.executeQuery("SELECT * FROM users WHERE id = " + id); // want: AUR303
        st.executeQuery("SELECT * FROM users");
    }
}
