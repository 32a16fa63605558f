package normalize

import "testing"

var benchSink string

func BenchmarkPhone(b *testing.B) {
	inputs := []string{"8 (916) 123-45-67", "+7 916 123-45-67", "+1 650 253 0000", "+7 916 123-45-67 доб. 123"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out, err := Phone(inputs[i%len(inputs)], DefaultRegion)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = out
	}
}

func BenchmarkOrgName(b *testing.B) {
	inputs := []string{
		`ООО "Ромашка"`,
		`Общество с ограниченной ответственностью «Рога и копыта»`,
		`ПАО «Сбербанк России»`,
		`Acme Co., Ltd.`,
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		benchSink = OrgName(inputs[i%len(inputs)])
	}
}

func BenchmarkPersonName(b *testing.B) {
	inputs := []string{"Иванов Иван Иванович", "Салтыков-Щедрин М. Е.", "O'Brien, John"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		benchSink = PersonName(inputs[i%len(inputs)])
	}
}

func BenchmarkEmail(b *testing.B) {
	inputs := []string{"Ivan.Petrov@Example.com", "иван@пример.рф", "user+tag@gmail.com"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out, err := Email(inputs[i%len(inputs)])
		if err != nil {
			b.Fatal(err)
		}
		benchSink = out
	}
}
