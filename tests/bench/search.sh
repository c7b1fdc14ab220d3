#!/usr/bin/env bash
# search.sh: search and answer benchmarks over the MedQuAD corpus (../shared/data/medquad/).
#
#   tests/bench/search.sh import EVQA_BIN DB DATA_DIR
#       imports DATA_DIR/articles.jsonl.gz into DB and prints seconds and rows per second
#   tests/bench/search.sh inproc EVQA_BIN DB DATA_DIR
#       search and answer p50/p95 in-process over every query of queries_synonyms.jsonl.gz, and the
#       slowest of evqa's list of pathological queries (evqa bench-search)
#   tests/bench/search.sh http BASE_URL [DATA_DIR]
#       GET /search and GET /api/v1/search through nginx with wrk, as ratios to GET /healthz: one
#       query repeated (served from the workers' reply caches after the first time) and, with DATA_DIR,
#       every query of queries_synonyms.jsonl.gz in turn (each worker caches only its last 64 replies,
#       so these are searched afresh)
#
# Exits 0 with a note when the corpus is absent.
set -euo pipefail

mode=${1:?usage: search.sh import|inproc|http ...}
shift
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-8}

case $mode in
import)
	evqa=$1 db=$2 data=$3
	if [[ ! -f $data/articles.jsonl.gz ]]; then
		echo "search bench: $data/articles.jsonl.gz is absent; search benchmarks skipped"
		exit 0
	fi
	start=$(date +%s.%N)
	"$evqa" import --db "$db" --state approved "$data/articles.jsonl.gz" 2>/dev/null || {
		echo "search bench: import failed" >&2
		exit 1
	}
	end=$(date +%s.%N)
	read -r articles sections < <(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("SELECT count(*) FROM article WHERE source_id IS NOT NULL").fetchone()[0],
      c.execute("SELECT count(*) FROM section WHERE source_id IS NOT NULL").fetchone()[0])' "$db")
	awk -v s="$start" -v e="$end" -v a="$articles" -v n="$sections" 'BEGIN {
		t = e - s; printf "import: %d pages, %d sections in %.1f s: %.0f pages/s, %.0f sections/s\n", a, n, t, a / t, n / t }'
	;;
inproc)
	evqa=$1 db=$2 data=$3
	[[ -f $data/queries_synonyms.jsonl.gz ]] || exit 0
	q=$(mktemp)
	trap 'rm -f "$q"' EXIT
	zcat "$data/queries_synonyms.jsonl.gz" | python3 -c '
import json, sys
for line in sys.stdin:
    print(" ".join(json.loads(line)["question"].split()))' >"$q"
	echo "synonym queries (MedQuAD questions, a synonym swapped in):"
	"$evqa" bench-search --db "$db" "$q"
	consumer=${CONSUMER_QUESTIONS:-$data/../consumer-questions/dev.jsonl}
	if [[ -f $consumer ]]; then
		# real questions: a subject line and a message, the line break written as \n
		python3 -c '
import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["question"].replace("\\", " ").replace("\n", "\\n"))' "$consumer" >"$q"
		echo "consumer questions (as people wrote them):"
		"$evqa" bench-search --db "$db" "$q"
	fi
	;;
http)
	base=$1 data=${2:-}
	command -v wrk >/dev/null || { echo "search bench: wrk is not installed" >&2; exit 1; }
	declare -A rps
	lua=
	# measure NAME PATH [LUA]: with LUA, wrk's request() takes the paths from the script instead.
	measure() {
		local name=$1 path=$2 script=${3:-} out
		local args=(-t1 -c"$CONNECTIONS")
		[[ -n $script ]] && args+=(-s "$script")
		curl -fsS -o /dev/null "$base$path" || { echo "search bench: $base$path does not answer 200" >&2; exit 1; }
		wrk "${args[@]}" -d1s "$base$path" >/dev/null
		out=$(wrk "${args[@]}" -d"${DURATION}s" --latency "$base$path")
		if grep -q 'Non-2xx' <<<"$out"; then
			echo "search bench: $path gave non-2xx answers" >&2
			exit 1
		fi
		rps[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
		printf '%-18s %9s req/s   p99 %s   %s\n' "$name" "${rps[$name]}" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" "$path"
	}
	measure trivial /healthz
	measure search '/search?q=what+are+the+symptoms+of+high+blood+pressure'
	measure search-json '/api/v1/search?q=what+are+the+symptoms+of+high+blood+pressure'
	awk -v a="${rps[search]}" -v j="${rps[search-json]}" -v t="${rps[trivial]}" 'BEGIN {
		printf "search/trivial     %.2fx\nsearch-json/trivial %.2fx\n", a / t, j / t }'
	if [[ -n $data && -f $data/queries_synonyms.jsonl.gz ]]; then
		lua=$(mktemp --suffix=.lua)
		trap 'rm -f "$lua"' EXIT
		# A wrk script that walks the query set, so that no search is answered from a cache.
		zcat "$data/queries_synonyms.jsonl.gz" | python3 -c '
import json, sys, urllib.parse
paths = []
for line in sys.stdin:
    q = " ".join(json.loads(line)["question"].split())
    paths.append("/api/v1/search?q=" + urllib.parse.quote_plus(q))
print("local paths = {")
for p in paths:
    print("  %s," % json.dumps(p))
print("}")
print("local i = math.random(#paths)")
print("request = function()")
print("  i = i % #paths + 1")
print("  return wrk.format(\"GET\", paths[i])")
print("end")' >"$lua"
		measure search-varied '/api/v1/search?q=high+blood+pressure' "$lua"
		awk -v a="${rps[search-varied]}" -v t="${rps[trivial]}" 'BEGIN {
			printf "search-varied/trivial %.2fx   (every query of the set in turn: no cache hits)\n", a / t }'
	fi
	;;
*)
	echo "usage: search.sh import|inproc|http ..." >&2
	exit 2
	;;
esac
