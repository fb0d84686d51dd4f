// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The frame payload of a FrameBlock message: consecutive frames of one host.
//
// The product rule is "one codec, not two": frames on the wire are the native file
// format's standalone block (formats/include/zzping/formats/native/block_codec.hpp,
// docs/formats.md), i.e. a block carrying its own context (precision, frame length, base).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "zzping/common/frame.hpp"
#include "zzping/formats/stream/messages.hpp"

namespace zzping::stream {

// 1..65536 frames sharing one quantiser precision (they come from one host); throws
// std::invalid_argument otherwise.
std::vector<std::uint8_t> encode_frame_payload(std::span<const Frame> frames);
// Throws ProtocolError (offset relative to the payload) on malformed bytes.
std::vector<Frame> decode_frame_payload(std::span<const std::uint8_t> payload);

// The optional `jitter` field of a FrameBlock message: the body of the native jitter
// record (docs/formats.md, "Jitter") for the same frames; empty when no frame has jitter.
std::vector<std::uint8_t> encode_frame_jitter(std::span<const Frame> frames);
// The frames of a message, with their jitter when it carries some (absent otherwise).
// Throws ProtocolError on malformed bytes or a jitter field for a different frame count.
std::vector<Frame> decode_frames(const FrameBlock& message);
// Appends a whole FrameBlock message holding `frames` (block and jitter).
void append_frames_message(std::vector<std::uint8_t>& out, std::string_view host,
                           std::span<const Frame> frames);

}  // namespace zzping::stream
