package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

const interactionColumns = "id, client_id, at, doc"

// appendReachedSQL stores an interaction that reached the client ($1 id,
// $2 client, $3 at, $4 doc) with its events ($5), moving the client's
// last_contact_at forward to $3 if it is later, without touching its
// version. Nothing is written unless the client exists and is live: the
// UPDATE locks its row, so a concurrent merge either comes first (and the
// client is no longer live) or waits and then moves the new interaction
// with the rest. It returns the number of interactions stored.
var appendReachedSQL = `WITH live AS (
	UPDATE crmkit_clients SET last_contact_at = GREATEST(last_contact_at, $3)
	WHERE id = $2 AND merged_into IS NULL
	RETURNING id
), ` + appendRest

// appendSQL stores an interaction that did not reach the client: the
// client's row is only locked (FOR SHARE, which concurrent appends share).
var appendSQL = `WITH live AS (
	SELECT id FROM crmkit_clients WHERE id = $2 AND merged_into IS NULL FOR SHARE
), ` + appendRest

// appendCorrectionSQL stores a correction: the client's row is locked
// (FOR UPDATE) so that recomputeLastContactSQL, run next in the same
// transaction, sees every interaction of the client and no concurrent
// append moves last_contact_at meanwhile.
var appendCorrectionSQL = `WITH live AS (
	SELECT id FROM crmkit_clients WHERE id = $2 AND merged_into IS NULL FOR UPDATE
), ` + appendRest

// recomputeLastContactSQL sets client $1's last_contact_at to the latest
// interaction that reached the client (crm.Interaction.Reached: not a
// note, not "no answer") and that no other interaction corrects; NULL
// when there is none.
const recomputeLastContactSQL = `UPDATE crmkit_clients SET last_contact_at = (
	SELECT max(i.at) FROM crmkit_interactions i
	WHERE i.client_id = $1
	  AND coalesce(i.doc->>'kind', '') <> 'note' AND coalesce(i.doc->>'outcome', '') <> 'no_answer'
	  AND NOT EXISTS (SELECT 1 FROM crmkit_interactions j WHERE j.client_id = $1 AND j.doc->>'corrects' = i.id::text)
) WHERE id = $1 AND merged_into IS NULL`

const appendRestSQL = `ins AS (
	INSERT INTO crmkit_interactions (id, client_id, at, doc) SELECT $1, live.id, $3, $4 FROM live
	RETURNING id
), `

var appendRest = appendRestSQL + eventsCTE(5, "ins") + `
SELECT count(*) FROM ins`

// AppendInteraction stores a new interaction with its events, in one
// statement. The client must exist (else store.ErrNotFound) and be live:
// an interaction for a client merged into another is store.ErrConflict,
// so that the caller reads again and appends to the survivor. An
// interaction or event id already used is store.ErrDuplicate. When
// in.Reached(), the client's LastContactAt becomes the later of itself and
// in.At in the same statement (GREATEST, so concurrent appends never move
// it back); a correction (in.Corrects set) instead recomputes it from the
// interactions in force, under the client's row lock. The client's
// Version and UpdatedAt stay as they are.
func (s *Store) AppendInteraction(ctx context.Context, in crm.Interaction, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if in.ID == uuid.Nil {
		return fmt.Errorf("%w: interaction has no id", ErrInvalid)
	}
	doc, err := encodeInteractionDoc(&in)
	if err != nil {
		return fmt.Errorf("%w: interaction %s cannot be encoded: %v", ErrInvalid, in.ID, err)
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	sql := appendSQL
	switch {
	case in.Corrects != uuid.Nil:
		sql = appendCorrectionSQL
	case in.Reached():
		sql = appendReachedSQL
	}
	err = s.write(ctx, "append interaction", func(b *pgx.Batch) {
		b.Queue(sql, pgid(in.ID), pgid(in.ClientID), in.At, doc, evs).QueryRow(func(row pgx.Row) error {
			var n int
			if err := row.Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				return errNotUpdated
			}
			return nil
		})
		if in.Corrects != uuid.Nil {
			b.Queue(recomputeLastContactSQL, pgid(in.ClientID))
		}
	})
	if !errors.Is(err, errNotUpdated) {
		return err
	}
	// Nothing was written: the client is unknown, or merged.
	var merged pgtype.UUID
	err = s.reader().QueryRow(ctx, "SELECT merged_into FROM crmkit_clients WHERE id = $1", pgid(in.ClientID)).Scan(&merged)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.NotFound("client", in.ClientID.String())
	case err != nil:
		return translate(ctx, "append interaction", err)
	}
	// Merged into another client (a merge is final): the caller reads it
	// again and appends to the survivor.
	return store.Conflict("client", in.ClientID.String())
}

func scanInteraction(row pgx.Row) (crm.Interaction, error) {
	var in crm.Interaction
	var doc []byte
	if err := row.Scan((*pgid)(&in.ID), (*pgid)(&in.ClientID), &in.At, &doc); err != nil {
		return crm.Interaction{}, err
	}
	in.At = readInstant(in.At)
	if err := decodeInteractionDoc(doc, &in); err != nil {
		return crm.Interaction{}, corrupt("interaction", in.ID, err)
	}
	return in, nil
}

// GetInteraction returns the interaction.
func (s *Store) GetInteraction(ctx context.Context, id uuid.UUID) (crm.Interaction, error) {
	return getByID(ctx, s, "interaction", "SELECT "+interactionColumns+" FROM crmkit_interactions WHERE id = $1", id, scanInteraction)
}

// ListInteractions streams the client's interactions ordered by At, then
// id, after p.After in p.Order, reading 200 at a time. An unknown client
// has none. After a merge, the merged client's interactions are listed
// under the survivor.
func (s *Store) ListInteractions(ctx context.Context, client uuid.UUID, p store.Page) iter.Seq2[crm.Interaction, error] {
	return listing(ctx, s, "list interactions", p, crm.Interaction.Cursor,
		func(ctx context.Context, q querier, cur store.Cursor, n int) ([]crm.Interaction, error) {
			sql, args := timePage("SELECT "+interactionColumns+" FROM crmkit_interactions WHERE client_id = $1",
				[]any{pgid(client)}, cur, p.Order, n)
			rows, err := q.Query(ctx, sql, args...)
			return collect(rows, err, n, func(r pgx.Rows) (crm.Interaction, error) { return scanInteraction(r) })
		})
}

// timePage completes a query of records listed by (at, id): the position
// after cur in order o, the order and the limit. sel already has a WHERE
// clause.
func timePage(sel string, args []any, cur store.Cursor, o store.Order, n int) (string, []any) {
	var b strings.Builder
	b.WriteString(sel)
	dir, op := "ASC", ">"
	if o == store.Descending {
		dir, op = "DESC", "<"
	}
	if !cur.IsZero() {
		at, id := keysetBound(cur, o)
		args = append(args, at, pgid(id))
		fmt.Fprintf(&b, " AND (at, id) %s ($%d, $%d)", op, len(args)-1, len(args))
	}
	args = append(args, n)
	fmt.Fprintf(&b, " ORDER BY at %s, id %s LIMIT $%d", dir, dir, len(args))
	return b.String(), args
}

// keysetBound returns the (at, id) bound that selects, among stored keys
// (whose times are whole microseconds), exactly those after cur in order
// o. A cursor time with a fraction of a microsecond, which no stored key
// has, is moved to the nearest whole microsecond on the side that keeps
// the comparison exact.
func keysetBound(cur store.Cursor, o store.Order) (time.Time, uuid.UUID) {
	at := cur.At.UTC()
	// Stored times lie within years 1–9999; a cursor beyond them compares
	// the same with a bound just outside, which the server and pgx's
	// encoding can hold (a far one would fail with 22008 or wrap around).
	switch {
	case at.Before(keyFloor):
		return keyFloor, cur.ID
	case at.After(keyCeil):
		return keyCeil, cur.ID
	}
	floor := at.Truncate(time.Microsecond)
	if floor.Equal(at) {
		return at, cur.ID
	}
	if o == store.Descending {
		// (t, id) < (floor+1µs, nil)  ⇔  t <= floor  ⇔  t < at
		return floor.Add(time.Microsecond), uuid.Nil
	}
	// (t, id) > (floor, max)  ⇔  t > floor  ⇔  t > at
	return floor, uuid.Max
}

// keyFloor and keyCeil bound the times a keyset cursor is compared at.
var (
	keyFloor = time.Date(-4000, 1, 1, 0, 0, 0, 0, time.UTC)
	keyCeil  = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ceilMicro returns the first whole microsecond at or after t, for
// comparing t with stored times by >=.
func ceilMicro(t time.Time) time.Time {
	floor := t.Truncate(time.Microsecond)
	if floor.Equal(t) {
		return t
	}
	return floor.Add(time.Microsecond)
}
