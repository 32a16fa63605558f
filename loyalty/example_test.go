package loyalty_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/loyalty"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store/memory"
)

func Example() {
	programme, err := loyalty.DecodeProgramme([]byte(`{
	  "id": "club", "currency": "RUB", "valid_from": "2026-01-01", "expiry_days": 365,
	  "earn": {"rate": {"points": "1", "for_every": {"amount": "100", "currency": "RUB"}}},
	  "redeem": {"point_value": {"amount": "1", "currency": "RUB"}, "max_share_percent": "30", "min_points": "100"},
	  "tiers": {"window": {"kind": "calendar_year"}, "levels": [
	    {"code": "base", "name": "Base", "name_ru": "Базовый"},
	    {"code": "gold", "name": "Gold", "name_ru": "Золото", "min_spend": {"amount": "50000", "currency": "RUB"}}]},
	  "bonuses": {"welcome": "200"}
	}`))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	svc, err := loyalty.NewService(memory.New(), programme, loyalty.Options{Clock: clock.Options{Now: clock.Fixed(now)}})
	if err != nil {
		panic(err)
	}
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }

	opened, _ := svc.Open(ctx, "client-42", loyalty.Enrolment{})
	fmt.Println("welcome:", opened.Account.Balance)

	earned, _ := svc.Earn(ctx, loyalty.Op{Account: "client-42", Key: "earn:A-1001", By: "pos-3"}, loyalty.Order{
		ID:    "A-1001",
		Lines: []loyalty.Line{{SKU: "tea", Amount: rub("1990")}, {SKU: "cups", Amount: rub("18000")}},
	})
	fmt.Println("earned:", earned.Earning.Points, "balance:", earned.Account.Balance)

	paid, _ := svc.Redeem(ctx, loyalty.Op{Account: "client-42", Key: "pay:A-1002"}, loyalty.Redemption{
		Order: "A-1002", Points: decimal.NewFromInt(150), OrderAmount: rub("1000"),
	})
	fmt.Println("paid", paid.Value, "with 150 points, balance:", paid.Account.Balance)

	advice, _ := svc.Advise(ctx, "client-42", loyalty.Cart{Lines: []loyalty.Line{{SKU: "kettle", Amount: rub("4500")}}})
	for _, n := range advice.Notices {
		// Russian messages keep numbers and units together with
		// non-breaking spaces; plain spaces here, for reading.
		fmt.Printf("%s\n  %s\n  %s\n", n.Code(), n.Message("en"), strings.ReplaceAll(n.Message("ru"), "\u00a0", " "))
	}
	// Output:
	// welcome: 200
	// earned: 199 balance: 399
	// paid RUB 150.00 with 150 points, balance: 249
	// earn
	//   You will earn 45 points for this order.
	//   За этот заказ вы получите 45 баллов.
	// redeem
	//   You can pay up to RUB 249.00 of this order with 249 points.
	//   Баллами можно оплатить до 249,00 ₽ этого заказа — это 249 баллов.
	// next_tier
	//   RUB 30,010.00 more to reach Gold.
	//   Ещё 30 010,00 ₽ до уровня «Золото».
}

// A purchase that crosses a tier threshold earns at each tier's rate for
// the part of it within that tier (the default, CrossingSplit).
func ExampleRules_Earn() {
	p := loyalty.Programme{
		ID: "club", Currency: money.RUB, ValidFrom: loyalty.MustDate(2026, 1, 1),
		Earn: loyalty.EarnRules{
			Rate:        loyalty.SpendRate{Points: decimal.NewFromInt(1), ForEvery: money.MustParse("100", money.RUB)},
			Multipliers: []loyalty.Multiplier{{Tier: "silver", Factor: decimal.RequireFromString("1.5")}},
		},
		Tiers: loyalty.TierRules{Levels: []loyalty.Tier{
			{Code: "base"},
			{Code: "silver", MinSpend: money.MustParse("50000", money.RUB)},
		}},
	}
	rules, err := loyalty.NewRules(p)
	if err != nil {
		panic(err)
	}
	e, _ := rules.Earn(loyalty.Order{
		ID: "A-7", Date: loyalty.MustDate(2026, 3, 2),
		Lines: []loyalty.Line{{Amount: money.MustParse("10000", money.RUB)}},
	}, loyalty.Standing{Tier: "base", Metric: decimal.NewFromInt(45000)})
	for _, s := range e.Segments {
		fmt.Printf("%s RUB at %s: %s\n", s.Metric, s.Tier, s.Factor)
	}
	fmt.Println("points:", e.Points, "new tier:", e.NewTier)
	// Output:
	// 5000 RUB at base: 1
	// 5000 RUB at silver: 1.5
	// points: 125 new tier: silver
}

func ExampleDecodeProgramme() {
	_, err := loyalty.DecodeProgramme([]byte(`{"id": "club", "currency": "RUB", "valid_from": "2026-01-01",
	  "redeem": {"point_value": {"amount": "1", "currency": "RUB"}, "max_share_percent": "130"}}`))
	fmt.Println(err)
	// Output:
	// loyalty: redeem.max_share_percent is out of range ("130"): above 0 and at most 100
}

func ExampleNotice_Message() {
	n := loyalty.Notice{Kind: loyalty.NoticeExpiring, Points: decimal.NewFromInt(150), Date: loyalty.MustDate(2026, 3, 31)}
	fmt.Println(n.Message("en"))
	fmt.Println(strings.ReplaceAll(n.Message("ru"), "\u00a0", " ")) // non-breaking spaces shown as spaces
	// Output:
	// 150 points will expire after 31 March 2026.
	// 150 баллов сгорят после 31 марта 2026.
}
