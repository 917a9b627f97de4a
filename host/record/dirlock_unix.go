//go:build unix

package record

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes an exclusive advisory lock on dir/LOCK, so that a second
// recorder (another host sharing the data directory) cannot replay, and
// delete, the spill file this one is still writing. The kernel drops the
// lock if the process dies.
func lockDir(dir string) (unlock func() error, err error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recorder: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("recorder: spill directory %s is in use by another recorder", dir)
		}
		return nil, fmt.Errorf("recorder: lock %s: %w", path, err)
	}
	return f.Close, nil // closing the file releases the lock
}
