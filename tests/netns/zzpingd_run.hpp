// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzpingd and zzping-responder runs of the namespace tests: the daemon's config file and
// the stop every test ends with (zzpingd must exit 0 on SIGINT, responders on SIGTERM).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_files.hpp"

namespace zzping::testing {

// Writes a config: [daemon] with data_dir, frames_jsonl and console = "off", then
// `daemon_lines` (more keys, "key = value\n" each); one [[target]] per entry of `targets`,
// at `rate`, each entry "HOST" or "HOST\nmore target lines".
inline void write_zzpingd_config(const std::string& config_path, const std::string& data_dir,
                                 const std::string& frames_jsonl, const std::string& daemon_lines,
                                 const std::vector<std::string>& targets, int rate) {
  std::ofstream config(config_path);
  config << "[daemon]\ndata_dir = \"" << data_dir << "\"\nframes_jsonl = \"" << frames_jsonl
         << "\"\nconsole = \"off\"\n" << daemon_lines;
  for (const auto& target : targets) {
    const auto newline = target.find('\n');
    config << "\n[[target]]\nhost = \"" << target.substr(0, newline) << "\"\nrate = " << rate << "\n"
           << (newline == std::string::npos ? "" : target.substr(newline + 1) + "\n");
  }
}

// SIGINT to zzpingd (exit 0 within `timeout`, else its log in the failure), then SIGTERM
// to every responder (exit 0).
inline void stop_daemon_and_responders(ChildProcess& daemon, const std::string& daemon_log,
                                       std::vector<std::unique_ptr<ChildProcess>>& responders,
                                       std::chrono::milliseconds timeout) {
  daemon.signal(SIGINT);
  const auto code = daemon.wait(timeout);
  ASSERT_TRUE(code.has_value()) << "zzpingd did not exit after SIGINT";
  EXPECT_EQ(*code, 0) << read_file(daemon_log);
  for (auto& responder : responders) {
    responder->signal(SIGTERM);
    EXPECT_EQ(responder->wait(std::chrono::seconds(5)).value_or(-1), 0);
  }
}

}  // namespace zzping::testing
