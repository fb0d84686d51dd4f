// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/send_timing.hpp"

#include <cstdio>

namespace zzping::daemon {

std::string SendTiming::summary() const {
  const std::uint64_t asked = sent() + skipped_;
  const double share = asked == 0 ? 100.0 : 100.0 * static_cast<double>(sent()) / static_cast<double>(asked);
  char line[256];
  std::snprintf(line, sizeof(line),
                "sent %llu of %llu probes asked (%.3f%%), send error p50 %.1f p99 %.1f p99.9 %.1f max %.1f us",
                static_cast<unsigned long long>(sent()), static_cast<unsigned long long>(asked), share,
                error_quantile_us(0.5), error_quantile_us(0.99), error_quantile_us(0.999),
                error_quantile_us(1.0));
  return line;
}

}  // namespace zzping::daemon
