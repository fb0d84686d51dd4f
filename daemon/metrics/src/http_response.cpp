// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/http_response.hpp"

namespace zzping::metrics {
namespace {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string head(int status, std::string_view content_type, std::size_t content_length,
                 std::string_view extra_headers = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
  out += "Content-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(content_length) + "\r\n";
  out += extra_headers;
  out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
  return out;
}

// Keeps printable ASCII only, so an error body never carries raw request bytes.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

Route route(const HttpRequest& request) {
  if (request.path != kMetricsPath) return Route::not_found;
  if (request.method != "GET") return Route::method_not_allowed;
  return Route::metrics;
}

std::string metrics_response_head(TextFormat format, std::size_t body_bytes) {
  return head(200, content_type(format), body_bytes);
}

std::string error_response(int status, std::string_view detail) {
  const std::string body = printable(detail) + "\n";
  const std::string_view allow = status == 405 ? "Allow: GET\r\n" : "";
  return head(status, "text/plain; charset=utf-8", body.size(), allow) + body;
}

std::string route_error_response(Route which) {
  switch (which) {
    case Route::not_found: return error_response(404, "not found: only /metrics is served");
    case Route::method_not_allowed: return error_response(405, "method not allowed: use GET");
    case Route::metrics: break;
  }
  return error_response(500, "internal error");
}

}  // namespace zzping::metrics
