// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Mapping between zzping 0.2 frames and native frames (zzping::Frame), for the converter,
// the dump tool and the GUI. What each direction keeps is listed in docs/formats.md,
// "Imported data".
#include <cstdint>

#include "zzping/common/frame.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::formats {

// zzping 0.2's daemon wrote a frame about every 100 ms; imported frames get this length.
inline constexpr std::uint32_t kLegacyFrameMs = 100;

// A FrameData frame: t_ms is the frame time floored to ms, every RTT sample goes into the
// histogram (recv = number of samples), lost and inflight are copied. zzping 0.2 did not
// count probes sent per frame, so `sent` is recv + lost (its replies came from a 150 ms
// window and its losses from probes sent 10-20 s earlier: the counters are not ours).
Frame native_from_framedata(const zzping02::LegacyFrame& frame, const RttQuantiser& quantiser);

// An FDQ frame holds 7 percentiles and the sample count, not the samples. The histogram is
// rebuilt from recv_us_len synthetic samples chosen so that zzping 0.2's percentile rule
// gives back the 7 stored values; the frame's quantiles then match within the quantiser's
// precision. Above kMaxSynthesisedSamples samples, that many weighted points on the
// quantile curve stand for them (counts stay exact, quantiles approximate, memory and time
// bounded whatever a file claims). `sent` is recv + lost, as above.
inline constexpr std::uint32_t kMaxSynthesisedSamples = 4096;
Frame native_from_fdq(const zzping02::FdqFrame& frame, const RttQuantiser& quantiser);

// What an FDQ frame can hold of a native frame: time, inflight, lost, the sample count and
// the 7 quantiles rounded to µs (seven -1 when there is no sample).
zzping02::FdqFrame fdq_from_native(const Frame& frame);

}  // namespace zzping::formats
