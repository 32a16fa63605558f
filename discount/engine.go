package discount

import (
	"cmp"
	"slices"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// TiePolicy says how rules of equal priority that exclude each other are
// resolved. See the package documentation.
type TiePolicy uint8

// Tie policies. The zero value is TieBestForCustomer.
const (
	TieBestForCustomer TiePolicy = iota
	TieFirstInOrder
	TieAsError
)

// Options configure an Engine. The zero Options are valid: half-up
// rounding, best-for-the-customer ties, no minimum margin.
type Options struct {
	// Rounding is the mode of every rounding point (list amounts,
	// adjustments, the allocation of order discounts).
	Rounding money.RoundingMode
	// Ties resolves rules of equal priority that exclude each other.
	Ties TiePolicy
	// MinMargin is the minimum gross margin, in percent of the net price,
	// of lines that give a cost: at least 0, below 100.
	MinMargin decimal.Decimal
}

// compiled is a validated rule with what the engine derives from it.
type compiled struct {
	r         *Rule
	phase     uint8 // 0: line and cross rules, 1: order rules
	currency  money.Currency
	coupon    string  // normalised code, or ""
	couponDef *Coupon // the coupon's limits, if it has an entry
	// couponCurs are the currencies of the coupon's budgets (zero when a
	// budget is not given): a cart in another currency cannot use it.
	couponCurs [2]money.Currency
	fromCart   bool // a manual discount that came with the cart
	product    bool // filed in the index under a product key of a line rule
	crossIdx   bool // a cross rule filed in the index under its target's product keys
	locking    bool // exclusive or stop

	// terms describe the action for the result: terms[t] at volume break
	// t (one element for the other kinds), built once so that every
	// adjustment and hint copies them instead of building them again.
	terms []Terms

	// Numbers of the action, ready for computing.
	pct    factor // percent_off; buy_x_get_y (100 when not given)
	amt    factor // amount_off's amount; fixed_price's price
	breaks []cbreak
	// Amount thresholds in minor units: minAmt rounded up, maxAmt down;
	// maxDisc (the rule's cap) down. -1 means none.
	minAmt, maxAmt, maxDisc int64
	needQty, needAmt        bool // the conditions measure quantity, amount
	minQty, maxQty          fdec // the quantity conditions, for comparing in integers
}

// cbreak is a volume break ready for computing.
type cbreak struct {
	minQty   decimal.Decimal
	minQtyF  fdec
	minAmt   int64
	pct      factor
	price    factor
	hasPrice bool
}

// termsAt returns the terms of the rule's action at tier (see termsOf):
// a volume break's for tier ≥ 0 (the first break's for -1), the action's
// for the other kinds.
func (c *compiled) termsAt(tier int32) *Terms {
	if tier > 0 && int(tier) < len(c.terms) {
		return &c.terms[tier]
	}
	return &c.terms[0]
}

// thresholds converts an optional amount to minor units, rounding with
// mode (up for minimums, down for maximums and caps); -1 when not given.
func threshold(a money.Amount, mode money.RoundingMode) int64 {
	if a.Currency().IsZero() {
		return -1
	}
	return toMinor(a.RoundTo(a.Currency().MinorUnits(), mode))
}

// before orders rules: phase, then priority (higher first), then id.
func before(a, b *compiled) int {
	if a.phase != b.phase {
		return cmp.Compare(a.phase, b.phase)
	}
	if a.r.Priority != b.r.Priority {
		return cmp.Compare(b.r.Priority, a.r.Priority)
	}
	return cmp.Compare(a.r.ID, b.r.ID)
}

// Engine prices carts against a fixed, validated set of rules. It is
// immutable and safe for concurrent use.
type Engine struct {
	opts      Options
	rules     []compiled // in evaluation order
	byID      map[string]int32
	coupons   map[string]*Coupon
	idx       index
	marginDen factor // 1 − MinMargin/100
	// ref makes the engine a reference for tests: every number is
	// computed on money's decimal path (no integer shortcuts); tests also
	// give it an index that yields every rule, and refSkip, which says
	// without the index which rules the index leaves out for a cart (see
	// export_test.go).
	ref     bool
	refSkip func(*Cart, *Rule) bool
}

// NewEngine validates the rule set and options and builds the engine.
// Errors are *RuleError (a rule or coupon) or *InputError (the options).
// The engine keeps its own copy of the rules.
func NewEngine(rs RuleSet, opts Options) (*Engine, error) {
	if !opts.Rounding.Valid() {
		return nil, &InputError{Field: "options.rounding", Reason: ReasonUnknownValue, Value: opts.Rounding.String()}
	}
	if opts.Ties > TieAsError {
		return nil, &InputError{Field: "options.ties", Reason: ReasonUnknownValue, Value: strconv.Itoa(int(opts.Ties))}
	}
	if !saneDecimal(opts.MinMargin) || opts.MinMargin.IsNegative() || opts.MinMargin.Cmp(hundred) >= 0 {
		return nil, &InputError{Field: "options.min_margin", Reason: ReasonOutOfRange, Value: formatNumber(opts.MinMargin),
			Detail: "at least 0 and below 100"}
	}
	e := &Engine{
		opts:      opts,
		rules:     make([]compiled, len(rs.Rules)),
		byID:      make(map[string]int32, len(rs.Rules)),
		coupons:   make(map[string]*Coupon, len(rs.Coupons)),
		idx:       newIndex(),
		marginDen: fac(one.Sub(opts.MinMargin.Shift(-2))),
	}
	for i := range rs.Coupons {
		cp := rs.Coupons[i]
		if err := cp.validate("coupon " + label(cp.Code, i)); err != nil {
			return nil, err
		}
		code := normCoupon(cp.Code)
		if _, dup := e.coupons[code]; dup {
			return nil, &RuleError{Rule: "coupon " + cp.Code, Field: "code", Reason: ReasonDuplicate, Value: cp.Code}
		}
		e.coupons[code] = &cp
	}
	seen := make(map[string]int, len(rs.Rules))
	for i := range rs.Rules {
		r := cloneRule(&rs.Rules[i])
		if err := r.validate(label(r.ID, i)); err != nil {
			return nil, err
		}
		if j, dup := seen[r.ID]; dup {
			return nil, &RuleError{Rule: r.ID, Field: "id", Reason: ReasonDuplicate, Value: r.ID,
				Detail: "rule #" + strconv.Itoa(j) + " has the same id"}
		}
		seen[r.ID] = i
		c, err := e.compile(r, false)
		if err != nil {
			return nil, err
		}
		e.rules[i] = c
	}
	slices.SortFunc(e.rules, func(a, b compiled) int { return before(&a, &b) })
	for i := range e.rules {
		c := &e.rules[i]
		e.byID[c.r.ID] = int32(i)
		e.idx.add(int32(i), c.r)
	}
	return e, nil
}

// compile derives what the engine needs from a validated rule.
func (e *Engine) compile(r *Rule, fromCart bool) (compiled, error) {
	c := compiled{r: r, currency: ruleCurrency(r), fromCart: fromCart}
	if r.Scope.Kind == ScopeOrder {
		c.phase = 1
	}
	if r.Conditions.Coupon != "" {
		c.coupon = normCoupon(r.Conditions.Coupon)
		c.couponDef = e.coupons[c.coupon]
		if def := c.couponDef; def != nil {
			c.couponCurs = [2]money.Currency{def.Total.Budget.Currency(), def.PerCustomer.Budget.Currency()}
			if err := checkCouponBudgets(r, c.currency, def); err != nil {
				return compiled{}, err
			}
		}
	}
	if _, ok := productSelector(r); ok && !fromCart {
		switch r.Scope.Kind {
		case ScopeLine:
			c.product = true
		case ScopeCross:
			t := &r.Scope.Target
			c.crossIdx = len(t.SKUs)+len(t.Categories)+len(t.Brands) > 0
		}
	}
	c.locking = r.Stacking == Exclusive || r.Stacking == Stop
	a, k := &r.Action, &r.Conditions
	if a.Kind == ActionVolume && len(a.Breaks) > 0 {
		c.terms = make([]Terms, len(a.Breaks))
		for t := range c.terms {
			c.terms[t] = termsOf(a, t)
		}
	} else if a.Kind != ActionVolume {
		c.terms = []Terms{termsOf(a, -1)}
	}
	c.pct = fac(a.Percent)
	if a.Kind == ActionBuyXGetY && a.Percent.IsZero() {
		c.pct = fac(hundred)
	}
	if a.Kind == ActionFixedPrice {
		c.amt = fac(a.Price.Decimal())
	} else {
		c.amt = fac(a.Amount.Decimal())
	}
	for _, b := range a.Breaks {
		c.breaks = append(c.breaks, cbreak{minQty: b.MinQuantity, minQtyF: toFdec(b.MinQuantity), minAmt: threshold(b.MinAmount, money.Ceiling),
			pct: fac(b.Percent), price: fac(b.Price.Decimal()), hasPrice: !b.Price.Currency().IsZero()})
	}
	c.minAmt = threshold(k.MinAmount, money.Ceiling)
	if k.MaxAmount.IsZero() {
		c.maxAmt = -1
	} else {
		c.maxAmt = threshold(k.MaxAmount, money.Floor)
	}
	c.maxDisc = threshold(r.Limits.MaxDiscount, money.Down)
	if k.MinAmount.IsZero() {
		c.minAmt = -1
	}
	c.minQty, c.maxQty = toFdec(k.MinQuantity), toFdec(k.MaxQuantity)
	c.needQty = !k.MinQuantity.IsZero() || !k.MaxQuantity.IsZero() || (a.Kind == ActionVolume && a.By != ByAmount)
	c.needAmt = c.minAmt >= 0 || c.maxAmt >= 0 || (a.Kind == ActionVolume && a.By == ByAmount)
	return c, nil
}

// cloneRule copies a rule and the slices it holds, so that the caller may
// change its copy afterwards.
func cloneRule(r *Rule) *Rule {
	c := *r
	cs := func(s []string) []string { return slices.Clone(s) }
	sel := func(s Selector) Selector {
		return Selector{SKUs: cs(s.SKUs), Categories: cs(s.Categories), Brands: cs(s.Brands), ExcludeSKUs: cs(s.ExcludeSKUs)}
	}
	c.Scope.Target, c.Scope.Condition = sel(r.Scope.Target), sel(r.Scope.Condition)
	k := &c.Conditions
	k.Customers, k.Groups, k.Tiers, k.Tags, k.Contracts = cs(k.Customers), cs(k.Groups), cs(k.Tiers), cs(k.Tags), cs(k.Contracts)
	c.Action.Breaks = slices.Clone(r.Action.Breaks)
	if r.Manual != nil {
		m := *r.Manual
		if m.Authority != nil {
			a := *m.Authority
			m.Authority = &a
		}
		c.Manual = &m
	}
	return &c
}

// Len returns the number of rules of the engine.
func (e *Engine) Len() int { return len(e.rules) }

// Options returns the engine's options.
func (e *Engine) Options() Options { return e.opts }

// ---- pricing

// pricing holds what one call of Price knows and does not change.
type pricing struct {
	e         *Engine
	cart      *Cart
	usage     Usage
	sc        *scratch
	cur       money.Currency
	minor     int32
	mode      money.RoundingMode
	date      Date
	coupons   []string // normalised codes presented
	cands     []*compiled
	hits      [][]int           // per candidate: its target lines when found through the index (line rules, cross rules with crossIdx), else nil
	all       []int             // 0..len(lines)-1
	entries   []entry           // reused by each line rule
	ints      []int             // backs hits and the line lists of rules
	qty       []lineQty         // per line
	units     []decimal.Decimal // see addUnits
	shareRecs []shareRec        // the shares of order adjustments, see runOrderRule
	bySKU     map[string]int    // the first line of each SKU, built when a selector needs it in a large cart
	nextSKU   []int             // the next line of the same SKU, or -1
}

// lineState is what the engine tracks per line while pricing, in minor
// units. It holds no pointers, so that copying it (for tied groups) is a
// plain copy.
type lineState struct {
	list, net, floor, orderBase int64
	touchedBy, lockedBy         int32 // candidate number, or -1
}

// lineQty is a line's quantity in stock units, which pricing never
// changes.
type lineQty struct {
	qty  decimal.Decimal
	qtyF factor
}

type couponSpend struct {
	code  string
	spent int64
}

type appliedRule struct {
	cand      int32
	amount    int64
	adj, adjs int32 // its adjustments are adjs records from adj on
}

type conflict struct {
	rule, by int32
	line     int
}

// adjRec is an applied adjustment, recorded compactly; result turns it
// into an Adjustment. It holds no pointers: its units and shares are kept
// aside (addUnits, p.shareRecs).
type adjRec struct {
	cand, line, tier int32
	unit             int32 // a reference from addUnits, or 0
	shares, nshares  int32 // an order adjustment's shares: p.shareRecs[shares:shares+nshares]
	approval         bool
	capped           capSet
	amount, base     int64
}

// state is what pricing has done so far; groups of tied rules are tried
// on copies of it.
type state struct {
	lines     []lineState
	adjs      []adjRec
	rejects   []rejRec
	hints     []hintRec
	free      []FreeItem
	approvals []Approval
	coupons   []couponSpend
	applied   []appliedRule
	conflicts []conflict
	// dry is set for trial runs of tied rules: only the lines' amounts
	// and the spends matter, so no output is recorded.
	dry bool
}

// mark remembers a state so that alternatives can start from it: the
// per-line state and the coupon spends are copied; the other slices only
// grow, so their lengths are enough.
type mark struct {
	lines                                                    []lineState
	coupons                                                  []couponSpend
	adjs, rejects, hints, free, approvals, applied, conflict int
}

// mark copies the per-line state and coupon spends into the scratch
// buffers of sc (one mark is alive at a time: a group's).
func (s *state) mark(sc *scratch) mark {
	sc.snapLines = append(sc.snapLines[:0], s.lines...)
	sc.snapCoupons = append(sc.snapCoupons[:0], s.coupons...)
	return mark{lines: sc.snapLines, coupons: sc.snapCoupons,
		adjs: len(s.adjs), rejects: len(s.rejects), hints: len(s.hints), free: len(s.free),
		approvals: len(s.approvals), applied: len(s.applied), conflict: len(s.conflicts)}
}

// restore brings s back to what it was at m: the slices that only grow
// are cut back, the per-line state and coupon spends copied back.
func (s *state) restore(m mark) {
	copy(s.lines, m.lines)
	s.coupons = append(s.coupons[:0], m.coupons...)
	s.adjs, s.rejects, s.hints = s.adjs[:m.adjs], s.rejects[:m.rejects], s.hints[:m.hints]
	s.free, s.approvals, s.applied = s.free[:m.free], s.approvals[:m.approvals], s.applied[:m.applied]
	s.conflicts = s.conflicts[:m.conflict]
}

// trial resets t, in sc's trial buffers, to start from m for a dry run:
// it has the per-line state and coupon spends of m and records no
// output (which rules never read back).
func (sc *scratch) trial(m mark) *state {
	t := &sc.trialState
	*t = state{lines: append(t.lines[:0], m.lines...), coupons: append(t.coupons[:0], m.coupons...),
		applied: t.applied[:0], conflicts: t.conflicts[:0], dry: true}
	return t
}

// scratch holds the working buffers of one call of Price, reused between
// calls so that only the result is allocated. Nothing in a PricedCart
// points into it.
type scratch struct {
	ids         []int32
	hits        []uint64
	cands       []*compiled
	hitLines    [][]int
	ints        []int
	qty         []lineQty
	units       []decimal.Decimal
	shareRecs   []shareRec
	free        []FreeItem
	approvals   []Approval
	lines       []lineState
	snapLines   []lineState
	snapCoupons []couponSpend
	trialState  state
	adjs        []adjRec
	applied     []appliedRule
	conflicts   []conflict
	coupons     []couponSpend
	entries     []entry
	rejects     []rejRec
	hints       []hintRec
	alloc       allocBuf
	w, parts    []int64 // weights and parts of an allocation
	shares      []int64 // spread's
	room        []int64
	active      []int
	order       []int32
	cart        Cart
	lineIDs     map[string]int
	parents     map[string]string
	codes       []string
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// keep clears what a call put in the buffers (so that a pooled scratch
// keeps no engine or cart alive) and stores the buffers it grew back
// into sc. st is nil when the call failed before pricing.
func (sc *scratch) keep(p *pricing, st *state) {
	clear(p.cands)
	clear(p.hits)
	clear(p.coupons)
	clear(p.qty)
	clear(p.units)
	sc.qty, sc.units, sc.shareRecs = p.qty[:0], p.units[:0], p.shareRecs[:0]
	sc.cands, sc.hitLines, sc.ints, sc.entries, sc.codes = p.cands[:0], p.hits[:0], p.ints[:0], p.entries[:0], p.coupons[:0]
	if st == nil {
		return
	}
	// lines, adjs and rejects hold no pointers.
	clear(st.hints)
	clear(st.free[:cap(st.free)])
	clear(st.approvals[:cap(st.approvals)])
	sc.free, sc.approvals = st.free[:0], st.approvals[:0]
	clear(st.coupons)
	clear(sc.snapCoupons)
	t := &sc.trialState
	clear(t.coupons)
	*t = state{lines: t.lines[:0], coupons: t.coupons[:0], applied: t.applied[:0], conflicts: t.conflicts[:0]}
	sc.snapLines, sc.snapCoupons = sc.snapLines[:0], sc.snapCoupons[:0]
	sc.lines, sc.adjs, sc.applied, sc.rejects, sc.hints = st.lines[:0], st.adjs[:0], st.applied[:0], st.rejects[:0], st.hints[:0]
	sc.conflicts, sc.coupons = st.conflicts[:0], st.coupons[:0]
}

// release clears the validation maps and returns sc to the pool.
func (sc *scratch) release() {
	sc.cart = Cart{}
	clear(sc.lineIDs)
	clear(sc.parents)
	scratchPool.Put(sc)
}

// grow returns s emptied, with room for n elements.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// lineBuf returns an empty slice with room for n lines, carved from the
// call's arena of ints; nothing appended to it beyond n can reach
// another.
func (p *pricing) lineBuf(n int) []int {
	if cap(p.ints)-len(p.ints) < n {
		p.ints = make([]int, 0, max(2*cap(p.ints), n, 256))
	}
	at := len(p.ints)
	p.ints = p.ints[:at+n]
	return p.ints[at : at : at+n]
}

// open returns an empty slice at the end of the call's arena of ints, to
// append lines to and then seal.
func (p *pricing) open() []int {
	if cap(p.ints)-len(p.ints) < 64 {
		p.ints = make([]int, 0, max(2*cap(p.ints), 256))
	}
	return p.ints[len(p.ints):len(p.ints)]
}

// seal ends a slice that open began: the arena keeps its elements (unless
// appending moved them elsewhere) and the slice cannot grow into the
// arena again.
func (p *pricing) seal(out []int) []int {
	if n := len(p.ints); len(out) > 0 && n < cap(p.ints) && &p.ints[:n+1][n] == &out[0] {
		p.ints = p.ints[:n+len(out)]
	}
	return out[:len(out):len(out)]
}

// Price prices the cart. usage is the current snapshot of the usage
// counters (nil: nothing used yet). The result does not depend on
// anything else: the same cart, rules and counters always give the same
// PricedCart. Errors are *InputError for a bad cart and *TieError under
// TieAsError.
func (e *Engine) Price(cart Cart, usage Usage) (*PricedCart, error) {
	out := new(PricedCart)
	if err := e.PriceInto(out, cart, usage); err != nil {
		return nil, err
	}
	return out, nil
}

// PriceInto is Price writing the result into dst and reusing the memory
// of dst's slices (its lines, adjustments and their shares, rejections,
// hints, free items, approvals and uses) instead of allocating new ones.
// It is for hosts that price carts in a loop — a pricing service, a
// cart re-priced on every edit, a batch of quotes — and keep one
// PricedCart per worker: the result is the same as Price's, but a
// repriced cart of the same shape allocates nothing.
//
// Whatever dst held is overwritten, including the elements of slices
// taken from it earlier (copy what must outlive the next call). Slices
// that come out empty are empty, not nil, when dst had memory for them.
// On error dst is reset to the zero PricedCart, keeping its memory. The
// engine may be shared between goroutines; a dst may not.
func (e *Engine) PriceInto(dst *PricedCart, cart Cart, usage Usage) error {
	if err := e.price(dst, cart, usage); err != nil {
		dst.reset()
		return err
	}
	return nil
}

// price does PriceInto's work.
func (e *Engine) price(dst *PricedCart, cart Cart, usage Usage) error {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	if sc.lineIDs == nil {
		sc.lineIDs, sc.parents = make(map[string]int), make(map[string]string)
	}
	sc.cart = cart // pricing refers to the cart through the scratch, so that cart stays on the stack
	c := &sc.cart
	if err := validateCart(c, sc.lineIDs, sc.parents); err != nil {
		return err
	}
	if len(c.Lines) > maxLines {
		return &InputError{Field: "lines", Reason: ReasonTooLong, Value: strconv.Itoa(len(c.Lines)),
			Detail: "at most " + strconv.Itoa(maxLines) + " lines"}
	}
	p := &pricing{e: e, cart: c, usage: usage, sc: sc, cur: c.Currency, minor: c.Currency.MinorUnits(),
		mode: e.opts.Rounding, date: DateOf(c.At, c.Location), ints: sc.ints[:0], coupons: sc.codes[:0]}
	var st *state
	defer func() { sc.keep(p, st) }() // runs before release
	p.all = p.lineBuf(len(c.Lines))
	for i := range c.Lines {
		p.all = append(p.all, i)
	}
	for _, code := range c.Coupons {
		if n := normCoupon(code); !slices.Contains(p.coupons, n) {
			p.coupons = append(p.coupons, n)
		}
	}
	manual, err := e.compileManual(c.Manual)
	if err != nil {
		return err
	}
	p.collect(sc, manual)
	guess := len(p.cands) + len(c.Lines)
	st = &state{lines: grow(sc.lines, len(c.Lines))[:len(c.Lines)], adjs: grow(sc.adjs, guess),
		rejects: sc.rejects[:0], hints: sc.hints[:0], applied: grow(sc.applied, len(p.cands)),
		conflicts: sc.conflicts[:0], coupons: sc.coupons[:0], free: sc.free[:0], approvals: sc.approvals[:0]}
	p.entries = grow(sc.entries, len(c.Lines))
	p.qty = grow(sc.qty, len(c.Lines))[:len(c.Lines)]
	p.units, p.shareRecs = sc.units[:0], sc.shareRecs[:0]
	for i := range c.Lines {
		ls, err := p.initLine(i)
		if err != nil {
			return err
		}
		st.lines[i] = ls
	}
	split := len(p.cands)
	for i, c := range p.cands {
		if c.phase == 1 {
			split = i
			break
		}
	}
	if err := p.runPhase(st, 0, split); err != nil {
		return err
	}
	for i := range st.lines {
		st.lines[i].orderBase = st.lines[i].net
	}
	if err := p.runPhase(st, split, len(p.cands)); err != nil {
		return err
	}
	p.result(st, dst) // result copies what it needs out of the scratch buffers
	return nil
}

// compileManual validates the cart's manual discounts.
func (e *Engine) compileManual(rules []Rule) ([]compiled, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	out := make([]compiled, 0, len(rules))
	for i := range rules {
		field := "manual[" + strconv.Itoa(i) + "]"
		r := cloneRule(&rules[i])
		if err := r.validate(label(r.ID, i)); err != nil {
			return nil, &InputError{Field: field, Reason: err.Reason, Value: r.ID, Err: err}
		}
		switch {
		case r.Manual == nil:
			return nil, &InputError{Field: field + ".manual", Reason: ReasonRequired, Value: r.ID}
		case r.Conditions.Coupon != "":
			return nil, &InputError{Field: field + ".conditions.coupon", Reason: ReasonNotAllowed, Value: r.ID}
		case !r.Limits.Total.IsZero() || !r.Limits.PerCustomer.IsZero():
			return nil, &InputError{Field: field + ".limits", Reason: ReasonNotAllowed, Value: r.ID,
				Detail: "a manual discount of a cart has no usage limits"}
		}
		if _, dup := e.byID[r.ID]; dup {
			return nil, &InputError{Field: field + ".id", Reason: ReasonDuplicate, Value: r.ID, Detail: "a rule of the engine has this id"}
		}
		for j := range out {
			if out[j].r.ID == r.ID {
				return nil, &InputError{Field: field + ".id", Reason: ReasonDuplicate, Value: r.ID}
			}
		}
		c, err := e.compile(r, true)
		if err != nil {
			return nil, &InputError{Field: field, Reason: ReasonCurrencyMismatch, Value: r.ID, Err: err}
		}
		out = append(out, c)
	}
	return out, nil
}

// collect finds the candidate rules: those the index yields for the cart,
// plus the cart's manual discounts, that pass the customer, date, coupon
// and currency conditions; in evaluation order. For line rules found
// through a product key it also notes their target lines.
func (p *pricing) collect(sc *scratch, manual []compiled) {
	ids, hits := p.e.idx.lookup(p.cart, p.coupons, sc.ids[:0], sc.hits[:0])
	sc.ids, sc.hits = ids[:0], hits[:0]
	p.cands = grow(sc.cands, len(ids)+len(manual))
	p.hits = grow(sc.hitLines, len(ids)+len(manual))
	buf := p.lineBuf(len(hits))
	h := 0
	for _, i := range ids {
		for h < len(hits) && int32(hits[h]>>32) < i {
			h++
		}
		c := &p.e.rules[i]
		if !p.matchStatic(c) || (p.e.refSkip != nil && p.e.refSkip(p.cart, c.r)) {
			continue
		}
		var lines []int
		if c.product || c.crossIdx {
			// The selector's other lists must match too.
			start := len(buf)
			for ; h < len(hits) && int32(hits[h]>>32) == i; h++ {
				if li := int(uint32(hits[h])); c.r.Scope.Target.matches(&p.cart.Lines[li]) {
					buf = append(buf, li)
				}
			}
			if len(buf) == start && c.product {
				continue // a line rule that targets no line of the cart
			}
			lines = buf[start:len(buf):len(buf)] // a cross rule stays: its limits may still be reported
		}
		p.cands = append(p.cands, c)
		p.hits = append(p.hits, lines)
	}
	if len(manual) == 0 {
		return
	}
	for i := range manual {
		if p.matchStatic(&manual[i]) {
			p.cands = append(p.cands, &manual[i])
			p.hits = append(p.hits, nil)
		}
	}
	idx := make([]int, len(p.cands))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return before(p.cands[a], p.cands[b]) })
	cands, hitsOut := make([]*compiled, len(idx)), make([][]int, len(idx))
	for to, from := range idx {
		cands[to], hitsOut[to] = p.cands[from], p.hits[from]
	}
	p.cands, p.hits = cands, hitsOut
}

// matchStatic checks the conditions that do not depend on the lines.
func (p *pricing) matchStatic(c *compiled) bool {
	r := c.r
	k := &r.Conditions
	cu := &p.cart.Customer
	if !c.currency.IsZero() && c.currency != p.cur {
		return false
	}
	for _, cur := range c.couponCurs {
		if !cur.IsZero() && cur != p.cur {
			return false
		}
	}
	if len(k.Customers) > 0 && !contains(k.Customers, cu.ID) {
		return false
	}
	if len(k.Groups) > 0 && !anyIn(k.Groups, cu.Groups) {
		return false
	}
	if len(k.Tiers) > 0 && !contains(k.Tiers, cu.Tier) {
		return false
	}
	if len(k.Tags) > 0 && !anyIn(k.Tags, cu.Tags) {
		return false
	}
	if len(k.Contracts) > 0 && !contains(k.Contracts, cu.Contract) {
		return false
	}
	if !k.ValidFrom.IsZero() && p.date.Compare(k.ValidFrom) < 0 {
		return false
	}
	if !k.ValidTo.IsZero() && p.date.Compare(k.ValidTo) > 0 {
		return false
	}
	if c.coupon != "" && !slices.Contains(p.coupons, c.coupon) {
		return false
	}
	return true
}

func anyIn(want, have []string) bool {
	for _, h := range have {
		if contains(want, h) {
			return true
		}
	}
	return false
}

// initLine computes a line's list amount and floor in minor units.
func (p *pricing) initLine(i int) (lineState, error) {
	l := &p.cart.Lines[i]
	qty := l.StockQuantity()
	sold := fac(l.Quantity)
	list := p.calc(p.mode, []factor{fac(l.ListPrice.Decimal()), sold}, nil)
	if list > maxLineMinor {
		return lineState{}, &InputError{Field: "lines[" + strconv.Itoa(i) + "].list_price", Reason: ReasonOutOfRange,
			Value: l.ListPrice.String(), Detail: "list price × quantity is above 10^14 minor units"}
	}
	var floor int64
	if !l.FloorPrice.Currency().IsZero() {
		floor = max(floor, p.calc(money.Ceiling, []factor{fac(l.FloorPrice.Decimal()), sold}, nil))
	}
	if !l.Cost.Currency().IsZero() {
		floor = max(floor, p.calc(money.Ceiling, []factor{fac(l.Cost.Decimal()), sold}, []factor{p.e.marginDen}))
	}
	floor = min(floor, list)
	p.qty[i] = lineQty{qty: qty, qtyF: fac(qty)}
	return lineState{list: list, net: list, floor: floor, orderBase: list,
		touchedBy: -1, lockedBy: -1}, nil
}

// runPhase runs the candidates [from, to) in groups of equal priority.
func (p *pricing) runPhase(st *state, from, to int) error {
	for i := from; i < to; {
		j := i + 1
		for j < to && p.cands[j].r.Priority == p.cands[i].r.Priority {
			j++
		}
		if err := p.runGroup(st, i, j); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// runGroup runs the candidates [lo, hi), which share phase and priority,
// and resolves the ties among them by the engine's policy.
func (p *pricing) runGroup(st *state, lo, hi int) error {
	locking := false
	for i := lo; i < hi; i++ {
		locking = locking || p.cands[i].locking
	}
	if !locking || hi-lo == 1 {
		// Without an exclusive or stop rule, rules of one group cannot
		// exclude each other.
		for i := lo; i < hi; i++ {
			p.runRule(st, int32(i))
		}
		st.conflicts = st.conflicts[:0]
		return nil
	}
	order := grow(p.sc.order, hi-lo)
	for i := lo; i < hi; i++ {
		order = append(order, int32(i))
	}
	p.sc.order = order
	snapshot := st.mark(p.sc)
	for _, ci := range order {
		p.runRule(st, ci)
	}
	if len(st.conflicts) == 0 || p.e.opts.Ties == TieFirstInOrder {
		st.conflicts = st.conflicts[:0]
		return nil
	}
	if p.e.opts.Ties == TieAsError {
		c := st.conflicts[0]
		return &TieError{Rule: p.cands[c.rule].r.ID, Other: p.cands[c.by].r.ID, Line: c.line}
	}
	// Best for the customer: try each rule caught in a conflict first, as
	// a dry run, and run the best order again for real.
	var involved []int32
	for _, c := range st.conflicts {
		involved = append(involved, c.rule, c.by)
	}
	slices.Sort(involved)
	involved = slices.Compact(involved)
	best, bestTotal := int32(-1), groupTotal(snapshot.lines, st)
	for _, first := range involved {
		if first == order[0] {
			continue // the same as the order by id
		}
		alt := p.sc.trial(snapshot)
		p.runInOrder(alt, first, order)
		if total := groupTotal(snapshot.lines, alt); total > bestTotal {
			best, bestTotal = first, total
		}
	}
	if best >= 0 {
		st.restore(snapshot)
		p.runInOrder(st, best, order)
	}
	st.conflicts = st.conflicts[:0]
	return nil
}

// runInOrder runs rule first, then the others of order in their order.
func (p *pricing) runInOrder(st *state, first int32, order []int32) {
	p.runRule(st, first)
	for _, ci := range order {
		if ci != first {
			p.runRule(st, ci)
		}
	}
}

// groupTotal returns the discount a group added: how much the nets fell.
func groupTotal(before []lineState, after *state) int64 {
	var total int64
	for i := range before {
		total += before[i].net - after.lines[i].net
	}
	return total
}
