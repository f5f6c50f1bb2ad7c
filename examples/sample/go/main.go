package main

import "fmt"

func main() {
	names := []string{"a", "b"}
	for _, n := range names {
		fmt.Println(n
	}
}
