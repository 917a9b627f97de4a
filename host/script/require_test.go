package script

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestRequire(t *testing.T) {
	dir := filepath.Join("testdata", "modules")
	cases := []struct {
		name, module, moduleDir string
		wantErr                 string
		wantFile                string
		wantLine                int
	}{
		{"inside", "lib.util", dir, "", "", 0},
		{"dot dot", "..outside", dir, "want a name like", "testdata/requirer.lua", 10},
		{"slash", "lib/util", dir, "want a name like", "testdata/requirer.lua", 10},
		{"absolute", "/etc/passwd", dir, "want a name like", "testdata/requirer.lua", 10},
		{"parent segment", "lib...outside", dir, "want a name like", "testdata/requirer.lua", 10},
		{"symlink out", "lib.escape", dir, "leads outside the module directory", "testdata/requirer.lua", 10},
		{"missing", "lib.nothing", dir, "module not found: testdata/modules/lib/nothing.lua", "testdata/requirer.lua", 10},
		{"no module dir", "lib.util", "", "no module directory", "testdata/requirer.lua", 10},
		{"syntax error in module", "lib.broken", dir, "", "testdata/modules/lib/broken.lua", 3},
		{"runtime error in module", "lib.fails", dir, "module refuses to load", "testdata/modules/lib/fails.lua", 2},
		{"cycle", "lib.cycle_a", dir, "circular require", "testdata/modules/lib/cycle_b.lua", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := start(t, "requirer.lua", nil, Options{ModuleDir: c.moduleDir, Params: map[string]string{"module": c.module}})
			err := s.Start(nil)
			if c.wantFile == "" {
				if err != nil {
					t.Fatal(err)
				}
				st, err := s.Stop()
				if err != nil {
					t.Fatal(err)
				}
				got := st.(map[string]any)
				if got["answer"] != 42.0 || got["same"] != true || got["loads"] != 1.0 {
					t.Errorf("module state = %v, want answer 42, loaded once", got)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.Contains(e.Msg, c.wantErr) || e.File != c.wantFile || e.Line != c.wantLine {
				t.Errorf("err = %q, want %q at %s:%d", e, c.wantErr, c.wantFile, c.wantLine)
			}
		})
	}
}
