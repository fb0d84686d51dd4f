// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Resolves one host name without blocking the loop: literal addresses at once, names with
// glibc's getaddrinfo_a (the lookup runs on glibc's transient helper thread; the loop only
// polls for the result). A failed lookup is reported, never thrown: the caller retries.
#include <memory>
#include <optional>
#include <string>

#include "zzping/daemon/config.hpp"
#include "zzping/daemon/ip_address.hpp"

struct gaicb;

namespace zzping::daemon {

struct ResolveResult {
  std::optional<IpAddress> address;
  std::string error;  // set when address is empty
};

// A literal address, with an optional "%scope" for IPv6 link-local ones ("fe80::1%wlan0"
// or "fe80::1%3": the interface name is looked up now); nullopt if it is not a literal
// (or names an interface that does not exist).
std::optional<IpAddress> parse_address_literal(const std::string& text);

class HostResolver {
 public:
  HostResolver(std::string name, AddressFamily family);
  HostResolver(const HostResolver&) = delete;
  HostResolver& operator=(const HostResolver&) = delete;
  ~HostResolver();

  // A literal address never needs (re-)resolving.
  bool is_literal() const { return literal_.has_value(); }
  // Starts a lookup unless one is running; literals complete immediately.
  void start();
  bool running() const { return request_ != nullptr; }
  // The result once the lookup is done (then it is no longer running), else nullopt.
  std::optional<ResolveResult> poll();

 private:
  struct Request;
  std::string name_;
  AddressFamily family_;
  std::optional<IpAddress> literal_;
  bool literal_pending_ = false;
  Request* request_ = nullptr;
};

}  // namespace zzping::daemon
