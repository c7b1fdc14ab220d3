#!/bin/sh
# t_openapi_lint.sh: docs/openapi.json passes the Redocly linter (@redocly/cli from npm, node_modules/)
# with the rules of docs/redocly.yaml, every warning an error. Skips when the linter is not installed
# (npm ci), except in CI (CI=true). REDOCLY names the linter's program when node_modules/ is elsewhere
# (./dev sets it for the sanitizer and distcheck builds).
src="${top_srcdir:-.}"
bin="${REDOCLY:-$src/node_modules/.bin/redocly}"
if [ ! -x "$bin" ]; then
	if [ "${CI:-}" = true ]; then
		echo "1..1"
		echo "not ok 1 - the OpenAPI linter is installed ($bin: run npm ci)"
		exit 1
	fi
	echo "1..0 # SKIP @redocly/cli is not installed (npm ci)"
	exit 0
fi
out=$(cd "$src" && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	"$bin" lint --config docs/redocly.yaml docs/openapi.json 2>&1)
rc=$?
echo "1..1"
if [ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -qi 'warning\|error'; then
	echo "ok 1 - docs/openapi.json passes redocly lint with docs/redocly.yaml"
else
	echo "not ok 1 - docs/openapi.json passes redocly lint with docs/redocly.yaml (exit $rc)"
	printf '%s\n' "$out" | sed 's/^/#   /'
	exit 1
fi
