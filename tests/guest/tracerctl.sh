# tracerctl against the real module (sourced, busybox sh; needs lib.sh).
# The counts come from tctl workloads (tests/progs/tctl.c), exact; JSON is
# checked by jq, Prometheus output by tpromcheck (tests/progs/tpromcheck.c),
# top runs in a real terminal: a tmux pane.

# is NAME WANT CMD...: CMD's output (stdout and stderr), then "rc=N", is WANT.
is() {
	name=$1
	want=$2
	shift 2
	got=$("$@" 2>&1; echo "rc=$?")
	if [ "$got" = "$want" ]; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: $* said: $(echo "$got" | tr '\n' '|') want: $(echo "$want" | tr '\n' '|')"
	fi
}

# tctl_start NAME KMALLOCS SIZE LOCKS UPS: a waiting workload, its PID in $pid.
tctl_start() {
	tctl "$@" >/tmp/tctl.$$.$2 &
	pid=$!
	i=0
	while [ ! -s /tmp/tctl.$$.$2 ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# kmalloc_is PID N: waits up to 10 s for tracerctl to show N kmalloc calls.
kmalloc_is() {
	i=0
	while [ "$(tracerctl show -rn -o KMALLOC "$1")" != "$2" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# jq_doc DOC JQ-ARGS...: jq -e on the document DOC. An empty one fails,
# which jq -e alone lets pass (as does a pipe from a command that failed).
jq_doc() {
	[ -n "$1" ] || return 1
	doc=$1
	shift
	echo "$doc" | jq -e "$@" >/dev/null
}

# status_ok ROWS: the table and its JSON agree with /proc/tracer_status.
status_ok() {
	out=$(tracerctl status) || return 1
	probes=$(grep -c '^probe:' /proc/tracer_status)
	echo "$out" | grep -qx "Module: *loaded" &&
	echo "$out" | grep -qx "Version: *$(cat /sys/module/tracer/version)" &&
	echo "$out" | grep -qx "Armed: *yes" &&
	echo "$out" | grep -qx "Registered: *$1" &&
	[ "$(echo "$out" | grep -c '^Probe:')" = "$probes" ] &&
	j=$(tracerctl status -J) && jq_doc "$j" --argjson n "$probes" --argjson r "$1" \
		'.status.loaded == true and .status.armed == true and .status.rows == $r and
		 (.status.probes | length) == $n and
		 ([.status.probes[] | select(.type == "kprobe") | .missed | numbers] | length) ==
		 ([.status.probes[] | select(.type == "kprobe")] | length) and
		 (.status.forks.size | numbers) > 0'
}

# export_ok: valid exposition format, every family and sample there: the
# counts of each process and cgroup row, what they hold (a module with
# /proc/tracer_held), the status ones.
export_ok() {
	tracerctl export >/tmp/export.prom || return 1
	rows=$(($(wc -l </proc/tracer) - 1))
	cgrows=0
	[ ! -e /proc/tracer_cgroups ] || cgrows=$(($(wc -l </proc/tracer_cgroups) - 1))
	kprobes=$(grep -c '^probe: kprobe ' /proc/tracer_status)
	if [ -e /proc/tracer_held ]; then
		want="19 families, $((1 + 11 * (rows + cgrows) + 3 + kprobes + 3)) samples"
	else
		want="16 families, $((1 + 9 * rows + 2 + kprobes + 3)) samples"
	fi
	got=$(tpromcheck /tmp/export.prom)
	[ "$got" = "$want" ] || { echo "tpromcheck: $got, want $want"; return 1; }
}

# export_atomic DIR: readers never see a partial file while it is rewritten.
export_atomic() {
	mkdir -p "$1"
	tracerctl export -o "$1/tracer.prom" || return 1
	(for i in $(seq 30); do tracerctl export -o "$1/tracer.prom"; done) &
	writer=$!
	bad=0
	for i in $(seq 30); do
		tpromcheck "$1/tracer.prom" >/dev/null || bad=$((bad + 1))
	done
	wait $writer
	[ $bad = 0 ] && [ "$(ls -A "$1")" = tracer.prom ] &&
	[ "$(stat -c %a "$1/tracer.prom")" = 644 ] ||
		{ echo "$bad bad reads; $(ls -A "$1")"; return 1; }
}

# pane_has TEXT: waits up to 20 s for the top pane to show TEXT (grep -E).
pane_has() {
	i=0
	until tmux capture-pane -p -t top | grep -qE "$1"; do
		i=$((i + 1))
		[ $i -lt 200 ] || { tmux capture-pane -p -t top; return 1; }
		sleep 0.1
	done
}

# top_ended NAME: top, run by top_cmd NAME, exited with 0 (the pane's shell
# says so: tmux may lose the exit status of a pane whose terminal closes as
# its process exits) and left the alternate screen (the terminal restored).
top_ended() {
	pane_has "^$1 rc=0\$" &&
	[ "$(tmux display -p -t top '#{alternate_on}')" = 0 ]
}

# Two frames, the idle workload at rate 0 in each.
top_batch_ok() {
	tracerctl top -b -n 2 -d 0.5 -o KMALLOC --output PID,KMALLOC,LOCK >/tmp/top.out &&
	[ "$(grep -cE '^tracerctl top - ..:..:.., [0-9]+ registered, per second over [0-9.]+ s, by KMALLOC$' /tmp/top.out)" = 2 ] &&
	[ "$(grep -cE "^ *$p1 +0 +0\$" /tmp/top.out)" = 2 ] || { tr '\n' '|' </tmp/top.out; return 1; }
}

# The JSON documents, checked by jq.
show_json_ok() {
	j=$(tracerctl show -J $p1) && jq_doc "$j" --arg c 'tc"l\w' --argjson p $p1 \
		'.processes | length == 1 and .[0].pid == $p and .[0].command == $c and
		 .[0].kmalloc == 7 and .[0].kmalloc_mem == "168B" and .[0].lock == 5'
}
show_json_bytes_ok() {
	j=$(tracerctl show -J --bytes $p2) && jq_doc "$j" '.processes[0].kmalloc_mem == 36879'
}
show_json_all_ok() {
	j=$(tracerctl show -J) && jq_doc "$j" --argjson n $1 '.processes | length == $n'
}
# The newest creation of PID $1 is this shell's: PIDs wrap at 4096 on the
# debug kernel (BASE_SMALL), so the ring may hold older ones too.
forks_json_ok() {
	j=$(tracerctl forks -J) && jq_doc "$j" --argjson p $1 --argjson sh $$ \
		'[.forks[] | select(.ret == $p)] | last | .tgid == $sh and .exit_signal == "SIGCHLD"'
}
forks_table_ok() {
	tracerctl forks | grep -qE '^# [0-9]+ slots, [0-9]+ records overwritten, [0-9]+ creations not recorded$'
}

# top -b -J: one object per interval and line, the workload's row in it.
top_json_lines_ok() {
	tracerctl top -b -J -n 2 -d 0.3 -p $p1 >/tmp/top.jsonl &&
	[ "$(wc -l </tmp/top.jsonl)" = 2 ] &&
	[ "$(jq -c --argjson p $p1 '[.processes[].pid == $p, .interval > 0, (.time_ns | type)]' /tmp/top.jsonl | sort -u)" = '[true,true,"string"]' ] ||
		{ tr '\n' '|' </tmp/top.jsonl; return 1; }
}

# forks -f -J and watch -J on a real fork: each event a JSON object on its
# own line as it happens (read while the writer still runs), the times
# exact strings.
follow_json_lines_ok() {
	rm -f /tmp/go /tmp/forks.jsonl /tmp/watch.jsonl
	mkfifo /tmp/go
	sh -c 'read x </tmp/go; sleep 0 & wait; exit 5' &
	s=$!
	tracerctl forks -f -J -i 0.1 -o SEQ,TIME_NS,TGID,RET >/tmp/forks.jsonl 2>/dev/null &
	fw=$!
	tracerctl watch -J -e fork,exit $s >/tmp/watch.jsonl &
	ww=$!
	within 100 grep -q "^monitor: open [0-9]* watches [1-9]" /proc/tracer_status
	echo >/tmp/go
	wait $ww
	within 50 grep -q "\"tgid\":$s," /tmp/forks.jsonl
	kill $fw
	wait $fw 2>/dev/null
	rm -f /tmp/go
	# Every line one object; the shell's fork there, its exit last.
	jq -e -s 'length > 0' /tmp/forks.jsonl >/dev/null &&
	[ "$(jq -s -c --argjson s $s '[.[] | select(.tgid == $s)] | last | [(.time_ns | type), (.ret > 0)]' /tmp/forks.jsonl)" = '["string",true]' ] &&
	[ "$(jq -c --argjson s $s '[.event, .target == $s, .status, (.time_ns | test("^[0-9]+$"))]' /tmp/watch.jsonl | tr '\n' ' ')" = '["fork",true,null,true] ["exit",true,"exited 5",true] ' ] ||
		{ echo "forks: $(tr '\n' '|' </tmp/forks.jsonl) watch: $(tr '\n' '|' </tmp/watch.jsonl)"; return 1; }
}

# run: its counts on stdout or in --result-file, never in the command's stderr.
run_result_ok() {
	out=$(tracerctl run -rn -o COMMAND -- sh -c 'echo err >&2' 2>/tmp/run.err) &&
	[ "$out" = sh ] && [ "$(cat /tmp/run.err)" = err ] &&
	tracerctl run --result-file /tmp/run.res -J -o COMMAND -- sh -c 'echo out' >/tmp/run.out 2>/tmp/run.err &&
	[ "$(cat /tmp/run.out)" = out ] && [ ! -s /tmp/run.err ] &&
	[ "$(jq -r '.processes[0].command' /tmp/run.res)" = sh ] ||
		{ echo "out=$out err=$(cat /tmp/run.err) res=$(cat /tmp/run.res)"; return 1; }
}

# top_cmd NAME: the pane's command. Its shell outlives top to say "NAME
# rc=N"; it ignores the Ctrl-C meant for top (which sets its own handler).
top_cmd() {
	echo "trap '' INT; tracerctl top -d 1 --output PID,COMMAND,KMALLOC,KFREE,SCHED; echo $1 rc=\$?; exec sleep 100000"
}

top_in_tmux() {
	mkdir -p /dev/pts
	grep -q ' /dev/pts ' /proc/mounts || mount -t devpts devpts /dev/pts
	export TERM=tmux-256color TMUX_TMPDIR=/tmp SHELL=/bin/sh HOME=/tmp
	# tmux wants a UTF-8 locale: C.utf8 is staged.
	export LC_ALL=C.UTF-8
	if ! tmux -f /dev/null new-session -d -s top -x 150 -y 30 "$(top_cmd q)" 2>/tmp/tmux.err; then
		echo "FAIL: tracerctl-top-tmux-start: $(cat /tmp/tmux.err)"
		return
	fi
	check tracerctl-top-screen pane_has "^tracerctl top - [0-9:]+, [0-9]+ registered, per second over [0-9.]+ s, by KMALLOC"
	check tracerctl-top-row pane_has "^ *$p1 +tc\"l"
	check tracerctl-top-alternate-screen [ "$(tmux display -p -t top '#{alternate_on}')" = 1 ]
	tmux send-keys -t top '>'
	check tracerctl-top-key-sort pane_has "by KFREE\$"
	tmux send-keys -t top q
	check tracerctl-top-q-restores top_ended q
	tmux respawn-pane -k -t top "$(top_cmd ctrl-c)"
	check tracerctl-top-again pane_has "^tracerctl top - "
	tmux send-keys -t top C-c
	check tracerctl-top-ctrl-c-restores top_ended ctrl-c
	tmux kill-server
}

tracerctl_suite() {
	v=$(cat /sys/module/tracer/version)
	is tracerctl-version "tracerctl from tracer $v
rc=0" tracerctl --version
	bad=
	for c in "" add remove show top export status forks mem; do
		[ "$(tracerctl $c -V)" = "tracerctl from tracer $v" ] || bad="$bad $c-V"
		tracerctl $c --help | grep -q "^Usage: tracerctl $c" || bad="$bad $c-h"
	done
	check tracerctl-help-version-every-command [ -z "$bad" ]
	rows0=$(sed -n 's/^rows: //p' /proc/tracer_status)

	tctl_start 'tc"l\w' 7 24 5 3
	p1=$pid
	tctl_start big 3 12293 0 0
	p2=$pid
	is tracerctl-add "rc=0" tracerctl add $p1 $p2
	kill -USR1 $p1 $p2
	check tracerctl-workload-done kmalloc_is $p1 7
	check tracerctl-workload2-done kmalloc_is $p2 3
	is tracerctl-show-exact "$p1 7 7 168 168 3 3 5 5
rc=0" tracerctl show -rn --bytes -o PID,KMALLOC,KFREE,KMALLOC_MEM,KFREE_MEM,UP,DOWN,LOCK,UNLOCK $p1
	is tracerctl-show-human-units "$p2 36K 36K 0 0
rc=0" tracerctl show -rn -o PID,KMALLOC_MEM,KFREE_MEM,LOCK,UP $p2
	is tracerctl-show-sort "$p1
$p2
rc=0" tracerctl show -rn -s KMALLOC -o PID $p2 $p1
	is tracerctl-show-sort-bytes "$p2
$p1
rc=0" tracerctl show -rn -s KMALLOC_MEM -o PID $p1 $p2
	check tracerctl-show-json show_json_ok
	check tracerctl-show-json-bytes show_json_bytes_ok
	check tracerctl-show-json-all show_json_all_ok $((rows0 + 2))
	is tracerctl-show-not-registered "tracerctl: 999999: not registered (or not yours to see)
rc=32" tracerctl show 999999

	is tracerctl-add-again "tracerctl: add $p1: already registered (or its process is) (EEXIST)
rc=1" tracerctl add $p1
	sleep 100000 &
	s=$!
	is tracerctl-add-some "tracerctl: add 999999: no such process (ESRCH)
rc=64" tracerctl add $s 999999
	is tracerctl-remove "rc=0" tracerctl remove $s
	is tracerctl-remove-not-registered "tracerctl: remove $s: not registered (ENOENT)
rc=1" tracerctl remove $s
	is tracerctl-add-bad-pid "tracerctl: 'x1': not a process ID (a number from 1)
rc=2" tracerctl add x1
	# The device as the packages set it up, group 1000 standing for tracer
	# (the guest has no /etc/group: tracerctl names the group by number).
	mode=$(stat -c %a:%g /dev/tracer)
	chgrp 1000 /dev/tracer
	chmod 0660 /dev/tracer
	is tracerctl-add-open-refused "tracerctl: cannot open /dev/tracer: permission denied: root and the members of group 1000 may open it
rc=1" tcheck as 1003 1003 tracerctl add $s
	is tracerctl-add-other-user "tracerctl: add $s: permission denied: you may register only the processes you could trace (same user and group IDs, not set-user-ID), unless you have CAP_SYS_PTRACE (EPERM)
rc=1" tcheck as 1001 1001,1000 tracerctl add $s
	chmod ${mode%:*} /dev/tracer
	chgrp ${mode#*:} /dev/tracer
	kill $s

	check tracerctl-status status_ok $((rows0 + 2))
	check tracerctl-export-valid export_ok
	check tracerctl-export-exact grep -qxF 'tracer_kmalloc_calls_total{pid="'$p1'",comm="tc\"l\\w"} 7' /tmp/export.prom
	check tracerctl-export-exact-bytes grep -qxF 'tracer_kmalloc_bytes_total{pid="'$p2'",comm="big"} 36879' /tmp/export.prom
	check tracerctl-export-atomic export_atomic /tmp/textfile

	check tracerctl-top-batch top_batch_ok
	check tracerctl-top-json-lines top_json_lines_ok
	top_in_tmux
	check tracerctl-follow-json-lines follow_json_lines_ok
	check tracerctl-run-result-apart run_result_ok

	sleep 0 &
	f=$!
	wait $f
	check tracerctl-forks-json forks_json_ok $f
	check tracerctl-forks-table forks_table_ok

	is tracerctl-remove-two "rc=0" tracerctl remove $p1 $p2
	is tracerctl-show-removed "tracerctl: $p1: not registered (or not yours to see)
rc=32" tracerctl show $p1
	kill $p1 $p2
	wait $p1 $p2 2>/dev/null
	rm -f /tmp/tctl.$$.*
	tracerctl_select
	tracerctl_cgroups
}

# file_has FILE: waits up to 10 s for FILE to have contents.
file_has() {
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# uid_is PID UID: waits up to 10 s for PID's effective user to be UID.
uid_is() {
	i=0
	until grep -qE "^Uid:	[0-9]+	$2	" /proc/$1/status 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# forker FILE NAME: a shell, its PID in $pid, that once told on the fifo
# FILE.go starts a waiting workload NAME (tctl) in the background, writes
# its PID to FILE, and the workload its own to FILE.out when named.
forker() {
	mkfifo $1.go
	sh -c "read x <$1.go; tctl $2 4 16 0 0 >$1.out & echo \$! >$1; wait" &
	pid=$!
}

# counted PID: PID's row has counts (its exec's kmalloc calls at least).
counted() {
	[ "$(tracerctl show -rn -o KMALLOC $1)" -gt 0 ]
}

# tracerctl_select: processes chosen by name, pattern and user rather than
# PID; add --follow; remove --all; what the exit codes say of each.
tracerctl_select() {
	tctl_start byname 1 8 0 0
	b1=$pid
	tctl_start byname 2 8 0 0
	b2=$pid
	tctl_start bynamex 3 8 0 0
	b3=$pid
	is tracerctl-add-by-name "rc=0" tracerctl add -C byname
	is tracerctl-add-by-name-rows "$(printf '%s\n' $b1 $b2 | sort -n)
rc=0" tracerctl show -rn -o PID -C byname,bynamex
	# Two of the three are registered already: partial success.
	out=$(tracerctl add --pattern '^by.*me' 2>&1; echo "rc=$?")
	check tracerctl-add-by-pattern-partial [ "$(echo "$out" | sort)" = "$(printf '%s\n' rc=64 \
		"tracerctl: add $b1: already registered (or its process is) (EEXIST)" \
		"tracerctl: add $b2: already registered (or its process is) (EEXIST)" | sort)" ]
	is tracerctl-add-by-pattern-rows "$b3
rc=0" tracerctl show -rn -o PID -C bynamex
	is tracerctl-add-by-name-none "tracerctl: add: no process matched
rc=32" tracerctl add -C nosuchname
	is tracerctl-remove-by-name "rc=0" tracerctl remove -C byname,bynamex
	is tracerctl-remove-by-name-gone "tracerctl: no registered process matched
rc=32" tracerctl show --pattern '^byname'
	kill $b1 $b2 $b3
	wait $b1 $b2 $b3 2>/dev/null

	# --follow: a child forked after the registration is counted, in its
	# own row; without it, a child is not registered.
	rm -f /tmp/fchild* /tmp/nchild*
	forker /tmp/fchild fchild
	fp=$pid
	is tracerctl-add-follow "rc=0" tracerctl add --follow $fp
	forker /tmp/nchild nchild
	np=$pid
	is tracerctl-add-no-follow "rc=0" tracerctl add $np
	echo go >/tmp/fchild.go
	echo go >/tmp/nchild.go
	check tracerctl-follow-forked file_has /tmp/fchild.out
	check tracerctl-no-follow-forked file_has /tmp/nchild.out
	fc=$(cat /tmp/fchild)
	nc=$(cat /tmp/nchild)
	is tracerctl-add-follow-child-row "$fc fchild
rc=0" tracerctl show -rn -o PID,COMMAND $fc
	check tracerctl-add-follow-child-counted counted $fc
	is tracerctl-add-no-follow-child "tracerctl: $nc: not registered (or not yours to see)
rc=32" tracerctl show $nc
	tracerctl remove $fp $np $fc
	kill $fc $nc
	wait $fp $np 2>/dev/null

	# By systemd unit: a cgroup named as systemd names a service's. add
	# --unit registers the unit's cgroup (a module with cgroups); show
	# --unit chooses the rows of processes.
	cg=/sys/fs/cgroup
	grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg 2>/dev/null
	if mkdir -p $cg/system.slice/tdemo.service 2>/dev/null; then
		tctl_start indemo 5 8 0 0
		d=$pid
		echo $d >$cg/system.slice/tdemo.service/cgroup.procs
		is tracerctl-add-unit-process "rc=0" tracerctl add $d
		is tracerctl-show-unit-columns "$d indemo tdemo.service /system.slice/tdemo.service
rc=0" tracerctl show -rn -o PID,COMMAND,UNIT,CGROUP --unit tdemo.service
		if [ -e /proc/tracer_cgroups ]; then
			is tracerctl-add-by-unit "rc=0" tracerctl add --unit tdemo
			is tracerctl-add-by-unit-row "/system.slice/tdemo.service
rc=0" tracerctl show --cgroups -rn -o CGROUP
			is tracerctl-remove-by-unit "rc=0" tracerctl remove --unit tdemo
		else
			echo "SKIP: tracerctl-add-by-unit: this module counts no cgroups (no /proc/tracer_cgroups)"
		fi
		is tracerctl-remove-unit-process "rc=0" tracerctl remove $d
		kill $d
		wait $d 2>/dev/null
		within 50 rmdir $cg/system.slice/tdemo.service 2>/dev/null
		rmdir $cg/system.slice
	else
		echo "SKIP: tracerctl-add-by-unit: no cgroup v2 hierarchy to make a unit's cgroup in"
	fi

	# remove --all as a member of the group: that user's rows go, root's
	# (this suite's keeper) stay. add -u registers all of a user's.
	mode=$(stat -c %a:%g /dev/tracer)
	chgrp 1000 /dev/tracer
	chmod 0660 /dev/tracer
	tcheck as 1001 1001 sleep 100000 &
	u1=$!
	tcheck as 1001 1001 sleep 100001 &
	u2=$!
	check tracerctl-user-started uid_is $u1 1001
	check tracerctl-user2-started uid_is $u2 1001
	is tracerctl-add-by-user "rc=0" tcheck as 1001 1001,1000 tracerctl add -u 1001
	is tracerctl-show-by-user "$(printf '%s\n' $u1 $u2 | sort -n)
rc=0" tracerctl show -rn -o PID -u 1001
	is tracerctl-show-user-column "1001
rc=0" tracerctl show -rn -o USER -u 1001 $u1
	is tracerctl-remove-all-user "rc=0" tcheck as 1001 1001,1000 tracerctl remove --all
	is tracerctl-remove-all-user-gone "tracerctl: no registered process matched
rc=32" tracerctl show -u 1001
	is tracerctl-remove-all-others-stay "$keeper
rc=0" tracerctl show -rn -o PID $keeper
	is tracerctl-remove-all-nothing "rc=0" tcheck as 1001 1001,1000 tracerctl remove --all
	# run's rows have the user too, read while the command ran (the
	# guest has no /etc/passwd: numbers).
	is tracerctl-run-user-column "1001 sleep
rc=0" tcheck as 1001 1001,1000 tracerctl run -rn -o USER,COMMAND -- sleep 0
	chmod ${mode%:*} /dev/tracer
	chgrp ${mode#*:} /dev/tracer
	kill $u1 $u2
	wait $u1 $u2 2>/dev/null
	rm -f /tmp/fchild* /tmp/nchild*
}

# cgroup_row CGROUP JQ-TEST: show --cgroups -J --bytes has CGROUP's row,
# and JQ-TEST is true of it.
cgroup_row() {
	jq_doc "$(tracerctl show --cgroups -J --bytes -o +HELD_BLOCKS)" \
		--arg c "$1" "[.cgroups[] | select(.cgroup == \$c) | $2] == [true]"
}

# cgroup_row_is CGROUP JQ-TEST: waits up to 10 s for cgroup_row to be true.
cgroup_row_is() {
	within 100 cgroup_row "$@"
}

# cgroup_absent CGROUP: show --cgroups -J has no row of CGROUP.
cgroup_absent() {
	jq_doc "$(tracerctl show --cgroups -J)" --arg c "$1" \
		'[.cgroups[] | select(.cgroup == $c)] == []'
}

# cgroup_gone CGROUP: waits up to 5 s for CGROUP's row to leave.
cgroup_gone() {
	within 50 cgroup_absent "$1"
}

# tracerctl_cgroups: a cgroup registered by path counts, exactly, the
# workload moved into it, and what it holds (HELD); its errors in words;
# a delegated directory's owner may register it; remove, and rmdir, take
# its row away. Needs the module's cgroups (issue 20).
tracerctl_cgroups() {
	if [ ! -e /proc/tracer_cgroups ]; then
		echo "SKIP: tracerctl-cgroups: this module counts no cgroups (no /proc/tracer_cgroups)"
		return
	fi
	cg=/sys/fs/cgroup
	grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg 2>/dev/null
	if ! mkdir $cg/tctl-cg 2>/dev/null; then
		echo "SKIP: tracerctl-cgroups: no cgroup v2 hierarchy to make a cgroup in"
		return
	fi
	# 6 kmalloc(40)+kfree, 4 mutex pairs, 2 up/down pairs, 3 kmalloc(40) kept.
	tctl_start incg 6 40 4 2 3
	c=$pid
	echo $c >$cg/tctl-cg/cgroup.procs
	is tracerctl-add-cgroup "rc=0" tracerctl add --cgroup /tctl-cg
	is tracerctl-add-cgroup-process "rc=0" tracerctl add $c
	kill -USR1 $c
	check tracerctl-cgroup-counts cgroup_row_is /tctl-cg \
		'.kmalloc == 9 and .kfree == 6 and .kmalloc_mem == 360 and .kfree_mem == 240 and
		 .lock == 4 and .unlock == 4 and .up == 2 and .down == 2 and
		 .held == 120 and .held_blocks == 3'
	check tracerctl-process-held kmalloc_is $c 9
	is tracerctl-show-held "$c 120 3
rc=0" tracerctl show -rn --bytes -o PID,HELD,HELD_BLOCKS $c
	is tracerctl-show-held-people "$c 120B
rc=0" tracerctl show -rn -o PID,HELD $c
	is tracerctl-show-cgroups-raw "/tctl-cg 9 6 360 240 4 4 120 3
rc=0" tracerctl show --cgroups -rn --bytes -o CGROUP,KMALLOC,KFREE,KMALLOC_MEM,KFREE_MEM,LOCK,UNLOCK,HELD,HELD_BLOCKS
	check tracerctl-cgroup-export-valid export_ok
	check tracerctl-cgroup-export-exact grep -qxF 'tracer_kmalloc_calls_total{cgroup="/tctl-cg"} 9' /tmp/export.prom
	check tracerctl-cgroup-export-held grep -qxF 'tracer_held_bytes{cgroup="/tctl-cg"} 120' /tmp/export.prom
	check tracerctl-process-export-held grep -qxF "tracer_held_blocks{pid=\"$c\",comm=\"incg\"} 3" /tmp/export.prom
	# The same cgroup by its absolute path, again: EEXIST in words.
	is tracerctl-add-cgroup-again "tracerctl: add /tctl-cg: already registered (EEXIST)
rc=1" tracerctl add --cgroup $cg/tctl-cg
	is tracerctl-add-cgroup-missing "tracerctl: add /nope: no such cgroup
rc=32" tracerctl add --cgroup /nope
	# Another user: refused, unless the directory is delegated to it.
	mkdir $cg/tctl-deleg
	mode=$(stat -c %a:%g /dev/tracer)
	chgrp 1000 /dev/tracer
	chmod 0660 /dev/tracer
	is tracerctl-add-cgroup-other-user "tracerctl: add /tctl-deleg: permission denied: you may register only a cgroup whose directory you own (a subtree delegated to you), unless you have CAP_SYS_PTRACE (EPERM)
rc=1" tcheck as 1001 1001,1000 tracerctl add --cgroup /tctl-deleg
	chown -R 1001 $cg/tctl-deleg
	is tracerctl-add-cgroup-delegated "rc=0" tcheck as 1001 1001,1000 tracerctl add --cgroup /tctl-deleg
	is tracerctl-remove-cgroup-delegated "rc=0" tcheck as 1001 1001,1000 tracerctl remove --cgroup /tctl-deleg
	chmod ${mode%:*} /dev/tracer
	chgrp ${mode#*:} /dev/tracer
	rmdir $cg/tctl-deleg
	is tracerctl-remove-cgroup "rc=0" tracerctl remove --cgroup /tctl-cg
	check tracerctl-remove-cgroup-gone cgroup_gone /tctl-cg
	is tracerctl-remove-cgroup-again "tracerctl: remove /tctl-cg: not registered (ENOENT)
rc=1" tracerctl remove --cgroup /tctl-cg
	# Registered, then emptied and removed: the row goes by itself.
	is tracerctl-add-cgroup-rmdir "rc=0" tracerctl add --cgroup /tctl-cg
	tracerctl remove $c
	kill $c
	wait $c 2>/dev/null
	check tracerctl-cgroup-rmdir within 50 rmdir $cg/tctl-cg
	check tracerctl-cgroup-rmdir-row-gone cgroup_gone /tctl-cg
	rm -f /tmp/tctl.$$.*
}

# tracerctl_unloaded_suite: after rmmod, every command says how to load it.
tracerctl_unloaded_suite() {
	# The guest has no tracer.ko under /lib/modules: modprobe would not find it.
	msg="tracerctl: the tracer module is not installed for this kernel ($(uname -r)): install the tracer-dkms package, which builds it (apt install tracer-dkms)"
	is tracerctl-unloaded-status "FIELD   DATA
Module: not loaded
$msg
rc=3" tracerctl status
	for c in show add top mem; do
		is tracerctl-unloaded-$c "$msg
rc=3" tracerctl $c $([ $c = add ] && echo 1) $([ $c = top ] && echo -b)
	done
	# The textfile says the module is gone: no stale counts.
	mkdir -p /tmp/textfile
	tracerctl export -o /tmp/textfile/tracer.prom
	is tracerctl-unloaded-export "# HELP tracer_up Whether the tracer module is loaded (1) or not (0)
# TYPE tracer_up gauge
tracer_up 0
rc=$?" cat /tmp/textfile/tracer.prom
}
