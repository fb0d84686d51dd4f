// SPDX-License-Identifier: GPL-3.0-or-later
// The real zzpingd with the metrics endpoint on 127.0.0.1, pinging 127.0.0.1: scraped with
// curl in both formats, parsed by python3-prometheus-client (check_scrape.py), counters
// consistent and growing between scrapes. Root only (ICMP sockets). Also: a non-loopback
// metrics address without allow_remote is refused before anything starts (any user).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "temp_dir.hpp"
#include "prerequisite.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using zzping::test_support::TempDir;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a shell command, returns its stdout and exit status.
std::pair<std::string, int> run(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {output, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

pid_t spawn_zzpingd(const std::vector<std::string>& arguments, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = {ZZPINGD_PATH};
  args.insert(args.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, ZZPINGD_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("posix_spawn zzpingd failed");
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The port zzpingd logged ("metrics: serving http://127.0.0.1:PORT/metrics"), or 0.
// (No std::regex: GCC 12 warns inside it under the sanitizers.)
int logged_port(const fs::path& log) {
  const std::string text = read_file(log);
  const std::string prefix = "metrics: serving http://127.0.0.1:";
  const auto at = text.find(prefix);
  if (at == std::string::npos) return 0;
  return std::atoi(text.c_str() + at + prefix.size());
}

bool have_tools() {
  return run("command -v curl >/dev/null && /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null").second == 0;
}

struct Scrape {
  std::string json;  // check_scrape.py's summary
  std::string headers;
};

// curl -> file -> check_scrape.py; fails the test if either fails.
Scrape scrape(const fs::path& dir, int port, bool openmetrics, const std::string& name) {
  const fs::path body = dir / (name + ".txt");
  const fs::path headers = dir / (name + ".headers");
  const std::string accept = openmetrics ? "-H 'Accept: application/openmetrics-text; version=1.0.0'" : "";
  const auto [curl_out, curl_status] =
      run("curl -sS --max-time 5 -D " + headers.string() + " " + accept + " -o " + body.string() +
          " http://127.0.0.1:" + std::to_string(port) + "/metrics 2>&1");
  EXPECT_EQ(curl_status, 0) << curl_out;
  const auto [json, status] = run(std::string("/usr/bin/python3 ") + CHECK_SCRAPE_PY + " " +
                                  (openmetrics ? "openmetrics " : "prometheus ") + body.string() + " 2>&1");
  EXPECT_EQ(status, 0) << "parser refused " << body << ":\n" << json << "\n" << read_file(body);
  return {json, read_file(headers)};
}

// A number from check_scrape.py's JSON: "\"key\": 123.0".
double json_number(const std::string& json, const std::string& key) {
  const std::string quoted = "\"" + key + "\": ";
  const auto at = json.find(quoted);
  if (at == std::string::npos) {
    ADD_FAILURE() << key << " missing in " << json;
    return -1;
  }
  return std::strtod(json.c_str() + at + quoted.size(), nullptr);
}

TEST(ZzpingdMetrics, ScrapesParseInBothFormatsAndCountsGrow) {
  ZZPING_REQUIRE(geteuid() == 0, "needs root for ICMP sockets to ping 127.0.0.1");
  ZZPING_REQUIRE(have_tools(), "needs curl and python3-prometheus-client (scripts/install-deps.sh)");
  TempDir dir;
  const fs::path log = dir.path() / "zzpingd.log";
  const pid_t pid = spawn_zzpingd({"--target", "127.0.0.1@100", "--frame-ms", "100", "--timeout-ms", "200",
                                   "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", "--no-console",
                                   "--data-dir", (dir.path() / "data").string()},
                                  log);
  int port = 0;
  for (int i = 0; i < 50 && port == 0; ++i) {
    std::this_thread::sleep_for(100ms);
    port = logged_port(log);
  }
  ASSERT_NE(port, 0) << read_file(log);
  std::this_thread::sleep_for(1500ms);  // some frames are final

  const Scrape first = scrape(dir.path(), port, true, "first");
  EXPECT_NE(first.headers.find("Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8"),
            std::string::npos) << first.headers;
  const double sent1 = json_number(first.json, "zzping_probes_sent");
  const double received1 = json_number(first.json, "zzping_replies_received");
  const double lost1 = json_number(first.json, "zzping_probes_lost");
  EXPECT_GT(sent1, 0);
  EXPECT_GE(sent1, received1);
  EXPECT_EQ(sent1, received1 + lost1);
  EXPECT_EQ(json_number(first.json, "rtt_count"), received1);
  EXPECT_GT(json_number(first.json, "send_errors"), 0);
  EXPECT_GT(json_number(first.json, "process_resident_memory_bytes"), 1e6);
  EXPECT_NE(first.json.find("\"version\": \"" ZZPING_VERSION "\""), std::string::npos) << first.json;

  std::this_thread::sleep_for(1000ms);
  const Scrape second = scrape(dir.path(), port, false, "second");
  EXPECT_NE(second.headers.find("Content-Type: text/plain; version=0.0.4; charset=utf-8"), std::string::npos)
      << second.headers;
  const double sent2 = json_number(second.json, "zzping_probes_sent");
  const double received2 = json_number(second.json, "zzping_replies_received");
  EXPECT_GT(sent2, sent1 + 50);  // 100/s for a second
  EXPECT_GT(received2, received1);
  EXPECT_GE(sent2, received2);
  EXPECT_EQ(json_number(second.json, "rtt_count"), received2);

  const auto [not_found, status] =
      run("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(not_found, "404");

  kill(pid, SIGTERM);
  EXPECT_EQ(wait_exit(pid), 0) << read_file(log);
}

TEST(ZzpingdMetrics, NonLoopbackAddressWithoutOptInIsRefused) {
  TempDir dir;
  const fs::path log = dir.path() / "zzpingd.log";
  const pid_t pid = spawn_zzpingd({"--target", "127.0.0.1", "--listen", "127.0.0.1:0", "--metrics-listen",
                                   "0.0.0.0:0", "--no-console", "--data-dir", (dir.path() / "data").string()},
                                  log);
  EXPECT_NE(wait_exit(pid), 0);
  EXPECT_NE(read_file(log).find("metrics listen address '0.0.0.0:0' is not loopback: set [metrics] allow_remote = "
                                "true to expose it"),
            std::string::npos)
      << read_file(log);
}

}  // namespace
