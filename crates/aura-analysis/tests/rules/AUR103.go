package p

func deep(m [][]int) { // want: AUR103
	for _, r := range m {
		for _, c := range r {
			if c > 0 {
				for c > 0 {
					if c%2 == 0 {
						c--
					}
				}
			}
		}
	}
}

func shallow(x int) int {
	if x > 0 {
		return 1
	}
	return 0
}
