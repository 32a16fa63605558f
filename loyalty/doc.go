// Package loyalty runs loyalty programmes: how purchases earn points, what
// points are worth, when they expire, tiers, bonuses, a points ledger, and
// what to tell the client about it all (duty D8: run loyalty programmes
// and promotions, inform clients about them, count repeat clients).
//
// It holds pure programme rules (Rules) plus the Store its ledger needs,
// and a Service that hosts call. It imports money and store, never crm:
// accounts are identified by the host's opaque string (a crm client id as
// text, say), and orders are the package's own small Order type.
//
// # Programmes
//
// A Programme is plain data, written in Go or decoded from JSON with
// DecodeProgramme (strict: unknown fields, floats, exponents and
// trailing data are refused, and every error names the field by its JSON
// path). NewRules validates and compiles it.
//
// Money is money.Amount in the programme's currency; points are
// decimal.Decimal, whole by default (PointPlaces 0) or with up to six
// places. Nothing is ever a float.
//
// # Earning
//
// The rate is written so it cannot be read the wrong way round:
// SpendRate{Points: 1, ForEvery: 100 RUB} is "1 point for every 100 RUB"
// (JSON "rate": {"points": "1", "for_every": {"amount": "100", ...}}).
// There is no "points per unit" or "units per point" field to confuse.
//
// Earning is on the amount actually paid: each Line.Amount is what the
// client owes after every discount, and Order.PointsPaid — the money value
// of points redeemed on the order — is spread over the lines in
// proportion to their amounts and does not earn. Points are computed
// exactly and rounded once, truncated by default (Rounding HalfUp is a
// setting). Worked example, 1 point per 100 RUB, whole points:
//
//	lines 600 + 400 RUB, 100 RUB paid with points
//	paid per line: 600 − 60 = 540, 400 − 40 = 360     (900 in all)
//	points: 900 / 100 × 1 = 9
//	a 1 234.56 RUB order: 12.3456 → 12 points (truncated)
//
// Multipliers by category, tag or tier scale the rate-based points of the
// lines they match; all that match multiply; a factor of 0 excludes (the
// line earns nothing, fixed SKU points included; a client in a tier with
// factor 0 earns nothing). Excluded SKUs never earn. Fixed points per
// order and per SKU unit are added unmultiplied. An order paying less
// than MinOrder in money earns nothing. Rules.Earn explains every figure
// (Earning.Lines, Segments).
//
// # Tiers and the crossing purchase
//
// Tiers have inclusive thresholds on qualifying spend (money paid on lines
// that earn) or qualifying points (points earned before the tier
// multiplier), over the account's lifetime, the calendar year or a rolling
// number of days; the lowest tier starts at 0.
//
// The purchase that crosses a threshold is split by default
// (CrossingSplit): the part below the threshold earns at the old tier's
// multiplier, the part from it on at the new one's. CrossingWhole earns
// all of it at the new tier's. Worked example, Silver from 50 000 RUB at
// ×1.5, a client at 45 000 buying for 10 000:
//
//	split (default): 5 000 at ×1 = 50, 5 000 at ×1.5 = 75 → 125 points
//	whole:           10 000 at ×1.5                      → 150 points
//
// The crossing purchase moves the client up in the same posting. Moving
// down is decided by ReviewTier, an explicit function of the as-of date
// (Service.EvaluateTier runs it and posts the change): never, at period
// end (each 1 January for a calendar-year window, every N days for a
// rolling one, judged on the period just ended), or after a grace period
// below the threshold. Tier changes are ledger entries (EntryTier).
//
// # The ledger
//
// Every change to an account is a posting with an idempotency key from
// the caller (Op.Key): the same key twice posts once and returns the first
// result; the same key with a different request fails with ErrKeyReused.
// Entries are append-only: earn, redeem, expire, adjust, reverse, and
// reserve, release, repay and tier. Account.Balance is always the sum of
// the entries' Points.
//
// Points live in lots, one per earning, with the day earned and an expiry:
// points earned on day D with ExpiryDays N can be used through day D+N.
// Redemption takes the soonest-expiring lots first and never-expiring ones
// last; it never takes more than there is, so the balance never goes
// negative — the store applies each posting atomically with the pure
// Apply, so this holds under any number of concurrent redemptions.
// Expiry is an explicit function of the as-of day (Service.Expire) that
// writes expire entries; running it twice changes nothing.
//
// Points can be reserved when an order is placed (they leave their lots at
// once, so they can neither expire nor be spent twice), then captured
// (spent; what is not captured goes back) or released. Released points
// going back to a lot past its expiry expire at once: expired points are
// never revived.
//
// The value of a point is PointValue; a redemption needs at least
// MinPoints and may pay at most MaxSharePercent of the order; its money
// value is rounded to the currency's minor unit (ValueRounding, half-up by
// default).
//
// # Returns
//
// Service.Return takes back the share of an order returned — amount
// returned / order total, computed on the running total so that partial
// returns add up exactly — of both the points it earned and the points it
// redeemed. Worked example, an order of 10 000 RUB that earned 100:
//
//	return 3 333.33 → −33 (33.3333 truncated)
//	return 3 333.33 → −33 (66.6666 → 66 in all)
//	return 3 333.34 → −34 (the whole order: exactly 100 in all)
//
// Earned points come back from the order's own lot first, then from the
// client's other usable points. What the balance cannot cover is forgiven
// unless the programme allows debt (ReturnRules.AllowDebt): then it is
// recorded as Account.Debt and repaid from the next points earned (repay
// entries). The balance itself never goes negative. Points of the order
// that already expired are not taken again, and redeemed points whose lot
// has expired are not given back (Entry.Dropped). Cancelling a whole order
// whose points were spent follows ReturnRules.Cancel: refuse (the default;
// nothing is written) or record debt.
//
// Redeemed points go back to the lots they were drawn from, the latest
// draw first, each draw getting back no more than was taken from it, also
// when a reservation of the order was captured between two returns. The
// tier metric loses the returned share of the order's qualifying spend on
// the purchase's day (Entry.MetricDate), from the day the return is
// posted: a purchase of last year returned this year lowers last year's
// window, never this year's. An order that redeemed points but has no
// purchase entry (cancelled before it was recorded, or placed after the
// programme's window) can be cancelled, which gives its points back.
//
// # Bonuses
//
// The welcome bonus is granted when an account is opened; the birthday
// bonus once per birthday year, in a window of days around the birthday
// (a 29 February birthday falls on 28 February in common years); the
// referral bonus to both clients after the referred client's first paid
// order — the referrer's part only when the referrer's account was opened
// before the referred client's and was not itself referred by them (no
// loops). Bonus keys are derived from the account and the occasion, so
// each is granted once. A programme document is decoded strictly: a key
// given twice, or in another case, is refused, and errors name the field
// by its JSON path.
//
// # What to tell the client
//
// Service.Advise says, for a client and a cart, what it would earn, how
// much of it points can pay and for how much, how far the next tier is
// ("RUB 12,000.00 more to reach Gold" / "Ещё 12 000,00 ₽ до уровня
// «Золото»"), which points expire soon, and any debt. Each Notice has a
// stable Code and a Message in English or Russian (with Russian plurals:
// 1 балл, 2 балла, 5 баллов).
//
// # Liability
//
// Service.Liability sums, as of a day, the points clients still have a
// claim to and their money value, for finance, and counts buyers and
// repeat clients (two or more paid orders).
//
// # Dates
//
// Date and Birthday are aliases of civil.Date and civil.Birthday, the
// calendar types every crmkit package shares, so a crm.Date is a
// loyalty.Date without conversion. A Service turns its clock's instants
// into dates in Options.Location; pure functions take dates.
//
// # Storage
//
// Store is implemented by store/memory and store/postgres, and checked by
// store/storetest.RunLoyalty. A Store finds the account, checks the key,
// reads what the posting needs (Posting.Needs) into a State, calls Apply
// and writes the Outcome, all in one critical section or transaction; the
// lot arithmetic is shared.
//
// A posting needs little of the account: an earning no lot at all, a
// redemption the points available (a sum a store keeps or computes, as
// for a balance) and the soonest-expiring usable lots up to the points
// asked for, an expiry run the lots past their expiry, a capture,
// release, return or cancellation the lots of its order. So a store that
// can search its lots by redemption order reads a handful of them per
// posting, however many the account holds, and Apply is as correct as
// if it had been given every lot: it never looks past the lots it was
// given, and refuses (RuleStateIncomplete) rather than decide on part of
// the account if it would have to.
package loyalty
