package rootcause

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCFPBPublishedTestFile trains on the whole of shared/data/cfpb/
// train.json and scores the models on the held-out file published beside
// it: cfpb_test.json in IBM's watson-machine-learning-samples
// (cloud/data/prompt_tuning/, commit c6f1fef3, 300 complaints, 290,395
// bytes, SHA-256 afa7b487…94dc0; train.json is that repository's
// cfpb_train.json, byte for byte). The file is not part of the shared
// data and is not copied into this repository, so the test is opt-in:
// point CRMKIT_CFPB_TEST at a copy of it. It asserts the goals
// on this split: naive Bayes on unigrams at least 0.75 macro-F1, TF-IDF
// with logistic regression at least 0.80.
//
// Its inputs carry an instruction that names all five products
// ("Including narratives choice the best match product with the items
// from the list: 'credit_card', ... Comment: <narrative>"); the same
// words in every text would only add noise, so only the narrative after
// "Comment: " is scored, as train.json's narratives are after
// "Narrative: ". Nothing is chosen on this file: the rows are those of
// TestEvalCFPB, with their settings fixed in advance, the L2Grid row
// choosing its penalty by inner cross-validation on train.json alone.
func TestCFPBPublishedTestFile(t *testing.T) {
	path := os.Getenv("CRMKIT_CFPB_TEST")
	if path == "" {
		t.Skip("set CRMKIT_CFPB_TEST to a copy of IBM's cfpb_test.json to run")
	}
	train := loadCFPB(t)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var rows []struct {
		Input  string `json:"input"`
		Output string `json:"output"`
	}
	require.NoError(t, json.Unmarshal(data, &rows))
	test := make([]Example, len(rows))
	for i, r := range rows {
		_, narrative, ok := strings.Cut(r.Input, "\nComment: ")
		require.True(t, ok, "row %d has no narrative", i)
		test[i] = Example{Text: narrative, Label: r.Output}
	}
	counts := map[string]int{}
	for _, e := range test {
		counts[e.Label]++
	}
	t.Logf("%d test complaints: %v", len(test), counts)

	type row struct {
		name string
		opt  TrainOptions
		goal float64 // the goal for the row, if it names one
	}
	for _, tt := range []row{
		{"naive Bayes, unigrams, alpha 1", TrainOptions{Kind: NaiveBayes, NGrams: 1, Alpha: 1}, 0.75},
		{name: "scikit-learn defaults: naive Bayes, unstemmed words of 2+ characters, alpha 1",
			opt: TrainOptions{Kind: NaiveBayes, NGrams: 1, Alpha: 1, NoStemming: true, MinWordRunes: 2}},
		{name: "complement naive Bayes, unigrams+bigrams, alpha 0.3", opt: TrainOptions{Kind: ComplementNB, NGrams: 2, Alpha: 0.3}},
		{name: "scikit-learn defaults: logistic regression, TF-IDF raw tf, unstemmed words of 2+ characters, C=1",
			opt: TrainOptions{Kind: LogisticRegression, NGrams: 1, NoStemming: true, MinWordRunes: 2, RawTF: true, L2: sklearnL2(len(train))}},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 1e-3",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true}, 0.80},
		{"logistic regression, TF-IDF unigrams+bigrams (min df 2), balanced, L2 by inner 3-fold CV",
			TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true, L2Grid: cfpbL2Grid}, 0.80},
		{name: "logistic regression, unstemmed, TF-IDF unigrams+bigrams (min df 2), balanced, L2 by inner 3-fold CV",
			opt: TrainOptions{Kind: LogisticRegression, NGrams: 2, MinDF: 2, Balanced: true, NoStemming: true, L2Grid: cfpbL2Grid}, goal: 0.80},
	} {
		m, err := Train(train, tt.opt)
		require.NoError(t, err)
		truth, pred := make([]string, len(test)), make([]string, len(test))
		for i, e := range test {
			truth[i], pred[i] = e.Label, modelTop(m, e.Text)
		}
		met := newMetrics(truth, pred)
		t.Logf("CFPB published test file, %s: %s", tt.name, met.report())
		t.Logf("SUMMARY %s: accuracy %.3f, macro-F1 %.3f", tt.name, met.accuracy(), met.macroF1())
		if tt.goal > 0 {
			assert.GreaterOrEqual(t, met.macroF1(), tt.goal, tt.name)
		}
	}
}
