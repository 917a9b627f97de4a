package sqldb

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrationFS embed.FS

// Migration is one embedded schema step, applied once and recorded in the
// schema_migrations table.
type Migration struct {
	Version  int    // from the file name prefix, e.g. 1 for 0001_schema.sql
	Name     string // file name
	SQL      string
	Checksum string // sha256 of SQL, hex; a changed file is refused
}

// Migrations returns the embedded migrations for dialect ("postgres" or
// "sqlite") in the order they are applied.
func Migrations(dialect string) ([]Migration, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations %s: %w", dialect, err)
	}
	var out []Migration
	for _, e := range entries {
		m, err := readMigration(dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s: %s and %s share version %d",
				dialect, out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

func readMigration(dir, name string) (Migration, error) {
	prefix, _, ok := strings.Cut(name, "_")
	v, err := strconv.Atoi(prefix)
	if !ok || err != nil || v <= 0 {
		return Migration{}, fmt.Errorf("migration %s: name must start with a positive version and '_'", name)
	}
	b, err := migrationFS.ReadFile(path.Join(dir, name))
	if err != nil {
		return Migration{}, fmt.Errorf("migration %s: %w", name, err)
	}
	sum := sha256.Sum256(b)
	return Migration{Version: v, Name: name, SQL: string(b), Checksum: hex.EncodeToString(sum[:])}, nil
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Migration
	Applied bool
}

// checkApplied compares what the database recorded with the embedded files and
// returns those still to apply. A recorded checksum that differs from the file
// means someone edited an applied migration: refuse rather than guess.
func checkApplied(all []Migration, applied map[int]string) ([]Migration, error) {
	var todo []Migration
	for _, m := range all {
		sum, ok := applied[m.Version]
		switch {
		case !ok:
			todo = append(todo, m)
		case sum != m.Checksum:
			return nil, fmt.Errorf("migration %s: applied with checksum %.12s, file now has %.12s", m.Name, sum, m.Checksum)
		}
	}
	return todo, nil
}
