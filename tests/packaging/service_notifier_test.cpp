// SPDX-License-Identifier: GPL-3.0-or-later
// ServiceNotifierSink against a stand-in for systemd: a datagram socket at $NOTIFY_SOCKET
// that records what the daemon would tell systemd.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "zzping/daemon/service_notifier.hpp"
#include "prerequisite.hpp"

namespace {

using zzping::daemon::HostInfo;
using zzping::daemon::HostStatus;
using zzping::daemon::ServiceNotifier;
using zzping::daemon::ServiceNotifierSink;

// Binds the notify socket and points $NOTIFY_SOCKET / $WATCHDOG_* at it for this process.
class FakeSystemd {
 public:
  explicit FakeSystemd(std::chrono::microseconds watchdog) {
    path_ = std::filesystem::temp_directory_path() / ("zzping-notify-" + std::to_string(getpid()));
    std::filesystem::remove(path_);
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.native().copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) ADD_FAILURE() << "bind";
    setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    if (watchdog.count() > 0) {
      setenv("WATCHDOG_USEC", std::to_string(watchdog.count()).c_str(), 1);
      setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
    }
  }
  ~FakeSystemd() {
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    close(fd_);
    std::filesystem::remove(path_);
  }
  FakeSystemd(const FakeSystemd&) = delete;
  FakeSystemd& operator=(const FakeSystemd&) = delete;

  std::vector<std::string> received() const {
    std::vector<std::string> messages;
    char buffer[4096];
    for (;;) {
      const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      messages.emplace_back(buffer, static_cast<std::size_t>(n));
    }
    return messages;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

HostInfo host(const std::string& name, std::uint32_t rate) {
  HostInfo info;
  info.name = name;
  info.rate = rate;
  return info;
}

long count_of(const std::vector<std::string>& messages, const std::string& wanted) {
  return std::count(messages.begin(), messages.end(), wanted);
}

TEST(ServiceStatusLine, CountsHostsAndAddsRates) {
  EXPECT_EQ(zzping::daemon::service_status_line({}), "0 hosts, 0 probes/s");
  EXPECT_EQ(zzping::daemon::service_status_line({{"127.0.0.1", 10}}), "1 host, 10 probes/s");
  EXPECT_EQ(zzping::daemon::service_status_line({{"127.0.0.1", 10}, {"::1", 100}}), "2 hosts, 110 probes/s");
}

TEST(ServiceNotifier, OutsideSystemdNothingIsSent) {
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  const ServiceNotifier notifier;
  EXPECT_FALSE(notifier.notify("READY=1"));
  EXPECT_EQ(notifier.watchdog_ping_interval().count(), 0);
}

TEST(ServiceNotifierSink, TellsSystemdReadyStatusWatchdogAndStopping) {
  ZZPING_REQUIRE(ServiceNotifier::compiled_with_systemd(), "built without libsystemd (libsystemd-dev): notifications are no-ops");
  const FakeSystemd systemd(std::chrono::milliseconds(40));
  asio::io_context io;
  ServiceNotifierSink sink(io);
  EXPECT_EQ(ServiceNotifier().watchdog_ping_interval(), std::chrono::milliseconds(20));
  // Nothing before the loop turns: READY=1 must wait for Pinger::run().
  EXPECT_TRUE(systemd.received().empty());

  sink.on_status(host("127.0.0.1", 10), HostStatus{});
  sink.on_status(host("::1", 100), HostStatus{});
  sink.on_status(host("::1", 100), HostStatus{});  // unchanged: no new STATUS
  io.run_for(std::chrono::milliseconds(110));
  std::raise(SIGTERM);  // caught by the sink's signal_set (and nobody else's here)
  io.run_for(std::chrono::milliseconds(20));
  sink.on_host_removed(host("::1", 100));  // after STOPPING the status stays

  const auto messages = systemd.received();
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(count_of(messages, "STATUS=1 host, 10 probes/s"), 1);
  EXPECT_EQ(count_of(messages, "STATUS=2 hosts, 110 probes/s"), 1);
  EXPECT_EQ(count_of(messages, "READY=1"), 1);
  // 130 ms of loop at one ping per 20 ms.
  EXPECT_GE(count_of(messages, "WATCHDOG=1"), 2);  // fewer if this machine is loaded
  EXPECT_LE(count_of(messages, "WATCHDOG=1"), 7);
  // The loop keeps pinging the watchdog while the pinger finishes its frames.
  EXPECT_EQ(count_of(messages, "STOPPING=1\nSTATUS=stopping: finishing the frames in flight"), 1);
  EXPECT_EQ(count_of(messages, "STATUS=1 host, 100 probes/s"), 0);  // no status after STOPPING
}

TEST(ServiceNotifierSink, NoWatchdogPingsWhenTheLoopIsStuck) {
  ZZPING_REQUIRE(ServiceNotifier::compiled_with_systemd(), "built without libsystemd (libsystemd-dev): notifications are no-ops");
  const FakeSystemd systemd(std::chrono::milliseconds(20));
  asio::io_context io;
  ServiceNotifierSink sink(io);
  io.run_for(std::chrono::milliseconds(35));
  EXPECT_GE(count_of(systemd.received(), "WATCHDOG=1"), 1);
  // A loop that does not turn sends nothing: systemd's WatchdogSec then kills the daemon.
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(count_of(systemd.received(), "WATCHDOG=1"), 0);
}

TEST(ServiceNotifierSink, WithoutWatchdogOnlyReady) {
  ZZPING_REQUIRE(ServiceNotifier::compiled_with_systemd(), "built without libsystemd (libsystemd-dev): notifications are no-ops");
  const FakeSystemd systemd(std::chrono::microseconds(0));
  asio::io_context io;
  ServiceNotifierSink sink(io);
  io.run_for(std::chrono::milliseconds(30));
  EXPECT_EQ(systemd.received(), std::vector<std::string>{"READY=1"});
}

}  // namespace
