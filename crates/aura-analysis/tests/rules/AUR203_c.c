int f(int x) {
    if (x) goto out;
    return 0;
out:
    return 1;
}

int g(void) {
    return 1;
    g(); // want: AUR203
}
