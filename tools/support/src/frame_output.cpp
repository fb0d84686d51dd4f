// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/tools/frame_output.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <stdexcept>

namespace zzping::tools {

OutputFormat parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::Text;
  if (name == "csv") return OutputFormat::Csv;
  if (name == "jsonl") return OutputFormat::Jsonl;
  throw std::invalid_argument("unknown output format '" + std::string(name) +
                              "' (expected text, csv or jsonl)");
}

OutputFrame output_from_native(const Frame& frame) {
  OutputFrame out;
  out.t_ms = frame.t_ms;
  out.length_ms = frame.length_ms;
  out.sent = frame.sent;
  out.recv = frame.recv;
  out.lost = frame.lost;
  out.dup = frame.dup;
  out.late = frame.late;
  out.icmp_errors = frame.icmp_errors;
  out.inflight = frame.inflight;
  if (!frame.rtt.empty()) out.rtt_us = frame.rtt.seven_quantiles_us();
  if (frame.jitter) out.jitter_us = frame.jitter->mean_us();
  return out;
}

std::string format_utc_ms(std::int64_t t_ms) {
  const std::int64_t secs = t_ms >= 0 ? t_ms / 1000 : (t_ms - 999) / 1000;
  const auto ms = static_cast<int>(t_ms - secs * 1000);
  const auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96];  // sized for any int fields, so the format can never truncate
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string format_rtt_us(double us) {
  char buf[40];
  // A bin key far beyond any real RTT (hostile or synthetic files) has a value past the
  // range of a double; JSON has no infinity, so it prints as the largest finite double.
  constexpr double kLargest = std::numeric_limits<double>::max();
  if (std::isnan(us)) us = 0.0;  // never produced by a histogram; still valid JSON
  if (std::isinf(us)) us = std::signbit(us) ? -kLargest : kLargest;
  if (std::abs(us) >= 1e15) {
    std::snprintf(buf, sizeof buf, "%.17g", us);  // "1.7976931348623157e+308"
  } else if (std::nearbyint(us) == us) {
    std::snprintf(buf, sizeof buf, "%.0f", us);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", us);
  }
  return buf;
}

namespace {

void json_field(std::ostream& out, std::string_view name, std::uint64_t value) {
  out << ",\"" << name << "\":" << value;
}

void json_optional(std::ostream& out, std::string_view name,
                   const std::optional<std::uint32_t>& value) {
  if (value) json_field(out, name, *value);
}

std::string rtt_list(const std::array<double, 7>& rtt, char sep) {
  std::string s;
  for (std::size_t i = 0; i < rtt.size(); ++i) {
    if (i) s += sep;
    s += format_rtt_us(rtt[i]);
  }
  return s;
}

std::string optional_text(const std::optional<std::uint32_t>& v) {
  return v ? std::to_string(*v) : std::string("-");
}

}  // namespace

void FramePrinter::print(const OutputFrame& frame) {
  switch (format_) {
    case OutputFormat::Text: print_text(frame); break;
    case OutputFormat::Csv: print_csv(frame); break;
    case OutputFormat::Jsonl: print_jsonl(frame); break;
  }
}

void FramePrinter::print_jsonl(const OutputFrame& frame) {
  out_ << '{';
  if (frame.host) out_ << "\"host\":\"" << json_escape(*frame.host) << "\",";
  out_ << "\"t_ms\":" << frame.t_ms;
  json_optional(out_, "length_ms", frame.length_ms);
  json_optional(out_, "sent", frame.sent);
  json_field(out_, "recv", frame.recv);
  json_field(out_, "lost", frame.lost);
  json_optional(out_, "dup", frame.dup);
  json_optional(out_, "late", frame.late);
  json_optional(out_, "icmp_errors", frame.icmp_errors);
  json_field(out_, "inflight", frame.inflight);
  out_ << ",\"rtt_us\":";
  if (frame.rtt_us) {
    out_ << '[' << rtt_list(*frame.rtt_us, ',') << ']';
  } else {
    out_ << "null";
  }
  out_ << ",\"jitter_us\":" << (frame.jitter_us ? format_rtt_us(*frame.jitter_us) : std::string("null"));
  if (frame.samples_us) {
    out_ << ",\"samples_us\":[";
    for (std::size_t i = 0; i < frame.samples_us->size(); ++i) {
      if (i) out_ << ',';
      out_ << (*frame.samples_us)[i];
    }
    out_ << ']';
  }
  out_ << "}\n";
}

void FramePrinter::print_csv(const OutputFrame& frame) {
  if (!csv_header_written_) {
    out_ << "host,t_ms,time_utc,length_ms,sent,recv,lost,dup,late,icmp_errors,inflight,"
            "p0_us,p12_5_us,p25_us,p50_us,p75_us,p87_5_us,p100_us,jitter_us\n";
    csv_header_written_ = true;
  }
  auto opt = [](const std::optional<std::uint32_t>& v) {
    return v ? std::to_string(*v) : std::string();
  };
  out_ << (frame.host ? *frame.host : std::string()) << ',' << frame.t_ms << ','
       << format_utc_ms(frame.t_ms) << ',' << opt(frame.length_ms) << ',' << opt(frame.sent)
       << ',' << frame.recv << ',' << frame.lost << ',' << opt(frame.dup) << ','
       << opt(frame.late) << ',' << opt(frame.icmp_errors) << ',' << frame.inflight << ',';
  out_ << (frame.rtt_us ? rtt_list(*frame.rtt_us, ',') : std::string(",,,,,,")) << ','
       << (frame.jitter_us ? format_rtt_us(*frame.jitter_us) : std::string()) << '\n';
}

void FramePrinter::print_text(const OutputFrame& frame) {
  if (frame.host) out_ << *frame.host << ' ';
  out_ << format_utc_ms(frame.t_ms) << "  sent " << optional_text(frame.sent) << "  recv "
       << frame.recv << "  lost " << frame.lost << "  inflight " << frame.inflight;
  if (frame.dup && *frame.dup) out_ << "  dup " << *frame.dup;
  if (frame.late && *frame.late) out_ << "  late " << *frame.late;
  if (frame.icmp_errors && *frame.icmp_errors) out_ << "  icmp_err " << *frame.icmp_errors;
  out_ << "  rtt_us ";
  if (frame.rtt_us) {
    out_ << '[' << rtt_list(*frame.rtt_us, ' ') << ']';
  } else {
    out_ << '-';
  }
  if (frame.jitter_us) out_ << "  jitter_us " << format_rtt_us(*frame.jitter_us);
  out_ << '\n';
}

namespace {

std::string json_names(const std::vector<std::string>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += '"' + json_escape(names[i]) + '"';
  }
  return out + ']';
}

std::string json_string_or_null(const std::string& s) { return s.empty() ? "null" : '"' + json_escape(s) + '"'; }

std::string text_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "-" : out;
}

std::string incident_jsonl(const attribution::Incident& i) {
  return "{\"event\":\"incident\",\"start_ms\":" + std::to_string(i.start_ms) + ",\"end_ms\":" +
         std::to_string(i.end_ms) + ",\"cause\":\"" + std::string(attribution::to_string(i.cause)) +
         "\",\"targets\":" + json_names(i.targets) + ",\"probes_lost\":" + std::to_string(i.probes_lost) +
         ",\"last_hop\":" + json_string_or_null(i.last_hop) + "}\n";
}

std::string incident_text(const attribution::Incident& i) {
  return format_utc_ms(i.start_ms) + "  INCIDENT " + std::string(attribution::to_string(i.cause)) + " " +
         std::to_string(i.end_ms - i.start_ms) + " ms (until " + format_utc_ms(i.end_ms) + "), " +
         std::to_string(i.probes_lost) + " probes lost, targets " + text_names(i.targets) +
         (i.last_hop.empty() ? "" : ", last hop answering " + i.last_hop) + "\n";
}

}  // namespace

void FramePrinter::print(const OutputEvent& event) {
  const LossEvent& e = event.event;
  const attribution::Attribution* a = event.attribution ? &*event.attribution : nullptr;
  switch (format_) {
    case OutputFormat::Jsonl:
      out_ << '{';
      if (event.host) out_ << "\"host\":\"" << json_escape(*event.host) << "\",";
      out_ << "\"event\":\"loss_burst\",\"start_ms\":" << e.start_ms << ",\"end_ms\":" << e.end_ms
           << ",\"probes_lost\":" << e.probes_lost;
      if (a) {
        out_ << ",\"cause\":\"" << attribution::to_string(a->cause) << "\",\"reason\":\""
             << json_escape(a->reason) << "\",\"lost_too\":" << json_names(a->lost_too)
             << ",\"answered\":" << json_names(a->answered);
      }
      out_ << "}\n";
      break;
    case OutputFormat::Text:
      if (event.host) out_ << *event.host << ' ';
      out_ << format_utc_ms(e.start_ms) << "  LOSS " << e.probes_lost << " probes over "
           << (e.end_ms - e.start_ms) << " ms (until " << format_utc_ms(e.end_ms) << ")";
      if (a) {
        out_ << "  cause " << attribution::to_string(a->cause) << ": " << a->reason << " (lost too: "
             << text_names(a->lost_too) << "; answered: " << text_names(a->answered) << ")";
      }
      out_ << '\n';
      break;
    case OutputFormat::Csv:
      break;  // CSV holds frames only: one table, one row shape (events go to jsonl/text).
  }
}

void FramePrinter::print(const OutputIncident& incident) {
  if (format_ == OutputFormat::Csv) return;
  const std::string key = incident_jsonl(incident.incident);
  if (!incidents_printed_.insert(key).second) return;
  out_ << (format_ == OutputFormat::Jsonl ? key : incident_text(incident.incident));
}

void FramePrinter::print(const OutputPath& p) {
  const PathSnapshot& path = p.path;
  switch (format_) {
    case OutputFormat::Jsonl: {
      const std::string host = p.host ? "\"host\":\"" + json_escape(*p.host) + "\"," : "";
      out_ << '{' << host << "\"event\":\"path\",\"t_ms\":" << path.t_ms << ",\"trigger\":\""
           << to_string(path.trigger) << "\",\"reached\":" << (path.reached ? "true" : "false") << ",\"hops\":[";
      for (std::size_t i = 0; i < path.hops.size(); ++i) {
        const PathHop& hop = path.hops[i];
        out_ << (i ? "," : "") << "{\"ttl\":" << unsigned{hop.ttl} << ",\"addr\":" << json_string_or_null(hop.address)
             << ",\"rtt_us\":" << (hop.rtt_us ? std::to_string(*hop.rtt_us) : "null") << '}';
      }
      out_ << "]}\n";
      if (path.route_changed) {
        out_ << '{' << host << "\"event\":\"route_change\",\"t_ms\":" << path.t_ms << ",\"hops\":[";
        for (std::size_t i = 0; i < path.hops.size(); ++i) {
          out_ << (i ? "," : "") << json_string_or_null(path.hops[i].address);
        }
        out_ << "]}\n";
      }
      break;
    }
    case OutputFormat::Text: {
      const std::string host = p.host ? *p.host + ' ' : "";
      out_ << host << format_utc_ms(path.t_ms) << "  PATH (" << to_string(path.trigger) << ", "
           << (path.reached ? "reached" : "not reached") << "):";
      for (const PathHop& hop : path.hops) {
        out_ << ' ' << unsigned{hop.ttl} << ' ' << (hop.address.empty() ? "*" : hop.address);
        if (hop.rtt_us) out_ << ' ' << *hop.rtt_us << " us";
        out_ << ';';
      }
      if (path.hops.empty()) out_ << " no hop";
      out_ << '\n';
      if (path.route_changed) {
        out_ << host << format_utc_ms(path.t_ms) << "  ROUTE CHANGE:";
        for (const PathHop& hop : path.hops) out_ << ' ' << (hop.address.empty() ? "*" : hop.address);
        out_ << '\n';
      }
      break;
    }
    case OutputFormat::Csv:
      break;
  }
}

}  // namespace zzping::tools
