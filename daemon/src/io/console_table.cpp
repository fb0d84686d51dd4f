// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/console_table.hpp"

#include <cmath>
#include <cstdio>

namespace zzping::daemon {
namespace {
constexpr std::int64_t kWindowMs = 10'000;

std::string format_ms(double us) {
  if (std::isnan(us)) return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.3f", us / 1000.0);
  return text;
}
}  // namespace

void ConsoleTable::on_frame(const HostInfo& host, const Frame& frame) {
  Row& row = rows_[host.name];
  row.info = host;
  row.recent.push_back(frame);
  while (!row.recent.empty() && row.recent.front().t_ms < frame.t_ms - kWindowMs) row.recent.pop_front();
}

void ConsoleTable::on_event(const HostInfo& host, const LossEvent&) { ++rows_[host.name].loss_bursts; }

void ConsoleTable::on_burst_attributed(const HostInfo& host, const attribution::AttributedBurst& burst) {
  const auto it = rows_.find(host.name);  // a host removed by a reload keeps no row
  if (it != rows_.end()) it->second.last_cause = attribution::to_string(burst.attribution.cause);
}

void ConsoleTable::on_status(const HostInfo& host, const HostStatus& status) {
  Row& row = rows_[host.name];
  row.info = host;
  row.status = status;
}

void ConsoleTable::on_host_removed(const HostInfo& host) { rows_.erase(host.name); }

std::string ConsoleTable::render() const {
  std::string text;
  char line[256];
  std::snprintf(line, sizeof(line), "%-28s %7s %8s %8s %8s %8s %9s %7s %6s %8s %6s %-12s\n", "host (last 10 s)",
                "rate/s", "p0 ms", "p50 ms", "p99 ms", "p100 ms", "jitter ms", "loss %", "infl", "last ms", "bursts",
                "last cause");
  text += line;
  for (const auto& [name, row] : rows_) {
    Frame sum;
    sum.rtt = RttHistogram(RttQuantiser(row.info.precision > 0 ? row.info.precision : 0.01));
    if (!row.recent.empty()) sum.t_ms = row.recent.front().t_ms;
    for (const Frame& frame : row.recent) merge_into(sum, frame);
    const double span_s = row.recent.empty()
                              ? 0.0
                              : static_cast<double>(row.recent.back().t_ms + row.recent.back().length_ms -
                                                    row.recent.front().t_ms) / 1000.0;
    const double rate = span_s > 0 ? sum.sent / span_s : 0.0;
    const double loss = sum.sent > 0 ? 100.0 * sum.lost / sum.sent : 0.0;
    const std::string label = name + (row.info.address.empty() || row.info.address == name ? "" : " (" + row.info.address + ")");
    const double jitter_us = sum.jitter ? sum.jitter->mean_us().value_or(NAN) : NAN;
    std::snprintf(line, sizeof(line), "%-28.28s %7.1f %8s %8s %8s %8s %9s %7.2f %6u %8lld %6u %-12.12s\n", label.c_str(), rate,
                  format_ms(sum.rtt.quantile_ns(0.0) / 1000.0).c_str(), format_ms(sum.rtt.quantile_ns(0.5) / 1000.0).c_str(),
                  format_ms(sum.rtt.quantile_ns(0.99) / 1000.0).c_str(), format_ms(sum.rtt.quantile_ns(1.0) / 1000.0).c_str(),
                  format_ms(jitter_us).c_str(), loss, row.status.in_flight, static_cast<long long>(row.status.last_reply_age_ms), row.loss_bursts,
                  std::string(row.last_cause).c_str());
    text += line;
  }
  return text;
}

void ConsoleTable::flush() {
  const std::string text = render();
  std::fprintf(out_, "\033[H\033[2J%s", text.c_str());
  std::fflush(out_);
}

}  // namespace zzping::daemon
