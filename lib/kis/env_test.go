package kis

import (
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	full := map[string]string{EnvAppKey: "PSkey-0123456789", EnvAppSecret: "secret-0123456789",
		EnvAccount: "50123456-01", EnvHTSID: "myhts", EnvBaseURL: "http://127.0.0.1:1"}
	get := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := ConfigFromEnv(get(full))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Env != Paper || cfg.AppKey.Reveal() != "PSkey-0123456789" || cfg.BaseURL != "http://127.0.0.1:1" || cfg.HTSID != "myhts" {
		t.Errorf("cfg %+v", cfg)
	}
	cases := []struct {
		key, val, want string
	}{
		{EnvAppKey, "", "KIS_APP_KEY is not set"},
		{EnvAccount, "123", "KIS_ACCOUNT"},
		{EnvEnv, "prodd", "KIS_ENV"},
		{EnvEnv, "real", ""},
	}
	for _, c := range cases {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		m[c.key] = c.val
		cfg, err := ConfigFromEnv(get(m))
		switch {
		case c.want == "" && (err != nil || cfg.Env != Real):
			t.Errorf("%s=%q: %v %v", c.key, c.val, cfg.Env, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s=%q: err %v, want %q", c.key, c.val, err, c.want)
		case err != nil && (strings.Contains(err.Error(), "secret-0123456789") || strings.Contains(err.Error(), "50123456")):
			t.Errorf("error shows a credential: %v", err)
		}
	}
}
