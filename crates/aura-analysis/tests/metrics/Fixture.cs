// Metrics fixture for C#. Values were worked out by hand.
class Fixture
{
    // expect: ElseIf cc=3 cog=3 nest=1 params=1 exits=3
    int ElseIf(int x)
    {
        if (x > 0) { return 1; }
        else if (x < 0) { return -1; }
        else { return 0; }
    }

    // expect: Cases cc=4 cog=1 nest=1 exits=3
    int Cases(int x)
    {
        switch (x)
        {
            case 1:
            case 2:
                return 1;
            case 3:
                return 2;
            default:
                return 0;
        }
    }

    // expect: Loops cc=6 cog=6 nest=2 params=1
    void Loops(int[] xs)
    {
        foreach (var x in xs)
        {
            for (int i = 0; i < x; i++) { }
        }
        while (xs != null && xs.Length > 0 || xs == null) { break; }
    }

    // expect: Arms cc=3 cog=1 exits=0
    string Arms(int x) => x switch { 1 => "one", 2 => "two", _ => "many" };

    // expect: Fixture cc=2 cog=1 params=0
    [Obsolete]
    public Fixture()
    {
        try { Init(); } catch (Exception) { }
    }
}
