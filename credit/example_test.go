package credit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/credit"
	"github.com/crmkit/crmkit/money"
)

const cardJSON = `{
  "name": "smb-2026",
  "base_points": 500,
  "characteristics": [
    {"name": "utilisation", "kind": "numeric",
     "reason": {"code": "high_utilisation", "en": "High utilisation of the credit line", "ru": "Высокая загрузка кредитной линии"},
     "bins": [{"high": 0.3, "points": 40}, {"low": 0.3, "high": 0.7, "points": 20}, {"low": 0.7, "points": 0}],
     "missing": {"points": 10}},
    {"name": "years_in_business", "kind": "numeric",
     "bins": [{"high": 2, "points": 0}, {"low": 2, "points": 30}],
     "missing": {"points": 0}},
    {"name": "industry", "kind": "categorical",
     "bins": [{"values": ["retail", "wholesale"], "points": 15}, {"other": true, "points": 5}],
     "missing": {"points": 0}}
  ],
  "grades": [{"grade": "A", "low": 560}, {"grade": "B", "low": 530, "high": 560}, {"grade": "C", "high": 530}]
}`

func ExampleScorer_Score() {
	card, err := credit.DecodeScorecard([]byte(cardJSON))
	if err != nil {
		fmt.Println(err)
		return
	}
	scorer, err := credit.NewScorer(card)
	if err != nil {
		fmt.Println(err)
		return
	}
	score, err := scorer.Score(map[string]credit.Value{
		"utilisation":       credit.Number(0.82),
		"years_in_business": credit.Number(5),
		"industry":          credit.Category("retail"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("total", score.Total, "grade", score.Grade)
	for _, p := range score.Points {
		fmt.Printf("  %s = %s: %g of %g\n", p.Name, p.Value, p.Points, p.Max)
	}
	for _, r := range score.Reasons {
		fmt.Println(r.Code+":", r.Message("ru"))
	}

	_, err = scorer.Score(map[string]credit.Value{"industry": credit.Number(3)})
	fmt.Println(err)
	// Output:
	// total 545 grade B
	//   utilisation = 0.82: 0 of 40
	//   years_in_business = 5: 30 of 30
	//   industry = "retail": 15 of 15
	// high_utilisation: Высокая загрузка кредитной линии
	// credit: inputs["industry"] has the wrong kind of value ("3"): the characteristic is categorical
}

func ExampleDecodeScorecard_gap() {
	_, err := credit.DecodeScorecard([]byte(`{"characteristics": [{"name": "age", "kind": "numeric",
		"bins": [{"high": 25, "points": 0}, {"low": 30, "points": 20}], "missing": {"points": 0}}]}`))
	fmt.Println(err)
	// Output:
	// credit: scorecard: characteristics[0].bins (characteristic "age") has a gap between bins: no bin holds [25, 30) (between bins 0 and 1)
}

func ExampleScaling() {
	// 600 points at good:bad odds of 50:1, 20 points to double the odds
	s, _ := credit.NewScalingGoodBad(600, 50, 20)
	fmt.Printf("factor %.4f offset %.4f\n", s.Factor, s.Offset)
	score, _ := s.ScoreFromGoodBadOdds(100)
	fmt.Printf("score at 100:1 = %.2f\n", score)
	pd, _ := s.PD(560)
	fmt.Printf("PD at 560 = %.6f\n", pd)
	back, _ := s.ScoreFromPD(pd)
	fmt.Printf("score at that PD = %.2f\n", back)
	// Output:
	// factor 28.8539 offset 487.1229
	// score at 100:1 = 620.00
	// PD at 560 = 0.074074
	// score at that PD = 560.00
}

func ExampleAnalyzeStatements() {
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }
	a, err := credit.AnalyzeStatements(credit.Statements{
		TotalAssets: rub("1000"), CurrentAssets: rub("500"), CurrentLiabilities: rub("300"),
		TotalLiabilities: rub("600"), Equity: rub("400"), RetainedEarnings: rub("200"),
		EBIT: rub("100"), Revenue: rub("1500"), NetIncome: rub("60"),
		Manufacturer: true, // private: Altman Z′
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Ratio(credit.RatioCurrent).Value.StringFixed(2), a.Ratio(credit.RatioDebtToEquity).Value.StringFixed(2))
	fmt.Println(a.Altman.Model, a.Altman.Z.StringFixed(4), a.Altman.Zone)
	fmt.Println(a.Altman.Reason().Message("en"))
	fmt.Println(a.Ratio(credit.RatioInterestCoverage).Err)
	// Output:
	// 1.67 1.50
	// z_prime 2.4005 grey
	// Altman Z′ is 2.4, in the grey zone between 1.23 and 2.9
	// credit: interest_coverage cannot be computed: missing interest_expense
}

func ExampleAnalyzePayments() {
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }
	history := []credit.Invoice{{
		Amount: rub("100000"), IssuedOn: credit.MustDate(2026, 2, 1), DueOn: credit.MustDate(2026, 3, 1),
		Payments: []credit.Payment{
			{On: credit.MustDate(2026, 3, 1), Amount: rub("50000")},  // on the due date
			{On: credit.MustDate(2026, 3, 31), Amount: rub("50000")}, // 30 days late
		},
	}}
	pb, err := credit.AnalyzePayments(history, time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC), credit.PaymentOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("days beyond terms", pb.AvgDaysBeyondTerms.Value, "index", pb.Index.Value, "longest", pb.LongestDelay.Value)
	fmt.Println("trend", pb.Trend.Direction)
	// Output:
	// days beyond terms 15 index 65 longest 30
	// trend worsening
}

type ledger map[string]credit.ExposureParts

func (l ledger) Exposure(_ context.Context, clientID string, _ time.Time) (credit.ExposureParts, error) {
	return l[clientID], nil
}

func ExampleChecker_Check() {
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }
	checker := credit.Checker{
		Source: ledger{"c1": {OpenReceivables: rub("400000"), UnbilledOrders: rub("250000"), ShippedNotInvoiced: rub("100000")}},
		Policies: credit.Policies{
			Default: credit.Policy{Mode: credit.ModeHold, Limit: rub("1000000"), MaxDaysOverdue: 30},
		},
	}
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	ctx := context.Background()

	d, _ := checker.Check(ctx, credit.OrderCheck{ClientID: "c1", Order: rub("250000")}, at)
	fmt.Println(d.Outcome, d.Exposure, d.Headroom)

	d, _ = checker.Check(ctx, credit.OrderCheck{ClientID: "c1", Order: rub("250000.01")}, at)
	fmt.Println(d.Outcome, d.Fired)
	fmt.Println(d.Explain("en"))

	d, _ = checker.Check(ctx, credit.OrderCheck{ClientID: "c1", Order: rub("250000.01"),
		Override: &credit.Override{By: "anna", DeputyOfCreditController: true, OnBehalfOf: "boris"}}, at)
	fmt.Println(d.Outcome, d.Allowed())
	// Output:
	// approved RUB 1000000.00 RUB 0.00
	// held [credit_limit]
	// credit check: the order is held for a credit controller
	// - exposure RUB 1,000,000.01 exceeds the credit limit RUB 1,000,000.00 by RUB 0.01 (open receivables RUB 400,000.00 + unbilled orders RUB 250,000.00 + shipped not invoiced RUB 100,000.00 + this order RUB 250,000.01)
	// - the policy holds the order for a credit controller
	// overridden true
}

func ExampleAssessSolvency() {
	rub := func(s string) money.Amount { return money.MustParse(s, money.RUB) }
	at := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	statements, _ := credit.AnalyzeStatements(credit.Statements{
		TotalAssets: rub("10000000"), CurrentAssets: rub("6000000"), CurrentLiabilities: rub("3000000"),
		TotalLiabilities: rub("5000000"), Equity: rub("5000000"), RetainedEarnings: rub("2000000"),
		EBIT: rub("1500000"), Revenue: rub("18000000"),
	})
	policy := credit.SolvencyPolicy{
		Rules: []credit.SolvencyRule{
			{When: credit.WhenGradeIn, Grades: []string{"C"}, Then: credit.VerdictDecline},
			{When: credit.WhenAltmanZone, Zone: credit.ZoneDistress, Then: credit.VerdictDecline},
			{When: credit.WhenAltmanZone, Zone: credit.ZoneGrey, Then: credit.VerdictPrepayment},
			{When: credit.WhenPaymentIndexBelow, Threshold: decimal.NewFromInt(50), Then: credit.VerdictPrepayment},
		},
		LimitMethods: []credit.LimitMethod{
			credit.ShareOfNetWorth{Share: decimal.RequireFromString("0.1")},
			credit.GradeTable{Limits: map[string]money.Amount{"A": rub("3000000"), "B": rub("1000000"), "C": rub("0")}},
		},
		Limits: credit.LimitOptions{Step: decimal.NewFromInt(10000)},
	}
	d, err := credit.AssessSolvency(credit.Profile{
		ClientID: "c1", Currency: money.RUB,
		Score:      &credit.Score{Total: 575, Grade: "A"},
		Financials: &statements,
	}, policy, at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Code())
	fmt.Println(d.Explain("ru"))
	// Output:
	// solvency_approve
	// одобрено с кредитным лимитом 500 000,00 ₽
	// - скоринговый балл 575, класс риска A
	// - Altman Z″ = 4,68, выше порога безопасной зоны 2,6
	// - 10% собственного капитала 5 000 000,00 ₽ = 500 000,00 ₽
	// - наименьшая из 2 рекомендаций: 500 000,00 ₽ (share_of_net_worth)
}
