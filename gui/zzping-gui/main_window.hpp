// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// MainWindow: menus, host list, event list, Y-axis controls around the PlotPanel.
#include <QMainWindow>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon_link.hpp"
#include "display_zone.hpp"
#include "file_loader.hpp"
#include "calendar_grid.hpp"
#include "host_record.hpp"
#include "incident_evidence.hpp"
#include "live_frame_log.hpp"
#include "summary_dock.hpp"
#include "evidence_worker.hpp"
#include "summary_worker.hpp"

#include "zzping/common/view/detail_planner.hpp"
#include "zzping/common/view/host_timeline.hpp"

class QAction;
class QDockWidget;
class QSettings;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QSlider;
class QSortFilterProxyModel;
class QTreeView;

namespace zzping::gui {

class PlotPanel;
class DetailLoader;
class DetailController;
class LiveController;
class CalendarView;
class OutageListModel;
class PathView;
struct LoadedChunk;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Adds hosts (file loading, tests); the view resets to show everything.
  // `host_files` (parallel to `hosts`, or empty) holds the files each host was read from
  // (detail on demand, exact summaries); hosts without them get bucket sums only.
  // Hosts are kept in the order gateway, isp, internet, then by name (`roles` parallel to
  // `hosts`, or empty: unknown); `evidence` (incidents, paths) joins what is known.
  void addHosts(std::vector<std::shared_ptr<view::HostTimeline>> hosts,
                std::vector<std::shared_ptr<const HostFiles>> host_files = {},
                std::vector<std::optional<attribution::Role>> roles = {}, const Evidence& evidence = {});
  // Loads files and folders off the GUI thread; finished() fires when done.
  void openPaths(const QStringList& paths);
  bool isLoading() const;
  // Nothing left to wait for before the view is what it will be: no file loading, no
  // detail planned, read or waiting to be drawn, no redraw pending, every daemon's
  // backfill arrived and drawn. (ScreenshotTaker waits for it.)
  bool viewSettled() const;
  // What viewSettled() still waits for, for a message.
  QString unsettledReason() const;

  // Live mode: the hosts of the daemon join the plots (one row each, hosts of several
  // daemons side by side), following the newest data unless paused. Connect every daemon
  // before the first frames arrive, so host names carry the daemon when there are several.
  DaemonLink* connectDaemon(DaemonLink::Options options);
  const std::vector<DaemonLink*>& daemons() const;
  QListWidget* daemonList() const { return daemon_list_; }
  // Checked: the view stays where it is while frames keep arriving.
  QAction* pauseAction() const { return pause_; }
  // How often live data is redrawn at most (frames arrive every 100 ms per host).
  static constexpr int kLiveRedrawMs = 250;  // LiveController::kRedrawMs

  // Data directories: fine detail (raw hours, 1 s days) is loaded for the view and kept
  // within this budget per host.
  void setDetailBudget(view::DetailBudget budget);
  const view::DetailBudget& detailBudget() const;
  // No detail is being planned, read or waiting to be drawn.
  bool detailIdle() const;
  DetailLoader* detailLoader() const;

  // Live mode: raw frames and levels finer than 1 min are kept for this long per host
  // (older times are drawn from 1 min buckets). Applies to hosts added afterwards.
  void setLiveDetailWindow(std::int64_t window_ms);
  static constexpr std::int64_t kDefaultLiveDetailWindowMs = 6 * 3'600'000;

  PlotPanel* plotPanel() const { return panel_; }
  // The hosts' timelines, in host order (the index every other call takes).
  std::vector<std::shared_ptr<view::HostTimeline>> hosts() const;
  // The Outages dock: a sortable view of outageModel() (N / P jump to the next / previous
  // row in the order shown). With incident records (native 1.2 data, a 1.2 daemon) it is
  // the incident list; selecting an incident shows its path snapshots in pathView().
  QTreeView* eventList() const { return events_; }
  PathView* pathView() const { return paths_; }
  QLabel* causeLegend() const { return cause_legend_; }
  // Incidents, path snapshots (from files, detail, the stream) the list shows.
  const Evidence& evidence() const { return evidence_; }
  // The host's name as listed everywhere: with its role when known, "r1 (gateway)".
  QString hostLabel(std::size_t host) const;
  // Roles of the hosts (in host order), absent where no file header or stream said one.
  std::optional<attribution::Role> hostRole(std::size_t host) const { return hosts_.at(host).role; }
  OutageListModel* outageModel() const { return outages_; }
  // File -> Report: the zzping-report PDF of the visible range, from the files and
  // folders opened (live data from a daemon is not in it); false with a reason on failure.
  bool exportReport(const QString& file, QString* error);
  void jumpToNeighbourEvent(int step);
  // Selects row `row` (0-based, in the order shown) as a click would: the view zooms to it
  // and the path panel shows its snapshots. Out of range: nothing.
  void selectEventRow(int row) { jumpToEvent(row); }
  // The list as CSV, in the order shown (OutageListModel::csv).
  bool exportOutagesCsv(const QString& file, QString* error = nullptr);
  QListWidget* hostList() const { return host_list_; }
  // The Summary dock: recomputed kSummaryDelayMs after the last redraw (view moved, data
  // arrived) on the summary worker thread, exactly as zzping-dump --summary does, from the
  // host's data directory, files, or received frames (SummarySource).
  SummaryDock* summaryDock() const { return summary_; }
  static constexpr int kSummaryDelayMs = 100;
  // Asks for the Summary dock's numbers of the current view now (normally summary_timer_
  // does it); they arrive on the GUI thread a little later.
  void refreshSummary();
  // The dock shows the summary of the current view (nothing pending or being computed).
  bool summaryCurrent() const;

  // Writes the visible range of every shown host, at the level drawn, as CSV.
  bool exportCsv(const QString& file, QString* error = nullptr);
  bool exportPng(const QString& file);
  // Writes the CSV text exportCsv() writes: t_utc (UTC) and t_local (the zone shown).
  std::string csvText() const;

  // Times in UTC or local time (the default) everywhere: axes, hover, lists, CSV.
  void setDisplayZone(DisplayZone zone);
  const DisplayZone& displayZone() const { return zone_; }
  QAction* utcAction() const { return utc_action_; }

  // Window layout (geometry, docks, toolbars), Y-axis controls, time zone and the last
  // opened directory. rememberSettings() restores them from the user's QSettings now and
  // saves them when the window closes (the application does this; tests do not, so
  // they start from the defaults).
  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);
  void rememberSettings();
  const QString& lastDirectory() const { return last_directory_; }
  QComboBox* yModeBox() const { return y_mode_; }
  // The Calendar dock (a tab beside the Summary): host and metric, and the heatmap.
  CalendarView* calendarView() const { return calendar_; }
  QComboBox* calendarHost() const { return calendar_host_; }
  QComboBox* calendarMetric() const { return calendar_metric_; }
  void refreshCalendar();

 signals:
  void loadingFinished(QStringList errors);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  QStringList opened_paths_;  // every path given to openPaths (File -> Report reads them)
  void buildMenus();
  void buildDocks();
  void buildYControls();
  void applyYControls();
  void refreshHostList();
  void orderHosts();
  void refreshEventList();
  void showSelectedPaths();
  void fitEventColumns();
  void jumpToEvent(int row);
  void onLoaded(LoadOutcome outcome, QStringList errors);
  void buildLiveControls();
  void refreshDaemonList();
  void applyLiveChanges(bool hosts_added, bool frames, bool events);
  std::vector<std::optional<view::TimeRange>> dataExtents() const;
  std::vector<std::shared_ptr<const view::HostTimeline>> timelines() const;
  void buildCalendarDock(QDockWidget* beside);
  std::vector<HourCell> hourCells(std::size_t host) const;
  SummarySource summarySource(std::size_t host) const;
  void onSummaryComputed(const std::shared_ptr<SummaryResults>& results);
  static EvidenceFiles rawHourFiles(const std::string& host, const HostFiles& files);
  void mergeEvidence(const Evidence& evidence);
  void onEvidenceRead(const std::shared_ptr<EvidenceResult>& result);
  SummaryDock::Row bucketRow(std::size_t host, view::TimeRange range, const QString& why) const;

  PlotPanel* panel_;
  QListWidget* host_list_ = nullptr;
  QTreeView* events_ = nullptr;
  OutageListModel* outages_ = nullptr;
  PathView* paths_ = nullptr;
  QLabel* cause_legend_ = nullptr;
  Evidence evidence_;
  QSortFilterProxyModel* outages_sorted_ = nullptr;
  SummaryDock* summary_ = nullptr;
  QTimer summary_timer_;
  QComboBox* y_mode_ = nullptr;
  QSlider* y_factor_ = nullptr;
  QDoubleSpinBox* y_min_ = nullptr;
  QDoubleSpinBox* y_max_ = nullptr;
  QLabel* level_label_ = nullptr;
  QAction* utc_action_ = nullptr;
  CalendarView* calendar_ = nullptr;
  QComboBox* calendar_host_ = nullptr;
  QComboBox* calendar_metric_ = nullptr;
  QString last_directory_;
  bool remember_settings_ = false;
  bool docks_sized_ = false;  // the default dock heights were applied (first show)
  DisplayZone zone_;
  QProgressBar* progress_ = nullptr;
  FileLoader* loader_ = nullptr;
  // One record per host: what is drawn, and what it was read from (files, or a live log).
  std::vector<HostRecord> hosts_;
  SummaryWorker* summary_worker_ = nullptr;
  // The incidents and paths of every raw hour of opened data directories.
  EvidenceWorker* evidence_worker_ = nullptr;
  std::uint64_t summary_generation_ = 0;  // of the latest request
  std::uint64_t summary_shown_ = 0;       // of the rows the dock shows

  // Detail on demand: a redraw schedules planning; arrived chunks schedule one redraw.
  DetailController* detail_ = nullptr;

  // Live mode: the links and arriving data (LiveController); the window has the widgets.
  LiveController* live_ = nullptr;
  QListWidget* daemon_list_ = nullptr;
  QAction* pause_ = nullptr;
};

}  // namespace zzping::gui
