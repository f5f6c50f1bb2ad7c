package p

func f(x string) {
	exec.Command("sh", "-c", x) // want: AUR304
	exec.Command("git", "log", x)
}
