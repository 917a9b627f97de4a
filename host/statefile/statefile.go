// Package statefile keeps each strategy's hand-over state, the table its
// on_stop returned, in a local folder as one JSON file per strategy, so a
// restarted host can give it back to on_start. It is the embedded default
// for when no database store runs.
//
// *Dir implements the engine's state store:
//
//	SaveState(ctx context.Context, name string, st script.State) error
//	LoadState(ctx context.Context, name string) (script.State, bool, error)
package statefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/qbtrading/qb/host/script"
)

// DefaultDir is where the embedded default keeps state, relative to the
// working folder.
const DefaultDir = "data/state"

// validName is host/script's rule for a strategy name: letters, digits,
// '_', '-' and '.', so a name cannot hold a path separator.
var validName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Dir is a folder of state files: <dir>/<strategy>.json, mode 0600.
type Dir struct{ path string }

// Open returns the state folder at path, creating it (mode 0700) if needed.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("open state folder: %w", err)
	}
	return &Dir{path: path}, nil
}

// File is the file that holds name's state.
func (d *Dir) File(name string) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("strategy name %q: want 1 to 64 letters, digits, '_', '-' or '.'", name)
	}
	file := name + ".json"
	if !filepath.IsLocal(file) {
		return "", fmt.Errorf("strategy name %q: does not name a file inside the state folder", name)
	}
	return filepath.Join(d.path, file), nil
}

// SaveState writes st as name's state, replacing the previous one
// atomically: a crash leaves either the old file or the new one, whole.
func (d *Dir) SaveState(ctx context.Context, name string, st script.State) error {
	return d.SaveVersion(ctx, name, st, 0)
}

// SaveVersion is SaveState for a checkpoint: version (positive; 0 is
// none) says which of two copies of a strategy's state is newer.
func (d *Dir) SaveVersion(ctx context.Context, name string, st script.State, version int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save state of %s: %w", name, err)
	}
	path, err := d.File(name)
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if version < 0 {
		return fmt.Errorf("save state of %s: version %d is negative", name, version)
	}
	data, err := encode(name, st, version)
	if err != nil {
		return fmt.Errorf("save state of %s: %w", name, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("save state of %s: %w", name, err)
	}
	return nil
}

// LoadState reads name's state. ok is false when none was saved.
func (d *Dir) LoadState(ctx context.Context, name string) (st script.State, ok bool, err error) {
	st, _, ok, err = d.LoadVersion(ctx, name)
	return st, ok, err
}

// LoadVersion reads name's state and its version (0 for a state saved
// without one). ok is false when none was saved.
func (d *Dir) LoadVersion(ctx context.Context, name string) (st script.State, version int64, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("load state of %s: %w", name, err)
	}
	path, err := d.File(name)
	if err != nil {
		return nil, 0, false, fmt.Errorf("load state: %w", err)
	}
	data, err := readLimited(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("load state of %s: %w", name, err)
	}
	st, version, err = decode(name, data)
	if err != nil {
		return nil, 0, false, fmt.Errorf("load state of %s: %s: %w", name, path, err)
	}
	return st, version, true, nil
}
