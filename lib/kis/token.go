package kis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/qbtrading/qb/lib/market"
)

// tokenState is the access token and when it was last issued. sem (capacity
// 1) serialises issuance while letting a waiting caller give up on its ctx.
type tokenState struct {
	sem     chan struct{}
	loaded  bool
	value   string
	expires time.Time
	issued  time.Time
}

// tokenFile is the cache file's content. The app key is stored only as a
// hash, to tell whose token it is.
type tokenFile struct {
	Env     string    `json:"env"`
	AppKey  string    `json:"app_key_sha256"`
	Token   string    `json:"access_token"`
	Expires time.Time `json:"expires"`
	Issued  time.Time `json:"issued"`
}

func (c *Client) lockToken(ctx context.Context) error {
	select {
	case c.tok.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("kis token: %w", ctx.Err())
	}
}

func (c *Client) unlockToken() { <-c.tok.sem }

// token returns a valid access token: the one in memory or in the cache file
// while it has more than TokenRefresh left, else a newly issued one.
func (c *Client) token(ctx context.Context) (string, error) {
	if err := c.lockToken(ctx); err != nil {
		return "", err
	}
	defer c.unlockToken()
	if !c.tok.loaded {
		if err := c.loadToken(); err != nil {
			return "", err
		}
	}
	if c.tok.value != "" && c.cfg.Now().Before(c.tok.expires.Add(-c.cfg.TokenRefresh)) {
		return c.tok.value, nil
	}
	return c.issueToken(ctx)
}

// renewToken replaces stale, which KIS called expired, unless another caller
// has replaced it already.
func (c *Client) renewToken(ctx context.Context, stale string) (string, error) {
	if err := c.lockToken(ctx); err != nil {
		return "", err
	}
	defer c.unlockToken()
	if c.tok.value != "" && c.tok.value != stale {
		return c.tok.value, nil
	}
	c.cfg.Logger.Info("kis access token expired; renewing")
	return c.issueToken(ctx)
}

// issueToken calls /oauth2/tokenP, never sooner than TokenMinInterval after
// the previous issuance (KIS: one a minute, §2.1). Caller holds the lock.
func (c *Client) issueToken(ctx context.Context) (string, error) {
	for attempt := 0; ; attempt++ {
		if wait := c.tok.issued.Add(c.cfg.TokenMinInterval).Sub(c.cfg.Now()); wait > 0 {
			c.cfg.Logger.Info("kis token: waiting for the issuance interval", "wait", wait)
			if err := sleep(ctx, wait); err != nil {
				return "", fmt.Errorf("kis token: %w", err)
			}
		}
		tok, exp, err := c.requestToken(ctx)
		c.tok.issued = c.cfg.Now()
		if errors.Is(err, ErrTokenThrottled) && attempt == 0 {
			continue
		}
		if err != nil {
			return "", err
		}
		c.redact.Add(tok)
		c.tok.value, c.tok.expires = tok, exp
		if err := c.saveToken(); err != nil {
			c.cfg.Logger.Warn("kis token cache not written", "err", err)
		}
		return tok, nil
	}
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Expired     string `json:"access_token_token_expired"`
}

func (c *Client) requestToken(ctx context.Context) (string, time.Time, error) {
	body := map[string]string{"grant_type": "client_credentials",
		"appkey": c.cfg.AppKey.Reveal(), "appsecret": c.cfg.AppSecret.Reveal()}
	var out tokenResponse
	req := request{method: http.MethodPost, path: "/oauth2/tokenP", body: body, noAuth: true}
	if _, err := c.call(ctx, req, &out); err != nil {
		return "", time.Time{}, fmt.Errorf("kis token: %w", err)
	}
	if out.AccessToken == "" {
		return "", time.Time{}, fmt.Errorf("kis token: response has no access_token")
	}
	exp, err := time.ParseInLocation("2006-01-02 15:04:05", out.Expired, market.Seoul)
	if err != nil {
		exp = c.cfg.Now().Add(time.Duration(out.ExpiresIn) * time.Second)
	}
	return out.AccessToken, exp, nil
}

func (c *Client) appKeyHash() string {
	h := sha256.Sum256([]byte(c.cfg.AppKey.Reveal()))
	return hex.EncodeToString(h[:])
}

// loadToken reads the cache file. A file others can read is refused: it
// holds a bearer token for the account.
func (c *Client) loadToken() error {
	c.tok.loaded = true
	path := c.cfg.TokenCache
	if path == "" {
		return nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("kis token cache: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("kis token cache %s: mode %04o lets others read it; want 0600", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("kis token cache: %w", err)
	}
	var f tokenFile
	if err := json.Unmarshal(b, &f); err != nil {
		c.cfg.Logger.Warn("kis token cache unreadable; ignoring it", "path", path)
		return nil
	}
	if f.Env != c.cfg.Env.String() || f.AppKey != c.appKeyHash() {
		return nil
	}
	c.tok.value, c.tok.expires, c.tok.issued = f.Token, f.Expires, f.Issued
	c.redact.Add(f.Token)
	return nil
}

// saveToken writes the cache file atomically with mode 0600.
func (c *Client) saveToken() error {
	path := c.cfg.TokenCache
	if path == "" {
		return nil
	}
	b, err := json.Marshal(tokenFile{Env: c.cfg.Env.String(), AppKey: c.appKeyHash(),
		Token: c.tok.value, Expires: c.tok.expires, Issued: c.tok.issued})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kis-token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ApprovalKey issues a WebSocket approval key (/oauth2/Approval, §2.3).
func (c *Client) ApprovalKey(ctx context.Context) (Secret, error) {
	body := map[string]string{"grant_type": "client_credentials",
		"appkey": c.cfg.AppKey.Reveal(), "secretkey": c.cfg.AppSecret.Reveal()}
	var out struct {
		Key string `json:"approval_key"`
	}
	req := request{method: http.MethodPost, path: "/oauth2/Approval", body: body, noAuth: true}
	if _, err := c.call(ctx, req, &out); err != nil {
		return "", fmt.Errorf("kis approval key: %w", err)
	}
	if out.Key == "" {
		return "", fmt.Errorf("kis approval key: response has no approval_key")
	}
	c.redact.Add(out.Key)
	return Secret(out.Key), nil
}
