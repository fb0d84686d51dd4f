// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs the commands of local alerts (docs/alerts.md) on the daemon's Asio loop without ever
// waiting: posix_spawn (the child in its own process group, no inherited descriptors but
// stdin/stdout/stderr), the event written to its stdin before it starts, its stdout and
// stderr read as they come and logged line by line, its exit seen through a pidfd the
// loop watches, a timer that kills the process group at the timeout. At most
// `max_running` children at once, and one per alert (an alert's commands run in order, so
// its end never overtakes its start); up to `max_queued` more wait, beyond that an alert
// is dropped (logged). A failure (cannot start, non-zero exit, signal, timeout) is logged
// once per alert and distinct error; repeats are only counted.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace asio { class io_context; }

namespace zzping::daemon {

struct AlertCommand {
  std::string alert;              // the [[alert]] name (log lines, failure keys)
  std::vector<std::string> argv;  // argv[0]: the program (a path, or looked up in PATH)
  std::vector<std::string> environment;  // "NAME=VALUE" added to the daemon's environment
  std::string input;              // the child's stdin (then end of file)
  std::chrono::seconds timeout{10};
};

// How a command ended (for the log, and for tests to wait on).
struct AlertOutcome {
  std::string alert;
  pid_t pid = -1;          // -1: it could not start
  bool ok = false;         // exited with status 0
  bool timed_out = false;  // killed at the timeout
  std::string error;       // "" if ok; else "exited with status 3", "killed by signal 9"...
};

class AlertRunner {
 public:
  static constexpr std::size_t kMaxRunning = 4;
  static constexpr std::size_t kMaxQueued = 64;
  static constexpr std::size_t kMaxOutputLines = 100;  // per command; the rest is counted

  struct Counters {
    std::uint64_t started = 0;
    std::uint64_t succeeded = 0;
    std::uint64_t failed = 0;  // could not start, non-zero exit, signal or timeout
    std::uint64_t timed_out = 0;
    std::uint64_t dropped = 0;  // the queue was full
  };

  explicit AlertRunner(asio::io_context& io, std::size_t max_running = kMaxRunning,
                       std::size_t max_queued = kMaxQueued);
  AlertRunner(const AlertRunner&) = delete;
  AlertRunner& operator=(const AlertRunner&) = delete;
  // Children still running are left to finish on their own (never waited for).
  ~AlertRunner();

  // Starts the command now if fewer than max_running run and none of its alert, else
  // queues it (or drops it).
  void run(AlertCommand command);
  std::size_t running() const;
  std::size_t queued() const;
  const Counters& counters() const;
  // Called on the loop when a command ended or could not start.
  void set_on_finished(std::function<void(const AlertOutcome&)> callback);

 private:
  struct Child;
  void start(AlertCommand command);
  void finished(Child& child, AlertOutcome outcome);
  void start_queued();
  bool alert_running(const std::string& alert) const;
  void report(const AlertOutcome& outcome);

  asio::io_context& io_;
  std::size_t max_running_;
  std::size_t max_queued_;
  std::vector<std::shared_ptr<Child>> running_;  // shared with their pending handlers
  std::deque<AlertCommand> queue_;
  std::map<std::string, std::uint64_t> failures_;  // "alert: error" -> times seen
  Counters counters_;
  std::function<void(const AlertOutcome&)> on_finished_;
};

}  // namespace zzping::daemon
