// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping-tail's loop: connect, subscribe, print frames and events, reconnect with backoff.
#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "zzping/tools/frame_output.hpp"

namespace zzping::tail {

struct TailOptions {
  std::string server_host = "127.0.0.1";
  std::uint16_t server_port = 7878;
  std::vector<std::string> hosts;          // empty: all
  std::optional<std::uint32_t> backfill_s;
  tools::OutputFormat format = tools::OutputFormat::Text;
  std::optional<std::uint64_t> count;      // exit after printing this many frames
  std::optional<std::string> token;
  int connect_timeout_ms = 3000;
  int initial_backoff_ms = 250;
  int max_backoff_ms = 10'000;
  std::optional<std::uint32_t> max_attempts;  // consecutive failed connects before giving up
};

// Returns the exit code: 0 after --count frames (or a stop request), 1 on a fatal error
// (refused token, incompatible server, attempts exhausted) with a one-line reason on `err`.
int run_tail(const TailOptions& options, std::ostream& out, std::ostream& err,
             const std::atomic<bool>& stop);

}  // namespace zzping::tail
