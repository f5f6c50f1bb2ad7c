class A {
    int f(boolean c) {
        if (c) { return 1; } else { return 1; } // want: AUR204
    }
    int g(boolean c) {
        if (c) { return 1; } else if (d) { return 1; } else { return 2; }
    }
}
