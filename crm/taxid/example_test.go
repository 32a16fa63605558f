package taxid_test

import (
	"errors"
	"fmt"

	"github.com/crmkit/crmkit/crm/taxid"
)

func ExampleValidateINN() {
	for _, s := range []string{"7707083893", "500100732259", "7707083894", "77070838"} {
		n, err := taxid.ValidateINN(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: valid, %d digits\n", s, n)
	}
	// Output:
	// 7707083893: valid, 10 digits
	// 500100732259: valid, 12 digits
	// taxid: invalid INN "7707083894": check digit does not match
	// taxid: invalid INN "77070838": must have 10 or 12 digits
}

func ExampleParse() {
	id, err := taxid.Parse("ru", taxid.KindOGRN, " 1027700132195 ")
	fmt.Println(id, err)

	id, err = taxid.Parse("DE", taxid.KindOther, "DE129273398")
	fmt.Println(id, err)

	_, err = taxid.Parse("RU", taxid.KindKPP, "7736АВ001") // Cyrillic А and В
	var te *taxid.Error
	if errors.As(err, &te) {
		fmt.Println(te.Reason)
		fmt.Println(te.Message("ru"))
	}
	// Output:
	// RU:OGRN:1027700132195 <nil>
	// DE:OTHER:DE129273398 <nil>
	// bad_format
	// некорректный КПП "7736АВ001": ожидаются 4 цифры, затем 2 цифры или заглавные латинские буквы, затем 3 цифры
}
