package postgres

import (
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// How loyalty's records map to the tables of migration 0002. Points and
// money are numeric columns, written from a decimal's coefficient and
// exponent and read back the same way (never through a float or a rounded
// string); calendar dates are date columns, NULL for the zero Date.

// loyaltyAccountColumns are the columns an account is read from, in scan
// order.
const loyaltyAccountColumns = `id, programme, version, opened, referred_by, tier, tier_since,
	balance, reserved, debt, paid_orders, first_order, last_order, last_earned, last_seq, created_at, updated_at`

// loyaltyLotColumns are the columns a lot is read from, in scan order.
const loyaltyLotColumns = `id, earned, expires, points, remaining, expired, order_id, source`

// loyaltyLotOrder is the redemption order (loyalty.CompareLots): the
// soonest expiry first, lots that never expire last, then by day earned
// and id. The lots' indexes are built on the same expressions.
const loyaltyLotOrder = `coalesce(expires, 'infinity'::date), earned, id`

// loyaltyEntryColumns are the columns an entry is read from, in scan
// order; they are also the columns an entry is inserted into.
const loyaltyEntryColumns = `account_id, seq, kind, key, day, at, by_whom, order_id, source, note,
	points, reserved, debt, lot, expires, draw_lots, draw_points,
	total, total_currency, paid, paid_currency, qualifying, qualifying_currency, tier_points,
	value, value_currency, reverses, target, dropped, forgiven, tier_from, tier_to, metric_day`

// loyaltyReservationColumns are the columns a reservation is read from,
// in scan order.
const loyaltyReservationColumns = `order_id, key, day, points, draw_lots, draw_points, status,
	captured, captured_lots, captured_points`

// pgDate is a date parameter: NULL for the zero Date. Only valid dates
// reach it (postings are validated, CreateAccount checks its dates).
func pgDate(d loyalty.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC), Valid: true}
}

// fromPgDate reads a nullable date column.
func fromPgDate(d pgtype.Date) loyalty.Date {
	if !d.Valid || d.InfinityModifier != pgtype.Finite {
		return loyalty.Date{}
	}
	y, m, day := d.Time.Date()
	return loyalty.Date{Year: y, Month: m, Day: day}
}

// decimalFrom reads a numeric column exactly: NULL reads as zero.
func decimalFrom(n pgtype.Numeric) (decimal.Decimal, error) {
	if !n.Valid {
		return decimal.Decimal{}, nil
	}
	if n.NaN || n.InfinityModifier != pgtype.Finite {
		return decimal.Decimal{}, fmt.Errorf("not a finite number")
	}
	if n.Int == nil || n.Int.Sign() == 0 {
		return decimal.Decimal{}, nil
	}
	coef, exp := n.Int, n.Exp
	if exp > 0 {
		// The driver strips the trailing zeros of whole numbers (1200
		// comes as 12e2); give them back.
		coef = new(big.Int).Mul(coef, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
		exp = 0
	}
	return decimal.NewFromBigInt(coef, exp), nil
}

// decimals is a numeric[] parameter.
func decimals(ds []decimal.Decimal) []pgtype.Numeric {
	out := make([]pgtype.Numeric, len(ds))
	for i, d := range ds {
		out[i] = numeric(d)
	}
	return out
}

// drawColumns splits draws into the two parallel arrays they are stored
// as.
func drawColumns(draws []loyalty.Draw) ([]int64, []pgtype.Numeric) {
	lots := make([]int64, len(draws))
	points := make([]pgtype.Numeric, len(draws))
	for i, d := range draws {
		lots[i], points[i] = d.Lot, numeric(d.Points)
	}
	return lots, points
}

// drawsFrom joins the two arrays back into draws; none reads as nil.
func drawsFrom(lots []int64, points []pgtype.Numeric) ([]loyalty.Draw, error) {
	if len(lots) != len(points) {
		return nil, fmt.Errorf("%d draw lots but %d draw points", len(lots), len(points))
	}
	if len(lots) == 0 {
		return nil, nil
	}
	out := make([]loyalty.Draw, len(lots))
	for i := range lots {
		d, err := decimalFrom(points[i])
		if err != nil {
			return nil, err
		}
		out[i] = loyalty.Draw{Lot: lots[i], Points: d}
	}
	return out, nil
}

// loyaltyAmountFrom reads an amount from its numeric and currency columns.
func loyaltyAmountFrom(n pgtype.Numeric, code pgtype.Text) (money.Amount, error) {
	if !n.Valid || !code.Valid {
		return money.Amount{}, nil
	}
	d, err := decimalFrom(n)
	if err != nil {
		return money.Amount{}, err
	}
	c, err := money.ParseCurrency(code.String)
	if err != nil {
		return money.Amount{}, err
	}
	return money.FromDecimal(d, c)
}

// loyaltyAccountRow is an account as read from loyaltyAccountColumns.
type loyaltyAccountRow struct {
	id, programme                     string
	version                           int64
	opened, tierSince                 pgtype.Date
	referredBy, tier                  string
	balance, reserved, debt           pgtype.Numeric
	paidOrders                        int32
	firstOrder, lastOrder, lastEarned pgtype.Date
	lastSeq                           int64
	created, updated                  pgtype.Timestamptz
}

func (r *loyaltyAccountRow) targets() []any {
	return []any{&r.id, &r.programme, &r.version, &r.opened, &r.referredBy, &r.tier, &r.tierSince,
		&r.balance, &r.reserved, &r.debt, &r.paidOrders, &r.firstOrder, &r.lastOrder, &r.lastEarned, &r.lastSeq,
		&r.created, &r.updated}
}

func (r *loyaltyAccountRow) account() (loyalty.Account, error) {
	a := loyalty.Account{
		ID:         r.id,
		Programme:  r.programme,
		Opened:     fromPgDate(r.opened),
		ReferredBy: r.referredBy,
		Tier:       r.tier,
		TierSince:  fromPgDate(r.tierSince),
		PaidOrders: int(r.paidOrders),
		FirstOrder: fromPgDate(r.firstOrder),
		LastOrder:  fromPgDate(r.lastOrder),
		LastEarned: fromPgDate(r.lastEarned),
		LastSeq:    r.lastSeq,
		Version:    store.Version(r.version),
		CreatedAt:  fromTstz(r.created),
		UpdatedAt:  fromTstz(r.updated),
	}
	var err error
	if a.Balance, err = decimalFrom(r.balance); err != nil {
		return loyalty.Account{}, corruptLoyalty("account", r.id, err)
	}
	if a.Reserved, err = decimalFrom(r.reserved); err != nil {
		return loyalty.Account{}, corruptLoyalty("account", r.id, err)
	}
	if a.Debt, err = decimalFrom(r.debt); err != nil {
		return loyalty.Account{}, corruptLoyalty("account", r.id, err)
	}
	return a, nil
}

func scanLoyaltyAccount(row pgx.Row) (loyalty.Account, error) {
	var r loyaltyAccountRow
	if err := row.Scan(r.targets()...); err != nil {
		return loyalty.Account{}, err
	}
	return r.account()
}

// scanLoyaltyLot reads a lot from loyaltyLotColumns.
func scanLoyaltyLot(row pgx.Row) (loyalty.Lot, error) {
	var l loyalty.Lot
	var earned, expires pgtype.Date
	var points, remaining, expired pgtype.Numeric
	var source string
	if err := row.Scan(&l.ID, &earned, &expires, &points, &remaining, &expired, &l.Order, &source); err != nil {
		return loyalty.Lot{}, err
	}
	l.Earned, l.Expires, l.Source = fromPgDate(earned), fromPgDate(expires), loyalty.Source(source)
	var err error
	if l.Points, err = decimalFrom(points); err == nil {
		if l.Remaining, err = decimalFrom(remaining); err == nil {
			l.Expired, err = decimalFrom(expired)
		}
	}
	if err != nil {
		return loyalty.Lot{}, corruptLoyalty("lot", fmt.Sprint(l.ID), err)
	}
	return l, nil
}

// entryArgs returns the parameters of an entry for loyaltyEntryColumns.
func entryArgs(e *loyalty.Entry) []any {
	drawLots, drawPoints := drawColumns(e.Draws)
	total, totalCur := amountColumns(e.Total)
	paid, paidCur := amountColumns(e.Paid)
	qual, qualCur := amountColumns(e.Qualifying)
	value, valueCur := amountColumns(e.Value)
	return []any{e.Account, e.Seq, string(e.Kind), e.Key, pgDate(e.Date), tstz(instant(e.At)), e.By, e.Order,
		string(e.Source), e.Note, numeric(e.Points), numeric(e.Reserved), numeric(e.Debt), e.Lot, pgDate(e.Expires),
		drawLots, drawPoints, total, totalCur, paid, paidCur, qual, qualCur, numeric(e.TierPoints),
		value, valueCur, string(e.Reverses), numeric(e.Target), numeric(e.Dropped), numeric(e.Forgiven),
		e.TierFrom, e.TierTo, pgDate(e.MetricDate)}
}

// insertEntrySQL inserts one entry.
var insertEntrySQL = `INSERT INTO crmkit_loyalty_entries (` + loyaltyEntryColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33)`

// scanLoyaltyEntry reads an entry from loyaltyEntryColumns.
func scanLoyaltyEntry(row pgx.Row) (loyalty.Entry, error) {
	var e loyalty.Entry
	var kind, source, reverses string
	var day, expires, metricDay pgtype.Date
	var at pgtype.Timestamptz
	var points, reserved, debt, tierPoints, target, dropped, forgiven pgtype.Numeric
	var total, paid, qual, value pgtype.Numeric
	var totalCur, paidCur, qualCur, valueCur pgtype.Text
	var drawLots []int64
	var drawPoints []pgtype.Numeric
	err := row.Scan(&e.Account, &e.Seq, &kind, &e.Key, &day, &at, &e.By, &e.Order, &source, &e.Note,
		&points, &reserved, &debt, &e.Lot, &expires, &drawLots, &drawPoints,
		&total, &totalCur, &paid, &paidCur, &qual, &qualCur, &tierPoints,
		&value, &valueCur, &reverses, &target, &dropped, &forgiven, &e.TierFrom, &e.TierTo, &metricDay)
	if err != nil {
		return loyalty.Entry{}, err
	}
	e.Kind, e.Source, e.Reverses = loyalty.EntryKind(kind), loyalty.Source(source), loyalty.EntryKind(reverses)
	e.Date, e.Expires, e.At, e.MetricDate = fromPgDate(day), fromPgDate(expires), fromTstz(at), fromPgDate(metricDay)
	decs := []struct {
		dst *decimal.Decimal
		src pgtype.Numeric
	}{{&e.Points, points}, {&e.Reserved, reserved}, {&e.Debt, debt}, {&e.TierPoints, tierPoints},
		{&e.Target, target}, {&e.Dropped, dropped}, {&e.Forgiven, forgiven}}
	for _, d := range decs {
		if *d.dst, err = decimalFrom(d.src); err != nil {
			return loyalty.Entry{}, corruptLoyalty("entry", fmt.Sprint(e.Seq), err)
		}
	}
	amounts := []struct {
		dst  *money.Amount
		src  pgtype.Numeric
		code pgtype.Text
	}{{&e.Total, total, totalCur}, {&e.Paid, paid, paidCur}, {&e.Qualifying, qual, qualCur}, {&e.Value, value, valueCur}}
	for _, a := range amounts {
		if *a.dst, err = loyaltyAmountFrom(a.src, a.code); err != nil {
			return loyalty.Entry{}, corruptLoyalty("entry", fmt.Sprint(e.Seq), err)
		}
	}
	if e.Draws, err = drawsFrom(drawLots, drawPoints); err != nil {
		return loyalty.Entry{}, corruptLoyalty("entry", fmt.Sprint(e.Seq), err)
	}
	return e, nil
}

// scanLoyaltyReservation reads a reservation from
// loyaltyReservationColumns.
func scanLoyaltyReservation(row pgx.Row) (loyalty.Reservation, error) {
	var r loyalty.Reservation
	var day pgtype.Date
	var points, captured pgtype.Numeric
	var status string
	var drawLots, capLots []int64
	var drawPoints, capPoints []pgtype.Numeric
	if err := row.Scan(&r.Order, &r.Key, &day, &points, &drawLots, &drawPoints, &status, &captured, &capLots, &capPoints); err != nil {
		return loyalty.Reservation{}, err
	}
	r.Date, r.Status = fromPgDate(day), loyalty.ReservationStatus(status)
	var err error
	if r.Points, err = decimalFrom(points); err == nil {
		if r.Captured, err = decimalFrom(captured); err == nil {
			if r.Draws, err = drawsFrom(drawLots, drawPoints); err == nil {
				r.CapturedDraws, err = drawsFrom(capLots, capPoints)
			}
		}
	}
	if err != nil {
		return loyalty.Reservation{}, corruptLoyalty("reservation", r.Order, err)
	}
	return r, nil
}

// loyaltyAccountDoc is an account as a posting's result remembers it,
// for a repeated key: decimals as strings holding every digit, dates
// "YYYY-MM-DD", instants RFC 3339 in UTC.
type loyaltyAccountDoc struct {
	ID         string    `json:"id"`
	Programme  string    `json:"programme"`
	Opened     string    `json:"opened,omitempty"`
	ReferredBy string    `json:"referred_by,omitempty"`
	Tier       string    `json:"tier,omitempty"`
	TierSince  string    `json:"tier_since,omitempty"`
	Balance    string    `json:"balance"`
	Reserved   string    `json:"reserved"`
	Debt       string    `json:"debt"`
	PaidOrders int       `json:"paid_orders,omitempty"`
	FirstOrder string    `json:"first_order,omitempty"`
	LastOrder  string    `json:"last_order,omitempty"`
	LastEarned string    `json:"last_earned,omitempty"`
	LastSeq    int64     `json:"last_seq"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
}

func encodeLoyaltyAccountDoc(a loyalty.Account) ([]byte, error) {
	return json.Marshal(loyaltyAccountDoc{
		ID: a.ID, Programme: a.Programme, Opened: a.Opened.String(), ReferredBy: a.ReferredBy,
		Tier: a.Tier, TierSince: a.TierSince.String(),
		Balance: exactDecimal(a.Balance), Reserved: exactDecimal(a.Reserved), Debt: exactDecimal(a.Debt),
		PaidOrders: a.PaidOrders, FirstOrder: a.FirstOrder.String(), LastOrder: a.LastOrder.String(),
		LastEarned: a.LastEarned.String(), LastSeq: a.LastSeq, Version: int64(a.Version),
		CreatedAt: instant(a.CreatedAt), UpdatedAt: instant(a.UpdatedAt),
	})
}

func decodeLoyaltyAccountDoc(data []byte) (loyalty.Account, error) {
	var d loyaltyAccountDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return loyalty.Account{}, err
	}
	a := loyalty.Account{ID: d.ID, Programme: d.Programme, ReferredBy: d.ReferredBy, Tier: d.Tier,
		PaidOrders: d.PaidOrders, LastSeq: d.LastSeq, Version: store.Version(d.Version),
		CreatedAt: readInstant(d.CreatedAt), UpdatedAt: readInstant(d.UpdatedAt)}
	dates := []struct {
		dst *loyalty.Date
		src string
	}{{&a.Opened, d.Opened}, {&a.TierSince, d.TierSince}, {&a.FirstOrder, d.FirstOrder},
		{&a.LastOrder, d.LastOrder}, {&a.LastEarned, d.LastEarned}}
	for _, x := range dates {
		if x.src == "" {
			continue
		}
		v, err := loyalty.ParseDate(x.src)
		if err != nil {
			return loyalty.Account{}, err
		}
		*x.dst = v
	}
	decs := []struct {
		dst *decimal.Decimal
		src string
	}{{&a.Balance, d.Balance}, {&a.Reserved, d.Reserved}, {&a.Debt, d.Debt}}
	for _, x := range decs {
		v, err := parseExact(x.src)
		if err != nil {
			return loyalty.Account{}, err
		}
		if v.Sign() != 0 {
			*x.dst = v
		}
	}
	return a, nil
}

// corruptLoyalty reports a stored loyalty record this package cannot read
// back.
func corruptLoyalty(entity, id string, err error) error {
	return &Error{Op: "read loyalty " + entity, Detail: fmt.Sprintf("%s %s: stored record unreadable: %v", entity, id, err)}
}
