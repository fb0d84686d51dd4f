#!/usr/bin/env bash
# The license is stated everywhere: LICENSE is the GPL version 3, and every tracked source
# file carries "SPDX-License-Identifier: GPL-3.0-or-later" (scripts/spdx.sh --check; run
# scripts/spdx.sh to add missing headers). Needs git and a git work tree.
# Usage: spdx_test.sh SOURCE_DIR
set -uo pipefail
source_dir=$1
source "$(dirname "$0")/../support/prerequisite.sh"
zzping_require_program git
git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  zzping_missing "$source_dir is not a git work tree (the check lists tracked files)"

failures=0
if [[ $(sed -n 1p "$source_dir/LICENSE" 2>/dev/null | tr -s ' ') != " GNU GENERAL PUBLIC LICENSE" ]] ||
   [[ $(sed -n 2p "$source_dir/LICENSE" | tr -s ' ') != " Version 3, 29 June 2007" ]]; then
  echo "FAIL: LICENSE is not the text of the GNU GPL version 3"
  failures=$((failures + 1))
fi
bash "$source_dir/scripts/spdx.sh" --check || failures=$((failures + 1))
((failures == 0)) || exit 1
echo "PASS"
