// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The words and numbers of zzping-report (docs/report.md), Qt-free and pure so that every
// sentence the PDF prints is unit-tested: time zones and time formatting, durations, the
// hour-of-day x day heatmap, the verdict paragraph, redaction labels and the CSV files.
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/span_summary.hpp"

namespace zzping::report {

// --tz: local (the machine's zone, with its daylight saving), utc, or a fixed +HH:MM/-HH:MM.
struct TimeZone {
  enum class Kind { kUtc, kLocal, kFixed } kind = Kind::kUtc;
  int offset_minutes = 0;  // kFixed only
  std::int64_t offset_ms_at(std::int64_t t_ms) const;
  // "UTC", "UTC+01:00", or "local time (UTC+01:00 at <t_ms>)".
  std::string describe(std::int64_t t_ms) const;
};
// Throws std::invalid_argument naming the text for anything else.
TimeZone parse_time_zone(std::string_view text);

// "2026-12-05 18:00:00" in the zone (seconds truncated).
std::string format_time(std::int64_t t_ms, const TimeZone& zone);
// "2026-12-05 18:00:00.250": with milliseconds, for incident starts and ends.
std::string format_time_ms(std::int64_t t_ms, const TimeZone& zone);
// "0.3 s", "4.2 s", "12 min 05 s", "3 h 02 min", "2 d 04 h".
std::string format_duration(std::int64_t ms);

// The start of the zone's calendar day holding t_ms (ms since the epoch).
std::int64_t day_start(std::int64_t t_ms, const TimeZone& zone);

// One hour-of-day x day grid per host: cells merge the minute frames whose start falls in
// that local hour.
struct HeatCell {
  std::uint64_t sent = 0, lost = 0;
  RttHistogram rtt;
  std::optional<double> loss_pct() const;
  std::optional<double> p95_ms() const;
};
struct Heatmap {
  std::vector<std::int64_t> day_starts;  // one row per calendar day in the zone
  std::vector<std::array<HeatCell, 24>> cells;  // [day][hour]
};
Heatmap build_heatmap(std::span<const Frame> minutes, std::int64_t from_ms, std::int64_t to_ms,
                      const TimeZone& zone);

// What the verdict paragraph is written from.
struct VerdictInput {
  std::int64_t from_ms = 0, to_ms = 0;
  TimeZone zone;
  std::vector<SpanSummary> hosts;
  std::vector<attribution::Incident> incidents;  // deduplicated
  std::int64_t gap_ms = 0;                       // time with no data from any host
};
// A paragraph of plain sentences built only from the numbers (docs/report.md, "Verdict").
std::string verdict_text(const VerdictInput& input);

// --redact: private (RFC 1918, CGNAT, link-local, ULA, loopback) addresses and host names
// become "private-1", "host-1", ... in order of first appearance; public addresses stay
// (they are what the provider needs to see).
class Redactor {
 public:
  explicit Redactor(bool enabled) : enabled_(enabled) {}
  std::string label(const std::string& name);
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  std::map<std::string, std::string> labels_;
  int private_count_ = 0;
  int host_count_ = 0;
};
bool is_private_address(std::string_view text);
bool is_ip_address(std::string_view text);

// CSV files (docs/report.md, "CSV files").
inline constexpr std::string_view kIncidentsCsvHeader =
    "start_ms,end_ms,start,end,duration_ms,probes_lost,cause,targets,last_hop";
void write_incidents_csv(std::ostream& out, std::span<const attribution::Incident> incidents,
                         const TimeZone& zone, Redactor& redactor);
inline constexpr std::string_view kMinutesCsvHeader =
    "host,t_ms,time,sent,recv,lost,loss_pct,p50_us,p95_us,p99_us,jitter_us";
void write_minutes_csv(std::ostream& out, const std::string& host, std::span<const Frame> minutes,
                       const TimeZone& zone);

}  // namespace zzping::report
