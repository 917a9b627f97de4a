//go:build unix

package script

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user + system), or -1
// when the OS does not say.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
