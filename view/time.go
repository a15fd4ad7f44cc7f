package view

import (
	"strconv"
)

// Dating is when a plan was issued and when it is in force, each with the
// date field it rests on, so an answer filtered by date can be checked
// against the plan's own dates.
//
// The rule: a plan is in force from the date it says it takes effect, or
// else from its publication, or else (with only a period of years) from
// 1 January of the period's first year; it stays in force until the day
// it says it expires, or else until 31 December of its period's last year,
// or else without end. A plan with none of these dates is never in force
// as far as the graph can tell. Its issue date is the first known of
// published, signed, adopted and reviewed.
type Dating struct {
	Issued            string `json:"issued,omitempty"`
	IssuedBasis       string `json:"issued_basis,omitempty"` // published | signed | adopted | reviewed
	InForceFrom       string `json:"in_force_from,omitempty"`
	InForceFromBasis  string `json:"in_force_from_basis,omitempty"` // effective | published | period_start
	InForceUntil      string `json:"in_force_until,omitempty"`
	InForceUntilBasis string `json:"in_force_until_basis,omitempty"` // expires | period_end
}

func dating(p *Plan) Dating {
	var d Dating
	for _, c := range []struct{ basis, date string }{
		{"published", p.Published}, {"signed", p.Signed}, {"adopted", p.Adopted}, {"reviewed", p.Reviewed},
	} {
		if c.date != "" {
			d.Issued, d.IssuedBasis = c.date, c.basis
			break
		}
	}
	switch {
	case p.Effective != "":
		d.InForceFrom, d.InForceFromBasis = p.Effective, "effective"
	case p.Published != "":
		d.InForceFrom, d.InForceFromBasis = p.Published, "published"
	case p.PeriodStart != 0:
		d.InForceFrom, d.InForceFromBasis = strconv.FormatInt(p.PeriodStart, 10)+"-01-01", "period_start"
	}
	switch {
	case p.Expires != "":
		d.InForceUntil, d.InForceUntilBasis = p.Expires, "expires"
	case p.PeriodEnd != 0:
		d.InForceUntil, d.InForceUntilBasis = strconv.FormatInt(p.PeriodEnd, 10)+"-12-31", "period_end"
	}
	return d
}

// Date is the day the diffusion questions place the plan at: its issue
// date, or else the day it came into force (1 January of its period's
// first year when that is all the graph knows), with which of its dates
// that is; "" when it has none.
func (d Dating) Date() (date, basis string) {
	if d.Issued != "" {
		return d.Issued, d.IssuedBasis
	}
	return d.InForceFrom, d.InForceFromBasis
}

// TimeFilter selects plans, and the measures of plans, by date; empty
// fields select everything. Dates are YYYY-MM-DD, so they compare as text.
type TimeFilter struct {
	// InForce keeps plans in force on that day (see Dating).
	InForce string
	// PublishedAfter and PublishedBefore keep plans issued on or after,
	// and on or before, that day; a plan without an issue date passes
	// neither.
	PublishedAfter, PublishedBefore string
}

// IsZero reports whether f selects everything.
func (f TimeFilter) IsZero() bool { return f == TimeFilter{} }

// Passes reports whether plan p passes f.
func (f TimeFilter) Passes(p *Plan) bool {
	if f.IsZero() {
		return true
	}
	if p == nil {
		return false
	}
	if f.InForce != "" && (p.InForceFrom == "" || p.InForceFrom > f.InForce || p.InForceUntil != "" && p.InForceUntil < f.InForce) {
		return false
	}
	if f.PublishedAfter != "" && (p.Issued == "" || p.Issued < f.PublishedAfter) {
		return false
	}
	if f.PublishedBefore != "" && (p.Issued == "" || p.Issued > f.PublishedBefore) {
		return false
	}
	return true
}

// PlansAt lists the plans of city (and of every jurisdiction within it;
// all when "") that pass f, by id.
func (v *View) PlansAt(city string, f TimeFilter) []*Plan {
	all := v.PlansOf(city)
	if f.IsZero() {
		return all
	}
	out := []*Plan{}
	for _, p := range all {
		if f.Passes(p) {
			out = append(out, p)
		}
	}
	return out
}

// SupportAt is SupportOf over the instruments of plans that pass f.
func (v *View) SupportAt(technology, city string, f TimeFilter) []*Instrument {
	all := v.SupportOf(technology, city)
	if f.IsZero() {
		return all
	}
	out := []*Instrument{}
	for _, in := range all {
		if f.Passes(v.Plan(in.Plan)) {
			out = append(out, in)
		}
	}
	return out
}
