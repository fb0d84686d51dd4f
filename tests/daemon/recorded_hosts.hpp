// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A HostTable whose sinks are one RecordingSink (fake_sink.hpp), with the dispatcher and
// fan-out it keeps in step: the common base of the tests of the loop's pieces (no sockets).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fake_sink.hpp"
#include "zzping/daemon/config.hpp"
#include "zzping/daemon/host_table.hpp"
#include "zzping/daemon/reply_dispatcher.hpp"
#include "zzping/daemon/sink_fanout.hpp"

namespace zzping::daemon {

struct RecordedHosts {
  explicit RecordedHosts(std::uint64_t first_cookie = 1) : next_cookie(first_cookie) {
    fanout.add_sink(std::make_unique<RecordingSink>(calls));
  }
  DaemonConfig config;
  std::vector<std::string> calls;  // every sink call, in order
  ReplyDispatcher dispatcher;
  SinkFanout fanout{AttributionSettings{100, 1000}};
  std::uint64_t next_cookie;
  HostTable hosts{config, dispatcher, fanout, [this] { return next_cookie++; }};
};

}  // namespace zzping::daemon
