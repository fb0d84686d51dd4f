# SPDX-License-Identifier: GPL-3.0-or-later
# NETLINK_ROUTE messages as gateway = "auto" reads them (daemon/src/core/route_message.cpp),
# and the GatewayTracker fed the routes found. Seeds in fuzz/corpus/route_parse/ are real
# kernel messages captured in a throw-away namespace (a route dump's answers, deletions).
zzping_add_fuzzer(route_parse LIBS zzping_daemon_core)
