package crm

import (
	"context"

	"github.com/google/uuid"

	"github.com/crmkit/crmkit/crm/rootcause"
	"github.com/crmkit/crmkit/money"
	"github.com/crmkit/crmkit/store"
)

// ParetoQuery selects the complaints of a Pareto analysis and says how
// each counts.
type ParetoQuery struct {
	// Filter narrows the complaints (a client, statuses, a handler). The
	// analysis always sees only what the actor may read.
	Filter ComplaintFilter
	// ConfirmedOnly counts only complaints whose root cause a person has
	// confirmed. Otherwise a complaint without a confirmed cause counts
	// under the categoriser's suggestion, and one with neither under the
	// taxonomy's fallback ("other").
	ConfirmedOnly bool
	// Options are the analysis's: dimension (cause, client, product,
	// party), measure (count or cost), period, target share, number of
	// groups. The taxonomy defaults to the Service's categoriser's.
	Options rootcause.ParetoOptions
}

// ComplaintPareto ranks the complaints the actor may read by root cause
// (or by client, product or responsible party), by count or by cost, with
// the cumulative share and the cut reported as it is ("3 of 11 causes =
// 78% of cost"), "other" always last.
//
// A complaint's cost is the sum of its compensations (credit notes,
// replacement orders); its product is Refs.SKU; its party the responsible
// party recorded on it, else the usual party of its cause; its instant
// ReceivedAt. Complaints marked as duplicates of another are left out, so
// that nothing counts twice; what was paid on a duplicate before it was
// marked adds to its original's cost (or counts on its own when the
// original is not in the listing). Costs in more than one currency are an
// error matching money.ErrCurrencyMismatch; filter or convert first.
//
// The listing is read once, whatever the period; a host with millions
// of complaints narrows it with q.Filter.
func (s *Service) ComplaintPareto(ctx context.Context, actor Actor, q ParetoQuery) (rootcause.ParetoReport, error) {
	records, opt, err := s.paretoRecords(ctx, actor, q)
	if err != nil {
		return rootcause.ParetoReport{}, err
	}
	return rootcause.Pareto(records, opt)
}

// CompareComplaintPareto is ComplaintPareto for two periods side by side
// — this month against the last — with each group's change; q.Options'
// own Period is ignored.
func (s *Service) CompareComplaintPareto(ctx context.Context, actor Actor, q ParetoQuery, current, previous rootcause.Period) (rootcause.ParetoComparison, error) {
	records, opt, err := s.paretoRecords(ctx, actor, q)
	if err != nil {
		return rootcause.ParetoComparison{}, err
	}
	return rootcause.ComparePareto(records, opt, current, previous)
}

func (s *Service) paretoRecords(ctx context.Context, actor Actor, q ParetoQuery) ([]rootcause.Record, rootcause.ParetoOptions, error) {
	opt := q.Options
	if opt.Taxonomy == nil {
		opt.Taxonomy = s.opts.Categorizer.Taxonomy()
	}
	var records []rootcause.Record
	index := map[uuid.UUID]int{}       // complaint → its record
	dupOf := map[uuid.UUID]uuid.UUID{} // duplicate → what it duplicates
	var dups []Complaint
	for c, err := range s.ListComplaints(ctx, actor, q.Filter, store.Page{}) {
		if err != nil {
			return nil, opt, err
		}
		if c.Status == ComplaintDuplicate {
			dupOf[c.ID] = c.DuplicateOf
			if len(c.Compensations) > 0 {
				dups = append(dups, c)
			}
			continue
		}
		rec, ok, err := paretoRecord(c, q.ConfirmedOnly)
		if err != nil {
			return nil, opt, err
		}
		if ok {
			index[c.ID] = len(records)
			records = append(records, rec)
		}
	}
	// A duplicate does not count, but what was paid on it did: its
	// compensation adds to its original's cost (or, when the original is
	// not among these records, stands as a record of its own).
	for _, d := range dups {
		rec, ok, err := paretoRecord(d, q.ConfirmedOnly)
		if err != nil {
			return nil, opt, err
		}
		if rec.Cost.IsZero() {
			continue
		}
		// A duplicate can point at a complaint that is a duplicate itself
		// when it was written before duplicate moves wrote their original
		// too (or by a store that does not honour UpdateComplaints):
		// follow the chain to the original (it always points back to
		// earlier filings, so it ends; the bound is for safety).
		orig := d.DuplicateOf
		for steps := 0; steps < len(dupOf); steps++ {
			next, isDup := dupOf[orig]
			if !isDup {
				break
			}
			orig = next
		}
		if i, found := index[orig]; found {
			if records[i].Cost, err = records[i].Cost.Add(rec.Cost); err != nil {
				return nil, opt, err
			}
			continue
		}
		if ok {
			records = append(records, rec)
		}
	}
	return records, opt, nil
}

// paretoRecord turns a complaint into the categoriser's record; ok is
// false when the complaint does not count.
func paretoRecord(c Complaint, confirmedOnly bool) (rec rootcause.Record, ok bool, err error) {
	switch {
	case c.RootCause != nil:
		rec.Cause = rootcause.Code(c.RootCause.Code)
	case confirmedOnly:
		return rec, false, nil
	case c.Suggestion != nil:
		rec.Cause = rootcause.Code(c.Suggestion.Code)
	}
	var cost money.Amount
	for _, comp := range c.Compensations {
		if comp.Amount.IsZero() {
			continue // a zero cost has no currency to mix up
		}
		if cost, err = cost.Add(comp.Amount); err != nil {
			return rec, false, err
		}
	}
	rec.Cost = cost
	rec.At = c.ReceivedAt
	rec.ClientID = c.ClientID.String()
	rec.Product = c.Refs.SKU
	rec.Party = rootcause.Party(c.Responsible)
	return rec, true, nil
}
