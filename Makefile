# Long-running checks; the everyday commands are in the README.
FUZZTIME ?= 2m

.PHONY: fuzz
# fuzz runs every fuzz target for FUZZTIME each (make fuzz FUZZTIME=10m).
fuzz:
	go test -run '^$$' -fuzz '^FuzzParsePlan$$' -fuzztime $(FUZZTIME) ./loader
	go test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime $(FUZZTIME) ./loader/extract
	go test -run '^$$' -fuzz '^FuzzQueryParameters$$' -fuzztime $(FUZZTIME) ./server
	go test -run '^$$' -fuzz '^FuzzAsk$$' -fuzztime $(FUZZTIME) ./server

.PHONY: bench
# bench runs the benchmarks whose figures docs/performance.md and the README report.
bench:
	go test ./server -run '^$$' -bench CitiesVsGizmo -benchtime 2s
	go test ./loader/extract -run '^$$' -bench Find -benchtime 3x
