// Command skips reads the test2json stream that `make test` saves
// (gotestsum --jsonfile) and prints every skipped test with the reason it
// gave, so a skip that hides a missing service shows in CI's log. It ends
// with a plain "tests: N passed, N failed, N skipped" line counted from the
// same stream.
//
// Usage: go run .ci/skips.go FILE.json
//
// It lives under .ci/ (a folder ./... does not reach) and uses only the
// standard library, so it needs nothing but Go.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type key struct{ pkg, test string }

// module is trimmed from package paths to keep the lines short.
const module = "github.com/qbtrading/qb/"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run .ci/skips.go FILE.json")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "skips:", err)
		os.Exit(2)
	}
	defer f.Close()

	output := map[key][]string{} // each test's own output lines
	var skipped []key
	var noTests []string
	passed, failed := 0, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue // go test's own non-JSON lines (build errors) are printed by make test already
		}
		e.Package = strings.TrimPrefix(e.Package, module)
		k := key{e.Package, e.Test}
		switch e.Action {
		case "output":
			if e.Test != "" {
				output[k] = append(output[k], e.Output)
			}
		case "skip":
			if e.Test == "" {
				noTests = append(noTests, e.Package)
			} else {
				skipped = append(skipped, k)
			}
		case "pass":
			if e.Test != "" {
				passed++
			}
		case "fail":
			if e.Test != "" {
				failed++
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "skips:", err)
		os.Exit(2)
	}

	sort.Slice(skipped, func(i, j int) bool {
		if skipped[i].pkg != skipped[j].pkg {
			return skipped[i].pkg < skipped[j].pkg
		}
		return skipped[i].test < skipped[j].test
	})
	fmt.Printf("\n=== %d skipped tests (with QB_REQUIRE_SERVICES=1 only TimescaleDB's should be here)\n", len(skipped))
	for _, k := range skipped {
		fmt.Printf("SKIP %s %s\n", k.pkg, k.test)
		for _, line := range reason(output[k]) {
			fmt.Printf("     %s\n", line)
		}
	}
	if len(noTests) > 0 {
		sort.Strings(noTests)
		fmt.Printf("=== %d packages have no test files: %s\n", len(noTests), strings.Join(noTests, " "))
	}
	fmt.Printf("tests: %d passed, %d failed, %d skipped\n", passed, failed, len(skipped))
}

// reason keeps the lines a test logged (t.Skip's message among them) and
// drops go test's own framing lines.
func reason(lines []string) []string {
	var out []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		out = append(out, "(no reason given)")
	}
	return out
}
