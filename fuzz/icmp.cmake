# SPDX-License-Identifier: GPL-3.0-or-later
# ICMP packets as the daemon's receive path parses them (daemon/src/core/icmp_packet.cpp):
# replies and errors from anyone on the network, both families, with and without the IP
# header, plus echo requests and the probe token in their payload. Seeds come from
# icmp_make_corpus (our packet builder).
zzping_add_fuzzer(icmp_parse LIBS zzping_daemon_core)
add_executable(icmp_make_corpus ${CMAKE_CURRENT_SOURCE_DIR}/icmp_make_corpus.cpp)
target_link_libraries(icmp_make_corpus PRIVATE zzping_daemon_core)
zzping_target_options(icmp_make_corpus)
