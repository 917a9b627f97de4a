package kis

import (
	"encoding/json"
	"fmt"
)

// ControlKind classifies a JSON control message (§4.3–4.5).
type ControlKind uint8

// Control message kinds.
const (
	PingPong     ControlKind = iota + 1 // server heartbeat; echo it back
	Subscribed                          // OPSP0000, or OPSP0002 (already subscribed: still active)
	Unsubscribed                        // OPSP0001
	ControlError                        // any other rt_cd != "0"
)

// Control is a decoded JSON control message.
type Control struct {
	Kind     ControlKind
	TR       string // header.tr_id; empty when the server sent no header
	Key      string // header.tr_key (stock code, or HTS ID for notices)
	Encrypt  bool   // header.encrypt == "Y"
	Datetime string // PINGPONG header.datetime, YYYYMMDDHHMMSS
	RtCd     string
	MsgCd    string // OPSP code
	Msg      string
	IV       string // body.output.iv: AES IV for this subscription (16 chars)
	AESKey   string // body.output.key: AES-256 key for this subscription (32 chars)
}

type controlJSON struct {
	Header struct {
		TrID     string `json:"tr_id"`
		TrKey    string `json:"tr_key"`
		Encrypt  string `json:"encrypt"`
		Datetime string `json:"datetime"`
	} `json:"header"`
	Body *struct {
		RtCd   string `json:"rt_cd"`
		MsgCd  string `json:"msg_cd"`
		Msg1   string `json:"msg1"`
		Output struct {
			IV  string `json:"iv"`
			Key string `json:"key"`
		} `json:"output"`
	} `json:"body"`
}

// ParseControl decodes a JSON control message. A PINGPONG has tr_id PINGPONG
// and no body (the rule the official client uses).
func ParseControl(msg []byte) (Control, error) {
	var j controlJSON
	if err := json.Unmarshal(msg, &j); err != nil {
		return Control{}, fmt.Errorf("kis control message: %w", err)
	}
	c := Control{TR: j.Header.TrID, Key: j.Header.TrKey, Encrypt: j.Header.Encrypt == "Y", Datetime: j.Header.Datetime}
	if j.Body == nil {
		if c.TR == TRPingPong {
			c.Kind = PingPong
			return c, nil
		}
		return Control{}, fmt.Errorf("kis control message: no body (tr_id %q)", c.TR)
	}
	b := j.Body
	c.RtCd, c.MsgCd, c.Msg, c.IV, c.AESKey = b.RtCd, b.MsgCd, b.Msg1, b.Output.IV, b.Output.Key
	switch {
	case c.MsgCd == "OPSP0000" || c.MsgCd == "OPSP0002":
		c.Kind = Subscribed
	case c.MsgCd == "OPSP0001":
		c.Kind = Unsubscribed
	case c.RtCd == "0":
		c.Kind = Subscribed
		if len(c.Msg) >= 5 && c.Msg[:5] == "UNSUB" {
			c.Kind = Unsubscribed
		}
	default:
		c.Kind = ControlError
	}
	return c, nil
}

// Err returns the control message as an error (*APIError) when it is one.
func (c *Control) Err() error {
	if c.Kind != ControlError {
		return nil
	}
	return &APIError{Code: c.MsgCd, Msg: c.Msg, RtCd: c.RtCd, TR: c.TR}
}
