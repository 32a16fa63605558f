package credit

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// taiwanPath is the UCI "default of credit card clients" data (Yeh & Lien,
// 2009, CC BY 4.0), read in place from the shared data directory.
var taiwanPath = filepath.Join("..", "..", "shared", "data", "credit", "taiwan-default.csv")

type taiwanRow struct {
	id     int
	inputs map[string]Value
	raw    map[string]float64
	bad    bool
}

func loadTaiwan(t *testing.T) []taiwanRow {
	t.Helper()
	f, err := os.Open(taiwanPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the Taiwan credit-card data is not at %s (see ../shared/data/README.md); skipping the realistic scorecard test", taiwanPath)
	}
	require.NoError(t, err)
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(records), 1)
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	num := func(rec []string, name string) float64 {
		x, err := strconv.ParseFloat(rec[col[name]], 64)
		require.NoError(t, err, name)
		return x
	}
	rows := make([]taiwanRow, 0, len(records)-1)
	for _, rec := range records[1:] {
		limit := num(rec, "X1")
		r := taiwanRow{id: int(num(rec, "ID")), bad: num(rec, "Y") == 1, raw: map[string]float64{
			"repay_status":      num(rec, "X6"), // most recent month
			"repay_status_prev": num(rec, "X7"),
			"age":               num(rec, "X5"),
			"limit":             limit,
		}}
		if limit > 0 {
			r.raw["utilisation"] = num(rec, "X12") / limit
		}
		if bill := num(rec, "X13"); bill > 0 {
			r.raw["paid_share"] = num(rec, "X18") / bill // paid this month against last month's bill
		}
		r.inputs = map[string]Value{}
		for k, v := range r.raw {
			r.inputs[k] = Number(v)
		}
		rows = append(rows, r)
	}
	return rows
}

// quantileCuts returns the distinct q-quantiles (q = 1..n-1 of n) of xs.
func quantileCuts(xs []float64, n int) []float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	var cuts []float64
	for q := 1; q < n; q++ {
		c := s[q*len(s)/n]
		if len(cuts) == 0 || c > cuts[len(cuts)-1] && c > s[0] {
			cuts = append(cuts, c)
		}
	}
	return cuts
}

// binsFromCuts makes contiguous numeric bins (-inf, c1), [c1, c2), ..., [ck, +inf).
func binsFromCuts(cuts []float64) []Bin {
	bins := []Bin{Below(cuts[0], 0)}
	for i := 1; i < len(cuts); i++ {
		bins = append(bins, Between(cuts[i-1], cuts[i], 0))
	}
	return append(bins, AtLeast(cuts[len(cuts)-1], 0))
}

// woePoints sets each bin's points to factor·WoE computed on the training
// rows, WoE = ln((good_i / good) / (bad_i / bad)) with 0.5 added to every
// count so that an empty bin stays finite; the missing bin gets the
// points of the whole population (WoE 0).
func woePoints(ch *Characteristic, train []taiwanRow, factor float64) {
	good := make([]float64, len(ch.Bins))
	bad := make([]float64, len(ch.Bins))
	var goods, bads float64
	for _, r := range train {
		x, ok := r.raw[ch.Name]
		if !ok {
			continue
		}
		for i, b := range ch.Bins {
			if b.Low <= x && x < b.High {
				if r.bad {
					bad[i]++
					bads++
				} else {
					good[i]++
					goods++
				}
				break
			}
		}
	}
	for i := range ch.Bins {
		woe := math.Log(((good[i] + 0.5) / goods) / ((bad[i] + 0.5) / bads))
		ch.Bins[i].Points = math.Round(factor * woe)
	}
	ch.MissingPoints = 0
}

// auc is the Mann–Whitney probability that a good client scores above a
// bad one, ties counting one half.
func auc(scores []float64, bad []bool) float64 {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(scores[a], scores[b]) })
	var rankSumGood, goods, bads float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avgRank := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if bad[idx[k]] {
				bads++
			} else {
				goods++
				rankSumGood += avgRank
			}
		}
		i = j
	}
	return (rankSumGood - goods*(goods+1)/2) / (goods * bads)
}

func TestTaiwanScorecardAUC(t *testing.T) {
	rows := loadTaiwan(t)
	var train, test []taiwanRow
	for _, r := range rows {
		if r.id%2 == 1 { // odd ids train the card, even ids judge it
			train = append(train, r)
		} else {
			test = append(test, r)
		}
	}
	statusBins := []Bin{Below(-1, 0), Between(-1, 0, 0), Between(0, 1, 0), Between(1, 2, 0), AtLeast(2, 0)}
	card := Scorecard{
		Name:       "taiwan-demo",
		BasePoints: 600,
		Characteristics: []Characteristic{
			{Name: "repay_status", Kind: Numeric, Bins: slices.Clone(statusBins),
				Reason: Reason{Code: "recent_delay", EN: "Late on the latest statement", RU: "Просрочка по последней выписке"}},
			{Name: "repay_status_prev", Kind: Numeric, Bins: slices.Clone(statusBins)},
		},
	}
	for _, name := range []string{"utilisation", "limit", "age", "paid_share"} {
		var xs []float64
		for _, r := range train {
			if x, ok := r.raw[name]; ok {
				xs = append(xs, x)
			}
		}
		card.Characteristics = append(card.Characteristics, Characteristic{Name: name, Kind: Numeric, Bins: binsFromCuts(quantileCuts(xs, 5))})
	}
	factor := 20 / math.Ln2 // 20 points to double the good:bad odds
	for i := range card.Characteristics {
		woePoints(&card.Characteristics[i], train, factor)
	}

	// through JSON and back, as a host would store it
	data, err := json.Marshal(card)
	require.NoError(t, err)
	decoded, err := DecodeScorecard(data)
	require.NoError(t, err)
	s := mustScorer(t, decoded)

	score := func(rows []taiwanRow) ([]float64, []bool) {
		scores := make([]float64, len(rows))
		bad := make([]bool, len(rows))
		for i, r := range rows {
			sc, err := s.Score(r.inputs)
			require.NoError(t, err, r.id)
			scores[i], bad[i] = sc.Total, r.bad
		}
		return scores, bad
	}
	trainScores, trainBad := score(train)
	testScores, testBad := score(test)
	trainAUC, testAUC := auc(trainScores, trainBad), auc(testScores, testBad)
	t.Logf("Taiwan credit-card defaults: %d clients, train = odd IDs (%d), test = even IDs (%d); card of %d characteristics (repayment status this and last month, utilisation, limit, age, paid share; quintile bins, WoE points from the training half)",
		len(rows), len(train), len(test), len(card.Characteristics))
	t.Logf("AUC train %.4f (Gini %.4f); AUC test %.4f (Gini %.4f)", trainAUC, 2*trainAUC-1, testAUC, 2*testAUC-1)
	require.Greater(t, testAUC, 0.65, "the card should separate defaulters clearly better than chance")
	require.Less(t, math.Abs(trainAUC-testAUC), 0.03, "no sign of over-fitting on a six-characteristic card")

	// reasons point at the recent delay for a client who is late now
	sc, err := s.Score(map[string]Value{"repay_status": Number(3), "repay_status_prev": Number(2), "utilisation": Number(0.95), "limit": Number(20000), "age": Number(30)})
	require.NoError(t, err)
	require.NotEmpty(t, sc.Reasons)
	require.Equal(t, "recent_delay", sc.Reasons[0].Code)
}
