package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

const delegationColumns = "id, version, principal, deputy, valid_from, valid_to, cancelled_at, doc"

// overlapSQL finds another delegation of principal $1 (not $2) whose
// window meets [$3, $4): crm.Delegation.Overlaps, with ends_at as End.
const overlapSQL = `SELECT 1 FROM crmkit_delegations
	WHERE principal = $1 AND id <> $2 AND valid_from < $4 AND $3 < ends_at LIMIT 1`

// lockPrincipalSQL writes principal $1's row of
// crmkit_delegation_principals before the overlap check. The row lock
// serialises the checks of one principal's delegations at every isolation
// level: under READ COMMITTED a second writer waits, then sees the first's
// delegation; under REPEATABLE READ or SERIALIZABLE it fails with a
// serialization failure (retried on the store's own transactions, returned
// to the host under WithTx) rather than checking against a snapshot taken
// before the first writer committed, which is what an advisory lock
// allowed.
const lockPrincipalSQL = `INSERT INTO crmkit_delegation_principals (principal) VALUES ($1)
	ON CONFLICT (principal) DO UPDATE SET writes = crmkit_delegation_principals.writes + 1`

// errNotUpdated marks a versioned update that matched no row; the caller
// finds out why.
var errNotUpdated = errors.New("postgres: no row at that version")

type delegationParams struct {
	cancelled pgtype.Timestamptz
	doc       []byte
}

func encodeDelegation(d *crm.Delegation) (*delegationParams, error) {
	if d.ID == uuid.Nil {
		return nil, fmt.Errorf("%w: delegation has no id", ErrInvalid)
	}
	doc, err := encodeDelegationDoc(d)
	if err != nil {
		return nil, fmt.Errorf("%w: delegation %s cannot be encoded: %v", ErrInvalid, d.ID, err)
	}
	return &delegationParams{cancelled: tstz(d.CancelledAt), doc: doc}, nil
}

// overlapCheck refuses the batch result of overlapSQL when it found a row.
func overlapCheck(tag pgconn.CommandTag) error {
	if tag.RowsAffected() > 0 {
		return &crm.DelegationError{Reason: crm.DelegationOverlap}
	}
	return nil
}

// CreateDelegation stores a new delegation with version 1 (d.Version must
// be store.NoVersion, else store.ErrConflict) and its events. An id
// already used is store.ErrDuplicate. When another delegation of the same
// principal overlaps d (crm.Delegation.Overlaps), nothing is written and
// the error is a *crm.DelegationError with reason crm.DelegationOverlap.
// The check is atomic with the write: both run in one transaction holding
// the lock of the principal's row (lockPrincipalSQL), so of concurrent
// overlapping delegations one is stored, at any isolation level.
func (s *Store) CreateDelegation(ctx context.Context, d crm.Delegation, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := encodeDelegation(&d)
	if err != nil {
		return err
	}
	if d.Version != store.NoVersion {
		return store.Conflict("delegation", d.ID.String())
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	return s.write(ctx, "create delegation", func(b *pgx.Batch) {
		b.Queue(lockPrincipalSQL, pgid(d.Principal))
		b.Queue(`INSERT INTO crmkit_delegations (id, version, principal, deputy, valid_from, valid_to, cancelled_at, doc)
			VALUES ($1, 1, $2, $3, $4, $5, $6, $7)`, pgid(d.ID), pgid(d.Principal), pgid(d.Deputy), d.From, d.To, p.cancelled, p.doc)
		b.Queue(overlapSQL, pgid(d.Principal), pgid(d.ID), d.From, d.End()).Exec(overlapCheck)
		if evs != nil {
			b.Queue(insertEventsSQL, evs)
		}
	})
}

func scanDelegation(row pgx.Row) (crm.Delegation, error) {
	var d crm.Delegation
	var version int64
	var cancelled pgtype.Timestamptz
	var doc []byte
	if err := row.Scan((*pgid)(&d.ID), &version, (*pgid)(&d.Principal), (*pgid)(&d.Deputy), &d.From, &d.To, &cancelled, &doc); err != nil {
		return crm.Delegation{}, err
	}
	d.Version = store.Version(version)
	d.From, d.To = readInstant(d.From), readInstant(d.To)
	d.CancelledAt = fromTstz(cancelled)
	if err := decodeDelegationDoc(doc, &d); err != nil {
		return crm.Delegation{}, corrupt("delegation", d.ID, err)
	}
	return d, nil
}

// GetDelegation returns the delegation.
func (s *Store) GetDelegation(ctx context.Context, id uuid.UUID) (crm.Delegation, error) {
	return getByID(ctx, s, "delegation", "SELECT "+delegationColumns+" FROM crmkit_delegations WHERE id = $1", id, scanDelegation)
}

// UpdateDelegation replaces the delegation if d.Version is the stored
// version (else store.ErrConflict), storing d.Version.Next(), and appends
// the events. The new window must not overlap another delegation of the
// same principal (else a *crm.DelegationError, crm.DelegationOverlap),
// checked under the same principal lock as CreateDelegation.
func (s *Store) UpdateDelegation(ctx context.Context, d crm.Delegation, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := encodeDelegation(&d)
	if err != nil {
		return err
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	err = s.write(ctx, "update delegation", func(b *pgx.Batch) {
		b.Queue(lockPrincipalSQL, pgid(d.Principal))
		b.Queue(`UPDATE crmkit_delegations SET version = $2 + 1, principal = $3, deputy = $4, valid_from = $5,
			valid_to = $6, cancelled_at = $7, doc = $8 WHERE id = $1 AND version = $2`,
			pgid(d.ID), int64(d.Version), pgid(d.Principal), pgid(d.Deputy), d.From, d.To, p.cancelled, p.doc).
			Exec(func(tag pgconn.CommandTag) error {
				if tag.RowsAffected() == 0 {
					return errNotUpdated
				}
				return nil
			})
		b.Queue(overlapSQL, pgid(d.Principal), pgid(d.ID), d.From, d.End()).Exec(overlapCheck)
		if evs != nil {
			b.Queue(insertEventsSQL, evs)
		}
	})
	if !errors.Is(err, errNotUpdated) {
		return err
	}
	// The transaction was rolled back; read why the version did not match.
	var version int64
	err = s.reader().QueryRow(ctx, "SELECT version FROM crmkit_delegations WHERE id = $1", pgid(d.ID)).Scan(&version)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.NotFound("delegation", d.ID.String())
	case err != nil:
		return translate(ctx, "update delegation", err)
	}
	return store.Conflict("delegation", d.ID.String())
}

// ListDelegations streams the delegations that f matches
// (crm.DelegationFilter.Match, in SQL), ordered by id, after p.After in
// p.Order, reading 200 at a time.
func (s *Store) ListDelegations(ctx context.Context, f crm.DelegationFilter, p store.Page) iter.Seq2[crm.Delegation, error] {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Principal != uuid.Nil {
		where = append(where, "principal = "+arg(pgid(f.Principal)))
	}
	if f.Deputy != uuid.Nil {
		where = append(where, "deputy = "+arg(pgid(f.Deputy)))
	}
	if !f.ActiveAt.IsZero() {
		// Stored times are whole microseconds, so comparing with the
		// instant truncated to one gives the same answers.
		t := arg(f.ActiveAt)
		where = append(where, "valid_from <= "+t+" AND "+t+" < ends_at")
	}
	base := len(args)
	return listing(ctx, s, "list delegations", p, crm.Delegation.Cursor,
		func(ctx context.Context, q querier, cur store.Cursor, n int) ([]crm.Delegation, error) {
			sql, args := idPage("SELECT "+delegationColumns+" FROM crmkit_delegations", where, args[:base:base], cur, p.Order, n)
			rows, err := q.Query(ctx, sql, args...)
			return collect(rows, err, n, func(r pgx.Rows) (crm.Delegation, error) { return scanDelegation(r) })
		})
}
