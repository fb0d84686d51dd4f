// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// HostRecord: one host of the window: what is drawn, and what it was read from.
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>

#include "file_loader.hpp"
#include "live_frame_log.hpp"
#include "zzping/common/attribution.hpp"
#include "zzping/common/view/host_timeline.hpp"

namespace zzping::gui {

struct HostRecord {
  std::shared_ptr<view::HostTimeline> timeline;
  std::shared_ptr<const HostFiles> files;  // files and data directory hosts
  std::shared_ptr<LiveFrameLog> live;      // live hosts
  // From the file header or the stream's host list; absent when neither says (zzping 0.2).
  std::optional<attribution::Role> role;
  // Stable while the window reorders its hosts (gateway, isp, internet, then by name):
  // work in flight (a chunk being read, a live link) names the host by id, not by index.
  std::size_t id = next_id();

  static std::size_t next_id() {
    static std::atomic<std::size_t> counter{0};
    return counter++;
  }
};

}  // namespace zzping::gui
