package crm

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/clock"
	"github.com/crmkit/crmkit/crm/normalize"
	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/internal/lang"
	"github.com/crmkit/crmkit/store"
)

// Options configure a Service. The zero Options is usable: every empty
// field takes the default named in its comment.
type Options struct {
	// Clock gives the current time and new ids. Default: the system clock
	// and UUIDv7.
	Clock clock.Options
	// Directory finds a principal's rights when their deputy acts.
	// Default: an empty Team, so no delegated access until one is set.
	Directory Directory
	// PhoneRegion is the region assumed for phone numbers written without
	// a country code (ISO 3166-1 alpha-2). Default: "RU".
	PhoneRegion string
	// LostReasons is the catalogue of reasons for losing a client.
	// Default: DefaultLostReasons().
	LostReasons []LostReason
	// Activity derives Dormant and Churned. Default: DefaultActivityPolicy().
	Activity *ActivityPolicy
	// Cadence is the contact cadence per tier. Default: DefaultCadence().
	Cadence CadencePolicy
	// Confidentiality says who sees confidential fields. Default:
	// DefaultConfidentiality().
	Confidentiality ConfidentialityPolicy
	// Attributes declares the custom attributes and their types. When
	// empty, any well-formed key of any type is accepted.
	Attributes map[string]AttrType
	// FutureTolerance is how far in the future an interaction may be
	// dated (clock skew between devices). Default: 5 minutes.
	FutureTolerance time.Duration
	// Location is where calendar dates (cadence, activity) are judged.
	// Default: UTC.
	Location *time.Location
	// MaxRetries bounds the attempts of a write that meets a version
	// conflict and is safe to repeat. Default: 64.
	MaxRetries int
	// ComplaintSLA sets the complaint deadlines and the working calendar
	// they are counted on. Default: DefaultComplaintSLA().
	ComplaintSLA *ComplaintSLA
	// Categorizer suggests complaints' root causes; its taxonomy is the
	// catalogue of root-cause codes. Default: rootcause.Default() (the rules
	// blended with the built-in model).
	Categorizer *rootcause.Categorizer
}

// Service runs the client base: every method takes the acting user,
// checks what they may see or change, validates its input, and records
// the change with its timeline events in one store write.
//
// A Service is safe for concurrent use.
type Service struct {
	store Store
	opts  Options
	now   func() time.Time
	newID func() uuid.UUID
	sla   *slaPolicy
}

// NewService returns a Service over st. Options are validated: a bad
// catalogue or policy is reported here, not at first use.
func NewService(st Store, opts Options) (*Service, error) {
	if st == nil {
		return nil, invalid("store", ReasonRequired, "")
	}
	opts.Clock = opts.Clock.WithDefaults()
	if opts.Directory == nil {
		opts.Directory = NewTeam()
	}
	if opts.PhoneRegion == "" {
		opts.PhoneRegion = normalize.DefaultRegion
	}
	if _, err := normalize.Phone("+79161234567", opts.PhoneRegion); err != nil {
		return nil, &ValidationError{Field: "phone_region", Reason: ReasonUnknownValue, Value: opts.PhoneRegion, Err: err}
	}
	if opts.LostReasons == nil {
		opts.LostReasons = DefaultLostReasons()
	}
	if err := validateLostReasons(opts.LostReasons); err != nil {
		return nil, err
	}
	// The Service keeps its own copies of the policies, maps and lists it
	// is given: a caller changing (or sharing) them later neither
	// bypasses the checks below nor reaches into another Service.
	if opts.Activity == nil {
		p := DefaultActivityPolicy()
		opts.Activity = &p
	} else {
		p := *opts.Activity
		opts.Activity = &p
	}
	opts.LostReasons = slices.Clone(opts.LostReasons)
	opts.Cadence = maps.Clone(opts.Cadence)
	opts.Attributes = maps.Clone(opts.Attributes)
	if opts.Confidentiality != nil {
		conf := make(ConfidentialityPolicy, len(opts.Confidentiality))
		for class, roles := range opts.Confidentiality {
			conf[class] = slices.Clone(roles)
		}
		opts.Confidentiality = conf
	}
	if opts.ComplaintSLA != nil {
		p := *opts.ComplaintSLA // compile copies its map of overrides
		opts.ComplaintSLA = &p
	}
	if err := opts.Activity.validate(); err != nil {
		return nil, err
	}
	if opts.Cadence == nil {
		opts.Cadence = DefaultCadence()
	}
	if err := opts.Cadence.validate(); err != nil {
		return nil, err
	}
	if opts.Confidentiality == nil {
		opts.Confidentiality = DefaultConfidentiality()
	}
	for k, t := range opts.Attributes {
		if !validAttrKey(k) {
			return nil, invalid("attributes", ReasonBadFormat, k)
		}
		if !t.Valid() {
			return nil, invalid("attributes."+k, ReasonUnknownValue, string(t))
		}
	}
	if opts.FutureTolerance == 0 {
		opts.FutureTolerance = 5 * time.Minute
	}
	if opts.FutureTolerance < 0 {
		return nil, invalid("future_tolerance", ReasonNegative, opts.FutureTolerance.String())
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Activity.Location == nil {
		opts.Activity.Location = opts.Location
	}
	if opts.MaxRetries <= 0 {
		opts.MaxRetries = 64
	}
	if opts.ComplaintSLA == nil {
		p := DefaultComplaintSLA()
		opts.ComplaintSLA = &p
	}
	sla, err := opts.ComplaintSLA.compile()
	if err != nil {
		return nil, err
	}
	if opts.Categorizer == nil {
		opts.Categorizer = rootcause.Default()
	}
	clockNow := opts.Clock.Now
	// Instants are kept to the microsecond, in UTC: what PostgreSQL keeps,
	// so that a stored time reads back equal and orders the same.
	now := func() time.Time { return clockNow().Truncate(time.Microsecond).UTC() }
	return &Service{store: st, opts: opts, now: now, newID: opts.Clock.NewID, sla: sla}, nil
}

func validateLostReasons(rs []LostReason) error {
	if len(rs) == 0 {
		return invalid("lost_reasons", ReasonRequired, "")
	}
	for i, r := range rs {
		if !validAttrKey(r.Code) {
			return invalid(indexed("lost_reasons", i)+".code", ReasonBadFormat, r.Code)
		}
		if r.EN == "" || r.RU == "" {
			return invalid(indexed("lost_reasons", i)+".name", ReasonRequired, r.Code)
		}
		for j := range i {
			if rs[j].Code == r.Code {
				return invalid(indexed("lost_reasons", i)+".code", ReasonDuplicate, r.Code)
			}
		}
	}
	return nil
}

// LostReasons returns the catalogue of lost reasons in use.
func (s *Service) LostReasons() []LostReason { return slices.Clone(s.opts.LostReasons) }

func (s *Service) lostReason(code string) (LostReason, bool) {
	for _, r := range s.opts.LostReasons {
		if r.Code == code {
			return r, true
		}
	}
	return LostReason{}, false
}

// grant is how an actor reaches a client: on their own rights, or as the
// deputy of a principal.
type grant struct {
	onBehalfOf uuid.UUID // uuid.Nil on the actor's own rights
	roles      []Role    // the roles whose confidentiality rights apply
}

// hiddenClient is the error for a client an actor may not read, and for a
// missing client when the actor could not read every client anyway: the
// two are indistinguishable, so a refusal reveals nothing.
func hiddenClient(id uuid.UUID) error {
	return &hiddenError{id: id}
}

type hiddenError struct{ id uuid.UUID }

func (e *hiddenError) Error() string {
	return "crm: client " + e.id.String() + " not found or not accessible"
}
func (e *hiddenError) Code() string { return "not_found" }
func (e *hiddenError) Message(tag string) string {
	return lang.Pick(tag, e.Error(), "crm: клиент "+e.id.String()+" не найден или недоступен")
}

// Is makes the error match both store.ErrNotFound and ErrForbidden.
func (e *hiddenError) Is(target error) bool {
	return target == store.ErrNotFound || target == ErrForbidden
}

// readsAll reports whether the actor may read every client.
func (a Actor) readsAll() bool {
	return a.Has(RoleAdmin) || a.Has(RoleAuditor) || a.Has(RoleCreditController)
}

// reach is what an actor can get at in one call: their own rights and
// those of the principals whose active delegations they hold. It is
// loaded once per call, so a listing makes no query per record.
type reach struct {
	actor     Actor
	delegated []delegatedRights
	loaded    bool
}

type delegatedRights struct {
	d         Delegation
	principal Actor
}

// reachOf loads the actor's active delegations and their principals'
// rights. Principals unknown to the Directory (people who left) give
// nothing.
func (s *Service) reachOf(ctx context.Context, actor Actor) (reach, error) {
	r := reach{actor: actor, loaded: true}
	for d, err := range s.store.ListDelegations(ctx, DelegationFilter{Deputy: actor.ID, ActiveAt: s.now()}, store.Page{}) {
		if err != nil {
			return reach{}, err
		}
		principal, err := s.opts.Directory.Actor(ctx, d.Principal)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			return reach{}, err
		}
		r.delegated = append(r.delegated, delegatedRights{d: d, principal: principal})
	}
	return r, nil
}

// grant decides whether the reach covers reading (or, with write,
// changing) client c.
func (r reach) grant(c Client, write bool) (grant, bool) {
	own := r.actor.canRead(c.Owner)
	if write {
		own = r.actor.canWrite(c.Owner)
	}
	if own {
		return grant{roles: r.actor.Roles}, true
	}
	for _, dr := range r.delegated {
		if !dr.d.Covers(c.ID) {
			continue
		}
		ok := dr.principal.canRead(c.Owner)
		if write {
			ok = dr.principal.canWrite(c.Owner)
		}
		if ok {
			// The principal's rights, no more: the deputy's own roles do
			// not widen what they see of a client they reach only
			// through the delegation (confidential fields).
			return grant{onBehalfOf: dr.d.Principal, roles: dr.principal.Roles}, true
		}
	}
	return grant{}, false
}

// owners returns the owners whose clients the reach may read, or all =
// true when it is not limited by owner (a global reader, or a delegation
// limited to a list of clients, which the caller must then filter).
func (r reach) owners() (owners []uuid.UUID, all bool) {
	add := func(a Actor) bool {
		if a.readsAll() {
			return true
		}
		if a.Has(RoleManager) || a.Has(RoleHeadOfSales) {
			owners = append(owners, a.ID)
			if a.Has(RoleHeadOfSales) {
				owners = append(owners, a.Subordinates...)
			}
		}
		return false
	}
	if add(r.actor) {
		return nil, true
	}
	for _, dr := range r.delegated {
		if len(dr.d.Clients) > 0 || add(dr.principal) {
			return nil, true
		}
	}
	slices.SortFunc(owners, func(a, b uuid.UUID) int { return store.CompareKeys(zeroTime, a, zeroTime, b) })
	return slices.Compact(owners), false
}

// access decides whether actor may read (or, with write, change) client c,
// on their own rights or through an active delegation. Delegations are
// loaded only when the actor's own rights do not suffice.
func (s *Service) access(ctx context.Context, actor Actor, c Client, write bool) (grant, error) {
	r := reach{actor: actor}
	if g, ok := r.grant(c, write); ok {
		return g, nil
	}
	r, err := s.reachOf(ctx, actor)
	if err != nil {
		return grant{}, err
	}
	if g, ok := r.grant(c, write); ok {
		return g, nil
	}
	if write && actor.canRead(c.Owner) {
		return grant{}, forbidden(actor, ActionUpdateClient)
	}
	return grant{}, hiddenClient(c.ID)
}

// loadClient reads a client for actor, following merges to the survivor,
// and checks access.
func (s *Service) loadClient(ctx context.Context, actor Actor, id uuid.UUID, write bool) (Client, grant, error) {
	if err := actor.validate(); err != nil {
		return Client{}, grant{}, err
	}
	if id == uuid.Nil {
		return Client{}, grant{}, invalid("client_id", ReasonRequired, "")
	}
	c, err := s.store.GetClient(ctx, id)
	for hops := 0; err == nil && c.IsMerged() && hops < 16; hops++ {
		c, err = s.store.GetClient(ctx, c.MergedInto)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) && !actor.readsAll() {
			return Client{}, grant{}, hiddenClient(id)
		}
		return Client{}, grant{}, err
	}
	g, err := s.access(ctx, actor, c, write)
	if err != nil {
		if _, hidden := err.(*hiddenError); hidden {
			return Client{}, grant{}, hiddenClient(id)
		}
		return Client{}, grant{}, err
	}
	return c, g, nil
}

// redact empties the confidential fields the grant may not see.
func (s *Service) redact(c Client, g grant) Client {
	c.Redacted = nil
	if !s.opts.Confidentiality.sees(g.roles, ClassCredit) {
		c.Credit = CreditProfile{}
		c.Redacted = append(c.Redacted, ClassCredit)
	}
	if !s.opts.Confidentiality.sees(g.roles, ClassInternal) {
		c.InternalNotes = ""
		c.Redacted = append(c.Redacted, ClassInternal)
	}
	return c
}

// retry runs attempt until it succeeds, fails with anything but a version
// conflict, or MaxRetries attempts have conflicted. Each attempt must
// read afresh and re-apply its change: that is what makes it safe.
func (s *Service) retry(ctx context.Context, attempt func() error) error {
	var err error
	for i := range s.opts.MaxRetries {
		if err = attempt(); !errors.Is(err, store.ErrConflict) {
			return err
		}
		if i >= 2 {
			// Back off with jitter so that many writers of one record
			// stop colliding. This is real waiting, not domain time.
			backoff := time.Duration(rand.Int64N(int64(time.Millisecond) << min(i-2, 4)))
			t := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return err
}

// event builds a timeline event of client made by actor under grant g.
func (s *Service) event(client uuid.UUID, kind EventKind, at time.Time, actor Actor, g grant, data map[string]string) Event {
	return Event{
		ID:         s.newID(),
		ClientID:   client,
		Kind:       kind,
		At:         at,
		RecordedAt: s.now(),
		Actor:      actor.ID,
		OnBehalfOf: g.onBehalfOf,
		Data:       data,
	}
}
