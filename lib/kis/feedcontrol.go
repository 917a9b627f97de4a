package kis

import (
	"errors"
	"fmt"
	"time"

	"github.com/gorilla/websocket"
)

// control handles a JSON control message: answers PINGPONG, keeps the AES
// key of encrypted registrations, surfaces refusals.
func (f *Feed) control(conn *websocket.Conn, msg []byte) error {
	c, err := ParseControl(msg)
	if err != nil {
		f.report(err)
		return nil
	}
	switch c.Kind {
	case PingPong:
		// The official client answers with a pong frame carrying the text (§4.5).
		f.wmu.Lock()
		err := conn.WriteControl(websocket.PongMessage, msg, time.Now().Add(5*time.Second))
		f.wmu.Unlock()
		if err != nil {
			return fmt.Errorf("kis feed: answer PINGPONG: %w", err)
		}
	case Subscribed:
		if c.Encrypt || c.TR == TRNotice || c.TR == TRNoticePaper {
			f.mu.Lock()
			f.keys[c.TR] = NoticeKey{Key: c.AESKey, IV: c.IV}
			f.mu.Unlock()
		}
		f.c.cfg.Logger.Debug("kis feed subscribed", "sub", Sub{TR: c.TR, Key: c.Key}.String())
	case Unsubscribed:
	case ControlError:
		return f.refused(c)
	}
	return nil
}

// refused handles an OPSP error. Session-level refusals end the connection;
// a refused registration is dropped from the set and reported.
func (f *Feed) refused(c Control) error {
	sub := Sub{TR: c.TR, Key: c.Key}
	c.Msg = f.c.redact.Redact(c.Msg)
	c.Key = f.c.redact.Redact(c.Key)
	err := c.Err()
	switch {
	case errors.Is(err, ErrAlreadyInUse):
		return fmt.Errorf("kis feed: %w: KIS allows one WebSocket session per app key and another process (or a session KIS has not closed yet) holds it", err)
	case errors.Is(err, ErrInvalidApproval):
		f.mu.Lock()
		fresh := f.freshApproval
		f.approval = "" // fetch a new one for the next connection
		f.mu.Unlock()
		if fresh {
			return &fatalError{fmt.Errorf("kis feed: %w (a newly issued key)", err)}
		}
		return fmt.Errorf("kis feed: %w", err)
	case errors.Is(err, ErrNotSubscribed):
		f.report(fmt.Errorf("kis feed: %w", err))
		return nil
	}
	if sub.TR != "" && sub.Key != "" {
		f.drop(sub)
	}
	f.report(fmt.Errorf("kis feed: registration %v refused: %w", sub, err))
	return nil
}

func (f *Feed) drop(s Sub) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, have := range f.subs {
		if have == s {
			f.subs = append(f.subs[:i], f.subs[i+1:]...)
			return
		}
	}
}
