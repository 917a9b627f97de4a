package kis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// request is one REST call.
type request struct {
	method string
	path   string
	tr     string // environment-specific TR id
	query  url.Values
	body   any
	trCont string // "" first page, "N" next page
	noAuth bool   // token and approval endpoints
}

// envelope is the status part every REST answer carries (§3.1).
type envelope struct {
	RtCd      string `json:"rt_cd"`
	MsgCd     string `json:"msg_cd"`
	Msg1      string `json:"msg1"`
	ErrorCode string `json:"error_code"`
	ErrorDesc string `json:"error_description"`
}

// call sends req, renewing an expired token once and backing off on the
// rate limit, and decodes a successful body into out. It returns the
// response's tr_cont header.
func (c *Client) call(ctx context.Context, req request, out any) (string, error) {
	renewed := false
	backoff := c.cfg.RateLimitBackoff
	for attempt := 0; ; attempt++ {
		tok := ""
		if !req.noAuth {
			var err error
			if tok, err = c.token(ctx); err != nil {
				return "", err
			}
		}
		trCont, err := c.send(ctx, req, tok, out)
		switch {
		case err == nil:
			return trCont, nil
		case (errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenInvalid)) && !renewed && !req.noAuth:
			renewed = true
			if _, err := c.renewToken(ctx, tok); err != nil {
				return "", err
			}
		case errors.Is(err, ErrRateLimited) && attempt < c.cfg.RateLimitRetries:
			c.cfg.Logger.Warn("kis rate limited; backing off", "tr", req.tr, "wait", backoff)
			if err := sleep(ctx, backoff); err != nil {
				return "", fmt.Errorf("kis %s: %w", req.tr, err)
			}
			backoff *= 2
		default:
			return "", err
		}
	}
}

// send makes one HTTP exchange.
func (c *Client) send(ctx context.Context, req request, tok string, out any) (string, error) {
	hr, err := c.newHTTPRequest(ctx, req, tok)
	if err != nil {
		return "", err
	}
	if err := c.cfg.Limiter.Wait(ctx); err != nil {
		return "", fmt.Errorf("kis %s: rate limiter: %w", req.tr, err)
	}
	resp, err := c.cfg.HTTPClient.Do(hr)
	if err != nil {
		return "", c.transportError(req, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return "", c.transportError(req, err)
	}
	if err := c.checkBody(req, resp.StatusCode, body); err != nil {
		return "", err
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return "", fmt.Errorf("kis %s %s: decode response: %w", req.tr, req.path, err)
		}
	}
	return resp.Header.Get("tr_cont"), nil
}

func (c *Client) newHTTPRequest(ctx context.Context, req request, tok string) (*http.Request, error) {
	u := c.cfg.BaseURL + req.path
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var body io.Reader
	if req.body != nil {
		b, err := json.Marshal(req.body)
		if err != nil {
			return nil, fmt.Errorf("kis %s: encode request: %w", req.tr, err)
		}
		body = bytes.NewReader(b)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("kis %s %s: %w", req.tr, req.path, err)
	}
	h := hr.Header
	h.Set("Content-Type", "application/json; charset=utf-8")
	if req.noAuth {
		return hr, nil
	}
	h.Set("authorization", "Bearer "+tok)
	h.Set("appkey", c.cfg.AppKey.Reveal())
	h.Set("appsecret", c.cfg.AppSecret.Reveal())
	h.Set("tr_id", req.tr)
	h.Set("tr_cont", req.trCont)
	h.Set("custtype", "P")
	return hr, nil
}

// checkBody turns an HTTP error or rt_cd != "0" into an *APIError. KIS
// answers gateway errors with HTTP 500 and a JSON body, and some business
// rejections with 200 (§3.1), so both are read.
func (c *Client) checkBody(req request, status int, body []byte) error {
	var env envelope
	jsonErr := json.Unmarshal(body, &env)
	e := &APIError{TR: req.tr, Status: status, RtCd: env.RtCd, Code: env.MsgCd, Msg: env.Msg1}
	if env.ErrorCode != "" {
		e.Code, e.Msg = env.ErrorCode, env.ErrorDesc
	}
	switch {
	case jsonErr == nil && status < 300 && (env.RtCd == "0" || (env.RtCd == "" && e.Code == "")):
		return nil
	case jsonErr != nil && status < 300:
		return fmt.Errorf("kis %s %s: response is not JSON: %w", req.tr, req.path, jsonErr)
	case jsonErr != nil && status >= 500:
		// Not KIS speaking (a proxy or load balancer): whether the request
		// was processed is unknown, exactly as when the connection drops.
		return c.transportError(req, fmt.Errorf("HTTP %d without a KIS answer", status))
	case e.Code == "":
		e.Code = "HTTP"
		e.Msg = http.StatusText(status)
	}
	e.Msg = c.redact.Redact(e.Msg)
	if req.tr == "" {
		e.TR = req.path
	}
	c.cfg.Logger.Debug("kis error answer", "tr", e.TR, "status", status, "code", e.Code)
	return e
}

// transportError wraps a failure to exchange a request. url.Error would quote
// the full URL, whose query carries the account number; keep only the path.
func (c *Client) transportError(req request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &TransportError{Op: req.method + " " + req.path, TR: req.tr, Err: err, redact: &c.redact}
}

// TransportError is a request that got no KIS answer: a connection error,
// a timeout, a dropped response. For an order it means the outcome is
// unknown until the daily fills say otherwise.
type TransportError struct {
	Op     string
	TR     string
	Err    error
	redact *Redactor
}

// Error describes the failure with credentials masked.
func (e *TransportError) Error() string {
	return e.redact.Redact(fmt.Sprintf("kis %s %s: %v", e.TR, e.Op, e.Err))
}

// Unwrap returns the underlying network error.
func (e *TransportError) Unwrap() error { return e.Err }

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
