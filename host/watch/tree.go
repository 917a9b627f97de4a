package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// addTree watches dir and the subfolders below it, and passes every Lua
// file it finds to found (which may be nil). A folder's watch is added
// before its files are listed, so a file created meanwhile is seen by
// either the listing or an event. Symlinked subfolders are not followed.
func (w *Watcher) addTree(dir string, found func(path string)) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			w.opt.Log.Warn().Err(err).Str("path", path).Msg("watch: skipping what cannot be listed")
			return nil
		}
		if d.IsDir() {
			if path != w.dir && (skipDir(d.Name()) || w.depth(path) > maxDepth) {
				return filepath.SkipDir
			}
			if err := w.fs.Add(path); err != nil {
				if path == dir {
					return err
				}
				w.opt.Log.Warn().Err(err).Str("path", path).Msg("watch: cannot watch folder")
			}
			return nil
		}
		if found != nil && isLua(d.Name()) {
			found(path)
		}
		return nil
	})
}

// baseline records the files present at Open without reporting them.
func (w *Watcher) baseline() {
	_ = w.addTree(w.dir, func(path string) {
		if f, ok := w.read(path); ok && f.exists {
			w.known[path] = f
		}
	})
}

// rescan re-reads the whole folder: the poll fallback, and the recovery
// after the kernel's event queue overflowed. New subfolders get watched;
// a file whose content differs from the last version seen, a new file and
// a vanished one are put through the debounce like an event would be, so
// a file found mid-save is read again once it is quiet. Paths already
// waiting are left alone.
func (w *Watcher) rescan() {
	seen := map[string]bool{}
	err := w.addTree(w.dir, func(path string) {
		seen[path] = true
		if _, waiting := w.pending[path]; waiting {
			return
		}
		f, ok := w.read(path)
		if !ok {
			return
		}
		if k, had := w.known[path]; !had || !f.exists || k.hash != f.hash {
			w.touch(path)
		}
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		w.opt.Log.Error().Err(err).Str("dir", w.dir).Msg("watch: rescan failed")
		return
	}
	for path := range w.known {
		if !seen[path] {
			w.touch(path)
		}
	}
}

// depth is how many folders below the watched folder path is.
func (w *Watcher) depth(path string) int {
	rel, err := filepath.Rel(w.dir, path)
	if err != nil {
		return maxDepth + 1
	}
	return strings.Count(rel, string(filepath.Separator)) + 1
}
