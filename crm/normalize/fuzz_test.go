package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func addNameSeeds(f *testing.F) {
	for _, s := range []string{
		"", " ", `ООО "Ромашка"`, `ооо «РОМАШКА»`, `Общество с ограниченной ответственностью "Ромашка"`,
		`ПАО «Сбербанк»`, `Ёлка, ЗАО`, "АО", "L.L.C.", "A.B.C. Trading", "ООО'Ромашка'", "McDonald's",
		"OOО Ромaшка", "акционерное ООО общество", "Салтыков-Щедрин Михаил", "И.И. Иванов", "a-ʼb",
		"Серги\u0438\u0306", "e\u200b\u0301", "ромy\u0306", "\xff\xfe", "Ром\u00a0\u2009ашка\t",
	} {
		f.Add(s)
	}
}

func FuzzText(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q: invalid UTF-8", in, out)
		}
		if again := Text(out); again != out {
			t.Fatalf("Text not idempotent: %q -> %q -> %q", in, out, again)
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{
		"", "ivan@example.com", "  Ivan.Petrov@Example.COM ", "Иван@Пример.РФ", "a@b", "a@1.2.3.4",
		"\"a\"@b.com", "Ivan <ivan@example.com>", "и\u0306@example.com", "\u023a@example.com",
		"user@xn--p1ai.xn--p1ai", "a..b@c.d", "\xff@x.com", strings.Repeat("a", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Email(in)
		if err != nil {
			if out != "" || ReasonOf(err) == "" {
				t.Fatalf("Email(%q) = %q, %v", in, out, err)
			}
			return
		}
		if !utf8.ValidString(out) || len(out) > MaxEmailLen {
			t.Fatalf("Email(%q) = %q", in, out)
		}
		again, err := Email(out)
		if err != nil || again != out {
			t.Fatalf("Email not idempotent: %q -> %q -> %q, %v", in, out, again, err)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range [][2]string{
		{"+7 916 123-45-67", "RU"}, {"8 (916) 123-45-67", "RU"}, {"89161234567", "RU"},
		{"+1 650 253 0000", "US"}, {"123", "RU"}, {"abc", "RU"}, {"+7 000", "RU"}, {"89161234567", "ZZ"},
		{"89161234567", ""}, {"030 123456", "DE"}, {"+7 916 123-45-67 доб. 123", "RU"},
		{"tel:+7-916-123-45-67;ext=1", ""}, {"1-800-FLOWERS", "US"}, {"\xff", "RU"}, {"+", "xx"},
		{"+39 06 1234 5678", ""}, {"00 49 30 123456", "DE"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, in, region string) {
		out, err := Phone(in, region)
		if err != nil {
			if out != "" || ReasonOf(err) == "" {
				t.Fatalf("Phone(%q, %q) = %q, %v", in, region, out, err)
			}
			return
		}
		if !e164RE.MatchString(out) {
			t.Fatalf("Phone(%q, %q) = %q: not E.164", in, region, out)
		}
		for _, r := range []string{region, ""} {
			again, err := Phone(out, r)
			if err != nil || again != out {
				t.Fatalf("Phone not idempotent: (%q, %q) -> %q -> (region %q) %q, %v", in, region, out, r, again, err)
			}
		}
	})
}

func FuzzOrgName(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := OrgName(in)
		if !utf8.ValidString(out) {
			t.Fatalf("OrgName(%q) = %q: invalid UTF-8", in, out)
		}
		if again := OrgName(out); again != out {
			t.Fatalf("OrgName not idempotent: %q -> %q -> %q", in, out, again)
		}
		if strict, err := OrgNameStrict(in); err == nil && strict != out {
			t.Fatalf("OrgNameStrict(%q) = %q, OrgName = %q", in, strict, out)
		}
		if k := InitialsName(in); k != "" && (!utf8.ValidString(k) || OrgName(k) != k) {
			t.Fatalf("InitialsName(%q) = %q, which OrgName reads as %q", in, k, OrgName(k))
		}
	})
}

func FuzzPersonName(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, in string) {
		out := PersonName(in)
		if !utf8.ValidString(out) {
			t.Fatalf("PersonName(%q) = %q: invalid UTF-8", in, out)
		}
		if again := PersonName(out); again != out {
			t.Fatalf("PersonName not idempotent: %q -> %q -> %q", in, out, again)
		}
		if strict, err := PersonNameStrict(in); err == nil && strict != out {
			t.Fatalf("PersonNameStrict(%q) = %q, PersonName = %q", in, strict, out)
		}
	})
}
