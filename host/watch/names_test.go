package watch

import (
	"path/filepath"
	"testing"
)

func TestIsLua(t *testing.T) {
	cases := map[string]bool{
		"ma_cross.lua": true, "rsi-2.lua": true, "x.lua.lua": true,
		"ma_cross.lua~": false, "ma_cross.lua.swp": false, ".ma_cross.lua.swp": false, ".ma_cross.lua.swx": false,
		"4913": false, ".#ma_cross.lua": false, "#ma_cross.lua#": false, "#ma_cross.lua": false,
		".goutputstream-ABCD": false, ".goutputstream-x.lua": false,
		"ma_cross.lua___jb_tmp___": false, "ma_cross.lua___jb_old___": false, "ma_cross.lua___jb_bak___": false,
		"ma_cross.lua.tmp": false, ".hidden.lua": false, "notes.txt": false, "lua": false, ".lua": false,
	}
	for name, want := range cases {
		if got := isLua(name); got != want {
			t.Errorf("isLua(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestPlace(t *testing.T) {
	root := filepath.FromSlash("/s/scripts")
	cases := []struct {
		path     string
		isModule bool
		module   string
		inside   bool
	}{
		{"/s/scripts/a.lua", false, "a", true},
		{"/s/scripts/lib/sizing.lua", true, "lib.sizing", true},
		{"/s/scripts/a/b/c.lua", true, "a.b.c", true},
		{"/s/other/a.lua", false, "", false},
		{"/s/scripts", false, "", false},
	}
	for _, tc := range cases {
		m, name, in := place(root, filepath.FromSlash(tc.path))
		if m != tc.isModule || name != tc.module || in != tc.inside {
			t.Errorf("place(%s) = %v %q %v, want %v %q %v", tc.path, m, name, in, tc.isModule, tc.module, tc.inside)
		}
	}
}
