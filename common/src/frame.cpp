// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/frame.hpp"

#include <algorithm>

namespace zzping {

void merge_into(Frame& dst, const Frame& src) {
  const std::int64_t start = std::min(dst.t_ms, src.t_ms);
  const std::int64_t end = std::max(dst.t_ms + dst.length_ms, src.t_ms + src.length_ms);
  dst.t_ms = start;
  dst.length_ms = static_cast<std::uint32_t>(end - start);
  dst.sent += src.sent;
  dst.recv += src.recv;
  dst.lost += src.lost;
  dst.dup += src.dup;
  dst.late += src.late;
  dst.icmp_errors += src.icmp_errors;
  dst.inflight = std::max(dst.inflight, src.inflight);
  dst.rtt.merge(src.rtt);
  if (src.jitter) {
    if (!dst.jitter) dst.jitter = JitterSum{};
    *dst.jitter += *src.jitter;
  }
}

}  // namespace zzping
