// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QCloseEvent>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTreeView>
#include <sstream>

#include "calendar_view.hpp"
#include "detail_controller.hpp"
#include "zzping/formats/any_format.hpp"
#include "live_controller.hpp"
#include "detail_loader.hpp"
#include "file_loader.hpp"
#include "file_reading.hpp"
#include "outage_model.hpp"
#include "path_view.hpp"
#include "plot_panel.hpp"
#include "summary_dock.hpp"
#include "summary_worker.hpp"
#include <filesystem>
#include "zzping/common/view/bucket_span.hpp"
#include "zzping/common/view/bucket_text.hpp"
#include "report_document.hpp"

namespace zzping::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), panel_(new PlotPanel(this)) {
  setWindowTitle("zzping");
  setCentralWidget(panel_);
  setAcceptDrops(true);
  loader_ = new FileLoader(&load_paths, this);
  connect(loader_, &FileLoader::progress, this, [this](int p) {
    progress_->setVisible(true);
    progress_->setValue(p);
  });
  // By value: takeOutcome() below empties the loader's copy the signal refers to.
  connect(loader_, &FileLoader::finished, this, [this](QStringList errors) {
    onLoaded(loader_->takeOutcome(), errors);
  });
  detail_ = new DetailController(hosts_, evidence_, *panel_, this);
  connect(detail_, &DetailController::detailArrived, this, [this](bool events_changed) {
    if (events_changed) refreshEventList();
    panel_->dataAppended();
  });
  connect(detail_, &DetailController::problem, this,
          [this](const QString& text) { statusBar()->showMessage(text, 15000); });
  buildMenus();
  buildDocks();
  buildYControls();
  level_label_ = new QLabel(this);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 100);
  progress_->setMaximumWidth(200);
  progress_->setVisible(false);
  statusBar()->addWidget(level_label_, 1);
  statusBar()->addPermanentWidget(progress_);
  connect(panel_, &PlotPanel::redrawn, level_label_, &QLabel::setText);
  // Each redraw knows the level the view wants: the moment to ask for its detail.
  connect(panel_, &PlotPanel::redrawn, this, [this] {
    detail_->schedulePlan();
  });
  // Every redraw (the view moved, data or detail arrived) restarts the summary's timer:
  // it is recomputed once things settle, never in the way of a redraw.
  summary_timer_.setSingleShot(true);
  summary_timer_.setInterval(kSummaryDelayMs);
  connect(&summary_timer_, &QTimer::timeout, this, &MainWindow::refreshSummary);
  connect(panel_, &PlotPanel::redrawn, this, [this] { summary_timer_.start(); });
  summary_worker_ = new SummaryWorker(this);
  connect(summary_worker_, &SummaryWorker::finished, this, &MainWindow::onSummaryComputed);
  evidence_worker_ = new EvidenceWorker(this);
  connect(evidence_worker_, &EvidenceWorker::finished, this, &MainWindow::onEvidenceRead);
  live_ = new LiveController(hosts_, evidence_, this);
  connect(live_, &LiveController::changes, this, &MainWindow::applyLiveChanges);
  connect(live_, &LiveController::daemonsChanged, this, [this](const QString& status) {
    refreshDaemonList();
    if (!status.isEmpty()) statusBar()->showMessage(status, 10000);
  });
  resize(1200, 800);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open files...", QKeySequence::Open, this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, "Open zzping files", last_directory_);
    if (!files.isEmpty()) openPaths(files);
  });
  file->addAction("Open data &directory...", QKeySequence("Ctrl+D"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Open a zzpingd data directory", last_directory_);
    if (!dir.isEmpty()) openPaths({dir});
  });
  file->addSeparator();
  file->addAction("Export visible range as &PNG...", QKeySequence("Ctrl+E"), this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Export PNG", "zzping.png", "PNG (*.png)");
    if (!f.isEmpty() && !exportPng(f)) QMessageBox::warning(this, "Export", "Could not write " + f);
  });
  file->addAction("Export visible range as &CSV...", QKeySequence("Ctrl+Shift+E"), this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Export CSV", "zzping.csv", "CSV (*.csv)");
    QString error;
    if (!f.isEmpty() && !exportCsv(f, &error)) QMessageBox::warning(this, "Export", error);
  });
  file->addAction("Export visible range as &report (PDF)...", this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Report", "zzping-report.pdf", "PDF (*.pdf)");
    QString error;
    if (!f.isEmpty() && !exportReport(f, &error)) QMessageBox::warning(this, "Report", error);
  });
  file->addAction("Export &outage list as CSV...", this, [this] {
    const QString f = QFileDialog::getSaveFileName(this, "Export outages", "zzping-outages.csv", "CSV (*.csv)");
    QString error;
    if (!f.isEmpty() && !exportOutagesCsv(f, &error)) QMessageBox::warning(this, "Export", error);
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu("&View");
  view->addAction("&Reset view", QKeySequence("Home"), this, [this] { panel_->resetView(); });
  view->addAction("Zoom &in", QKeySequence("+"), this, [this] { panel_->zoom(0.5); });
  view->addAction("Zoom &out", QKeySequence("-"), this, [this] { panel_->zoom(2.0); });
  view->addAction("Pan &left", QKeySequence("Left"), this, [this] { panel_->pan(-0.25); });
  view->addAction("Pan r&ight", QKeySequence("Right"), this, [this] { panel_->pan(0.25); });
  view->addSeparator();
  view->addAction("&Next outage", QKeySequence("N"), this, [this] { jumpToNeighbourEvent(1); });
  view->addAction("&Previous outage", QKeySequence("P"), this, [this] { jumpToNeighbourEvent(-1); });
  view->addSeparator();
  utc_action_ = view->addAction("Times in &UTC");
  utc_action_->setCheckable(true);
  utc_action_->setShortcut(QKeySequence("Ctrl+U"));
  utc_action_->setToolTip("Show times in UTC instead of local time (axes, hover, lists, CSV)");
  connect(utc_action_, &QAction::toggled, this, [this](bool utc) { setDisplayZone(DisplayZone(utc)); });
  view->addSeparator();
  view->addAction("Mouse: wheel zooms around the cursor, drag pans, right-drag or "
                  "Shift+drag zooms to the selection")->setEnabled(false);
}

void MainWindow::buildDocks() {
  host_list_ = new QListWidget(this);
  connect(host_list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    panel_->setHostVisible(static_cast<std::size_t>(host_list_->row(item)),
                           item->checkState() == Qt::Checked);
  });
  auto* hosts_dock = new QDockWidget("Hosts", this);
  hosts_dock->setObjectName("hosts");
  hosts_dock->setWidget(host_list_);
  addDockWidget(Qt::LeftDockWidgetArea, hosts_dock);

  outages_ = new OutageListModel(this);
  outages_sorted_ = new QSortFilterProxyModel(this);
  outages_sorted_->setSourceModel(outages_);
  outages_sorted_->setSortRole(OutageListModel::kSortRole);
  events_ = new QTreeView(this);
  events_->setModel(outages_sorted_);
  events_->setRootIsDecorated(false);
  events_->setUniformRowHeights(true);
  events_->setSortingEnabled(true);
  events_->sortByColumn(OutageListModel::kStart, Qt::AscendingOrder);
  events_->setSelectionBehavior(QAbstractItemView::SelectRows);
  events_->setTextElideMode(Qt::ElideMiddle);  // a long host name gives way, the numbers do not
  events_->header()->setStretchLastSection(false);
  events_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  events_->header()->setSectionResizeMode(OutageListModel::kHost, QHeaderView::Stretch);
  events_->header()->setMinimumSectionSize(events_->fontMetrics().horizontalAdvance("host") + 16);
  events_->setToolTip("Click a row to show it; N / P: next / previous row");
  connect(events_, &QTreeView::clicked, this, [this](const QModelIndex& index) { jumpToEvent(index.row()); });
  connect(events_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] { showSelectedPaths(); });
  cause_legend_ = new QLabel(cause_legend_html(), this);
  cause_legend_->setObjectName("cause_legend");
  cause_legend_->setTextFormat(Qt::RichText);
  cause_legend_->setWordWrap(true);
  cause_legend_->setToolTip(cause_legend_tooltip());
  paths_ = new PathView(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  auto* list_box = new QWidget(split);
  auto* list_layout = new QVBoxLayout(list_box);
  list_layout->setContentsMargins(0, 0, 0, 0);
  list_layout->setSpacing(2);
  list_layout->addWidget(events_, 1);
  list_layout->addWidget(cause_legend_);
  split->addWidget(list_box);
  split->addWidget(paths_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* events_dock = new QDockWidget("Outages", this);
  events_dock->setObjectName("events");
  events_dock->setWidget(split);
  addDockWidget(Qt::LeftDockWidgetArea, events_dock);
  fitEventColumns();

  summary_ = new SummaryDock(this);
  auto* summary_dock = new QDockWidget("Summary", this);
  summary_dock->setObjectName("summary");
  summary_dock->setWidget(summary_);
  addDockWidget(Qt::BottomDockWidgetArea, summary_dock);
  buildCalendarDock(summary_dock);
}

// --- calendar heatmap ------------------------------------------------------------------

// A tab next to the Summary dock: host and metric choice over the heatmap.
void MainWindow::buildCalendarDock(QDockWidget* beside) {
  auto* box = new QWidget(this);
  calendar_host_ = new QComboBox(box);
  calendar_metric_ = new QComboBox(box);
  calendar_metric_->addItems({"loss %", "p95 RTT (ms)"});
  calendar_ = new CalendarView(box);
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel("Host", box));
  controls->addWidget(calendar_host_, 1);
  controls->addWidget(new QLabel("colour", box));
  controls->addWidget(calendar_metric_);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addLayout(controls);
  layout->addWidget(calendar_, 1);
  box->setToolTip("Hour of day x day from the hour buckets (a data directory's 1 h tier: exact "
                  "p95); click a cell to show that hour");
  auto* dock = new QDockWidget("Calendar", this);
  dock->setObjectName("calendar");
  dock->setWidget(box);
  addDockWidget(Qt::BottomDockWidgetArea, dock);
  tabifyDockWidget(beside, dock);
  beside->raise();
  connect(calendar_host_, &QComboBox::currentIndexChanged, this, [this] { refreshCalendar(); });
  connect(calendar_metric_, &QComboBox::currentIndexChanged, this, [this] { refreshCalendar(); });
  connect(calendar_, &CalendarView::hourClicked, this,
          [this](qint64 start) { panel_->setTimeRange({start, start + 3'600'000}); });
}

// The hour buckets of a host: a data directory's 1 h tier files (with histograms: exact
// p95), else the timeline's 1 h level (loss only: the buckets keep no p95).
std::vector<HourCell> MainWindow::hourCells(std::size_t h) const {
  std::vector<HourCell> cells;
  const HostRecord& host = hosts_[h];
  if (host.files) {
    for (const auto& [key, paths] : host.files->chunks) {
      if (key.resolution != view::Resolution::kHour) continue;
      for (const QString& path : paths) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) continue;
        const QByteArray bytes = f.readAll();
        try {
          const formats::LoadedFrames loaded = formats::load_frames(
              std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())),
              QFileInfo(path).fileName().toStdString());
          for (const Frame& frame : loaded.frames) {
            const std::uint32_t sent = frame.sent > 0 ? frame.sent : frame.recv + frame.lost;
            HourCell cell{frame.t_ms, sent > 0 ? 100.0 * frame.lost / sent : 0.0, std::nullopt};
            if (!frame.rtt.empty()) cell.p95_ms = frame.rtt.quantile_ns(0.95) / 1e6;
            cells.push_back(cell);
          }
        } catch (const std::exception&) {
          // A damaged tier file: its hours stay empty (the plots report the file).
        }
      }
    }
    if (!cells.empty()) return cells;
  }
  const view::HostTimeline& timeline = *host.timeline;
  const auto extent = timeline.extent();
  if (!extent) return cells;
  for (std::size_t level = 0; level < timeline.level_count(); ++level) {
    if (timeline.level_bucket_ms(level) != 3'600'000) continue;
    for (const view::BucketSummary& b : timeline.visible(level, *extent).buckets) {
      if (b.length_ms == 3'600'000) cells.push_back({b.t_ms, b.loss_percent(), std::nullopt});
    }
  }
  return cells;
}

void MainWindow::refreshCalendar() {
  {
    const QSignalBlocker quiet(calendar_host_);
    // Rebuilt in host order (hosts are reordered by role); the chosen host stays chosen.
    const QVariant keep = calendar_host_->currentData();
    calendar_host_->clear();
    for (std::size_t h = 0; h < hosts_.size(); ++h) {
      calendar_host_->addItem(hostLabel(h), QVariant::fromValue(static_cast<qulonglong>(hosts_[h].id)));
    }
    const int again = keep.isValid() ? calendar_host_->findData(keep) : -1;
    if (calendar_host_->count() > 0) calendar_host_->setCurrentIndex(std::max(again, 0));
  }
  const int h = calendar_host_->currentIndex();
  const auto metric = static_cast<CalendarMetric>(calendar_metric_->currentIndex());
  if (h < 0) return calendar_->setGrid({}, metric);
  calendar_->setGrid(CalendarGrid(hourCells(static_cast<std::size_t>(h)), metric, zone_.offset()), metric);
}

void MainWindow::setDisplayZone(DisplayZone zone) {
  zone_ = zone;
  {
    const QSignalBlocker quiet(utc_action_);
    utc_action_->setChecked(zone.utc());
  }
  panel_->setDisplayZone(zone);
  outages_->setDisplayZone(zone);
  showSelectedPaths();
  refreshCalendar();
  summary_timer_.start();
}

// Asks the summary worker for the exact summaries of the visible range; the dock keeps
// its rows until they arrive (onSummaryComputed).
void MainWindow::refreshSummary() {
  panel_->redrawNow();  // the range and buckets must be those of the current view
  summary_timer_.stop();
  SummaryRequest request;
  request.generation = ++summary_generation_;
  request.range = panel_->timeRange();
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    if (panel_->hostVisible(h)) request.hosts.emplace_back(h, summarySource(h));
  }
  summary_worker_->request(std::move(request));
}

SummarySource MainWindow::summarySource(std::size_t h) const {
  SummarySource source;
  source.host = hosts_[h].timeline->name();
  const HostRecord& in = hosts_[h];
  if (in.live) {
    source.live = in.live->snapshot();
  } else if (in.files && !in.files->host_dir.isEmpty()) {
    source.host_dir = std::filesystem::path(in.files->host_dir.toStdString());
  } else if (in.files) {
    source.files = in.files->whole_files;
  }
  return source;
}

bool MainWindow::summaryCurrent() const {
  return !summary_timer_.isActive() && summary_worker_->idle() && summary_shown_ == summary_generation_;
}

void MainWindow::onSummaryComputed(const std::shared_ptr<SummaryResults>& results) {
  if (results->generation != summary_generation_) return;  // the view moved on: a newer one comes
  summary_shown_ = results->generation;
  const view::TimeRange range = results->range;
  std::vector<SummaryDock::Row> rows;
  int inexact = 0;
  for (auto& [h, computed] : results->hosts) {
    if (h >= hosts_.size()) continue;
    if (computed.summary && !computed.problem.empty()) {
      statusBar()->showMessage(QString::fromStdString(computed.problem).trimmed(), 15000);
    }
    if (computed.summary) {
      rows.push_back({std::move(*computed.summary), "Exact, from " + QString::fromStdString(computed.origin),
                      hostLabel(h)});
    } else {
      rows.push_back(bucketRow(h, range, QString::fromStdString(computed.problem)));
      rows.back().label = hostLabel(h);
      ++inexact;
    }
  }
  QString note = QString("%1 to %2 (%3): ").arg(zone_.format(range.begin_ms), zone_.format(range.end_ms),
                                                zone_.label(range.begin_ms));
  note += inexact == 0 ? "the numbers zzping-dump --summary --from .. --to .. gives (hover a row for the source)."
                       : QString("%1 row(s) without p50/p95/p99 and MOS are sums of the buckets drawn "
                                 "(hover the row for why).").arg(inexact);
  summary_->setRows(rows, note);
}

// Counts, jitter, bursts and availability from the buckets drawn (exact sums); no quantiles:
// for a host whose histograms cannot be read again.
SummaryDock::Row MainWindow::bucketRow(std::size_t h, view::TimeRange range, const QString& why) const {
  const view::HostTimeline& host = *hosts_[h].timeline;
  view::BucketSpanSummary s =
      view::summarize_buckets(host.name(), range, panel_->bucketsShown(h), host.recorded_events(),
                              host.burst_recording());
  const std::uint32_t bucket_ms = host.level_bucket_ms(panel_->levelShown(h));
  QString source = QString("Sums of %1 buckets of %2")
                       .arg(s.buckets)
                       .arg(bucket_ms == 0 ? QString("raw frames")
                                           : QString::fromStdString(view::format_duration(bucket_ms)));
  if (!panel_->detailComplete(h)) source += " (coarser where detail is still loading)";
  if (s.straddling > 0) source += "; the last bucket runs past the end of the view";
  if (!why.isEmpty()) source += ". No quantiles: " + why;
  return {std::move(s.summary), source};
}

void MainWindow::buildYControls() {
  QToolBar* bar = addToolBar("Y axis");
  bar->setObjectName("yaxis");
  bar->addWidget(new QLabel("Y axis: ", bar));
  y_mode_ = new QComboBox(bar);
  y_mode_->addItems({"linear", "semi-log", "fixed"});
  bar->addWidget(y_mode_);
  bar->addWidget(new QLabel("  scale factor ", bar));
  y_factor_ = new QSlider(Qt::Horizontal, bar);
  y_factor_->setRange(0, view::YScale::kMaxScaleFactor);
  y_factor_->setValue(60);
  y_factor_->setMaximumWidth(160);
  bar->addWidget(y_factor_);
  bar->addWidget(new QLabel("  range (ms) ", bar));
  y_min_ = new QDoubleSpinBox(bar);
  y_max_ = new QDoubleSpinBox(bar);
  for (QDoubleSpinBox* s : {y_min_, y_max_}) {
    s->setRange(0.0, 100000.0);
    s->setDecimals(1);
    bar->addWidget(s);
  }
  y_max_->setValue(100.0);
  connect(y_mode_, &QComboBox::currentIndexChanged, this, [this] { applyYControls(); });
  connect(y_factor_, &QSlider::valueChanged, this, [this] { applyYControls(); });
  connect(y_min_, &QDoubleSpinBox::valueChanged, this, [this] { applyYControls(); });
  connect(y_max_, &QDoubleSpinBox::valueChanged, this, [this] { applyYControls(); });
  bar->addSeparator();
  bar->addAction("Reset view", this, [this] { panel_->resetView(); });
  applyYControls();
}

void MainWindow::applyYControls() {
  view::YScale scale;
  const int mode = y_mode_->currentIndex();
  y_factor_->setEnabled(mode == 1);
  y_min_->setEnabled(mode == 2);
  y_max_->setEnabled(mode == 2);
  if (mode == 1) scale.set_semi_log(y_factor_->value());
  // An inverted or empty fixed range keeps the previous scale rather than failing.
  if (mode == 2) {
    if (y_min_->value() >= y_max_->value()) return;
    scale.set_fixed(y_min_->value(), y_max_->value());
  }
  panel_->setYScale(scale);
}

void MainWindow::addHosts(std::vector<std::shared_ptr<view::HostTimeline>> hosts,
                          std::vector<std::shared_ptr<const HostFiles>> host_files,
                          std::vector<std::optional<attribution::Role>> roles, const Evidence& evidence) {
  host_files.resize(hosts.size());
  roles.resize(hosts.size());
  std::vector<EvidenceFiles> raw_hours;
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    if (host_files[h]) raw_hours.push_back(rawHourFiles(hosts[h]->name(), *host_files[h]));
    hosts_.push_back({std::move(hosts[h]), std::move(host_files[h]), nullptr, roles[h]});
  }
  mergeEvidence(evidence);
  orderHosts();
  refreshEventList();
  std::erase_if(raw_hours, [](const EvidenceFiles& f) { return f.paths.isEmpty(); });
  if (!raw_hours.empty()) evidence_worker_->request(std::move(raw_hours));
}

// A data directory's raw hours (the view loads only some of them); files opened as such
// were read whole at open, evidence included.
EvidenceFiles MainWindow::rawHourFiles(const std::string& host, const HostFiles& files) {
  EvidenceFiles out{host, {}};
  for (const auto& [key, paths] : files.chunks) {
    if (key.resolution == view::Resolution::kRaw) out.paths << paths;
  }
  return out;
}

void MainWindow::mergeEvidence(const Evidence& evidence) {
  for (const attribution::Incident& i : evidence.incidents()) evidence_.add_incident(i);
  for (const auto& [name, paths] : evidence.all_paths()) {
    for (const PathSnapshot& p : paths) evidence_.add_path(name, p);
  }
}

void MainWindow::onEvidenceRead(const std::shared_ptr<EvidenceResult>& result) {
  mergeEvidence(result->evidence);
  refreshEventList();
  if (!result->warnings.isEmpty()) statusBar()->showMessage(result->warnings.join("; "), 15000);
}

QString MainWindow::hostLabel(std::size_t h) const {
  return QString::fromStdString(host_label(hosts_.at(h).timeline->name(), hosts_.at(h).role));
}

// Gateway, isp, internet, then by name, wherever hosts are listed (plots, Hosts dock,
// calendar, lists). Hidden hosts stay hidden: visibility follows the host, not its row.
void MainWindow::orderHosts() {
  std::map<std::size_t, bool> shown;
  for (std::size_t h = 0; h < hosts_.size() && h < panel_->hostCount(); ++h) shown[hosts_[h].id] = panel_->hostVisible(h);
  std::stable_sort(hosts_.begin(), hosts_.end(), [](const HostRecord& a, const HostRecord& b) {
    return host_before(a.role, a.timeline->name(), b.role, b.timeline->name());
  });
  std::vector<bool> visible;
  std::vector<QString> titles;
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    const auto it = shown.find(hosts_[h].id);
    visible.push_back(it == shown.end() || it->second);
    titles.push_back(hostLabel(h));
  }
  panel_->setHosts(timelines(), dataExtents(), visible);
  panel_->setHostTitles(titles);
  refreshHostList();
  refreshCalendar();
}

std::vector<std::optional<view::TimeRange>> MainWindow::dataExtents() const {
  std::vector<std::optional<view::TimeRange>> out;
  for (const HostRecord& host : hosts_) out.push_back(host.files ? host.files->data_extent : std::nullopt);
  return out;
}

std::vector<std::shared_ptr<view::HostTimeline>> MainWindow::hosts() const {
  std::vector<std::shared_ptr<view::HostTimeline>> out;
  for (const HostRecord& host : hosts_) out.push_back(host.timeline);
  return out;
}

std::vector<std::shared_ptr<const view::HostTimeline>> MainWindow::timelines() const {
  std::vector<std::shared_ptr<const view::HostTimeline>> out;
  for (const HostRecord& host : hosts_) out.push_back(host.timeline);
  return out;
}

// One row per host in host order, ticked as the panel shows them.
void MainWindow::refreshHostList() {
  const QSignalBlocker block(host_list_);
  host_list_->clear();
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    auto* item = new QListWidgetItem(hostLabel(h), host_list_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(panel_->hostVisible(h) ? Qt::Checked : Qt::Unchecked);
  }
}

// Incidents when there are any (native 1.2 data, a 1.2 daemon), else each host's outages.
void MainWindow::refreshEventList() {
  std::vector<OutageRow> rows;
  if (!evidence_.incidents().empty()) {
    for (const attribution::Incident& i : evidence_.incidents()) {
      QStringList targets;
      for (const std::string& t : i.targets) targets << QString::fromStdString(t);
      rows.push_back({0, targets.join(", "), LossEvent{i.start_ms, i.end_ms, i.probes_lost}, i});
    }
  } else {
    for (std::size_t h = 0; h < hosts_.size(); ++h) {
      const QString name = hostLabel(h);
      for (const LossEvent& e : hosts_[h].timeline->events()) rows.push_back({h, name, e, std::nullopt});
    }
  }
  // The model is reset (rows arrive with detail and live data): the selected row stays
  // selected, found again by what it shows.
  std::optional<std::pair<QString, std::int64_t>> selected;
  if (const QModelIndex current = events_->currentIndex(); current.isValid()) {
    const OutageRow& r = outages_->row(outages_sorted_->mapToSource(current).row());
    selected = std::pair{r.host_name, r.event.start_ms};
  }
  const bool was_incidents = outages_->incidents();
  outages_->setRows(std::move(rows));
  if (was_incidents != outages_->incidents()) fitEventColumns();
  if (selected) {
    for (int r = 0; r < outages_->rowCount(); ++r) {
      if (outages_->row(r).host_name != selected->first || outages_->row(r).event.start_ms != selected->second) continue;
      events_->selectionModel()->setCurrentIndex(outages_sorted_->mapFromSource(outages_->index(r, 0)),
                                                 QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
      break;
    }
  }
  showSelectedPaths();
}

// The cause and last hop columns, the legend and the path panel only for incidents; the
// list wide enough for every column at the default window size (the targets / host column
// stretches and elides, the numbers keep their width).
void MainWindow::fitEventColumns() {
  const bool incidents = outages_->incidents();
  events_->setColumnHidden(OutageListModel::kCause, !incidents);
  events_->setColumnHidden(OutageListModel::kLastHop, !incidents);
  cause_legend_->setVisible(incidents);
  paths_->setVisible(incidents);
  const QFontMetrics fm = events_->fontMetrics();
  const int padding = 2 * events_->style()->pixelMetric(QStyle::PM_HeaderMargin) + 12;
  int width = fm.horizontalAdvance("0000-00-00 00:00:00") + fm.horizontalAdvance("duration") +
              fm.horizontalAdvance("100000") + fm.horizontalAdvance("host.example") + 4 * padding +
              events_->style()->pixelMetric(QStyle::PM_ScrollBarExtent);
  if (incidents) {
    const int icon = events_->style()->pixelMetric(QStyle::PM_SmallIconSize) + 6;
    width += fm.horizontalAdvance("gateway_only") + icon + fm.horizontalAdvance("192.168.100.100") + 2 * padding;
  }
  events_->setMinimumWidth(width);
}

void MainWindow::showSelectedPaths() {
  const QModelIndex current = events_->currentIndex();
  if (!current.isValid() || !outages_->incidents()) {
    paths_->showPaths({}, zone_, "Select an incident to see its path snapshots");
    return;
  }
  const OutageRow& row = outages_->row(outages_sorted_->mapToSource(current).row());
  if (!row.incident) return;
  paths_->showPaths(incident_paths(evidence_, *row.incident), zone_,
                    "No path snapshot of its targets (traces run for internet / isp targets with trace on)");
}

// Shows the outage in row `row` of the list (as sorted) with as much context again on
// each side, and selects it.
void MainWindow::jumpToEvent(int row) {
  const QModelIndex index = outages_sorted_->index(row, 0);
  if (!index.isValid()) return;
  events_->setCurrentIndex(index);
  const LossEvent& e = outages_->row(outages_sorted_->mapToSource(index).row()).event;
  const std::int64_t margin = std::max<std::int64_t>(e.end_ms - e.start_ms, 1000);
  panel_->setTimeRange({e.start_ms - margin, e.end_ms + margin});
}

void MainWindow::jumpToNeighbourEvent(int step) {
  const int count = outages_sorted_->rowCount();
  if (count == 0) return;
  const QModelIndex current = events_->currentIndex();
  const int row = current.isValid() ? std::clamp(current.row() + step, 0, count - 1) : (step > 0 ? 0 : count - 1);
  jumpToEvent(row);
}

bool MainWindow::exportOutagesCsv(const QString& file, QString* error) {
  std::vector<int> order;
  for (int r = 0; r < outages_sorted_->rowCount(); ++r) {
    order.push_back(outages_sorted_->mapToSource(outages_sorted_->index(r, 0)).row());
  }
  const std::string text = outages_->csv(order);
  QFile f(file);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      f.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
    if (error) *error = QString("cannot write %1: %2").arg(file, f.errorString());
    return false;
  }
  return true;
}

void MainWindow::openPaths(const QStringList& paths) {
  if (!loader_->start(paths)) {
    statusBar()->showMessage("Still loading; try again when done", 5000);
    return;
  }
  opened_paths_ += paths;
  if (!paths.isEmpty()) {
    const QFileInfo first(paths.front());
    last_directory_ = first.isDir() ? first.absoluteFilePath() : first.absolutePath();
  }
  progress_->setValue(0);
  progress_->setVisible(true);
  statusBar()->showMessage("Loading " + paths.join(", "));
}

bool MainWindow::isLoading() const { return loader_->busy(); }

bool MainWindow::viewSettled() const { return unsettledReason().isEmpty(); }

QString MainWindow::unsettledReason() const {
  if (isLoading()) return "files still loading";
  if (const QString live = live_->waitingFor(); !live.isEmpty()) return live;
  if (panel_->redrawPending() || !detailIdle()) return "detail still loading";
  if (!evidence_worker_->idle()) return "the incident list";
  if (!summaryCurrent()) return "the summary";
  return {};
}

void MainWindow::onLoaded(LoadOutcome outcome, QStringList errors) {
  progress_->setVisible(false);
  statusBar()->clearMessage();
  addHosts(std::move(outcome.hosts), std::move(outcome.host_files), std::move(outcome.roles), outcome.evidence);
  emit loadingFinished(errors);
  if (!errors.isEmpty()) {
    statusBar()->showMessage(errors.join("; "), 15000);
    // Not modal: the plots of what did load are usable while the message is up.
    auto* box = new QMessageBox(QMessageBox::Warning, "zzping", "Some files could not be read fully.",
                                QMessageBox::Close, this);
    box->setDetailedText(errors.join("\n"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
}

// --- detail on demand (data directories) ---------------------------------------------

bool MainWindow::detailIdle() const { return detail_->idle(); }

void MainWindow::setDetailBudget(view::DetailBudget budget) { detail_->setBudget(budget); }

const view::DetailBudget& MainWindow::detailBudget() const { return detail_->budget(); }

DetailLoader* MainWindow::detailLoader() const { return detail_->loader(); }

// --- live mode ---------------------------------------------------------------------

void MainWindow::buildLiveControls() {
  daemon_list_ = new QListWidget(this);
  auto* dock = new QDockWidget("Daemons", this);
  dock->setObjectName("daemons");
  dock->setWidget(daemon_list_);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  QToolBar* bar = addToolBar("Live");
  bar->setObjectName("live");
  pause_ = bar->addAction("Pause");
  pause_->setCheckable(true);
  pause_->setShortcut(QKeySequence("Space"));
  pause_->setToolTip("Freeze the view; frames keep arriving and show when resumed");
  connect(pause_, &QAction::toggled, this, [this](bool paused) { panel_->setFollowTail(!paused); });
}

DaemonLink* MainWindow::connectDaemon(DaemonLink::Options options) {
  if (!daemon_list_) buildLiveControls();
  DaemonLink* link = live_->connectDaemon(std::move(options));
  panel_->setFollowTail(!pause_->isChecked());
  refreshDaemonList();
  return link;
}

const std::vector<DaemonLink*>& MainWindow::daemons() const { return live_->daemons(); }

void MainWindow::setLiveDetailWindow(std::int64_t window_ms) { live_->setDetailWindow(window_ms); }

void MainWindow::refreshDaemonList() {
  daemon_list_->clear();
  for (const DaemonLink* link : live_->daemons()) {
    QString text = link->address() + ": " + view::link_state_name(link->state());
    if (link->state() == view::LinkState::Connected) {
      text += QString(", %1 hosts").arg(link->hosts().size());
    } else if (!link->lastReason().isEmpty()) {
      text += " - " + link->lastReason();
    }
    auto* item = new QListWidgetItem(text, daemon_list_);
    item->setToolTip(link->lastReason());
  }
}

void MainWindow::applyLiveChanges(bool hosts_added, bool frames, bool events) {
  if (hosts_added) orderHosts();
  if (events || hosts_added) refreshEventList();
  if (frames || hosts_added) panel_->dataAppended();
}

// view::write_csv_rows' rows with a t_local column appended (the zone shown, with its
// offset); the columns before it are unchanged, so scripts reading the file keep working.
std::string MainWindow::csvText() const {
  std::ostringstream header;
  view::write_csv_header(header);
  std::string text = header.str();
  text.insert(text.size() - 1, ",t_local");
  for (std::size_t h = 0; h < hosts_.size(); ++h) {
    for (const view::BucketSummary& b : panel_->bucketsShown(h)) {
      std::ostringstream row;
      view::write_csv_rows(row, hosts_[h].timeline->name(), std::span(&b, 1));
      std::string line = row.str();
      line.insert(line.size() - 1, "," + zone_.format(b.t_ms).toStdString() + format_offset(zone_.offsetAt(b.t_ms)));
      text += line;
    }
  }
  return text;
}

bool MainWindow::exportCsv(const QString& file, QString* error) {
  QFile f(file);
  const std::string text = csvText();
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      f.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())) {
    if (error) *error = QString("cannot write %1: %2").arg(file, f.errorString());
    return false;
  }
  return true;
}

bool MainWindow::exportPng(const QString& file) { return panel_->savePng(file); }

bool MainWindow::exportReport(const QString& file, QString* error) {
  try {
    report::ReportRequest request;
    for (const QString& p : opened_paths_) request.paths.emplace_back(p.toStdString());
    request.from_ms = panel_->timeRange().begin_ms;
    request.to_ms = panel_->timeRange().end_ms;
    std::ostringstream warnings;
    const auto report_data = report::read_report(request, warnings);
    report::DocumentOptions options;
    options.zone.kind = zone_.utc() ? report::TimeZone::Kind::kUtc : report::TimeZone::Kind::kLocal;
    report::write_report_pdf(report_data, options, file.toStdString());
    if (!warnings.str().empty() && error) *error = QString::fromStdString(warnings.str());
    return warnings.str().empty();
  } catch (const std::exception& e) {
    if (error) *error = QString("cannot write %1: %2").arg(file, e.what());
    return false;
  }
}

// --- settings ------------------------------------------------------------------------

namespace {
constexpr int kSettingsVersion = 1;  // of saveState()'s dock and toolbar layout
}

void MainWindow::saveSettings(QSettings& settings) const {
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState(kSettingsVersion));
  settings.setValue("y_axis/mode", y_mode_->currentIndex());
  settings.setValue("y_axis/scale_factor", y_factor_->value());
  settings.setValue("y_axis/min_ms", y_min_->value());
  settings.setValue("y_axis/max_ms", y_max_->value());
  settings.setValue("time/utc", zone_.utc());
  settings.setValue("files/last_directory", last_directory_);
}

void MainWindow::restoreSettings(const QSettings& settings) {
  if (settings.contains("window/geometry")) restoreGeometry(settings.value("window/geometry").toByteArray());
  if (settings.contains("window/state")) {
    docks_sized_ = restoreState(settings.value("window/state").toByteArray(), kSettingsVersion);
  }
  // Values out of range (an edited file) are clamped by the widgets.
  y_factor_->setValue(settings.value("y_axis/scale_factor", y_factor_->value()).toInt());
  y_min_->setValue(settings.value("y_axis/min_ms", y_min_->value()).toDouble());
  y_max_->setValue(settings.value("y_axis/max_ms", y_max_->value()).toDouble());
  const int mode = settings.value("y_axis/mode", y_mode_->currentIndex()).toInt();
  if (mode >= 0 && mode < y_mode_->count()) y_mode_->setCurrentIndex(mode);
  setDisplayZone(DisplayZone(settings.value("time/utc", zone_.utc()).toBool()));
  last_directory_ = settings.value("files/last_directory", last_directory_).toString();
}

void MainWindow::rememberSettings() {
  remember_settings_ = true;
  QSettings settings;
  restoreSettings(settings);
}

// The first time the window shows (not before: a hidden window's dock layout would squeeze
// the plots): a few hosts need little height, the incident list and its paths more.
// Remembered layouts (restoreSettings) come later and win.
void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (docks_sized_) return;
  docks_sized_ = true;
  auto* hosts = findChild<QDockWidget*>("hosts");
  auto* events = findChild<QDockWidget*>("events");
  if (hosts && events && dockWidgetArea(hosts) == dockWidgetArea(events)) {
    resizeDocks({hosts, events}, {140, 600}, Qt::Vertical);
    // A wide window gives the lists more room (names with roles), the plots keep 70 %.
    const int wide = std::max(events->minimumSizeHint().width(), width() * 3 / 10);
    resizeDocks({events}, {wide}, Qt::Horizontal);
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (remember_settings_) {
    QSettings settings;
    saveSettings(settings);
  }
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (url.isLocalFile()) paths << url.toLocalFile();
  }
  if (!paths.isEmpty()) openPaths(paths);
}

}  // namespace zzping::gui
