package discount

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// budgetCap is what remains of the tightest budget a rule is under.
type budgetCap struct {
	set    bool
	remain int64
	key    keyKind
}

// keyKind names which usage counter of a rule a rejection refers to; the
// result builds the UsageKey.
type keyKind uint8

const (
	keyNone keyKind = iota
	keyRule
	keyRuleCustomer
	keyCoupon
	keyCouponCustomer
)

// usageKey returns the counter of kind k of rule c.
func (p *pricing) usageKey(c *compiled, k keyKind) UsageKey {
	switch k {
	case keyRule:
		return UsageKey{Rule: c.r.ID}
	case keyRuleCustomer:
		return UsageKey{Rule: c.r.ID, Customer: p.cart.Customer.ID}
	case keyCoupon:
		return UsageKey{Coupon: c.coupon}
	case keyCouponCustomer:
		return UsageKey{Coupon: c.coupon, Customer: p.cart.Customer.ID}
	}
	return UsageKey{}
}

// rejRec is a rejection, recorded without pointers; result turns it into
// a Rejection.
type rejRec struct {
	cand, line, by int32 // by: -1 for none
	reason         reasonCode
	key            keyKind
	budget         bool
}

// reasonCode is a RejectReason as its index in rejectReasons.
type reasonCode uint8

var rejectReasons = [...]RejectReason{LostOnPriority, LostTie, LimitExhausted, CustomerRequired,
	MinQuantityNotReached, MinAmountNotReached, MaxQuantityExceeded, MaxAmountExceeded,
	FloorReached, RuleMaxReached, NoEffect, ConditionLinesMissing}

// codeOf returns the code of one of the reasons above.
func codeOf(r RejectReason) reasonCode {
	for i, x := range rejectReasons {
		if x == r {
			return reasonCode(i)
		}
	}
	panic("discount: unknown reject reason " + string(r))
}

// hintRec is a hint, recorded compactly; result turns it into a Hint
// (with the terms of the action at tier).
type hintRec struct {
	cand, line, tier int32
	qty              decimal.Decimal
	amt              money.Amount
}

// entry is one line's part of a rule being applied, in minor units.
type entry struct {
	line   int
	amount int64
	base   int64
	unit   int32 // the units given (buy_x_get_y, free_item): see addUnits
	tier   int
	capped capSet
}

// addUnits keeps a number of units aside, so that the records that
// refer to it hold no pointers, and returns its reference (never 0).
func (p *pricing) addUnits(u decimal.Decimal) int32 {
	p.units = append(p.units, u)
	return int32(len(p.units))
}

// unitsOf returns the units of a reference from addUnits, or zero for 0.
func (p *pricing) unitsOf(ref int32) decimal.Decimal {
	if ref == 0 {
		return decimal.Decimal{}
	}
	return p.units[ref-1]
}

// shareRec is one line's share of an order adjustment, kept aside in
// minor units until the result is built.
type shareRec struct {
	line   int32
	amount int64
}

// capSet is a set of Caps, kept as bits until it is reported.
type capSet uint8

const (
	capFloorBit capSet = 1 << iota
	capRuleMaxBit
	capBudgetBit
)

func (s capSet) has(c capSet) bool { return s&c != 0 }

// list appends the caps in a fixed order to dst.
func (s capSet) list(dst []Cap) []Cap {
	out := dst
	if s.has(capFloorBit) {
		out = append(out, CapFloor)
	}
	if s.has(capRuleMaxBit) {
		out = append(out, CapRuleMax)
	}
	if s.has(capBudgetBit) {
		out = append(out, CapBudget)
	}
	return out
}

// money returns v minor units as an Amount of the cart's currency.
func (p *pricing) money(v int64) money.Amount {
	if v == 0 {
		return money.Zero(p.cur) // no allocation
	}
	a, _ := money.FromMinor(v, p.cur)
	return a
}

// runRule judges one candidate against the state and applies it.
func (p *pricing) runRule(st *state, ci int32) {
	c := p.cands[ci]
	budget, ok := p.checkLimits(st, ci)
	if !ok {
		return
	}
	if c.r.Scope.Kind == ScopeOrder {
		p.runOrderRule(st, ci, budget)
	} else {
		p.runLineRule(st, ci, budget)
	}
}

// reject records that rule ci matched but gave nothing to line (or to
// the cart, when line is -1); by is the rule that kept it off, or -1.
func (p *pricing) reject(st *state, ci int32, reason RejectReason, line int, by int32) {
	if !st.dry {
		st.rejects = append(st.rejects, rejRec{cand: ci, line: int32(line), by: by, reason: codeOf(reason)})
	}
}

// rejection turns a record into the Rejection it reports.
func (p *pricing) rejection(rej *Rejection, rec *rejRec) {
	c := p.cands[rec.cand]
	rej.Rule, rej.RuleName, rej.Reason, rej.Line, rej.Budget = c.r.ID, c.r.Name, rejectReasons[rec.reason], int(rec.line), rec.budget
	if rec.line >= 0 {
		rej.SKU = p.cart.Lines[rec.line].SKU
	}
	if rec.by >= 0 {
		rej.By = p.cands[rec.by].r.ID
	}
	if rec.key != keyNone {
		rej.Key = p.usageKey(c, rec.key)
	}
}

// checkLimits reads the usage counters of the rule and its coupon. When a
// number of uses or a budget has run out it records why and fails;
// otherwise it returns what remains of the tightest budget.
func (p *pricing) checkLimits(st *state, ci int32) (budgetCap, bool) {
	c := p.cands[ci]
	r := c.r
	var bc budgetCap
	if r.Limits.Total.IsZero() && r.Limits.PerCustomer.IsZero() && c.couponDef == nil {
		return bc, true
	}
	fail := func(reason RejectReason, key keyKind, budget bool) (budgetCap, bool) {
		if !st.dry {
			st.rejects = append(st.rejects, rejRec{cand: ci, line: -1, by: -1, reason: codeOf(reason), key: key, budget: budget})
		}
		return budgetCap{}, false
	}
	customer := p.cart.Customer.ID
	type limited struct {
		key    UsageKey
		kind   keyKind
		limit  Limit
		inCart int64
	}
	var checks [4]limited
	n := 0
	if !r.Limits.Total.IsZero() {
		checks[n] = limited{key: UsageKey{Rule: r.ID}, kind: keyRule, limit: r.Limits.Total}
		n++
	}
	if !r.Limits.PerCustomer.IsZero() {
		if customer == "" {
			return fail(CustomerRequired, keyRule, false)
		}
		checks[n] = limited{key: UsageKey{Rule: r.ID, Customer: customer}, kind: keyRuleCustomer, limit: r.Limits.PerCustomer}
		n++
	}
	if def := c.couponDef; def != nil {
		var inCart int64
		for _, cs := range st.coupons {
			if cs.code == c.coupon {
				inCart = cs.spent
			}
		}
		if !def.Total.IsZero() {
			checks[n] = limited{key: UsageKey{Coupon: c.coupon}, kind: keyCoupon, limit: def.Total, inCart: inCart}
			n++
		}
		if !def.PerCustomer.IsZero() {
			if customer == "" {
				return fail(CustomerRequired, keyCoupon, false)
			}
			checks[n] = limited{key: UsageKey{Coupon: c.coupon, Customer: customer}, kind: keyCouponCustomer, limit: def.PerCustomer, inCart: inCart}
			n++
		}
	}
	for _, ch := range checks[:n] {
		counter := usageOf(p.usage, ch.key)
		if ch.limit.MaxUses > 0 && counter.Uses >= ch.limit.MaxUses {
			return fail(LimitExhausted, ch.kind, false)
		}
		if ch.limit.Budget.Currency().IsZero() {
			continue
		}
		var remain int64
		if left, err := ch.limit.Budget.Sub(counter.Spent); err == nil {
			remain = toMinor(left.Round(money.Down)) - ch.inCart
		} // counters in another currency: the budget counts as spent
		if remain <= 0 {
			return fail(LimitExhausted, ch.kind, true)
		}
		if !bc.set || remain < bc.remain {
			bc = budgetCap{set: true, remain: remain, key: ch.kind}
		}
	}
	return bc, true
}

// measure is the quantity (stock units) and amount (minor units) of a
// set of lines. The quantity is kept as an fdec when it fits (qf), and as
// a decimal when it is one line's (qty) or does not fit; quantity builds
// the decimal when a hint needs it.
type measure struct {
	qty    decimal.Decimal
	hasQty bool
	qf     fdec
	amt    int64
}

// quantity returns the measured quantity as a decimal: for several lines
// their sum at the finest exponent among them (at most 0).
func (m *measure) quantity() decimal.Decimal {
	if !m.hasQty && m.qf.ok {
		return decimal.New(int64(m.qf.c), m.qf.e)
	}
	return m.qty
}

// cmpQty compares the quantity with d (df its fdec).
func (m *measure) cmpQty(d decimal.Decimal, df fdec) int {
	if r, ok := cmpFdec(m.qf, df); ok {
		return r
	}
	return m.quantity().Cmp(d)
}

// short returns d − the quantity (df is d's fdec), as d.Sub would.
func (m *measure) short(d decimal.Decimal, df fdec) decimal.Decimal {
	if r, ok := subFdec(df, m.qf); ok {
		return r
	}
	return d.Sub(m.quantity())
}

// measureLines measures what rule c's conditions need of the lines.
func (p *pricing) measureLines(st *state, c *compiled, lines []int) measure {
	var m measure
	if c.needQty {
		m = sumQty(p, lines)
	}
	if c.needAmt {
		net := c.r.Conditions.AmountBasis == BasisNet
		for _, li := range lines {
			if net {
				m.amt += st.lines[li].net
			} else {
				m.amt += st.lines[li].list
			}
		}
	}
	return m
}

// sumQty adds the stock quantities of lines: in integers when they fit
// (aligned to the finest exponent, at most 0), else in decimals.
func sumQty(p *pricing, lines []int) measure {
	if len(lines) == 1 {
		q := &p.qty[lines[0]]
		if p.e.ref {
			return measure{qty: q.qty, hasQty: true} // a reference compares decimals
		}
		return measure{qty: q.qty, hasQty: true, qf: q.qtyF.f}
	}
	if p.e.ref {
		return sumQtySlow(p, lines)
	}
	exp := int32(0)
	for _, li := range lines {
		f := p.qty[li].qtyF.f
		if !f.ok || f.e < -18 || f.e > 18 {
			return sumQtySlow(p, lines)
		}
		exp = min(exp, f.e)
	}
	var sum uint64
	for _, li := range lines {
		f := p.qty[li].qtyF.f
		if f.e-exp > 18 {
			return sumQtySlow(p, lines)
		}
		v, ok := mul64(f.c, pow10[f.e-exp])
		if !ok {
			return sumQtySlow(p, lines)
		}
		if sum += v; sum>>fitBits != 0 {
			return sumQtySlow(p, lines)
		}
	}
	return measure{qf: fdec{c: sum, e: exp, ok: true}}
}

func sumQtySlow(p *pricing, lines []int) measure {
	var sum decimal.Decimal
	for _, li := range lines {
		sum = sum.Add(p.qty[li].qty)
	}
	return measure{qty: sum, hasQty: true}
}

// checkMeasure tests the quantity and amount conditions and returns the
// reason they fail, if any.
func checkMeasure(c *compiled, m *measure) RejectReason {
	k := &c.r.Conditions
	switch {
	case !k.MaxQuantity.IsZero() && m.cmpQty(k.MaxQuantity, c.maxQty) > 0:
		return MaxQuantityExceeded
	case c.maxAmt >= 0 && m.amt > c.maxAmt:
		return MaxAmountExceeded
	case !k.MinQuantity.IsZero() && m.cmpQty(k.MinQuantity, c.minQty) < 0:
		return MinQuantityNotReached
	case c.minAmt >= 0 && m.amt < c.minAmt:
		return MinAmountNotReached
	}
	return ""
}

// conditionsHint records what would unlock a rule whose minimum was not
// reached.
func (p *pricing) conditionsHint(st *state, ci int32, line int, reason RejectReason, m measure) {
	c := p.cands[ci]
	if st.dry {
		return
	}
	k := &c.r.Conditions
	switch reason {
	case MinQuantityNotReached:
		p.hint(st, ci, line, m.short(k.MinQuantity, c.minQty), money.Amount{}, -1)
	case MinAmountNotReached:
		p.hint(st, ci, line, decimal.Decimal{}, sub(k.MinAmount, p.money(m.amt)), -1)
	}
}

// hint records what would unlock a discount of rule ci: the terms of its
// action at tier (see termsOf).
func (p *pricing) hint(st *state, ci int32, line int, qty decimal.Decimal, amt money.Amount, tier int) {
	if !st.dry {
		st.hints = append(st.hints, hintRec{cand: ci, line: int32(line), tier: int32(tier), qty: qty, amt: amt})
	}
}

// hintOf turns a record into the Hint it reports.
func (p *pricing) hintOf(h *Hint, rec *hintRec) {
	c := p.cands[rec.cand]
	h.Rule, h.RuleName, h.Line = c.r.ID, c.r.Name, int(rec.line)
	if rec.qty != (decimal.Decimal{}) {
		h.Quantity = rec.qty
	}
	if rec.amt != (money.Amount{}) {
		h.Amount = rec.amt
	}
	setTerms(&h.Terms, c.termsAt(rec.tier))
	if rec.line >= 0 {
		h.SKU = p.cart.Lines[rec.line].SKU
	}
}

// blockedBy returns the rule that keeps rule ci off line li, or -1.
func (p *pricing) blockedBy(st *state, ci int32, li int) int32 {
	ls := &st.lines[li]
	if ls.lockedBy >= 0 {
		return ls.lockedBy
	}
	if ls.touchedBy >= 0 && p.cands[ci].r.Stacking == Exclusive {
		return ls.touchedBy
	}
	return -1
}

// block records that rule ci is kept off line li by rule by: a tie when
// both have the same phase and priority.
func (p *pricing) block(st *state, ci, by int32, li int) {
	a, b := p.cands[ci], p.cands[by]
	if a.phase == b.phase && a.r.Priority == b.r.Priority {
		st.conflicts = append(st.conflicts, conflict{rule: ci, by: by, line: li})
		p.reject(st, ci, LostTie, li, by)
		return
	}
	p.reject(st, ci, LostOnPriority, li, by)
}

// base returns the amount rule c computes on for a line: the list amount
// (the order base in the order phase) for additive rules, the current net
// for the others.
func base(c *compiled, ls *lineState) int64 {
	if c.r.Stacking == Additive {
		if c.phase == 1 {
			return ls.orderBase
		}
		return ls.list
	}
	return ls.net
}

// pool is a set of lines whose measure decides a reward on some lines.
type pool struct {
	measure []int
	reward  []int
	line    int // the line of a per-line pool, or -1
}

// targetLines returns the lines a line or cross rule rewards, and for a
// cross rule the condition lines.
func (p *pricing) targetLines(ci int32) (targets, conds []int) {
	c := p.cands[ci]
	if c.product {
		return p.hits[ci], nil
	}
	if c.r.Scope.Kind == ScopeCross {
		conds = p.selectorLines(&c.r.Scope.Condition)
		var all []int
		if c.crossIdx {
			all = p.hits[ci] // the lines the index found, that match the target
		} else {
			all = p.selectorLines(&c.r.Scope.Target)
		}
		targets = p.open()
		for _, li := range all {
			if !slices.Contains(conds, li) {
				targets = append(targets, li)
			}
		}
		return p.seal(targets), conds
	}
	return p.selectorLines(&c.r.Scope.Target), nil
}

// smallCart is the number of lines up to which a selector's SKUs are
// looked up by scanning the lines rather than through a map.
const smallCart = 64

// selectorLines returns the lines a selector matches, in line order. A
// selector with SKUs looks them up instead of testing every line.
func (p *pricing) selectorLines(s *Selector) []int {
	if s.IsEmpty() {
		return p.all
	}
	lines := p.cart.Lines
	if len(s.Categories) == 0 && len(s.Brands) == 0 && len(s.ExcludeSKUs) == 0 && len(lines) <= smallCart {
		// SKUs alone: compare them directly.
		out := p.open()
		for li := range lines {
			if contains(s.SKUs, lines[li].SKU) {
				out = append(out, li)
			}
		}
		return p.seal(out)
	}
	if len(s.SKUs) == 0 || len(lines) <= smallCart {
		out := p.open()
		for li := range lines {
			if s.matches(&lines[li]) {
				out = append(out, li)
			}
		}
		return p.seal(out)
	}
	if p.bySKU == nil {
		// The first line of each SKU, and for each line the next line of
		// the same SKU (or -1).
		p.bySKU = make(map[string]int, len(lines))
		p.nextSKU = make([]int, len(lines))
		for li := len(lines) - 1; li >= 0; li-- {
			next, ok := p.bySKU[lines[li].SKU]
			if !ok {
				next = -1
			}
			p.nextSKU[li] = next
			p.bySKU[lines[li].SKU] = li
		}
	}
	out := p.open()
	for _, sku := range s.SKUs {
		li, ok := p.bySKU[sku]
		for ; ok && li >= 0; li = p.nextSKU[li] {
			if s.matches(&lines[li]) && !slices.Contains(out, li) {
				out = append(out, li)
			}
		}
	}
	if len(s.SKUs) > 1 {
		slices.Sort(out)
	}
	return p.seal(out)
}

// runLineRule applies a line or cross rule.
func (p *pricing) runLineRule(st *state, ci int32, budget budgetCap) {
	c := p.cands[ci]
	r := c.r
	targets, conds := p.targetLines(ci)
	if len(targets) == 0 {
		return // nothing to reward: the rule did not match
	}
	mark := len(st.rejects)
	if r.Scope.Kind == ScopeCross && len(conds) == 0 {
		p.reject(st, ci, ConditionLinesMissing, -1, -1)
		return
	}
	var single [1]pool
	var pools []pool
	switch {
	case r.Scope.Kind == ScopeCross:
		single[0] = pool{measure: conds, reward: targets, line: -1}
		pools = single[:]
	case r.Conditions.SumMatching:
		single[0] = pool{measure: targets, reward: targets, line: -1}
		pools = single[:]
	case len(targets) == 1:
		single[0] = pool{measure: targets, reward: targets, line: targets[0]}
		pools = single[:]
	default:
		pools = make([]pool, len(targets))
		for i, li := range targets {
			one := targets[i : i+1 : i+1]
			pools[i] = pool{measure: one, reward: one, line: li}
		}
	}
	entries := p.entries[:0]
	granted := false
	for _, pl := range pools {
		m := p.measureLines(st, c, pl.measure)
		if reason := checkMeasure(c, &m); reason != "" {
			p.reject(st, ci, reason, pl.line, -1)
			p.conditionsHint(st, ci, pl.line, reason, m)
			continue
		}
		if r.Action.Kind == ActionFreeItem {
			granted = true
			continue
		}
		eligible := pl.reward
		for i, li := range pl.reward {
			if by := p.blockedBy(st, ci, li); by >= 0 {
				// Copy out the lines that are not blocked.
				eligible = append(p.lineBuf(len(pl.reward)), pl.reward[:i]...)
				for _, lj := range pl.reward[i:] {
					if by := p.blockedBy(st, ci, lj); by >= 0 {
						p.block(st, ci, by, lj)
					} else {
						eligible = append(eligible, lj)
					}
				}
				break
			}
		}
		entries = p.rewardPool(st, ci, pl, m, eligible, entries)
	}
	if granted {
		entries = p.freeItem(st, ci, entries)
	}
	p.finish(st, ci, entries, budget, mark, granted)
	p.entries = entries[:0]
}

// rewardPool computes the discount of one pool on its eligible lines.
func (p *pricing) rewardPool(st *state, ci int32, pl pool, m measure, eligible []int, out []entry) []entry {
	c := p.cands[ci]
	a := &c.r.Action
	switch a.Kind {
	case ActionBuyXGetY:
		return p.buyXGetY(st, ci, pl, eligible, out)
	case ActionVolume:
		tier := p.volumeTier(st, ci, pl.line, m)
		if tier < 0 {
			p.reject(st, ci, tierReason(a), pl.line, -1)
			return out
		}
		b := &c.breaks[tier]
		for _, li := range eligible {
			ls := &st.lines[li]
			bs := base(c, ls)
			var d int64
			if b.hasPrice {
				d = max(0, bs-p.calc(p.mode, []factor{b.price, p.qty[li].qtyF}, nil))
			} else {
				d = p.calc(p.mode, []factor{p.minorFac(bs), b.pct}, []factor{facHundred})
			}
			out = append(out, entry{line: li, amount: d, base: bs, tier: tier})
		}
		return out
	}
	for _, li := range eligible {
		ls := &st.lines[li]
		bs := base(c, ls)
		var d int64
		switch a.Kind {
		case ActionPercentOff:
			d = p.calc(p.mode, []factor{p.minorFac(bs), c.pct}, []factor{facHundred})
		case ActionAmountOff:
			if a.Per == PerUnit {
				d = p.calc(p.mode, []factor{c.amt, p.qty[li].qtyF}, nil)
			} else {
				d = p.calc(p.mode, []factor{c.amt}, nil)
			}
		case ActionFixedPrice:
			d = max(0, bs-p.calc(p.mode, []factor{c.amt, p.qty[li].qtyF}, nil))
		}
		out = append(out, entry{line: li, amount: d, base: bs, tier: -1})
	}
	return out
}

func tierReason(a *Action) RejectReason {
	if a.By == ByAmount {
		return MinAmountNotReached
	}
	return MinQuantityNotReached
}

// volumeTier returns the highest break reached by m, or -1, and records a
// hint towards the next break.
func (p *pricing) volumeTier(st *state, ci int32, line int, m measure) int {
	c := p.cands[ci]
	a := &c.r.Action
	tier := -1
	for i := range c.breaks {
		b := &c.breaks[i]
		var reached bool
		if a.By == ByAmount {
			reached = m.amt >= b.minAmt
		} else {
			reached = m.cmpQty(b.minQty, b.minQtyF) >= 0
		}
		if !reached {
			break
		}
		tier = i
	}
	if next := tier + 1; next < len(a.Breaks) && !st.dry {
		b := a.Breaks[next]
		if a.By == ByAmount {
			p.hint(st, ci, line, decimal.Decimal{}, sub(b.MinAmount, p.money(m.amt)), next)
		} else {
			p.hint(st, ci, line, m.short(b.MinQuantity, c.breaks[next].minQtyF), money.Amount{}, next)
		}
	}
	return tier
}

// setTerms copies src into dst, a zero Terms of the result, writing only
// the fields that are set. Every pointer written into the heap while the
// garbage collector marks costs a write barrier, and most fields of a
// rule's terms are zero, so skipping them makes building a result
// cheaper.
func setTerms(dst, src *Terms) {
	dst.Kind, dst.Buy, dst.Get = src.Kind, src.Buy, src.Get
	if src.Percent != (decimal.Decimal{}) {
		dst.Percent = src.Percent
	}
	if src.Amount != (money.Amount{}) {
		dst.Amount = src.Amount
	}
	if src.Per != "" {
		dst.Per = src.Per
	}
	if src.SKU != "" {
		dst.SKU = src.SKU
	}
	if src.Quantity != (decimal.Decimal{}) {
		dst.Quantity = src.Quantity
	}
	if src.FromQuantity != (decimal.Decimal{}) {
		dst.FromQuantity = src.FromQuantity
	}
	if src.FromAmount != (money.Amount{}) {
		dst.FromAmount = src.FromAmount
	}
}

// termsOf describes an action (at a volume break, when tier ≥ 0).
func termsOf(a *Action, tier int) Terms {
	t := Terms{Kind: a.Kind, Percent: a.Percent, Per: a.Per, Buy: a.Buy, Get: a.Get, SKU: a.SKU, Quantity: a.Quantity}
	switch a.Kind {
	case ActionAmountOff:
		t.Amount = a.Amount
	case ActionFixedPrice:
		t.Amount = a.Price
	case ActionBuyXGetY:
		if t.Percent.IsZero() {
			t.Percent = hundred
		}
	case ActionFreeItem:
		if t.Quantity.IsZero() {
			t.Quantity = one
		}
	case ActionVolume:
		if tier < 0 {
			tier = 0
		}
		b := a.Breaks[tier]
		t.Percent, t.Amount, t.FromQuantity, t.FromAmount = b.Percent, b.Price, b.MinQuantity, b.MinAmount
	}
	return t
}

// buyXGetY computes a buy X get Y reward over one pool.
func (p *pricing) buyXGetY(st *state, ci int32, pl pool, eligible []int, out []entry) []entry {
	if !p.e.ref {
		if res, ok := p.buyXGetYInt(st, ci, pl, eligible, out); ok {
			return res
		}
	}
	c := p.cands[ci]
	a := &c.r.Action
	var bought decimal.Decimal
	for _, li := range pl.measure {
		bought = bought.Add(p.qty[li].qty.Floor())
	}
	per := decimal.NewFromInt(a.Buy)
	if c.r.Scope.Kind != ScopeCross {
		per = per.Add(decimal.NewFromInt(a.Get))
	}
	times, _ := bought.QuoRem(per, 0)
	if times.IsZero() {
		p.reject(st, ci, MinQuantityNotReached, pl.line, -1)
		p.hint(st, ci, pl.line, per.Sub(bought), money.Amount{}, -1)
		return out
	}
	if a.MaxApplications > 0 {
		times = decimal.Min(times, decimal.NewFromInt(a.MaxApplications))
	}
	free := times.Mul(decimal.NewFromInt(a.Get))
	// Units are taken cheapest first (or most expensive first), comparing
	// unit prices base/qty by cross-multiplication; ties keep line order.
	// A line without a whole unit gives none and is left out: a zero
	// quantity would compare equal to every line and break the order.
	order := slices.DeleteFunc(slices.Clone(eligible), func(li int) bool { return !p.qty[li].qty.Floor().IsPositive() })
	if len(order) > 1 {
		slices.SortStableFunc(order, func(x, y int) int {
			lx, ly := &st.lines[x], &st.lines[y]
			vx := decimal.NewFromInt(base(c, lx)).Mul(p.qty[y].qty)
			vy := decimal.NewFromInt(base(c, ly)).Mul(p.qty[x].qty)
			if a.Pick == MostExpensive {
				return vy.Cmp(vx)
			}
			return vx.Cmp(vy)
		})
	}
	for _, li := range order {
		if !free.IsPositive() {
			break
		}
		ls := &st.lines[li]
		units := decimal.Min(free, p.qty[li].qty.Floor())
		if !units.IsPositive() {
			continue
		}
		free = free.Sub(units)
		bs := base(c, ls)
		d := p.calc(p.mode, []factor{p.minorFac(bs), fac(units), c.pct}, []factor{p.qty[li].qtyF, facHundred})
		out = append(out, entry{line: li, amount: d, base: bs, unit: p.addUnits(units), tier: -1})
	}
	return out
}

// buyXGetYInt is buyXGetY in integers, for quantities that fit with no
// positive exponent (then every number it reports is a whole number at
// exponent 0, as the decimal path gives it). ok is false, before doing
// anything, when it does not apply.
func (p *pricing) buyXGetYInt(st *state, ci int32, pl pool, eligible []int, out []entry) (_ []entry, ok bool) {
	c := p.cands[ci]
	a := &c.r.Action
	floor := func(li int) (uint64, bool) {
		f := p.qty[li].qtyF.f
		if !f.ok || f.e > 0 || f.e < -18 {
			return 0, false
		}
		return f.c / pow10[-f.e], true
	}
	for _, li := range eligible {
		if _, ok := floor(li); !ok {
			return out, false
		}
	}
	var bought uint64
	for _, li := range pl.measure {
		q, ok := floor(li)
		if !ok {
			return out, false
		}
		if bought += q; bought>>fitBits != 0 {
			return out, false
		}
	}
	if a.Buy <= 0 || a.Get < 0 || a.Buy > 1<<40 || a.Get > 1<<40 || a.MaxApplications < 0 {
		return out, false
	}
	per := uint64(a.Buy)
	if c.r.Scope.Kind != ScopeCross {
		per += uint64(a.Get)
	}
	times := bought / per
	if times == 0 {
		p.reject(st, ci, MinQuantityNotReached, pl.line, -1)
		p.hint(st, ci, pl.line, wholeDec(per-bought), money.Amount{}, -1)
		return out, true
	}
	if a.MaxApplications > 0 {
		times = min(times, uint64(a.MaxApplications))
	}
	free, fits := mul64(times, uint64(a.Get))
	if !fits {
		return out, false
	}
	// Units are taken cheapest first (or most expensive first), comparing
	// unit prices base/qty by cross-multiplication; ties keep line order.
	order := eligible
	if len(order) > 1 {
		// As in buyXGetY, lines without a whole unit are left out.
		order = slices.DeleteFunc(slices.Clone(eligible), func(li int) bool { q, _ := floor(li); return q == 0 })
		slices.SortStableFunc(order, func(x, y int) int {
			lx, ly := &st.lines[x], &st.lines[y]
			vx := decimal.NewFromInt(base(c, lx)).Mul(p.qty[y].qty)
			vy := decimal.NewFromInt(base(c, ly)).Mul(p.qty[x].qty)
			if a.Pick == MostExpensive {
				return vy.Cmp(vx)
			}
			return vx.Cmp(vy)
		})
	}
	for _, li := range order {
		if free == 0 {
			break
		}
		q, _ := floor(li)
		units := min(free, q)
		if units == 0 {
			continue
		}
		free -= units
		ls := &st.lines[li]
		bs := base(c, ls)
		u := wholeDec(units)
		d := p.calc(p.mode, []factor{p.minorFac(bs), fac(u), c.pct}, []factor{p.qty[li].qtyF, facHundred})
		out = append(out, entry{line: li, amount: d, base: bs, unit: p.addUnits(u), tier: -1})
	}
	return out, true
}

// wholeDec returns v (below 2^63) as a decimal at exponent 0.
func wholeDec(v uint64) decimal.Decimal {
	if v < uint64(len(smallInts)) {
		return smallInts[v]
	}
	return decimal.New(int64(v), 0)
}

// freeItem makes the free units of the rule's SKU free on the lines that
// have it, and lists the rest as free items to add.
func (p *pricing) freeItem(st *state, ci int32, out []entry) []entry {
	c := p.cands[ci]
	a := &c.r.Action
	left := a.Quantity
	if left.IsZero() {
		left = one
	}
	for li := range p.cart.Lines {
		if !left.IsPositive() {
			break
		}
		if p.cart.Lines[li].SKU != a.SKU {
			continue
		}
		ls := &st.lines[li]
		if !p.qty[li].qty.IsPositive() {
			continue
		}
		if by := p.blockedBy(st, ci, li); by >= 0 {
			p.block(st, ci, by, li)
			continue
		}
		units := decimal.Min(left, p.qty[li].qty)
		left = left.Sub(units)
		bs := base(c, ls)
		d := p.calc(p.mode, []factor{p.minorFac(bs), fac(units)}, []factor{p.qty[li].qtyF})
		out = append(out, entry{line: li, amount: d, base: bs, unit: p.addUnits(units), tier: -1})
	}
	if left.IsPositive() {
		if !st.dry {
			st.free = append(st.free, FreeItem{Rule: c.r.ID, RuleName: c.r.Name, SKU: a.SKU, Quantity: left})
		}
	}
	return out
}

// finish caps a line or cross rule's entries and applies them. mark is
// the number of rejections before the rule ran: a rule that gives nothing
// and has not said why is reported as having no effect.
func (p *pricing) finish(st *state, ci int32, entries []entry, budget budgetCap, mark int, granted bool) {
	c := p.cands[ci]
	var total int64
	for i := range entries {
		e := &entries[i]
		if h := st.lines[e.line].net - st.lines[e.line].floor; e.amount > h {
			e.amount = h
			e.capped |= capFloorBit
		}
		total += e.amount
	}
	if total > 0 {
		total = p.capTotal(entries, total, c.maxDisc, capRuleMaxBit)
		if budget.set {
			total = p.capTotal(entries, total, budget.remain, capBudgetBit)
		}
	}
	for _, e := range entries {
		if e.amount != 0 {
			continue
		}
		switch {
		case e.capped.has(capBudgetBit):
			if !st.dry {
				st.rejects = append(st.rejects, rejRec{cand: ci, line: int32(e.line), by: -1, reason: codeOf(LimitExhausted),
					key: budget.key, budget: true})
			}
		case e.capped.has(capRuleMaxBit):
			p.reject(st, ci, RuleMaxReached, e.line, -1)
		case e.capped.has(capFloorBit):
			p.reject(st, ci, FloorReached, e.line, -1)
		default:
			p.reject(st, ci, NoEffect, e.line, -1)
		}
	}
	if total <= 0 && !granted {
		if len(st.rejects) == mark {
			p.reject(st, ci, NoEffect, -1, -1)
		}
		return
	}
	var baseTotal int64
	for _, e := range entries {
		if e.amount > 0 {
			baseTotal += e.base
		}
	}
	var allowed int64 // what the authority itself gives on the same bases, rounded as an adjustment
	if m := c.r.Manual; m != nil && m.Authority != nil {
		for _, e := range entries {
			if e.amount > 0 {
				allowed += p.calc(p.mode, []factor{p.minorFac(e.base), fac(*m.Authority)}, []factor{facHundred})
			}
		}
	}
	needsApproval := p.approve(st, c, total, baseTotal, allowed)
	first := len(st.adjs)
	for _, e := range entries {
		if e.amount <= 0 {
			continue
		}
		ls := &st.lines[e.line]
		ls.net -= e.amount
		p.touch(ls, ci)
		if !st.dry {
			st.adjs = append(st.adjs, adjRec{cand: ci, line: int32(e.line), tier: int32(e.tier), approval: needsApproval,
				amount: e.amount, base: e.base, unit: e.unit, capped: e.capped})
		}
	}
	p.spend(st, ci, total, first)
}

// capTotal cuts the entries so that they add up to at most limit (minor
// units; -1 for none), in proportion to their amounts, with the largest
// remainder method of money's allocation.
func (p *pricing) capTotal(entries []entry, total, limit int64, why capSet) int64 {
	if limit < 0 || total <= limit {
		return total
	}
	sc := p.sc
	sc.w, sc.parts = grow(sc.w, len(entries)), grow(sc.parts, len(entries))[:len(entries)]
	for _, e := range entries {
		if e.amount < 0 {
			return total // unreachable: amounts are never negative
		}
		sc.w = append(sc.w, e.amount)
	}
	p.split(limit, sc.w, sc.parts) // total is positive, so some weight is
	for i := range entries {
		v := sc.parts[i]
		if v < entries[i].amount {
			entries[i].capped |= why
		}
		entries[i].amount = v
	}
	return limit
}

// touch marks a line as discounted by rule ci, and locks it for an
// exclusive or stop rule.
func (p *pricing) touch(ls *lineState, ci int32) {
	if ls.touchedBy < 0 {
		ls.touchedBy = ci
	}
	if p.cands[ci].locking {
		ls.lockedBy = ci
	}
}

// spend records that rule ci applied with total in the adjustments from
// first on, and what it spent of its coupon in this cart.
func (p *pricing) spend(st *state, ci int32, total int64, first int) {
	c := p.cands[ci]
	st.applied = append(st.applied, appliedRule{cand: ci, amount: total, adj: int32(first), adjs: int32(len(st.adjs) - first)})
	if c.coupon == "" {
		return
	}
	for i := range st.coupons {
		if st.coupons[i].code == c.coupon {
			st.coupons[i].spent += total
			return
		}
	}
	st.coupons = append(st.coupons, couponSpend{code: c.coupon, spent: total})
}

// approve flags a manual discount above its granter's authority: amount ×
// 100 > authority × base, exactly.
func (p *pricing) approve(st *state, c *compiled, amount, baseTotal, allowed int64) bool {
	m := c.r.Manual
	if m == nil || m.Authority == nil || amount <= 0 {
		return false
	}
	lhs := decimal.NewFromInt(amount).Mul(hundred)
	rhs := decimal.NewFromInt(baseTotal).Mul(*m.Authority)
	if lhs.Cmp(rhs) <= 0 || amount <= allowed {
		return false
	}
	if st.dry {
		return true
	}
	pct := decimal.Zero
	if baseTotal > 0 {
		pct = lhs.DivRound(decimal.NewFromInt(baseTotal), 2)
	}
	st.approvals = append(st.approvals, Approval{Rule: c.r.ID, RuleName: c.r.Name, GrantedBy: m.GrantedBy,
		Amount: p.money(amount), Base: p.money(baseTotal), Percent: pct, Authority: *m.Authority})
	return true
}

// adjustment fills adj from a record. adj is zero but for the Shares and
// Capped slices of an earlier result, whose memory it reuses. lines are
// the priced lines, whose amounts are shared where a base equals them.
func (p *pricing) adjustment(adj *Adjustment, rec *adjRec, st *state, lines []PricedLine) {
	c := p.cands[rec.cand]
	oldShares, oldCapped := adj.Shares, adj.Capped
	adj.Shares, adj.Capped = nil, nil
	if rec.line >= 0 && rec.base == st.lines[rec.line].list {
		adj.Base = lines[rec.line].List
	} else {
		adj.Base = p.money(rec.base)
	}
	adj.Amount = p.money(rec.amount)
	adj.Rule, adj.RuleName, adj.Scope, adj.Stacking = c.r.ID, c.r.Name, c.r.Scope.Kind, c.r.Stacking
	adj.Line, adj.NeedsApproval = int(rec.line), rec.approval
	setTerms(&adj.Terms, c.termsAt(rec.tier))
	// adj is zero: fields that stay zero are not written (see setTerms).
	if rec.unit > 0 {
		adj.Units = p.unitsOf(rec.unit)
	}
	if rec.capped != 0 {
		if oldCapped == nil {
			oldCapped = make([]Cap, 0, 3)
		}
		adj.Capped = rec.capped.list(oldCapped[:0])
	}
	if rec.line < 0 {
		recs := p.shareRecs[rec.shares : rec.shares+rec.nshares]
		out := oldShares[:0]
		if cap(out) < len(recs) {
			out = make([]Share, 0, len(recs))
		}
		for _, r := range recs {
			out = append(out, Share{Line: int(r.line), Amount: p.money(r.amount)})
		}
		adj.Shares = out
	}
	if c.coupon != "" {
		adj.Coupon = c.coupon
	}
	if rec.line >= 0 {
		adj.SKU = p.cart.Lines[rec.line].SKU
	}
	if c.r.Manual != nil {
		adj.GrantedBy = c.r.Manual.GrantedBy
	}
}

// runOrderRule applies an order rule.
func (p *pricing) runOrderRule(st *state, ci int32, budget budgetCap) {
	c := p.cands[ci]
	r := c.r
	a := &r.Action
	mark := len(st.rejects)
	measureLines := p.selectorLines(&r.Scope.Condition)
	if len(measureLines) == 0 && !r.Scope.Condition.IsEmpty() {
		p.reject(st, ci, ConditionLinesMissing, -1, -1)
		return
	}
	if len(measureLines) == 0 {
		return // an empty cart
	}
	m := p.measureLines(st, c, measureLines)
	if reason := checkMeasure(c, &m); reason != "" {
		p.conditionsHint(st, ci, -1, reason, m)
		p.reject(st, ci, reason, -1, -1)
		return
	}
	if a.Kind == ActionFreeItem {
		p.finish(st, ci, p.freeItem(st, ci, nil), budget, mark, true)
		return
	}
	tier := -1
	if a.Kind == ActionVolume {
		if tier = p.volumeTier(st, ci, -1, m); tier < 0 {
			p.reject(st, ci, tierReason(a), -1, -1)
			return
		}
	}
	eligible := p.lineBuf(len(p.cart.Lines))
	var bs, room int64
	for li := range p.cart.Lines {
		if by := p.blockedBy(st, ci, li); by >= 0 {
			p.block(st, ci, by, li)
			continue
		}
		ls := &st.lines[li]
		eligible = append(eligible, li)
		bs += base(c, ls)
		room += ls.net - ls.floor
	}
	if len(eligible) == 0 {
		return // every line was kept off, and each is reported
	}
	var d int64
	switch a.Kind {
	case ActionPercentOff:
		d = p.calc(p.mode, []factor{p.minorFac(bs), c.pct}, []factor{facHundred})
	case ActionAmountOff:
		d = p.calc(p.mode, []factor{c.amt}, nil)
	case ActionVolume:
		d = p.calc(p.mode, []factor{p.minorFac(bs), c.breaks[tier].pct}, []factor{facHundred})
	}
	var capped capSet
	if d > room {
		d = room
		capped |= capFloorBit
	}
	if c.maxDisc >= 0 && d > c.maxDisc {
		d = c.maxDisc
		capped |= capRuleMaxBit
	}
	if budget.set && d > budget.remain {
		d = budget.remain
		capped |= capBudgetBit
	}
	if d <= 0 {
		switch {
		case len(st.rejects) > mark:
		case room == 0:
			p.reject(st, ci, FloorReached, -1, -1)
		default:
			p.reject(st, ci, NoEffect, -1, -1)
		}
		return
	}
	shares := p.spread(st, d, eligible)
	var allowed int64
	if m := r.Manual; m != nil && m.Authority != nil {
		allowed = p.calc(p.mode, []factor{p.minorFac(bs), fac(*m.Authority)}, []factor{facHundred})
	}
	needsApproval := p.approve(st, c, d, bs, allowed)
	from := len(p.shareRecs)
	for i, li := range eligible {
		if v := shares[i]; v > 0 {
			ls := &st.lines[li]
			ls.net -= v
			p.touch(ls, ci)
			if !st.dry {
				p.shareRecs = append(p.shareRecs, shareRec{line: int32(li), amount: v})
			}
		}
	}
	if !st.dry {
		st.adjs = append(st.adjs, adjRec{cand: ci, line: -1, tier: int32(tier), approval: needsApproval,
			amount: d, base: bs, capped: capped, shares: int32(from), nshares: int32(len(p.shareRecs) - from)})
	}
	p.spend(st, ci, d, len(st.adjs)-1)
}

// spread splits an order discount d over the eligible lines in proportion
// to their order bases (their nets after the line rules) with the largest
// remainder method of money's allocation (split), so that the shares add
// up to d exactly. A share that would take a line below its floor is cut
// to the floor and the rest is spread again over the other lines; d is
// never more than the lines' total headroom, so everything is placed. (A
// line with room has a positive net, so a positive order base: every
// active line has a positive weight.) It returns the share of each
// eligible line, in a scratch buffer.
func (p *pricing) spread(st *state, d int64, eligible []int) []int64 {
	sc := p.sc
	n := len(eligible)
	shares := grow(sc.shares, n)[:n]
	clear(shares)
	room := grow(sc.room, n)[:n]
	active := grow(sc.active, n)
	for i, li := range eligible {
		room[i] = st.lines[li].net - st.lines[li].floor
		if room[i] > 0 {
			active = append(active, i)
		}
	}
	sc.shares, sc.room, sc.active = shares, room, active
	left := d
	for left > 0 && len(active) > 0 {
		w, parts := grow(sc.w, len(active)), grow(sc.parts, len(active))[:len(active)]
		var sum int64
		for _, i := range active {
			ob := st.lines[eligible[i]].orderBase
			w = append(w, ob)
			sum += ob
		}
		sc.w, sc.parts = w, parts
		if sum <= 0 {
			break // unreachable: every active line has a positive weight
		}
		p.split(left, w, parts)
		next := active[:0]
		filled := false
		for j, i := range active {
			if parts[j] >= room[i] {
				// Fill this line to its floor and spread the rest again.
				shares[i] += room[i]
				left -= room[i]
				room[i] = 0
				filled = true
				continue
			}
			next = append(next, i)
		}
		if !filled {
			for j, i := range active {
				shares[i] += parts[j]
			}
			break
		}
		active = next
	}
	return shares
}

// result builds the PricedCart from the final state into out, reusing
// the memory of out's slices (see PriceInto).
func (p *pricing) result(st *state, out *PricedCart) {
	*out = PricedCart{
		Currency: p.cur, At: p.cart.At, Rounding: p.mode, Customer: p.cart.Customer.ID,
		Lines:       resize(out.Lines, len(st.lines)),
		Adjustments: resizeKeep(out.Adjustments, len(st.adjs)),
		// Never nil, as callers may rely on.
		NotApplied: resize(out.NotApplied, len(st.rejects)),
		Hints:      resize(out.Hints, len(st.hints)),
		FreeItems:  appendOrNil(out.FreeItems, st.free),
		Approvals:  appendOrNil(out.Approvals, st.approvals),
		Uses:       out.Uses,
	}
	var list, net int64
	for i := range st.lines {
		ls, l, pl := &st.lines[i], &p.cart.Lines[i], &out.Lines[i]
		pl.ID, pl.SKU, pl.Quantity, pl.Unit, pl.StockQuantity = l.ID, l.SKU, l.Quantity, l.Unit, p.qty[i].qty
		pl.ListPrice, pl.List = l.ListPrice, p.money(ls.list)
		if ls.net == ls.list {
			pl.Discount, pl.Net = p.money(0), pl.List
		} else {
			pl.Discount, pl.Net = p.money(ls.list-ls.net), p.money(ls.net)
		}
		list += ls.list
		net += ls.net
	}
	for i := range st.adjs {
		p.adjustment(&out.Adjustments[i], &st.adjs[i], st, out.Lines)
	}
	for i := range st.rejects {
		p.rejection(&out.NotApplied[i], &st.rejects[i])
	}
	for i := range st.hints {
		p.hintOf(&out.Hints[i], &st.hints[i])
	}
	out.List, out.Discount, out.Net = p.money(list), p.money(list-net), p.money(net)
	out.Uses = p.uses(st, out.Adjustments, out.Uses)
}

// resize returns s with length n and every element zero, reusing its
// memory when it has room. The result is never nil.
func resize[T any](s []T, n int) []T {
	if cap(s) < n || s == nil {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// resizeKeep is resize for adjustments: every element is zero but for
// the Shares and Capped slices it held before (kept for their memory),
// including elements beyond the old length.
func resizeKeep(s []Adjustment, n int) []Adjustment {
	if cap(s) < n || s == nil {
		return make([]Adjustment, n)
	}
	s = s[:n]
	for i := range s {
		a := &s[i]
		*a = Adjustment{Shares: a.Shares[:0], Capped: a.Capped[:0]}
	}
	return s
}

// appendOrNil copies src into dst's memory; nil when both are empty.
func appendOrNil[T any](dst, src []T) []T {
	if len(src) == 0 && dst == nil {
		return nil
	}
	clear(dst)
	return append(dst[:0], src...)
}

// reset empties p, keeping the memory of its slices for PriceInto.
func (pc *PricedCart) reset() {
	*pc = PricedCart{Lines: pc.Lines[:0], Adjustments: pc.Adjustments[:0], NotApplied: pc.NotApplied[:0],
		Hints: pc.Hints[:0], FreeItems: pc.FreeItems[:0], Approvals: pc.Approvals[:0], Uses: pc.Uses[:0]}
}

// uses lists what the cart consumes: for every applied rule of the rule
// set one use and its discount, in total and for the customer; then the
// same for every coupon used, sorted by code. The list is written into
// dst's memory at its size (see resize) and filled in place, writing
// only the fields that are set (see setTerms).
func (p *pricing) uses(st *state, adjs []Adjustment, dst []Use) []Use {
	customer := p.cart.Customer.ID
	per := 1 // uses per rule or coupon
	if customer != "" {
		per = 2
	}
	var coupons []couponSpend
	n := 0
	for _, ap := range st.applied {
		c := p.cands[ap.cand]
		if c.fromCart {
			continue
		}
		n += per
		if c.coupon == "" {
			continue
		}
		i := slices.IndexFunc(coupons, func(cs couponSpend) bool { return cs.code == c.coupon })
		if i < 0 {
			coupons = append(coupons, couponSpend{code: c.coupon, spent: ap.amount})
		} else {
			coupons[i].spent += ap.amount
		}
	}
	n += per * len(coupons)
	out := resize(dst, n)
	k := 0
	put := func(rule, coupon string, amount money.Amount, limit []Limit) {
		for j := 0; j < per; j++ {
			u := &out[k]
			k++
			if rule != "" {
				u.Key.Rule = rule
			}
			if coupon != "" {
				u.Key.Coupon = coupon
			}
			if j == 1 {
				u.Key.Customer = customer
				limit = limit[1:] // the customer's limit follows the total's
			}
			u.Amount = amount
			if l := &limit[0]; l.MaxUses != 0 || l.Budget != (money.Amount{}) {
				u.Limit.MaxUses = l.MaxUses
				if l.Budget != (money.Amount{}) {
					u.Limit.Budget = l.Budget
				}
			}
		}
	}
	for _, ap := range st.applied {
		c := p.cands[ap.cand]
		if c.fromCart {
			continue
		}
		// A rule's total is often its one adjustment: share the amount.
		var amount money.Amount
		if ap.adjs == 1 {
			amount = adjs[ap.adj].Amount
		} else {
			amount = p.money(ap.amount)
		}
		limits := [2]Limit{c.r.Limits.Total, c.r.Limits.PerCustomer}
		put(c.r.ID, "", amount, limits[:])
	}
	slices.SortFunc(coupons, func(a, b couponSpend) int { return cmp.Compare(a.code, b.code) })
	for _, cs := range coupons {
		var limits [2]Limit
		if def := p.e.coupons[cs.code]; def != nil {
			limits = [2]Limit{def.Total, def.PerCustomer}
		}
		put("", cs.code, p.money(cs.spent), limits[:])
	}
	return out
}
