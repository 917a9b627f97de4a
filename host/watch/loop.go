package watch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// run is the watcher's one goroutine: it owns known and pending.
func (w *Watcher) run(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	var poll <-chan time.Time
	if w.opt.Poll > 0 {
		t := time.NewTicker(w.opt.Poll)
		defer t.Stop()
		poll = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			w.onEvent(ev)
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			w.onError(err)
		case <-poll:
			w.rescan()
		case <-timer.C:
			if batch := w.settleDue(time.Now()); len(batch) > 0 {
				select {
				case w.out <- batch:
				case <-ctx.Done():
					return
				}
			}
		}
		w.arm(timer)
	}
}

// arm sets the timer for the earliest path due.
func (w *Watcher) arm(timer *time.Timer) {
	var first time.Time
	for _, p := range w.pending {
		if first.IsZero() || p.due.Before(first) {
			first = p.due
		}
	}
	for _, h := range w.held {
		if first.IsZero() || h.until.Before(first) {
			first = h.until
		}
	}
	if first.IsZero() {
		timer.Stop()
		return
	}
	timer.Reset(max(time.Until(first), 0))
}

// onEvent turns one fsnotify event into paths to read once they are quiet.
func (w *Watcher) onEvent(ev fsnotify.Event) {
	// Chmod alone is touch, a permission change, or the first half of a
	// delete whose Remove follows: never a new version.
	if ev.Op&^fsnotify.Chmod == 0 {
		return
	}
	w.relinks(filepath.Dir(ev.Name))
	w.followers(ev.Name)
	if ev.Has(fsnotify.Create) {
		w.maybeFolder(ev.Name)
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.touchUnder(ev.Name)
	}
	if !isLua(filepath.Base(ev.Name)) {
		return
	}
	if _, _, inside := place(w.dir, ev.Name); inside {
		w.touch(ev.Name)
	}
}

// maybeFolder watches a folder created (or moved in) after Open, and reads
// the files already in it: they may predate the watch.
func (w *Watcher) maybeFolder(path string) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.IsDir() {
		return
	}
	if err := w.addTree(path, w.touch); err != nil {
		w.opt.Log.Warn().Err(err).Str("path", path).Msg("watch: cannot watch new folder")
	}
}

// onError logs what fsnotify reports and keeps watching: a spurious error
// is common (vim-style saves give "invalid argument"). An overflowed
// event queue means events were lost, so the folder is rescanned.
func (w *Watcher) onError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.opt.Log.Warn().Err(err).Str("dir", w.dir).Msg("watch: events lost; rescanning")
		w.rescan()
		return
	}
	w.opt.Log.Error().Err(err).Str("dir", w.dir).Msg("watch: fsnotify error; still watching")
}
