package kis

import (
	"bytes"
	"fmt"
)

// Real-time TR ids (§6, §7).
const (
	TRTrade       = "H0STCNT0" // 국내주식 실시간체결가 (KRX)
	TROrderBook   = "H0STASP0" // 국내주식 실시간호가 (KRX)
	TRNotice      = "H0STCNI0" // 실시간체결통보, real accounts
	TRNoticePaper = "H0STCNI9" // 실시간체결통보, paper accounts
	TRPingPong    = "PINGPONG"
)

// FrameKind says whether a WebSocket message is data or a JSON control message.
type FrameKind uint8

// The two kinds of message on the KIS WebSocket.
const (
	DataFrame    FrameKind = 1 // "0|TR|NNN|f^f^…" or "1|TR|NNN|<base64>"
	ControlFrame FrameKind = 2 // JSON: acks, errors, PINGPONG
)

// Frame is one WebSocket message split into its parts (§4.7). Payload aliases
// the message buffer; it is valid only as long as that buffer is.
type Frame struct {
	Kind      FrameKind
	Encrypted bool   // first part "1": Payload is base64 AES-256-CBC
	TR        string // TR id
	Count     int    // number of records in Payload (1..999)
	Payload   []byte // fields of all records joined by '^', or base64 when Encrypted
}

// SplitFrame classifies msg and, for a data frame, splits its header. A control
// frame comes back with Kind ControlFrame and the whole message as Payload.
// It does not allocate for the known TR ids.
func SplitFrame(msg []byte) (Frame, error) {
	msg = bytes.TrimRight(msg, "\r\n")
	if len(msg) == 0 {
		return Frame{}, fmt.Errorf("kis frame: empty message")
	}
	if msg[0] == '{' {
		return Frame{Kind: ControlFrame, Payload: msg}, nil
	}
	var f Frame
	f.Kind = DataFrame
	switch msg[0] {
	case '0':
	case '1':
		f.Encrypted = true
	default:
		return Frame{}, fmt.Errorf("kis frame: first byte %q, want '0', '1' or '{'", msg[0])
	}
	if len(msg) < 2 || msg[1] != '|' {
		return Frame{}, fmt.Errorf("kis frame: no '|' after the encryption flag")
	}
	rest := msg[2:]
	i := bytes.IndexByte(rest, '|')
	if i < 0 {
		i = len(rest)
	}
	if i == 0 {
		return Frame{}, fmt.Errorf("kis frame: missing TR id")
	}
	if i == len(rest) {
		return Frame{}, fmt.Errorf("kis frame %.16q: missing record count", rest)
	}
	f.TR = internTR(rest[:i])
	rest = rest[i+1:]
	i = bytes.IndexByte(rest, '|')
	if i < 0 {
		return Frame{}, fmt.Errorf("kis frame %s: missing record count", f.TR)
	}
	n, ok := parseCount(rest[:i])
	if !ok {
		return Frame{}, fmt.Errorf("kis frame %s: record count %q is not 001..999", f.TR, rest[:i])
	}
	f.Count, f.Payload = n, rest[i+1:]
	return f, nil
}

// internTR returns a constant string for the known TR ids, so that splitting a
// frame does not allocate.
func internTR(b []byte) string {
	switch string(b) {
	case TRTrade:
		return TRTrade
	case TROrderBook:
		return TROrderBook
	case TRNotice:
		return TRNotice
	case TRNoticePaper:
		return TRNoticePaper
	}
	return string(b)
}

func parseCount(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > 0
}
