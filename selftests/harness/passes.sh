#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Passes, so a run of it alone shows the harness does not fail everything.
exit 0
