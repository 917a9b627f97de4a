package load

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qbtrading/qb/host/script"
)

func TestFindListsStrategiesNotModulesOrDroppings(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.lua", "a.lua", ".#a.lua", "a.lua~", "notes.txt", "lib/helper.lua"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Find([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.lua"), filepath.Join(dir, "b.lua")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Find = %v, want %v", got, want)
	}
	if _, err := Find([]string{filepath.Join(dir, "lib", "missing.lua")}); err == nil {
		t.Fatal("a missing file was found")
	}
	if _, err := Find([]string{t.TempDir()}); err == nil {
		t.Fatal("an empty folder gave no error")
	}
}

func TestParams(t *testing.T) {
	p, err := ParseParams([]string{"fast=8", "ma_cross.slow=30", "flag=true"})
	if err != nil {
		t.Fatal(err)
	}
	ma := script.Meta{Name: "ma_cross", Params: []script.Param{{Name: "fast"}, {Name: "slow"}}}
	rsi := script.Meta{Name: "rsi", Params: []script.Param{{Name: "period"}, {Name: "flag"}}}
	if got, want := p.For(ma), map[string]string{"fast": "8", "slow": "30"}; !reflect.DeepEqual(got, want) {
		t.Errorf("For(ma_cross) = %v, want %v", got, want)
	}
	if got, want := p.For(rsi), map[string]string{"flag": "true"}; !reflect.DeepEqual(got, want) {
		t.Errorf("For(rsi) = %v, want %v", got, want)
	}
	if err := p.Check([]script.Meta{ma, rsi}); err != nil {
		t.Errorf("Check: %v", err)
	}
	if err := p.Check([]script.Meta{ma}); err == nil {
		t.Error("flag is declared by no loaded strategy, yet Check passed")
	}
	for _, bad := range []string{"novalue", "=3"} {
		if _, err := ParseParams([]string{bad}); err == nil {
			t.Errorf("ParseParams(%q) passed", bad)
		}
	}
	q, _ := ParseParams([]string{"other.fast=1"})
	if err := q.Check([]script.Meta{ma}); err == nil {
		t.Error("a param for a strategy that is not loaded passed Check")
	}
}
