package rootcause

// The default English lexicon, written like the Russian one (see
// lexiconRU) from general B2B claims vocabulary: receiving, freight
// claims, quality and accounts-payable language.
var lexiconEN = []termGroup{
	// PRODUCT_DEFECT
	{ProductDefect, 3, false, []string{"defect*", "faulty", "not work", "stop work", "malfunction*", "broke down",
		"break down", "breakdown", "dead on arrival", "doa", "not turn on", "not power on", "short circuit*",
		"inoperable"}},
	{ProductDefect, 2.5, false, []string{"poor quality", "not start", "flaw*", "workmanship"}},
	{ProductDefect, 2, false, []string{"leak*", "peel*", "seized", "intermittent*", "burn* out", "porosity", "porous",
		"delaminat*", "error code"}},
	{ProductDefect, 1.5, false, []string{"fault", "fail*", "crack*", "rust*", "corro*", "warranty", "overheat*",
		"jam*", "nois*", "vibrat*", "burnt", "unusable", "weld*", "blister*"}},
	{ProductDefect, 1, false, []string{"quality", "bubbl*"}},

	// SPEC_MISMATCH
	{SpecMismatch, 3, false, []string{"out of spec", "off spec", "not to spec"}},
	{SpecMismatch, 2.5, false, []string{"spec", "specification*", "tolerance*", "hardness", "datasheet", "data sheet"}},
	{SpecMismatch, 2, false, []string{"dimension*", "diameter", "grade", "not meet", "drawing", "undersize*", "oversize*",
		"viscosity", "density", "purity", "astm"}},
	{SpecMismatch, 1.5, false, []string{"thick*", "rating", "color", "colour", "shade", "gauge", "measur*", "deviat*",
		"wattage", "strength", "composition", "concentration", "din", "psi"}},
	{SpecMismatch, 1, false, []string{"not match", "moisture", "material", "voltage", "finish", "thread*",
		"pitch", "length", "width", "standard", "iso", "requirement*", "rpm", "mm", "micron*"}},

	// WRONG_ITEM
	{WrongItem, 3, false, []string{"wrong item*", "wrong part*", "wrong product*", "wrong model", "wrong sku",
		"not what we order*", "different part*", "different model", "different item*", "different product*",
		"different sku", "mis pick*", "mispick*"}},
	{WrongItem, 2.5, false, []string{"instead of", "mix up", "mixup", "not order", "never order*",
		"wrong size", "wrong color", "wrong colour", "someone else", "another customer"}},
	{WrongItem, 2, false, []string{"substitut*"}},
	{WrongItem, 1.5, false, []string{"wrong", "mislabel*", "part number", "sku", "model number"}},
	{WrongItem, 1, false, []string{"different"}},

	// QUANTITY
	{WrongQuantity, 3, false, []string{"shortage*", "short ship*", "short by", "overage", "too few"}},
	{WrongQuantity, 2.5, false, []string{"fewer", "less than order*", "over ship*", "overship*"}},
	{WrongQuantity, 2, false, []string{"short", "missing", "quantit*", "qty", "only receiv*", "only got", "received only",
		"incomplete", "too many"}},
	{WrongQuantity, 1.5, false, []string{"count", "extra", "partial", "discrepanc*"}},
	{WrongQuantity, 1, false, []string{"pieces", "pcs", "units"}},

	// TRANSIT_DAMAGE
	{TransitDamage, 3, false, []string{"crush*", "dent*", "smash*", "shatter*", "rough handling"}},
	{TransitDamage, 2.5, false, []string{"punctur*", "tipped over", "water damage", "mangled"}},
	{TransitDamage, 1, false, []string{"carrier", "in transit", "en route", "bill of lading"}},
	{TransitDamage, 2, false, []string{"damag*", "broken", "forklift*", "bol", "gouge*", "fell off", "soaked",
		"chipped", "bent"}},
	{TransitDamage, 1.5, false, []string{"transit", "freight", "driver", "truck*", "scratch*", "shifted", "wet", "ripped", "torn",
		"delivery receipt", "handling", "unload*"}},
	{TransitDamage, 1, false, []string{"exception"}},

	// PACKAGING
	{Packaging, 3, true, []string{"barcode*", "bar code*"}},
	{Packaging, 3, false, []string{"poor* pack*", "inadequate* pack*", "insufficient* pack*",
		"unlabel*"}},
	{Packaging, 2, true, []string{"label*"}},
	{Packaging, 2.5, true, []string{"dunnage", "void fill"}},
	{Packaging, 2, false, []string{"packag*", "sticker*", "mislabel*", "marking*", "strapping"}},
	{Packaging, 2, true, []string{"padding", "cushion*", "bubble wrap"}},
	{Packaging, 1.5, false, []string{"packing", "repack*", "carton*", "crate*", "shrink wrap*",
		"stretch wrap*", "seal", "wrapping", "loose"}},
	{Packaging, 1, false, []string{"box*", "container*", "drum*", "bag*", "lid*", "pallet*"}},

	// LATE_DELIVERY
	{LateDelivery, 3, false, []string{"late", "delay*", "behind schedule", "still waiting"}},
	{LateDelivery, 2.5, false, []string{"overdue", "not arriv*", "never arriv*", "fail* to deliver*", "fail* to ship*"}},
	{LateDelivery, 2, false, []string{"deadline*", "eta", "reschedul*", "postpon*", "backorder*", "back order*",
		"not deliver*"}},
	{LateDelivery, 2, true, []string{"delivery date*", "ship date*", "lead time*", "delivery window*"}},
	{LateDelivery, 1.5, false, []string{"missed", "still not", "waiting", "promised", "not ship*", "downtime",
		"line down", "expedit*", "slipped", "push* back"}},
	{LateDelivery, 1.5, true, []string{"on time"}},
	{LateDelivery, 1, false, []string{"weeks", "tracking"}},

	// DOCUMENT_ERROR
	{DocumentError, 3, true, []string{"paperwork", "commercial invoice*"}},
	{DocumentError, 2, true, []string{"packing list*", "packing slip*"}},
	{DocumentError, 2.5, true, []string{"delivery note*", "document*", "certificate*", "coa", "coc", "sds", "msds",
		"safety data sheet*", "waybill*"}},
	{DocumentError, 2.5, false, []string{"po number", "purchase order number", "tax id", "vat number", "vat id",
		"hs code", "typo*"}},
	{DocumentError, 2, true, []string{"customs"}},
	{DocumentError, 2, false, []string{"bill to", "misspell*", "credit note*", "credit memo*", "duplicate invoice*",
		"asn", "edi", "consignee", "legal name", "billing address"}},
	{DocumentError, 1.5, true, []string{"invoice*", "signature*"}},
	{DocumentError, 1.5, false, []string{"ship to", "reference", "company name"}},
	{DocumentError, 1, true, []string{"lot number*", "serial number*", "stamp*", "form"}},
	{DocumentError, 1, false, []string{"address"}},

	// PRICE_ERROR
	{PriceError, 3, false, []string{"overcharg*", "overbill*", "discount*", "price list*", "unit price*",
		"contract price*"}},
	{PriceError, 2.5, false, []string{"price*", "pricing", "surcharg*", "billed twice", "double bill*", "double charg*",
		"rebate*", "markup"}},
	{PriceError, 2, false, []string{"quot*", "expensive"}},
	{PriceError, 1.5, false, []string{"charged", "bill*", "per unit", "cost*", "fee*", "agreed", "tariff*", "rounding"}},
	{PriceError, 1, false, []string{"charge*", "rate", "more than", "higher than", "refund*", "credit", "tax", "dollar*",
		"usd", "payment*", "amount*", "total", "difference"}},

	// SERVICE
	{Service, 3, false, []string{"rude*", "customer service", "no response", "no reply", "no answer", "not respond*",
		"unresponsive", "unanswered", "unprofessional"}},
	{Service, 2.5, false, []string{"account manager*", "sales rep*", "call back", "callback", "ignor*", "help desk",
		"helpdesk", "voicemail*", "attitude"}},
	{Service, 2, false, []string{"support", "technician*", "service", "follow up", "courte*", "commissioning"}},
	{Service, 1.5, false, []string{"rep", "representative*", "install*", "on hold", "staff", "ticket*", "escalat*",
		"onsite", "on site", "nobody", "no one", "communicat*", "responsive*"}},
	{Service, 1, false, []string{"email*", "visit", "reply", "answer*", "contact*", "phone"}},

	// EXPIRY
	{Expiry, 3, false, []string{"expir*", "short dat*", "remaining shelf"}},
	{Expiry, 3, true, []string{"shelf life", "best before"}},
	{Expiry, 2.5, true, []string{"use by", "sell by"}},
	{Expiry, 2.5, false, []string{"out of date", "old stock", "month* left"}},
	{Expiry, 2, true, []string{"manufactur* date*", "production date*", "date code*", "lot date*"}},
	{Expiry, 2, false, []string{"stale", "rancid", "moldy", "mildew", "day* left"}},
	{Expiry, 1.5, false, []string{"outdated", "spoil*", "fresh*"}},
	{Expiry, 1, false, []string{"aged"}},

	// CUSTOMER_MISUSE
	{CustomerMisuse, 3, false, []string{"misuse*", "incorrect* install*", "install* incorrect*", "improper* install*",
		"install* improper*", "abuse*", "negligen*", "operator error", "user error", "our fault", "our mistake",
		"warranty void*"}},
	{CustomerMisuse, 2.5, false, []string{"not follow*", "overload*", "not intended", "rated capacity",
		"unauthorized"}},
	{CustomerMisuse, 2.5, true, []string{"storage condition*"}},
	{CustomerMisuse, 2, false, []string{"improper*", "outdoor*", "our end", "our side", "our technician*", "modif*",
		"tamper*", "mishandl*", "not recommend*"}},
	{CustomerMisuse, 1.5, false, []string{"stored", "exceed*", "our staff", "our team", "dropped", "humidity", "rain",
		"void"}},
	{CustomerMisuse, 1.5, true, []string{"instruction*", "manual", "maintenance"}},
	{CustomerMisuse, 1, false, []string{"outside", "beyond", "capacity"}},
	{CustomerMisuse, 1, true, []string{"storage", "temperature*", "recommend*"}},

	// OTHER
	{Other, 2, false, []string{"newsletter"}},
	{Other, 1.5, false, []string{"suggest*", "feedback", "inquir*", "website", "portal", "catalog*"}},
	{Other, 1, false, []string{"question*", "general"}},
}

// Added after the first evaluation, like lexiconRUDescriptive: general
// descriptive vocabulary and phrases with numbers.
var lexiconENDescriptive = []termGroup{
	// PRODUCT_DEFECT
	{ProductDefect, 2.5, false, []string{"fell apart", "came apart", "wore out", "premature*", "burning smell"}},
	{ProductDefect, 2, false, []string{"snapped", "stripped", "flaking", "warped", "bulging", "swollen", "spark*",
		"smok*", "not hold", "not seal", "not close", "worn", "after # hours", "first use", "out of the box",
		"not charg*", "not heat*", "not cool*", "not spin", "not light", "dead", "died", "lost pressure", "seep*",
		"crumbl*", "brittle", "contaminat*"}},
	{ProductDefect, 1.5, false, []string{"split", "fading", "tripped", "stuck", "binding", "rattl*", "wobbl*",
		"not open", "after # days", "after # weeks", "within # days", "stopped", "drip*", "discolor*", "foreign",
		"debris"}},

	// SPEC_MISMATCH
	{SpecMismatch, 3, false, []string{"approved sample", "golden sample"}},
	{SpecMismatch, 2, false, []string{"supposed to be", "thinner", "thicker", "test report", "submittal", "rohs"}},
	{SpecMismatch, 1.5, false, []string{"should be", "advertised", "stated", "nominal", "shorter", "wider", "narrower",
		"heavier", "lighter", "softer", "harder", "darker", "lab", "tested", "sample", "ul"}},
	{SpecMismatch, 1, false, []string{"inch*", "longer"}},

	// WRONG_ITEM
	{WrongItem, 3, false, []string{"different brand", "different manufacturer"}},
	{WrongItem, 2, false, []string{"alternate"}},
	{WrongItem, 1.5, false, []string{"we order", "sent us", "shipped us", "turned out", "contents", "another",
		"equivalent", "not the"}},

	// QUANTITY
	{WrongQuantity, 3, false, []string{"# of #", "# short", "# missing", "# too many"}},
	// A bare number after "instead of" is as often a part or size code as a
	// count (third revision): level with WRONG_ITEM, which wins the tie.
	{WrongQuantity, 2, false, []string{"instead of #"}},
	{WrongQuantity, 2.5, false, []string{"only #"}},
	{WrongQuantity, 2, false, []string{"# units", "# pieces", "# pcs", "# cartons", "# cases", "ordered #",
		"received #", "invoiced for #", "billed for #", "paid for #", "short on", "over by", "extra #", "# extra"}},
	{WrongQuantity, 1.5, false, []string{"# boxes", "# pallets", "# rolls", "# bags", "shipped #", "packing list says",
		"empty"}},
	{WrongQuantity, 1, false, []string{"per the packing list", "per the invoice", "per the bol"}},

	// TRANSIT_DAMAGE
	{TransitDamage, 3, false, []string{"damage noted", "load shifted", "freight claim", "concealed damage",
		"shock indicator", "shockwatch"}},
	{TransitDamage, 2.5, false, []string{"during unloading", "collaps*", "fork* hole*"}},
	{TransitDamage, 2, false, []string{"tipped", "leaning", "forks", "trailer", "tilt*", "shock*"}},
	{TransitDamage, 1.5, false, []string{"signed for", "noted", "hole*", "refused", "impact", "rough*"}},

	// PACKAGING
	{Packaging, 3, false, []string{"flimsy", "unreadable", "illegible", "this side up"}},
	{Packaging, 2.5, false, []string{"single wall", "not secured", "unsecured", "loose inside", "overhang*",
		"smudged"}},
	{Packaging, 2, false, []string{"foam", "peanuts", "banding", "faint*", "fragile", "orientation", "hazmat"}},
	{Packaging, 1.5, false, []string{"thin", "weak", "stack*", "tape", "print*", "scan*",
		"language"}},

	// LATE_DELIVERY
	{LateDelivery, 3, false, []string{"# days late", "# weeks late", "supposed to arrive", "supposed to ship",
		"liquidated damages"}},
	{LateDelivery, 2.5, false, []string{"was due", "commit date", "promise date"}},
	{LateDelivery, 2, false, []string{"# days after", "due on", "scheduled for", "idle", "stopped production",
		"penalt*", "missed the", "behind"}},
	{LateDelivery, 1.5, false, []string{"scheduled", "committed", "arrived on", "standby", "shutdown", "appointment",
		"slot", "next week"}},
	{LateDelivery, 1.5, true, []string{"due date"}},

	// DOCUMENT_ERROR
	{DocumentError, 3, false, []string{"wrong po", "reissue", "re issue", "corrected invoice", "revised invoice",
		"mill cert*"}},
	{DocumentError, 2.5, false, []string{"wrong invoice", "missing po", "country of origin", "tariff code",
		"bank details"}},
	{DocumentError, 2.5, true, []string{"cert", "test cert*"}},
	{DocumentError, 2, false, []string{"incorrect address", "wrong address", "wrong date", "amend*", "spelled",
		"ein", "remit*", "vendor number"}},
	{DocumentError, 1.5, false, []string{"mismatch", "name on", "origin", "account number"}},
	{DocumentError, 1, false, []string{"po"}},

	// PRICE_ERROR
	{PriceError, 3, false, []string{"price increase", "list price", "net price", "overpa*"}},
	{PriceError, 2.5, false, []string{"invoiced at", "billed at", "freight charge*", "handling fee",
		"restocking fee"}},
	{PriceError, 2, false, []string{"charged us", "credit back", "promo*"}},
	{PriceError, 1.5, false, []string{"per piece", "increase", "raised", "owed", "tier", "coupon"}},
	{PriceError, 1, false, []string{"contract"}},

	// SERVICE
	{Service, 3, false, []string{"never heard back", "hung up", "runaround", "dismissive", "condescending"}},
	{Service, 2.5, true, []string{"heard back"}},
	{Service, 2.5, false, []string{"left messag*"}},
	{Service, 2, false, []string{"transferred", "excuses", "supervisor", "case number", "claim process"}},
	{Service, 1.5, false, []string{"apolog*", "manager", "days ago"}},
	{Service, 1, false, []string{"call*", "message*"}},

	// EXPIRY
	{Expiry, 3, true, []string{"minimum shelf", "code date"}},
	{Expiry, 2, true, []string{"shelf"}},
	{Expiry, 2, false, []string{"last year", "julian"}},
	{Expiry, 1.5, false, []string{"date on", "dated", "older"}},
	{Expiry, 1, false, []string{"old", "lot", "batch"}},

	// CUSTOMER_MISUSE
	{CustomerMisuse, 3, false, []string{"in the rain", "lack of maintenance", "power surge", "voltage spike",
		"customer pickup"}},
	{CustomerMisuse, 2.5, false, []string{"left outside", "unheated", "our operator*", "our crew", "our installer*",
		"our driver*", "our forklift*"}},
	{CustomerMisuse, 2, false, []string{"in the sun", "froz*", "damp", "our own", "ourselves", "we install*",
		"we connect*", "we ran", "ran it", "plugged into", "dropped it", "disassembl*", "took apart", "thaw*",
		"defrost*"}},
	{CustomerMisuse, 1.5, false, []string{"left out", "lubric*", "our warehouse", "we use*", "surge"}},
}
