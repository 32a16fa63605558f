package loyalty

import (
	"context"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Liability is what the programme owes its clients as of a day, for
// finance, and how many of them come back.
type Liability struct {
	AsOf Date
	// Accounts is the number of accounts in the programme.
	Accounts int
	// Points is the outstanding points: available, reserved, and earned
	// after AsOf — everything the clients still have a claim to. Value is
	// their money value at the programme's point value, rounded once to
	// the minor unit with its ValueRounding.
	Points decimal.Decimal
	Value  money.Amount
	// Available, Reserved and Pending split Points.
	Available decimal.Decimal
	Reserved  decimal.Decimal
	Pending   decimal.Decimal
	// Expired is in lots past their expiry on AsOf that no expiry run has
	// written off yet: not owed, and not in Points.
	Expired decimal.Decimal
	// Debt is what clients owe back from returns (not netted off Points).
	Debt decimal.Decimal
	// Buyers counts the clients with at least one paid order, Repeat those
	// with two or more (orders returned in full do not count).
	Buyers int
	Repeat int
}

// Add adds one account's balance to the liability.
func (l *Liability) Add(a Account, b Balance) {
	l.Accounts++
	l.Available = normalize(l.Available.Add(b.Available))
	l.Reserved = normalize(l.Reserved.Add(b.Reserved))
	l.Pending = normalize(l.Pending.Add(b.Pending))
	l.Expired = normalize(l.Expired.Add(b.Expired))
	l.Debt = normalize(l.Debt.Add(b.Debt))
	l.Points = normalize(l.Points.Add(b.Outstanding()))
	if a.PaidOrders >= 1 {
		l.Buyers++
	}
	if a.Repeat() {
		l.Repeat++
	}
}

// Liability sums the programme's outstanding points and their value as of
// a day (Balance explains "as of"), streaming the accounts so that its
// memory does not grow with their number.
func (s *Service) Liability(ctx context.Context, asOf Date) (Liability, error) {
	if !asOf.Valid() {
		return Liability{}, invalid("as_of", ReasonBadDate, asOf.String())
	}
	l := Liability{AsOf: asOf}
	err := s.eachAccount(ctx, func(a Account) error {
		b, err := s.st.Balance(ctx, a.ID, BalanceQuery{AsOf: asOf})
		if err != nil {
			return err
		}
		l.Add(a, b)
		return nil
	})
	if err != nil {
		return Liability{}, err
	}
	l.Value = s.rules.value(l.Points)
	return l, nil
}
