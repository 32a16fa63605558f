package credit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/crmkit/crmkit/money"
)

// RatioPlaces is the number of decimal places every ratio is computed to
// (rounded half away from zero). Ratios are decimal.Decimal: they come
// from money amounts, and a decimal can be neither infinite nor NaN.
const RatioPlaces = 10

// Statements are the figures of a company's financial statements for one
// period, in one currency. A figure left as the zero money.Amount (no
// currency) is missing — not reported — and is never taken as zero; a
// reported zero is money.Zero(currency). Figures that depend on a missing
// one say so instead of guessing.
type Statements struct {
	PeriodEnd Date // optional, for the record

	CurrentAssets      money.Amount
	TotalAssets        money.Amount
	CurrentLiabilities money.Amount
	TotalLiabilities   money.Amount
	Inventory          money.Amount // for the quick ratio
	Equity             money.Amount // book value of equity (net worth); may be negative
	RetainedEarnings   money.Amount // may be negative
	EBIT               money.Amount // earnings before interest and taxes; may be negative
	InterestExpense    money.Amount // for interest coverage
	Revenue            money.Amount // sales
	NetIncome          money.Amount // may be negative
	// MarketValueOfEquity is the market capitalisation of a public company.
	MarketValueOfEquity money.Amount

	// Public: the company's shares are traded (Altman Z needs the market
	// value of equity).
	Public bool
	// Manufacturer: the company makes goods (Altman Z and Z′ were fitted on
	// manufacturers; Z″ is for everyone else).
	Manufacturer bool
}

// Field names of Statements, as used in errors and in Missing lists.
const (
	FieldCurrentAssets       = "current_assets"
	FieldTotalAssets         = "total_assets"
	FieldCurrentLiabilities  = "current_liabilities"
	FieldTotalLiabilities    = "total_liabilities"
	FieldInventory           = "inventory"
	FieldEquity              = "equity"
	FieldRetainedEarnings    = "retained_earnings"
	FieldEBIT                = "ebit"
	FieldInterestExpense     = "interest_expense"
	FieldRevenue             = "revenue"
	FieldNetIncome           = "net_income"
	FieldMarketValueOfEquity = "market_value_of_equity"
)

type stmtField struct {
	name        string
	get         func(*Statements) money.Amount
	nonNegative bool
}

var stmtFields = []stmtField{
	{FieldCurrentAssets, func(s *Statements) money.Amount { return s.CurrentAssets }, true},
	{FieldTotalAssets, func(s *Statements) money.Amount { return s.TotalAssets }, true},
	{FieldCurrentLiabilities, func(s *Statements) money.Amount { return s.CurrentLiabilities }, true},
	{FieldTotalLiabilities, func(s *Statements) money.Amount { return s.TotalLiabilities }, true},
	{FieldInventory, func(s *Statements) money.Amount { return s.Inventory }, true},
	{FieldEquity, func(s *Statements) money.Amount { return s.Equity }, false},
	{FieldRetainedEarnings, func(s *Statements) money.Amount { return s.RetainedEarnings }, false},
	{FieldEBIT, func(s *Statements) money.Amount { return s.EBIT }, false},
	{FieldInterestExpense, func(s *Statements) money.Amount { return s.InterestExpense }, true},
	{FieldRevenue, func(s *Statements) money.Amount { return s.Revenue }, true},
	{FieldNetIncome, func(s *Statements) money.Amount { return s.NetIncome }, false},
	{FieldMarketValueOfEquity, func(s *Statements) money.Amount { return s.MarketValueOfEquity }, true},
}

func present(a money.Amount) bool { return !a.Currency().IsZero() }

// Currency returns the currency of the statements (that of the first
// figure reported), or the zero Currency when nothing is reported.
func (s Statements) Currency() money.Currency {
	for _, f := range stmtFields {
		if a := f.get(&s); present(a) {
			return a.Currency()
		}
	}
	return money.Currency{}
}

// Validate checks the statements: at least one figure is reported; every
// reported figure is in the same currency; assets, liabilities,
// inventory, interest expense, revenue and market value are not negative;
// current assets do not exceed total assets, current liabilities total
// liabilities, inventory current assets. Errors are *InputError naming
// the field ("statements.total_assets").
func (s Statements) Validate() error {
	cur := s.Currency()
	if cur.IsZero() {
		return invalidf("statements", CodeRequired, "", "no figure is reported", "не указано ни одного показателя")
	}
	for _, f := range stmtFields {
		a := f.get(&s)
		if !present(a) {
			continue
		}
		if a.Currency() != cur {
			return invalidf("statements."+f.name, CodeCurrency, a.String(), "the statements are in "+cur.Code(), "отчётность в валюте "+cur.Code())
		}
		if f.nonNegative && a.IsNegative() {
			return invalid("statements."+f.name, CodeNegative, a.String())
		}
	}
	if err := notAbove(s.CurrentAssets, s.TotalAssets, FieldCurrentAssets, FieldTotalAssets); err != nil {
		return err
	}
	if err := notAbove(s.CurrentLiabilities, s.TotalLiabilities, FieldCurrentLiabilities, FieldTotalLiabilities); err != nil {
		return err
	}
	return notAbove(s.Inventory, s.CurrentAssets, FieldInventory, FieldCurrentAssets)
}

func notAbove(part, whole money.Amount, partName, wholeName string) error {
	if !present(part) || !present(whole) {
		return nil
	}
	if part.Decimal().GreaterThan(whole.Decimal()) {
		return invalidf("statements."+partName, CodeInconsistent, part.String(),
			"exceeds "+wholeName+" "+whole.String(), "больше, чем "+wholeName+" "+whole.String())
	}
	return nil
}

// Figure is a computed figure — a ratio, a payment measure — or the
// reason it cannot be computed. Err is nil when Value is defined, and an
// *UnavailableError naming the missing or zero input otherwise.
type Figure struct {
	Name  string
	Value decimal.Decimal
	Err   error
}

// OK reports whether the figure is defined.
func (f Figure) OK() bool { return f.Err == nil }

// Ratio names.
const (
	RatioCurrent          = "current_ratio"     // current assets / current liabilities
	RatioQuick            = "quick_ratio"       // (current assets − inventory) / current liabilities
	RatioDebtToEquity     = "debt_to_equity"    // total liabilities / equity (equity must be positive)
	RatioReturnOnAssets   = "return_on_assets"  // net income / total assets
	RatioReturnOnSales    = "return_on_sales"   // EBIT / revenue
	RatioInterestCoverage = "interest_coverage" // EBIT / interest expense
)

// Analysis is the financial analysis of one set of statements.
type Analysis struct {
	Statements Statements
	// Ratios in the order current, quick, debt-to-equity, return on
	// assets, return on sales, interest coverage.
	Ratios []Figure
	// WorkingCapital (current assets − current liabilities) and NetWorth
	// (equity); Err names what is missing.
	WorkingCapital AmountFigure
	NetWorth       AmountFigure
	// Altman is the Altman model that fits the company (ModelFor).
	Altman AltmanResult
}

// AmountFigure is an amount that may be unavailable.
type AmountFigure struct {
	Amount money.Amount
	Err    error // *UnavailableError, or nil
}

// OK reports whether the amount is defined.
func (f AmountFigure) OK() bool { return f.Err == nil }

// Ratio returns the named ratio, or a Figure with an *UnavailableError
// when the name is not one of the Ratio constants.
func (a Analysis) Ratio(name string) Figure {
	for _, r := range a.Ratios {
		if r.Name == name {
			return r
		}
	}
	return Figure{Name: name, Err: unavailable(name, CodeNoData, name)}
}

// AnalyzeStatements validates the statements and computes the ratios,
// working capital, net worth and the fitting Altman model. Only invalid
// statements are an error; a ratio that cannot be computed carries its
// *UnavailableError.
func AnalyzeStatements(s Statements) (Analysis, error) {
	if err := s.Validate(); err != nil {
		return Analysis{}, err
	}
	a := Analysis{Statements: s}
	a.Ratios = []Figure{
		ratio(RatioCurrent, s.CurrentAssets, FieldCurrentAssets, s.CurrentLiabilities, FieldCurrentLiabilities, false),
		quickRatio(s),
		ratio(RatioDebtToEquity, s.TotalLiabilities, FieldTotalLiabilities, s.Equity, FieldEquity, true),
		ratio(RatioReturnOnAssets, s.NetIncome, FieldNetIncome, s.TotalAssets, FieldTotalAssets, false),
		ratio(RatioReturnOnSales, s.EBIT, FieldEBIT, s.Revenue, FieldRevenue, false),
		ratio(RatioInterestCoverage, s.EBIT, FieldEBIT, s.InterestExpense, FieldInterestExpense, false),
	}
	if wc, err := s.workingCapital("working_capital"); err != nil {
		a.WorkingCapital.Err = err
	} else {
		a.WorkingCapital.Amount = wc
	}
	if present(s.Equity) {
		a.NetWorth.Amount = s.Equity
	} else {
		a.NetWorth.Err = unavailable("net_worth", CodeMissing, FieldEquity)
	}
	a.Altman = altman(ModelFor(s), s)
	return a, nil
}

func (s Statements) workingCapital(figure string) (money.Amount, error) {
	if missing := missingOf(fieldPair{FieldCurrentAssets, s.CurrentAssets}, fieldPair{FieldCurrentLiabilities, s.CurrentLiabilities}); len(missing) > 0 {
		return money.Amount{}, unavailable(figure, CodeMissing, missing...)
	}
	return s.CurrentAssets.Sub(s.CurrentLiabilities)
}

type fieldPair struct {
	name string
	a    money.Amount
}

func missingOf(fs ...fieldPair) []string {
	var out []string
	for _, f := range fs {
		if !present(f.a) {
			out = append(out, f.name)
		}
	}
	return out
}

func ratio(name string, num money.Amount, numName string, den money.Amount, denName string, positiveDen bool) Figure {
	if missing := missingOf(fieldPair{numName, num}, fieldPair{denName, den}); len(missing) > 0 {
		return Figure{Name: name, Err: unavailable(name, CodeMissing, missing...)}
	}
	if positiveDen && den.Sign() <= 0 {
		return Figure{Name: name, Err: unavailable(name, CodeNotPositive, denName)}
	}
	if den.IsZero() {
		return Figure{Name: name, Err: unavailable(name, CodeZeroDenominator, denName)}
	}
	return Figure{Name: name, Value: num.Decimal().DivRound(den.Decimal(), RatioPlaces)}
}

func quickRatio(s Statements) Figure {
	if missing := missingOf(fieldPair{FieldCurrentAssets, s.CurrentAssets}, fieldPair{FieldInventory, s.Inventory}, fieldPair{FieldCurrentLiabilities, s.CurrentLiabilities}); len(missing) > 0 {
		return Figure{Name: RatioQuick, Err: unavailable(RatioQuick, CodeMissing, missing...)}
	}
	quick, _ := s.CurrentAssets.Sub(s.Inventory) // one currency: validated
	return ratio(RatioQuick, quick, "quick_assets", s.CurrentLiabilities, FieldCurrentLiabilities, false)
}

// AltmanModel names a variant of Altman's Z-score.
type AltmanModel string

// Altman's models.
const (
	// AltmanZ (1968), for public manufacturers:
	// Z = 1.2·X1 + 1.4·X2 + 3.3·X3 + 0.6·X4 + 1.0·X5, X4 = market value of
	// equity / total liabilities; distress below 1.81, safe above 2.99.
	AltmanZ AltmanModel = "z"
	// AltmanZPrime, for private manufacturers:
	// Z′ = 0.717·X1 + 0.847·X2 + 3.107·X3 + 0.420·X4 + 0.998·X5, X4 = book
	// equity / total liabilities; distress below 1.23, safe above 2.90.
	AltmanZPrime AltmanModel = "z_prime"
	// AltmanZDoublePrime, for non-manufacturers (public or private):
	// Z″ = 6.56·X1 + 3.26·X2 + 6.72·X3 + 1.05·X4, X4 = book equity / total
	// liabilities; distress below 1.10, safe above 2.60.
	AltmanZDoublePrime AltmanModel = "z_double_prime"
)

// Zone is where an Altman score falls.
type Zone string

// Zones. A score exactly on a cut-off is in the grey zone.
const (
	ZoneUnknown  Zone = ""         // the score could not be computed
	ZoneDistress Zone = "distress" // below the lower cut-off
	ZoneGrey     Zone = "grey"     // between the cut-offs, inclusive
	ZoneSafe     Zone = "safe"     // above the upper cut-off
)

// ModelFor returns the Altman model for the company: Z for a public
// manufacturer, Z′ for a private manufacturer, Z″ for everyone else.
func ModelFor(s Statements) AltmanModel {
	switch {
	case s.Manufacturer && s.Public:
		return AltmanZ
	case s.Manufacturer:
		return AltmanZPrime
	}
	return AltmanZDoublePrime
}

// AltmanTerm is one term of an Altman score.
type AltmanTerm struct {
	Name         string          // "x1" .. "x5"
	Numerator    string          // field (or "working_capital")
	Denominator  string          // field
	Ratio        decimal.Decimal // Numerator / Denominator, to RatioPlaces
	Coefficient  decimal.Decimal
	Contribution decimal.Decimal // Coefficient · Ratio
}

// AltmanResult is an Altman score with its terms, or why it is missing.
type AltmanResult struct {
	Model AltmanModel
	Z     decimal.Decimal // Σ Contribution, exact
	Zone  Zone
	// Distress and Safe are the model's cut-offs.
	Distress, Safe decimal.Decimal
	Terms          []AltmanTerm
	// Missing lists the statement fields the model needs and did not get;
	// Err is then an *UnavailableError (also for a zero total assets or
	// total liabilities) and Z is zero.
	Missing []string
	Err     error
}

// OK reports whether the score was computed.
func (r AltmanResult) OK() bool { return r.Err == nil }

type altmanSpec struct {
	coef             []string
	distress, safe   string
	marketValueForX4 bool
}

var altmanSpecs = map[AltmanModel]altmanSpec{
	AltmanZ:            {[]string{"1.2", "1.4", "3.3", "0.6", "1.0"}, "1.81", "2.99", true},
	AltmanZPrime:       {[]string{"0.717", "0.847", "3.107", "0.420", "0.998"}, "1.23", "2.90", false},
	AltmanZDoublePrime: {[]string{"6.56", "3.26", "6.72", "1.05"}, "1.10", "2.60", false},
}

// Altman computes the model's score from the statements. Invalid
// statements or an unknown model are an *InputError; missing inputs and
// zero denominators are reported in the result (Missing, Err), never
// guessed.
func Altman(model AltmanModel, s Statements) (AltmanResult, error) {
	if _, ok := altmanSpecs[model]; !ok {
		return AltmanResult{}, invalid("model", CodeUnknownValue, string(model))
	}
	if err := s.Validate(); err != nil {
		return AltmanResult{}, err
	}
	return altman(model, s), nil
}

func altman(model AltmanModel, s Statements) AltmanResult {
	spec := altmanSpecs[model]
	res := AltmanResult{Model: model, Distress: decimal.RequireFromString(spec.distress), Safe: decimal.RequireFromString(spec.safe)}
	x4, x4Name := s.Equity, FieldEquity
	if spec.marketValueForX4 {
		x4, x4Name = s.MarketValueOfEquity, FieldMarketValueOfEquity
	}
	need := []fieldPair{
		{FieldCurrentAssets, s.CurrentAssets}, {FieldCurrentLiabilities, s.CurrentLiabilities},
		{FieldTotalAssets, s.TotalAssets}, {FieldRetainedEarnings, s.RetainedEarnings},
		{FieldEBIT, s.EBIT}, {x4Name, x4}, {FieldTotalLiabilities, s.TotalLiabilities},
	}
	if len(spec.coef) == 5 {
		need = append(need, fieldPair{FieldRevenue, s.Revenue})
	}
	if res.Missing = missingOf(need...); len(res.Missing) > 0 {
		slices.Sort(res.Missing)
		res.Err = unavailable("altman_"+string(model), CodeMissing, res.Missing...)
		return res
	}
	if s.TotalAssets.IsZero() {
		res.Err = unavailable("altman_"+string(model), CodeZeroDenominator, FieldTotalAssets)
		return res
	}
	if s.TotalLiabilities.IsZero() {
		res.Err = unavailable("altman_"+string(model), CodeZeroDenominator, FieldTotalLiabilities)
		return res
	}
	wc, _ := s.CurrentAssets.Sub(s.CurrentLiabilities)
	ta, tl := s.TotalAssets.Decimal(), s.TotalLiabilities.Decimal()
	terms := []struct {
		num, den       decimal.Decimal
		numName, denNm string
	}{
		{wc.Decimal(), ta, "working_capital", FieldTotalAssets},
		{s.RetainedEarnings.Decimal(), ta, FieldRetainedEarnings, FieldTotalAssets},
		{s.EBIT.Decimal(), ta, FieldEBIT, FieldTotalAssets},
		{x4.Decimal(), tl, x4Name, FieldTotalLiabilities},
		{s.Revenue.Decimal(), ta, FieldRevenue, FieldTotalAssets},
	}
	for i, c := range spec.coef {
		t := terms[i]
		r := t.num.DivRound(t.den, RatioPlaces)
		coef := decimal.RequireFromString(c)
		term := AltmanTerm{Name: fmt.Sprintf("x%d", i+1), Numerator: t.numName, Denominator: t.denNm, Ratio: r, Coefficient: coef, Contribution: coef.Mul(r)}
		res.Terms = append(res.Terms, term)
		res.Z = res.Z.Add(term.Contribution)
	}
	switch {
	case res.Z.LessThan(res.Distress):
		res.Zone = ZoneDistress
	case res.Z.GreaterThan(res.Safe):
		res.Zone = ZoneSafe
	default:
		res.Zone = ZoneGrey
	}
	return res
}

// Reason explains the result: "altman_safe", "altman_grey",
// "altman_distress" or "altman_unavailable", with the score and cut-offs.
func (r AltmanResult) Reason() Reason {
	name := map[AltmanModel]string{AltmanZ: "Altman Z", AltmanZPrime: "Altman Z′", AltmanZDoublePrime: "Altman Z″"}[r.Model]
	if name == "" {
		name = "Altman"
	}
	if !r.OK() {
		var in string
		if u, ok := r.Err.(*UnavailableError); ok {
			in = strings.Join(u.Inputs, ", ")
		}
		return Reason{Code: "altman_unavailable",
			EN: fmt.Sprintf("%s cannot be computed (%s)", name, in),
			RU: fmt.Sprintf("%s не рассчитать (%s)", name, in)}
	}
	zEN, zRU := fmtAgainst(r.Z, 2, r.Distress, r.Safe)
	dEN, dRU := fmtDec(r.Distress, 2)
	sEN, sRU := fmtDec(r.Safe, 2)
	switch r.Zone {
	case ZoneDistress:
		return Reason{Code: "altman_distress",
			EN: fmt.Sprintf("%s is %s, below the distress cut-off %s", name, zEN, dEN),
			RU: fmt.Sprintf("%s = %s, ниже порога зоны бедствия %s", name, zRU, dRU)}
	case ZoneSafe:
		return Reason{Code: "altman_safe",
			EN: fmt.Sprintf("%s is %s, above the safe cut-off %s", name, zEN, sEN),
			RU: fmt.Sprintf("%s = %s, выше порога безопасной зоны %s", name, zRU, sRU)}
	}
	return Reason{Code: "altman_grey",
		EN: fmt.Sprintf("%s is %s, in the grey zone between %s and %s", name, zEN, dEN, sEN),
		RU: fmt.Sprintf("%s = %s, в серой зоне между %s и %s", name, zRU, dRU, sRU)}
}
