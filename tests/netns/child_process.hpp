// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A child process for tests: started with argv, stdout+stderr to a file, stopped by signal.
// The destructor kills it if it is still running, so a failing test leaves nothing behind.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zzping::testing {

class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& output_path);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  void signal(int number);
  // Exit code (or 128 + signal), or nullopt if still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();

 private:
  int pid_ = -1;
  std::optional<int> status_;
};

// Runs a command to completion; returns its exit code (stdout/stderr discarded).
int run_command(const std::vector<std::string>& argv);
// Waits until `path` contains `text` (true) or the timeout passes (false).
bool wait_for_text(const std::string& path, const std::string& text, std::chrono::milliseconds timeout);

}  // namespace zzping::testing
