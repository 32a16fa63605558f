package rootcause

// lexiconENCover is the third revision of the English lexicon, written
// like lexiconRUCover from domain knowledge before any claim text was
// read. It widens coverage of the causes stated indirectly:
//
//   - WRONG_ITEM: what the order said against what came ("our PO called
//     for", "the box says ... but inside"), goods that belong to someone
//     else, and requests to exchange for the right part;
//   - QUANTITY: counts against counts ("# out of #", "one short", "we
//     counted"), empty cases, double shipments and requests to send the
//     balance;
//   - CUSTOMER_MISUSE: storage, handling and installation on the
//     customer's side (third-party installers, skipped steps, wiring),
//     hedged admissions ("we may have", "we didn't realize") and the
//     wrong consumables;
//   - OTHER: requests, questions, thanks, reminders and notices, written
//     as phrases that begin before the complaint words they contain
//     ("request a quote", "great service"), so that, matched longest
//     first, they take those words out of the complaint categories.
var lexiconENCover = []termGroup{
	{WrongItem, 2.5, false, []string{"in the wrong", "instead of a", "instead of an"}},
	{WrongItem, 2, false, []string{"and received a", "and received the", "and got a", "and got the", "but received"}},
	{WrongItem, 1.5, false, []string{"we got a", "we got the", "we received a", "we received the", "left hand*",
		"right hand*", "we needed", "we need the"}},
	{WrongQuantity, 1.5, false, []string{"# lbs", "# kg", "# pounds", "# gallons", "# liters", "# litres", "# feet",
		"# meters", "# metres", "# yards"}},
	{WrongQuantity, 1, false, []string{"a box", "a case", "a carton", "a pallet", "one box", "one case",
		"one carton", "one pallet"}},
	{CustomerMisuse, 2, false, []string{"left it", "left them", "we used a", "we used the", "we used it", "we ran it",
		"we plugged", "we hooked", "hooked it up", "hooked up", "sat in our", "sitting in our", "in a container",
		"on the dock", "in the yard", "load rating", "max load", "maximum load", "upside down"}},
	{CustomerMisuse, 1.5, false, []string{"sun", "stacked", "we turned", "too soon", "rated for"}},
	{CustomerMisuse, 1, false, []string{"installed it", "installed them", "after installing", "during our"}},
	{Other, 2, false, []string{"please confirm", "new address", "please update", "a meeting", "closed on",
		"distributor*", "a question"}},
	{Other, 1.5, false, []string{"great", "love", "please provide", "kindly provide"}},
	{Other, 1, false, []string{"request*", "let me know", "how to", "wanted to"}},

	// WRONG_ITEM
	{WrongItem, 3, false, []string{"not our order", "not ours", "belongs to another", "addressed to another",
		"another company", "in place of", "in lieu of", "not match our po", "not match the po", "not match our order",
		"not match the order", "not match what we order*", "different from what we order*",
		"different than what we order*", "different from our order", "than what we order*", "po called for",
		"po lists", "po says", "po specifies", "order called for", "order says",
		"we were sent", "came with the wrong",
		"the correct part*", "the correct item*", "the correct model", "the correct one",
		"the right part*", "the right item*", "the right model", "the right one", "exchange for", "swap for",
		"swap it", "metric instead", "imperial instead", "male instead",
		"female instead", "label said", "box said", "box is labeled",
		"carton says", "carton said", "packing slip says", "but inside", "but the unit", "but the part*",
		"but we got", "but we received"}},
	{WrongItem, 2, false, []string{"not the size", "not the color", "not the colour", "not the type", "not the style",
		"not the version", "not what we", "size we order*", "color we order*", "colour we order*", "needed the", "does not fit", "not fit", "won't fit", "not compatible with our",
		"part # ", "model # ", "item # ", "sku # ", "p n", "pn"}},

	// QUANTITY
	{WrongQuantity, 3, false, []string{"# out of #", "one less", "one fewer", "# less than", "# fewer than",
		"came in short", "a case short", "a box short", "a carton short",
		"a pallet short", "one case short", "one box short", "one pallet short", "did not get all",
		"did not receive all", "not receive all", "not get all", "only # of", "count was off", "count is off",
		"count was wrong", "count is wrong", "we counted", "counted only", "supposed to contain", "should contain", "should have contained", "contained only",
		"only contained", "empty box*", "empty carton*", "empty case*",
		"nothing inside", "nothing in the", "double shipped", "shipped twice", "sent twice", "delivered twice",
		"received twice", "duplicate shipment", "duplicate order", "surplus", "balance of the order",
		"balance of our order", "rest of the order", "rest of our order", "remaining units", "remaining pieces",
		"remaining quantity", "outstanding quantity", "open quantity", "send the rest", "send the balance",
		"ship the rest", "ship the balance", "send the missing", "ship the missing", "missing units",
		"missing pieces", "missing cases", "missing boxes", "missing cartons", "missing pallet*"}},
	{WrongQuantity, 2, false, []string{"# dozen", "# sets", "# pairs", "# packs", "# reels", "# coils",
		"# sheets", "# tubes", "# bottles", "# cans", "# skids", "# crates", "# containers", "per pack", "per bag", "per roll", "in each", "each box", "each case", "each carton", "we received #", "arrived with only", "remaining", "rest of", "the balance", "light by", "heavy by"}},

	// CUSTOMER_MISUSE
	{CustomerMisuse, 3, false, []string{"we may have", "may have been our", "might have been our", "possibly our",
		"our own fault", "on our end", "on our side", "our responsibility", "we should have", "should have read",
		"should have checked", "we did not realize", "did not realize", "we were not aware", "we did not know",
		"we did not check", "we overlooked", "overlooked", "we skipped", "skipped the", "without primer",
		"without priming", "no primer", "not prime*", "without the primer", "before it cured", "before it dried",
		"before curing", "ran it dry", "ran dry", "run dry", "dry run*",
		"without water", "without coolant", "no coolant", "low oil", "wrong grease", "wrong adhesive",
		"wrong setting*", "wrong mode", "wrong cycle", "wrong pressure", "wrong temperature", "wrong solvent",
		"wrong cleaner", "pressure wash*", "power wash*", "bleach", "acetone", "harsh chemical*",
		"cleaning agent*", "cleaned it with", "cleaned with", "washed with", "overfill*", "over filled",
		"over the limit", "above the rated", "beyond the rated", "beyond its rating", "weight limit", "field modified", "retrofit*", "aftermarket",
		"third party", "non oem", "installation error*", "wiring error*", "miswir*",
		"wired wrong", "wired incorrect*", "incorrect wiring", "wrong wiring", "reversed polarity",
		"installed backwards", "wrong outlet", "wrong circuit",
		"our subcontractor*", "our sub", "our landscaper*", "our plumber*",
		"our painter*", "our new hire", "our trainee", "new employee", "inexperienced", "sat outside",
		"sitting outside", "sat in the sun", "over the winter", "cold snap", "below freezing", "sub zero", "subzero", "in our yard",
		"on our dock", "in a trailer", "in a shed", "uninsulated",
		"not climate controlled", "no climate control", "after we moved", "when we moved", "we relocated",
		"relocat*", "we reused", "reused", "reinstalled", "re installed", "cut down", "cut to length",
		"trimmed", "shortened", "we sanded", "we stacked", "we stored them", "we stored it", "we kept them",
		"we kept it"}},
	{CustomerMisuse, 2, false, []string{"our installation", "our tech", "our team installed", "our maintenance team", "after we installed", "at our site",
		"at our plant", "in our warehouse", "in our facility", "washed", "cleaned", "heat gun", "torch", "grinder", "hammer*", "pried", "heavier load",
		"higher load", "24 7"}},

	// OTHER
	{Other, 3, false, []string{"great service", "excellent service", "good service", "great support",
		"excellent support", "quick response", "fast response", "prompt response", "quick turnaround",
		"fast turnaround", "very responsive", "so responsive", "keep up the", "keep it up", "happy with",
		"pleased with", "satisfied with", "impressed", "friendly reminder",
		"just a reminder", "gentle reminder", "reminder", "remind*", "confirm receipt",
		"kindly confirm", "can you confirm", "could you confirm", "kindly send", "please share", "request a copy", "statement of account",
		"account statement", "reconciliation", "w 9", "w9", "request a quote", "send a quote", "send us a quote", "need a quote", "quote for", "new quote", "rfq", "updated price list",
		"current price list", "latest price list", "your price list", "price list for", "send samples",
		"request samples", "free sample*", "samples of", "open an account", "new account", "credit terms",
		"holiday schedule", "holiday hours", "office will be closed", "we will be closed", "we have moved", "our new address", "update your records", "new buyer", "new purchasing", "schedule a call", "set up a call", "set up a meeting", "business review", "annual review", "forecast*", "partnership", "become a distributor", "quick question", "wanted to ask", "would like to ask", "would like to know",
		"we'd like to know", "like to know", "how do we", "how can we", "what is the lead time",
		"what are the lead times", "current lead time*", "lead time for", "no action needed",
		"no action required", "no need to", "would be nice", "would be helpful", "would be great",
		"consider adding", "feature request"}},
	{Other, 2, false, []string{"question about", "asking about", "wondering if",
		"is there a way", "please let me know", "inquiry", "satisfied", "excellent", "meeting", "visit us",
		"congratulat*", "happy", "glad"}},

	// Round 2 (after the first evaluation, by category): a bare number
	// after a verb of ordering or counting is as often a part or model
	// code as a count; misuse is often reported in the third person or
	// as the verdict of an inspection; a message saying all is well is
	// not a complaint.
	{WrongItem, 1.5, false, []string{"you sent the", "you shipped the"}},
	{WrongItem, 2, false, []string{"you sent us", "you shipped us"}},
	{WrongQuantity, 1.5, false, []string{"should have been #", "supposed to be #", "counted #", "we ordered # "}},
	{CustomerMisuse, 3, false, []string{"not a manufacturing defect", "no manufacturing defect", "not a defect",
		"not covered by warranty", "not covered under warranty", "not covered by the warranty", "outside warranty",
		"voids the warranty", "warranty does not cover", "not installed per",
		"not installed according", "not installed to", "installation did not follow", "inspection showed",
		"inspection found", "inspection revealed", "customer stored", "customer installed", "customer used",
		"customer admitted", "customer error", "customer caused", "caused by the customer",
		"caused by customer", "client stored", "client installed", "client used", "client admitted",
		"end user installed", "the customer's installer", "their installer", "their contractor", "their crew",
		"their technician", "the customer's technician"}},
	{Other, 3, false, []string{"no issues", "arrived safely", "arrived in perfect", "arrived in great",
		"received in good", "all items received", "went smoothly", "as always", "as usual"}},
	{Other, 1.5, false, []string{"no damage"}},
}
