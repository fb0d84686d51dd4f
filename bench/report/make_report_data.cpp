// SPDX-License-Identifier: GPL-3.0-or-later
// Writes a synthetic data directory for zzping-report (tests/report, bench/report/run.sh):
// 3 hosts (router.lan, 1.1.1.1, 9.9.9.9) of DAYS days at 100 probes/s with raw hours and
// tiers (tests/gui/synthetic_data_dir.hpp), plus the evidence zzpingd writes: every 3 s
// outage of the synthetic frames becomes an attributed loss burst (kind 4) in each host's
// files and an incident (kind 5) in the file of every target it hit, in a restart file
// (<hour>.1.zzf) of that hour. Causes cycle upstream, local, destination.
// Usage: make_report_data DIR [DAYS=7] [T0_MS=1735689600000] [HOURS=DAYS*24]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "synthetic_data_dir.hpp"
#include "zzping/formats/native/evidence_records.hpp"
#include "zzping/formats/native/file_format.hpp"

namespace {

using zzping::attribution::Cause;
using zzping::attribution::Role;

struct Target {
  std::string host;
  Role role;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_report_data DIR [DAYS=7] [T0_MS=1735689600000] [HOURS=DAYS*24]\n");
    return 2;
  }
  const long days = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 7;
  const std::int64_t t0 = argc > 3 ? std::strtoll(argv[3], nullptr, 10) : 1'735'689'600'000;
  const std::int64_t hours = argc > 4 ? std::strtoll(argv[4], nullptr, 10) : days * 24;
  const std::vector<Target> targets = {{"router.lan", Role::gateway}, {"1.1.1.1", Role::internet}, {"9.9.9.9", Role::internet}};
  for (const Target& t : targets) {
    zzping::testing::DataDirSpec spec;
    spec.dir = argv[1];
    spec.host = t.host;
    spec.t0_ms = t0;
    spec.hours = hours;
    spec.evidence = false;  // this generator writes the evidence of all three targets below
    zzping::testing::write_data_dir(spec);
  }
  std::uint64_t incidents = 0;
  for (std::int64_t h = 0; h < hours; ++h) {
    const std::int64_t hour = t0 + h * 3'600'000;
    std::map<std::string, std::vector<std::uint8_t>> files;
    for (const Target& t : targets) {
      zzping::native::FileHeader header = zzping::testing::synthetic_header(t.host, 0);
      header.role = t.role;
      header.start_ms = hour;
      header.address = t.role == Role::gateway ? "192.168.1.1" : t.host;
      files[t.host] = zzping::native::encode_header(header);
    }
    for (std::int64_t outage = hour + 300'000; outage < hour + 3'600'000; outage += 600'000, ++incidents) {
      zzping::attribution::Incident inc;
      inc.start_ms = outage;
      inc.end_ms = outage + 2'900;
      inc.probes_lost = 90;
      inc.cause = incidents % 3 == 0 ? Cause::upstream : incidents % 3 == 1 ? Cause::local : Cause::destination;
      inc.targets = inc.cause == Cause::local ? std::vector<std::string>{"1.1.1.1", "9.9.9.9", "router.lan"}
                    : inc.cause == Cause::upstream ? std::vector<std::string>{"1.1.1.1", "9.9.9.9"}
                                                   : std::vector<std::string>{"9.9.9.9"};
      inc.last_hop = inc.cause == Cause::upstream ? "10.20.0.1" : inc.cause == Cause::local ? "" : "203.0.113.9";
      for (const Target& t : targets) {
        zzping::native::AttributedLossEvent burst;
        burst.event = {outage, outage + 2'900, 30};
        burst.cause = inc.cause;
        burst.reason = "synthetic";
        zzping::native::append_attributed_event_record(burst, files[t.host]);
        if (std::find(inc.targets.begin(), inc.targets.end(), t.host) != inc.targets.end()) {
          zzping::native::append_incident_record(inc, files[t.host]);
        }
      }
    }
    for (const Target& t : targets) {
      std::ofstream out(zzping::native::layout::raw_file(argv[1], t.host, hour, 1), std::ios::binary);
      out.write(reinterpret_cast<const char*>(files[t.host].data()), static_cast<std::streamsize>(files[t.host].size()));
    }
  }
  std::printf("%lld hours, 3 hosts, %llu incidents\n", static_cast<long long>(hours), static_cast<unsigned long long>(incidents));
  return 0;
}
