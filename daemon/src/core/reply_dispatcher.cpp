// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reply_dispatcher.hpp"

namespace zzping::daemon {

ReplyDispatcher::Outcome ReplyDispatcher::dispatch(const ReceivedReply& reply) {
  const auto found = hosts_.find(reply.cookie);
  if (found == hosts_.end()) {
    ++counts_.unknown_cookie;
    return Outcome::unknown_cookie;
  }
  const Destination& host = found->second;
  // An ICMP error comes from a router on the way, not from the host: its source is not
  // checked (the token it quotes is).
  if (reply.kind != IcmpKind::echo_reply) {
    host.aggregator->on_icmp_error(reply.counter);
    ++counts_.icmp_errors;
    return Outcome::icmp_error;
  }
  if (!*host.address || reply.source != **host.address) {
    ++counts_.wrong_source;
    return Outcome::wrong_source;
  }
  if (host.aggregator->on_reply(reply.counter, reply.receive_mono_ns) == ReplyVerdict::unknown) {
    ++counts_.unknown_token;
    return Outcome::unknown_token;
  }
  ++counts_.replies;
  return Outcome::reply;
}

}  // namespace zzping::daemon
