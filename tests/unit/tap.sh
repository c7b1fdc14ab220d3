# tap.sh: TAP for the shell tests, sourced by them. check NAME PROBLEMS prints "ok N - NAME" when
# PROBLEMS is empty, else "not ok N - NAME" with PROBLEMS as comment lines, and marks the run failed;
# done_testing prints the plan and exits 1 when a check failed.
n=0
fail=0
check() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$2" | sed 's/^/#   /'
		fail=1
	fi
}
done_testing() {
	echo "1..$n"
	exit $fail
}
