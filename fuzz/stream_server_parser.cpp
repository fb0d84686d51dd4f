// SPDX-License-Identifier: GPL-3.0-or-later
// The server's side of the stream protocol fed arbitrary client bytes: it must close the
// session with a reason or carry on, never crash, hang or allocate beyond its limits.
// The first byte picks the chunk size, so message boundaries fall everywhere.
#include <cstdint>
#include <span>

#include "zzping/formats/stream/server_session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  zzping::stream::ServerSessionConfig config;
  config.token = "fuzz";
  zzping::stream::ServerSession session(config, 0);
  std::int64_t now = 0;
  for (std::size_t at = 0; at < input.size() && !session.closed(); at += chunk) {
    session.feed(input.subspan(at, std::min(chunk, input.size() - at)), now);
    now += 7;
    session.tick(now);
    while (session.poll()) {
    }
    session.send_status(zzping::stream::HostStatus{"h", now, 0, std::nullopt, 1.0}, now);
    (void)session.take_outgoing();
  }
  return 0;
}
