package crm_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
)

func TestAccessRules(t *testing.T) {
	w := newWorld(t)
	nc := company("Ромашка", innSber)
	nc.InternalNotes = "discount ceiling 7%"
	mine := w.create(t, w.manager1, nc)

	cases := []struct {
		name        string
		actor       crm.Actor
		read, write bool
	}{
		{"owner", w.manager1, true, true},
		{"head of the owner", w.head, true, true},
		{"admin", w.admin, true, true},
		{"auditor reads only", w.auditor, true, false},
		{"credit controller reads only", w.credit, true, false},
		{"another manager of the team", w.manager2, false, false},
		{"a manager of another team", w.outsider, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.GetClient(w.ctx, tc.actor, mine.ID)
			if tc.read {
				require.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, crm.ErrForbidden)
				assert.ErrorIs(t, err, store.ErrNotFound)
			}
			_, err = w.svc.UpdateClient(w.ctx, tc.actor, mine.ID, func(d *crm.Draft) error {
				d.Card.Tags = append(d.Card.Tags, "x-"+tc.name)
				return nil
			})
			if tc.write {
				require.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, crm.ErrForbidden)
			}
		})
	}

	t.Run("a refused read reveals nothing", func(t *testing.T) {
		_, refused := w.svc.GetClient(w.ctx, w.manager2, mine.ID)
		_, missing := w.svc.GetClient(w.ctx, w.manager2, uuid.MustParse("01900000-0000-7000-8000-00000000dead"))
		require.Error(t, refused)
		require.Error(t, missing)
		assert.Equal(t, errorsIsAll(refused), errorsIsAll(missing))
		assert.Equal(t,
			len(refused.Error())-len(mine.ID.String()),
			len(missing.Error())-len("01900000-0000-7000-8000-00000000dead"),
			"the same message, whatever the id")
		// An admin, who may read everything, learns plainly that it is missing.
		_, adminMissing := w.svc.GetClient(w.ctx, w.admin, uuid.MustParse("01900000-0000-7000-8000-00000000dead"))
		assert.ErrorIs(t, adminMissing, store.ErrNotFound)
		assert.NotErrorIs(t, adminMissing, crm.ErrForbidden)
	})

	t.Run("confidential fields", func(t *testing.T) {
		asOwner, _ := w.svc.GetClient(w.ctx, w.manager1, mine.ID)
		assert.Equal(t, "discount ceiling 7%", asOwner.InternalNotes)
		asCredit, _ := w.svc.GetClient(w.ctx, w.credit, mine.ID)
		assert.Empty(t, asCredit.InternalNotes)
		assert.Equal(t, []crm.FieldClass{crm.ClassInternal}, asCredit.Redacted)
	})

	t.Run("listings show only what the actor may read", func(t *testing.T) {
		w.create(t, w.manager2, company("Лютик", innYandex))
		count := func(a crm.Actor) int {
			all, err := store.Collect(w.svc.ListClients(w.ctx, a, crm.ClientFilter{}, store.Page{}))
			require.NoError(t, err)
			return len(all)
		}
		assert.Equal(t, 1, count(w.manager1))
		assert.Equal(t, 1, count(w.manager2))
		assert.Equal(t, 2, count(w.head))
		assert.Equal(t, 2, count(w.auditor))
		assert.Equal(t, 0, count(w.outsider))
		limited, err := store.Collect(w.svc.ListClients(w.ctx, w.head, crm.ClientFilter{}, store.Page{Limit: 1}))
		require.NoError(t, err)
		assert.Len(t, limited, 1)
	})

	t.Run("handing a client over", func(t *testing.T) {
		_, err := w.svc.TransferClient(w.ctx, w.manager1, mine.ID, w.manager2.ID, "vacation")
		assert.ErrorIs(t, err, crm.ErrForbidden, "a manager does not reassign clients")
		_, err = w.svc.TransferClient(w.ctx, w.head, mine.ID, w.outsider.ID, "")
		assert.ErrorIs(t, err, crm.ErrForbidden, "a head reassigns only within the team")
		moved, err := w.svc.TransferClient(w.ctx, w.head, mine.ID, w.manager2.ID, "territory change")
		require.NoError(t, err)
		assert.Equal(t, w.manager2.ID, moved.Owner)
		events, _ := store.Collect(w.svc.Timeline(w.ctx, w.head, mine.ID, store.Page{Order: store.Descending, Limit: 1}))
		require.Len(t, events, 1)
		assert.Equal(t, crm.EventOwnerChanged, events[0].Kind)
		assert.Equal(t, w.manager1.ID.String(), events[0].Data["from"])
		assert.Equal(t, "territory change", events[0].Data["reason"])
		_, err = w.svc.GetClient(w.ctx, w.manager1, mine.ID)
		assert.ErrorIs(t, err, crm.ErrForbidden, "the old owner lost access")
	})

	t.Run("bad actors", func(t *testing.T) {
		_, err := w.svc.GetClient(w.ctx, crm.Actor{}, mine.ID)
		assert.ErrorIs(t, err, crm.ErrInvalid)
		_, err = w.svc.GetClient(w.ctx, crm.Actor{ID: w.manager1.ID, Roles: []crm.Role{"boss"}}, mine.ID)
		assert.ErrorIs(t, err, crm.ErrInvalid)
		_, _, err = w.svc.CreateClient(w.ctx, w.manager1, crm.NewClient{Card: company("X", "").Card, Owner: w.manager2.ID})
		assert.ErrorIs(t, err, crm.ErrForbidden, "a manager creates clients only for themselves")
	})
}

// errorsIsAll lists which of the package's error kinds err matches.
func errorsIsAll(err error) []bool {
	var out []bool
	for _, k := range []error{store.ErrNotFound, crm.ErrForbidden, crm.ErrInvalid, store.ErrConflict} {
		out = append(out, errorsIs(err, k))
	}
	return out
}

func TestEditCannotSeeOrChangeHiddenFields(t *testing.T) {
	// A policy under which managers may not see internal notes.
	w := newWorld(t, func(o *crm.Options) {
		o.Confidentiality = crm.ConfidentialityPolicy{
			crm.ClassInternal: {crm.RoleAdmin, crm.RoleHeadOfSales},
			crm.ClassCredit:   {crm.RoleAdmin},
		}
	})
	nc := company("Ромашка", innSber)
	nc.InternalNotes = "max discount 7%"
	c := w.create(t, w.head, crm.NewClient{Card: nc.Card, Contacts: nc.Contacts, Owner: w.manager1.ID})
	var seen string
	updated, err := w.svc.UpdateClient(w.ctx, w.manager1, c.ID, func(d *crm.Draft) error {
		seen = d.Card.InternalNotes
		d.Card.InternalNotes = "overwritten"
		d.Card.Tags = []string{"опт"}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, seen, "the edit function does not see a hidden field")
	assert.Empty(t, updated.InternalNotes)
	asHead, err := w.svc.GetClient(w.ctx, w.head, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "max discount 7%", asHead.InternalNotes, "a hidden field cannot be changed")
	assert.Equal(t, []string{"опт"}, asHead.Tags)
}
