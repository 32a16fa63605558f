package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

// clientColumns are the columns a client is read from, in scan order.
const clientColumns = `id, version, owner, stage, tier, tags, accepted_duplicate, merged_into,
	credit_limit, credit_currency, last_contact_at, created_at, updated_at, doc`

// clientSet assigns the columns of clientParams.args, which are $3..$14.
const clientSet = `owner = $3, stage = $4, tier = $5, tags = $6, inn_key = $7, accepted_duplicate = $8,
	merged_into = $9, credit_limit = $10, credit_currency = $11, created_at = $12, updated_at = $13, doc = $14`

// eventsCTE is the part of a WITH clause that stores the events passed as
// a JSON array in parameter $param (see encodeEvents) on their timelines
// and in the outbox. With a guard, the events are stored only if the
// named CTE returned a row.
func eventsCTE(param int, guard string) string {
	where := ""
	if guard != "" {
		where = "\n\tWHERE EXISTS (SELECT 1 FROM " + guard + ")"
	}
	return `ev_in AS (
	SELECT * FROM jsonb_to_recordset($` + strconv.Itoa(param) + `::jsonb) AS e(n int, id uuid, client_id uuid, kind text,
		at timestamptz, recorded_at timestamptz, actor uuid, on_behalf_of uuid, subject uuid, data jsonb)` + where + `
), ev AS (
	INSERT INTO crmkit_events (id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data)
	SELECT id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data FROM ev_in
), ob AS (
	INSERT INTO crmkit_outbox (event_id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data)
	SELECT id, client_id, kind, at, recorded_at, actor, on_behalf_of, subject, data FROM ev_in ORDER BY n
)`
}

// insertEventsSQL stores the events in $1 on their own.
var insertEventsSQL = "WITH " + eventsCTE(1, "") + "\nSELECT 1"

// createClientSQL inserts a client ($1 id, $2..$13 as clientSet's $3..$14,
// $14 last_contact_at), its keys ($15 kinds, $16 values) and its events
// ($17), in one statement.
var createClientSQL = `WITH ins AS (
	INSERT INTO crmkit_clients (id, version, owner, stage, tier, tags, inn_key, accepted_duplicate, merged_into,
		credit_limit, credit_currency, created_at, updated_at, doc, last_contact_at)
	VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
	RETURNING id
), keys AS (
	INSERT INTO crmkit_client_keys (kind, value, client_id)
	SELECT k.kind, k.value, ins.id FROM ins, unnest($15::text[], $16::text[]) AS k(kind, value)
), ` + eventsCTE(17, "ins") + `
SELECT count(*) FROM ins`

// updateClientSQL replaces a client at version $2 ($1 id, $3..$14 the
// columns), moves its keys ($15, $16) and stores the events ($17), in one
// statement that writes nothing unless the version matched. It returns
// the number of clients updated.
var updateClientSQL = `WITH upd AS (
	UPDATE crmkit_clients SET version = $2 + 1, ` + clientSet + `
	WHERE id = $1 AND version = $2 AND merged_into IS NOT DISTINCT FROM $9
	RETURNING id
), gone AS (
	DELETE FROM crmkit_client_keys k USING upd
	WHERE k.client_id = upd.id AND (k.kind, k.value) NOT IN (SELECT * FROM unnest($15::text[], $16::text[]))
), keys AS (
	INSERT INTO crmkit_client_keys (kind, value, client_id)
	SELECT n.kind, n.value, upd.id FROM upd, unnest($15::text[], $16::text[]) AS n(kind, value)
	ON CONFLICT DO NOTHING
), ` + eventsCTE(17, "upd") + `
SELECT count(*) FROM upd`

// replaceKeysSQL makes $2/$3 the keys of client $1.
const replaceKeysSQL = `WITH gone AS (
	DELETE FROM crmkit_client_keys
	WHERE client_id = $1 AND (kind, value) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))
)
INSERT INTO crmkit_client_keys (kind, value, client_id)
SELECT kind, value, $1 FROM unnest($2::text[], $3::text[]) AS n(kind, value)
ON CONFLICT DO NOTHING`

// clientParams is a client encoded for the statements.
type clientParams struct {
	id                  pgid
	owner               pgid
	stage, tier         string
	tags                []string
	innKey              pgtype.Text
	accepted            bool
	mergedInto          pgtype.UUID
	limit               pgtype.Numeric
	currency            pgtype.Text
	lastContact         pgtype.Timestamptz
	created, updated    pgtype.Timestamptz
	doc                 []byte
	keyKinds, keyValues []string
}

// args returns the parameters $3..$14 of clientSet.
func (p *clientParams) args() []any {
	return []any{p.owner, p.stage, p.tier, p.tags, p.innKey, p.accepted, p.mergedInto,
		p.limit, p.currency, p.created, p.updated, p.doc}
}

// encodeClient checks and encodes c. Its keys are those of
// crm.Client.MatchKeys, none for a merged client.
func encodeClient(c *crm.Client) (*clientParams, error) {
	if c.ID == uuid.Nil {
		return nil, fmt.Errorf("%w: client has no id", ErrInvalid)
	}
	if len(c.Redacted) > 0 {
		return nil, fmt.Errorf("%w: client %s is a redacted copy (%v); write the full client", ErrInvalid, c.ID, c.Redacted)
	}
	doc, err := encodeClientDoc(c)
	if err != nil {
		return nil, fmt.Errorf("%w: client %s cannot be encoded: %v", ErrInvalid, c.ID, err)
	}
	p := &clientParams{
		id:          pgid(c.ID),
		owner:       pgid(c.Owner),
		stage:       string(c.Stage),
		tier:        string(c.Tier),
		tags:        c.Tags,
		accepted:    c.AcceptedDuplicate,
		mergedInto:  nullUUID(c.MergedInto),
		lastContact: tstz(c.LastContactAt),
		created:     tstz(c.CreatedAt),
		updated:     tstz(c.UpdatedAt),
		doc:         doc,
		keyKinds:    []string{},
		keyValues:   []string{},
	}
	if p.tags == nil {
		p.tags = []string{}
	}
	p.limit, p.currency = amountColumns(c.Credit.Limit)
	for _, k := range c.MatchKeys() {
		if k.Kind == crm.MatchINN && !p.innKey.Valid {
			// The first INN key is the one crm.Client.UniqueINNKey names.
			p.innKey = pgtype.Text{String: k.Value, Valid: true}
		}
		if !c.IsMerged() {
			p.keyKinds = append(p.keyKinds, string(k.Kind))
			p.keyValues = append(p.keyValues, k.Value)
		}
	}
	return p, nil
}

// clientRow is a client as read from clientColumns.
type clientRow struct {
	id                        pgid
	version                   int64
	owner                     pgid
	stage, tier               string
	tags                      []string
	accepted                  bool
	mergedInto                pgtype.UUID
	limit                     pgtype.Numeric
	currency                  pgtype.Text
	lastContact, created, upd pgtype.Timestamptz
	doc                       []byte
}

func scanClient(row pgx.Row) (crm.Client, error) {
	var r clientRow
	err := row.Scan(&r.id, &r.version, &r.owner, &r.stage, &r.tier, &r.tags, &r.accepted, &r.mergedInto,
		&r.limit, &r.currency, &r.lastContact, &r.created, &r.upd, &r.doc)
	if err != nil {
		return crm.Client{}, err
	}
	c := crm.Client{
		ID:                uuid.UUID(r.id),
		Version:           store.Version(r.version),
		Owner:             uuid.UUID(r.owner),
		Stage:             crm.Stage(r.stage),
		Tier:              crm.Tier(r.tier),
		AcceptedDuplicate: r.accepted,
		MergedInto:        fromNullUUID(r.mergedInto),
		LastContactAt:     fromTstz(r.lastContact),
		CreatedAt:         fromTstz(r.created),
		UpdatedAt:         fromTstz(r.upd),
	}
	if len(r.tags) > 0 {
		c.Tags = r.tags
	}
	if err := decodeClientDoc(r.doc, &c); err != nil {
		return crm.Client{}, corrupt("client", c.ID, err)
	}
	if c.Credit.Limit, err = amountFrom(r.limit, r.currency); err != nil {
		return crm.Client{}, corrupt("client", c.ID, err)
	}
	return c, nil
}

// CreateClient stores a new client with version 1, together with its
// events and its duplicate-detection keys, in one statement (in a
// transaction of its own, or in the host's: see WithTx). c.Version
// must be store.NoVersion (else store.ErrConflict). The id, and the INN
// key of a live client that is not an accepted duplicate
// (crm.Client.UniqueINNKey), must be free (else store.ErrDuplicate, field
// "id" or "inn"; the unique index decides, so concurrent creates cannot
// both win). Each event must concern no client, this client or another
// stored one (else store.ErrNotFound).
func (s *Store) CreateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := encodeClient(&c)
	if err != nil {
		return err
	}
	if c.Version != store.NoVersion {
		return store.Conflict("client", c.ID.String())
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	args := append([]any{p.id}, p.args()...)
	args = append(args, p.lastContact, p.keyKinds, p.keyValues, evs)
	return s.write(ctx, "create client", func(b *pgx.Batch) {
		b.Queue(createClientSQL, args...)
	})
}

// GetClient returns the client, merged or not.
func (s *Store) GetClient(ctx context.Context, id uuid.UUID) (crm.Client, error) {
	return getByID(ctx, s, "client", "SELECT "+clientColumns+" FROM crmkit_clients WHERE id = $1", id, scanClient)
}

// UpdateClient replaces the client if c.Version is the stored version
// (else store.ErrConflict), storing c.Version.Next(), moves its
// duplicate-detection keys and appends the events, in one statement that
// writes nothing unless the version matched. The
// stored LastContactAt is kept whatever c says. A client whose new INN key
// is held by another live client is refused with store.ErrDuplicate
// (field "inn"). MergedInto cannot change here (an error wrapping
// ErrInvalid): use MergeClients.
func (s *Store) UpdateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := encodeClient(&c)
	if err != nil {
		return err
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	args := append([]any{p.id, int64(c.Version)}, p.args()...)
	args = append(args, p.keyKinds, p.keyValues, evs)
	err = s.write(ctx, "update client", func(b *pgx.Batch) {
		b.Queue(updateClientSQL, args...).QueryRow(func(row pgx.Row) error {
			var n int
			if err := row.Scan(&n); err != nil {
				return err
			}
			if n != 1 {
				return errNotUpdated
			}
			return nil
		})
	})
	if errors.Is(err, errNotUpdated) {
		return s.whyNotUpdated(ctx, c)
	}
	return err
}

// whyNotUpdated says why an update of c matched no row (and so wrote
// nothing): the client does not exist, its version moved on, or the update
// tried to change MergedInto.
func (s *Store) whyNotUpdated(ctx context.Context, c crm.Client) error {
	var version int64
	var mergedInto pgtype.UUID
	err := s.reader().QueryRow(ctx, "SELECT version, merged_into FROM crmkit_clients WHERE id = $1", pgid(c.ID)).Scan(&version, &mergedInto)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.NotFound("client", c.ID.String())
	case err != nil:
		return translate(ctx, "update client", err)
	case store.Version(version) != c.Version:
		return store.Conflict("client", c.ID.String())
	case fromNullUUID(mergedInto) != c.MergedInto:
		return fmt.Errorf("%w: UpdateClient cannot change MergedInto of client %s (%s to %s); use MergeClients",
			ErrInvalid, c.ID, fromNullUUID(mergedInto), c.MergedInto)
	}
	// The version matches now but did not when the update ran: the client
	// was created meanwhile. Report a conflict; reading again resolves it.
	return store.Conflict("client", c.ID.String())
}

// MergeClients writes the survivor and the merged tombstone, each of which
// must carry the version it was read at (else store.ErrConflict), and
// stores both with the next version. merged.MergedInto must be the
// survivor's id, and neither client may already be merged (else an error
// wrapping ErrInvalid). In the same transaction, every interaction,
// complaint and timeline event of the merged client moves to the
// survivor (its client_id becomes the survivor's; a complaint also gets
// its next version), the merged client's
// duplicate-detection keys are dropped (a tombstone holds none, and no
// INN), the survivor's keys are recomputed, and the survivor's
// LastContactAt becomes the later of the two clients'. The events are
// then appended as given: an event about the merged client stays on the
// tombstone's timeline. Both clients are locked in id order first, so two
// merges never deadlock. It runs at READ COMMITTED whatever the
// database's default; in a host transaction (WithTx) that is not READ
// COMMITTED it is refused with an error wrapping ErrInvalid.
func (s *Store) MergeClients(ctx context.Context, survivor, merged crm.Client, events []crm.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	sp, err := encodeClient(&survivor)
	if err != nil {
		return err
	}
	mp, err := encodeClient(&merged)
	if err != nil {
		return err
	}
	switch {
	case survivor.ID == merged.ID:
		return fmt.Errorf("%w: client %s cannot be merged into itself", ErrInvalid, survivor.ID)
	case merged.MergedInto != survivor.ID:
		return fmt.Errorf("%w: merged client %s has MergedInto %s, not the survivor %s",
			ErrInvalid, merged.ID, merged.MergedInto, survivor.ID)
	case survivor.IsMerged():
		return fmt.Errorf("%w: survivor %s is itself merged into %s", ErrInvalid, survivor.ID, survivor.MergedInto)
	}
	evs, err := encodeEvents(events)
	if err != nil {
		return err
	}
	// READ COMMITTED whatever the database's default: the moves below must
	// see the records that writers holding the clients' row locks
	// committed while this transaction waited for those locks; under
	// REPEATABLE READ they would run on a snapshot taken before the wait.
	// A savepoint cannot change the isolation of the host's transaction:
	// inside one that is not READ COMMITTED the merge is refused rather
	// than left half done.
	inHostTx := s.tx != nil
	return s.writeTx(ctx, "merge clients", pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, func(b *pgx.Batch) {
		if inHostTx {
			b.Queue("SELECT current_setting('transaction_isolation')").QueryRow(func(row pgx.Row) error {
				var iso string
				if err := row.Scan(&iso); err != nil {
					return err
				}
				if iso != "read committed" {
					return fmt.Errorf("%w: MergeClients in a host transaction at %s; it needs READ COMMITTED", ErrInvalid, iso)
				}
				return nil
			})
		}
		// Lock both rows in id order (so two merges never deadlock) and
		// check them; the statements after it run only if the check
		// passes (else the transaction is rolled back), and each is
		// guarded by the version it expects besides.
		b.Queue(`SELECT id, version, merged_into FROM crmkit_clients WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
			pgids([]uuid.UUID{survivor.ID, merged.ID})).Query(func(rows pgx.Rows) error {
			return checkMerge(rows, survivor, merged)
		})
		// The tombstone first, so that an INN passing from it to the
		// survivor is released before it is taken.
		b.Queue("UPDATE crmkit_clients SET version = $2 + 1, "+clientSet+" WHERE id = $1 AND version = $2",
			append([]any{mp.id, int64(merged.Version)}, mp.args()...)...).Exec(expectOne("client", merged.ID))
		b.Queue("DELETE FROM crmkit_client_keys WHERE client_id = $1", mp.id)
		b.Queue("UPDATE crmkit_clients SET version = $2 + 1, "+clientSet+`,
			last_contact_at = GREATEST(last_contact_at, (SELECT last_contact_at FROM crmkit_clients WHERE id = $15))
			WHERE id = $1 AND version = $2`,
			append(append([]any{sp.id, int64(survivor.Version)}, sp.args()...), mp.id)...).Exec(expectOne("client", survivor.ID))
		b.Queue(replaceKeysSQL, sp.id, sp.keyKinds, sp.keyValues)
		b.Queue("UPDATE crmkit_interactions SET client_id = $1 WHERE client_id = $2", sp.id, mp.id)
		b.Queue(moveComplaintsSQL, sp.id, mp.id)
		b.Queue("UPDATE crmkit_events SET client_id = $1 WHERE client_id = $2", sp.id, mp.id)
		if evs != nil {
			b.Queue(insertEventsSQL, evs)
		}
	})
}

// checkMerge reads the locked rows of a merge's two clients and refuses
// the merge as MergeClients documents.
func checkMerge(rows pgx.Rows, survivor, merged crm.Client) error {
	type state struct {
		version    int64
		mergedInto pgtype.UUID
	}
	found := map[uuid.UUID]state{}
	for rows.Next() {
		var id pgid
		var st state
		if err := rows.Scan(&id, &st.version, &st.mergedInto); err != nil {
			return err
		}
		found[uuid.UUID(id)] = st
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sold, sok := found[survivor.ID]
	mold, mok := found[merged.ID]
	switch {
	case !sok:
		return store.NotFound("client", survivor.ID.String())
	case !mok:
		return store.NotFound("client", merged.ID.String())
	case store.Version(sold.version) != survivor.Version:
		return store.Conflict("client", survivor.ID.String())
	case store.Version(mold.version) != merged.Version:
		return store.Conflict("client", merged.ID.String())
	case sold.mergedInto.Valid:
		return fmt.Errorf("%w: survivor %s is already merged into %s", ErrInvalid, survivor.ID, fromNullUUID(sold.mergedInto))
	case mold.mergedInto.Valid:
		return fmt.Errorf("%w: client %s is already merged into %s", ErrInvalid, merged.ID, fromNullUUID(mold.mergedInto))
	}
	return nil
}

// ListClients streams the clients that f matches (crm.ClientFilter.Match,
// expressed in SQL), ordered by id, after p.After in p.Order, reading 200
// at a time.
func (s *Store) ListClients(ctx context.Context, f crm.ClientFilter, p store.Page) iter.Seq2[crm.Client, error] {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !f.IncludeMerged {
		where = append(where, "merged_into IS NULL")
	}
	if len(f.Owners) > 0 {
		where = append(where, "owner = ANY("+arg(pgids(f.Owners))+"::uuid[])")
	}
	if len(f.IDs) > 0 {
		where = append(where, "id = ANY("+arg(pgids(f.IDs))+"::uuid[])")
	}
	if len(f.Stages) > 0 {
		stages := make([]string, len(f.Stages))
		for i, st := range f.Stages {
			stages[i] = string(st)
		}
		where = append(where, "stage = ANY("+arg(stages)+"::text[])")
	}
	if len(f.Tiers) > 0 {
		tiers := make([]string, len(f.Tiers))
		for i, t := range f.Tiers {
			tiers[i] = string(t)
		}
		where = append(where, "tier = ANY("+arg(tiers)+"::text[])")
	}
	if f.Tag != "" {
		where = append(where, "tags @> ARRAY["+arg(crm.FoldTag(f.Tag))+"::text]")
	}
	if !f.UpdatedSince.IsZero() {
		where = append(where, "updated_at >= "+arg(ceilMicro(f.UpdatedSince)))
	}
	base := len(args)
	return listing(ctx, s, "list clients", p, crm.Client.Cursor,
		func(ctx context.Context, q querier, cur store.Cursor, n int) ([]crm.Client, error) {
			sql, args := idPage("SELECT "+clientColumns+" FROM crmkit_clients", where, args[:base:base], cur, p.Order, n)
			rows, err := q.Query(ctx, sql, args...)
			return collect(rows, err, n, func(r pgx.Rows) (crm.Client, error) { return scanClient(r) })
		})
}

// idPage completes a query of records listed by id: the filter, the
// position after cur in order o, the order and the limit.
func idPage(sel string, where []string, args []any, cur store.Cursor, o store.Order, n int) (string, []any) {
	conds := where
	dir := "ASC"
	if !cur.IsZero() {
		args = append(args, pgid(cur.ID))
		op := ">"
		if o == store.Descending {
			op = "<"
		}
		conds = append(conds[:len(conds):len(conds)], "id "+op+" $"+strconv.Itoa(len(args)))
	}
	if o == store.Descending {
		dir = "DESC"
	}
	var b strings.Builder
	b.WriteString(sel)
	if len(conds) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(conds, " AND "))
	}
	args = append(args, n)
	fmt.Fprintf(&b, " ORDER BY id %s LIMIT $%d", dir, len(args))
	return b.String(), args
}

// FindByKeys returns one crm.KeyMatch for each live (not merged) client
// and each of the keys it has, in no particular order, with one indexed
// lookup per key.
func (s *Store) FindByKeys(ctx context.Context, keys []crm.MatchKey) ([]crm.KeyMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, nil
	}
	kinds := make([]string, 0, len(keys))
	values := make([]string, 0, len(keys))
	seen := make(map[crm.MatchKey]struct{}, len(keys))
	for _, k := range keys {
		if _, dup := seen[k]; dup {
			continue
		}
		seen[k] = struct{}{}
		kinds = append(kinds, string(k.Kind))
		values = append(values, k.Value)
	}
	rows, err := s.reader().Query(ctx, `SELECT k.client_id, k.kind, k.value
		FROM unnest($1::text[], $2::text[]) AS q(kind, value)
		JOIN crmkit_client_keys k ON k.kind = q.kind AND k.value = q.value`, kinds, values)
	out, err := collect(rows, err, len(kinds), func(r pgx.Rows) (crm.KeyMatch, error) {
		var m crm.KeyMatch
		var kind string
		err := r.Scan((*pgid)(&m.ClientID), &kind, &m.Key.Value)
		m.Key.Kind = crm.MatchKind(kind)
		return m, err
	})
	if err != nil {
		return nil, translate(ctx, "find by keys", err)
	}
	return out, nil
}
