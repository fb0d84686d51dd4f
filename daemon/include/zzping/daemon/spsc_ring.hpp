// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Bounded single-producer/single-consumer ring: the reply receiver pushes replies, the
// loop pops them (both on the loop thread now; the ring stays safe across two threads). Lock-free, no allocation after construction; a full ring refuses
// the push (the caller counts the drop) so memory stays bounded.
#include <atomic>
#include <cstddef>
#include <new>
#include <optional>
#include <stdexcept>
#include <vector>

namespace zzping::daemon {

template <typename T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity_pow2) : slots_(capacity_pow2), mask_(capacity_pow2 - 1) {
    if (capacity_pow2 < 2 || (capacity_pow2 & mask_) != 0) {
      throw std::invalid_argument("SpscRing capacity must be a power of two >= 2");
    }
  }

  // Producer side.
  bool try_push(const T& value) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_cache_ > mask_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head - tail_cache_ > mask_) return false;
    }
    slots_[head & mask_] = value;
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // Consumer side.
  std::optional<T> try_pop() {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_cache_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail == head_cache_) return std::nullopt;
    }
    T value = slots_[tail & mask_];
    tail_.store(tail + 1, std::memory_order_release);
    return value;
  }

  // Approximate fill level (either side).
  std::size_t size_approx() const {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }
  std::size_t capacity() const { return mask_ + 1; }

 private:
  static constexpr std::size_t kLine = 64;  // keep producer and consumer indices apart
  std::vector<T> slots_;
  std::size_t mask_;
  alignas(kLine) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;  // producer's view of tail
  alignas(kLine) std::atomic<std::size_t> tail_{0};
  std::size_t head_cache_ = 0;  // consumer's view of head
};

}  // namespace zzping::daemon
