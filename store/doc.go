// Package store is the storage contract shared by every Store interface in
// crmkit.
//
// Domain packages (crm, loyalty, ...) declare the Store interfaces they
// need; store/memory and store/postgres implement them, and a host may
// implement them over its own database. Whatever the backend, every
// implementation keeps this contract, and store/storetest checks it.
//
// # Methods
//
// Every method takes a context.Context first and honours its cancellation.
// A method returns either its result or an error; the error is one of the
// kinds below (wrapped in an *Error that says which record), the context's
// error, or a backend failure (which matches ErrConflict when it is a
// transaction conflict the backend could not absorb, and none of the
// kinds otherwise).
//
//   - ErrNotFound: the record does not exist. A read refused for access
//     reasons by a service is reported the same way, so a caller cannot
//     learn whether a record it may not see exists.
//   - ErrConflict: a write was based on a stale Version (someone else
//     changed the record since it was read), or the backend met a
//     transaction conflict it could not absorb. Nothing was written. The
//     caller reads again and decides; services retry on their own where
//     re-applying the change is safe.
//   - ErrDuplicate: a unique key (an id, a tax number, an idempotency key)
//     is already taken. Nothing was written.
//
// # Writes
//
// A write is all or nothing: when it returns an error, no part of it is
// stored — not the record, not its timeline events, not its index
// entries. Every update carries the Version it read; the store refuses it
// with ErrConflict unless that is still the current version, and stores
// the record with Version.Next(). A create carries NoVersion and stores
// version 1.
//
// # Reads
//
// Reads return copies. Changing a returned value never changes what is
// stored, and a later write never changes a value already returned.
//
// # Listings
//
// Listings stream as iter.Seq2[T, error], so a report over millions of
// records holds only what it aggregates. A listing takes a filter of its
// own and a Page: the Cursor to resume after, the Order, and an optional
// Limit. Each listing documents its sort key (for most, the record id,
// which is a time-ordered UUIDv7; for timelines, the event time and then
// the id), and each listed record has a Cursor method giving its position.
// Resuming from a cursor yields exactly the records after it in that
// order: records present when the first page was read are never skipped
// or repeated, however many are inserted meanwhile. An error ends the
// sequence: it is yielded once, with the zero T.
package store
