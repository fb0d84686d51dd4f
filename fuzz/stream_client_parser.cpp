// SPDX-License-Identifier: GPL-3.0-or-later
// The client's side of the stream protocol fed arbitrary server bytes (including frame
// payloads, decoded by the client): no crash, hang or unbounded allocation.
#include <cstdint>
#include <span>

#include "zzping/formats/stream/client_session.hpp"
#include "zzping/formats/stream/frame_payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  zzping::stream::ClientSession session(zzping::stream::ClientConfig{}, 0);
  std::int64_t now = 0;
  for (std::size_t at = 0; at < input.size() && !session.closed(); at += chunk) {
    session.feed(input.subspan(at, std::min(chunk, input.size() - at)), now);
    now += 7;
    session.tick(now);
    while (session.poll()) {
    }
    (void)session.take_outgoing();
  }
  // The payload decoder on the raw bytes too.
  try {
    (void)zzping::stream::decode_frame_payload(input);
  } catch (const zzping::stream::ProtocolError&) {
  }
  return 0;
}
