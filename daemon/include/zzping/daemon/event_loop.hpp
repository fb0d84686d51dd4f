// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The loop owner: the daemon's io_context (lent to the stream, metrics and alert servers so
// their I/O runs on the same thread), one wake-up timer on the monotonic clock, and the
// signals. SIGHUP asks for a reload; the first SIGINT/SIGTERM asks for a graceful stop, a
// second one for a stop at once; what each means is the owner of the handlers' business.
// run() returns once stop() was called.
#include <cstdint>
#include <functional>
#include <memory>

namespace asio { class io_context; }

namespace zzping::daemon {

class EventLoop {
 public:
  struct Handlers {
    std::function<void()> on_wake;      // the wake-up asked with wake_at
    std::function<void()> on_reload;    // SIGHUP
    std::function<void()> on_stop;      // the first SIGINT / SIGTERM
    std::function<void()> on_stop_now;  // any later SIGINT / SIGTERM
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  asio::io_context& context();
  // Replaces any earlier wake-up: on_wake runs once at `monotonic_ns` (or at once if past).
  void wake_at(std::int64_t monotonic_ns);
  // Listens for the signals and runs the context's handlers on this thread until stop().
  void run(Handlers handlers);
  // Stops listening for signals and waking, and makes run() return.
  void stop();
  bool stop_requested() const { return stop_requested_; }

 private:
  void wait_for_signal();
  void on_signal(int number);

  struct Parts;
  std::unique_ptr<Parts> parts_;
  Handlers handlers_;
  bool stop_requested_ = false;
};

}  // namespace zzping::daemon
