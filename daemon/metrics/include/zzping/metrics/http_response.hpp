// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The answer side of the /metrics endpoint: routing (GET /metrics only) and complete
// HTTP/1.1 responses. Every response says "Connection: close": one request per connection.
#include <string>
#include <string_view>

#include "zzping/metrics/exposition_writer.hpp"
#include "zzping/metrics/http_request.hpp"

namespace zzping::metrics {

inline constexpr std::string_view kMetricsPath = "/metrics";

enum class Route : std::uint8_t { metrics, not_found, method_not_allowed };

// 404 for any other path, 405 for any other method on /metrics.
Route route(const HttpRequest& request);

// The head of a 200 carrying a page of `body_bytes` in `format` (the body is sent after it
// as is, without a copy).
std::string metrics_response_head(TextFormat format, std::size_t body_bytes);
// A short text/plain error (`detail` is the body's first line; no input is echoed raw).
std::string error_response(int status, std::string_view detail);
// The error a Route other than `metrics` answers with.
std::string route_error_response(Route route);

}  // namespace zzping::metrics
