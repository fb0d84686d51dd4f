// SPDX-License-Identifier: GPL-3.0-or-later
// Printing span summaries: the JSON field names are part of the product (docs/summary.md).
#include <cstdio>
#include <string>

#include "summary.hpp"

namespace zzping::dump {
namespace {

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();  // 12.500 -> 12.5, 3.000 -> 3
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string json_number(const std::optional<double>& v) { return v ? number(*v) : "null"; }
std::string csv_number(const std::optional<double>& v) { return v ? number(*v) : ""; }

std::optional<double> rtt(const SpanSummary& s, std::size_t i) {
  return s.rtt_us ? std::optional<double>((*s.rtt_us)[i]) : std::nullopt;
}

void print_jsonl(std::ostream& out, const SpanSummary& s) {
  out << "{\"host\":\"" << tools::json_escape(s.host) << "\",\"from_ms\":" << s.from_ms
      << ",\"to_ms\":" << s.to_ms << ",\"covered_ms\":" << s.covered_ms << ",\"sent\":" << s.sent
      << ",\"recv\":" << s.recv << ",\"lost\":" << s.lost << ",\"loss_pct\":" << json_number(s.loss_pct)
      << ",\"dup\":" << s.dup << ",\"late\":" << s.late << ",\"icmp_errors\":" << s.icmp_errors
      << ",\"rtt_us\":";
  if (s.rtt_us) {
    out << "{\"p0\":" << number((*s.rtt_us)[0]) << ",\"p50\":" << number((*s.rtt_us)[1])
        << ",\"p95\":" << number((*s.rtt_us)[2]) << ",\"p99\":" << number((*s.rtt_us)[3])
        << ",\"p100\":" << number((*s.rtt_us)[4]) << '}';
  } else {
    out << "null";
  }
  out << ",\"jitter_us\":" << json_number(s.jitter_us) << ",\"mos\":" << json_number(s.mos)
      << ",\"loss_bursts\":";
  if (!s.loss_bursts) {  // not recorded in the data read (docs/summary.md, "Loss bursts")
    out << "null,\"availability_pct\":" << json_number(s.availability_pct) << "}\n";
    return;
  }
  const LossBurstSummary& b = *s.loss_bursts;
  out << "{\"count\":" << b.count << ",\"total_ms\":" << b.total_ms
      << ",\"longest_ms\":" << b.longest_ms << ",\"longest_start_ms\":"
      << (b.longest_start_ms ? std::to_string(*b.longest_start_ms) : "null") << ",\"by_cause\":{";
  for (std::size_t c = 0; c < b.by_cause.size(); ++c) {
    out << (c ? "," : "") << '"' << attribution::to_string(static_cast<attribution::Cause>(c)) << "\":" << b.by_cause[c];
  }
  out << "}},\"availability_pct\":" << json_number(s.availability_pct) << "}\n";
}

void print_csv_header(std::ostream& out) {
  out << "host,from_ms,to_ms,covered_ms,sent,recv,lost,loss_pct,dup,late,icmp_errors,"
         "p0_us,p50_us,p95_us,p99_us,p100_us,jitter_us,mos,loss_bursts,loss_burst_total_ms,"
         "loss_burst_longest_ms,loss_burst_longest_start_ms,availability_pct\n";
}

void print_csv(std::ostream& out, const SpanSummary& s) {
  out << s.host << ',' << s.from_ms << ',' << s.to_ms << ',' << s.covered_ms << ',' << s.sent << ','
      << s.recv << ',' << s.lost << ',' << csv_number(s.loss_pct) << ',' << s.dup << ',' << s.late
      << ',' << s.icmp_errors;
  for (std::size_t i = 0; i < 5; ++i) out << ',' << csv_number(rtt(s, i));
  out << ',' << csv_number(s.jitter_us) << ',' << csv_number(s.mos) << ',';
  if (const auto& b = s.loss_bursts) {
    out << b->count << ',' << b->total_ms << ',' << b->longest_ms << ','
        << (b->longest_start_ms ? std::to_string(*b->longest_start_ms) : "");
  } else {
    out << ",,,";  // not recorded: four empty cells
  }
  out << ',' << csv_number(s.availability_pct) << '\n';
}

std::string text_or_dash(const std::optional<double>& v, const char* unit) {
  return v ? number(*v) + unit : std::string("-");
}

void print_text(std::ostream& out, const SpanSummary& s) {
  out << s.host << "  " << tools::format_utc_ms(s.from_ms) << " .. " << tools::format_utc_ms(s.to_ms)
      << "  (covered " << number(static_cast<double>(s.covered_ms) / 3'600'000.0) << " h)\n";
  out << "  sent " << s.sent << "  recv " << s.recv << "  lost " << s.lost << " ("
      << text_or_dash(s.loss_pct, " %") << ")  dup " << s.dup << "  late " << s.late
      << "  icmp_errors " << s.icmp_errors << '\n';
  out << "  rtt_us p0 " << text_or_dash(rtt(s, 0), "") << "  p50 " << text_or_dash(rtt(s, 1), "")
      << "  p95 " << text_or_dash(rtt(s, 2), "") << "  p99 " << text_or_dash(rtt(s, 3), "")
      << "  p100 " << text_or_dash(rtt(s, 4), "") << '\n';
  out << "  jitter " << text_or_dash(s.jitter_us, " us") << "  MOS (estimate) " << text_or_dash(s.mos, "")
      << "  availability "
      << (s.loss_bursts || s.covered_ms == 0 ? text_or_dash(s.availability_pct, " %") : std::string("n/a")) << '\n';
  if (!s.loss_bursts) {
    out << "  loss bursts n/a (lost probes in data that does not record loss bursts)\n";
    return;
  }
  const LossBurstSummary& b = *s.loss_bursts;
  out << "  loss bursts " << b.count << ", " << b.total_ms << " ms in all";
  if (b.longest_start_ms) {
    out << ", longest " << b.longest_ms << " ms at " << tools::format_utc_ms(*b.longest_start_ms);
  }
  std::string causes;
  for (std::size_t c = 0; c < b.by_cause.size(); ++c) {
    if (b.by_cause[c] == 0) continue;
    causes += (causes.empty() ? "" : ", ") + std::string(attribution::to_string(static_cast<attribution::Cause>(c))) +
              " " + std::to_string(b.by_cause[c]);
  }
  if (!causes.empty()) out << "; by cause: " << causes;
  out << '\n';
}

}  // namespace

void print_summaries(std::ostream& out, const std::vector<SpanSummary>& summaries,
                     tools::OutputFormat format) {
  if (format == tools::OutputFormat::Csv) print_csv_header(out);
  for (const SpanSummary& s : summaries) {
    switch (format) {
      case tools::OutputFormat::Jsonl: print_jsonl(out, s); break;
      case tools::OutputFormat::Csv: print_csv(out, s); break;
      case tools::OutputFormat::Text: print_text(out, s); break;
    }
  }
}

}  // namespace zzping::dump
