// Package worktime counts business time: working hours in a stated time
// zone, with weekends, a holiday calendar and extra working days.
//
// A Calendar says when people work: a time zone, the working periods of
// each weekday (several per day are fine, such as 09:00–13:00 and
// 14:00–18:00), the civil dates that are holidays, and the dates that
// work although their weekday or a holiday says otherwise (Russia moves
// weekends: a Saturday may be a working day, and the eve of a holiday is
// often an hour shorter). New checks the calendar — every error is an
// *Error naming the field at fault — and compiles it into a Schedule.
//
// Schedule.Add adds business time to an instant. Business time is counted
// from the start of the next working period: a complaint received on
// Saturday at 10:00 with one business hour to answer, under working hours
// 09:00–17:00 Monday to Friday, is due on Monday at 10:00. A deadline that
// uses up a period exactly falls at the period's end (17:00), not at the
// start of the next one. Schedule.Between measures the business time
// between two instants; the two agree: Between(t, Add(t, d)) == d.
//
// Periods are wall-clock times in the calendar's zone, and business time
// is real elapsed time within them. On the night clocks go forward a
// period that spans the change is an hour shorter; on the night they go
// back, an hour longer.
//
// The edges of a day hold even where the clocks jump at midnight: a day
// starts at its first instant (see civil.Date.Start) and ends where the
// next day starts, and 00:00 and 24:00 are those two instants. Where the
// clocks skip from 00:00 to 01:00 (Chile, Cuba, Paraguay, Lebanon, Iran,
// Egypt), the day, and a period from 00:00, starts at 01:00, and the day
// before keeps its full length; where they go back from 00:00 to 23:00,
// the day before has 25 hours and a period to 24:00 takes in the repeated
// hour; where they go back from 01:00 to a second 00:00 (Cuba, Jordan),
// the day starts at the first midnight. Any other wall time that does not
// exist, or exists twice, that night is read as Go's time.Date reads it,
// kept within its day, and overlaps this creates are counted once.
//
// Dates (holidays, extra working days) are civil dates, not instants: a
// Date never shifts with a time zone. The date of an instant is the date
// in the calendar's zone; only where the clocks went back across midnight
// (Newfoundland's, from 00:01 to 23:01, until 2010) does the repeated
// stretch of the old date belong to the new one, which has already begun.
//
// The work is bounded whatever the input: a calendar with no working time
// in its week is refused by New rather than looping for ever, and Add and
// Between skip whole weeks arithmetically between holidays and time-zone
// transitions. Instants are considered between the years 1 and 9999; Add
// never returns a time after the end of 9999 (see Horizon).
//
// The package is pure: it imports no crmkit domain package, and nothing in
// it reads the system clock.
package worktime
