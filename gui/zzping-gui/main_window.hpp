#pragma once
// MainWindow: menus, host list, event list, Y-axis controls around the PlotPanel.
#include <QMainWindow>
#include <QTimer>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon_link.hpp"

#include "zzping/common/view/host_timeline.hpp"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QProgressBar;
class QSlider;
class QTreeWidget;

namespace zzping::gui {

class PlotPanel;
class FileLoader;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Adds hosts (file loading, tests); the view resets to show everything.
  void addHosts(std::vector<std::shared_ptr<view::HostTimeline>> hosts);
  // Loads files and folders off the GUI thread; finished() fires when done.
  void openPaths(const QStringList& paths);
  bool isLoading() const;

  // Live mode: the hosts of the daemon join the plots (one row each, hosts of several
  // daemons side by side), following the newest data unless paused. Connect every daemon
  // before the first frames arrive, so host names carry the daemon when there are several.
  DaemonLink* connectDaemon(DaemonLink::Options options);
  const std::vector<DaemonLink*>& daemons() const { return daemons_; }
  QListWidget* daemonList() const { return daemon_list_; }
  // Checked: the view stays where it is while frames keep arriving.
  QAction* pauseAction() const { return pause_; }
  // How often live data is redrawn at most (frames arrive every 100 ms per host).
  static constexpr int kLiveRedrawMs = 250;

  PlotPanel* plotPanel() const { return panel_; }
  const std::vector<std::shared_ptr<view::HostTimeline>>& hosts() const { return hosts_; }
  QTreeWidget* eventList() const { return events_; }
  QListWidget* hostList() const { return host_list_; }

  // Writes the visible range of every shown host, at the level drawn, as CSV.
  bool exportCsv(const QString& file, QString* error = nullptr);
  bool exportPng(const QString& file);

 signals:
  void loadingFinished(QStringList errors);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildMenus();
  void buildDocks();
  void buildYControls();
  void applyYControls();
  void refreshHostList();
  void refreshEventList();
  void jumpToEvent(int row);
  void onLoaded(std::vector<std::shared_ptr<view::HostTimeline>> hosts, QStringList errors);
  void buildLiveControls();
  void addLiveHost(DaemonLink* link, const std::string& host);
  view::HostTimeline* liveHost(DaemonLink* link, const std::string& host) const;
  void refreshDaemonList();
  void applyLiveChanges();

  PlotPanel* panel_;
  QListWidget* host_list_ = nullptr;
  QTreeWidget* events_ = nullptr;
  QComboBox* y_mode_ = nullptr;
  QSlider* y_factor_ = nullptr;
  QDoubleSpinBox* y_min_ = nullptr;
  QDoubleSpinBox* y_max_ = nullptr;
  QLabel* level_label_ = nullptr;
  QProgressBar* progress_ = nullptr;
  FileLoader* loader_ = nullptr;
  std::vector<std::shared_ptr<view::HostTimeline>> hosts_;

  // Live mode. Changes only set dirty flags; live_timer_ applies them, so a burst of
  // frames from many hosts costs one redraw.
  std::vector<DaemonLink*> daemons_;
  std::map<std::pair<const DaemonLink*, std::string>, view::HostTimeline*> live_hosts_;
  QListWidget* daemon_list_ = nullptr;
  QAction* pause_ = nullptr;
  QTimer live_timer_;
  bool hosts_dirty_ = false;
  bool frames_dirty_ = false;
  bool events_dirty_ = false;
};

}  // namespace zzping::gui
