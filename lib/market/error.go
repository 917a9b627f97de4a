package market

import "fmt"

// FieldError reports a value that failed validation, naming the field.
type FieldError struct {
	Type  string // the type being validated, e.g. "tick"
	Field string // the offending field, e.g. "price"
	Msg   string // what is wrong with it
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %s: %s", e.Type, e.Field, e.Msg)
}

func fieldErr(typ, field, format string, args ...any) error {
	return &FieldError{Type: typ, Field: field, Msg: fmt.Sprintf(format, args...)}
}
