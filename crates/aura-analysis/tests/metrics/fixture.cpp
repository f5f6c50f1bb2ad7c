// Metrics fixture for C++. Values were worked out by hand.

// expect: guarded cc=3 cog=2 nest=2 params=1 exits=2
int guarded(std::vector<int> &v) {
    try {
        for (auto x : v) {
            v.push_back(x);
        }
    } catch (const std::exception &e) {
        throw;
    }
    return 0;
}

namespace shapes {
// expect: Circle::area cc=1 cog=0 exits=1
double Circle::area() const { return 3.14 * r * r; }
}

// expect: lambdas cc=2 cog=2
void lambdas() {
    auto f = [](int x) {
        if (x) { return; }
    };
}
