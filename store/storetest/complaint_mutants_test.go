package storetest_test

import (
	"context"
	"iter"
	"time"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/storetest"
)

// Mutants of the complaint rules, added to the suite's mutant list.
func init() {
	mutants = append(mutants,
		mutant{"ignores complaint versions", storetest.RunComplaints, func(s crm.Store) crm.Store { return complaintIgnoresVersions{s} },
			"contract: a stale version is ErrConflict — UpdateComplaint"},
		mutant{"writes complaints one by one", storetest.RunComplaints, func(s crm.Store) crm.Store { return complaintsOneByOne{s} },
			"contract: UpdateComplaints writes every complaint or none"},
		mutant{"ignores the first complaint's version in UpdateComplaints", storetest.RunComplaints,
			func(s crm.Store) crm.Store { return firstUnchecked{s} },
			"contract: UpdateComplaints with one stale complaint is ErrConflict"},
		mutant{"ignores the overdue filter", storetest.RunComplaints, func(s crm.Store) crm.Store { return ignoresOverdue{s} },
			"contract: ListComplaints selects exactly what ComplaintFilter.Match selects"},
	)
}

// complaintIgnoresVersions writes whatever version the caller read.
type complaintIgnoresVersions struct{ crm.Store }

func (s complaintIgnoresVersions) UpdateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	if cur, err := s.GetComplaint(ctx, c.ID); err == nil {
		c.Version = cur.Version
	}
	return s.Store.UpdateComplaint(ctx, c, events)
}

// complaintsOneByOne writes each complaint of UpdateComplaints on its
// own, stopping at the first failure.
type complaintsOneByOne struct{ crm.Store }

func (s complaintsOneByOne) UpdateComplaints(ctx context.Context, cs []crm.Complaint, events []crm.Event) error {
	for i, c := range cs {
		var evs []crm.Event
		if i == 0 {
			evs = events
		}
		if err := s.Store.UpdateComplaint(ctx, c, evs); err != nil {
			return err
		}
	}
	return nil
}

// firstUnchecked checks the versions of every complaint of
// UpdateComplaints but the first. crm.Service puts the complaint it moves
// first (its original after it), so such a store would lose updates of
// moved complaints.
type firstUnchecked struct{ crm.Store }

func (s firstUnchecked) UpdateComplaints(ctx context.Context, cs []crm.Complaint, events []crm.Event) error {
	if len(cs) > 0 {
		if cur, err := s.GetComplaint(ctx, cs[0].ID); err == nil {
			cs = append([]crm.Complaint(nil), cs...)
			cs[0].Version = cur.Version
		}
	}
	return s.Store.UpdateComplaints(ctx, cs, events)
}

// ignoresOverdue drops ComplaintFilter.OverdueAt.
type ignoresOverdue struct{ crm.Store }

func (s ignoresOverdue) ListComplaints(ctx context.Context, f crm.ComplaintFilter, p store.Page) iter.Seq2[crm.Complaint, error] {
	f.OverdueAt = time.Time{}
	return s.Store.ListComplaints(ctx, f, p)
}
