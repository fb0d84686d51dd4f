// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/common/report/report_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "zzping/common/csv_text.hpp"

namespace zzping::report {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 to civil date (Howard Hinnant's algorithm).
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string offset_text(std::int64_t offset_ms) {
  const std::int64_t minutes = offset_ms / kMinuteMs;
  char buf[64];
  std::snprintf(buf, sizeof buf, "UTC%c%02lld:%02lld", minutes < 0 ? '-' : '+',
                static_cast<long long>(std::llabs(minutes) / 60), static_cast<long long>(std::llabs(minutes) % 60));
  return buf;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// 8640000 -> "8 640 000" (a thin grouping a reader of any locale understands).
std::string grouped(std::uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string times_word(std::size_t n) { return n == 1 ? "once" : std::to_string(n) + " times"; }

std::string opt_cell(const std::optional<double>& v, int decimals) { return v ? fixed(*v, decimals) : std::string(); }

}  // namespace

// --- time ------------------------------------------------------------------------------

std::int64_t TimeZone::offset_ms_at(std::int64_t t_ms) const {
  switch (kind) {
    case Kind::kUtc: return 0;
    case Kind::kFixed: return static_cast<std::int64_t>(offset_minutes) * kMinuteMs;
    case Kind::kLocal: {
      const std::time_t t = static_cast<std::time_t>(floor_div(t_ms, 1000));
      std::tm local{};
      localtime_r(&t, &local);
      return static_cast<std::int64_t>(local.tm_gmtoff) * 1000;
    }
  }
  return 0;
}

std::string TimeZone::describe(std::int64_t t_ms) const {
  switch (kind) {
    case Kind::kUtc: return "UTC";
    case Kind::kFixed: return offset_text(offset_ms_at(t_ms));
    case Kind::kLocal: return "local time (" + offset_text(offset_ms_at(t_ms)) + " at the start)";
  }
  return "UTC";
}

TimeZone parse_time_zone(std::string_view text) {
  if (text == "utc" || text == "UTC" || text == "Z") return {};
  if (text == "local") return {TimeZone::Kind::kLocal, 0};
  const auto bad = [&] {
    return std::invalid_argument("bad time zone '" + std::string(text) + "' (expected local, utc or +HH:MM / -HH:MM)");
  };
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') throw bad();
  int hours = 0, minutes = 0;
  if (std::from_chars(text.data() + 1, text.data() + 3, hours).ptr != text.data() + 3 ||
      std::from_chars(text.data() + 4, text.data() + 6, minutes).ptr != text.data() + 6 || hours > 14 ||
      minutes > 59) {
    throw bad();
  }
  const int total = hours * 60 + minutes;
  return {TimeZone::Kind::kFixed, text[0] == '-' ? -total : total};
}

std::string format_time(std::int64_t t_ms, const TimeZone& zone) {
  const std::int64_t local = t_ms + zone.offset_ms_at(t_ms);
  const std::int64_t days = floor_div(local, kDayMs);
  const std::int64_t in_day = local - days * kDayMs;
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld", y, m, d, static_cast<long long>(in_day / kHourMs),
                static_cast<long long>(in_day / kMinuteMs % 60), static_cast<long long>(in_day / 1000 % 60));
  return buf;
}

std::string format_time_ms(std::int64_t t_ms, const TimeZone& zone) {
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%03lld", static_cast<long long>(t_ms - floor_div(t_ms, 1000) * 1000));
  return format_time(t_ms, zone) + buf;
}

std::string format_duration(std::int64_t ms) {
  char buf[64];
  if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  } else if (ms < kHourMs) {
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", static_cast<long long>(ms / kMinuteMs),
                  static_cast<long long>(ms / 1000 % 60));
  } else if (ms < kDayMs) {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", static_cast<long long>(ms / kHourMs),
                  static_cast<long long>(ms / kMinuteMs % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld d %02lld h", static_cast<long long>(ms / kDayMs),
                  static_cast<long long>(ms / kHourMs % 24));
  }
  return buf;
}

std::int64_t day_start(std::int64_t t_ms, const TimeZone& zone) {
  const std::int64_t offset = zone.offset_ms_at(t_ms);
  const std::int64_t start = floor_div(t_ms + offset, kDayMs) * kDayMs - offset;
  // Across a daylight-saving change the offset at midnight may differ from the one at t.
  return start - (zone.offset_ms_at(start) - offset);
}

// --- heatmap ---------------------------------------------------------------------------

std::optional<double> HeatCell::loss_pct() const {
  if (sent == 0) return std::nullopt;
  return 100.0 * static_cast<double>(lost) / static_cast<double>(sent);
}

std::optional<double> HeatCell::p95_ms() const {
  if (rtt.empty()) return std::nullopt;
  return rtt.quantile_ns(0.95) / 1e6;
}

Heatmap build_heatmap(std::span<const Frame> minutes, std::int64_t from_ms, std::int64_t to_ms, const TimeZone& zone) {
  Heatmap map;
  if (to_ms <= from_ms) return map;
  for (std::int64_t day = day_start(from_ms, zone); day < to_ms; day = day_start(day + kDayMs + kHourMs * 3, zone)) {
    map.day_starts.push_back(day);
  }
  map.cells.resize(map.day_starts.size());
  for (const Frame& f : minutes) {
    if (f.t_ms < from_ms || f.t_ms >= to_ms) continue;
    const auto row = std::upper_bound(map.day_starts.begin(), map.day_starts.end(), f.t_ms) - map.day_starts.begin() - 1;
    if (row < 0) continue;
    const std::int64_t local = f.t_ms + zone.offset_ms_at(f.t_ms);
    const auto hour = static_cast<std::size_t>(floor_div(local, kHourMs) - floor_div(local, kDayMs) * 24);
    HeatCell& cell = map.cells[static_cast<std::size_t>(row)][hour];
    cell.sent += f.sent;
    cell.lost += f.lost;
    if (cell.rtt.empty() && cell.rtt.quantiser().precision() != f.rtt.quantiser().precision()) {
      cell.rtt = RttHistogram(f.rtt.quantiser());
    }
    if (cell.rtt.quantiser().precision() == f.rtt.quantiser().precision()) cell.rtt.merge(f.rtt);
  }
  return map;
}

// --- verdict ---------------------------------------------------------------------------

namespace {

// Interruptions of the connection (local, upstream, unknown) are counted apart from losses
// that did not cut the connection: one destination only, or the router's own ICMP
// deprioritised while the internet answered (docs/attribution.md). Counting those as
// interruptions is what would let a provider dismiss the report.
std::string incidents_sentences(const std::vector<attribution::Incident>& incidents, const TimeZone& zone) {
  using attribution::Cause;
  const auto cuts_connection = [](Cause c) { return c == Cause::local || c == Cause::upstream || c == Cause::unknown; };
  std::vector<attribution::Incident> cuts;
  std::array<std::size_t, 5> by_cause{};
  for (const auto& i : incidents) {
    ++by_cause[static_cast<std::size_t>(i.cause)];
    if (cuts_connection(i.cause)) cuts.push_back(i);
  }
  const auto count_of = [&](Cause c) { return by_cause[static_cast<std::size_t>(c)]; };
  const auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) out += i + 1 == parts.size() ? " and " : "; ";
      out += parts[i];
    }
    return out;
  };

  std::string text;
  if (cuts.empty()) {
    text += "No interruption of the connection (2 or more consecutive probes lost) was recorded.";
  } else {
    const auto longest = std::max_element(cuts.begin(), cuts.end(), [](const auto& a, const auto& b) {
      return a.end_ms - a.start_ms < b.end_ms - b.start_ms;
    });
    std::int64_t total = 0;
    for (const auto& i : cuts) total += i.end_ms - i.start_ms;
    text += "The connection was interrupted " + times_word(cuts.size()) + " (longest " +
            format_duration(longest->end_ms - longest->start_ms) + ", starting " + format_time(longest->start_ms, zone) +
            "; " + format_duration(total) + " in total).";
    const std::array<std::pair<Cause, std::string>, 3> phrases = {{
        {Cause::upstream, "upstream of the home router (the router answered while every internet target was lost)"},
        {Cause::local, "local (the home router was lost too: this computer, its link or the home network)"},
        {Cause::unknown, "of undetermined cause (too few targets answered or lost to decide)"},
    }};
    std::vector<std::string> parts;
    for (const auto& [cause, phrase] : phrases) {
      const std::size_t n = count_of(cause);
      if (n > 0) parts.push_back(std::to_string(n) + (n == 1 ? " was " : " were ") + phrase);
    }
    text += " Of these interruptions, " + join(parts) + ".";
  }

  std::vector<std::string> others;
  if (const std::size_t n = count_of(Cause::destination); n > 0) {
    others.push_back(std::to_string(n) + (n == 1 ? " loss" : " losses") +
                     " at one destination only (other internet targets answered)");
  }
  if (const std::size_t n = count_of(Cause::gateway_only); n > 0) {
    others.push_back(std::to_string(n) + (n == 1 ? " loss" : " losses") +
                     " at the home router only while the internet targets answered (the router answering its own "
                     "pings last, which does not affect traffic through it)");
  }
  if (!others.empty()) text += " Not counted as interruptions: " + join(others) + ".";
  return text;
}

}  // namespace

std::string verdict_text(const VerdictInput& in) {
  const std::string period = "Between " + format_time(in.from_ms, in.zone) + " and " + format_time(in.to_ms, in.zone) +
                             " (" + in.zone.describe(in.from_ms) + ")";
  std::uint64_t sent = 0;
  for (const auto& h : in.hosts) sent += h.sent;
  if (sent == 0) return period + ", no measurements were recorded: there is nothing to report for this period.";

  std::string text = period + ", " + std::to_string(in.hosts.size()) +
                     (in.hosts.size() == 1 ? " target was" : " targets were") + " measured";
  const std::int64_t span = in.to_ms - in.from_ms;
  if (in.gap_ms > 0 && span > 0) {
    text += "; the monitor was not recording for " + format_duration(in.gap_ms) + " (" +
            fixed(100.0 * static_cast<double>(in.gap_ms) / static_cast<double>(span), 1) +
            " % of the period, listed under Coverage)";
  } else {
    text += " without a gap";
  }
  text += ". ";

  text += incidents_sentences(in.incidents, in.zone);

  for (const auto& h : in.hosts) {
    text += " To " + h.host + ", ";
    if (h.sent == 0) {
      text += "no probe was sent in this period.";
      continue;
    }
    text += fixed(h.loss_pct.value_or(0.0), 3) + " % of " + grouped(h.sent) + " probes were lost";
    if (h.rtt_us) {
      text += "; the median round-trip time was " + fixed((*h.rtt_us)[1] / 1000.0, 1) + " ms and 95 % of replies came within " +
              fixed((*h.rtt_us)[2] / 1000.0, 1) + " ms";
    } else {
      text += "; no reply was received";
    }
    text += ".";
  }
  return text;
}

// --- redaction -------------------------------------------------------------------------

bool is_ip_address(std::string_view text) {
  if (text.empty()) return false;
  const bool v4 = text.find_first_not_of("0123456789.") == std::string_view::npos &&
                  std::count(text.begin(), text.end(), '.') == 3;
  const bool v6 = text.find(':') != std::string_view::npos &&
                  text.find_first_not_of("0123456789abcdefABCDEF:.%") == std::string_view::npos;
  return v4 || v6;
}

bool is_private_address(std::string_view text) {
  if (!is_ip_address(text)) return false;
  if (text.find(':') != std::string_view::npos) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower == "::1" || lower.starts_with("fe8") || lower.starts_with("fe9") || lower.starts_with("fea") ||
           lower.starts_with("feb") || lower.starts_with("fc") || lower.starts_with("fd");
  }
  std::array<int, 4> o{};
  std::size_t pos = 0;
  for (int& part : o) {
    const auto end = text.find('.', pos);
    const auto piece = text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    std::from_chars(piece.data(), piece.data() + piece.size(), part);
    pos = end == std::string_view::npos ? text.size() : end + 1;
  }
  return o[0] == 10 || o[0] == 127 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168) ||
         (o[0] == 169 && o[1] == 254) || (o[0] == 100 && o[1] >= 64 && o[1] <= 127);
}

std::string Redactor::label(const std::string& name) {
  if (!enabled_ || name.empty()) return name;
  const bool address = is_ip_address(name);
  if (address && !is_private_address(name)) return name;
  const auto found = labels_.find(name);
  if (found != labels_.end()) return found->second;
  const std::string made = address ? "private-" + std::to_string(++private_count_) : "host-" + std::to_string(++host_count_);
  labels_.emplace(name, made);
  return made;
}

// --- CSV -------------------------------------------------------------------------------

void write_incidents_csv(std::ostream& out, std::span<const attribution::Incident> incidents, const TimeZone& zone,
                         Redactor& redactor) {
  out << kIncidentsCsvHeader << '\n';
  for (const auto& i : incidents) {
    std::string targets;
    for (const auto& t : i.targets) targets += (targets.empty() ? "" : " ") + redactor.label(t);
    out << i.start_ms << ',' << i.end_ms << ',' << format_time_ms(i.start_ms, zone) << ','
        << format_time_ms(i.end_ms, zone) << ',' << (i.end_ms - i.start_ms) << ',' << i.probes_lost << ','
        << attribution::to_string(i.cause) << ',' << csv_field(targets) << ',' << csv_field(redactor.label(i.last_hop))
        << '\n';
  }
}

void write_minutes_csv(std::ostream& out, const std::string& host, std::span<const Frame> minutes, const TimeZone& zone) {
  for (const Frame& f : minutes) {
    out << csv_field(host) << ',' << f.t_ms << ',' << format_time(f.t_ms, zone) << ',' << f.sent << ',' << f.recv << ','
        << f.lost << ',' << (f.sent > 0 ? fixed(100.0 * f.lost / f.sent, 3) : std::string()) << ',';
    if (f.rtt.empty()) {
      out << ",,";
    } else {
      out << fixed(f.rtt.quantile_ns(0.5) / 1000.0, 1) << ',' << fixed(f.rtt.quantile_ns(0.95) / 1000.0, 1) << ','
          << fixed(f.rtt.quantile_ns(0.99) / 1000.0, 1);
    }
    out << ',' << opt_cell(f.jitter ? f.jitter->mean_us() : std::nullopt, 1) << '\n';
  }
}

}  // namespace zzping::report
