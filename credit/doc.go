// Package credit assesses the creditworthiness of B2B clients and keeps
// their receivables in check: points scorecards, financial ratios and
// Altman scores, payment behaviour, credit limit recommendations, the
// exposure decision on every order, and a solvency check that combines
// them.
//
// The package is pure. It imports money, never crm; the data it needs
// comes through small interfaces a host (or crm) implements —
// ExposureSource, StatementsSource, PaymentHistorySource — or as plain
// values. Functions take the instant they judge (at time.Time) and never
// read the clock. Every decision carries Reasons: a stable Code and the
// reason in English and Russian (Message(tag)), with the numbers that
// made it.
//
// # Numbers
//
// Money is money.Amount, never a float. Ratios and payment measures that
// come from money (current ratio, Altman's X1..X5 and Z, DSO, days beyond
// terms, the payment index) are decimal.Decimal, computed to RatioPlaces
// (10) decimal places or, for days and the index, 2; a decimal can be
// neither infinite nor NaN, and a zero denominator is reported, never
// divided by. Scorecard points, scores, odds and probabilities of default
// are float64 — they need logarithms and are not money — and every input
// is checked to be finite. A figure that cannot be computed is a Figure
// (or AltmanResult) whose Err is an *UnavailableError naming the missing
// or zero input.
//
// # Scorecards
//
// A Scorecard is data, usually JSON (see MarshalJSON): base points and
// characteristics, numeric with bins [low, high) or categorical with
// value sets, each with a bin for missing values. DecodeScorecard refuses
// malformed JSON, unknown fields, gaps and overlaps between bins, with a
// *ScorecardError naming the characteristic:
//
//	characteristics[0].bins (characteristic "utilisation") has a gap between bins:
//	no bin holds [0.3, 0.4) (between bins 0 and 1)
//
// NewScorer compiles a card; Scorer.Score returns the total, each
// characteristic's points and the reasons — the characteristics that lost
// the most points against their best bin, four by default. For a card
// with base 500, utilisation (below 0.3: 40, 0.3–0.7: 20, from 0.7: 0,
// missing: 10) and years in business (below 2: 0, from 2: 30, missing: 0):
//
//	utilisation 0.82 → 0 points (lost 40), years 5 → 30 (lost 0)
//	total = 500 + 0 + 30 = 530; reasons: utilisation
//
// # Scaling
//
// Scaling maps odds to points: score = Offset − Factor·ln(bad:good odds),
// with Factor = PDO / ln 2 and Offset fixed by a base score at base odds.
// With 600 points at 50:1 good:bad and 20 points to double the odds:
//
//	Factor = 20 / 0.693147 = 28.8539
//	Offset = 600 − 28.8539 · ln 50 = 600 − 28.8539 · 3.912023 = 487.1229
//	score at 100:1 good:bad = 487.1229 + 28.8539 · ln 100 = 620
//	PD at 600 = 1 / (1 + 50) = 0.019608;  PD at 560 = 1 / (1 + 12.5) = 0.074074
//
// The names say which way the odds run (ScoreFromGoodBadOdds,
// BadGoodOdds, ...); ScoreFromPD and PD convert exactly (to float64
// precision) in both directions.
//
// # Financial analysis
//
// AnalyzeStatements computes the current and quick ratios, debt-to-equity,
// return on assets (net income / total assets) and on sales (EBIT /
// revenue), interest coverage, working capital, net worth, and the Altman
// score that fits the company (ModelFor): Z for public manufacturers, Z′
// for private manufacturers, Z″ for everyone else. A figure not reported
// is the zero money.Amount and is never taken as zero: the result names it
// in Missing. With total assets 1,000, current assets 500, current
// liabilities 300, total liabilities 600, retained earnings 200, EBIT 100,
// revenue 1,500 and market value of equity 800:
//
//	X1 = (500 − 300) / 1000 = 0.2    X2 = 200 / 1000 = 0.2   X3 = 100 / 1000 = 0.1
//	X4 = 800 / 600 = 1.3333          X5 = 1500 / 1000 = 1.5
//	Z  = 1.2·0.2 + 1.4·0.2 + 3.3·0.1 + 0.6·1.3333 + 1.0·1.5 = 3.15  → safe (> 2.99)
//
// and with book equity 400 instead of the market value, for a private
// company: Z′ = 0.717·0.2 + 0.847·0.2 + 3.107·0.1 + 0.420·0.6667 +
// 0.998·1.5 = 2.4005 (grey: between 1.23 and 2.90); for a trading company
// Z″ = 6.56·0.2 + 3.26·0.2 + 6.72·0.1 + 1.05·0.6667 = 3.336 (safe: above
// 2.60). A score exactly on a cut-off is grey.
//
// # Payment behaviour
//
// AnalyzePayments reads the client's own invoices and payments: DSO, the
// average days beyond terms weighted by amount, the longest delay in the
// last 12 months, the share of invoices paid late, the 0–100 payment index
// (80 = pays on terms; DefaultIndexScale) and its trend. An invoice of
// 100,000 due 1 March, half paid on 1 March and half on 31 March:
//
//	days beyond terms: 0 and 30;  average = (50,000·0 + 50,000·30) / 100,000 = 15
//	index: 80 and 50;             index = (50,000·80 + 50,000·50) / 100,000 = 65
//
// # Limits
//
// Policies hold a Policy per client, else per client group, else the
// default. RecommendLimit runs limit methods — ShareOfNetWorth,
// ShareOfWorkingCapital, PurchasesMultiple (a multiple of average monthly
// purchases, adjusted by the payment index), GradeTable — and takes the
// lowest, each with its reasoning.
//
// # Exposure decision
//
// Decide (or Checker.Check, with an ExposureSource) decides whether an
// order may be confirmed:
//
//	exposure = open receivables + unbilled orders + shipped not invoiced + this order
//	400,000 + 250,000 + 100,000 + 250,000 = 1,000,000 against a limit of 1,000,000: passes
//	the same order at 250,000.01: exposure 1,000,000.01 > limit → the limit rule fires
//
// A second rule fires on overdue receivables above a threshold or an
// invoice overdue more than N days. The policy's Mode decides what a
// fired rule does (off, warn, hold, block), and a credit controller — or a
// deputy acting for one — may override a hold or a block. The Decision
// carries every part of the exposure, the limit, the overdue amount, the
// threshold, the rules that fired and the reasons.
//
// # Solvency
//
// AssessSolvency (or Assessor.Assess, with sources) combines the score,
// the financial analysis and the payment behaviour by configured
// SolvencyRules — each fires on a condition and sets a verdict; the most
// severe wins — into approve with a limit, approve on prepayment, or
// decline.
//
// # Errors
//
// Bad input never panics. Errors match ErrInvalidInput (with an
// *InputError naming the field), ErrInvalidScorecard (*ScorecardError),
// ErrUnavailable (*UnavailableError), ErrSource (*SourceError) or
// ErrOverrideNotAllowed (*OverrideError); all have Code and Message(tag).
package credit
