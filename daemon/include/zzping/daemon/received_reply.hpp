// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A reply as the reply receiver hands it to the loop: its source, the probe token's host
// cookie and probe counter, the kernel's receive time, and whether it is an echo reply or
// an ICMP error quoting one of our probes.
#include <cstdint>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/ip_address.hpp"

namespace zzping::daemon {

struct ReceivedReply {
  IpAddress source;
  std::uint64_t cookie = 0;
  std::uint64_t counter = 0;
  std::int64_t receive_mono_ns = 0;
  IcmpKind kind = IcmpKind::echo_reply;
};

}  // namespace zzping::daemon
