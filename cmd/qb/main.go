// Command qb is the qb trading-strategy host.
package main

import (
	"fmt"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("qb", version)
		return
	}
	fmt.Fprintln(os.Stderr, "qb: the host is not built yet (issue: host); `qb version` works")
	os.Exit(2)
}
