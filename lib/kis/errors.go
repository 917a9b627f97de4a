package kis

import (
	"errors"
	"fmt"
)

// Sentinel errors for the outcomes a caller acts on. Match them with errors.Is
// against any error this package returns; an *APIError matches the sentinel
// of its code.
var (
	ErrTokenExpired       = errors.New("kis: access token expired")                        // EGW00123
	ErrTokenInvalid       = errors.New("kis: access token invalid")                        // EGW00121, EGW00122
	ErrTokenThrottled     = errors.New("kis: token issued less than a minute ago")         // EGW00133
	ErrRateLimited        = errors.New("kis: too many requests per second")                // EGW00201
	ErrBadCredentials     = errors.New("kis: app key or secret rejected")                  // EGW00102-00105
	ErrWrongEnvironment   = errors.New("kis: TR not valid in this environment")            // EGW00213, EGW02006
	ErrAlreadyInUse       = errors.New("kis: app key already has a WebSocket session")     // OPSP8996
	ErrMaxSubscriptions   = errors.New("kis: too many WebSocket registrations")            // OPSP0008 or client-side check
	ErrInvalidApproval    = errors.New("kis: WebSocket approval key rejected")             // OPSP0011
	ErrNotSubscribed      = errors.New("kis: not subscribed")                              // OPSP0003
	ErrOrderNotPlaced     = errors.New("kis: order response lost and order not found")     // most likely never reached KIS; see PlaceOrder
	ErrOrderStatusUnknown = errors.New("kis: order response lost and status not verified") // do not send again blindly
)

var codeSentinels = map[string]error{
	"EGW00123": ErrTokenExpired,
	"EGW00121": ErrTokenInvalid,
	"EGW00122": ErrTokenInvalid,
	"EGW00133": ErrTokenThrottled,
	"EGW00201": ErrRateLimited,
	"EGW00102": ErrBadCredentials,
	"EGW00103": ErrBadCredentials,
	"EGW00104": ErrBadCredentials,
	"EGW00105": ErrBadCredentials,
	"EGW00213": ErrWrongEnvironment,
	"EGW02006": ErrWrongEnvironment,
	"OPSP8996": ErrAlreadyInUse,
	"OPSP0008": ErrMaxSubscriptions,
	"OPSP0011": ErrInvalidApproval,
	"OPSP0003": ErrNotSubscribed,
}

// APIError is an error answer from KIS: a REST body with rt_cd != "0" (or a
// token-endpoint error_code), or a WebSocket control message with an OPSP
// error. Msg is KIS's own text with any credential redacted.
type APIError struct {
	Code   string // msg_cd or error_code, e.g. EGW00201, OPSP8996, APBK0918
	Msg    string // msg1 or error_description
	RtCd   string // rt_cd when present
	TR     string // tr_id of the request or subscription
	Status int    // HTTP status; 0 for WebSocket
}

// Error reads "kis <TR> (HTTP <status>): <code> <message>".
func (e *APIError) Error() string {
	s := "kis"
	if e.TR != "" {
		s += " " + e.TR
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	return fmt.Sprintf("%s: %s %s", s, e.Code, e.Msg)
}

// Is makes errors.Is(err, ErrRateLimited) and friends true for the matching code.
func (e *APIError) Is(target error) bool {
	s, ok := codeSentinels[e.Code]
	return ok && s == target
}
