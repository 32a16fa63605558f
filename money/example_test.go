package money_test

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

func ExampleParse() {
	price, err := money.Parse("1234.5", money.RUB)
	if err != nil {
		panic(err)
	}
	fmt.Println(price)
	fmt.Println(price.Format("en"))
	fmt.Println(price.Format("ru"))
	// Output:
	// RUB 1234.50
	// RUB 1,234.50
	// 1 234,50 ₽
}

func ExampleAmount_Add() {
	var total money.Amount // the zero Amount takes the currency of what is added
	for _, s := range []string{"10.10", "0.90", "99"} {
		total, _ = total.Add(money.MustParse(s, money.RUB))
	}
	fmt.Println(total)

	_, err := total.Add(money.MustParse("1", money.USD))
	fmt.Println(err)
	// Output:
	// RUB 110.00
	// money: cannot add RUB and USD amounts
}

func ExampleAmount_Allocate() {
	// Spread a 100 ₽ order discount over three lines in proportion to their
	// net amounts; the shares add up to exactly 100 ₽.
	discount := money.MustParse("100", money.RUB)
	lines := []decimal.Decimal{decimal.NewFromInt(1000), decimal.NewFromInt(1000), decimal.NewFromInt(1000)}
	parts, err := discount.Allocate(lines, money.HalfUp)
	if err != nil {
		panic(err)
	}
	for _, p := range parts {
		fmt.Println(p)
	}
	// Output:
	// RUB 33.34
	// RUB 33.33
	// RUB 33.33
}

func ExampleAmount_Round() {
	half := money.MustParse("2.345", money.RUB)
	fmt.Println(half.Round(money.HalfUp), half.Round(money.HalfEven), half.Round(money.Floor))
	neg := half.Neg()
	fmt.Println(neg.Round(money.HalfUp), neg.Round(money.Ceiling), neg.Round(money.Floor))
	// Output:
	// RUB 2.35 RUB 2.34 RUB 2.34
	// RUB -2.35 RUB -2.34 RUB -2.35
}

func ExampleAmount_MarshalJSON() {
	b, _ := json.Marshal(money.MustParse("99.9", money.USD))
	fmt.Println(string(b))

	var a money.Amount
	err := json.Unmarshal([]byte(`{"amount":99.9,"currency":"USD"}`), &a)
	fmt.Println(err)
	// Output:
	// {"amount":"99.90","currency":"USD"}
	// money: amount must be a JSON string, got 99.9
}
