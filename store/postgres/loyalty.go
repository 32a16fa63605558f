package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// The store implements the loyalty package's Store too: one Store value
// (and one WithTx) serves both crm and loyalty, so a host that records an
// order and its points in one transaction binds a single store to it.
var _ loyalty.Store = (*Store)(nil)

func init() {
	// The unique constraints of migration 0002 that a caller can meet.
	uniqueKeys["crmkit_loyalty_accounts_pkey"] = struct{ entity, field string }{"loyalty account", "id"}
}

// isLoyalty reports the loyalty package's own errors (bad input, too few
// points, a refused rule, a reused key), which pass through unchanged.
func isLoyalty(err error) bool {
	return errors.Is(err, loyalty.ErrInvalid) || errors.Is(err, loyalty.ErrInsufficientPoints) ||
		errors.Is(err, loyalty.ErrRefused) || errors.Is(err, loyalty.ErrKeyReused)
}

// translateLoyalty is translate for the loyalty methods.
func translateLoyalty(ctx context.Context, op string, err error) error {
	if err == nil || isLoyalty(err) {
		return err
	}
	return translate(ctx, op, err)
}

// CreateAccount stores a new loyalty account at version 1. Its Version
// must be store.NoVersion and its ledger totals zero and its id not empty
// (else an error wrapping ErrInvalid); its dates must be calendar dates
// (else an error wrapping both ErrInvalid and the *loyalty.ValidationError
// of Account.CheckDates, which names the field, as store/memory does); a
// taken id is store.ErrDuplicate (field "id").
func (s *Store) CreateAccount(ctx context.Context, a loyalty.Account) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case a.ID == "":
		return fmt.Errorf("%w: loyalty account has no id", ErrInvalid)
	case a.Version != store.NoVersion:
		return fmt.Errorf("%w: a new loyalty account carries version %d", ErrInvalid, a.Version)
	case !a.Balance.IsZero() || !a.Reserved.IsZero() || !a.Debt.IsZero() || a.LastSeq != 0 || a.PaidOrders != 0:
		return fmt.Errorf("%w: a new loyalty account has ledger totals; post entries instead", ErrInvalid)
	}
	if err := a.CheckDates(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return s.write(ctx, "create loyalty account", func(b *pgx.Batch) {
		b.Queue(`INSERT INTO crmkit_loyalty_accounts (`+loyaltyAccountColumns+`)
			VALUES ($1, $2, 1, $3, $4, $5, $6, 0, 0, 0, 0, $7, $8, $9, 0, $10, $11)`,
			a.ID, a.Programme, pgDate(a.Opened), a.ReferredBy, a.Tier, pgDate(a.TierSince),
			pgDate(a.FirstOrder), pgDate(a.LastOrder), pgDate(a.LastEarned),
			tstz(instant(a.CreatedAt)), tstz(instant(a.UpdatedAt)))
	})
}

// Account returns the loyalty account, or store.ErrNotFound.
func (s *Store) Account(ctx context.Context, id string) (loyalty.Account, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Account{}, err
	}
	a, err := scanLoyaltyAccount(s.reader().QueryRow(ctx,
		"SELECT "+loyaltyAccountColumns+" FROM crmkit_loyalty_accounts WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Account{}, store.NotFound("loyalty account", id)
	}
	if err != nil {
		return loyalty.Account{}, translateLoyalty(ctx, "loyalty account", err)
	}
	return a, nil
}

// Post applies a posting to its account in one transaction, as the
// loyalty.Store contract describes.
//
// Concurrency: the transaction first locks the account's row (SELECT ...
// FOR NO KEY UPDATE), then reads the idempotency key and what the
// posting needs (loyalty.Posting.Needs), and writes what loyalty.Apply
// decided. Postings to one account thus run one after another — a
// redemption always sees the lots as the previous one left them, so fifty
// concurrent redeemers can never overdraw an account — while postings to
// different accounts do not wait for each other. A row lock is chosen over
// SERIALIZABLE because every posting conflicts on the same account row
// anyway: under SERIALIZABLE the concurrent redeemers would all but one
// fail and start again, over and over, where the lock simply queues them,
// and the host's own isolation level (WithTx) is left as it is. The lock
// is FOR NO KEY UPDATE rather than FOR UPDATE so that it does not wait for
// transactions that merely insert rows referencing the account. Every
// read comes after the lock, in statements of their own, so that each
// sees what the previous posting committed.
//
// What is read is what the posting needs, so that its cost does not grow
// with the account's lots: an earning reads no lot; a redemption reads
// the points available (sums over the index of lots with points left) and
// walks that index in redemption order one lot at a time, stopping as
// soon as the lots read cover the points asked for (a recursive query; a
// redemption refused for want of points reads no lot); an expiry run
// reads the lots past their expiry; a capture, release, return or
// cancellation reads the lots of its order, and a return or cancellation
// then the usable lots up to the points the order earned.
//
// Round trips: BEGIN and every read in one pipeline (a return or a
// cancellation reads its usable lots in a second one, as how many it
// needs is in the order's entries), the writes in another, then COMMIT —
// sent only once every write has come back and been checked, so a posting
// whose context ends midway writes nothing and leaves its key free. A
// serialization failure or deadlock runs the whole posting again (reads,
// Apply and writes: Apply is pure, so that is safe), up to five times;
// under WithTx the posting runs once in a savepoint.
func (s *Store) Post(ctx context.Context, p loyalty.Posting) (loyalty.Result, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Result{}, err
	}
	if err := p.Validate(); err != nil {
		return loyalty.Result{}, err
	}
	// What is returned is what reads back: instants to the microsecond.
	p.At = instant(p.At)
	var res loyalty.Result
	var err error
	for attempt := 1; ; attempt++ {
		res, err = s.postOnce(ctx, p)
		if err == nil || s.tx != nil || attempt == maxAttempts || !retryable(err) {
			break
		}
		if werr := backoff(ctx, attempt); werr != nil {
			err = werr
			break
		}
	}
	if err != nil {
		return loyalty.Result{}, translateLoyalty(ctx, "loyalty post", err)
	}
	return res, nil
}

// postRead is what a posting's reads found.
type postRead struct {
	found        bool
	acct         loyalty.Account
	posted       bool
	fingerprint  string
	firstSeq     int64
	lastSeq      int64
	postedAcct   []byte
	replay       []loyalty.Entry
	orderEntries []loyalty.Entry
	reservation  *loyalty.Reservation
	orderLots    []loyalty.Lot
	expiredLots  []loyalty.Lot
	walked       []loyalty.Lot
	sums         loyalty.Sums
	available    decimal.Decimal // from sums, when the posting needs it
	// How far the reads of usable lots went: the points they hold, the
	// limit of the last, and whether they cover the draw or read the last
	// usable lot.
	walkedPoints decimal.Decimal
	walkLimit    int
	walkDone     bool
}

// lotsExpiredSQL sums the points left in the lots of account $1 past
// their expiry on $2; lotsPendingSQL those earned after $2, looked for
// only when the account (alias a) earned after $2. Both are range scans
// of the partial indexes of lots with points left.
const (
	lotsExpiredSQL = `(SELECT coalesce(sum(x.remaining), 0) FROM crmkit_loyalty_lots x
		WHERE x.account_id = $1 AND x.remaining > 0 AND coalesce(x.expires, 'infinity'::date) < $2)`
	lotsPendingSQL = `(SELECT coalesce(sum(x.remaining), 0) FROM crmkit_loyalty_lots x
		WHERE (a.last_earned IS NULL OR a.last_earned > $2) AND x.account_id = $1 AND x.remaining > 0 AND x.earned > $2)`
)

// postSumsSQL reads what loyalty.SummariseSums needs to know what is
// available to account $1 on $2 (State.Available).
const postSumsSQL = `SELECT ` + lotsExpiredSQL + `, ` + lotsPendingSQL + `
	FROM crmkit_loyalty_accounts a WHERE a.id = $1`

// postExpiredLotsSQL reads the lots of account $1 with points left whose
// expiry is before $2 (Needs.Expired), in redemption order.
const postExpiredLotsSQL = `SELECT ` + loyaltyLotColumns + ` FROM crmkit_loyalty_lots
	WHERE account_id = $1 AND remaining > 0 AND coalesce(expires, 'infinity'::date) < $2
	ORDER BY ` + loyaltyLotOrder

// postOrderLotsSQL reads the lots of account $1 that the entries or the
// reservation of order $2 created or drew on (Needs.OrderLots).
const postOrderLotsSQL = `SELECT ` + loyaltyLotColumns + ` FROM crmkit_loyalty_lots
	WHERE account_id = $1 AND id IN (
		SELECT e.lot FROM crmkit_loyalty_entries e WHERE e.account_id = $1 AND e.order_id = $2 AND e.lot <> 0
		UNION ALL
		SELECT unnest(e.draw_lots) FROM crmkit_loyalty_entries e WHERE e.account_id = $1 AND e.order_id = $2
		UNION ALL
		SELECT unnest(r.draw_lots || r.captured_lots) FROM crmkit_loyalty_reservations r
		WHERE r.account_id = $1 AND r.order_id = $2)`

// postWalkSQL reads the lots of account $1 usable on $2 with points left,
// in redemption order, from the soonest-expiring up to the first at which
// their running total reaches $3, but no more than $4 of them (Needs.Draw):
// a range scan of the partial index of lots with points left that stops
// after $4 lots, cut where the running total reaches $3. postWalkOnSQL is
// the same after the lot whose place in redemption order is ($5, $6, $7),
// for when the first $4 lots were not enough. Simple statements, so that
// the server plans them quickly.
const (
	postWalkSQL = `SELECT ` + loyaltyLotColumns + ` FROM (
		SELECT ` + loyaltyLotColumns + `, sum(remaining) OVER (ORDER BY ` + loyaltyLotOrder + ` ROWS UNBOUNDED PRECEDING) - remaining AS before
		FROM (SELECT ` + loyaltyLotColumns + ` FROM crmkit_loyalty_lots
			WHERE account_id = $1 AND remaining > 0 AND coalesce(expires, 'infinity'::date) >= $2 AND earned <= $2
			ORDER BY ` + loyaltyLotOrder + ` LIMIT $4) b) w
		WHERE before < $3::numeric ORDER BY ` + loyaltyLotOrder
	postWalkOnSQL = `SELECT ` + loyaltyLotColumns + ` FROM (
		SELECT ` + loyaltyLotColumns + `, sum(remaining) OVER (ORDER BY ` + loyaltyLotOrder + ` ROWS UNBOUNDED PRECEDING) - remaining AS before
		FROM (SELECT ` + loyaltyLotColumns + ` FROM crmkit_loyalty_lots
			WHERE account_id = $1 AND remaining > 0 AND coalesce(expires, 'infinity'::date) >= $2 AND earned <= $2
				AND (` + loyaltyLotOrder + `) > ($5::date, $6::date, $7::bigint)
			ORDER BY ` + loyaltyLotOrder + ` LIMIT $4) b) w
		WHERE before < $3::numeric ORDER BY ` + loyaltyLotOrder
)

// walkBatch is how many usable lots the first read of a draw reads at
// most; each further read reads twice as many as the one before, up to
// walkBatchMax.
const (
	walkBatch    = 32
	walkBatchMax = 4096
)

// queueReads queues the reads of a posting that needs n, each filling r.
func queueReads(b *pgx.Batch, p *loyalty.Posting, n *loyalty.Needs, r *postRead) {
	b.Queue("SELECT "+loyaltyAccountColumns+" FROM crmkit_loyalty_accounts WHERE id = $1 FOR NO KEY UPDATE",
		p.Account).Query(func(rows pgx.Rows) error {
		defer rows.Close()
		if rows.Next() {
			a, err := scanLoyaltyAccount(rows)
			if err != nil {
				return err
			}
			r.found, r.acct = true, a
		}
		return rows.Err()
	})
	b.Queue(`SELECT fingerprint, first_seq, last_seq, account FROM crmkit_loyalty_postings
		WHERE account_id = $1 AND key = $2`, p.Account, p.Key).Query(func(rows pgx.Rows) error {
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&r.fingerprint, &r.firstSeq, &r.lastSeq, &r.postedAcct); err != nil {
				return err
			}
			r.posted = true
		}
		return rows.Err()
	})
	b.Queue(`SELECT `+prefixed("e.", loyaltyEntryColumns)+` FROM crmkit_loyalty_postings k
		JOIN crmkit_loyalty_entries e ON e.account_id = k.account_id AND e.seq BETWEEN k.first_seq AND k.last_seq
		WHERE k.account_id = $1 AND k.key = $2 ORDER BY e.seq`, p.Account, p.Key).Query(func(rows pgx.Rows) error {
		var err error
		r.replay, err = collectAll(rows, scanLoyaltyEntry)
		return err
	})
	if n.Order {
		b.Queue(`SELECT `+loyaltyEntryColumns+` FROM crmkit_loyalty_entries
			WHERE account_id = $1 AND order_id = $2 ORDER BY seq`, p.Account, p.Order).Query(func(rows pgx.Rows) error {
			var err error
			r.orderEntries, err = collectAll(rows, scanLoyaltyEntry)
			return err
		})
		b.Queue(`SELECT `+loyaltyReservationColumns+` FROM crmkit_loyalty_reservations
			WHERE account_id = $1 AND order_id = $2`, p.Account, p.Order).Query(func(rows pgx.Rows) error {
			defer rows.Close()
			if rows.Next() {
				res, err := scanLoyaltyReservation(rows)
				if err != nil {
					return err
				}
				r.reservation = &res
			}
			return rows.Err()
		})
	}
	if n.OrderLots {
		b.Queue(postOrderLotsSQL, p.Account, p.Order).Query(func(rows pgx.Rows) error {
			var err error
			r.orderLots, err = collectAll(rows, scanLoyaltyLot)
			return err
		})
	}
	day := pgDate(p.Date)
	if n.Available {
		b.Queue(postSumsSQL, p.Account, day).Query(func(rows pgx.Rows) error {
			defer rows.Close()
			if rows.Next() {
				var expired, pending pgtype.Numeric
				if err := rows.Scan(&expired, &pending); err != nil {
					return err
				}
				var err error
				if r.sums.Expired, err = decimalFrom(expired); err == nil {
					r.sums.Pending, err = decimalFrom(pending)
				}
				if err != nil {
					return corruptLoyalty("lot", p.Account, err)
				}
			}
			return rows.Err()
		})
	}
	if n.Expired {
		b.Queue(postExpiredLotsSQL, p.Account, day).Query(func(rows pgx.Rows) error {
			var err error
			r.expiredLots, err = collectAll(rows, scanLoyaltyLot)
			return err
		})
	}
	if !n.DrawEarned && n.Draw.Sign() > 0 {
		queueWalk(b, p, n.Draw, r)
	}
}

// queueWalk queues the next read of the usable lots a draw of need points
// takes (postWalkSQL, then postWalkOnSQL after the lots already read).
func queueWalk(b *pgx.Batch, p *loyalty.Posting, need decimal.Decimal, r *postRead) {
	limit := walkBatch
	if r.walkLimit > 0 {
		limit = min(2*r.walkLimit, walkBatchMax)
	}
	r.walkLimit = limit
	left := need.Sub(r.walkedPoints)
	collect := func(rows pgx.Rows) error {
		batch, err := collectAll(rows, scanLoyaltyLot)
		if err != nil {
			return err
		}
		for _, l := range batch {
			r.walkedPoints = r.walkedPoints.Add(l.Remaining)
		}
		r.walked = append(r.walked, batch...)
		r.walkDone = r.walkedPoints.Cmp(need) >= 0 || len(batch) < limit
		return nil
	}
	if len(r.walked) == 0 {
		b.Queue(postWalkSQL, p.Account, pgDate(p.Date), numeric(left), limit).Query(collect)
		return
	}
	last := r.walked[len(r.walked)-1]
	expires := pgtype.Date{InfinityModifier: pgtype.Infinity, Valid: true}
	if !last.Expires.IsZero() {
		expires = pgDate(last.Expires)
	}
	b.Queue(postWalkOnSQL, p.Account, pgDate(p.Date), numeric(left), limit, expires, pgDate(last.Earned), last.ID).Query(collect)
}

// walk reads, a round trip each, further usable lots for a draw of need
// points until those read cover it or there are no more; with gate, not
// when fewer points are available, as the posting will be refused.
func walk(ctx context.Context, tx pgx.Tx, p *loyalty.Posting, need decimal.Decimal, gate bool, r *postRead) error {
	if gate && r.available.Cmp(need) < 0 {
		return nil
	}
	for r.walkLimit == 0 || !r.walkDone {
		b := &pgx.Batch{}
		queueWalk(b, p, need, r)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
	}
	return nil
}

// postOnce runs one attempt of a posting.
func (s *Store) postOnce(ctx context.Context, p loyalty.Posting) (res loyalty.Result, err error) {
	var r postRead
	needs := p.Needs()
	reads := &pgx.Batch{}
	var tx pgx.Tx
	if s.tx != nil {
		// The host's transaction: a savepoint of our own, so that a
		// refused posting leaves the host's transaction usable.
		if tx, err = s.tx.Begin(ctx); err != nil {
			return loyalty.Result{}, err
		}
		queueReads(reads, &p, &needs, &r)
		err = tx.SendBatch(ctx, reads).Close()
	} else {
		reads.BeginTx(pgx.TxOptions{})
		queueReads(reads, &p, &needs, &r)
		br := s.pool.SendBatch(ctx, reads)
		err = br.Close()
		tx = br.Tx()
	}
	defer func() {
		if err != nil && tx != nil {
			rollback(ctx, tx)
		}
	}()
	if err != nil {
		return loyalty.Result{}, err
	}
	if !r.found {
		return loyalty.Result{}, store.NotFound("loyalty account", p.Account)
	}
	if r.posted {
		if r.fingerprint != p.Fingerprint {
			return loyalty.Result{}, &loyalty.KeyReuseError{Account: p.Account, Key: p.Key}
		}
		acct, derr := decodeLoyaltyAccountDoc(r.postedAcct)
		if derr != nil {
			return loyalty.Result{}, corruptLoyalty("posting", p.Key, derr)
		}
		if int64(len(r.replay)) != max(r.lastSeq-r.firstSeq+1, 0) {
			return loyalty.Result{}, corruptLoyalty("posting", p.Key, fmt.Errorf("entries %d..%d: %d found", r.firstSeq, r.lastSeq, len(r.replay)))
		}
		return loyalty.Result{Account: acct, Entries: r.replay, Replayed: true}, tx.Commit(ctx)
	}
	if needs.Available {
		r.available = loyalty.SummariseSums(r.acct, r.sums, loyalty.BalanceQuery{AsOf: p.Date}).Available
	}
	switch need := needs.DrawFor(r.orderEntries); {
	case need.Sign() <= 0:
	case needs.DrawEarned:
		// How far a return draws is what its order earned: known now.
		err = walk(ctx, tx, &p, need, false, &r)
	default:
		err = walk(ctx, tx, &p, need, needs.Available, &r)
	}
	if err != nil {
		return loyalty.Result{}, err
	}
	state := loyalty.State{Account: r.acct, Available: r.available, OrderLots: r.orderLots, Reservation: r.reservation, OrderEntries: r.orderEntries}
	// Lots past their expiry come before every usable lot in redemption
	// order, so the two reads join end to end.
	switch {
	case len(r.expiredLots) == 0:
		state.Lots = r.walked
	case len(r.walked) == 0:
		state.Lots = r.expiredLots
	default:
		state.Lots = append(r.expiredLots, r.walked...)
	}
	out, err := loyalty.Apply(state, p)
	if err != nil {
		return loyalty.Result{}, err
	}
	if err = ctx.Err(); err != nil {
		return loyalty.Result{}, err
	}
	writes, err := queueWrites(state, p, out)
	if err != nil {
		return loyalty.Result{}, err
	}
	if err = tx.SendBatch(ctx, writes).Close(); err != nil {
		return loyalty.Result{}, err
	}
	if err = tx.Commit(ctx); err != nil {
		return loyalty.Result{}, err
	}
	return out.Result, nil
}

// queueWrites queues what a posting writes: the account, the lots changed
// and created, the entries, the reservation and, last, the idempotency
// key with the result to give back for it. Each statement's callback
// checks it changed what it should.
func queueWrites(state loyalty.State, p loyalty.Posting, out loyalty.Outcome) (*pgx.Batch, error) {
	b := &pgx.Batch{}
	// Check the outcome against the state before anything is queued, so
	// that a bad outcome cannot write half.
	var updIDs []int64
	var updPoints, updRemaining, updExpired []decimal.Decimal
	var fresh []loyalty.Lot
	for _, c := range out.Lots {
		switch {
		case c.New:
			fresh = append(fresh, c.Lot)
		case !stateHasLot(&state, c.Lot.ID):
			return nil, fmt.Errorf("%w: posting %q changes lot %d, which it did not read", ErrInvalid, p.Key, c.Lot.ID)
		default:
			updIDs = append(updIDs, c.Lot.ID)
			updPoints = append(updPoints, c.Lot.Points)
			updRemaining = append(updRemaining, c.Lot.Remaining)
			updExpired = append(updExpired, c.Lot.Expired)
		}
	}
	doc, err := encodeLoyaltyAccountDoc(out.Account)
	if err != nil {
		return nil, fmt.Errorf("%w: account %q cannot be encoded: %v", ErrInvalid, p.Account, err)
	}
	a := out.Account
	if a.Version != state.Account.Version {
		b.Queue(`UPDATE crmkit_loyalty_accounts SET version = $2, tier = $3, tier_since = $4, balance = $5,
			reserved = $6, debt = $7, paid_orders = $8, first_order = $9, last_order = $10, last_earned = $11,
			last_seq = $12, updated_at = $13
			WHERE id = $1 AND version = $14`,
			a.ID, int64(a.Version), a.Tier, pgDate(a.TierSince), numeric(a.Balance), numeric(a.Reserved), numeric(a.Debt),
			int32(a.PaidOrders), pgDate(a.FirstOrder), pgDate(a.LastOrder), pgDate(a.LastEarned), a.LastSeq,
			tstz(instant(a.UpdatedAt)), int64(state.Account.Version)).Exec(expectRows("loyalty account", a.ID, 1))
	}
	if len(updIDs) > 0 {
		b.Queue(`UPDATE crmkit_loyalty_lots l SET points = u.points, remaining = u.remaining, expired = u.expired
			FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::numeric[]) AS u(id, points, remaining, expired)
			WHERE l.account_id = $1 AND l.id = u.id`,
			a.ID, updIDs, decimals(updPoints), decimals(updRemaining), decimals(updExpired)).
			Exec(expectRows("loyalty lot", a.ID, len(updIDs)))
	}
	if len(fresh) > 0 {
		n := len(fresh)
		ids, earned, expires := make([]int64, n), make([]pgtype.Date, n), make([]pgtype.Date, n)
		points, remaining, expired := make([]pgtype.Numeric, n), make([]pgtype.Numeric, n), make([]pgtype.Numeric, n)
		orders, sources := make([]string, n), make([]string, n)
		for i, l := range fresh {
			ids[i], earned[i], expires[i] = l.ID, pgDate(l.Earned), pgDate(l.Expires)
			points[i], remaining[i], expired[i] = numeric(l.Points), numeric(l.Remaining), numeric(l.Expired)
			orders[i], sources[i] = l.Order, string(l.Source)
		}
		b.Queue(`INSERT INTO crmkit_loyalty_lots (account_id, `+loyaltyLotColumns+`)
			SELECT $1, u.* FROM unnest($2::bigint[], $3::date[], $4::date[], $5::numeric[], $6::numeric[],
				$7::numeric[], $8::text[], $9::text[]) AS u`,
			a.ID, ids, earned, expires, points, remaining, expired, orders, sources)
	}
	for i := range out.Entries {
		b.Queue(insertEntrySQL, entryArgs(&out.Entries[i])...)
	}
	if r := out.Reservation; r != nil {
		drawLots, drawPoints := drawColumns(r.Draws)
		capLots, capPoints := drawColumns(r.CapturedDraws)
		b.Queue(`INSERT INTO crmkit_loyalty_reservations (account_id, `+loyaltyReservationColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (account_id, order_id) DO UPDATE SET key = EXCLUDED.key, day = EXCLUDED.day,
				points = EXCLUDED.points, draw_lots = EXCLUDED.draw_lots, draw_points = EXCLUDED.draw_points,
				status = EXCLUDED.status, captured = EXCLUDED.captured, captured_lots = EXCLUDED.captured_lots,
				captured_points = EXCLUDED.captured_points`,
			a.ID, r.Order, r.Key, pgDate(r.Date), numeric(r.Points), drawLots, drawPoints, string(r.Status),
			numeric(r.Captured), capLots, capPoints)
	}
	first := state.Account.LastSeq + 1
	b.Queue(`INSERT INTO crmkit_loyalty_postings (account_id, key, fingerprint, first_seq, last_seq, account)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.ID, p.Key, p.Fingerprint, first, first+int64(len(out.Entries))-1, doc)
	return b, nil
}

// stateHasLot reports whether the state read holds lot id.
func stateHasLot(s *loyalty.State, id int64) bool {
	for _, lots := range [][]loyalty.Lot{s.Lots, s.OrderLots} {
		for i := range lots {
			if lots[i].ID == id {
				return true
			}
		}
	}
	return false
}

// expectRows is the callback of a statement that must change n rows.
func expectRows(entity, id string, n int) func(pgconn.CommandTag) error {
	return func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() != int64(n) {
			return store.Conflict(entity, id)
		}
		return nil
	}
}

// collectAll reads every row of rows with scan, then closes them.
func collectAll[T any](rows pgx.Rows, scan func(pgx.Row) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// prefixed qualifies a list of columns with a table alias.
func prefixed(alias, columns string) string {
	var out []byte
	start := true
	for i := 0; i < len(columns); i++ {
		c := columns[i]
		if start && c != ' ' && c != '\t' && c != '\n' {
			out = append(out, alias...)
			start = false
		}
		out = append(out, c)
		if c == ',' {
			start = true
		}
	}
	return string(out)
}

// balanceSQL reads an account ($1) with what loyalty.Summarise computes
// from its lots as of $2: the points in lots past their expiry, the
// points in lots earned after $2 (looked for only when the account earned
// after $2, as Summarise does), and, when $3 is not NULL, the points
// expiring from $2 through $3 grouped by day. Each sum is a range scan of
// an index of the lots with points left, so a balance reads only the lots
// it counts.
var balanceSQL = `SELECT ` + prefixed("a.", loyaltyAccountColumns) + `,
	(SELECT coalesce(sum(l.remaining), 0) FROM crmkit_loyalty_lots l
		WHERE l.account_id = a.id AND l.remaining > 0 AND coalesce(l.expires, 'infinity'::date) < $2) AS expired,
	(SELECT coalesce(sum(l.remaining), 0) FROM crmkit_loyalty_lots l
		WHERE (a.last_earned IS NULL OR a.last_earned > $2)
			AND l.account_id = a.id AND l.remaining > 0 AND l.earned > $2) AS pending,
	y.days, y.points
	FROM crmkit_loyalty_accounts a
	CROSS JOIN LATERAL (
		SELECT array_agg(g.expires ORDER BY g.expires) AS days, array_agg(g.points ORDER BY g.expires) AS points
		FROM (SELECT l.expires, sum(l.remaining) AS points FROM crmkit_loyalty_lots l
			WHERE $3::date IS NOT NULL AND l.account_id = a.id AND l.remaining > 0
				AND coalesce(l.expires, 'infinity'::date) >= $2 AND coalesce(l.expires, 'infinity'::date) <= $3
				AND l.earned <= $2
			GROUP BY l.expires) g
	) y
	WHERE a.id = $1`

// Balance summarises the account as of q.AsOf, as loyalty.Summarise does
// over its lots, with the sums computed by the server in one statement.
func (s *Store) Balance(ctx context.Context, id string, q loyalty.BalanceQuery) (loyalty.Balance, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Balance{}, err
	}
	if !q.AsOf.Valid() {
		return loyalty.Balance{}, fmt.Errorf("%w: balance as of %q", ErrInvalid, q.AsOf)
	}
	if !q.ExpiringThrough.IsZero() && !q.ExpiringThrough.Valid() {
		return loyalty.Balance{}, fmt.Errorf("%w: balance expiring through %q", ErrInvalid, q.ExpiringThrough)
	}
	var r loyaltyAccountRow
	var expired, pending pgtype.Numeric
	var days []pgtype.Date
	var points []pgtype.Numeric
	err := s.reader().QueryRow(ctx, balanceSQL, id, pgDate(q.AsOf), pgDate(q.ExpiringThrough)).
		Scan(append(r.targets(), &expired, &pending, &days, &points)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Balance{}, store.NotFound("loyalty account", id)
	}
	if err != nil {
		return loyalty.Balance{}, translateLoyalty(ctx, "loyalty balance", err)
	}
	a, err := r.account()
	if err != nil {
		return loyalty.Balance{}, err
	}
	sums := loyalty.Sums{}
	if sums.Expired, err = decimalFrom(expired); err == nil {
		sums.Pending, err = decimalFrom(pending)
	}
	for i := 0; err == nil && i < len(days) && i < len(points); i++ {
		var p decimal.Decimal
		if p, err = decimalFrom(points[i]); err == nil {
			sums.Expiring = append(sums.Expiring, loyalty.Expiring{On: fromPgDate(days[i]), Points: p})
		}
	}
	if err != nil {
		return loyalty.Balance{}, corruptLoyalty("account", id, err)
	}
	return loyalty.SummariseSums(a, sums, q), nil
}

// Qualifying sums the tier metric of the account's entries posted through
// to whose metric day is from or later (loyalty.QualifyingOf), in the
// server.
func (s *Store) Qualifying(ctx context.Context, id string, from, to loyalty.Date) (loyalty.Qualifying, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Qualifying{}, err
	}
	if !to.Valid() || (!from.IsZero() && !from.Valid()) {
		return loyalty.Qualifying{}, fmt.Errorf("%w: qualifying window %q to %q", ErrInvalid, from, to)
	}
	var found bool
	var spend, points pgtype.Numeric
	var currency pgtype.Text
	err := s.reader().QueryRow(ctx, `SELECT true, x.spend, x.points, x.currency
		FROM crmkit_loyalty_accounts a
		CROSS JOIN LATERAL (
			SELECT sum(e.qualifying) AS spend, sum(e.tier_points) AS points,
				(array_agg(e.qualifying_currency ORDER BY e.seq) FILTER (WHERE e.qualifying_currency IS NOT NULL))[1] AS currency
			FROM crmkit_loyalty_entries e
			WHERE e.account_id = a.id AND e.day <= $3 AND ($2::date IS NULL OR coalesce(e.metric_day, e.day) >= $2)
				AND (coalesce(e.qualifying, 0) <> 0 OR e.tier_points <> 0)
		) x
		WHERE a.id = $1`, id, pgDate(from), pgDate(to)).Scan(&found, &spend, &points, &currency)
	if errors.Is(err, pgx.ErrNoRows) {
		return loyalty.Qualifying{}, store.NotFound("loyalty account", id)
	}
	if err != nil {
		return loyalty.Qualifying{}, translateLoyalty(ctx, "loyalty qualifying", err)
	}
	sp, err := decimalFrom(spend)
	if err != nil {
		return loyalty.Qualifying{}, corruptLoyalty("account", id, err)
	}
	pts, err := decimalFrom(points)
	if err != nil {
		return loyalty.Qualifying{}, corruptLoyalty("account", id, err)
	}
	q := loyalty.Qualifying{Points: pts}
	if currency.Valid {
		cur, err := money.ParseCurrency(currency.String)
		if err == nil {
			q.Spend, err = money.FromDecimal(sp, cur)
		}
		if err != nil {
			return loyalty.Qualifying{}, corruptLoyalty("account", id, err)
		}
	}
	return q, nil
}

// Reservation returns the order's reservation: store.ErrNotFound names
// the account when there is no such account, the reservation when the
// order has none.
func (s *Store) Reservation(ctx context.Context, id, order string) (loyalty.Reservation, error) {
	if err := ctx.Err(); err != nil {
		return loyalty.Reservation{}, err
	}
	r, err := scanLoyaltyReservation(s.reader().QueryRow(ctx, `SELECT `+loyaltyReservationColumns+`
		FROM crmkit_loyalty_reservations WHERE account_id = $1 AND order_id = $2`, id, order))
	if errors.Is(err, pgx.ErrNoRows) {
		var one int
		err = s.reader().QueryRow(ctx, "SELECT 1 FROM crmkit_loyalty_accounts WHERE id = $1", id).Scan(&one)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return loyalty.Reservation{}, store.NotFound("loyalty account", id)
		case err == nil:
			return loyalty.Reservation{}, store.NotFound("reservation", order)
		}
	}
	if err != nil {
		return loyalty.Reservation{}, translateLoyalty(ctx, "loyalty reservation", err)
	}
	return r, nil
}

// pages streams what fetch reads, batch by batch (batchSize per query): a
// batch is read whole and its rows closed before anything is handed to
// the caller, so no connection is held while the caller's loop body runs.
// start is called once per iteration of the listing and returns the
// function that reads each batch, with whether there may be more.
func pages[T any](ctx context.Context, s *Store, op string, start func() func(ctx context.Context, q querier) ([]T, bool, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		fetch := start()
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			batch, more, err := fetch(ctx, s.reader())
			if err != nil {
				yield(zero, translateLoyalty(ctx, op, err))
				return
			}
			for i, v := range batch {
				if i > 0 {
					if err := ctx.Err(); err != nil {
						yield(zero, err)
						return
					}
				}
				if !yield(v, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

// Entries streams the account's entries after sequence number after, in
// sequence order, batchSize per query.
func (s *Store) Entries(ctx context.Context, id string, after int64) iter.Seq2[loyalty.Entry, error] {
	return pages(ctx, s, "loyalty entries", func() func(context.Context, querier) ([]loyalty.Entry, bool, error) {
		next := max(after, 0)
		return func(ctx context.Context, q querier) ([]loyalty.Entry, bool, error) {
			rows, err := q.Query(ctx, `SELECT `+loyaltyEntryColumns+` FROM crmkit_loyalty_entries
			WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, id, next, batchSize)
			if err != nil {
				return nil, false, err
			}
			batch, err := collectAll(rows, scanLoyaltyEntry)
			if err != nil || len(batch) == 0 {
				return nil, false, err
			}
			next = batch[len(batch)-1].Seq
			return batch, len(batch) == batchSize, nil
		}
	})
}

// Lots streams every lot of the account in redemption order, batchSize
// per query, each query resuming after the last lot read (keyset on the
// redemption order, which an index serves).
func (s *Store) Lots(ctx context.Context, id string) iter.Seq2[loyalty.Lot, error] {
	return pages(ctx, s, "loyalty lots", func() func(context.Context, querier) ([]loyalty.Lot, bool, error) {
		var last *loyalty.Lot
		return func(ctx context.Context, q querier) ([]loyalty.Lot, bool, error) {
			var rows pgx.Rows
			var err error
			if last == nil {
				rows, err = q.Query(ctx, `SELECT `+loyaltyLotColumns+` FROM crmkit_loyalty_lots
				WHERE account_id = $1 ORDER BY `+loyaltyLotOrder+` LIMIT $2`, id, batchSize)
			} else {
				expires := pgtype.Date{InfinityModifier: pgtype.Infinity, Valid: true}
				if !last.Expires.IsZero() {
					expires = pgDate(last.Expires)
				}
				rows, err = q.Query(ctx, `SELECT `+loyaltyLotColumns+` FROM crmkit_loyalty_lots
				WHERE account_id = $1 AND (`+loyaltyLotOrder+`) > ($2::date, $3::date, $4::bigint)
				ORDER BY `+loyaltyLotOrder+` LIMIT $5`, id, expires, pgDate(last.Earned), last.ID, batchSize)
			}
			if err != nil {
				return nil, false, err
			}
			batch, err := collectAll(rows, scanLoyaltyLot)
			if err != nil || len(batch) == 0 {
				return nil, false, err
			}
			last = &batch[len(batch)-1]
			return batch, len(batch) == batchSize, nil
		}
	})
}

// Accounts streams the accounts f selects in id order (bytewise, as Go
// compares strings), batchSize per query.
func (s *Store) Accounts(ctx context.Context, f loyalty.AccountFilter) iter.Seq2[loyalty.Account, error] {
	if f.Limit < 0 {
		return store.Fail[loyalty.Account](fmt.Errorf("%w: negative limit %d", ErrInvalid, f.Limit))
	}
	return pages(ctx, s, "loyalty accounts", func() func(context.Context, querier) ([]loyalty.Account, bool, error) {
		after, left := f.After, f.Limit
		return func(ctx context.Context, q querier) ([]loyalty.Account, bool, error) {
			want := batchSize
			if f.Limit > 0 {
				if left == 0 {
					return nil, false, nil
				}
				want = min(want, left)
			}
			rows, err := q.Query(ctx, `SELECT `+loyaltyAccountColumns+` FROM crmkit_loyalty_accounts
			WHERE id > $1 AND ($2 = '' OR programme = $2) ORDER BY id LIMIT $3`, after, f.Programme, want)
			if err != nil {
				return nil, false, err
			}
			batch, err := collectAll(rows, scanLoyaltyAccount)
			if err != nil || len(batch) == 0 {
				return nil, false, err
			}
			after = batch[len(batch)-1].ID
			left -= len(batch)
			return batch, len(batch) == want && (f.Limit == 0 || left > 0), nil
		}
	})
}
