# Sourced by .ci/run: follows the README's "Adding a plan" on a copy of
# the project — a new plan file, validate, the golden refreshed — and runs
# the test suite on it, which must stay green: the behaviour tests read the
# frozen fixture in testdata/, not data/.
add_a_plan() {
	local copy
	copy=$(mktemp -d)
	git ls-files -z | xargs -0 -I{} cp --parents {} "$copy"
	cat >"$copy/data/plans/ci-added-plan-2021.yaml" <<'YAML'
id: ci-added-plan-2021
city: fuzhou
issuer: fuzhou-government
title: {en: A plan added the way the README says}
published: 2021-01-15
source: interchain-pulse-2020-06
measures:
  - id: ci-added-plan-2021-finance
    kind: action
    title: Blockchain in finance, once more
    technologies: [blockchain]
    domains: [finance]
    evidence: {section: fuzhou, summary: Written by CI to check that adding a plan breaks no test.}
YAML
	(
		cd "$copy"
		go run ./cmd/policygraph validate
		go test ./graph -run Golden -update >/dev/null
		go test ./...
	)
	local status=$?
	rm -rf "$copy"
	return $status
}
