package watch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qbtrading/qb/host/watch"
)

// Open the watcher before loading the strategies, then apply each batch
// between two events of the engine loop.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "scripts")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "ma_cross.lua"), []byte("return {name='ma_cross'}\n"), 0o644)

	w, err := watch.Open(context.Background(), dir, watch.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Close()

	os.MkdirAll(filepath.Join(dir, "lib"), 0o755)
	os.WriteFile(filepath.Join(dir, "lib", "sizing.lua"), []byte("return {lot=10}\n"), 0o644)
	for _, c := range <-w.Changes() {
		rel, _ := filepath.Rel(dir, c.Path)
		fmt.Println(c.Kind, rel, c.IsModule, c.Module)
	}
	// Output: added lib/sizing.lua true lib.sizing
}
