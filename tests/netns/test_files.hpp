// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the namespace tests read back (daemon logs, frames_jsonl, responder logs) and the
// per-test scratch directory they write it to: one copy for every netns test.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <string>
#include <vector>

namespace zzping::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every non-empty line of a JSON-lines file, parsed (a half-written last line is skipped:
// the daemon may be writing it while a test polls).
inline std::vector<nlohmann::json> read_json_lines(const std::string& path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
  }
  return lines;
}

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A run of requests a zzping-responder dropped, by the probes' own send times (ms).
struct DroppedRun {
  std::int64_t first_ms = 0;
  std::int64_t last_ms = 0;
};

// The runs of dropped requests in a responder's --log, in order; path trace probes (counters
// with the top bit, docs/daemon.md "Path snapshots") are not the host's and are left out.
inline std::vector<DroppedRun> responder_dropped_runs(const std::string& log_path) {
  std::vector<DroppedRun> runs;
  bool in_run = false;
  for (const nlohmann::json& entry : read_json_lines(log_path)) {
    if (!entry["send_wall_ns"].is_number() || !entry["counter"].is_number()) continue;
    if ((entry["counter"].get<std::uint64_t>() >> 63) != 0) continue;
    const std::int64_t sent_ms = entry["send_wall_ns"].get<std::int64_t>() / 1'000'000;
    const bool dropped = entry["action"] == "drop";
    if (dropped && !in_run) runs.push_back(DroppedRun{sent_ms, sent_ms});
    if (dropped) runs.back().last_ms = sent_ms;
    in_run = dropped;
  }
  return runs;
}

// A scratch directory /tmp/<stem>-<pid>-<test name>, emptied when made; kept after a
// failure (the logs explain it), removed otherwise by the test's TearDown.
class TestDirectory {
 public:
  void make(const std::string& stem, const std::string& test_name) {
    dir_ = std::filesystem::temp_directory_path() / (stem + "-" + std::to_string(getpid()) + "-" + test_name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void remove_unless(bool failed) {
    if (!failed && !dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& root() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace zzping::testing
