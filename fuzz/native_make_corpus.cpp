// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the seed corpus of the native_decode fuzz target with our own encoders:
//   native_make_corpus <fuzz/corpus folder>
// Not a test: run it by hand when the format changes, and commit the (small) files.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "random_frames.hpp"
#include "zzping/formats/native/file_format.hpp"

namespace {

using namespace zzping;
using namespace zzping::native;
using Bytes = std::vector<std::uint8_t>;

void write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes file_of(const std::vector<Frame>& frames, std::size_t per_block, FileHeader h) {
  Bytes bytes = encode_header(h);
  for (std::size_t i = 0; i < frames.size(); i += per_block) {
    append_frame_record(std::span(frames).subspan(i, std::min(per_block, frames.size() - i)), h,
                        bytes);
  }
  append_events_record(std::vector<LossEvent>{{h.start_ms + 300, h.start_ms + 700, 5}}, h, bytes);
  return bytes;
}

// The evidence records of 1.2 (kinds 4-6).
AttributedLossEvent sample_burst(std::int64_t t) {
  return {{t + 300, t + 700, 5}, attribution::Cause::upstream, "gateway answered", {"a", "b"}, {"gw"}};
}
attribution::Incident sample_incident(std::int64_t t) {
  return {t + 250, t + 750, attribution::Cause::local, {"a", "b", "gw"}, 14, "192.0.2.1"};
}
PathSnapshot sample_path(std::int64_t t) {
  return {t + 310, PathTrigger::loss_burst, false, {{1, "192.0.2.1", 800}, {2, "", std::nullopt}}, true};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: native_make_corpus <fuzz/corpus folder>\n");
    return 2;
  }
  const std::filesystem::path dir = std::filesystem::path(argv[1]) / "native_decode";
  testing::Rng rng(2021);
  const RttQuantiser q;
  FileHeader h;
  h.host = "192.168.0.1";
  h.start_ms = 1'609'488'000'000;
  const auto daemon = testing::daemon_frames(rng, 30, q, h.start_ms);
  const auto imported = testing::imported_frames(rng, 30, q);
  const auto tiers = testing::tier_like_frames(rng, 8, q);
  const auto odd = testing::adversarial_frames(rng, 6, q);
  const BlockContext ctx = h.block_context();

  write(dir, "daemon_file", file_of(daemon, 10, h));
  FileHeader imported_header = h;
  imported_header.source = std::string(source::kFrameData);
  imported_header.counters = kZzping02Counters;
  write(dir, "imported_file", file_of(imported, 15, imported_header));
  FileHeader tier_header = h;
  tier_header.frame_ms = tier_header.tier_ms = 1000;
  write(dir, "tier_file", file_of(tiers, 8, tier_header));
  write(dir, "daemon_block", encode_block(daemon, ctx));
  write(dir, "imported_block", encode_block(imported, ctx));
  write(dir, "tier_block", encode_block(tiers, ctx));
  write(dir, "adversarial_block", encode_block(odd, ctx));
  write(dir, "events", encode_events(std::vector<LossEvent>{{h.start_ms, h.start_ms + 900, 9}}, ctx));
  write(dir, "standalone_block", encode_standalone_block(std::span(daemon).first(10)));
  {
    FileHeader evidence_header = h;
    evidence_header.role = attribution::Role::isp;
    evidence_header.timeout_ms = 1000;  // the optional probe timeout (header key timeout_ms)
    Bytes evidence = file_of(daemon, 10, evidence_header);
    append_attributed_event_record(sample_burst(h.start_ms), evidence);
    append_incident_record(sample_incident(h.start_ms), evidence);
    append_path_record(sample_path(h.start_ms), evidence);
    write(dir, "evidence_file", evidence);
    Bytes body;
    encode_attributed_event(sample_burst(h.start_ms), body);
    write(dir, "attributed_event", body);
    body.clear();
    encode_incident(sample_incident(h.start_ms), body);
    write(dir, "incident", body);
    body.clear();
    encode_path(sample_path(h.start_ms), body);
    write(dir, "path", body);
  }
  Bytes cut = file_of(daemon, 10, h);
  cut.resize(cut.size() - 7);
  write(dir, "cut_file", cut);
  return 0;
}
