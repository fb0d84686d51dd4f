// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/resolve_state.hpp"

#include <limits>

namespace zzping::daemon {
namespace {

std::string seconds(std::int64_t ns) { return std::to_string(ns / 1'000'000'000); }

}  // namespace

ResolveLog ResolveState::on_start_failed(std::int64_t now_ns, const ResolveTiming& timing) {
  next_ns_ = now_ns + timing.retry_ns;
  return {ResolveLog::Level::warn, "could not start a lookup; retrying in " + seconds(timing.retry_ns) + " s"};
}

ResolveState::Outcome ResolveState::on_result(const std::optional<IpAddress>& address, const std::string& error,
                                              bool literal, std::int64_t now_ns, const ResolveTiming& timing) {
  Outcome outcome;
  if (!address) {
    if (error != last_error_) {
      outcome.logs.push_back({ResolveLog::Level::warn, "cannot resolve (" + error + "); retrying every " +
                                                           seconds(timing.retry_ns) +
                                                           " s, logged again when the error changes"});
      last_error_ = error;
    }
    ++failures_;
    next_ns_ = now_ns + timing.retry_ns;
    return outcome;  // the last address stays in use
  }
  if (failures_ > 0) {
    outcome.logs.push_back({ResolveLog::Level::info, "resolved after " + std::to_string(failures_) + " failed lookups"});
    failures_ = 0;
    last_error_.clear();
  }
  next_ns_ = literal ? std::numeric_limits<std::int64_t>::max() : now_ns + timing.interval_ns;
  if (address_ == address) return outcome;
  address_ = address;
  outcome.new_address = address;
  outcome.logs.push_back({ResolveLog::Level::info, "address " + address->to_string()});
  return outcome;
}

}  // namespace zzping::daemon
