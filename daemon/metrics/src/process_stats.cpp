// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/process_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace zzping::metrics {
namespace {

std::string read_small_file(const char* path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/self/stat after the command name (which may hold spaces and
// parentheses: it ends at the LAST ')'). fields[0] is field 3 (state).
std::vector<std::string> stat_fields() {
  const std::string stat = read_small_file("/proc/self/stat");
  const auto close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(stat.substr(close + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Field `number` (1-based, as in proc(5)) as a double; NaN if missing.
double stat_field(const std::vector<std::string>& fields, std::size_t number) {
  const std::size_t index = number - 3;
  if (number < 3 || index >= fields.size()) return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  const std::string& text = fields[index];
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return result.ec == std::errc{} ? value : std::numeric_limits<double>::quiet_NaN();
}

double boot_time_seconds() {
  std::istringstream stat(read_small_file("/proc/stat"));
  for (std::string line; std::getline(stat, line);) {
    if (line.starts_with("btime ")) return std::stod(line.substr(6));
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double clock_ticks_per_second() { return static_cast<double>(sysconf(_SC_CLK_TCK)); }

}  // namespace

ProcessStats::ProcessStats() {
  // proc(5): field 22, starttime, in clock ticks after boot.
  start_time_seconds_ = boot_time_seconds() + stat_field(stat_fields(), 22) / clock_ticks_per_second();
}

ProcessFigures ProcessStats::sample() const {
  const auto fields = stat_fields();
  ProcessFigures figures;
  // Fields 14 and 15: utime and stime in ticks; 24: rss in pages.
  figures.cpu_seconds = (stat_field(fields, 14) + stat_field(fields, 15)) / clock_ticks_per_second();
  figures.resident_bytes = stat_field(fields, 24) * static_cast<double>(sysconf(_SC_PAGESIZE));
  figures.start_time_seconds = start_time_seconds_;
  return figures;
}

}  // namespace zzping::metrics
