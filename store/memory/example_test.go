package memory_test

import (
	"context"
	"fmt"
	"time"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/store"
	"github.com/crmkit/crmkit/store/memory"
)

// The store used directly, as a service would: create a client, log a
// call about it, read the timeline newest first.
func Example() {
	ctx := context.Background()
	newID := clock.Sequential(42)
	at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

	st := memory.New()
	c := crm.Client{ID: newID(), Stage: crm.StageLead}
	c.LegalName = "ООО «Ромашка»"
	created := crm.Event{ID: newID(), ClientID: c.ID, Kind: crm.EventClientCreated, At: at,
		Data: map[string]string{"stage": string(crm.StageLead)}}
	if err := st.CreateClient(ctx, c, []crm.Event{created}); err != nil {
		fmt.Println(err)
		return
	}

	call := crm.Interaction{ID: newID(), ClientID: c.ID, Kind: crm.InteractionCall,
		At: at.Add(2 * time.Hour), Subject: "prices", Outcome: crm.OutcomeReached}
	logged := crm.Event{ID: newID(), ClientID: c.ID, Kind: crm.EventInteractionLogged, At: call.At,
		Subject: call.ID, Data: map[string]string{"kind": "call", "subject": "prices", "outcome": "reached"}}
	if err := st.AppendInteraction(ctx, call, []crm.Event{logged}); err != nil {
		fmt.Println(err)
		return
	}

	got, _ := st.GetClient(ctx, c.ID)
	fmt.Println("version", got.Version, "last contact", got.LastContactAt.Format(time.TimeOnly))
	for e, err := range st.Timeline(ctx, c.ID, store.Page{Order: store.Descending}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(e.At.Format(time.TimeOnly), e.Describe("en"))
	}
	// Output:
	// version 1 last contact 11:00:00
	// 11:00:00 call «prices» — reached
	// 09:00:00 client created as lead
}
