// SPDX-License-Identifier: GPL-3.0-or-later
// The /metrics request parser fed arbitrary bytes, in chunks whose size the first byte
// picks: it must end in complete or failed (or wait for more) without crashing, and the
// split must not matter (the same input in one piece gives the same result). Whatever it
// produced is routed and answered as the server would.
#include <cstdint>
#include <string>
#include <string_view>

#include "zzping/metrics/exposition_writer.hpp"
#include "zzping/metrics/http_request.hpp"
#include "zzping/metrics/http_response.hpp"

namespace {

using zzping::metrics::HttpRequestParser;

// Small limit: the fuzzer reaches "too large" with short inputs too.
constexpr std::size_t kMaxHeadBytes = 512;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

std::string answer(const HttpRequestParser& parser) {
  using namespace zzping::metrics;
  if (parser.state() == HttpRequestParser::State::failed) {
    return error_response(parser.error().status, parser.error().message);
  }
  const Route which = route(parser.request());
  if (which != Route::metrics) return route_error_response(which);
  return metrics_response_head(negotiate_format(parser.request().accept), 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 32;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  HttpRequestParser chunked(kMaxHeadBytes);
  for (std::size_t at = 0; at < input.size() && chunked.state() == HttpRequestParser::State::incomplete; at += chunk) {
    chunked.feed(input.substr(at, chunk));
  }
  HttpRequestParser whole(kMaxHeadBytes);
  whole.feed(input);

  check(chunked.state() == whole.state());
  if (whole.state() == HttpRequestParser::State::complete) {
    check(chunked.request().method == whole.request().method);
    check(chunked.request().path == whole.request().path);
    check(chunked.request().accept == whole.request().accept);
    check(whole.request().path.starts_with('/'));
  } else if (whole.state() == HttpRequestParser::State::failed) {
    check(chunked.error().status == whole.error().status);
    check(chunked.error().message == whole.error().message);
  } else {
    check(input.size() < kMaxHeadBytes);
  }
  if (whole.state() != HttpRequestParser::State::incomplete) {
    const std::string response = answer(whole);
    check(response.starts_with("HTTP/1.1 ") && response.find("\r\nConnection: close\r\n") != std::string::npos);
  }
  return 0;
}
