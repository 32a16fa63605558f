package rootcause

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLexiconMatchesInflections checks that lexicon entries, matched by
// Snowball stem or by prefix, find the inflected forms people write
// (cases, numbers, tenses, ё, hyphens, "n't"), and do not find
// look-alike words of other meaning.
func TestLexiconMatchesInflections(t *testing.T) {
	cases := []struct {
		text    string
		code    Code
		pattern string
		want    bool
	}{
		// Russian: nouns in other cases, verbs in other persons and tenses.
		{"выявили недовложение", WrongQuantity, "недовлож*", true},
		{"опять недовложили две коробки", WrongQuantity, "недовлож*", true},
		{"обнаружена пересортица", WrongItem, "пересорт*", true},
		{"много боя стекла", TransitDamage, "бой", true},
		{"упаковка вскрыта", Packaging, "упаковк* вскрыт*", true},
		{"пришла вскрытая упаковка", Packaging, "вскрыт* упаковк*", true},
		{"прислали просроченный товар", Expiry, "просроченн*", true},
		{"опоздание на три дня", LateDelivery, "опозда*", true},
		{"машина опоздала", LateDelivery, "опозда*", true},
		{"в счёт-фактуре ошибка", DocumentError, "счет фактур*", true},
		{"ошибка в реквизитах", DocumentError, "ошибк* в реквизит*", true},
		{"не можем дозвониться", Service, "дозвонит*", true},
		{"передали курьером", TransitDamage, "курьер*", true},
		{"с остаточным сроком годности", Expiry, "остаточн* срок*", true},
		{"составили акт на недостачу", WrongQuantity, "недостач*", true},
		{"коробки с вмятинами", TransitDamage, "вмятин*", true},
		{"маркировки нет", Packaging, "маркировк*", true},
		{"выставили по другой цене", PriceError, "цена", true},
		{"цены завышены", PriceError, "цена", true},
		{"оплатили по цену из счета", PriceError, "цена", true},
		{"отправили в сервисный центр", PriceError, "цена", false},
		{"стояли на морозе", CustomerMisuse, "мороз", true},
		{"морозостойкость ниже", CustomerMisuse, "мороз", false},
		{"хранили на улице", CustomerMisuse, "хранил* на улиц*", true},
		{"неправильно подключили", CustomerMisuse, "неправильно подключ*", true},
		{"упаковка не повреждена", TransitDamage, "поврежд*", false},
		// Third revision (lexiconRUCover): indirect statements.
		{"котёл сам отключается", ProductDefect, "сам* отключа*", true},
		{"направляем рекламацию", ProductDefect, "рекламаци*", true},
		{"насосы не выдержали нагрузки", ProductDefect, "не выдержал*", true},
		{"на дисплее выдаёт ошибку", ProductDefect, "выдает ошибк*", true},
		{"паллет пришло на один меньше", WrongQuantity, "на один меньше", true},
		{"просим допоставить остаток", WrongQuantity, "допостав*", true},
		{"коробки оказались пустыми", WrongQuantity, "оказал* пуст*", true},
		{"не оказалось двух мест", WrongQuantity, "не оказалось", true},
		{"при контрольном взвешивании", WrongQuantity, "контрольн* взвешивани*", true},
		{"стояли в неотапливаемом ангаре", CustomerMisuse, "в неотапливаем*", true},
		{"монтаж выполняла сторонняя организация", CustomerMisuse, "сторонн* организаци*", true},
		{"клали без грунтовки", CustomerMisuse, "без грунтовк*", true},
		{"дефект носит эксплуатационный характер", CustomerMisuse, "эксплуатационн* характер*", true},
		{"клиент хранил товар во дворе", CustomerMisuse, "клиент* хранил*", true},
		{"случай не гарантийный", CustomerMisuse, "не гарантийн*", true},
		{"просим прислать акт сверки", Other, "просим прислать акт* сверк*", true},
		{"прошу также прислать акт сверки", Other, "прислать акт* сверк*", true},
		{"просим прислать акт сверки", DocumentError, "акт* сверк*", false},
		{"спасибо за оперативность", Other, "спасибо за оперативн*", true},
		{"подскажите сроки поставки", Other, "подскажите сроки", true},
		{"напоминаем о графике", Other, "напоминаем", true},
		{"мы довольны", Other, "довольн*", true},
		{"мы недовольны", Other, "довольн*", false},
		{"хотя новые", Other, "хотим", false},
		// English: plurals, tenses, hyphens, contractions.
		{"two shortages on this order", WrongQuantity, "shortage*", true},
		{"the order was short-shipped", WrongQuantity, "short ship*", true},
		{"overages on line 2", WrongQuantity, "overage", true},
		{"the warehouse mispicked it", WrongItem, "mispick*", true},
		{"cartons were crushed", TransitDamage, "crush*", true},
		{"a dented drum", TransitDamage, "dent*", true},
		{"the tank leaked", ProductDefect, "leak*", true},
		{"the batch expired", Expiry, "expir*", true},
		{"we were overcharged", PriceError, "overcharg*", true},
		{"the driver spoke rudely", Service, "rude*", true},
		{"it was improperly installed", CustomerMisuse, "improper* install*", true},
		{"the unit doesn't work", ProductDefect, "not work", true},
		{"it didn't work from day one", ProductDefect, "not work", true},
		{"prices went up", PriceError, "price*", true},
		{"this is not what we ordered", WrongItem, "not what we order*", true},
		{"shipment delayed again", LateDelivery, "delay*", true},
		{"the seals were broken", Packaging, "seal", true},
		{"the sealant cured badly", Packaging, "seal", false},
		{"no damage to the pallet", TransitDamage, "damag*", false},
		// Third revision (lexiconENCover): indirect statements.
		{"the label says 24V but inside is 12V", WrongItem, "but inside", true},
		{"our PO called for brass", WrongItem, "po called for", true},
		{"these are not ours", WrongItem, "not ours", true},
		{"9 out of 12 cases", WrongQuantity, "# out of #", true},
		{"the carton was empty, two empty cartons", WrongQuantity, "empty carton*", true},
		{"please ship the balance", WrongQuantity, "ship the balance", true},
		{"we were one box short", WrongQuantity, "one box short", true},
		{"the pump was running dry", CustomerMisuse, "run dry", true},
		{"he miswired the panel", CustomerMisuse, "miswir*", true},
		{"we skipped the primer", CustomerMisuse, "we skipped", true},
		{"the customer stored them outside", CustomerMisuse, "customer stored", true},
		{"this is not a manufacturing defect", CustomerMisuse, "not a manufacturing defect", true},
		{"thanks for the quick turnaround", Other, "quick turnaround", true},
		{"requesting a quote for 500 units", Other, "request a quote", true},
		{"requesting a quote for 500 units", PriceError, "quot*", false},
		{"friendly reminders", Other, "friendly reminder", true},
		{"please send a statement of account", Other, "statement of account", true},
		{"not happy with the finish", Other, "happy with", false},
		{"please help", Other, "pleased", false},
	}
	hand := mustNew(Config{Lexicon: mustLexicon(t, HandTerms())})
	for _, tt := range cases {
		r := hand.Categorize(tt.text, Facts{})
		found := false
		for _, s := range r.Ranked {
			if s.Code != tt.code {
				continue
			}
			for _, e := range s.Evidence {
				if e.Kind == EvidenceTerm && e.Pattern == tt.pattern && !e.Negated {
					found = true
				}
			}
		}
		assert.Equal(t, tt.want, found, "%q: %s %q", tt.text, tt.code, tt.pattern)
	}
}
