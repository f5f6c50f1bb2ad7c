/* Statements after a goto label are reachable by the goto (libgit2's error paths). */
int parse(int x) {
    if (x < 0)
        goto on_error;
    return 0;
on_error:
    x = -x;
    cleanup(x);
    return -1;
}

int dispatch(int op) {
    switch (op) {
    case 1:
        return 10;
    case 2:
        op++;
        break;
    default:
        return 0;
    }
    return op;
}

/* Generated parsers mark defensive code after a return (llhttp). */
static int span(int s) {
    return s;
    /* UNREACHABLE */;
    abort();
}

int rethrow_or_not(int x) {
#ifdef WITH_EXCEPTIONS
    return x;
#else
    x++;
#endif
    return 0;
}
