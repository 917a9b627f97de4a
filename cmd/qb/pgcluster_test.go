package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qbtrading/qb/sqldb/sqltest"
)

// A private PostgreSQL cluster: its own data directory and port, so a test
// can stop it without touching the shared server.
type pgCluster struct {
	dir, bin string
	port     int
	asUser   []string // runs the server as a non-root user when the test is root
}

func privatePostgres(t *testing.T) *pgCluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			bins = []string{p}
		}
	}
	if len(bins) == 0 {
		sqltest.NeedService(t, "PostgreSQL server binaries (initdb, pg_ctl) not found for a private cluster")
	}
	c := &pgCluster{bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "qb-fault-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 { // initdb refuses root
		u, err := user.Lookup("postgres")
		if err != nil {
			sqltest.NeedService(t, "running as root and no postgres user to run a private cluster as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	c.port = freePort(t)
	c.run(t, "initdb", "-D", c.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
	c.up(t)
	t.Cleanup(func() { c.pgctl(nil, "stop", "-m", "immediate") })
	return c
}

func (c *pgCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *pgCluster) target() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

func (c *pgCluster) run(t *testing.T, name string, args ...string) {
	if err := c.exec(name, args...); err != nil && t != nil {
		t.Fatal(err)
	}
}

func (c *pgCluster) exec(name string, args ...string) error {
	argv := append(append(append([]string{}, c.asUser...), filepath.Join(c.bin, name)), args...)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
	return nil
}

func (c *pgCluster) pgctl(t *testing.T, args ...string) {
	c.run(t, "pg_ctl", append([]string{"-D", c.data(), "-w", "-t", "60"}, args...)...)
}

func (c *pgCluster) up(t *testing.T) {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", c.port, c.dir)
	c.pgctl(t, "-l", filepath.Join(c.dir, "log"), "-o", opts, "start")
}

func (c *pgCluster) down(t *testing.T) { c.pgctl(t, "stop", "-m", "fast") }

// freePort returns a TCP port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// long skips a test that runs qb several times under -short, unless CI
// requires every service test to run (QB_REQUIRE_SERVICES=1).
func long(t *testing.T, what string) {
	t.Helper()
	if testing.Short() && os.Getenv("QB_REQUIRE_SERVICES") != "1" {
		t.Skipf("-short: %s", what)
	}
}
