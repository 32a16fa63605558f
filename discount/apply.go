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
	key    UsageKey
}

// entry is one line's part of a rule being applied, in minor units.
type entry struct {
	line   int
	amount int64
	base   int64
	units  decimal.Decimal
	tier   int
	capped capSet
}

// capSet is a set of Caps, kept as bits until it is reported.
type capSet uint8

const (
	capFloorBit capSet = 1 << iota
	capRuleMaxBit
	capBudgetBit
)

func (s capSet) has(c capSet) bool { return s&c != 0 }

// list returns the caps in a fixed order, or nil.
func (s capSet) list() []Cap {
	if s == 0 {
		return nil
	}
	out := make([]Cap, 0, 3)
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
	c := p.cands[ci]
	rej := Rejection{Rule: c.r.ID, RuleName: c.r.Name, Reason: reason, Line: line}
	if line >= 0 {
		rej.SKU = p.cart.Lines[line].SKU
	}
	if by >= 0 {
		rej.By = p.cands[by].r.ID
	}
	if !st.dry {
		st.rejects = append(st.rejects, rej)
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
	fail := func(reason RejectReason, key UsageKey, budget bool) (budgetCap, bool) {
		if !st.dry {
			st.rejects = append(st.rejects, Rejection{Rule: r.ID, RuleName: r.Name, Reason: reason, Line: -1, Key: key, Budget: budget})
		}
		return budgetCap{}, false
	}
	customer := p.cart.Customer.ID
	type limited struct {
		key    UsageKey
		limit  Limit
		inCart int64
	}
	var checks [4]limited
	n := 0
	if !r.Limits.Total.IsZero() {
		checks[n] = limited{key: UsageKey{Rule: r.ID}, limit: r.Limits.Total}
		n++
	}
	if !r.Limits.PerCustomer.IsZero() {
		if customer == "" {
			return fail(CustomerRequired, UsageKey{Rule: r.ID}, false)
		}
		checks[n] = limited{key: UsageKey{Rule: r.ID, Customer: customer}, limit: r.Limits.PerCustomer}
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
			checks[n] = limited{key: UsageKey{Coupon: c.coupon}, limit: def.Total, inCart: inCart}
			n++
		}
		if !def.PerCustomer.IsZero() {
			if customer == "" {
				return fail(CustomerRequired, UsageKey{Coupon: c.coupon}, false)
			}
			checks[n] = limited{key: UsageKey{Coupon: c.coupon, Customer: customer}, limit: def.PerCustomer, inCart: inCart}
			n++
		}
	}
	for _, ch := range checks[:n] {
		counter := usageOf(p.usage, ch.key)
		if ch.limit.MaxUses > 0 && counter.Uses >= ch.limit.MaxUses {
			return fail(LimitExhausted, ch.key, false)
		}
		if ch.limit.Budget.Currency().IsZero() {
			continue
		}
		var remain int64
		if left, err := ch.limit.Budget.Sub(counter.Spent); err == nil {
			remain = toMinor(left.Round(money.Down)) - ch.inCart
		} // counters in another currency: the budget counts as spent
		if remain <= 0 {
			return fail(LimitExhausted, ch.key, true)
		}
		if !bc.set || remain < bc.remain {
			bc = budgetCap{set: true, remain: remain, key: ch.key}
		}
	}
	return bc, true
}

// measure is the quantity (stock units) and amount (minor units) of a
// set of lines.
type measure struct {
	qty decimal.Decimal
	amt int64
}

// measureLines measures what rule c's conditions need of the lines.
func (p *pricing) measureLines(st *state, c *compiled, lines []int) measure {
	var m measure
	if c.needQty {
		m.qty = sumQty(st, lines)
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
// (aligned to the finest exponent), else in decimals.
func sumQty(st *state, lines []int) decimal.Decimal {
	if len(lines) == 1 {
		return st.lines[lines[0]].qty
	}
	exp := int32(0)
	for _, li := range lines {
		f := st.lines[li].qtyF.f
		if !f.ok || f.e < -18 || f.e > 18 {
			return sumQtySlow(st, lines)
		}
		exp = min(exp, f.e)
	}
	var sum uint64
	for _, li := range lines {
		f := st.lines[li].qtyF.f
		v, ok := mul64(f.c, pow10[f.e-exp])
		if !ok {
			return sumQtySlow(st, lines)
		}
		if sum += v; sum>>fitBits != 0 {
			return sumQtySlow(st, lines)
		}
	}
	return decimal.New(int64(sum), exp)
}

func sumQtySlow(st *state, lines []int) decimal.Decimal {
	var sum decimal.Decimal
	for _, li := range lines {
		sum = sum.Add(st.lines[li].qty)
	}
	return sum
}

// checkMeasure tests the quantity and amount conditions and returns the
// reason they fail, if any.
func checkMeasure(c *compiled, m measure) RejectReason {
	k := &c.r.Conditions
	switch {
	case !k.MaxQuantity.IsZero() && m.qty.Cmp(k.MaxQuantity) > 0:
		return MaxQuantityExceeded
	case c.maxAmt >= 0 && m.amt > c.maxAmt:
		return MaxAmountExceeded
	case !k.MinQuantity.IsZero() && m.qty.Cmp(k.MinQuantity) < 0:
		return MinQuantityNotReached
	case c.minAmt >= 0 && m.amt < c.minAmt:
		return MinAmountNotReached
	}
	return ""
}

// conditionsHint records what would unlock a rule whose minimum was not
// reached.
func (p *pricing) conditionsHint(st *state, c *compiled, line int, reason RejectReason, m measure) {
	if st.dry {
		return
	}
	k := &c.r.Conditions
	switch reason {
	case MinQuantityNotReached:
		p.hint(st, c, line, k.MinQuantity.Sub(m.qty), money.Amount{}, termsOf(&c.r.Action, -1))
	case MinAmountNotReached:
		p.hint(st, c, line, decimal.Decimal{}, sub(k.MinAmount, p.money(m.amt)), termsOf(&c.r.Action, -1))
	}
}

// hint records what would unlock a discount.
func (p *pricing) hint(st *state, c *compiled, line int, qty decimal.Decimal, amt money.Amount, terms Terms) {
	h := Hint{Rule: c.r.ID, RuleName: c.r.Name, Line: line, Quantity: qty, Amount: amt, Terms: terms}
	if line >= 0 {
		h.SKU = p.cart.Lines[line].SKU
	}
	if !st.dry {
		st.hints = append(st.hints, h)
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
		for _, li := range p.selectorLines(&c.r.Scope.Target) {
			if !slices.Contains(conds, li) {
				targets = append(targets, li)
			}
		}
		return targets, conds
	}
	return p.selectorLines(&c.r.Scope.Target), nil
}

// selectorLines returns the lines a selector matches, in line order. A
// selector with SKUs looks them up instead of testing every line.
func (p *pricing) selectorLines(s *Selector) []int {
	if s.IsEmpty() {
		return p.all
	}
	lines := p.cart.Lines
	if len(s.SKUs) == 0 {
		var out []int
		for li := range lines {
			if s.Matches(&lines[li]) {
				out = append(out, li)
			}
		}
		return out
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
	var out []int
	for _, sku := range s.SKUs {
		li, ok := p.bySKU[sku]
		for ; ok && li >= 0; li = p.nextSKU[li] {
			if s.Matches(&lines[li]) && !slices.Contains(out, li) {
				out = append(out, li)
			}
		}
	}
	if len(s.SKUs) > 1 {
		slices.Sort(out)
	}
	return out
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
		if reason := checkMeasure(c, m); reason != "" {
			p.reject(st, ci, reason, pl.line, -1)
			p.conditionsHint(st, c, pl.line, reason, m)
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
				eligible = slices.Clone(pl.reward[:i])
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
		tier := p.volumeTier(st, c, pl.line, m)
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
				d = max(0, bs-p.calc(p.mode, []factor{b.price, ls.qtyF}, nil))
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
				d = p.calc(p.mode, []factor{c.amt, ls.qtyF}, nil)
			} else {
				d = p.calc(p.mode, []factor{c.amt}, nil)
			}
		case ActionFixedPrice:
			d = max(0, bs-p.calc(p.mode, []factor{c.amt, ls.qtyF}, nil))
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
func (p *pricing) volumeTier(st *state, c *compiled, line int, m measure) int {
	a := &c.r.Action
	tier := -1
	for i := range c.breaks {
		b := &c.breaks[i]
		var reached bool
		if a.By == ByAmount {
			reached = m.amt >= b.minAmt
		} else {
			reached = m.qty.Cmp(b.minQty) >= 0
		}
		if !reached {
			break
		}
		tier = i
	}
	if next := tier + 1; next < len(a.Breaks) && !st.dry {
		b := a.Breaks[next]
		if a.By == ByAmount {
			p.hint(st, c, line, decimal.Decimal{}, sub(b.MinAmount, p.money(m.amt)), termsOf(a, next))
		} else {
			p.hint(st, c, line, b.MinQuantity.Sub(m.qty), money.Amount{}, termsOf(a, next))
		}
	}
	return tier
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
	c := p.cands[ci]
	a := &c.r.Action
	var bought decimal.Decimal
	for _, li := range pl.measure {
		bought = bought.Add(st.lines[li].qty.Floor())
	}
	per := decimal.NewFromInt(a.Buy)
	if c.r.Scope.Kind != ScopeCross {
		per = per.Add(decimal.NewFromInt(a.Get))
	}
	times, _ := bought.QuoRem(per, 0)
	if times.IsZero() {
		p.reject(st, ci, MinQuantityNotReached, pl.line, -1)
		p.hint(st, c, pl.line, per.Sub(bought), money.Amount{}, termsOf(a, -1))
		return out
	}
	if a.MaxApplications > 0 {
		times = decimal.Min(times, decimal.NewFromInt(a.MaxApplications))
	}
	free := times.Mul(decimal.NewFromInt(a.Get))
	// Units are taken cheapest first (or most expensive first), comparing
	// unit prices base/qty by cross-multiplication; ties keep line order.
	order := slices.Clone(eligible)
	if len(order) > 1 {
		slices.SortStableFunc(order, func(x, y int) int {
			lx, ly := &st.lines[x], &st.lines[y]
			vx := decimal.NewFromInt(base(c, lx)).Mul(ly.qty)
			vy := decimal.NewFromInt(base(c, ly)).Mul(lx.qty)
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
		units := decimal.Min(free, ls.qty.Floor())
		if !units.IsPositive() {
			continue
		}
		free = free.Sub(units)
		bs := base(c, ls)
		d := p.calc(p.mode, []factor{p.minorFac(bs), fac(units), c.pct}, []factor{ls.qtyF, facHundred})
		out = append(out, entry{line: li, amount: d, base: bs, units: units, tier: -1})
	}
	return out
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
		if !ls.qty.IsPositive() {
			continue
		}
		if by := p.blockedBy(st, ci, li); by >= 0 {
			p.block(st, ci, by, li)
			continue
		}
		units := decimal.Min(left, ls.qty)
		left = left.Sub(units)
		bs := base(c, ls)
		d := p.calc(p.mode, []factor{p.minorFac(bs), fac(units)}, []factor{ls.qtyF})
		out = append(out, entry{line: li, amount: d, base: bs, units: units, tier: -1})
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
				st.rejects = append(st.rejects, Rejection{Rule: c.r.ID, RuleName: c.r.Name, Reason: LimitExhausted,
					Line: e.line, SKU: p.cart.Lines[e.line].SKU, Key: budget.key, Budget: true})
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
	needsApproval := p.approve(st, c, total, baseTotal)
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
				amount: e.amount, base: e.base, units: e.units, capped: e.capped})
		}
	}
	p.spend(st, ci, total, first)
}

// capTotal cuts the entries so that they add up to at most limit (minor
// units; -1 for none), in proportion to their amounts, with money's
// allocation.
func (p *pricing) capTotal(entries []entry, total, limit int64, why capSet) int64 {
	if limit < 0 || total <= limit {
		return total
	}
	weights := make([]decimal.Decimal, len(entries))
	for i, e := range entries {
		weights[i] = decimal.NewFromInt(e.amount)
	}
	parts, err := p.money(limit).Allocate(weights, p.mode)
	if err != nil {
		return total // unreachable: total is positive, so some weight is
	}
	for i := range entries {
		v := p.minorOf(parts[i])
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
func (p *pricing) approve(st *state, c *compiled, amount, baseTotal int64) bool {
	m := c.r.Manual
	if m == nil || m.Authority == nil || amount <= 0 {
		return false
	}
	lhs := decimal.NewFromInt(amount).Mul(hundred)
	rhs := decimal.NewFromInt(baseTotal).Mul(*m.Authority)
	if lhs.Cmp(rhs) <= 0 {
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

// adjustment turns a record into the Adjustment it reports. lines are the
// priced lines, whose amounts are shared where a base equals them.
func (p *pricing) adjustment(rec *adjRec, st *state, lines []PricedLine) Adjustment {
	c := p.cands[rec.cand]
	var bs money.Amount
	if rec.line >= 0 && rec.base == st.lines[rec.line].list {
		bs = lines[rec.line].List
	} else {
		bs = p.money(rec.base)
	}
	amt := rec.amt
	if amt.Currency().IsZero() {
		amt = p.money(rec.amount)
	}
	adj := Adjustment{Rule: c.r.ID, RuleName: c.r.Name, Scope: c.r.Scope.Kind, Stacking: c.r.Stacking,
		Line: int(rec.line), Amount: amt, Base: bs, Terms: termsOf(&c.r.Action, int(rec.tier)),
		Units: rec.units, Capped: rec.capped.list(), Coupon: c.coupon, NeedsApproval: rec.approval, Shares: rec.shares}
	if rec.line >= 0 {
		adj.SKU = p.cart.Lines[rec.line].SKU
	}
	if c.r.Manual != nil {
		adj.GrantedBy = c.r.Manual.GrantedBy
	}
	return adj
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
	if reason := checkMeasure(c, m); reason != "" {
		p.conditionsHint(st, c, -1, reason, m)
		p.reject(st, ci, reason, -1, -1)
		return
	}
	if a.Kind == ActionFreeItem {
		p.finish(st, ci, p.freeItem(st, ci, nil), budget, mark, true)
		return
	}
	tier := -1
	if a.Kind == ActionVolume {
		if tier = p.volumeTier(st, c, -1, m); tier < 0 {
			p.reject(st, ci, tierReason(a), -1, -1)
			return
		}
	}
	eligible := make([]int, 0, len(p.cart.Lines))
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
	dAmt := p.money(d)
	shares := p.spread(st, d, dAmt, eligible)
	needsApproval := p.approve(st, c, d, bs)
	out := make([]Share, 0, len(shares))
	for i, li := range eligible {
		if sh := shares[i]; sh.v > 0 {
			ls := &st.lines[li]
			ls.net -= sh.v
			p.touch(ls, ci)
			if sh.amt.Currency().IsZero() {
				sh.amt = p.money(sh.v)
			}
			out = append(out, Share{Line: li, Amount: sh.amt})
		}
	}
	if !st.dry {
		st.adjs = append(st.adjs, adjRec{cand: ci, line: -1, tier: int32(tier), approval: needsApproval,
			amount: d, amt: dAmt, base: bs, capped: capped, shares: out})
	}
	p.spend(st, ci, d, len(st.adjs)-1)
}

// spread splits an order discount d over the eligible lines in proportion
// to their order bases (their nets after the line rules) with money's
// allocation (largest remainder, rounded to the minor unit), so that the
// shares add up to d exactly. A share that would take a line below its
// floor is cut to the floor and the rest is spread again over the other
// lines; d is never more than the lines' total headroom, so everything
// is placed. (A line with room has a positive net, so a positive order
// base: every active line has a positive weight.)
func (p *pricing) spread(st *state, d int64, dAmt money.Amount, eligible []int) []share {
	if p.weights == nil {
		// The weights are the same for every order rule: build them once.
		p.weights = make([]decimal.Decimal, len(st.lines))
		for i := range st.lines {
			p.weights[i] = decimal.NewFromInt(st.lines[i].orderBase)
		}
	}
	shares := make([]share, len(eligible))
	room := make([]int64, len(eligible))
	active := make([]int, 0, len(eligible))
	for i, li := range eligible {
		room[i] = st.lines[li].net - st.lines[li].floor
		if room[i] > 0 {
			active = append(active, i)
		}
	}
	left, leftAmt := d, dAmt
	weights := make([]decimal.Decimal, 0, len(active))
	for left > 0 && len(active) > 0 {
		weights = weights[:0]
		for _, i := range active {
			weights = append(weights, p.weights[eligible[i]])
		}
		if leftAmt.Currency().IsZero() {
			leftAmt = p.money(left)
		}
		parts, err := leftAmt.Allocate(weights, p.mode)
		if err != nil {
			break // unreachable: every active line has a positive weight
		}
		next := active[:0:0]
		for j, i := range active {
			if v := p.minorOf(parts[j]); v >= room[i] {
				// Fill this line to its floor and spread the rest again.
				shares[i].v += room[i]
				left -= room[i]
				room[i] = 0
				continue
			}
			next = append(next, i)
		}
		if len(next) == len(active) {
			for j, i := range active {
				if shares[i].v == 0 {
					shares[i].amt = parts[j] // the part as money built it
				}
				shares[i].v += p.minorOf(parts[j])
			}
			break
		}
		active, leftAmt = next, money.Amount{}
	}
	for i := range shares {
		if sh := &shares[i]; !sh.amt.Currency().IsZero() && p.minorOf(sh.amt) != sh.v {
			sh.amt = money.Amount{} // filled in steps: built by the caller
		}
	}
	return shares
}

// share is one line's part of an order discount: v minor units, and the
// Amount when money's allocation already built it.
type share struct {
	v   int64
	amt money.Amount
}

// result builds the PricedCart from the final state.
func (p *pricing) result(st *state) *PricedCart {
	out := &PricedCart{
		Currency: p.cur, At: p.cart.At, Rounding: p.mode, Customer: p.cart.Customer.ID,
		Lines:       make([]PricedLine, len(st.lines)),
		Adjustments: make([]Adjustment, len(st.adjs)),
		NotApplied:  st.rejects, Hints: st.hints, FreeItems: st.free, Approvals: st.approvals,
	}
	var list, net int64
	for i := range st.lines {
		ls, l := &st.lines[i], &p.cart.Lines[i]
		pl := PricedLine{ID: l.ID, SKU: l.SKU, Quantity: l.Quantity, Unit: l.Unit, StockQuantity: ls.qty,
			ListPrice: l.ListPrice, List: p.money(ls.list)}
		if ls.net == ls.list {
			pl.Discount, pl.Net = p.money(0), pl.List
		} else {
			pl.Discount, pl.Net = p.money(ls.list-ls.net), p.money(ls.net)
		}
		out.Lines[i] = pl
		list += ls.list
		net += ls.net
	}
	for i := range st.adjs {
		out.Adjustments[i] = p.adjustment(&st.adjs[i], st, out.Lines)
	}
	out.List, out.Discount, out.Net = p.money(list), p.money(list-net), p.money(net)
	out.Uses = p.uses(st, out.Adjustments)
	return out
}

// uses lists what the cart consumes: for every applied rule of the rule
// set one use and its discount, in total and for the customer; then the
// same for every coupon used, sorted by code.
func (p *pricing) uses(st *state, adjs []Adjustment) []Use {
	out := make([]Use, 0, 2*len(st.applied)+2*len(st.coupons))
	customer := p.cart.Customer.ID
	var coupons []couponSpend
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
		out = append(out, Use{Key: UsageKey{Rule: c.r.ID}, Amount: amount, Limit: c.r.Limits.Total})
		if customer != "" {
			out = append(out, Use{Key: UsageKey{Rule: c.r.ID, Customer: customer}, Amount: amount, Limit: c.r.Limits.PerCustomer})
		}
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
	slices.SortFunc(coupons, func(a, b couponSpend) int { return cmp.Compare(a.code, b.code) })
	for _, cs := range coupons {
		var total, perCustomer Limit
		if def := p.e.coupons[cs.code]; def != nil {
			total, perCustomer = def.Total, def.PerCustomer
		}
		amount := p.money(cs.spent)
		out = append(out, Use{Key: UsageKey{Coupon: cs.code}, Amount: amount, Limit: total})
		if customer != "" {
			out = append(out, Use{Key: UsageKey{Coupon: cs.code, Customer: customer}, Amount: amount, Limit: perCustomer})
		}
	}
	return out
}
