// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The test network with real routers of tests/netns/topology.sh, as a C++ fixture:
//   pinger -- r1 ("gateway") -- r2 ("ISP") -- targets t1..tN (r3: another way to them)
// Namespaces are named <name_prefix>-<pid>-<n>-* (pt-... by default); create() first deletes
// those of test processes that died, the destructor deletes this one's. Addresses: see topology.sh (address("r1"), ...).
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zzping::testing {

class RouterNetwork {
 public:
  struct Options {
    int targets = 2;
    bool default_icmp_ratelimit = false;  // keep the kernel's (else 0 in the routers)
    std::string name_prefix = "pt";        // namespaces <name_prefix>-<pid>-<n>-*
  };
  // nullopt with the reason in `why_not` when it cannot be built (not root, no ip).
  static std::optional<RouterNetwork> create(const Options& options, std::string& why_not);
  RouterNetwork(RouterNetwork&& other) noexcept;
  RouterNetwork& operator=(RouterNetwork&&) = delete;
  RouterNetwork(const RouterNetwork&) = delete;
  ~RouterNetwork();

  // The namespace of a node: "p", "r1", "r2", "r3", "t1", ...
  std::string ns(const std::string& node) const { return prefix_ + "-" + node; }
  // An address printed by topology.sh up: "r1", "t1", "t1_v6", ...
  const std::string& address(const std::string& key) const { return addresses_.at(key); }
  // topology.sh VERB PREFIX ARGS... (blackhole, reroute, link); true if it succeeded.
  bool topology(const std::string& verb, const std::vector<std::string>& args) const;

 private:
  RouterNetwork() = default;
  std::string prefix_;
  std::map<std::string, std::string> addresses_;
  bool owned_ = false;
};

}  // namespace zzping::testing
