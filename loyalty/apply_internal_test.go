package loyalty

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A draw that would go past lots which may stop short of the account's
// usable lots is refused as incomplete; past lots that hold every usable
// lot it takes what there is. (Needs and the draws of Apply agree, so this
// guards them against drifting apart.)
func TestDrawStopsAtTheLotsGiven(t *testing.T) {
	d := Date{Year: 2026, Month: 3, Day: 1}
	lot := func(id int64, points string, expires Date) Lot {
		p := decimal.RequireFromString(points)
		return Lot{ID: id, Earned: Date{Year: 2026, Month: 1, Day: 1}, Expires: expires, Points: p, Remaining: p}
	}
	later := Date{Year: 2026, Month: 6, Day: 1}
	s := State{
		Account:   Account{ID: "a", Balance: decimal.NewFromInt(60), LastSeq: 3},
		Lots:      []Lot{lot(1, "10", Date{Year: 2026, Month: 4, Day: 1}), lot(2, "20", later)},
		OrderLots: []Lot{lot(3, "30", Date{})},
	}
	p := Posting{Account: "a", Key: "k", Fingerprint: "f", Kind: PostRedeem, Points: decimal.NewFromInt(25), Date: d}
	w := newWork(s, p)

	// The lots given cover the 25 asked for: a draw of 40 would need the
	// order's lot beyond them, and lots between may be missing.
	_, _, err := w.draw(decimal.NewFromInt(40), false)
	var re *RuleError
	require.True(t, errors.As(err, &re), "%v", err)
	assert.Equal(t, RuleStateIncomplete, re.Rule)
	draws, taken, err := w.draw(decimal.NewFromInt(25), false)
	require.NoError(t, err)
	assert.True(t, decimal.NewFromInt(25).Equal(taken))
	assert.Len(t, draws, 2)

	// Asked for 50, the lots given (30) must be every usable lot: the
	// order's lot beyond them may be used.
	p.Points = decimal.NewFromInt(50)
	w = newWork(s, p)
	_, taken, err = w.draw(decimal.NewFromInt(50), false)
	require.NoError(t, err)
	assert.True(t, decimal.NewFromInt(50).Equal(taken))
}
