// SPDX-License-Identifier: GPL-3.0-or-later
// The synthetic data directory of the GUI and report benchmarks (tests/gui/
// synthetic_data_dir.hpp): its loss-burst, incident and path records agree with the lost
// probes of its frames, and zzping-dump --summary counts exactly those bursts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "run_command.hpp"
#include "synthetic_data_dir.hpp"
#include "zzping/formats/any_format.hpp"

namespace zzping::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::vector<std::uint8_t> bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SyntheticDataDir, RecordsAgreeWithTheLostProbesOfTheFrames) {
  TempDir tmp;
  testing::DataDirSpec spec;
  spec.dir = tmp / "data";
  spec.host = "h";
  spec.t0_ms = kT0;
  spec.hours = 3;
  spec.seed = 2;
  spec.pings_per_s = 50;
  const testing::DataDirStats stats = testing::write_data_dir(spec);
  ASSERT_EQ(stats.raw_frames, 3u * 36'000);
  EXPECT_EQ(stats.incidents, 18u);  // a 3 s outage every 10 min
  EXPECT_GE(stats.bursts, stats.incidents);
  EXPECT_EQ(stats.paths, stats.incidents + 3);  // one per outage, one per hour

  std::vector<Frame> frames;
  std::vector<formats::LoadedFrames> files;
  for (const auto& day : fs::directory_iterator(spec.dir / "h")) {
    if (day.path().filename() == "tiers") continue;
    for (const auto& f : fs::directory_iterator(day.path())) {
      files.push_back(formats::load_frames(bytes_of(f.path()), f.path().filename().string()));
      ASSERT_EQ(files.back().end, formats::LoadEnd::kEof);
      EXPECT_TRUE(files.back().measured.loss_bursts);
      frames.insert(frames.end(), files.back().frames.begin(), files.back().frames.end());
    }
  }
  std::sort(frames.begin(), frames.end(), [](const Frame& a, const Frame& b) { return a.t_ms < b.t_ms; });
  std::uint64_t lost = 0, bursts = 0, burst_probes = 0, incidents = 0;
  for (const Frame& f : frames) lost += f.lost;
  const auto frames_in = [&](std::int64_t a, std::int64_t b) {  // frames overlapping [a, b]
    std::vector<const Frame*> out;
    for (const Frame& f : frames) {
      if (f.t_ms + f.length_ms > a && f.t_ms <= b) out.push_back(&f);
    }
    return out;
  };
  for (const formats::LoadedFrames& file : files) {
    ASSERT_EQ(file.attributed.size(), file.events.size()) << "every burst has its cause";
    for (const auto& b : file.attributed) {
      ++bursts;
      burst_probes += b.event.probes_lost;
      EXPECT_GE(b.event.probes_lost, 2u);
      // probes 20 ms apart at 50 pings/s: a burst of n probes lasts (n - 1) * 20 ms
      EXPECT_EQ(b.event.end_ms - b.event.start_ms, (b.event.probes_lost - 1) * 20);
      std::uint64_t lost_there = 0;
      const auto inside = frames_in(b.event.start_ms, b.event.end_ms);
      for (const Frame* f : inside) lost_there += f->lost;
      EXPECT_GE(lost_there, b.event.probes_lost) << b.event.start_ms;
      for (std::size_t i = 1; i + 1 < inside.size(); ++i) EXPECT_EQ(inside[i]->lost, inside[i]->sent);
    }
    for (const auto& inc : file.incidents) {
      ++incidents;
      EXPECT_EQ(inc.end_ms - inc.start_ms, 2980) << "150 probes of a 3 s outage";
      EXPECT_EQ(inc.probes_lost, 150u);
      EXPECT_TRUE(std::find(inc.targets.begin(), inc.targets.end(), "h") != inc.targets.end());
    }
  }
  EXPECT_EQ(bursts, stats.bursts);
  EXPECT_EQ(incidents, stats.incidents);
  EXPECT_LE(burst_probes, lost);
  EXPECT_GE(burst_probes, 18u * 150);

  // zzping-dump --summary of the directory (1 h tier inside, raw events) counts them all.
  const auto r = run_command(std::string(ZZPING_DUMP_BIN) + " --summary --format jsonl " +
                                 shell_quote((tmp / "data").string()), tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(r.out.substr(0, r.out.find('\n')));
  EXPECT_EQ(s["lost"], lost);
  ASSERT_FALSE(s["loss_bursts"].is_null()) << r.out;
  EXPECT_EQ(s["loss_bursts"]["count"], bursts);
  EXPECT_EQ(s["loss_bursts"]["longest_ms"], 2980);
  std::uint64_t by_cause = 0;
  for (const auto& [cause, n] : s["loss_bursts"]["by_cause"].items()) {
    EXPECT_GT(n.get<std::uint64_t>(), 0u) << cause;
    by_cause += n.get<std::uint64_t>();
  }
  EXPECT_EQ(by_cause, bursts);
  EXPECT_LT(s["availability_pct"].get<double>(), 100.0);
}

// Tier-only hours stand for pruned raw files: their loss has no recorded bursts.
TEST(SyntheticDataDir, TierOnlyHoursMakeBurstsNotRecorded) {
  TempDir tmp;
  testing::DataDirSpec spec;
  spec.dir = tmp / "data";
  spec.t0_ms = kT0;
  spec.hours = 3;
  spec.raw_hour = [](std::int64_t h) { return h == 2; };
  testing::write_data_dir(spec);
  const std::string dump = std::string(ZZPING_DUMP_BIN) + " --summary --format jsonl ";
  const auto all = run_command(dump + shell_quote((tmp / "data").string()), tmp);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("\"loss_bursts\":null"), std::string::npos) << all.out;
  const auto last = run_command(dump + "--from 2026-01-01T02:00:00Z " + shell_quote((tmp / "data").string()), tmp);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_NE(last.out.find("\"loss_bursts\":{\"count\":"), std::string::npos) << last.out;
}

}  // namespace
}  // namespace zzping::test
