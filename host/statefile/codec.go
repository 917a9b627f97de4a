package statefile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/qbtrading/qb/host/script"
)

// format is the version of the file layout, checked on load; a file
// with a checkpoint version is formatVersioned.
const (
	format          = 1
	formatVersioned = 2
)

// envelope is a state file: the layout version, whose state it is (so a
// file copied under another name is caught), the state's version (format
// 2: which of two copies is newer) and the state.
type envelope struct {
	Format   int             `json:"format"`
	Strategy string          `json:"strategy"`
	Version  int64           `json:"version,omitempty"`
	State    json.RawMessage `json:"state"`
}

// maxDepth bounds nesting; host/script allows 16 levels.
const maxDepth = 64

// encode checks st and renders the file. The bytes depend only on the
// state: encoding/json writes map keys sorted.
func encode(name string, st script.State, version int64) ([]byte, error) {
	if err := check(st, "state", 0); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	env := envelope{Format: format, Strategy: name, State: raw}
	if version != 0 {
		env.Format, env.Version = formatVersioned, version
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return append(out, '\n'), nil
}

// check accepts exactly the shapes script.State documents.
func check(v any, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: nested deeper than %d levels", path, maxDepth)
	}
	switch v := v.(type) {
	case nil, bool, string:
		return nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: %v is not a finite number", path, v)
		}
		return nil
	case []any:
		for i, x := range v {
			if err := check(x, path+"["+strconv.Itoa(i+1)+"]", depth+1); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		for k, x := range v {
			if err := check(x, path+"."+k, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%s: %T is not state data (nil, bool, float64, string, []any, map[string]any)", path, v)
}

// decode reads a file written by encode for strategy name.
func decode(name string, data []byte) (script.State, int64, error) {
	var env envelope
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, 0, fmt.Errorf("not a state file: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("not a state file: data after the JSON object")
	}
	switch {
	case env.Format != format && env.Format != formatVersioned:
		return nil, 0, fmt.Errorf("format %d: this qb reads formats %d and %d", env.Format, format, formatVersioned)
	case env.Format == format && env.Version != 0:
		return nil, 0, fmt.Errorf("format %d has no version", format)
	case env.Format == formatVersioned && env.Version <= 0:
		return nil, 0, fmt.Errorf("format %d: version %d, want a positive one", formatVersioned, env.Version)
	}
	if env.Strategy != name {
		return nil, 0, fmt.Errorf("holds the state of %q, not %q", env.Strategy, name)
	}
	if env.State == nil {
		return nil, 0, fmt.Errorf("no \"state\" field")
	}
	var st any
	if err := json.Unmarshal(env.State, &st); err != nil {
		return nil, 0, fmt.Errorf("state: %w", err)
	}
	if err := check(st, "state", 0); err != nil {
		return nil, 0, err
	}
	return st, env.Version, nil
}
