package kistest

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/qbtrading/qb/lib/kis"
	"github.com/qbtrading/qb/lib/market"
)

type subKey struct{ tr, key string }

// session is one WebSocket connection.
type session struct {
	conn  *websocket.Conn
	wmu   sync.Mutex
	subs  map[subKey]kis.NoticeKey // guarded by Server.mu
	pongs int                      // guarded by Server.mu
}

func (ss *session) write(msg []byte) error {
	ss.wmu.Lock()
	defer ss.wmu.Unlock()
	_ = ss.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return ss.conn.WriteMessage(websocket.TextMessage, msg)
}

// serveWS accepts a session on any path (§1: /, /tryitout, /tryitout/<TR>).
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ss := &session{conn: conn, subs: map[subKey]kis.NoticeKey{}}
	s.mu.Lock()
	s.sessions[ss] = true
	s.mu.Unlock()
	conn.SetPongHandler(func(string) error { s.countPong(ss); return nil })
	s.wg.Add(1)
	go s.pinger(ss)
	defer s.endSession(ss)
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		s.handleWSMessage(ss, msg)
	}
}

func (s *Server) endSession(ss *session) {
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	ss.conn.Close()
}

func (s *Server) countPong(ss *session) {
	s.mu.Lock()
	ss.pongs++
	s.mu.Unlock()
}

// pinger sends PINGPONG every PingInterval until the session ends.
func (s *Server) pinger(ss *session) {
	defer s.wg.Done()
	t := time.NewTicker(s.opt.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.mu.Lock()
			live := s.sessions[ss]
			s.mu.Unlock()
			if !live {
				return
			}
			msg := `{"header":{"tr_id":"PINGPONG","datetime":"` + now.In(market.Seoul).Format("20060102150405") + `"}}`
			if ss.write([]byte(msg)) != nil {
				return
			}
		}
	}
}

type subscribeMsg struct {
	Header *struct {
		ApprovalKey string `json:"approval_key"`
		CustType    string `json:"custtype"`
		TrType      string `json:"tr_type"`
		TrID        string `json:"tr_id"`
	} `json:"header"`
	Body *struct {
		Input struct {
			TrID  string `json:"tr_id"`
			TrKey string `json:"tr_key"`
		} `json:"input"`
	} `json:"body"`
}

func ack(tr, key, encrypt, rtCd, code, msg string, k *kis.NoticeKey) []byte {
	body := map[string]any{"rt_cd": rtCd, "msg_cd": code, "msg1": msg}
	if k != nil {
		body["output"] = map[string]string{"iv": k.IV, "key": k.Key}
	}
	b, _ := json.Marshal(map[string]any{"header": map[string]string{"tr_id": tr, "tr_key": key, "encrypt": encrypt}, "body": body})
	return b
}

func bodyOnly(rtCd, code, msg string) []byte {
	b, _ := json.Marshal(map[string]any{"body": map[string]string{"rt_cd": rtCd, "msg_cd": code, "msg1": msg}})
	return b
}

// handleWSMessage answers a subscribe/unsubscribe request or a PINGPONG echo.
func (s *Server) handleWSMessage(ss *session, msg []byte) {
	var m subscribeMsg
	if err := json.Unmarshal(msg, &m); err != nil {
		_ = ss.write(bodyOnly("9", "OPSP9999", "JSON PARSING ERROR : invalid json format"))
		return
	}
	if m.Header != nil && m.Header.TrID == kis.TRPingPong {
		s.countPong(ss)
		return
	}
	if m.Header == nil {
		_ = ss.write(bodyOnly("9", "OPSP9990", "JSON PARSING ERROR : header not found"))
		return
	}
	if m.Body == nil {
		_ = ss.write(bodyOnly("9", "OPSP9992", "JSON PARSING ERROR : body not found"))
		return
	}
	reply, after := s.subscribe(ss, m.Header.ApprovalKey, m.Header.TrType, m.Body.Input.TrID, m.Body.Input.TrKey)
	_ = ss.write(reply)
	if after != nil {
		_ = ss.write(after)
	}
}

// subscribe applies a request and returns the ack, plus a snapshot frame when
// ReplayLastTrade is on.
func (s *Server) subscribe(ss *session, approval, trType, tr, key string) (reply, after []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case !s.auth.approvals[approval]:
		return bodyOnly("1", "OPSP0011", "invalid approval : "+approval), nil
	case s.faults.alreadyInUse || s.otherSessionHoldsKey(ss):
		return bodyOnly("9", "OPSP8996", "ALREADY IN USE appkey"), nil
	case trType != "1" && trType != "2":
		return bodyOnly("9", "OPSP8997", "JSON PARSING ERROR : invalid tr_type"), nil
	case !s.validTR(tr):
		return ack(tr, key, "N", "9", "OPSP8991", "SUBSCRIBE ERROR : invalid tr_id", nil), nil
	case key == "":
		return ack(tr, key, "N", "9", "OPSP8993", "JSON PARSING ERROR : invalid tr_key", nil), nil
	}
	k := subKey{tr, key}
	if trType == "2" {
		if _, ok := ss.subs[k]; !ok {
			return ack(tr, key, "N", "1", "OPSP0003", "UNSUBSCRIBE ERROR(not found!)", nil), nil
		}
		delete(ss.subs, k)
		return ack(tr, key, "N", "0", "OPSP0001", "UNSUBSCRIBE SUCCESS", nil), nil
	}
	enc := "N"
	if tr == kis.TRNotice || tr == kis.TRNoticePaper {
		enc = "Y"
	}
	if _, ok := ss.subs[k]; ok {
		return ack(tr, key, enc, "1", "OPSP0002", "ALREADY IN SUBSCRIBE", nil), nil
	}
	if len(ss.subs) >= s.opt.MaxSubscriptions {
		return ack(tr, key, enc, "1", "OPSP0008", "MAX SUBSCRIBE OVER", nil), nil
	}
	nk := kis.NoticeKey{Key: randHex(16), IV: randHex(8)}
	ss.subs[k] = nk
	if tr == kis.TRTrade && s.opt.ReplayLastTrade {
		if st, ok := s.market[market.Symbol(key)]; ok && st.lastRecord != "" {
			after = frame(kis.TRTrade, 1, st.lastRecord)
		}
	}
	return ack(tr, key, enc, "0", "OPSP0000", "SUBSCRIBE SUCCESS", &nk), after
}

// otherSessionHoldsKey reports whether another live session has subscriptions:
// KIS allows one session per app key (§4.6). Caller holds s.mu.
func (s *Server) otherSessionHoldsKey(ss *session) bool {
	for o := range s.sessions {
		if o != ss && len(o.subs) > 0 {
			return true
		}
	}
	return false
}

func (s *Server) validTR(tr string) bool {
	switch tr {
	case kis.TRTrade, kis.TROrderBook:
		return true
	case kis.TRNotice:
		return s.opt.Env == kis.Real
	case kis.TRNoticePaper:
		return s.opt.Env == kis.Paper
	}
	return false
}

// Subscribers is how many live sessions subscribe to tr for key.
func (s *Server) Subscribers(tr, key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		if _, ok := ss.subs[subKey{tr, key}]; ok {
			n++
		}
	}
	return n
}

// Pongs is how many PINGPONG answers (echoes or pong frames) the server got.
func (s *Server) Pongs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		n += ss.pongs
	}
	return n
}

// Sessions is how many WebSocket sessions are connected.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

type delivery struct {
	ss  *session
	msg []byte
}

// Publish records a trade: subscribers of its symbol get an H0STCNT0 frame
// (and an H0STASP0 frame around its quotes), and resting orders it satisfies
// fill, with execution notices to the account's notice subscribers. It
// returns how many sessions got the trade frame.
func (s *Server) Publish(t market.Tick) int {
	s.mu.Lock()
	st := s.symbol(t.Symbol)
	rec := st.apply(t)
	var out []delivery
	n := 0
	for ss := range s.sessions {
		if _, ok := ss.subs[subKey{kis.TRTrade, string(t.Symbol)}]; ok {
			out = append(out, delivery{ss, frame(kis.TRTrade, 1, rec)})
			n++
		}
		if _, ok := ss.subs[subKey{kis.TROrderBook, string(t.Symbol)}]; ok {
			out = append(out, delivery{ss, frame(kis.TROrderBook, 1, bookRecord(t, st.cumVol))})
		}
	}
	out = append(out, s.fillOrders(t)...)
	s.mu.Unlock()
	s.deliver(out)
	return n
}

func (s *Server) deliver(out []delivery) {
	for _, d := range out {
		if err := d.ss.write(d.msg); err != nil {
			s.opt.Logf("kistest: write: %v", err)
		}
	}
}

// Play publishes ticks one after another, pause apart, until done or stop is
// closed. It returns how many it published.
func (s *Server) Play(ticks []market.Tick, pause time.Duration, stop <-chan struct{}) int {
	for i, t := range ticks {
		if i > 0 && pause > 0 {
			select {
			case <-time.After(pause):
			case <-stop:
				return i
			case <-s.stop:
				return i
			}
		}
		s.Publish(t)
	}
	return len(ticks)
}
