package replay

import "github.com/qbtrading/qb/lib/market"

// ReadTapes reads every file into one tape in replay order, as OpenTapes
// streams it. A replay streams instead (Run); this is for tools and tests
// that want the tape whole.
func ReadTapes(paths []string) ([]market.Tick, error) {
	src, err := OpenTapes(paths)
	if err != nil {
		return nil, err
	}
	return Collect(src)
}
