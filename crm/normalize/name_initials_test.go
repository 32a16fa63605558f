package normalize

import "testing"

// Initials fold alike however they are spaced, three of them as well as
// two: "A.B. C." is "A. B. C." is "A.B.C.".
func TestInitialsJoinedHoweverSpaced(t *testing.T) {
	want := OrgName("A.B.C. Trading")
	for _, in := range []string{"A. B. C. Trading", "A.B. C. Trading", "A. B.C. Trading", "A B.C Trading"} {
		if got := OrgName(in); got != want {
			t.Errorf("OrgName(%q) = %q, want %q as for A.B.C.", in, got, want)
		}
	}
}

// A name written out whose initials spell a legal form has no initials
// key: the key would be the bare surname.
func TestInitialsNameNeverBareSurname(t *testing.T) {
	for _, in := range []string{"ИП Пашкевич Иван Петрович", "Иванов Алексей Олегович", "Smith Andrew Georgievich"} {
		if got := InitialsName(in); got != "" {
			t.Errorf("InitialsName(%q) = %q, want none", in, got)
		}
	}
}
