// SPDX-License-Identifier: GPL-3.0-or-later
// Frame block decoder (docs/formats.md, "Frame block"). Every value read from the stream
// is range-checked before use, and every loop is bounded by the bits left, so corrupt
// input ends in a FormatError, never in a crash, a hang or an allocation it did not pay for.
//
// Speed: the loop keeps the bit reader in registers (hot functions are forced inline, no
// lambda takes it, cold paths take values, not pointers), reads a histogram's short codes
// three to a refill, writes into pre-grown buffers without per-item capacity checks, and
// merges and counts samples without data-dependent branches (docs/benchmarks.md, "Formats").
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "native/bit_stream.hpp"
#include "native/block_format.hpp"
#include "zzping/formats/native/block_codec.hpp"

#define ZZPING_INLINE [[gnu::always_inline]] inline

namespace zzping::native {

using namespace block;

struct BlockDecoder::Scratch {
  std::array<unsigned, kContextCount> default_k{};
  std::vector<std::uint8_t> padded;
  // Sample keys (int64 so a merge sentinel can exceed every key); two spare slots each.
  std::vector<std::int64_t> candidates;
  std::vector<std::int64_t> carried;
  std::vector<std::int64_t> fresh;
};

namespace {

constexpr std::int64_t kU32Max = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kKeyMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kKeyMax = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t kSentinel = std::numeric_limits<std::int64_t>::max();
// Bounds of the signed "extra" fields (sent - recv - lost, recv - samples): beyond any
// real counter, and small enough that sums of them cannot overflow.
constexpr std::int64_t kMaxExtra = std::int64_t{1} << 40;

void ensure_size(std::vector<std::int64_t>& v, std::size_t n) {
  if (v.size() < n) v.resize(std::max(n, v.size() * 2));
}

// One block's decoding: its flags, Rice parameters and running frame state.
// The block's start time (the first frame's t_ms): the `aligned` bit and the L code after
// the five mode bits (docs/formats.md, "Block layout").
ZZPING_INLINE std::int64_t read_block_start(bits::Reader& r, const BlockContext& ctx) {
  const bool aligned = r.bit();
  const std::uint64_t raw = r.long_value();
  std::int64_t offset = 0;
  if (aligned) {
    const std::uint64_t unit = std::max<std::uint32_t>(ctx.frame_ms, 1);
    if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) / unit) {
      r.fail("frame block: start time out of range");
    }
    offset = static_cast<std::int64_t>(raw * unit);
  } else {
    offset = bits::unzigzag(raw);
  }
  std::int64_t start = 0;
  if (__builtin_add_overflow(ctx.base_ms, offset, &start)) r.fail("frame block: start time out of range");
  return start;
}

class FrameReader {
 public:
  FrameReader(const BlockContext& ctx, BlockDecoder::Scratch& scratch)
      : ctx_(ctx), s_(scratch) {}

  // The bit reader is a local of this function (not a member) so that, with every helper
  // inlined, its state stays in registers.
  ZZPING_INLINE void decode(const std::uint8_t* padded, std::size_t size,
                            std::vector<DecodedBlock::Row>& rows, DecodedBlock::BinBuffer& bins) {
    bits::Reader r(padded, size);
    const std::size_t n = read_header(r);
    rows.resize(n);
    bins.clear();
    if (grouped_codes()) {
      for (std::size_t i = 0; i < n; ++i) read_frame<true>(r, i, rows[i], bins);
    } else {
      for (std::size_t i = 0; i < n; ++i) read_frame<false>(r, i, rows[i], bins);
    }
    r.expect_end();
  }

 private:
  ZZPING_INLINE std::size_t read_header(bits::Reader& r) {
    const std::uint64_t n = r.exp_golomb(0) + 1;
    if (n > kMaxFramesPerBlock) r.fail("frame block: more than 65536 frames");
    // Every frame costs at least one bit (its histogram count), so this bounds what the
    // frame rows may allocate by the size of the input.
    if (n > r.remaining()) r.fail("frame block: more frames than bits left");
    flags_.time_jitter = r.bit();
    flags_.time_signed = r.bit();
    flags_.hist_bins = r.bit();
    flags_.carry = r.bit();
    flags_.sent_explicit = r.bit();
    if (flags_.time_signed && !flags_.time_jitter) {
      r.fail("frame block: signed time gaps without jitter mode");
    }
    if (flags_.carry && flags_.hist_bins) r.fail("frame block: sample carry in bins mode");
    prev_end_ = read_block_start(r, ctx_);
    read_parameters(r);
    sticky_.fill(0);
    sticky_[kLength] = ctx_.frame_ms;
    frames_ = n;
    candidates_ = 0;
    regular_left_ = read_run(r, 0);
    return n;
  }

  ZZPING_INLINE void read_parameters(bits::Reader& r) {
    for (unsigned c = 0; c < kContextCount; ++c) {
      std::int64_t k = s_.default_k[c];
      // A corrupt delta can be anything: an overflowing sum is out of range too.
      if (context_present(c, flags_) && __builtin_add_overflow(k, bits::unzigzag(r.exp_golomb(0)), &k)) {
        r.fail("frame block: Rice parameter out of range");
      }
      if (k < 0 || k > static_cast<std::int64_t>(bits::kMaxK)) r.fail("frame block: Rice parameter out of range");
      param_[c] = bits::RiceParam::of(static_cast<unsigned>(k));
    }
  }

  // Whether the histogram's codes (count, first key, key gaps) are short enough to be read
  // in groups of up to three per refill of the bit reader (see Reader::rice_buffered):
  // always so with the parameters an encoder picks for real RTTs.
  bool grouped_codes() const {
    unsigned k = 0;
    for (unsigned c = kCount; c <= kGap3; ++c) k = std::max(k, param_[c].k);
    return k <= bits::Reader::kMaxGroupedK;
  }
  // Starts a group of up to three buffered codes (G: grouped reading, see grouped_codes()).
  template <bool G>
  ZZPING_INLINE static void start_group(bits::Reader& r) {
    if constexpr (G) r.refill();
  }
  template <bool G>
  ZZPING_INLINE static std::uint64_t grouped_rice(bits::Reader& r, const bits::RiceParam& p) {
    if constexpr (G) {
      return r.rice_buffered(p);
    } else {
      return r.rice(p);
    }
  }

  template <bool G>
  ZZPING_INLINE void read_frame(bits::Reader& r, std::size_t i, DecodedBlock::Row& row,
                                DecodedBlock::BinBuffer& bins) {
    std::int64_t gap = 0;
    if (i > 0 && flags_.time_jitter) gap = read_time_gap(r);
    if (regular_left_ == 0) {
      gap += read_exception(r);
      regular_left_ = read_run(r, i + 1);
    } else {
      --regular_left_;
    }
    row.bins_begin = static_cast<std::uint32_t>(bins.size());
    const std::uint64_t samples = flags_.hist_bins ? read_bins(r, i, bins) : read_samples<G>(r, i, bins);
    if (bins.size() > kU32Max) r.fail("frame block: too many histogram bins");
    row.bins_count = static_cast<std::uint32_t>(bins.size() - row.bins_begin);
    fill_row(r, gap, samples, row);
  }

  ZZPING_INLINE std::size_t read_run(bits::Reader& r, std::size_t next_frame) {
    const std::uint64_t run = r.rice(param_[kRun]);
    if (run > frames_ - next_frame) r.fail("frame block: run of regular frames past its end");
    return static_cast<std::size_t>(run);
  }

  ZZPING_INLINE std::int64_t read_time_gap(bits::Reader& r) {
    const std::uint64_t v = r.rice(param_[kTimeGap]);
    if (flags_.time_signed) return bits::unzigzag(v);
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      r.fail("frame block: time gap out of range");
    }
    return static_cast<std::int64_t>(v);
  }

  // Reads an exception's changed fields into the sticky state; returns the time gap.
  ZZPING_INLINE std::int64_t read_exception(bits::Reader& r) {
    std::array<bool, kFieldCount> changed{};
    changed[kInflight] = r.bit();
    changed[kLost] = r.bit();
    if (r.bit()) {
      bool any = false;
      for (Field f : kOtherFields) {
        if (f == kGap && flags_.time_jitter) continue;
        changed[f] = r.bit();
        any |= changed[f];
      }
      if (!any) r.fail("frame block: exception flags other fields but changes none");
    } else if (!changed[kInflight] && !changed[kLost]) {
      r.fail("frame block: exception changes no field");
    }
    std::int64_t gap = 0;
    for (unsigned f = 0; f < kFieldCount; ++f) {
      if (!changed[f]) continue;
      const std::int64_t delta = bits::unzigzag(r.rice(param_[kDelta]) + 1);
      if (f == kGap) {
        gap = delta;
        continue;
      }
      std::int64_t value = 0;
      if (__builtin_add_overflow(sticky_[f], delta, &value)) {
        r.fail("frame block: counter out of range");
      }
      const bool is_extra = f == kRecvExtra || (f == kSent && !flags_.sent_explicit);
      const bool in_range = is_extra ? (value >= -kMaxExtra && value <= kMaxExtra)
                                     : (value >= 0 && value <= kU32Max);
      if (!in_range) r.fail("frame block: counter out of range");
      sticky_[f] = value;
    }
    return gap;
  }

  // The frame's count and its first new key form one group of buffered codes.
  template <bool G>
  ZZPING_INLINE std::uint64_t read_count(bits::Reader& r, std::size_t i) {
    std::uint64_t count = 0;
    start_group<G>(r);
    if (i == 0) [[unlikely]] {
      count = r.exp_golomb(2);
      start_group<G>(r);
    } else {
      // A negative total wraps far above the bound checked next.
      count = prev_count_ + static_cast<std::uint64_t>(bits::unzigzag(grouped_rice<G>(r, param_[kCount])));
    }
    // Every new sample or bin costs at least one bit: a count beyond that is corrupt.
    if (count > r.remaining() + candidates_) r.fail("frame block: histogram count exceeds block size");
    prev_count_ = count;
    return count;
  }

  template <bool G>
  ZZPING_INLINE std::int64_t read_first_key(bits::Reader& r) {
    std::int64_t key = 0;
    if (have_key_ref_) [[likely]] {
      const std::int64_t delta = bits::unzigzag(grouped_rice<G>(r, param_[kFirstKey]));
      if (__builtin_add_overflow(key_ref_, delta, &key)) key = kSentinel;
    } else {
      key = bits::unzigzag(r.long_value());
      have_key_ref_ = true;
    }
    if (key < kKeyMin || key > kKeyMax) r.fail("frame block: histogram key out of range");
    key_ref_ = key;
    return key;
  }

  // Reads the gap before element j (1-based) of a sorted list of n. Keys are walked as
  // unsigned offsets from the int32 minimum; `gaps_or` collects every gap so one check per
  // list (check_list) proves no gap reached 2^32, hence no offset wrapped (a list has
  // fewer than 2^29 elements), and the last key is in range, hence all keys are.
  ZZPING_INLINE std::uint64_t read_gap(bits::Reader& r, std::uint64_t j, std::uint64_t n,
                                       std::uint64_t& gaps_or) {
    const std::uint64_t gap = r.rice(param_[gap_context(j, n)]);
    gaps_or |= gap;
    return gap;
  }
  // Calls step(j, gap) for the gaps j = 1..n-1 of a list of n, each group of up to three
  // codes after one refill (G). In a list of 7 or more, the three gaps at each end have
  // fixed contexts and the middle (3 or more from both ends) shares one, so no gap looks
  // its context up; shorter lists compute it.
  template <bool G, class Step>
  ZZPING_INLINE void for_each_gap(bits::Reader& r, std::uint64_t n, std::uint64_t& gaps_or,
                                  Step&& step) {
    if (n >= 7) {
      start_group<G>(r);
      step(1, key_gap<G>(r, param_[kGap0], gaps_or));
      step(2, key_gap<G>(r, param_[kGap1], gaps_or));
      step(3, key_gap<G>(r, param_[kGap2], gaps_or));
      const bits::RiceParam middle = param_[kGap3];
      const std::uint64_t tail = n - 3;
      for (std::uint64_t j = 4; j < tail;) {
        start_group<G>(r);
        const std::uint64_t stop = std::min<std::uint64_t>(tail, j + 3);
        for (; j < stop; ++j) step(j, key_gap<G>(r, middle, gaps_or));
      }
      start_group<G>(r);
      step(n - 3, key_gap<G>(r, param_[kGap2], gaps_or));
      step(n - 2, key_gap<G>(r, param_[kGap1], gaps_or));
      step(n - 1, key_gap<G>(r, param_[kGap0], gaps_or));
      return;
    }
    for (std::uint64_t j = 1; j < n;) {
      start_group<G>(r);
      const std::uint64_t stop = std::min<std::uint64_t>(n, j + 3);
      for (; j < stop; ++j) step(j, key_gap<G>(r, param_[gap_context(j, n)], gaps_or));
    }
  }
  // A member, not a lambda: GCC may leave a lambda out of line, and the bit reader would
  // then live in memory for the whole decoder.
  template <bool G>
  ZZPING_INLINE static std::uint64_t key_gap(bits::Reader& r, const bits::RiceParam& p, std::uint64_t& gaps_or) {
    const std::uint64_t g = grouped_rice<G>(r, p);
    gaps_or |= g;
    return g;
  }
  static std::uint64_t key_offset(std::int64_t key) { return static_cast<std::uint64_t>(key - kKeyMin); }
  // Unsigned arithmetic: offsets of a corrupt list may be anything until check_list.
  static std::int64_t key_at(std::uint64_t offset) {
    return static_cast<std::int64_t>(offset + static_cast<std::uint64_t>(kKeyMin));
  }
  ZZPING_INLINE static void check_list(bits::Reader& r, std::uint64_t gaps_or, std::uint64_t last) {
    if (gaps_or > kU32Max || last > static_cast<std::uint64_t>(kKeyMax - kKeyMin)) {
      r.fail("frame block: histogram key out of range");
    }
  }

  template <bool G>
  ZZPING_INLINE std::uint64_t read_samples(bits::Reader& r, std::size_t i, DecodedBlock::BinBuffer& bins) {
    if (!flags_.carry) {
      const std::uint64_t n = read_count<G>(r, i);
      read_sorted_samples<G>(r, n, bins);
      return n;
    }
    const std::size_t carried = read_carry_flags(r);
    const std::uint64_t total = read_count<G>(r, i);
    if (total < carried) r.fail("frame block: fewer samples than carried samples");
    const std::uint64_t fresh = total - carried;
    ensure_size(s_.fresh, fresh + 2);
    std::int64_t* keys = s_.fresh.data();
    if (fresh > 0) {
      std::uint64_t offset = key_offset(read_first_key<G>(r));
      std::uint64_t gaps_or = 0;
      keys[0] = key_at(offset);
      for_each_gap<G>(r, fresh, gaps_or, [&](std::uint64_t j, std::uint64_t gap) {
        offset += gap;
        keys[j] = key_at(offset);
      });
      check_list(r, gaps_or, offset);
    }
    merge_samples(s_.carried.data(), carried, keys, fresh, bins);
    s_.candidates.swap(s_.fresh);
    candidates_ = fresh;
    return total;
  }

  // One bit per candidate (the previous frame's new samples): 1 = it is in this frame too.
  ZZPING_INLINE std::size_t read_carry_flags(bits::Reader& r) {
    ensure_size(s_.carried, candidates_ + 2);
    const std::int64_t* cand = s_.candidates.data();
    std::int64_t* carried = s_.carried.data();
    std::size_t n = 0;
    for (std::size_t j = 0; j < candidates_;) {
      const std::size_t chunk = std::min<std::size_t>(candidates_ - j, 56);
      std::uint64_t w = r.peek56();
      for (std::size_t b = 0; b < chunk; ++b, w >>= 1) {  // a shift by 1, not by b
        carried[n] = cand[j + b];
        n += w & 1;
      }
      r.consume(static_cast<unsigned>(chunk));
      j += chunk;
    }
    return n;
  }

  // Samples arrive sorted; a gap of 0 adds to the last bin. The running bin lives in
  // registers and is stored every step (overwriting itself while the key repeats), which
  // avoids a data-dependent branch per sample.
  template <bool G>
  ZZPING_INLINE void read_sorted_samples(bits::Reader& r, std::uint64_t n, DecodedBlock::BinBuffer& bins) {
    if (n == 0) return;
    HistogramBin* out = bins.grow_for(n);
    std::uint64_t offset = key_offset(read_first_key<G>(r));
    std::uint64_t gaps_or = 0;
    std::uint64_t bin = start_bin(key_at(offset));
    std::size_t at = 0;
    store_bin(out, bin);
    for_each_gap<G>(r, n, gaps_or, [&](std::uint64_t, std::uint64_t gap) {
      offset += gap;
      add_sample(out, bin, at, key_at(offset), gap == 0);
    });
    check_list(r, gaps_or, offset);
    bins.commit(at + 1);
  }

  // The bin being filled while sorted samples stream in is kept as it is stored (key in the
  // low half, count in the high half), so one more sample is an add or a new bin, chosen
  // by a mask, then one 8-byte store (overwriting the bin while its key repeats). A mask, not
  // a select: GCC 12 compiles `same ? bin + 1 sample : new bin` into a branch, which
  // mispredicts on about every other repeated key (perf annotate of BM_Decode).
  static constexpr std::uint64_t kOneSample = std::uint64_t{1} << 32;
  ZZPING_INLINE static std::uint64_t start_bin(std::int64_t key) {
    static_assert(sizeof(HistogramBin) == 8 && offsetof(HistogramBin, count) == 4);
    return static_cast<std::uint32_t>(key) | kOneSample;
  }
  ZZPING_INLINE static void store_bin(HistogramBin* at, std::uint64_t bin) {
    std::memcpy(static_cast<void*>(at), &bin, sizeof bin);
  }
  // One more sample of `key`; `same`: the running bin (out[at]) has that key.
  ZZPING_INLINE static void add_sample(HistogramBin* out, std::uint64_t& bin, std::size_t& at,
                                       std::int64_t key, bool same) {
    const std::uint64_t started = start_bin(key);
    const std::uint64_t same_mask = 0 - static_cast<std::uint64_t>(same);
    // same: bin's key is key, so bin - key is the count alone
    bin = ((bin - static_cast<std::uint32_t>(key)) & same_mask) + started;
    at += !same;
    store_bin(out + at, bin);
  }

  // Merges two sorted key lists (each followed by two sentinels) into bins without
  // data-dependent branches; the next element of both lists is loaded ahead so the loop's
  // critical path is a compare and two selects, not a load.
  ZZPING_INLINE static void merge_samples(std::int64_t* a, std::size_t na, std::int64_t* b,
                                          std::size_t nb, DecodedBlock::BinBuffer& bins) {
    const std::size_t total = na + nb;
    if (total == 0) return;
    HistogramBin* out = bins.grow_for(total);
    a[na] = a[na + 1] = kSentinel;
    b[nb] = b[nb + 1] = kSentinel;
    std::size_t x = 0;
    std::size_t y = 0;
    std::int64_t av = a[0];
    std::int64_t bv = b[0];
    std::int64_t last = kSentinel;  // never equal to a key
    std::uint64_t bin = 0;
    std::size_t at = ~std::size_t{0};  // the first key starts bin 0
    for (std::size_t t = 0; t < total; ++t) {
      const std::int64_t a_next = a[x + 1];
      const std::int64_t b_next = b[y + 1];
      const bool take_a = av <= bv;
      const std::int64_t key = take_a ? av : bv;
      av = take_a ? a_next : av;
      bv = take_a ? bv : b_next;
      x += take_a;
      y += !take_a;
      add_sample(out, bin, at, key, key == last);
      last = key;
    }
    bins.commit(at + 1);
  }

  ZZPING_INLINE std::uint64_t read_bins(bits::Reader& r, std::size_t i, DecodedBlock::BinBuffer& bins) {
    const std::uint64_t n = read_count<false>(r, i);
    if (n == 0) return 0;
    HistogramBin* out = bins.grow_for(n);
    std::uint64_t samples = 0;
    std::uint64_t offset = 0;
    std::uint64_t gaps_or = 0;
    for (std::uint64_t j = 0; j < n; ++j) {
      offset = (j == 0) ? key_offset(read_first_key<false>(r)) : offset + read_gap(r, j, n, gaps_or) + 1;
      const std::uint64_t count = r.rice(param_[kBinCount]) + 1;
      if (count > static_cast<std::uint64_t>(kU32Max)) r.fail("frame block: bin count out of range");
      out[j] = HistogramBin{static_cast<std::int32_t>(key_at(offset)), static_cast<std::uint32_t>(count)};
      samples += count;
    }
    check_list(r, gaps_or, offset);
    bins.commit(n);
    return samples;
  }

  ZZPING_INLINE void fill_row(bits::Reader& r, std::int64_t gap, std::uint64_t samples, DecodedBlock::Row& row) {
    std::int64_t t = 0;
    if (__builtin_add_overflow(prev_end_, gap, &t) ||
        __builtin_add_overflow(t, sticky_[kLength], &prev_end_)) {
      r.fail("frame block: frame time out of range");
    }
    // samples < 2^61 (each costs a bit, or each bin at most 2^32), so this cannot overflow.
    const std::int64_t recv = static_cast<std::int64_t>(samples) + sticky_[kRecvExtra];
    const std::int64_t sent =
        flags_.sent_explicit ? sticky_[kSent] : recv + sticky_[kLost] + sticky_[kSent];
    if (recv < 0 || recv > kU32Max || sent < 0 || sent > kU32Max) {
      r.fail("frame block: sent or received count out of range");
    }
    row.t_ms = t;
    row.length_ms = static_cast<std::uint32_t>(sticky_[kLength]);
    row.recv = static_cast<std::uint32_t>(recv);
    row.sent = static_cast<std::uint32_t>(sent);
    row.lost = static_cast<std::uint32_t>(sticky_[kLost]);
    row.dup = static_cast<std::uint32_t>(sticky_[kDup]);
    row.late = static_cast<std::uint32_t>(sticky_[kLate]);
    row.icmp_errors = static_cast<std::uint32_t>(sticky_[kIcmp]);
    row.inflight = static_cast<std::uint32_t>(sticky_[kInflight]);
  }

  const BlockContext& ctx_;
  BlockDecoder::Scratch& s_;
  std::array<bits::RiceParam, kContextCount> param_{};
  Flags flags_;
  std::size_t frames_ = 0;
  std::size_t regular_left_ = 0;
  std::size_t candidates_ = 0;
  std::array<std::int64_t, kFieldCount> sticky_{};
  std::int64_t prev_end_ = 0;
  std::uint64_t prev_count_ = 0;
  bool have_key_ref_ = false;
  std::int64_t key_ref_ = 0;
};

}  // namespace

HistogramBin* DecodedBlock::BinBuffer::grow_for(std::size_t extra) {
  if (capacity_ - size_ < extra) {
    // At least 256 bins at first: a new DecodedBlock (decode_block) would otherwise grow
    // by doubling from a few bins.
    const std::size_t wanted = std::max({size_ + extra, capacity_ * 2, std::size_t{256}});
    std::unique_ptr<HistogramBin, Release> bigger(
        static_cast<HistogramBin*>(::operator new(wanted * sizeof(HistogramBin))));
    if (size_ > 0) std::memcpy(static_cast<void*>(bigger.get()), data_.get(), size_ * sizeof(HistogramBin));
    data_ = std::move(bigger);
    capacity_ = wanted;
  }
  return data_.get() + size_;
}

BlockDecoder::BlockDecoder(const BlockContext& ctx)
    : ctx_(ctx), scratch_(std::make_unique<Scratch>()) {
  const RttQuantiser check(ctx.precision);  // throws std::invalid_argument on a bad precision
  scratch_->default_k = default_k(ctx.precision);
}
BlockDecoder::~BlockDecoder() = default;
BlockDecoder::BlockDecoder(BlockDecoder&&) noexcept = default;
BlockDecoder& BlockDecoder::operator=(BlockDecoder&&) noexcept = default;

void BlockDecoder::decode(std::span<const std::uint8_t> block, DecodedBlock& out) {
  if (block.size() > kMaxBlockBytes) {
    throw FormatError("frame block larger than " + std::to_string(kMaxBlockBytes) + " bytes", 0,
                      false);
  }
  auto& padded = scratch_->padded;
  padded.resize(block.size() + bits::Reader::kPadding);
  if (!block.empty()) std::memcpy(padded.data(), block.data(), block.size());
  std::memset(padded.data() + block.size(), 0, bits::Reader::kPadding);
  out.jitter_.clear();
  FrameReader reader(ctx_, *scratch_);
  reader.decode(padded.data(), block.size(), out.rows_, out.bins_);
}

void DecodedBlock::attach_jitter(std::span<const std::optional<JitterSum>> jitter) {
  if (jitter.size() != rows_.size()) {
    throw std::invalid_argument("jitter of " + std::to_string(jitter.size()) +
                                " frames for a block of " + std::to_string(rows_.size()));
  }
  jitter_.assign(jitter.begin(), jitter.end());
}

FrameView DecodedBlock::operator[](std::size_t i) const {
  const Row& row = rows_[i];
  return FrameView{row.t_ms, row.length_ms, row.sent, row.recv, row.lost, row.dup, row.late,
                   row.icmp_errors, row.inflight,
                   jitter_.empty() ? std::nullopt : jitter_[i],
                   std::span<const HistogramBin>(bins_.data() + row.bins_begin, row.bins_count)};
}

Frame DecodedBlock::to_frame(std::size_t i, const RttQuantiser& quantiser) const {
  const FrameView v = (*this)[i];
  Frame f{.t_ms = v.t_ms, .length_ms = v.length_ms, .sent = v.sent, .recv = v.recv,
          .lost = v.lost, .dup = v.dup, .late = v.late, .icmp_errors = v.icmp_errors,
          .inflight = v.inflight, .jitter = v.jitter, .rtt = RttHistogram(quantiser)};
  f.rtt.assign_bins(std::vector<HistogramBin>(v.bins.begin(), v.bins.end()));
  return f;
}

std::int64_t block_start_ms(std::span<const std::uint8_t> block, const BlockContext& ctx) {
  // The preamble (frame count, six flags, start time) takes at most 109 bits.
  constexpr std::size_t kPreambleBytes = 16;
  std::array<std::uint8_t, kPreambleBytes + bits::Reader::kPadding> padded{};
  const std::size_t size = std::min(block.size(), kPreambleBytes);
  if (size > 0) std::memcpy(padded.data(), block.data(), size);
  bits::Reader r(padded.data(), size);
  r.exp_golomb(0);  // frame count
  for (int flag = 0; flag < 5; ++flag) r.bit();  // time_jitter .. sent_explicit
  return read_block_start(r, ctx);
}

std::vector<Frame> decode_block(std::span<const std::uint8_t> block, const BlockContext& ctx) {
  BlockDecoder decoder(ctx);
  DecodedBlock decoded;
  decoder.decode(block, decoded);
  const RttQuantiser quantiser(ctx.precision);
  std::vector<Frame> frames;
  frames.reserve(decoded.size());
  for (std::size_t i = 0; i < decoded.size(); ++i) frames.push_back(decoded.to_frame(i, quantiser));
  return frames;
}

}  // namespace zzping::native
