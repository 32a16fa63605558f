package loyalty

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/money"
)

// Cart is an order being put together, for Advise.
type Cart struct {
	// Lines as in Order: amounts after discounts.
	Lines []Line
	// Date is the day of the purchase; zero means today.
	Date Date
}

// NoticeKind is the stable code of a piece of advice.
type NoticeKind string

// The kinds of advice.
const (
	// NoticeEarn: what the cart earns (Points).
	NoticeEarn NoticeKind = "earn"
	// NoticeBelowMinimum: the cart is below the programme's minimum order;
	// Amount is what is missing, Minimum the minimum.
	NoticeBelowMinimum NoticeKind = "earn_below_minimum"
	// NoticeOutsideWindow: the programme does not earn on Date.
	NoticeOutsideWindow NoticeKind = "earn_outside_window"
	// NoticeRedeem: up to Points can pay up to Amount of the cart.
	NoticeRedeem NoticeKind = "redeem"
	// NoticeRedeemMinimum: the client has Points, fewer than Minimum.
	NoticeRedeemMinimum NoticeKind = "redeem_below_minimum"
	// NoticeNextTier: Amount (spend) or Points (points metric) more reach
	// Tier.
	NoticeNextTier NoticeKind = "next_tier"
	// NoticeTierWithCart: this cart takes the client to Tier.
	NoticeTierWithCart NoticeKind = "tier_with_cart"
	// NoticeTopTier: the client is in the top tier, Tier.
	NoticeTopTier NoticeKind = "top_tier"
	// NoticeExpiring: Points can be used through Date and then expire.
	NoticeExpiring NoticeKind = "expiring"
	// NoticeDebt: the client owes Points from a return.
	NoticeDebt NoticeKind = "debt"
)

// Notice is one thing to tell the client, with a stable code and a
// message in English or Russian.
type Notice struct {
	Kind          NoticeKind
	Points        decimal.Decimal
	Minimum       decimal.Decimal
	Amount        money.Amount
	MinimumAmount money.Amount
	Date          Date
	// Tier is the tier's code; TierName and TierNameRU its names.
	Tier, TierName, TierNameRU string
}

// Code returns the notice's stable code.
func (n Notice) Code() string { return string(n.Kind) }

// String returns the English message.
func (n Notice) String() string { return n.Message("en") }

// Message returns the notice in the language of tag ("en" or "ru").
func (n Notice) Message(tag string) string {
	ru := lang.IsRussian(tag)
	pts := func(d decimal.Decimal) string {
		if ru {
			return pointsRU(d)
		}
		return pointsEN(d)
	}
	tier := n.TierName
	if ru && n.TierNameRU != "" {
		tier = n.TierNameRU
	}
	if tier == "" {
		tier = n.Tier
	}
	gap := func() string {
		if n.Amount.Currency().IsZero() {
			return pts(n.Points)
		}
		return n.Amount.Format(tag)
	}
	switch n.Kind {
	case NoticeEarn:
		return lang.Pick(tag,
			fmt.Sprintf("You will earn %s for this order.", pts(n.Points)),
			fmt.Sprintf("За этот заказ вы получите %s.", pts(n.Points)))
	case NoticeBelowMinimum:
		return lang.Pick(tag,
			fmt.Sprintf("Add %s more to earn points: orders from %s earn.", n.Amount.Format(tag), n.MinimumAmount.Format(tag)),
			fmt.Sprintf("Добавьте ещё %s, чтобы получить баллы: они начисляются за заказы от %s.", n.Amount.Format(tag), n.MinimumAmount.Format(tag)))
	case NoticeOutsideWindow:
		return lang.Pick(tag,
			fmt.Sprintf("This order earns no points: the programme does not run on %s.", dateText(n.Date, tag)),
			fmt.Sprintf("За этот заказ баллы не начисляются: %s программа не действует.", dateText(n.Date, tag)))
	case NoticeRedeem:
		return lang.Pick(tag,
			fmt.Sprintf("You can pay up to %s of this order with %s.", n.Amount.Format(tag), pts(n.Points)),
			fmt.Sprintf("Баллами можно оплатить до %s этого заказа — это %s.", n.Amount.Format(tag), pts(n.Points)))
	case NoticeRedeemMinimum:
		return lang.Pick(tag,
			fmt.Sprintf("You have %s; paying with points takes at least %s.", pts(n.Points), pts(n.Minimum)),
			fmt.Sprintf("У вас %s; для оплаты баллами нужно минимум %s.", pts(n.Points), pts(n.Minimum)))
	case NoticeNextTier:
		return lang.Pick(tag,
			fmt.Sprintf("%s more to reach %s.", gap(), tier),
			fmt.Sprintf("Ещё %s до уровня «%s».", gap(), tier))
	case NoticeTierWithCart:
		return lang.Pick(tag,
			fmt.Sprintf("This order takes you to %s.", tier),
			fmt.Sprintf("С этим заказом вы перейдёте на уровень «%s».", tier))
	case NoticeTopTier:
		return lang.Pick(tag,
			fmt.Sprintf("You are in the top tier, %s.", tier),
			fmt.Sprintf("У вас высший уровень — «%s».", tier))
	case NoticeExpiring:
		return lang.Pick(tag,
			fmt.Sprintf("%s will expire after %s.", pts(n.Points), dateText(n.Date, tag)),
			fmt.Sprintf("%s %s после %s.", pts(n.Points), pluralRU(n.Points, "сгорит", "сгорят", "сгорят"), dateText(n.Date, tag)))
	case NoticeDebt:
		return lang.Pick(tag,
			fmt.Sprintf("You owe %s from a return; they will be taken from the points you earn next.", pts(n.Points)),
			fmt.Sprintf("После возврата за вами долг %s; он будет списан из следующих начислений.", pts(n.Points)))
	}
	return string(n.Kind)
}

var monthsRU = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// dateText writes a date for people: "31 March 2026", "31 марта 2026".
func dateText(d Date, tag string) string {
	if !d.Valid() {
		return d.String()
	}
	if lang.IsRussian(tag) {
		return fmt.Sprintf("%d %s %d", d.Day, monthsRU[d.Month-1], d.Year)
	}
	return fmt.Sprintf("%d %s %d", d.Day, time.Month(d.Month).String(), d.Year)
}

// Advice is what to tell a client about a cart.
type Advice struct {
	Account string
	Date    Date
	// Balance is the client's balance on Date.
	Balance Balance
	// Earning is what the cart earns if paid entirely in money.
	Earning Earning
	// Redeem is the most of the cart points may pay (zero when the
	// programme has no redemption).
	Redeem RedeemLimit
	// Tier is the client's tier and NextTier the next one up ("" at the
	// top or without tiers) — when the cart itself reaches a higher tier,
	// the one above that tier; ToNext is the metric missing to reach
	// NextTier, counted after the cart in that case.
	Tier, NextTier string
	ToNext         decimal.Decimal
	// Notices are the messages to show, in this order: earning, paying
	// with points, tiers, expiring points, debt.
	Notices []Notice
}

// Advise tells a client about a cart: what it would earn, how much of it
// points can pay and for how much, how far the next tier is ("12 000 ₽
// more to reach Gold"), which points expire soon, and any debt. It writes
// nothing.
func (s *Service) Advise(ctx context.Context, account string, c Cart) (Advice, error) {
	date := c.Date
	if date.IsZero() {
		date = s.Today()
	}
	acct, err := s.account(ctx, account)
	if err != nil {
		return Advice{}, err
	}
	bal, err := s.st.Balance(ctx, account, BalanceQuery{AsOf: date, ExpiringThrough: date.AddDays(s.opts.ExpiringWithinDays)})
	if err != nil {
		return Advice{}, err
	}
	standing := Standing{Tier: acct.Tier}
	if s.rules.HasTiers() {
		q, err := s.st.Qualifying(ctx, account, s.rules.windowStart(date), date)
		if err != nil {
			return Advice{}, err
		}
		standing.Metric = s.rules.metricOf(q)
	}
	return s.rules.Advise(acct, bal, standing, c.Lines, date)
}

// Advise is the pure part of Service.Advise: advice for a client with
// account a, balance bal and tier standing st about a cart of lines on
// date.
func (r *Rules) Advise(a Account, bal Balance, st Standing, lines []Line, date Date) (Advice, error) {
	earning, err := r.Quote(Order{Date: date, Lines: lines}, st)
	if err != nil {
		return Advice{}, err
	}
	adv := Advice{Account: a.ID, Date: date, Balance: bal, Earning: earning, Tier: a.Tier}
	add := func(n Notice) { adv.Notices = append(adv.Notices, n) }
	p := r.p
	switch {
	case earning.OutsideWindow:
		add(Notice{Kind: NoticeOutsideWindow, Date: date})
	case earning.BelowMinimum:
		add(Notice{Kind: NoticeBelowMinimum, Amount: earning.Short, MinimumAmount: p.Earn.MinOrder})
	case earning.Points.Sign() > 0:
		add(Notice{Kind: NoticeEarn, Points: earning.Points})
	}
	if r.CanRedeem() && earning.Total.IsPositive() {
		lim, err := r.MaxRedeemable(earning.Total, bal.Available)
		if err != nil {
			return Advice{}, err
		}
		adv.Redeem = lim
		switch {
		case lim.Enough:
			add(Notice{Kind: NoticeRedeem, Points: lim.Points, Amount: lim.Value})
		case bal.Available.Sign() > 0:
			add(Notice{Kind: NoticeRedeemMinimum, Points: bal.Available, Minimum: lim.MinPoints})
		}
	}
	if len(r.levels) > 0 {
		cur := max(r.tierIndex(a.Tier), r.qualified(st.Metric))
		adv.Tier = r.levels[cur].Code
		after := r.tierIndex(earning.NewTier)
		switch {
		case after > cur && !earning.OutsideWindow:
			l := r.levels[after]
			add(Notice{Kind: NoticeTierWithCart, Tier: l.Code, TierName: l.Name, TierNameRU: l.NameRU})
			if after+1 < len(r.levels) {
				adv.NextTier = r.levels[after+1].Code
				delta := earning.Qualifying.Decimal()
				if p.Tiers.Metric == MetricPoints {
					delta = earning.TierPoints
				}
				adv.ToNext = normalize(r.levels[after+1].threshold.Sub(st.Metric.Add(delta)))
			}
		case cur+1 < len(r.levels):
			l := r.levels[cur+1]
			adv.NextTier = l.Code
			adv.ToNext = normalize(l.threshold.Sub(st.Metric))
			n := Notice{Kind: NoticeNextTier, Tier: l.Code, TierName: l.Name, TierNameRU: l.NameRU, Points: adv.ToNext}
			if p.Tiers.Metric != MetricPoints {
				n.Amount, _ = money.FromDecimal(adv.ToNext, p.Currency)
			}
			add(n)
		default:
			l := r.levels[cur]
			add(Notice{Kind: NoticeTopTier, Tier: l.Code, TierName: l.Name, TierNameRU: l.NameRU})
		}
	}
	for _, e := range bal.Expiring {
		add(Notice{Kind: NoticeExpiring, Points: e.Points, Date: e.On})
	}
	if bal.Debt.Sign() > 0 {
		add(Notice{Kind: NoticeDebt, Points: bal.Debt})
	}
	return adv, nil
}
