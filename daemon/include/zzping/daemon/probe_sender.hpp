// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The probe sender: turns a host's due deadlines into echo requests on the wire. Each probe
// is stamped (token with the clocks read right before its own send) and sent at once, one
// send per probe: in a sendmmsg batch the later packets would leave after the kernel's work
// on the earlier ones, which their RTT would include. A probe whose send fails still counts
// as sent, so it times out and is counted as lost (what the user sees). Every send records
// its |send - deadline| in SendTiming. The sockets are behind ProbeTransport, so the sender
// is tested against a fake one (no root).
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zzping/daemon/clock.hpp"
#include "zzping/daemon/frame_aggregator.hpp"
#include "zzping/daemon/ip_address.hpp"
#include "zzping/daemon/probe_schedule.hpp"
#include "zzping/daemon/send_timing.hpp"

namespace zzping::daemon {

// The ICMP sockets as the sender sees them.
class ProbeTransport {
 public:
  virtual ~ProbeTransport() = default;
  // The echo identifier of the socket for `family`; nullopt when no such socket is open.
  virtual std::optional<std::uint16_t> ident(Family family) const = 0;
  // Sends one request without blocking; returns 0 or the errno.
  virtual int send(const IpAddress& destination, std::span<const std::uint8_t> packet) = 0;
};

// What the sender needs of one host: where its probes go, when, and who counts them.
struct ProbeTarget {
  const std::string& name;
  std::uint64_t cookie;
  const std::optional<IpAddress>& address;
  ProbeSchedule& schedule;
  FrameAggregator& aggregator;
  std::uint64_t& send_failures;  // for the rate-limited warning
};

class ProbeSender {
 public:
  // A timer wake-up on the test VMs arrives ~50-70 µs late (median): the loop aims this much
  // before the earliest deadline, and every probe due within the send window of the wake-up
  // goes out on it (hosts whose deadlines nearly coincide share one wake-up).
  static constexpr std::int64_t kWakeLeadNs = 50'000;
  static constexpr std::int64_t kSendWindowNs = 100'000;

  using ClockSource = ClockPair (*)();
  explicit ProbeSender(ProbeTransport& transport, ClockSource clocks = &read_clocks);
  ~ProbeSender();
  ProbeSender(const ProbeSender&) = delete;
  ProbeSender& operator=(const ProbeSender&) = delete;

  // Sends every probe of `host` due by now + the send window. A host without an address yet
  // (name not resolved) lets its deadlines pass unasked and unrecorded.
  void send_due(const ProbeTarget& host, std::int64_t now_ns);
  // When the loop should wake up for `schedule`'s next probe.
  static std::int64_t wake_ns(const ProbeSchedule& schedule) { return schedule.next_deadline_ns() - kWakeLeadNs; }

  // The bench's send_error_log: one line per probe, the signed send - deadline in ns.
  // Throws std::system_error if the file cannot be created.
  void open_error_log(const std::string& path);
  void flush_error_log();

  const SendTiming& timing() const { return timing_; }

 private:
  void send_one(const ProbeTarget& host, std::int64_t deadline_ns);

  void log_send_error(std::int64_t error_ns);

  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  static constexpr std::size_t kErrorLogBufferBytes = 64 * 1024;
  static constexpr std::size_t kMaxLineBytes = 24;  // "-9223372036854775808\n"
  ProbeTransport& transport_;
  ClockSource clocks_;
  SendTiming timing_;
  std::array<std::uint8_t, 64> packet_{};  // the request being built (no allocation per probe)
  std::unique_ptr<std::FILE, FileCloser> error_log_;
  std::vector<char> error_log_buffer_;  // lines not yet written
  std::size_t error_log_used_ = 0;
};

}  // namespace zzping::daemon
