# SPDX-License-Identifier: GPL-2.0
# The BPF watchdog workbench.  See README.md.
#
#   make demo         build what is missing, boot, show the watchdog at work
#   make demo-vanilla the demo, then the same program hanging a vanilla kernel
#   make bench        cost and abort latency figures: bench/results.md
#   make stress       the 10-minute soak (STRESS_SECONDS=), FLAVOUR=debug too
#   make regress      full test_progs and test_verifier, vanilla vs patched
#   make check        build, boot, run every test; exit non-zero on failure
#   make vm [RUN=..]  interactive shell in the guest, or run one command
#   make kernel       build the patched kernel only (FLAVOUR=default|debug)
#   make tests        build the BPF selftests only
#   make vanilla      build the same config without the series (A/B runs)
#   make series       write the git format-patch series to outgoing/
#   make checkpatch   scripts/checkpatch.pl --strict over the series
#   make rustfmtcheck rustfmt check of the tree's Rust code
#   make clippy       CLIPPY=1 build of the watchdog's Rust code
#   make toolchain    provision the Debian 13 toolchain root
#   make prepare      apply the series to the kernel work tree
#   make quilt        shell for editing the quilt series
#   make distclean    remove the cache directory (BPFWD_CACHE)

S := scripts
export FLAVOUR ?= default
export BPFWD_CACHE ?= /var/cache/bpf-watchdog

.PHONY: demo demo-vanilla bench stress regress check vm kernel tests vanilla series checkpatch rustfmtcheck \
	clippy toolchain source prepare quilt distclean help

help:
	@sed -n '4,22p' Makefile | sed 's/^# \{0,1\}//'

demo:
	@$(S)/demo.sh

demo-vanilla:
	@VANILLA=1 $(S)/demo.sh

bench:
	@$(S)/bench.sh

stress:
	@$(S)/stress.sh

regress:
	@$(S)/regress.sh

check:
	@$(S)/check.sh

vm:
	@$(S)/vm.sh $(if $(RUN),"$(RUN)")

toolchain:
	@$(S)/toolchain.sh

source: toolchain
	@$(S)/source.sh

prepare: source
	@$(S)/prepare.sh

quilt: source
	@$(S)/quilt-shell.sh

kernel: prepare
	@$(S)/build-kernel.sh

tests: kernel
	@$(S)/build-tests.sh

vanilla: source
	@VANILLA=1 $(S)/build-kernel.sh

series:
	@$(S)/series.sh

checkpatch:
	@$(S)/checkpatch.sh

rustfmtcheck: prepare
	@$(S)/rust-checks.sh rustfmtcheck

clippy: kernel
	@$(S)/rust-checks.sh clippy

distclean:
	rm -rf $(BPFWD_CACHE) outgoing
