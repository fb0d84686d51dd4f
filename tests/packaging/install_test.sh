#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb packages from this build tree (cpack), installs them on this machine
# with dpkg, checks files, capabilities, --version, the unit, conffile and the shared
# library Depends, then purges them and checks that nothing is left. Purges even when a
# check fails. Root only; skips (77) with the reason otherwise.
# Usage: install_test.sh BUILD_DIR WITH_GUI(ON|OFF)
set -uo pipefail
build_dir=$1
with_gui=$2

source "$(dirname "$0")/../support/prerequisite.sh"
skip() { zzping_missing "$@"; }
[[ $(id -u) -eq 0 ]] || skip "needs root (dpkg -i on this machine)"
for tool in dpkg dpkg-deb dpkg-shlibdeps cpack getcap; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh)"
done
# One install test at a time on this machine (other build folders run it too),
# taken before looking whether zzping is installed, which a running test makes true.
exec 9>/tmp/zzping-install-test.lock
flock -w 120 9 || skip "another zzping install test holds /tmp/zzping-install-test.lock"
packages=(zzping)
[[ $with_gui == ON ]] && packages+=(zzping-gui)
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
  if [[ -n $status && $status != *not-installed ]]; then
    skip "$package is already installed on this machine; this test does not touch it"
  fi
done

work=$(mktemp -d)
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
started=$SECONDS
ok() { echo "ok: $* [$((SECONDS - started)) s]"; }
purge() { dpkg --purge "${packages[@]}" >"$work/purge.log" 2>&1; }
cleanup() { purge; rm -rf "$work"; }
trap cleanup EXIT

if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$work/packages" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack"
  exit 1
fi
debs=()
for package in "${packages[@]}"; do
  deb=$(ls "$work/packages/${package}_"*.deb 2>/dev/null | head -1)
  [[ -n $deb ]] || { cat "$work/cpack.log"; echo "FAIL: cpack made no $package package"; exit 1; }
  debs+=("$deb")
done
ok "cpack: $(cd "$work/packages" && ls -- *.deb | tr '\n' ' ')"

# --force-unsafe-io: no fsync per unpacked file; a test install needs no crash safety.
if ! dpkg -i --force-unsafe-io "${debs[@]}" >"$work/install.log" 2>&1; then
  cat "$work/install.log"
  echo "FAIL: dpkg -i"
  exit 1
fi
ok "dpkg -i ${packages[*]}"

files=(/usr/bin/zzpingd /usr/bin/zzping-convert /usr/bin/zzping-dump /usr/bin/zzping-tail
       /lib/systemd/system/zzpingd.service /etc/zzping/zzpingd.toml
       /usr/share/doc/zzping/README.md /usr/share/doc/zzping/config.md /usr/share/doc/zzping/packaging.md
       /usr/share/man/man8/zzpingd.8.gz /usr/share/man/man1/zzping-convert.1.gz
       /usr/share/man/man1/zzping-dump.1.gz /usr/share/man/man1/zzping-tail.1.gz
       /usr/share/zzping/prometheus/zzping.rules.yml /usr/share/zzping/grafana/zzping-dashboard.json
       /usr/share/doc/zzping/alerts.md)
binaries=(zzpingd zzping-convert zzping-dump zzping-tail)
if [[ $with_gui == ON ]]; then
  files+=(/usr/bin/zzping-gui /usr/share/applications/zzping-gui.desktop
          /usr/share/icons/hicolor/scalable/apps/zzping-gui.svg /usr/share/man/man1/zzping-gui.1.gz
          /usr/bin/zzping-report /usr/share/man/man1/zzping-report.1.gz /usr/share/doc/zzping-gui/report.md)
  binaries+=(zzping-gui zzping-report)
fi
for file in "${files[@]}"; do
  [[ -f $file ]] || fail "$file is not installed"
done
ok "${#files[@]} files checked"
if command -v promtool >/dev/null; then
  promtool check rules /usr/share/zzping/prometheus/zzping.rules.yml >/dev/null || fail "promtool check rules on the installed rules"
  ok "installed rules pass promtool check rules"
fi
[[ ! -e /usr/bin/zzping-responder ]] || fail "zzping-responder (a test tool) is installed"

getcap /usr/bin/zzpingd | grep -q 'cap_net_raw[=+]ep' && ok "getcap: $(getcap /usr/bin/zzpingd)" ||
  fail "getcap /usr/bin/zzpingd shows no cap_net_raw+ep: '$(getcap /usr/bin/zzpingd)'"

for binary in "${binaries[@]}"; do
  version=$(QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$work timeout 20 "/usr/bin/$binary" --version 2>&1)
  if [[ $? -eq 0 && $version == *0.* ]]; then ok "$binary --version: $version"; else fail "$binary --version: $version"; fi
done

# The file capability at work: an unprivileged user opens raw ICMP sockets and pings
# 127.0.0.1 for two seconds (socket = "raw": no fallback to datagram ICMP sockets).
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  user_dir="$work/as-nobody"
  chmod 755 "$work"  # mktemp -d made it 0700
  mkdir -p "$user_dir" && chmod 777 "$user_dir"
  printf '[daemon]\nsocket = "raw"\ndata_dir = "%s/data"\nlisten = "127.0.0.1:0"\nconsole = "off"\n[[target]]\nhost = "127.0.0.1"\nrate = 20\n' \
    "$user_dir" >"$user_dir/zzpingd.toml"
  setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/zzpingd --config "$user_dir/zzpingd.toml" \
    >"$user_dir/log" 2>&1 &
  daemon=$!
  sleep 2
  kill -INT "$daemon"
  wait "$daemon"
  status=$?
  if [[ $status -eq 0 ]] && grep -q 'IPv4: raw ICMP socket' "$user_dir/log" &&
     ls "$user_dir"/data/127.0.0.1/*/*.zzf >/dev/null 2>&1; then
    ok "user nobody ran /usr/bin/zzpingd with raw ICMP sockets: $(grep -o '[0-9]* accepted' "$user_dir/log")"
  else
    cat "$user_dir/log"
    fail "user nobody could not run /usr/bin/zzpingd with raw ICMP sockets (exit $status)"
  fi
else
  echo "note: no user nobody or no setpriv; the capability was not exercised"
fi

conffiles=$(dpkg-query -W -f='${Conffiles}' zzping)
[[ $conffiles == *"/etc/zzping/zzpingd.toml"* ]] && ok "conffile /etc/zzping/zzpingd.toml" ||
  fail "/etc/zzping/zzpingd.toml is not a conffile: '$conffiles'"

# Depends: the shared libraries dpkg-shlibdeps found, plus libcap2-bin for setcap.
depends=$(dpkg-query -W -f='${Depends}' zzping)
echo "zzping Depends: $depends"
wanted=(libc6 libstdc++6 libcap2-bin)
objdump -p /usr/bin/zzpingd 2>/dev/null | grep -q 'NEEDED.*libsystemd' && wanted+=(libsystemd0)
# "a (>= 1), b" -> one package name a line.
names_of() { sed -e 's/ *([^)]*)//g' -e 's/ *| */\n/g' -e 's/, */\n/g' <<<"$1"; }
for dependency in "${wanted[@]}"; do
  names_of "$depends" | grep -qxF "$dependency" || fail "zzping does not depend on $dependency"
done
if [[ $with_gui == ON ]]; then
  gui_depends=$(dpkg-query -W -f='${Depends}' zzping-gui)
  echo "zzping-gui Depends: $gui_depends"
  for dependency in libc6 libstdc++6 libqt6widgets6 libqt6network6; do
    names_of "$gui_depends" | grep -qxF "$dependency" || fail "zzping-gui does not depend on $dependency"
  done
fi

# The files to be gone after purge: everything dpkg installed that no other package owns.
owned=$(dpkg -L "${packages[@]}" | sort -u)
purge || { cat "$work/purge.log"; fail "dpkg --purge"; }
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
  [[ -z $status || $status == *not-installed ]] || fail "$package is not purged: $status"
done
left=0
while IFS= read -r path; do
  # Directories (and links to them, like /lib) may be shared with other packages.
  [[ ( -f $path || -L $path ) && ! -d $path ]] && { fail "left after purge: $path"; left=$((left + 1)); }
done <<<"$owned"
[[ -e /etc/zzping ]] && fail "left after purge: /etc/zzping"
[[ $left -eq 0 ]] && ok "purged: none of $(wc -l <<<"$owned") paths left"

[[ $failures -eq 0 ]] || exit 1
echo "PASS"
