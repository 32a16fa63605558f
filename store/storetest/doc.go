// Package storetest is the conformance suite for implementations of the
// crmkit Store interfaces. It checks that a store keeps the contract
// written in the store package doc and in the method comments of
// crm.Store, whatever the backend: store/memory runs it, store/postgres
// runs it, and so should a host's own store.
//
// # Use
//
// The suite is an ordinary package that imports "testing". A host calls
// it from a test of its own, with a Harness that makes a fresh, empty
// store for every subtest:
//
//	package mystore_test
//
//	import (
//		"testing"
//
//		"github.com/crmkit/crmkit/crm"
//		"github.com/crmkit/crmkit/store/storetest"
//
//		"example.com/app/mystore"
//	)
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, storetest.Harness{
//			NewStore: func(t *testing.T) crm.Store {
//				st := mystore.Open(t.Name()) // a new, empty schema
//				t.Cleanup(func() { st.Close() })
//				return st
//			},
//		})
//	}
//
// Run runs every check of crm.Store. RunClients, RunInteractions,
// RunComplaints, RunTimeline, RunDelegations and RunService run one family
// each, for a store that is being written one interface at a time or to
// re-run a failing family alone
// (go test -run 'TestConformance/timeline'). Every check is a subtest
// named after the rule it enforces, and a failure message starts with
// "contract:" and says which rule broke and how.
//
// The suite does not run subtests in parallel, but many checks start
// goroutines of their own against one store, so run it with -race. The
// fixtures it writes look real (a Russian company with an INN, a contact,
// a stage log) but are not valid for the service; a store must not
// validate content. Records are compared in a canonical form: instants
// in any time zone, nil or empty slices and maps, and equal decimals in
// any representation all compare equal.
//
// # Rules checked
//
// Errors:
//   - reading an unknown id (and updating or merging one) is
//     store.ErrNotFound; an interaction for an unknown client too; an
//     interaction for a client merged into another is store.ErrConflict;
//   - a taken id (client, interaction, delegation) is store.ErrDuplicate,
//     and so is a second live, not AcceptedDuplicate client with the same
//     Russian INN (Client.UniqueINNKey), by create, update or merge; accepted
//     duplicates and merged clients do not hold the key; the check is
//     atomic under concurrent creates;
//   - a write carrying a stale version is store.ErrConflict; a create
//     carrying a version is refused; versions go 1, 2, 3 with each write.
//
// Writes:
//   - a refused write writes nothing: not the record, not its timeline
//     events, not its FindByKeys index entries, not LastContactAt;
//   - the store keeps its own copies: changing a value after passing it
//     in, or after reading it, never changes the store, and a later write
//     never changes a value already returned (Tags, contacts' phones,
//     Attributes, StageLog, Event.Data, Interaction.Contacts and NextStep,
//     Delegation.Clients);
//   - concurrent read-modify-write with retry on ErrConflict loses no
//     update, and concurrent appends are all kept.
//
// Listings (ListClients, ListInteractions, Timeline, ListDelegations):
//   - ordered by id, or by (At, id) for interactions and timelines,
//     ascending or descending, including records written out of order;
//   - resuming from any cursor yields exactly the records after it, and
//     Limit caps a page;
//   - paging with Limit while another goroutine inserts records before,
//     between and after the listed ones lists every record present at the
//     start exactly once, in strict order, and lists a record inserted
//     after the cursor of a page requested later;
//   - a listing stops when the caller breaks out of the loop; an error is
//     yielded once, with the zero record;
//   - ClientFilter (Owners, IDs, Stages, Tiers, Tag folded, UpdatedSince
//     inclusive, IncludeMerged) and DelegationFilter (Principal, Deputy,
//     ActiveAt with From inclusive, To exclusive, cancellation) select
//     exactly the matching records.
//
// Client rules:
//   - FindByKeys returns one match per live client and key (INN, phone,
//     e-mail, name), follows updates and ignores merged clients;
//   - AppendInteraction moves LastContactAt to a reached interaction's At
//     when it is later, leaves it for earlier, unanswered and note
//     interactions, and does not change the client's version; a
//     correction recomputes it from the reaching interactions that no
//     other interaction corrects;
//     UpdateClient ignores the LastContactAt it carries;
//   - MergeClients stores both clients at their next version and moves
//     the merged client's interactions, complaints and timeline events to
//     the survivor; a stale or conflicting merge moves nothing.
//
// Complaints (RunComplaints):
//   - a complaint reads back as written, every field (references,
//     money, status log, resolution, suggestion with its evidence, root
//     cause, actions, compensations), at version 1, with its events on
//     its client's timeline; versions go 1, 2, 3; a stale write is
//     store.ErrConflict; an unknown client is store.ErrNotFound, a merged
//     one store.ErrConflict, a taken id store.ErrDuplicate, a write moving
//     a complaint to another client is refused — and each refusal writes
//     nothing;
//   - ListComplaints is ordered by (ReceivedAt, id) both ways, resumes
//     exactly after any cursor, and selects exactly what
//     crm.ComplaintFilter.Match selects (client, statuses, overdue at an
//     instant, handler);
//   - UpdateComplaints writes every complaint or none: a stale complaint
//     (store.ErrConflict, whether listed first or later), a missing one
//     (store.ErrNotFound), one listed twice or moved to another client,
//     or an empty list is refused and nothing is written; otherwise each
//     is stored at its next version, one written unchanged too, with the
//     events; of concurrent writes guarding one complaint at the same
//     version exactly one wins;
//   - MergeClients moves the merged client's complaints to the survivor
//     with their next version, so a copy read before the merge is stale;
//   - concurrent read-modify-write, and concurrent crm.Service changes,
//     lose no update.
//
// Delegations:
//   - a delegation whose window overlaps another of the same principal
//     (Delegation.Overlaps, so a cancellation ends a window) is refused
//     with a *crm.DelegationError matching crm.ErrDelegation; adjacent
//     windows and other principals are allowed; of concurrent overlapping
//     creates exactly one succeeds.
//
// Cancellation: every method given a cancelled context fails with an
// error matching context.Canceled, and writes nothing.
//
// Service: many goroutines changing one client through crm.Service over
// the store lose no update (every writer's change survives, versions and
// events add up); concurrent stage changes keep the stage log a chain.
package storetest
