// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The evidence records of format 1.2 (docs/formats.md, "Attributed loss bursts, incidents,
// paths"): kind 4 an attributed loss burst of the file's host, kind 5 an incident (the
// bursts of all targets merged), kind 6 a path snapshot of the file's host. They are rare
// (a few per hour), so each body is one small MessagePack map, self-describing and easy to
// extend: readers ignore keys they do not know. Decoding uses msgpack-c with an
// unpack_limit on every container and string; a bad body throws FormatError naming the
// record and the field.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/path.hpp"

namespace zzping::native {

// Bounds of every decoded field (and of what an encoder accepts).
inline constexpr std::size_t kMaxEvidenceNameBytes = 255;   // target names, addresses
inline constexpr std::size_t kMaxEvidenceTextBytes = 1024;  // the attribution's reason
inline constexpr std::size_t kMaxEvidenceTargets = 4096;    // lost_too, answered, targets
inline constexpr std::size_t kMaxPathHops = 255;            // one per TTL

// Kind 4: a loss burst of the file's host with its cause (attribution.hpp). Replaces the
// kind 2 record in daemon files since 1.2.
struct AttributedLossEvent {
  LossEvent event;  // send times of the first and last lost probe, probes lost
  attribution::Cause cause = attribution::Cause::unknown;
  std::string reason;
  std::vector<std::string> lost_too;  // other targets that lost during the burst
  std::vector<std::string> answered;  // other targets that answered during it
  friend bool operator==(const AttributedLossEvent&, const AttributedLossEvent&) = default;
};
AttributedLossEvent to_record(const attribution::AttributedBurst& burst);
// The burst again, its target being `host` (a file holds one host's bursts).
attribution::AttributedBurst to_burst(const AttributedLossEvent& record, const std::string& host);

// Field-by-field equality of incidents (attribution::Incident has no operator==).
bool same_incident(const attribution::Incident& a, const attribution::Incident& b);

void encode_attributed_event(const AttributedLossEvent& event, std::vector<std::uint8_t>& out);
AttributedLossEvent decode_attributed_event(std::span<const std::uint8_t> body);

void encode_incident(const attribution::Incident& incident, std::vector<std::uint8_t>& out);
attribution::Incident decode_incident(std::span<const std::uint8_t> body);

// Hops are written in order; an empty address (no answer for that TTL) is stored as nil.
void encode_path(const PathSnapshot& path, std::vector<std::uint8_t>& out);
PathSnapshot decode_path(std::span<const std::uint8_t> body);

}  // namespace zzping::native
