package discount

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/civil"
	"github.com/crmkit/crmkit/money"
)

// Cart is what is priced: the currency, the moment of pricing and the time
// zone that dates are judged in, who buys, the coupons they presented,
// manual discounts granted for this cart, and the lines.
type Cart struct {
	// Currency of every price in the cart. Required.
	Currency money.Currency
	// At is the moment of pricing. Required.
	At time.Time
	// Location is the time zone in which validity windows are judged
	// (the customer's or the shop's). Nil means UTC.
	Location *time.Location
	// Customer holds the facts rules may be conditioned on.
	Customer Customer
	// Coupons are the codes the customer presented. Case and surrounding
	// spaces are ignored.
	Coupons []string
	// Manual discounts granted by a manager for this cart. Each must have
	// Manual set and an id that no rule of the engine uses.
	Manual []Rule
	// Lines of the cart, priced in this order.
	Lines []Line
}

// Customer holds the facts about the buyer that rules may test.
type Customer struct {
	ID       string
	Groups   []string // groups or segments ("wholesale", "key-accounts")
	Tier     string   // loyalty or service tier ("gold")
	Tags     []string
	Contract string // the contract the order is placed under, if any
}

// Line is one position of a cart.
type Line struct {
	// ID is the host's line id, copied to the output. Optional; when
	// given it must be unique in the cart.
	ID  string
	SKU string // required
	// Category is the line's category path, from the root down, as
	// category ids: ["tools", "power", "drills"].
	Category []string
	Brand    string
	// Quantity in the unit the line is sold in. Must not be negative.
	Quantity decimal.Decimal
	Unit     string // the sold unit, for people ("box"); optional
	// Factor converts the sold unit to stock units (a box of 12 is 12).
	// Zero means 1; negative is refused.
	Factor decimal.Decimal
	// ListPrice per sold unit, in the cart's currency. Required.
	ListPrice money.Amount
	// Cost per sold unit, optional (the zero Amount when unknown). When
	// given, the line never goes below the minimum margin.
	Cost money.Amount
	// FloorPrice per sold unit, optional: the line never goes below
	// FloorPrice × Quantity.
	FloorPrice money.Amount
}

// StockQuantity returns the quantity in stock units (Quantity × Factor).
func (l Line) StockQuantity() decimal.Decimal {
	if l.Factor.IsZero() {
		return l.Quantity
	}
	return l.Quantity.Mul(l.Factor)
}

// Bounds on free-form input, so that hostile carts and rules stay small.
const (
	maxIDLen     = 128
	maxTextLen   = 256
	maxDigits    = 40 // significant digits of any number
	maxExponent  = 30 // |exponent| of any number
	maxCouponLen = 64
	// maxListLen bounds each list of a cart (coupons, manual discounts,
	// the customer's groups and tags); maxCategoryDepth bounds a line's
	// category path. Real carts are far below both; the bounds keep a
	// hostile cart's checks short.
	maxListLen       = 256
	maxCategoryDepth = 32
)

// saneDecimal reports whether d is small enough to compute with quickly:
// at most 40 significant digits and an exponent within ±30.
func saneDecimal(d decimal.Decimal) bool {
	if d.IsZero() {
		return d.Exponent() >= -maxExponent-maxDigits && d.Exponent() <= maxExponent
	}
	exp := d.Exponent()
	return exp >= -maxExponent && exp <= maxExponent && d.NumDigits() <= maxDigits
}

// checkText validates a free-form identifier: valid UTF-8, no control
// characters, at most max bytes. Empty is allowed (callers check
// required fields themselves).
func checkText(s string, max int) Reason {
	if len(s) > max {
		return ReasonTooLong
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 || b == 0x7f {
			return ReasonBadFormat
		}
		ascii = ascii && b < 0x80
	}
	if ascii {
		return ""
	}
	if !utf8.ValidString(s) {
		return ReasonBadFormat
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return ReasonBadFormat
		}
	}
	return ""
}

// normCoupon folds a coupon code for comparison: spaces trimmed, upper case.
func normCoupon(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// validateCart checks the cart and returns the first problem as an
// *InputError naming the field.
// ids and parents are empty maps it may fill (Price passes pooled ones).
func validateCart(c *Cart, ids map[string]int, parents map[string]string) error {
	if c.Currency.IsZero() {
		return &InputError{Field: "currency", Reason: ReasonRequired}
	}
	if c.At.IsZero() {
		return &InputError{Field: "at", Reason: ReasonRequired}
	}
	if y := c.At.Year(); y < 1 || y > 9999 {
		return &InputError{Field: "at", Reason: ReasonOutOfRange, Value: strconv.Itoa(y), Detail: "the year must be within 1..9999"}
	}
	if err := checkCustomer(&c.Customer); err != nil {
		return err
	}
	if err := checkListLen("coupons", len(c.Coupons), maxListLen); err != nil {
		return err
	}
	if err := checkListLen("manual", len(c.Manual), maxListLen); err != nil {
		return err
	}
	for i, code := range c.Coupons {
		// The field's name is built only for an error: a valid cart
		// allocates nothing here.
		if strings.TrimSpace(code) == "" {
			return &InputError{Field: indexed("coupons", i), Reason: ReasonRequired}
		}
		if r := checkText(code, maxCouponLen); r != "" {
			return &InputError{Field: indexed("coupons", i), Reason: r, Value: code}
		}
	}
	for i := range c.Lines {
		if err := checkLine(c, i, ids, parents); err != nil {
			return err
		}
	}
	return nil
}

// checkListLen refuses a list field longer than max.
func checkListLen(field string, n, max int) error {
	if n <= max {
		return nil
	}
	return &InputError{Field: field, Reason: ReasonTooLong, Value: strconv.Itoa(n),
		Detail: "at most " + strconv.Itoa(max) + " entries"}
}

// indexed names an element of a list field: "coupons[2]".
func indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func checkCustomer(cu *Customer) error {
	single := [...]struct {
		field, value string
	}{{"customer.id", cu.ID}, {"customer.tier", cu.Tier}, {"customer.contract", cu.Contract}}
	for _, s := range single {
		if r := checkText(s.value, maxIDLen); r != "" {
			return &InputError{Field: s.field, Reason: r, Value: s.value}
		}
	}
	lists := [...]struct {
		field  string
		values []string
	}{{"customer.groups", cu.Groups}, {"customer.tags", cu.Tags}}
	for _, l := range lists {
		if err := checkListLen(l.field, len(l.values), maxListLen); err != nil {
			return err
		}
		for j, v := range l.values {
			if v == "" {
				return &InputError{Field: indexed(l.field, j), Reason: ReasonRequired}
			}
			if r := checkText(v, maxIDLen); r != "" {
				return &InputError{Field: indexed(l.field, j), Reason: r, Value: v}
			}
		}
	}
	return nil
}

func checkLine(c *Cart, i int, ids map[string]int, parents map[string]string) error {
	l := &c.Lines[i]
	// Field names are built only when something is wrong.
	field := func(name string) string { return "lines[" + strconv.Itoa(i) + "]." + name }
	bad := func(name string, r Reason, value string) error {
		return &InputError{Field: field(name), Reason: r, Value: value}
	}
	if l.ID != "" {
		if r := checkText(l.ID, maxIDLen); r != "" {
			return bad("id", r, l.ID)
		}
		if j := lineWithID(c, i, ids); j >= 0 {
			return &InputError{Field: field("id"), Reason: ReasonDuplicate, Value: l.ID,
				Detail: fmt.Sprintf("line %d has the same id", j)}
		}
	}
	if l.SKU == "" {
		return bad("sku", ReasonRequired, "")
	}
	if r := checkText(l.SKU, maxIDLen); r != "" {
		return bad("sku", r, l.SKU)
	}
	if r := checkText(l.Brand, maxIDLen); r != "" {
		return bad("brand", r, l.Brand)
	}
	if r := checkText(l.Unit, maxIDLen); r != "" {
		return bad("unit", r, l.Unit)
	}
	if err := checkCategoryPath(i, l.Category, parents); err != nil {
		return err
	}
	if !saneDecimal(l.Quantity) {
		return bad("quantity", ReasonOutOfRange, formatNumber(l.Quantity))
	}
	if l.Quantity.IsNegative() {
		return bad("quantity", ReasonNegative, formatNumber(l.Quantity))
	}
	if !saneDecimal(l.Factor) {
		return bad("factor", ReasonOutOfRange, formatNumber(l.Factor))
	}
	if l.Factor.IsNegative() {
		return bad("factor", ReasonNotPositive, formatNumber(l.Factor))
	}
	if l.ListPrice.Currency().IsZero() {
		return bad("list_price", ReasonRequired, "")
	}
	if err := checkPrice(c, l.ListPrice, field, "list_price"); err != nil {
		return err
	}
	if err := checkPrice(c, l.Cost, field, "cost"); err != nil {
		return err
	}
	return checkPrice(c, l.FloorPrice, field, "floor_price")
}

// lineWithID returns the first line before line i with line i's id, or
// -1. A small cart compares the ids directly; a larger one records them
// in ids.
func lineWithID(c *Cart, i int, ids map[string]int) int {
	id := c.Lines[i].ID
	if len(c.Lines) <= smallCart {
		for j := range c.Lines[:i] {
			if c.Lines[j].ID == id {
				return j
			}
		}
		return -1
	}
	if j, dup := ids[id]; dup {
		return j
	}
	ids[id] = i
	return -1
}

// checkPrice checks an optional price of a line: in the cart's currency,
// not negative, of a sane size.
func checkPrice(c *Cart, a money.Amount, field func(string) string, name string) error {
	switch {
	case a.Currency().IsZero():
		return nil // optional and not given
	case a.Currency() != c.Currency:
		return &InputError{Field: field(name), Reason: ReasonCurrencyMismatch, Value: a.String(),
			Detail: "the cart is in " + c.Currency.Code()}
	case !saneDecimal(a.Decimal()):
		return &InputError{Field: field(name), Reason: ReasonOutOfRange, Value: a.String()}
	case a.IsNegative():
		return &InputError{Field: field(name), Reason: ReasonNegative, Value: a.String()}
	}
	return nil
}

// checkCategoryPath checks that the path of line i has no empty or
// repeated id and that every id has the same parent as elsewhere in the
// cart.
func checkCategoryPath(i int, path []string, parents map[string]string) error {
	field := func(j int) string { return "lines[" + strconv.Itoa(i) + "].category[" + strconv.Itoa(j) + "]" }
	if len(path) > maxCategoryDepth {
		return checkListLen("lines["+strconv.Itoa(i)+"].category", len(path), maxCategoryDepth)
	}
	for j, id := range path {
		if id == "" {
			return &InputError{Field: field(j), Reason: ReasonRequired}
		}
		if r := checkText(id, maxIDLen); r != "" {
			return &InputError{Field: field(j), Reason: r, Value: id}
		}
		for k := 0; k < j; k++ {
			if path[k] == id {
				return &InputError{Field: field(j), Reason: ReasonCategoryContradiction, Value: id,
					Detail: "the category appears twice in one path"}
			}
		}
		parent := ""
		if j > 0 {
			parent = path[j-1]
		}
		if known, seen := parents[id]; seen {
			if known != parent {
				return &InputError{Field: field(j), Reason: ReasonCategoryContradiction, Value: id,
					Detail: fmt.Sprintf("its parent is %q here and %q in another line", parent, known)}
			}
			continue
		}
		parents[id] = parent
	}
	return nil
}

// Date is a calendar date — the first or last day of a validity window —
// not an instant: it is judged in the cart's time zone. It is civil.Date,
// the date type every crmkit package shares. The zero Date means "not
// set".
type Date = civil.Date

// NewDate returns the date, or an *InputError if it does not exist (31
// April, 29 February of a common year) or the year is outside 1..9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.Valid() {
		return Date{}, &InputError{Field: "date", Reason: ReasonBadFormat, Value: d.String()}
	}
	return d, nil
}

// MustDate is NewDate for literals in source code and tests: it panics on
// a date that does not exist. Never pass it user input.
func MustDate(year int, month time.Month, day int) Date { return civil.MustDate(year, month, day) }

// DateOf returns the calendar date of instant t as seen in loc (UTC when
// loc is nil).
func DateOf(t time.Time, loc *time.Location) Date { return civil.DateOf(t, loc) }

// ParseDate reads "YYYY-MM-DD"; anything else is an *InputError for field
// "date".
func ParseDate(s string) (Date, error) {
	d, err := civil.ParseDate(s)
	if err != nil {
		return Date{}, &InputError{Field: "date", Reason: ReasonBadFormat, Value: s}
	}
	return d, nil
}
