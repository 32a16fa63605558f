// Package civil holds calendar dates that are dates, not instants: a
// birthday, the day points were earned, an invoice's due date, a public
// holiday. No time zone can shift a civil date; an instant becomes one only
// through an explicit location (DateOf), and a date becomes an instant only
// through one too (Date.Start).
//
// Every domain package of crmkit uses these types (crm.Date, loyalty.Date,
// credit.Date and discount.Date are aliases of Date), so a date moves
// between them without conversion.
//
// Dates are proleptic Gregorian with a year in 1..9999. Their text form is
// ISO 8601: "2026-11-27" for a Date, "--02-29" for a Birthday without a
// year. Arithmetic works on day numbers, so AddDays and DaysUntil cost the
// same whatever the distance.
package civil
