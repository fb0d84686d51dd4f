// SPDX-License-Identifier: GPL-3.0-or-later
// The request parser and the routing: any split of the input, size limit, malformed and
// unsupported requests, pipelined requests ignored.
#include <gtest/gtest.h>

#include <string>

#include "zzping/metrics/http_request.hpp"
#include "zzping/metrics/http_response.hpp"

namespace {

using zzping::metrics::HttpRequestParser;
using State = HttpRequestParser::State;

constexpr std::string_view kScrape =
    "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9108\r\nUser-Agent: Prometheus/2.45\r\n"
    "Accept: application/openmetrics-text;version=1.0.0\r\nAccept: text/plain;q=0.5\r\n\r\n";

State parse_all(HttpRequestParser& parser, std::string_view text) { return parser.feed(text); }

TEST(HttpRequestParser, ParsesAScrape) {
  HttpRequestParser parser;
  ASSERT_EQ(parse_all(parser, kScrape), State::complete);
  EXPECT_EQ(parser.request().method, "GET");
  EXPECT_EQ(parser.request().path, "/metrics");
  EXPECT_EQ(parser.request().minor_version, 1);
  EXPECT_EQ(parser.request().accept, "application/openmetrics-text;version=1.0.0, text/plain;q=0.5");
}

TEST(HttpRequestParser, AnySplitGivesTheSameRequest) {
  for (std::size_t split = 0; split <= kScrape.size(); ++split) {
    HttpRequestParser parser;
    const State first = parser.feed(kScrape.substr(0, split));
    if (split < kScrape.size()) {
      ASSERT_EQ(first, State::incomplete) << "split at " << split;
      ASSERT_EQ(parser.feed(kScrape.substr(split)), State::complete) << "split at " << split;
    }
    EXPECT_EQ(parser.request().path, "/metrics");
  }
  HttpRequestParser byte_by_byte;
  for (std::size_t i = 0; i + 1 < kScrape.size(); ++i) {
    ASSERT_EQ(byte_by_byte.feed(kScrape.substr(i, 1)), State::incomplete) << "byte " << i;
  }
  EXPECT_EQ(byte_by_byte.feed(kScrape.substr(kScrape.size() - 1)), State::complete);
}

TEST(HttpRequestParser, PipelinedRequestsAndBodiesAreIgnored) {
  HttpRequestParser parser;
  const std::string two = std::string(kScrape) + "POST /other HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(parser.feed(two), State::complete);
  EXPECT_EQ(parser.request().method, "GET");
  EXPECT_EQ(parser.feed("garbage \x01\x02\r\n\r\n"), State::complete);
  EXPECT_EQ(parser.request().path, "/metrics");
}

TEST(HttpRequestParser, LeadingEmptyLinesBareLfQueryAndAbsoluteForm) {
  HttpRequestParser lf;
  ASSERT_EQ(lf.feed("\r\n\nGET /metrics?x=1 HTTP/1.0\n\n"), State::complete);
  EXPECT_EQ(lf.request().path, "/metrics");
  EXPECT_EQ(lf.request().minor_version, 0);  // HTTP/1.0 needs no Host
  HttpRequestParser absolute;
  ASSERT_EQ(absolute.feed("GET http://127.0.0.1:9108/metrics HTTP/1.1\r\nHost: a\r\n\r\n"), State::complete);
  EXPECT_EQ(absolute.request().path, "/metrics");
}

TEST(HttpRequestParser, ALeadingLineOfOnlyCarriageReturnsIsTheRequestLine) {
  HttpRequestParser parser;
  ASSERT_EQ(parser.feed("\r\r\nGET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), State::failed);
  EXPECT_EQ(parser.error().message, "bare CR in a line at byte 0");
}

TEST(HttpRequestParser, OversizedHeadIsRefusedWithoutGrowing) {
  HttpRequestParser parser(1024);
  ASSERT_EQ(parser.feed("GET /metrics HTTP/1.1\r\n"), State::incomplete);
  const std::string filler = "X-Filler: " + std::string(100, 'a') + "\r\n";
  State state = State::incomplete;
  for (int i = 0; i < 100 && state == State::incomplete; ++i) state = parser.feed(filler);
  ASSERT_EQ(state, State::failed);
  EXPECT_EQ(parser.error().status, 431);
  EXPECT_NE(parser.error().message.find("1024 bytes"), std::string::npos);
  EXPECT_EQ(parser.feed(kScrape), State::failed);  // stays failed
}

TEST(HttpRequestParser, AHeadOfExactlyTheLimitIsAccepted) {
  const std::string head = "GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n";
  HttpRequestParser parser(head.size());
  EXPECT_EQ(parser.feed(head), State::complete);
  HttpRequestParser smaller(head.size() - 1);
  EXPECT_EQ(smaller.feed(head), State::failed);
}

struct BadCase {
  const char* request;
  int status;
  const char* message_part;
};

TEST(HttpRequestParser, MalformedRequestsNameTheProblemAndOffset) {
  const BadCase cases[] = {
      {"GET /metrics\r\n\r\n", 400, "request line"},
      {"GET  /metrics HTTP/1.1\r\nHost: a\r\n\r\n", 400, "request line"},
      {"G(T /metrics HTTP/1.1\r\nHost: a\r\n\r\n", 400, "bad method"},
      {"GET metrics HTTP/1.1\r\nHost: a\r\n\r\n", 400, "must be a path"},
      {"GET /metrics HTTP/1.1 x\r\nHost: a\r\n\r\n", 400, "request line"},
      {"GET /metrics HTTQ/1.1\r\nHost: a\r\n\r\n", 400, "bad HTTP version at byte 13"},
      {"GET /metrics HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/1.x"},
      {"GET /metrics HTTP/1.1\r\n\r\n", 400, "without a Host"},
      {"GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "more than one Host header at byte 32"},
      {"GET /metrics HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400, "'Name: value' at byte 32"},
      {"GET /metrics HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400, "folded"},
      {"GET /metrics HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400, "'Name: value'"},
      {"GET /metrics HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400, "control character in header 'Host'"},
      {"GET /met\x7frics HTTP/1.1\r\nHost: a\r\n\r\n", 400, "control character in the request target at byte 4"},
      {"GET /metrics HTTP/1.1\rHost: a\r\n\r\n", 400, "bare CR"},
  };
  for (const BadCase& c : cases) {
    HttpRequestParser parser;
    EXPECT_EQ(parser.feed(c.request), State::failed) << c.request;
    EXPECT_EQ(parser.error().status, c.status) << c.request;
    EXPECT_NE(parser.error().message.find(c.message_part), std::string::npos)
        << c.request << " -> " << parser.error().message;
  }
}

TEST(Routing, OnlyGetMetrics) {
  using zzping::metrics::Route;
  const auto route_of = [](std::string_view text) {
    HttpRequestParser parser;
    EXPECT_EQ(parser.feed(text), State::complete) << text;
    return zzping::metrics::route(parser.request());
  };
  EXPECT_EQ(route_of("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), Route::metrics);
  EXPECT_EQ(route_of("GET /metrics/ HTTP/1.1\r\nHost: a\r\n\r\n"), Route::not_found);
  EXPECT_EQ(route_of("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), Route::not_found);
  EXPECT_EQ(route_of("POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"), Route::method_not_allowed);
  EXPECT_EQ(route_of("HEAD /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), Route::method_not_allowed);
  EXPECT_EQ(route_of("get /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), Route::method_not_allowed);  // methods are case-sensitive
}

TEST(Responses, CloseTheConnectionAndCarryALength) {
  const std::string not_allowed = zzping::metrics::route_error_response(zzping::metrics::Route::method_not_allowed);
  EXPECT_TRUE(not_allowed.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_NE(not_allowed.find("\r\nAllow: GET\r\n"), std::string::npos);
  EXPECT_NE(not_allowed.find("\r\nConnection: close\r\n"), std::string::npos);
  const std::string bad = zzping::metrics::error_response(400, "bad \x01 byte");
  EXPECT_TRUE(bad.ends_with("\r\n\r\nbad ? byte\n"));
  EXPECT_NE(bad.find("Content-Length: 11\r\n"), std::string::npos);
  const std::string head = zzping::metrics::metrics_response_head(zzping::metrics::TextFormat::openmetrics_1_0_0, 42);
  EXPECT_EQ(head, "HTTP/1.1 200 OK\r\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"
                  "Content-Length: 42\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
}

}  // namespace
