// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/alert_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <asio.hpp>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace zzping::daemon {
namespace {

constexpr std::size_t kMaxLineBytes = 1000;  // longer output lines are cut (the log is not a dump)
constexpr std::size_t kPipeBytes = 65536;    // a pipe's default capacity

std::string errno_text(int error) { return std::strerror(error); }

// The daemon's environment without ZZPING_* (ours would be ambiguous next to them), then
// the event's variables.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "ZZPING_", 7) != 0) out.emplace_back(*entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

// Writes the whole input into the pipe before the child exists: it always fits (the pipe
// is grown when needed), so no write can block the loop or raise SIGPIPE.
bool prefill(int fd, const std::string& input, std::string& error) {
  if (input.size() > kPipeBytes && ::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(input.size())) < 0) {
    error = "event of " + std::to_string(input.size()) + " bytes does not fit a pipe: " + errno_text(errno);
    return false;
  }
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  std::size_t done = 0;
  while (done < input.size()) {
    const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write the event to the command's stdin: " + errno_text(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string exit_text(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

struct AlertRunner::Child {
  explicit Child(asio::io_context& io) : output(io), exit_watch(io), timer(io) {}
  std::string alert;
  pid_t pid = -1;
  asio::posix::stream_descriptor output;      // the child's stdout and stderr
  asio::posix::stream_descriptor exit_watch;  // its pidfd: readable once it exited
  asio::steady_timer timer;
  std::array<char, 4096> buffer{};
  std::string partial;  // an output line not yet ended
  std::size_t lines = 0;
  bool timed_out = false;
  bool done = false;

  void log_line(std::string line) {
    if (++lines > kMaxOutputLines) return;
    if (line.size() > kMaxLineBytes) line = line.substr(0, kMaxLineBytes) + "...";
    spdlog::info("alert {}: {}", alert, line);
  }
  void take(const char* data, std::size_t size) {
    partial.append(data, size);
    for (std::size_t end; (end = partial.find('\n')) != std::string::npos;) {
      log_line(partial.substr(0, end));
      partial.erase(0, end + 1);
    }
    if (partial.size() > kMaxLineBytes) {
      log_line(partial);
      partial.clear();
    }
  }
  static void read_output(const std::shared_ptr<Child>& child) {
    child->output.async_read_some(asio::buffer(child->buffer), [child](const std::error_code& error, std::size_t size) {
      if (child->done || error) return;  // closed at the exit, or end of file
      child->take(child->buffer.data(), size);
      read_output(child);
    });
  }
  // What is left in the pipe once the child exited (never blocks: non-blocking reads).
  void drain() {
    if (!output.is_open()) return;
    for (;;) {
      const ssize_t n = ::read(output.native_handle(), buffer.data(), buffer.size());
      if (n > 0) {
        take(buffer.data(), static_cast<std::size_t>(n));
      } else if (!(n < 0 && errno == EINTR)) {
        break;
      }
    }
    if (!partial.empty()) log_line(partial);
    if (lines > kMaxOutputLines) spdlog::info("alert {}: {} more output lines not logged", alert, lines - kMaxOutputLines);
  }
};

AlertRunner::AlertRunner(asio::io_context& io, std::size_t max_running, std::size_t max_queued)
    : io_(io), max_running_(std::max<std::size_t>(1, max_running)), max_queued_(max_queued) {}

AlertRunner::~AlertRunner() {
  for (auto& child : running_) {
    child->done = true;
    std::error_code ignored;
    child->output.close(ignored);
    child->exit_watch.close(ignored);
    child->timer.cancel();
  }
}

void AlertRunner::set_on_finished(std::function<void(const AlertOutcome&)> callback) {
  on_finished_ = std::move(callback);
}

std::size_t AlertRunner::running() const { return running_.size(); }
std::size_t AlertRunner::queued() const { return queue_.size(); }
const AlertRunner::Counters& AlertRunner::counters() const { return counters_; }

bool AlertRunner::alert_running(const std::string& alert) const {
  return std::any_of(running_.begin(), running_.end(), [&](const auto& child) { return child->alert == alert; });
}

void AlertRunner::run(AlertCommand command) {
  if (running_.size() < max_running_ && !alert_running(command.alert)) {
    start(std::move(command));
  } else if (queue_.size() < max_queued_) {
    queue_.push_back(std::move(command));
  } else {
    ++counters_.dropped;
    spdlog::warn("alert {}: {} commands running and {} waiting: this one is dropped", command.alert,
                 running_.size(), queue_.size());
  }
}

void AlertRunner::start(AlertCommand command) {
  AlertOutcome outcome;
  outcome.alert = command.alert;
  int input[2] = {-1, -1};
  int output[2] = {-1, -1};
  const auto close_all = [&] {
    for (int fd : {input[0], input[1], output[0], output[1]}) {
      if (fd >= 0) ::close(fd);
    }
  };
  if (::pipe2(input, O_CLOEXEC) != 0 || ::pipe2(output, O_CLOEXEC) != 0) {
    outcome.error = "cannot make pipes: " + errno_text(errno);
    close_all();
    report(outcome);
    return;
  }
  if (!prefill(input[1], command.input, outcome.error)) {
    close_all();
    report(outcome);
    return;
  }
  ::close(input[1]);
  input[1] = -1;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output[1], STDERR_FILENO);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // sockets, files: not the command's
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: the timeout kills its children too
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<std::string> argv_strings = command.argv;
  std::vector<std::string> env_strings = child_environment(command.environment);
  const auto argv = pointers(argv_strings);
  const auto envp = pointers(env_strings);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(input[0]);
  ::close(output[1]);
  if (spawned != 0) {
    ::close(output[0]);
    outcome.error = "cannot run " + command.argv.front() + ": " + errno_text(spawned);
    report(outcome);
    return;
  }
  ++counters_.started;
  // The child is ours and not yet reaped, so its pid cannot be reused before the pidfd.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  auto child = std::make_shared<Child>(io_);
  child->alert = command.alert;
  child->pid = pid;
  ::fcntl(output[0], F_SETFL, O_NONBLOCK);
  child->output.assign(output[0]);
  if (pidfd < 0) {
    // Linux < 5.3: no pidfd. Killing it is all that is left (never block on waitpid).
    spdlog::error("alert {}: pidfd_open failed ({}); the command is killed", command.alert, errno_text(errno));
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return;
  }
  child->exit_watch.assign(pidfd);
  running_.push_back(child);
  spdlog::debug("alert {}: started {} (pid {})", command.alert, command.argv.front(), pid);

  Child::read_output(child);
  child->timer.expires_after(command.timeout);
  child->timer.async_wait([child](const std::error_code& error) {
    if (error || child->done) return;
    child->timed_out = true;
    ::kill(-child->pid, SIGKILL);  // the group; its leader is unreaped, so the group id is still ours
  });
  child->exit_watch.async_wait(asio::posix::stream_descriptor::wait_read, [this, child](const std::error_code& error) {
    if (error || child->done) return;
    int status = 0;
    if (::waitpid(child->pid, &status, WNOHANG) != child->pid) return;  // cannot happen: pidfd said it exited
    AlertOutcome done;
    done.alert = child->alert;
    done.pid = child->pid;
    done.timed_out = child->timed_out;
    done.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !child->timed_out;
    if (!done.ok) done.error = child->timed_out ? "killed at the timeout" : exit_text(status);
    finished(*child, std::move(done));
  });
}

void AlertRunner::finished(Child& child, AlertOutcome outcome) {
  child.done = true;
  child.timer.cancel();
  child.drain();
  std::error_code ignored;
  child.output.close(ignored);
  child.exit_watch.close(ignored);
  running_.erase(std::remove_if(running_.begin(), running_.end(), [&](const auto& c) { return c.get() == &child; }),
                 running_.end());
  report(outcome);
  start_queued();
}

// In queue order, each command whose alert has none running, while slots are free (one
// alert's commands run one at a time, in order: its end never overtakes its start).
void AlertRunner::start_queued() {
  for (auto it = queue_.begin(); it != queue_.end() && running_.size() < max_running_;) {
    if (alert_running(it->alert) ||
        std::any_of(queue_.begin(), it, [&](const AlertCommand& earlier) { return earlier.alert == it->alert; })) {
      ++it;
      continue;
    }
    AlertCommand next = std::move(*it);
    it = queue_.erase(it);
    start(std::move(next));
  }
}

void AlertRunner::report(const AlertOutcome& outcome) {
  if (outcome.ok) {
    ++counters_.succeeded;
    spdlog::debug("alert {}: command done", outcome.alert);
  } else {
    ++counters_.failed;
    if (outcome.timed_out) ++counters_.timed_out;
    const std::uint64_t seen = ++failures_[outcome.alert + ": " + outcome.error];
    if (seen == 1) {
      spdlog::warn("alert {}: command failed: {} (logged once; repeats of this error are only counted)", outcome.alert,
                   outcome.error);
    }
  }
  if (on_finished_) on_finished_(outcome);
}

}  // namespace zzping::daemon
