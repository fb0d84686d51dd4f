// SPDX-License-Identifier: GPL-3.0-or-later
#include "data_dir_output.hpp"

#include <map>
#include <stdexcept>
#include <utility>

#include "zzping/formats/native/layout.hpp"
#include "zzping/formats/native/tiers.hpp"

namespace zzping::convert {

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t floor_to(std::int64_t t, std::int64_t unit) {
  const std::int64_t q = t / unit;
  return (t % unit != 0 && t < 0 ? q - 1 : q) * unit;
}

// Frames and evidence of each UTC hour (a burst or incident goes to the hour it starts in,
// as zzpingd writes it), in input order within the hour.
struct HourContent {
  std::vector<Frame> frames;
  NativeEvidence evidence;
};

std::map<std::int64_t, HourContent> split_by_hour(std::span<const Frame> frames, const NativeEvidence& evidence) {
  std::map<std::int64_t, HourContent> hours;
  const auto hour = [&](std::int64_t t_ms) -> NativeEvidence& { return hours[floor_to(t_ms, kHourMs)].evidence; };
  for (const Frame& f : frames) hours[floor_to(f.t_ms, kHourMs)].frames.push_back(f);
  for (const LossEvent& e : evidence.plain) hour(e.start_ms).plain.push_back(e);
  for (const auto& a : evidence.attributed) hour(a.event.start_ms).attributed.push_back(a);
  for (const auto& i : evidence.incidents) hour(i.start_ms).incidents.push_back(i);
  for (const auto& p : evidence.paths) hour(p.t_ms).paths.push_back(p);
  return hours;
}

// Tier frames grouped by the tier file (tier, period start) they belong in.
std::map<std::pair<native::Tier, std::int64_t>, std::vector<Frame>> tier_frames_by_file(
    std::span<const Frame> frames) {
  native::TierAggregator aggregator;
  std::vector<native::TierFrame> completed;
  for (const Frame& f : frames) aggregator.add(f, completed);
  aggregator.flush(completed);
  std::map<std::pair<native::Tier, std::int64_t>, std::vector<Frame>> files;
  for (auto& tf : completed) {
    const auto period = native::layout::tier_file_period(tf.tier, tf.frame.t_ms);
    files[{tf.tier, period.start_ms}].push_back(std::move(tf.frame));
  }
  return files;
}

}  // namespace

std::vector<FileToWrite> encode_into_data_dir(
    const std::filesystem::path& data_dir, const NativeSource& source,
    std::span<const Frame> frames, const NativeEvidence& evidence,
    std::uint32_t block_frames,
    const std::function<bool(const std::filesystem::path&)>& exists) {
  if (source.host.empty()) {
    throw std::invalid_argument("the input names no host: give --host NAME for --data-dir");
  }
  if (source.tier_ms != 0) {
    throw std::invalid_argument("tier files cannot be imported into a data directory (give raw frames)");
  }
  std::vector<FileToWrite> out;
  for (const auto& [hour, content] : split_by_hour(frames, evidence)) {
    const auto path = native::layout::first_free(
        [&](unsigned n) { return native::layout::raw_file(data_dir, source.host, hour, n); }, exists);
    out.push_back({path, encode_native_file(source, content.frames, content.evidence, block_frames)});
  }
  for (const auto& [key, tier_frames] : tier_frames_by_file(frames)) {
    const auto [tier, period_start] = key;
    NativeSource tier_source = source;
    tier_source.frame_ms = native::tier_length_ms(tier);
    tier_source.tier_ms = tier_source.frame_ms;
    const auto path = native::layout::first_free(
        [&, tier = tier, period_start = period_start](unsigned n) {
          return native::layout::tier_file(data_dir, source.host, tier, period_start, n);
        },
        exists);
    out.push_back({path, encode_native_file(tier_source, tier_frames, {}, block_frames)});
  }
  return out;
}

}  // namespace zzping::convert
