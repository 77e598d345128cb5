# fish completion for tracerctl(1)
# SPDX-License-Identifier: GPL-2.0

set -l commands add remove show top export status forks mem wait watch run
set -l row_cols PID COMMAND KMALLOC KFREE KMALLOC_MEM KFREE_MEM SCHED UP DOWN LOCK UNLOCK HELD HELD_BLOCKS USER CGROUP UNIT
set -l out_cmds show status forks mem run

function __tracerctl_registered
    tracerctl show -rn -o PID 2>/dev/null
end

function __tracerctl_cgroups
    tracerctl show --cgroups -rn -o CGROUP 2>/dev/null
end

# The containers' IDs (12 digits) in the running processes' cgroups.
function __tracerctl_containers
    cat /proc/[0-9]*/cgroup 2>/dev/null | string match -ar '[0-9a-f]{64}' | string sub -l 12 | sort -u
end

# A comma list: the words after what the token holds already.
function __tracerctl_list
    set -l tok (commandline -ct)
    set -l prefix (string replace -r '[^,]*$' '' -- $tok)
    printf '%s\n' $prefix$argv
end

complete -c tracerctl -f
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a add -d 'register processes'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a remove -d 'stop counting processes'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a show -d 'the counts of registered processes'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a top -d 'a live view of the rates'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a export -d 'the counts for Prometheus'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a status -d "the module's state"
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a forks -d 'the process creations recorded'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a mem -d 'memory by process name'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a wait -d 'wait until processes end'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a watch -d 'print forks, execs and exits'
complete -c tracerctl -n "not __fish_seen_subcommand_from $commands" -a run -d 'run a command, print its counts'
complete -c tracerctl -s h -l help -d 'show help'
complete -c tracerctl -s V -l version -d 'show the version'

# The output options.
complete -c tracerctl -n "__fish_seen_subcommand_from $out_cmds" -s J -l json -d 'JSON output'
complete -c tracerctl -n "__fish_seen_subcommand_from $out_cmds" -s P -l pairs -d 'key="value" output'
complete -c tracerctl -n "__fish_seen_subcommand_from $out_cmds" -s r -l raw -d 'raw output'
complete -c tracerctl -n "__fish_seen_subcommand_from $out_cmds" -l separator -x -d 'the column separator'
complete -c tracerctl -n "__fish_seen_subcommand_from $out_cmds" -s n -l noheadings -d 'no header line'
complete -c tracerctl -n "__fish_seen_subcommand_from show run" -s o -l output -x -a "(__tracerctl_list $row_cols)" -d 'the columns'
complete -c tracerctl -n "__fish_seen_subcommand_from show run" -s s -l sort -x -a "$row_cols" -d 'sort by a column'
complete -c tracerctl -n "__fish_seen_subcommand_from show run mem top" -l bytes -d 'sizes in bytes'
complete -c tracerctl -n "__fish_seen_subcommand_from status" -s o -l output -x -a "(__tracerctl_list FIELD DATA)" -d 'the columns'
complete -c tracerctl -n "__fish_seen_subcommand_from forks" -s o -l output -x -a "(__tracerctl_list SEQ TIME TIME_NS UID USER PID TGID COMMAND RET RESULT MESSAGE EXIT_SIGNO EXIT_SIGNAL PIDNS CHILD_PIDNS FLAGS_HEX FLAGS)" -d 'the columns'
complete -c tracerctl -n "__fish_seen_subcommand_from mem" -s o -l output -x -a "(__tracerctl_list NAME TOTAL VALID INVALID SHARED GROUPS NPIDS PIDS)" -d 'the columns'
complete -c tracerctl -n "__fish_seen_subcommand_from mem" -s s -l sort -x -a "NAME TOTAL VALID INVALID SHARED GROUPS NPIDS" -d 'sort by a column'

complete -c tracerctl -n "__fish_seen_subcommand_from show" -l cgroups -d 'the registered cgroups'
complete -c tracerctl -n "__fish_seen_subcommand_from add" -s f -l follow -d 'the processes they create too'
complete -c tracerctl -n "__fish_seen_subcommand_from remove" -s a -l all -d 'every registered process'
complete -c tracerctl -n "__fish_seen_subcommand_from add remove show" -s C -l command -x -d 'processes named NAME'
complete -c tracerctl -n "__fish_seen_subcommand_from add remove show" -l pattern -x -d 'processes whose name matches'
complete -c tracerctl -n "__fish_seen_subcommand_from add remove show" -s u -l user -x -a "(__fish_complete_users)" -d 'processes of USER'
complete -c tracerctl -n "__fish_seen_subcommand_from show" -l unit -x -d 'processes of the systemd UNIT'
complete -c tracerctl -n "__fish_seen_subcommand_from add" -l unit -x -a "(systemctl list-units --no-legend --plain 2>/dev/null | string replace -r ' .*' '')" -d 'the cgroup of a systemd unit'
complete -c tracerctl -n "__fish_seen_subcommand_from remove" -l unit -x -a "(__tracerctl_cgroups | string replace -r '.*/' '')" -d 'the cgroup of a systemd unit'
complete -c tracerctl -n "__fish_seen_subcommand_from add" -l cgroup -x -a "(__fish_complete_directories)" -d 'a cgroup'
complete -c tracerctl -n "__fish_seen_subcommand_from remove" -l cgroup -x -a "(__tracerctl_cgroups)" -d 'a registered cgroup'
complete -c tracerctl -n "__fish_seen_subcommand_from add remove" -l container -x -a "(__tracerctl_containers)" -d 'the cgroup of a container'
complete -c tracerctl -n "__fish_seen_subcommand_from add remove" -s n -l dry-run -d 'print what would be done'

complete -c tracerctl -n "__fish_seen_subcommand_from add wait watch" -a "(__fish_complete_pids)"
complete -c tracerctl -n "__fish_seen_subcommand_from remove show" -a "(__tracerctl_registered)"

complete -c tracerctl -n "__fish_seen_subcommand_from top" -s d -l delay -x -d 'the interval, seconds'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -s o -l sort -x -a "$row_cols" -d 'sort by the rate of a column'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -s p -l pid -x -a "(__tracerctl_registered)" -d 'only these processes'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -l output -x -a "(__tracerctl_list $row_cols)" -d 'the columns'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -s b -l batch -d 'batch output'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -s J -l json -d 'with -b, JSON Lines'
complete -c tracerctl -n "__fish_seen_subcommand_from top" -s n -l iterations -x -d 'with -b, stop after N tables'

complete -c tracerctl -n "__fish_seen_subcommand_from export" -l prometheus -d 'the format'
complete -c tracerctl -n "__fish_seen_subcommand_from export" -s o -l output -r -F -d 'write FILE atomically'

complete -c tracerctl -n "__fish_seen_subcommand_from forks" -s f -l follow -d 'keep printing new records'
complete -c tracerctl -n "__fish_seen_subcommand_from forks" -s i -l interval -x -d 'between two reads, seconds'
complete -c tracerctl -n "__fish_seen_subcommand_from forks" -F

complete -c tracerctl -n "__fish_seen_subcommand_from mem" -l pages -d 'sizes in pages'
complete -c tracerctl -n "__fish_seen_subcommand_from mem" -l input -r -F -d 'a saved ALL or FILTER output'
complete -c tracerctl -n "__fish_seen_subcommand_from mem" -a 'all filter del reset'

complete -c tracerctl -n "__fish_seen_subcommand_from watch" -s t -l tree -d 'the descendants too'
complete -c tracerctl -n "__fish_seen_subcommand_from watch" -s e -l events -x -a "(__tracerctl_list fork thread exec thread-exit exit signaled all)" -d 'the events'
complete -c tracerctl -n "__fish_seen_subcommand_from watch" -s J -l json -d 'JSON Lines'

complete -c tracerctl -n "__fish_seen_subcommand_from run" -s f -l follow -d 'the processes it creates too'
complete -c tracerctl -n "__fish_seen_subcommand_from run" -l result-file -r -F -d 'the counts in FILE'
complete -c tracerctl -n "__fish_seen_subcommand_from run" -a "(__fish_complete_subcommand --fcs-skip=2)"
