#!/usr/bin/env bash
# Phase 2: chapters/06-interrupts = chapters/05-double-faults (from main) + notes/preview06-vs-ch05.patch
set -euo pipefail
cd "$(dirname "$0")/.."
test -d chapters/05-double-faults
rm -rf chapters/06-interrupts
cp -r chapters/05-double-faults chapters/06-interrupts
rm -rf chapters/06-interrupts/build
cd chapters/06-interrupts
patch -p1 -F3 --no-backup-if-mismatch < ../../notes/preview06-vs-ch05.patch || echo "SOME HUNKS FAILED: see *.rej"
find . -name '*.rej' -o -name '*.orig'
