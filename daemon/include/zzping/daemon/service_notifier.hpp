// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Tells systemd (Type=notify units) how zzpingd is doing: READY=1 once the loop runs (the
// sockets are open and the configuration is loaded by then), STATUS= with the hosts and
// the total probe rate, WATCHDOG=1 from the loop itself at half of WatchdogSec (so a stuck
// loop stops the pings and systemd kills and restarts the daemon), STOPPING=1 on
// SIGINT/SIGTERM. Without libsystemd at build time, or outside systemd (no
// $NOTIFY_SOCKET), every message is a no-op.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "zzping/daemon/frame_sink.hpp"

namespace asio { class io_context; }

namespace zzping::daemon {

// The sd_notify(3) calls, nothing else: no Asio, no state.
class ServiceNotifier {
 public:
  static bool compiled_with_systemd();
  // Sends the newline-separated KEY=VALUE assignments; false if not sent (no systemd).
  bool notify(std::string_view assignments) const;
  // Half of $WATCHDOG_USEC when the watchdog is on for this process, else zero.
  std::chrono::microseconds watchdog_ping_interval() const;
};

// "2 hosts, 20 probes/s" for STATUS=, from the rates of the hosts being pinged.
std::string service_status_line(const std::map<std::string, std::uint32_t, std::less<>>& host_rates);

// Runs ServiceNotifier from the daemon's Asio loop, plugged in as a FrameSink so it sees
// the hosts come and go. Construct it before Pinger::run(): READY=1 is posted to the loop
// and so goes out only once run() has opened the sockets and the loop is turning.
class ServiceNotifierSink final : public FrameSink {
 public:
  explicit ServiceNotifierSink(asio::io_context& io);
  ~ServiceNotifierSink() override;
  ServiceNotifierSink(const ServiceNotifierSink&) = delete;
  ServiceNotifierSink& operator=(const ServiceNotifierSink&) = delete;

  void on_frame(const HostInfo&, const Frame&) override {}
  void on_event(const HostInfo&, const LossEvent&) override {}
  void on_status(const HostInfo& host, const HostStatus& status) override;
  void on_host_removed(const HostInfo& host) override;
  void flush() override {}

 private:
  struct LoopHooks;  // the Asio timer and signal set, kept out of this header
  void publish_status_if_changed();

  ServiceNotifier notifier_;
  std::map<std::string, std::uint32_t, std::less<>> host_rates_;
  std::string last_status_;
  bool stopping_ = false;
  std::unique_ptr<LoopHooks> hooks_;
};

}  // namespace zzping::daemon
