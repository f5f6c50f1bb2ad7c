class Io {
    void run(Runnable r) throws Throwable {
        try {
            r.run();
        } catch (Throwable t) {
            log(t);
            throw t;
        }
    }
}
