// SPDX-License-Identifier: GPL-3.0-or-later
// The real zzpingd under a stand-in for systemd ($NOTIFY_SOCKET, $WATCHDOG_USEC): READY=1
// after start-up, STATUS with its hosts and rate, watchdog pings, STOPPING=1 on SIGTERM,
// exit 0. Pings 127.0.0.1 only; needs ICMP sockets (root or ping_group_range).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>
#include "prerequisite.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool icmp_sockets_allowed() {
  if (geteuid() == 0) return true;
  const int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (fd < 0) return false;
  close(fd);
  return true;
}

class NotifySocket {
 public:
  explicit NotifySocket(const fs::path& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.native().copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) ADD_FAILURE() << "bind";
  }
  ~NotifySocket() { close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // Collects messages until one starts with `prefix` or `timeout` passes.
  bool wait_for(const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto until = Clock::now() + timeout;
    for (;;) {
      for (const auto& message : messages_) {
        if (message.rfind(prefix, 0) == 0) return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0) return false;
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) messages_.emplace_back(buffer, static_cast<std::size_t>(n));
    }
  }
  long count(const std::string& message) const { return std::count(messages_.begin(), messages_.end(), message); }
  std::string all() const {
    std::string text;
    for (const auto& message : messages_) text += "[" + message + "] ";
    return text;
  }

 private:
  fs::path path_;
  int fd_ = -1;
  std::vector<std::string> messages_;
};

TEST(ZzpingdUnderSystemd, NotifiesReadyStatusWatchdogAndStopping) {
  ZZPING_REQUIRE(icmp_sockets_allowed(), "needs root or net.ipv4.ping_group_range for ICMP sockets");
  const fs::path dir = fs::temp_directory_path() / ("zzping-notify-e2e-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  NotifySocket systemd(dir / "notify");

  const std::string data_dir = (dir / "data").string();
  std::vector<std::string> args = {ZZPINGD_PATH, "--target", "127.0.0.1@50", "--data-dir", data_dir,
                                   "--listen", "127.0.0.1:0", "--no-console", "--log-level", "warn"};
  std::vector<std::string> env = {"NOTIFY_SOCKET=" + (dir / "notify").string(), "WATCHDOG_USEC=200000"};
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("NOTIFY_SOCKET=", 0) != 0 && entry.rfind("WATCHDOG_", 0) != 0) env.push_back(entry);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, ZZPINGD_PATH, nullptr, nullptr, argv.data(), envp.data()), 0);
  // WATCHDOG_PID is not set: sd_watchdog_enabled then accepts any process (systemd sets it
  // to the main PID, which this zzpingd is).
  EXPECT_TRUE(systemd.wait_for("READY=1", std::chrono::seconds(10))) << systemd.all();
  EXPECT_TRUE(systemd.wait_for("STATUS=1 host, 50 probes/s", std::chrono::seconds(5))) << systemd.all();
  EXPECT_TRUE(systemd.wait_for("WATCHDOG=1", std::chrono::seconds(2))) << systemd.all();
  kill(pid, SIGTERM);
  EXPECT_TRUE(systemd.wait_for("STOPPING=1", std::chrono::seconds(5))) << systemd.all();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_EQ(systemd.count("READY=1"), 1) << systemd.all();
  fs::remove_all(dir);
}

}  // namespace
