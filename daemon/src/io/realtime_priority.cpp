// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/realtime_priority.hpp"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

namespace zzping::daemon {

void enter_realtime(std::uint32_t priority) {
  if (priority == 0) return;
  sched_param parameter{};
  parameter.sched_priority = static_cast<int>(priority);
  if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &parameter) != 0) {
    spdlog::warn("realtime_priority = {}: SCHED_FIFO refused ({}; needs CAP_SYS_NICE); going on with normal scheduling",
                 priority, std::strerror(errno));
    return;
  }
  spdlog::info("loop thread: SCHED_FIFO priority {}", priority);
}

}  // namespace zzping::daemon
