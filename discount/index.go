package discount

import (
	"slices"
)

// index finds the rules that can match a cart without looking at the
// others. Each rule is filed under one kind of key, the most selective
// it has:
//
//   - a product selector (the target of a line rule; the target, or else
//     the condition, of a cross rule; the condition of an order rule): its
//     SKUs, else its categories, else its brands;
//   - else its customer conditions: ids, else groups, else tiers, else
//     contracts, else tags;
//   - else its coupon;
//   - else it is filed under "every cart".
//
// A rule filed under a key can only match a cart that has the key, since
// every list of a selector or condition must match. So looking up a
// cart's keys yields a superset of the rules that can apply, whose size
// depends on the rules filed under those keys, not on the whole set.
type index struct {
	sku, category, brand                      map[string][]int32
	customer, group, tier, contract, tag, cpn map[string][]int32
	every                                     []int32
}

func newIndex() index {
	return index{
		sku: map[string][]int32{}, category: map[string][]int32{}, brand: map[string][]int32{},
		customer: map[string][]int32{}, group: map[string][]int32{}, tier: map[string][]int32{},
		contract: map[string][]int32{}, tag: map[string][]int32{}, cpn: map[string][]int32{},
	}
}

// productSelector returns the selector a rule is filed under, if any.
func productSelector(r *Rule) (Selector, bool) {
	has := func(s Selector) bool { return len(s.SKUs)+len(s.Categories)+len(s.Brands) > 0 }
	switch r.Scope.Kind {
	case ScopeLine:
		return r.Scope.Target, has(r.Scope.Target)
	case ScopeCross:
		if has(r.Scope.Target) {
			return r.Scope.Target, true
		}
		return r.Scope.Condition, has(r.Scope.Condition)
	case ScopeOrder:
		return r.Scope.Condition, has(r.Scope.Condition)
	}
	return Selector{}, false
}

// add files rule number i.
func (ix *index) add(i int32, r *Rule) {
	file := func(m map[string][]int32, keys []string) {
		for _, k := range keys {
			if l := m[k]; len(l) == 0 || l[len(l)-1] != i { // a key listed twice files once
				m[k] = append(l, i)
			}
		}
	}
	if s, ok := productSelector(r); ok {
		switch {
		case len(s.SKUs) > 0:
			file(ix.sku, s.SKUs)
		case len(s.Categories) > 0:
			file(ix.category, s.Categories)
		default:
			file(ix.brand, s.Brands)
		}
		return
	}
	k := &r.Conditions
	switch {
	case len(k.Customers) > 0:
		file(ix.customer, k.Customers)
	case len(k.Groups) > 0:
		file(ix.group, k.Groups)
	case len(k.Tiers) > 0:
		file(ix.tier, k.Tiers)
	case len(k.Contracts) > 0:
		file(ix.contract, k.Contracts)
	case len(k.Tags) > 0:
		file(ix.tag, k.Tags)
	case k.Coupon != "":
		file(ix.cpn, []string{normCoupon(k.Coupon)})
	default:
		ix.every = append(ix.every, i)
	}
}

// lookup appends to ids the numbers of the rules that can match the
// cart, sorted and without repeats, and to hits a (rule, line) pair for
// every line that found a rule through one of its product keys, sorted
// by rule and line, without repeats. coupons are the cart's normalised
// codes.
func (ix *index) lookup(c *Cart, coupons []string, ids []int32, hits []uint64) ([]int32, []uint64) {
	ids = append(ids, ix.every...)
	hit := func(rules []int32, line int) {
		for _, r := range rules {
			hits = append(hits, uint64(r)<<32|uint64(line))
		}
	}
	for i := range c.Lines {
		l := &c.Lines[i]
		hit(ix.sku[l.SKU], i)
		for _, cat := range l.Category {
			hit(ix.category[cat], i)
		}
		if l.Brand != "" {
			hit(ix.brand[l.Brand], i)
		}
	}
	slices.Sort(hits)
	hits = slices.Compact(hits)
	for _, h := range hits {
		if r := int32(h >> 32); len(ids) == 0 || ids[len(ids)-1] != r {
			ids = append(ids, r)
		}
	}
	cu := &c.Customer
	if cu.ID != "" {
		ids = append(ids, ix.customer[cu.ID]...)
	}
	for _, g := range cu.Groups {
		ids = append(ids, ix.group[g]...)
	}
	if cu.Tier != "" {
		ids = append(ids, ix.tier[cu.Tier]...)
	}
	if cu.Contract != "" {
		ids = append(ids, ix.contract[cu.Contract]...)
	}
	for _, t := range cu.Tags {
		ids = append(ids, ix.tag[t]...)
	}
	for _, code := range coupons {
		ids = append(ids, ix.cpn[code]...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), hits
}
