#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX license headers on every tracked source file (the project is GPL-3.0-or-later, see
# LICENSE).
#   scripts/spdx.sh           adds the header where it is missing (idempotent: a file that
#                             already has an SPDX-License-Identifier line is left alone)
#   scripts/spdx.sh --check   changes nothing; lists files without the header and tracked
#                             files of a kind this script does not know, exit 1 if any
# Only files tracked by git are looked at, so build folders and local files are never
# touched. Safe to re-run after merging other branches: it only adds the missing lines.
# The header goes on line 1, or line 2 after a "#!" line, an XML declaration, or a man
# page's preprocessor line ('\"), in the comment syntax of the file:
#   C/C++                        // SPDX-License-Identifier: GPL-3.0-or-later
#   shell, CMake, Python, TOML,  # SPDX-License-Identifier: GPL-3.0-or-later
#   YAML, systemd units, desktop files
#   SVG / XML                    <!-- SPDX-License-Identifier: GPL-3.0-or-later -->
#   man pages                    .\" SPDX-License-Identifier: GPL-3.0-or-later
# Not given a header (data, not source): fuzz corpora and crashers, golden files and their
# expectations, Markdown documents, LICENSE, the Debian copyright file (the license
# statement itself), dpkg's conffiles list (no comment syntax), .gitignore and .gitkeep.
# The whole script is one function called on its last line: bash then has read all of it
# before it runs, so adding the header to this very file cannot shift what bash reads next.
main() {
set -euo pipefail
cd "$(dirname "$0")/.."
readonly LICENSE_ID="GPL-3.0-or-later"
readonly TAG="SPDX-License-Identifier:"

check=0
case ${1:-} in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: scripts/spdx.sh [--check]" >&2; exit 2 ;;
esac

# The comment style of a tracked file: cpp, hash, xml, man, skip or unknown.
style_of() {
  local path=$1 name=${1##*/}
  case $path in
    fuzz/corpus/* | fuzz/regressions/* | tests/native/golden/*) echo skip; return ;;
    LICENSE | packaging/debian/copyright | packaging/debian/conffiles | packaging/debian/changelog) echo skip; return ;;
  esac
  case $name in
    *.jsonl | *.zzf | *.zzb | *.md | .gitignore | .gitattributes | .gitkeep) echo skip ;;
    *.json) echo skip ;;  # data without comment syntax (the Grafana dashboard)
    *.png) echo skip ;;   # images (docs/images): no comment syntax
    *.cpp | *.hpp | *.h | *.cc | *.c | *.cxx | *.hxx) echo cpp ;;
    CMakeLists.txt | *.cmake | *.sh | *.py | *.toml | *.service | *.desktop) echo hash ;;
    *.yml | *.yaml) echo hash ;;
    *.supp) echo hash ;;  # sanitizer suppressions: "#" comments
    *.svg | *.xml) echo xml ;;
    *.[1-8]) echo man ;;
    *)
      # Scripts without an extension (.ci/run, the Debian maintainer scripts).
      if [[ $(head -c 2 -- "$path") == "#!" ]]; then echo hash; else echo unknown; fi
      ;;
  esac
}

header_line() {
  case $1 in
    cpp) echo "// $TAG $LICENSE_ID" ;;
    hash) echo "# $TAG $LICENSE_ID" ;;
    xml) echo "<!-- $TAG $LICENSE_ID -->" ;;
    man) echo ".\\\" $TAG $LICENSE_ID" ;;
  esac
}

has_header() { head -n 5 -- "$1" | grep -q "$TAG"; }

# Inserts the header, keeping the file's mode (rewrites it in place, no new inode).
add_header() {
  local path=$1 style=$2 line first after=0 tmp
  line=$(header_line "$style")
  first=$(head -n 1 -- "$path")
  case $style in
    hash) [[ $first == '#!'* ]] && after=1 ;;
    xml) [[ $first == '<?xml'* ]] && after=1 ;;
    man) [[ $first == "'\\\""* ]] && after=1 ;;
  esac
  tmp=$(mktemp)
  if ((after)); then
    { head -n 1 -- "$path"; printf '%s\n' "$line"; tail -n +2 -- "$path"; } >"$tmp"
  else
    { printf '%s\n' "$line"; cat -- "$path"; } >"$tmp"
  fi
  cat -- "$tmp" >"$path"
  rm -f -- "$tmp"
}

missing=0
unknown=0
added=0
while IFS= read -r -d '' path; do
  [[ -f $path && ! -L $path ]] || continue  # deleted in the work tree, or a symlink
  style=$(style_of "$path")
  case $style in
    skip) continue ;;
    unknown)
      echo "unknown kind of file (teach scripts/spdx.sh its comment syntax or skip it): $path"
      unknown=$((unknown + 1))
      continue
      ;;
  esac
  has_header "$path" && continue
  if ((check)); then
    echo "no SPDX header: $path"
    missing=$((missing + 1))
  else
    add_header "$path" "$style"
    added=$((added + 1))
  fi
done < <(git ls-files -z)

if ((check)); then
  if ((missing + unknown > 0)); then
    echo "spdx: $missing file(s) without the header, $unknown of an unknown kind (scripts/spdx.sh adds headers)"
    exit 1
  fi
  echo "spdx: every tracked source file has '$TAG $LICENSE_ID'"
else
  echo "spdx: added the header to $added file(s)"
  ((unknown == 0)) || exit 1
fi
}
main "$@"; exit
