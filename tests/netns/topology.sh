#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A test network with real routers, in throw-away network namespaces (root only):
#
#   PREFIX-p (pinger) -- PREFIX-r1 ("gateway") -- PREFIX-r2 ("ISP") -- PREFIX-t1 .. PREFIX-tN
#                                   \-- PREFIX-r3 (another way) ------/  (each target also links to r3)
#
# Routers forward IPv4 and IPv6; the pinger's default route goes via r1, r1's via r2. Targets
# have kernel echo off (run zzping-responder there) and their default route via r2. r3 is
# linked to r1 and to every target but carries nothing until a test re-routes through it.
# icmp_ratelimit is 0 in the routers (exact traces) unless ZZPING_TOPOLOGY_RATELIMIT=default
# keeps the kernel's default (net.ipv4.icmp_ratelimit=1000 ms, net.ipv6.icmp.ratelimit=1000).
#
# Usage:
#   topology.sh up PREFIX [TARGETS]   build it (TARGETS >= 1, default 2); prints the addresses
#                                     as NAME=ADDRESS lines (p, r1, r2, r3, t1.., *_v6)
#   topology.sh down PREFIX           delete every namespace named PREFIX-*
#   topology.sh blackhole PREFIX I on|off [prohibit]   upstream outage: r2 drops what goes
#                                     to target I (ip route add blackhole: no ICMP error;
#                                     prohibit: r2 answers "administratively prohibited")
#   topology.sh reroute PREFIX I r3|r2      r1 sends target I's traffic via r3 (or back via r2)
#   topology.sh link PREFIX down|up   local outage: the pinger's link to r1 (up also puts back
#                                     the default routes and the IPv6 address the kernel
#                                     removed with the link)
# Addresses (the same in every instance: namespaces do not share them):
#   p 10.1.0.2 / fd00:1::2      r1 10.1.0.1 / fd00:1::1 (as the pinger sees it)
#   r2 10.2.0.2 / fd00:2::2     r3 10.3.0.2 / fd00:3::2
#   tI 10.10.I.2 / fd00:10:I::2 (r2's side 10.10.I.1; r3's side of tI's second link 10.11.I.1)
# Hops as a trace from p sees them (ICMP errors come from the interface facing the pinger):
#   via r2: 10.1.0.1, 10.2.0.2, 10.10.I.2      via r3: 10.1.0.1, 10.3.0.2, 10.10.I.2
set -euo pipefail

usage() { sed -n '3,34p' "$0" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
verb=$1 prefix=$2
[[ $prefix =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "bad PREFIX '$prefix'" >&2; exit 2; }

in_ns() { local ns=$1; shift; ip netns exec "$prefix-$ns" "$@"; }

namespaces() { ip netns list | awk '{print $1}' | grep -E "^${prefix//./\\.}-(p|r[0-9]+|t[0-9]+)\$" || true; }

down() {
  local ns
  for ns in $(namespaces); do ip netns del "$ns" || true; done
}

# link A IF_A ADDR_A/LEN ADDR6_A B IF_B ADDR_B/LEN ADDR6_B: a veth pair between two namespaces
link() {
  local a=$1 ifa=$2 ipa=$3 ip6a=$4 b=$5 ifb=$6 ipb=$7 ip6b=$8
  ip -n "$prefix-$a" link add "$ifa" type veth peer name "$ifb" netns "$prefix-$b"
  ip -n "$prefix-$a" addr add "$ipa" dev "$ifa"
  ip -n "$prefix-$b" addr add "$ipb" dev "$ifb"
  ip -n "$prefix-$a" addr add "$ip6a" dev "$ifa" nodad
  ip -n "$prefix-$b" addr add "$ip6b" dev "$ifb" nodad
  ip -n "$prefix-$a" link set "$ifa" up
  ip -n "$prefix-$b" link set "$ifb" up
}

up() {
  local targets=${1:-2}
  [[ $targets =~ ^[0-9]+$ && $targets -ge 1 && $targets -le 50 ]] || { echo "TARGETS must be 1..50" >&2; exit 2; }
  down
  trap 'down' ERR
  local ns nodes=(p r1 r2 r3)
  for ((i = 1; i <= targets; i++)); do nodes+=("t$i"); done
  for ns in "${nodes[@]}"; do
    ip netns add "$prefix-$ns"
    ip -n "$prefix-$ns" link set lo up
    # No duplicate address detection (addresses usable at once), no reverse-path filter
    # (a re-route makes paths asymmetric).
    in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  for ns in r1 r2 r3; do
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    if [[ ${ZZPING_TOPOLOGY_RATELIMIT:-0} != default ]]; then
      in_ns "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
    fi
  done
  link p p-r1 10.1.0.2/24 fd00:1::2/64 r1 r1-p 10.1.0.1/24 fd00:1::1/64
  link r1 r1-r2 10.2.0.1/24 fd00:2::1/64 r2 r2-r1 10.2.0.2/24 fd00:2::2/64
  link r1 r1-r3 10.3.0.1/24 fd00:3::1/64 r3 r3-r1 10.3.0.2/24 fd00:3::2/64
  ip -n "$prefix-p" route add default via 10.1.0.1
  ip -n "$prefix-p" -6 route add default via fd00:1::1
  ip -n "$prefix-r1" route add default via 10.2.0.2
  ip -n "$prefix-r1" -6 route add default via fd00:2::2
  ip -n "$prefix-r2" route add 10.1.0.0/24 via 10.2.0.1
  ip -n "$prefix-r2" -6 route add fd00:1::/64 via fd00:2::1
  ip -n "$prefix-r3" route add default via 10.3.0.1
  ip -n "$prefix-r3" -6 route add default via fd00:3::1
  for ((i = 1; i <= targets; i++)); do
    link r2 "r2-t$i" "10.10.$i.1/24" "fd00:10:$i::1/64" "t$i" t-r2 "10.10.$i.2/24" "fd00:10:$i::2/64"
    link r3 "r3-t$i" "10.11.$i.1/24" "fd00:11:$i::1/64" "t$i" t-r3 "10.11.$i.2/24" "fd00:11:$i::2/64"
    ip -n "$prefix-t$i" route add default via "10.10.$i.1"
    ip -n "$prefix-t$i" -6 route add default via "fd00:10:$i::1"
    # r3 reaches the target's main address over its own link (a second way in).
    ip -n "$prefix-r3" route add "10.10.$i.2/32" via "10.11.$i.2"
    ip -n "$prefix-r3" -6 route add "fd00:10:$i::2/128" via "fd00:11:$i::2"
    in_ns "t$i" sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
  done
  trap - ERR
  echo "p=10.1.0.2"; echo "p_v6=fd00:1::2"
  echo "r1=10.1.0.1"; echo "r1_v6=fd00:1::1"
  echo "r2=10.2.0.2"; echo "r2_v6=fd00:2::2"
  echo "r3=10.3.0.2"; echo "r3_v6=fd00:3::2"
  for ((i = 1; i <= targets; i++)); do echo "t$i=10.10.$i.2"; echo "t${i}_v6=fd00:10:$i::2"; done
}

case $verb in
  up) up "${3:-2}" ;;
  down) down ;;
  blackhole)
    [[ $# -eq 4 || $# -eq 5 ]] || usage
    action=$([[ $4 == on ]] && echo add || echo del)
    type=${5:-blackhole}
    [[ $type == blackhole || $type == prohibit ]] || usage
    # Host routes: more specific than r2's connected route to the target's link.
    ip -n "$prefix-r2" route "$action" "$type" "10.10.$3.2/32"
    ip -n "$prefix-r2" -6 route "$action" "$type" "fd00:10:$3::2/128"
    ;;
  reroute)
    [[ $# -eq 4 ]] || usage
    if [[ $4 == r3 ]]; then
      ip -n "$prefix-r1" route replace "10.10.$3.0/24" via 10.3.0.2
      ip -n "$prefix-r1" -6 route replace "fd00:10:$3::/64" via fd00:3::2
    else
      ip -n "$prefix-r1" route del "10.10.$3.0/24" || true
      ip -n "$prefix-r1" -6 route del "fd00:10:$3::/64" || true
    fi
    ;;
  link)
    [[ $# -eq 3 ]] || usage
    ip -n "$prefix-p" link set p-r1 "$3"
    if [[ $3 == up ]]; then
      ip -n "$prefix-p" -6 addr replace fd00:1::2/64 dev p-r1 nodad
      ip -n "$prefix-p" route replace default via 10.1.0.1
      ip -n "$prefix-p" -6 route replace default via fd00:1::1
    fi
    ;;
  *) usage ;;
esac
