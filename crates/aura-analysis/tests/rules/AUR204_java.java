class A {
    int f(boolean c) {
        if (c) { return 1; } else { return 1; } // want: AUR204
    }
    int g(boolean c) {
        if (c) { return 1; } else if (d) { return 1; } else { return 2; }
    }
}
class Chain {
    void check(int c) {
        if (c == 1)
            bad(1);
        else if (c == 2)
            bad(2);
        else
            bad(2);
    }
}
