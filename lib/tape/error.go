package tape

import "fmt"

// Error is a problem at one place in a file.
type Error struct {
	Name   string // the name given to the Reader, usually the file's path
	Line   int    // 1-based; 0 when the problem is not on one line
	Column string // the column's name as the header spells it; "" when none
	Err    error
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %v", e.Name, e.Err)
	case e.Column == "":
		return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: column %s: %v", e.Name, e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }
