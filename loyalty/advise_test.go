package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/loyalty"
)

func TestAdvise(t *testing.T) {
	p := tiered(retail())
	p.ExpiryDays = 30
	e := newEnv(t, p)
	e.open("c")
	e.on(day(2026, 3, 1))
	e.earn("c", order("o1", "38000")) // 380 points, usable through 31 March
	e.on(day(2026, 3, 10))
	e.adjust("c", "bonus", "21") // through 9 April

	adv, err := e.svc.Advise(e.ctx, "c", loyalty.Cart{Lines: lines("1000")})
	require.NoError(t, err)
	var en, ru, codes []string
	for _, n := range adv.Notices {
		codes = append(codes, n.Code())
		en = append(en, n.Message("en"))
		ru = append(ru, n.Message("ru-RU"))
	}
	assert.Equal(t, []string{"earn", "redeem", "next_tier", "expiring", "expiring"}, codes)
	assert.Equal(t, []string{
		"You will earn 10 points for this order.",
		"You can pay up to RUB 300.00 of this order with 300 points.",
		"RUB 12,000.00 more to reach Silver.",
		"380 points will expire after 31 March 2026.",
		"21 points will expire after 9 April 2026.",
	}, en)
	assert.Equal(t, []string{
		"За этот заказ вы получите 10\u00a0баллов.",
		"Баллами можно оплатить до 300,00\u00a0₽ этого заказа — это 300\u00a0баллов.",
		"Ещё 12\u00a0000,00\u00a0₽ до уровня «Серебро».",
		"380\u00a0баллов сгорят после 31 марта 2026.",
		"21\u00a0балл сгорит после 9 апреля 2026.",
	}, ru)
	assert.Equal(t, "silver", adv.NextTier)
	equalDec(t, "12000", adv.ToNext)
	equalDec(t, "401", adv.Balance.Available)
	equalDec(t, "300", adv.Redeem.Points)
	assert.Empty(t, e.entries("c")[2:], "advice writes nothing")
}

func TestAdviseOtherNotices(t *testing.T) {
	p := tiered(retail())
	p.Earn.MinOrder = rub("500")
	p.Redeem.MinPoints = pts("100")
	p.ValidTo = day(2026, 12, 31)
	p.Returns.AllowDebt = true
	r := mustRules(t, p)
	acct := loyalty.Account{ID: "c", Tier: "base"}
	codes := func(adv loyalty.Advice) []string {
		var out []string
		for _, n := range adv.Notices {
			out = append(out, n.Code()+": "+n.Message("en"))
		}
		return out
	}

	adv, err := r.Advise(acct, loyalty.Balance{Available: pts("40"), Debt: pts("3")}, loyalty.Standing{Tier: "base", Metric: pts("49000")}, lines("400"), day(2026, 3, 1))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"earn_below_minimum: Add RUB 100.00 more to earn points: orders from RUB 500.00 earn.",
		"redeem_below_minimum: You have 40 points; paying with points takes at least 100 points.",
		"next_tier: RUB 1,000.00 more to reach Silver.",
		"debt: You owe 3 points from a return; they will be taken from the points you earn next.",
	}, codes(adv))
	assert.Equal(t, "Добавьте ещё 100,00\u00a0₽, чтобы получить баллы: они начисляются за заказы от 500,00\u00a0₽.", adv.Notices[0].Message("ru"))

	adv, err = r.Advise(acct, loyalty.Balance{}, loyalty.Standing{Tier: "base", Metric: pts("49000")}, lines("2000"), day(2026, 3, 1))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"earn: You will earn 25 points for this order.",
		"tier_with_cart: This order takes you to Silver.",
	}, codes(adv))
	assert.Equal(t, "gold", adv.NextTier)
	assert.Equal(t, "С этим заказом вы перейдёте на уровень «Серебро».", adv.Notices[1].Message("ru"))

	adv, err = r.Advise(loyalty.Account{ID: "c", Tier: "gold"}, loyalty.Balance{}, loyalty.Standing{Tier: "gold"}, lines("100"), day(2027, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"earn_outside_window: This order earns no points: the programme does not run on 1 January 2027.",
		"top_tier: You are in the top tier, Gold.",
	}, codes(adv))
	assert.Equal(t, "У вас высший уровень — «Золото».", adv.Notices[1].Message("ru"))
}

func TestPointsInRussian(t *testing.T) {
	for n, want := range map[string]string{
		"1": "1\u00a0балл", "2": "2\u00a0балла", "4": "4\u00a0балла", "5": "5\u00a0баллов", "11": "11\u00a0баллов",
		"12": "12\u00a0баллов", "21": "21\u00a0балл", "22": "22\u00a0балла", "111": "111\u00a0баллов",
		"1000": "1\u00a0000\u00a0баллов", "1.5": "1,5\u00a0балла", "0": "0\u00a0баллов",
	} {
		got := loyalty.Notice{Kind: loyalty.NoticeEarn, Points: pts(n)}.Message("ru")
		assert.Equal(t, "За этот заказ вы получите "+want+".", got, n)
	}
	assert.Equal(t, "You will earn 1 point for this order.", loyalty.Notice{Kind: loyalty.NoticeEarn, Points: pts("1")}.Message("en"))
	assert.Equal(t, "You will earn 12,345.5 points for this order.", loyalty.Notice{Kind: loyalty.NoticeEarn, Points: pts("12345.5")}.String())
}
