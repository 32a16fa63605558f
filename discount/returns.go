package discount

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/internal/strictjson"
	"github.com/crmkit/crmkit/money"
)

// Frozen is the durable record of a priced cart, kept with the order:
// the prices it was sold at, the adjustments, and the uses to commit.
// Returns and credit notes are priced from it (PriceReturn), never from
// today's rules. Its JSON form round-trips and is independent of
// shopspring/decimal's package settings.
type Frozen struct {
	Currency    money.Currency
	At          time.Time
	Rounding    money.RoundingMode
	Customer    string
	Lines       []FrozenLine
	Adjustments []FrozenAdjustment
	Uses        []Use
}

// FrozenLine is one line as it was sold.
type FrozenLine struct {
	ID, SKU             string
	Quantity            decimal.Decimal // in the sold unit
	Unit                string
	List, Discount, Net money.Amount
}

// FrozenAdjustment records one adjustment: the rule, the line (-1 for
// the order), the amount and its code.
type FrozenAdjustment struct {
	Rule   string
	Line   int
	Code   string
	Amount money.Amount
}

// Freeze returns the durable record of the priced cart.
func (pc *PricedCart) Freeze() Frozen {
	f := Frozen{Currency: pc.Currency, At: pc.At, Rounding: pc.Rounding, Customer: pc.Customer,
		Lines: make([]FrozenLine, len(pc.Lines)), Uses: append([]Use(nil), pc.Uses...)}
	for i, l := range pc.Lines {
		f.Lines[i] = FrozenLine{ID: l.ID, SKU: l.SKU, Quantity: l.Quantity, Unit: l.Unit, List: l.List, Discount: l.Discount, Net: l.Net}
	}
	for _, a := range pc.Adjustments {
		f.Adjustments = append(f.Adjustments, FrozenAdjustment{Rule: a.Rule, Line: a.Line, Code: a.Code(), Amount: a.Amount})
	}
	return f
}

type wireFrozenLine struct {
	ID       string       `json:"id,omitempty"`
	SKU      string       `json:"sku"`
	Quantity string       `json:"quantity"`
	Unit     string       `json:"unit,omitempty"`
	List     money.Amount `json:"list"`
	Discount money.Amount `json:"discount"`
	Net      money.Amount `json:"net"`
}

type wireFrozenAdjustment struct {
	Rule   string       `json:"rule"`
	Line   int          `json:"line"`
	Code   string       `json:"code"`
	Amount money.Amount `json:"amount"`
}

type wireUse struct {
	Rule     string          `json:"rule,omitempty"`
	Coupon   string          `json:"coupon,omitempty"`
	Customer string          `json:"customer,omitempty"`
	Amount   money.Amount    `json:"amount"`
	MaxUses  int64           `json:"max_uses,omitempty"`
	Budget   json.RawMessage `json:"budget,omitempty"`
}

type wireFrozen struct {
	Currency    money.Currency         `json:"currency"`
	At          time.Time              `json:"at"`
	Rounding    *money.RoundingMode    `json:"rounding"`
	Customer    string                 `json:"customer,omitempty"`
	Lines       []wireFrozenLine       `json:"lines"`
	Adjustments []wireFrozenAdjustment `json:"adjustments,omitempty"`
	Uses        []wireUse              `json:"uses,omitempty"`
}

// MarshalJSON encodes the record.
func (f Frozen) MarshalJSON() ([]byte, error) {
	w := wireFrozen{Currency: f.Currency, At: f.At, Rounding: &f.Rounding, Customer: f.Customer,
		Lines: make([]wireFrozenLine, len(f.Lines))}
	for i, l := range f.Lines {
		w.Lines[i] = wireFrozenLine{ID: l.ID, SKU: l.SKU, Quantity: formatNumber(l.Quantity), Unit: l.Unit,
			List: l.List, Discount: l.Discount, Net: l.Net}
	}
	for _, a := range f.Adjustments {
		w.Adjustments = append(w.Adjustments, wireFrozenAdjustment(a))
	}
	for _, u := range f.Uses {
		w.Uses = append(w.Uses, wireUse{Rule: u.Key.Rule, Coupon: u.Key.Coupon, Customer: u.Key.Customer,
			Amount: u.Amount, MaxUses: u.Limit.MaxUses, Budget: amountOut(u.Limit.Budget)})
	}
	return json.Marshal(w)
}

// UnmarshalJSON decodes a record strictly (no repeated, case-variant or
// unknown keys, values of the right JSON kind) and checks it: currency,
// at and rounding required; every amount of lines, adjustments and uses
// in the record's currency, not negative and a whole number of minor
// units; List − Discount = Net on every line; adjustment lines in range;
// max_uses not negative. Failures are *InputError naming the field.
func (f *Frozen) UnmarshalJSON(data []byte) error {
	var w wireFrozen
	if p := strictjson.Check(data, reflect.TypeFor[wireFrozen]()); p != nil {
		re := problemError("", "", p)
		return &InputError{Field: "frozen." + re.Field, Reason: re.Reason, Value: re.Value}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		re := jsonError("", "", err)
		return &InputError{Field: "frozen." + re.Field, Reason: re.Reason, Value: re.Value, Err: err}
	}
	if w.Currency.IsZero() {
		return &InputError{Field: "frozen.currency", Reason: ReasonRequired}
	}
	if w.At.IsZero() {
		return &InputError{Field: "frozen.at", Reason: ReasonRequired}
	}
	if w.Rounding == nil {
		return &InputError{Field: "frozen.rounding", Reason: ReasonRequired}
	}
	// checkAmount refuses an amount in another currency, negative, or
	// not a whole number of minor units (the engine writes no other).
	checkAmount := func(field string, a money.Amount) error {
		if a.Currency() != w.Currency {
			return &InputError{Field: field, Reason: ReasonCurrencyMismatch, Value: a.String()}
		}
		if a.IsNegative() {
			return &InputError{Field: field, Reason: ReasonNegative, Value: a.String()}
		}
		if _, ok := a.Minor(); !ok {
			return &InputError{Field: field, Reason: ReasonOutOfRange, Value: a.String(), Detail: "not a whole number of minor units"}
		}
		return nil
	}
	out := Frozen{Currency: w.Currency, At: w.At, Rounding: *w.Rounding, Customer: w.Customer, Lines: make([]FrozenLine, len(w.Lines))}
	for i, l := range w.Lines {
		field := "frozen.lines[" + strconv.Itoa(i) + "]."
		q, reason := parseNumberN(l.Quantity, maxFrozenNumberLen)
		if reason == "" && !saneDecimal(q) {
			reason = ReasonOutOfRange
		}
		if reason != "" {
			return &InputError{Field: field + "quantity", Reason: reason, Value: l.Quantity}
		}
		if q.IsNegative() {
			return &InputError{Field: field + "quantity", Reason: ReasonNegative, Value: l.Quantity}
		}
		for _, a := range []struct {
			name string
			v    money.Amount
		}{{"list", l.List}, {"discount", l.Discount}, {"net", l.Net}} {
			if err := checkAmount(field+a.name, a.v); err != nil {
				return err
			}
		}
		if !sub(l.List, l.Discount).Equal(l.Net) {
			return &InputError{Field: field + "net", Reason: ReasonOutOfRange, Value: l.Net.String(), Detail: "list − discount ≠ net"}
		}
		out.Lines[i] = FrozenLine{ID: l.ID, SKU: l.SKU, Quantity: q, Unit: l.Unit, List: l.List, Discount: l.Discount, Net: l.Net}
	}
	for i, a := range w.Adjustments {
		field := "frozen.adjustments[" + strconv.Itoa(i) + "]."
		if a.Line < -1 || a.Line >= len(w.Lines) {
			return &InputError{Field: field + "line", Reason: ReasonOutOfRange, Value: strconv.Itoa(a.Line)}
		}
		if err := checkAmount(field+"amount", a.Amount); err != nil {
			return err
		}
		out.Adjustments = append(out.Adjustments, FrozenAdjustment(a))
	}
	d := &fieldDecoder{rule: "frozen"}
	for i, u := range w.Uses {
		field := "frozen.uses[" + strconv.Itoa(i) + "]."
		if err := checkAmount(field+"amount", u.Amount); err != nil {
			return err
		}
		if u.MaxUses < 0 {
			return &InputError{Field: field + "max_uses", Reason: ReasonNegative, Value: strconv.FormatInt(u.MaxUses, 10)}
		}
		budget := d.amount("uses["+strconv.Itoa(i)+"].budget", u.Budget)
		if d.err != nil {
			return &InputError{Field: "frozen." + d.err.Field, Reason: d.err.Reason, Err: d.err.Err}
		}
		if !budget.Currency().IsZero() {
			if err := checkAmount(field+"budget", budget); err != nil {
				return err
			}
		}
		out.Uses = append(out.Uses, Use{Key: UsageKey{Rule: u.Rule, Coupon: u.Coupon, Customer: u.Customer}, Amount: u.Amount,
			Limit: Limit{MaxUses: u.MaxUses, Budget: budget}})
	}
	*f = out
	return nil
}

// ReturnLine is a quantity of a frozen line being returned. Returned is
// the quantity of the same line returned before (by earlier credit
// notes), so that successive partial returns add up to exactly the
// line's amounts.
type ReturnLine struct {
	Line     int             // index into Frozen.Lines
	Quantity decimal.Decimal // in the sold unit; positive
	Returned decimal.Decimal // returned before; not negative
}

// CreditNote is what a return gives back.
type CreditNote struct {
	Currency money.Currency
	Lines    []CreditLine
	// List, Discount and Net add up the returned lines' pro-rata shares.
	List, Discount, Net money.Amount
	// Clawback is, for a return priced by Engine.RepriceReturn, the
	// discount the goods the client keeps no longer earn, added by this
	// return (negative when this return gives back part of an earlier
	// clawback, as when the rest of a line follows). Zero for
	// PriceReturn.
	Clawback money.Amount
	// Due is Net − Clawback: what the credit note gives back. Negative
	// means the client owes the difference (a debit note): returning a
	// few units can cost the rest of the order its volume discount.
	Due money.Amount
	// Shortfalls explain, for RepriceReturn, the clawback once this
	// return is made: each rule of the sale whose discount the kept goods
	// now get differs beyond rounding from their pro-rata share, short of
	// it (a loss) or beyond it (a gain, which offsets other rules' losses
	// and is listed even when there are none), in the sale's rule order.
	// Counted over all returns so far, they add up to the clawback after
	// this return unless that sum is negative (then the clawback is
	// zero).
	Shortfalls []Shortfall
	// Lost lists, for RepriceReturn, why the kept goods no longer get
	// each discount of the sale that they lose entirely — a rule's
	// discount on a line of which something is kept, or on the order:
	// the re-priced cart's rejections of that rule there (no_effect when
	// the rule no longer even matches).
	Lost []Rejection
}

// Shortfall is what one rule of the sale gives the kept goods, re-priced,
// against their pro-rata share of what it gave at the sale, on the lines
// it reached then (Engine.RepriceReturn). Short is Share − Now: positive
// for a loss, negative for a gain, which offsets other rules' losses, if
// any.
type Shortfall struct {
	Rule, RuleName    string
	Share, Now, Short money.Amount
}

// Code returns "clawback" for a loss and "offset" for a gain.
func (s Shortfall) Code() string {
	if s.Short.IsNegative() {
		return "offset"
	}
	return "clawback"
}

// Message says what the kept goods get of the rule, in the language of
// tag.
func (s Shortfall) Message(tag string) string {
	name := display(s.RuleName, s.Rule)
	return name + lang.Pick(tag,
		": the goods kept get "+s.Now.Format(tag)+" of it against their share of "+s.Share.Format(tag)+" at the sale",
		": оставшийся товар получает "+s.Now.Format(tag)+" вместо своей доли при продаже "+s.Share.Format(tag))
}

// CreditLine is one returned line: the share of its list amount,
// discount and net amount that the returned quantity carries.
type CreditLine struct {
	Line                int
	ID, SKU             string
	Quantity            decimal.Decimal
	List, Discount, Net money.Amount
}

// PriceReturn prices a return from the frozen record of the original
// sale. For a line sold as quantity Q with list L and net N, returning q
// and discount D, returning q after r already returned refunds
//
//	net:      round(N × (r+q)/Q) − round(N × r/Q)
//	discount: round(D × (r+q)/Q) − round(D × r/Q)
//	list:     net + discount
//
// rounded with the sale's rounding mode. Every part is non-negative and
// the returns of a whole line add up to exactly its N, D and L whatever
// the steps. Due is Net: the kept goods keep their discounts (see
// Engine.RepriceReturn for terms that claw back what they no longer
// earn). Errors are *InputError.
func PriceReturn(f Frozen, lines []ReturnLine) (*CreditNote, error) {
	if f.Currency.IsZero() {
		return nil, &InputError{Field: "frozen.currency", Reason: ReasonRequired}
	}
	zero := money.Zero(f.Currency)
	note := &CreditNote{Currency: f.Currency, List: zero, Discount: zero, Net: zero, Clawback: zero, Due: zero}
	seen := make(map[int]bool, len(lines))
	for i, rl := range lines {
		field := "lines[" + strconv.Itoa(i) + "]."
		if rl.Line < 0 || rl.Line >= len(f.Lines) {
			return nil, &InputError{Field: field + "line", Reason: ReasonOutOfRange, Value: strconv.Itoa(rl.Line)}
		}
		if seen[rl.Line] {
			return nil, &InputError{Field: field + "line", Reason: ReasonDuplicate, Value: strconv.Itoa(rl.Line)}
		}
		seen[rl.Line] = true
		fl := f.Lines[rl.Line]
		switch {
		case !saneDecimal(rl.Quantity) || !saneDecimal(rl.Returned) || !saneDecimal(fl.Quantity):
			return nil, &InputError{Field: field + "quantity", Reason: ReasonOutOfRange, Value: formatNumber(rl.Quantity)}
		case !rl.Quantity.IsPositive():
			return nil, &InputError{Field: field + "quantity", Reason: ReasonNotPositive, Value: formatNumber(rl.Quantity)}
		case rl.Returned.IsNegative():
			return nil, &InputError{Field: field + "returned", Reason: ReasonNegative, Value: formatNumber(rl.Returned)}
		case rl.Returned.Add(rl.Quantity).Cmp(fl.Quantity) > 0:
			return nil, &InputError{Field: field + "quantity", Reason: ReasonOutOfRange, Value: formatNumber(rl.Quantity),
				Detail: "more than was sold (" + formatNumber(fl.Quantity) + ") less what was returned before (" + formatNumber(rl.Returned) + ")"}
		}
		upTo := rl.Returned.Add(rl.Quantity)
		share := func(total money.Amount) money.Amount {
			return sub(mulDiv(total, upTo, fl.Quantity, f.Rounding), mulDiv(total, rl.Returned, fl.Quantity, f.Rounding))
		}
		net, disc := share(fl.Net), share(fl.Discount)
		list := add(net, disc)
		cl := CreditLine{Line: rl.Line, ID: fl.ID, SKU: fl.SKU, Quantity: rl.Quantity, List: list, Discount: disc, Net: net}
		note.Lines = append(note.Lines, cl)
		note.List, note.Discount, note.Net = add(note.List, list), add(note.Discount, cl.Discount), add(note.Net, net)
	}
	note.Due = note.Net
	return note, nil
}
