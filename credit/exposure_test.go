package credit

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/money"
)

func docParts() ExposureParts {
	return ExposureParts{OpenReceivables: rub("400000"), UnbilledOrders: rub("250000"), ShippedNotInvoiced: rub("100000"),
		OverdueAmount: rub("50000"), MaxDaysOverdue: 20}
}

func TestDecideTable(t *testing.T) {
	hold := Policy{Mode: ModeHold, Limit: rub("1000000"), OverdueThreshold: rub("50000"), MaxDaysOverdue: 30}
	with := func(f func(*Policy)) Policy {
		p := hold
		f(&p)
		return p
	}
	controller := &Override{By: "u-cc", CreditController: true, Note: "paid by wire today"}
	deputy := &Override{By: "u-dep", DeputyOfCreditController: true, OnBehalfOf: "u-cc"}
	tests := []struct {
		name     string
		policy   Policy
		parts    ExposureParts
		order    string
		override *Override
		outcome  Outcome
		fired    []Rule
		codes    []string
	}{
		{"equal to the limit passes", hold, docParts(), "250000", nil, OutcomeApproved, nil, []string{"within_limit"}},
		{"a kopeck over the limit", hold, docParts(), "250000.01", nil, OutcomeHeld, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_hold"}},
		{"warn", with(func(p *Policy) { p.Mode = ModeWarn }), docParts(), "300000", nil, OutcomeWarned, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_warn"}},
		{"block", with(func(p *Policy) { p.Mode = ModeBlock }), docParts(), "300000", nil, OutcomeBlocked, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_block"}},
		{"off", with(func(p *Policy) { p.Mode = ModeOff }), docParts(), "9000000", nil, OutcomeApproved, nil, []string{"credit_control_off"}},
		{"overdue equal to the threshold passes", hold, docParts(), "1", nil, OutcomeApproved, nil, []string{"within_limit"}},
		{"overdue above the threshold", with(func(p *Policy) { p.OverdueThreshold = rub("49999.99") }), docParts(), "1", nil, OutcomeHeld,
			[]Rule{RuleOverdueAmount}, []string{"within_limit", "overdue_amount_exceeded", "mode_hold"}},
		{"overdue too long", with(func(p *Policy) { p.MaxDaysOverdue = 19 }), docParts(), "1", nil, OutcomeHeld,
			[]Rule{RuleOverdueDays}, []string{"within_limit", "overdue_days_exceeded", "mode_hold"}},
		{"any overdue with a zero threshold", with(func(p *Policy) { p.OverdueThreshold = rub("0"); p.MaxDaysOverdue = 0 }), docParts(), "1", nil, OutcomeHeld,
			[]Rule{RuleOverdueAmount}, []string{"within_limit", "overdue_amount_exceeded", "mode_hold"}},
		{"every rule", with(func(p *Policy) {
			p.Limit = rub("0")
			p.OverdueThreshold = rub("0")
			p.MaxDaysOverdue = 1
			p.Mode = ModeBlock
		}), docParts(), "1", nil, OutcomeBlocked,
			[]Rule{RuleCreditLimit, RuleOverdueAmount, RuleOverdueDays}, []string{"limit_exceeded", "overdue_amount_exceeded", "overdue_days_exceeded", "mode_block"}},
		{"no limit, no overdue rules", Policy{Mode: ModeBlock}, docParts(), "99999999", nil, OutcomeApproved, nil, []string{"no_limit"}},
		{"controller overrides a hold", hold, docParts(), "300000", controller, OutcomeOverridden, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_hold", "overridden"}},
		{"deputy overrides a block", with(func(p *Policy) { p.Mode = ModeBlock }), docParts(), "300000", deputy, OutcomeOverridden, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_block", "overridden"}},
		{"override not needed", hold, docParts(), "1", controller, OutcomeApproved, nil, []string{"within_limit"}},
		{"a warning is not overridden", with(func(p *Policy) { p.Mode = ModeWarn }), docParts(), "300000", controller, OutcomeWarned, []Rule{RuleCreditLimit}, []string{"limit_exceeded", "mode_warn"}},
		{"empty parts count as zero", hold, ExposureParts{}, "1000000", nil, OutcomeApproved, nil, []string{"within_limit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dd, err := Decide(OrderCheck{ClientID: "c1", Order: rub(tc.order), Override: tc.override}, tc.policy, tc.parts, testAt)
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, dd.Outcome)
			assert.Equal(t, tc.fired, dd.Fired)
			assert.Equal(t, tc.codes, codesOf(dd.Reasons))
			assert.Equal(t, "credit_"+string(tc.outcome), dd.Code())
			assert.Equal(t, tc.outcome != OutcomeHeld && tc.outcome != OutcomeBlocked, dd.Allowed())
			assert.Equal(t, testAt, dd.At)
			assert.NotEmpty(t, dd.Message("ru"))
			for _, r := range dd.Reasons {
				assert.NotEmpty(t, r.EN)
				assert.NotEmpty(t, r.RU)
			}
			if tc.outcome == OutcomeOverridden {
				require.NotNil(t, dd.Override)
				assert.Equal(t, tc.override.By, dd.Override.By)
			} else {
				assert.Nil(t, dd.Override)
			}
		})
	}
}

func TestDecisionCarriesTheNumbers(t *testing.T) {
	policy := Policy{Mode: ModeHold, Limit: rub("1000000"), OverdueThreshold: rub("10000"), MaxDaysOverdue: 30}
	dd, err := Decide(OrderCheck{ClientID: "c1", Order: rub("300000")}, policy, docParts(), testAt)
	require.NoError(t, err)
	assert.True(t, dd.Exposure.Equal(rub("1050000")))
	assert.True(t, dd.Limit.Equal(rub("1000000")))
	assert.True(t, dd.Headroom.Equal(rub("-50000")))
	assert.True(t, dd.Parts.OpenReceivables.Equal(rub("400000")))
	assert.True(t, dd.Parts.UnbilledOrders.Equal(rub("250000")))
	assert.True(t, dd.Parts.ShippedNotInvoiced.Equal(rub("100000")))
	assert.True(t, dd.Parts.OverdueAmount.Equal(rub("50000")))
	assert.True(t, dd.OverdueThreshold.Equal(rub("10000")))
	assert.Equal(t, 30, dd.DaysOverdueAllowed)
	assert.Equal(t, []Rule{RuleCreditLimit, RuleOverdueAmount}, dd.Fired)
	assert.Equal(t, "exposure RUB 1,050,000.00 exceeds the credit limit RUB 1,000,000.00 by RUB 50,000.00 (open receivables RUB 400,000.00 + unbilled orders RUB 250,000.00 + shipped not invoiced RUB 100,000.00 + this order RUB 300,000.00)", dd.Reasons[0].Message("en"))
	assert.Contains(t, dd.Reasons[0].Message("ru"), "превышает лимит 1\u00a0000\u00a0000,00\u00a0₽ на 50\u00a0000,00\u00a0₽")
	assert.Equal(t, "overdue receivables RUB 50,000.00 exceed the threshold RUB 10,000.00", dd.Reasons[1].EN)
	assert.Contains(t, dd.Explain("ru"), "кредитный контроль: заказ ожидает решения кредитного контролёра\n- ")
}

func TestDecideBadInput(t *testing.T) {
	hold := Policy{Mode: ModeHold, Limit: rub("1000")}
	tests := []struct {
		name   string
		req    OrderCheck
		policy Policy
		parts  ExposureParts
		field  string
		reason string
	}{
		{"no order", OrderCheck{}, hold, ExposureParts{}, "order", CodeRequired},
		{"negative order", OrderCheck{Order: rub("-1")}, hold, ExposureParts{}, "order", CodeNegative},
		{"negative receivables", OrderCheck{Order: rub("1")}, hold, ExposureParts{OpenReceivables: rub("-5")}, "exposure.open_receivables", CodeNegative},
		{"parts in another currency", OrderCheck{Order: rub("1")}, hold, ExposureParts{UnbilledOrders: money.MustParse("5", money.USD)}, "exposure.unbilled_orders", CodeCurrency},
		{"negative shipped", OrderCheck{Order: rub("1")}, hold, ExposureParts{ShippedNotInvoiced: rub("-0.01")}, "exposure.shipped_not_invoiced", CodeNegative},
		{"overdue above open", OrderCheck{Order: rub("1")}, hold, ExposureParts{OpenReceivables: rub("5"), OverdueAmount: rub("6")}, "exposure.overdue_amount", CodeInconsistent},
		{"negative days", OrderCheck{Order: rub("1")}, hold, ExposureParts{MaxDaysOverdue: -1}, "exposure.max_days_overdue", CodeNegative},
		{"limit in another currency", OrderCheck{Order: money.MustParse("1", money.USD)}, hold, ExposureParts{}, "policy.limit", CodeCurrency},
		{"no mode", OrderCheck{Order: rub("1")}, Policy{}, ExposureParts{}, "policy.mode", CodeRequired},
		{"unknown mode", OrderCheck{Order: rub("1")}, Policy{Mode: "pray"}, ExposureParts{}, "policy.mode", CodeUnknownValue},
		{"negative limit", OrderCheck{Order: rub("1")}, Policy{Mode: ModeHold, Limit: rub("-1")}, ExposureParts{}, "policy.limit", CodeNegative},
		{"negative days allowed", OrderCheck{Order: rub("1")}, Policy{Mode: ModeHold, MaxDaysOverdue: -3}, ExposureParts{}, "policy.max_days_overdue", CodeNegative},
		{"threshold in another currency", OrderCheck{Order: rub("1")}, Policy{Mode: ModeHold, Limit: rub("1"), OverdueThreshold: money.MustParse("1", money.EUR)}, ExposureParts{}, "policy.overdue_threshold", CodeCurrency},
		{"override without a name", OrderCheck{Order: rub("1"), Override: &Override{CreditController: true}}, hold, ExposureParts{}, "override.by", CodeRequired},
		{"deputy for nobody", OrderCheck{Order: rub("1"), Override: &Override{By: "u", DeputyOfCreditController: true}}, hold, ExposureParts{}, "override.on_behalf_of", CodeRequired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decide(tc.req, tc.policy, tc.parts, testAt)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.field, ie.Field)
			assert.Equal(t, tc.reason, ie.Code())
		})
	}

	_, err := Decide(OrderCheck{Order: rub("5000"), Override: &Override{By: "manager-7"}}, hold, ExposureParts{}, testAt)
	assert.ErrorIs(t, err, ErrOverrideNotAllowed)
	var oe *OverrideError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "manager-7", oe.By)
	assert.Equal(t, CodeOverrideNotAllowed, oe.Code())
	assert.Contains(t, oe.Message("ru"), "кредитный контролёр")
}

type fakeSource struct {
	parts map[string]ExposureParts
	err   error
	calls int
}

func (f *fakeSource) Exposure(ctx context.Context, clientID string, at time.Time) (ExposureParts, error) {
	f.calls++
	if f.err != nil {
		return ExposureParts{}, f.err
	}
	return f.parts[clientID], nil
}

func TestChecker(t *testing.T) {
	src := &fakeSource{parts: map[string]ExposureParts{"vip": docParts(), "shop": docParts(), "new": {}}}
	c := Checker{Source: src, Policies: Policies{
		Default: Policy{Mode: ModeBlock, Limit: rub("100000")},
		Groups:  map[string]Policy{"retail": {Mode: ModeWarn, Limit: rub("500000")}},
		Clients: map[string]Policy{"vip": {Mode: ModeHold, Limit: rub("5000000")}},
	}}
	ctx := context.Background()
	tests := []struct {
		client, group string
		level         Level
		outcome       Outcome
	}{
		{"vip", "retail", LevelClient, OutcomeApproved},
		{"shop", "retail", LevelGroup, OutcomeWarned},
		{"shop", "", LevelDefault, OutcomeBlocked},
		{"new", "wholesale", LevelDefault, OutcomeApproved},
	}
	for _, tc := range tests {
		dd, err := c.Check(ctx, OrderCheck{ClientID: tc.client, Group: tc.group, Order: rub("50000")}, testAt)
		require.NoError(t, err)
		assert.Equal(t, tc.level, dd.Level, tc.client)
		assert.Equal(t, tc.outcome, dd.Outcome, tc.client)
	}

	src.err = errors.New("ledger down")
	_, err := c.Check(ctx, OrderCheck{ClientID: "vip", Order: rub("1")}, testAt)
	assert.ErrorIs(t, err, ErrSource)
	var se *SourceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "vip", se.ClientID)
	assert.Contains(t, se.Message("ru"), "ledger down")

	// off: the source is not asked
	calls := src.calls
	off := Checker{Source: src, Policies: Policies{Default: Policy{Mode: ModeOff}}}
	dd, err := off.Check(ctx, OrderCheck{ClientID: "vip", Order: rub("1")}, testAt)
	require.NoError(t, err)
	assert.Equal(t, OutcomeApproved, dd.Outcome)
	assert.Equal(t, calls, src.calls)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	src.err = nil
	_, err = c.Check(cancelled, OrderCheck{ClientID: "vip", Order: rub("1")}, testAt)
	assert.ErrorIs(t, err, context.Canceled)

	bad := Checker{Source: src, Policies: Policies{Default: Policy{Mode: ModeHold}, Groups: map[string]Policy{"x": {Mode: "maybe"}}}}
	_, err = bad.Check(ctx, OrderCheck{ClientID: "vip", Group: "x", Order: rub("1")}, testAt)
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, `policies.groups["x"].mode`, ie.Field)
	_, err = c.Check(ctx, OrderCheck{Order: rub("1")}, testAt)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "client_id", ie.Field)
}

// genAmount draws a kopeck amount in RUB between 0 and max kopecks.
func genAmount(t *rapid.T, label string, max int64) money.Amount {
	a, _ := money.FromMinor(rapid.Int64Range(0, max).Draw(t, label), money.RUB)
	return a
}

func TestDecideProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		open := genAmount(t, "open", 1e10)
		overdue, _ := money.FromMinor(rapid.Int64Range(0, must(open.Minor())).Draw(t, "overdue"), money.RUB)
		parts := ExposureParts{OpenReceivables: open, OverdueAmount: overdue,
			UnbilledOrders: genAmount(t, "unbilled", 1e10), ShippedNotInvoiced: genAmount(t, "shipped", 1e10),
			MaxDaysOverdue: rapid.IntRange(0, 400).Draw(t, "days")}
		policy := Policy{
			Mode:             rapid.SampledFrom([]Mode{ModeOff, ModeWarn, ModeHold, ModeBlock}).Draw(t, "mode"),
			Limit:            genAmount(t, "limit", 5e10),
			OverdueThreshold: genAmount(t, "threshold", 1e10),
			MaxDaysOverdue:   rapid.IntRange(0, 400).Draw(t, "max_days"),
		}
		a, b := genAmount(t, "order_a", 3e10), genAmount(t, "order_b", 3e10)
		if a.Decimal().GreaterThan(b.Decimal()) {
			a, b = b, a
		}
		da, err := Decide(OrderCheck{Order: a}, policy, parts, testAt)
		if err != nil {
			t.Fatal(err)
		}
		db, err := Decide(OrderCheck{Order: b}, policy, parts, testAt)
		if err != nil {
			t.Fatal(err)
		}
		// monotonic: a larger order never gets a milder outcome, nor fewer rules
		if da.Outcome.Severity() > db.Outcome.Severity() {
			t.Fatalf("order %s: %s, larger order %s: %s", a, da.Outcome, b, db.Outcome)
		}
		for _, r := range da.Fired {
			if !slices.Contains(db.Fired, r) {
				t.Fatalf("rule %s fired for %s but not for the larger %s", r, a, b)
			}
		}
		// exposure is the sum of the parts
		sum, _ := money.Sum(parts.OpenReceivables, parts.UnbilledOrders, parts.ShippedNotInvoiced, a)
		if !da.Exposure.Equal(sum) {
			t.Fatalf("exposure %s, parts sum to %s", da.Exposure, sum)
		}
		// the limit rule fires exactly when exposure > limit
		crossed := policy.Mode != ModeOff && da.Exposure.Decimal().GreaterThan(policy.Limit.Decimal())
		if slices.Contains(da.Fired, RuleCreditLimit) != crossed {
			t.Fatalf("exposure %s, limit %s: fired %v", da.Exposure, policy.Limit, da.Fired)
		}
		// an order that brings exposure exactly to the limit passes the limit rule
		base, _ := money.Sum(parts.OpenReceivables, parts.UnbilledOrders, parts.ShippedNotInvoiced)
		if room, _ := policy.Limit.Sub(base); !room.IsNegative() {
			de, err := Decide(OrderCheck{Order: room}, policy, parts, testAt)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(de.Fired, RuleCreditLimit) || !de.Exposure.Equal(policy.Limit) {
				t.Fatalf("exposure equal to the limit %s fired the limit rule", policy.Limit)
			}
			one, _ := money.FromMinor(1, money.RUB)
			over, _ := room.Add(one)
			do, err := Decide(OrderCheck{Order: over}, policy, parts, testAt)
			if err != nil {
				t.Fatal(err)
			}
			if policy.Mode != ModeOff && !slices.Contains(do.Fired, RuleCreditLimit) {
				t.Fatalf("a kopeck over the limit %s did not fire the limit rule", policy.Limit)
			}
		}
	})
}

func must[T any](v T, ok bool) T {
	if !ok {
		panic("not ok")
	}
	return v
}
