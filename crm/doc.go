// Package crm is the client account of a B2B seller: the client card and
// its contacts, the lifecycle from lead to customer (and to lost, dormant
// or churned), the interactions with the client, the client's timeline,
// and who may see and change what — including deputies who stand in for
// an absent manager.
//
// # The Service
//
// A Service runs every operation. It is built over a Store (store/memory
// is the embedded default; store/postgres for production) and Options
// that inject the clock and ids, the user Directory, and the business
// policies (lost-reason catalogue, activity policy, contact cadence,
// confidentiality, custom attribute types):
//
//	svc, err := crm.NewService(memory.New(), crm.Options{Directory: team})
//
// Every method takes a context and the acting user (an Actor: id, roles,
// subordinates). It checks access, validates its input — a bad input is a
// *ValidationError naming the field, never a panic, and nothing is
// written — and stores the change together with the timeline events that
// record it, in one store write.
//
// # Client card
//
// A client is a counterparty: company, sole proprietor or individual, with
// tax identifiers (Russian INN, KPP, OGRN, OGRNIP checked by checksum and
// matched to the client's kind; foreign identifiers kept as given and
// folded only for duplicate matching),
// addresses, tier with who set it and why, owner, tags, typed custom
// attributes, source and campaign, manual flags (do-not-contact,
// blocked), and contacts — full names with patronymic, buying role,
// birthday with an optional year, e-mails folded to lower case, phones in
// E.164 — exactly one of them primary.
//
// # Duplicates
//
// CreateClient looks for probable duplicates by the same INN, the same
// tax id of another country (case, separators and a country prefix
// ignored), a phone or e-mail in common, or the same name once case,
// quotes, ё/е, legal forms (ООО, АО, LLC, ...) and the spacing of
// initials are ignored — the name of a sole proprietor or an individual
// written out with a patronymic also matches its "surname + initials"
// form — using the store's key index, and
// returns each with the reasons it matched. An exact INN match refuses
// the create (a *DuplicateError, errors.Is store.ErrDuplicate) unless the
// caller sets Force. MergeClients folds a duplicate into a survivor,
// keeping both histories.
//
// Name matches are hints for a person to judge, the weakest reason: two
// people of one surname and the same initials share a key ("Иванов Иван
// Иванович" and "Иванов Игорь Ильич" both give "иванов ии"); initials
// that spell a legal form ("ИП Иванов И. П.") are dropped with the form,
// leaving the surname; and initials typed in Latin look-alike letters do
// not meet a name written in Cyrillic.
//
// # Lifecycle
//
// Stages move Lead → Qualified → Negotiation → Customer → Dormant →
// Churned; Lost is reachable from the funnel with a reason from a managed
// catalogue; see Stage for the full table. Every change is logged with
// actor, time, from, to and reason; StageDurations computes the time spent
// in each stage. ActivityPolicy derives Dormant and Churned from order
// activity as an explicit function of the as-of date, and
// ApplyActivityPolicy records the result.
//
// # Interactions, timeline, cadence
//
// LogInteraction records calls, meetings, visits, e-mails, chats,
// messenger and social contacts, letters, faxes and notes; the log is
// append-only and CorrectInteraction adds a correction. Timeline streams
// everything that happened to a client in time order, oldest or newest
// first, with cursors. OverdueContacts lists the clients whose tier's
// contact cadence (for example VIP every 7 days) has lapsed.
//
// # Complaints
//
// ReceiveComplaint records a client's claim — contact, references (order,
// invoice, shipping document such as УПД or ТОРГ-12, SKU, batch,
// quantity), channel, receipt, description, severity, the remedy asked
// for and its value — and fixes its SLA deadlines (acknowledge, resolve)
// in business time on the ComplaintSLA's working calendar (package
// worktime). MoveComplaint drives the ISO 10002 steps: received →
// acknowledged → investigating → resolved (granted, partly, or refused
// with a reason) → closed, with rejected and duplicate besides; a move
// that is not allowed is a *ComplaintError. CategorizeComplaint keeps the
// root-cause categoriser's suggestion (package rootcause) with its
// evidence; ConfirmRootCause records the cause a person found, beside it.
// The five whys, the responsible party, immediate, corrective and
// preventive actions with owners and due dates, and compensations (credit
// notes, replacement orders) complete the record. ComplaintSLAStatus
// judges each deadline due, met or breached as of an instant.
// HoldComplaint stops the SLA clock of an open complaint while the
// company waits for the client (photos, an inspection report, access to
// the site), with a reason; ResumeComplaint ends the hold, and each
// deadline still owed moves later by the business time it covered (one
// met during the hold, by the time from the hold's start to when it was
// met: a breach before the hold is not undone). A hold is independent of
// the status; a move to resolved, rejected, duplicate or closed ends it in
// the same write. While a hold lasts, the deadlines still ahead when it
// began are not overdue (ComplaintSLAStatus: state on_hold, judged as if
// the hold ended at the instant asked); one already missed stays overdue,
// so a hold never hides a breach. Every change is an event on the
// client's timeline; access follows the
// client's; a merge moves complaints to the survivor. ComplaintPareto
// ranks the complaints an actor may read by root cause, client, product
// or responsible party, by count or by cost, and CompareComplaintPareto
// sets one period beside another.
//
// # Access and delegation
//
// A manager sees and changes their own clients; a head of sales those of
// everyone below them; an admin everything; auditors and credit
// controllers read only. A refused read is reported exactly like a
// missing client. Confidential fields (credit data, internal notes) are
// emptied for roles that may not see them. Delegate gives a deputy the
// principal's rights for a window [from, to); every event then records
// the deputy as actor and the principal as on-behalf-of.
//
// # Errors and messages
//
// Errors match ErrInvalid, ErrForbidden, ErrTransition, ErrDelegation,
// ErrComplaint or the store package's kinds with errors.Is; each typed error has a stable
// Code and a Message in English or Russian.
package crm
