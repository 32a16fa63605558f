package worktime_test

import (
	"fmt"
	"time"

	"github.com/crmkit/crmkit/crm/worktime"
)

func Example() {
	msk, _ := time.LoadLocation("Europe/Moscow")
	hours, _ := worktime.ParsePeriods("09:00-13:00, 14:00-18:00")
	cal := worktime.Standard(msk, hours...)
	cal.Holidays = []worktime.Date{{Year: 2026, Month: time.March, Day: 9}}
	s, err := worktime.New(cal)
	if err != nil {
		panic(err)
	}
	// A complaint received on Saturday at 10:00 is due in 2 business hours:
	// Monday is a holiday, so Tuesday at 11:00.
	received := time.Date(2026, 3, 7, 10, 0, 0, 0, msk)
	due := s.Add(received, 2*time.Hour)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	fmt.Println(s.Between(received, due))

	// A calendar without working time is refused, not looped over.
	_, err = worktime.New(worktime.Calendar{Location: msk})
	fmt.Println(err)
	// Output:
	// Tue 2026-03-10 11:00
	// 2h0m0s
	// worktime: week has no working time at all
}
