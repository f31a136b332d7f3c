#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fails on purpose: the harness must report this run as failed.
echo "this test fails on purpose to prove the harness notices"
exit 1
