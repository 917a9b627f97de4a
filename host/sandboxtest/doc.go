// Package sandboxtest proves the strategy sandbox against a corpus of
// hostile scripts (testdata/hostile at the repository root): each runs in
// a live engine beside two well-behaved strategies on the same tape, and
// its tests assert that the host stays up, that the well-behaved
// strategies trade exactly as they do alone, that the hostile one ends as
// its header declares, and that the process stays under its memory cap.
// The package holds only tests.
package sandboxtest
