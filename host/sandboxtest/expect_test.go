package sandboxtest

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// expectation is what a corpus script declares in its header:
//
//	-- attack: what it tries
//	-- expect: runs | stopped KIND "text" | load-error "text" | stop-error "text"
//
// runs: the strategy is still running at the end and its on_stop state
// has ok = true and no breach; stopped: the runtime stopped it, Status's
// Cause is KIND (or one of KIND|KIND: a loop that allocates as it spins
// meets whichever limit comes first) and its Reason contains text; load-error: adding it to the
// engine fails with text; stop-error: on_stop's result is refused with
// text.
type expectation struct {
	attack  string
	outcome string
	kind    string
	text    string
}

func parseHeader(src []byte) (expectation, error) {
	var e expectation
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "--") {
			break
		}
		key, val, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "--")), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "attack":
			e.attack = val
		case "expect":
			if err := e.parseExpect(val); err != nil {
				return e, err
			}
		}
	}
	if e.attack == "" || e.outcome == "" {
		return e, fmt.Errorf("header needs '-- attack:' and '-- expect:' lines")
	}
	return e, nil
}

func (e *expectation) parseExpect(val string) error {
	outcome, rest, _ := strings.Cut(val, " ")
	e.outcome = outcome
	rest = strings.TrimSpace(rest)
	switch outcome {
	case "runs":
		if rest != "" {
			return fmt.Errorf("expect: runs takes nothing, have %q", rest)
		}
		return nil
	case "stopped":
		e.kind, rest, _ = strings.Cut(rest, " ")
		if e.kind == "" {
			return fmt.Errorf("expect: stopped needs a kind (timeout, memory, runtime)")
		}
	case "load-error", "stop-error":
	default:
		return fmt.Errorf("expect: unknown outcome %q", outcome)
	}
	text, err := strconv.Unquote(strings.TrimSpace(rest))
	if err != nil || text == "" {
		return fmt.Errorf("expect: %s needs a quoted text, have %q", outcome, rest)
	}
	e.text = text
	return nil
}
