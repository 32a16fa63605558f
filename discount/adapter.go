package discount

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// Adapter lets crm price offers and orders through the engine without
// discount importing crm. Its requests and results are plain types
// (strings, money.Amount, time.Time, JSON bytes), so crm can either name
// them directly in its own interface (crm may import discount) or mirror
// them and wrap the adapter in a few lines:
//
//	// in crm
//	type Pricer interface {
//		Price(ctx context.Context, req PricingRequest) (PricingResult, error)
//	}
//
//	type discountPricer struct{ a *discount.Adapter }
//
//	func (d discountPricer) Price(ctx context.Context, req PricingRequest) (PricingResult, error) {
//		res, err := d.a.Price(ctx, discount.PricingRequest{Currency: req.Currency, At: req.At, ...})
//		if err != nil {
//			return PricingResult{}, err // *discount.InputError, *discount.TieError: Code and Message as crm's own
//		}
//		return PricingResult{Net: res.Net, ...}, nil
//	}
//
// crm keeps PricingResult.Frozen with the order: Commit it when the order
// is placed (the uses are inside), Release it if the order is cancelled,
// and price returns from it with PriceReturn. Manual discounts that
// exceed their granter's authority come back in Approvals, for crm to
// turn into approval requests.
type Adapter struct {
	Engine *Engine
	// Usage is read for limits and budgets; nil means nothing used.
	Usage Usage
	// Ledger records uses on Commit and Release; required for those.
	Ledger UsageLedger
}

// PricingRequest is a cart in plain types. Amounts and quantities are
// decimal strings ("1234.50", "2.5"); prices are in Currency.
type PricingRequest struct {
	Currency   string // ISO 4217
	At         time.Time
	TimeZone   string // IANA name such as "Europe/Moscow"; "" means UTC
	CustomerID string
	Groups     []string
	Tier       string
	Tags       []string
	Contract   string
	Coupons    []string
	Lines      []PricingLine
	Manual     []ManualDiscount
}

// PricingLine is one line of a PricingRequest. Cost and FloorPrice are
// optional ("").
type PricingLine struct {
	ID         string
	SKU        string
	Category   []string
	Brand      string
	Quantity   string
	Unit       string
	Factor     string // "" means 1
	ListPrice  string
	Cost       string
	FloorPrice string
}

// ManualDiscount is a discount a manager grants for this request: Percent
// or Amount (one of them) off the lines of SKUs, or off the order when
// SKUs is empty. Authority is the manager's limit as a percent ("" for
// none). Stacking defaults to compounding.
type ManualDiscount struct {
	ID        string
	GrantedBy string
	Reason    string
	Authority string
	Percent   string
	Amount    string
	SKUs      []string
	Priority  int
	Stacking  string
}

// PricingResult is a priced cart in plain types.
type PricingResult struct {
	Currency            string
	List, Discount, Net money.Amount
	Lines               []PricingResultLine
	// Notes explain every adjustment, rule not applied and hint, in
	// English and Russian, with stable codes.
	Notes     []PricingNote
	Approvals []ApprovalRequest
	FreeItems []PricingFreeItem
	// Frozen is the durable record of this pricing (JSON of Frozen):
	// keep it with the order, Commit it, and price returns from it.
	Frozen []byte
}

// PricingResultLine is one priced line.
type PricingResultLine struct {
	ID, SKU             string
	List, Discount, Net money.Amount
}

// PricingNote is one explanation.
type PricingNote struct {
	Code   string
	Rule   string
	LineID string // the line's ID, or "" for the order
	EN, RU string
}

// ApprovalRequest is a manual discount above its granter's authority.
type ApprovalRequest struct {
	Rule, GrantedBy    string
	Percent, Authority string // decimal strings
	Amount             money.Amount
	EN, RU             string
}

// PricingFreeItem is an item to add at no charge.
type PricingFreeItem struct {
	SKU, Quantity string
	EN, RU        string
}

// Price prices the request. Errors are *InputError (bad request) or
// *TieError.
func (a *Adapter) Price(ctx context.Context, req PricingRequest) (PricingResult, error) {
	if err := ctx.Err(); err != nil {
		return PricingResult{}, err
	}
	if a.Engine == nil {
		return PricingResult{}, &InputError{Field: "adapter.engine", Reason: ReasonRequired}
	}
	cart, err := req.cart()
	if err != nil {
		return PricingResult{}, err
	}
	// Nothing of the priced cart outlives this call (the result copies
	// what it reports), so its memory is reused between calls.
	pc := pricedPool.Get().(*PricedCart)
	defer pricedPool.Put(pc)
	if err := a.Engine.PriceInto(pc, cart, a.Usage); err != nil {
		return PricingResult{}, err
	}
	frozen, err := json.Marshal(pc.Freeze())
	if err != nil {
		return PricingResult{}, err
	}
	res := PricingResult{Currency: pc.Currency.Code(), List: pc.List, Discount: pc.Discount, Net: pc.Net, Frozen: frozen}
	for _, l := range pc.Lines {
		res.Lines = append(res.Lines, PricingResultLine{ID: l.ID, SKU: l.SKU, List: l.List, Discount: l.Discount, Net: l.Net})
	}
	en, ru := pc.Explain("en"), pc.Explain("ru")
	for i := range en {
		n := PricingNote{Code: en[i].Code, Rule: en[i].Rule, EN: en[i].Text, RU: ru[i].Text}
		if l := en[i].Line; l >= 0 && l < len(pc.Lines) {
			n.LineID = pc.Lines[l].ID
		}
		res.Notes = append(res.Notes, n)
	}
	for _, ap := range pc.Approvals {
		res.Approvals = append(res.Approvals, ApprovalRequest{Rule: ap.Rule, GrantedBy: ap.GrantedBy,
			Percent: formatNumber(ap.Percent), Authority: formatNumber(ap.Authority), Amount: ap.Amount,
			EN: ap.Message("en"), RU: ap.Message("ru")})
	}
	for _, f := range pc.FreeItems {
		res.FreeItems = append(res.FreeItems, PricingFreeItem{SKU: f.SKU, Quantity: formatNumber(f.Quantity),
			EN: f.Message("en"), RU: f.Message("ru")})
	}
	return res, nil
}

// Commit records the uses of a frozen pricing under ref (the order id)
// in the ledger.
func (a *Adapter) Commit(ctx context.Context, ref string, frozen []byte) error {
	if a.Ledger == nil {
		return &InputError{Field: "adapter.ledger", Reason: ReasonRequired}
	}
	var f Frozen
	if err := json.Unmarshal(frozen, &f); err != nil {
		return asInputError("frozen", err)
	}
	return a.Ledger.Commit(ctx, ref, f.Uses)
}

// Release takes back the uses committed under ref.
func (a *Adapter) Release(ctx context.Context, ref string) error {
	if a.Ledger == nil {
		return &InputError{Field: "adapter.ledger", Reason: ReasonRequired}
	}
	return a.Ledger.Release(ctx, ref)
}

// ReturnRequest is a return against a frozen pricing: per line (by its
// ID) the quantity returned now and the quantity returned before.
type ReturnRequest struct {
	Frozen []byte
	Lines  []ReturnItem
}

// ReturnItem is one returned line; quantities are decimal strings in the
// sold unit ("" Returned means "0").
type ReturnItem struct {
	LineID   string
	Quantity string
	Returned string
}

// ReturnResult is the credit note in plain types.
type ReturnResult struct {
	Currency            string
	List, Discount, Net money.Amount
	Lines               []PricingResultLine
}

// PriceReturn prices a return from the frozen pricing, never from
// today's rules.
func (a *Adapter) PriceReturn(ctx context.Context, req ReturnRequest) (ReturnResult, error) {
	if err := ctx.Err(); err != nil {
		return ReturnResult{}, err
	}
	var f Frozen
	if err := json.Unmarshal(req.Frozen, &f); err != nil {
		return ReturnResult{}, asInputError("frozen", err)
	}
	lines := make([]ReturnLine, len(req.Lines))
	for i, it := range req.Lines {
		field := "lines[" + strconv.Itoa(i) + "]."
		idx := -1
		for j, fl := range f.Lines {
			if it.LineID != "" && fl.ID == it.LineID {
				idx = j
				break
			}
		}
		if idx < 0 {
			return ReturnResult{}, &InputError{Field: field + "line_id", Reason: ReasonUnknownValue, Value: it.LineID}
		}
		q, err := decimalField(field+"quantity", it.Quantity, true)
		if err != nil {
			return ReturnResult{}, err
		}
		r, err := decimalField(field+"returned", it.Returned, false)
		if err != nil {
			return ReturnResult{}, err
		}
		lines[i] = ReturnLine{Line: idx, Quantity: q, Returned: r}
	}
	note, err := PriceReturn(f, lines)
	if err != nil {
		return ReturnResult{}, err
	}
	res := ReturnResult{Currency: note.Currency.Code(), List: note.List, Discount: note.Discount, Net: note.Net}
	for _, l := range note.Lines {
		res.Lines = append(res.Lines, PricingResultLine{ID: l.ID, SKU: l.SKU, List: l.List, Discount: l.Discount, Net: l.Net})
	}
	return res, nil
}

func asInputError(field string, err error) error {
	if ie, ok := err.(*InputError); ok {
		return ie
	}
	return &InputError{Field: field, Reason: ReasonMalformedJSON, Err: err}
}

func decimalField(field, s string, required bool) (decimal.Decimal, error) {
	if s == "" && !required {
		return decimal.Decimal{}, nil
	}
	d, reason := parseNumber(s)
	if reason != "" {
		return decimal.Decimal{}, &InputError{Field: field, Reason: reason, Value: s}
	}
	return d, nil
}

func amountField(field, s string, cur money.Currency, required bool) (money.Amount, error) {
	if s == "" && !required {
		return money.Amount{}, nil
	}
	if s == "" {
		return money.Amount{}, &InputError{Field: field, Reason: ReasonRequired}
	}
	a, err := money.Parse(s, cur)
	if err != nil {
		return money.Amount{}, &InputError{Field: field, Reason: ReasonBadFormat, Value: s, Err: err}
	}
	return a, nil
}

// cart converts the request to a Cart.
func (req *PricingRequest) cart() (Cart, error) {
	cur, err := money.ParseCurrency(req.Currency)
	if err != nil {
		return Cart{}, &InputError{Field: "currency", Reason: ReasonUnknownValue, Value: req.Currency, Err: err}
	}
	loc := time.UTC
	if req.TimeZone != "" {
		if checkText(req.TimeZone, maxIDLen) != "" {
			return Cart{}, &InputError{Field: "time_zone", Reason: ReasonBadFormat, Value: req.TimeZone}
		}
		if loc, err = time.LoadLocation(req.TimeZone); err != nil {
			return Cart{}, &InputError{Field: "time_zone", Reason: ReasonUnknownValue, Value: req.TimeZone}
		}
	}
	c := Cart{Currency: cur, At: req.At, Location: loc, Coupons: req.Coupons,
		Customer: Customer{ID: req.CustomerID, Groups: req.Groups, Tier: req.Tier, Tags: req.Tags, Contract: req.Contract}}
	for i, pl := range req.Lines {
		f := "lines[" + strconv.Itoa(i) + "]."
		l := Line{ID: pl.ID, SKU: pl.SKU, Category: pl.Category, Brand: pl.Brand, Unit: pl.Unit}
		if l.Quantity, err = decimalField(f+"quantity", pl.Quantity, true); err != nil {
			return Cart{}, err
		}
		if l.Factor, err = decimalField(f+"factor", pl.Factor, false); err != nil {
			return Cart{}, err
		}
		if pl.Factor != "" && !l.Factor.IsPositive() {
			return Cart{}, &InputError{Field: f + "factor", Reason: ReasonNotPositive, Value: pl.Factor}
		}
		if l.ListPrice, err = amountField(f+"list_price", pl.ListPrice, cur, true); err != nil {
			return Cart{}, err
		}
		if l.Cost, err = amountField(f+"cost", pl.Cost, cur, false); err != nil {
			return Cart{}, err
		}
		if l.FloorPrice, err = amountField(f+"floor_price", pl.FloorPrice, cur, false); err != nil {
			return Cart{}, err
		}
		c.Lines = append(c.Lines, l)
	}
	for i, md := range req.Manual {
		r, err := md.rule(cur, "manual["+strconv.Itoa(i)+"].")
		if err != nil {
			return Cart{}, err
		}
		c.Manual = append(c.Manual, r)
	}
	return c, nil
}

// rule converts a manual discount to a Rule.
func (md *ManualDiscount) rule(cur money.Currency, f string) (Rule, error) {
	r := Rule{ID: md.ID, Name: "Manual discount", Priority: md.Priority, Stacking: Stacking(md.Stacking),
		Manual: &Manual{GrantedBy: md.GrantedBy, Reason: md.Reason}}
	if md.Reason != "" {
		r.Name = md.Reason
	}
	if r.Stacking == "" {
		r.Stacking = Compounding
	}
	if md.Authority != "" {
		auth, err := decimalField(f+"authority", md.Authority, true)
		if err != nil {
			return Rule{}, err
		}
		r.Manual.Authority = &auth
	}
	switch {
	case md.Percent != "" && md.Amount != "":
		return Rule{}, &InputError{Field: f + "amount", Reason: ReasonNotAllowed, Detail: "give a percent or an amount, not both"}
	case md.Percent != "":
		p, err := decimalField(f+"percent", md.Percent, true)
		if err != nil {
			return Rule{}, err
		}
		r.Action = Action{Kind: ActionPercentOff, Percent: p}
	case md.Amount != "":
		amt, err := amountField(f+"amount", md.Amount, cur, true)
		if err != nil {
			return Rule{}, err
		}
		r.Action = Action{Kind: ActionAmountOff, Amount: amt, Per: PerOrder}
		if len(md.SKUs) > 0 {
			r.Action.Per = PerLine
		}
	default:
		return Rule{}, &InputError{Field: f + "percent", Reason: ReasonRequired}
	}
	if len(md.SKUs) > 0 {
		r.Scope = Scope{Kind: ScopeLine, Target: Selector{SKUs: md.SKUs}}
	} else {
		r.Scope = Scope{Kind: ScopeOrder}
	}
	return r, nil
}

// pricedPool holds the priced carts Adapter.Price works in.
var pricedPool = sync.Pool{New: func() any { return new(PricedCart) }}
