# Cgroup rows (sourced by main.sh, tracer loaded): tcheck's exact counts,
# nested cgroups, churn, held blocks, removal, the reader's cgroup
# namespace and errors; here the permission rule and the status lines.

# cgroup_root: the cgroup2 mount, mounted at /sys/fs/cgroup if none is.
cgroup_root() {
	grep -q "^cgroup2 /sys/fs/cgroup " /proc/mounts ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup || return 1
	echo /sys/fs/cgroup
}

cgroups_suite() {
	local root u=1001 v=1002 t=1000 before

	if ! grep -qw cgroup2 /proc/filesystems; then
		echo "SKIP: cgroups: this kernel has no cgroup v2"
		return 0
	fi
	root=$(cgroup_root) || { echo "FAIL: cgroups-mount: cannot mount cgroup2"; return 0; }
	before=$(sed -n 's/^cgroups: //p' /proc/tracer_status)
	check cgroups-status-max grep -qx "cgroups_max: 64" /proc/tracer_status
	ran cgroups-run tcheck cgroups $root
	check cgroups-none-left [ "$(sed -n 's/^cgroups: //p' /proc/tracer_status)" = "$before" ]

	# Only who owns the directory (a delegated subtree), or root. The
	# device as the packages set it up (perm.sh).
	chgrp $t /dev/tracer
	chmod 0660 /dev/tracer
	mkdir -p $root/tt-perm $root/tt-other
	check cgroup-perm-not-owner-refused \
		[ "$(tcheck as $u $u,$t tcheck errno cgroup-add $root/tt-perm)" = EPERM ]
	chown $u $root/tt-perm
	check cgroup-perm-owner-adds \
		[ "$(tcheck as $u $u,$t tcheck errno cgroup-add $root/tt-perm)" = 0 ]
	check cgroup-perm-root-adds [ "$(tcheck errno cgroup-add $root/tt-other)" = 0 ]
	check cgroup-perm-owner-sees-own \
		[ "$(tcheck as $u $u,$t cut -d' ' -f1 /proc/tracer_cgroups | tr '\n' ' ')" = "CGROUP /tt-perm " ]
	check cgroup-perm-other-sees-none \
		[ "$(tcheck as $v $v,$t cut -d' ' -f1 /proc/tracer_cgroups | tr '\n' ' ')" = "CGROUP " ]
	check cgroup-perm-other-remove-refused \
		[ "$(tcheck as $v $v,$t tcheck errno cgroup-remove $root/tt-perm)" = EPERM ]
	check cgroup-perm-owner-removes \
		[ "$(tcheck as $u $u,$t tcheck errno cgroup-remove $root/tt-perm)" = 0 ]
	tcheck errno cgroup-remove $root/tt-other >/dev/null
	rmdir $root/tt-perm $root/tt-other
}
