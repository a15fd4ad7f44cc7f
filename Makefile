# Long-running checks; the everyday commands are in the README.
SHELL := bash
comma := ,
FUZZTIME ?= 2m

.PHONY: fuzz
# fuzz runs every fuzz target for FUZZTIME each (make fuzz FUZZTIME=10m).
fuzz:
	go test -run '^$$' -fuzz '^FuzzParsePlan$$' -fuzztime $(FUZZTIME) ./loader
	go test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./loader/extract
	go test -run '^$$' -fuzz '^FuzzQueryParameters$$' -fuzztime $(FUZZTIME) ./server
	go test -run '^$$' -fuzz '^FuzzAsk$$' -fuzztime $(FUZZTIME) ./server

.PHONY: bench
# bench runs the scale benchmarks (docs/performance.md) at BENCH_SIZES and
# prints one table; the raw results go to BENCH_OUT. PostgreSQL figures
# use POLICYGRAPH_TEST_POSTGRES, or the local server .ci/postgres.sh sets
# up (BENCH_POSTGRES=0 leaves them out). The serving figures use wrk,
# installed from Debian's packages when missing. A failed benchmark does
# not stop the others; make fails at the end. The stores the benchmarks
# read are loaded once per size and source tree and then copied
# (graph/graphbench/cache.go), so the first run after a change to graph,
# loader, schema or data/ takes longer than the next.
BENCH_SIZES ?= S,M,L
# LOAD_SIZES are the sizes BenchmarkLoad times: its goal is at L and XL,
# and loading every size on three backends, each against Cayley's writer,
# took a third of make bench. By default the largest of BENCH_SIZES.
LOAD_SIZES ?= $(lastword $(subst $(comma), ,$(BENCH_SIZES)))
BENCH_OUT ?= bench.txt
BENCH_POSTGRES ?= 1
bench:
	@set -eo pipefail; \
	if ! command -v wrk >/dev/null; then \
		echo "installing wrk, the load generator" >&2; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2; fi; \
	if [ "$(BENCH_POSTGRES)" = 1 ] && [ -z "$$POLICYGRAPH_TEST_POSTGRES" ]; then \
		export POLICYGRAPH_TEST_POSTGRES="$$(. .ci/postgres.sh; postgres_dsn)"; fi; \
	export POLICYGRAPH_BENCH_SIZES=$(BENCH_SIZES); status=0; \
	{ s=0; \
	  go test ./server -run '^$$' -bench Reads -benchtime 10x -timeout 3h || s=1; \
	  go test ./server -run '^$$' -bench HTTPCeiling -benchtime 1x -timeout 3h || s=1; \
	  go test ./graph -run '^$$' -bench TextIndex -benchtime 1x -timeout 3h || s=1; \
	  go test ./graph -run '^$$' -bench GizmoOnView -benchtime 5x -timeout 3h || s=1; \
	  go test ./graph -run '^$$' -bench 'PatchView|VersionCheck|TextAfterWrite' -benchtime 10x -timeout 3h || s=1; \
	  POLICYGRAPH_BENCH_SIZES=$(LOAD_SIZES) go test ./cmd/policygraph -run '^$$' -bench 'Load$$' -benchtime 1x -timeout 3h || s=1; \
	  go test ./cmd/policygraph -run '^$$' -bench 'ServeMemory|ScaleOut' -benchtime 1x -timeout 3h || s=1; \
	  exit $$s; \
	} | tee $(BENCH_OUT) | grep -E '^(Benchmark|FAIL|ok|---)' >&2 || status=1; \
	go run ./cmd/benchtable < $(BENCH_OUT); exit $$status

.PHONY: eval-real
# eval-real measures extraction on the real page openings in ../shared/eval-real
# (figures per set and language; the test fails under issue 11's floors and
# skips, saying so, when that folder is absent), and target extraction on
# our own texts and on the real ones (issue 14's floors, P ≥ 0.85, R ≥ 0.70).
# EVAL_DETAIL=1 lists every miss and false positive.
eval-real:
	@set -o pipefail; go test ./loader/extract -run '^(TestRealEvaluation|TestEvaluation|TestTargetEvaluation|TestRealTargetEvaluation)$$' -count=1 -v | \
		if [ "$(EVAL_DETAIL)" = 1 ]; then cat; else grep -Ev ': (false|missed|target at) '; fi

.PHONY: bench-extract
# bench-extract measures extraction speed (the README, "Speed"): matching and
# counting, and the whole draft on a dense text and at real plans' density.
bench-extract:
	go test ./loader/extract -run '^$$' -bench 'Find|Extract' -benchtime 1x -cpu 1
