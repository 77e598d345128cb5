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

# follow_forks OUT [OPTION...]: forks --follow of a file holding the first
# 3 records of testdata/forks.txt, then records 4 to 6 appended; what it
# printed, messages included, in OUT.
follow_forks() {
	local out=$1 follower

	shift
	head -3 testdata/forks.txt >"$out.live"
	./tracerctl forks --follow --interval 0.05 "$@" "$out.live" >"$out" 2>&1 &
	follower=$!
	sleep 0.5
	sed -n '4,6p' testdata/forks.txt >>"$out.live"
	sleep 0.5
	kill $follower
	wait $follower 2>/dev/null
}

# --follow: records appended later are printed once, a gap is reported.
follow_forks "$tmp/out"
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
result cli-export-valid "19 families, 75 samples" \
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
	"$(./tracerctl mem --input testdata/mem.txt --pages -J 2>/dev/null | json)"
result cli-mem-sort-columns "$(printf 'seed1a 405 202 2\ncron 4 2 1\ninit 2 1 1\nsh 2 1 1')" \
	"$(./tracerctl mem --input testdata/mem.txt --pages -rn -s SHARED -o name,shared,groups,npids 2>&1)"
# A name's newline, comma, semicolon and backslash come escaped as \ooo.
printf 'a\\054b\\012c\\073\\134, total: 5, valid: 3, invalid: 2, may_be_shared: 0, nb_group: 0, pid(2): 7; 8\n' >"$tmp/escmem"
result cli-mem-escaped-name '[{"groups": 0, "invalid": 2, "name": "a,b\nc;\\", "pids": [7, 8], "shared": 0, "total": 5, "valid": 3}]' \
	"$(./tracerctl mem --input "$tmp/escmem" --pages -J 2>&1 | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["memory"], sort_keys=True))')"
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
	"$(./tracerctl top -b -n 2 -d 0.1 -o SCHED 2>&1 | sed 's/top - ..:..:.., /top - TIME, /; s/over [0-9.]* s/over D s/')"

# Output for scripts: typed status, key="value" pairs, raw with a separator,
# JSON Lines in the follow modes, nanosecond times as strings.
if command -v jq >/dev/null; then
	result cli-status-json-typed '2 true 4096 "tracepoint"' \
		"$(./tracerctl status -J | jq -c '([.status.probes[].missed // 0] | add),
			.status.armed, .status.forks.size, .status.probes[0].type' | tr '\n' ' ' | sed 's/ $//')"
else
	echo "SKIP: cli-status-json-typed: no jq"
fi
result cli-status-not-loaded-json '{"status":{"loaded":false}} rc=3' \
	"$(TRACERCTL_ROOT=$tmp/none ./tracerctl status -J 2>/dev/null | tr -d ' \n'; echo " rc=${PIPESTATUS[0]}")"
result cli-pairs 'PID="96" COMMAND="ls" KMALLOC_MEM="6071856"' \
	"$(./tracerctl show -P --bytes -o PID,COMMAND,KMALLOC_MEM 96 2>&1)"
result cli-raw-separator "PID,COMMAND,KFREE
2,kthreadd,0
96,ls,6960
1234,my\\x20\"w\\x5cx\",3" "$(./tracerctl show -r --separator , -o PID,COMMAND,KFREE 2>&1)"
result cli-json-pairs-exclusive "tracerctl: -J, -P and -r exclude each other
rc=2" "$(out ./tracerctl show -J -P)"
follow_forks "$tmp/jsonl" -J -o SEQ,TIME_NS,RESULT
result cli-forks-follow-json-lines '{"seq":339,"time_ns":"1727012707123456789","result":"301"}
{"seq":340,"time_ns":"1727012707200000000","result":"303"}
{"seq":341,"time_ns":"1727012707300000000","result":"EAGAIN"}
tracerctl: 2 records lost: overwritten before they were read
{"seq":344,"time_ns":"1727012707400000000","result":"EINVAL"}
{"seq":345,"time_ns":"1727012707500000000","result":"1"}' "$(cat "$tmp/jsonl")"
if command -v jq >/dev/null; then
	result cli-forks-json-time-exact "1727012707123456789 1727012707" \
		"$(./tracerctl forks -J testdata/forks.txt 2>/dev/null | jq -r '.forks[0].time_ns, (.forks[0].time_ns[:-9] | tonumber)' | tr '\n' ' ' | sed 's/ $//')"
	result cli-top-batch-json-lines '2 [96,1234] ["SCHED",0]' \
		"$(./tracerctl top -b -J -n 2 -d 0.1 -o SCHED -p 96 -p 1234 >"$tmp/top.jsonl"; wc -l <"$tmp/top.jsonl") $(jq -c '[.processes[].pid]' "$tmp/top.jsonl" | sort -u) $(jq -c '[.sort, .processes[0].sched]' "$tmp/top.jsonl" | sort -u)"
else
	echo "SKIP: cli-forks-json-time-exact: no jq"
	echo "SKIP: cli-top-batch-json-lines: no jq"
fi
# Frames keep their column widths: a burst in the first does not make the
# next ones narrower.
cp -r testdata/root "$tmp/rates"
TRACERCTL_ROOT=$tmp/rates ./tracerctl top -b -n 3 -d 1 --output PID,KMALLOC >"$tmp/top.widths" &
topper=$!
sleep 0.5
sed -i 's/^96      1515 /96      4000001515 /' "$tmp/rates/proc/tracer"
wait $topper
result cli-top-batch-widths "1 header, 1 burst" \
	"$(grep PID "$tmp/top.widths" | sort -u | wc -l) header, $(grep -cE '^ +96 +[0-9]{10}$' "$tmp/top.widths") burst"
result cli-top-pid " 96 ls" "$(./tracerctl top -b -n 1 -d 0.1 -p 96 --output PID,COMMAND | tail -n +3)"
result cli-top-json-not-batch "tracerctl: top: -J is for -b
Try 'tracerctl top --help'.
rc=2" "$(out ./tracerctl top -J)"

# People's output: names in UTF-8 as names, nothing registered said so,
# memory_info's sizes with their units.
cp -r testdata/root "$tmp/utf8"
printf 'caf\303\251\n' >"$tmp/utf8/proc/96/comm"
result cli-utf8-name " 96 café" \
	"$(TRACERCTL_ROOT=$tmp/utf8 LC_ALL=C.UTF-8 ./tracerctl show -n -o PID,COMMAND 96 2>&1)"
mkdir -p "$tmp/empty/proc" "$tmp/empty/sys/module/tracer"
head -1 testdata/root/proc/tracer >"$tmp/empty/proc/tracer"
result cli-show-nothing-registered "tracerctl: no process is registered
rc=0" "$(TRACERCTL_ROOT=$tmp/empty out ./tracerctl show)"
if command -v jq >/dev/null; then
	result cli-show-nothing-registered-json "[] rc=0" \
		"$(TRACERCTL_ROOT=$tmp/empty ./tracerctl show -J 2>&1 | jq -c .processes) rc=$?"
else
	echo "SKIP: cli-show-nothing-registered-json: no jq"
fi
result cli-mem-bytes "cron 1232896 892928" \
	"$(./tracerctl mem --input testdata/mem.txt --bytes -rn -o NAME,TOTAL,VALID | head -1)"
result cli-mem-pages-bytes "tracerctl: mem: --pages or --bytes, not both
Try 'tracerctl mem --help'.
rc=2" "$(out ./tracerctl mem --input testdata/mem.txt --pages --bytes)"

# Prometheus: without the module, tracer_up 0 and no counts, written.
up0='# HELP tracer_up Whether the tracer module is loaded (1) or not (0)
# TYPE tracer_up gauge
tracer_up 0'
result cli-export-not-loaded "$up0
rc=0" "$(TRACERCTL_ROOT=$tmp/none out ./tracerctl export)"
cp testdata/export.prom "$tmp/stale.prom"
TRACERCTL_ROOT=$tmp/none ./tracerctl export -o "$tmp/stale.prom"
result cli-export-not-loaded-file "$up0
rc=$?" "$(cat "$tmp/stale.prom")
rc=0"
# The systemd units, checked by systemd itself (ExecStart on this tree).
if command -v systemd-analyze >/dev/null; then
	mkdir "$tmp/units"
	sed "s|/usr/bin/tracerctl|$PWD/tracerctl|" ../../systemd/tracer-export.service >"$tmp/units/tracer-export.service"
	cp ../../systemd/tracer-export.timer "$tmp/units/"
	result cli-systemd-units "rc=0" \
		"$(systemd-analyze verify --man=no "$tmp/units/tracer-export.service" "$tmp/units/tracer-export.timer" 2>&1; echo rc=$?)"
	result cli-systemd-path "ExecStart=/usr/bin/tracerctl export -o /var/lib/prometheus/node-exporter/tracer.prom" \
		"$(grep ^ExecStart= ../../systemd/tracer-export.service)"
else
	echo "SKIP: cli-systemd-units: no systemd-analyze"
fi

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
mkdir -p "$tmp/none" "$tmp/badroot/proc" "$tmp/badroot/sys/module/tracer"
msg="tracerctl: the tracer module is not loaded: load it with 'modprobe tracer' (as root)"
# export writes tracer_up 0 instead (cli-export-not-loaded).
for c in show "add 1" "remove 1" "remove --all" "add -f 1" "top -b" forks mem \
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
# Why it is not loaded, from the files a sysadmin would look at: a root
# per case, each a kernel release with what is installed for it.
# absent_root NAME RELEASE [CONFIG-LINES]: tracer-dkms' dkms.conf, and the
# kernel's configuration when CONFIG-LINES are given.
absent_root() {
	local r=$tmp/absent-$1

	mkdir -p "$r/proc/sys/kernel" "$r/usr/src/tracer-$v" "$r/boot"
	echo "$2" >"$r/proc/sys/kernel/osrelease"
	cp ../../dkms.conf "$r/usr/src/tracer-$v/"
	[ $# -lt 3 ] || printf '%s\n' "$3" >"$r/boot/config-$2"
}
fine='CONFIG_KPROBES=y
CONFIG_FUNCTION_TRACER=y
CONFIG_TRACEPOINTS=y
CONFIG_PROC_FS=y
# CONFIG_PREEMPT_RT is not set'
absent_root installed 6.1.0-99-amd64 "$fine"
mkdir -p "$tmp/absent-installed/lib/modules/6.1.0-99-amd64"
echo 'updates/dkms/tracer.ko.xz:' >"$tmp/absent-installed/lib/modules/6.1.0-99-amd64/modules.dep"
cp -a "$tmp/absent-installed" "$tmp/absent-secureboot"
mkdir -p "$tmp/absent-secureboot/sys/firmware/efi/efivars"
printf '\006\000\000\000\001' \
	>"$tmp/absent-secureboot/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e098032b8c4c"
absent_root nodkms 6.1.0-99-amd64
rm -r "$tmp/absent-nodkms/usr/src/tracer-$v"
absent_root rt 6.12.57+deb13-rt-amd64 "$(echo "$fine" | sed 's/^# CONFIG_PREEMPT_RT.*/CONFIG_PREEMPT_RT=y/')"
absent_root nokprobes 6.1.0-99-amd64 "$(echo "$fine" | grep -v KPROBES)"
absent_root newer 8.0.1-1-amd64 "$fine"
absent_root noheaders 6.1.0-99-amd64 "$fine"
absent_root notbuilt 6.1.0-99-amd64 "$fine"
mkdir -p "$tmp/absent-notbuilt/lib/modules/6.1.0-99-amd64/build"
while IFS='|' read -r case want; do
	result "cli-absent-$case" "tracerctl: $want
rc=3" "$(TRACERCTL_ROOT=$tmp/absent-$case out ./tracerctl show)"
done <<'EOF_CASES'
installed|the tracer module is not loaded: load it with 'modprobe tracer' (as root)
secureboot|the tracer module is not loaded: load it with 'modprobe tracer' (as root); Secure Boot is on, so if modprobe says 'Key was rejected by service', enroll the key DKMS signs modules with (mokutil --import /var/lib/dkms/mok.pub, reboot, and confirm in the MOK manager)
nodkms|the tracer module is not installed for this kernel (6.1.0-99-amd64): install the tracer-dkms package, which builds it (apt install tracer-dkms)
rt|the tracer module is not loaded, and cannot be on this kernel: 6.12.57+deb13-rt-amd64 is a real-time (PREEMPT_RT) kernel, which tracer does not support, so DKMS did not build it; boot a kernel that is not real-time (Debian's linux-image-amd64) to use tracer
nokprobes|the tracer module is not loaded, and cannot be on this kernel: 6.1.0-99-amd64 is built without CONFIG_KPROBES, which tracer needs, so DKMS did not build it; boot a kernel built with it
newer|the tracer module is not loaded, and cannot be on this kernel: 8.0.1-1-amd64 is not among the kernel releases this version of tracer supports, so DKMS did not build it; boot a supported kernel, or install a tracer-dkms that supports this one
noheaders|the tracer module is not built for this kernel (6.1.0-99-amd64): its headers are not installed; install them (apt install linux-headers-6.1.0-99-amd64) and DKMS builds tracer
notbuilt|the tracer module is not built for this kernel (6.1.0-99-amd64): 'dkms status tracer' says why; build it with 'dkms autoinstall -k 6.1.0-99-amd64' (as root)
EOF_CASES
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
rc=32" "$(out ./tracerctl remove -C ssh)"
mkdir -p "$tmp/empty/proc" "$tmp/empty/sys/module/tracer"
head -1 testdata/root/proc/tracer >"$tmp/empty/proc/tracer"
result cli-remove-all-none "rc=0" "$(TRACERCTL_ROOT=$tmp/empty out ./tracerctl remove --all)"

# Cgroups: /proc/tracer_cgroups in every output, its paths unescaped; what
# the processes and cgroups hold (/proc/tracer_held), "-" (null in JSON)
# with a module older than that file.
result cli-show-cgroups "$(cat testdata/show-cgroups.table)" "$(./tracerctl show --cgroups 2>&1)"
if command -v jq >/dev/null; then
	result cli-show-cgroups-json '["/",20000,"40K"] ["/system.slice/worker.service",1500,"400K"] ["/user.slice/user-1000.slice/user@1000.service/app.slice/app-my \"shell\"\\x.scope",7,"256B"]' \
		"$(./tracerctl show --cgroups -J | jq -c '.cgroups[] | [.cgroup, .kmalloc, .held]' | tr '\n' ' ' | sed 's/ $//')"
	result cli-show-cgroups-json-bytes '[409600,100,5734400]' \
		"$(./tracerctl show --cgroups -J --bytes -o CGROUP,HELD,HELD_BLOCKS,KFREE_MEM | jq -c '.cgroups[1] | [.held, .held_blocks, .kfree_mem]')"
else
	echo "SKIP: cli-show-cgroups-json: no jq"
fi
result cli-show-cgroups-raw-sort "$(printf '%s\n' '/system.slice/worker.service 409600 100' '/ 40960 10' \
	'/user.slice/user-1000.slice/user@1000.service/app.slice/app-my\x20"shell"\x5cx.scope 256 2')" \
	"$(./tracerctl show --cgroups -rn --bytes -s HELD -o CGROUP,HELD,HELD_BLOCKS 2>&1)"
result cli-show-cgroups-pairs 'CGROUP="/system.slice/worker.service" UNLOCK="12" HELD="400K"' \
	"$(./tracerctl show --cgroups -P -o CGROUP,UNLOCK,HELD -s KMALLOC 2>&1 | sed -n 2p)"
result cli-show-cgroups-not-pids "tracerctl: show: --cgroups shows every registered cgroup: no process IDs, -C, --pattern, -u or --unit
Try 'tracerctl show --help'.
rc=2" "$(out ./tracerctl show --cgroups 96)"
result cli-show-cgroups-bad-column "tracerctl: unknown column: PID
rc=2" "$(out ./tracerctl show --cgroups -o PID)"
cp -r testdata/root "$tmp/old"
rm "$tmp/old/proc/tracer_cgroups" "$tmp/old/proc/tracer_held"
result cli-show-cgroups-old-module "tracerctl: this tracer module counts no cgroups (it has no /proc/tracer_cgroups): it is older than tracerctl
rc=1" "$(TRACERCTL_ROOT=$tmp/old out ./tracerctl show --cgroups)"
head -1 testdata/root/proc/tracer_cgroups >"$tmp/empty/proc/tracer_cgroups"
result cli-show-cgroups-none "tracerctl: no cgroup is registered
rc=0" "$(TRACERCTL_ROOT=$tmp/empty out ./tracerctl show --cgroups)"
if command -v jq >/dev/null; then
	result cli-show-cgroups-none-json "[] rc=0" \
		"$(TRACERCTL_ROOT=$tmp/empty ./tracerctl show --cgroups -J 2>&1 | jq -c .cgroups) rc=$?"
	result cli-show-held-old-module-json "[null,null,null]" \
		"$(TRACERCTL_ROOT=$tmp/old ./tracerctl show -J | jq -c '[.processes[].held]')"
else
	echo "SKIP: cli-show-cgroups-none-json: no jq"
fi
result cli-show-held-old-module "$(printf '2 -\n96 -\n1234 -')" \
	"$(TRACERCTL_ROOT=$tmp/old ./tracerctl show -rn -o PID,HELD 2>&1)"
result cli-show-held-blocks "$(printf '1234 1047040 1\n96 1108 4\n2 0 0')" \
	"$(./tracerctl show -rn --bytes -s HELD -o PID,HELD,HELD_BLOCKS 2>&1)"
result cli-top-held-amount "1234 1022.5K           1" \
	"$(./tracerctl top -b -n 1 -d 0.1 -p 1234 --output PID,HELD,HELD_BLOCKS | tail -n +3)"
result cli-export-old-module "0" \
	"$(TRACERCTL_ROOT=$tmp/old ./tracerctl export | grep -c -e '^tracer_held' -e 'cgroup=')"
sed 's/^\/ /\/a\\04 /' testdata/root/proc/tracer_cgroups >"$tmp/badroot/proc/tracer_cgroups"
result cli-show-cgroups-bad-escape "tracerctl: $tmp/badroot/proc/tracer_cgroups: line 4: '/a\\04' is not a cgroup path
rc=1" "$(TRACERCTL_ROOT=$tmp/badroot out ./tracerctl show --cgroups)"

# add and remove of cgroups: the directory found (--dry-run) in the recorded
# cgroup2 mount (proc/self/mountinfo), by path, systemd unit or container
# ID (proc/*/cgroup), each failure in words; the ioctls are in
# tests/guest/tracerctl.sh.
cg=$TRACERCTL_ROOT/sys/fs/cgroup
id1=$(ls "$cg/system.slice" | sed -n 's/^docker-\(.*\)\.scope$/\1/p' | head -1)
id2=$(ls "$cg/system.slice" | sed -n 's/^docker-\(.*\)\.scope$/\1/p' | tail -1)
id3=$(ls "$cg"/kubepods.slice/*/* | sed -n 's/^cri-containerd-\(.*\)\.scope$/\1/p')
id4=$(ls "$cg/machine.slice" | sed -n 's/^libpod-\(.*\)\.scope$/\1/p')
while IFS='|' read -r name args want; do
	result "cli-cgroup-$name" "$(printf '%b' "$want")" "$(out ./tracerctl add -n $args)"
done <<EOF_CGROUPS
path|--cgroup /system.slice/cron.service|$cg/system.slice/cron.service\nrc=0
path-mounted|--cgroup /sys/fs/cgroup/system.slice/cron.service|$cg/system.slice/cron.service\nrc=0
path-relative|--cgroup system.slice|$cg/system.slice\nrc=0
path-root|--cgroup /|$cg\nrc=0
path-mount-point|--cgroup /sys/fs/cgroup|$cg\nrc=0
path-missing|--cgroup /system.slice/nope.service|tracerctl: add /system.slice/nope.service: no such cgroup\nrc=32
path-not-directory|--cgroup /system.slice/cron.service/cgroup.procs|tracerctl: add /system.slice/cron.service/cgroup.procs: Not a directory\nrc=1
unit|--unit cron|$cg/system.slice/cron.service\nrc=0
unit-full|--unit cron.service|$cg/system.slice/cron.service\nrc=0
unit-user-manager|--unit app-gnome-foot-42.scope|$cg/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-foot-42.scope\nrc=0
unit-slice|--unit user-1000.slice|$cg/user.slice/user-1000.slice\nrc=0
unit-not-running|--unit nope|tracerctl: unit nope.service has no cgroup (not running?)\nrc=32
unit-ambiguous|--unit worker|tracerctl: unit worker.service: several cgroups of that name: /system.slice/worker.service and /user.slice/user-1000.slice/user@1000.service/app.slice/worker.service: give one with --cgroup\nrc=1
container-docker|--container $id1|$cg/system.slice/docker-$id1.scope\nrc=0
container-ambiguous|--container ${id1:0:12}|tracerctl: container ${id1:0:12}: several match: /system.slice/docker-$id1.scope and /system.slice/docker-$id2.scope: give more of the ID\nrc=1
container-prefix|--container ${id2:0:14}|$cg/system.slice/docker-$id2.scope\nrc=0
container-cri|--container ${id3:0:12}|$cg/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0d1e2f3a_4b5c_6d7e_8f90_a1b2c3d4e5f6.slice/cri-containerd-$id3.scope\nrc=0
container-podman-not-conmon|--container ${id4:0:12}|$cg/machine.slice/libpod-$id4.scope\nrc=0
container-short|--container ${id1:0:11}|tracerctl: '${id1:0:11}': not a container ID (12 to 64 hexadecimal digits, lowercase)\nrc=2
container-not-running|--container deadbeef0000|tracerctl: no container's ID starts with deadbeef0000 (not running? no process of it is in /proc/*/cgroup)\nrc=32
several|--unit cron --cgroup /nope --cgroup /|$cg/system.slice/cron.service\ntracerctl: add /nope: no such cgroup\n$cg\nrc=64
pids|-C ls|96\nrc=0
EOF_CGROUPS
result cli-cgroup-remove-unit "tracerctl: unit ssh.service has no cgroup (not running?)
rc=32" "$(out ./tracerctl remove --unit ssh)"
result cli-cgroup-device "tracerctl: $TRACERCTL_ROOT/dev/tracer is missing though the module is loaded: is udev running? (mknod $TRACERCTL_ROOT/dev/tracer c 10 42)
rc=1" "$(out ./tracerctl add --cgroup /system.slice/cron.service)"
for c in "--cgroup / 96" "-f --unit cron" "-C ls --container $id1"; do
	result "cli-cgroup-or-processes-$(echo ${c%% *} | tr -d -)" "tracerctl: add: cgroups (--cgroup, --unit, --container) or processes, not both
Try 'tracerctl add --help'.
rc=2" "$(out ./tracerctl add $c)"
done
result cli-cgroup-remove-all "tracerctl: remove: cgroups (--cgroup, --unit, --container) or processes, not both
Try 'tracerctl remove --help'.
rc=2" "$(out ./tracerctl remove -a --cgroup /)"
mkdir -p "$tmp/nocg2/proc/self"
grep -v cgroup2 testdata/root/proc/self/mountinfo >"$tmp/nocg2/proc/self/mountinfo"
result cli-cgroup-no-cgroup2 "tracerctl: no cgroup v2 hierarchy is mounted ($tmp/nocg2/proc/self/mountinfo has no cgroup2 line): tracer counts the cgroups of v2 only
rc=1" "$(TRACERCTL_ROOT=$tmp/nocg2 out ./tracerctl add -n --unit cron)"
# A mount point with a space, escaped in mountinfo as \040.
mkdir -p "$tmp/spaced/proc/self" "$tmp/spaced/cg 2/a"
echo '26 23 0:23 / /cg\0402 rw,relatime shared:9 - cgroup2 cgroup2 rw' >"$tmp/spaced/proc/self/mountinfo"
result cli-cgroup-mount-escaped "$tmp/spaced/cg 2/a
rc=0" "$(TRACERCTL_ROOT=$tmp/spaced out ./tracerctl add -n --cgroup '/cg 2/a')"

# Bash completion, with bash-completion's helpers stubbed: COMP_WORDS in,
# COMPREPLY out.
complete() { :; }
_init_completion() {
	words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	cur=${words[cword]} prev=${words[cword - 1]} split=false
	# -s: --opt=value completes as --opt value, as bash-completion does.
	if [ "${1-}" = -s ] && [[ $cur == --?*=* ]]; then
		prev=${cur%%=*} cur=${cur#*=} split=true
	fi
}
_command_offset() { COMPREPLY=("offset $1: ${COMP_WORDS[$1]}"); }
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
completes "KFREE KFREE_MEM" top -o KF
completes "KFREE KFREE_MEM" show --sort=KF
completes "PID,KMALLOC PID,KMALLOC_MEM" show --output=PID,KMALLOC
completes "PID,KMALLOC PID,KMALLOC_MEM" top --output PID,KMALLOC
PATH=$PWD:$PATH completes "2 96 1234" top -p ''
completes "fork,exec fork,exit" watch -e fork,ex
completes "thread thread-exit" watch --events thr
completes "--follow" run --fo
completes "--result-file" run --res
completes "PID,KMALLOC PID,KMALLOC_MEM" run -o PID,KMALLOC
PATH=$PWD:$PATH completes "tracerctl" run -- tracerct
PATH=$PWD:$PATH completes "tracerctl" run -f -o PID tracerct
completes "offset 3: ls" run -- ls -
completes "offset 4: ls" run -f -r ls -
completes "FILES" run --result-file ''
PATH=$PWD:$PATH completes "2 96 1234" remove ''
completes "--help" add --h
completes "--follow" add --fo
completes "--all" remove --a
completes "--user --unit" show --u
completes "-f --follow -C --command --pattern -u --user --cgroup --unit --container -n --dry-run -h --help -V --version" add -C ls -
completes "--cgroups" show --cg
completes "CGROUP" show --cgroups -o CG
completes "HELD HELD_BLOCKS" show -s HE
completes "--container" remove --cont
PATH=$PWD:$PATH completes "/system.slice/worker.service" remove --cgroup /s
PATH=$PWD:$PATH completes "worker.service" remove --unit w
PATH=$PWD:$PATH completes "kthreadd" remove -C k
completes "USER" show -s US
completes "wait watch" w
completes "--tree" watch --tr
completes "--noheadings" show --no
completes "FILES" export -o ''
completes "--pairs --pages" mem --pa
completes "--pairs --pattern" show --pa
completes "SEQ,TIME SEQ,TIME_NS SEQ,TGID" forks -o SEQ,T

# The man page: groff's warnings, a heading per command (whole: as many [
# as ]), and every option of every command's --help in OPTIONS.
page=../../man/tracerctl.1
if command -v groff >/dev/null && command -v man >/dev/null; then
	result cli-man-groff-warnings "" "$(groff -man -ww -z "$page" 2>&1)"
	MANWIDTH=80 man -l "$page" 2>"$tmp/man.err" | col -b >"$tmp/man.txt"
	result cli-man-render "" "$(cat "$tmp/man.err")"
	sed -n '/^COMMANDS/,/^OPTIONS/p' "$tmp/man.txt" | grep -E '^       [a-z]' >"$tmp/man.heads"
	bad=
	for c in $(./tracerctl --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
		grep -qE "^       $c( |\$)" "$tmp/man.heads" || bad+=" no-heading:$c"
	done
	while read -r h; do
		[ "$(tr -cd '[' <<<"$h" | wc -c)" = "$(tr -cd ']' <<<"$h" | wc -c)" ] ||
			bad+=" split:${h// /_}"
	done <"$tmp/man.heads"
	result cli-man-command-headings "" "$bad"
	sed -n '/^OPTIONS/,/^EXIT STATUS/p' "$tmp/man.txt" >"$tmp/man.options"
	bad=
	for c in add remove show top export status forks mem wait watch run; do
		for opt in $(./tracerctl $c --help | grep -oE '(^| )(-[A-Za-z]|--[a-z][a-z-]*)' | sort -u); do
			grep -qE -- "(^|[ ,])$opt([ ,]|\$)" "$tmp/man.options" || bad+=" $c:$opt"
		done
	done
	result cli-man-options-complete "" "$bad"
else
	echo "SKIP: cli-man: no groff or man"
fi

# zsh and fish completions: they load, and fish's answers.
if command -v zsh >/dev/null; then
	result cli-zsh-completion "_tracerctl" "$(zsh -n ../../completion/_tracerctl 2>&1 &&
		zsh -f -c "fpath=(../../completion \$fpath); autoload -Uz compinit;
			compinit -u -d $tmp/zcompdump; print \$_comps[tracerctl]" 2>&1)"
else
	echo "SKIP: cli-zsh-completion: no zsh"
fi
if command -v fish >/dev/null; then
	fishes() {
		result "cli-fish-completion-$(echo "$2" | tr ' ' _)" "$1" \
			"$(PATH=$PWD:$PATH fish --no-config -c "source ../../completion/tracerctl.fish
				complete -C '$2'" 2>&1 | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
	}
	result cli-fish-syntax "" "$(fish -n ../../completion/tracerctl.fish 2>&1)"
	fishes "show status" "tracerctl s"
	fishes "fork,exec fork,exit" "tracerctl watch -e fork,ex"
	fishes "KFREE KFREE_MEM" "tracerctl top -o KF"
	fishes "--sort=KFREE --sort=KFREE_MEM" "tracerctl show --sort=KF"
	fishes "--output=PID,KMALLOC --output=PID,KMALLOC_MEM" "tracerctl show --output=PID,KMALLOC"
	fishes "2 96 1234" "tracerctl remove "
	fishes "--container" "tracerctl add --cont"
	fishes "--cgroups" "tracerctl show --cg"
	fishes "tracerctl" "tracerctl run -- tracerct"
else
	echo "SKIP: cli-fish-completion: no fish"
fi

# top on the full screen, in a tmux pane: the module's table turns
# unreadable under it; top must leave the alternate screen and its message
# be seen on the terminal. (The pane's shell waits: tmux may stop reading a
# pane whose process ended before its last output.)
if command -v tmux >/dev/null; then
	cp -r testdata/root "$tmp/screen"
	t() { LC_ALL=C.UTF-8 TMUX_TMPDIR=$tmp tmux -f /dev/null "$@"; }
	# pane NAME TEXT [LINE]: waits up to 10 s for the pane of $target to
	# show TEXT (on its line LINE).
	target=top
	pane() {
		for i in $(seq 100); do
			t capture-pane -p -t $target | sed -n "${3:-1,\$}p" | grep -qF "$2" && break
			sleep 0.1
		done
		result "$1" "$2" "$(t capture-pane -p -t $target | sed -n "${3:-1,\$}p" | grep -oF "$2" | head -1)"
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

	# 40 columns, 10 lines, 30 processes: the rows scroll under the
	# header, names stay whole (the lines are cut at the right edge), h
	# shows the keys, a terminal narrower still is no trouble.
	mkdir -p "$tmp/many/proc" "$tmp/many/sys/module/tracer"
	{
		head -1 testdata/root/proc/tracer
		for p in $(seq 1001 1030); do
			echo "$p 0 0 0 0 0 0 0 0 0"
			mkdir "$tmp/many/proc/$p"
			echo "worker-$p" >"$tmp/many/proc/$p/comm"
		done
	} >"$tmp/many/proc/tracer"
	target=narrow
	t new-session -d -s narrow -x 40 -y 10 "TERM=tmux-256color TRACERCTL_ROOT=$tmp/many \
		./tracerctl top -d 0.2; echo rc=\$?; sleep 10"
	pane cli-top-narrow-header " PID COMMAND" 3
	pane cli-top-narrow-first-row "1001 worker-1001" 4
	t send-keys -t narrow End
	pane cli-top-scroll-end "1030 worker-1030" 10
	pane cli-top-scroll-end-top "1024 worker-1024" 4
	t send-keys -t narrow PageUp
	pane cli-top-scroll-page-up "1018 worker-1018" 4
	t send-keys -t narrow Home Down
	pane cli-top-scroll-down "1002 worker-1002" 4
	t send-keys -t narrow h
	pane cli-top-help "PgUp, PgDn       scroll a page"
	t send-keys -t narrow x
	pane cli-top-help-leaves "1002 worker-1002" 4
	result cli-top-narrow-width 40 \
		"$(t capture-pane -p -t narrow | awk '{ if (length > n) n = length } END { print n }')"
	t resize-window -t narrow -x 12 -y 3
	pane cli-top-tiny " PID COMMAND" 3
	t send-keys -t narrow q
	pane cli-top-tiny-quits rc=0
	t kill-server
else
	echo "SKIP: cli-top-screen: no tmux"
fi
[ "$failed" -eq 0 ]
