package taxid_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/crmkit/crmkit/crm/taxid"
)

// The reference implementation below is written independently of the
// package: it works on integer slices and uses strconv for the
// registration numbers.

func digitsOf(s string) []int {
	d := make([]int, len(s))
	for i := range s {
		d[i] = int(s[i] - '0')
	}
	return d
}

func refWeighted(digits []int, weights ...int) int {
	sum := 0
	for i, w := range weights {
		sum += digits[i] * w
	}
	return sum % 11 % 10
}

func refINN10Check(prefix string) int {
	return refWeighted(digitsOf(prefix), 2, 4, 10, 3, 5, 9, 4, 6, 8)
}

func refINN11Check(prefix string) int {
	return refWeighted(digitsOf(prefix), 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
}

func refINN12Check(prefix string) int {
	return refWeighted(digitsOf(prefix), 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
}

// refRegCheck computes the OGRN (modulus 11) or OGRNIP (modulus 13) check
// digit; 14 digits fit easily in a uint64.
func refRegCheck(prefix string, modulus uint64) int {
	n, err := strconv.ParseUint(prefix, 10, 64)
	if err != nil {
		panic(err)
	}
	return int(n % modulus % 10)
}

func isAllZeros(s string) bool { return strings.Trim(s, "0") == "" }

func digitString(n int) *rapid.Generator[string] {
	return rapid.StringMatching("[0-9]{" + strconv.Itoa(n) + "}")
}

func withDigit(s string, i, d int) string {
	b := []byte(s)
	b[i] = byte('0' + d)
	return string(b)
}

// checkPosition asserts that valid is accepted (unless it is all zeros)
// and that every other digit at position pos is rejected with
// ReasonBadChecksum.
func checkPosition(t *rapid.T, validate func(string) error, valid string, pos int) {
	if isAllZeros(valid) {
		require.Error(t, validate(valid))
		return
	}
	require.NoError(t, validate(valid), "valid %s", valid)
	for d := 0; d <= 9; d++ {
		if byte('0'+d) == valid[pos] {
			continue
		}
		bad := withDigit(valid, pos, d)
		err := validate(bad)
		requireCode(t, err, taxid.ReasonBadChecksum, "changed %s to %s", valid, bad)
	}
}

func requireCode(t require.TestingT, err error, code taxid.Reason, msgAndArgs ...any) {
	require.Error(t, err, msgAndArgs...)
	te, ok := err.(*taxid.Error)
	require.True(t, ok, msgAndArgs...)
	require.Equal(t, code, te.Reason, msgAndArgs...)
}

// requireSingleChangesRejected asserts that every single-digit change of
// valid, at any position, is rejected.
func requireSingleChangesRejected(t *rapid.T, validate func(string) error, valid string) {
	for i := 0; i < len(valid); i++ {
		for d := 0; d <= 9; d++ {
			if byte('0'+d) == valid[i] {
				continue
			}
			bad := withDigit(valid, i, d)
			require.Error(t, validate(bad), "changed %s to %s", valid, bad)
		}
	}
}

func inn(s string) error {
	_, err := taxid.ValidateINN(s)
	return err
}

func TestPropertyINN10(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := digitString(9).Draw(t, "prefix")
		c := refINN10Check(prefix)
		valid := prefix + strconv.Itoa(c)
		checkPosition(t, inn, valid, 9)
		if !isAllZeros(valid) {
			n, _ := taxid.ValidateINN(valid)
			require.Equal(t, 10, n)
		}
		// With a check digit other than 0 the residue modulo 11 is
		// determined by the digit, and all weights are non-zero modulo 11,
		// so any single changed digit is detected.
		if c != 0 {
			requireSingleChangesRejected(t, inn, valid)
		}
	})
}

func TestPropertyINN12(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := digitString(10).Draw(t, "prefix")
		c11 := refINN11Check(prefix)
		prefix11 := prefix + strconv.Itoa(c11)
		c12 := refINN12Check(prefix11)
		valid := prefix11 + strconv.Itoa(c12)
		checkPosition(t, inn, valid, 11)
		checkPosition(t, inn, valid, 10)
		if !isAllZeros(valid) {
			n, _ := taxid.ValidateINN(valid)
			require.Equal(t, 12, n)
		}
		if c11 != 0 {
			requireSingleChangesRejected(t, inn, valid)
		}
	})
}

// TestPropertyINN12RandomEleven draws all 11 leading digits at random, so
// the 11th digit is usually wrong: the number must be accepted exactly
// when the 11th digit happens to be the right check digit.
func TestPropertyINN12RandomEleven(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix11 := digitString(11).Draw(t, "prefix")
		valid11 := refINN11Check(prefix11[:10]) == int(prefix11[10]-'0')
		s := prefix11 + strconv.Itoa(refINN12Check(prefix11))
		err := inn(s)
		if valid11 && !isAllZeros(s) {
			require.NoError(t, err, s)
		} else {
			require.Error(t, err, s)
		}
	})
}

func TestPropertyOGRN(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := digitString(12).Draw(t, "prefix")
		c := refRegCheck(prefix, 11)
		valid := prefix + strconv.Itoa(c)
		checkPosition(t, taxid.ValidateOGRN, valid, 12)
		// Powers of ten are ±1 modulo 11, so any single changed digit
		// changes the residue; it stays undetected only when the check
		// digit is 0 (residues 0 and 10).
		if c != 0 {
			requireSingleChangesRejected(t, taxid.ValidateOGRN, valid)
		}
	})
}

func TestPropertyOGRNIP(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prefix := digitString(14).Draw(t, "prefix")
		c := refRegCheck(prefix, 13)
		valid := prefix + strconv.Itoa(c)
		checkPosition(t, taxid.ValidateOGRNIP, valid, 14)
		// Residues 0..12 fold onto 0..9, so the check digits 0, 1 and 2
		// are ambiguous; any other check digit pins the residue.
		if c >= 3 {
			requireSingleChangesRejected(t, taxid.ValidateOGRNIP, valid)
		}
	})
}

func TestPropertyKPP(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringMatching("[0-9]{4}[0-9A-Z]{2}[0-9]{3}").Draw(t, "kpp")
		require.NoError(t, taxid.ValidateKPP(s))
		id, err := taxid.Parse("ru", taxid.KindKPP, " "+s+" ")
		require.NoError(t, err)
		require.Equal(t, taxid.ID{Country: "RU", Kind: taxid.KindKPP, Value: s}, id)
	})
}

func TestPropertyParseOther(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.String().Draw(t, "value")
		cc := rapid.StringMatching("[A-Za-z]{2}").Draw(t, "country")
		id, err := taxid.Parse(cc, taxid.KindOther, v)
		if err != nil {
			te, ok := err.(*taxid.Error)
			require.True(t, ok)
			require.Equal(t, taxid.KindOther, te.Kind)
			return
		}
		require.Equal(t, strings.ToUpper(cc), id.Country)
		require.Equal(t, strings.TrimSpace(v), id.Value)
		require.NotEmpty(t, id.Value)
	})
}
