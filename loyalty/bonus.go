package loyalty

import (
	"context"
	"errors"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/store"
)

// BirthdayYear returns the year of the birthday whose bonus window —
// from DaysBefore days before the birthday through DaysAfter days after
// it — contains day d, and whether there is one. Windows near New Year
// belong to the year of the birthday itself: with a 2 January birthday
// and a week before, 28 December 2025 is in the window of 2026. A 29
// February birthday falls on 28 February in common years.
func (r *Rules) BirthdayYear(b Birthday, d Date) (int, bool) {
	if !b.Valid() || !d.Valid() {
		return 0, false
	}
	bb := r.p.Bonuses.Birthday
	for _, y := range []int{d.Year - 1, d.Year, d.Year + 1} {
		if y < 1 || y > 9999 {
			continue
		}
		day := b.In(y)
		if !d.Before(day.AddDays(-bb.DaysBefore)) && !d.After(day.AddDays(bb.DaysAfter)) {
			return y, true
		}
	}
	return 0, false
}

// BirthdayBonus grants the birthday bonus for the client's birthday b
// (the host knows it; loyalty does not keep it) if today is in its window
// and the programme's window. It is granted once per birthday year:
// asking again returns the first grant. Outside the window it fails with
// a *RuleError (RuleBirthdayWindow).
func (s *Service) BirthdayBonus(ctx context.Context, account string, b Birthday, by string) (Result, error) {
	points := s.rules.p.Bonuses.Birthday.Points
	if points.Sign() <= 0 {
		return Result{}, refused(RuleBirthdayWindow, "birthday", "the programme has no birthday bonus")
	}
	if !b.Valid() {
		return Result{}, invalid("birthday", ReasonBadDate, Date{Year: max(b.Year, 2000), Month: b.Month, Day: b.Day}.String())
	}
	today := s.Today()
	year, ok := s.rules.BirthdayYear(b, today)
	if !ok {
		return Result{}, refused(RuleBirthdayWindow, "birthday", "birthday %02d-%02d, today %s", int(b.Month), b.Day, today)
	}
	if err := s.rules.checkWindow("date", today); err != nil {
		return Result{}, err
	}
	if _, err := s.account(ctx, account); err != nil {
		return Result{}, err
	}
	return s.st.Post(ctx, s.bonus(account, "birthday:"+strconv.Itoa(year), today, points, SourceBirthday, by))
}

// referral grants the referral bonus to a client after their first paid
// order and to the client who referred them. The referrer must have an
// account in the programme; otherwise only the referred client's bonus is
// granted.
func (s *Service) referral(ctx context.Context, referred Account, on Date, by string) ([]Result, error) {
	rb := s.rules.p.Bonuses.Referral
	var out []Result
	if rb.Referred.Sign() > 0 {
		res, err := s.st.Post(ctx, s.bonus(referred.ID, "referral", on, rb.Referred, SourceReferral, by))
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	if rb.Referrer.Sign() > 0 {
		referrer, err := s.account(ctx, referred.ReferredBy)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) || errors.Is(err, ErrRefused) {
				return out, nil
			}
			return out, err
		}
		if referrer.CreatedAt.After(referred.CreatedAt) || referrer.ReferredBy == referred.ID {
			// Opened after the client it claims to have referred, or
			// referred by them: a referral loop, not a referral.
			return out, nil
		}
		res, err := s.st.Post(ctx, s.bonus(referred.ReferredBy, "referrer:"+referred.ID, on, rb.Referrer, SourceReferrer, by))
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

// bonus builds the posting of a bonus; name makes its key, so each bonus
// is granted once.
func (s *Service) bonus(account, name string, on Date, points decimal.Decimal, source Source, by string) Posting {
	if by == "" {
		by = "loyalty"
	}
	p := s.posting(Op{Account: account, Key: ServicePrefix + name, By: by}, PostEarn, on, name, fmtDec(points))
	p.Source, p.Points, p.Expires = source, points, s.rules.BonusExpiry(on)
	return p
}
