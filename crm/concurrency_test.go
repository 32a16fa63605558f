package crm_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
)

// pauseStore runs hook once, just before the first client or complaint
// update reaches the store: another writer gets in between the caller's
// read and its write.
type pauseStore struct {
	crm.Store
	hook func()
}

func (p *pauseStore) pause() {
	if h := p.hook; h != nil {
		p.hook = nil
		h()
	}
}

func (p *pauseStore) UpdateClient(ctx context.Context, c crm.Client, events []crm.Event) error {
	p.pause()
	return p.Store.UpdateClient(ctx, c, events)
}

func (p *pauseStore) UpdateComplaint(ctx context.Context, c crm.Complaint, events []crm.Event) error {
	p.pause()
	return p.Store.UpdateComplaint(ctx, c, events)
}

func (p *pauseStore) UpdateComplaints(ctx context.Context, cs []crm.Complaint, events []crm.Event) error {
	p.pause()
	return p.Store.UpdateComplaints(ctx, cs, events)
}

// ApplyActivityPolicy reports only the changes it made: when a retry after
// a version conflict finds nothing left to change, the plan of the first
// attempt is not reported.
func TestApplyActivityPolicyReportsOnlyChangesMade(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	// A customer whose last order was 200 days ago: the policy churns it.
	_, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, w.clock.Now().Add(-200*24*time.Hour))
	require.NoError(t, err)

	ps := &pauseStore{Store: w.st}
	svc, err := crm.NewService(ps, crm.Options{Clock: clock.Options{Now: w.clock.Now}, Directory: w.team})
	require.NoError(t, err)
	ps.hook = func() {
		// Meanwhile the client orders today: it stays a customer.
		_, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, w.clock.Now())
		require.NoError(t, err)
	}

	changes, err := svc.ApplyActivityPolicy(w.ctx, w.admin, w.clock.Now())
	require.NoError(t, err)

	got, err := w.svc.GetClient(w.ctx, w.admin, c.ID)
	require.NoError(t, err)
	require.Equal(t, crm.StageCustomer, got.Stage, "the client ordered today and stays a customer")
	require.Empty(t, changes, "no stage change was recorded, so none may be reported; got %+v", changes)
}

// Two duplicate moves at the same moment cannot leave a chain: a move
// writes its original with the duplicate, so whichever lands second
// meets a conflict, reads again and is refused, and its complaint stays
// open.
func TestConcurrentDuplicateMovesCannotChain(t *testing.T) {
	type move struct{ from, to int } // indexes into c1, c2, c3
	for _, tc := range []struct {
		name              string
		inFlight, between move
		detail            string
	}{
		// c3 → c2 is in flight when c2 becomes a duplicate of c1.
		{"the original becomes a duplicate meanwhile", move{2, 1}, move{1, 0}, "itself a duplicate"},
		// c2 → c1 is in flight when c3 becomes a duplicate of c2.
		{"the complaint becomes an original meanwhile", move{1, 0}, move{2, 1}, "duplicates this one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			c1, c2, c3 := threeComplaints(t, w)
			cps := []crm.Complaint{c1, c2, c3}
			dup := func(svc *crm.Service, m move) error {
				_, err := svc.MoveComplaint(w.ctx, w.manager1, cps[m.from].ID,
					crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: cps[m.to].ID})
				return err
			}
			ps := &pauseStore{Store: w.st}
			svc, err := crm.NewService(ps, crm.Options{Clock: clock.Options{Now: w.clock.Now}, Directory: w.team})
			require.NoError(t, err)
			ps.hook = func() { require.NoError(t, dup(w.svc, tc.between)) }

			err = dup(svc, tc.inFlight)
			var ce *crm.ComplaintError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, crm.ComplaintBadDuplicate, ce.Reason)
			assert.Contains(t, ce.Detail, tc.detail)
			got, err := w.svc.GetComplaint(w.ctx, w.manager1, cps[tc.inFlight.from].ID)
			require.NoError(t, err)
			assert.NotEqual(t, crm.ComplaintDuplicate, got.Status, "no chain: the refused move's complaint stays open")
		})
	}
}

// A chain of duplicates stored before duplicate moves wrote their
// original too (c3 → c2 → c1): ComplaintPareto follows it, so what was
// paid on c3 counts in c1's cost.
func TestParetoFollowsStoredDuplicateChain(t *testing.T) {
	w := newWorld(t)
	c1, c2, c3 := threeComplaints(t, w)
	_, err := w.svc.RecordCompensation(w.ctx, w.manager1, c3.ID, crm.NewCompensation{Kind: crm.CompensationCreditNote,
		Amount: rub("700"), Reference: "КСФ-3"})
	require.NoError(t, err)
	_, err = w.svc.MoveComplaint(w.ctx, w.manager1, c3.ID, crm.ComplaintMove{To: crm.ComplaintDuplicate, DuplicateOf: c2.ID})
	require.NoError(t, err)
	// What an older release could leave: c2 moved to c1 although c3
	// points at it.
	old, err := w.st.GetComplaint(w.ctx, c2.ID)
	require.NoError(t, err)
	old.Status, old.DuplicateOf = crm.ComplaintDuplicate, c1.ID
	require.NoError(t, w.st.UpdateComplaint(w.ctx, old, nil))

	rep, err := w.svc.ComplaintPareto(w.ctx, w.manager1, crm.ParetoQuery{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.TotalCount, "only the original counts")
	assert.True(t, rub("700").Equal(rep.TotalCost), "c3's credit note counts in c1's cost: %s", rep.TotalCost)
}

// threeComplaints files three complaints of one client, a minute apart.
func threeComplaints(t *testing.T, w *world) (c1, c2, c3 crm.Complaint) {
	t.Helper()
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(mskAt(2026, 3, 7, 12, 0))
	var cps []crm.Complaint
	for i := range 3 {
		cp, err := w.svc.ReceiveComplaint(w.ctx, w.manager1, complaintOf(c, mskAt(2026, 3, 7, 9, 0).Add(time.Duration(i)*time.Minute)))
		require.NoError(t, err)
		cps = append(cps, cp)
	}
	return cps[0], cps[1], cps[2]
}
