// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/host_resolver.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

namespace zzping::daemon {

// Everything getaddrinfo_a needs alive until it completes.
struct HostResolver::Request {
  std::string name;
  addrinfo hints{};
  gaicb block{};
  gaicb* list[1] = {&block};
};

HostResolver::HostResolver(std::string name, AddressFamily family)
    : name_(std::move(name)), family_(family), literal_(IpAddress::parse(name_)) {
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
