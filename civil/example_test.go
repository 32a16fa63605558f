package civil_test

import (
	"fmt"
	"time"

	"github.com/crmkit/crmkit/civil"
)

func Example() {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	// An instant becomes a date only through a location.
	at := time.Date(2025, time.December, 31, 22, 30, 0, 0, time.UTC)
	fmt.Println(civil.DateOf(at, moscow), civil.DateOf(at, time.UTC))

	due, _ := civil.ParseDate("2026-01-31")
	fmt.Println(due.AddMonths(1), due.AddDays(30), due.Weekday())

	bd, _ := civil.ParseBirthday("--02-29")
	fmt.Println(bd.In(2026), bd.In(2028))

	_, err := civil.ParseDate("2026-02-29")
	fmt.Println(err)
	// Output:
	// 2026-01-01 2025-12-31
	// 2026-02-28 2026-03-02 Saturday
	// 2026-02-28 2028-02-29
	// civil: "2026-02-29" is not a calendar date
}
