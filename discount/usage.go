package discount

import (
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// UsageKey names one usage counter: a rule's (Rule set) or a coupon's
// (Coupon set, the code in upper case), over all customers (Customer
// empty) or for one customer.
type UsageKey struct {
	Rule     string
	Coupon   string
	Customer string
}

func (k UsageKey) describe(tag string) string {
	var s string
	if k.Coupon != "" {
		s = lang.Pick(tag, "coupon ", "купона ") + strconv.Quote(shorten(k.Coupon))
	} else {
		s = lang.Pick(tag, "rule ", "правила ") + strconv.Quote(shorten(k.Rule))
	}
	if k.Customer != "" {
		s += lang.Pick(tag, " for customer ", " для клиента ") + strconv.Quote(shorten(k.Customer))
	}
	return s
}

// Counter is what a key has used so far: the number of uses and the
// discount given.
type Counter struct {
	Uses  int64
	Spent money.Amount
}

// Usage is a snapshot of the usage counters that Price reads to judge
// limits and budgets. The host implements it over its own storage (a
// MemoryLedger is one). A key never used returns the zero Counter. A nil
// Usage means nothing has been used.
type Usage interface {
	Counter(key UsageKey) Counter
}

// Use is what one priced cart consumes of one counter: one use and
// Amount of discount. Limit is the limit the counter is under, so that a
// ledger can check it again when it commits.
type Use struct {
	Key    UsageKey
	Amount money.Amount
	Limit  Limit
}

// UsageLedger records uses. The host implements it over its storage:
// Commit when an order is placed, Release when it is cancelled. Commit
// must check every use against its Limit and commit all uses or none;
// the engine itself stays pure and never calls the ledger.
type UsageLedger interface {
	// Commit records the uses under ref (an order id). It fails with a
	// *LimitError (ErrLimitExceeded) if a limit would be exceeded and
	// with a *RefError (ErrDuplicateRef) if ref was already committed,
	// and then records nothing.
	Commit(ctx context.Context, ref string, uses []Use) error
	// Release takes back what was committed under ref. It fails with a
	// *RefError (ErrUnknownRef) if nothing is committed under ref.
	Release(ctx context.Context, ref string) error
}

// MemoryLedger is a UsageLedger and Usage in memory, for tests, examples
// and single-process hosts. It is safe for concurrent use. The zero
// value is not usable; call NewMemoryLedger.
type MemoryLedger struct {
	mu       sync.Mutex
	counters map[UsageKey]Counter
	refs     map[string][]Use
}

// NewMemoryLedger returns an empty ledger.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{counters: make(map[UsageKey]Counter), refs: make(map[string][]Use)}
}

// Counter returns the counter of key (Usage).
func (l *MemoryLedger) Counter(key UsageKey) Counter {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counters[key]
}

// Commit records uses under ref, all or nothing, checking each against
// its limit.
func (l *MemoryLedger) Commit(ctx context.Context, ref string, uses []Use) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if ref == "" {
		return &InputError{Field: "ref", Reason: ReasonRequired}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := l.refs[ref]; dup {
		return &RefError{Ref: ref, Duplicate: true}
	}
	next := make(map[UsageKey]Counter, len(uses))
	for i, u := range uses {
		if u.Amount.IsNegative() {
			return &InputError{Field: "uses[" + strconv.Itoa(i) + "].amount", Reason: ReasonNegative, Value: u.Amount.String()}
		}
		c, ok := next[u.Key]
		if !ok {
			c = l.counters[u.Key]
		}
		c.Uses++
		spent, err := c.Spent.Add(u.Amount)
		if err != nil {
			return &InputError{Field: "uses[" + strconv.Itoa(i) + "].amount", Reason: ReasonCurrencyMismatch, Err: err}
		}
		c.Spent = spent
		if u.Limit.MaxUses > 0 && c.Uses > u.Limit.MaxUses {
			return &LimitError{Key: u.Key, Limit: u.Limit}
		}
		if !u.Limit.Budget.Currency().IsZero() {
			over, err := c.Spent.Cmp(u.Limit.Budget)
			if err != nil {
				return &InputError{Field: "uses[" + strconv.Itoa(i) + "].limit.budget", Reason: ReasonCurrencyMismatch, Err: err}
			}
			if over > 0 {
				return &LimitError{Key: u.Key, Limit: u.Limit, Budget: true}
			}
		}
		next[u.Key] = c
	}
	for k, c := range next {
		l.counters[k] = c
	}
	l.refs[ref] = slices.Clone(uses)
	return nil
}

// Release takes back the uses committed under ref.
func (l *MemoryLedger) Release(ctx context.Context, ref string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	uses, ok := l.refs[ref]
	if !ok {
		return &RefError{Ref: ref}
	}
	for _, u := range uses {
		c := l.counters[u.Key]
		c.Uses--
		c.Spent = sub(c.Spent, u.Amount)
		if c.Uses <= 0 && c.Spent.IsZero() {
			delete(l.counters, u.Key)
		} else {
			l.counters[u.Key] = c
		}
	}
	delete(l.refs, ref)
	return nil
}

// usageOf reads a counter from a possibly nil Usage.
func usageOf(u Usage, key UsageKey) Counter {
	if u == nil {
		return Counter{}
	}
	return u.Counter(key)
}
