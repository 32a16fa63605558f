package crm

import "github.com/crmkit/crmkit/internal/lang"

// Event kinds of complaints. Every one is on the complaint's client's
// timeline, with the complaint as Subject.
const (
	EventComplaintReceived     EventKind = "complaint.received"
	EventComplaintUpdated      EventKind = "complaint.updated"
	EventComplaintStatus       EventKind = "complaint.status_changed"
	EventComplaintCategorized  EventKind = "complaint.categorized"
	EventComplaintRootCause    EventKind = "complaint.root_cause_confirmed"
	EventComplaintActionAdded  EventKind = "complaint.action_added"
	EventComplaintActionDone   EventKind = "complaint.action_completed"
	EventComplaintCompensation EventKind = "complaint.compensation_recorded"
	EventComplaintHeld         EventKind = "complaint.held"
	EventComplaintResumed      EventKind = "complaint.resumed"
)

// describeComplaint describes a complaint event for Event.Describe.
func describeComplaint(e Event, tag string) (string, bool) {
	d := e.Data
	switch e.Kind {
	case EventComplaintReceived:
		en, ru := "complaint received", "получена претензия"
		if s := d["subject"]; s != "" {
			en += " «" + s + "»"
			ru += " «" + s + "»"
		}
		return lang.Pick(tag, en+", severity "+Severity(d["severity"]).Name(tag), ru+", важность: "+Severity(d["severity"]).Name(tag)), true
	case EventComplaintUpdated:
		return lang.Pick(tag, "complaint changed: "+d["fields"], "изменена претензия: "+d["fields"]), true
	case EventComplaintStatus:
		from, to := ComplaintStatus(d["from"]), ComplaintStatus(d["to"])
		en := "complaint " + from.Name(tag) + " → " + to.Name(tag)
		ru := "претензия: «" + from.Name(tag) + "» → «" + to.Name(tag) + "»"
		if o := d["outcome"]; o != "" {
			en += " (" + ResolutionOutcome(o).Name(tag) + ")"
			ru += " (" + ResolutionOutcome(o).Name(tag) + ")"
		}
		return lang.Pick(tag, en, ru), true
	case EventComplaintCategorized:
		return lang.Pick(tag, "complaint categorised: "+d["code"]+" ("+d["confidence"]+")",
			"претензия классифицирована: "+d["code"]+" ("+d["confidence"]+")"), true
	case EventComplaintRootCause:
		return lang.Pick(tag, "root cause confirmed: "+d["code"], "подтверждена причина: "+d["code"]), true
	case EventComplaintActionAdded:
		return lang.Pick(tag, ActionKind(d["kind"]).Name(tag)+" planned: "+d["description"],
			"запланировано "+ActionKind(d["kind"]).Name(tag)+": "+d["description"]), true
	case EventComplaintActionDone:
		return lang.Pick(tag, ActionKind(d["kind"]).Name(tag)+" completed", "выполнено "+ActionKind(d["kind"]).Name(tag)), true
	case EventComplaintCompensation:
		en := CompensationKind(d["kind"]).Name(tag)
		if a := d["amount"]; a != "" {
			en += " " + a
		}
		if r := d["reference"]; r != "" {
			en += " № " + r
		}
		return lang.Pick(tag, "compensation: "+en, "компенсация: "+en), true
	case EventComplaintHeld:
		return lang.Pick(tag, "complaint on hold, waiting for the client: "+d["reason"],
			"претензия приостановлена в ожидании клиента: "+d["reason"]), true
	case EventComplaintResumed:
		en := "complaint resumed; deadlines moved by " + d["paused"] + " of business time"
		ru := "претензия возобновлена; сроки сдвинуты на " + d["paused"] + " рабочего времени"
		if to := ComplaintStatus(d["ended_by_move"]); to != "" {
			en += " (ended by the move to " + to.Name("en") + ")"
			ru += " (при переводе в статус «" + to.Name("ru") + "»)"
		}
		return lang.Pick(tag, en, ru), true
	}
	return "", false
}
