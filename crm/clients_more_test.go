package crm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/taxid"
	"github.com/crmkit/crmkit/store"
)

// A merge whose result the service itself would refuse (a sole
// proprietor's INN and OGRNIP on a company card; more contacts than a card
// may hold) is refused with a ValidationError naming the field, and
// nothing is written.
func TestMergeRefusesAnInvalidResult(t *testing.T) {
	t.Run("identifiers of another kind of client", func(t *testing.T) {
		w := newWorld(t)
		survivor := w.create(t, w.manager1, company("Иванов", ""))
		dup := w.create(t, w.manager1, crm.NewClient{Card: crm.Card{Kind: crm.KindSoleProprietor, LegalName: "ИП Иванов Иван Иванович",
			TaxIDs: []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: innPerson}, {Country: "RU", Kind: taxid.KindOGRNIP, Value: ogrnipTest}}},
			Contacts: []crm.Contact{{LastName: "Иванов", FirstName: "Иван"}}})
		_, err := w.svc.MergeClients(w.ctx, w.manager1, survivor.ID, dup.ID)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, ve.Field, "tax_ids")
		for _, c := range []crm.Client{survivor, dup} {
			got, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
			require.NoError(t, err)
			assert.Equal(t, c.Version, got.Version, "nothing written")
			assert.False(t, got.IsMerged())
		}
	})
	t.Run("too many contacts", func(t *testing.T) {
		w := newWorld(t)
		mk := func(name string, n int) crm.Client {
			nc := company(name, "")
			nc.Contacts = nil
			for range n {
				nc.Contacts = append(nc.Contacts, crm.Contact{FirstName: name})
			}
			return w.create(t, w.manager1, nc)
		}
		a, b := mk("Ромашка", 150), mk("Ромашка", 100)
		_, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
		var ve *crm.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "contacts", ve.Field)
	})
	t.Run("a valid merge stays editable", func(t *testing.T) {
		w := newWorld(t)
		a := w.create(t, w.manager1, company("Ромашка", innSber))
		b := w.create(t, w.manager1, company("Ромашка-2", ""))
		_, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
		require.NoError(t, err)
		_, err = w.svc.UpdateClient(w.ctx, w.manager1, a.ID, func(d *crm.Draft) error {
			d.Card.Tags = append(d.Card.Tags, "vip")
			return nil
		})
		require.NoError(t, err)
	})
}

// MergeClients returns the survivor as stored: LastContactAt the later of
// the two clients'.
func TestMergeReturnsStoredLastContact(t *testing.T) {
	w := newWorld(t)
	a := w.create(t, w.manager1, company("Ромашка", innSber))
	b := w.create(t, w.manager1, company("Ромашка-2", ""))
	_, err := w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: b.ID, Kind: crm.InteractionCall,
		Direction: crm.Inbound, At: t0, Outcome: crm.OutcomeReached})
	require.NoError(t, err)
	got, err := w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
	require.NoError(t, err)
	stored, err := w.svc.GetClient(w.ctx, w.manager1, a.ID)
	require.NoError(t, err)
	assert.True(t, stored.LastContactAt.Equal(t0))
	assert.True(t, got.LastContactAt.Equal(stored.LastContactAt), "returned %s, stored %s", got.LastContactAt, stored.LastContactAt)
}

// An interaction logged for a client merged since can be corrected with
// the id it was logged with; the correction lands on the survivor.
func TestCorrectInteractionWithMergedClientID(t *testing.T) {
	w := newWorld(t)
	a := w.create(t, w.manager1, company("Ромашка", innSber))
	b := w.create(t, w.manager1, company("Ромашка-2", ""))
	call := crm.NewInteraction{ClientID: b.ID, Kind: crm.InteractionCall, Direction: crm.Outbound, At: t0, Outcome: crm.OutcomeReached}
	first, err := w.svc.LogInteraction(w.ctx, w.manager1, call)
	require.NoError(t, err)
	_, err = w.svc.MergeClients(w.ctx, w.manager1, a.ID, b.ID)
	require.NoError(t, err)

	fix := call
	fix.Outcome = crm.OutcomeCallBack
	corrected, err := w.svc.CorrectInteraction(w.ctx, w.manager1, first.ID, fix)
	require.NoError(t, err)
	assert.Equal(t, a.ID, corrected.ClientID)

	other := w.create(t, w.manager1, company("Лютик", innYandex))
	fix.ClientID = other.ID
	_, err = w.svc.CorrectInteraction(w.ctx, w.manager1, first.ID, fix)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve, "another client's id is still a conflict")
	assert.Equal(t, "client_id", ve.Field)
}

// A correction that says a contact did not happen stops it counting: the
// contact cadence sees the client as not contacted.
func TestCorrectionUpdatesLastContact(t *testing.T) {
	w := newWorld(t)
	c := w.create(t, w.manager1, company("Ромашка", innSber))
	w.clock.Set(t0.Add(48 * time.Hour))
	call := crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall, Direction: crm.Outbound, At: t0.Add(24 * time.Hour), Outcome: crm.OutcomeReached}
	first, err := w.svc.LogInteraction(w.ctx, w.manager1, call)
	require.NoError(t, err)
	got, err := w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	require.True(t, got.LastContactAt.Equal(call.At))

	fix := call
	fix.Outcome = crm.OutcomeNoAnswer
	_, err = w.svc.CorrectInteraction(w.ctx, w.manager1, first.ID, fix)
	require.NoError(t, err)
	got, err = w.svc.GetClient(w.ctx, w.manager1, c.ID)
	require.NoError(t, err)
	assert.True(t, got.LastContactAt.IsZero(), "no interaction in force reached the client; LastContactAt=%v", got.LastContactAt)
}

// An order back-filled from long ago does not wake a churned client (the
// policy would churn it again at once); a recent one does, even if it is
// dated before the client was churned.
func TestRecordOrderReactivatesOnlyForRecentOrders(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.Stage = crm.StageCustomer
	c := w.create(t, w.manager1, nc)
	_, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, t0)
	require.NoError(t, err)
	today := t0.AddDate(0, 0, 200)
	w.clock.Set(today)
	changes, err := w.svc.ApplyActivityPolicy(w.ctx, w.admin, today)
	require.NoError(t, err)
	require.Len(t, changes, 1)
	require.Equal(t, crm.StageChurned, changes[0].To)

	got, err := w.svc.RecordOrder(w.ctx, w.manager1, c.ID, t0.AddDate(0, 0, 10)) // 190 days ago
	require.NoError(t, err)
	assert.Equal(t, crm.StageChurned, got.Stage, "an order 190 days old does not make a churned client active")
	again, err := w.svc.ApplyActivityPolicy(w.ctx, w.admin, today)
	require.NoError(t, err)
	assert.Empty(t, again)

	got, err = w.svc.RecordOrder(w.ctx, w.manager1, c.ID, t0.AddDate(0, 0, 150)) // 50 days ago, before the churn
	require.NoError(t, err)
	assert.Equal(t, crm.StageCustomer, got.Stage, "an order 50 days old makes the client a customer again")
	again, err = w.svc.ApplyActivityPolicy(w.ctx, w.admin, today)
	require.NoError(t, err)
	assert.Empty(t, again, "and the policy agrees")
}

// Force accepts one INN match, not any INN the card takes later: a forced
// duplicate that changes its INN to another client's is refused.
func TestForcedDuplicateCannotTakeAnotherINN(t *testing.T) {
	w := newWorld(t)
	_ = w.create(t, w.manager1, company("Сбербанк", innSber))
	_ = w.create(t, w.manager1, company("Яндекс", innYandex))
	branch := company("Сбербанк филиал", innSber)
	branch.Force = true
	br, _, err := w.svc.CreateClient(w.ctx, w.manager1, branch)
	require.NoError(t, err)
	_, err = w.svc.UpdateClient(w.ctx, w.manager1, br.ID, func(d *crm.Draft) error {
		d.Card.TaxIDs = []taxid.ID{{Country: "RU", Kind: taxid.KindINN, Value: innYandex}}
		return nil
	})
	assert.ErrorIs(t, err, store.ErrDuplicate)
	// Other edits of the forced duplicate keep working.
	_, err = w.svc.UpdateClient(w.ctx, w.manager1, br.ID, func(d *crm.Draft) error {
		d.Card.Industry = "banking"
		return nil
	})
	require.NoError(t, err)
}

// A contact's birthday cannot be in a future year.
func TestFutureBirthdayRefused(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.Contacts[0].Birthday = crm.Birthday{Year: 2090, Month: 5, Day: 1}
	_, _, err := w.svc.CreateClient(w.ctx, w.manager1, nc)
	var ve *crm.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "contacts[0].birthday", ve.Field)
	assert.Equal(t, crm.ReasonInFuture, ve.Reason)

	nc.Contacts[0].Birthday = crm.Birthday{Month: 5, Day: 1} // no year: fine
	_, _, err = w.svc.CreateClient(w.ctx, w.manager1, nc)
	require.NoError(t, err)
}
