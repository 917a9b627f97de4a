package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/qbtrading/qb/lib/kis"
)

// qb kis-server streams a bar file as trades and prints the environment
// that points qb run at it; a client configured from that environment
// gets the streamed prices.
func TestKISServerPrintsItsEnvironment(t *testing.T) {
	out, stop := startRun(t, nil, "kis-server", "--data", "../../testdata/krx/daily/005930.csv",
		"--rest-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0", "--pace", "5ms")
	waitUntil(t, "the environment", out, func() bool { return strings.Contains(out.String(), "qb run --feed kis") })
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(KIS_[A-Z_]+)=(\S+)`).FindAllStringSubmatch(out.String(), -1) {
		env[m[1]] = m[2]
	}
	cfg, err := kis.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("printed environment: %v\n%s", err, out.String())
	}
	c, err := kis.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a streamed trade", out, func() bool {
		q, err := c.Price(context.Background(), "005930")
		return err == nil && q.Price > 0
	})
	if err := stop(); err != nil {
		t.Fatalf("kis-server ended with %v", err)
	}
}

func TestKISServerBadFile(t *testing.T) {
	_, errOut, code := qb(t, context.Background(), "kis-server", "--data", "no/such.csv")
	if code == 0 || !strings.Contains(errOut, "no/such.csv") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
