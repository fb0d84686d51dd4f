// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The request side of the /metrics endpoint: an incremental parser for one HTTP/1.x
// request head (request line + headers), bounded in size. Bytes after the head (a body, a
// pipelined second request) are never looked at: the server answers once and closes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zzping::metrics {

struct HttpRequest {
  std::string method;
  std::string path;    // request target without query (absolute-form reduced to its path)
  int minor_version = 1;  // HTTP/1.minor
  std::string accept;  // every Accept header, joined with ", "
};

struct HttpError {
  int status = 400;     // 400, 431 (head too large) or 505 (not HTTP/1.x)
  std::string message;  // what was wrong and at which byte of the request
};

class HttpRequestParser {
 public:
  enum class State : std::uint8_t { incomplete, complete, failed };
  static constexpr std::size_t kDefaultMaxHeadBytes = 8 * 1024;

  explicit HttpRequestParser(std::size_t max_head_bytes = kDefaultMaxHeadBytes) : max_head_bytes_(max_head_bytes) {}

  // Takes the next received bytes (any split). Once complete or failed, the state stays.
  State feed(std::string_view bytes);
  State state() const { return state_; }
  const HttpRequest& request() const { return request_; }  // valid when complete
  const HttpError& error() const { return error_; }        // valid when failed

 private:
  bool find_end_of_head();
  void parse_head();
  bool parse_request_line(std::string_view line, std::size_t offset);
  bool parse_header(std::string_view line, std::size_t offset);
  void fail(int status, std::string message);

  std::size_t max_head_bytes_;
  std::string buffer_;
  std::size_t line_start_ = 0;  // start of the line not yet scanned for its end
  std::size_t head_end_ = 0;
  bool seen_request_line_ = false;
  std::size_t request_line_start_ = 0;
  bool has_host_ = false;
  State state_ = State::incomplete;
  HttpRequest request_;
  HttpError error_;
};

}  // namespace zzping::metrics
