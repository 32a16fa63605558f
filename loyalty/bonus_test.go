package loyalty_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

func TestBirthdayYear(t *testing.T) {
	p := retail()
	p.Bonuses.Birthday = loyalty.BirthdayBonus{Points: pts("500"), DaysBefore: 3, DaysAfter: 3}
	r := mustRules(t, p)
	leapling := loyalty.Birthday{Month: time.February, Day: 29}
	jan2 := loyalty.Birthday{Year: 1990, Month: time.January, Day: 2}
	dec30 := loyalty.Birthday{Month: time.December, Day: 30}
	cases := []struct {
		b    loyalty.Birthday
		on   loyalty.Date
		year int
		ok   bool
	}{
		{leapling, day(2027, 2, 25), 2027, true}, // falls on 28 Feb in 2027
		{leapling, day(2027, 3, 3), 2027, true},
		{leapling, day(2027, 3, 4), 0, false},
		{leapling, day(2027, 2, 24), 0, false},
		{leapling, day(2028, 3, 3), 2028, true}, // 29 Feb 2028
		{leapling, day(2028, 3, 4), 0, false},
		{jan2, day(2025, 12, 30), 2026, true}, // the window crosses New Year
		{jan2, day(2025, 12, 29), 0, false},
		{dec30, day(2027, 1, 2), 2026, true},
		{dec30, day(2027, 1, 3), 0, false},
	}
	for _, c := range cases {
		year, ok := r.BirthdayYear(c.b, c.on)
		assert.Equal(t, c.ok, ok, "%v on %s", c.b, c.on)
		assert.Equal(t, c.year, year, "%v on %s", c.b, c.on)
	}
	_, ok := r.BirthdayYear(loyalty.Birthday{Month: time.February, Day: 30}, day(2026, 3, 1))
	assert.False(t, ok)
}

func TestBirthdayBonusOncePerYear(t *testing.T) {
	p := retail()
	p.Bonuses.Birthday = loyalty.BirthdayBonus{Points: pts("500"), DaysBefore: 7, DaysAfter: 7}
	p.Bonuses.ExpiryDays = 30
	e := newEnv(t, p)
	e.open("c")
	b := loyalty.Birthday{Year: 1985, Month: time.March, Day: 5}
	res, err := e.svc.BirthdayBonus(e.ctx, "c", b, "")
	require.NoError(t, err)
	require.Len(t, res.Entries, 1)
	assert.Equal(t, loyalty.SourceBirthday, res.Entries[0].Source)
	assert.Equal(t, day(2026, 4, 1), res.Entries[0].Expires, "bonus points last 30 days")
	e.on(day(2026, 3, 10))
	again, err := e.svc.BirthdayBonus(e.ctx, "c", b, "")
	require.NoError(t, err)
	assert.True(t, again.Replayed, "once a year")
	equalDec(t, "500", e.account("c").Balance)

	e.on(day(2026, 3, 13))
	_, err = e.svc.BirthdayBonus(e.ctx, "c", b, "")
	var re *loyalty.RuleError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, loyalty.RuleBirthdayWindow, re.Rule)

	e.on(day(2027, 3, 1))
	res, err = e.svc.BirthdayBonus(e.ctx, "c", b, "")
	require.NoError(t, err)
	assert.False(t, res.Replayed, "next year, again")
	e.check("c")
}

func TestWelcomeBonus(t *testing.T) {
	p := retail()
	p.Bonuses.Welcome = pts("100")
	e := newEnv(t, p)
	rec, err := e.svc.Open(e.ctx, "c", loyalty.Enrolment{})
	require.NoError(t, err)
	equalDec(t, "100", rec.Account.Balance)
	rec, err = e.svc.Open(e.ctx, "c", loyalty.Enrolment{})
	require.NoError(t, err, "opening again is harmless")
	assert.True(t, rec.Replayed)
	equalDec(t, "100", e.account("c").Balance)

	e.on(day(2025, 12, 31))
	_, err = e.svc.Open(e.ctx, "early", loyalty.Enrolment{})
	require.ErrorIs(t, err, loyalty.ErrInvalid, "the programme starts on 1 January")
}

func TestReferralBonus(t *testing.T) {
	p := retail()
	p.Bonuses.Referral = loyalty.ReferralBonus{Referrer: pts("300"), Referred: pts("200")}
	e := newEnv(t, p)
	e.open("old")
	_, err := e.svc.Open(e.ctx, "new", loyalty.Enrolment{ReferredBy: "old"})
	require.NoError(t, err)

	// An order paid entirely with points is not a paid order.
	e.adjust("new", "seed", "100")
	_, err = e.svc.Redeem(e.ctx, op("new", "pay-0"), loyalty.Redemption{Order: "o0", Points: pts("100"), OrderAmount: rub("400")})
	require.NoError(t, err)
	o := order("o0", "100")
	o.PointsPaid = rub("100")
	rec := e.earn("new", o)
	assert.Empty(t, rec.Bonuses)

	rec = e.earn("new", order("o1", "1000"))
	require.Len(t, rec.Bonuses, 2)
	equalDec(t, "210", e.account("new").Balance) // 10 + 200
	equalDec(t, "300", e.account("old").Balance)

	// Repeating the first order's earn posts nothing new, bonuses included.
	rec = e.earn("new", order("o1", "1000"))
	assert.True(t, rec.Replayed)
	require.Len(t, rec.Bonuses, 2)
	assert.True(t, rec.Bonuses[0].Replayed && rec.Bonuses[1].Replayed)
	rec = e.earn("new", order("o2", "1000"))
	assert.Empty(t, rec.Bonuses, "only after the first paid order")
	equalDec(t, "220", e.account("new").Balance)
	equalDec(t, "300", e.account("old").Balance)
	e.check("new")
	e.check("old")

	_, err = e.svc.Open(e.ctx, "self", loyalty.Enrolment{ReferredBy: "self"})
	require.ErrorIs(t, err, loyalty.ErrInvalid)
}
