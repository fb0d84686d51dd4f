// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Printing frames and events the same way in every tool (zzping-dump, zzping-tail).
// Field names are part of the product's interface (docs/output.md): t_ms, inflight, lost,
// recv and rtt_us always; sent, length_ms, dup, late, icmp_errors, samples_us, host when the
// source holds them.
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "zzping/common/attribution.hpp"
#include "zzping/common/frame.hpp"
#include "zzping/common/json_text.hpp"
#include "zzping/common/path.hpp"

namespace zzping::tools {

enum class OutputFormat { Text, Csv, Jsonl };
// Parses "text" | "csv" | "jsonl"; throws std::invalid_argument naming the bad value.
OutputFormat parse_output_format(std::string_view name);

// One frame as printed. Optional fields are omitted when the source format lacks them.
struct OutputFrame {
  std::optional<std::string> host;
  std::int64_t t_ms = 0;
  std::optional<std::uint32_t> length_ms;
  std::optional<std::uint32_t> sent;
  std::uint32_t recv = 0;
  std::uint32_t lost = 0;
  std::optional<std::uint32_t> dup;
  std::optional<std::uint32_t> late;
  std::optional<std::uint32_t> icmp_errors;
  std::uint32_t inflight = 0;
  std::optional<std::array<double, 7>> rtt_us;  // p0..p100; absent when recv == 0
  std::optional<double> jitter_us;  // mean |delta RTT|; absent when not measured or no pair
  std::optional<std::vector<std::uint32_t>> samples_us;
};

// A native frame with every field it holds.
OutputFrame output_from_native(const Frame& frame);

struct OutputEvent {
  std::optional<std::string> host;
  LossEvent event;
  // The burst's cause and evidence (format/stream 1.2); absent for bursts stored without.
  std::optional<attribution::Attribution> attribution = {};
};

// An incident (bursts of several targets merged; docs/attribution.md).
struct OutputIncident {
  attribution::Incident incident;
};

// A path snapshot of one host; a route_change line follows when its route changed.
struct OutputPath {
  std::optional<std::string> host;
  PathSnapshot path;
};

class FramePrinter {
 public:
  FramePrinter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}
  void print(const OutputFrame& frame);
  void print(const OutputEvent& event);
  // An incident already printed by this printer (the same one read from the files of
  // several of its targets) is not printed again.
  void print(const OutputIncident& incident);
  void print(const OutputPath& path);

 private:
  void print_text(const OutputFrame& frame);
  void print_csv(const OutputFrame& frame);
  void print_jsonl(const OutputFrame& frame);
  std::ostream& out_;
  OutputFormat format_;
  bool csv_header_written_ = false;
  std::set<std::string> incidents_printed_;  // their jsonl lines
};

// "2021-01-01T08:00:04.218Z"
std::string format_utc_ms(std::int64_t t_ms);
// JSON number for an RTT: integral values without decimals, others with one decimal.
std::string format_rtt_us(double us);
using ::zzping::json_escape;  // common/json_text.hpp

}  // namespace zzping::tools
