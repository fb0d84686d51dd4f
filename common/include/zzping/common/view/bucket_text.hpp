// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text forms of buckets: the hover tooltip, CSV export, and UTC time stamps.
#include <cstdint>
#include <ostream>
#include <span>
#include <string>

#include "zzping/common/view/bucket.hpp"

namespace zzping::view {

// "2021-01-01T08:00:04.218Z" (UTC, millisecond precision).
std::string format_utc(std::int64_t t_ms);
// "100 ms", "5 s", "2 min", "6 h", "1 d", or "2.5 s" when not a whole unit.
std::string format_duration(std::int64_t ms);

// Multi-line tooltip: time range, counts, loss %, jitter, the 7 quantiles.
std::string describe(const BucketSummary& bucket);

// CSV with a header line: host,t_utc,t_ms,length_ms,sent,recv,lost,loss_pct,
// p0_us,p12_5_us,p25_us,p50_us,p75_us,p87_5_us,p100_us,jitter_us. Quantiles are empty when
// the bucket has no RTT sample, jitter_us when it was not measured or has no pair. Host names are quoted when they need it.
void write_csv_header(std::ostream& out);
void write_csv_rows(std::ostream& out, const std::string& host,
                    std::span<const BucketSummary> buckets);

}  // namespace zzping::view
