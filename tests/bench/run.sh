#!/usr/bin/env bash
# run.sh: measures evqa through nginx with wrk, as ratios taken in one run on one machine.
#
#   tests/bench/run.sh BASE_URL STATIC_DIR
#
# BASE_URL is a running site (nginx in front of evqa); STATIC_DIR is the directory nginx serves as
# /static/. A copy of the article page is written there as bench/article.html so that nginx's static
# file of the same size is the ceiling. Each case: a warm-up, then DURATION seconds of wrk with
# CONNECTIONS connections on one thread. Prints req/s and p99 latency per case, then the ratios.
set -euo pipefail

base=${1:?usage: run.sh BASE_URL STATIC_DIR}
static_dir=${2:?usage: run.sh BASE_URL STATIC_DIR}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-8}
WARMUP=${WARMUP:-1}

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

article_path=$(curl -fsS -o /dev/null -w '%{redirect_url}' "$base/articles/1" | sed 's|^https\?://[^/]*||')
[ -n "$article_path" ] || { echo "bench: /articles/1 did not redirect to its page" >&2; exit 1; }
mkdir -p "$static_dir/bench"
# The page as a cookie-carrying reader gets it, so the static copy has the same size.
cookie=$(curl -fsS -D - -o /dev/null "$base$article_path" | sed -n 's/^[Ss]et-[Cc]ookie: \(evqa_csrf=[0-9a-f]*\).*/\1/p' | tr -d '\r')
curl -fsS -H "Cookie: $cookie" "$base$article_path" > "$static_dir/bench/article.html"
page_bytes=$(wc -c < "$static_dir/bench/article.html")

declare -A rps p99
# measure NAME PATH [HEADER]
measure() {
	local name=$1 path=$2 header=${3:-} out
	local args=(-t1 -c"$CONNECTIONS" --latency)
	[ -n "$header" ] && args+=(-H "$header")
	curl -fsS -o /dev/null ${header:+-H "$header"} "$base$path" ||
		{ echo "bench: $base$path does not answer 200" >&2; exit 1; }
	wrk "${args[@]}" -d"${WARMUP}s" "$base$path" >/dev/null
	out=$(wrk "${args[@]}" -d"${DURATION}s" "$base$path")
	if grep -q 'Non-2xx' <<<"$out"; then
		echo "bench: $path gave non-2xx answers:" >&2
		echo "$out" >&2
		exit 1
	fi
	rps[$name]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
	p99[$name]=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
		printf "%.2f", v }' <<<"$out")
	printf '%-18s %9s req/s   p99 %7s ms   %s\n' "$name" "${rps[$name]}" "${p99[$name]}" "$path"
}

ratio() {
	awk -v a="${rps[$2]}" -v b="${rps[$3]}" -v n="$1" 'BEGIN { printf "%-18s %.2fx\n", n, (b > 0 ? a / b : 0) }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "wrk: 1 thread, $CONNECTIONS connections, ${DURATION}s per case; article page $page_bytes bytes"
measure static /static/bench/article.html
measure trivial /healthz
measure article "$article_path" "Cookie: $cookie"
measure article-json /api/v1/articles/1
measure article-list "/api/v1/articles?sort=updated&per_page=100"
ratio article/trivial article trivial
ratio article/static article static
ratio json/trivial article-json trivial
ratio list/trivial article-list trivial
rm -f "$static_dir/bench/article.html"
