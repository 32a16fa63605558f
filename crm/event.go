package crm

import (
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/store"
)

// EventKind names what happened. Kinds are stable strings a host can
// route on when it publishes events from the outbox.
type EventKind string

// Event kinds of the client base.
const (
	EventClientCreated        EventKind = "client.created"
	EventClientUpdated        EventKind = "client.updated"
	EventStageChanged         EventKind = "client.stage_changed"
	EventTierChanged          EventKind = "client.tier_changed"
	EventOwnerChanged         EventKind = "client.owner_changed"
	EventCreditChanged        EventKind = "client.credit_changed"
	EventOrderRecorded        EventKind = "client.order_recorded"
	EventClientMerged         EventKind = "client.merged"      // on the survivor
	EventClientMergedInto     EventKind = "client.merged_into" // on the merged client
	EventInteractionLogged    EventKind = "interaction.logged"
	EventInteractionCorrected EventKind = "interaction.corrected"
	EventDelegationCreated    EventKind = "delegation.created"
	EventDelegationCancelled  EventKind = "delegation.cancelled"
)

// Event is an entry of a client's timeline: a fact about the client,
// written in the same store write as the change it records, so a host can
// publish events (outbox) without losing one. Events with no ClientID
// (delegations) concern users, not a client, and appear on no timeline.
type Event struct {
	ID       uuid.UUID
	ClientID uuid.UUID
	Kind     EventKind
	// At is when the fact happened: the time of an interaction, or of the
	// change. Timelines are ordered by At, then ID.
	At         time.Time
	RecordedAt time.Time
	Actor      uuid.UUID
	OnBehalfOf uuid.UUID // the principal when a deputy acted
	Subject    uuid.UUID // the record concerned: an interaction, the other client
	// Data holds the kind's details as plain strings: for a stage change
	// "from", "to", "reason"; for an update "fields"; and so on.
	Data map[string]string
}

// Cursor returns the event's position on a timeline.
func (e Event) Cursor() store.Cursor { return store.Cursor{At: e.At, ID: e.ID} }

// Clone returns a deep copy.
func (e Event) Clone() Event {
	out := e
	out.Data = maps.Clone(e.Data)
	return out
}

// Describe returns a one-line account of the event for people, in the
// language of tag.
func (e Event) Describe(tag string) string {
	d := e.Data
	switch e.Kind {
	case EventClientCreated:
		return lang.Pick(tag, "client created as "+Stage(d["stage"]).Name(tag), "клиент создан, стадия «"+Stage(d["stage"]).Name(tag)+"»")
	case EventClientUpdated:
		return lang.Pick(tag, "card changed: "+d["fields"], "изменена карточка: "+d["fields"])
	case EventStageChanged:
		en := "stage " + Stage(d["from"]).Name(tag) + " → " + Stage(d["to"]).Name(tag)
		ru := "стадия «" + Stage(d["from"]).Name(tag) + "» → «" + Stage(d["to"]).Name(tag) + "»"
		if r := d["reason"]; r != "" {
			if l := d["reason_"+lang.Pick(tag, "en", "ru")]; l != "" {
				r = l
			}
			en += " (" + r + ")"
			ru += " (" + r + ")"
		}
		return lang.Pick(tag, en, ru)
	case EventTierChanged:
		from, to := Tier(d["from"]).Name(tag), Tier(d["to"]).Name(tag)
		return lang.Pick(tag, "tier "+from+" → "+to+": "+d["reason"], "категория "+from+" → "+to+": "+d["reason"])
	case EventOwnerChanged:
		return lang.Pick(tag, "handed from "+d["from"]+" to "+d["to"], "передан от "+d["from"]+" к "+d["to"])
	case EventCreditChanged:
		return lang.Pick(tag, "credit profile changed", "изменены кредитные условия")
	case EventOrderRecorded:
		return lang.Pick(tag, "order recorded", "зарегистрирован заказ")
	case EventClientMerged:
		return lang.Pick(tag, "merged with client "+e.Subject.String(), "объединён с клиентом "+e.Subject.String())
	case EventClientMergedInto:
		return lang.Pick(tag, "merged into client "+e.Subject.String(), "объединён в клиента "+e.Subject.String())
	case EventInteractionLogged, EventInteractionCorrected:
		kind := InteractionKind(d["kind"]).Name(tag)
		parts := []string{kind}
		if s := d["subject"]; s != "" {
			parts = append(parts, "«"+s+"»")
		}
		if o := d["outcome"]; o != "" {
			parts = append(parts, "— "+Outcome(o).Name(tag))
		}
		line := strings.Join(parts, " ")
		if e.Kind == EventInteractionCorrected {
			return lang.Pick(tag, "correction: ", "исправление: ") + line
		}
		return line
	case EventDelegationCreated:
		return lang.Pick(tag, "deputy "+d["deputy"]+" stands in for "+d["principal"]+" from "+d["from"]+" to "+d["to"],
			"заместитель "+d["deputy"]+" замещает "+d["principal"]+" с "+d["from"]+" по "+d["to"])
	case EventDelegationCancelled:
		return lang.Pick(tag, "delegation of "+d["principal"]+" to "+d["deputy"]+" cancelled",
			"отменено замещение "+d["principal"]+" заместителем "+d["deputy"])
	}
	if d, ok := describeComplaint(e, tag); ok {
		return d
	}
	return string(e.Kind)
}
