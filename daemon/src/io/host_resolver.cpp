// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_resolver.hpp"

#include <net/if.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

namespace zzping::daemon {

std::optional<IpAddress> parse_address_literal(const std::string& text) {
  const auto percent = text.find('%');
  if (percent == std::string::npos) return IpAddress::parse(text);
  auto address = IpAddress::parse(std::string_view(text).substr(0, percent));
  const std::string scope = text.substr(percent + 1);
  if (!address || !address->is_link_local_v6() || scope.empty()) return std::nullopt;
  const bool numeric = scope.find_first_not_of("0123456789") == std::string::npos;
  address->scope_id = numeric ? static_cast<std::uint32_t>(std::stoul(scope.substr(0, 9))) : if_nametoindex(scope.c_str());
  if (address->scope_id == 0) return std::nullopt;
  return address;
}

// Everything getaddrinfo_a needs alive until it completes.
struct HostResolver::Request {
  std::string name;
  addrinfo hints{};
  gaicb block{};
  gaicb* list[1] = {&block};
};

HostResolver::HostResolver(std::string name, AddressFamily family)
    : name_(std::move(name)), family_(family), literal_(parse_address_literal(name_)) {
  if (literal_ && family_ != AddressFamily::any &&
      (literal_->family == Family::v4) != (family_ == AddressFamily::v4)) {
    literal_.reset();  // a literal of the wrong family: let getaddrinfo report it
  }
}

HostResolver::~HostResolver() {
  if (request_ == nullptr) return;
  if (gai_cancel(&request_->block) == EAI_CANCELED || gai_error(&request_->block) != EAI_INPROGRESS) {
    if (request_->block.ar_result != nullptr) freeaddrinfo(request_->block.ar_result);
    delete request_;
  }
  // Otherwise glibc still owns the request; it is left to it (a one-off, bounded leak on
  // reload of a host whose lookup hangs) rather than blocking the loop until it ends.
}

void HostResolver::start() {
  if (literal_) {
    literal_pending_ = true;
    return;
  }
  if (request_ != nullptr) return;
  auto request = std::make_unique<Request>();
  request->name = name_;
  request->hints.ai_family = family_ == AddressFamily::v4   ? AF_INET
                             : family_ == AddressFamily::v6 ? AF_INET6
                                                            : AF_UNSPEC;
  request->hints.ai_socktype = SOCK_RAW;
  request->block.ar_name = request->name.c_str();
  request->block.ar_request = &request->hints;
  if (getaddrinfo_a(GAI_NOWAIT, request->list, 1, nullptr) != 0) return;  // poll() reports nothing; retried
  request_ = request.release();
}

std::optional<ResolveResult> HostResolver::poll() {
  if (literal_pending_) {
    literal_pending_ = false;
    return ResolveResult{literal_, {}};
  }
  if (request_ == nullptr) return std::nullopt;
  const int status = gai_error(&request_->block);
  if (status == EAI_INPROGRESS) return std::nullopt;
  ResolveResult result;
  if (status != 0) {
    result.error = gai_strerror(status);
  } else {
    for (addrinfo* info = request_->block.ar_result; info != nullptr; info = info->ai_next) {
      if (auto address = IpAddress::from_sockaddr(info->ai_addr)) {
        result.address = address;
        break;
      }
    }
    if (!result.address) result.error = "no IPv4/IPv6 address";
  }
  if (request_->block.ar_result != nullptr) freeaddrinfo(request_->block.ar_result);
  delete request_;
  request_ = nullptr;
  return result;
}

}  // namespace zzping::daemon
