// SPDX-License-Identifier: GPL-3.0-or-later
#include "convert.hpp"

#include <algorithm>
#include <stdexcept>

#include "data_dir_output.hpp"
#include "native_output.hpp"
#include "zzping/formats/any_format.hpp"
#include "zzping/formats/legacy_frames.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/fold.hpp"
#include "zzping/formats/zzping02/framedata.hpp"

namespace zzping::convert {

namespace {

using formats::FileFormat;
using formats::LoadEnd;

// Accepts a cut input with a warning; refuses a corrupt one unless salvaging. (The
// decoders' messages already name the frame, the offset and the frames that stand.)
void handle_end(const Input& input, LoadEnd end, const std::string& message,
                const Options& options, Result& result) {
  if (end == LoadEnd::kEof) return;
  if (end == LoadEnd::kTruncated) {
    result.warnings.push_back(input.name + ": " + message);
    return;
  }
  if (!options.salvage) {
    throw std::runtime_error(input.name + ": " + message +
                             " (use --salvage to convert the frames before it)");
  }
  result.warnings.push_back(input.name + ": warning: salvaged after: " + message);
}

FileFormat detect(const Input& input) {
  try {
    return formats::detect_format(
        std::span(input.bytes).first(std::min<std::size_t>(input.bytes.size(), 64)));
  } catch (const std::exception& e) {
    throw std::runtime_error(input.name + ": " + e.what());
  }
}

// ---- FDQ v101 output -------------------------------------------------------------------

// A frame on its way to the FDQ encoder. FrameData frames keep zzping 0.2's own split of
// their time (FdqTime), which is what makes the output byte-identical to its converter.
struct FdqItem {
  zzping02::FdqFrame frame;
  std::optional<zzping02::FdqTime> time;
};

void collect_fdq_items(const Input& input, const Options& options, std::vector<FdqItem>& items,
                       Result& result) {
  switch (detect(input)) {
    case FileFormat::kFrameData: {
      zzping02::FrameDataDecoder decoder(input.bytes);
      zzping02::LegacyFrame legacy;
      while (decoder.next(legacy)) {
        items.push_back({zzping02::fdq_frame_from_legacy(legacy), zzping02::fdq_time_of(legacy)});
      }
      handle_end(input, formats::load_end_of(decoder.end().kind), decoder.end().message, options, result);
      break;
    }
    case FileFormat::kFdq101: {
      zzping02::FdqDecoder decoder(input.bytes);
      zzping02::FdqFrame frame;
      while (decoder.next(frame)) items.push_back({frame, std::nullopt});
      handle_end(input, formats::load_end_of(decoder.end().kind), decoder.end().message, options, result);
      break;
    }
    case FileFormat::kNative: {
      const auto loaded = formats::load_frames(input.bytes, input.name);
      for (const Frame& frame : loaded.frames) items.push_back({formats::fdq_from_native(frame), std::nullopt});
      handle_end(input, loaded.end, loaded.end_message, options, result);
      break;
    }
  }
}

// zzping 0.2's own aggregation (fdqread --agg-window/--agg-step), pooled percentiles and all.
std::vector<FdqItem> fold_fdq_items(const std::vector<FdqItem>& items, const Aggregation& agg) {
  std::vector<zzping02::FdqFrame> frames;
  frames.reserve(items.size());
  for (const auto& item : items) frames.push_back(item.frame);
  std::vector<FdqItem> out;
  for (const auto& folded : zzping02::iter_fold(frames, agg.window, agg.step)) {
    out.push_back({folded, std::nullopt});
  }
  return out;
}

Result convert_to_fdq(std::span<const Input> inputs, const Options& options) {
  Result result;
  std::vector<FdqItem> items;
  for (const Input& input : inputs) collect_fdq_items(input, options, items, result);
  result.frames_in = items.size();
  if (options.aggregation) items = fold_fdq_items(items, *options.aggregation);

  zzping02::FdqEncoder encoder(
      zzping02::FdqConfig{options.full_encode_secs, options.llq, options.delta_enc});
  encoder.append_header(result.bytes);
  for (const FdqItem& item : items) {
    if (item.time) {
      encoder.encode(item.frame, *item.time, result.bytes);
    } else {
      encoder.encode(item.frame, result.bytes);
    }
  }
  result.frames_out = items.size();
  return result;
}

// ---- native output ---------------------------------------------------------------------

// Re-bins a histogram at another precision: each bin's representative value goes to the
// new bin holding it (adds at most the new precision's error on top of the old one).
RttHistogram requantise(const RttHistogram& in, const RttQuantiser& to) {
  RttHistogram out(to);
  for (const HistogramBin& bin : in.bins()) {
    out.add_ns(in.quantiser().value_of(bin.key), bin.count);
  }
  return out;
}

// Our aggregation: every `step` frames, one frame merging the next `window` frames
// (histograms merged exactly, counts summed). Unlike zzping 0.2's fold, the quantiles of an
// output are the quantiles of all samples it covers, within the precision.
std::vector<Frame> aggregate_native(const std::vector<Frame>& frames, const Aggregation& agg) {
  std::vector<Frame> out;
  for (std::size_t first = 0; first < frames.size(); first += agg.step) {
    Frame merged = frames[first];
    const std::size_t end = std::min(frames.size(), first + agg.window);
    for (std::size_t i = first + 1; i < end; ++i) merge_into(merged, frames[i]);
    out.push_back(std::move(merged));
  }
  return out;
}

Result convert_to_native(std::span<const Input> inputs, const Options& options) {
  Result result;
  NativeSource source;
  std::vector<Frame> frames;
  NativeEvidence evidence;
  formats::LoadOptions load_options;
  if (options.llq) load_options.legacy_precision = *options.llq;
  for (const Input& input : inputs) {
    detect(input);
    auto loaded = formats::load_frames(input.bytes, input.name, load_options);
    handle_end(input, loaded.end, loaded.end_message, options, result);
    if (frames.empty() && evidence.empty()) source = NativeSource::from(loaded);
    std::move(loaded.frames.begin(), loaded.frames.end(), std::back_inserter(frames));
    evidence.take_from(loaded);
  }
  result.frames_in = frames.size();
  if (options.llq) source.precision = *options.llq;
  if (!options.host.empty()) source.host = options.host;
  const RttQuantiser quantiser(source.precision);
  for (Frame& frame : frames) {
    if (!(frame.rtt.quantiser() == quantiser)) frame.rtt = requantise(frame.rtt, quantiser);
  }
  if (options.aggregation) frames = aggregate_native(frames, *options.aggregation);
  result.frames_out = frames.size();
  if (options.data_dir) {
    for (auto& file : encode_into_data_dir(*options.data_dir, source, frames, evidence,
                                           options.block_frames, options.exists)) {
      result.files.emplace_back(std::move(file.path), std::move(file.bytes));
    }
  } else {
    result.bytes = encode_native_file(source, frames, evidence, options.block_frames);
  }
  return result;
}

void validate(const Options& options) {
  if (options.to == Target::kNative && options.delta_enc) {
    throw std::invalid_argument("--delta-enc applies to --to fdq101 only");
  }
  if (options.aggregation &&
      !(options.aggregation->step >= 1 && options.aggregation->window >= options.aggregation->step)) {
    throw std::invalid_argument("aggregation needs --agg-window >= --agg-step >= 1");
  }
  if (options.block_frames < 1) throw std::invalid_argument("--block-frames must be at least 1");
  if (options.data_dir && options.to != Target::kNative) {
    throw std::invalid_argument("--data-dir imports native frames: it cannot go with --to fdq101");
  }
}

}  // namespace

Result convert(std::span<const Input> inputs, const Options& options) {
  validate(options);
  if (inputs.empty()) throw std::invalid_argument("no input");
  return options.to == Target::kFdq101 ? convert_to_fdq(inputs, options)
                                       : convert_to_native(inputs, options);
}

}  // namespace zzping::convert
