// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/exposition_writer.hpp"

#include "http_text.hpp"

#include <charconv>
#include <cmath>

namespace zzping::metrics {
namespace {

using http_text::equals_ignoring_case;
using http_text::trim_whitespace;

constexpr std::string_view kOpenMetricsType = "application/openmetrics-text";

// "q=0" (or 0.0, 0.000) refuses a media range; anything else accepts it.
bool refused_by_quality(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const std::string_view parameter = trim_whitespace(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
    if (parameter.size() < 2 || (parameter[0] != 'q' && parameter[0] != 'Q') || parameter[1] != '=') continue;
    const std::string_view q = parameter.substr(2);
    return q.find_first_not_of("0.") == std::string_view::npos;
  }
  return false;
}

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter: return "counter";
    case MetricType::gauge: return "gauge";
    case MetricType::histogram: return "histogram";
    case MetricType::info: return "info";
  }
  return "unknown";
}

void append_escaped_help(std::string& out, std::string_view help, TextFormat format) {
  for (const char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && format == TextFormat::openmetrics_1_0_0) out += "\\\"";
    else out += c;
  }
}

}  // namespace

TextFormat negotiate_format(std::string_view accept_header) {
  while (!accept_header.empty()) {
    const auto comma = accept_header.find(',');
    const std::string_view range = accept_header.substr(0, comma);
    accept_header = comma == std::string_view::npos ? std::string_view{} : accept_header.substr(comma + 1);
    const auto semicolon = range.find(';');
    const std::string_view media = trim_whitespace(range.substr(0, semicolon));
    const std::string_view parameters = semicolon == std::string_view::npos ? std::string_view{} : range.substr(semicolon + 1);
    if (equals_ignoring_case(media, kOpenMetricsType) && !refused_by_quality(parameters)) {
      return TextFormat::openmetrics_1_0_0;
    }
  }
  return TextFormat::prometheus_0_0_4;
}

std::string_view content_type(TextFormat format) {
  return format == TextFormat::openmetrics_1_0_0
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof(text), value);
    out.append(text, result.ptr);
  }
}

void ExpositionWriter::family(std::string_view name, MetricType type, std::string_view help,
                              std::string_view unit) {
  family_ = name;
  type_ = type;
  // The Prometheus format names a counter family by its sample and has no info type.
  const bool openmetrics = format_ == TextFormat::openmetrics_1_0_0;
  const std::string_view header_suffix = openmetrics ? std::string_view{} : value_suffix();
  const std::string_view shown_type = (!openmetrics && type == MetricType::info) ? "gauge" : type_name(type);
  out_ += "# TYPE ";
  out_ += name;
  out_ += header_suffix;
  out_ += ' ';
  out_ += shown_type;
  out_ += '\n';
  if (openmetrics && !unit.empty()) {
    out_ += "# UNIT ";
    out_ += name;
    out_ += ' ';
    out_ += unit;
    out_ += '\n';
  }
  out_ += "# HELP ";
  out_ += name;
  out_ += header_suffix;
  out_ += ' ';
  append_escaped_help(out_, help, format_);
  out_ += '\n';
}

std::string_view ExpositionWriter::value_suffix() const {
  if (type_ == MetricType::counter) return "_total";
  if (type_ == MetricType::info) return "_info";
  return {};
}

void ExpositionWriter::value(std::span<const Label> sample_labels, double v) {
  sample_name(value_suffix());
  labels(sample_labels, nullptr);
  number(v);
}

void ExpositionWriter::value(std::span<const Label> sample_labels, std::uint64_t v) {
  sample_name(value_suffix());
  labels(sample_labels, nullptr);
  number(v);
}

void ExpositionWriter::histogram(std::span<const Label> sample_labels, std::span<const double> upper_bounds,
                                 std::span<const std::uint64_t> cumulative, std::uint64_t count, double sum) {
  std::string bound;
  for (std::size_t i = 0; i < upper_bounds.size() && i < cumulative.size(); ++i) {
    bound.clear();
    append_number(bound, upper_bounds[i]);
    const Label le{"le", bound};
    sample_name("_bucket");
    labels(sample_labels, &le);
    number(cumulative[i]);
  }
  const Label infinite{"le", "+Inf"};
  sample_name("_bucket");
  labels(sample_labels, &infinite);
  number(count);
  sample_name("_count");
  labels(sample_labels, nullptr);
  number(count);
  sample_name("_sum");
  labels(sample_labels, nullptr);
  number(sum);
}

void ExpositionWriter::finish() {
  if (format_ == TextFormat::openmetrics_1_0_0) out_ += "# EOF\n";
}

void ExpositionWriter::sample_name(std::string_view suffix) {
  out_ += family_;
  out_ += suffix;
}

void ExpositionWriter::labels(std::span<const Label> sample_labels, const Label* extra) {
  if (sample_labels.empty() && extra == nullptr) return;
  out_ += '{';
  bool first = true;
  const auto append = [this, &first](const Label& label) {
    if (!first) out_ += ',';
    first = false;
    out_ += label.name;
    out_ += "=\"";
    append_escaped_label_value(out_, label.value);
    out_ += '"';
  };
  for (const Label& label : sample_labels) append(label);
  if (extra != nullptr) append(*extra);
  out_ += '}';
}

void ExpositionWriter::number(double v) {
  out_ += ' ';
  append_number(out_, v);
  out_ += '\n';
}

void ExpositionWriter::number(std::uint64_t v) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof(text), v);
  out_ += ' ';
  out_.append(text, result.ptr);
  out_ += '\n';
}

}  // namespace zzping::metrics
