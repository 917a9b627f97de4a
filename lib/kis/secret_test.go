package kis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestSecretNeverPrinted(t *testing.T) {
	const key = "PSabcdefghijklmnopqrstuvwxyz0123456789"
	cfg := Config{Env: Paper, AppKey: key, AppSecret: "secret-secret-secret", Account: "5012345601", HTSID: "myhtsid1"}
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("cfg", "key", cfg.AppKey, "cfg", cfg)
	js, err := json.Marshal(struct{ Key, Secret, Account Secret }{cfg.AppKey, cfg.AppSecret, cfg.Account})
	if err != nil || !strings.Contains(string(js), "****") {
		t.Fatalf("json %s %v", js, err)
	}
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", cfg), "%+v": fmt.Sprintf("%+v", cfg), "%#v": fmt.Sprintf("%#v", cfg),
		"%s key": fmt.Sprintf("%s", cfg.AppKey), "json": string(js), "slog": logBuf.String(),
	}
	for name, out := range outs {
		for _, secret := range []string{key, "secret-secret-secret", "5012345601", "myhtsid1"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows %q: %s", name, secret, out)
			}
		}
	}
	if got := cfg.AppKey.String(); got != "****89" {
		t.Errorf("mask = %q", got)
	}
	if cfg.AppKey.Reveal() != key {
		t.Error("Reveal lost the value")
	}
}

func TestRedactor(t *testing.T) {
	var r Redactor
	r.Add("062f61cb-c756-4b8f-9fab-92113c6fbea4", "abc", "")
	cases := []struct{ in, want string }{
		{"invalid approval : 062f61cb-c756-4b8f-9fab-92113c6fbea4", "invalid approval : ****a4"},
		{"abc is too short to redact", "abc is too short to redact"},
		{"nothing here", "nothing here"},
	}
	for _, c := range cases {
		if got := r.Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestClientStringMasks(t *testing.T) {
	c, err := New(Config{Env: Real, AppKey: "PSabcdefghijklmnop", AppSecret: "sec-sec-sec-sec", Account: "12345678-01"})
	if err != nil {
		t.Fatal(err)
	}
	s := c.String()
	for _, secret := range []string{"PSabcdefghijklmnop", "sec-sec-sec-sec", "12345678"} {
		if strings.Contains(s, secret) {
			t.Errorf("String() = %s shows %q", s, secret)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{AppKey: "k", AppSecret: "s"}, "env"},
		{Config{Env: Paper, AppSecret: "s"}, "app key missing"},
		{Config{Env: Paper, AppKey: "k"}, "app secret missing"},
		{Config{Env: Paper, AppKey: "k", AppSecret: "s", Account: "1234-5678"}, "want 10"},
		{Config{Env: Paper, AppKey: "k", AppSecret: "s", Account: "12345678-0x"}, "digits"},
	}
	for _, c := range cases {
		_, err := New(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%v) = %v, want %q", c.cfg, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "1234") {
			t.Errorf("error shows the account: %v", err)
		}
	}
}

func TestPaperTRDerivation(t *testing.T) {
	c := &Client{cfg: Config{Env: Paper}}
	cases := map[string]string{"TTTC0012U": "VTTC0012U", "TTTC8434R": "VTTC8434R", "CTSC9215R": "VTSC9215R",
		"FHKST01010100": "FHKST01010100", "JTTT1002U": "VTTT1002U"}
	for real, want := range cases {
		if got := c.tr(real); got != want {
			t.Errorf("tr(%s) = %s, want %s", real, got, want)
		}
	}
	c.cfg.Env = Real
	if got := c.tr("TTTC0012U"); got != "TTTC0012U" {
		t.Errorf("real tr = %s", got)
	}
}
