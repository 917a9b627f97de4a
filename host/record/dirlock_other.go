//go:build !unix

package record

// lockDir is a no-op where flock is unavailable: one recorder per directory
// is then the caller's duty.
func lockDir(string) (func() error, error) { return func() error { return nil }, nil }
