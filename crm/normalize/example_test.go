package normalize_test

import (
	"errors"
	"fmt"

	"github.com/crmkit/crmkit/crm/normalize"
)

func ExampleEmail() {
	e, err := normalize.Email("  Ivan.Petrov@Example.COM ")
	fmt.Println(e, err)

	e, err = normalize.Email("Иван@Пример.РФ")
	fmt.Println(e, err)

	_, err = normalize.Email("Ivan Petrov <ivan@example.com>")
	fmt.Println(normalize.ReasonOf(err))
	fmt.Println(err)
	// Output:
	// ivan.petrov@example.com <nil>
	// иван@пример.рф <nil>
	// bad_email
	// normalize: email "Ivan Petrov <ivan@example.com>": not a valid e-mail address
}

func ExamplePhone() {
	for _, in := range []string{"8 (916) 123-45-67", "+7 916 123-45-67 доб. 123", "+1 650 253 0000"} {
		p, err := normalize.Phone(in, normalize.DefaultRegion)
		fmt.Println(p, err)
	}

	p, err := normalize.Phone("030 123456", "DE")
	fmt.Println(p, err)

	_, err = normalize.Phone("89161234567", "")
	fmt.Println(normalize.ReasonOf(err))

	_, err = normalize.Phone("+7 000", normalize.DefaultRegion)
	var e *normalize.Error
	if errors.As(err, &e) {
		fmt.Println(e.Reason, "|", e.Message("ru"))
	}
	// Output:
	// +79161234567 <nil>
	// +79161234567 <nil>
	// +16502530000 <nil>
	// +4930123456 <nil>
	// bad_region
	// bad_phone | Некорректный номер телефона.
}

func ExampleOrgName() {
	for _, in := range []string{
		`ООО "Ромашка"`,
		`ооо «РОМАШКА»`,
		`Общество с ограниченной ответственностью "Ромашка"`,
		`ПАО «Сбербанк»`,
		`Ёлка, ЗАО`,
		`Romashka LLC`,
		`A.B.C. Trading Co., Ltd.`,
		`АО`,
	} {
		fmt.Printf("%q\n", normalize.OrgName(in))
	}
	// Output:
	// "ромашка"
	// "ромашка"
	// "ромашка"
	// "сбербанк"
	// "елка"
	// "romashka"
	// "abc trading"
	// "ао"
}

func ExamplePersonName() {
	fmt.Println(normalize.PersonName("  САЛТЫКОВ-Щедрин   Михаил Евграфович "))
	fmt.Println(normalize.PersonName("Ёлкин П.С."))
	// Output:
	// салтыков-щедрин михаил евграфович
	// елкин п с
}

func ExampleText() {
	fmt.Printf("%q\n", normalize.Text("  Ёжик\u00a0в\tТУМАНЕ "))
	// Output:
	// "ежик в тумане"
}

func ExampleError_Message() {
	_, err := normalize.Email("")
	var e *normalize.Error
	if errors.As(err, &e) {
		fmt.Println(e.Field, e.Reason, e.Message("ru"))
	}
	// Output:
	// email empty Адрес электронной почты не указан.
}
