#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test VM.  The root file system is the toolchain root over
# 9p, read-only; /run/bpfwd is the runner's per-run directory (read-write):
# it holds "cmd" (the command to run; absent for an interactive shell) and
# receives "rc" (its exit status).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-linux}

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmp /dev/shm
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mkdir -p /run/bpfwd
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 run /run/bpfwd
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up
hostname bpfwd-vm
ulimit -l unlimited
# Kernel messages go to the serial console (the runner scans them for
# splats); keep them there, not in the command's output.
echo 7 >/proc/sys/kernel/printk

cd /run/bpfwd
if [ -f /run/bpfwd/cmd ]; then
	bash /run/bpfwd/cmd </dev/null
	echo $? >/run/bpfwd/rc
else
	echo "bpfwd-vm: interactive shell; 'exit' powers the VM off"
	setsid -c bash -l </dev/ttyS0 >/dev/ttyS0 2>&1
fi
sync
busybox poweroff -f
