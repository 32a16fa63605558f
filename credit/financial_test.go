package credit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/money"
)

// docCompany is the company of the package documentation.
func docCompany() Statements {
	return Statements{
		TotalAssets: rub("1000"), CurrentAssets: rub("500"), Inventory: rub("100"),
		CurrentLiabilities: rub("300"), TotalLiabilities: rub("600"), Equity: rub("400"),
		RetainedEarnings: rub("200"), EBIT: rub("100"), InterestExpense: rub("20"),
		Revenue: rub("1500"), NetIncome: rub("60"), MarketValueOfEquity: rub("800"),
		Public: true, Manufacturer: true,
	}
}

func TestAltmanHandComputed(t *testing.T) {
	distressed := Statements{
		TotalAssets: rub("1000"), CurrentAssets: rub("200"), CurrentLiabilities: rub("400"),
		TotalLiabilities: rub("900"), Equity: rub("100"), RetainedEarnings: rub("-100"),
		EBIT: rub("-20"), Revenue: rub("800"), MarketValueOfEquity: rub("150"),
	}
	tests := []struct {
		name  string
		model AltmanModel
		s     Statements
		z     string // rounded to 4 places
		zone  Zone
		terms []string // ratios, rounded to 4 places
	}{
		// 1.2·0.2 + 1.4·0.2 + 3.3·0.1 + 0.6·1.3333 + 1.0·1.5 = 3.15
		{"Z, doc company", AltmanZ, docCompany(), "3.15", ZoneSafe, []string{"0.2", "0.2", "0.1", "1.3333", "1.5"}},
		// 0.717·0.2 + 0.847·0.2 + 3.107·0.1 + 0.420·0.6667 + 0.998·1.5 = 2.4005
		{"Z', doc company", AltmanZPrime, docCompany(), "2.4005", ZoneGrey, []string{"0.2", "0.2", "0.1", "0.6667", "1.5"}},
		// 6.56·0.2 + 3.26·0.2 + 6.72·0.1 + 1.05·0.6667 = 3.336
		{"Z'', doc company", AltmanZDoublePrime, docCompany(), "3.336", ZoneSafe, []string{"0.2", "0.2", "0.1", "0.6667"}},
		// 1.2·(-0.2) + 1.4·(-0.1) + 3.3·(-0.02) + 0.6·0.1667 + 1.0·0.8 = 0.454
		{"Z, distressed", AltmanZ, distressed, "0.454", ZoneDistress, []string{"-0.2", "-0.1", "-0.02", "0.1667", "0.8"}},
		// -0.1434 - 0.0847 - 0.06214 + 0.42·0.11111 (0.046667) + 0.7984 = 0.554827
		{"Z', distressed", AltmanZPrime, distressed, "0.5548", ZoneDistress, []string{"-0.2", "-0.1", "-0.02", "0.1111", "0.8"}},
		// -1.312 - 0.326 - 0.1344 + 1.05·0.11111 (0.116667) = -1.655733
		{"Z'', distressed", AltmanZDoublePrime, distressed, "-1.6557", ZoneDistress, []string{"-0.2", "-0.1", "-0.02", "0.1111"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Altman(tc.model, tc.s)
			require.NoError(t, err)
			require.True(t, r.OK(), r.Err)
			requireDec(t, tc.z, r.Z.Round(4))
			assert.Equal(t, tc.zone, r.Zone)
			require.Len(t, r.Terms, len(tc.terms))
			for i, want := range tc.terms {
				requireDec(t, want, r.Terms[i].Ratio.Round(4), r.Terms[i].Name)
			}
			assert.Empty(t, r.Missing)
			assert.Equal(t, "altman_"+string(tc.zone), r.Reason().Code)
		})
	}
}

func TestAltmanCutOffs(t *testing.T) {
	// X1..X4 are zero, so Z is 1.0·X5 = revenue / 1000.
	base := Statements{TotalAssets: rub("1000"), CurrentAssets: rub("100"), CurrentLiabilities: rub("100"),
		TotalLiabilities: rub("500"), RetainedEarnings: rub("0"), EBIT: rub("0"), MarketValueOfEquity: rub("0")}
	tests := []struct {
		revenue string
		zone    Zone
	}{
		{"1809.99", ZoneDistress},
		{"1810", ZoneGrey}, // exactly on the lower cut-off
		{"2990", ZoneGrey}, // exactly on the upper cut-off
		{"2990.01", ZoneSafe},
	}
	for _, tc := range tests {
		s := base
		s.Revenue = rub(tc.revenue)
		r, err := Altman(AltmanZ, s)
		require.NoError(t, err)
		assert.Equal(t, tc.zone, r.Zone, tc.revenue)
	}
}

func TestAltmanMissingAndZero(t *testing.T) {
	noMarket := docCompany()
	noMarket.MarketValueOfEquity = money.Amount{}
	r, err := Altman(AltmanZ, noMarket)
	require.NoError(t, err)
	assert.False(t, r.OK())
	assert.Equal(t, []string{FieldMarketValueOfEquity}, r.Missing)
	assert.Equal(t, ZoneUnknown, r.Zone)
	assert.True(t, r.Z.IsZero())
	assert.ErrorIs(t, r.Err, ErrUnavailable)
	assert.Equal(t, "altman_unavailable", r.Reason().Code)
	assert.Contains(t, r.Reason().Message("ru"), "market_value_of_equity")

	// Z'' needs no market value
	r, err = Altman(AltmanZDoublePrime, noMarket)
	require.NoError(t, err)
	assert.True(t, r.OK())

	onlyRevenue := Statements{Revenue: rub("100")}
	r, err = Altman(AltmanZPrime, onlyRevenue)
	require.NoError(t, err)
	assert.Equal(t, []string{"current_assets", "current_liabilities", "ebit", "equity", "retained_earnings", "total_assets", "total_liabilities"}, r.Missing)

	noDebt := Statements{TotalAssets: rub("100"), CurrentAssets: rub("50"), CurrentLiabilities: rub("0"), TotalLiabilities: rub("0"),
		Equity: rub("100"), RetainedEarnings: rub("10"), EBIT: rub("5"), Revenue: rub("90")}
	r, err = Altman(AltmanZDoublePrime, noDebt)
	require.NoError(t, err)
	var ue *UnavailableError
	require.ErrorAs(t, r.Err, &ue)
	assert.Equal(t, CodeZeroDenominator, ue.Code())
	assert.Equal(t, []string{FieldTotalLiabilities}, ue.Inputs)

	empty := Statements{TotalAssets: rub("0"), CurrentAssets: rub("0"), CurrentLiabilities: rub("0"), TotalLiabilities: rub("0"),
		Equity: rub("0"), RetainedEarnings: rub("0"), EBIT: rub("0"), Revenue: rub("0")}
	r, err = Altman(AltmanZDoublePrime, empty)
	require.NoError(t, err)
	require.ErrorAs(t, r.Err, &ue)
	assert.Equal(t, []string{FieldTotalAssets}, ue.Inputs)
}

func TestRatios(t *testing.T) {
	a, err := AnalyzeStatements(docCompany())
	require.NoError(t, err)
	want := map[string]string{
		RatioCurrent: "1.6666666667", RatioQuick: "1.3333333333", RatioDebtToEquity: "1.5",
		RatioReturnOnAssets: "0.06", RatioReturnOnSales: "0.0666666667", RatioInterestCoverage: "5",
	}
	require.Len(t, a.Ratios, len(want))
	for name, v := range want {
		f := a.Ratio(name)
		require.True(t, f.OK(), name)
		requireDec(t, v, f.Value, name)
	}
	assert.Equal(t, AltmanZ, a.Altman.Model)
	assert.True(t, a.WorkingCapital.Amount.Equal(rub("200")))
	assert.True(t, a.NetWorth.Amount.Equal(rub("400")))
	assert.False(t, a.Ratio("nonsense").OK())

	s := docCompany()
	s.Equity = rub("-50")
	s.InterestExpense = rub("0")
	s.Inventory = money.Amount{}
	s.Public = false
	a, err = AnalyzeStatements(s)
	require.NoError(t, err)
	assert.Equal(t, AltmanZPrime, a.Altman.Model)
	cases := map[string]struct {
		code  string
		input string
	}{
		RatioDebtToEquity:     {CodeNotPositive, FieldEquity},
		RatioInterestCoverage: {CodeZeroDenominator, FieldInterestExpense},
		RatioQuick:            {CodeMissing, FieldInventory},
	}
	for name, c := range cases {
		f := a.Ratio(name)
		require.False(t, f.OK(), name)
		var ue *UnavailableError
		require.ErrorAs(t, f.Err, &ue)
		assert.Equal(t, c.code, ue.Code(), name)
		assert.Equal(t, []string{c.input}, ue.Inputs, name)
		assert.Contains(t, ue.Message("ru"), c.input)
	}
	assert.True(t, a.Ratio(RatioCurrent).OK())
}

func TestStatementsBadInput(t *testing.T) {
	mod := func(f func(*Statements)) Statements {
		s := docCompany()
		f(&s)
		return s
	}
	tests := []struct {
		name   string
		s      Statements
		field  string
		reason string
	}{
		{"no statements", Statements{}, "statements", CodeRequired},
		{"negative assets", mod(func(s *Statements) { s.TotalAssets = rub("-1") }), "statements.total_assets", CodeNegative},
		{"negative current liabilities", mod(func(s *Statements) { s.CurrentLiabilities = rub("-300") }), "statements.current_liabilities", CodeNegative},
		{"negative revenue", mod(func(s *Statements) { s.Revenue = rub("-1") }), "statements.revenue", CodeNegative},
		{"another currency", mod(func(s *Statements) { s.EBIT = money.MustParse("100", money.USD) }), "statements.ebit", CodeCurrency},
		{"current above total assets", mod(func(s *Statements) { s.CurrentAssets = rub("1000.01") }), "statements.current_assets", CodeInconsistent},
		{"current above total liabilities", mod(func(s *Statements) { s.CurrentLiabilities = rub("601") }), "statements.current_liabilities", CodeInconsistent},
		{"inventory above current assets", mod(func(s *Statements) { s.Inventory = rub("501") }), "statements.inventory", CodeInconsistent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{second(AnalyzeStatements(tc.s)), second(Altman(AltmanZ, tc.s))} {
				var ie *InputError
				require.ErrorAs(t, err, &ie)
				assert.ErrorIs(t, err, ErrInvalidInput)
				assert.Equal(t, tc.field, ie.Field)
				assert.Equal(t, tc.reason, ie.Code())
			}
		})
	}
	_, err := Altman("z_triple_prime", docCompany())
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "model", ie.Field)
}
