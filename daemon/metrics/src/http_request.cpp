// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/metrics/http_request.hpp"

#include "http_text.hpp"

namespace zzping::metrics {
namespace {

using http_text::equals_ignoring_case;
using http_text::trim_whitespace;

// RFC 9110 token characters (methods, header names).
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// Field values: visible characters, spaces, tabs and obs-text (bytes >= 0x80).
bool is_field_value(std::string_view text) {
  for (const char c : text) {
    if (is_control(c) && c != '\t') return false;
  }
  return true;
}

// "http://host:port/path?q" -> "/path?q"; origin-form is returned unchanged.
std::string_view origin_form(std::string_view target) {
  const auto scheme_end = target.find("://");
  if (target.starts_with('/') || scheme_end == std::string_view::npos) return target;
  const auto path = target.find('/', scheme_end + 3);
  return path == std::string_view::npos ? std::string_view("/") : target.substr(path);
}

std::string at(std::size_t offset) { return " at byte " + std::to_string(offset); }

}  // namespace

HttpRequestParser::State HttpRequestParser::feed(std::string_view bytes) {
  if (state_ != State::incomplete) return state_;
  // Never hold more than the limit (plus nothing): a longer head is refused anyway.
  const std::size_t room = max_head_bytes_ - buffer_.size();
  buffer_.append(bytes.substr(0, room));
  if (find_end_of_head()) {
    parse_head();
  } else if (buffer_.size() >= max_head_bytes_) {
    fail(431, "request head larger than " + std::to_string(max_head_bytes_) + " bytes");
  }
  return state_;
}

// Scans the lines received since the last call; the head ends with an empty line. Empty
// lines before the request line are skipped (RFC 9112 2.2).
bool HttpRequestParser::find_end_of_head() {
  for (;;) {
    const auto newline = buffer_.find('\n', line_start_);
    if (newline == std::string::npos) return false;
    std::string_view line(buffer_.data() + line_start_, newline - line_start_);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty() && !seen_request_line_) {
      seen_request_line_ = true;
      request_line_start_ = line_start_;
    }
    line_start_ = newline + 1;
    if (line.empty() && seen_request_line_) {
      head_end_ = line_start_;
      return true;
    }
  }
}

void HttpRequestParser::parse_head() {
  std::size_t offset = request_line_start_;
  bool first = true;
  while (offset < head_end_) {
    const std::size_t newline = buffer_.find('\n', offset);
    std::string_view line(buffer_.data() + offset, newline - offset);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) break;  // the end of the head
    if (line.find('\r') != std::string_view::npos) return fail(400, "bare CR in a line" + at(offset));
    const bool ok = first ? parse_request_line(line, offset) : parse_header(line, offset);
    if (!ok) return;
    first = false;
    offset = newline + 1;
  }
  if (request_.minor_version >= 1 && !has_host_) return fail(400, "HTTP/1.1 request without a Host header");
  state_ = State::complete;
}

bool HttpRequestParser::parse_request_line(std::string_view line, std::size_t offset) {
  const auto first_space = line.find(' ');
  const auto second_space = first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos || line.find(' ', second_space + 1) != std::string_view::npos) {
    fail(400, "request line is not 'METHOD TARGET VERSION'" + at(offset));
    return false;
  }
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = line.substr(second_space + 1);
  if (!is_token(method)) {
    fail(400, "bad method" + at(offset));
    return false;
  }
  for (const char c : target) {
    if (is_control(c)) {
      fail(400, "control character in the request target" + at(offset + first_space + 1));
      return false;
    }
  }
  const std::string_view path = origin_form(target);
  if (!path.starts_with('/')) {
    fail(400, "request target must be a path" + at(offset + first_space + 1));
    return false;
  }
  if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    fail(400, "bad HTTP version" + at(offset + second_space + 1));
    return false;
  }
  if (version[5] != '1') {
    fail(505, "only HTTP/1.x is served" + at(offset + second_space + 1));
    return false;
  }
  request_.method = method;
  request_.path = path.substr(0, path.find('?'));
  request_.minor_version = version[7] - '0';
  return true;
}

bool HttpRequestParser::parse_header(std::string_view line, std::size_t offset) {
  if (line.front() == ' ' || line.front() == '\t') {
    fail(400, "folded header line" + at(offset));
    return false;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    fail(400, "header line is not 'Name: value'" + at(offset));
    return false;
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = trim_whitespace(line.substr(colon + 1));
  if (!is_field_value(value)) {
    fail(400, "control character in header '" + std::string(name) + "'" + at(offset));
    return false;
  }
  if (equals_ignoring_case(name, "host")) {
    if (has_host_) {
      fail(400, "more than one Host header" + at(offset));
      return false;
    }
    has_host_ = true;
  } else if (equals_ignoring_case(name, "accept")) {
    if (!request_.accept.empty()) request_.accept += ", ";
    request_.accept += value;
  }
  return true;
}

void HttpRequestParser::fail(int status, std::string message) {
  state_ = State::failed;
  error_ = HttpError{status, std::move(message)};
}

}  // namespace zzping::metrics
