package graph

import (
	"context"
	"fmt"

	"github.com/policygraph/policygraph/view"
)

// DiffPlan compares two versions of plan document id (graph id "plan/…").
func (s *Store) DiffPlan(ctx context.Context, id string, from, to Version) (view.PlanDiff, error) {
	a, err := s.versionView(ctx, id, from)
	if err != nil {
		return view.PlanDiff{}, err
	}
	b, err := s.versionView(ctx, id, to)
	if err != nil {
		return view.PlanDiff{}, err
	}
	return view.Diff(a, b), nil
}

func (s *Store) versionView(ctx context.Context, id string, v Version) (*view.View, error) {
	qs, err := s.VersionQuads(ctx, id, v)
	if err != nil {
		return nil, fmt.Errorf("read version %d of %s: %w", v.Number, id, err)
	}
	return view.New(qs, ""), nil
}
