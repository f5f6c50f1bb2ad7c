// Metrics fixture for Java, including the SonarSource white paper's
// calibration examples (sumOfPrimes 7, getWords 1, myMethod 9, myMethod2 2,
// the boolean sequence example +3). Values were worked out by hand.
class Fixture {
    // expect: sumOfPrimes cc=4 cog=7 nest=3 params=1 exits=1
    int sumOfPrimes(int max) {
        int total = 0;
        OUT: for (int i = 1; i <= max; ++i) {
            for (int j = 2; j < i; ++j) {
                if (i % j == 0) {
                    continue OUT;
                }
            }
            total += i;
        }
        return total;
    }

    // expect: getWords cc=4 cog=1 nest=1 exits=4
    String getWords(int number) {
        switch (number) {
            case 1:
                return "one";
            case 2:
                return "a couple";
            case 3:
                return "a few";
            default:
                return "lots";
        }
    }

    // expect: myMethod cc=6 cog=9 nest=4 params=0
    void myMethod() {
        try {
            if (condition1) {
                for (int i = 0; i < 10; i++) {
                    while (condition2) { step(); }
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (condition2) { recover(); }
        }
    }

    // expect: myMethod2 cc=2 cog=2 nest=1
    void myMethod2() {
        Runnable r = () -> {
            if (condition1) { step(); }
        };
    }

    // expect: elseIf cc=3 cog=3 nest=1 exits=3
    int elseIf(int x) {
        if (x > 0) {
            return 1;
        } else if (x < 0) {
            return -1;
        } else {
            return 0;
        }
    }

    // expect: booleans cc=7 cog=4 params=6 exits=2
    boolean booleans(boolean a, boolean b, boolean c, boolean d, boolean e, boolean f) {
        if (a && b && c || d || e && f) {
            return true;
        }
        return false;
    }

    // expect: ternary cc=2 cog=1 exits=1
    int ternary(int x) { return x > 0 ? x : -x; }

    // expect: Fixture cc=1 params=1
    Fixture(int seed) { this.seed = seed; }

    // expect: toString line=80 cc=1 params=0 exits=1
    @Override
    public String toString() { return "f"; }

    // expect: rules cc=3 cog=1 exits=2
    int rules(String s) {
        return switch (s) {
            case "a", "b" -> 1;
            case "c" -> 2;
            default -> throw new IllegalArgumentException(s);
        };
    }
}
