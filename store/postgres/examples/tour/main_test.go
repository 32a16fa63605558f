package main

import (
	"os"
	"strings"
	"testing"

	"github.com/crmkit/crmkit/store/postgres/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The tour runs against a real server, twice on the same schema.
func TestTour(t *testing.T) {
	_, schema := pgtest.Schema(t, 2)
	dsn := pgtest.DSN(t)
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	dsn += sep + "search_path=" + schema
	for i := range 2 {
		var out strings.Builder
		if err := run(t.Context(), dsn, &out); err != nil {
			t.Fatalf("tour: %v\n%s", err, out.String())
		}
		if i == 0 {
			t.Log("\n" + out.String())
		}
		for _, want := range []string{"second lead refused: same INN", "is a customer", "client created as lead", "events wait in the outbox"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("the tour's output lacks %q:\n%s", want, out.String())
			}
		}
	}
}
