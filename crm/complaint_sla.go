package crm

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/crmkit/crmkit/crm/worktime"
	"github.com/crmkit/crmkit/internal/lang"
)

// ComplaintSLA is how long complaints may take: to acknowledge and to
// resolve, counted in business time on a working calendar in a stated
// time zone (see package worktime: a complaint received on Saturday
// counts from Monday morning).
type ComplaintSLA struct {
	// Calendar is the working calendar the terms are counted on; its
	// Location is the zone the SLA is stated in.
	Calendar worktime.Calendar
	// Default are the terms of a severity not in BySeverity.
	Default SLATerms
	// BySeverity overrides the terms per severity.
	BySeverity map[Severity]SLATerms
}

// DefaultComplaintSLA returns the default SLA: Moscow time (UTC+3), 09:00–13:00 and 14:00–18:00
// Monday to Friday, no holidays (a host adds its production calendar);
// one business day to acknowledge and ten to resolve, tightened for high
// (4 hours, 5 days) and critical (2 hours, 3 days) complaints.
func DefaultComplaintSLA() ComplaintSLA {
	msk := time.FixedZone("MSK", 3*60*60)
	day := 8 * time.Hour
	return ComplaintSLA{
		Calendar: worktime.Standard(msk, worktime.Hours(9, 0, 13, 0), worktime.Hours(14, 0, 18, 0)),
		Default:  SLATerms{Acknowledge: day, Resolve: 10 * day},
		BySeverity: map[Severity]SLATerms{
			SeverityHigh:     {Acknowledge: 4 * time.Hour, Resolve: 5 * day},
			SeverityCritical: {Acknowledge: 2 * time.Hour, Resolve: 3 * day},
		},
	}
}

// Terms returns the terms for a severity.
func (p ComplaintSLA) Terms(s Severity) SLATerms {
	if t, ok := p.BySeverity[s]; ok {
		return t
	}
	return p.Default
}

// slaPolicy is a checked ComplaintSLA with its compiled calendar.
type slaPolicy struct {
	ComplaintSLA
	schedule *worktime.Schedule
}

func (p ComplaintSLA) compile() (*slaPolicy, error) {
	sched, err := worktime.New(p.Calendar)
	if err != nil {
		var we *worktime.Error
		if errors.As(err, &we) {
			return nil, &ValidationError{Field: "complaint_sla.calendar." + we.Field, Reason: Reason(we.Reason), Value: we.Value, Err: err}
		}
		return nil, err
	}
	check := func(field string, t SLATerms) error {
		switch {
		case t.Acknowledge <= 0:
			return invalid(field+".acknowledge", ReasonRange, t.Acknowledge.String())
		case t.Resolve <= 0:
			return invalid(field+".resolve", ReasonRange, t.Resolve.String())
		case t.Resolve < t.Acknowledge:
			return invalidf(field+".resolve", ReasonConflict, t.Resolve.String(), "shorter than the time to acknowledge (%s)", t.Acknowledge)
		}
		return nil
	}
	if err := check("complaint_sla.default", p.Default); err != nil {
		return nil, err
	}
	for s, t := range p.BySeverity {
		if !s.Valid() {
			return nil, invalid("complaint_sla.by_severity", ReasonUnknownValue, string(s))
		}
		if err := check("complaint_sla.by_severity."+string(s), t); err != nil {
			return nil, err
		}
	}
	// Keep a copy of the overrides: the caller's map may change later.
	p.BySeverity = maps.Clone(p.BySeverity)
	return &slaPolicy{ComplaintSLA: p, schedule: sched}, nil
}

// deadlines sets the complaint's SLA terms and deadlines from its
// severity and receipt, moved by the holds that have ended.
func (p *slaPolicy) deadlines(c *Complaint) {
	t := p.Terms(c.Severity)
	c.SLA = t
	c.SLAZone = p.schedule.Location().String()
	c.AcknowledgeDue = instant(p.schedule.Add(c.ReceivedAt, t.Acknowledge))
	c.ResolveDue = instant(p.schedule.Add(c.ReceivedAt, t.Resolve))
	for _, h := range c.Holds {
		if !h.Active() {
			c.AcknowledgeDue, c.ResolveDue = shiftedDeadlines(*c, p.schedule, h.From, h.To, h.Paused)
		}
	}
}

// owedAt reports whether a deadline done at done (zero: not done) was
// still owed at the instant from.
func owedAt(done, from time.Time) bool { return done.IsZero() || done.After(from) }

// shiftedDeadlines returns the complaint's deadlines after a hold that
// began at from and lasted until to (or, for a hold that still lasts, is
// judged as if it ended at to), covering paused of business time. A
// deadline still owed at to moves later by paused on the calendar (nil:
// by elapsed time). One done during the hold moves only by the business
// time from the hold's start to when it was done: its clock stopped at
// from and the work ended it, so a deadline breached before the hold
// stays breached. Deadlines not set, or done before the hold, stay.
func shiftedDeadlines(c Complaint, sched *worktime.Schedule, from, to time.Time, paused time.Duration) (ack, resolve time.Time) {
	shift := func(due, done time.Time) time.Time {
		if due.IsZero() || paused <= 0 || !owedAt(done, from) {
			return due
		}
		by := paused
		if !done.IsZero() && done.Before(to) {
			by = pausedBetween(sched, from, done)
		}
		if by <= 0 {
			return due
		}
		if sched == nil {
			return due.Add(by)
		}
		return instant(sched.Add(due, by))
	}
	return shift(c.AcknowledgeDue, c.AcknowledgedAt), shift(c.ResolveDue, c.ResolvedAt)
}

// pausedBetween is the business time from a to b on the calendar (nil:
// elapsed time), never negative.
func pausedBetween(sched *worktime.Schedule, a, b time.Time) time.Duration {
	var d time.Duration
	if sched == nil {
		d = b.Sub(a)
	} else {
		d = sched.Between(a, b)
	}
	return max(d, 0)
}

// SLAState is where a deadline stands.
type SLAState string

// SLA states.
const (
	SLADue      SLAState = "due"      // not done, deadline not passed
	SLAMet      SLAState = "met"      // done by the deadline
	SLABreached SLAState = "breached" // done late, or not done and the deadline passed
	SLAOnHold   SLAState = "on_hold"  // not done, the complaint is on hold, not breached before the hold
)

var slaStates = newEnum(
	ev(SLADue, "due", "в работе"),
	ev(SLAMet, "met", "соблюдён"),
	ev(SLABreached, "breached", "нарушен"),
	ev(SLAOnHold, "on hold", "приостановлен"),
)

// Name returns the state's name in the language of tag.
func (s SLAState) Name(tag string) string { return slaStates.name(s, tag) }

// DeadlineKind names a complaint deadline.
type DeadlineKind string

// Deadlines.
const (
	DeadlineAcknowledge DeadlineKind = "acknowledge"
	DeadlineResolve     DeadlineKind = "resolve"
)

// DeadlineStatus is one deadline of a complaint as of an instant.
type DeadlineStatus struct {
	Kind   DeadlineKind
	Due    time.Time
	DoneAt time.Time // zero while not done
	State  SLAState
	// Margin is business time: how long is left (due), how early it was
	// done (met, zero or more), or how late (breached, negative).
	Margin time.Duration
}

// Code returns the stable code "<deadline>_<state>", such as
// "acknowledge_met", "resolve_breached" or "resolve_on_hold".
func (d DeadlineStatus) Code() string { return string(d.Kind) + "_" + string(d.State) }

// Message explains the deadline in the language of tag.
func (d DeadlineStatus) Message(tag string) string {
	kindEN, kindRU := "acknowledge", "подтвердить получение"
	if d.Kind == DeadlineResolve {
		kindEN, kindRU = "resolve", "решить"
	}
	due := d.Due.Format("2006-01-02 15:04 MST")
	margin := d.Margin
	if margin < 0 {
		margin = -margin
	}
	m := margin.Round(time.Minute).String()
	switch d.State {
	case SLAMet:
		return lang.Pick(tag,
			fmt.Sprintf("%s by %s: met, %s of business time to spare", kindEN, due, m),
			fmt.Sprintf("%s до %s: срок соблюдён, запас %s рабочего времени", kindRU, due, m))
	case SLABreached:
		return lang.Pick(tag,
			fmt.Sprintf("%s by %s: breached by %s of business time", kindEN, due, m),
			fmt.Sprintf("%s до %s: срок нарушен на %s рабочего времени", kindRU, due, m))
	case SLAOnHold:
		return lang.Pick(tag,
			fmt.Sprintf("%s by %s if resumed now: on hold, waiting for the client, %s of business time left", kindEN, due, m),
			fmt.Sprintf("%s до %s при возобновлении сейчас: срок приостановлен в ожидании клиента, осталось %s рабочего времени", kindRU, due, m))
	}
	return lang.Pick(tag,
		fmt.Sprintf("%s by %s: due, %s of business time left", kindEN, due, m),
		fmt.Sprintf("%s до %s: в работе, осталось %s рабочего времени", kindRU, due, m))
}

// SLAStatus is a complaint's deadlines as of an instant.
type SLAStatus struct {
	AsOf        time.Time
	Zone        string
	Terms       SLATerms
	Acknowledge DeadlineStatus
	Resolve     DeadlineStatus
	// OnHold is set when the complaint is on hold at AsOf, since
	// HeldSince; the deadlines are then judged as if the hold ended at
	// AsOf.
	OnHold    bool
	HeldSince time.Time
}

// Breached reports whether either deadline is breached.
func (s SLAStatus) Breached() bool {
	return s.Acknowledge.State == SLABreached || s.Resolve.State == SLABreached
}

// ComplaintSLAStatus judges the complaint's deadlines as of asOf: a pure
// function of the complaint, the calendar its margins are counted on (nil:
// margins in elapsed time) and the instant. A deadline done at or before
// its due instant is met; done later, or not done once the due instant
// has passed, breached; otherwise due. Acknowledgement is done when the
// complaint first left received (acknowledged, rejected or marked
// duplicate); resolution when it was resolved, rejected or marked
// duplicate (a reopened complaint owes it again).
//
// A complaint on hold is judged as if the hold ended at asOf: each
// deadline it owed when the hold began moves later by the business time
// held so far. An owed deadline that was not breached when the hold began
// is then on_hold (never breached while the hold lasts), with the
// business time left as its margin; OnHold and HeldSince report the hold.
func ComplaintSLAStatus(c Complaint, sched *worktime.Schedule, asOf time.Time) SLAStatus {
	between := func(a, b time.Time) time.Duration {
		if sched == nil {
			return b.Sub(a)
		}
		return sched.Between(a, b)
	}
	judge := func(kind DeadlineKind, due, done time.Time) DeadlineStatus {
		if sched != nil && !due.IsZero() {
			due = due.In(sched.Location())
		}
		d := DeadlineStatus{Kind: kind, Due: due, DoneAt: done}
		if due.IsZero() {
			d.State = SLADue
			if !done.IsZero() {
				d.State = SLAMet
			}
			return d
		}
		switch {
		case !done.IsZero() && !done.After(due):
			d.State, d.Margin = SLAMet, between(done, due)
		case !done.IsZero():
			d.State, d.Margin = SLABreached, -between(due, done)
		case asOf.After(due):
			d.State, d.Margin = SLABreached, -between(due, asOf)
		default:
			d.State, d.Margin = SLADue, between(asOf, due)
		}
		return d
	}
	h, held := c.Hold()
	judgeHeld := func(kind DeadlineKind, due, shifted, done time.Time) DeadlineStatus {
		d := judge(kind, shifted, done)
		if held && done.IsZero() && !due.IsZero() && !h.From.After(due) {
			d.State, d.Margin = SLAOnHold, max(d.Margin, 0)
		}
		return d
	}
	ack, resolve := c.AcknowledgeDue, c.ResolveDue
	if held {
		ack, resolve = shiftedDeadlines(c, sched, h.From, asOf, pausedBetween(sched, h.From, asOf))
	}
	return SLAStatus{
		AsOf:        asOf,
		Zone:        c.SLAZone,
		Terms:       c.SLA,
		Acknowledge: judgeHeld(DeadlineAcknowledge, c.AcknowledgeDue, ack, c.AcknowledgedAt),
		Resolve:     judgeHeld(DeadlineResolve, c.ResolveDue, resolve, c.ResolvedAt),
		OnHold:      held,
		HeldSince:   h.From,
	}
}
