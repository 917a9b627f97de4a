package watch

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestRequires(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"call forms", `local s = require("lib.sizing")
local r = require 'lib.risk'
local u = require "util"`, []string{"lib.risk", "lib.sizing", "util"}},
		{"inside functions, tables and branches", `
local M = {}
function M.on_start(ctx)
  if ctx then local x = require("a.b") end
  for i = 1, 2 do local t = { k = require("c") } end
end
return { name = "s", on_tick = function(ctx, t) return require("d").f(t) end }`, []string{"a.b", "c", "d"}},
		{"repeats once, sorted", `require("z"); require("z"); require("a")`, []string{"a", "z"}},
		{"comments and strings are not requires", `-- require("x")
--[[ require("y") ]]
local s = 'require("w")'`, nil},
		{"computed names are missed", `local n = "lib." .. "x"; require(n)`, nil},
		{"method named require is not require", `obj:require("x")`, nil},
		{"syntax error", `local = require("x")`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Requires([]byte(tc.src)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Requires = %q, want %q", got, tc.want)
			}
		})
	}
}

// RequiresAll follows modules through the folder, survives a cycle and
// lists a missing module without following it.
func TestRequiresAll(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"lib/sizing.lua": `local r = require("lib.risk"); return {}`,
		"lib/risk.lua":   `local s = require("lib.sizing"); local m = require("lib.missing"); return {}`,
		"util.lua":       `return {}`,
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := RequiresAll(dir, []byte(`local s = require("lib.sizing")`))
	want := []string{"lib.missing", "lib.risk", "lib.sizing"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RequiresAll = %q, want %q", got, want)
	}
	if p := ModulePath(dir, "lib.sizing"); p != filepath.Join(dir, "lib", "sizing.lua") {
		t.Errorf("ModulePath = %s", p)
	}
}

func FuzzRequires(f *testing.F) {
	for _, seed := range []string{
		`local s = require("lib.sizing") return {name="x"}`,
		`require 'a' require "b" (require)("c")`,
		`function f() return require("x").y(require "z") end`,
		`--[==[ require("q") ]==] local t = {[require("k")] = 1}`,
		`local = `, `"unterminated`, `a.b:c"d"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		names := Requires(src)
		for i := 1; i < len(names); i++ {
			if names[i-1] >= names[i] {
				t.Fatalf("not sorted and unique: %q", names)
			}
		}
	})
}
