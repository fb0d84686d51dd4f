// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Writes metric families in one of the two text formats Prometheus scrapes:
// - Prometheus text 0.0.4: a counter's TYPE line names the sample ("x_total"), no UNIT, no EOF.
// - OpenMetrics 1.0.0: a counter's family is named without "_total" (its sample has it), an
//   info family without "_info", UNIT lines, and the page ends with "# EOF".
// The caller writes every sample of a family right after its header (both formats require
// a family's samples to be contiguous). Names are the caller's constants; label values and
// help texts are escaped here.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zzping::metrics {

enum class TextFormat : std::uint8_t { prometheus_0_0_4, openmetrics_1_0_0 };

// OpenMetrics when the Accept header asks for application/openmetrics-text (q > 0),
// otherwise the Prometheus text format (the fallback every scraper understands).
TextFormat negotiate_format(std::string_view accept_header);
std::string_view content_type(TextFormat format);

enum class MetricType : std::uint8_t { counter, gauge, histogram, info };

struct Label {
  std::string_view name;
  std::string_view value;
};

class ExpositionWriter {
 public:
  ExpositionWriter(TextFormat format, std::string& out) : format_(format), out_(out) {}

  // `name` is the OpenMetrics family name: without "_total" for counters, without "_info"
  // for info metrics; it ends with "_<unit>" when a unit is given.
  void family(std::string_view name, MetricType type, std::string_view help, std::string_view unit = {});
  // One sample of the current family; counters get "_total", info metrics "_info".
  void value(std::span<const Label> labels, double value);
  void value(std::span<const Label> labels, std::uint64_t value);
  // Histogram samples: `cumulative[i]` counts the observations <= `upper_bounds[i]`; the
  // +Inf bucket, _count and _sum follow.
  void histogram(std::span<const Label> labels, std::span<const double> upper_bounds,
                 std::span<const std::uint64_t> cumulative, std::uint64_t count, double sum);
  // Ends the page ("# EOF" in OpenMetrics; nothing in the Prometheus format).
  void finish();

 private:
  void sample_name(std::string_view suffix);
  void labels(std::span<const Label> labels, const Label* extra);
  void number(double value);
  void number(std::uint64_t value);
  std::string_view value_suffix() const;

  TextFormat format_;
  std::string& out_;
  std::string family_;
  MetricType type_ = MetricType::gauge;
};

// "\" -> "\\", '"' -> "\"", newline -> "\n" (the label value rules of both formats).
void append_escaped_label_value(std::string& out, std::string_view value);
// Shortest text that reads back to the same double; "NaN", "+Inf", "-Inf".
void append_number(std::string& out, double value);

}  // namespace zzping::metrics
