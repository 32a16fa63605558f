package discount

import "slices"

// ReferenceEngine returns a copy of e that prices the straightforward
// way, for tests to compare the engine against: it has no index (every
// rule is tried on every cart, its selectors tested against every line),
// and every amount, comparison and allocation is computed on money's
// decimal path instead of the integer one.
//
// The index is an optimisation, but one with a visible edge that the
// reference keeps: a rule filed under product keys (see index) is judged
// only for a cart that holds one of them — for a line rule, a line its
// target selects — so such a rule is not reported in NotApplied for a
// cart without them. skippedByIndex restates that rule from the lines.
func ReferenceEngine(e *Engine) *Engine {
	r := *e
	r.rules = make([]compiled, len(e.rules))
	copy(r.rules, e.rules)
	r.idx = newIndex()
	for i := range r.rules {
		r.rules[i].product, r.rules[i].crossIdx = false, false
		r.idx.every = append(r.idx.every, int32(i))
	}
	r.ref, r.refSkip = true, skippedByIndex
	return &r
}

// skippedByIndex reports whether the cart holds no line that rule r is
// filed for: none with a key of the first list of its product selector
// (SKUs, else categories, else brands), or, for a line rule, none that
// its target selects.
func skippedByIndex(c *Cart, r *Rule) bool {
	s, ok := productSelector(r)
	if !ok {
		return false
	}
	has := func(l *Line) bool {
		switch {
		case len(s.SKUs) > 0:
			return slices.Contains(s.SKUs, l.SKU)
		case len(s.Categories) > 0:
			return slices.ContainsFunc(l.Category, func(cat string) bool { return slices.Contains(s.Categories, cat) })
		}
		return l.Brand != "" && slices.Contains(s.Brands, l.Brand)
	}
	for i := range c.Lines {
		if l := &c.Lines[i]; has(l) && (r.Scope.Kind != ScopeLine || s.Matches(l)) {
			return false
		}
	}
	return true
}
