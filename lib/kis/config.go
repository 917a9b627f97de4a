package kis

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Env selects the real (실전) or paper (모의투자) environment.
type Env uint8

// The two KIS environments.
const (
	Real  Env = 1
	Paper Env = 2
)

// String returns "real" or "paper".
func (e Env) String() string {
	switch e {
	case Real:
		return "real"
	case Paper:
		return "paper"
	}
	return fmt.Sprintf("Env(%d)", uint8(e))
}

// ParseEnv reads "real" or "paper" (also "vts"/"mock" for paper).
func ParseEnv(s string) (Env, error) {
	switch strings.ToLower(s) {
	case "real", "prod", "live":
		return Real, nil
	case "paper", "vts", "mock", "virtual":
		return Paper, nil
	}
	return 0, fmt.Errorf("kis env %q: want real or paper", s)
}

// Default hosts (§1) and rate limits (§9).
const (
	RealRESTURL  = "https://openapi.koreainvestment.com:9443"
	PaperRESTURL = "https://openapivts.koreainvestment.com:29443"
	RealWSURL    = "ws://ops.koreainvestment.com:21000"
	PaperWSURL   = "ws://ops.koreainvestment.com:31000"
	RealRPS      = 20
	PaperRPS     = 2
)

// Config configures a Client. Credentials are Secrets so that printing a
// Config never shows them.
type Config struct {
	Env       Env
	AppKey    Secret
	AppSecret Secret
	Account   Secret // "12345678-01" or "1234567801": CANO (8) + ACNT_PRDT_CD (2)
	HTSID     Secret // for execution notices

	BaseURL string // REST base; default by Env (the protocol server's URL in tests)
	WSURL   string // WebSocket base; default by Env

	HTTPClient *http.Client  // default: 10 s timeout
	Limiter    *rate.Limiter // shared limiter; default RatePerSecond, burst 1
	// RatePerSecond overrides the environment's limit (20 real, 2 paper).
	RatePerSecond float64

	// TokenCache is a file where the access token is kept (mode 0600) and
	// shared between runs; "" keeps it in memory only.
	TokenCache string
	// TokenMinInterval is the least time between two token issuances
	// (KIS allows one a minute); default 1 minute.
	TokenMinInterval time.Duration
	// TokenRefresh renews a token this long before it expires; default 10 minutes.
	TokenRefresh time.Duration

	// RateLimitRetries is how many times a request refused with EGW00201 is
	// sent again, after RateLimitBackoff doubling each time; defaults 6 and 250 ms.
	RateLimitRetries int
	RateLimitBackoff time.Duration

	// OrderCheckAttempts and OrderCheckDelay bound the daily-fills queries
	// that find out whether an order whose response was lost went through;
	// defaults 3 and 1 s.
	OrderCheckAttempts int
	OrderCheckDelay    time.Duration

	Logger *slog.Logger     // default: discard
	Now    func() time.Time // default time.Now
}

func (c *Config) defaults() {
	if c.BaseURL == "" {
		c.BaseURL = map[Env]string{Real: RealRESTURL, Paper: PaperRESTURL}[c.Env]
	}
	if c.WSURL == "" {
		c.WSURL = map[Env]string{Real: RealWSURL, Paper: PaperWSURL}[c.Env]
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Limiter == nil {
		rps := c.RatePerSecond
		if rps <= 0 {
			rps = map[Env]float64{Real: RealRPS, Paper: PaperRPS}[c.Env]
		}
		c.Limiter = rate.NewLimiter(rate.Limit(rps), 1)
	}
	setDur(&c.TokenMinInterval, time.Minute)
	setDur(&c.TokenRefresh, 10*time.Minute)
	setDur(&c.RateLimitBackoff, 250*time.Millisecond)
	setDur(&c.OrderCheckDelay, time.Second)
	if c.RateLimitRetries <= 0 {
		c.RateLimitRetries = 6
	}
	if c.OrderCheckAttempts <= 0 {
		c.OrderCheckAttempts = 3
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

func setDur(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// account splits "12345678-01" / "1234567801" into CANO and ACNT_PRDT_CD.
func splitAccount(a string) (cano, prdt string, err error) {
	a = strings.ReplaceAll(a, "-", "")
	if len(a) != 10 {
		return "", "", fmt.Errorf("kis config: account has %d digits, want 10 (8-digit CANO + 2-digit product code)", len(a))
	}
	for _, c := range a {
		if c < '0' || c > '9' {
			return "", "", fmt.Errorf("kis config: account must be digits")
		}
	}
	return a[:8], a[8:], nil
}

func (c *Config) validate() error {
	switch {
	case c.Env != Real && c.Env != Paper:
		return fmt.Errorf("kis config: env %v: want Real or Paper", c.Env)
	case c.AppKey == "":
		return fmt.Errorf("kis config: app key missing")
	case c.AppSecret == "":
		return fmt.Errorf("kis config: app secret missing")
	}
	if c.Account != "" {
		if _, _, err := splitAccount(string(c.Account)); err != nil {
			return err
		}
	}
	return nil
}
