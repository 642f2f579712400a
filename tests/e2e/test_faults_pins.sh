#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Crash safety with xpf run from the host's mount namespace (bpffs: pins, tcx egress link): tests/e2e/faults.sh.
FAULT_MODE=pins
. "$(dirname "$0")/faults.sh"
