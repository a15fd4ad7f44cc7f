package main

import (
	"context"
	"fmt"

	"github.com/policygraph/policygraph/loader/synthetic"
)

func (e environment) gen(ctx context.Context, args []string) error {
	fs := e.newFlags("gen", "gen --out DIR [--cities N] [--plans P] [--measures M] [--seed S] [--data DIR]")
	data := e.dataFlag(fs)
	out := fs.String("out", "", "directory to write the generated data/ tree into")
	var size synthetic.Size
	fs.IntVar(&size.Cities, "cities", 10, "cities")
	fs.IntVar(&size.Plans, "plans", 2, "plans per city")
	fs.IntVar(&size.Measures, "measures", 40, "measures per plan")
	fs.Uint64Var(&size.Seed, "seed", 1, "random seed: the same seed writes the same files")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *out == "" || size.Cities < 1 || size.Plans < 1 || size.Measures < 1 {
		fs.Usage()
		return &usageError{"gen: --out is required, and --cities, --plans and --measures must be at least 1"}
	}
	n, err := synthetic.Write(*data, *out, size)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d files into %s (%d cities × %d plans × %d measures, seed %d)\n", n, *out, size.Cities, size.Plans, size.Measures, size.Seed)
	return nil
}
