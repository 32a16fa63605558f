package discount

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
)

// Explanation codes. Adjustments use their action's code (see
// Adjustment.Code); rejections their RejectReason; the rest these.
const (
	CodePercentOff       = "percent_off"
	CodeAmountOffUnit    = "amount_off_unit"
	CodeAmountOffLine    = "amount_off_line"
	CodeAmountOffOrder   = "amount_off_order"
	CodeFixedPrice       = "fixed_price"
	CodeVolumePercent    = "volume_percent"
	CodeVolumePrice      = "volume_price"
	CodeBuyXGetY         = "buy_x_get_y"
	CodeFreeItem         = "free_item"
	CodeHintQuantity     = "hint_quantity"
	CodeHintAmount       = "hint_amount"
	CodeFreeItemToAdd    = "free_item_to_add"
	CodeApprovalRequired = "approval_required"
)

// Explanation is one thing to tell about a priced cart, in one language.
type Explanation struct {
	Code string
	Rule string
	Line int // the line it concerns, or -1
	Text string
}

// Explain returns every explanation of the cart in the language of tag:
// the adjustments in the order they were applied, then the manual
// discounts that need approval, the free items to add, the rules that
// did not apply and the hints.
func (pc *PricedCart) Explain(tag string) []Explanation {
	var out []Explanation
	for _, a := range pc.Adjustments {
		out = append(out, Explanation{Code: a.Code(), Rule: a.Rule, Line: a.Line, Text: a.Message(tag)})
	}
	for _, a := range pc.Approvals {
		out = append(out, Explanation{Code: a.Code(), Rule: a.Rule, Line: -1, Text: a.Message(tag)})
	}
	for _, f := range pc.FreeItems {
		out = append(out, Explanation{Code: f.Code(), Rule: f.Rule, Line: -1, Text: f.Message(tag)})
	}
	for _, r := range pc.NotApplied {
		out = append(out, Explanation{Code: r.Code(), Rule: r.Rule, Line: r.Line, Text: r.Message(tag)})
	}
	for _, h := range pc.Hints {
		out = append(out, Explanation{Code: h.Code(), Rule: h.Rule, Line: h.Line, Text: h.Message(tag)})
	}
	return out
}

func display(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func quote(tag, s string) string {
	if lang.IsRussian(tag) {
		return "«" + s + "»"
	}
	return strconv.Quote(s)
}

// units writes a number of units: "1 unit", "3 units", "3 ед.".
func units(q decimal.Decimal, tag string) string {
	n := numberText(q, tag)
	if lang.IsRussian(tag) {
		return n + " ед."
	}
	if q.Equal(one) {
		return n + " unit"
	}
	return n + " units"
}

func pct(p decimal.Decimal, tag string) string { return numberText(p, tag) + "%" }

// Code returns the stable code of the adjustment's kind of discount.
func (a Adjustment) Code() string { return termsCode(a.Terms) }

func termsCode(t Terms) string {
	switch t.Kind {
	case ActionAmountOff:
		switch t.Per {
		case PerUnit:
			return CodeAmountOffUnit
		case PerLine:
			return CodeAmountOffLine
		}
		return CodeAmountOffOrder
	case ActionFixedPrice:
		return CodeFixedPrice
	case ActionVolume:
		if !t.Amount.Currency().IsZero() {
			return CodeVolumePrice
		}
		return CodeVolumePercent
	case ActionBuyXGetY:
		return CodeBuyXGetY
	case ActionFreeItem:
		return CodeFreeItem
	}
	return CodePercentOff
}

// from writes a volume break's threshold: " (from 50 units)".
func from(t Terms, tag string) string {
	if !t.FromAmount.Currency().IsZero() {
		return lang.Pick(tag, " (from ", " (от ") + t.FromAmount.Format(tag) + ")"
	}
	return lang.Pick(tag, " (from ", " (от ") + units(t.FromQuantity, tag) + ")"
}

// describe writes what an adjustment gave: "10% off DRILL-1".
func describe(t Terms, sku string, n decimal.Decimal, tag string) string {
	ru := lang.IsRussian(tag)
	on, of, forWhat := " off "+sku, " of "+sku, " for "+sku
	onRU := " на " + sku
	if sku == "" {
		on, of, forWhat, onRU = " off the order", "", " for the order", " на заказ"
	}
	switch termsCode(t) {
	case CodeAmountOffUnit:
		if ru {
			return "скидка " + t.Amount.Format(tag) + " на каждую единицу " + sku
		}
		return t.Amount.Format(tag) + " off each unit" + of
	case CodeAmountOffLine, CodeAmountOffOrder:
		if ru {
			return "скидка " + t.Amount.Format(tag) + onRU
		}
		return t.Amount.Format(tag) + on
	case CodeFixedPrice:
		if ru {
			return "специальная цена " + t.Amount.Format(tag) + " за единицу " + sku
		}
		return "special price " + t.Amount.Format(tag) + " per unit" + forWhat
	case CodeVolumePercent:
		if ru {
			return "скидка за объём " + pct(t.Percent, tag) + onRU + from(t, tag)
		}
		return "volume discount " + pct(t.Percent, tag) + " on " + orderOr(sku) + from(t, tag)
	case CodeVolumePrice:
		if ru {
			return "цена за объём " + t.Amount.Format(tag) + " за единицу " + sku + from(t, tag)
		}
		return "volume price " + t.Amount.Format(tag) + " per unit" + forWhat + from(t, tag)
	case CodeBuyXGetY:
		return bxgy(t, tag) + ": " + units(n, tag) + " " + sku
	case CodeFreeItem:
		if ru {
			return "подарок: " + units(n, tag) + " " + sku
		}
		return "free item: " + units(n, tag) + " " + sku
	}
	if ru {
		return "скидка " + pct(t.Percent, tag) + onRU
	}
	return pct(t.Percent, tag) + on
}

func orderOr(sku string) string {
	if sku == "" {
		return "the order"
	}
	return sku
}

func bxgy(t Terms, tag string) string {
	buy, get := strconv.FormatInt(t.Buy, 10), strconv.FormatInt(t.Get, 10)
	if t.Percent.Equal(hundred) {
		return lang.Pick(tag, "buy "+buy+", get "+get+" free", "купите "+buy+", получите "+get+" бесплатно")
	}
	return lang.Pick(tag, "buy "+buy+", get "+get+" at "+pct(t.Percent, tag)+" off",
		"купите "+buy+", получите "+get+" со скидкой "+pct(t.Percent, tag))
}

func capText(c Cap, tag string) string {
	switch c {
	case CapFloor:
		return lang.Pick(tag, "limited by the minimum price", "ограничено минимальной ценой")
	case CapRuleMax:
		return lang.Pick(tag, "limited by the rule's maximum", "ограничено максимумом скидки по правилу")
	}
	return lang.Pick(tag, "limited by the remaining budget", "ограничено остатком бюджета")
}

// Message tells the client about the adjustment in the language of tag:
// "Spring sale: 10% off DRILL-1 — RUB 100.00".
func (a Adjustment) Message(tag string) string {
	s := display(a.RuleName, a.Rule) + ": " + describe(a.Terms, a.SKU, a.Units, tag) + " — " + a.Amount.Format(tag)
	if a.GrantedBy != "" {
		s = lang.Pick(tag, "Manual discount by ", "Ручная скидка, предоставил ") + a.GrantedBy + ". " + s
	}
	for _, c := range a.Capped {
		s += " (" + capText(c, tag) + ")"
	}
	if a.NeedsApproval {
		s += lang.Pick(tag, " (needs approval)", " (требует согласования)")
	}
	return s
}

// Code returns the reason code.
func (r Rejection) Code() string { return string(r.Reason) }

// Message says why the rule did not apply, in the language of tag.
func (r Rejection) Message(tag string) string {
	head := display(r.RuleName, r.Rule) + lang.Pick(tag, ": not applied", ": не применено")
	if r.SKU != "" {
		head += lang.Pick(tag, " to ", " к ") + r.SKU
	}
	var why string
	switch r.Reason {
	case LostOnPriority:
		why = lang.Pick(tag, "rule "+quote(tag, r.By)+" takes precedence", "приоритет у правила "+quote(tag, r.By))
	case LostTie:
		why = lang.Pick(tag, "rule "+quote(tag, r.By)+" of the same priority was chosen",
			"выбрано правило "+quote(tag, r.By)+" с тем же приоритетом")
	case LimitExhausted:
		if r.Budget {
			why = lang.Pick(tag, "the budget of ", "исчерпан бюджет ") + r.Key.describe(tag) + lang.Pick(tag, " is used up", "")
		} else {
			why = lang.Pick(tag, "the usage limit of ", "исчерпан лимит использований ") + r.Key.describe(tag) + lang.Pick(tag, " is reached", "")
		}
	case CustomerRequired:
		why = lang.Pick(tag, "the rule has limits per customer and the customer is not identified",
			"у правила есть лимиты на клиента, а клиент не указан")
	case MinQuantityNotReached:
		why = lang.Pick(tag, "the minimum quantity is not reached", "не набрано минимальное количество")
	case MinAmountNotReached:
		why = lang.Pick(tag, "the minimum amount is not reached", "не набрана минимальная сумма")
	case MaxQuantityExceeded:
		why = lang.Pick(tag, "the quantity is above the maximum", "количество больше максимального")
	case MaxAmountExceeded:
		why = lang.Pick(tag, "the amount is above the maximum", "сумма больше максимальной")
	case RuleMaxReached:
		why = lang.Pick(tag, "the rule's maximum discount is reached", "достигнут максимум скидки по правилу")
	case FloorReached:
		why = lang.Pick(tag, "the price is already at its minimum", "цена уже минимальная")
	case ConditionLinesMissing:
		why = lang.Pick(tag, "the cart has none of the products it requires", "в корзине нет товаров, которые требует правило")
	default:
		why = lang.Pick(tag, "it would not lower the price", "цена не снизилась бы")
	}
	return head + " — " + why
}

// reward writes what a hint unlocks, in the accusative for Russian:
// "10% off" / "скидку 10%".
func reward(t Terms, tag string) string {
	ru := lang.IsRussian(tag)
	switch termsCode(t) {
	case CodeAmountOffUnit:
		return lang.Pick(tag, t.Amount.Format(tag)+" off each unit", "скидку "+t.Amount.Format(tag)+" на каждую единицу")
	case CodeAmountOffLine:
		return lang.Pick(tag, t.Amount.Format(tag)+" off", "скидку "+t.Amount.Format(tag))
	case CodeAmountOffOrder:
		return lang.Pick(tag, t.Amount.Format(tag)+" off the order", "скидку "+t.Amount.Format(tag)+" на заказ")
	case CodeFixedPrice:
		return lang.Pick(tag, "a special price of "+t.Amount.Format(tag)+" per unit", "специальную цену "+t.Amount.Format(tag)+" за единицу")
	case CodeVolumePercent:
		return lang.Pick(tag, "a volume discount of "+pct(t.Percent, tag), "скидку за объём "+pct(t.Percent, tag))
	case CodeVolumePrice:
		return lang.Pick(tag, "a volume price of "+t.Amount.Format(tag)+" per unit", "цену за объём "+t.Amount.Format(tag)+" за единицу")
	case CodeBuyXGetY:
		if ru {
			return "предложение «" + bxgy(t, tag) + "»"
		}
		return "the offer \"" + bxgy(t, tag) + "\""
	case CodeFreeItem:
		return lang.Pick(tag, units(t.Quantity, tag)+" of "+t.SKU+" free", "подарок: "+units(t.Quantity, tag)+" "+t.SKU)
	}
	return lang.Pick(tag, pct(t.Percent, tag)+" off", "скидку "+pct(t.Percent, tag))
}

// Code returns CodeHintQuantity or CodeHintAmount.
func (h Hint) Code() string {
	if !h.Amount.Currency().IsZero() {
		return CodeHintAmount
	}
	return CodeHintQuantity
}

// Message says what would unlock the discount, in the language of tag:
// "Add 3 more units of DRILL-1 to get 10% off (Spring sale)".
func (h Hint) Message(tag string) string {
	name := " (" + display(h.RuleName, h.Rule) + ")"
	if h.Code() == CodeHintAmount {
		if h.SKU != "" {
			return lang.Pick(tag,
				"Add "+h.Amount.Format(tag)+" more of "+h.SKU+" to get "+reward(h.Terms, tag),
				"Добавьте "+h.SKU+" ещё на "+h.Amount.Format(tag)+", чтобы получить "+reward(h.Terms, tag)) + name
		}
		return lang.Pick(tag,
			"Add "+h.Amount.Format(tag)+" more to get "+reward(h.Terms, tag),
			"Добавьте товаров ещё на "+h.Amount.Format(tag)+", чтобы получить "+reward(h.Terms, tag)) + name
	}
	if lang.IsRussian(tag) {
		what := ""
		if h.SKU != "" {
			what = " " + h.SKU
		}
		return "Добавьте ещё " + units(h.Quantity, tag) + what + ", чтобы получить " + reward(h.Terms, tag) + name
	}
	unit := " more units"
	if h.Quantity.Equal(one) {
		unit = " more unit"
	}
	what := ""
	if h.SKU != "" {
		what = " of " + h.SKU
	}
	return "Add " + numberText(h.Quantity, tag) + unit + what + " to get " + reward(h.Terms, tag) + name
}

// Code returns CodeFreeItemToAdd.
func (f FreeItem) Code() string { return CodeFreeItemToAdd }

// Message asks to add the free item, in the language of tag.
func (f FreeItem) Message(tag string) string {
	return lang.Pick(tag,
		"Add "+units(f.Quantity, tag)+" of "+f.SKU+" free of charge",
		"Добавьте "+units(f.Quantity, tag)+" "+f.SKU+" бесплатно") + " (" + display(f.RuleName, f.Rule) + ")"
}

// Code returns CodeApprovalRequired.
func (a Approval) Code() string { return CodeApprovalRequired }

// Message says that the manual discount needs approval, in the language
// of tag.
func (a Approval) Message(tag string) string {
	name := quote(tag, display(a.RuleName, a.Rule))
	return lang.Pick(tag,
		"Manual discount "+name+" by "+a.GrantedBy+" is "+pct(a.Percent, tag)+" ("+a.Amount.Format(tag)+" of "+a.Base.Format(tag)+
			"), above the authority of "+pct(a.Authority, tag)+": it needs approval",
		"Ручная скидка "+name+" (предоставил "+a.GrantedBy+") составляет "+pct(a.Percent, tag)+" ("+a.Amount.Format(tag)+" от "+a.Base.Format(tag)+
			"), что выше полномочий "+pct(a.Authority, tag)+": требуется согласование")
}
