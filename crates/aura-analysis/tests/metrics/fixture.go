// Metrics fixture for Go. Values were worked out by hand.
package fixture

// expect: plain cc=1 cog=0 params=0 exits=0
func plain() {}

// expect: elseIf cc=3 cog=3 nest=1 params=2 exits=3
func elseIf(x, y int) int {
	if x > y {
		return 1
	} else if x < y {
		return -1
	} else {
		return 0
	}
}

// expect: loops cc=5 cog=7 nest=3 params=1 exits=0
func loops(n int) {
	for i := 0; i < n; i++ {
		for j := range n {
			if i == j && j > 0 {
				continue
			}
		}
	}
}

// expect: cases cc=3 cog=1 nest=1 exits=3
func cases(s string) int {
	switch s {
	case "a", "b":
		return 1
	case "c":
		return 2
	default:
		return 0
	}
}

// expect: Method cc=2 cog=2 params=1 exits=1
func (r *Receiver) Method(ctx Context) error {
	go func() {
		if ctx == nil {
			panic("nil")
		}
	}()
	return nil
}

// expect: jump cc=2 cog=2 exits=0
func jump(x int) {
	if x > 0 {
		goto end
	}
end:
}

// Recursion: +1 once.
// expect: fact cc=2 cog=2 params=1 exits=2
func fact(n int) int {
	if n <= 1 {
		return 1
	}
	return n * fact(n-1)
}
