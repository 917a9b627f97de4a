package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The module's dependencies point one way (DESIGN.md, "Layout"): lib
// imports only lib; sqldb imports only lib; host imports lib and host but
// never sqldb (cmd joins them); nothing imports cmd.
func TestDependenciesPointInward(t *testing.T) {
	const module = "github.com/qbtrading/qb/"
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "../../...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := map[string][]string{
		"lib/":   {"lib/"},
		"sqldb":  {"lib/", "sqldb"}, // sqldb/sqltest builds on sqldb
		"host/":  {"lib/", "host/"},
		"cmd/qb": {"lib/", "host/", "sqldb"},
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		rel, ok := strings.CutPrefix(pkg, module)
		if !ok {
			continue
		}
		checked++
		var may []string
		for prefix, a := range allowed {
			if strings.HasPrefix(rel, prefix) {
				may = a
			}
		}
		if may == nil {
			t.Errorf("%s: a package outside lib, host, sqldb and cmd/qb", rel)
			continue
		}
		for _, imp := range strings.Fields(imports) {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if !hasAnyPrefix(dep, may) {
				t.Errorf("%s imports %s; it may import only %v", rel, dep, may)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d packages of the module listed", checked)
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
