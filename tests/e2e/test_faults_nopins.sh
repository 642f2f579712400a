#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Crash safety with xpf run under `ip netns exec` (no bpffs: tc egress filter, no pins): tests/e2e/faults.sh.
FAULT_MODE=nopins
. "$(dirname "$0")/faults.sh"
