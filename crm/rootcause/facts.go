package rootcause

import (
	"fmt"
	"math"
	"strconv"
)

// Quantity is an optional, non-negative amount of goods (pieces,
// kilograms, metres). The zero Quantity is unknown; use Qty for a known
// one. A known quantity that is negative, NaN or infinite is treated as
// unknown.
type Quantity struct {
	Value float64
	Known bool
}

// Qty returns the known quantity v.
func Qty(v float64) Quantity { return Quantity{Value: v, Known: true} }

func (q Quantity) ok() bool {
	return q.Known && !math.IsNaN(q.Value) && !math.IsInf(q.Value, 0) && q.Value >= 0
}

// Facts are what is known about a claim besides its text: acceptance
// records, the order, inspection results. Every field is optional; the
// zero Facts says nothing. Nonsense values (negative days, NaN
// quantities) are ignored, never an error.
type Facts struct {
	// DaysLate is how many days after the promised date the goods came;
	// zero or less: on time or unknown.
	DaysLate int
	// Ordered, Shipped and Received are quantities of the claimed line.
	Ordered, Shipped, Received Quantity
	// WrongItemReceived: the goods received are not the article ordered
	// (acceptance found another SKU).
	WrongItemReceived bool
	// DocumentDiscrepancy: the shipping or accounting documents do not
	// match the goods or the order.
	DocumentDiscrepancy bool
	// PriceDiscrepancy: the invoiced price differs from the agreed one.
	PriceDiscrepancy bool
	// DamageNotedOnDelivery: damage was recorded in the delivery note or
	// an acceptance act when the goods were handed over by the carrier.
	DamageNotedOnDelivery bool
	// PackagingInadequate: the packaging or labelling did not meet the
	// agreed standard.
	PackagingInadequate bool
	// StorageViolation: the customer stored the goods outside the
	// required conditions (temperature, humidity, stacking).
	StorageViolation bool
	// MisuseFound: an inspection found installation or use against the
	// instructions.
	MisuseFound bool
	// DefectConfirmed: an inspection or laboratory confirmed a
	// manufacturing defect.
	DefectConfirmed bool
	// SpecDeviation: measured parameters are outside the specification.
	SpecDeviation bool
	// ShelfLifeLeftPercent is the share of the shelf life left at
	// delivery, 0–100.
	ShelfLifeLeftPercent Quantity
	// RequiredShelfLifePercent is the share the contract requires at
	// delivery; zero means the default, 50.
	RequiredShelfLifePercent float64
}

// FactRule turns structured facts into evidence for a category. Check
// reports whether the rule fires and, if so, what it saw, in English and
// Russian ("received 92 of 100 shipped"). Weight is in natural-log odds
// like a Term's, but facts are applied after the text engines are
// combined (see Categorizer), so a fact multiplies its category's odds
// by e^Weight whatever the text says. ID is a stable name ("days_late").
type FactRule struct {
	ID     string
	Code   Code
	Weight float64
	Check  func(Facts) (fired bool, detailEN, detailRU string)
}

// Default weights of fact rules: a recorded fact is strong evidence.
const (
	factStrong = 4.0 // odds × 55
	factMedium = 3.0 // odds × 20
)

// DefaultFactRules returns the default fact rules:
//
//	days_late             DaysLate > 0                         LATE_DELIVERY   4
//	received_vs_shipped   Received ≠ Shipped                   QUANTITY        4
//	shipped_vs_ordered    Shipped < Ordered                    QUANTITY        3
//	received_vs_ordered   Received ≠ Ordered, Shipped unknown  QUANTITY        3
//	wrong_item            WrongItemReceived                    WRONG_ITEM      4
//	document_discrepancy  DocumentDiscrepancy                  DOCUMENT_ERROR  4
//	price_discrepancy     PriceDiscrepancy                     PRICE_ERROR     4
//	damage_on_delivery    DamageNotedOnDelivery                TRANSIT_DAMAGE  4
//	packaging_inadequate  PackagingInadequate                  PACKAGING       4
//	storage_violation     StorageViolation                     CUSTOMER_MISUSE 4
//	misuse_found          MisuseFound                          CUSTOMER_MISUSE 4
//	defect_confirmed      DefectConfirmed                      PRODUCT_DEFECT  4
//	spec_deviation        SpecDeviation                        SPEC_MISMATCH   4
//	expired               ShelfLifeLeftPercent ≤ 0             EXPIRY          4
//	short_shelf_life      0 < left < required (default 50%)    EXPIRY          3
func DefaultFactRules() []FactRule {
	flag := func(id string, code Code, get func(Facts) bool, en, ru string) FactRule {
		return FactRule{ID: id, Code: code, Weight: factStrong, Check: func(f Facts) (bool, string, string) {
			return get(f), en, ru
		}}
	}
	return []FactRule{
		{ID: "days_late", Code: LateDelivery, Weight: factStrong, Check: func(f Facts) (bool, string, string) {
			if f.DaysLate <= 0 {
				return false, "", ""
			}
			return true, fmt.Sprintf("delivered %d days late", f.DaysLate), fmt.Sprintf("опоздание на %d дн.", f.DaysLate)
		}},
		{ID: "received_vs_shipped", Code: WrongQuantity, Weight: factStrong, Check: func(f Facts) (bool, string, string) {
			if !f.Received.ok() || !f.Shipped.ok() || f.Received.Value == f.Shipped.Value {
				return false, "", ""
			}
			return true, fmt.Sprintf("received %s of %s shipped", num(f.Received.Value), num(f.Shipped.Value)),
				fmt.Sprintf("получено %s из %s отгруженных", num(f.Received.Value), num(f.Shipped.Value))
		}},
		{ID: "shipped_vs_ordered", Code: WrongQuantity, Weight: factMedium, Check: func(f Facts) (bool, string, string) {
			if !f.Shipped.ok() || !f.Ordered.ok() || f.Shipped.Value >= f.Ordered.Value {
				return false, "", ""
			}
			return true, fmt.Sprintf("shipped %s of %s ordered", num(f.Shipped.Value), num(f.Ordered.Value)),
				fmt.Sprintf("отгружено %s из %s заказанных", num(f.Shipped.Value), num(f.Ordered.Value))
		}},
		{ID: "received_vs_ordered", Code: WrongQuantity, Weight: factMedium, Check: func(f Facts) (bool, string, string) {
			if f.Shipped.ok() || !f.Received.ok() || !f.Ordered.ok() || f.Received.Value == f.Ordered.Value {
				return false, "", ""
			}
			return true, fmt.Sprintf("received %s of %s ordered", num(f.Received.Value), num(f.Ordered.Value)),
				fmt.Sprintf("получено %s из %s заказанных", num(f.Received.Value), num(f.Ordered.Value))
		}},
		flag("wrong_item", WrongItem, func(f Facts) bool { return f.WrongItemReceived },
			"another article was received", "получен другой артикул"),
		flag("document_discrepancy", DocumentError, func(f Facts) bool { return f.DocumentDiscrepancy },
			"documents do not match", "расхождение в документах"),
		flag("price_discrepancy", PriceError, func(f Facts) bool { return f.PriceDiscrepancy },
			"invoiced price differs from the agreed one", "цена в счёте отличается от согласованной"),
		flag("damage_on_delivery", TransitDamage, func(f Facts) bool { return f.DamageNotedOnDelivery },
			"damage noted on delivery", "повреждение отмечено при приёмке от перевозчика"),
		flag("packaging_inadequate", Packaging, func(f Facts) bool { return f.PackagingInadequate },
			"packaging or labelling below standard", "упаковка или маркировка не по стандарту"),
		flag("storage_violation", CustomerMisuse, func(f Facts) bool { return f.StorageViolation },
			"storage conditions violated by the customer", "покупатель нарушил условия хранения"),
		flag("misuse_found", CustomerMisuse, func(f Facts) bool { return f.MisuseFound },
			"inspection found use against instructions", "экспертиза выявила нарушение правил эксплуатации"),
		flag("defect_confirmed", ProductDefect, func(f Facts) bool { return f.DefectConfirmed },
			"manufacturing defect confirmed", "производственный дефект подтверждён"),
		flag("spec_deviation", SpecMismatch, func(f Facts) bool { return f.SpecDeviation },
			"measured parameters outside the specification", "измеренные параметры вне спецификации"),
		{ID: "expired", Code: Expiry, Weight: factStrong, Check: func(f Facts) (bool, string, string) {
			if !f.ShelfLifeLeftPercent.ok() || f.ShelfLifeLeftPercent.Value > 0 {
				return false, "", ""
			}
			return true, "delivered expired", "поставлен с истёкшим сроком годности"
		}},
		{ID: "short_shelf_life", Code: Expiry, Weight: factMedium, Check: func(f Facts) (bool, string, string) {
			left := f.ShelfLifeLeftPercent
			required := f.RequiredShelfLifePercent
			if !(required > 0 && required <= 100) {
				required = 50
			}
			if !left.ok() || left.Value <= 0 || left.Value >= required {
				return false, "", ""
			}
			return true, fmt.Sprintf("%s%% of shelf life left, %s%% required", num(left.Value), num(required)),
				fmt.Sprintf("остаточный срок годности %s%%, требуется %s%%", num(left.Value), num(required))
		}},
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
