package loyalty

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Options configure a Service. The zero Options is usable: every empty
// field takes the default named in its comment.
type Options struct {
	// Clock gives the current time. Default: the system clock.
	Clock clock.Options
	// Location is where instants become calendar dates (today, the day
	// of a purchase). Default: UTC.
	Location *time.Location
	// MaxRetries bounds the attempts of a posting computed from a read of
	// the account that meets a version conflict. Default: 64.
	MaxRetries int
	// ExpiringWithinDays is how far ahead Balance and Advise list points
	// that will expire. Default: 30.
	ExpiringWithinDays int
}

// Service runs one programme over a Store: the entry point for hosts.
// Every method that changes a ledger makes one posting (or a few, for
// bonuses) through Store.Post, so a crash between two calls leaves
// nothing half done, and repeating a call with the same key is safe.
//
// Operations a client or an operator asks for take an Op with the
// caller's idempotency key; batch operations (Expire, EvaluateTier,
// bonuses) derive their keys from the account and the day, so running
// them twice changes nothing. Keys starting with "loyalty:" are the
// Service's own and refused in an Op.
//
// A Service is safe for concurrent use.
type Service struct {
	st    Store
	rules *Rules
	opts  Options
}

// ServicePrefix starts the idempotency keys the Service makes itself.
const ServicePrefix = "loyalty:"

// NewService returns a Service running programme p over st. An invalid
// programme fails with a *ValidationError.
func NewService(st Store, p Programme, o Options) (*Service, error) {
	if st == nil {
		return nil, invalid("store", ReasonRequired, "")
	}
	rules, err := NewRules(p)
	if err != nil {
		return nil, err
	}
	o.Clock = o.Clock.WithDefaults()
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 64
	}
	if o.ExpiringWithinDays <= 0 {
		o.ExpiringWithinDays = 30
	}
	return &Service{st: st, rules: rules, opts: o}, nil
}

// Rules returns the compiled programme.
func (s *Service) Rules() *Rules { return s.rules }

// Today returns the current date in the Service's location.
func (s *Service) Today() Date { return DateOf(s.opts.Clock.Now(), s.opts.Location) }

// Op names an operation a caller asks for.
type Op struct {
	// Account is the host's id of the client's account.
	Account string
	// Key is the caller's idempotency key, unique per account and
	// operation (for example "earn:"+orderID). Repeating a call with the
	// same key and the same request posts once and returns the first
	// result; the same key with another request fails with ErrKeyReused.
	Key string
	// By is who asks: a user id, "web", "pos-12". Recorded on the entries.
	By string
}

// Receipt is what an operation wrote.
type Receipt struct {
	// Result is the operation's posting: the account after it and its
	// entries (Replayed when the key was posted before).
	Result
	// Earning explains an Earn. On a replay it is computed again from the
	// account as it is now, and may differ from what was first posted
	// (a tier reached since); the entries are what counts.
	Earning *Earning
	// Value is the money value of points redeemed, reserved or captured.
	Value money.Amount
	// Bonuses are the bonus postings the operation triggered (the
	// referral bonus after a first paid order).
	Bonuses []Result
}

// Enrolment is what opening an account needs besides its id.
type Enrolment struct {
	// ReferredBy is the account id of the client who referred this one.
	ReferredBy string
	// By is who opens the account.
	By string
}

// Open opens an account in the programme and grants the welcome bonus.
// It may be repeated: opening an account that exists (in this programme)
// grants the welcome bonus if it was not granted yet and returns the
// account. Today must be within the programme's window.
func (s *Service) Open(ctx context.Context, account string, e Enrolment) (Receipt, error) {
	if err := text("account", account, maxAccountLen, true); err != nil {
		return Receipt{}, err
	}
	if err := text("referred_by", e.ReferredBy, maxAccountLen, false); err != nil {
		return Receipt{}, err
	}
	if e.ReferredBy == account {
		return Receipt{}, invalidf("referred_by", ReasonConflict, e.ReferredBy, "a client cannot refer themselves")
	}
	today := s.Today()
	if err := s.rules.checkWindow("date", today); err != nil {
		return Receipt{}, err
	}
	now := s.opts.Clock.Now()
	acct := Account{
		ID: account, Programme: s.rules.p.ID, Opened: today, ReferredBy: e.ReferredBy,
		Tier: s.rules.LowestTier(), CreatedAt: now, UpdatedAt: now,
	}
	if acct.Tier != "" {
		acct.TierSince = today
	}
	err := s.st.CreateAccount(ctx, acct)
	if err != nil && !errors.Is(err, store.ErrDuplicate) {
		return Receipt{}, err
	}
	if acct, err = s.account(ctx, account); err != nil {
		return Receipt{}, err
	}
	rec := Receipt{Result: Result{Account: acct}}
	if w := s.rules.p.Bonuses.Welcome; w.Sign() > 0 {
		res, err := s.st.Post(ctx, s.bonus(account, "welcome", today, w, SourceWelcome, e.By))
		if err != nil {
			return Receipt{}, err
		}
		rec.Result = res
		if res.Replayed {
			rec.Account = acct // the account as it is now, not as the bonus left it
		}
	}
	return rec, nil
}

// Account returns the account, refusing one of another programme.
func (s *Service) Account(ctx context.Context, id string) (Account, error) {
	return s.account(ctx, id)
}

func (s *Service) account(ctx context.Context, id string) (Account, error) {
	a, err := s.st.Account(ctx, id)
	if err != nil {
		return Account{}, err
	}
	if a.Programme != s.rules.p.ID {
		return Account{}, refused(RuleOtherProgramme, "account", "account %q is in programme %q", shorten(id), shorten(a.Programme))
	}
	return a, nil
}

// checkOp validates the caller's part of an operation.
func (s *Service) checkOp(op Op) error {
	if err := text("account", op.Account, maxAccountLen, true); err != nil {
		return err
	}
	if err := text("key", op.Key, maxKeyLen, true); err != nil {
		return err
	}
	if strings.HasPrefix(op.Key, ServicePrefix) {
		return invalidf("key", ReasonReserved, op.Key, "keys starting with %q are the Service's own", ServicePrefix)
	}
	return text("by", op.By, maxAccountLen, false)
}

// posting starts a posting of the operation on date, fingerprinted by
// its kind and the parts of the request.
func (s *Service) posting(op Op, kind PostingKind, date Date, fingerprint ...string) Posting {
	return Posting{
		Account: op.Account, Key: op.Key, By: op.By, Kind: kind, Date: date,
		At: s.opts.Clock.Now(), Places: s.rules.p.PointPlaces,
		Fingerprint: Fingerprint(append([]string{string(kind)}, fingerprint...)...),
	}
}

// Earn credits the points an order earns (Rules.Earn explains how) and,
// after the client's first paid order, the referral bonus (see
// ReferralBonus). The order's Date defaults to today and may not be later.
//
// With tiers, the points depend on the client's tier metric, so the
// posting carries the account version it was computed from and is
// recomputed when another posting gets in first. The purchase that
// crosses a tier threshold moves the client up in the same posting.
func (s *Service) Earn(ctx context.Context, op Op, o Order) (Receipt, error) {
	if err := s.checkOp(op); err != nil {
		return Receipt{}, err
	}
	// The fingerprint is of the request as given, so that a retry after
	// midnight of an order without a date is still the same request.
	fingerprint := orderFingerprint(o)
	today := s.Today()
	if o.Date.IsZero() {
		o.Date = today
	}
	if o.Date.Valid() && o.Date.After(today) {
		return Receipt{}, invalidf("date", ReasonInFuture, o.Date.String(), "today is %s", today)
	}
	var rec Receipt
	var acct Account
	err := s.retry(ctx, func() error {
		var err error
		if acct, err = s.account(ctx, op.Account); err != nil {
			return err
		}
		standing := Standing{Tier: acct.Tier}
		if s.rules.HasTiers() {
			q, err := s.st.Qualifying(ctx, op.Account, s.rules.windowStart(o.Date), o.Date)
			if err != nil {
				return err
			}
			standing.Metric = s.rules.metricOf(q)
		}
		earning, err := s.rules.Earn(o, standing)
		if err != nil {
			return err
		}
		p := s.posting(op, PostEarn, o.Date, fingerprint...)
		p.Source, p.Order, p.Points, p.Expires = SourcePurchase, o.ID, earning.Points, s.rules.Expiry(o.Date)
		p.Total, p.Paid, p.Qualifying, p.TierPoints = earning.Total, earning.Paid, earning.Qualifying, earning.TierPoints
		if s.rules.HasTiers() {
			// The points depend on the tier metric read above: post only
			// if nothing was posted meanwhile.
			p.IfVersion = acct.Version
			up := s.rules.tierIndex(earning.NewTier) > s.rules.tierIndex(acct.Tier)
			if up || (earning.NewTier != acct.Tier && !s.rules.known(acct.Tier)) {
				p.Tier = earning.NewTier
			}
		}
		res, err := s.st.Post(ctx, p)
		if err != nil {
			return err
		}
		rec = Receipt{Result: res, Earning: &earning}
		return nil
	})
	if err != nil {
		return Receipt{}, err
	}
	if first := rec.Account.PaidOrders == 1 && rec.Earning.Paid.IsPositive(); first && acct.ReferredBy != "" {
		bonuses, err := s.referral(ctx, acct, o.Date, op.By)
		rec.Bonuses = bonuses
		if err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// orderFingerprint describes an order for its posting's fingerprint.
func orderFingerprint(o Order) []string {
	parts := []string{o.ID, o.Date.String(), o.PointsPaid.String()}
	for _, l := range o.Lines {
		parts = append(parts, l.SKU, l.Category, strings.Join(l.Tags, "\x1f"), fmtDec(l.Quantity), l.Amount.String())
	}
	return parts
}

// Redemption asks to pay for an order with points.
type Redemption struct {
	// Order is the host's order id: required for a reservation, optional
	// for a direct redemption (but needed to give the points back when
	// the order is returned).
	Order string
	// Points to redeem: positive, within the programme's precision, at
	// least its minimum.
	Points decimal.Decimal
	// OrderAmount is the order's amount after discounts, before points:
	// the base of the programme's maximum share.
	OrderAmount money.Amount
}

// Redeem spends points on an order now. The points are taken from the
// lots usable today, soonest expiry first; the programme's minimum and
// maximum share apply; a balance that cannot cover them fails with a
// *PointsError and writes nothing.
func (s *Service) Redeem(ctx context.Context, op Op, r Redemption) (Receipt, error) {
	return s.spend(ctx, op, PostRedeem, r)
}

// Reserve holds points for an order when it is placed; Capture spends
// them when it is paid, Release gives them back if it is not. Held points
// are drawn from their lots at once, so they cannot expire or be spent
// twice meanwhile. An order has at most one reservation.
func (s *Service) Reserve(ctx context.Context, op Op, r Redemption) (Receipt, error) {
	if r.Order == "" {
		return Receipt{}, invalid("order", ReasonRequired, "")
	}
	return s.spend(ctx, op, PostReserve, r)
}

func (s *Service) spend(ctx context.Context, op Op, kind PostingKind, r Redemption) (Receipt, error) {
	if err := s.checkOp(op); err != nil {
		return Receipt{}, err
	}
	if err := text("order", r.Order, maxOrderLen, false); err != nil {
		return Receipt{}, err
	}
	value, err := s.rules.CheckRedemption(r.Points, r.OrderAmount)
	if err != nil {
		return Receipt{}, err
	}
	p := s.posting(op, kind, s.Today(), r.Order, fmtDec(r.Points), r.OrderAmount.String())
	p.Order, p.Points, p.Value = r.Order, r.Points, value
	res, err := s.post(ctx, p)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Result: res, Value: value}, nil
}

// Capture spends points of the order's reservation (at most what was
// reserved; the rest is released).
func (s *Service) Capture(ctx context.Context, op Op, order string, points decimal.Decimal) (Receipt, error) {
	if err := s.checkOp(op); err != nil {
		return Receipt{}, err
	}
	if err := text("order", order, maxOrderLen, true); err != nil {
		return Receipt{}, err
	}
	if err := s.rules.pointsOK("points", points, true); err != nil {
		return Receipt{}, err
	}
	value := s.rules.value(points)
	p := s.posting(op, PostCapture, s.Today(), order, fmtDec(points))
	p.Order, p.Points, p.Value = order, points, value
	res, err := s.post(ctx, p)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Result: res, Value: value}, nil
}

// Release gives the order's reserved points back.
func (s *Service) Release(ctx context.Context, op Op, order string) (Receipt, error) {
	return s.orderOp(ctx, op, PostRelease, order, money.Amount{}, "")
}

// Return records the return of part of an order: amount is the value of
// the goods returned at the order's prices after discounts (the basis of
// Line.Amount), not counting how they were paid. The order's earned
// points are taken back and its redeemed points given back in proportion
// (see Apply and the package documentation). Earned points already spent
// are forgiven, or recorded as debt when the programme allows debt.
func (s *Service) Return(ctx context.Context, op Op, order string, amount money.Amount) (Receipt, error) {
	if amount.Currency() != s.rules.p.Currency {
		return Receipt{}, invalidf("amount", ReasonCurrency, amount.String(), "want %s", s.rules.p.Currency)
	}
	if !amount.IsPositive() {
		return Receipt{}, invalid("amount", ReasonNotPositive, amount.String())
	}
	shortfall := ShortfallForgive
	if s.rules.p.Returns.AllowDebt {
		shortfall = ShortfallDebt
	}
	return s.orderOp(ctx, op, PostReturn, order, amount, shortfall)
}

// Cancel returns whatever is left of an order. When its earned points
// were spent and the balance cannot cover them, the programme's cancel
// policy decides: refuse (RuleCancelSpent, nothing written) or record
// debt. An order that redeemed points but was never recorded as a
// purchase (cancelled before it was, or dated after the programme's
// window, where Earn refuses it) can be cancelled too: its redeemed
// points go back to their lots. Return needs the purchase (its total).
func (s *Service) Cancel(ctx context.Context, op Op, order string) (Receipt, error) {
	shortfall := ShortfallRefuse
	if s.rules.p.Returns.Cancel == CancelDebt {
		shortfall = ShortfallDebt
	}
	return s.orderOp(ctx, op, PostCancel, order, money.Amount{}, shortfall)
}

func (s *Service) orderOp(ctx context.Context, op Op, kind PostingKind, order string, amount money.Amount, shortfall Shortfall) (Receipt, error) {
	if err := s.checkOp(op); err != nil {
		return Receipt{}, err
	}
	if err := text("order", order, maxOrderLen, true); err != nil {
		return Receipt{}, err
	}
	p := s.posting(op, kind, s.Today(), order, amount.String())
	p.Order, p.Total, p.Shortfall = order, amount, shortfall
	res, err := s.post(ctx, p)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Result: res}, nil
}

// Adjust corrects a balance by hand: positive points are credited as a
// lot expiring like earned points, negative points are deducted like a
// redemption (never below zero). note says why.
func (s *Service) Adjust(ctx context.Context, op Op, points decimal.Decimal, note string) (Receipt, error) {
	if err := s.checkOp(op); err != nil {
		return Receipt{}, err
	}
	if err := s.rules.pointsOK("points", points, false); err != nil {
		return Receipt{}, err
	}
	if len(note) > maxNoteLen {
		return Receipt{}, invalid("note", ReasonTooLong, note)
	}
	today := s.Today()
	p := s.posting(op, PostAdjust, today, fmtDec(points), note)
	p.Points, p.Note = points, note
	if points.Sign() > 0 {
		p.Expires = s.rules.Expiry(today)
	}
	res, err := s.post(ctx, p)
	if err != nil {
		return Receipt{}, err
	}
	return Receipt{Result: res}, nil
}

// Expire writes off the account's points that expired before asOf (lots
// whose last usable day is before it). It is idempotent: the posting's
// key is the day and the account's last entry, so a second run with
// nothing posted in between replays the first, and a run after later
// postings writes off only what they left due — a cancelled redemption,
// say, that gave points back to a lot whose last day had passed, which a
// replay of the earlier run would have missed.
func (s *Service) Expire(ctx context.Context, account string, asOf Date) (Result, error) {
	if !asOf.Valid() {
		return Result{}, invalid("as_of", ReasonBadDate, asOf.String())
	}
	a, err := s.account(ctx, account)
	if err != nil {
		return Result{}, err
	}
	key := ServicePrefix + "expire:" + asOf.String() + ":" + strconv.FormatInt(a.LastSeq, 10)
	p := s.posting(Op{Account: account, Key: key, By: "loyalty"}, PostExpire, asOf, asOf.String())
	return s.post(ctx, p)
}

// Sweep summarises a batch run over the programme's accounts.
type Sweep struct {
	Accounts int             // accounts looked at
	Changed  int             // accounts that got entries
	Points   decimal.Decimal // points the entries moved (expired points are negative)
}

// ExpireAll runs Expire for every account of the programme.
func (s *Service) ExpireAll(ctx context.Context, asOf Date) (Sweep, error) {
	var sw Sweep
	var t tally
	err := s.eachAccount(ctx, func(a Account) error {
		res, err := s.Expire(ctx, a.ID, asOf)
		if err != nil {
			return err
		}
		sw.Accounts++
		if len(res.Entries) > 0 && !res.Replayed {
			sw.Changed++
			t.add(res.Points())
		}
		return nil
	})
	sw.Points = t.total()
	return sw, err
}

// eachAccount calls fn for every account of the programme.
func (s *Service) eachAccount(ctx context.Context, fn func(Account) error) error {
	for a, err := range s.st.Accounts(ctx, AccountFilter{Programme: s.rules.p.ID}) {
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// EvaluateTier reviews the account's tier on asOf (Rules.ReviewTier) and
// posts the change, if any, as a tier entry. It is idempotent: a second
// review with nothing posted in between finds no change; a review after
// later postings on the same day (a return, a purchase) decides afresh
// from them, since the posting's key is the day and the account's last
// entry.
func (s *Service) EvaluateTier(ctx context.Context, account string, asOf Date) (TierReview, Result, error) {
	if !asOf.Valid() {
		return TierReview{}, Result{}, invalid("as_of", ReasonBadDate, asOf.String())
	}
	if !s.rules.HasTiers() {
		return TierReview{}, Result{}, nil
	}
	var review TierReview
	var result Result
	err := s.retry(ctx, func() error {
		acct, err := s.account(ctx, account)
		if err != nil {
			return err
		}
		var moves []Movement
		for e, err := range s.st.Entries(ctx, account, 0) {
			if err != nil {
				return err
			}
			if m, ok := MovementOf(e); ok && !e.Date.After(asOf) {
				moves = append(moves, m)
			}
		}
		review = s.rules.ReviewTier(acct, moves, asOf)
		result = Result{Account: acct}
		if !review.Change {
			return nil
		}
		// The key names the account's last entry as well as the day (as
		// Expire's does): a review after later postings the same day is a
		// new decision, not a replay of the earlier one.
		key := ServicePrefix + "tier:" + asOf.String() + ":" + strconv.FormatInt(acct.LastSeq, 10)
		p := s.posting(Op{Account: account, Key: key, By: "loyalty"}, PostTier, asOf, asOf.String(), review.To)
		p.Tier, p.IfVersion = review.To, acct.Version
		result, err = s.st.Post(ctx, p)
		return err
	})
	return review, result, err
}

// EvaluateTiers runs EvaluateTier for every account of the programme.
func (s *Service) EvaluateTiers(ctx context.Context, asOf Date) (Sweep, error) {
	var sw Sweep
	err := s.eachAccount(ctx, func(a Account) error {
		review, res, err := s.EvaluateTier(ctx, a.ID, asOf)
		if err != nil {
			return err
		}
		sw.Accounts++
		if review.Change && len(res.Entries) > 0 && !res.Replayed {
			sw.Changed++
		}
		return nil
	})
	return sw, err
}

// Balance returns the account's balance as of a day, listing the points
// that expire within ExpiringWithinDays of it.
func (s *Service) Balance(ctx context.Context, account string, asOf Date) (Balance, error) {
	if !asOf.Valid() {
		return Balance{}, invalid("as_of", ReasonBadDate, asOf.String())
	}
	if _, err := s.account(ctx, account); err != nil {
		return Balance{}, err
	}
	return s.st.Balance(ctx, account, BalanceQuery{AsOf: asOf, ExpiringThrough: asOf.AddDays(s.opts.ExpiringWithinDays)})
}

// post posts p. Postings without IfVersion never meet a version
// conflict, so there is nothing to retry.
func (s *Service) post(ctx context.Context, p Posting) (Result, error) {
	return s.st.Post(ctx, p)
}

// retry runs attempt until it does not meet a version conflict, backing
// off with jitter after the first few.
func (s *Service) retry(ctx context.Context, attempt func() error) error {
	var err error
	for i := range s.opts.MaxRetries {
		if err = attempt(); !errors.Is(err, store.ErrConflict) {
			return err
		}
		if i >= 2 {
			// Real waiting, not domain time: many writers of one account
			// stop colliding.
			t := time.NewTimer(time.Duration(rand.Int64N(int64(time.Millisecond) << min(i-2, 4))))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return err
}
