/* Metrics fixture for C. Values were worked out by hand. */

/* expect: plain cc=1 cog=0 params=0 exits=1 */
int plain(void) { return 0; }

/* A comment between `else` and `if` leaves it an `else if`. */
/* expect: else_comment_if cc=3 cog=2 nest=1 params=1 exits=3 */
int else_comment_if(int x) {
    if (x > 0) {
        return 1;
    } else /* negative */ if (x < 0) {
        return -1;
    }
    return 0;
}

/* expect: else_if cc=3 cog=3 nest=1 params=1 exits=3 */
int else_if(int x) {
    if (x > 0) {
        return 1;
    } else if (x < 0) {
        return -1;
    } else {
        return 0;
    }
}

/* expect: cases cc=3 cog=1 nest=1 exits=1 */
int cases(int x) {
    switch (x) {
    case 1:
    case 2:
        break;
    default:
        x = 0;
    }
    return x;
}

/* expect: loops cc=5 cog=8 nest=3 params=2 */
static void
loops(int n, char **argv)
{
    for (int i = 0; i < n; i++) {
        while (argv[i] && *argv[i]) {
            do { argv[i]++; } while (*argv[i] == ' ');
        }
    }
    goto done;
done:
    ;
}

/* expect: ternary cc=2 cog=1 exits=1 */
int ternary(int x) { return x ? 1 : 2; }

/* An unexpanded statement macro before `if` reads to tree-sitter as a nested
   function named `if`: it counts as the `if` it is, and no function `if`
   appears. */
/* expect: statement_macro cc=3 cog=2 nest=1 params=1 exits=2 */
int statement_macro(int rc)
{
    Py_END_ALLOW_THREADS
    if (rc) {
        return 1;
    }
    while (rc > 0) {
        rc--;
    }
    return 0;
}

/* Recursion: +1 once. */
/* expect: fact cc=2 cog=2 params=1 exits=2 */
unsigned fact(unsigned n)
{
    if (n <= 1)
        return 1;
    return n * fact(n - 1);
}
