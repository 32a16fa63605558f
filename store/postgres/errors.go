package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/crmkit/crmkit/store"
)

// ErrInvalid reports a request the store refuses because it would break
// the store's own integrity rather than a rule of the contract: a record
// or event with a nil id, a redacted client copy (crm.Client.Redacted
// set: storing it would erase the confidential fields it lacks), an
// UpdateClient that changes MergedInto, a merge whose halves do not fit
// together, a negative page limit, an outbox claim of no rows. Errors
// wrapping it say what is wrong. A service never causes one; a bug in a
// caller does. Nothing is written. (store/memory refuses the same
// requests.)
var ErrInvalid = errors.New("postgres: invalid request")

// ErrBackend matches every *Error: the database failed in a way the
// contract has no kind for. A serialization failure or deadlock that
// outlasted the store's attempts (or hit a read, or a host transaction)
// is also an *Error, wrapped so that it matches store.ErrConflict as
// well.
var ErrBackend = errors.New("postgres: database error")

// Error is a failure of the database or of the connection to it that is
// none of the contract's kinds (store.ErrNotFound, store.ErrConflict,
// store.ErrDuplicate) and not the caller's context ending: a lost
// connection, a missing table, a statement timeout, a disk full. It
// carries the server's SQLSTATE when there is one, and the text of the
// failure, but no driver type: the driver is this package's business.
type Error struct {
	Op       string // what the store was doing: "create client", "timeline"
	SQLState string // the five-character SQLSTATE the server reported, or ""
	Detail   string // the driver's or server's description
}

func (e *Error) Error() string { return e.Message("en") }

// Is makes every *Error match ErrBackend.
func (e *Error) Is(target error) bool { return target == ErrBackend }

// Code returns "backend_error".
func (e *Error) Code() string { return "backend_error" }

// Message returns the message in the language of tag. The detail from
// the server is quoted as the server gave it.
func (e *Error) Message(tag string) string {
	state := ""
	if e.SQLState != "" {
		state = " [" + e.SQLState + "]"
	}
	return pick(tag,
		fmt.Sprintf("postgres: %s failed%s: %s", e.Op, state, e.Detail),
		fmt.Sprintf("postgres: ошибка базы данных (%s)%s: %s", e.Op, state, e.Detail))
}

// pick returns ru when tag's language is Russian, else en.
func pick(tag, en, ru string) string {
	lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
	lang, _, _ = strings.Cut(lang, "_")
	if lang == "ru" {
		return ru
	}
	return en
}

// SQLSTATE codes the store reacts to.
const (
	sqlUniqueViolation      = "23505"
	sqlForeignKeyViolation  = "23503"
	sqlSerializationFailure = "40001"
	sqlDeadlockDetected     = "40P01"
)

// uniqueKeys maps the unique constraints of the schema to the record and
// the store.Duplicate field they protect.
var uniqueKeys = map[string]struct{ entity, field string }{
	"crmkit_clients_pkey":      {"client", "id"},
	"crmkit_clients_inn_key":   {"client", "inn"},
	"crmkit_interactions_pkey": {"interaction", "id"},
	"crmkit_events_pkey":       {"event", "id"},
	"crmkit_delegations_pkey":  {"delegation", "id"},
}

// pgCode returns the SQLSTATE of err, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports whether a failed transaction may simply be run again:
// a serialization failure or a deadlock, both of which roll the whole
// transaction back.
func retryable(err error) bool {
	switch pgCode(err) {
	case sqlSerializationFailure, sqlDeadlockDetected:
		return true
	}
	return false
}

// translate turns what a write or read returned into the error the API
// reports: errors of the contract and of this package pass through; the
// context's end is reported as such; a unique or foreign-key violation
// becomes store.ErrDuplicate or store.ErrNotFound; anything else from the
// driver becomes an *Error.
func translate(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var se *store.Error
	var be *Error
	if errors.As(err, &se) || errors.As(err, &be) || errors.Is(err, ErrInvalid) || errors.Is(err, errNotUpdated) || isDomain(err) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case sqlUniqueViolation:
			if k, ok := uniqueKeys[pe.ConstraintName]; ok {
				return store.Duplicate(k.entity, k.field, keyOf(pe.Detail))
			}
		case sqlForeignKeyViolation:
			if strings.HasSuffix(pe.ConstraintName, "_client_fkey") {
				return store.NotFound("client", keyOf(pe.Detail))
			}
		case sqlSerializationFailure, sqlDeadlockDetected:
			// Still failing after the store's own attempts (or in a read,
			// which has none): the caller reads again and retries, as for
			// a version conflict. It matches ErrBackend too.
			return fmt.Errorf("%w: %w", store.ErrConflict, backendError(ctx, op, err))
		}
	}
	return backendError(ctx, op, err)
}

// backendError reports a driver or server failure: the context's error
// when the context has ended (whatever the driver made of it), else an
// *Error.
func backendError(ctx context.Context, op string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("postgres: %s: %w", op, ctxErr)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// A context the driver derived ended; report the kind without the
		// driver's wrapping.
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("postgres: %s: %w", op, context.Canceled)
		}
		return fmt.Errorf("postgres: %s: %w", op, context.DeadlineExceeded)
	}
	e := &Error{Op: op, Detail: err.Error()}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		e.SQLState = pe.Code
		e.Detail = pe.Message
		if pe.Detail != "" {
			e.Detail += " (" + pe.Detail + ")"
		}
	}
	return e
}

// keyOf extracts the value from a constraint violation's detail, such as
// `Key (inn_key)=(RU:7707083893) already exists.`
func keyOf(detail string) string {
	_, rest, ok := strings.Cut(detail, ")=(")
	if !ok {
		return ""
	}
	if i := strings.LastIndex(rest, ")"); i >= 0 {
		return rest[:i]
	}
	return rest
}
