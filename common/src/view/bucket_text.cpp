// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/view/bucket_text.hpp"

#include <array>
#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "zzping/common/csv_text.hpp"

namespace zzping::view {

namespace {
constexpr std::array<const char*, 7> kQuantileNames = {"min", "p12.5", "p25", "median",
                                                       "p75", "p87.5", "max"};

std::string format_us(float us) {
  char buf[32];
  if (us >= 10000.0f) {
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(us) / 1000.0);
  }
  return buf;
}
}  // namespace

std::string format_utc(std::int64_t t_ms) {
  std::int64_t seconds = t_ms / 1000;
  std::int64_t millis = t_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  const auto tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

std::string format_duration(std::int64_t ms) {
  struct Unit {
    std::int64_t ms;
    const char* name;
  };
  static constexpr std::array<Unit, 4> units = {
      Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "min"}, Unit{1'000, "s"}};
  char buf[48];
  for (const Unit& u : units) {
    if (ms < u.ms) continue;
    if (ms % u.ms == 0) {
      std::snprintf(buf, sizeof buf, "%" PRId64 " %s", ms / u.ms, u.name);
    } else {
      std::snprintf(buf, sizeof buf, "%.1f %s",
                    static_cast<double>(ms) / static_cast<double>(u.ms), u.name);
    }
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%" PRId64 " ms", ms);
  return buf;
}

std::string describe(const BucketSummary& b) {
  std::string text = format_utc(b.t_ms) + " + " + format_duration(b.length_ms) + "\n";
  char buf[128];
  std::snprintf(buf, sizeof buf, "sent %u  recv %u  lost %u  (loss %.2f%%)", b.sent, b.recv,
                b.lost, b.loss_percent());
  text += buf;
  if (const auto j = b.jitter_us()) {
    std::snprintf(buf, sizeof buf, "\njitter: %.3f ms (%u pairs)", *j / 1000.0, b.jitter_pairs);
    text += buf;
  } else {
    text += b.jitter_measured ? "\njitter: - (no pair)" : "\njitter: - (not measured)";
  }
  if (!b.has_rtt()) return text + "\nno RTT sample";
  for (std::size_t i = 0; i < kQuantileNames.size(); ++i) {
    text += "\n";
    text += kQuantileNames[i];
    text += ": ";
    text += format_us(b.rtt_us[i]);
  }
  return text;
}

void write_csv_header(std::ostream& out) {
  out << "host,t_utc,t_ms,length_ms,sent,recv,lost,loss_pct,"
         "p0_us,p12_5_us,p25_us,p50_us,p75_us,p87_5_us,p100_us,jitter_us\n";
}

void write_csv_rows(std::ostream& out, const std::string& host,
                    std::span<const BucketSummary> buckets) {
  const std::string host_field = csv_field(host);
  char buf[64];
  for (const BucketSummary& b : buckets) {
    std::snprintf(buf, sizeof buf, "%.4f", b.loss_percent());
    out << host_field << ',' << format_utc(b.t_ms) << ',' << b.t_ms << ',' << b.length_ms << ','
        << b.sent << ',' << b.recv << ',' << b.lost << ',' << buf;
    for (float q : b.rtt_us) {
      out << ',';
      if (b.has_rtt()) {
        std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(q));
        out << buf;
      }
    }
    out << ',';
    if (const auto j = b.jitter_us()) {
      std::snprintf(buf, sizeof buf, "%.3f", *j);
      out << buf;
    }
    out << '\n';
  }
}

}  // namespace zzping::view
