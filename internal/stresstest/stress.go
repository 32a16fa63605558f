// Package stresstest runs randomized concurrent operations of crm.Service
// over a crm.Store and checks the invariants that must hold afterwards.
package stresstest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// Config sizes a run.
type Config struct {
	Workers int // goroutines
	Ops     int // operations per goroutine
	Clients int // clients per manager
	Seed    uint64
	// Allowed reports whether err is an acceptable error the harness does
	// not know (none by default).
	Allowed func(err error) bool
}

type team struct {
	team     *crm.Team
	admin    crm.Actor
	head     crm.Actor
	managers []crm.Actor
}

// errorKinds are the typed errors a concurrent run may meet, in the
// order they are tested, with the name they are counted under.
var errorKinds = []struct {
	err  error
	name string
}{
	{store.ErrConflict, "conflict"},
	{crm.ErrComplaint, "complaint"},
	{crm.ErrTransition, "transition"},
	{crm.ErrDelegation, "delegation"},
	{crm.ErrInvalid, "invalid"},
	{crm.ErrForbidden, "forbidden"},
	{store.ErrNotFound, "notfound"},
	{store.ErrDuplicate, "duplicate"},
}

func newTeam(t testing.TB, ctx context.Context) team {
	tm := crm.NewTeam()
	add := func(mgr uuid.UUID, roles ...crm.Role) uuid.UUID {
		id := uuid.Must(uuid.NewV7())
		if err := tm.Add(id, mgr, roles...); err != nil {
			t.Fatal(err)
		}
		return id
	}
	admin := add(uuid.Nil, crm.RoleAdmin)
	head := add(uuid.Nil, crm.RoleHeadOfSales)
	var mids []uuid.UUID
	for range 4 {
		mids = append(mids, add(head, crm.RoleManager))
	}
	get := func(id uuid.UUID) crm.Actor {
		a, err := tm.Actor(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	out := team{team: tm, admin: get(admin), head: get(head)}
	for _, m := range mids {
		out.managers = append(out.managers, get(m))
	}
	return out
}

// record of what succeeded.
type ledger struct {
	mu sync.Mutex
	// tags added (tag -> client id the call named) and removed.
	tagAdded   map[string]uuid.UUID
	tagRemoved map[string]bool
	// interactions logged successfully: id -> client id at write.
	interactions map[uuid.UUID]crm.Interaction
	// (client id, version) written by successful client writes.
	clientVersions map[uuid.UUID]map[int64]string
	// (complaint id, version) written by successful complaint writes.
	complaintVersions map[uuid.UUID]map[int64]string
	complaints        map[uuid.UUID]bool
	compensations     map[uuid.UUID]uuid.UUID // compensation id -> complaint id
	stageChanges      []stageChange
	delegations       map[uuid.UUID]bool
	errs              map[string]int
	bad               []string
	policyChanges     []crm.PolicyChange
	ops               map[string]int
}

type taggedClient struct {
	tag string
	id  uuid.UUID
}

type stageChange struct {
	client uuid.UUID
	change crm.StageChange
	op     string
}

func (l *ledger) version(m map[uuid.UUID]map[int64]string, id uuid.UUID, v store.Version, op string) {
	if m[id] == nil {
		m[id] = map[int64]string{}
	}
	if prev, dup := m[id][int64(v)]; dup {
		l.bad = append(l.bad, fmt.Sprintf("lost update: %s and %s both returned version %d of %s", prev, op, v, id))
	}
	m[id][int64(v)] = op
}

// Run runs the stress test over st.
func Run(t *testing.T, st crm.Store, cfg Config) {
	ctx := context.Background()
	tm := newTeam(t, ctx)
	svc, err := crm.NewService(st, crm.Options{Directory: tm.team})
	if err != nil {
		t.Fatal(err)
	}
	codes := rootcause.Default().Taxonomy().Categories()
	// Clients: cfg.Clients per manager.
	type owned struct {
		id    uuid.UUID
		owner int
	}
	var clients []owned
	innBase := 7700000000 + int(cfg.Seed%1000)*1000
	_ = innBase
	for mi, m := range tm.managers {
		for ci := range cfg.Clients {
			nc := crm.NewClient{Card: crm.Card{Kind: crm.KindCompany, LegalName: fmt.Sprintf("ООО «Стресс %d-%d-%d»", cfg.Seed, mi, ci)},
				Contacts: []crm.Contact{{LastName: "Иванов", FirstName: "Иван"}}, Stage: crm.StageCustomer}
			c, _, err := svc.CreateClient(ctx, m, nc)
			if err != nil {
				t.Fatal(err)
			}
			clients = append(clients, owned{c.ID, mi})
		}
	}
	allIDs := make([]uuid.UUID, len(clients))
	for i, c := range clients {
		allIDs[i] = c.id
	}

	l := &ledger{tagAdded: map[string]uuid.UUID{}, tagRemoved: map[string]bool{}, interactions: map[uuid.UUID]crm.Interaction{},
		clientVersions: map[uuid.UUID]map[int64]string{}, complaintVersions: map[uuid.UUID]map[int64]string{},
		complaints: map[uuid.UUID]bool{}, compensations: map[uuid.UUID]uuid.UUID{}, delegations: map[uuid.UUID]bool{},
		errs: map[string]int{}, ops: map[string]int{}}

	classify := func(op string, err error) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.ops[op]++
		if err == nil {
			return
		}
		kind := ""
		for _, k := range errorKinds {
			if errors.Is(err, k.err) {
				kind = k.name
				break
			}
		}
		switch {
		case kind != "":
		case cfg.Allowed != nil && cfg.Allowed(err):
			kind = "allowed-other"
		default:
			l.bad = append(l.bad, fmt.Sprintf("untyped error from %s: %T %v", op, err, err))
			kind = "UNTYPED"
		}
		l.errs[op+":"+kind]++
	}

	var wg sync.WaitGroup
	for w := range cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					l.mu.Lock()
					l.bad = append(l.bad, fmt.Sprintf("panic in worker %d: %v", w, r))
					l.mu.Unlock()
				}
			}()
			rng := rand.New(rand.NewPCG(cfg.Seed, uint64(w)))
			// Who am I: managers 0..3, head, admin, in rotation.
			var me crm.Actor
			mine := allIDs
			switch w % 6 {
			case 4:
				me = tm.head
			case 5:
				me = tm.admin
			default:
				me = tm.managers[w%6]
				mine = nil
				for _, c := range clients {
					if c.owner == w%6 {
						mine = append(mine, c.id)
					}
				}
			}
			pick := func() uuid.UUID { return mine[rng.IntN(len(mine))] }
			var myTags []taggedClient
			var myInteractions []uuid.UUID
			var myComplaints []uuid.UUID
			var myDelegations []uuid.UUID
			for n := range cfg.Ops {
				switch op := rng.IntN(100); {
				case op < 14: // UpdateClient: add or remove a tag
					if len(myTags) > 3 && rng.IntN(2) == 0 {
						tt := myTags[0]
						myTags = myTags[1:]
						c, err := svc.UpdateClient(ctx, me, tt.id, func(d *crm.Draft) error {
							d.Card.Tags = slices.DeleteFunc(slices.Clone(d.Card.Tags), func(s string) bool { return s == tt.tag })
							return nil
						})
						classify("UpdateClient", err)
						if err == nil {
							l.mu.Lock()
							if slices.Contains(c.Tags, tt.tag) {
								l.bad = append(l.bad, fmt.Sprintf("UpdateClient result still has removed tag %s", tt.tag))
							}
							l.tagRemoved[tt.tag] = true
							l.mu.Unlock()
						} else {
							myTags = append(myTags, tt)
						}
						continue
					}
					id := pick()
					tag := fmt.Sprintf("t%dw%dn%d", cfg.Seed%100, w, n)
					c, err := svc.UpdateClient(ctx, me, id, func(d *crm.Draft) error {
						d.Card.Tags = append(slices.Clone(d.Card.Tags), tag)
						return nil
					})
					classify("UpdateClient", err)
					if err == nil {
						l.mu.Lock()
						if !slices.Contains(c.Tags, tag) {
							l.bad = append(l.bad, fmt.Sprintf("UpdateClient result lacks tag %s", tag))
						}
						l.tagAdded[tag] = c.ID
						l.version(l.clientVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d UpdateClient(+%s)", w, n, tag))
						l.mu.Unlock()
						myTags = append(myTags, taggedClient{tag, id})
					}
				case op < 22: // ChangeStage
					id := pick()
					to := crm.Stages()[rng.IntN(len(crm.Stages()))]
					mv := crm.StageMove{To: to}
					if to == crm.StageLost {
						mv.Reason = "price"
					}
					c, err := svc.ChangeStage(ctx, me, id, mv)
					classify("ChangeStage", err)
					if err == nil {
						l.mu.Lock()
						l.version(l.clientVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d ChangeStage", w, n))
						l.stageChanges = append(l.stageChanges, stageChange{client: c.ID, change: c.StageLog[len(c.StageLog)-1], op: "ChangeStage"})
						l.mu.Unlock()
					}
				case op < 38: // LogInteraction
					id := pick()
					kinds := []crm.InteractionKind{crm.InteractionCall, crm.InteractionMeeting, crm.InteractionNote, crm.InteractionEmail}
					k := kinds[rng.IntN(len(kinds))]
					in := crm.NewInteraction{ClientID: id, Kind: k, Direction: crm.Outbound,
						At: time.Now().Add(-time.Duration(rng.IntN(90*24)) * time.Hour), Outcome: crm.OutcomeReached}
					if k == crm.InteractionNote {
						in.Direction = ""
					} else if rng.IntN(3) == 0 {
						in.Outcome = crm.OutcomeNoAnswer
					}
					var it crm.Interaction
					var err error
					if len(myInteractions) > 0 && rng.IntN(3) == 0 {
						orig := myInteractions[rng.IntN(len(myInteractions))]
						in.ClientID = uuid.Nil
						it, err = svc.CorrectInteraction(ctx, me, orig, in)
						classify("CorrectInteraction", err)
					} else {
						it, err = svc.LogInteraction(ctx, me, in)
						classify("LogInteraction", err)
					}
					if err == nil {
						l.mu.Lock()
						l.interactions[it.ID] = it
						l.mu.Unlock()
						myInteractions = append(myInteractions, it.ID)
					}
				case op < 44: // RecordOrder
					id := pick()
					at := time.Now().Add(-time.Duration(rng.IntN(400*24)) * time.Hour)
					c, err := svc.RecordOrder(ctx, me, id, at)
					classify("RecordOrder", err)
					if err == nil {
						l.mu.Lock()
						l.version(l.clientVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d RecordOrder", w, n))
						l.mu.Unlock()
					}
				case op < 48: // MergeClients
					a, b := pick(), pick()
					if a == b {
						continue
					}
					c, err := svc.MergeClients(ctx, me, a, b)
					classify("MergeClients", err)
					if err == nil {
						l.mu.Lock()
						l.version(l.clientVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d Merge", w, n))
						l.mu.Unlock()
					}
				case op < 56: // ReceiveComplaint
					id := pick()
					c, err := svc.ReceiveComplaint(ctx, me, crm.NewComplaint{ClientID: id, Channel: crm.ChannelPhone,
						ReceivedAt: time.Now().Add(-time.Duration(rng.IntN(100)) * time.Hour), Description: "брак партии",
						Requested: crm.Remedy{Kind: crm.RemedyRefund, Value: money.MustParse("1000.00", money.RUB)}})
					classify("ReceiveComplaint", err)
					if err == nil {
						l.mu.Lock()
						l.complaints[c.ID] = true
						l.version(l.complaintVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d Receive", w, n))
						l.mu.Unlock()
						myComplaints = append(myComplaints, c.ID)
					}
				case op < 80: // complaint changes
					var cid uuid.UUID
					if len(myComplaints) > 0 && rng.IntN(3) > 0 {
						cid = myComplaints[rng.IntN(len(myComplaints))]
					} else {
						l.mu.Lock()
						for k := range l.complaints {
							cid = k
							break
						}
						l.mu.Unlock()
					}
					if cid == uuid.Nil {
						continue
					}
					var c crm.Complaint
					var err error
					var name string
					switch rng.IntN(7) {
					case 0, 1:
						statuses := []crm.ComplaintStatus{crm.ComplaintAcknowledged, crm.ComplaintInvestigating, crm.ComplaintResolved,
							crm.ComplaintClosed, crm.ComplaintRejected, crm.ComplaintDuplicate}
						mv := crm.ComplaintMove{To: statuses[rng.IntN(len(statuses))], Reason: "причина"}
						switch mv.To {
						case crm.ComplaintResolved:
							mv.Resolution = &crm.ResolutionInput{Outcome: crm.ResolutionGranted}
						case crm.ComplaintDuplicate:
							l.mu.Lock()
							for k := range l.complaints {
								if k != cid {
									mv.DuplicateOf = k
									break
								}
							}
							l.mu.Unlock()
							if mv.DuplicateOf == uuid.Nil {
								continue
							}
						}
						name = "MoveComplaint"
						c, err = svc.MoveComplaint(ctx, me, cid, mv)
					case 2:
						name = "HoldComplaint"
						c, err = svc.HoldComplaint(ctx, me, cid, "ждём фото")
					case 3:
						name = "ResumeComplaint"
						c, err = svc.ResumeComplaint(ctx, me, cid, "")
					case 4, 5:
						name = "RecordCompensation"
						c, err = svc.RecordCompensation(ctx, me, cid, crm.NewCompensation{Kind: crm.CompensationCreditNote,
							Amount: money.MustParse("10.00", money.RUB)})
						if err == nil {
							l.mu.Lock()
							l.compensations[c.Compensations[len(c.Compensations)-1].ID] = c.ID
							l.mu.Unlock()
						}
					case 6:
						name = "ConfirmRootCause"
						c, err = svc.ConfirmRootCause(ctx, me, cid, crm.RootCauseInput{Code: string(codes[rng.IntN(len(codes))].Code), Text: "нашли"})
					}
					classify(name, err)
					if err == nil && c.ID != uuid.Nil {
						l.mu.Lock()
						l.version(l.complaintVersions, c.ID, c.Version, fmt.Sprintf("w%d#%d %s", w, n, name))
						l.mu.Unlock()
					}
				case op < 90: // delegations
					if len(myDelegations) > 0 && rng.IntN(2) == 0 {
						d, err := svc.CancelDelegation(ctx, me, myDelegations[rng.IntN(len(myDelegations))])
						classify("CancelDelegation", err)
						_ = d
						continue
					}
					principal := tm.managers[rng.IntN(len(tm.managers))]
					deputy := tm.managers[rng.IntN(len(tm.managers))]
					from := time.Now().Add(time.Duration(rng.IntN(10*24)-24) * time.Hour)
					d, err := svc.Delegate(ctx, me, crm.NewDelegation{Principal: principal.ID, Deputy: deputy.ID,
						From: from, To: from.Add(time.Duration(1+rng.IntN(72)) * time.Hour), Reason: "отпуск"})
					classify("Delegate", err)
					if err == nil {
						myDelegations = append(myDelegations, d.ID)
						l.mu.Lock()
						l.delegations[d.ID] = true
						l.mu.Unlock()
					}
				default: // ApplyActivityPolicy
					asOf := time.Now().Add(time.Duration(rng.IntN(400)) * 24 * time.Hour)
					pcs, err := svc.ApplyActivityPolicy(ctx, me, asOf)
					classify("ApplyActivityPolicy", err)
					l.mu.Lock()
					l.policyChanges = append(l.policyChanges, pcs...)
					l.mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	check(t, ctx, st, l, allIDs)
}

func check(t *testing.T, ctx context.Context, st crm.Store, l *ledger, seedIDs []uuid.UUID) {
	t.Helper()
	keys := make([]string, 0, len(l.errs))
	for k := range l.errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s=%d ", k, l.errs[k])
	}
	t.Logf("ops: %v", l.ops)
	t.Logf("errors: %s", sb.String())

	bad := slices.Clone(l.bad)
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	all, err := store.Collect(st.ListClients(ctx, crm.ClientFilter{IncludeMerged: true}, store.Page{}))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[uuid.UUID]crm.Client{}
	for _, c := range all {
		byID[c.ID] = c
	}
	root := func(id uuid.UUID) uuid.UUID {
		for hops := 0; hops < 64; hops++ {
			c, ok := byID[id]
			if !ok {
				return uuid.Nil
			}
			if !c.IsMerged() {
				return id
			}
			id = c.MergedInto
		}
		return uuid.Nil
	}
	for _, c := range all {
		if c.MergedInto == c.ID {
			fail("client %s merged into itself", c.ID)
		}
		if root(c.ID) == uuid.Nil {
			fail("client %s: merge chain does not end at a live client", c.ID)
		}
		if c.IsMerged() {
			// Nothing left under a tombstone but the merged_into events.
			ins, _ := store.Collect(st.ListInteractions(ctx, c.ID, store.Page{}))
			if len(ins) > 0 {
				fail("tombstone %s still has %d interactions", c.ID, len(ins))
			}
			cs, _ := store.Collect(st.ListComplaints(ctx, crm.ComplaintFilter{ClientID: c.ID}, store.Page{}))
			if len(cs) > 0 {
				fail("tombstone %s still has %d complaints", c.ID, len(cs))
			}
			evs, _ := store.Collect(st.Timeline(ctx, c.ID, store.Page{}))
			for _, e := range evs {
				if e.Kind != crm.EventClientMergedInto {
					fail("tombstone %s still has event %s", c.ID, e.Kind)
				}
			}
		}
	}
	// Tags.
	for tag, id := range l.tagAdded {
		if l.tagRemoved[tag] {
			continue
		}
		r := root(id)
		if !slices.Contains(byID[r].Tags, tag) {
			fail("lost update: tag %s added to %s is missing from %s (root)", tag, id, r)
		}
	}
	// Interactions and LastContactAt.
	perRoot := map[uuid.UUID]int{}
	for _, in := range l.interactions {
		perRoot[root(in.ClientID)]++
	}
	for _, c := range all {
		if c.IsMerged() {
			continue
		}
		ins, err := store.Collect(st.ListInteractions(ctx, c.ID, store.Page{}))
		if err != nil {
			t.Fatal(err)
		}
		if len(ins) != perRoot[c.ID] {
			fail("client %s: %d interactions stored, %d logged successfully", c.ID, len(ins), perRoot[c.ID])
		}
		corrected := map[uuid.UUID]bool{}
		for _, in := range ins {
			if in.Corrects != uuid.Nil {
				corrected[in.Corrects] = true
			}
		}
		var last time.Time
		for _, in := range ins {
			if !corrected[in.ID] && in.Reached() && in.At.After(last) {
				last = in.At
			}
		}
		if !last.Equal(c.LastContactAt) {
			fail("client %s: LastContactAt %v, latest reaching interaction in force %v", c.ID, c.LastContactAt, last)
		}
	}
	// Stage changes are in the log of the client they were made on.
	for _, sc := range l.stageChanges {
		c := byID[sc.client]
		if !slices.ContainsFunc(c.StageLog, func(x crm.StageChange) bool {
			return x.At.Equal(sc.change.At) && x.To == sc.change.To && x.By == sc.change.By
		}) {
			fail("lost update: stage change %v->%v of %s missing from its log", sc.change.From, sc.change.To, sc.client)
		}
	}
	// Complaints.
	cs, err := store.Collect(st.ListComplaints(ctx, crm.ComplaintFilter{}, store.Page{}))
	if err != nil {
		t.Fatal(err)
	}
	cByID := map[uuid.UUID]crm.Complaint{}
	for _, c := range cs {
		cByID[c.ID] = c
	}
	for id := range l.complaints {
		if _, ok := cByID[id]; !ok {
			fail("complaint %s lost", id)
		}
	}
	for compID, cid := range l.compensations {
		c := cByID[cid]
		if !slices.ContainsFunc(c.Compensations, func(x crm.Compensation) bool { return x.ID == compID }) {
			fail("lost update: compensation %s of complaint %s missing", compID, cid)
		}
	}
	for _, c := range cs {
		if cl, ok := byID[c.ClientID]; !ok || cl.IsMerged() {
			fail("complaint %s belongs to merged or missing client %s", c.ID, c.ClientID)
		}
		prev := crm.ComplaintStatus("")
		for i, ch := range c.StatusLog {
			if i == 0 {
				if ch.To != crm.ComplaintReceived || ch.From != "" {
					fail("complaint %s: log starts %q->%q", c.ID, ch.From, ch.To)
				}
			} else if ch.From != prev || !crm.CanMoveComplaint(ch.From, ch.To) {
				fail("complaint %s: invalid step %d %q->%q after %q", c.ID, i, ch.From, ch.To, prev)
			}
			prev = ch.To
		}
		if prev != c.Status {
			fail("complaint %s: status %s but log ends at %s", c.ID, c.Status, prev)
		}
		if c.Status == crm.ComplaintDuplicate {
			orig, ok := cByID[c.DuplicateOf]
			switch {
			case !ok:
				fail("complaint %s duplicates missing %s", c.ID, c.DuplicateOf)
			case store.CompareKeys(orig.ReceivedAt, orig.ID, c.ReceivedAt, c.ID) >= 0:
				// Duplicates point back to earlier filings, so they never
				// form a cycle.
				fail("complaint %s duplicates %s, received no earlier", c.ID, orig.ID)
			case orig.Status == crm.ComplaintDuplicate:
				// Nor a chain: a move writes its original with it
				// (crm.Complaint.DuplicateOf).
				fail("complaint %s duplicates %s, itself a duplicate of %s", c.ID, orig.ID, orig.DuplicateOf)
			case orig.ClientID != c.ClientID:
				fail("complaint %s duplicates %s of another client", c.ID, orig.ID)
			}
		}
		for i, h := range c.Holds {
			if i < len(c.Holds)-1 && h.To.IsZero() {
				fail("complaint %s: hold %d never ended but is not the last", c.ID, i)
			}
		}
		if c.OnHold() && !c.Status.Open() {
			fail("complaint %s on hold in status %s", c.ID, c.Status)
		}
	}
	// Delegations.
	ds, err := store.Collect(st.ListDelegations(ctx, crm.DelegationFilter{}, store.Page{}))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range ds {
		for _, b := range ds[i+1:] {
			if a.Principal == b.Principal && a.Overlaps(b) {
				fail("overlapping delegations %s and %s of %s", a.ID, b.ID, a.Principal)
			}
		}
	}
	// Policy changes reported must be in the stage logs, once each.
	type pcKey struct {
		id       uuid.UUID
		from, to crm.Stage
	}
	reported := map[pcKey]int{}
	for _, pc := range l.policyChanges {
		reported[pcKey{pc.ClientID, pc.From, pc.To}]++
	}
	for k, n := range reported {
		logged := 0
		for _, x := range byID[k.id].StageLog {
			if x.Derived && x.From == k.from && x.To == k.to {
				logged++
			}
		}
		if n > logged {
			fail("ApplyActivityPolicy reported %s %s->%s %d times, stage log has it %d times", k.id, k.from, k.to, n, logged)
		}
	}
	slices.Sort(bad)
	bad = slices.Compact(bad)
	for i, b := range bad {
		if i >= 40 {
			t.Errorf("... and %d more", len(bad)-40)
			break
		}
		t.Error(b)
	}
}
