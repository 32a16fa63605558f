package discount_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

func TestMemoryLedger(t *testing.T) {
	ctx := context.Background()
	l := discount.NewMemoryLedger()
	key := discount.UsageKey{Rule: "r"}
	limit := discount.Limit{MaxUses: 2, Budget: rub("100")}
	use := func(amount string) []discount.Use {
		return []discount.Use{{Key: key, Amount: rub(amount), Limit: limit}, {Key: discount.UsageKey{Coupon: "X"}, Amount: rub(amount)}}
	}

	require.NoError(t, l.Commit(ctx, "o1", use("60")))
	assert.Equal(t, discount.Counter{Uses: 1, Spent: rub("60")}, l.Counter(key))

	err := l.Commit(ctx, "o1", use("1"))
	var refErr *discount.RefError
	require.ErrorAs(t, err, &refErr)
	assert.ErrorIs(t, err, discount.ErrDuplicateRef)

	err = l.Commit(ctx, "o2", use("40.01"))
	var le *discount.LimitError
	require.ErrorAs(t, err, &le)
	assert.True(t, le.Budget)
	assert.ErrorIs(t, err, discount.ErrLimitExceeded)
	assert.Contains(t, le.Message("ru"), "бюджет")
	assert.Equal(t, int64(0), l.Counter(discount.UsageKey{Coupon: "X"}).Uses-1, "a refused commit records nothing")

	require.NoError(t, l.Commit(ctx, "o2", use("40")))
	err = l.Commit(ctx, "o3", use("0"))
	require.ErrorAs(t, err, &le)
	assert.False(t, le.Budget, "the third use is over the limit of two")

	require.NoError(t, l.Release(ctx, "o1"))
	assert.Equal(t, int64(1), l.Counter(key).Uses)
	assert.Equal(t, "RUB 40.00", l.Counter(key).Spent.String())
	err = l.Release(ctx, "o1")
	assert.ErrorIs(t, err, discount.ErrUnknownRef)

	err = l.Commit(ctx, "o4", []discount.Use{{Key: key, Amount: money.MustParse("1", money.USD)}})
	var ie *discount.InputError
	require.ErrorAs(t, err, &ie)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, l.Commit(cancelled, "o5", nil), context.Canceled)
	assert.Error(t, l.Commit(ctx, "", nil))
}

// Many carts take the last uses at once: the ledger lets exactly the
// limit through.
func TestMemoryLedgerConcurrent(t *testing.T) {
	ctx := context.Background()
	l := discount.NewMemoryLedger()
	key := discount.UsageKey{Coupon: "LAST10"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Commit(ctx, "o"+string(rune('A'+i)), []discount.Use{{Key: key, Amount: rub("1"), Limit: discount.Limit{MaxUses: 10}}})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else if !errors.Is(err, discount.ErrLimitExceeded) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 10, ok)
	assert.Equal(t, int64(10), l.Counter(key).Uses)
}

// Pricing reads the ledger as its usage snapshot, and the uses it lists
// commit cleanly.
func TestPriceCommitRelease(t *testing.T) {
	ctx := context.Background()
	e := newEngine(t, discount.Options{},
		`{"id":"once","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"percent_off","percent":"10"},
		  "limits":{"per_customer":{"max_uses":1},"total":{"budget":{"amount":"150","currency":"RUB"}}}}`)
	l := discount.NewMemoryLedger()
	c := cartOf(ln("A", "1", "1000"))
	first := priceOK(t, e, c, l)
	assert.Equal(t, rubs("100"), discounts(first))
	require.NoError(t, l.Commit(ctx, "o1", first.Uses))

	again := priceOK(t, e, c, l)
	assert.Equal(t, []string{"once:limit_exhausted"}, reasons(again))

	other := c
	other.Customer = discount.Customer{ID: "cust-2"}
	second := priceOK(t, e, other, l)
	assert.Equal(t, rubs("50"), discounts(second), "only 50 of the budget is left")
	require.NoError(t, l.Commit(ctx, "o2", second.Uses))

	third := priceOK(t, e, discount.Cart{Currency: money.RUB, At: t0, Customer: discount.Customer{ID: "cust-3"}, Lines: c.Lines}, l)
	assert.Equal(t, []string{"once:limit_exhausted"}, reasons(third))
	assert.True(t, third.NotApplied[0].Budget)

	require.NoError(t, l.Release(ctx, "o1"))
	assert.Equal(t, rubs("100"), discounts(priceOK(t, e, c, l)))
}
