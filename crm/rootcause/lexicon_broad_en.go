package rootcause

// lexiconENBroad is the second revision of the English lexicon, written
// like lexiconRUBroad from domain knowledge (receiving, freight claims,
// supplier quality, accounts payable): families of synonyms per cause,
// phrases that settle neighbouring causes ("instead of" with a unit is
// a quantity, with a part a wrong item; packing that failed to protect
// is packaging), the customer's own account of misuse, and the
// vocabulary of notes that are not complaints.
var lexiconENBroad = []termGroup{
	// PRODUCT_DEFECT
	{ProductDefect, 3, false, []string{"quit working", "stopped functioning", "not function*", "manufacturing flaw*",
		"factory defect*", "hairline crack*", "shoddy", "substandard", "under warranty", "warranty claim*",
		"warranty replacement", "rma", "failed after", "failed within", "failing"}},
	{ProductDefect, 2, false, []string{"shorted out", "short* out", "blown", "blew", "fried", "lose pressure",
		"oozing", "fractur*", "sheared", "broke off", "came loose", "loosen*", "misalign*",
		"out of round", "uneven", "inconsistent", "pitting", "pinhole*", "burr*", "squeal*", "humming", "buzzing",
		"clicking", "runs hot", "hot to the touch", "erratic*", "glitch*", "firmware", "reboot*", "delaminated",
		"separat*", "came unglued", "not adher*", "not stick", "not cure", "cracking", "rusting", "corroded",
		"malfunctioning", "faulty unit*", "defective unit*", "inoperative", "no power", "not power* up"}},
	{ProductDefect, 1.5, false, []string{"smell*", "error", "within # weeks", "within # months", "after # months",
		"after # uses", "sharp edges", "poorly made", "poor workmanship"}},

	// SPEC_MISMATCH
	{SpecMismatch, 3, false, []string{"out of tolerance", "outside tolerance", "outside the tolerance", "fail* to meet",
		"below spec", "above spec", "per spec", "not per spec", "spec sheet", "not to specification",
		"not conform*", "nonconform*", "non conform*", "not compl*", "noncomplian*", "non complian*"}},
	{SpecMismatch, 2.5, false, []string{"too thin", "too thick", "too short", "too long", "too narrow", "too wide",
		"too small", "too large", "too big", "too heavy", "too light", "too soft", "too hard", "too loose",
		"too tight"}},
	{SpecMismatch, 2, false, []string{"caliper*", "micrometer", "durometer", "tensile", "alloy", "temper", "color match*", "colour match*", "spec*", "certified", "revision", "# mm", "mm instead", "inch instead",
		"the drawing", "our drawing", "your drawing", "datasheet says", "data sheet says", "catalog says",
		"website says", "listed as", "stated on", "specified", "called for", "required"}},

	// WRONG_ITEM
	{WrongItem, 3, false, []string{"wrong version", "wrong variant", "wrong style", "wrong type", "wrong kind",
		"wrong one", "wrong thing", "wrong items", "incorrect item*", "incorrect part*", "incorrect product*",
		"incorrect model", "incorrect sku", "not the item*", "not the part*", "not the product*", "not the model",
		"not what was ordered", "not what i ordered", "picking error*", "picked wrong",
		"picked the wrong", "mis ship*", "misship*", "shipped in error", "sent in error", "sent the wrong",
		"shipped the wrong", "delivered the wrong", "received the wrong", "swapped", "switched", "another order", "instead of the", "instead of our", "instead of what"}},
	{WrongItem, 2, false, []string{"item number", "catalog number", "catalogue number", "part no", "labeled as",
		"box says", "label says", "inside was", "inside were", "inside is", "what arrived",
		"what we got", "what we received", "instead of #", "# instead of #", "we ordered #", "ordered the",
		"ordered a", "ordered an", "order was for", "po was for", "we asked for", "look alike", "similar looking"}},

	// QUANTITY
	{WrongQuantity, 3, false, []string{"instead of # units", "instead of # pieces", "instead of # pcs",
		"instead of # cases", "instead of # cartons", "instead of # boxes", "instead of # pallets",
		"instead of # rolls", "instead of # bags", "instead of # each", "instead of # ea", "shorted us",
		"came up short", "miscount*", "mis count*", "more than we order*", "more than ordered",
		"less than we order*", "case count", "piece count", "carton count", "pallet count", "unit count",
		"underweight", "short weight", "underfill*", "short fill*", "missing from", "were missing", "was missing",
		"are missing", "not all", "only half", "partial shipment", "partial delivery", "over shipment",
		"short shipment", "over delivery", "short delivery", "too many units"}},
	{WrongQuantity, 2, false, []string{"recount*", "tally", "excess", "twice the", "double the", "half the",
		"weigh*", "net weight", "fill level", "per case", "per box", "per carton", "per pallet",
		"# drums", "# each", "# ea", "# more",
		"# less", "# fewer", "one short", "two short", "one missing", "two missing", "one extra", "two extra",
		"only received", "got only"}},

	// TRANSIT_DAMAGE
	{TransitDamage, 3, false, []string{"freight damage", "shipping damage", "during shipping", "during shipment",
		"during transport*", "during transit", "damaged in shipping", "damaged in transit", "carrier damage",
		"arrived damaged", "arrived broken", "arrived cracked", "arrived in pieces", "arrived crushed",
		"arrived dented", "received damaged", "damage* on arrival", "caved in", "cave* in", "crumpled", "squashed",
		"bashed", "knocked over", "toppled", "pallet collapsed", "fell off the", "fell over", "dropped by"}},
	{TransitDamage, 1, false, []string{"pod", "proof of delivery", "ltl", "ups", "fedex", "dhl", "courier", "shipper"}},
	{TransitDamage, 2, false, []string{"during delivery", "in shipping", "in shipment", "gash*", "busted",
		"water stain*", "broken pallet*", "pallet jack", "dents", "scuff*", "dropped the",
		"torn open", "ripped open"}},

	// PACKAGING
	{Packaging, 3, false, []string{"improper* pack*", "badly packed", "bad packaging", "poor packaging",
		"packed loose", "not packed", "unpacked", "unpackaged", "inadequately", "insufficiently", "corner protector*",
		"edge protector*", "no protection", "without protection", "unprotected", "missing label*", "no label*",
		"label* missing", "wrong label*", "incorrect label*", "unscannable", "not scan*", "upc", "gtin", "sscc",
		"case mark*", "shipping mark*", "palletiz*", "pallet pattern", "stacked too high", "overpacked",
		"underpacked", "packed in", "packed with", "packaged in", "bulk packed", "inner pack*", "outer pack*",
		"retail pack*", "blister pack*", "clamshell*", "packaging failed", "packaging was", "packing was"}},
	{Packaging, 2, false, []string{"divider*", "partition*", "insert*", "protect*", "outer carton*", "inner carton*", "shipping carton*", "shipping box*", "cardboard", "corrugat*",
		"plastic bag*", "poly bag*", "polybag*", "unwrapped", "airbag*", "air pillow*",
		"styrofoam", "lot code*", "case label*", "carton label*", "pallet label*", "printed", "legible"}},

	// LATE_DELIVERY
	{LateDelivery, 3, false, []string{"tardy", "missed delivery", "missed the delivery", "missed our", "# days behind",
		"# weeks behind", "a week late", "a day late", "two weeks late", "not yet receiv*", "not arrived yet",
		"where is our order", "where is the order", "where is our shipment", "status of our order",
		"arrival date", "original date", "requested date", "required date", "need by",
		"took # weeks", "took # days", "a week after", "weeks after", "days after the"}},
	{LateDelivery, 2.5, true, []string{"delivery schedule"}},
	{LateDelivery, 2, false, []string{"past due", "any update", "waiting on", "waiting for", "rush", "urgent*",
		"asap", "install date", "not receiv*", "not yet", "arrived on the", "delivered on the",
		"was promised", "were promised", "promised for", "confirmed for", "scheduled delivery",
		"holding up", "held up", "backlog"}},

	// DOCUMENT_ERROR
	{DocumentError, 3, false, []string{"wrong vat", "wrong tax", "wrong name", "wrong company", "wrong account",
		"wrong bank", "wrong reference", "wrong order number", "wrong invoice number", "wrong customer number",
		"wrong billing", "wrong legal", "invoice date", "invoice number", "tax number", "vat", "iban", "swift",
		"routing number", "correct* invoice*", "resend the invoice", "re send the invoice", "customs clearance",
		"customs broker", "declaration*", "incoterm*", "documentation", "docs", "certificate of", "cert of",
		"reject* the invoice", "reject* our invoice", "invoice was rejected", "cannot book", "cannot process the invoice",
		"three way match", "3 way match", "not attached", "was not included", "were not included"}},
	{DocumentError, 2, false, []string{"company address", "registered address", "legal entity", "bill to address",
		"ship to address", "reference number", "order number", "customer number", "vendor id",
		"supplier id", "pro number", "tracking number", "header", "attach*", "copy of", "resend", "re send",
		"paper*", "pdf", "bol", "misprint*", "incorrect", "sign*", "dated"}},

	// PRICE_ERROR
	{PriceError, 3, false, []string{"wrong price", "incorrect price", "old price", "higher price", "price difference",
		"charged twice", "extra charge*", "additional charge*", "hidden fee*", "delivery charge*", "shipping charge*",
		"handling charge*", "surcharge", "price break", "volume discount", "invoice total", "credit for the",
		"price adjustment", "price agreement", "agreed rate", "agreed price",
		"quoted price", "quoted us", "quote said", "contract rate", "overpriced", "too expensive"}},
	{PriceError, 2, false, []string{"charged for", "charged us for", "billing error", "billed us", "new price",
		"payment terms", "sales tax", "tax exempt*", "exempt*", "per tube", "per item", "per pound", "per kg",
		"per foot", "per meter", "per box price", "each", "cents", "paid", "pay", "invoiced", "billed", "refund"}},

	// SERVICE
	{Service, 3, false, []string{"return* my call*", "return* our call*", "returned call*", "get back to", "got back to",
		"unhelpful", "not helpful", "argued", "argumentative", "yelled", "shouted", "impolite",
		"disrespect*", "arrogant", "hostile", "incompetent", "clueless", "untrained", "poor service", "bad service",
		"terrible service", "awful service", "customer care", "call center", "hotline", "no callback",
		"no call back", "never called", "nobody called", "no one called", "never responded", "never replied",
		"never answered", "not answer*", "not return*", "not call*", "ignored", "ghosted", "brushed off",
		"passed around", "bounced around", "took days to respond", "slow to respond", "slow response"}},
	{Service, 2, false, []string{"tone", "behavior", "behaviour", "manner", "salesperson", "sales team", "inside sales",
		"sales office", "your office", "your staff", "your team", "your rep", "your driver was", "our claim",
		"open claim", "claim number", "chat", "several times", "multiple times", "many times", "repeatedly",
		"weeks ago", "still no", "left a message", "left messages", "emailed", "e mailed", "called", "reach anyone", "reach someone", "reach you", "contact anyone", "me back", "us back"}},

	// EXPIRY
	{Expiry, 3, false, []string{"exp date", "best by", "mfg date", "date of manufacture", "months remaining",
		"remaining life", "gone bad", "past the date", "past date", "past its date", "months before",
		"weeks before", "days before", "sell by date", "near expiry", "short shelf"}},
	{Expiry, 2, false, []string{"manufactured in", "manufactured on", "produced in", "produced on", "mfg", "mold",
		"mould", "sour", "hardened", "dried out", "separated", "months old", "years old"}},

	// CUSTOMER_MISUSE
	{CustomerMisuse, 3, false, []string{"misapplication", "misapplied", "not designed for", "not rated for",
		"not meant for", "over capacity", "overtighten*", "over tighten*", "overtorqu*", "over torqu*",
		"without oil", "without lubrication", "no oil", "no lubrication", "never serviced", "not serviced",
		"not maintained", "never maintained", "never changed", "wrong voltage", "wrong fluid", "wrong oil",
		"incorrect voltage", "wrong power", "our error", "we admit", "to be fair", "our bad", "we forgot",
		"forgot to", "by mistake", "accidentally", "exposed to", "kept outside", "stored outside",
		"left outdoors", "stored outdoors", "direct sun*", "lightning", "we stored", "we kept", "we left",
		"we operated", "we mounted", "we dropped", "we overloaded", "we modified", "we cut", "we drilled",
		"we painted", "we welded", "our contractor*", "our maintenance", "our guys", "our people", "our mechanic*",
		"our electrician*", "our employee*", "our worker*", "in house", "contrary to", "ignored the instruction*",
		"ignored the warning*", "against the instruction*", "against the manual", "against recommendation*",
		"despite the", "not follow the", "without reading"}},
	{CustomerMisuse, 2, false, []string{"incompatible", "not compatible", "frost", "freez*", "winter", "condensation",
		"heat", "uncovered", "unprotected from", "flood*", "roof", "brownout", "generator", "we applied",
		"we mixed", "we tightened", "we used", "we tried", "we replaced", "we adjusted", "we repaired",
		"we opened", "we took", "we put", "we placed", "we let", "installed by", "admit*", "accident*",
		"our plant", "our shop", "our site", "in the field", "jobsite", "job site",
		"outdoors", "exposed", "mistake", "error on our"}},

	// OTHER
	{Other, 3, false, []string{"just wanted", "fyi", "for your information", "for your records", "for your reference",
		"no problems", "no complaints", "nothing wrong", "everything was fine", "everything is fine", "all good",
		"all fine", "in good order", "in good condition", "not a complaint", "heads up",
		"kudos", "great job", "well done", "compliment*", "do you carry", "do you offer", "do you stock",
		"do you sell", "interested in", "is it possible", "would it be possible", "could you send",
		"can you send", "please send us", "price list request", "new contact", "point of contact",
		"contact person", "survey", "trade show", "unsubscribe", "mailing list"}},
	{Other, 2, false, []string{"thank*", "appreciate", "could you", "can you", "would like to", "do you have",
		"looking for", "new product*", "product range", "availability", "in stock", "hours", "opening hours",
		"updated", "update our", "change of", "changing", "account setup", "credit application", "webinar",
		"training", "marketing", "brochure*", "wondering", "curious", "let us know", "please advise if",
		"is there", "are there", "will there", "plan to", "going forward", "next year"}},
}
