#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Never finishes within the host's limit for this run: the harness must kill
# the guest and fail the run, not wait forever or call it a pass.
sleep 3600
