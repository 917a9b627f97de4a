package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// privatePG is a PostgreSQL cluster of the test's own, in a temporary
// folder on a free port, that the test may stop and start: never the
// shared server on 5432.
type privatePG struct {
	bin, dir string
	port     int
	cred     *syscall.Credential // the postgres user's, when the test runs as root
}

// startPrivatePG creates and starts a cluster with initdb and pg_ctl from
// /usr/lib/postgresql/*/bin; without them the test is skipped (failed
// with QB_REQUIRE_SERVICES=1).
func startPrivatePG(t *testing.T) *privatePG {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		needService(t, "no initdb under /usr/lib/postgresql/*/bin for a private PostgreSQL cluster")
	}
	p := &privatePG{bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "qb-pg-*") // not t.TempDir: its parents are root's, mode 0700
	if err != nil {
		t.Fatal(err)
	}
	p.dir = dir
	t.Cleanup(func() {
		_ = p.pgctl("stop", "-m", "immediate")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			needService(t, "running as root and no postgres user for a private cluster")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := p.cmd("initdb", "-D", p.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.start(t)
	return p
}

func (p *privatePG) data() string { return filepath.Join(p.dir, "data") }

func (p *privatePG) cmd(name string, args ...string) *exec.Cmd {
	c := exec.Command(filepath.Join(p.bin, name), args...)
	c.Dir = p.dir
	if p.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	return c
}

func (p *privatePG) pgctl(args ...string) error {
	args = append([]string{"-D", p.data(), "-w", "-t", "60"}, args...)
	out, err := p.cmd("pg_ctl", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %w\n%s", args, err, out)
	}
	return nil
}

// start starts the cluster and waits until it takes connections.
func (p *privatePG) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", p.port, p.dir)
	if err := p.pgctl("start", "-l", filepath.Join(p.dir, "log"), "-o", opts); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p.port))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("private PostgreSQL on port %d not up: %v", p.port, err)
		}
	}
}

// stop stops the cluster at once, as a crash of the database would.
func (p *privatePG) stop(t *testing.T) {
	t.Helper()
	if err := p.pgctl("stop", "-m", "immediate"); err != nil {
		t.Fatal(err)
	}
}

// url is the cluster's --store URL.
func (p *privatePG) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}
