package kis

import (
	"log/slog"
	"strings"
	"sync"
)

// Secret holds a credential (app key, app secret, access token, approval key,
// account number, HTS ID). Every way of printing it masks it; call Reveal
// only where the value goes on the wire.
type Secret string

// Reveal returns the credential itself.
func (s Secret) Reveal() string { return string(s) }

// String masks the credential: "****" plus at most its last two characters
// for long values, so that two keys can be told apart in a support log.
func (s Secret) String() string { return Mask(string(s)) }

// GoString masks the credential for %#v.
func (s Secret) GoString() string { return Mask(string(s)) }

// LogValue masks the credential for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(Mask(string(s))) }

// MarshalText masks the credential for encoding/json and friends.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Mask(string(s))), nil }

// Mask hides all but the last two characters of values longer than eight
// characters, and all of shorter ones.
func Mask(v string) string {
	if v == "" {
		return ""
	}
	if len(v) <= 8 {
		return "****"
	}
	return "****" + v[len(v)-2:]
}

// Redactor replaces every registered credential in a text with its mask. The
// client registers its keys, tokens and account; errors and log lines pass
// through it, because KIS echoes some of them back (OPSP0011 quotes the
// approval key). It is safe for concurrent use.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Add registers values to hide; short values (under 4 characters) are ignored
// because replacing them would shred ordinary text.
func (r *Redactor) Add(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) >= 4 && !r.has(v) {
			r.secrets = append(r.secrets, v)
		}
	}
}

func (r *Redactor) has(v string) bool {
	for _, s := range r.secrets {
		if s == v {
			return true
		}
	}
	return false
}

// Redact returns text with every registered credential masked.
func (r *Redactor) Redact(text string) string {
	if r == nil {
		return text
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, s := range r.secrets {
		if strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, Mask(s))
		}
	}
	return text
}
