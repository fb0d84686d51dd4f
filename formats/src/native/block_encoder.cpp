// SPDX-License-Identifier: GPL-3.0-or-later
// Frame block encoder: picks the block's coding options, then writes the bitstream that
// docs/formats.md ("Frame block") specifies and block_decoder.cpp reads.
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "native/bit_stream.hpp"
#include "native/block_format.hpp"
#include "zzping/formats/native/block_codec.hpp"

namespace zzping::native {
namespace {

using namespace block;

// Times within 2^58 ms (9 million years) of the epoch keep every difference codable.
constexpr std::int64_t kMaxAbsTimeMs = std::int64_t{1} << 58;
// The decoder bounds recv - samples to +-2^40, so a frame holds at most this many samples.
constexpr std::uint64_t kMaxSamplesPerFrame = std::uint64_t{1} << 40;
// A histogram with more samples than this per frame is coded as bins whatever its shape.
constexpr std::uint64_t kMaxSampleListLength = 1u << 20;

// What the encoder derives from each frame once, whatever the options tried.
struct FrameFacts {
  std::array<std::int64_t, kFieldCount> field{};  // kSent holds sent - recv - lost here
  std::int64_t sent = 0;
  std::uint64_t samples = 0;
};

class BlockEncoder {
 public:
  BlockEncoder(std::span<const Frame> frames, const BlockContext& ctx)
      : frames_(frames), ctx_(ctx), defaults_(default_k(ctx.precision)) {
    validate();
    derive_facts();
  }

  // Writes the block with the options that give the fewest bytes among the plausible ones.
  void encode_best(std::vector<std::uint8_t>& out) {
    Flags flags = choose_counter_flags();
    std::vector<Flags> candidates;
    const double ratio = samples_per_bin();
    if (ratio <= 4.0 && max_samples_ <= kMaxSampleListLength) {
      Flags samples = flags;
      candidates.push_back(samples);
      if (carry_worth_trying()) {
        samples.carry = true;
        candidates.push_back(samples);
      }
    }
    if (ratio > 1.25 || candidates.empty()) {
      Flags bins = flags;
      bins.hist_bins = true;
      candidates.push_back(bins);
    }
    if (candidates.size() == 1) return encode(candidates[0], out);
    std::vector<std::uint8_t> best;
    std::vector<std::uint8_t> trial;
    for (const Flags& f : candidates) {
      trial.clear();
      encode(f, trial);
      if (best.empty() || trial.size() < best.size()) best.swap(trial);
    }
    out.insert(out.end(), best.begin(), best.end());
  }

 private:
  void validate() const {
    if (frames_.empty()) throw std::invalid_argument("a frame block needs at least one frame");
    if (frames_.size() > kMaxFramesPerBlock) {
      throw std::invalid_argument("a frame block holds at most " +
                                  std::to_string(kMaxFramesPerBlock) + " frames");
    }
    if (ctx_.base_ms < -kMaxAbsTimeMs || ctx_.base_ms > kMaxAbsTimeMs) {
      throw std::invalid_argument("block base time out of range");
    }
    for (const Frame& f : frames_) {
      if (!(f.rtt.quantiser().precision() == ctx_.precision)) {
        throw std::invalid_argument("frame histogram precision " +
                                    std::to_string(f.rtt.quantiser().precision()) +
                                    " differs from the block's " + std::to_string(ctx_.precision));
      }
      if (f.t_ms < -kMaxAbsTimeMs || f.t_ms > kMaxAbsTimeMs) {
        throw std::invalid_argument("frame time out of range: " + std::to_string(f.t_ms));
      }
      if (f.rtt.count() > kMaxSamplesPerFrame) {
        throw std::invalid_argument("more than 2^40 RTT samples in one frame");
      }
    }
  }

  void derive_facts() {
    facts_.resize(frames_.size());
    std::int64_t prev_end = frames_[0].t_ms;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      FrameFacts& x = facts_[i];
      x.samples = f.rtt.count();
      x.field[kInflight] = f.inflight;
      x.field[kLost] = f.lost;
      x.field[kGap] = f.t_ms - prev_end;
      x.field[kLength] = f.length_ms;
      x.field[kSent] = static_cast<std::int64_t>(f.sent) - f.recv - f.lost;
      x.field[kRecvExtra] = static_cast<std::int64_t>(f.recv) - static_cast<std::int64_t>(x.samples);
      x.field[kDup] = f.dup;
      x.field[kLate] = f.late;
      x.field[kIcmp] = f.icmp_errors;
      x.sent = f.sent;
      prev_end = f.t_ms + f.length_ms;
      total_samples_ += x.samples;
      total_bins_ += f.rtt.bins().size();
      max_samples_ = std::max(max_samples_, x.samples);
    }
  }

  double samples_per_bin() const {
    return total_bins_ == 0 ? 1.0
                            : static_cast<double>(total_samples_) / static_cast<double>(total_bins_);
  }

  // Carry costs a bit per candidate and saves a key code (4-5 bits) per carried sample:
  // worth encoding a second time only when consecutive frames share many samples (zzping
  // 0.2's overlapping windows), not just a few keys by chance.
  bool carry_worth_trying() const {
    std::uint64_t shared_total = 0;
    std::uint64_t candidates_total = 0;
    std::uint64_t shared_prev = 0;
    for (std::size_t i = 1; i < frames_.size(); ++i) {
      const auto a = frames_[i - 1].rtt.bins();
      const auto b = frames_[i].rtt.bins();
      std::uint64_t shared = 0;
      std::size_t x = 0;
      for (const auto& bin : b) {
        while (x < a.size() && a[x].key < bin.key) ++x;
        if (x < a.size() && a[x].key == bin.key) shared += std::min(a[x].count, bin.count);
      }
      candidates_total += facts_[i - 1].samples - std::min(shared_prev, facts_[i - 1].samples);
      shared_total += shared;
      shared_prev = shared;
    }
    return shared_total * 3 > candidates_total;
  }

  // Time mode and sent mode: whichever makes fewer exceptions.
  Flags choose_counter_flags() const {
    Flags flags;
    std::size_t irregular = 0;
    bool negative = false;
    for (std::size_t i = 1; i < facts_.size(); ++i) {
      irregular += facts_[i].field[kGap] != 0;
      negative |= facts_[i].field[kGap] < 0;
    }
    flags.time_jitter = irregular * 8 > facts_.size();
    flags.time_signed = flags.time_jitter && negative;
    std::size_t derived_changes = 0;
    std::size_t explicit_changes = 0;
    std::int64_t prev_derived = 0;
    std::int64_t prev_explicit = 0;
    for (const FrameFacts& x : facts_) {
      derived_changes += x.field[kSent] != prev_derived;
      explicit_changes += x.sent != prev_explicit;
      prev_derived = x.field[kSent];
      prev_explicit = x.sent;
    }
    flags.sent_explicit = explicit_changes < derived_changes;
    return flags;
  }

  std::int64_t field_value(const Flags& flags, std::size_t i, unsigned field) const {
    if (field == kSent && flags.sent_explicit) return facts_[i].sent;
    return facts_[i].field[field];
  }

  // Two passes over the same traversal: the first collects the Rice-coded values of each
  // context to choose its parameter, the second writes the bits.
  void encode(const Flags& flags, std::vector<std::uint8_t>& out) {
    ValueCollector collector;
    traverse(flags, collector);
    const std::array<unsigned, kContextCount> k = choose_parameters(flags, collector);
    bits::Writer w(out);
    write_header(flags, w);
    for (unsigned c = 0; c < kContextCount; ++c) {
      if (!context_present(c, flags)) continue;
      w.exp_golomb(bits::zigzag(static_cast<std::int64_t>(k[c]) - defaults_[c]), 0);
    }
    BitSink sink{w, k};
    traverse(flags, sink);
    w.finish();
  }

  // Pass one: every Rice-coded value, by context.
  struct ValueCollector {
    std::array<std::vector<std::uint64_t>, kContextCount> values;
    void rice(unsigned c, std::uint64_t v) { values[c].push_back(v); }
    void bit(bool) {}
    void exp_golomb(std::uint64_t, unsigned) {}
    void long_value(std::uint64_t) {}
  };
  // Pass two: the bits.
  struct BitSink {
    bits::Writer& w;
    std::array<unsigned, kContextCount> k;
    void rice(unsigned c, std::uint64_t v) { w.rice(v, k[c]); }
    void bit(bool b) { w.bit(b); }
    void exp_golomb(std::uint64_t v, unsigned order) { w.exp_golomb(v, order); }
    void long_value(std::uint64_t v) { w.long_value(v); }
  };

  // The parameter with the fewest bits for the context's values plus its header code.
  std::array<unsigned, kContextCount> choose_parameters(const Flags& flags,
                                                        const ValueCollector& collector) const {
    std::array<unsigned, kContextCount> best_k = defaults_;
    for (unsigned c = 0; c < kContextCount; ++c) {
      if (!context_present(c, flags)) continue;
      std::uint64_t best_bits = UINT64_MAX;
      for (unsigned k = 0; k <= bits::kMaxK; ++k) {
        std::uint64_t total = bits::exp_golomb_length(
            bits::zigzag(static_cast<std::int64_t>(k) - defaults_[c]), 0);
        for (const std::uint64_t v : collector.values[c]) total += bits::rice_length(v, k);
        if (total < best_bits) {
          best_bits = total;
          best_k[c] = k;
        } else if (k > best_k[c] + 1) {
          break;  // the cost is convex in k: past the minimum it only grows
        }
      }
    }
    return best_k;
  }

  template <class Sink>
  void traverse(const Flags& flags, Sink& sink) {
    std::array<std::int64_t, kFieldCount> sticky{};
    sticky[kLength] = ctx_.frame_ms;
    std::size_t next_exception = write_run(flags, 0, sticky, sink);
    prev_count_ = 0;
    have_key_ref_ = false;
    candidates_.clear();
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      if (i > 0 && flags.time_jitter) write_time_gap(flags, i, sink);
      if (i == next_exception) {
        write_exception(flags, i, sticky, sink);
        next_exception = write_run(flags, i + 1, sticky, sink);
      }
      if (flags.hist_bins) {
        write_bins(i, sink);
      } else {
        write_samples(flags, i, sink);
      }
    }
  }

  void write_header(const Flags& flags, bits::Writer& w) const {
    w.exp_golomb(frames_.size() - 1, 0);
    w.bit(flags.time_jitter);
    w.bit(flags.time_signed);
    w.bit(flags.hist_bins);
    w.bit(flags.carry);
    w.bit(flags.sent_explicit);
    const std::int64_t offset = frames_[0].t_ms - ctx_.base_ms;
    const bool aligned = offset >= 0 && ctx_.frame_ms > 0 && offset % ctx_.frame_ms == 0;
    w.bit(aligned);
    if (aligned) {
      w.long_value(static_cast<std::uint64_t>(offset) / ctx_.frame_ms);
    } else {
      w.long_value(bits::zigzag(offset));
    }
  }

  bool is_regular(const Flags& flags, std::size_t i,
                  const std::array<std::int64_t, kFieldCount>& sticky) const {
    for (unsigned f = 0; f < kFieldCount; ++f) {
      if (f == kGap) {
        if (!flags.time_jitter && facts_[i].field[kGap] != 0) return false;
      } else if (field_value(flags, i, f) != sticky[f]) {
        return false;
      }
    }
    return true;
  }

  // Codes how many regular frames follow frame `from` - 1; returns the next exception.
  template <class Sink>
  std::size_t write_run(const Flags& flags, std::size_t from,
                        const std::array<std::int64_t, kFieldCount>& sticky, Sink& sink) const {
    std::size_t i = from;
    while (i < frames_.size() && is_regular(flags, i, sticky)) ++i;
    sink.rice(kRun, i - from);
    return i;
  }

  template <class Sink>
  void write_exception(const Flags& flags, std::size_t i,
                       std::array<std::int64_t, kFieldCount>& sticky, Sink& sink) const {
    std::array<bool, kFieldCount> changed{};
    for (unsigned f = 0; f < kFieldCount; ++f) {
      if (f == kGap) {
        changed[f] = !flags.time_jitter && facts_[i].field[kGap] != 0;
      } else {
        changed[f] = field_value(flags, i, f) != sticky[f];
      }
    }
    bool other = false;
    for (Field f : kOtherFields) other |= changed[f];
    sink.bit(changed[kInflight]);
    sink.bit(changed[kLost]);
    sink.bit(other);
    if (other) {
      for (Field f : kOtherFields) {
        if (f == kGap && flags.time_jitter) continue;
        sink.bit(changed[f]);
      }
    }
    for (unsigned f = 0; f < kFieldCount; ++f) {
      if (!changed[f]) continue;
      const std::int64_t value = field_value(flags, i, f);
      const std::int64_t old = (f == kGap) ? 0 : sticky[f];
      sink.rice(kDelta, bits::zigzag(value - old) - 1);
      if (f != kGap) sticky[f] = value;
    }
  }

  template <class Sink>
  void write_time_gap(const Flags& flags, std::size_t i, Sink& sink) const {
    const std::int64_t gap = facts_[i].field[kGap];
    sink.rice(kTimeGap, flags.time_signed ? bits::zigzag(gap) : static_cast<std::uint64_t>(gap));
  }

  template <class Sink>
  void write_count(std::size_t i, std::uint64_t count, Sink& sink) {
    if (i == 0) {
      sink.exp_golomb(count, 2);
    } else {
      sink.rice(kCount, bits::zigzag(static_cast<std::int64_t>(count - prev_count_)));
    }
    prev_count_ = count;
  }

  template <class Sink>
  void write_first_key(std::int32_t key, Sink& sink) {
    if (have_key_ref_) {
      sink.rice(kFirstKey, bits::zigzag(std::int64_t{key} - key_ref_));
    } else {
      sink.long_value(bits::zigzag(key));
      have_key_ref_ = true;
    }
    key_ref_ = key;
  }

  template <class Sink>
  void write_samples(const Flags& flags, std::size_t i, Sink& sink) {
    keys_.clear();
    for (const auto& bin : frames_[i].rtt.bins()) keys_.insert(keys_.end(), bin.count, bin.key);
    new_keys_.clear();
    if (flags.carry) {
      std::size_t j = 0;
      for (const std::int32_t c : candidates_) {
        while (j < keys_.size() && keys_[j] < c) new_keys_.push_back(keys_[j++]);
        const bool carried = j < keys_.size() && keys_[j] == c;
        sink.bit(carried);
        j += carried;
      }
      new_keys_.insert(new_keys_.end(), keys_.begin() + static_cast<std::ptrdiff_t>(j), keys_.end());
    } else {
      new_keys_.swap(keys_);
    }
    write_count(i, facts_[i].samples, sink);
    const std::uint64_t n = new_keys_.size();
    if (n > 0) write_first_key(new_keys_[0], sink);
    for (std::uint64_t j = 1; j < n; ++j) {
      sink.rice(gap_context(j, n),
                static_cast<std::uint64_t>(std::int64_t{new_keys_[j]} - new_keys_[j - 1]));
    }
    if (flags.carry) candidates_.swap(new_keys_);
  }

  template <class Sink>
  void write_bins(std::size_t i, Sink& sink) {
    const auto bins = frames_[i].rtt.bins();
    const std::uint64_t n = bins.size();
    write_count(i, n, sink);
    for (std::uint64_t j = 0; j < n; ++j) {
      if (j == 0) {
        write_first_key(bins[0].key, sink);
      } else {
        sink.rice(gap_context(j, n),
                  static_cast<std::uint64_t>(std::int64_t{bins[j].key} - bins[j - 1].key - 1));
      }
      sink.rice(kBinCount, bins[j].count - 1u);
    }
  }

  std::span<const Frame> frames_;
  BlockContext ctx_;
  std::vector<FrameFacts> facts_;
  std::uint64_t total_samples_ = 0;
  std::uint64_t total_bins_ = 0;
  std::uint64_t max_samples_ = 0;
  std::array<unsigned, kContextCount> defaults_{};
  // Traversal state.
  std::uint64_t prev_count_ = 0;
  bool have_key_ref_ = false;
  std::int32_t key_ref_ = 0;
  std::vector<std::int32_t> keys_;
  std::vector<std::int32_t> new_keys_;
  std::vector<std::int32_t> candidates_;
};

}  // namespace

void encode_block(std::span<const Frame> frames, const BlockContext& ctx,
                  std::vector<std::uint8_t>& out) {
  const std::size_t before = out.size();
  BlockEncoder(frames, ctx).encode_best(out);
  if (out.size() - before > kMaxBlockBytes) {
    out.resize(before);
    throw std::invalid_argument("frame block over 64 MiB: split the frames into smaller blocks");
  }
}

std::vector<std::uint8_t> encode_block(std::span<const Frame> frames, const BlockContext& ctx) {
  std::vector<std::uint8_t> out;
  encode_block(frames, ctx, out);
  return out;
}

}  // namespace zzping::native
