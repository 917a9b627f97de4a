package sqldb_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/qbtrading/qb/sqldb"
)

var wantTables = []string{
	"market_data", "orders", "positions", "risk_metrics", "schema_migrations", "stock_metadata",
	"strategy_performance", "strategy_state", "system_logs", "ticks", "trades",
}

func tables(t *testing.T, st sqldb.Store) []string {
	t.Helper()
	var q string
	switch st.(type) {
	case *sqldb.Postgres:
		q = `SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	case *sqldb.SQLite:
		q = `SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master
			WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)`
	}
	var list string
	var err error
	switch s := st.(type) {
	case *sqldb.Postgres:
		err = s.Pool().QueryRow(context.Background(), q).Scan(&list)
	case *sqldb.SQLite:
		err = s.DB().QueryRow(q).Scan(&list)
	}
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	return strings.Split(list, ",")
}

func TestMigrateTwice(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		first := open(t, target, sqldb.Options{})
		first.Close()
		st := open(t, target, sqldb.Options{})
		if got := tables(t, st); !slices.Equal(got, wantTables) {
			t.Errorf("tables = %v, want %v", got, wantTables)
		}
		if n, want := queryInt(t, st, `SELECT count(*) FROM schema_migrations`), migrationCount(t); n != want {
			t.Errorf("schema_migrations has %d rows, want %d", n, want)
		}
		status := migrationStatus(t, st)
		if n := queryInt(t, st, `SELECT count(*) FROM schema_migrations`); n != int64(len(status)) {
			t.Errorf("schema_migrations has %d rows, want one per migration, %d", n, len(status))
		}
		for _, m := range status {
			if !m.Applied {
				t.Errorf("migration %s not applied", m.Name)
			}
		}
	})
}

// migrationCount is the number of embedded migrations, the same in both
// dialects.
func migrationCount(t *testing.T) int64 {
	t.Helper()
	ms, err := sqldb.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	return int64(len(ms))
}

func migrationStatus(t *testing.T, st sqldb.Store) []sqldb.MigrationStatus {
	t.Helper()
	status, err := st.MigrationStatus(context.Background())
	if err != nil {
		t.Fatalf("migration status: %v", err)
	}
	if len(status) == 0 {
		t.Fatal("no migrations embedded")
	}
	return status
}

// Two hosts starting at once: both must succeed and the schema is made once.
func TestMigrateConcurrently(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		const hosts = 4
		var wg sync.WaitGroup
		errs := make([]error, hosts)
		for i := range hosts {
			wg.Go(func() {
				st, err := sqldb.Open(context.Background(), target, sqldb.Options{})
				if err == nil {
					st.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("host %d: %v", i, err)
			}
		}
		st := open(t, target, sqldb.Options{})
		if n, want := queryInt(t, st, `SELECT count(*) FROM schema_migrations`), migrationCount(t); n != want {
			t.Errorf("schema_migrations has %d rows, want %d", n, want)
		}
	})
}

// A migration edited after it was applied is refused, naming the file.
func TestMigrateRefusesEditedMigration(t *testing.T) {
	eachStore(t, func(t *testing.T, target string) {
		st := open(t, target, sqldb.Options{})
		execSQL(t, st, `UPDATE schema_migrations SET checksum = 'edited'`)
		st.Close()
		_, err := sqldb.Open(context.Background(), target, sqldb.Options{})
		if err == nil || !strings.Contains(err.Error(), "0001_schema.sql") {
			t.Fatalf("open after edit: err = %v, want one naming 0001_schema.sql", err)
		}
	})
}

func TestSameTablesInBothDialects(t *testing.T) {
	for _, d := range []string{"postgres", "sqlite"} {
		ms, err := sqldb.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wantTables {
			if want == "schema_migrations" {
				continue
			}
			found := false
			for _, m := range ms {
				found = found || strings.Contains(m.SQL, "CREATE TABLE "+want+" (")
			}
			if !found {
				t.Errorf("%s migrations do not create %s", d, want)
			}
		}
	}
}

func execSQL(t *testing.T, st sqldb.Store, query string) {
	t.Helper()
	var err error
	switch s := st.(type) {
	case *sqldb.Postgres:
		_, err = s.Pool().Exec(context.Background(), query)
	case *sqldb.SQLite:
		_, err = s.DB().Exec(query)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
