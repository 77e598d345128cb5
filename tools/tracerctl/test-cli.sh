#!/bin/bash
# tracerctl on recorded input (TRACERCTL_ROOT=testdata/root stands for /):
# each subcommand's output, the messages and exit codes for a module not
# loaded and for malformed /proc contents. PASS:/FAIL:/SKIP: lines; exits
# with 1 after a FAIL. python3 (JSON) and tmux (top's screen) are optional:
# without them their checks are SKIPs.
set -uo pipefail
cd "$(dirname "$0")"
export TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TRACERCTL_ROOT=$PWD/testdata/root
prom=../../tests/progs/tpromcheck.c
failed=0
gcc -O2 -Wall -o "$tmp/tpromcheck" "$prom" -lm ||
	{ echo "FAIL: cli-tpromcheck-build"; failed=1; }

# result NAME WANT GOT
result() {
	if [ "$2" = "$3" ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1:"
		diff <(echo "$2") <(echo "$3") | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

# json_result NAME WANT CMD...: CMD's JSON, keys sorted, is WANT.
json_result() {
	local name=$1 want=$2

	shift 2
	if command -v python3 >/dev/null; then
		result "$name" "$want" "$("$@" 2>/dev/null | json)"
	else
		echo "SKIP: $name: no python3 to parse JSON"
	fi
}

# out CMD...: its stdout and stderr, then its exit code.
out() {
	"$@" 2>&1
	echo "rc=$?"
}

# The JSON, parsed and printed again with sorted keys.
json() {
	python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))'
}

result cli-table "$(cat testdata/forks.table)" \
	"$(./tracerctl forks testdata/forks.txt 2>&1)"
json_result cli-json "$(cat testdata/forks.json)" \
	./tracerctl forks --json testdata/forks.txt

# --follow: records appended later are printed once, a gap is reported.
head -3 testdata/forks.txt >"$tmp/live"
./tracerctl forks --follow --interval 0.05 "$tmp/live" >"$tmp/out" 2>&1 &
follower=$!
sleep 0.5
sed -n '4,6p' testdata/forks.txt >>"$tmp/live"
sleep 0.5
kill $follower
wait $follower 2>/dev/null
result cli-follow "$(cat testdata/forks.follow)" "$(cat "$tmp/out")"

result cli-bad-input "tracerctl: 1 lines not understood in $tmp/bad" \
	"$(echo 'not a record' >"$tmp/bad"; ./tracerctl forks "$tmp/bad" 2>&1)"

result cli-forks-raw-columns "339 300 301 
340 302 303 
341 304 EAGAIN Resource\\x20temporarily\\x20unavailable
344 305 EINVAL Invalid\\x20argument
345 306 1 " "$(./tracerctl forks -rn -o SEQ,PID,RESULT,MESSAGE testdata/forks.txt 2>/dev/null)"
result cli-forks-no-sort "tracerctl: forks: --sort and --bytes do not apply
Try 'tracerctl forks --help'.
rc=2" "$(out ./tracerctl forks -s SEQ testdata/forks.txt)"

# show, status, export on testdata/root.
result cli-show "$(cat testdata/show.table)" "$(./tracerctl show 2>&1)"
result cli-show-sort-bytes "$(cat testdata/show-sort-bytes.table)" \
	"$(./tracerctl show --bytes -s KMALLOC_MEM 2>&1)"
json_result cli-show-json "$(cat testdata/show.json)" ./tracerctl show -J
result cli-show-raw-columns "$(printf '96 ls 213\n1234 my\\x20"w\\x5cx" 7')" \
	"$(./tracerctl show -r -n -o pid,command,sched 1234 96 2>&1)"
result cli-show-missing-pid "tracerctl: 5: not registered (or not yours to see)
96 ls
rc=64" "$(out ./tracerctl show -rn -o PID,COMMAND 5 96)"
result cli-show-bad-column "tracerctl: unknown column: nope
rc=2" \
	"$(out ./tracerctl show -o PID,nope)"
result cli-status "$(cat testdata/status.table)" "$(out ./tracerctl status)"
json_result cli-status-json "$(cat testdata/status.json)" ./tracerctl status -J
result cli-export "$(cat testdata/export.prom)" "$(./tracerctl export --prometheus 2>&1)"
result cli-export-valid "15 families, 34 samples" \
	"$(./tracerctl export | "$tmp/tpromcheck" 2>&1)"
./tracerctl export -o "$tmp/tracer.prom"
result cli-export-file "$(cat testdata/export.prom) $(stat -c %a "$tmp/tracer.prom") $(ls -A "$tmp" | grep -c '^\.tracer')" \
	"$(cat "$tmp/tracer.prom") 644 0"
result cli-export-file-error "tracerctl: cannot create a file beside /nonexistent/x.prom: No such file or directory
rc=1" \
	"$(out ./tracerctl export -o /nonexistent/x.prom)"
# mem on a saved ALL (the kernel's own path needs the module: tests/guest).
result cli-mem "$(cat testdata/mem.table)" "$(./tracerctl mem --input testdata/mem.txt 2>&1)"
result cli-mem-json "$(cat testdata/mem.json)" \
	"$(./tracerctl mem --input testdata/mem.txt -J 2>/dev/null | json)"
result cli-mem-sort-columns "$(printf 'seed1a 405 202 2\ncron 4 2 1\ninit 2 1 1\nsh 2 1 1')" \
	"$(./tracerctl mem --input testdata/mem.txt -rn -s SHARED -o name,shared,groups,npids 2>&1)"
# A name's newline, comma, semicolon and backslash come escaped as \ooo.
printf 'a\\054b\\012c\\073\\134, total: 5, valid: 3, invalid: 2, may_be_shared: 0, nb_group: 0, pid(2): 7; 8\n' >"$tmp/escmem"
result cli-mem-escaped-name '[{"groups": 0, "invalid": 2, "name": "a,b\nc;\\", "pids": [7, 8], "shared": 0, "total": 5, "valid": 3}]' \
	"$(./tracerctl mem --input "$tmp/escmem" -J 2>&1 | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["memory"], sort_keys=True))')"
printf 'a\\05, total: 5, valid: 3, invalid: 2, may_be_shared: 0, nb_group: 0, pid(1): 7\n' >"$tmp/badesc"
result cli-mem-bad-escape "tracerctl: $tmp/badesc: not a memory_info line: a\\05, total: 5, valid: 3, invalid: 2, may_be_shared: 0, nb_group: 0, pid(1): 7
rc=1" "$(out ./tracerctl mem --input "$tmp/badesc")"
printf 'cron, total: 301, valid: 2\n' >"$tmp/badmem"
result cli-mem-malformed "tracerctl: $tmp/badmem: not a memory_info line: cron, total: 301, valid: 2
rc=1" "$(out ./tracerctl mem --input "$tmp/badmem")"
result cli-mem-usage "tracerctl: mem: expected all, filter NAME, del NAME or reset
Try 'tracerctl mem --help'.
rc=2" "$(out ./tracerctl mem filter)"
result cli-top-batch "$(cat testdata/top.batch)" \
	"$(./tracerctl top -b -n 2 -d 0.1 -s SCHED 2>&1 | sed 's/top - ..:..:.., /top - TIME, /; s/over [0-9.]* s/over D s/')"

# Version and help on every command.
v=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' ../../dkms.conf)
bad=
for c in "" add remove show top export status forks mem wait watch run; do
	[ "$(./tracerctl $c --version)" = "tracerctl from tracer $v" ] || bad+=" $c-V"
	./tracerctl $c --help | grep -q "^Usage: tracerctl $c" || bad+=" $c-h"
	./tracerctl $c --nope >/dev/null 2>&1 && bad+=" $c-bad-option"
done
result cli-help-version "" "$bad"

# A module that is not loaded, and malformed /proc contents.
mkdir -p "$tmp/none" "$tmp/badroot/proc"
msg="tracerctl: the tracer module is not loaded: load it with 'modprobe tracer' (as root)"
for c in show "add 1" "remove 1" "remove --all" "add -f 1" export "top -b" forks mem \
	"mem reset" "watch 1"; do
	result "cli-not-loaded-$(echo $c | tr ' ' -)" "$msg
rc=3" \
		"$(TRACERCTL_ROOT=$tmp/none out ./tracerctl $c)"
done
# wait and run: 125, as any other code may be the target's.
for c in "wait 1" "run true"; do
	result "cli-not-loaded-${c%% *}" "$msg
rc=125" \
		"$(TRACERCTL_ROOT=$tmp/none out ./tracerctl $c)"
done
result cli-not-loaded-status "FIELD   DATA
Module: not loaded
$msg
rc=3" "$(TRACERCTL_ROOT=$tmp/none out ./tracerctl status)"
printf 'PID kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock\n96 1 2 3\n' >"$tmp/badroot/proc/tracer"
result cli-malformed-short-row "tracerctl: $tmp/badroot/proc/tracer: line 2: short row: 4 fields, the header has 10
rc=1" \
	"$(TRACERCTL_ROOT=$tmp/badroot out ./tracerctl show)"
echo '96 1 2 3 4 5 6 7 8 9' >"$tmp/badroot/proc/tracer"
result cli-malformed-no-header "tracerctl: $tmp/badroot/proc/tracer: line 1: not the header (PID kmalloc ...)
rc=1" \
	"$(TRACERCTL_ROOT=$tmp/badroot out ./tracerctl export)"
result cli-watch-bad-event "tracerctl: unknown event 'forks': fork, thread, exec, thread-exit, exit, signaled, all
rc=2" \
	"$(out ./tracerctl watch -e exit,forks 1)"
result cli-run-no-command "tracerctl: run: no command given
Try 'tracerctl run --help'.
rc=125" \
	"$(out ./tracerctl run --follow)"
result cli-bad-pid "tracerctl: '12x': not a process ID (a number from 1)
rc=2" \
	"$(out ./tracerctl add 12x)"

# Option errors name tracerctl and the command; usage errors are 2 (wait
# and run: 125), the codes every --help lists.
bad=
for c in add remove show top export status forks mem wait watch run; do
	usage=2
	case $c in wait|run) usage=125 ;; esac
	[ "$(./tracerctl $c -@ 2>&1; echo "rc=$?")" = "tracerctl: $c: invalid option -- '@'
Try 'tracerctl $c --help'.
rc=$usage" ] || bad+=" $c-short"
	[ "$(./tracerctl $c --nope 2>&1; echo "rc=$?")" = "tracerctl: $c: unrecognized option '--nope'
Try 'tracerctl $c --help'.
rc=$usage" ] || bad+=" $c-long"
	./tracerctl $c --help | sed -n '/^Exit status: /,$p' | grep -qw "$usage" ||
		bad+=" $c-help"
done
result cli-option-errors "" "$bad"
result cli-option-missing-argument "tracerctl: show: option requires an argument -- 's'
Try 'tracerctl show --help'.
rc=2" "$(out ./tracerctl show -s)"
result cli-unknown-command "tracerctl: unknown command 'shw'
Try 'tracerctl --help'.
rc=2" "$(out ./tracerctl shw)"
result cli-no-command-usage 2 "$(./tracerctl >/dev/null 2>&1; echo $?)"

# Who the processes are: USER (effective, a number without a name), CGROUP
# (v2, or systemd's v1 line) and UNIT, from testdata/root/proc/PID/.
result cli-show-who "$(cat testdata/show-who.table)" \
	"$(./tracerctl show -o PID,COMMAND,USER,UNIT,CGROUP 2>&1)"
json_result cli-show-who-json '{"processes": [{"cgroup": "/", "pid": 2, "unit": null, "user": "root"}, {"cgroup": "/system.slice/cron.service", "pid": 96, "unit": "cron.service", "user": "root"}]}' \
	./tracerctl show -J -o PID,USER,UNIT,CGROUP -u 0
result cli-show-sort-user "$(printf '1234 4000000\n2 root\n96 root')" \
	"$(./tracerctl show -rn -s USER -o PID,USER 2>&1)"
result cli-show-sort-unit "$(printf '2 \n96 cron.service\n1234 user@1000.service')" \
	"$(./tracerctl show -rn -s UNIT -o PID,UNIT 2>&1)"
result cli-show-user "$(printf '2\n96\nrc=0')" "$(out ./tracerctl show -rn -o PID --user root)"
result cli-show-user-id "$(printf '1234\nrc=0')" "$(out ./tracerctl show -rn -o PID -u 4000000)"
result cli-show-unit "$(printf '96\nrc=0')" "$(out ./tracerctl show -rn -o PID --unit cron)"
result cli-show-unit-full "$(printf '1234\nrc=0')" \
	"$(out ./tracerctl show -rn -o PID --unit user@1000.service)"
result cli-show-command "$(printf '2\n96\nrc=0')" "$(out ./tracerctl show -rn -o PID -C ls,kthreadd)"
result cli-show-pattern "$(printf '1234\nrc=0')" "$(out ./tracerctl show -rn -o PID --pattern '^my "')"
result cli-show-criteria-and "$(printf '96\nrc=0')" \
	"$(out ./tracerctl show -rn -o PID -u root --pattern 's$')"
result cli-show-none-matched "tracerctl: no registered process matched
rc=32" "$(out ./tracerctl show -u root --unit nope.service)"
result cli-show-pid-filtered "tracerctl: no registered process matched
rc=32" "$(out ./tracerctl show -u root 1234)"
result cli-show-no-pid-registered "tracerctl: 5: not registered (or not yours to see)
rc=32" "$(out ./tracerctl show 5)"
result cli-show-bad-user "tracerctl: 'no such one': no such user
rc=2" "$(out ./tracerctl show -u 'no such one')"
result cli-show-bad-pattern "tracerctl: '(': not a pattern: Unmatched ( or \\(
rc=2" "$(out ./tracerctl show --pattern '(')"

# add and remove by name: what matches, before the device is opened (the
# recorded root has none: the ioctls are in tests/guest/tracerctl.sh).
result cli-add-none-matched "tracerctl: add: no process matched
rc=32" "$(out ./tracerctl add -C nosuch)"
result cli-add-matched "tracerctl: $TRACERCTL_ROOT/dev/tracer is missing though the module is loaded: is udev running? (mknod $TRACERCTL_ROOT/dev/tracer c 10 42)
rc=1" "$(out ./tracerctl add --follow -C ls)"
result cli-add-pids-and-name "tracerctl: add: process IDs or other means of choosing, not both
Try 'tracerctl add --help'.
rc=2" "$(out ./tracerctl add -C ls 96)"
result cli-add-nothing "tracerctl: add: no process given
Try 'tracerctl add --help'.
rc=2" "$(out ./tracerctl add)"
result cli-add-all "tracerctl: add: --all applies to remove only
Try 'tracerctl add --help'.
rc=2" "$(out ./tracerctl add --all)"
result cli-remove-follow "tracerctl: remove: --follow applies to add only
Try 'tracerctl remove --help'.
rc=2" "$(out ./tracerctl remove -f 96)"
result cli-remove-none-matched "tracerctl: remove: no registered process matched
rc=32" "$(out ./tracerctl remove --unit ssh)"
mkdir -p "$tmp/empty/proc" "$tmp/empty/sys/module/tracer"
head -1 testdata/root/proc/tracer >"$tmp/empty/proc/tracer"
result cli-remove-all-none "rc=0" "$(TRACERCTL_ROOT=$tmp/empty out ./tracerctl remove --all)"

# Bash completion, with bash-completion's helpers stubbed: COMP_WORDS in,
# COMPREPLY out.
complete() { :; }
_init_completion() {
	words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	cur=${words[cword]} prev=${words[cword - 1]}
}
_filedir() { COMPREPLY+=(FILES); }
compopt() { :; }
. ../../completion/tracerctl
# completes WANT WORD...: what completing the last WORD offers.
completes() {
	local want=$1
	shift
	COMP_WORDS=(tracerctl "$@") COMP_CWORD=$#
	COMPREPLY=()
	_tracerctl
	result "cli-completion-$(echo "$*" | tr ' ' _)" "$want" "${COMPREPLY[*]}"
}
completes "show status" s
completes "--sort" show -J --so
completes "PID,KMALLOC PID,KMALLOC_MEM" show -o PID,KMALLOC
completes "KFREE KFREE_MEM" top -s KF
PATH=$PWD:$PATH completes "2 96 1234" remove ''
completes "--help" add --h
completes "--follow" add --fo
completes "--all" remove --a
completes "--user --unit" show --u
completes "-f --follow -C --command --pattern -u --user --unit -h --help -V --version" add -C ls -
PATH=$PWD:$PATH completes "kthreadd" remove -C k
completes "USER" show -s US
completes "wait watch" w
completes "--tree" watch --tr
completes "--noheadings" show --no
completes "FILES" export -o ''
completes "SEQ,TIME SEQ,TIME_NS SEQ,TGID" forks -o SEQ,T

# top on the full screen, in a tmux pane: the module's table turns
# unreadable under it; top must leave the alternate screen and its message
# be seen on the terminal. (The pane's shell waits: tmux may stop reading a
# pane whose process ended before its last output.)
if command -v tmux >/dev/null; then
	cp -r testdata/root "$tmp/screen"
	t() { LC_ALL=C.UTF-8 TMUX_TMPDIR=$tmp tmux -f /dev/null "$@"; }
	# pane NAME TEXT: waits up to 10 s for the pane to show TEXT.
	pane() {
		for i in $(seq 100); do
			t capture-pane -p -t top | grep -qF "$2" && break
			sleep 0.1
		done
		result "$1" "$2" "$(t capture-pane -p -t top | grep -oF "$2" | head -1)"
	}
	t new-session -d -s top -x 120 -y 20 "TERM=tmux-256color TRACERCTL_ROOT=$tmp/screen \
		./tracerctl top -d 0.2; echo rc=\$?; sleep 10"
	pane cli-top-screen "tracerctl top - "
	result cli-top-alternate-screen 1 "$(t display -p -t top '#{alternate_on}')"
	echo 'not a table' >"$tmp/screen/proc/tracer"
	pane cli-top-exit-status rc=1
	pane cli-top-message-after-screen \
		"tracerctl: $tmp/screen/proc/tracer: line 1: not the header (PID kmalloc ...)"
	result cli-top-screen-restored 0 "$(t display -p -t top '#{alternate_on}')"
	t kill-server
else
	echo "SKIP: cli-top-screen: no tmux"
fi
[ "$failed" -eq 0 ]
