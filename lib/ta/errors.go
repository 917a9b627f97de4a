package ta

import (
	"errors"
	"fmt"
)

// ErrUnknown is returned (wrapped) by New for a name Names does not list.
var ErrUnknown = errors.New("unknown indicator")

// ParamError reports a parameter that an indicator cannot use, naming it.
type ParamError struct {
	Indicator string  // e.g. "sma"
	Param     string  // e.g. "period"
	Value     float64 // the value given
	Msg       string  // what is wrong with it
}

// Error reads "ta: <indicator>: <param> = <value>: <problem>".
func (e *ParamError) Error() string {
	return fmt.Sprintf("ta: %s: %s = %g: %s", e.Indicator, e.Param, e.Value, e.Msg)
}

// maxPeriod caps every period, as TA-Lib does; it also bounds the ring
// buffers a script can make the host allocate.
const maxPeriod = 100000

// checkPeriod validates a period in [lo, maxPeriod].
func checkPeriod(ind, param string, n, lo int) error {
	if n < lo || n > maxPeriod {
		return &ParamError{Indicator: ind, Param: param, Value: float64(n),
			Msg: fmt.Sprintf("must be in [%d, %d]", lo, maxPeriod)}
	}
	return nil
}

// checkFactor validates a finite multiplier such as a band width.
func checkFactor(ind, param string, k float64) error {
	if k != k || k > 1e300 || k < -1e300 {
		return &ParamError{Indicator: ind, Param: param, Value: k, Msg: "must be a finite number"}
	}
	return nil
}
