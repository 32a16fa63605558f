package rootcause

import (
	"os"
	"testing"
)

// TestLexiconOnCorpus reports the rules alone on the built-in corpus, per
// language, with the confusion and (with CRMKIT_LEXICON_DEV=misses) the
// texts they get wrong: the corpus is crmkit's own, written by other
// hands, so it is where the lexicon may be developed without touching the
// development claims, which stay a held-out test. Run it with
//
//	CRMKIT_LEXICON_DEV=1 go test -run LexiconOnCorpus -v ./crm/rootcause
func TestLexiconOnCorpus(t *testing.T) {
	mode := os.Getenv("CRMKIT_LEXICON_DEV")
	if mode == "" {
		t.Skip("set CRMKIT_LEXICON_DEV=1 (or =misses) to run")
	}
	for _, lang := range []string{"ru", "en"} {
		var cs []claim
		for _, e := range BuiltinCorpus() {
			if isCyrillicText(e.Text) == (lang == "ru") {
				cs = append(cs, claim{Code: e.Label, Text: e.Text})
			}
		}
		m := evalWith(t, RulesOnly(), "rules only, built-in corpus "+lang, cs)
		t.Logf("SUMMARY rules only on the built-in corpus %s: macro-F1 %.3f, accuracy %.3f", lang, m.macroF1(), m.accuracy())
		if mode == "misses" {
			for _, c := range cs {
				if got := RulesOnly().Categorize(c.Text, Facts{}).Code(); got != c.Code {
					t.Logf("MISS %s → %s: %s", c.Code, got, c.Text)
				}
			}
		}
	}
}
