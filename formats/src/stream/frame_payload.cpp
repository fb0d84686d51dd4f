// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/formats/stream/frame_payload.hpp"

#include <stdexcept>

#include "zzping/formats/native/block_codec.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

// The payload is the native format's standalone block (docs/formats.md, "Standalone
// block"): a frame block preceded by its own context, since a stream message has no file
// header. One codec for files and the wire.

std::vector<std::uint8_t> encode_frame_payload(std::span<const Frame> frames) {
  if (frames.size() > native::kMaxFramesPerBlock) {
    throw std::invalid_argument("a frame payload holds at most " +
                            std::to_string(native::kMaxFramesPerBlock) + " frames");
  }
  return native::encode_standalone_block(frames);
}

std::vector<Frame> decode_frame_payload(std::span<const std::uint8_t> payload) {
  try {
    return native::decode_standalone_block(payload);
  } catch (const native::FormatError& e) {
    throw ProtocolError("frame block: " + e.problem(), e.offset());
  }
}

}  // namespace zzping::stream
