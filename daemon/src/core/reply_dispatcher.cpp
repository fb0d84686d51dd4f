// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/reply_dispatcher.hpp"

namespace zzping::daemon {

ReplyDispatcher::Outcome ReplyDispatcher::dispatch(const ReceivedReply& reply) {
  const auto found = hosts_.find(reply.cookie);
  if (found == hosts_.end()) {
    if (const auto trace = traces_.find(reply.cookie); trace != traces_.end()) return dispatch_trace(trace->second, reply);
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

ReplyDispatcher::Outcome ReplyDispatcher::dispatch_trace(const TraceDestination& trace, const ReceivedReply& reply) {
  using Answer = PathTracer::Answer;
  Answer answer = Answer::time_exceeded;
  switch (reply.kind) {
    case IcmpKind::time_exceeded: answer = Answer::time_exceeded; break;
    case IcmpKind::dest_unreachable: answer = Answer::unreachable; break;
    case IcmpKind::echo_reply:
      if (!*trace.address || reply.source != **trace.address) {
        ++counts_.wrong_source;
        return Outcome::wrong_source;
      }
      answer = Answer::echo_reply;
      break;
  }
  trace.tracer->on_answer(answer, reply.counter, reply.source.to_string(), reply.receive_mono_ns);
  ++counts_.trace;
  return Outcome::trace;
}

}  // namespace zzping::daemon
