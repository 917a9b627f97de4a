package tape

import (
	"bytes"
	"fmt"
	"io"
)

// MaxLine is the longest line a file may have, in bytes, its end of line
// included. encoding/csv has no limit of its own: a file with no line end
// (/dev/zero, a binary file) would be read into memory whole.
const MaxLine = 64 << 10

// lineTooLong is the error of a line over MaxLine.
type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string {
	return fmt.Sprintf("line %d: longer than %d KiB", e.line, MaxLine>>10)
}

// lineCap passes bytes through and fails once a line grows past max, so
// what reads from it never holds more than max bytes of one line.
type lineCap struct {
	r    io.Reader
	max  int
	line int // current line, 1-based
	cur  int // bytes of the current line read so far
	err  error
}

func newLineCap(r io.Reader, max int) *lineCap { return &lineCap{r: r, max: max, line: 1} }

func (c *lineCap) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		seg := len(b)
		if i >= 0 {
			seg = i + 1
		}
		if c.cur+seg > c.max {
			c.err = &lineTooLong{line: c.line}
			return n - len(b) + (c.max - c.cur), c.err
		}
		if i < 0 {
			c.cur += seg
			break
		}
		c.line++
		c.cur = 0
		b = b[seg:]
	}
	return n, err
}
