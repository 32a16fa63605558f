package taxid_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/crmkit/crmkit/crm/taxid"
)

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// refINNValid is an independent full reference check of an INN.
func refINNValid(s string) bool {
	if !allASCIIDigits(s) || isAllZeros(s) {
		return false
	}
	switch len(s) {
	case 10:
		return refINN10Check(s[:9]) == int(s[9]-'0')
	case 12:
		return refINN11Check(s[:10]) == int(s[10]-'0') &&
			refINN12Check(s[:11]) == int(s[11]-'0')
	}
	return false
}

func refRegValid(s string, length int, modulus uint64) bool {
	if len(s) != length || !allASCIIDigits(s) || isAllZeros(s) {
		return false
	}
	return refRegCheck(s[:length-1], modulus) == int(s[length-1]-'0')
}

func refKPPValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	for i := 0; i < 9; i++ {
		c := s[i]
		if (c < '0' || c > '9') && !((i == 4 || i == 5) && c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// checkErr makes sure a rejection is a well-formed *taxid.Error.
func checkErr(t *testing.T, err error, kind taxid.Kind, input string) {
	t.Helper()
	te, ok := err.(*taxid.Error)
	if !ok {
		t.Fatalf("error %T (%v) is not *taxid.Error", err, err)
	}
	// Input is the input, or for a long one its first 256 bytes at most
	// (cut at a rune boundary).
	wantInput := te.Input == input || (len(input) > 256 && len(te.Input) <= 256 && strings.HasPrefix(input, te.Input) && len(te.Input) > 252)
	if te.Kind != kind || !wantInput || te.Reason == "" {
		t.Fatalf("unexpected error fields %+v for kind %q input %q", te, kind, input)
	}
	if te.Error() == "" || te.Message("ru") == "" {
		t.Fatalf("empty message for %+v", te)
	}
}

var fuzzSeeds = []string{
	"", "0", " ", "7707083893", "7736207543", "500100732259", "1000000010",
	"0000000000", "000000000000", "7707083894", "٧٧٠٧٠٨٣٨٩٣", "770708389３",
	"1027700132195", "1027739850962", "304500116000157", "0000000000000",
	"773601001", "7707AB001", "7736АВ001", "\xff\xfe", " 7707083893 ",
}

func FuzzValidateINN(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := taxid.ValidateINN(s)
		want := refINNValid(s)
		if err != nil {
			checkErr(t, err, taxid.KindINN, s)
			if n != 0 {
				t.Fatalf("length %d returned with error", n)
			}
			if want {
				t.Fatalf("rejected %q, reference accepts it: %v", s, err)
			}
			return
		}
		if !want {
			t.Fatalf("accepted %q, reference rejects it", s)
		}
		if n != len(s) || (n != 10 && n != 12) || !allASCIIDigits(s) {
			t.Fatalf("accepted %q with length %d", s, n)
		}
	})
}

func FuzzValidateOGRN(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := taxid.ValidateOGRN(s)
		if err != nil {
			checkErr(t, err, taxid.KindOGRN, s)
		} else if len(s) != 13 || !allASCIIDigits(s) {
			t.Fatalf("OGRN accepted %q", s)
		}
		if (err == nil) != refRegValid(s, 13, 11) {
			t.Fatalf("OGRN %q: got %v, reference disagrees", s, err)
		}

		err = taxid.ValidateOGRNIP(s)
		if err != nil {
			checkErr(t, err, taxid.KindOGRNIP, s)
		} else if len(s) != 15 || !allASCIIDigits(s) {
			t.Fatalf("OGRNIP accepted %q", s)
		}
		if (err == nil) != refRegValid(s, 15, 13) {
			t.Fatalf("OGRNIP %q: got %v, reference disagrees", s, err)
		}
	})
}

func FuzzValidateKPP(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := taxid.ValidateKPP(s)
		if err != nil {
			checkErr(t, err, taxid.KindKPP, s)
		}
		if (err == nil) != refKPPValid(s) {
			t.Fatalf("KPP %q: got %v, reference disagrees", s, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	kinds := []string{"INN", "KPP", "OGRN", "OGRNIP", "OTHER", "", "inn"}
	countries := []string{"RU", "ru", " Ru ", "DE", "R", "RUS", "РУ", "\xff\xff", ""}
	for i, s := range fuzzSeeds {
		f.Add(countries[i%len(countries)], kinds[i%len(kinds)], s)
	}
	f.Add("RU", "OTHER", strings.Repeat("ж", 65))
	f.Add("kz", "OTHER", "a\x00b")
	f.Fuzz(func(t *testing.T, country, kind, value string) {
		id, err := taxid.Parse(country, taxid.Kind(kind), value)
		_ = id.String()
		if err != nil {
			if !id.IsZero() {
				t.Fatalf("non-zero ID %+v returned with error", id)
			}
			te, ok := err.(*taxid.Error)
			if !ok {
				t.Fatalf("error %T is not *taxid.Error", err)
			}
			if te.Kind != taxid.Kind(kind) || te.Reason == "" || te.Error() == "" || te.Message("ru") == "" {
				t.Fatalf("malformed error %+v", te)
			}
			return
		}
		if len(id.Country) != 2 || strings.ToUpper(strings.TrimSpace(country)) != id.Country {
			t.Fatalf("bad country %q from %q", id.Country, country)
		}
		for _, c := range []byte(id.Country) {
			if c < 'A' || c > 'Z' {
				t.Fatalf("bad country %q", id.Country)
			}
		}
		if id.Kind != taxid.Kind(kind) || id.Value != strings.TrimSpace(value) {
			t.Fatalf("unexpected ID %+v", id)
		}
		if id.String() != id.Country+":"+kind+":"+id.Value {
			t.Fatalf("String() = %q", id.String())
		}
		v := id.Value
		switch id.Kind {
		case taxid.KindINN:
			if id.Country != "RU" || !refINNValid(v) || !allASCIIDigits(v) || (len(v) != 10 && len(v) != 12) {
				t.Fatalf("accepted INN %+v", id)
			}
		case taxid.KindOGRN:
			if id.Country != "RU" || !allASCIIDigits(v) || len(v) != 13 || !refRegValid(v, 13, 11) {
				t.Fatalf("accepted OGRN %+v", id)
			}
		case taxid.KindOGRNIP:
			if id.Country != "RU" || !allASCIIDigits(v) || len(v) != 15 || !refRegValid(v, 15, 13) {
				t.Fatalf("accepted OGRNIP %+v", id)
			}
		case taxid.KindKPP:
			if id.Country != "RU" || !refKPPValid(v) {
				t.Fatalf("accepted KPP %+v", id)
			}
		case taxid.KindOther:
			if v == "" || !utf8.ValidString(v) || utf8.RuneCountInString(v) > taxid.MaxOtherLength ||
				strings.IndexFunc(v, unicode.IsControl) >= 0 {
				t.Fatalf("accepted other %+v", id)
			}
		default:
			t.Fatalf("accepted unknown kind %+v", id)
		}
	})
}

// A long input of continuation bytes (no rune start at all) is still
// quoted up to the limit, not cut to nothing.
func TestErrorInputOfContinuationBytes(t *testing.T) {
	in := strings.Repeat("\x80", 1000)
	_, err := taxid.ValidateINN(in)
	checkErr(t, err, taxid.KindINN, in)
}

// FuzzMatchValue: any identifier Parse accepts folds to a non-empty,
// valid UTF-8 value of letters and digits (or its stored value when it
// has none), never longer than what was stored, and two spellings that
// differ only in case and separators fold alike.
func FuzzMatchValue(f *testing.F) {
	for _, s := range []string{"DE123456789", "de 123.456.789", "EL-1", "１２３", "ун 190", "--", "ǅ1", "ß1"} {
		f.Add("DE", s)
		f.Add("GR", s)
	}
	f.Fuzz(func(t *testing.T, country, value string) {
		id, err := taxid.Parse(country, taxid.KindOther, value)
		if err != nil {
			return
		}
		v := id.MatchValue()
		if v == "" || !utf8.ValidString(v) {
			t.Fatalf("MatchValue(%q) = %q", value, v)
		}
		if utf8.RuneCountInString(v) > utf8.RuneCountInString(id.Value) {
			t.Fatalf("MatchValue(%q) = %q grew", value, v)
		}
		spaced, err := taxid.Parse(country, taxid.KindOther, strings.ToLower(strings.Join(strings.Split(id.Value, ""), " ")))
		if err == nil && strings.IndexFunc(id.Value, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 &&
			caseStable(id.Value) && spaced.MatchValue() != v {
			t.Fatalf("%q and %q fold to %q and %q", id.Value, spaced.Value, v, spaced.MatchValue())
		}
	})
}

// caseStable reports whether lower-casing s loses nothing that
// upper-casing brings back.
func caseStable(s string) bool {
	for _, r := range s {
		if unicode.ToUpper(unicode.ToLower(r)) != unicode.ToUpper(r) {
			return false
		}
	}
	return true
}
