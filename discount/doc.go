// Package discount is crmkit's pricing-rule engine: it prices a cart
// against a set of discount rules and explains every adjustment, so that
// a manager can tell the client what they got and why.
//
// It is a pure package. It imports money (and never crm), takes input
// types of its own, reads no clock and keeps no state between calls (it
// only reuses scratch buffers): the moment of pricing, the time zone and
// the current usage counters are all inputs. A host can use it alone as a unit-tested rule engine; crm uses
// it through Adapter.
//
// # Inputs
//
// A Cart has a currency, the moment of pricing (At) and the time zone in
// which dates are judged (Location, UTC when nil), the customer's facts
// (id, groups or segments, tier, tags, contract), the coupon codes the
// customer presented, manual discounts granted for this cart, and Lines.
// A Line has a SKU, a category path from the root ("tools", "power",
// "drills"), a brand, a quantity in the unit it is sold in and the factor
// that converts that unit to the stock unit (a box of 12 has factor 12),
// the list price per sold unit and, optionally, the cost and a floor
// price per sold unit.
//
// Quantities in rules are always in stock units: a line of 2 boxes of 12
// counts as 24 units for a minimum quantity, a volume break or buy X get
// Y. Prices on lines are per sold unit; prices and amounts per unit in
// rules (amount off per unit, fixed price, price breaks) are per stock
// unit.
//
// Category paths name category ids from the root down. A rule's
// category matches a line when the id appears anywhere in the line's
// path, so a rule for "power" covers "drills" below it. Paths must agree
// with each other: an id may not repeat within a path, and one id may not
// have two different parents in one cart.
//
// # Rules
//
// A Rule is data: it has a JSON form that round-trips (DecodeRules,
// RuleSet.MarshalJSON) and is validated when loaded, every error naming
// the rule and the field (*RuleError). A rule has
//
//   - an id, a name (shown to people) and a priority;
//   - a stacking mode: exclusive, stop, additive or compounding;
//   - a scope: "line" (every line its target selector matches; an empty
//     selector matches every line), "order" (the whole order, optionally
//     conditioned on some lines), or "cross" (the quantity and amount
//     conditions are measured on the lines of the condition selector, the
//     reward goes to the target lines that are not condition lines);
//   - conditions: customer ids, groups, tiers, tags and contracts (any
//     value of a list matches; every list given must match), a validity
//     window of calendar dates, minimum and maximum quantity and amount,
//     and a coupon code;
//   - an action: percent off; an amount off per unit, per line or per
//     order; a fixed price per unit; volume breaks by quantity or amount;
//     buy X get Y; a free item;
//   - caps and limits: a maximum discount per cart, and usage limits and
//     budgets over all carts, in total and per customer. Coupons have
//     limits of their own (Coupon).
//
// A Selector matches a line when every list it gives matches (any SKU of
// SKUs, any category of Categories, any brand of Brands) and the SKU is
// not in ExcludeSKUs. Strings compare exactly, except coupon codes, which
// ignore case and surrounding spaces.
//
// A manual discount is a rule with Manual set: it records who granted it
// and, optionally, the granter's authority limit as a percent. The engine
// applies it like any other rule and, when its effective percent (its
// discount over the base it was computed on) is above the limit, flags it
// in PricedCart.Approvals so that crm can turn it into an approval
// request. At the limit is allowed; above it is flagged. "At the limit"
// includes rounding: a discount no larger than the limit's own percent of
// the same bases, rounded as adjustments are (10% of 1000.05 is 100.01),
// is not flagged. Manual discounts
// usually come with the cart (Cart.Manual); they may also be standing
// rules of the rule set.
//
// # Order of evaluation
//
// Rules are ordered by phase, then by priority (higher first), then by id
// (byte order); the order of rules in the input never changes the result.
// The line phase (scopes "line" and "cross") runs before the order phase
// (scope "order"), whatever the priorities.
//
// Each rule is judged in that order against the cart as the earlier rules
// left it:
//
//  1. Customer, contract, validity window, coupon and currency conditions
//     (a rule with amounts in another currency than the cart's does not
//     match). A rule that fails them did not match and is not reported (a
//     rule behind a coupon the customer did not present is never
//     revealed).
//  2. Usage limits and budgets, from the Usage snapshot: a rule whose
//     limit has run out matched but is reported as limit_exhausted.
//  3. Quantity and amount conditions: per line for a line rule (or over
//     all its lines with SumMatching), over the condition lines for cross
//     and order rules. A minimum not reached is reported and gives a Hint
//     ("add 3 more units to get 10% off"); so does the next volume break.
//  4. Lines excluded by earlier rules (see stacking) are set aside.
//  5. The discount is computed, capped, rounded and applied.
//
// # Stacking
//
//   - additive: the discount is computed on the base price — a line's
//     list amount in the line phase, the order's amount at the start of
//     the order phase — so additive rules add up: 10% and 5% additive
//     give 15% of the base.
//   - compounding: the discount is computed on what earlier rules left:
//     10% then 5% compounding give 14.5%.
//   - exclusive: the rule applies only to lines no earlier rule touched,
//     on their current amount, and afterwards nothing else applies to the
//     lines it touched (no later line rule, no order rule).
//   - stop: the rule applies on what earlier rules left, like compounding,
//     and then no later rule applies to the lines it touched.
//
// A rule that is kept off a line by an exclusive or stop rule is reported
// on that line as lost_on_priority when the other rule came earlier in
// the order, and as lost_tie when both have the same priority. Ties between rules that
// exclude each other (same phase, same priority) are resolved by the
// host's TiePolicy:
//
//   - TieBestForCustomer (the default): the engine evaluates the group of
//     equal-priority rules in id order and, for each rule caught in a
//     conflict, again with that rule first; it keeps the outcome with the
//     largest total discount, and on equal totals the earliest of these
//     alternatives (id order first). The result is deterministic.
//   - TieFirstInOrder: the rule with the smaller id wins.
//   - TieAsError: Price fails with a *TieError naming both rules.
//
// # Amounts and rounding
//
// A line's list amount is its list price times its quantity, rounded to
// the currency's minor unit. Each adjustment is rounded to the minor unit
// when it is computed. An order-level discount is rounded once and then
// spread over the lines in proportion to their net amounts after the line
// phase (the order base) with money's Allocate (largest remainder), so the
// shares add up exactly to the order discount. These are the only
// rounding points; all use the configured Options.Rounding (half-up by
// default), except floors, which are rounded up so that they are never
// breached, and caps (a rule's maximum, what is left of a budget), which
// are rounded down so that they are never exceeded. Amount thresholds
// compare exactly.
//
// Since every amount after a line's list amount is a whole number of
// minor units, the engine keeps its running totals as integers of minor
// units; a computation that rounds (a percent of a base, an amount per
// unit times a quantity) takes an integer path when its numbers fit in 62
// bits and money's decimal path otherwise, with the same result (a
// property test holds the two to each other in every rounding mode).
// A line's list amount is limited to 10^14 minor units and a cart to
// 10,000 lines, 256 coupons, 256 manual discounts, 256 customer groups
// and 256 tags, and a category path to 32 levels; larger input is
// refused with an *InputError naming the field (reason too_long;
// out_of_range for a list amount above 10^14 minor units).
//
// No line and no order ever goes below zero. A line that gives a floor
// price never goes below floor × quantity, and a line that gives a cost
// never goes below the price at which its margin is Options.MinMargin
// percent of the price (cost × quantity / (1 − MinMargin/100); with no
// minimum margin, never below cost). A discount that would cross a floor
// is cut to it and marked Capped "floor"; an order share that would cross
// a line's floor is cut and the remainder spread over the other lines.
//
// A rule's MaxDiscount caps its total in the cart; a budget caps what the
// rule may still give (Budget − Spent from the Usage snapshot). A cut
// discount is spread over the lines it touched in proportion to the
// amounts before the cut, and marked Capped "rule_max" or "budget".
//
// # Limits and usage
//
// The engine never counts anything itself. Price reads counters through
// the Usage interface (nil means nothing used yet) and lists in
// PricedCart.Uses what this cart would consume: one use and the discount
// of each applied rule and of each coupon used, in total and for the
// customer. When the order is placed, the host commits them through its
// UsageLedger, and releases them if the order is cancelled. The ledger
// checks the limits again when it commits, so two carts priced at the
// same time cannot both take the last use. MemoryLedger is an in-memory
// ledger for tests, examples and single-process hosts.
//
// A limit that has run out is reported (limit_exhausted, naming which
// limit), never silently skipped. Per-customer limits need a customer id;
// without one such a rule is reported as customer_required.
//
// # Returns
//
// A return or credit note is priced from the original priced cart, never
// from today's rules: Freeze the PricedCart when the order is placed,
// keep its JSON, and PriceReturn computes the refund of each returned
// quantity pro rata from the frozen line amounts. Successive partial
// returns of a line add up to exactly its net amount.
//
// Pro rata, the goods the client keeps keep their discounts. Many B2B
// contracts say otherwise: a volume break, a buy-X-get-Y or an order
// threshold the kept goods no longer reach is clawed back. RepriceReturn
// prices such a return: with an engine of the sale's rule set, the sold
// cart and what earlier credit notes returned, it re-prices the kept
// goods as if the order had been for them alone and charges what the
// sale's rules now give them short of their share against the refund
// (Clawback; Due may be negative, a debit note), never granting a
// discount the sale did not give and never charging rounding. Shortfalls
// say rule by rule what the clawback is made of, and Lost which discounts
// the kept goods lose entirely and why. It first checks that the engine
// and cart still price the sale exactly as frozen; to judge limits as
// they stood for the sale, pass the ledger without the sale's own uses
// (ExcludingUses) as its Usage.
//
// # Output
//
// A PricedCart has, per line, the list amount, the discount and the net
// amount (list − discount = net exactly, to the minor unit); the applied
// Adjustments (rule, scope, amount and the base it was computed on, with
// the shares of an order discount per line); the rules that matched but
// gave nothing, per line where that is the case, and why (NotApplied:
// lost on priority or in a tie, limit exhausted, minimum not reached,
// maximum exceeded, floor reached, no effect); threshold Hints; free items
// to add; manual discounts that need approval; and the Uses to commit.
// Each of these has a stable Code and a Message in English or Russian
// (see Explain), so a manager can tell the client about each discount.
//
// A free item rule makes the given quantity of its SKU free on the cart's
// lines of that SKU first; what the cart does not hold is listed in
// FreeItems for the host to add at no charge. Buy X get Y counts whole
// stock units: per line, or over all matching lines with SumMatching, or
// X units of the condition lines for Y units of the reward lines in a
// cross rule.
//
// # Bad input
//
// Bad input never panics. Negative quantities or prices, lines in another
// currency, minimums above maximums, unknown action kinds, contradicting
// category paths and the like fail with a *RuleError (ErrInvalidRule) or
// an *InputError (ErrInvalidInput) that names the rule and field at fault.
//
// # Worked examples
//
// All examples are in RUB with the default half-up rounding.
//
// Additive against compounding. One line, list 1000.00. Rule A (priority
// 20, 10% off) and rule B (priority 10, 5% off):
//
//	both compounding: A 100.00 on 1000.00, B 45.00 on 900.00  -> net 855.00
//	both additive:    A 100.00 on 1000.00, B 50.00 on 1000.00 -> net 850.00
//
// An order discount spread over the lines. Three lines with nets 333.33,
// 333.33 and 333.34 and an order rule of 100.00 off: the exact shares are
// 33.333, 33.333 and 33.334; each gets 33.33 and the last minor unit goes
// to the largest remainder, so the shares are 33.33, 33.33 and 33.34 and
// add up to 100.00. With a floor: lines of 100.00 (floor price 95.00) and
// 100.00 and 20% off the order, 40.00: the first line's share of 20.00 is
// cut to the 5.00 its floor allows and the other 35.00 go to the second.
//
// Exclusive. Line A (drill, 1000.00) and line B (saw, 500.00). Rule X
// (priority 20, exclusive, 15% off drills) and rule Y (priority 10,
// additive, 5% off every line): A gets X only (150.00), B gets Y (25.00),
// and Y is reported as lost_on_priority on A. Had Y come first (higher
// priority), X would have found A already touched and lost instead.
//
// Validity window. A rule valid from 2026-03-01 to 2026-03-31 with carts
// judged in Europe/Moscow (UTC+3) applies at 2026-03-31 23:59 Moscow time
// (20:59 UTC) and not at 2026-04-01 00:00 Moscow time (2026-03-31 21:00
// UTC).
//
// Threshold. A rule "Drill sale: 10% off DRILL-1 from 10 units" and a
// cart with 7: NotApplied reports min_quantity_not_reached on the line and
// the hint reads "Add 3 more units of DRILL-1 to get 10% off (Drill sale)"
// ("Добавьте ещё 3 ед. DRILL-1, чтобы получить скидку 10% (Drill sale)").
//
// Buy 2 get 1 free, cheapest first, over all matching lines
// (SumMatching). Lines of 3 units at 100.00 and 2 units at 50.00: 5 units
// make one application of 2+1, and the cheapest unit (50.00) is free.
// Without SumMatching each line counts alone: the first line gets one
// unit free (100.00) and the second is 1 unit short, which is hinted.
//
// Floor. A line of 10 units at 100.00 with cost 85.00 per unit and
// MinMargin 10: the floor is 850.00 / 0.9 = 944.444..., rounded up to
// 944.45, so a 10% rule gives 55.55 instead of 100.00 and is marked
// Capped "floor".
//
// Manual discount. A manager with authority 10% grants 12% on a
// 1000.00 line: 120.00 is applied and flagged in Approvals (12% > 10%);
// a grant of exactly 10% is not flagged.
//
// # Performance
//
// Rules are indexed by SKU, category and brand (rules with a product
// selector), by customer id, group, tier, contract and tag (rules with
// customer conditions only) and by coupon code, so the cost of pricing a
// cart grows with the rules that can match its lines and customer, not
// with the size of the rule set. The index has one visible edge: a rule
// with a product selector is judged only for a cart holding a line with
// one of the keys it is filed under (for a line rule, a line its target
// selects), so for other carts it is not listed in NotApplied, even when
// its limit has run out or its condition lines are missing.
//
// The working buffers of a call are pooled, so what Price allocates is
// its result: for a 20-line cart that meets several dozen rules, about
// 50 KB of adjustments, rejections, hints and uses. A host that prices
// carts in a loop (a pricing service, a cart re-priced on every edit, a
// batch of quotes) can keep one PricedCart per worker and call
// PriceInto, which writes the same result into that PricedCart's memory
// and, once it has grown to the cart's shape, allocates nothing — and so
// leaves the garbage collector nothing to do. BenchmarkPrice and
// BenchmarkPriceInto price a 20-line cart against 1,000 and 100,000
// rules shaped alike (bench_test.go describes them); BENCHMARKS.md has
// the figures.
package discount
