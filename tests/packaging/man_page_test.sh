#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A man page against its binary, so the two cannot drift apart:
#  - every option `BINARY --help` lists is an entry (.TP tag) of the page's OPTIONS section,
#    and every entry there is an option the binary lists;
#  - `man --warnings -l` (groff) prints no warning, when man-db is installed.
# Usage: man_page_test.sh BINARY PAGE
set -uo pipefail
binary=$1
page=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Options at the start of --help lines: CLI11 "  -c,--config TEXT", Qt "  -h, --help".
help_text=$("$binary" --help 2>/dev/null) || { echo "FAIL: $binary --help exited with $?"; exit 1; }
help_options=$(grep -oE '^ +-[-A-Za-z0-9]+(, ?--[-a-z0-9]+)?' <<<"$help_text" | grep -oE -- '--?[A-Za-z0-9][-a-z0-9]*' | sort -u)
[[ -n $help_options ]] || fail "no options found in $binary --help"

# The tag lines of .TP entries in OPTIONS, roff escapes and font changes removed.
page_options=$(sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$page" |
  sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' |
  awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
  sed -E 's/^\.[A-Z]+ //; s/"//g' |
  grep -oE '(^|[ ,])--?[A-Za-z0-9][-a-z0-9]*' | grep -oE -- '--?[A-Za-z0-9][-a-z0-9]*' | sort -u)
[[ -n $page_options ]] || fail "no option entries in the OPTIONS section of $page"

missing=$(comm -23 <(echo "$help_options") <(echo "$page_options"))
stale=$(comm -13 <(echo "$help_options") <(echo "$page_options"))
[[ -z $missing ]] || fail "$(basename "$page") lacks options that --help lists: $(echo $missing)"
[[ -z $stale ]] || fail "$(basename "$page") documents options --help does not list: $(echo $stale)"
[[ -n $missing || -n $stale ]] || echo "ok: $(echo "$help_options" | wc -l) options of --help match the page"

if command -v man >/dev/null; then
  warnings=$(LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man --warnings: $warnings"
  [[ -n $warnings ]] || echo "ok: man --warnings -l is clean"
else
  echo "note: man-db is not installed, groff warnings not checked"
fi
[[ $failures -eq 0 ]] || exit 1
echo "PASS"
