package watch

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// file is the last version of a path the watcher has seen.
type file struct {
	exists bool
	hash   [32]byte
	src    []byte // only while a read is being settled; not kept in known
	link   string // the resolved target when the path is a symlink
}

// pending is a path waiting for its burst of events to end.
type pending struct {
	due time.Time
	// recheck is set when the file was read empty once: editors that save
	// in place truncate first, so an empty read is believed only when a
	// second one, a debounce later, agrees.
	recheck bool
}

var emptyHash = sha256.Sum256(nil)

// touch (re)starts path's debounce.
func (w *Watcher) touch(path string) {
	w.pending[path] = pending{due: time.Now().Add(w.opt.Debounce)}
}

// touchUnder restarts the debounce of every known file below dir, for a
// folder that was removed or renamed away.
func (w *Watcher) touchUnder(dir string) {
	prefix := dir + string(filepath.Separator)
	for path := range w.known {
		if strings.HasPrefix(path, prefix) {
			w.touch(path)
		}
	}
}

// relinks restarts the debounce of each known symlink in dir whose target
// no longer resolves to the same file (a Kubernetes-style swap changes the
// link's target without any event on the link's own name), as viper does.
func (w *Watcher) relinks(dir string) {
	for path, k := range w.known {
		if k.link == "" || filepath.Dir(path) != dir {
			continue
		}
		if t, err := filepath.EvalSymlinks(path); err != nil || t != k.link {
			w.touch(path)
		}
	}
}

// followers restarts the debounce of each known symlink that resolves to
// name, the file an event was about: a link in the folder to a file in a
// watched subfolder changes when that file is edited in place.
func (w *Watcher) followers(name string) {
	var real string
	for path, k := range w.known {
		if k.link == "" {
			continue
		}
		if real == "" {
			real = resolve(name)
		}
		if k.link == real {
			w.touch(path)
		}
	}
}

// resolve is name with symlinks resolved, as far as they still exist.
func resolve(name string) string {
	if r, err := filepath.EvalSymlinks(name); err == nil {
		return r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(name)); err == nil {
		return filepath.Join(d, filepath.Base(name))
	}
	return name
}

// settleDue reads every path whose debounce has ended and returns the
// changes, sorted by path. Paths due within a fifth of the debounce are
// settled too, so the two names of a rename, whose events arrive together,
// land in one batch.
func (w *Watcher) settleDue(now time.Time) []Change {
	horizon := now.Add(w.opt.Debounce / 5)
	var out []Change
	for path, p := range w.pending {
		if p.due.After(horizon) {
			continue
		}
		delete(w.pending, path)
		if c, ok := w.settle(path, p, now); ok {
			out = append(out, c)
		}
	}
	out = w.pairRenames(out, now)
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// heldRemoval is a Removed change kept back until a rename's other half can
// arrive.
type heldRemoval struct {
	c     Change
	until time.Time
}

// pairRenames keeps the two halves of a rename in one batch even when the
// machine is slow enough that their events settle apart: a removal with no
// Added of the same content beside it waits up to one more debounce for
// one, and an addition brings along a held removal of the same content.
// A removal whose wait is over goes out alone.
func (w *Watcher) pairRenames(batch []Change, now time.Time) []Change {
	var out []Change
	for _, c := range batch {
		if c.Kind == Removed && !slices.ContainsFunc(batch, func(a Change) bool { return a.Kind == Added && a.Hash == c.Hash }) {
			w.held = append(w.held, heldRemoval{c: c, until: now.Add(w.opt.Debounce)})
			continue
		}
		out = append(out, c)
	}
	kept := w.held[:0]
	for _, h := range w.held {
		partner := slices.ContainsFunc(out, func(a Change) bool { return a.Kind == Added && a.Hash == h.c.Hash })
		if partner || !h.until.After(now) {
			out = append(out, h.c)
			continue
		}
		kept = append(kept, h)
	}
	w.held = kept
	return out
}

// settle reads one quiet path and compares it with the version last seen.
func (w *Watcher) settle(path string, p pending, now time.Time) (Change, bool) {
	f, ok := w.read(path)
	if !ok {
		return Change{}, false
	}
	k, had := w.known[path]
	if !f.exists {
		if !had {
			return Change{}, false
		}
		delete(w.known, path)
		return w.change(Removed, path, k.hash, nil, now), true
	}
	if len(f.src) == 0 && !p.recheck && (!had || k.hash != emptyHash) {
		w.pending[path] = pending{due: now.Add(w.opt.Debounce), recheck: true}
		return Change{}, false
	}
	w.known[path] = file{exists: true, hash: f.hash, link: f.link}
	if had && k.hash == f.hash {
		return Change{}, false
	}
	kind := Changed
	if !had {
		kind = Added
	}
	return w.change(kind, path, f.hash, f.src, now), true
}

func (w *Watcher) change(kind Kind, path string, hash [32]byte, src []byte, at time.Time) Change {
	isModule, module, _ := place(w.dir, path)
	return Change{Kind: kind, Path: path, Hash: hash, Src: src, IsModule: isModule, Module: module, At: at}
}

// read returns path's content and hash, following a symlink. A path that
// is gone, a dangling symlink or a folder reads as not existing. ok is
// false when nothing can be said (the error is logged): the last version
// seen stands.
func (w *Watcher) read(path string) (f file, ok bool) {
	lfi, err := os.Lstat(path)
	if err != nil {
		return w.readFailed(path, err)
	}
	if lfi.Mode()&fs.ModeSymlink != 0 {
		if f.link, err = filepath.EvalSymlinks(path); err != nil {
			return w.readFailed(path, err)
		}
	}
	fh, err := os.Open(path)
	if err != nil {
		return w.readFailed(path, err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return w.readFailed(path, err)
	}
	if !fi.Mode().IsRegular() {
		return file{}, true
	}
	src, err := io.ReadAll(io.LimitReader(fh, maxFileBytes+1))
	if err == nil && len(src) > maxFileBytes {
		err = fmt.Errorf("larger than %d bytes", maxFileBytes)
	}
	if err != nil {
		return w.readFailed(path, err)
	}
	return file{exists: true, hash: sha256.Sum256(src), src: src, link: f.link}, true
}

func (w *Watcher) readFailed(path string, err error) (file, bool) {
	if errors.Is(err, fs.ErrNotExist) {
		return file{}, true
	}
	w.opt.Log.Warn().Err(err).Str("path", path).Msg("watch: cannot read; keeping the last version")
	return file{}, false
}
