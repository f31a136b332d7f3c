#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Loads a module that fires WARN_ON and then claims success: only the
# harness's own checks (panic_on_warn, the kernel log scan) can fail the run.
/usr/sbin/insmod ./tcpsess_harness_warn.ko
exit 0
