#!/usr/bin/env bash
# run.sh: measures evqa through nginx with wrk, as ratios taken in one run on one machine.
#
#   tests/bench/run.sh BASE_URL STATIC_DIR
#
# BASE_URL is a running site (nginx in front of evqa); STATIC_DIR is the directory nginx serves as
# /static/. A copy of the article page is written there as bench/article.html so that nginx's static
# file of the same size is the ceiling. Each case: a warm-up, then DURATION seconds of wrk with
# CONNECTIONS connections on one thread, ROUNDS times (the median counts). Prints req/s and p99 latency per case, then the ratios; with
# EVQA_BIN and EVQA_DB set, also the time from an approval to the new text on the public page; with
# SERVER_PIDS (nginx's workers and evqa), the server's CPU time per request of each case.
set -euo pipefail

base=${1:?usage: run.sh BASE_URL STATIC_DIR}
static_dir=${2:?usage: run.sh BASE_URL STATIC_DIR}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-8}
WARMUP=${WARMUP:-1}
ROUNDS=${ROUNDS:-3}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

article_path=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$base/articles/1" | sed 's|^https\?://[^/]*||')
[ -n "$article_path" ] || { echo "bench: /articles/1 did not redirect to its page" >&2; exit 1; }
mkdir -p "$static_dir/bench"
# The page as every reader gets it (it is the same for all), plain and as evqa compresses it, so that
# nginx's static file of the same bytes is the ceiling (gzip_static sends article.html.gz).
curl -fsS "$base$article_path" > "$static_dir/bench/article.html"
curl -fsS -H 'Accept-Encoding: gzip' "$base$article_path" > "$static_dir/bench/article.html.gz"
gzip -t "$static_dir/bench/article.html.gz" ||
	{ echo "bench: the article page did not come gzip-compressed" >&2; exit 1; }
page_bytes=$(wc -c < "$static_dir/bench/article.html")
gz_bytes=$(wc -c < "$static_dir/bench/article.html.gz")
GZ='Accept-Encoding: gzip'
MISS='Cache-Control: no-cache'	# nginx passes it to evqa (a hard reload): the uncached path

declare -A rps p99 cpu runs
# once NAME PATH [HEADER...]: one measurement, appended to runs[NAME]
once() {
	local name=$1 path=$2 out h
	shift 2
	local args=(-t1 -c"$CONNECTIONS" --latency) cargs=()
	for h in "$@"; do
		args+=(-H "$h")
		cargs+=(-H "$h")
	done
	curl -fsS -o /dev/null "${cargs[@]}" "$base$path" ||
		{ echo "bench: $base$path does not answer 200" >&2; exit 1; }
	wrk "${args[@]}" -d"${WARMUP}s" "$base$path" >/dev/null
	local c0 c1
	c0=$(cpu_ticks)
	out=$(wrk "${args[@]}" -d"${DURATION}s" "$base$path")
	c1=$(cpu_ticks)
	if grep -q 'Non-2xx' <<<"$out"; then
		echo "bench: $path gave non-2xx answers:" >&2
		echo "$out" >&2
		exit 1
	fi
	runs[$name]+="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out") $(awk '$1 == "99%" { v = $2;
		if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) }
		else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$out") $(awk -v a="$c0" -v b="$c1" \
		-v hz="$(getconf CLK_TCK)" '/requests in/ { n = $1 } END { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }' <<<"$out"),"
}

# cpu_ticks: user + system CPU time (clock ticks) of the processes in SERVER_PIDS (nginx's workers
# and evqa), 0 when unset. Per request it says what a case costs the server, which the load that
# other programs put on the machine changes much less than it changes req/s.
cpu_ticks() {
	local t=0 p
	for p in ${SERVER_PIDS:-}; do
		[ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
	done
	echo "$t"
}

# The cases, in the order they run in each round: NAME|PATH|HEADER|HEADER
cases=()
# measure NAME PATH [HEADER...]: adds a case
measure() {
	local IFS='|'
	cases+=("$*")
}

# Runs every case ROUNDS times, interleaved (so that a change in the machine's load touches every case
# alike), and prints each case's median req/s with the p99 of that run.
run_cases() {
	local round c name path
	for ((round = 1; round <= ROUNDS; round++)); do
		for c in "${cases[@]}"; do
			IFS='|' read -r -a f <<<"$c"
			once "${f[@]}"
		done
	done
	for c in "${cases[@]}"; do
		IFS='|' read -r -a f <<<"$c"
		name=${f[0]}
		path=${f[1]}
		read -r rps[$name] p99[$name] < <(tr ',' '\n' <<<"${runs[$name]}" | sed '/^$/d' | sort -n |
			awk '{ r[NR] = $1; p[NR] = $2 } END { m = int((NR + 1) / 2); print r[m], p[m] }')
		cpu[$name]=$(tr ',' '\n' <<<"${runs[$name]}" | sed '/^$/d' | sort -n -k3 |
			awk '{ c[NR] = $3 } END { print c[int((NR + 1) / 2)] }')
		printf '%-22s %9s req/s   p99 %7s ms   %6s us CPU/req   %s%s\n' "$name" "${rps[$name]}" "${p99[$name]}" \
			"${cpu[$name]}" "$path" \
			"$(((${#f[@]} > 2)) && printf '  (%s)' "$(IFS=,; echo "${f[*]:2}")")"
	done
}

# ratio NAME A B: A's req/s over B's, and B's server CPU per request over A's (both: higher is better)
ratio() {
	awk -v a="${rps[$2]}" -v b="${rps[$3]}" -v ca="${cpu[$2]}" -v cb="${cpu[$3]}" -v n="$1" \
		'BEGIN { printf "%-26s %.2fx   by CPU/req %.2fx\n", n, (b > 0 ? a / b : 0), (ca > 0 ? cb / ca : 0) }'
}

# approval_time: with EVQA_BIN and EVQA_DB set (the served database), a reviewer approves article 3
# (submitted in the demo content) through the API while a reader keeps loading its page, and the time
# from the approval's reply to the first page that names the approver is printed.
approval_time() {
	local page token t0 t1 n=0
	[ -n "${EVQA_BIN:-}" ] && [ -n "${EVQA_DB:-}" ] || return 0
	page=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$base/articles/3" | sed 's|^https\?://[^/]*||')
	printf '%s\n' 'bench reviewer password' |
		"$EVQA_BIN" user add --db "$EVQA_DB" --email bench-reviewer@example.org --name 'Bench Reviewer' \
		--role reviewer >/dev/null
	token=$("$EVQA_BIN" token add --db "$EVQA_DB" --email bench-reviewer@example.org 2>/dev/null)
	curl -fsS -o /dev/null "$base$page"
	curl -fsS -o /dev/null "$base$page"	# cached now
	for to in under_review approved; do
		curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			-d "{\"to\":\"$to\"}" "$base/api/v1/articles/3/transitions" ||
			{ echo "bench: moving article 3 to $to failed" >&2; exit 1; }
	done
	t0=$(date +%s%N)
	while ! curl -fsS "$base$page" | grep -q 'Approved by Bench Reviewer'; do
		n=$((n + 1))
		((n < 400)) || { echo "bench: the approval did not reach the public page within 20 s" >&2; exit 1; }
		sleep 0.05
	done
	t1=$(date +%s%N)
	awk -v d=$(((t1 - t0) / 1000000)) -v n="$n" 'BEGIN { printf "approval to public page %6d ms   (%d reader requests saw the old text)\n", d, n }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "wrk: 1 thread, $CONNECTIONS connections, ${DURATION}s per case, median of $ROUNDS interleaved rounds; article page $page_bytes bytes, $gz_bytes gzip-compressed"
measure static /static/bench/article.html
measure static-gzip /static/bench/article.html "$GZ"
measure trivial /healthz
measure article "$article_path"
measure article-gzip "$article_path" "$GZ"
measure article-uncached "$article_path" "$MISS"
measure article-uncached-gzip "$article_path" "$MISS" "$GZ"
measure article-json /api/v1/articles/1
measure article-list "/api/v1/articles?sort=updated&per_page=100"
run_cases
ratio article/static article static
ratio article-gzip/static-gzip article-gzip static-gzip
ratio uncached/trivial article-uncached trivial
ratio uncached-gzip/trivial article-uncached-gzip trivial
ratio json/trivial article-json trivial
ratio list/trivial article-list trivial
approval_time
rm -f "$static_dir/bench/article.html" "$static_dir/bench/article.html.gz"
