// Package watch reports edits to a folder of Lua strategies and modules, for
// hot reload.
//
// It watches the folder and every subfolder (new ones too) with one
// fsnotify watcher, never single files: editors save by renaming, and a
// watch on a file is lost when the file is replaced. A burst of events on a
// path is settled once the path has been quiet for Options.Debounce; the
// file is then read and its SHA-256 compared with the last version seen, so
// a save that changes nothing reports nothing. Editor droppings (swap,
// backup and temporary files) and chmod-only events are ignored. A slow
// rescan (Options.Poll) catches what inotify does not report: network and
// FUSE filesystems, and a symlink whose target is edited in another folder.
//
// Layout (as host/load finds it): *.lua directly in the folder are
// strategies; *.lua in subfolders are modules that strategies require
// (lib/sizing.lua is require("lib.sizing")).
package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"
)

// Kind is what happened to a file.
type Kind uint8

// The kinds of change. A rename a.lua → b.lua is Removed(a) and Added(b) in
// one batch, both with the same Hash. To keep the two halves together on a
// slow machine, a removal is reported up to one debounce later than an edit.
const (
	Added Kind = iota + 1
	Changed
	Removed
)

// String names the kind in lower case, for logs.
func (k Kind) String() string {
	switch k {
	case Added:
		return "added"
	case Changed:
		return "changed"
	case Removed:
		return "removed"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Change is one settled edit of one file.
type Change struct {
	Kind     Kind
	Path     string   // the folder passed to Open joined with the file's path inside it
	Hash     [32]byte // SHA-256 of Src; for Removed, of the last version seen
	Src      []byte   // the new content; nil for Removed
	IsModule bool     // the file is in a subfolder: a module, not a strategy
	// Module is the name require reaches the file by: "lib.sizing" for
	// lib/sizing.lua, "a" for a strategy a.lua (require can reach those too).
	Module string
	At     time.Time
}

// Defaults for Options.
const (
	DefaultDebounce = 50 * time.Millisecond
	DefaultPoll     = 2 * time.Second
)

// maxFileBytes bounds what is read, as host/script bounds a module.
const maxFileBytes = 1 << 20

// Options tune a Watcher. The zero value uses the defaults.
type Options struct {
	// Debounce is how long a path must be quiet before it is read. Every
	// event on the path restarts it. Default 50 ms.
	Debounce time.Duration
	// Poll is how often the whole folder is re-read and re-hashed, for
	// filesystems where inotify is silent. Default 2 s; negative disables.
	Poll time.Duration
	// Log receives fsnotify errors and unreadable files; the zero
	// Logger discards them.
	Log zerolog.Logger
}

func (o Options) withDefaults() Options {
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.Poll == 0 {
		o.Poll = DefaultPoll
	}
	return o
}

// Watcher watches one folder. Its state is owned by one goroutine; the
// only shared parts are the channel and Close.
type Watcher struct {
	dir string
	opt Options
	fs  *fsnotify.Watcher
	out chan []Change

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once

	// owned by the run goroutine after Open returns
	known   map[string]file    // path → last version seen
	pending map[string]pending // path → when to read it
	held    []heldRemoval      // removals waiting a moment for their rename partner
}

// Open records the folder's current files (reported by nobody: the caller
// loads them itself) and starts watching. Open the watcher before loading
// the strategies; a Change whose Hash equals the version already running is
// then the caller's to ignore. The watcher stops when ctx ends or Close is
// called.
func Open(ctx context.Context, dir string, opt Options) (*Watcher, error) {
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch %s: not a folder (watch the folder that holds the strategy)", dir)
	}
	fs, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	w := &Watcher{
		dir: dir, opt: opt.withDefaults(), fs: fs, out: make(chan []Change),
		known: map[string]file{}, pending: map[string]pending{},
	}
	if err := w.addTree(dir, nil); err != nil {
		fs.Close()
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	w.baseline()
	ctx, w.cancel = context.WithCancel(ctx)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer close(w.out)
		w.run(ctx)
	}()
	return w, nil
}

// Changes delivers settled changes, one batch at a time, sorted by Path.
// The channel is closed when the watcher stops. The watcher waits for the
// reader; events meanwhile queue in the kernel, and if that queue overflows
// the watcher rescans the folder, so nothing is lost, only merged.
func (w *Watcher) Changes() <-chan []Change { return w.out }

// Close stops watching and waits for the watcher's goroutine to end.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		w.cancel()
		err = w.fs.Close()
		w.wg.Wait()
	})
	if err != nil && !errors.Is(err, fsnotify.ErrClosed) {
		return fmt.Errorf("close watcher on %s: %w", w.dir, err)
	}
	return nil
}
