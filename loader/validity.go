package loader

import (
	"strconv"
	"time"
)

// checkValidity checks the dates a plan gives for taking effect and
// ceasing to: each a real date, and the plan must not cease before it
// takes effect or before it was made public, which would leave it never
// in force and silently out of every in_force answer.
func (c *checker) checkValidity(f *file, p *PlanFile) {
	c.date(f, &p.Effective, "effective")
	c.date(f, &p.Expires, "expires")
	if p.Expires == "" || !isDate(p.Expires) {
		return
	}
	// YYYY-MM-DD dates compare as text.
	for _, start := range []struct {
		field, date string
	}{{"effective", p.Effective}, {"published", p.Published}} {
		if start.date != "" && isDate(start.date) && p.Expires < start.date {
			c.errorf(f, &p.Expires, "expires", "the plan expires (%s) before it is %s (%s)", p.Expires, start.field, start.date)
			return
		}
	}
	if p.Period != nil && p.Expires[:4] < strconv.Itoa(p.Period.Start) {
		c.errorf(f, &p.Expires, "expires", "the plan expires (%s) before its period starts (%d)", p.Expires, p.Period.Start)
	}
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
