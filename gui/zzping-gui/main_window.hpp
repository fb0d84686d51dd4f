#pragma once
// MainWindow: menus, host list, event list, Y-axis controls around the PlotPanel.
#include <QMainWindow>
#include <memory>
#include <vector>

#include "zzping/common/view/host_timeline.hpp"

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

  PlotPanel* plotPanel() const { return panel_; }
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
};

}  // namespace zzping::gui
