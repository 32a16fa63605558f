package crm_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crmkit/crmkit/crm"
)

func TestCadenceBoundaryInTheServiceZone(t *testing.T) {
	vl, err := time.LoadLocation("Asia/Vladivostok")
	require.NoError(t, err)
	w := newWorld(t, func(o *crm.Options) { o.Location = vl })
	nc := company("Вип", innSber)
	nc.Tier, nc.TierReason = crm.TierVIP, "x"
	c := w.create(t, w.manager1, nc)
	w.clock.Set(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	// 15:00 UTC = 01:00 on 3 March in Vladivostok.
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionCall,
		Direction: crm.Outbound, At: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC), Outcome: crm.OutcomeReached})
	require.NoError(t, err)
	// 10 March 13:59 UTC = 23:59 10 March local: due day, not overdue.
	o, err := w.svc.OverdueContacts(w.ctx, w.manager1, w.manager1.ID, time.Date(2026, 3, 10, 13, 59, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Empty(t, o)
	o, err = w.svc.OverdueContacts(w.ctx, w.manager1, w.manager1.ID, time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, o, 1)
	assert.Equal(t, 1, o[0].DaysOverdue)
	assert.Equal(t, "2026-03-10", o[0].Due.String())
	// Contacted today: not overdue.
	w.clock.Set(time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC))
	_, err = w.svc.LogInteraction(w.ctx, w.manager1, crm.NewInteraction{ClientID: c.ID, Kind: crm.InteractionMeeting,
		Direction: crm.Inbound, At: time.Date(2026, 3, 20, 2, 0, 0, 0, time.UTC), Outcome: crm.OutcomeOther})
	require.NoError(t, err)
	o, err = w.svc.OverdueContacts(w.ctx, w.manager1, w.manager1.ID, time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Empty(t, o)
}
