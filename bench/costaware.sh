#!/bin/sh
# bench/costaware.sh: whole bisections with real builds of a real C
# project, git's midpoint against the cost-aware choice (issue 10, C and E).
#
# REPO is a clone of git.git with a work tree; the script checks out,
# builds and bisects in it (its build products stay there between steps:
# that is the point). With the fetch tool of the search library:
#   git clone -q --no-checkout /work/.mirror/git+git/repo /tmp/halve-bench/gitbuild
# CULPRITS commits are drawn from the range with a seeded random draw,
# one in each of CULPRITS equal slices of `git rev-list --topo-order`,
# so they spread over the range. Each culprit is bisected once per policy
# with `halve run` and a pipeline whose [build] command is the real make
# and whose [test] command says bad when HEAD contains the culprit
# (`git merge-base --is-ancestor`). Before each bisection the work tree is
# built at BAD (a user who just saw BAD fail has it built): the first step
# already pays for what it crosses.
#
# Policies: 0 is `[bisect] tolerance = 0`, git's midpoint; default leaves
# the tolerance to halve (0.03 with a build directory); any other number is
# written as it is. The reference, git's own choice, runs in the same
# invocation: `git bisect run` with the same test and no build gives the
# steps git takes, which tolerance 0 must match.
#
# Per run: steps, objects compiled (the `CC` lines of make, summed over
# the builds), build wall time, and the expected steps: at each step, the
# remaining candidates N and the chosen commit's smaller side d (from
# `git rev-list --bisect-all`) give 1 + d/N log2 d + (N-d)/N log2(N-d),
# the expected remaining steps were the rest bisected by halving; the
# chosen commit's figure against the midpoint's, summed over the steps, is
# the extra the choice is expected to cost. With bench/rebuild-cost
# (REBUILD_COST, or HALVE_BUILDDIR/bench/rebuild-cost) each build also
# records the model's prediction from the commit built before.
#
# Results accumulate in BENCH_REPOS/costaware/results (a run already there
# is not repeated unless --fresh), so the policies may run at different
# times; the table printed at the end covers every run of these culprits.
# Never run by `make check`; minutes per bisection.
#
# usage: bench/costaware.sh [--range GOOD..BAD] [--culprits N] [--seed S]
#                           [--policies "0 default"] [--make CMD] [--fresh]
#                           [--report] REPO
set -u
. "$(dirname "$0")/lib.sh"

range=v2.36.0..v2.37.0
culprits=4
seed=1
policies='0 default'
fresh=0
report_only=0
make_cmd="make -j2 NO_CURL=1 NO_OPENSSL=1 NO_GETTEXT=1 NO_TCLTK=1 NO_PERL=1 NO_PYTHON=1 COMPUTE_HEADER_DEPENDENCIES=yes CFLAGS='-O0 -g0'"
while [ $# -gt 0 ]; do
	case $1 in
	--range) range=$2; shift ;;
	--culprits) culprits=$2; shift ;;
	--seed) seed=$2; shift ;;
	--policies) policies=$2; shift ;;
	--make) make_cmd=$2; shift ;;
	--fresh) fresh=1 ;;
	--report) report_only=1 ;;
	-h|--help) print_help; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 1 ] || die "usage: bench/costaware.sh [options] REPO"
repo=$(cd "$1" && pwd) || exit 1
HALVE_BIN=$(find_halve)
[ -n "$HALVE_BIN" ] || die "no halve (set HALVE or HALVE_BUILDDIR)"
good=$(git -C "$repo" rev-parse --verify "${range%%..*}^{commit}") || exit 1
bad=$(git -C "$repo" rev-parse --verify "${range##*..}^{commit}") || exit 1
predict=${REBUILD_COST:-}
if [ -z "$predict" ] && [ -n "${HALVE_BUILDDIR:-}" ] && [ -x "$HALVE_BUILDDIR/bench/rebuild-cost" ]; then
	predict=$HALVE_BUILDDIR/bench/rebuild-cost
fi

knows_bisect=no
grep -a -q 'build-dir' "$HALVE_BIN" && knows_bisect=yes
case " $policies " in
*" default "*) [ "$knows_bisect" = yes ] || [ "$report_only" = 1 ] ||
	die "$HALVE_BIN has no cost-aware choice ([bisect] tolerance): --policies 0" ;;
esac

work=$BENCH_REPOS/costaware
mkdir -p "$work" || exit 1
results=$work/results

# The culprits: one random commit in each slice of the range.
draw_culprits() {
	git -C "$repo" rev-list --topo-order "$bad" "^$good" |
	awk -v n="$culprits" -v seed="$seed" '{ c[NR] = $1 } END {
		srand(seed)
		for (i = 0; i < n; i++) {
			lo = int(i * NR / n) + 1; hi = int((i + 1) * NR / n)
			print c[lo + int(rand() * (hi - lo + 1))]
		}
	}'
}

# The build wrapper halve runs as [build] command: make, its output kept
# for build.log, and one ledger line "commit compiled ms status predicted";
# before make, the dependency files as the previous build left them, in
# LEDGER.deps.K (K: the ledger line of that build, BAD's being 1), and
# after it the objects make compiled, in LEDGER.objs.K+1.
write_wrapper() {
	cat > "$work/build.sh" <<EOF
#!/bin/sh
ledger=\$1
out=\$(mktemp) || exit 2
head=\$(git rev-parse HEAD)
pred=-
last=\$(tail -n 1 "\$ledger" 2>/dev/null | cut -d' ' -f1)
if [ -n "$predict" ] && [ -n "\$last" ]; then
	pred=\$(git diff --name-only "\$last" "\$head" | "$predict" . .) || pred=-
fi
# What the build directory says before this build, for bench/rebuild-model.sh.
find . -name .git -prune -o -name '*.d' -type f -print |
	tar czf "\$ledger.deps.\$(wc -l < "\$ledger")" -T - 2>/dev/null
s=\$(date +%s%N)
$make_cmd > "\$out" 2>&1
rc=\$?
e=\$(date +%s%N)
cat "\$out"
k=\$(( \$(wc -l < "\$ledger") + 1 ))
sed -n 's/^ *CC //p' "\$out" > "\$ledger.objs.\$k"
echo "\$head \$(grep -c '^ *CC ' "\$out") \$(( (e - s) / 1000000 )) \$rc \$pred" >> "\$ledger"
rm -f "\$out"
exit \$rc
EOF
	chmod +x "$work/build.sh"
}

# The work tree at BAD, built, and no bisection under way.
prepare() {
	(cd "$repo" && "$HALVE_BIN" reset) >/dev/null 2>&1
	git -C "$repo" bisect reset >/dev/null 2>&1
	git -C "$repo" checkout -q -f "$bad" || die "cannot check out $bad"
	(cd "$repo" && sh -c "$make_cmd") > "$work/prepare.log" 2>&1 ||
		die "the build of $bad fails: see $work/prepare.log"
}

# expected_of_log LOG: reads a bisection log (git's format) and prints the
# expected steps of the choices it made and of the midpoint's: E0, the
# midpoint's figure at the start, plus what each choice gave up against
# the midpoint of the same state, summed over the steps (a figure being
# 1 + d/N log2 d + (N-d)/N log2(N-d), halving assumed from there on).
expected_of_log() {
	_goods=$good _bad=$bad _ec=0 _em=0
	grep -E '^git bisect (good|bad|skip) ' "$1" | while read -r _g _b _verb _sha; do
		# shellcheck disable=SC2086
		git -C "$repo" rev-list --bisect-all "$_bad" $(printf '^%s ' $_goods) |
		awk -v c="$_sha" '{ n++; sub(/\(dist=/, "", $2); sub(/\)/, "", $2); $2 += 0
			if ($2 > best) best = $2; if ($1 == c) d = $2 }
			function lg(x) { return x > 1 ? log(x) / log(2) : 0 }
			function e(d) { return 1 + d / n * lg(d) + (n - d) / n * lg(n - d) }
			END { printf "%.4f %.4f\n", e(d), e(best) }'
		case $_verb in
		good) _goods="$_goods $_sha" ;;
		bad) _bad=$_sha ;;
		esac
	done | awk 'NR == 1 { e0 = $2 } { c += $1; m += $2 } END { printf "%.2f %.2f\n", e0 + c - m, e0 }'
}

# run_figures RUN: the choice's own figures from the steps `halve run`
# printed ("rebuild: N of M objects (the midpoint's: P; X more steps
# expected)", from the second step on): "extra-steps midpoint's chosen",
# summed; "- - -" without them (tolerance 0 prints none).
run_figures() {
	sed -n 's/^rebuild: //p' "$1" 2>/dev/null |
	awk '{ c += $1; m = $1; x = 0 }
		/the midpoint.s:/ { m = $7; sub(/;/, "", m); x = $8 }
		{ mid += m; ex += x; n++ }
		END { if (n) printf "%.3f %d %d\n", ex, mid, c; else print "- - -" }'
}

# bisect CULPRIT POLICY: one whole bisection; appends a results line.
bisect_one() {
	_c=$1 _p=$2
	prepare
	_ledger=$work/ledger-$(echo "$_c" | cut -c1-12)-$_p
	: > "$_ledger"
	# The ledger's first line: BAD, built by prepare (predictions start from it).
	echo "$bad 0 0 0 -" > "$_ledger"
	{
		# A halve from before the cost-aware choice has no [bisect]
		# section: git's midpoint is all it does.
		if [ "$_p" != default ] && [ "$knows_bisect" = yes ]; then
			printf '[bisect]\ntolerance = %s\n' "$_p"
		fi
		printf '[build]\ncommand = %s %s\nfailure = skip\n' "$work/build.sh" "$_ledger"
		printf '[test]\ncommand = if git merge-base --is-ancestor %s HEAD; then exit 1; else exit 0; fi\n' "$_c"
	} > "$work/config"
	timed "$repo" "$HALVE_BIN" start --config "$work/config" "$bad" "$good" ||
		die "halve start failed: $(head -n 3 "$BENCH_REPOS/.err")"
	timed "$repo" "$HALVE_BIN" run || die "halve run failed: $(tail -n 3 "$BENCH_REPOS/.err")"
	_wall=$t_wall
	_found=$(git -C "$repo" rev-parse refs/bisect/bad)
	cp "$BENCH_REPOS/.out" "$_ledger.run"
	set -- $(run_figures "$_ledger.run")
	_hx=$1 _hmid=$2
	(cd "$repo" && "$HALVE_BIN" log) > "$_ledger.log"
	(cd "$repo" && "$HALVE_BIN" reset) >/dev/null 2>&1
	_ok=yes
	[ "$_found" = "$_c" ] || _ok="NO: found $_found"
	set -- $(expected_of_log "$_ledger.log")
	_exp=$1 _expmid=$2
	sed 1d "$_ledger" | awk -v c="$_c" -v p="$_p" -v w="$_wall" -v ok="$_ok" \
		-v ec="$_exp" -v em="$_expmid" -v hx="$_hx" -v hm="$_hmid" '{ n++; o += $2; ms += $3; if ($5 != "-") { pr += $5; np++ } }
		END { printf "%s\t%s\t%d\t%d\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\n", c, p, n, o, ms / 1000, w,
			ec, em, (np ? pr : "-"), ok, hx, hm }' >> "$results"
}

# git's own bisection of CULPRIT with the test alone: its steps.
git_steps() {
	git -C "$repo" bisect reset >/dev/null 2>&1
	git -C "$repo" bisect start "$bad" "$good" >/dev/null 2>&1 || die "git bisect start failed"
	git -C "$repo" bisect run sh -c "if git merge-base --is-ancestor $1 HEAD; then exit 1; else exit 0; fi" \
		> "$work/git-run.out" 2>&1
	git -C "$repo" bisect log | grep -cE '^git bisect (good|bad|skip) '
	git -C "$repo" bisect reset >/dev/null 2>&1
}

if [ "$report_only" = 0 ]; then
	say "costaware.sh: $(machine)"
	say "costaware.sh: $(uptime)"
	say "costaware.sh: $range, $(git -C "$repo" rev-list --count "$bad" "^$good") commits"
	[ "$fresh" = 1 ] && rm -f "$results"
	touch "$results"
	write_wrapper
	for c in $(draw_culprits); do
		grep -q "^$c	git	" "$results" ||
			printf '%s\tgit\t%s\n' "$c" "$(git_steps "$c")" >> "$results"
		for p in $policies; do
			grep -q "^$c	$p	" "$results" && continue
			say "costaware.sh: culprit $(echo "$c" | cut -c1-12), tolerance $p"
			bisect_one "$c" "$p"
		done
	done
	git -C "$repo" checkout -q -f "$bad"
	say "costaware.sh: $(uptime)"
fi

# The table: one row per culprit and policy, then the sums per policy and
# what the cost-aware choice did against the midpoint.
draw_culprits > "$work/culprits"
while read -r c; do
	for p in $(awk -F'\t' -v c="$c" '$1 == c && $2 != "git" { print $2 }' "$results"); do
		printf '%s\t%s\t%s\n' "$c" "$p" \
			"$(run_figures "$work/ledger-$(echo "$c" | cut -c1-12)-$p.run" | tr ' ' '\t')"
	done
done < "$work/culprits" > "$work/figures"
printf '| culprit | policy | steps (git'"'"'s) | objects compiled | model'"'"'s prediction | build wall s | run wall s | expected steps (halve'"'"'s own extra) | halve'"'"'s predicted rebuilds from step 2: chosen (midpoint'"'"'s) |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
awk -F'\t' 'FILENAME == ARGV[1] { order[++nc] = $1; next }
	FILENAME == ARGV[2] { fx[$1, $2] = $3; fm[$1, $2] = $4; fc[$1, $2] = $5; next }
	$2 == "git" { gs[$1] = $3; next }
	{ row[$1, $2] = $0; if (!($2 in seen)) { seen[$2] = 1; pol[++np] = $2 } }
	END {
		for (i = 1; i <= nc; i++) for (j = 1; j <= np; j++) {
			k = order[i] SUBSEP pol[j]
			if (!(k in row)) continue
			split(row[k], f, "\t")
			name = f[2] == "0" ? "tolerance 0" : (f[2] == "default" ? "default" : "tolerance " f[2])
			ok = f[10] == "yes" ? "" : " (" f[10] ")"
			printf "| %s | %s | %s (%s) | %s%s | %s | %s | %s | %s%s | %s |\n", substr(f[1], 1, 10), name,
				f[3], (order[i] in gs ? gs[order[i]] : "-"), f[4], ok, f[9], f[5], f[6], f[7],
				(fx[k] != "-" ? " (+" fx[k] ")" : ""), (fc[k] != "-" ? fc[k] " (" fm[k] ")" : "-")
		}
	}' "$work/culprits" "$work/figures" "$results"
# The sums cover the culprits bisected under every policy, so that they compare.
awk -F'\t' 'NR == FNR { want[$1] = 1; next }
	want[$1] && $2 != "git" { if (!($2 in np)) { np[$2] = 1; npol++ } have[$1]++; line[++n] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			split(line[i], f, "\t")
			if (have[f[1]] != npol) continue
			p = f[2]; s[p] += f[3]; o[p] += f[4]; w[p] += f[5]; e[p] += f[7]; m[p] += f[8]; r[p]++
		}
		for (p in s) printf "| %d runs | %s | %d | %d | | %.1f | | %.2f (midpoint %.2f) | |\n",
			r[p], (p == "0" ? "tolerance 0" : p), s[p], o[p], w[p], e[p], m[p]
		if (("0" in s) && ("default" in s) && o["0"] > 0 && e["0"] > 0 && r["0"] == r["default"])
			printf "\ndefault against tolerance 0: %.2f of the objects compiled, %.2f of the build wall time, %.3f of the expected steps (%.3f of the steps taken)\n",
				o["default"] / o["0"], w["default"] / w["0"], e["default"] / e["0"], s["default"] / s["0"]
	}' "$work/culprits" "$results"

# Where the files go: the objects each step compiled, run by run.
printf '\nobjects compiled per step (the last step builds the culprit):\n\n'
while read -r c; do
	for l in "$work"/ledger-"$(echo "$c" | cut -c1-12)"-*; do
		case $l in *.deps.*|*.objs.*|*.log|*.run) continue ;; esac
		[ -f "$l" ] || continue
		printf -- '- %s, %s: %s\n' "$(echo "$c" | cut -c1-10)" "${l##*-}" \
			"$(sed 1d "$l" | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 }')"
	done
done < "$work/culprits"
