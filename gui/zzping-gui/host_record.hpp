// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// HostRecord: one host of the window: what is drawn, and what it was read from.
#include <memory>

#include "file_loader.hpp"
#include "live_frame_log.hpp"
#include "zzping/common/view/host_timeline.hpp"

namespace zzping::gui {

struct HostRecord {
  std::shared_ptr<view::HostTimeline> timeline;
  std::shared_ptr<const HostFiles> files;  // files and data directory hosts
  std::shared_ptr<LiveFrameLog> live;      // live hosts
};

}  // namespace zzping::gui
