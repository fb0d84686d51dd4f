#pragma once
// The frame payload of a FrameBlock message: consecutive frames of one host.
//
// The product rule is "one codec, not two": frames on the wire use the native file
// format's block encoding. Every user of the stream goes through these two functions, so
// the payload codec is swapped in exactly one place (formats/src/stream/frame_payload.cpp).
#include <cstdint>
#include <span>
#include <vector>

#include "zzping/common/frame.hpp"

namespace zzping::stream {

// 1..65536 frames sharing one quantiser precision (they come from one host); throws
// std::invalid_argument otherwise.
std::vector<std::uint8_t> encode_frame_payload(std::span<const Frame> frames);
// Throws ProtocolError (offset relative to the payload) on malformed bytes.
std::vector<Frame> decode_frame_payload(std::span<const std::uint8_t> payload);

}  // namespace zzping::stream
