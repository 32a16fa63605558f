package rootcause

import (
	"fmt"
	"strings"
	"sync"

	"github.com/crmkit/crmkit/internal/lang"
)

// Code is the stable, machine-readable code of a root-cause category
// ("TRANSIT_DAMAGE"). A host's taxonomy may use codes of its own.
type Code string

// The codes of the default taxonomy.
const (
	ProductDefect  Code = "PRODUCT_DEFECT"
	SpecMismatch   Code = "SPEC_MISMATCH"
	WrongItem      Code = "WRONG_ITEM"
	WrongQuantity  Code = "QUANTITY"
	TransitDamage  Code = "TRANSIT_DAMAGE"
	Packaging      Code = "PACKAGING"
	LateDelivery   Code = "LATE_DELIVERY"
	DocumentError  Code = "DOCUMENT_ERROR"
	PriceError     Code = "PRICE_ERROR"
	Service        Code = "SERVICE"
	Expiry         Code = "EXPIRY"
	CustomerMisuse Code = "CUSTOMER_MISUSE"
	Other          Code = "OTHER"
)

// Party is who usually answers for a category of cause. The constants
// are the parties of the default taxonomy; a host may use others. The
// empty Party means no party is assigned.
type Party string

// The parties of the default taxonomy.
const (
	PartySupplier   Party = "supplier"
	PartyProduction Party = "production"
	PartyWarehouse  Party = "warehouse"
	PartyCarrier    Party = "carrier"
	PartySales      Party = "sales"
	PartyBilling    Party = "billing"
	PartyCustomer   Party = "customer"
)

// Category is one root cause of a taxonomy.
type Category struct {
	Code   Code
	NameEN string
	NameRU string
	// Party is who usually answers for this cause.
	Party Party
	// CustomerCaused marks causes that lie with the customer: a claim
	// categorised so is one to reject.
	CustomerCaused bool
}

// Name returns the category's name in the language of tag.
func (c Category) Name(tag string) string { return lang.Pick(tag, c.NameEN, c.NameRU) }

// Taxonomy is an ordered, immutable set of categories with one fallback
// category (the cause given when nothing points anywhere else). Build one
// with NewTaxonomy or use DefaultTaxonomy. It is safe for concurrent use.
type Taxonomy struct {
	cats     []Category
	index    map[Code]int
	fallback int
}

// maxCategories bounds a taxonomy; real ones have a dozen or two.
const maxCategories = 256

// NewTaxonomy checks and copies the categories. Codes must be non-empty,
// at most 64 bytes of letters, digits, '_', '-' or '.', and unique; both
// names are required; fallback must be one of the codes. Errors match
// ErrInvalidTaxonomy.
func NewTaxonomy(categories []Category, fallback Code) (*Taxonomy, error) {
	if len(categories) == 0 {
		return nil, newError(ErrInvalidTaxonomy, ReasonEmpty, "categories", "", "")
	}
	if len(categories) > maxCategories {
		return nil, newError(ErrInvalidTaxonomy, ReasonTooLarge, "categories", "",
			fmt.Sprintf("at most %d categories", maxCategories))
	}
	t := &Taxonomy{cats: make([]Category, len(categories)), index: make(map[Code]int, len(categories)), fallback: -1}
	for i, c := range categories {
		field := fmt.Sprintf("categories[%d]", i)
		if !validCode(string(c.Code)) {
			reason := ReasonBadPattern
			if c.Code == "" {
				reason = ReasonEmpty
			}
			return nil, newError(ErrInvalidTaxonomy, reason, field+".code", string(c.Code), "")
		}
		if _, dup := t.index[c.Code]; dup {
			return nil, newError(ErrInvalidTaxonomy, ReasonDuplicate, field+".code", string(c.Code), "")
		}
		if strings.TrimSpace(c.NameEN) == "" {
			return nil, newError(ErrInvalidTaxonomy, ReasonEmpty, field+".name_en", "", "")
		}
		if strings.TrimSpace(c.NameRU) == "" {
			return nil, newError(ErrInvalidTaxonomy, ReasonEmpty, field+".name_ru", "", "")
		}
		t.cats[i] = c
		t.index[c.Code] = i
		if c.Code == fallback {
			t.fallback = i
		}
	}
	if t.fallback < 0 {
		return nil, newError(ErrInvalidTaxonomy, ReasonUnknownCode, "fallback", string(fallback), "")
	}
	return t, nil
}

func validCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b == '.') {
			return false
		}
	}
	return true
}

// Categories returns a copy of the categories in order.
func (t *Taxonomy) Categories() []Category { return append([]Category(nil), t.cats...) }

// Len returns the number of categories.
func (t *Taxonomy) Len() int { return len(t.cats) }

// Category returns the category with the code.
func (t *Taxonomy) Category(code Code) (Category, bool) {
	i, ok := t.index[code]
	if !ok {
		return Category{}, false
	}
	return t.cats[i], true
}

// Fallback returns the fallback category.
func (t *Taxonomy) Fallback() Category { return t.cats[t.fallback] }

var defaultTaxonomy = sync.OnceValue(func() *Taxonomy {
	t, err := NewTaxonomy(defaultCategories(), Other)
	if err != nil {
		panic(err) // a literal below is wrong: caught by the tests
	}
	return t
})

// DefaultTaxonomy returns the default taxonomy of B2B goods claims: the
// thirteen codes above, in that order, with OTHER as the fallback. The
// value is shared and immutable.
func DefaultTaxonomy() *Taxonomy { return defaultTaxonomy() }

func defaultCategories() []Category {
	return []Category{
		{ProductDefect, "Product defect", "Производственный брак", PartyProduction, false},
		{SpecMismatch, "Specification mismatch", "Несоответствие спецификации", PartySupplier, false},
		{WrongItem, "Wrong item shipped", "Пересорт (отгружен не тот товар)", PartyWarehouse, false},
		{WrongQuantity, "Quantity discrepancy", "Расхождение по количеству", PartyWarehouse, false},
		{TransitDamage, "Damage in transit", "Повреждение при перевозке", PartyCarrier, false},
		{Packaging, "Packaging or labelling", "Упаковка и маркировка", PartyWarehouse, false},
		{LateDelivery, "Late delivery", "Нарушение срока поставки", PartyCarrier, false},
		{DocumentError, "Document error", "Ошибка в документах", PartyBilling, false},
		{PriceError, "Price error", "Ошибка в цене", PartySales, false},
		{Service, "Service quality", "Качество обслуживания", PartySales, false},
		{Expiry, "Expired or short shelf life", "Истёк или мал остаточный срок годности", PartySupplier, false},
		{CustomerMisuse, "Customer misuse or improper storage", "Нарушение покупателем правил хранения или эксплуатации", PartyCustomer, true},
		{Other, "Other", "Прочее", "", false},
	}
}
