// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/probe_sender.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

#include "zzping/daemon/icmp_packet.hpp"
#include "zzping/daemon/probe_token.hpp"

namespace zzping::daemon {

ProbeSender::ProbeSender(ProbeTransport& transport, ClockSource clocks) : transport_(transport), clocks_(clocks) {}

ProbeSender::~ProbeSender() { flush_error_log(); }

void ProbeSender::send_due(const ProbeTarget& host, std::int64_t now_ns) {
  const DueProbes due = host.schedule.take_due(now_ns + kSendWindowNs);
  if (!host.address) return;
  timing_.record_skipped(due.skipped);
  for (std::uint32_t i = 0; i < due.to_send; ++i) send_one(host, host.schedule.deadline_of(due.first_index + i));
}

void ProbeSender::send_one(const ProbeTarget& host, std::int64_t deadline_ns) {
  const IpAddress& address = *host.address;
  const auto ident = transport_.ident(address.family);
  if (!ident) return;  // reported when the address was resolved
  const std::uint64_t counter = host.aggregator.probes_sent();
  const ClockPair now = clocks_();
  const auto token = encode_probe_token(ProbeToken{host.cookie, counter, now.wall_ns});
  const std::size_t size = build_echo_request(address.family, *ident, sequence_of(counter), token, packet_);
  const int error = transport_.send(address, std::span(packet_).first(size));
  host.aggregator.on_sent(now.mono_ns, now.wall_ns);
  timing_.record_send(now.mono_ns - deadline_ns);
  if (error_log_) log_send_error(now.mono_ns - deadline_ns);
  if (error != 0 && host.send_failures++ % 1000 == 0) {
    spdlog::warn("host {}: send failed: {} ({} failures so far)", host.name, std::strerror(error), host.send_failures);
  }
}

void ProbeSender::open_error_log(const std::string& path) {
  error_log_.reset(std::fopen(path.c_str(), "w"));
  if (!error_log_) throw std::system_error(errno, std::generic_category(), "send_error_log " + path);
  error_log_buffer_.resize(kErrorLogBufferBytes);
}

void ProbeSender::log_send_error(std::int64_t error_ns) {
  // Formatted by hand into a buffer written at each flush: an fprintf per probe cost about
  // 4% of the daemon's CPU in the bench that asks for this log.
  if (kErrorLogBufferBytes - error_log_used_ < kMaxLineBytes) flush_error_log();
  char* begin = error_log_buffer_.data() + error_log_used_;
  const auto [end, status] = std::to_chars(begin, begin + kMaxLineBytes - 1, error_ns);
  *end = '\n';
  error_log_used_ += static_cast<std::size_t>(end - begin) + 1;
}

void ProbeSender::flush_error_log() {
  if (!error_log_) return;
  std::fwrite(error_log_buffer_.data(), 1, error_log_used_, error_log_.get());
  error_log_used_ = 0;
  std::fflush(error_log_.get());
}

}  // namespace zzping::daemon
