// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// realtime_priority: SCHED_FIFO for the calling thread only (the loop; the receive thread
// and the sinks' threads keep the normal class, and SCHED_RESET_ON_FORK keeps children
// out of it). Under CPU contention a normal thread's wake-ups come milliseconds late, a
// SCHED_FIFO one's stay within the timer latency.
#include <cstdint>

namespace zzping::daemon {

// 0: nothing. Refused (no CAP_SYS_NICE): a warning, and the thread goes on as it was.
void enter_realtime(std::uint32_t priority);

}  // namespace zzping::daemon
