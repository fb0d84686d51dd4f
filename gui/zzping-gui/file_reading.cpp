// SPDX-License-Identifier: GPL-3.0-or-later
#include "file_reading.hpp"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <filesystem>
#include <map>
#include <span>

#include "zzping/common/view/outage_detector.hpp"
#include "zzping/formats/any_format.hpp"
#include "zzping/formats/native/layout.hpp"

namespace zzping::gui {

namespace {

// Files are read whole; anything bigger than this is not a frame file we wrote (an hour of
// native frames is a few hundred KiB) and would only exhaust memory.
constexpr qint64 kMaxFileBytes = qint64{1} << 30;

struct FileFrames {
  QString path;
  QString host;
  std::uint32_t tier_ms = 0;  // native tier files: their bucket length; 0 for raw frames
  std::vector<Frame> frames;
  std::vector<LossEvent> events;
  bool bursts_recorded = true;  // events holds every loss burst (formats::MeasuredCounters)
  std::vector<attribution::Incident> incidents;
  std::vector<PathSnapshot> paths;
  std::optional<attribution::Role> role;
};

// The header's host; else zzping 0.2's file name (pingd-log-<address>-...); else the
// folder (a daemon data directory keeps one folder per host).
QString host_of(const QString& path, const std::string& header_host) {
  if (!header_host.empty()) return QString::fromStdString(header_host);
  return QFileInfo(path).dir().dirName();
}

// Files found in a folder that are not frame files (notes, expected outputs, foreign
// files) or hold no frame are skipped and counted instead of reported one by one.
std::optional<FileFrames> read_file(const QString& path, bool named, QStringList& errors,
                                    int& skipped) {
  QFile file(path);
  if (file.size() > kMaxFileBytes) {
    errors << QString("%1: %2 bytes is too large for a frame file (limit %3)")
                  .arg(path).arg(file.size()).arg(kMaxFileBytes);
    return std::nullopt;
  }
  if (!file.open(QIODevice::ReadOnly)) {
    errors << QString("%1: %2").arg(path, file.errorString());
    return std::nullopt;
  }
  const QByteArray data = file.readAll();
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                            static_cast<std::size_t>(data.size()));
  formats::LoadedFrames loaded;
  try {
    loaded = formats::load_frames(bytes, QFileInfo(path).fileName().toStdString());
  } catch (const std::exception& e) {
    if (named) {
      errors << QString("%1: %2").arg(path, e.what());
    } else {
      ++skipped;
    }
    return std::nullopt;
  }
  if (loaded.frames.empty() && !named) {
    ++skipped;
    return std::nullopt;
  }
  // The loader's message already says whether the frames before the problem stand.
  if (loaded.end != formats::LoadEnd::kEof) {
    errors << QString("%1: %2").arg(path, QString::fromStdString(loaded.end_message));
  }
  if (loaded.frames.empty()) {
    errors << QString("%1: no frame could be read").arg(path);
    return std::nullopt;
  }
  return FileFrames{path,
                    host_of(path, loaded.host),
                    loaded.tier_ms,
                    std::move(loaded.frames),
                    std::move(loaded.events),
                    loaded.measured.loss_bursts,
                    std::move(loaded.incidents),
                    std::move(loaded.paths),
                    loaded.role};
}

struct HostFrames {
  std::vector<SourceFile> files;
  std::vector<Frame> raw;
  std::map<std::uint32_t, std::vector<Frame>> tiers;  // by tier length
  std::vector<LossEvent> events;
  bool raw_bursts_recorded = true;  // every raw file read records its loss bursts
  std::optional<attribution::Role> role;  // the last header that had one
};

void sort_unique(std::vector<Frame>& frames) {
  std::stable_sort(frames.begin(), frames.end(),
                   [](const Frame& a, const Frame& b) { return a.t_ms < b.t_ms; });
  // The same frames read twice (a file and its cut copy) would count twice.
  frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
}

// Raw frames when the host has any (exact at every zoom); otherwise its finest tier the
// pyramid has a level for (the finer levels then stay empty). Never both: the coarse
// levels would count the same probes twice.
std::shared_ptr<view::HostTimeline> build_timeline(const QString& host, HostFrames& in,
                                                   QStringList& errors) {
  auto timeline = std::make_shared<view::HostTimeline>(host.toStdString());
  if (!in.raw.empty()) {
    // Hourly files stitched in time order; frames that went back in time (zzping 0.2
    // clock steps) are placed where they belong instead of being dropped.
    sort_unique(in.raw);
    for (const Frame& frame : in.raw) timeline->append(frame);
    if (!in.raw_bursts_recorded) timeline->set_burst_recording(BurstRecording::kNotRecorded);
  } else {
    timeline->set_burst_recording(BurstRecording::kNotRecorded);  // tier files hold no events
    const auto& levels = view::Pyramid::default_bucket_ms();
    for (auto& [tier_ms, frames] : in.tiers) {
      if (std::find(levels.begin(), levels.end(), tier_ms) == levels.end()) continue;
      sort_unique(frames);
      try {
        for (const Frame& frame : frames) timeline->append_tier(frame);
      } catch (const std::invalid_argument& e) {
        errors << QString("%1: tier of %2 ms: %3").arg(host).arg(tier_ms).arg(e.what());
      }
      break;
    }
  }
  for (const LossEvent& e : in.events) timeline->add_recorded_event(e);
  return timeline;
}

// --- data directories read on demand ---------------------------------------------------

namespace layout = native::layout;

// Where a file sits in a data directory: its host folder and chunk, from names alone.
struct DataDirPlace {
  QString host_dir;
  view::ChunkPeriod period;
};

std::optional<DataDirPlace> data_dir_place(const QString& path) {
  const QFileInfo info(path);
  const std::string name = info.fileName().toStdString();
  QDir parent = info.dir();
  const QString parent_name = parent.dirName();
  if (const auto raw = layout::parse_raw_file_name(name)) {
    // <host>/<YYYY-MM-DD>/<YYYY-MM-DD>THHZ.zzf: the folder names the same day.
    if (!QString::fromStdString(name).startsWith(parent_name + "T") || !parent.cdUp()) return std::nullopt;
    return DataDirPlace{parent.path(), {{view::Resolution::kRaw, raw->start_ms}, raw->end_ms}};
  }
  const std::array<std::pair<native::Tier, view::Resolution>, 3> tiers = {
      std::pair{native::Tier::kSecond, view::Resolution::kSecond},
      std::pair{native::Tier::kMinute, view::Resolution::kMinute},
      std::pair{native::Tier::kHour, view::Resolution::kHour}};
  for (const auto& [tier, resolution] : tiers) {
    if (parent_name != QString::fromStdString(std::string(native::tier_name(tier)))) continue;
    const auto period = layout::parse_tier_file_name(tier, name);
    if (!period || !parent.cdUp() || parent.dirName() != "tiers" || !parent.cdUp()) return std::nullopt;
    return DataDirPlace{parent.path(), {{resolution, period->start_ms}, period->end_ms}};
  }
  return std::nullopt;
}

struct DataDirHost {
  view::ChunkIndex index;
  std::map<view::ChunkKey, QStringList> files;
  std::optional<attribution::Role> role;  // from the headers of the files read at open
  bool has_coarse_tier() const {
    return index.count(view::Resolution::kMinute) + index.count(view::Resolution::kHour) > 0;
  }
};

// Splits off the files of data directory hosts that have coarse tiers (found in folders,
// not named one by one); the rest is read whole as before.
std::map<QString, DataDirHost> take_data_dir_hosts(std::vector<FoundFile>& files) {
  std::map<QString, DataDirHost> hosts;
  for (const FoundFile& f : files) {
    if (f.named) continue;
    if (const auto place = data_dir_place(f.path)) {
      DataDirHost& h = hosts[place->host_dir];
      h.index.add(place->period.key.resolution, place->period.key.start_ms, place->period.end_ms);
      h.files[place->period.key] << f.path;
    }
  }
  std::erase_if(hosts, [](const auto& h) { return !h.second.has_coarse_tier(); });
  std::erase_if(files, [&](const FoundFile& f) {
    if (f.named) return false;
    const auto place = data_dir_place(f.path);
    return place && hosts.contains(place->host_dir);
  });
  return hosts;
}

QString host_name_of_dir(const QString& host_dir) {
  const std::string dir = QFileInfo(host_dir).fileName().toStdString();
  return QString::fromStdString(layout::host_from_dir_name(dir).value_or(dir));
}

// The time the first frame starts and the last one ends, at each end from the finest data
// there: a coarse tier's bucket (a whole hour) is not the extent of 35 s of recording.
// Reads the earliest and the latest chunk of each resolution (a few files, on the loader
// thread); a coarser chunk only moves an end when it holds data wholly beyond the finer ones
// (raw hours pruned, tiers kept).
// The evidence (incidents, paths) and role of a chunk read at open go to the outcome.
void take_evidence(const LoadedChunk& loaded, DataDirHost& host, Evidence& evidence) {
  if (loaded.role) host.role = loaded.role;
  for (const attribution::Incident& i : loaded.incidents) evidence.add_incident(i);
  for (const auto& [name, path] : loaded.paths) evidence.add_path(name, path);
}

std::optional<view::TimeRange> data_extent(DataDirHost& in, Evidence& evidence, QStringList& errors) {
  const std::optional<view::TimeRange> whole = in.index.extent();
  if (!whole) return std::nullopt;
  std::optional<std::int64_t> first;
  std::optional<std::int64_t> last_end;
  for (const view::Resolution r : view::kResolutions) {  // finest first
    const std::vector<view::ChunkPeriod> all = in.index.overlapping(r, *whole);
    if (all.empty()) continue;
    for (const view::ChunkPeriod* p : {&all.front(), &all.back()}) {
      const auto files = in.files.find(p->key);
      if (files == in.files.end()) continue;
      LoadedChunk loaded = load_chunk(*p, files->second);
      errors << loaded.errors;
      take_evidence(loaded, in, evidence);
      const auto e = loaded.chunk ? loaded.chunk->pyramid.extent() : std::nullopt;
      if (!e) continue;
      if (!first || e->end_ms <= *first) first = std::min(first.value_or(e->begin_ms), e->begin_ms);
      if (!last_end || e->begin_ms >= *last_end) last_end = std::max(last_end.value_or(e->end_ms), e->end_ms);
    }
  }
  if (!first || !last_end || *first >= *last_end) return std::nullopt;
  return view::TimeRange{*first, *last_end};
}

// Indexes a data directory host and loads its coarsest pinned tier (1 h: a year is 8 760
// frames), so it shows at once; the 1 min tier follows on the detail loader.
std::shared_ptr<view::HostTimeline> open_data_dir_host(const QString& host_dir, DataDirHost& in,
                                                       Evidence& evidence, QStringList& errors) {
  auto timeline = std::make_shared<view::HostTimeline>(host_name_of_dir(host_dir).toStdString(), in.index);
  const view::Resolution coarsest =
      in.index.count(view::Resolution::kHour) > 0 ? view::Resolution::kHour : view::Resolution::kMinute;
  for (const auto& [key, paths] : in.files) {
    if (key.resolution != coarsest) continue;
    LoadedChunk loaded = load_chunk(*in.index.find(key), paths);
    errors << loaded.errors;
    take_evidence(loaded, in, evidence);
    if (loaded.chunk) timeline->add_chunk(std::move(loaded.chunk), loaded.recorded, loaded.detected);
  }
  return timeline;
}

qint64 total_size(const std::vector<FoundFile>& files) {
  qint64 total = 0;
  for (const FoundFile& f : files) total += QFileInfo(f.path).size();
  return std::max<qint64>(total, 1);
}

}  // namespace

std::vector<FoundFile> expand_paths(const QStringList& paths, QStringList& errors) {
  std::map<QString, bool> files;  // path -> named on the command line
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (!info.exists()) {
      errors << QString("%1: no such file or directory").arg(path);
    } else if (info.isDir()) {
      QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
      while (it.hasNext()) files.try_emplace(it.next(), false);
    } else {
      files[info.filePath()] = true;
    }
  }
  std::vector<FoundFile> out;
  for (const auto& [path, named] : files) out.push_back({path, named});
  return out;
}

LoadedChunk load_chunk(const view::ChunkPeriod& period, const QStringList& files) {
  LoadedChunk out;
  std::vector<Frame> frames;
  int skipped = 0;
  for (const QString& path : files) {
    if (auto read = read_file(path, true, out.errors, skipped)) {
      if (read->tier_ms != view::resolution_ms(period.key.resolution)) {
        out.errors << QString("%1: frames of %2 ms where %3 frames were expected")
                          .arg(path).arg(read->tier_ms).arg(view::resolution_name(period.key.resolution));
        continue;
      }
      frames.insert(frames.end(), std::make_move_iterator(read->frames.begin()),
                    std::make_move_iterator(read->frames.end()));
      out.recorded.insert(out.recorded.end(), read->events.begin(), read->events.end());
      out.incidents.insert(out.incidents.end(), read->incidents.begin(), read->incidents.end());
      if (read->role) out.role = read->role;
      for (PathSnapshot& p : read->paths) out.paths.emplace_back(read->host.toStdString(), std::move(p));
    }
  }
  sort_unique(frames);
  auto chunk = std::make_shared<view::Chunk>(view::Chunk{period, view::Pyramid()});
  view::OutageDetector detector;
  std::size_t outside = 0;
  try {
    for (const Frame& f : frames) {
      // A frame outside the period its file name says would overlap a neighbouring chunk.
      if (f.t_ms < period.key.start_ms || f.t_ms >= period.end_ms) {
        ++outside;
        continue;
      }
      if (period.key.resolution == view::Resolution::kRaw) {
        chunk->pyramid.append(f);
      } else {
        chunk->pyramid.append_tier(f);
      }
      detector.append(f);
    }
  } catch (const std::invalid_argument& e) {
    out.errors << QString("%1: %2").arg(files.join(", "), e.what());
  }
  if (outside > 0) {
    out.errors << QString("%1: %2 frame(s) outside the period the file name says were skipped")
                      .arg(files.join(", ")).arg(outside);
  }
  chunk->pyramid.shrink_to_fit();  // the budget counts buckets: hold no more than that
  out.detected = detector.events();
  out.chunk = std::move(chunk);
  return out;
}

LoadOutcome load_paths(const QStringList& paths, const std::function<void(int)>& progress) {
  LoadOutcome outcome;
  std::vector<FoundFile> files = expand_paths(paths, outcome.errors);
  const bool found_any = !files.empty();
  std::map<QString, DataDirHost> dir_hosts = take_data_dir_hosts(files);
  const qint64 total = total_size(files);
  qint64 done = 0;
  int skipped = 0;
  progress(0);
  // Decoding takes most of the time (0-70%); merging into the pyramids the rest.
  std::map<QString, HostFrames> by_host;
  for (const FoundFile& f : files) {
    if (auto read = read_file(f.path, f.named, outcome.errors, skipped)) {
      HostFrames& host = by_host[read->host];
      view::TimeRange extent{read->frames.front().t_ms, read->frames.front().t_ms};
      for (const Frame& frame : read->frames) {
        extent.begin_ms = std::min(extent.begin_ms, frame.t_ms);
        extent.end_ms = std::max(extent.end_ms, frame.t_ms + std::max<std::int64_t>(frame.length_ms, 1));
      }
      host.files.push_back({std::filesystem::path(read->path.toStdString()), extent});
      auto& target = read->tier_ms == 0 ? host.raw : host.tiers[read->tier_ms];
      target.insert(target.end(), std::make_move_iterator(read->frames.begin()),
                    std::make_move_iterator(read->frames.end()));
      host.events.insert(host.events.end(), read->events.begin(), read->events.end());
      if (read->tier_ms == 0) host.raw_bursts_recorded = host.raw_bursts_recorded && read->bursts_recorded;
      if (read->role) host.role = read->role;
      for (const attribution::Incident& i : read->incidents) outcome.evidence.add_incident(i);
      for (const PathSnapshot& p : read->paths) outcome.evidence.add_path(read->host.toStdString(), p);
    }
    done += QFileInfo(f.path).size();
    progress(static_cast<int>(70 * done / total));
  }
  if (skipped > 0) {
    outcome.errors << QString("skipped %1 file(s) that hold no zzping frames").arg(skipped);
  }
  std::size_t host_index = 0;
  const std::size_t host_total = by_host.size() + dir_hosts.size();
  for (auto& [host, frames] : by_host) {
    outcome.hosts.push_back(build_timeline(host, frames, outcome.errors));
    outcome.roles.push_back(frames.role);
    auto host_files = std::make_shared<HostFiles>();
    host_files->whole_files = std::move(frames.files);
    outcome.host_files.push_back(std::move(host_files));
    frames = HostFrames{};  // free the decoded frames as soon as they are merged
    ++host_index;
    progress(70 + static_cast<int>(30 * host_index / host_total));
  }
  for (auto& [host_dir, host] : dir_hosts) {
    outcome.hosts.push_back(open_data_dir_host(host_dir, host, outcome.evidence, outcome.errors));
    const std::optional<view::TimeRange> extent = data_extent(host, outcome.evidence, outcome.errors);
    outcome.roles.push_back(host.role);
    auto host_files = std::make_shared<HostFiles>();
    host_files->chunks = std::move(host.files);
    host_files->host_dir = host_dir;
    host_files->data_extent = extent;
    outcome.host_files.push_back(std::move(host_files));
    ++host_index;
    progress(70 + static_cast<int>(30 * host_index / host_total));
  }
  if (!found_any && outcome.errors.isEmpty()) outcome.errors << "no file found in " + paths.join(", ");
  return outcome;
}

}  // namespace zzping::gui
