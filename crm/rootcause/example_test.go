package rootcause_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
)

func ExampleCategorizer_Categorize() {
	r := rootcause.Default().Categorize("Упаковка не повреждена, но внутри корпус треснул, изделие не включается.", rootcause.Facts{})
	best := r.Best()
	fmt.Println(r.Message("ru"))
	fmt.Println("party:", best.Category.Party)
	for _, e := range best.Evidence {
		fmt.Println(" ", e.Message("en"))
	}
	for _, s := range r.Ranked {
		for _, e := range s.Evidence {
			if e.Negated {
				fmt.Println("negated:", s.Code, e.Text)
			}
		}
	}
	// Output:
	// Производственный брак (уверенность 64%)
	// party: production
	//   "внутри" (+0.5)
	//   "корпус" (+0.8)
	//   "треснул" (+1.0)
	//   "изделие" (+0.8)
	//   "не включается" (+3.0)
	//   model: "корпус" (+2.40)
	//   model: "треснул" (+1.97)
	//   model: "внутр" (+1.72)
	// negated: TRANSIT_DAMAGE повреждена
}

func ExampleCategorizer_Categorize_facts() {
	// Structured facts are strong evidence: here they outweigh the text,
	// though the words of a typical transit-damage report ("arrived",
	// "attached photos": mined terms) keep the confidence below the
	// review threshold.
	r := rootcause.RulesOnly().Categorize("Goods arrived, see attached photos.", rootcause.Facts{
		Shipped:  rootcause.Qty(120),
		Received: rootcause.Qty(96),
	})
	best := r.Best()
	fmt.Println(best.Code, r.NeedsReview)
	for _, e := range best.Evidence {
		fmt.Println(" ", e.Message("en"))
		fmt.Println(" ", e.Message("ru"))
	}
	// Output:
	// QUANTITY true
	//   fact: received 96 of 120 shipped (+4.0)
	//   факт: получено 96 из 120 отгруженных (+4.0)
}

func ExampleTrain() {
	confirmed := []rootcause.Example{
		{Text: "коробки разбиты при перевозке", Label: string(rootcause.TransitDamage)},
		{Text: "pallet crushed by the carrier", Label: string(rootcause.TransitDamage)},
		{Text: "поставка опоздала на неделю", Label: string(rootcause.LateDelivery)},
		{Text: "delivery was late again", Label: string(rootcause.LateDelivery)},
	}
	model, err := rootcause.Train(confirmed, rootcause.TrainOptions{Kind: rootcause.LogisticRegression})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := rootcause.New(rootcause.Config{Model: model, ModelWeight: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := c.Categorize("Поставка опять опоздала", rootcause.Facts{})
	fmt.Println(r.Best().Code, r.UsedModel)
	// Output:
	// LATE_DELIVERY true
}

func ExampleLoadModel() {
	model, _ := rootcause.Train([]rootcause.Example{
		{Text: "wrong price on the invoice", Label: "PRICE_ERROR"},
		{Text: "invoice lacks our tax id", Label: "DOCUMENT_ERROR"},
	}, rootcause.TrainOptions{Kind: rootcause.NaiveBayes})
	saved, _ := json.Marshal(model)
	loaded, err := rootcause.LoadModel(saved)
	fmt.Println(loaded.Classes(), err)

	_, err = rootcause.LoadModel([]byte(`{"format":"crmkit.rootcause.model","version":9}`))
	fmt.Println(err)
	// Output:
	// [DOCUMENT_ERROR PRICE_ERROR] <nil>
	// rootcause: invalid model: version has an unsupported version ("9"): this library reads versions 1 to 4
}

func ExamplePareto() {
	rub := money.MustCurrency("RUB")
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	claims := []rootcause.Record{
		{Cause: rootcause.TransitDamage, Cost: money.MustParse("120000", rub), At: at, ClientID: "c1"},
		{Cause: rootcause.TransitDamage, Cost: money.MustParse("40000", rub), At: at, ClientID: "c2"},
		{Cause: rootcause.ProductDefect, Cost: money.MustParse("30000", rub), At: at, ClientID: "c1"},
		{Cause: rootcause.LateDelivery, Cost: money.MustParse("5000", rub), At: at, ClientID: "c3"},
		{Cause: rootcause.PriceError, Cost: money.MustParse("3000", rub), At: at, ClientID: "c3"},
		{Cause: rootcause.Other, Cost: money.MustParse("2000", rub), At: at},
	}
	rep, err := rootcause.Pareto(claims, rootcause.ParetoOptions{Measure: rootcause.ByCost})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range rep.Rows {
		fmt.Printf("%-15s %s %5.1f%% %5.1f%% vital=%v\n", row.Key, row.Cost, 100*row.Share, 100*row.Cumulative, row.Vital)
	}
	fmt.Println(rep.Message("en"))
	fmt.Println(rep.Message("ru"))
	// Output:
	// TRANSIT_DAMAGE  RUB 160000.00  80.0%  80.0% vital=true
	// PRODUCT_DEFECT  RUB 30000.00  15.0%  95.0% vital=false
	// LATE_DELIVERY   RUB 5000.00   2.5%  97.5% vital=false
	// PRICE_ERROR     RUB 3000.00   1.5%  99.0% vital=false
	// OTHER           RUB 2000.00   1.0% 100.0% vital=false
	// 1 of 4 causes = 80% of cost
	// 1 из 4 причин = 80% затрат
}

func ExampleComparePareto() {
	rub := money.MustCurrency("RUB")
	feb := time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
	mar := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	claims := []rootcause.Record{
		{Cause: rootcause.TransitDamage, Cost: money.MustParse("1000", rub), At: feb},
		{Cause: rootcause.LateDelivery, Cost: money.MustParse("500", rub), At: feb},
		{Cause: rootcause.TransitDamage, Cost: money.MustParse("300", rub), At: mar},
		{Cause: rootcause.ProductDefect, Cost: money.MustParse("900", rub), At: mar},
	}
	march := rootcause.Month(2026, time.March, nil)
	cmp, err := rootcause.ComparePareto(claims, rootcause.ParetoOptions{}, march, march.Previous())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ch := range cmp.Changes {
		fmt.Printf("%s rank %d (was %d), cost %+v\n", ch.Key, ch.CurrentRank, ch.PrevRank, ch.CostDelta.Decimal())
	}
	// Output:
	// PRODUCT_DEFECT rank 1 (was 0), cost 900
	// TRANSIT_DAMAGE rank 2 (was 1), cost -700
	// LATE_DELIVERY rank 0 (was 2), cost -500
}

func ExampleNewLexicon() {
	// A host's own taxonomy and rules.
	tax, _ := rootcause.NewTaxonomy([]rootcause.Category{
		{Code: "COLD_CHAIN", NameEN: "Cold chain broken", NameRU: "Нарушение холодовой цепи", Party: rootcause.PartyCarrier},
		{Code: "ELSE", NameEN: "Other", NameRU: "Прочее"},
	}, "ELSE")
	lex, _ := rootcause.NewLexicon([]rootcause.Term{
		{Code: "COLD_CHAIN", Pattern: "разморож*", Weight: 3},
		{Code: "COLD_CHAIN", Pattern: "thawed", Weight: 3},
	})
	c, err := rootcause.New(rootcause.Config{Taxonomy: tax, Lexicon: lex, FactRules: []rootcause.FactRule{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Categorize("Продукция пришла размороженной", rootcause.Facts{}).Message("en"))
	// Output:
	// Cold chain broken (confidence 88%)
}

// A host with confirmed complaints of its own trains on them together
// with the built-in corpus and blends the model with the rules, as
// Default does with the built-in model alone.
func ExampleBuiltinCorpus() {
	mine := []rootcause.Example{
		{Text: "Поддоны с плиткой пришли без стретч-плёнки, углы коробок сбиты", Label: string(rootcause.Packaging)},
		{Text: "Pallets came unwrapped, box corners crushed", Label: string(rootcause.Packaging)},
	}
	model, err := rootcause.Train(append(rootcause.BuiltinCorpus(), mine...), rootcause.BuiltinTrainOptions())
	if err != nil {
		panic(err)
	}
	c, err := rootcause.New(rootcause.Config{Model: model, ModelWeight: rootcause.BuiltinModelWeight})
	if err != nil {
		panic(err)
	}
	r := c.Categorize("Машина пришла на неделю позже согласованной даты, бригада простаивала.", rootcause.Facts{})
	fmt.Println(r.Code(), r.UsedModel)
	// Output:
	// LATE_DELIVERY true
}
