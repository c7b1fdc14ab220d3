#!/bin/sh
# t_replay.sh: every seed of tests/fuzz/corpus/NAME/ through the fuzz harness NAME, built without
# libFuzzer (tests/fuzz/replay_NAME). A seed that crashes, or that a harness finds wrong (abort),
# fails its test. TAP.
: "${top_srcdir:=.}" "${top_builddir:=.}"
n=0
fail=0
for name in request search markdown fcgi import; do
	n=$((n + 1))
	bin=$top_builddir/tests/fuzz/replay_$name
	dir=$top_srcdir/tests/fuzz/corpus/$name
	count=$(ls "$dir" | wc -l)
	if out=$("$bin" "$dir"/* 2>&1); then
		echo "ok $n - the $count seeds of the $name harness run clean"
	else
		echo "not ok $n - a seed of the $name harness fails"
		printf '%s\n' "$out" | tail -20 | sed 's/^/# /'
		fail=1
	fi
done
echo "1..$n"
exit $fail
