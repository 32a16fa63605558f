// Package memory is crmkit's embedded default store: every Store interface
// of the domain packages, kept in the process's memory.
//
// A host that wants to try crmkit, run its tests or serve a small team
// without a database calls New and hands the result to the services:
//
//	st := memory.New()
//	svc, err := crm.NewService(st, opts)
//
// Nothing is written to disk: the data lives as long as the *Store value
// and is lost when the process ends. Use store/postgres (or a Store of the
// host's own) for anything that must survive a restart.
//
// # Contract
//
// The store keeps the contract of the store package, which
// store/storetest checks:
//
//   - Every method takes a context first and returns its error once the
//     context is done; listings check it between records.
//   - Writes are all or nothing. A write is validated as a whole — version,
//     unique keys, events — before anything is changed, and its events are
//     stored in the same critical section as the record they describe.
//   - Updates carry the version they read and fail with store.ErrConflict
//     when it is stale; unique keys (ids, the INN of live clients) fail
//     with store.ErrDuplicate; missing records with store.ErrNotFound.
//   - Values are copied on the way in and on the way out: mutating a value
//     passed to a write, or returned by a read, never changes the store.
//
// Besides the contract's error kinds, a write that would corrupt the store
// (a nil id, a redacted client copy, a merge whose halves do not fit) fails
// with an error wrapping ErrInvalid, and an event naming a client that
// does not exist with store.ErrNotFound.
//
// # Events
//
// Every event is kept in a log in the order it was written (Events returns
// it), as well as on its client's timeline; events of no client, such as
// those of delegations, are on no timeline. When clients are merged, the
// merged client's events move to the survivor's timeline while the log
// keeps them as written.
//
// # Concurrency
//
// A *Store is safe for concurrent use. One read-write mutex guards all of
// it; reads share it, writes hold it briefly, and the work that needs no
// shared state (copying a record, computing its duplicate-detection keys)
// happens before the lock is taken.
//
// Listings never hold the lock while the caller runs: they read a batch of
// records under the read lock, release it, hand the batch out, and resume
// from the last key they read. A caller may therefore write to the store
// from inside its loop, and records present when a listing began are never
// skipped or repeated, however many are inserted meanwhile.
//
// # Costs
//
// Lookups by id, the duplicate-detection index (FindByKeys) and the INN
// uniqueness check are map lookups. Clients and delegations are kept in id
// order, interactions and timeline events per client in (time, id) order,
// so a page costs a binary search plus the records it returns, whatever
// the size of the store. A record written out of order (an interaction
// logged today about yesterday's call) is inserted in place.
package memory
