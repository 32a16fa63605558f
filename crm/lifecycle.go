package crm

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Stage is where a client stands in its lifecycle:
//
//	Lead → Qualified → Negotiation → Customer → Dormant → Churned
//	  └───────┴────────────┴──→ Lost (with a reason) ──→ reopened
//
// Forward moves inside the funnel may skip steps (a lead that orders on
// the first call becomes a customer at once). Lost is reachable from the
// first three stages and needs a reason from the catalogue; reopening a
// lost client returns it to a funnel stage (by default the one it was lost
// from) and clears the reason. Dormant and Churned return to Customer on
// reactivation. Dormant and Churned can also be derived from order
// activity by an ActivityPolicy.
type Stage string

// Lifecycle stages.
const (
	StageLead        Stage = "lead"
	StageQualified   Stage = "qualified"
	StageNegotiation Stage = "negotiation"
	StageCustomer    Stage = "customer"
	StageDormant     Stage = "dormant"
	StageChurned     Stage = "churned"
	StageLost        Stage = "lost"
)

var stages = newEnum(
	ev(StageLead, "lead", "лид"),
	ev(StageQualified, "qualified", "квалифицирован"),
	ev(StageNegotiation, "negotiation", "переговоры"),
	ev(StageCustomer, "customer", "клиент"),
	ev(StageDormant, "dormant", "спящий"),
	ev(StageChurned, "churned", "ушедший"),
	ev(StageLost, "lost", "потерян"),
)

// Stages returns every stage in lifecycle order.
func Stages() []Stage { return stages.all() }

// Valid reports whether s is a defined stage.
func (s Stage) Valid() bool { return stages.valid(s) }

// Name returns the stage's name in the language of tag.
func (s Stage) Name(tag string) string { return stages.name(s, tag) }

var transitions = map[Stage][]Stage{
	StageLead:        {StageQualified, StageNegotiation, StageCustomer, StageLost},
	StageQualified:   {StageNegotiation, StageCustomer, StageLost},
	StageNegotiation: {StageCustomer, StageLost},
	StageCustomer:    {StageDormant, StageChurned},
	StageDormant:     {StageCustomer, StageChurned},
	StageChurned:     {StageCustomer},
	StageLost:        {StageLead, StageQualified, StageNegotiation},
}

// Next returns the stages a client may move to from s.
func (s Stage) Next() []Stage { return slices.Clone(transitions[s]) }

// CanMove reports whether a client may move from one stage to another.
func CanMove(from, to Stage) bool { return slices.Contains(transitions[from], to) }

// StageChange is one entry of a client's stage log. The first entry of
// every log has an empty From: the stage the client was created in.
type StageChange struct {
	From, To   Stage
	At         time.Time
	By         uuid.UUID
	OnBehalfOf uuid.UUID // the principal when a deputy acted
	// Reason is a lost-reason code when To is StageLost; "activity_policy"
	// for a stage derived by the ActivityPolicy; "order" for a reactivation
	// by an order; otherwise free text from the caller, possibly empty.
	Reason     string
	Note       string
	Competitor string // who won, when the client was lost to a competitor
	Derived    bool   // made by the ActivityPolicy, not by a person
}

// StageMove is a requested stage change.
type StageMove struct {
	To Stage
	// Reason: for StageLost, a code from the lost-reason catalogue
	// (required); for other stages, optional free text.
	Reason string
	// Note: required when the lost reason says so ("other").
	Note string
	// Competitor: optional; who the client went to.
	Competitor string
}

// LostInfo is why a client was lost; kept while the client is Lost.
type LostInfo struct {
	Reason     string // code from the catalogue
	Note       string
	Competitor string
	From       Stage // the stage the client was lost from
	At         time.Time
}

// LostReason is an entry of the managed catalogue of reasons for losing a
// client.
type LostReason struct {
	Code      string
	EN, RU    string
	NeedsNote bool // the reason must be explained in a note ("other")
}

// DefaultLostReasons is the catalogue used when the host gives none.
func DefaultLostReasons() []LostReason {
	return []LostReason{
		{Code: "price", EN: "price too high", RU: "высокая цена"},
		{Code: "competitor", EN: "chose a competitor", RU: "выбрал конкурента"},
		{Code: "no_budget", EN: "no budget", RU: "нет бюджета"},
		{Code: "no_need", EN: "no need", RU: "нет потребности"},
		{Code: "no_response", EN: "stopped responding", RU: "перестал выходить на связь"},
		{Code: "timing", EN: "not now", RU: "неподходящее время"},
		{Code: "terms", EN: "payment or delivery terms", RU: "условия оплаты или поставки"},
		{Code: "product_fit", EN: "product does not fit", RU: "продукт не подходит"},
		{Code: "other", EN: "other", RU: "другое", NeedsNote: true},
	}
}

// ReasonActivityPolicy and ReasonOrder are the Reason of stage changes
// made by the activity policy and by a recorded order.
const (
	ReasonActivityPolicy = "activity_policy"
	ReasonOrderPlaced    = "order"
)

// ActivityPolicy derives Dormant and Churned from order activity: a
// customer with no order for DormantAfterDays days is dormant, and for
// ChurnedAfterDays days churned. Days are whole calendar days in Location
// (UTC if nil) between the later of the last order and the last time the
// client became a customer (so a manual reactivation is a fresh start)
// and the as-of date; at exactly N days the rule applies. The policy only
// moves clients down (customer → dormant → churned); an order recent
// enough to keep the client active brings them back
// (Service.RecordOrder). A zero number of days switches that rule off.
type ActivityPolicy struct {
	DormantAfterDays int
	ChurnedAfterDays int
	Location         *time.Location
}

// DefaultActivityPolicy returns the default policy: dormant after 90 days without an order, churned
// after 180.
func DefaultActivityPolicy() ActivityPolicy {
	return ActivityPolicy{DormantAfterDays: 90, ChurnedAfterDays: 180}
}

func (p ActivityPolicy) validate() error {
	if p.DormantAfterDays < 0 {
		return invalid("activity_policy.dormant_after_days", ReasonNegative, "")
	}
	if p.ChurnedAfterDays < 0 {
		return invalid("activity_policy.churned_after_days", ReasonNegative, "")
	}
	if p.DormantAfterDays > 0 && p.ChurnedAfterDays > 0 && p.ChurnedAfterDays <= p.DormantAfterDays {
		return invalidf("activity_policy.churned_after_days", ReasonConflict, "", "must be longer than dormant_after_days")
	}
	return nil
}

// Derive returns the stage the policy gives the client as of asOf, and
// the number of days it judged by: since the later of the last order and
// the last time the client became a customer (so a manual reactivation
// is a fresh start). Clients outside Customer, Dormant and Churned keep
// their stage.
func (p ActivityPolicy) Derive(c Client, asOf time.Time) (Stage, int) {
	rank := map[Stage]int{StageCustomer: 0, StageDormant: 1, StageChurned: 2}
	current, ok := rank[c.Stage]
	if !ok {
		return c.Stage, 0
	}
	// Days count from the later of the last order and the last time the
	// client became a customer: a manual reactivation is a fresh start.
	ref := c.LastOrderAt
	if bc := becameCustomer(c.StageLog); bc.After(ref) {
		ref = bc
	}
	if ref.IsZero() {
		return c.Stage, 0
	}
	loc := p.Location
	if loc == nil {
		loc = time.UTC
	}
	days := DateOf(ref, loc).DaysUntil(DateOf(asOf, loc))
	derived := 0
	if p.DormantAfterDays > 0 && days >= p.DormantAfterDays {
		derived = 1
	}
	if p.ChurnedAfterDays > 0 && days >= p.ChurnedAfterDays {
		derived = 2
	}
	if derived <= current {
		return c.Stage, days
	}
	return []Stage{StageCustomer, StageDormant, StageChurned}[derived], days
}

// becameCustomer returns when the client last entered StageCustomer.
func becameCustomer(log []StageChange) time.Time {
	for i := len(log) - 1; i >= 0; i-- {
		if log[i].To == StageCustomer {
			return log[i].At
		}
	}
	return time.Time{}
}

// StageDurations returns how long the client spent in each stage
// according to its log, as of asOf: the stage in force at asOf counts up
// to it, and changes after asOf are ignored. A stage entered several
// times adds up.
func StageDurations(log []StageChange, asOf time.Time) map[Stage]time.Duration {
	out := map[Stage]time.Duration{}
	for i, ch := range log {
		end := asOf
		if i+1 < len(log) && log[i+1].At.Before(asOf) {
			end = log[i+1].At
		}
		if end.After(ch.At) {
			out[ch.To] += end.Sub(ch.At)
		}
	}
	return out
}
