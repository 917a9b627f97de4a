package kis

import (
	"fmt"
	"sync"
)

// Client calls the KIS REST API for one app key and environment. It is safe
// for concurrent use.
type Client struct {
	cfg    Config
	cano   string // account number, first 8 digits
	prdt   string // account product code, last 2 digits
	redact Redactor
	tok    tokenState

	mu    sync.Mutex
	known map[string]bool // order numbers this client has seen acknowledged
}

// New checks cfg and returns a Client. Nothing is sent until the first call.
func New(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg.defaults()
	c := &Client{cfg: cfg, known: make(map[string]bool)}
	c.tok.sem = make(chan struct{}, 1)
	if cfg.Account != "" {
		c.cano, c.prdt, _ = splitAccount(string(cfg.Account))
		c.redact.Add(c.cano, string(cfg.Account))
	}
	c.redact.Add(string(cfg.AppKey), string(cfg.AppSecret), string(cfg.HTSID))
	return c, nil
}

// Env reports the client's environment.
func (c *Client) Env() Env { return c.cfg.Env }

// Redact masks every credential this client knows (keys, tokens, account)
// in text. Use it on anything derived from KIS responses before logging it.
func (c *Client) Redact(text string) string { return c.redact.Redact(text) }

// String describes the client without credentials.
func (c *Client) String() string {
	return fmt.Sprintf("kis.Client{env %s, app key %s, account %s}", c.cfg.Env, c.cfg.AppKey, Mask(c.cano))
}

// tr returns the environment's TR id for a real one: on paper, account and
// order TRs starting with T, J or C take a V (§2.5); quote TRs are unchanged.
func (c *Client) tr(real string) string {
	if c.cfg.Env != Paper || real == "" {
		return real
	}
	switch real[0] {
	case 'T', 'J', 'C':
		return "V" + real[1:]
	}
	return real
}

// TR ids (real environment spelling; the client derives the paper ones).
const (
	TRBuy        = "TTTC0012U" // order-cash buy
	TRSell       = "TTTC0011U" // order-cash sell
	TRRevise     = "TTTC0013U" // order-rvsecncl
	TRBalance    = "TTTC8434R" // inquire-balance
	TRDailyCcld  = "TTTC0081R" // inquire-daily-ccld, within 3 months
	TRPrice      = "FHKST01010100"
	TRDailyBars  = "FHKST03010100"
	TRMinuteBars = "FHKST03010200"
)
