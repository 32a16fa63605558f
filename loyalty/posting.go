package loyalty

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// PostingKind is what a posting asks for.
type PostingKind string

// The posting kinds. Apply documents what each writes.
const (
	PostEarn    PostingKind = "earn"
	PostRedeem  PostingKind = "redeem"
	PostReserve PostingKind = "reserve"
	PostCapture PostingKind = "capture"
	PostRelease PostingKind = "release"
	PostExpire  PostingKind = "expire"
	PostAdjust  PostingKind = "adjust"
	PostReturn  PostingKind = "return"
	PostCancel  PostingKind = "cancel"
	PostTier    PostingKind = "tier"
)

// Shortfall is what a return does with earned points it cannot take back
// because they were spent.
type Shortfall string

// The shortfall policies.
const (
	// ShortfallForgive: what cannot be taken back is forgiven. The default.
	ShortfallForgive Shortfall = "forgive"
	// ShortfallDebt: it is recorded as debt, repaid from later earnings.
	ShortfallDebt Shortfall = "debt"
	// ShortfallRefuse: the return is refused (RuleCancelSpent).
	ShortfallRefuse Shortfall = "refuse"
)

// Posting is one request to change an account's ledger, with everything
// Apply needs to carry it out. A Service builds postings from the
// programme; a host may build its own.
type Posting struct {
	// Account is the account's id.
	Account string
	// Key is the caller's idempotency key, unique within the account: the
	// same key posted twice posts once. At most 200 bytes.
	Key string
	// Fingerprint identifies what the caller asked for: a key posted again
	// with the same fingerprint returns the first result, with another
	// fingerprint it is refused (*KeyReuseError). A Service derives it
	// from the request (not from computed figures, which may depend on
	// the account's state); Fingerprint(parts...) makes one.
	Fingerprint string
	Kind        PostingKind
	// Date is the business day of the posting: the day points are earned
	// (and their expiry counted from), the day a redemption judges which
	// lots are still usable, the as-of day of an expiry run.
	Date Date
	// At is when the posting was recorded; By who asked for it.
	At time.Time
	By string
	// IfVersion, when not zero, makes the posting fail with
	// store.ErrConflict unless the account is still at that version: for
	// postings computed from a read of the account (an earning whose tier
	// multiplier depends on the metric, a tier review).
	IfVersion store.Version
	// Order is the host's order id: required for purchases, reservations,
	// captures, releases, returns and cancellations.
	Order string
	// Source is why an earn posting earns; Note a comment (adjustments).
	Source Source
	Note   string
	// Points: earn (≥ 0), redeem, reserve and capture (> 0), adjust (≠ 0,
	// negative to deduct). Every number of points must fit Places.
	Points decimal.Decimal
	// Places is the programme's point precision, for the check above and
	// for the proportions of returns.
	Places int32
	// Expires is the expiry of the lot an earn or a positive adjustment
	// creates (zero: never).
	Expires Date
	// Total is, on a purchase, the order's amount before points, and on a
	// return, the amount returned (the order's lines at the prices the
	// purchase recorded). Paid is the money a purchase paid. Qualifying
	// and TierPoints are a purchase's contribution to the tier metric.
	Total      money.Amount
	Paid       money.Amount
	Qualifying money.Amount
	TierPoints decimal.Decimal
	// Value is the money value of redeemed or captured points.
	Value money.Amount
	// Tier is, on a tier posting, the tier the client moves to; on an
	// earn posting, the tier the purchase brings the client to, if higher.
	Tier string
	// Shortfall decides returns and cancellations whose points were spent.
	Shortfall Shortfall
}

const (
	maxAccountLen = 200
	maxKeyLen     = 200
	maxOrderLen   = 200
	maxNoteLen    = 1000
)

// Fingerprint makes a posting fingerprint from the parts of a request: a
// hash of the parts, so that any difference in any part gives another
// fingerprint. Write decimals with String-independent forms (FormatPoints)
// so equal numbers hash alike.
func Fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FormatPoints writes a number of points exactly, without exponent or
// trailing zeros, whatever the decimal package's global settings: "12",
// "12.5".
func FormatPoints(d decimal.Decimal) string { return fmtDec(d) }

// ParsePoints reads a number of points written as FormatPoints writes
// them (at most 15 digits before the point and 12 after).
func ParsePoints(s string) (decimal.Decimal, error) {
	d, ok := parseDec(s)
	if !ok {
		return decimal.Decimal{}, invalid("points", ReasonMalformed, s)
	}
	return d, nil
}

// Validate checks the posting's shape: what can be judged without the
// account. Apply calls it; a store may call it before taking its lock.
func (p Posting) Validate() error {
	if err := text("account", p.Account, maxAccountLen, true); err != nil {
		return err
	}
	if err := text("key", p.Key, maxKeyLen, true); err != nil {
		return err
	}
	if err := text("fingerprint", p.Fingerprint, maxKeyLen, true); err != nil {
		return err
	}
	if p.Date.IsZero() {
		return invalid("date", ReasonRequired, "")
	}
	if !p.Date.Valid() {
		return invalid("date", ReasonBadDate, p.Date.String())
	}
	if p.IfVersion < 0 {
		return invalid("if_version", ReasonNegative, fmt.Sprint(p.IfVersion))
	}
	if p.Places < 0 || p.Places > MaxPlaces {
		return invalidf("places", ReasonRange, fmt.Sprint(p.Places), "0 to %d", MaxPlaces)
	}
	if len(p.By) > maxAccountLen || !utf8.ValidString(p.By) {
		return invalid("by", ReasonMalformed, p.By)
	}
	if len(p.Note) > maxNoteLen || !utf8.ValidString(p.Note) {
		return invalid("note", ReasonMalformed, p.Note)
	}
	if err := text("order", p.Order, maxOrderLen, false); err != nil {
		return err
	}
	if !fits(p.Points, p.Places) {
		return invalidf("points", ReasonPrecision, fmtDec(p.Points), "at most %d decimal places", p.Places)
	}
	if !p.TierPoints.IsZero() && !fits(p.TierPoints, p.Places) {
		return invalidf("tier_points", ReasonPrecision, fmtDec(p.TierPoints), "at most %d decimal places", p.Places)
	}
	if !p.Expires.IsZero() {
		if !p.Expires.Valid() {
			return invalid("expires", ReasonBadDate, p.Expires.String())
		}
		if p.Expires.Before(p.Date) {
			return invalidf("expires", ReasonConflict, p.Expires.String(), "points cannot expire before they are earned (%s)", p.Date)
		}
	}
	needOrder := func() error {
		if p.Order == "" {
			return invalid("order", ReasonRequired, "")
		}
		return nil
	}
	positive := func() error {
		if p.Points.Sign() <= 0 {
			return invalid("points", ReasonNotPositive, fmtDec(p.Points))
		}
		return nil
	}
	switch p.Kind {
	case PostEarn:
		if p.Points.Sign() < 0 {
			return invalid("points", ReasonNegative, fmtDec(p.Points))
		}
		if !p.Source.valid() {
			return invalid("source", ReasonUnknownValue, string(p.Source))
		}
		if p.Source == SourcePurchase {
			if err := needOrder(); err != nil {
				return err
			}
			if err := sameCurrency(named{"total", p.Total}, named{"paid", p.Paid}, named{"qualifying", p.Qualifying}); err != nil {
				return err
			}
			switch {
			case p.Total.IsNegative():
				return invalid("total", ReasonNegative, p.Total.String())
			case p.Paid.IsNegative():
				return invalid("paid", ReasonNegative, p.Paid.String())
			case p.Qualifying.IsNegative():
				return invalid("qualifying", ReasonNegative, p.Qualifying.String())
			case p.TierPoints.Sign() < 0:
				return invalid("tier_points", ReasonNegative, fmtDec(p.TierPoints))
			}
			if c, _ := p.Paid.Cmp(p.Total); c > 0 {
				return invalidf("paid", ReasonExceeds, p.Paid.String(), "more than the order's total %s", p.Total)
			}
			if c, _ := p.Qualifying.Cmp(p.Paid); c > 0 {
				return invalidf("qualifying", ReasonExceeds, p.Qualifying.String(), "more than paid %s", p.Paid)
			}
		} else if !p.Total.IsZero() || !p.Paid.IsZero() || !p.Qualifying.IsZero() || !p.TierPoints.IsZero() {
			return invalidf("source", ReasonConflict, string(p.Source), "only purchases carry amounts")
		}
	case PostRedeem:
		if err := positive(); err != nil {
			return err
		}
	case PostReserve:
		if err := needOrder(); err != nil {
			return err
		}
		if err := positive(); err != nil {
			return err
		}
	case PostCapture:
		if err := needOrder(); err != nil {
			return err
		}
		if err := positive(); err != nil {
			return err
		}
	case PostRelease, PostCancel:
		if err := needOrder(); err != nil {
			return err
		}
	case PostExpire:
	case PostAdjust:
		if p.Points.IsZero() {
			return invalid("points", ReasonNotPositive, "0")
		}
	case PostReturn:
		if err := needOrder(); err != nil {
			return err
		}
		if !p.Total.IsPositive() {
			return invalid("total", ReasonNotPositive, p.Total.String())
		}
	case PostTier:
		if err := text("tier", p.Tier, 50, true); err != nil {
			return err
		}
	case "":
		return invalid("kind", ReasonRequired, "")
	default:
		return invalid("kind", ReasonUnknownValue, string(p.Kind))
	}
	if p.Kind != PostEarn && p.Kind != PostTier && p.Tier != "" {
		return invalidf("tier", ReasonConflict, p.Tier, "only earn and tier postings change the tier")
	}
	if p.Kind == PostEarn && p.Tier != "" {
		if err := text("tier", p.Tier, 50, false); err != nil {
			return err
		}
	}
	switch p.Shortfall {
	case "", ShortfallForgive, ShortfallDebt, ShortfallRefuse:
	default:
		return invalid("shortfall", ReasonUnknownValue, string(p.Shortfall))
	}
	return nil
}

// named is an amount with the name of its field.
type named struct {
	field  string
	amount money.Amount
}

// sameCurrency checks that the amounts with a currency share it.
func sameCurrency(amounts ...named) error {
	var cur money.Currency
	for _, a := range amounts {
		c := a.amount.Currency()
		switch {
		case c.IsZero():
		case cur.IsZero():
			cur = c
		case c != cur:
			return invalidf(a.field, ReasonCurrency, a.amount.String(), "want %s", cur)
		}
	}
	return nil
}
