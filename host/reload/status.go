package reload

import (
	"fmt"
	"time"
)

// Status is one strategy file's reload state.
type Status struct {
	Name     string
	File     string
	Version  int      // the running version; 1 is the one loaded at start
	Hash     [32]byte // SHA-256 of the running version's source
	Removed  bool     // the file was deleted; the strategy is stopped
	Rejected *Rejection
}

// Rejection is a version that failed to load and was not swapped in.
type Rejection struct {
	Version int
	Hash    [32]byte
	Err     error
	At      time.Time
}

// String reads "running v2" or "running v2, v3 rejected: file:line: msg".
func (s Status) String() string {
	state := fmt.Sprintf("running v%d", s.Version)
	switch {
	case s.Removed && s.Version == 0:
		state = "not running"
	case s.Removed:
		state = fmt.Sprintf("removed (was v%d)", s.Version)
	}
	if s.Rejected != nil {
		state += fmt.Sprintf(", v%d rejected: %v", s.Rejected.Version, s.Rejected.Err)
	}
	return state
}

// Counters count what reloads did since the host started.
type Counters struct {
	Reloaded int // versions swapped in
	Rejected int // versions that failed to load, the old one kept
	Added    int // strategies started from new files
	Removed  int // strategies stopped because their file went away
	Renamed  int // files renamed with content and name unchanged
}
