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

std::vector<std::uint8_t> encode_frame_jitter(std::span<const Frame> frames) {
  if (!native::has_any_jitter(frames)) return {};
  return native::encode_jitter(frames);
}

std::vector<Frame> decode_frames(const FrameBlock& message) {
  std::vector<Frame> frames = decode_frame_payload(message.block);
  if (message.jitter.empty()) return frames;
  std::vector<std::optional<JitterSum>> jitter;
  try {
    jitter = native::decode_jitter(message.jitter);
  } catch (const native::FormatError& e) {
    throw ProtocolError("frame jitter: " + e.problem(), e.offset());
  }
  if (jitter.size() != frames.size()) {
    throw ProtocolError("frame jitter of " + std::to_string(jitter.size()) + " frames for a block of " +
                            std::to_string(frames.size()),
                        0);
  }
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].jitter = jitter[i];
  return frames;
}

void append_frames_message(std::vector<std::uint8_t>& out, std::string_view host,
                           std::span<const Frame> frames) {
  append_frame_block(out, host, encode_frame_payload(frames), encode_frame_jitter(frames));
}

}  // namespace zzping::stream
