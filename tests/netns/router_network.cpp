// SPDX-License-Identifier: GPL-3.0-or-later
#include "router_network.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "child_process.hpp"
#include "test_network.hpp"

namespace zzping::testing {
namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace

std::optional<RouterNetwork> RouterNetwork::create(const Options& options, std::string& why_not) {
  if (!can_create_namespaces(why_not)) return std::nullopt;
  remove_stale_namespaces(options.name_prefix + "-");
  static std::atomic<int> counter{0};
  RouterNetwork net;
  net.prefix_ = options.name_prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  net.owned_ = true;  // from here on the destructor cleans up, also after a half-built network
  std::string command = std::string(options.default_icmp_ratelimit ? "ZZPING_TOPOLOGY_RATELIMIT=default " : "") +
                        "bash " + shell_quote(TOPOLOGY_SCRIPT) + " up " + shell_quote(net.prefix_) + " " +
                        std::to_string(options.targets) + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    why_not = "cannot run topology.sh";
    return std::nullopt;
  }
  std::string output;
  char line[256];
  while (std::fgets(line, sizeof(line), pipe) != nullptr) {
    std::string text(line);
    output += text;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    const auto equals = text.find('=');
    if (equals != std::string::npos) net.addresses_[text.substr(0, equals)] = text.substr(equals + 1);
  }
  if (pclose(pipe) != 0) {
    why_not = "topology.sh up failed: " + output;
    return std::nullopt;
  }
  // Kernel echo answers in the routers: r2 and r3 (and the target links behind them) are
  // reachable through r1 before any test starts.
  for (const char* key : {"r1", "r2", "r3", "r1_v6", "r2_v6", "r3_v6"}) {
    std::string why;
    if (!echo_in_namespace(net.ns("p"), net.address(key), std::chrono::seconds(5), why)) {
      why_not = "the router network did not become reachable: " + why;
      return std::nullopt;
    }
  }
  return net;
}

RouterNetwork::RouterNetwork(RouterNetwork&& other) noexcept
    : prefix_(std::move(other.prefix_)), addresses_(std::move(other.addresses_)), owned_(other.owned_) {
  other.owned_ = false;
}

RouterNetwork::~RouterNetwork() {
  if (owned_) run_command({"bash", TOPOLOGY_SCRIPT, "down", prefix_});
}

bool RouterNetwork::topology(const std::string& verb, const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"bash", TOPOLOGY_SCRIPT, verb, prefix_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv) == 0;
}

}  // namespace zzping::testing
