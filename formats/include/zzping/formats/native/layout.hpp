// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Where native files live in a data directory (docs/formats.md, "Layout"). Path naming
// only, no I/O: the daemon, the converter and the GUI share these rules.
//
//   <data>/<host>/<YYYY-MM-DD>/<YYYY-MM-DD>T<HH>Z.zzf     raw frames of one UTC hour
//   <data>/<host>/<YYYY-MM-DD>/<YYYY-MM-DD>T<HH>Z.<n>.zzf  ... the n-th restart in that hour
//   <data>/<host>/tiers/1s/<YYYY-MM-DD>[.<n>].zzf           1 s tier, one file per UTC day
//   <data>/<host>/tiers/1min/<YYYY-MM>[.<n>].zzf            1 min tier, one per UTC month
//   <data>/<host>/tiers/1h/<YYYY>[.<n>].zzf                 1 h tier, one per UTC year
//
// A writer never appends to or overwrites a file an earlier process wrote: it takes the
// first free sequence number (first_free). Readers read every numbered file of a period.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "zzping/formats/native/tiers.hpp"

namespace zzping::native::layout {

// The host's folder name: bytes outside [A-Za-z0-9._-] (and a leading '.') become %XX, so
// the name is safe on any file system, never "." or "..", and reversible.
// Throws std::invalid_argument for an empty host.
std::string host_dir_name(std::string_view host);
// The host a folder name stands for; empty for names host_dir_name never produces.
std::optional<std::string> host_from_dir_name(std::string_view dir_name);

// The raw file of the UTC hour holding t_ms (sequence 0 = the first file of that hour).
// Throws std::out_of_range for times outside the years 1970..9999.
std::filesystem::path raw_file(const std::filesystem::path& data_dir, std::string_view host,
                               std::int64_t t_ms, unsigned sequence = 0);
// The tier file of the period (day, month, year) holding t_ms.
std::filesystem::path tier_file(const std::filesystem::path& data_dir, std::string_view host,
                                Tier tier, std::int64_t t_ms, unsigned sequence = 0);
std::filesystem::path host_dir(const std::filesystem::path& data_dir, std::string_view host);
std::filesystem::path tier_dir(const std::filesystem::path& data_dir, std::string_view host,
                               Tier tier);

// The first of name(0), name(1), ... for which `exists` is false.
std::filesystem::path first_free(const std::function<std::filesystem::path(unsigned)>& name,
                                 const std::function<bool(const std::filesystem::path&)>& exists);

// The UTC period a file covers, from its name: [start_ms, end_ms).
struct FilePeriod {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  unsigned sequence = 0;
  friend bool operator==(const FilePeriod&, const FilePeriod&) = default;
};
// "2021-01-01": the name of a host's day folder of raw hours (tiers/ is not one).
bool is_day_dir_name(std::string_view dir_name);

// "2021-01-01T08Z.zzf" or "2021-01-01T08Z.2.zzf"; empty for other names.
std::optional<FilePeriod> parse_raw_file_name(std::string_view file_name);
// "2021-01-01.zzf" (1s), "2021-01.zzf" (1min), "2021.zzf" (1h), each with an optional ".<n>".
std::optional<FilePeriod> parse_tier_file_name(Tier tier, std::string_view file_name);
// The period of a tier file holding t_ms.
FilePeriod tier_file_period(Tier tier, std::int64_t t_ms);

}  // namespace zzping::native::layout
