// Package pgtest gives the tests of store/postgres a PostgreSQL server and
// an empty schema per test.
//
// The server is the one CRMKIT_PG_DSN names or, when that is unset, a
// throwaway cluster that Main creates with initdb in a temporary directory,
// starts with pg_ctl on a free loopback port, and removes when the tests
// end. PostgreSQL refuses to run as root, so when the tests run as root the
// cluster belongs to the user "nobody".
//
// Without CRMKIT_PG_DSN and without initdb (neither on PATH nor under
// /usr/lib/postgresql/*/bin), tests that need the server are skipped — but
// only outside CI: when the CI variable is set, Main fails, so that CI
// always exercises a real database.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvDSN names the variable that points the tests at an existing server.
// The role it logs in as must be allowed to create schemas in its
// database.
const EnvDSN = "CRMKIT_PG_DSN"

var (
	adminDSN   string // where the tests connect; "" when no server is available
	skipReason string // why there is no server
)

// Main runs the tests of a package against a server: the one EnvDSN names,
// or a throwaway cluster started for the run and removed after it. Call
// it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	stop, err := start()
	if err != nil {
		if os.Getenv("CI") != "" {
			fmt.Fprintf(os.Stderr, "pgtest: no PostgreSQL server for the tests, and CI is set so they may not be skipped: %v\n", err)
			return 1
		}
		skipReason = fmt.Sprintf("no PostgreSQL server: %v (set %s, or install the server so that initdb is found; CI never skips)", err, EnvDSN)
		fmt.Fprintln(os.Stderr, "pgtest: skipping the tests that need a database:", skipReason)
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	return code
}

// DSN returns the connection string of the server, skipping the test when
// there is none.
func DSN(tb testing.TB) string {
	tb.Helper()
	if adminDSN == "" {
		tb.Skip(skipReason)
	}
	return adminDSN
}

func start() (stop func(), err error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		adminDSN = dsn
		return nil, nil
	}
	initdb, err := findInitdb()
	if err != nil {
		return nil, err
	}
	c, err := startCluster(initdb)
	if err != nil {
		return nil, err
	}
	adminDSN = c.dsn
	return c.stop, nil
}

// findInitdb looks for initdb on PATH, then in Debian's versioned
// directories, newest first.
func findInitdb() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return p, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(a))))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(b))))
		return vb - va
	})
	if len(dirs) > 0 {
		return dirs[0], nil
	}
	return "", errors.New("initdb is not on PATH nor under /usr/lib/postgresql/*/bin")
}

type cluster struct {
	dir, data, pgCtl string
	dsn              string
}

func startCluster(initdb string) (*cluster, error) {
	base := "" // the default temporary directory
	if os.Geteuid() == 0 {
		// The cluster runs as nobody, who must reach its directory: $TMPDIR
		// may be a directory of root's.
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "crmkit-pg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, data: filepath.Join(dir, "data"), pgCtl: filepath.Join(filepath.Dir(initdb), "pg_ctl")}
	fail := func(err error) (*cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := prepareOwner(dir); err != nil {
		return fail(err)
	}
	if err := c.run(initdb, "-D", c.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions"); err != nil {
		return fail(fmt.Errorf("initdb: %w", err))
	}
	// The port is free when chosen but may be taken before the server
	// binds it: try a few.
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return fail(err)
		}
		opts := strings.Join([]string{
			"-p " + strconv.Itoa(port),
			"-c listen_addresses=127.0.0.1",
			"-k " + dir,
			"-c max_connections=300",
			"-c fsync=off",
			"-c synchronous_commit=off",
			"-c full_page_writes=off",
			"-c shared_buffers=64MB",
		}, " ")
		err = c.run(c.pgCtl, "-D", c.data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "-o", opts, "start")
		if err == nil {
			c.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
			return c, nil
		}
		if attempt == 3 {
			logText, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			return fail(fmt.Errorf("pg_ctl start: %w\n%s", err, logText))
		}
	}
}

func (c *cluster) stop() {
	_ = c.run(c.pgCtl, "-D", c.data, "-m", "fast", "-w", "-t", "30", "stop")
	os.RemoveAll(c.dir)
}

// run runs a PostgreSQL program in the cluster's directory, as the user
// that owns the cluster.
func (c *cluster) run(name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = c.dir
	cmd.Stdin = nil
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	asOwner(cmd)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", filepath.Base(name), err, out.String())
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var schemaSeq atomic.Int64

// Schema creates an empty schema for the test and returns a pool whose
// connections use it (search_path), with at most maxConns connections.
// The pool is closed and the schema dropped when the test ends.
func Schema(tb testing.TB, maxConns int32) (*pgxpool.Pool, string) {
	tb.Helper()
	dsn := DSN(tb)
	ctx := context.Background()
	var suffix [4]byte
	_, _ = io.ReadFull(rand.Reader, suffix[:])
	name := fmt.Sprintf("crmkit_test_%d_%s", schemaSeq.Add(1), hex.EncodeToString(suffix[:]))
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		tb.Fatalf("pgtest: create schema: %v", err)
	}
	pool := Pool(tb, name, maxConns)
	tb.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("pgtest: connect to drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			tb.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	return pool, name
}

// Pool returns a new pool on the schema (search_path) with at most
// maxConns connections, closed when the test ends.
func Pool(tb testing.TB, schema string, maxConns int32) *pgxpool.Pool {
	tb.Helper()
	cfg, err := pgxpool.ParseConfig(DSN(tb))
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("pgtest: pool: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}
