// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/event_loop.hpp"

#include <asio.hpp>
#include <chrono>
#include <csignal>

namespace zzping::daemon {

struct EventLoop::Parts {
  asio::io_context io;
  asio::steady_timer timer{io};
  asio::signal_set signals{io, SIGINT, SIGTERM, SIGHUP};
};

EventLoop::EventLoop() : parts_(std::make_unique<Parts>()) {}

EventLoop::~EventLoop() = default;

asio::io_context& EventLoop::context() { return parts_->io; }

void EventLoop::wake_at(std::int64_t monotonic_ns) {
  // steady_clock is CLOCK_MONOTONIC on Linux, the clock of monotonic_ns().
  parts_->timer.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(monotonic_ns)));
  parts_->timer.async_wait([this](const std::error_code& error) {
    if (!error) handlers_.on_wake();
  });
}

void EventLoop::run(Handlers handlers) {
  handlers_ = std::move(handlers);
  wait_for_signal();
  parts_->io.run();
}

void EventLoop::stop() {
  parts_->timer.cancel();
  parts_->signals.cancel();
  parts_->io.stop();
}

void EventLoop::wait_for_signal() {
  parts_->signals.async_wait([this](const std::error_code& error, int number) {
    if (!error) on_signal(number);
  });
}

void EventLoop::on_signal(int number) {
  wait_for_signal();  // first: a handler may stop the loop, which cancels this wait
  if (number == SIGHUP) {
    handlers_.on_reload();
  } else if (stop_requested_) {
    handlers_.on_stop_now();
  } else {
    stop_requested_ = true;
    handlers_.on_stop();
  }
}

}  // namespace zzping::daemon
