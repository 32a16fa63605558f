package discount_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/discount"
	"github.com/crmkit/crmkit/money"
)

func ExampleEngine_Price() {
	rules, err := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"drills-spring","name":"Spring drill sale","priority":20,"stacking":"compounding",
	   "scope":{"kind":"line","target":{"categories":["drills"]}},
	   "conditions":{"valid_from":"2026-03-01","valid_to":"2026-03-31"},
	   "action":{"kind":"percent_off","percent":"10"}},
	  {"id":"saws-dozen","name":"Saws by the dozen","priority":10,"stacking":"additive",
	   "scope":{"kind":"line","target":{"skus":["SAW-2"]}},
	   "conditions":{"min_quantity":"12"},
	   "action":{"kind":"percent_off","percent":"15"}},
	  {"id":"wholesale","name":"Wholesale","priority":10,"stacking":"compounding",
	   "scope":{"kind":"order"},
	   "conditions":{"groups":["wholesale"],"min_amount":{"amount":"5000","currency":"RUB"}},
	   "action":{"kind":"percent_off","percent":"5"}}
	]}`))
	if err != nil {
		panic(err)
	}
	engine, err := discount.NewEngine(rules, discount.Options{})
	if err != nil {
		panic(err)
	}
	cart := discount.Cart{
		Currency: money.RUB,
		// 23:59 on 31 March in Moscow: the last minute of the spring sale.
		At:       time.Date(2026, 3, 31, 20, 59, 0, 0, time.UTC),
		Location: time.FixedZone("MSK", 3*60*60),
		Customer: discount.Customer{ID: "romashka", Groups: []string{"wholesale"}},
		Lines: []discount.Line{
			{SKU: "DRILL-1", Category: []string{"tools", "power", "drills"}, Quantity: decimal.NewFromInt(5), ListPrice: money.MustParse("1200", money.RUB)},
			{SKU: "SAW-2", Category: []string{"tools", "hand"}, Quantity: decimal.NewFromInt(9), ListPrice: money.MustParse("350", money.RUB)},
		},
	}
	priced, err := engine.Price(cart, nil)
	if err != nil {
		panic(err)
	}
	for _, l := range priced.Lines {
		fmt.Println(l.SKU, l.List, l.Discount, l.Net)
	}
	fmt.Println("total", priced.List, priced.Discount, priced.Net)
	for _, x := range priced.Explain("en") {
		fmt.Println(x.Code+":", x.Text)
	}
	for _, x := range priced.Explain("ru") {
		fmt.Println(x.Code+":", x.Text)
	}
	// Output:
	// DRILL-1 RUB 6000.00 RUB 870.00 RUB 5130.00
	// SAW-2 RUB 3150.00 RUB 157.50 RUB 2992.50
	// total RUB 9150.00 RUB 1027.50 RUB 8122.50
	// percent_off: Spring drill sale: 10% off DRILL-1 — RUB 600.00
	// percent_off: Wholesale: 5% off the order — RUB 427.50
	// min_quantity_not_reached: Saws by the dozen: not applied to SAW-2 — the minimum quantity is not reached
	// hint_quantity: Add 3 more units of SAW-2 to get 15% off (Saws by the dozen)
	// percent_off: Spring drill sale: скидка 10% на DRILL-1 — 600,00 ₽
	// percent_off: Wholesale: скидка 5% на заказ — 427,50 ₽
	// min_quantity_not_reached: Saws by the dozen: не применено к SAW-2 — не набрано минимальное количество
	// hint_quantity: Добавьте ещё 3 ед. SAW-2, чтобы получить скидку 15% (Saws by the dozen)
}

// A cart re-priced as the client edits it: one PricedCart is reused, so
// repricing allocates nothing once it has grown to the cart's shape.
func ExampleEngine_PriceInto() {
	rules, err := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"bulk","name":"Bulk","stacking":"compounding","scope":{"kind":"line","target":{"skus":["PAPER-A4"]}},
	   "action":{"kind":"volume","breaks":[
	     {"min_quantity":"10","percent":"5"},{"min_quantity":"50","percent":"12"}]}}
	]}`))
	if err != nil {
		panic(err)
	}
	engine, err := discount.NewEngine(rules, discount.Options{})
	if err != nil {
		panic(err)
	}
	cart := discount.Cart{
		Currency: money.RUB,
		At:       time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC),
		Lines: []discount.Line{
			{SKU: "PAPER-A4", Quantity: decimal.NewFromInt(8), ListPrice: money.MustParse("420", money.RUB)},
		},
	}
	var priced discount.PricedCart // kept between calls
	for _, qty := range []int64{8, 10, 60} {
		cart.Lines[0].Quantity = decimal.NewFromInt(qty)
		if err := engine.PriceInto(&priced, cart, nil); err != nil {
			panic(err)
		}
		fmt.Println(qty, priced.Discount, priced.Net)
	}
	// Output:
	// 8 RUB 0.00 RUB 3360.00
	// 10 RUB 210.00 RUB 3990.00
	// 60 RUB 3024.00 RUB 22176.00
}

func ExampleDecodeRules() {
	_, err := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"bulk","stacking":"additive","scope":{"kind":"line"},
	   "conditions":{"min_quantity":"100","max_quantity":"10"},
	   "action":{"kind":"percent_off","percent":"5"}}]}`))
	fmt.Println(err)
	var re *discount.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Rule, re.Field, re.Code())
	}
	fmt.Println(re.Message("ru"))
	// Output:
	// discount: rule "bulk": conditions.min_quantity is above the maximum ("100"): the maximum is 10
	// bulk conditions.min_quantity min_above_max
	// discount: правило "bulk": поле conditions.min_quantity: больше максимума ("100")
}

func ExampleMemoryLedger() {
	rules, _ := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"welcome","stacking":"additive","scope":{"kind":"order"},"conditions":{"coupon":"WELCOME"},
	   "action":{"kind":"amount_off","per":"order","amount":{"amount":"500","currency":"RUB"}}}],
	 "coupons":[{"code":"WELCOME","per_customer":{"max_uses":1}}]}`))
	engine, _ := discount.NewEngine(rules, discount.Options{})
	ledger := discount.NewMemoryLedger()
	cart := discount.Cart{Currency: money.RUB, At: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		Customer: discount.Customer{ID: "romashka"}, Coupons: []string{"welcome"},
		Lines: []discount.Line{{SKU: "A", Quantity: decimal.NewFromInt(1), ListPrice: money.MustParse("3000", money.RUB)}}}
	ctx := context.Background()

	first, _ := engine.Price(cart, ledger)
	fmt.Println(first.Net)
	fmt.Println(ledger.Commit(ctx, "order-1", first.Uses))

	second, _ := engine.Price(cart, ledger)
	fmt.Println(second.Net, second.NotApplied[0].Message("en"))

	fmt.Println(ledger.Release(ctx, "order-1")) // order 1 is cancelled
	third, _ := engine.Price(cart, ledger)
	fmt.Println(third.Net)
	// Output:
	// RUB 2500.00
	// <nil>
	// RUB 3000.00 welcome: not applied — the usage limit of coupon "WELCOME" for customer "romashka" is reached
	// <nil>
	// RUB 2500.00
}

func ExamplePriceReturn() {
	rules, _ := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"b2g1","name":"3 for 2","stacking":"additive","scope":{"kind":"line"},"action":{"kind":"buy_x_get_y","buy":2,"get":1}}]}`))
	engine, _ := discount.NewEngine(rules, discount.Options{})
	priced, _ := engine.Price(discount.Cart{Currency: money.RUB, At: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		Lines: []discount.Line{{ID: "l1", SKU: "A", Quantity: decimal.NewFromInt(3), ListPrice: money.MustParse("100", money.RUB)}}}, nil)

	// Keep the frozen record with the order...
	stored, _ := json.Marshal(priced.Freeze())

	// ...and price returns from it, whatever the rules say today.
	var frozen discount.Frozen
	if err := json.Unmarshal(stored, &frozen); err != nil {
		panic(err)
	}
	one, _ := discount.PriceReturn(frozen, []discount.ReturnLine{{Line: 0, Quantity: decimal.NewFromInt(1)}})
	rest, _ := discount.PriceReturn(frozen, []discount.ReturnLine{{Line: 0, Quantity: decimal.NewFromInt(2), Returned: decimal.NewFromInt(1)}})
	fmt.Println("paid", priced.Net)
	fmt.Println("refund 1", one.Net, "refund 2", rest.Net)
	// Output:
	// paid RUB 200.00
	// refund 1 RUB 66.67 refund 2 RUB 133.33
}

// A contract that claws back what kept goods no longer earn: 10% off
// from 100 units, 40 of 100 returned.
func ExampleEngine_RepriceReturn() {
	rules, _ := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"vol","name":"From 100 units","stacking":"additive","scope":{"kind":"line"},
	   "conditions":{"min_quantity":"100"},"action":{"kind":"percent_off","percent":"10"}}]}`))
	engine, _ := discount.NewEngine(rules, discount.Options{})
	sold := discount.Cart{Currency: money.RUB, At: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		Lines: []discount.Line{{ID: "l1", SKU: "TILE-40", Quantity: decimal.NewFromInt(100), ListPrice: money.MustParse("10", money.RUB)}}}
	priced, _ := engine.Price(sold, nil)
	frozen := priced.Freeze()

	note, err := engine.RepriceReturn(frozen, discount.Repricing{Sold: sold,
		Lines: []discount.ReturnLine{{Line: 0, Quantity: decimal.NewFromInt(40)}}})
	if err != nil {
		panic(err)
	}
	fmt.Println("paid", priced.Net)
	fmt.Println("returned goods", note.Net, "clawback", note.Clawback, "due", note.Due)
	for _, lost := range note.Lost {
		fmt.Println(lost.Message("en"))
	}
	// Output:
	// paid RUB 900.00
	// returned goods RUB 360.00 clawback RUB 60.00 due RUB 300.00
	// From 100 units: not applied to TILE-40 — the minimum quantity is not reached
}

func ExampleAdapter_Price() {
	rules, _ := discount.DecodeRules([]byte(`{"rules":[
	  {"id":"gold","name":"Gold clients","stacking":"compounding","scope":{"kind":"order"},"conditions":{"tiers":["gold"]},
	   "action":{"kind":"percent_off","percent":"3"}}]}`))
	engine, _ := discount.NewEngine(rules, discount.Options{})
	a := &discount.Adapter{Engine: engine, Ledger: discount.NewMemoryLedger()}
	res, err := a.Price(context.Background(), discount.PricingRequest{
		Currency: "RUB", At: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC), CustomerID: "romashka", Tier: "gold",
		Lines: []discount.PricingLine{{ID: "l1", SKU: "A", Quantity: "2", ListPrice: "1500"}},
		Manual: []discount.ManualDiscount{{ID: "deal-7", GrantedBy: "petrov", Reason: "Competitor offer",
			Authority: "5", Percent: "7"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Net)
	for _, n := range res.Notes {
		fmt.Println(n.EN)
	}
	for _, ap := range res.Approvals {
		fmt.Println(ap.RU)
	}
	// Output:
	// RUB 2706.30
	// Manual discount by petrov. Competitor offer: 7% off the order — RUB 210.00 (needs approval)
	// Gold clients: 3% off the order — RUB 83.70
	// Manual discount "Competitor offer" by petrov is 7% (RUB 210.00 of RUB 3,000.00), above the authority of 5%: it needs approval
	// Ручная скидка «Competitor offer» (предоставил petrov) составляет 7% (210,00 ₽ от 3 000,00 ₽), что выше полномочий 5%: требуется согласование
}
